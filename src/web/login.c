/* login.c: the moderators' login and logout */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/config.h"
#include "auth/auth.h"
#include "render/views.h"
#include "domain/login.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "http/session.h"
#include "web/web.h"

/* The login page, with a fresh pre-session cookie when there is none. */
static enum status
login_page(struct req *rq, struct resp *r, int code, const char *msg,
    const char *name)
{
	char		 csrf[AUTH_RANDOM_LEN], fresh[AUTH_RANDOM_LEN];
	const char	*ck = kv_get(&rq->cookies, SESSION_LOGIN_COOKIE);
	struct view	 v;

	if (ck == NULL || strlen(ck) != AUTH_RANDOM_LEN - 1) {
		auth_random_token(fresh);
		http_session_cookie(rq, r, 1, fresh, 3600);
		ck = fresh;
	}
	auth_login_csrf(rq->site->secret, ck, csrf);
	r->status = code;
	http_view(rq, &v, 0);
	view_login(&v, &r->body, csrf, msg, name);
	return ST_OK;
}

enum status
h_mod_login_get(struct req *rq, struct resp *r)
{
	if (rq->sess != NULL) {
		http_redirect(rq, r, "/mod/");
		return ST_OK;
	}
	return login_page(rq, r, 200, NULL, NULL);
}

enum status
h_mod_login_post(struct req *rq, struct resp *r)
{
	struct login_ok		 ok;
	struct refusal		 ref;
	char			 want[AUTH_RANDOM_LEN];
	const struct fval	*pw = &rq->f[F_PASSWORD];
	const char		*name, *ck, *given;
	const struct addr_keys	*keys;
	enum status		 st;

	/* The name as typed goes back into the form, whatever it is. */
	name = http_raw(rq, F_NAME);
	given = http_str(rq, F_CSRF);
	ck = kv_get(&rq->cookies, SESSION_LOGIN_COOKIE);
	if (ck == NULL || given == NULL || !http_same_origin(rq))
		return login_page(rq, r, 403, _("The login form expired; "
		    "please try again."), name);
	auth_login_csrf(rq->site->secret, ck, want);
	if (!auth_equal_str(given, want))
		return login_page(rq, r, 403, _("The login form expired; "
		    "please try again."), name);
	if (rq->f[F_NAME].state != FV_OK || pw->state != FV_OK)
		return login_page(rq, r, 422, _("Please give your name and "
		    "password."), name);
	if ((keys = http_addr_keys(rq)) == NULL)
		return ST_NOMEM;
	st = login_attempt(rq->site, rq->arena, http_str(rq, F_NAME), pw->s,
	    strlen(pw->s), keys, &ok, &ref);
	http_wipe(rq, F_PASSWORD);
	if (st == ST_INPUT) {
		if (ref.retry > 0)
			http_headerf(r, "Retry-After", "%ld", ref.retry);
		return login_page(rq, r, reason_status(&ref),
		    reason_message(rq->arena, &ref), name);
	}
	if (st != ST_OK)
		return st;
	http_session_cookie(rq, r, 0, ok.token, rq->site->cfg->session_max);
	http_session_cookie(rq, r, 1, "", 0);
	auth_wipe(&ok, sizeof(ok));
	http_redirect(rq, r, "/mod/");
	return ST_OK;
}

enum status
h_mod_logout(struct req *rq, struct resp *r)
{
	const char	*addr;
	enum status	 st;

	if ((addr = http_addr_hash(rq)) == NULL)
		return ST_NOMEM;
	if ((st = login_end(rq->site, rq->sess_token, rq->sess->mod.id,
	    rq->sess->mod.name, addr)) != ST_OK)
		return st;
	http_session_cookie(rq, r, 0, "", 0);
	http_redirect(rq, r, "/mod/login");
	return ST_OK;
}
