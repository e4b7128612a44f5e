/* store_port.c: the storage side of moving a site in and out: every row read in a fixed order, rows put back as they were, threads moved */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/vec.h"
#include "store/store.h"
#include "store/store_int.h"

static const enum stmt each_stmt[PORT__MAX] = {
	[PORT_ACCOUNTS] = STMT_PORT_ACCOUNTS,
	[PORT_ARTICLES] = STMT_PORT_ARTICLES,
	[PORT_COMMENTS] = STMT_PORT_COMMENTS,
	[PORT_BANS] = STMT_PORT_BANS,
	[PORT_AUDIT] = STMT_PORT_AUDIT,
	[PORT_IMPORTED] = STMT_PORT_IMPORTED,
};

/* --- reading ------------------------------------------------------------- */

enum status
store_port_read_begin(struct store *s)
{
	return sq_done(s, sq_get(s, STMT_PORT_READ), "read begin");
}

void
store_port_read_end(struct store *s)
{
	sq_done(s, sq_get(s, STMT_COMMIT), "read end");
}

/* The current row of the table's statement into r. */
static void
read_row(struct arena *a, sqlite3_stmt *st, enum port_table t,
    struct port_row *r, int *nomem)
{
	memset(r, 0, sizeof(*r));
	r->table = t;
	switch (t) {
	case PORT_ACCOUNTS:
		r->id = sqlite3_column_int64(st, 0);
		r->u.account.name = sq_col_text(a, st, 1, nomem);
		r->u.account.hash = sq_col_text(a, st, 2, nomem);
		r->u.account.admin = sqlite3_column_int(st, 3);
		r->u.account.created = sqlite3_column_int64(st, 4);
		r->u.account.last_login = sqlite3_column_int64(st, 5);
		break;
	case PORT_ARTICLES:
		r->id = sqlite3_column_int64(st, 0);
		r->u.article.uri = sq_col_text(a, st, 1, nomem);
		r->u.article.title = sq_col_text(a, st, 2, nomem);
		r->u.article.body = sq_col_text(a, st, 3, nomem);
		r->u.article.created = sqlite3_column_int64(st, 4);
		r->u.article.closed = sqlite3_column_int(st, 5);
		r->u.article.mode = sq_col_text(a, st, 6, nomem);
		r->u.article.version = sqlite3_column_int64(st, 7);
		r->u.article.title_proposed = sq_col_text(a, st, 8, nomem);
		r->u.article.made_by = sq_col_text(a, st, 9, nomem);
		r->u.article.kept_open = sqlite3_column_int64(st, 10);
		break;
	case PORT_COMMENTS:
		r->id = sqlite3_column_int64(st, 0);
		r->u.comment.article = sqlite3_column_int64(st, 1);
		r->u.comment.parent = sqlite3_column_int64(st, 2);
		r->u.comment.author = sq_col_text(a, st, 3, nomem);
		r->u.comment.email = sq_col_text(a, st, 4, nomem);
		r->u.comment.website = sq_col_text(a, st, 5, nomem);
		r->u.comment.body = sq_col_text(a, st, 6, nomem);
		r->u.comment.status = cstatus_parse((const char *)
		    sqlite3_column_text(st, 7));
		if (r->u.comment.status == CS__MAX)
			r->u.comment.status = CS_PENDING;
		r->u.comment.score = sqlite3_column_double(st, 8);
		r->u.comment.reasons = sq_col_text(a, st, 9, nomem);
		r->u.comment.created = sqlite3_column_int64(st, 10);
		r->u.comment.edited = sqlite3_column_int64(st, 11);
		r->u.comment.edited_by = sqlite3_column_int64(st, 12);
		r->u.comment.addr_hash = sq_col_text(a, st, 13, nomem);
		r->u.comment.user_agent = sq_col_text(a, st, 14, nomem);
		r->u.comment.body_hash = sq_col_text(a, st, 15, nomem);
		break;
	case PORT_BANS:
		r->id = sqlite3_column_int64(st, 0);
		r->u.ban.kind = sq_col_text(a, st, 1, nomem);
		r->u.ban.value = sq_col_text(a, st, 2, nomem);
		r->u.ban.reason = sq_col_text(a, st, 3, nomem);
		r->u.ban.created = sqlite3_column_int64(st, 4);
		r->u.ban.expires = sqlite3_column_int64(st, 5);
		r->u.ban.moderator = sqlite3_column_int64(st, 6);
		break;
	case PORT_AUDIT:
		r->id = sqlite3_column_int64(st, 0);
		r->u.audit.at = sqlite3_column_int64(st, 1);
		r->u.audit.moderator = sqlite3_column_int64(st, 2);
		r->u.audit.actor = sq_col_text(a, st, 3, nomem);
		r->u.audit.action = sq_col_text(a, st, 4, nomem);
		r->u.audit.target = sq_col_text(a, st, 5, nomem);
		r->u.audit.before = sq_col_text(a, st, 6, nomem);
		r->u.audit.after = sq_col_text(a, st, 7, nomem);
		r->u.audit.addr_hash = sq_col_text(a, st, 8, nomem);
		break;
	case PORT_IMPORTED:
		r->u.imported.source = sq_col_text(a, st, 0, nomem);
		r->u.imported.source_id = sq_col_text(a, st, 1, nomem);
		r->u.imported.comment = sqlite3_column_int64(st, 2);
		break;
	case PORT__MAX:
		break;
	}
}

