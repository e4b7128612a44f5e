/* bans.c: the moderators' bans: the list, adding and lifting, and a ban
 * asked for from a comment in the queue */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
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
	if ((st = mod_view(rq, &vw, "/mod/bans")) != ST_OK)
		return st;
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
	return mod_done(rq, r, "/mod/bans", &who);
}

enum status
h_mod_ban_delete(struct req *rq, struct resp *r)
{
	struct actor		 who;
	struct mod_confirm	 c;
	struct ban		 b;
	const char		*item;
	enum status		 st;

	if (http_str(rq, F_CONFIRM) == NULL) {
		/* Asked without the form's question: ask it here. */
		if ((st = store_ban_get(rq->site->store, rq->arena,
		    rq->arg[0], &b)) != ST_OK)
			return st;
		memset(&c, 0, sizeof(c));
		if ((item = moderate_ban_describe(rq->arena, b.kind, b.value,
		    b.expires, b.reason)) == NULL ||
		    (c.action = arena_printf(rq->arena, "/mod/bans/%lld/delete",
		    b.id)) == NULL)
			return ST_NOMEM;
		c.title = "Remove this ban?";
		c.question = "Readers it matches may post again at once.";
		c.yes = "Yes, remove the ban";
		c.cancel = "/mod/bans";
		c.items = &item;
		c.nitems = 1;
		return mod_confirm_page(rq, r, &c);
	}
	if ((st = mod_actor(rq, &who)) != ST_OK ||
	    (st = moderate_unban(rq->site, rq->arena, &who, rq->arg[0])) !=
	    ST_OK)
		return st;
	return mod_done(rq, r, "/mod/bans", &who);
}

/* --- a ban from a comment ------------------------------------------------ */

static enum status
ban_comment_page(struct req *rq, struct resp *r, int code,
    const struct queue_item *it, const char *error)
{
	struct mod_ban_comment	 f;
	struct view		 vw;
	const char		*then = http_raw(rq, F_THEN);

	memset(&f, 0, sizeof(f));
	f.it = it;
	f.kind = http_str(rq, F_KIND);
	f.value = strcmp(f.kind, "email") == 0 ? it->c.email : it->c.addr_hash;
	/* What a moderator means most often, all said on the form: a
	 * month, and the comment to spam (unless it is there). */
	f.days = rq->method == M_POST ? http_raw(rq, F_DAYS) : "30";
	if (f.days == NULL)
		f.days = "";
	f.reason = rq->method == M_POST ? http_raw(rq, F_REASON) : "Spam";
	f.then = then != NULL ? then : it->c.status == CS_SPAM ? "keep" :
	    "spam";
	f.back = http_str(rq, F_BACK);
	f.key_days = rq->site->cfg->addr_key_days;
	f.error = error;
	r->status = code;
	http_view(rq, &vw, 0);
	view_mod_ban_comment(&vw, &r->body, &f);
	return ST_OK;
}

/* The comment, and the value its kind of ban would take from it; a
 * refusal answered when it has none. */
static enum status
ban_subject(struct req *rq, struct resp *r, struct queue_item *it, int *done)
{
	struct refusal	 ref;
	const char	*kind = http_str(rq, F_KIND), *value;
	enum status	 st;

	*done = 0;
	if ((st = store_queue_one(rq->site->store, rq->arena, rq->arg[0],
	    it)) != ST_OK)
		return st;
	if (kind == NULL || strcmp(kind, "prefix") == 0) {
		*done = 1;
		http_error(rq, r, 422, "Ban the comment's e-mail (kind=email) "
		    "or its address (kind=addr_hash).");
		return ST_OK;
	}
	value = strcmp(kind, "email") == 0 ? it->c.email : it->c.addr_hash;
	if (value == NULL || *value == '\0') {
		*done = 1;
		refuse(&ref, strcmp(kind, "email") == 0 ? RS_NO_EMAIL :
		    RS_NO_ADDR, "kind");
		http_refused(rq, r, &ref);
	}
	return ST_OK;
}

enum status
h_mod_ban_form(struct req *rq, struct resp *r)
{
	struct queue_item	 it;
	enum status		 st;
	int			 done;

	if ((st = ban_subject(rq, r, &it, &done)) != ST_OK || done)
		return st;
	return ban_comment_page(rq, r, 200, &it, NULL);
}

enum status
h_mod_ban_comment(struct req *rq, struct resp *r)
{
	struct queue_item	 it;
	struct ban_request	 br;
	struct actor		 who;
	struct refusal		 ref;
	const char		*then;
	enum status		 st;
	int			 done;

	/* A kind that is no kind: refused before anything is read. */
	if (rq->bad == F_KIND) {
		http_refused(rq, r, &rq->f[F_KIND].why);
		return ST_OK;
	}
	if ((st = ban_subject(rq, r, &it, &done)) != ST_OK || done)
		return st;
	if (rq->bad != F__MAX)
		return ban_comment_page(rq, r, reason_status(&rq->f[rq->bad].why),
		    &it, reason_message(rq->arena, &rq->f[rq->bad].why));
	memset(&br, 0, sizeof(br));
	br.kind = http_str(rq, F_KIND);
	br.reason = http_str(rq, F_REASON);
	br.days = http_id(rq, F_DAYS);
	then = http_str(rq, F_THEN);
	br.then = strcmp(then, "spam") == 0 ? CS_SPAM :
	    strcmp(then, "delete") == 0 ? CS_DELETED : CS__MAX;
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = moderate_ban_comment(rq->site, rq->arena, &who, rq->arg[0], &br,
	    &ref);
	if (st == ST_INPUT)
		return ban_comment_page(rq, r, reason_status(&ref), &it,
		    reason_message(rq->arena, &ref));
	if (st != ST_OK)
		return st;
	return mod_done(rq, r, "/mod/", &who);
}
