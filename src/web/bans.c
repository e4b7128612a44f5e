/* bans.c: the moderators' bans: the list, adding and lifting */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "web/web.h"

static enum status
bans_page(struct req *rq, struct resp *r, int code,
    const struct mod_ban_form *f, const char *msg)
{
	struct ban	*v;
	struct view	 vw;
	size_t		 n;
	enum status	 st;

	if ((st = store_ban_list(rq->site->store, rq->arena,
	    (long long)time(NULL), &v, &n)) != ST_OK)
		return st;
	r->status = code;
	http_view(rq, &vw, 0);
	view_mod_bans(&vw, &r->body, v, n, f, msg);
	return ST_OK;
}

enum status
h_mod_bans_get(struct req *rq, struct resp *r)
{
	return bans_page(rq, r, 200, NULL, NULL);
}

enum status
h_mod_bans_post(struct req *rq, struct resp *r)
{
	struct mod_ban_form	 f;
	struct actor		 who;
	struct refusal		 ref;
	enum status		 st;

	/* Whatever was typed goes back into the form. */
	f.kind = http_raw(rq, F_KIND);
	f.value = http_raw(rq, F_VALUE);
	f.reason = http_raw(rq, F_REASON);
	f.days = http_raw(rq, F_DAYS);
	if (rq->bad != F__MAX) {
		ref = rq->f[rq->bad].why;
		/* A value that breaks the text rules fits no kind. */
		if (rq->bad == F_VALUE && rq->f[F_KIND].state == FV_OK)
			ref.msg = moderate_ban_hint(http_str(rq, F_KIND));
		return bans_page(rq, r, reason_status(&ref),
		    &f, reason_message(rq->arena, &ref));
	}
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = moderate_ban(rq->site, rq->arena, &who, http_str(rq, F_KIND),
	    http_str(rq, F_VALUE), http_str(rq, F_REASON), http_id(rq, F_DAYS),
	    &ref);
	if (st == ST_INPUT)
		return bans_page(rq, r, reason_status(&ref), &f,
		    reason_message(rq->arena, &ref));
	if (st != ST_OK)
		return st;
	return mod_back(rq, r, "/mod/bans");
}

enum status
h_mod_ban_delete(struct req *rq, struct resp *r)
{
	struct actor	 who;
	enum status	 st;

	if ((st = mod_actor(rq, &who)) != ST_OK ||
	    (st = moderate_unban(rq->site, rq->arena, &who, rq->arg[0])) !=
	    ST_OK)
		return st;
	return mod_back(rq, r, "/mod/bans");
}
