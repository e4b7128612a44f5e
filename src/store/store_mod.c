/* store_mod.c: the moderators' storage: accounts, sessions, throttling, audit, queue, bans */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- moderators ---------------------------------------------------------- */

static int
read_mod(struct arena *a, struct dbstmt *st, int i, struct moderator *m)
{
	int	 nomem = 0;

	memset(m, 0, sizeof(*m));
	m->id = db_col_int(st, i);
	m->name = db_col_text(a, st, i + 1, &nomem);
	m->hash = db_col_text(a, st, i + 2, &nomem);
	m->admin = (int)db_col_int(st, i + 3);
	m->created = db_col_int(st, i + 4);
	m->last_login = db_col_int(st, i + 5);
	return nomem ? -1 : 0;
}

enum status
store_mod_add(struct store *s, const char *name, const char *hash, int admin,
    long long now, long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_MOD_ADD);

	db_text(st, ":name", name);
	db_text(st, ":hash", hash);
	db_text(st, ":role", admin ? "admin" : "moderator");
	db_int(st, ":now", now);
	return db_insert(s, st, "moderator add", id);
}

/* A moderator's row on its own (read_mod from column 0), for db_row(s). */
static int
read_mod_row(struct arena *a, struct dbstmt *st, void *m)
{
	return read_mod(a, st, 0, m);
}

enum status
store_mod_by_name(struct store *s, struct arena *a, const char *name,
    struct moderator *m)
{
	struct dbstmt	*st = db_get(s, STMT_MOD_BY_NAME);

	db_text(st, ":name", name);
	return db_row(s, a, st, "moderator get", read_mod_row, m);
}

enum status
store_mod_by_id(struct store *s, struct arena *a, long long id,
    struct moderator *m)
{
	struct dbstmt	*st = db_get(s, STMT_MOD_BY_ID);

	db_int(st, ":id", id);
	return db_row(s, a, st, "moderator get", read_mod_row, m);
}

enum status
store_mod_list(struct store *s, struct arena *a, struct moderator **vp,
    size_t *np)
{
	void		*v;
	enum status	 rv;

	rv = db_rows(s, a, db_get(s, STMT_MOD_LIST), "moderator list",
	    sizeof(**vp), read_mod_row, &v, np);
	*vp = v;
	return rv;
}