enum status
store_port_each(struct store *s, enum port_table t, struct arena *a,
    int (*fn)(void *, const struct port_row *), void *arg)
{
	sqlite3_stmt	*st;
	struct port_row	 r;
	enum status	 rv = ST_OK;
	int		 rc, nomem = 0;

	if ((unsigned)t >= PORT__MAX)
		return ST_INPUT;
	st = sq_get(s, each_stmt[t]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arena_reset(a);
		read_row(a, st, t, &r, &nomem);
		if (nomem) {
			rv = ST_NOMEM;
			break;
		}
		if (fn(arg, &r) == -1) {
			rv = ST_INPUT;
			break;
		}
	}
	if (rv == ST_OK && rc != SQLITE_DONE)
		rv = sq_fail(s, "export read");
	sqlite3_reset(st);
	return rv;
}

enum status
store_port_meta(struct store *s, struct port_meta *m)
{
	sqlite3_stmt	*st;
	enum status	 rv;
	int		 rc;

	memset(m, 0, sizeof(*m));
	if ((rv = store_secret(s, m->secret)) != ST_OK)
		return rv;
	st = sq_get(s, STMT_PORT_SITE);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(m->site, sizeof(m->site), "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(s, "site id");
	return sq_one_int(s, sq_get(s, STMT_PORT_SEQ), "comment sequence",
	    &m->comment_seq);
}

enum status
store_port_meta_set(struct store *s, const struct port_meta *m,
    int with_secret)
{
	sqlite3_stmt	*st;
	enum status	 rv;

	if (m->site[0] != '\0') {
		st = sq_get(s, STMT_PORT_SITE_SET);
		sq_bind_text(st, ":v", m->site);
		if ((rv = sq_done(s, st, "site id set")) != ST_OK)
			return rv;
	}
	if (with_secret) {
		st = sq_get(s, STMT_PORT_SECRET_SET);
		sq_bind_blob(st, ":v", m->secret, sizeof(m->secret));
		if ((rv = sq_done(s, st, "secret set")) != ST_OK)
			return rv;
	}
	st = sq_get(s, STMT_PORT_SEQ_SET);
	sq_bind_int(st, ":seq", m->comment_seq);
	if ((rv = sq_done(s, st, "sequence set")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_PORT_SEQ_ADD);
	sq_bind_int(st, ":seq", m->comment_seq);
	return sq_done(s, st, "sequence add");
}

enum status
store_port_empty(struct store *s, int *empty)
{
	long long	 v = 0;
	enum status	 rv;

	rv = sq_one_int(s, sq_get(s, STMT_PORT_EMPTY), "empty", &v);
	*empty = v != 0;
	return rv;
}

/* --- putting back -------------------------------------------------------- */

/* Step an insert: ST_CONFLICT on a constraint (the row is there). */
static enum status
put_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	 rc = sqlite3_step(st);

	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, what);
	return ST_OK;
}

