/* prom.h: Prometheus's text exposition format (version 0.0.4), written
 * family by family */
#ifndef PALAVER_PROM_H
#define PALAVER_PROM_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The Content-Type of a scrape. */
#define PROM_CTYPE	"text/plain; version=0.0.4; charset=utf-8"

/* prom_family: the # HELP and # TYPE lines of metric `name` (type
 * "counter", "gauge" or "histogram"; help is our own literal). */
void	prom_family(struct buf *, const char *name, const char *type,
	    const char *help);
/*
 * prom_u64, prom_f64: one sample: name{labels} value.  labels is NULL or
 * a NULL-terminated list of name, value pairs; values are escaped as the
 * format says (backslash, double quote, line feed).
 */
void	prom_u64(struct buf *, const char *name, const char *const *labels,
	    uint64_t);
void	prom_f64(struct buf *, const char *name, const char *const *labels,
	    double);
/*
 * prom_histogram: the samples of one histogram: name_bucket for each
 * bound (le, cumulative) and +Inf, name_sum (sum times scale: 1e-6 turns
 * microseconds into seconds) and name_count.  counts has nb + 1 entries,
 * per bucket, the last above every bound.
 */
void	prom_histogram(struct buf *, const char *name,
	    const char *const *labels, const double *bounds, size_t nb,
	    const uint64_t *counts, uint64_t sum, double scale);

#endif
