/* test_metrics.c: counts shared by forked processes and threads, summed
 * exactly; a replaced process's slot kept; buckets at their bounds; the
 * Prometheus text written as the format says; who may scrape */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/metrics.h"
#include "core/net.h"
#include "render/prom.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define WORKERS		3
#define THREADS		4
#define ADDS		5000

static void *
adder(void *arg)
{
	int	 i;

	(void)arg;
	for (i = 0; i < ADDS; i++) {
		metrics_add(MC_CACHE_HIT, 1);
		metrics_request(2, 200, 700);
		metrics_batch(3);
	}
	return NULL;
}

/* A worker: threads counting at once into its slot. */
static void
worker(int slot)
{
	pthread_t	 t[THREADS];
	int		 i;

	metrics_worker(slot);
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, adder, NULL) != 0)
			_exit(2);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	metrics_refused(slot);
	_exit(0);
}

static void
run_worker(int slot)
{
	pid_t	 pid;
	int	 st;

	assert_true((pid = fork()) >= 0);
	if (pid == 0)
		worker(slot);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Forked workers count into the region the parent mapped; any process
 * sums them all, exactly; a slot taken again keeps what it had. */
static void
shared_across_processes(void **state)
{
	struct metrics_totals	*t;
	pid_t			 pids[WORKERS];
	int			 i, st;
	uint64_t		 n = (uint64_t)WORKERS * THREADS * ADDS;

	(void)state;
	assert_non_null(t = calloc(1, sizeof(*t)));
	/* Before the region: this process alone. */
	metrics_add(MC_CACHE_MISS, 7);
	metrics_read(t);
	assert_int_equal(t->counter[MC_CACHE_MISS], 7);
	assert_int_equal(t->slots, 1);

	assert_int_equal(metrics_init(WORKERS), 0);
	metrics_read(t);
	assert_int_equal(t->counter[MC_CACHE_MISS], 0);
	assert_int_equal(t->slots, WORKERS + 1);
	assert_true(t->started > 0);
	for (i = 0; i < WORKERS; i++) {
		assert_true((pids[i] = fork()) >= 0);
		if (pids[i] == 0)
			worker(i);
	}
	/* The supervisor counts into its own slot meanwhile. */
	metrics_add(MC_WORKER_RESTARTS, 1);
	for (i = 0; i < WORKERS; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	metrics_read(t);
	assert_int_equal(t->counter[MC_CACHE_HIT], n);
	assert_int_equal(t->counter[MC_WORKER_RESTARTS], 1);
	assert_int_equal(t->requests[2][0], n);
	assert_int_equal(t->latency[2].sum, n * 700);
	assert_int_equal(t->batch.sum, n * 3);
	for (i = 0; i < WORKERS; i++)
		assert_int_equal(t->refused[i], 1);

	/* Worker 1 dies and is replaced in its slot: nothing is lost. */
	run_worker(1);
	metrics_read(t);
	assert_int_equal(t->counter[MC_CACHE_HIT], n + THREADS * ADDS);
	assert_int_equal(t->refused[1], 2);
	metrics_free();
	metrics_free();
	free(t);
}

/* Each observation in its bucket: bounds are upper and inclusive; past
 * the last is the +Inf bucket; unknown routes and statuses have rows. */
static void
buckets(void **state)
{
	static const struct {
		long long	 usec;
		size_t		 bucket;
	} lat[] = {
		{ 0, 0 }, { 500, 0 }, { 501, 1 }, { 1000, 1 }, { 1001, 2 },
		{ 10000000, METRICS_LATENCY_BUCKETS - 1 },
		{ 10000001, METRICS_LATENCY_BUCKETS },
		{ -5, 0 },
	};
	struct metrics_totals	*t0, *t1;
	size_t			 i, k;

	(void)state;
	assert_non_null(t0 = calloc(1, sizeof(*t0)));
	assert_non_null(t1 = calloc(1, sizeof(*t1)));
	for (i = 0; i < NITEMS(lat); i++) {
		metrics_read(t0);
		metrics_request(5, 404, lat[i].usec);
		metrics_read(t1);
		for (k = 0; k <= METRICS_LATENCY_BUCKETS; k++)
			if (t1->latency[5].b[k] - t0->latency[5].b[k] !=
			    (k == lat[i].bucket))
				fail_msg("%lld us: bucket %zu", lat[i].usec, k);
	}
	metrics_read(t0);
	metrics_request(-1, 200, 1);
	metrics_request(1000, 999, 1);
	metrics_request(3, 418, 1);
	metrics_batch(256);
	metrics_batch(257);
	metrics_refused(-1);
	metrics_refused(METRICS_REASONS);
	metrics_hook(2, 0, 1);
	metrics_hook(0, METRICS_HOOK_OUTCOMES, 1);
	metrics_hook(1, 3, 2000000);
	metrics_read(t1);
	assert_int_equal(t1->requests[METRICS_ROUTES - 1][0] -
	    t0->requests[METRICS_ROUTES - 1][0], 1);
	assert_int_equal(t1->requests[METRICS_ROUTES - 1][METRICS_CODES - 1] -
	    t0->requests[METRICS_ROUTES - 1][METRICS_CODES - 1], 1);
	assert_int_equal(t1->requests[3][METRICS_CODES - 1] -
	    t0->requests[3][METRICS_CODES - 1], 1);
	assert_int_equal(t1->batch.b[METRICS_BATCH_BUCKETS - 1] -
	    t0->batch.b[METRICS_BATCH_BUCKETS - 1], 1);
	assert_int_equal(t1->batch.b[METRICS_BATCH_BUCKETS] -
	    t0->batch.b[METRICS_BATCH_BUCKETS], 1);
	assert_int_equal(t1->hook[1][3] - t0->hook[1][3], 1);
	assert_int_equal(t1->hook_time[1].b[8] - t0->hook_time[1].b[8], 1);
	assert_int_equal(t1->hook[0][0] - t0->hook[0][0], 0);
	free(t0);
	free(t1);
}

/* The text format: label values escaped, histograms cumulative with the
 * count equal to +Inf, sums scaled. */
static void
text_format(void **state)
{
	static const double	 bounds[] = { 0.5, 1 };
	static const uint64_t	 counts[] = { 2, 0, 3 };
	const char		*labels[] = { "route", "/a/{id}\\\"x\"\n",
	    "method", "GET", NULL };
	struct buf		 b = BUF_INIT;

	(void)state;
	prom_family(&b, "t_total", "counter", "Things.");
	prom_u64(&b, "t_total", labels, 18446744073709551615ULL);
	prom_u64(&b, "t_total", NULL, 0);
	prom_f64(&b, "g", NULL, 0.25);
	prom_histogram(&b, "h", labels + 2, bounds, 2, counts, 1500000, 1e-6);
	assert_string_equal(buf_str(&b),
	    "# HELP t_total Things.\n# TYPE t_total counter\n"
	    "t_total{route=\"/a/{id}\\\\\\\"x\\\"\\n\",method=\"GET\"} "
	    "18446744073709551615\n"
	    "t_total 0\n"
	    "g 0.25\n"
	    "h_bucket{method=\"GET\",le=\"0.5\"} 2\n"
	    "h_bucket{method=\"GET\",le=\"1\"} 2\n"
	    "h_bucket{method=\"GET\",le=\"+Inf\"} 5\n"
	    "h_sum{method=\"GET\"} 1.5\n"
	    "h_count{method=\"GET\"} 5\n");
	buf_free(&b);
}

/* [metrics] allow: addresses and networks, IPv4 and IPv6. */
static void
allow_lists(void **state)
{
	static const struct {
		const char	*list, *addr;
		int		 match;
	} rows[] = {
		{ "127.0.0.1 ::1", "127.0.0.1", 1 },
		{ "127.0.0.1 ::1", "::1", 1 },
		{ "127.0.0.1 ::1", "127.0.0.2", 0 },
		{ "127.0.0.1 ::1", "::2", 0 },
		{ "127.0.0.1 ::1", "::ffff:127.0.0.1", 1 },
		{ "127.0.0.0/8", "127.200.0.9", 1 },
		{ "10.0.0.0/8, 192.168.0.0/16", "192.168.7.1", 1 },
		{ "10.0.0.0/8, 192.168.0.0/16", "192.169.0.1", 0 },
		{ "192.0.2.128/25", "192.0.2.127", 0 },
		{ "192.0.2.128/25", "192.0.2.200", 1 },
		{ "2001:db8::/32", "2001:db8:ffff::1", 1 },
		{ "2001:db8::/32", "2001:db9::1", 0 },
		{ "0.0.0.0/0", "203.0.113.5", 1 },
		{ "0.0.0.0/0", "2001:db8::1", 0 },
		{ "::/0", "2001:db8::1", 1 },
		{ "", "127.0.0.1", 0 },
		{ "127.0.0.1", "", 0 },
		{ "127.0.0.1", "not an address", 0 },
		{ "127.0.0.1/32", "127.0.0.1", 1 },
		{ "2001:db8::1/128", "2001:db8::1", 1 },
	};
	static const char *const ok[] = { "", "127.0.0.1 ::1",
	    "10.0.0.0/8,2001:db8::/32", "  ::1  ", "192.0.2.0/0" };
	static const char *const bad[] = { "localhost", "127.0.0.1/33",
	    "::1/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "300.0.0.1",
	    "127.0.0.1 nope", "10.0.0.0/8/8" };
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++)
		if (net_list_match(rows[i].list, rows[i].addr) !=
		    rows[i].match)
			fail_msg("%s in \"%s\": want %d", rows[i].addr,
			    rows[i].list, rows[i].match);
	for (i = 0; i < NITEMS(ok); i++)
		if (net_list_ok(ok[i]) != 0)
			fail_msg("\"%s\" refused", ok[i]);
	for (i = 0; i < NITEMS(bad); i++)
		if (net_list_ok(bad[i]) != -1)
			fail_msg("\"%s\" taken", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shared_across_processes),
		cmocka_unit_test(buckets),
		cmocka_unit_test(text_format),
		cmocka_unit_test(allow_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