static void
bind_opt(sqlite3_stmt *st, const char *name, long long v)
{
	if (v != 0)
		sq_bind_int(st, name, v);
}

/*
 * A comment with its id; root, depth and ordering key from its parent,
 * as store_comment_insert makes them (the export holds the parent it was
 * given then, so no depth rule applies again).
 */
static enum status
put_comment(struct store *s, const struct port_row *r, long long *idp)
{
	sqlite3_stmt	*st;
	unsigned char	 path[SQ_KEY_MAX];
	size_t		 plen;
	long long	 id = r->id, root, depth = 0;
	enum status	 rv;
	int		 rc;

	if (id == 0 && (rv = sq_one_int(s, sq_get(s, STMT_COMMENT_NEXT_ID),
	    "next id", &id)) != ST_OK)
		return rv;
	root = id;
	if (r->u.comment.parent > 0) {
		st = sq_get(s, STMT_COMMENT_PARENT);
		sq_bind_int(st, ":id", r->u.comment.parent);
		sq_bind_int(st, ":article", r->u.comment.article);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			return rc == SQLITE_DONE ? ST_NOTFOUND :
			    sq_fail(s, "comment parent");
		}
		root = sqlite3_column_int64(st, 0);
		depth = sqlite3_column_int64(st, 1) + 1;
		plen = sq_comment_key(sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2), id, path);
		sqlite3_reset(st);
	} else
		plen = sq_comment_key(NULL, 0, id, path);
	st = sq_get(s, STMT_PORT_PUT_COMMENT);
	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":article", r->u.comment.article);
	bind_opt(st, ":parent", r->u.comment.parent);
	sq_bind_int(st, ":root", root);
	sq_bind_int(st, ":depth", depth);
	sq_bind_blob(st, ":path", path, plen);
	sq_bind_text(st, ":author", r->u.comment.author);
	sq_bind_text(st, ":email", r->u.comment.email);
	sq_bind_text(st, ":website", r->u.comment.website);
	sq_bind_text(st, ":body", r->u.comment.body);
	sq_bind_text(st, ":html", r->u.comment.html);
	sq_bind_text(st, ":status", cstatus_str(r->u.comment.status));
	sqlite3_bind_double(st, sq_idx(st, ":score"), r->u.comment.score);
	sq_bind_text(st, ":reasons", r->u.comment.reasons != NULL ?
	    r->u.comment.reasons : "");
	sq_bind_int(st, ":created", r->u.comment.created);
	bind_opt(st, ":edited", r->u.comment.edited);
	bind_opt(st, ":edited_by", r->u.comment.edited_by);
	sq_bind_text(st, ":addr_hash", r->u.comment.addr_hash);
	sq_bind_text(st, ":user_agent", r->u.comment.user_agent);
	sq_bind_text(st, ":body_hash", r->u.comment.body_hash);
	rv = put_done(s, st, "comment put");
	if (rv == ST_OK && idp != NULL)
		*idp = id;
	return rv;
}

