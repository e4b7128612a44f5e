/* metrics.c: GET /metrics: what every worker counted (core/metrics.h) and
 * what the database holds, in Prometheus's text format, for the
 * addresses [metrics] allow or the bearer of [metrics] token */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/metrics.h"
#include "core/net.h"
#include "auth/auth.h"
#include "store/store.h"
#include "render/prom.h"
#include "domain/hook.h"
#include "http/reasons.h"
#include "http/router.h"
#include "web/web.h"

/*
 * Who may scrape: an address or network of [metrics] allow (nginx's
 * REMOTE_ADDR: behind a proxy, set real_ip), or anyone with the bearer
 * token, compared in constant time.  0 after answering.
 */
static int
allowed(struct req *rq, struct resp *r)
{
	const struct config	*cfg = rq->site->cfg;
	const char		*a = rq->authorization;

	if (net_list_match(cfg->metrics_allow, rq->remote_addr))
		return 1;
	if (cfg->metrics_token[0] == '\0') {
		http_error(rq, r, 403, "Metrics are not served to this "
		    "address ([metrics] allow).");
		return 0;
	}
	if (a != NULL && strncasecmp(a, "Bearer ", 7) == 0 &&
	    auth_equal_str(a + 7, cfg->metrics_token))
		return 1;
	http_error(rq, r, 401, "Metrics need the bearer token ([metrics] "
	    "token) from this address.");
	http_header(r, "WWW-Authenticate", "Bearer realm=\"palaver metrics\"");
	return 0;
}

/* A route row's method, as a label. */
static const char *
method_name(unsigned m)
{
	return m & M_GET ? "GET" : m & M_POST ? "POST" : m & M_PUT ? "PUT" :
	    m & M_DELETE ? "DELETE" : m & M_OPTIONS ? "OPTIONS" : "";
}

static void
requests(struct buf *b, const struct metrics_totals *t)
{
	const struct route	*rt;
	const char		*labels[7];
	char			 code[16];
	size_t			 nr, i, k;
	uint64_t		 n;

	nr = web_routes(&rt);
	prom_family(b, "palaver_http_requests_total", "counter",
	    "Responses, by route (its pattern), method and status code.");
	for (i = 0; i < METRICS_ROUTES; i++) {
		if (i >= nr && i != METRICS_ROUTES - 1)
			continue;
		labels[0] = "route";
		labels[1] = i < nr ? rt[i].pattern : "none";
		labels[2] = "method";
		labels[3] = i < nr ? method_name(rt[i].methods) : "";
		labels[4] = "code";
		labels[6] = NULL;
		for (k = 0; k < METRICS_CODES; k++) {
			if ((n = t->requests[i][k]) == 0)
				continue;
			if (k < METRICS_CODES - 1)
				snprintf(code, sizeof(code), "%d",
				    metrics_codes[k]);
			else
				snprintf(code, sizeof(code), "other");
			labels[5] = code;
			prom_u64(b, "palaver_http_requests_total", labels, n);
		}
	}
	prom_family(b, "palaver_http_request_duration_seconds", "histogram",
	    "Time from a request's arrival to its response's end, by route.");
	for (i = 0; i < METRICS_ROUTES; i++) {
		if (i >= nr && i != METRICS_ROUTES - 1)
			continue;
		for (n = 0, k = 0; k <= METRICS_LATENCY_BUCKETS; k++)
			n += t->latency[i].b[k];
		if (n == 0)
			continue;
		labels[0] = "route";
		labels[1] = i < nr ? rt[i].pattern : "none";
		labels[2] = "method";
		labels[3] = i < nr ? method_name(rt[i].methods) : "";
		labels[4] = NULL;
		prom_histogram(b, "palaver_http_request_duration_seconds",
		    labels, metrics_latency_bounds, METRICS_LATENCY_BUCKETS,
		    t->latency[i].b, t->latency[i].sum, 1e-6);
	}
}

static void
posts(struct buf *b, const struct metrics_totals *t)
{
	static const struct {
		const char	*outcome;
		enum metric	 m;
	} outcomes[] = {
		{ "accepted", MC_POST_ACCEPTED },
		{ "held", MC_POST_HELD },
		{ "spam", MC_POST_SPAM },
	};
	const char	*labels[3] = { NULL, NULL, NULL };
	size_t		 i;

	prom_family(b, "palaver_posts_total", "counter", "Comments taken: "
	    "accepted (published at once), held (waiting for a moderator), "
	    "spam (to the spam folder).");
	labels[0] = "outcome";
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		labels[1] = outcomes[i].outcome;
		prom_u64(b, "palaver_posts_total", labels,
		    t->counter[outcomes[i].m]);
	}
	prom_family(b, "palaver_posts_refused_total", "counter", "Comments "
	    "refused, by reason (field: a field broke its rule; try_again: "
	    "trouble on our side).");
	labels[0] = "reason";
	for (i = 1; i < RS__MAX; i++) {
		labels[1] = reason_name((enum reason)i);
		prom_u64(b, "palaver_posts_refused_total", labels,
		    t->refused[i]);
	}
}

