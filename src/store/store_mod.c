/* store_mod.c: the moderators' storage: accounts, sessions, throttling, audit, queue, bans */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/vec.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- moderators ---------------------------------------------------------- */

static int
read_mod(struct arena *a, sqlite3_stmt *st, int i, struct moderator *m)
{
	int	 nomem = 0;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, i);
	m->name = sq_col_text(a, st, i + 1, &nomem);
	m->hash = sq_col_text(a, st, i + 2, &nomem);
	m->admin = sqlite3_column_int(st, i + 3);
	m->created = sqlite3_column_int64(st, i + 4);
	m->last_login = sqlite3_column_int64(st, i + 5);
	return nomem ? -1 : 0;
}

enum status
store_mod_add(struct store *s, const char *name, const char *hash, int admin,
    long long now, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_ADD);
	int		 rc;

	sq_bind_text(st, ":name", name);
	sq_bind_text(st, ":hash", hash);
	sq_bind_text(st, ":role", admin ? "admin" : "moderator");
	sq_bind_int(st, ":now", now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "moderator add");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

static enum status
mod_one(struct store *s, sqlite3_stmt *st, struct arena *a,
    struct moderator *m)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "moderator get");
	}
	rc = read_mod(a, st, 0, m);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_mod_by_name(struct store *s, struct arena *a, const char *name,
    struct moderator *m)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_BY_NAME);

	sq_bind_text(st, ":name", name);
	return mod_one(s, st, a, m);
}

enum status
store_mod_by_id(struct store *s, struct arena *a, long long id,
    struct moderator *m)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_BY_ID);

	sq_bind_int(st, ":id", id);
	return mod_one(s, st, a, m);
}

enum status
store_mod_list(struct store *s, struct arena *a, struct moderator **vp,
    size_t *np)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_LIST);
	struct moderator *v = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL ||
		    read_mod(a, st, 0, &v[n++]) == -1) {
			sqlite3_reset(st);
			return ST_NOMEM;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "moderator list");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_mod_del(struct store *s, long long id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_DEL);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	if ((rv = sq_done(s, st, "moderator del")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_mod_set_hash(struct store *s, long long id, const char *hash,
    int keep_sessions)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_SET_HASH);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":hash", hash);
	if ((rv = sq_done(s, st, "moderator password")) != ST_OK)
		return rv;
	if (sqlite3_changes(s->db) == 0)
		return ST_NOTFOUND;
	if (keep_sessions)
		return ST_OK;
	st = sq_get(s, STMT_MOD_SESSIONS_DEL);
	sq_bind_int(st, ":id", id);
	return sq_done(s, st, "moderator sessions");
}

enum status
store_mod_login(struct store *s, long long id, long long now)
{
	sqlite3_stmt	*st = sq_get(s, STMT_MOD_LOGIN);

	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "moderator login");
}

enum status
store_mod_count_admins(struct store *s, long long *n)
{
	return sq_one_int(s, sq_get(s, STMT_MOD_COUNT_ADMINS), "count admins", n);
}

/* --- sessions ------------------------------------------------------------ */

enum status
store_session_add(struct store *s, const unsigned char h[32], long long mod,
    long long now, long long expires, const char *csrf)
{
	sqlite3_stmt	*st = sq_get(s, STMT_SESSION_ADD);

	sq_bind_blob(st, ":h", h, 32);
	sq_bind_int(st, ":mod", mod);
	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":expires", expires);
	sq_bind_text(st, ":csrf", csrf);
	return sq_done(s, st, "session add");
}

enum status
store_session_get(struct store *s, struct arena *a, const unsigned char h[32],
    long long now, long long idle_since, struct session *se)
{
	sqlite3_stmt	*st = sq_get(s, STMT_SESSION_GET);
	int		 rc, nomem = 0;

	sq_bind_blob(st, ":h", h, 32);
	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":idle_since", idle_since);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "session get");
	}
	memset(se, 0, sizeof(*se));
	se->created = sqlite3_column_int64(st, 0);
	se->seen = sqlite3_column_int64(st, 1);
	se->expires = sqlite3_column_int64(st, 2);
	se->csrf = sq_col_text(a, st, 3, &nomem);
	if (read_mod(a, st, 4, &se->mod) == -1 || se->csrf == NULL)
		nomem = 1;
	sqlite3_reset(st);
	return nomem ? ST_NOMEM : ST_OK;
}

