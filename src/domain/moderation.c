/* moderation.c: what moderators and admins decide about comments and
 * accounts, each decision audited in the same transaction as the change
 * it records, and undone as one action */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "auth/auth.h"
#include "store/store.h"
#include "domain/comments.h"
#include "domain/moderation.h"
#include "domain/moderation_int.h"
#include "domain/outbox.h"
#include "domain/reason.h"
#include "domain/site.h"

enum status
mod_audit(struct store *s, struct actor *a, const char *action,
    const char *target, const char *before, const char *after)
{
	struct audit_entry	 e;

	memset(&e, 0, sizeof(e));
	e.at = a->now;
	e.mod = a->mod;
	e.actor = a->name;
	e.action = action;
	e.target = target;
	e.before = before;
	e.after = after;
	e.addr_hash = a->addr;
	return store_audit_add_batch(s, &e, &a->batch);
}

enum status
mod_set_status(struct store *s, const struct config *cfg, long long id,
    enum cstatus to, enum cstatus *old, long long now)
{
	enum status	 st;

	if ((st = store_comment_set_status(s, id, to, old)) != ST_OK ||
	    *old == to)
		return st;
	return outbox_status(s, cfg, id, *old, to, now);
}

/* --- comments ------------------------------------------------------------ */

struct status_job {
	const struct config	*cfg;
	struct actor		*who;
	const long long		*ids;
	size_t			 n;
	enum cstatus		 to;
	const char		*action;
	int			 skip_missing;
};

static enum status
status_job(struct store *s, void *arg)
{
	struct status_job	*j = arg;
	enum cstatus		 old;
	char			 target[40];
	size_t			 i;
	enum status		 st;

	for (i = 0; i < j->n; i++) {
		st = mod_set_status(s, j->cfg, j->ids[i], j->to, &old,
		    j->who->now);
		if (st == ST_NOTFOUND && j->skip_missing)
			continue;
		if (st != ST_OK)
			return st;
		if (old == j->to)
			continue;	/* no change, no record */
		snprintf(target, sizeof(target), "comment:%lld", j->ids[i]);
		if ((st = mod_audit(s, j->who, j->action, target,
		    cstatus_str(old), cstatus_str(j->to))) != ST_OK)
			return st;
	}
	return ST_OK;
}

enum status
moderate_status(struct site *site, struct actor *who, const long long *ids,
    size_t n, enum cstatus to, const char *action, int skip_missing)
{
	struct status_job	 j;

	who->batch = 0;
	j.cfg = site->cfg;
	j.who = who;
	j.ids = ids;
	j.n = n;
	j.to = to;
	j.action = action;
	j.skip_missing = skip_missing;
	return site_write(site, status_job, &j);
}

struct edit_job {
	struct actor		*who;
	struct arena		*arena;	/* the caller's: it waits */
	long long		 id;
	const char		*body;
	const char		*html;
};