enum status
store_port_put(struct store *s, const struct port_row *r, long long *idp)
{
	sqlite3_stmt	*st;

	switch (r->table) {
	case PORT_ACCOUNTS:
		st = sq_get(s, STMT_PORT_PUT_ACCOUNT);
		bind_opt(st, ":id", r->id);
		sq_bind_text(st, ":name", r->u.account.name);
		sq_bind_text(st, ":hash", r->u.account.hash);
		sq_bind_text(st, ":role", r->u.account.admin ? "admin" :
		    "moderator");
		sq_bind_int(st, ":created", r->u.account.created);
		bind_opt(st, ":last_login", r->u.account.last_login);
		return put_done(s, st, "account put");
	case PORT_ARTICLES:
		st = sq_get(s, STMT_PORT_PUT_ARTICLE);
		bind_opt(st, ":id", r->id);
		sq_bind_text(st, ":uri", r->u.article.uri);
		sq_bind_text(st, ":title", r->u.article.title);
		sq_bind_text(st, ":body", r->u.article.body);
		sq_bind_text(st, ":body_html", r->u.article.body_html);
		sq_bind_int(st, ":created", r->u.article.created);
		sq_bind_int(st, ":closed", r->u.article.closed != 0);
		sq_bind_text(st, ":mode", r->u.article.mode);
		sq_bind_int(st, ":version", r->u.article.version > 0 ?
		    r->u.article.version : 1);
		sq_bind_text(st, ":title_proposed",
		    r->u.article.title_proposed);
		sq_bind_text(st, ":made_by", r->u.article.made_by);
		sq_bind_int(st, ":kept_open", r->u.article.kept_open != 0);
		return put_done(s, st, "article put");
	case PORT_COMMENTS:
		return put_comment(s, r, idp);
	case PORT_BANS:
		st = sq_get(s, STMT_PORT_PUT_BAN);
		bind_opt(st, ":id", r->id);
		sq_bind_text(st, ":kind", r->u.ban.kind);
		sq_bind_text(st, ":value", r->u.ban.value);
		sq_bind_text(st, ":reason", r->u.ban.reason != NULL ?
		    r->u.ban.reason : "");
		sq_bind_int(st, ":created", r->u.ban.created);
		bind_opt(st, ":expires", r->u.ban.expires);
		bind_opt(st, ":moderator", r->u.ban.moderator);
		return put_done(s, st, "ban put");
	case PORT_AUDIT:
		st = sq_get(s, STMT_PORT_PUT_AUDIT);
		bind_opt(st, ":id", r->id);
		sq_bind_int(st, ":at", r->u.audit.at);
		bind_opt(st, ":mod", r->u.audit.moderator);
		sq_bind_text(st, ":actor", r->u.audit.actor);
		sq_bind_text(st, ":action", r->u.audit.action);
		sq_bind_text(st, ":target", r->u.audit.target != NULL ?
		    r->u.audit.target : "");
		sq_bind_text(st, ":before", r->u.audit.before);
		sq_bind_text(st, ":after", r->u.audit.after);
		sq_bind_text(st, ":addr_hash", r->u.audit.addr_hash);
		return put_done(s, st, "audit put");
	case PORT_IMPORTED:
		st = sq_get(s, STMT_PORT_PUT_IMPORTED);
		sq_bind_text(st, ":source", r->u.imported.source);
		sq_bind_text(st, ":source_id", r->u.imported.source_id);
		sq_bind_int(st, ":comment", r->u.imported.comment);
		return put_done(s, st, "import mark put");
	case PORT__MAX:
		break;
	}
	return ST_INPUT;
}

enum status
store_port_bump(struct store *s, long long article)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_BUMP);

	sq_bind_int(st, ":delta", 0);
	sq_bind_int(st, ":id", article);
	return sq_done(s, st, "bump");
}

enum status
store_port_recount(struct store *s)
{
	return sq_done(s, sq_get(s, STMT_PORT_RECOUNT), "recount");
}

/* --- moving threads ------------------------------------------------------ */

struct node {
	long long	 article, parent, root, depth;
	unsigned char	 path[SQ_KEY_MAX];
	size_t		 plen;
};

static enum status
node_get(struct store *s, long long id, struct node *n)
{
	sqlite3_stmt	*st = sq_get(s, STMT_PORT_NODE);
	int		 rc;

	memset(n, 0, sizeof(*n));
	sq_bind_int(st, ":id", id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "node");
	}
	n->article = sqlite3_column_int64(st, 0);
	n->parent = sqlite3_column_int64(st, 1);
	n->root = sqlite3_column_int64(st, 2);
	n->depth = sqlite3_column_int64(st, 3);
	n->plen = (size_t)sqlite3_column_bytes(st, 4);
	if (n->plen > sizeof(n->path)) {
		sqlite3_reset(st);
		log_err("database: comment %lld has a bad path", id);
		return ST_DB;
	}
	if (n->plen > 0)
		memcpy(n->path, sqlite3_column_blob(st, 4), n->plen);
	sqlite3_reset(st);
	return ST_OK;
}