enum status
store_mod_del(struct store *s, long long id)
{
	struct dbstmt	*st = db_get(s, STMT_MOD_DEL);
	enum status	 rv;

	db_int(st, ":id", id);
	if ((rv = db_done(s, st, "moderator del")) != ST_OK)
		return rv;
	return db_changes(s) == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_mod_set_hash(struct store *s, long long id, const char *hash,
    int keep_sessions)
{
	struct dbstmt	*st = db_get(s, STMT_MOD_SET_HASH);
	enum status	 rv;

	db_int(st, ":id", id);
	db_text(st, ":hash", hash);
	if ((rv = db_done(s, st, "moderator password")) != ST_OK)
		return rv;
	if (db_changes(s) == 0)
		return ST_NOTFOUND;
	if (keep_sessions)
		return ST_OK;
	st = db_get(s, STMT_MOD_SESSIONS_DEL);
	db_int(st, ":id", id);
	return db_done(s, st, "moderator sessions");
}

enum status
store_mod_login(struct store *s, long long id, long long now)
{
	struct dbstmt	*st = db_get(s, STMT_MOD_LOGIN);

	db_int(st, ":id", id);
	db_int(st, ":now", now);
	return db_done(s, st, "moderator login");
}

enum status
store_mod_count_admins(struct store *s, long long *n)
{
	enum status	 rv;

	/* Counted, then an admin removed: two at once on two hosts must
	 * not leave none. */
	if ((rv = s->drv->xlock(s, "admins")) != ST_OK)
		return rv;
	return db_one_int(s, db_get(s, STMT_MOD_COUNT_ADMINS), "count admins", n);
}

/* --- sessions ------------------------------------------------------------ */

enum status
store_session_add(struct store *s, const unsigned char h[32], long long mod,
    long long now, long long expires, const char *csrf)
{
	struct dbstmt	*st = db_get(s, STMT_SESSION_ADD);

	db_blob(st, ":h", h, 32);
	db_int(st, ":mod", mod);
	db_int(st, ":now", now);
	db_int(st, ":expires", expires);
	db_text(st, ":csrf", csrf);
	return db_done(s, st, "session add");
}

enum status
store_session_get(struct store *s, struct arena *a, const unsigned char h[32],
    long long now, long long idle_since, struct session *se)
{
	struct dbstmt	*st = db_get(s, STMT_SESSION_GET);
	int		 rc, nomem = 0;

	db_blob(st, ":h", h, 32);
	db_int(st, ":now", now);
	db_int(st, ":idle_since", idle_since);
	if ((rc = db_step(st)) != STEP_ROW) {
		db_reset(st);
		return rc == STEP_DONE ? ST_NOTFOUND :
		    db_fail(s, "session get");
	}
	memset(se, 0, sizeof(*se));
	se->created = db_col_int(st, 0);
	se->seen = db_col_int(st, 1);
	se->expires = db_col_int(st, 2);
	se->csrf = db_col_text(a, st, 3, &nomem);
	if (read_mod(a, st, 4, &se->mod) == -1 || se->csrf == NULL)
		nomem = 1;
	db_reset(st);
	return nomem ? ST_NOMEM : ST_OK;
}

enum status
store_session_touch(struct store *s, const unsigned char h[32], long long now)
{
	struct dbstmt	*st = db_get(s, STMT_SESSION_TOUCH);

	db_blob(st, ":h", h, 32);
	db_int(st, ":now", now);
	return db_done(s, st, "session touch");
}

enum status
store_session_del(struct store *s, const unsigned char h[32])
{
	struct dbstmt	*st = db_get(s, STMT_SESSION_DEL);

	db_blob(st, ":h", h, 32);
	return db_done(s, st, "session del");
}

/* --- login throttling ---------------------------------------------------- */

enum status
store_login_failures(struct store *s, const char *name,
    const struct addr_keys *k, long long since, struct login_counts *c)
{
	struct dbstmt	*st;
	enum status	 rv;
	int		 rc;

	memset(c, 0, sizeof(*c));
	/* Counted, then an attempt reserved: one at a time across hosts,
	 * so parallel attempts cannot all slip under the limit. */
	if ((rv = s->drv->xlock(s, "login")) != ST_OK)
		return rv;
	st = db_get(s, STMT_LOGIN_FAIL_PAIR);
	db_text(st, ":name", name);
	db_bind_keys(st, k);
	db_int(st, ":since", since);
	if ((rv = db_one_int(s, st, "login failures", &c->pair)) != ST_OK)
		return rv;
	st = db_get(s, STMT_LOGIN_FAIL_NET);
	db_bind_keys(st, k);
	db_int(st, ":since", since);
	if ((rv = db_one_int(s, st, "login failures", &c->net)) != ST_OK)
		return rv;
	st = db_get(s, STMT_LOGIN_FAIL_NAME);
	db_text(st, ":name", name);
	db_int(st, ":since", since);
	if ((rc = db_step(st)) == STEP_ROW) {
		c->name = db_col_int(st, 0);
		c->name_last = db_col_int(st, 1);
	}
	db_reset(st);
	return rc == STEP_ROW ? ST_OK : db_fail(s, "login failures");
}

enum status
store_login_failure_add(struct store *s, const char *name,
    const struct addr_keys *k, long long now, long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_LOGIN_FAIL_ADD);

	db_text(st, ":name", name);
	db_bind_keys(st, k);
	db_int(st, ":now", now);
	return db_insert(s, st, "login failure", id);
}

enum status
store_login_failure_del(struct store *s, long long id)
{
	struct dbstmt	*st = db_get(s, STMT_LOGIN_FAIL_DEL);

	db_int(st, ":id", id);
	return db_done(s, st, "login failure del");
}

enum status
store_login_failures_clear(struct store *s, const char *name,
    const struct addr_keys *k)
{
	struct dbstmt	*st = db_get(s, STMT_LOGIN_FAIL_CLEAR);

	db_text(st, ":name", name);
	db_bind_keys(st, k);
	return db_done(s, st, "login failures clear");
}

/* --- audit --------------------------------------------------------------- */