static enum status
edit_job(struct store *s, void *arg)
{
	struct edit_job	*j = arg;
	struct comment	 c;
	char		 target[40];
	enum status	 st;

	/* Read in the transaction: "before" is exactly what was replaced. */
	if ((st = store_comment_get(s, j->arena, j->id, &c)) != ST_OK)
		return st;
	if (strcmp(c.body, j->body) == 0)
		return ST_OK;	/* the same text: nothing happened */
	if ((st = store_comment_edit(s, j->id, j->body, j->html, j->who->now,
	    j->who->mod)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "comment:%lld", j->id);
	return mod_audit(s, j->who, "edit", target, c.body, j->body);
}

enum status
moderate_edit(struct site *site, struct arena *a, struct actor *who,
    long long id, const char *body)
{
	struct edit_job	 j;

	who->batch = 0;
	memset(&j, 0, sizeof(j));
	if ((j.html = comments_render(a, body, NULL)) == NULL)
		return ST_NOMEM;
	j.who = who;
	j.arena = a;
	j.id = id;
	j.body = body;
	return site_write(site, edit_job, &j);
}

/* --- undo ---------------------------------------------------------------- */

/* What an undo restores: a comment's status or text, a ban it made. */
int
moderate_undoable(const char *action)
{
	return strcmp(action, "approve") == 0 || strcmp(action, "spam") == 0 ||
	    strcmp(action, "delete") == 0 || strcmp(action, "edit") == 0 ||
	    strcmp(action, "ban") == 0;
}

struct undo_job {
	const struct config	*cfg;
	struct actor		*who;
	struct arena		*arena;
	const struct audit_entry *v;
	const char		**html;	/* edits: the text before, rendered */
	size_t			 n;
	size_t			 undone, left;
};

/* The id in a target "kind:ID", or 0. */
static long long
target_id(const char *target, const char *kind)
{
	size_t		 n = strlen(kind);
	char		*end;
	long long	 id;

	if (strncmp(target, kind, n) != 0 || target[n] != ':')
		return 0;
	id = strtoll(target + n + 1, &end, 10);
	return *end == '\0' && id > 0 ? id : 0;
}

/* Undo one row; *done 1 when it restored something. */
static enum status
undo_row(struct store *s, struct undo_job *j, size_t i, int *done)
{
	const struct audit_entry *e = &j->v[i];
	struct comment	 c;
	struct ban	 b;
	enum cstatus	 back, old;
	long long	 id;
	enum status	 st;

	*done = 0;
	if (strcmp(e->action, "ban") == 0) {
		if ((id = target_id(e->target, "ban")) == 0)
			return ST_OK;
		if ((st = store_ban_get(s, j->arena, id, &b)) == ST_NOTFOUND)
			return ST_OK;	/* lifted since */
		if (st != ST_OK || (st = store_ban_del(s, id)) != ST_OK)
			return st;
		*done = 1;
		return mod_audit(s, j->who, "undo", e->target, e->after, NULL);
	}
	if ((id = target_id(e->target, "comment")) == 0 || e->after == NULL ||
	    e->before == NULL)
		return ST_OK;
	if ((st = store_comment_get(s, j->arena, id, &c)) == ST_NOTFOUND)
		return ST_OK;	/* its author took it back since */
	if (st != ST_OK)
		return st;
	if (strcmp(e->action, "edit") == 0) {
		/* Only the text this action wrote, not a later one. */
		if (strcmp(c.body, e->after) != 0)
			return ST_OK;
		if ((st = store_comment_edit(s, id, e->before, j->html[i],
		    j->who->now, j->who->mod)) != ST_OK)
			return st;
		*done = 1;
		return mod_audit(s, j->who, "undo", e->target, e->after,
		    e->before);
	}
	back = cstatus_parse(e->before);
	if (back == CS__MAX || c.status != cstatus_parse(e->after))
		return ST_OK;	/* decided again since */
	if ((st = mod_set_status(s, j->cfg, id, back, &old, j->who->now)) !=
	    ST_OK)
		return st;
	*done = 1;
	return mod_audit(s, j->who, "undo", e->target, cstatus_str(old),
	    cstatus_str(back));
}

static enum status
undo_job(struct store *s, void *arg)
{
	struct undo_job	*j = arg;
	size_t		 i;
	int		 done;
	enum status	 st;

	j->undone = j->left = 0;
	/* Newest first: a ban's comment comes back before the ban goes. */
	for (i = j->n; i-- > 0;) {
		if (!moderate_undoable(j->v[i].action))
			continue;
		if ((st = undo_row(s, j, i, &done)) != ST_OK)
			return st;
		if (done)
			j->undone++;
		else
			j->left++;
	}
	return ST_OK;
}

enum status
moderate_undo(struct site *site, struct arena *a, struct actor *who,
    long long batch, size_t *undone, size_t *left)
{
	struct undo_job	 j;
	struct audit_entry *v;
	size_t		 i, n, can = 0;
	enum status	 st;

	who->batch = 0;
	if (undone != NULL)
		*undone = 0;
	if (left != NULL)
		*left = 0;
	/* The rows are history: read them once, outside the transaction. */
	if ((st = store_audit_batch(site->store, a, batch, who->mod, &v,
	    &n)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	if ((j.html = arena_calloc(a, n + 1, sizeof(*j.html))) == NULL)
		return ST_NOMEM;
	for (i = 0; i < n; i++) {
		if (!moderate_undoable(v[i].action))
			continue;
		can++;
		if (strcmp(v[i].action, "edit") == 0 && v[i].before != NULL &&
		    (j.html[i] = comments_render(a, v[i].before, NULL)) ==
		    NULL)
			return ST_NOMEM;
	}
	if (can == 0)
		return ST_NOTFOUND;
	j.cfg = site->cfg;
	j.who = who;
	j.arena = a;
	j.v = v;
	j.n = n;
	if ((st = site_write(site, undo_job, &j)) != ST_OK)
		return st;
	if (undone != NULL)
		*undone = j.undone;
	if (left != NULL)
		*left = j.left;
	return ST_OK;
}

/* --- accounts ------------------------------------------------------------ */


enum status
moderate_password_hash(struct site *site, const char *name, const char *pw,
    size_t n, char *out, struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	enum text_err		 e;

	memset(ref, 0, sizeof(*ref));
	if ((e = text_password_ok(pw, n, name)) != TEXT_OK)
		return refuse_text(ref, "password", TEXT_PASSWORD, e, 0, 0);
	if (auth_password_hash(pw, n, (unsigned long long)cfg->pwhash_ops,
	    (size_t)cfg->pwhash_mem, out) == -1)
		return ST_NOMEM;
	return ST_OK;
}

struct user_job {
	struct actor		*who;
	struct arena		*arena;
	long long		 id;		/* delete, password */
	const char		*name;		/* add; the others fill it */
	const char		*hash;		/* add, password */
	int			 admin;		/* add */
};

static enum status
user_add_job(struct store *s, void *arg)
{
	struct user_job	*j = arg;
	const char	*target;
	enum status	 st;

	if ((st = store_mod_add(s, j->name, j->hash, j->admin, j->who->now,
	    &j->id)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", j->name)) == NULL)
		return ST_NOMEM;
	return mod_audit(s, j->who, "user-add", target, NULL,
	    j->admin ? "admin" : "moderator");
}

enum status
moderate_user_add(struct site *site, struct arena *a, struct actor *who,
    const char *name, const char *pw, size_t n, int admin,
    struct refusal *ref)
{
	struct user_job	 j;
	char		 hash[AUTH_HASH_MAX];
	enum status	 st;

	memset(&j, 0, sizeof(j));
	if ((st = moderate_password_hash(site, name, pw, n, hash, ref)) !=
	    ST_OK)
		return st;
	j.who = who;
	j.arena = a;
	j.name = name;
	j.hash = hash;
	j.admin = admin;
	who->batch = 0;
	st = site_write(site, user_add_job, &j);
	auth_wipe(hash, sizeof(hash));
	if (st == ST_CONFLICT)
		return refuse(ref, RS_NAME_TAKEN, "name");
	return st;
}

/* Checked in the transaction, so two admins deleting each other at once
 * cannot leave none. */
static enum status
user_del_job(struct store *s, void *arg)
{
	struct user_job		*j = arg;
	struct moderator	 m;
	long long		 admins = 0;
	const char		*target;
	enum status		 st;

	if ((st = store_mod_by_id(s, j->arena, j->id, &m)) != ST_OK)
		return st;
	j->name = m.name;
	if (m.admin && ((st = store_mod_count_admins(s, &admins)) != ST_OK ||
	    admins <= 1))
		return st != ST_OK ? st : ST_CONFLICT;
	if ((st = store_mod_del(s, j->id)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", m.name)) == NULL)
		return ST_NOMEM;
	return mod_audit(s, j->who, "user-del", target, NULL, NULL);
}

enum status
moderate_user_del(struct site *site, struct arena *a, struct actor *who,
    long long id, struct refusal *ref)
{
	struct user_job	 j;
	enum status	 st;

	memset(ref, 0, sizeof(*ref));
	if (who->mod > 0 && id == who->mod)
		return refuse(ref, RS_SELF, NULL);
	memset(&j, 0, sizeof(j));
	j.who = who;
	j.arena = a;
	j.id = id;
	who->batch = 0;
	if ((st = site_write(site, user_del_job, &j)) == ST_CONFLICT)
		return refuse(ref, RS_LAST_ADMIN, NULL);
	return st;
}

static enum status
user_passwd_job(struct store *s, void *arg)
{
	struct user_job	*j = arg;
	const char	*target;
	enum status	 st;

	/* Their sessions end with the old password. */
	if ((st = store_mod_set_hash(s, j->id, j->hash, 0)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", j->name)) == NULL)
		return ST_NOMEM;
	return mod_audit(s, j->who, "user-passwd", target, NULL, NULL);
}

enum status
moderate_user_passwd(struct site *site, struct arena *a,
    struct actor *who, long long id, const char *pw, size_t n,
    struct refusal *ref)
{
	struct moderator m;
	struct user_job	 j;
	char		 hash[AUTH_HASH_MAX];
	enum status	 st;

	memset(&j, 0, sizeof(j));
	if ((st = store_mod_by_id(site->store, a, id, &m)) != ST_OK)
		return st;
	if ((st = moderate_password_hash(site, m.name, pw, n, hash, ref)) !=
	    ST_OK)
		return st;
	j.who = who;
	j.arena = a;
	j.id = id;
	j.name = m.name;
	j.hash = hash;
	who->batch = 0;
	st = site_write(site, user_passwd_job, &j);
	auth_wipe(hash, sizeof(hash));
	return st;
}

/* --- the audit log, on its own ------------------------------------------- */

struct audit_job {
	struct actor		*who;
	const char		*action, *target, *before, *after;
};

static enum status
audit_job(struct store *s, void *arg)
{
	struct audit_job *j = arg;

	return mod_audit(s, j->who, j->action, j->target, j->before,
	    j->after);
}

enum status
moderate_audit(struct site *site, struct actor *who, const char *action,
    const char *target, const char *before, const char *after)
{
	struct audit_job j;

	j.who = who;
	j.action = action;
	j.target = target;
	j.before = before;
	j.after = after;
	who->batch = 0;
	return site_write(site, audit_job, &j);
}
