/* metrics.h: what palaver counts for GET /metrics, in memory every worker
 * process shares, so a scrape that lands on any worker sees them all */
#ifndef PALAVER_METRICS_H
#define PALAVER_METRICS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every process counts into a slot of its own in one shared region,
 * mapped by the supervisor before it forks the workers (MAP_SHARED |
 * MAP_ANONYMOUS: it exists only while palaver runs): worker i counts into
 * slot i, the supervisor into the last.  A count is one relaxed atomic
 * add to the process's own slot, on its own cache lines, so workers do
 * not contend.  A scrape sums every slot.  A worker that dies is replaced
 * in the same slot, which keeps its counts: totals never go back while
 * palaver runs (they start again at 0 when it restarts, as Prometheus
 * expects of counters).  Without metrics_init (the command line, unit
 * tests) counts go to a slot of the process's own.
 */

/* Sizes: the route table, the reasons and the hook's outcomes must fit
 * (the router, reasons.c and spam.c check at compile time). */
#define METRICS_ROUTES		64	/* the last: no route matched */
#define METRICS_REASONS		48
#define METRICS_HOOK_KINDS	2	/* a check, a correction */
#define METRICS_HOOK_OUTCOMES	4	/* enum hook_outcome */
#define METRICS_CODES		20	/* metrics_codes, then "other" */
#define METRICS_LATENCY_BUCKETS	13
#define METRICS_HOOK_BUCKETS	10
#define METRICS_BATCH_BUCKETS	9

/* Plain counters. */
enum metric {
	MC_CACHE_HIT,		/* a reader's page served from the cache */
	MC_CACHE_MISS,		/* one that could be kept, rendered */
	MC_WORKER_RESTARTS,	/* workers replaced by the supervisor */
	MC_POST_ACCEPTED,	/* comments published at once */
	MC_POST_HELD,		/* comments waiting for a moderator */
	MC_POST_SPAM,		/* comments put in the spam folder */
	MC_WEBHOOK_SENT,	/* webhook deliveries acknowledged (for the
				   webhook sender; 0 until it lands) */
	MC_WEBHOOK_FAILED,	/* webhook tries that failed */
	MC__MAX
};

/* The HTTP statuses counted by their own label; others count as
 * "other" (index METRICS_CODES - 1). */
extern const int	metrics_codes[METRICS_CODES - 1];
/* Histogram bucket bounds (upper, inclusive): request and hook seconds,
 * group-commit jobs a batch. */
extern const double	metrics_latency_bounds[METRICS_LATENCY_BUCKETS];
extern const double	metrics_hook_bounds[METRICS_HOOK_BUCKETS];
extern const double	metrics_batch_bounds[METRICS_BATCH_BUCKETS];

/* A histogram as read: counts per bucket (not cumulative), the last
 * above every bound; sum in the unit observed (microseconds, jobs). */
#define METRICS_HIST(nb)	struct { uint64_t b[(nb) + 1]; uint64_t sum; }

/* Every count summed over the slots, as plain numbers. */
struct metrics_totals {
	uint64_t	 counter[MC__MAX];
	uint64_t	 requests[METRICS_ROUTES][METRICS_CODES];
	METRICS_HIST(METRICS_LATENCY_BUCKETS)	latency[METRICS_ROUTES];
	uint64_t	 refused[METRICS_REASONS];
	uint64_t	 hook[METRICS_HOOK_KINDS][METRICS_HOOK_OUTCOMES];
	METRICS_HIST(METRICS_HOOK_BUCKETS)	hook_time[METRICS_HOOK_KINDS];
	METRICS_HIST(METRICS_BATCH_BUCKETS)	batch;
	long long	 started;	/* unix seconds the region was made */
	int		 slots;		/* processes counted */
};

/*
 * metrics_init: map the shared region for `workers` workers and the
 * supervisor, whose slot this process takes.  Call once, before forking
 * the workers.  -1 when it cannot (logged): counting then stays within
 * each process.
 */
int	metrics_init(int workers);
/* metrics_worker: after fork, in worker i (0 <= i < workers). */
void	metrics_worker(int i);
/* metrics_free: unmap the region (at the supervisor's exit). */
void	metrics_free(void);

/* Counting: safe from any thread, never fails, out of range ignored. */
void	metrics_add(enum metric, uint64_t n);
/* metrics_request: a response, by route row (-1: none matched), status
 * and the microseconds it took. */
void	metrics_request(int route, int status, long long usec);
/* metrics_refused: a post refused, by reason (enum reason). */
void	metrics_refused(int reason);
/* metrics_hook: a run of the spam hook, by kind (0: a check, 1: a
 * correction), outcome (enum hook_outcome) and microseconds. */
void	metrics_hook(int kind, int outcome, long long usec);
/* metrics_batch: a group commit of n jobs. */
void	metrics_batch(size_t n);

/* metrics_read: every slot summed into t. */
void	metrics_read(struct metrics_totals *t);

#endif
