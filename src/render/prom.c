/* prom.c: Prometheus's text exposition format (version 0.0.4), written
 * family by family */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "render/prom.h"

void
prom_family(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and line feed escaped. */
static void
label_value(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '"')
			buf_puts(b, "\\\"");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
}

/* name{k="v",...} with `extra` (may be NULL) as one more pair's name and
 * extra_v its value. */
static void
series(struct buf *b, const char *name, const char *const *labels,
    const char *extra, const char *extra_v)
{
	size_t	 i, n = 0;

	buf_puts(b, name);
	if ((labels == NULL || labels[0] == NULL) && extra == NULL)
		return;
	buf_putc(b, '{');
	for (i = 0; labels != NULL && labels[i] != NULL &&
	    labels[i + 1] != NULL; i += 2) {
		buf_printf(b, "%s%s=\"", n++ > 0 ? "," : "", labels[i]);
		label_value(b, labels[i + 1]);
		buf_putc(b, '"');
	}
	if (extra != NULL) {
		buf_printf(b, "%s%s=\"", n > 0 ? "," : "", extra);
		label_value(b, extra_v);
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}

void
prom_u64(struct buf *b, const char *name, const char *const *labels,
    uint64_t v)
{
	series(b, name, labels, NULL, NULL);
	buf_printf(b, " %llu\n", (unsigned long long)v);
}

/* A float as the format reads it (Go's ParseFloat): +Inf, NaN, or the
 * shortest %g that is exact enough. */
static void
number(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "NaN");
	else if (isinf(v))
		buf_puts(b, v > 0 ? "+Inf" : "-Inf");
	else
		buf_printf(b, "%.17g", v);
}

void
prom_f64(struct buf *b, const char *name, const char *const *labels,
    double v)
{
	series(b, name, labels, NULL, NULL);
	buf_putc(b, ' ');
	number(b, v);
	buf_putc(b, '\n');
}

void
prom_histogram(struct buf *b, const char *name, const char *const *labels,
    const double *bounds, size_t nb, const uint64_t *counts, uint64_t sum,
    double scale)
{
	char		 n[128], le[32];
	uint64_t	 cum = 0;
	size_t		 i;

	snprintf(n, sizeof(n), "%s_bucket", name);
	for (i = 0; i <= nb; i++) {
		cum += counts[i];
		if (i < nb)
			snprintf(le, sizeof(le), "%g", bounds[i]);
		else
			snprintf(le, sizeof(le), "+Inf");
		series(b, n, labels, "le", le);
		buf_printf(b, " %llu\n", (unsigned long long)cum);
	}
	/* The count is the +Inf bucket's, so the two always agree even as
	 * other processes go on counting. */
	snprintf(n, sizeof(n), "%s_sum", name);
	series(b, n, labels, NULL, NULL);
	buf_putc(b, ' ');
	number(b, (double)sum * scale);
	buf_putc(b, '\n');
	snprintf(n, sizeof(n), "%s_count", name);
	series(b, n, labels, NULL, NULL);
	buf_printf(b, " %llu\n", (unsigned long long)cum);
}