enum status
store_audit_add(struct store *s, long long mod, const char *actor,
    const char *action, const char *target, const char *before,
    const char *after, const char *addr_hash, long long now)
{
	struct dbstmt	*st = db_get(s, STMT_AUDIT_ADD);

	db_int(st, ":now", now);
	if (mod > 0)
		db_int(st, ":mod", mod);
	db_text(st, ":actor", actor);
	db_text(st, ":action", action);
	db_text(st, ":target", target != NULL ? target : "");
	db_text(st, ":before", before);
	db_text(st, ":after", after);
	db_text(st, ":addr_hash", addr_hash);
	return db_done(s, st, "audit");
}

enum status
store_audit_add_batch(struct store *s, const struct audit_entry *e,
    long long *batch)
{
	struct dbstmt	*st = db_get(s, STMT_AUDIT_ADD);
	long long	 id = 0;
	enum status	 rv;

	db_int(st, ":now", e->at);
	if (e->mod > 0)
		db_int(st, ":mod", e->mod);
	db_text(st, ":actor", e->actor);
	db_text(st, ":action", e->action);
	db_text(st, ":target", e->target != NULL ? e->target : "");
	db_text(st, ":before", e->before);
	db_text(st, ":after", e->after);
	db_text(st, ":addr_hash", e->addr_hash);
	if (*batch > 0)
		db_int(st, ":batch", *batch);
	if ((rv = db_insert(s, st, "audit", &id)) != ST_OK)
		return rv;
	if (*batch == 0)
		*batch = id;
	return ST_OK;
}

/* --- the queue ----------------------------------------------------------- */

int
db_read_queue_item(struct arena *a, struct dbstmt *st, void *p)
{
	struct queue_item	*it = p;
	int			 nomem = 0;

	memset(it, 0, sizeof(*it));
	if (db_read_comment(a, st, &it->c) == -1)
		nomem = 1;
	it->article_title = db_col_text(a, st, 19, &nomem);
	it->article_uri = db_col_text(a, st, 20, &nomem);
	it->parent_author = db_col_text(a, st, 21, &nomem);
	it->parent_html = db_col_text(a, st, 22, &nomem);
	it->parent_status = cstatus_parse(db_col_str(st, 23));
	return nomem ? -1 : 0;
}

enum status
store_queue(struct store *s, struct arena *a, const struct queue_query *qq,
    struct queue_item **vp, size_t *np)
{
	struct dbstmt	*st;
	void		*v;
	const char	*q = NULL;
	enum status	 rv;
	int		 nomem = 0;

	*vp = NULL;
	*np = 0;
	if (qq->q != NULL && (q = s->drv->search(a, qq->q, &nomem)) == NULL &&
	    nomem)
		return ST_NOMEM;
	st = db_get(s, qq->oldest_first ? STMT_QUEUE_ASC : STMT_QUEUE_DESC);
	db_text(st, ":status", cstatus_str(qq->status));
	db_int(st, ":article", qq->article);
	db_text(st, ":q", q);
	db_int(st, ":cursor", qq->cursor);
	db_int(st, ":limit", qq->limit);
	rv = db_rows(s, a, st, "queue", sizeof(**vp), db_read_queue_item, &v,
	    np);
	*vp = v;
	return rv;
}

enum status
store_queue_counts(struct store *s, long long article,
    long long counts[CS__MAX])
{
	struct dbstmt	*st = db_get(s, STMT_QUEUE_COUNTS);
	enum cstatus	 cs;
	int		 rc;

	memset(counts, 0, sizeof(long long) * CS__MAX);
	db_int(st, ":article", article);
	while ((rc = db_step(st)) == STEP_ROW) {
		cs = cstatus_parse(db_col_str(st, 0));
		if (cs != CS__MAX)
			counts[cs] = db_col_int(st, 1);
	}
	db_reset(st);
	if (rc != STEP_DONE)
		return db_fail(s, "queue counts");
	return ST_OK;
}

enum status
store_comment_set_status(struct store *s, long long id, enum cstatus to,
    enum cstatus *oldp)
{
	struct dbstmt	*st = db_get(s, STMT_COMMENT_LOCK);
	enum cstatus	 old;
	long long	 article;
	enum status	 rv;
	int		 rc, delta;

