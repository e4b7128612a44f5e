/* metrics.c: what palaver counts for GET /metrics, in memory every worker
 * process shares (metrics.h says how) */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "core/log.h"
#include "core/metrics.h"

/* Counts cross process boundaries through the mapping: the atomics must
 * be plain memory operations, never a lock inside this process. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2,
    "64-bit atomics must be lock-free to be shared between processes");

typedef atomic_ullong	counter;

#define HIST(nb)	struct { counter b[(nb) + 1]; counter sum; }

/* One process's counts, on cache lines of its own. */
struct slot {
	_Alignas(64) counter	 counter[MC__MAX];
	counter			 requests[METRICS_ROUTES][METRICS_CODES];
	HIST(METRICS_LATENCY_BUCKETS)	latency[METRICS_ROUTES];
	counter			 refused[METRICS_REASONS];
	counter			 hook[METRICS_HOOK_KINDS]
				    [METRICS_HOOK_OUTCOMES];
	HIST(METRICS_HOOK_BUCKETS)	hook_time[METRICS_HOOK_KINDS];
	HIST(METRICS_BATCH_BUCKETS)	batch;
};

struct region {
	long long	 started;
	int		 nslots;
	struct slot	 slots[];
};

const int metrics_codes[METRICS_CODES - 1] = {
	200, 201, 204, 303, 304, 400, 401, 403, 404, 405, 409, 411, 413,
	415, 422, 429, 500, 503, 504,
};
/* Seconds: a cached page takes a millisecond, a post with a slow hook
 * seconds. */
const double metrics_latency_bounds[METRICS_LATENCY_BUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 10,
};
/* Seconds: a hook's time limit is hook_timeout_ms (2 s by default). */
const double metrics_hook_bounds[METRICS_HOOK_BUCKETS] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
};
/* Jobs a batch: writer.c takes at most 256. */
const double metrics_batch_bounds[METRICS_BATCH_BUCKETS] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256,
};

static struct region	*region;
static size_t		 region_len;
/* Counting before metrics_init, or without it: this process alone. */
static struct slot	 own;
static struct slot	*mine = &own;

int
metrics_init(int workers)
{
	size_t	 len = sizeof(struct region) +
	    (size_t)(workers + 1) * sizeof(struct slot);
	void	*p;

	/* Anonymous and shared: zeroed, inherited by every fork, gone
	 * with the last process. */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED) {
		log_err("metrics: mmap of %zu bytes: %s; each worker counts "
		    "alone", len, strerror(errno));
		return -1;
	}
	region = p;
	region_len = len;
	region->started = (long long)time(NULL);
	region->nslots = workers + 1;
	mine = &region->slots[workers];
	return 0;
}

void
metrics_worker(int i)
{
	if (region != NULL && i >= 0 && i < region->nslots - 1)
		mine = &region->slots[i];
}

void
metrics_free(void)
{
	if (region == NULL)
		return;
	mine = &own;
	munmap(region, region_len);
	region = NULL;
}

static void
inc(counter *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void
metrics_add(enum metric m, uint64_t n)
{
	if ((unsigned)m < MC__MAX)
		inc(&mine->counter[m], n);
}

/* The bucket of v among bounds: the first bound v is not above. */
static size_t
bucket(const double *bounds, size_t nb, double v)
{
	size_t	 i;

	for (i = 0; i < nb && v > bounds[i]; i++)
		continue;
	return i;
}

void
metrics_request(int route, int status, long long usec)
{
	size_t	 c;

	if (route < 0 || route >= METRICS_ROUTES - 1)
		route = METRICS_ROUTES - 1;
	for (c = 0; c < METRICS_CODES - 1 && metrics_codes[c] != status; c++)
		continue;
	if (usec < 0)
		usec = 0;
	inc(&mine->requests[route][c], 1);
	inc(&mine->latency[route].b[bucket(metrics_latency_bounds,
	    METRICS_LATENCY_BUCKETS, (double)usec / 1e6)], 1);
	inc(&mine->latency[route].sum, (uint64_t)usec);
}

void
metrics_refused(int reason)
{
	if (reason >= 0 && reason < METRICS_REASONS)
		inc(&mine->refused[reason], 1);
}

void
metrics_hook(int kind, int outcome, long long usec)
{
	if (kind < 0 || kind >= METRICS_HOOK_KINDS || outcome < 0 ||
	    outcome >= METRICS_HOOK_OUTCOMES)
		return;
	if (usec < 0)
		usec = 0;
	inc(&mine->hook[kind][outcome], 1);
	inc(&mine->hook_time[kind].b[bucket(metrics_hook_bounds,
	    METRICS_HOOK_BUCKETS, (double)usec / 1e6)], 1);
	inc(&mine->hook_time[kind].sum, (uint64_t)usec);
}

void
metrics_batch(size_t n)
{
	inc(&mine->batch.b[bucket(metrics_batch_bounds,
	    METRICS_BATCH_BUCKETS, (double)n)], 1);
	inc(&mine->batch.sum, (uint64_t)n);
}

static uint64_t
get(const counter *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* Add slot s into t. */
static void
sum(struct metrics_totals *t, const struct slot *s)
{
	size_t	 i, k;

	for (i = 0; i < MC__MAX; i++)
		t->counter[i] += get(&s->counter[i]);
	for (i = 0; i < METRICS_ROUTES; i++) {
		for (k = 0; k < METRICS_CODES; k++)
			t->requests[i][k] += get(&s->requests[i][k]);
		for (k = 0; k <= METRICS_LATENCY_BUCKETS; k++)
			t->latency[i].b[k] += get(&s->latency[i].b[k]);
		t->latency[i].sum += get(&s->latency[i].sum);
	}
	for (i = 0; i < METRICS_REASONS; i++)
		t->refused[i] += get(&s->refused[i]);
	for (i = 0; i < METRICS_HOOK_KINDS; i++) {
		for (k = 0; k < METRICS_HOOK_OUTCOMES; k++)
			t->hook[i][k] += get(&s->hook[i][k]);
		for (k = 0; k <= METRICS_HOOK_BUCKETS; k++)
			t->hook_time[i].b[k] += get(&s->hook_time[i].b[k]);
		t->hook_time[i].sum += get(&s->hook_time[i].sum);
	}
	for (k = 0; k <= METRICS_BATCH_BUCKETS; k++)
		t->batch.b[k] += get(&s->batch.b[k]);
	t->batch.sum += get(&s->batch.sum);
}

void
metrics_read(struct metrics_totals *t)
{
	int	 i;

	memset(t, 0, sizeof(*t));
	if (region == NULL) {
		sum(t, &own);
		t->slots = 1;
		return;
	}
	/* Each slot is read count by count while others add: a scrape is
	 * a moment's snapshot to within the requests in flight. */
	for (i = 0; i < region->nslots; i++)
		sum(t, &region->slots[i]);
	t->started = region->started;
	t->slots = region->nslots;
}
