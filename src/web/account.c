/* account.c: a moderator's own account (alerts by e-mail) and, for
 * admins, the mail and webhook deliveries */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "render/views_mail.h"
#include "domain/maillinks.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "web/web.h"

/* Deliveries a page shows. */
#define DELIVERIES_PAGE	100

static enum status
account_page(struct req *rq, struct resp *r, int code, const char *msg,
    int saved, const struct mod_alert *typed)
{
	struct mod_alert	 m;
	struct view		 vw;
	enum status		 st;

	if ((st = store_mod_alert_get(rq->site->store, rq->arena,
	    rq->sess->mod.id, &m)) != ST_OK)
		return st;
	if (typed != NULL)
		m = *typed;
	r->status = code;
	http_view(rq, &vw, 0);
	view_mod_account(&vw, &r->body, &m, msg, saved);
	return ST_OK;
}

enum status
h_mod_account_get(struct req *rq, struct resp *r)
{
	return account_page(rq, r, 200, NULL, 0, NULL);
}

enum status
h_mod_account_post(struct req *rq, struct resp *r)
{
	struct mod_alert	 typed;
	struct actor		 who;
	struct refusal		 ref;
	long long		 minutes = http_id(rq, F_MINUTES);
	enum status		 st;

	/* What was typed goes back into the form when it is refused. */
	memset(&typed, 0, sizeof(typed));
	typed.id = rq->sess->mod.id;
	typed.email = http_raw(rq, F_EMAIL);
	typed.alerts = http_raw(rq, F_ALERTS);
	typed.digest_minutes = minutes > 0 ? minutes : 60;
	if (rq->bad != F__MAX)
		return account_page(rq, r, reason_status(&rq->f[rq->bad].why),
		    reason_message(rq->arena, &rq->f[rq->bad].why), 0, &typed);
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = mail_alerts_set(rq->site, rq->arena, &who, http_str(rq, F_EMAIL),
	    http_str(rq, F_ALERTS), minutes > 0 ? minutes : 60, &ref);
	if (st == ST_INPUT)
		return account_page(rq, r, reason_status(&ref),
		    reason_message(rq->arena, &ref), 0, &typed);
	if (st != ST_OK)
		return st;
	return account_page(rq, r, 200, NULL, 1, NULL);
}

enum status
h_mod_deliveries(struct req *rq, struct resp *r)
{
	struct outbox_msg	*v;
	struct view		 vw;
	long long		 counts[4];
	size_t			 n;
	enum status		 st;

	if ((st = store_outbox_counts(rq->site->store, counts)) != ST_OK ||
	    (st = store_outbox_list(rq->site->store, rq->arena, 1,
	    DELIVERIES_PAGE, &v, &n)) != ST_OK)
		return st;
	http_view(rq, &vw, 0);
	view_mod_deliveries(&vw, &r->body, counts, v, n);
	return ST_OK;
}