enum status
store_session_touch(struct store *s, const unsigned char h[32], long long now)
{
	sqlite3_stmt	*st = sq_get(s, STMT_SESSION_TOUCH);

	sq_bind_blob(st, ":h", h, 32);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "session touch");
}

enum status
store_session_del(struct store *s, const unsigned char h[32])
{
	sqlite3_stmt	*st = sq_get(s, STMT_SESSION_DEL);

	sq_bind_blob(st, ":h", h, 32);
	return sq_done(s, st, "session del");
}

/* --- login throttling ---------------------------------------------------- */

enum status
store_login_failures(struct store *s, const char *name,
    const struct addr_keys *k, long long since, struct login_counts *c)
{
	sqlite3_stmt	*st;
	enum status	 rv;
	int		 rc;

	memset(c, 0, sizeof(*c));
	st = sq_get(s, STMT_LOGIN_FAIL_PAIR);
	sq_bind_text(st, ":name", name);
	sq_bind_keys(st, k);
	sq_bind_int(st, ":since", since);
	if ((rv = sq_one_int(s, st, "login failures", &c->pair)) != ST_OK)
		return rv;
	st = sq_get(s, STMT_LOGIN_FAIL_NET);
	sq_bind_keys(st, k);
	sq_bind_int(st, ":since", since);
	if ((rv = sq_one_int(s, st, "login failures", &c->net)) != ST_OK)
		return rv;
	st = sq_get(s, STMT_LOGIN_FAIL_NAME);
	sq_bind_text(st, ":name", name);
	sq_bind_int(st, ":since", since);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->name = sqlite3_column_int64(st, 0);
		c->name_last = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? ST_OK : sq_fail(s, "login failures");
}

enum status
store_login_failure_add(struct store *s, const char *name,
    const struct addr_keys *k, long long now, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_LOGIN_FAIL_ADD);
	enum status	 rv;

	sq_bind_text(st, ":name", name);
	sq_bind_keys(st, k);
	sq_bind_int(st, ":now", now);
	if ((rv = sq_done(s, st, "login failure")) != ST_OK)
		return rv;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

enum status
store_login_failure_del(struct store *s, long long id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_LOGIN_FAIL_DEL);

	sq_bind_int(st, ":id", id);
	return sq_done(s, st, "login failure del");
}

enum status
store_login_failures_clear(struct store *s, const char *name,
    const struct addr_keys *k)
{
	sqlite3_stmt	*st = sq_get(s, STMT_LOGIN_FAIL_CLEAR);

	sq_bind_text(st, ":name", name);
	sq_bind_keys(st, k);
	return sq_done(s, st, "login failures clear");
}

/* --- audit --------------------------------------------------------------- */

enum status
store_audit_add(struct store *s, long long mod, const char *actor,
    const char *action, const char *target, const char *before,
    const char *after, const char *addr_hash, long long now)
{
	sqlite3_stmt	*st = sq_get(s, STMT_AUDIT_ADD);

	sq_bind_int(st, ":now", now);
	if (mod > 0)
		sq_bind_int(st, ":mod", mod);
	sq_bind_text(st, ":actor", actor);
	sq_bind_text(st, ":action", action);
	sq_bind_text(st, ":target", target != NULL ? target : "");
	sq_bind_text(st, ":before", before);
	sq_bind_text(st, ":after", after);
	sq_bind_text(st, ":addr_hash", addr_hash);
	return sq_done(s, st, "audit");
}

