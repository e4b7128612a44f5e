/* audit.c: the audit log, newest first, searched by who, what, target and
 * day, paged, and exported as CSV for admins */
#include <string.h>

#include "store/store.h"
#include "render/views.h"
#include "web/web.h"

#define AUDIT_PAGE	50
/* The CSV holds at most this many rows, the newest: the response is built
 * in memory, and a narrower filter (a range of days) gives the rest. */
#define AUDIT_CSV_MAX	20000
#define AUDIT_CSV_STEP	1000

/* The filters of the request. */
static void
query(const struct req *rq, struct audit_query *q)
{
	memset(q, 0, sizeof(*q));
	q->actor = http_str(rq, F_WHO);
	q->action = http_str(rq, F_WHAT);
	q->target = http_str(rq, F_TARGET);
	q->since = http_id(rq, F_FROM);
	/* "to" is the last day shown: until the start of the next. */
	if (rq->f[F_TO].state == FV_OK)
		q->until = http_id(rq, F_TO) + 86400;
}

enum status
h_mod_audit(struct req *rq, struct resp *r)
{
	struct audit_query	 q;
	struct mod_audit	 ma;
	struct audit_entry	*v;
	struct view		 vw;
	size_t			 n;
	enum status		 st;

	query(rq, &q);
	q.before_id = http_id(rq, F_BEFORE);
	q.limit = AUDIT_PAGE + 1;
	if ((st = store_audit_list(rq->site->store, rq->arena, &q, &v, &n)) !=
	    ST_OK)
		return st;
	memset(&ma, 0, sizeof(ma));
	if (n > AUDIT_PAGE) {
		n = AUDIT_PAGE;
		ma.next = v[n - 1].id;
	}
	ma.q = &q;
	ma.from = http_str(rq, F_FROM);
	ma.to = http_str(rq, F_TO);
	ma.v = v;
	ma.n = n;
	http_view(rq, &vw, 0);
	view_mod_audit(&vw, &r->body, &ma);
	return ST_OK;
}

enum status
h_mod_audit_csv(struct req *rq, struct resp *r)
{
	struct audit_query	 q;
	struct audit_entry	*v;
	size_t			 n, total = 0;
	enum status		 st;

	query(rq, &q);
	q.limit = AUDIT_CSV_STEP;
	r->ctype = "text/csv; charset=utf-8";
	http_header(r, "Content-Disposition",
	    "attachment; filename=\"palaver-audit.csv\"");
	view_mod_audit_csv(&r->body, NULL, 0, 1);
	/* A page at a time, by the same keyset as the log's pages. */
	do {
		if ((st = store_audit_list(rq->site->store, rq->arena, &q, &v,
		    &n)) != ST_OK)
			return st;
		view_mod_audit_csv(&r->body, v, n, 0);
		total += n;
		if (n > 0)
			q.before_id = v[n - 1].id;
	} while (n == AUDIT_CSV_STEP && total < AUDIT_CSV_MAX &&
	    !r->body.err);
	return ST_OK;
}