	db_int(st, ":id", id);
	if ((rc = db_step(st)) != STEP_ROW) {
		db_reset(st);
		return rc == STEP_DONE ? ST_NOTFOUND : db_fail(s, "comment get");
	}
	article = db_col_int(st, 1);
	old = cstatus_parse(db_col_str(st, 10));
	db_reset(st);
	if (oldp != NULL)
		*oldp = old;
	/* Decided by a moderator (approving a published comment too):
	 * readers' open reports of it are answered. */
	if (to != CS_PENDING && (rv = store_reports_settle(s, id)) != ST_OK)
		return rv;
	if (old == to)
		return ST_OK;
	st = db_get(s, STMT_COMMENT_SET_STATUS);
	db_int(st, ":id", id);
	db_text(st, ":status", cstatus_str(to));
	if ((rv = db_done(s, st, "comment status")) != ST_OK)
		return rv;
	delta = (to == CS_APPROVED) - (old == CS_APPROVED);
	if ((rv = db_bump(s, article, delta)) != ST_OK)
		return rv;
	/* A moderator correcting the spam verdict teaches the hook; one
	 * taking back a correction not yet told (an undo, a second thought)
	 * withdraws it instead, and the hook hears nothing. */
	if (old == CS_SPAM || to == CS_SPAM) {
		const char	*tell = to == CS_SPAM ? "submit-spam" :
		    to == CS_APPROVED ? "submit-ham" : NULL;

		st = db_get(s, STMT_FEEDBACK_WITHDRAW);
		db_int(st, ":comment", id);
		db_text(st, ":kind", to == CS_SPAM ? "submit-ham" :
		    "submit-spam");
		if ((rv = db_done(s, st, "feedback withdraw")) != ST_OK)
			return rv;
		if (tell != NULL && db_changes(s) == 0) {
			st = db_get(s, STMT_FEEDBACK_ADD);
			db_text(st, ":kind", tell);
			db_int(st, ":now", (long long)time(NULL));
			db_int(st, ":comment", id);
			if ((rv = db_done(s, st, "feedback add")) != ST_OK)
				return rv;
		}
	}
	/* Decided: the hook's input (the poster's address among it) goes
	 * now, unless a correction still has to be told to the hook. */
	return store_spam_check_done(s, id);
}

/* --- bans ---------------------------------------------------------------- */

enum status
store_ban_add(struct store *s, const char *kind, const char *value,
    const char *reason, long long now, long long expires, long long mod,
    long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_BAN_ADD);

	db_text(st, ":kind", kind);
	db_text(st, ":value", value);
	db_text(st, ":reason", reason != NULL ? reason : "");
	db_int(st, ":now", now);
	if (expires > 0)
		db_int(st, ":expires", expires);
	if (mod > 0)
		db_int(st, ":mod", mod);
	return db_insert(s, st, "ban add", id);
}

int
db_read_ban(struct arena *a, struct dbstmt *st, void *p)
{
	struct ban	*b = p;
	int		 nomem = 0;

	memset(b, 0, sizeof(*b));
	b->id = db_col_int(st, 0);
	b->kind = db_col_text(a, st, 1, &nomem);
	b->value = db_col_text(a, st, 2, &nomem);
	b->reason = db_col_text(a, st, 3, &nomem);
	b->created = db_col_int(st, 4);
	b->expires = db_col_int(st, 5);
	b->by = db_col_text(a, st, 6, &nomem);
	if (b->reason == NULL)
		b->reason = "";
	return nomem || b->kind == NULL || b->value == NULL ? -1 : 0;
}

enum status
store_ban_list(struct store *s, struct arena *a, long long now,
    struct ban **vp, size_t *np)
{
	struct dbstmt	*st = db_get(s, STMT_BAN_LIST);
	void		*v;
	enum status	 rv;

	db_int(st, ":now", now);
	rv = db_rows(s, a, st, "ban list", sizeof(**vp), db_read_ban, &v, np);
	*vp = v;
	return rv;
}

enum status
store_ban_del(struct store *s, long long id)
{
	struct dbstmt	*st = db_get(s, STMT_BAN_DEL);
	enum status	 rv;

	db_int(st, ":id", id);
	if ((rv = db_done(s, st, "ban del")) != ST_OK)
		return rv;
	return db_changes(s) == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_ban_match(struct store *s, const char *email,
    const struct addr_keys *k, const char *prefix, long long now, int *hit)
{
	struct dbstmt	*st = db_get(s, STMT_BAN_MATCH);
	long long	 v = 0;
	enum status	 rv;

	db_int(st, ":now", now);
	db_text(st, ":email", email);
	db_bind_keys(st, k);
	db_text(st, ":prefix", prefix);
	rv = db_one_int(s, st, "ban match", &v);
	*hit = v != 0;
	return rv;
}