enum status
store_audit_add_batch(struct store *s, const struct audit_entry *e,
    long long *batch)
{
	sqlite3_stmt	*st = sq_get(s, STMT_AUDIT_ADD);
	enum status	 rv;

	sq_bind_int(st, ":now", e->at);
	if (e->mod > 0)
		sq_bind_int(st, ":mod", e->mod);
	sq_bind_text(st, ":actor", e->actor);
	sq_bind_text(st, ":action", e->action);
	sq_bind_text(st, ":target", e->target != NULL ? e->target : "");
	sq_bind_text(st, ":before", e->before);
	sq_bind_text(st, ":after", e->after);
	sq_bind_text(st, ":addr_hash", e->addr_hash);
	if (*batch > 0)
		sq_bind_int(st, ":batch", *batch);
	if ((rv = sq_done(s, st, "audit")) != ST_OK)
		return rv;
	if (*batch == 0)
		*batch = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

/* --- the queue ----------------------------------------------------------- */

int
sq_read_queue_item(struct arena *a, sqlite3_stmt *st, struct queue_item *it)
{
	int	 nomem = 0;

	memset(it, 0, sizeof(*it));
	if (sq_read_comment(a, st, &it->c) == -1)
		nomem = 1;
	it->article_title = sq_col_text(a, st, 19, &nomem);
	it->article_uri = sq_col_text(a, st, 20, &nomem);
	it->parent_author = sq_col_text(a, st, 21, &nomem);
	it->parent_html = sq_col_text(a, st, 22, &nomem);
	it->parent_status = cstatus_parse((const char *)
	    sqlite3_column_text(st, 23));
	return nomem ? -1 : 0;
}

/*
 * Words typed into the search box become an FTS5 query of quoted terms,
 * all required: FTS5's own syntax (NEAR, *, column filters) is not for
 * readers' names to trip over, and a stray quote cannot break the query.
 */
static char *
fts_query(struct arena *a, const char *q)
{
	size_t	 i, n = strlen(q);
	char	*out, *p;
	int	 inword = 0, words = 0;

	if ((out = arena_alloc(a, n * 3 + 3)) == NULL)
		return NULL;
	p = out;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)q[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (inword)
				*p++ = '"';
			inword = 0;
			continue;
		}
		if (!inword) {
			if (words++ > 0)
				*p++ = ' ';
			*p++ = '"';
			inword = 1;
		}
		if (c == '"')
			*p++ = '"';
		*p++ = (char)c;
	}
	if (inword)
		*p++ = '"';
	*p = '\0';
	return words > 0 ? out : NULL;
}

enum status
store_queue(struct store *s, struct arena *a, const struct queue_query *qq,
    struct queue_item **vp, size_t *np)
{
	sqlite3_stmt		*st;
	struct queue_item	*v = NULL;
	size_t			 n = 0, cap = 0;
	const char		*q = NULL;
	int			 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	if (qq->q != NULL && (q = fts_query(a, qq->q)) == NULL &&
	    qq->q[strspn(qq->q, " \t\r\n")] != '\0')
		return ST_NOMEM;
	st = sq_get(s, qq->oldest_first ? STMT_QUEUE_ASC : STMT_QUEUE_DESC);
	sq_bind_text(st, ":status", cstatus_str(qq->status));
	sq_bind_int(st, ":article", qq->article);
	sq_bind_text(st, ":q", q);
	sq_bind_int(st, ":cursor", qq->cursor);
	sq_bind_int(st, ":limit", qq->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL) {
			nomem = 1;
			break;
		}
		if (sq_read_queue_item(a, st, &v[n++]) == -1)
			nomem = 1;
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "queue");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_queue_counts(struct store *s, long long article,
    long long counts[CS__MAX])
{
	sqlite3_stmt	*st = sq_get(s, STMT_QUEUE_COUNTS);
	enum cstatus	 cs;
	int		 rc;

	memset(counts, 0, sizeof(long long) * CS__MAX);
	sq_bind_int(st, ":article", article);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cs = cstatus_parse((const char *)
		    sqlite3_column_text(st, 0));
		if (cs != CS__MAX)
			counts[cs] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "queue counts");
	return ST_OK;
}