static void
hooks(struct buf *b, const struct metrics_totals *t)
{
	static const char *const kinds[METRICS_HOOK_KINDS] = { "check",
	    "feedback" };
	const char	*labels[5];
	uint64_t	 failed;
	size_t		 k, o;

	prom_family(b, "palaver_hook_calls_total", "counter", "Runs of the "
	    "spam hook, by kind (check: a new comment; feedback: a "
	    "moderator's correction) and outcome.");
	for (k = 0; k < METRICS_HOOK_KINDS; k++)
		for (o = 0; o < METRICS_HOOK_OUTCOMES; o++) {
			labels[0] = "kind";
			labels[1] = kinds[k];
			labels[2] = "outcome";
			labels[3] = hook_outcome_str((enum hook_outcome)o);
			labels[4] = NULL;
			prom_u64(b, "palaver_hook_calls_total", labels,
			    t->hook[k][o]);
		}
	prom_family(b, "palaver_hook_failures_total", "counter", "Runs of "
	    "the spam hook that failed: timed out, crashed, exited non-zero "
	    "or printed no score.");
	for (k = 0; k < METRICS_HOOK_KINDS; k++) {
		for (failed = 0, o = 0; o < METRICS_HOOK_OUTCOMES; o++)
			if (o != HOOK_OK)
				failed += t->hook[k][o];
		labels[0] = "kind";
		labels[1] = kinds[k];
		labels[2] = NULL;
		prom_u64(b, "palaver_hook_failures_total", labels, failed);
	}
	prom_family(b, "palaver_hook_duration_seconds", "histogram", "How "
	    "long the spam hook ran, by kind.");
	for (k = 0; k < METRICS_HOOK_KINDS; k++) {
		labels[0] = "kind";
		labels[1] = kinds[k];
		labels[2] = NULL;
		prom_histogram(b, "palaver_hook_duration_seconds", labels,
		    metrics_hook_bounds, METRICS_HOOK_BUCKETS,
		    t->hook_time[k].b, t->hook_time[k].sum, 1e-6);
	}
}

static void
processes(struct buf *b, const struct metrics_totals *t)
{
	const char	*labels[3] = { "result", NULL, NULL };

	prom_family(b, "palaver_writer_batch_jobs", "histogram", "Writes "
	    "committed together by one group commit (one fsync).");
	prom_histogram(b, "palaver_writer_batch_jobs", NULL,
	    metrics_batch_bounds, METRICS_BATCH_BUCKETS, t->batch.b,
	    t->batch.sum, 1);
	prom_family(b, "palaver_cache_hits_total", "counter", "Readers' "
	    "pages and API reads served from the page cache.");
	prom_u64(b, "palaver_cache_hits_total", NULL,
	    t->counter[MC_CACHE_HIT]);
	prom_family(b, "palaver_cache_misses_total", "counter", "Readers' "
	    "pages and API reads the cache could keep, rendered afresh.");
	prom_u64(b, "palaver_cache_misses_total", NULL,
	    t->counter[MC_CACHE_MISS]);
	prom_family(b, "palaver_worker_restarts_total", "counter", "Worker "
	    "processes that died and were replaced.");
	prom_u64(b, "palaver_worker_restarts_total", NULL,
	    t->counter[MC_WORKER_RESTARTS]);
	prom_family(b, "palaver_webhook_deliveries_total", "counter",
	    "Webhook deliveries: sent (acknowledged) and failed tries.");
	labels[1] = "sent";
	prom_u64(b, "palaver_webhook_deliveries_total", labels,
	    t->counter[MC_WEBHOOK_SENT]);
	labels[1] = "failed";
	prom_u64(b, "palaver_webhook_deliveries_total", labels,
	    t->counter[MC_WEBHOOK_FAILED]);
	if (t->started > 0) {
		prom_family(b, "palaver_start_time_seconds", "gauge", "When "
		    "palaver started (unix seconds): counters start from 0 "
		    "then.");
		prom_u64(b, "palaver_start_time_seconds", NULL,
		    (uint64_t)t->started);
	}
}

/* What the database holds, read now. */
static enum status
database(struct req *rq, struct buf *b)
{
	long long	 counts[CS__MAX], bytes = 0;
	const char	*labels[3] = { "status", NULL, NULL };
	size_t		 i;
	enum status	 st;

	if ((st = store_queue_counts(rq->site->store, 0, counts)) != ST_OK ||
	    (st = store_db_bytes(rq->site->store, &bytes)) != ST_OK)
		return st;
	prom_family(b, "palaver_comments", "gauge", "Comments, by status.");
	for (i = 0; i < CS__MAX; i++) {
		labels[1] = cstatus_str((enum cstatus)i);
		prom_u64(b, "palaver_comments", labels, (uint64_t)counts[i]);
	}
	prom_family(b, "palaver_database_bytes", "gauge", "The database's "
	    "size (its pages; the write-ahead log aside).");
	prom_u64(b, "palaver_database_bytes", NULL, (uint64_t)bytes);
	return ST_OK;
}

enum status
h_metrics(struct req *rq, struct resp *r)
{
	struct metrics_totals	*t;

	http_header(r, "Cache-Control", "no-store");
	if (!allowed(rq, r))
		return ST_OK;
	if ((t = arena_alloc(rq->arena, sizeof(*t))) == NULL)
		return ST_NOMEM;
	metrics_read(t);
	r->ctype = PROM_CTYPE;
	requests(&r->body, t);
	posts(&r->body, t);
	hooks(&r->body, t);
	processes(&r->body, t);
	return database(rq, &r->body);
}
