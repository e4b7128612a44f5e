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
	if ((st = mod_view(rq, &vw, "/mod/users")) != ST_OK)
		return st;
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
	return mod_done(rq, r, "/mod/users", &who);
}

/* Deleting an account asks first when the form did not. */
static enum status
ask_delete(struct req *rq, struct resp *r)
{
	struct moderator	 m;
	struct mod_confirm	 c;
	const char		*item;
	enum status		 st;

	if ((st = store_mod_by_id(rq->site->store, rq->arena, rq->arg[0],
	    &m)) != ST_OK)
		return st;
	memset(&c, 0, sizeof(c));
	if ((item = arena_printf(rq->arena, "%s (%s)", m.name, m.admin ?
	    "admin" : "moderator")) == NULL ||
	    (c.action = arena_printf(rq->arena, "/mod/users/%lld/delete",
	    m.id)) == NULL)
		return ST_NOMEM;
	c.title = "Delete this account?";
	c.question = "Their sessions end now; what they did stays in the "
	    "audit log.";
	c.yes = "Yes, delete the account";
	c.cancel = "/mod/users";
	c.items = &item;
	c.nitems = 1;
	return mod_confirm_page(rq, r, &c);
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
	if (strcmp(rq->word, "delete") == 0) {
		if (http_str(rq, F_CONFIRM) == NULL)
			return ask_delete(rq, r);
		st = moderate_user_del(rq->site, rq->arena, &who, rq->arg[0],
		    &ref);
	}
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
	return mod_done(rq, r, "/mod/users", &who);
}