/* The subtree of comment id, parents first, in *v (malloc'd). */
static enum status
subtree(struct store *s, long long id, long long **v, size_t *n)
{
	sqlite3_stmt	*st = sq_get(s, STMT_PORT_SUBTREE);
	long long	*nv;
	size_t		 cap = 0;
	int		 rc;

	*v = NULL;
	*n = 0;
	sq_bind_int(st, ":id", id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nv = vec_grow(NULL, *v, *n, &cap, sizeof(**v))) == NULL) {
			sqlite3_reset(st);
			return ST_NOMEM;
		}
		*v = nv;
		(*v)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "subtree");
}

/* Comment id's root, depth and key made again from its parent's. */
static enum status
replace(struct store *s, long long id, const struct node *parent)
{
	sqlite3_stmt	*st = sq_get(s, STMT_PORT_MOVE_NODE);
	unsigned char	 path[SQ_KEY_MAX];
	size_t		 plen;

	plen = sq_comment_key(parent->path, parent->plen, id, path);
	sq_bind_int(st, ":id", id);
	sq_bind_blob(st, ":path", path, plen);
	sq_bind_int(st, ":depth", parent->depth + 1);
	sq_bind_int(st, ":root", parent->root);
	return sq_done(s, st, "move");
}

enum status
store_port_comment_move(struct store *s, long long id, long long parent)
{
	struct node	 c, p, q;
	sqlite3_stmt	*st;
	long long	*v = NULL;
	enum status	 rv;
	size_t		 n, i;

	if ((rv = node_get(s, id, &c)) != ST_OK ||
	    (rv = node_get(s, parent, &p)) != ST_OK)
		return rv;
	if (p.article != c.article)
		return ST_NOTFOUND;
	if ((rv = subtree(s, id, &v, &n)) != ST_OK)
		goto out;
	/* The parent inside the moving subtree would make a loop. */
	rv = ST_CONFLICT;
	for (i = 0; i < n; i++)
		if (v[i] == parent)
			goto out;
	st = sq_get(s, STMT_PORT_MOVE_PARENT);
	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":parent", parent);
	if ((rv = sq_done(s, st, "move parent")) != ST_OK ||
	    (rv = replace(s, id, &p)) != ST_OK)
		goto out;
	/* The rest, parents first: each from its parent's new key. */
	for (i = 1; i < n; i++) {
		if ((rv = node_get(s, v[i], &c)) != ST_OK ||
		    (rv = node_get(s, c.parent, &q)) != ST_OK ||
		    (rv = replace(s, v[i], &q)) != ST_OK)
			goto out;
	}
	st = sq_get(s, STMT_ARTICLE_BUMP);
	sq_bind_int(st, ":delta", 0);
	sq_bind_int(st, ":id", p.article);
	rv = sq_done(s, st, "move bump");
out:
	free(v);
	return rv;
}

enum status
store_port_article_rename(struct store *s, long long id, const char *uri)
{
	sqlite3_stmt	*st = sq_get(s, STMT_PORT_RENAME);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":uri", uri);
	if ((rv = put_done(s, st, "rename")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_port_article_merge(struct store *s, long long from, long long into)
{
	sqlite3_stmt	*st;
	enum status	 rv;

	if (from == into)
		return ST_OK;
	st = sq_get(s, STMT_PORT_MERGE);
	sq_bind_int(st, ":from", from);
	sq_bind_int(st, ":into", into);
	if ((rv = sq_done(s, st, "merge")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_PORT_COUNT);
	sq_bind_int(st, ":id", into);
	if ((rv = sq_done(s, st, "merge count")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_PORT_ARTICLE_DEL);
	sq_bind_int(st, ":id", from);
	return sq_done(s, st, "merge delete");
}
