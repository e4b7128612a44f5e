/* users.c: accounts, for admins (the route rows say RF_ADMIN) */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "web/web.h"

static enum status
users_page(struct req *rq, struct resp *r, int code, const char *msg)
{
	struct moderator	*v;
	struct view		 vw;
	size_t			 n;
	enum status		 st;

	if ((st = store_mod_list(rq->site->store, rq->arena, &v, &n)) !=
	    ST_OK)
		return st;
	r->status = code;
	http_view(rq, &vw, 0);
	view_mod_users(&vw, &r->body, v, n, msg);
	return ST_OK;
}

enum status
h_mod_users_get(struct req *rq, struct resp *r)
{
	return users_page(rq, r, 200, NULL);
}

/* A refusal, or a bad field, shown on the users page. */
static enum status
refused(struct req *rq, struct resp *r, const struct refusal *ref)
{
	return users_page(rq, r, reason_status(ref),
	    reason_message(rq->arena, ref));
}

enum status
h_mod_users_post(struct req *rq, struct resp *r)
{
	const struct fval	*pw = &rq->f[F_PASSWORD];
	struct actor		 who;
	struct refusal		 ref;
	const char		*name = http_str(rq, F_NAME);
	enum status		 st;

	if (rq->bad != F__MAX) {
		http_wipe(rq, F_PASSWORD);
		return refused(rq, r, &rq->f[rq->bad].why);
	}
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = moderate_user_add(rq->site, rq->arena, &who, name, pw->s,
	    strlen(pw->s), strcmp(http_str(rq, F_ROLE), "admin") == 0, &ref);
	http_wipe(rq, F_PASSWORD);
	if (st == ST_INPUT)
		return refused(rq, r, &ref);
	if (st != ST_OK)
		return st;
	http_redirect(rq, r, "/mod/users");
	return ST_OK;
}

enum status
h_mod_user(struct req *rq, struct resp *r)
{
	const struct fval	*pw = &rq->f[F_PASSWORD];
	struct actor		 who;
	struct refusal		 ref;
	enum status		 st;

	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	if (strcmp(rq->word, "delete") == 0)
		st = moderate_user_del(rq->site, rq->arena, &who, rq->arg[0],
		    &ref);
	else if (strcmp(rq->word, "password") == 0) {
		if (pw->state != FV_OK) {
			http_wipe(rq, F_PASSWORD);
			if (pw->state == FV_ABSENT)
				field_missing(F_PASSWORD, &rq->f[F_PASSWORD]);
			return refused(rq, r, &pw->why);
		}
		st = moderate_user_passwd(rq->site, rq->arena, &who,
		    rq->arg[0], pw->s, strlen(pw->s), &ref);
		http_wipe(rq, F_PASSWORD);
	} else
		return ST_NOTFOUND;
	if (st == ST_INPUT)
		return refused(rq, r, &ref);
	if (st != ST_OK)
		return st;
	/* Your own new password ended your session too: to the login. */
	http_redirect(rq, r, "/mod/users");
	return ST_OK;
}