enum status
store_comment_set_status(struct store *s, long long id, enum cstatus to,
    enum cstatus *oldp)
{
	sqlite3_stmt	*st = sq_get(s, STMT_COMMENT_GET);
	enum cstatus	 old;
	long long	 article;
	enum status	 rv;
	int		 rc, delta;

	sq_bind_int(st, ":id", id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "comment get");
	}
	article = sqlite3_column_int64(st, 1);
	old = cstatus_parse((const char *)sqlite3_column_text(st, 10));
	sqlite3_reset(st);
	if (oldp != NULL)
		*oldp = old;
	/* Decided by a moderator (approving a published comment too):
	 * readers' open reports of it are answered. */
	if (to != CS_PENDING && (rv = store_reports_settle(s, id)) != ST_OK)
		return rv;
	if (old == to)
		return ST_OK;
	st = sq_get(s, STMT_COMMENT_SET_STATUS);
	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":status", cstatus_str(to));
	if ((rv = sq_done(s, st, "comment status")) != ST_OK)
		return rv;
	delta = (to == CS_APPROVED) - (old == CS_APPROVED);
	st = sq_get(s, STMT_ARTICLE_BUMP);
	sq_bind_int(st, ":delta", delta);
	sq_bind_int(st, ":id", article);
	if ((rv = sq_done(s, st, "article bump")) != ST_OK)
		return rv;
	/* A moderator correcting the spam verdict teaches the hook. */
	if ((old != CS_SPAM && to == CS_SPAM) ||
	    (old == CS_SPAM && to == CS_APPROVED)) {
		st = sq_get(s, STMT_FEEDBACK_ADD);
		sq_bind_text(st, ":kind", to == CS_SPAM ? "submit-spam" :
		    "submit-ham");
		sq_bind_int(st, ":now", (long long)time(NULL));
		sq_bind_int(st, ":comment", id);
		if ((rv = sq_done(s, st, "feedback add")) != ST_OK)
			return rv;
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
	sqlite3_stmt	*st = sq_get(s, STMT_BAN_ADD);
	long long	 v = 0;
	enum status	 rv;

	sq_bind_text(st, ":kind", kind);
	sq_bind_text(st, ":value", value);
	sq_bind_text(st, ":reason", reason != NULL ? reason : "");
	sq_bind_int(st, ":now", now);
	if (expires > 0)
		sq_bind_int(st, ":expires", expires);
	if (mod > 0)
		sq_bind_int(st, ":mod", mod);
	/* RETURNING: a ban made again is the row updated, whose id
	 * last_insert_rowid would not give. */
	if ((rv = sq_one_int(s, st, "ban add", &v)) != ST_OK)
		return rv;
	if (id != NULL)
		*id = v;
	return ST_OK;
}

enum status
store_ban_list(struct store *s, struct arena *a, long long now,
    struct ban **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_get(s, STMT_BAN_LIST);
	struct ban	*v = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc, nomem = 0;

	sq_bind_int(st, ":now", now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ban *b;

		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL) {
			nomem = 1;
			break;
		}
		b = &v[n++];
		b->id = sqlite3_column_int64(st, 0);
		b->kind = sq_col_text(a, st, 1, &nomem);
		b->value = sq_col_text(a, st, 2, &nomem);
		b->reason = sq_col_text(a, st, 3, &nomem);
		b->created = sqlite3_column_int64(st, 4);
		b->expires = sqlite3_column_int64(st, 5);
		b->by = sq_col_text(a, st, 6, &nomem);
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "ban list");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_ban_del(struct store *s, long long id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_BAN_DEL);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	if ((rv = sq_done(s, st, "ban del")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_ban_match(struct store *s, const char *email,
    const struct addr_keys *k, const char *prefix, long long now, int *hit)
{
	sqlite3_stmt	*st = sq_get(s, STMT_BAN_MATCH);
	long long	 v = 0;
	enum status	 rv;

	sq_bind_int(st, ":now", now);
	sq_bind_text(st, ":email", email);
	sq_bind_keys(st, k);
	sq_bind_text(st, ":prefix", prefix);
	rv = sq_one_int(s, st, "ban match", &v);
	*hit = v != 0;
	return rv;
}

