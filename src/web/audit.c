/* audit.c: the audit log, newest first */
#include "store/store.h"
#include "render/views.h"
#include "web/web.h"

#define AUDIT_PAGE	50

enum status
h_mod_audit(struct req *rq, struct resp *r)
{
	struct audit_entry	*v;
	struct view		 vw;
	size_t			 n;
	long long		 next = 0;
	enum status		 st;

	if ((st = store_audit_list(rq->site->store, rq->arena,
	    http_id(rq, F_BEFORE), AUDIT_PAGE + 1, &v, &n)) != ST_OK)
		return st;
	if (n > AUDIT_PAGE) {
		n = AUDIT_PAGE;
		next = v[n - 1].id;
	}
	http_view(rq, &vw, 0);
	view_mod_audit(&vw, &r->body, v, n, next);
	return ST_OK;
}
