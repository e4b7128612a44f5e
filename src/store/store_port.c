/* store_port.c: the storage side of moving a site in and out: every row read in a fixed order, rows put back as they were, threads moved */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/vec.h"
#include "store/store.h"
#include "store/store_int.h"

static const enum stmt each_stmt[PORT__MAX] = {
	[PORT_ACCOUNTS] = STMT_PORT_ACCOUNTS,
	[PORT_ARTICLES] = STMT_PORT_ARTICLES,
	[PORT_COMMENTS] = STMT_PORT_COMMENTS,
	[PORT_VOTES] = STMT_PORT_VOTES,
	[PORT_REPORTS] = STMT_PORT_REPORTS,
	[PORT_BANS] = STMT_PORT_BANS,
	[PORT_AUDIT] = STMT_PORT_AUDIT,
	[PORT_IMPORTED] = STMT_PORT_IMPORTED,
};

/* --- reading ------------------------------------------------------------- */

enum status
store_port_read_begin(struct store *s)
{
	return s->drv->begin_read(s);
}

void
store_port_read_end(struct store *s)
{
	s->drv->rollback(s);
}

/* The current row of the table's statement into r. */
static void
read_row(struct arena *a, struct dbstmt *st, enum port_table t,
    struct port_row *r, int *nomem)
{
	memset(r, 0, sizeof(*r));
	r->table = t;
	switch (t) {
	case PORT_ACCOUNTS:
		r->id = db_col_int(st, 0);
		r->u.account.name = db_col_text(a, st, 1, nomem);
		r->u.account.hash = db_col_text(a, st, 2, nomem);
		r->u.account.admin = (int)db_col_int(st, 3);
		r->u.account.created = db_col_int(st, 4);
		r->u.account.last_login = db_col_int(st, 5);
		break;
	case PORT_ARTICLES:
		r->id = db_col_int(st, 0);
		r->u.article.uri = db_col_text(a, st, 1, nomem);
		r->u.article.title = db_col_text(a, st, 2, nomem);
		r->u.article.body = db_col_text(a, st, 3, nomem);
		r->u.article.created = db_col_int(st, 4);
		r->u.article.closed = (int)db_col_int(st, 5);
		r->u.article.mode = db_col_text(a, st, 6, nomem);
		r->u.article.version = db_col_int(st, 7);
		r->u.article.title_proposed = db_col_text(a, st, 8, nomem);
		r->u.article.made_by = db_col_text(a, st, 9, nomem);
		r->u.article.kept_open = db_col_int(st, 10);
		r->u.article.votes = db_col_int(st, 11);
		break;
	case PORT_COMMENTS:
		r->id = db_col_int(st, 0);
		r->u.comment.article = db_col_int(st, 1);
		r->u.comment.parent = db_col_int(st, 2);
		r->u.comment.author = db_col_text(a, st, 3, nomem);
		r->u.comment.email = db_col_text(a, st, 4, nomem);
		r->u.comment.website = db_col_text(a, st, 5, nomem);
		r->u.comment.body = db_col_text(a, st, 6, nomem);
		r->u.comment.status = cstatus_parse(db_col_str(st, 7));
		if (r->u.comment.status == CS__MAX)
			r->u.comment.status = CS_PENDING;
		r->u.comment.score = db_col_real(st, 8);
		r->u.comment.reasons = db_col_text(a, st, 9, nomem);
		r->u.comment.created = db_col_int(st, 10);
		r->u.comment.edited = db_col_int(st, 11);
		r->u.comment.edited_by = db_col_int(st, 12);
		r->u.comment.addr_hash = db_col_text(a, st, 13, nomem);
		r->u.comment.user_agent = db_col_text(a, st, 14, nomem);
		r->u.comment.body_hash = db_col_text(a, st, 15, nomem);
		r->u.comment.up = db_col_int(st, 16);
		r->u.comment.down = db_col_int(st, 17);
		break;
	case PORT_VOTES:
		r->u.vote.comment = db_col_int(st, 0);
		r->u.vote.voter = db_col_text(a, st, 1, nomem);
		r->u.vote.addr_hash = db_col_text(a, st, 2, nomem);
		r->u.vote.value = db_col_int(st, 3) < 0 ? -1 : 1;
		r->u.vote.at = db_col_int(st, 4);
		break;
	case PORT_REPORTS:
		r->id = db_col_int(st, 0);
		r->u.report.comment = db_col_int(st, 1);
		r->u.report.reason = report_reason_parse(db_col_str(st, 2));
		if (r->u.report.reason == RR__MAX)
			r->u.report.reason = RR_OTHER;
		r->u.report.text = db_col_text(a, st, 3, nomem);
		r->u.report.created = db_col_int(st, 4);
		r->u.report.addr_hash = db_col_text(a, st, 5, nomem);
		r->u.report.net_hash = db_col_text(a, st, 6, nomem);
		r->u.report.settled = db_col_int(st, 7) != 0;
		break;
	case PORT_BANS:
		r->id = db_col_int(st, 0);
		r->u.ban.kind = db_col_text(a, st, 1, nomem);
		r->u.ban.value = db_col_text(a, st, 2, nomem);
		r->u.ban.reason = db_col_text(a, st, 3, nomem);
		r->u.ban.created = db_col_int(st, 4);
		r->u.ban.expires = db_col_int(st, 5);
		r->u.ban.moderator = db_col_int(st, 6);
		break;
	case PORT_AUDIT:
		r->id = db_col_int(st, 0);
		r->u.audit.at = db_col_int(st, 1);
		r->u.audit.moderator = db_col_int(st, 2);
		r->u.audit.actor = db_col_text(a, st, 3, nomem);
		r->u.audit.action = db_col_text(a, st, 4, nomem);
		r->u.audit.target = db_col_text(a, st, 5, nomem);
		r->u.audit.before = db_col_text(a, st, 6, nomem);
		r->u.audit.after = db_col_text(a, st, 7, nomem);
		r->u.audit.addr_hash = db_col_text(a, st, 8, nomem);
		break;
	case PORT_IMPORTED:
		r->u.imported.source = db_col_text(a, st, 0, nomem);
		r->u.imported.source_id = db_col_text(a, st, 1, nomem);
		r->u.imported.comment = db_col_int(st, 2);
		break;
	case PORT__MAX:
		break;
	}
}

enum status
store_port_each(struct store *s, enum port_table t, struct arena *a,
    int (*fn)(void *, const struct port_row *), void *arg)
{
	struct dbstmt	*st;
	struct port_row	 r;
	enum status	 rv = ST_OK;
	int		 rc, nomem = 0;

	if ((unsigned)t >= PORT__MAX)
		return ST_INPUT;
	/* A scan: a batch of rows at a time, whatever the table's size. */
	if ((st = s->drv->adhoc(s, s->drv->sql(TB_CORE, each_stmt[t]), 1)) ==
	    NULL)
		return db_fail(s, "export read");
	while ((rc = db_step(st)) == STEP_ROW) {
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
	if (rv == ST_OK && rc != STEP_DONE)
		rv = db_fail(s, "export read");
	s->drv->adhoc_free(st);
	return rv;
}

enum status
store_port_meta(struct store *s, struct port_meta *m)
{
	struct dbstmt	*st;
	enum status	 rv;
	int		 rc;

	memset(m, 0, sizeof(*m));
	if ((rv = store_secret(s, m->secret)) != ST_OK)
		return rv;
	st = db_get(s, STMT_PORT_SITE);
	if ((rc = db_step(st)) == STEP_ROW)
		snprintf(m->site, sizeof(m->site), "%s",
		    db_col_str(st, 0));
	db_reset(st);
	if (rc != STEP_ROW && rc != STEP_DONE)
		return db_fail(s, "site id");
	return store_port_seq(s, &m->comment_seq);
}

enum status
store_port_seq(struct store *s, long long *seq)
{
	return db_one_int(s, db_get(s, STMT_PORT_SEQ), "comment sequence",
	    seq);
}

enum status
store_port_meta_set(struct store *s, const struct port_meta *m,
    int with_secret)
{
	struct dbstmt	*st;
	enum status	 rv;

	if (m->site[0] != '\0') {
		st = db_get(s, STMT_PORT_SITE_SET);
		db_text(st, ":v", m->site);
		if ((rv = db_done(s, st, "site id set")) != ST_OK)
			return rv;
	}
	if (with_secret) {
		st = db_get(s, STMT_PORT_SECRET_SET);
		db_blob(st, ":v", m->secret, sizeof(m->secret));
		if ((rv = db_done(s, st, "secret set")) != ST_OK)
			return rv;
	}
	st = db_get(s, STMT_PORT_SEQ_SET);
	db_int(st, ":seq", m->comment_seq);
	if ((rv = db_done(s, st, "sequence set")) != ST_OK)
		return rv;
	st = db_get(s, STMT_PORT_SEQ_ADD);
	db_int(st, ":seq", m->comment_seq);
	return db_done(s, st, "sequence add");
}

enum status
store_port_empty(struct store *s, int *empty)
{
	long long	 v = 0;
	enum status	 rv;

	rv = db_one_int(s, db_get(s, STMT_PORT_EMPTY), "empty", &v);
	*empty = v != 0;
	return rv;
}

/* --- putting back -------------------------------------------------------- */

/* Step an insert: ST_CONFLICT on a constraint (the row is there). */
static enum status
put_done(struct store *s, struct dbstmt *st, const char *what)
{
	int	 rc = db_step(st);

	db_reset(st);
	if (rc == STEP_CONFLICT)
		return ST_CONFLICT;
	if (rc != STEP_DONE)
		return db_fail(s, what);
	return ST_OK;
}

static void
bind_opt(struct dbstmt *st, const char *name, long long v)
{
	if (v != 0)
		db_int(st, name, v);
}

/*
 * A comment with its id; root, depth and ordering key from its parent,
 * as store_comment_insert makes them (the export holds the parent it was
 * given then, so no depth rule applies again).
 */
static enum status
put_comment(struct store *s, const struct port_row *r, long long *idp)
{
	struct dbstmt	*st;
	unsigned char	 path[SQ_KEY_MAX];
	size_t		 plen, pn = 0;
	const void	*pp;
	long long	 id = r->id, root, depth = 0;
	enum status	 rv;
	int		 rc;

	if (id == 0 && (rv = db_one_int(s, db_get(s, STMT_COMMENT_NEXT_ID),
	    "next id", &id)) != ST_OK)
		return rv;
	root = id;
	if (r->u.comment.parent > 0) {
		st = db_get(s, STMT_COMMENT_PARENT);
		db_int(st, ":id", r->u.comment.parent);
		if ((rc = db_step(st)) != STEP_ROW) {
			db_reset(st);
			return rc == STEP_DONE ? ST_NOTFOUND :
			    db_fail(s, "comment parent");
		}
		/* The parent must belong to the same article. */
		if (db_col_int(st, 4) != r->u.comment.article) {
			db_reset(st);
			return ST_NOTFOUND;
		}
		root = db_col_int(st, 0);
		depth = db_col_int(st, 1) + 1;
		pp = db_col_blob(st, 2, &pn);
		plen = sq_comment_key(pp, pn, id, path);
		db_reset(st);
	} else
		plen = sq_comment_key(NULL, 0, id, path);
	st = db_get(s, STMT_PORT_PUT_COMMENT);
	db_int(st, ":id", id);
	db_int(st, ":article", r->u.comment.article);
	bind_opt(st, ":parent", r->u.comment.parent);
	db_int(st, ":root", root);
	db_int(st, ":depth", depth);
	db_blob(st, ":path", path, plen);
	db_text(st, ":author", r->u.comment.author);
	db_text(st, ":email", r->u.comment.email);
	db_text(st, ":website", r->u.comment.website);
	db_text(st, ":body", r->u.comment.body);
	db_text(st, ":html", r->u.comment.html);
	db_text(st, ":status", cstatus_str(r->u.comment.status));
	db_real(st, ":score", r->u.comment.score);
	db_text(st, ":reasons", r->u.comment.reasons != NULL ?
	    r->u.comment.reasons : "");
	db_int(st, ":created", r->u.comment.created);
	bind_opt(st, ":edited", r->u.comment.edited);
	bind_opt(st, ":edited_by", r->u.comment.edited_by);
	db_text(st, ":addr_hash", r->u.comment.addr_hash);
	db_text(st, ":user_agent", r->u.comment.user_agent);
	db_text(st, ":body_hash", r->u.comment.body_hash);
	db_int(st, ":up", r->u.comment.up);
	db_int(st, ":down", r->u.comment.down);
	db_real(st, ":best", r->u.comment.best);
	rv = put_done(s, st, "comment put");
	if (rv == ST_OK && idp != NULL)
		*idp = id;
	return rv;
}

enum status
store_port_put(struct store *s, const struct port_row *r, long long *idp)
{
	struct dbstmt	*st;

	switch (r->table) {
	case PORT_ACCOUNTS:
		st = db_get(s, STMT_PORT_PUT_ACCOUNT);
		bind_opt(st, ":id", r->id);
		db_text(st, ":name", r->u.account.name);
		db_text(st, ":hash", r->u.account.hash);
		db_text(st, ":role", r->u.account.admin ? "admin" :
		    "moderator");
		db_int(st, ":created", r->u.account.created);
		bind_opt(st, ":last_login", r->u.account.last_login);
		return put_done(s, st, "account put");
	case PORT_ARTICLES:
		st = db_get(s, STMT_PORT_PUT_ARTICLE);
		bind_opt(st, ":id", r->id);
		db_text(st, ":uri", r->u.article.uri);
		db_text(st, ":title", r->u.article.title);
		db_text(st, ":body", r->u.article.body);
		db_text(st, ":body_html", r->u.article.body_html);
		db_int(st, ":created", r->u.article.created);
		db_int(st, ":closed", r->u.article.closed != 0);
		db_text(st, ":mode", r->u.article.mode);
		db_int(st, ":version", r->u.article.version > 0 ?
		    r->u.article.version : 1);
		db_text(st, ":title_proposed",
		    r->u.article.title_proposed);
		db_text(st, ":made_by", r->u.article.made_by);
		db_int(st, ":kept_open", r->u.article.kept_open != 0);
		db_int(st, ":votes", r->u.article.votes);
		return put_done(s, st, "article put");
	case PORT_COMMENTS:
		return put_comment(s, r, idp);
	case PORT_VOTES:
		st = db_get(s, STMT_PORT_PUT_VOTE);
		db_int(st, ":comment", r->u.vote.comment);
		db_text(st, ":voter", r->u.vote.voter);
		db_text(st, ":addr_hash", r->u.vote.addr_hash);
		db_int(st, ":value", r->u.vote.value < 0 ? -1 : 1);
		db_int(st, ":at", r->u.vote.at);
		return put_done(s, st, "vote put");
	case PORT_REPORTS:
		st = db_get(s, STMT_PORT_PUT_REPORT);
		bind_opt(st, ":id", r->id);
		db_int(st, ":comment", r->u.report.comment);
		db_text(st, ":reason", report_reason_str(r->u.report.reason));
		db_text(st, ":text", r->u.report.text != NULL ?
		    r->u.report.text : "");
		db_int(st, ":created", r->u.report.created);
		db_text(st, ":addr_hash", r->u.report.addr_hash);
		db_text(st, ":net_hash", r->u.report.net_hash);
		db_int(st, ":settled", r->u.report.settled != 0);
		return put_done(s, st, "report put");
	case PORT_BANS:
		st = db_get(s, STMT_PORT_PUT_BAN);
		bind_opt(st, ":id", r->id);
		db_text(st, ":kind", r->u.ban.kind);
		db_text(st, ":value", r->u.ban.value);
		db_text(st, ":reason", r->u.ban.reason != NULL ?
		    r->u.ban.reason : "");
		db_int(st, ":created", r->u.ban.created);
		bind_opt(st, ":expires", r->u.ban.expires);
		bind_opt(st, ":moderator", r->u.ban.moderator);
		return put_done(s, st, "ban put");
	case PORT_AUDIT:
		st = db_get(s, STMT_PORT_PUT_AUDIT);
		bind_opt(st, ":id", r->id);
		db_int(st, ":at", r->u.audit.at);
		bind_opt(st, ":mod", r->u.audit.moderator);
		db_text(st, ":actor", r->u.audit.actor);
		db_text(st, ":action", r->u.audit.action);
		db_text(st, ":target", r->u.audit.target != NULL ?
		    r->u.audit.target : "");
		db_text(st, ":before", r->u.audit.before);
		db_text(st, ":after", r->u.audit.after);
		db_text(st, ":addr_hash", r->u.audit.addr_hash);
		return put_done(s, st, "audit put");
	case PORT_IMPORTED:
		st = db_get(s, STMT_PORT_PUT_IMPORTED);
		db_text(st, ":source", r->u.imported.source);
		db_text(st, ":source_id", r->u.imported.source_id);
		db_int(st, ":comment", r->u.imported.comment);
		return put_done(s, st, "import mark put");
	case PORT__MAX:
		break;
	}
	return ST_INPUT;
}

enum status
store_port_bump(struct store *s, long long article)
{
	return db_bump(s, article, 0);
}

enum status
store_port_voted(struct store *s, long long comment)
{
	struct dbstmt	*st = db_get(s, STMT_PORT_VOTED);

	db_int(st, ":id", comment);
	return db_done(s, st, "voted");
}

enum status
store_port_recount(struct store *s)
{
	enum status	 rv;

	if ((rv = db_done(s, db_get(s, STMT_PORT_RECOUNT), "recount")) !=
	    ST_OK)
		return rv;
	/* Rows came with their ids: new ones go on after them. */
	return db_seq_fix(s);
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
	struct dbstmt	*st = db_get(s, STMT_PORT_NODE);
	const void	*pp;
	int		 rc;

	memset(n, 0, sizeof(*n));
	db_int(st, ":id", id);
	if ((rc = db_step(st)) != STEP_ROW) {
		db_reset(st);
		return rc == STEP_DONE ? ST_NOTFOUND : db_fail(s, "node");
	}
	n->article = db_col_int(st, 0);
	n->parent = db_col_int(st, 1);
	n->root = db_col_int(st, 2);
	n->depth = db_col_int(st, 3);
	pp = db_col_blob(st, 4, &n->plen);
	if (n->plen > sizeof(n->path)) {
		db_reset(st);
		log_err("database: comment %lld has a bad path", id);
		return ST_DB;
	}
	if (n->plen > 0)
		memcpy(n->path, pp, n->plen);
	db_reset(st);
	return ST_OK;
}

/* The subtree of comment id, parents first, in *v (malloc'd). */
static enum status
subtree(struct store *s, long long id, long long **v, size_t *n)
{
	struct dbstmt	*st = db_get(s, STMT_PORT_SUBTREE);
	long long	*nv;
	size_t		 cap = 0;
	int		 rc;

	*v = NULL;
	*n = 0;
	db_int(st, ":id", id);
	while ((rc = db_step(st)) == STEP_ROW) {
		if ((nv = vec_grow(NULL, *v, *n, &cap, sizeof(**v))) == NULL) {
			db_reset(st);
			return ST_NOMEM;
		}
		*v = nv;
		(*v)[(*n)++] = db_col_int(st, 0);
	}
	db_reset(st);
	return rc == STEP_DONE ? ST_OK : db_fail(s, "subtree");
}

/* Comment id's root, depth and key made again from its parent's. */
static enum status
replace(struct store *s, long long id, const struct node *parent)
{
	struct dbstmt	*st = db_get(s, STMT_PORT_MOVE_NODE);
	unsigned char	 path[SQ_KEY_MAX];
	size_t		 plen;

	plen = sq_comment_key(parent->path, parent->plen, id, path);
	db_int(st, ":id", id);
	db_blob(st, ":path", path, plen);
	db_int(st, ":depth", parent->depth + 1);
	db_int(st, ":root", parent->root);
	return db_done(s, st, "move");
}

enum status
store_port_comment_move(struct store *s, long long id, long long parent)
{
	struct node	 c, p, q;
	struct dbstmt	*st;
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
	st = db_get(s, STMT_PORT_MOVE_PARENT);
	db_int(st, ":id", id);
	db_int(st, ":parent", parent);
	if ((rv = db_done(s, st, "move parent")) != ST_OK ||
	    (rv = replace(s, id, &p)) != ST_OK)
		goto out;
	/* The rest, parents first: each from its parent's new key. */
	for (i = 1; i < n; i++) {
		if ((rv = node_get(s, v[i], &c)) != ST_OK ||
		    (rv = node_get(s, c.parent, &q)) != ST_OK ||
		    (rv = replace(s, v[i], &q)) != ST_OK)
			goto out;
	}
	rv = db_bump(s, p.article, 0);
out:
	free(v);
	return rv;
}

enum status
store_port_article_rename(struct store *s, long long id, const char *uri)
{
	struct dbstmt	*st = db_get(s, STMT_PORT_RENAME);
	enum status	 rv;

	db_int(st, ":id", id);
	db_text(st, ":uri", uri);
	if ((rv = put_done(s, st, "rename")) != ST_OK)
		return rv;
	return db_changes(s) == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_port_article_merge(struct store *s, long long from, long long into)
{
	struct dbstmt	*st;
	enum status	 rv;

	if (from == into)
		return ST_OK;
	st = db_get(s, STMT_PORT_MERGE);
	db_int(st, ":from", from);
	db_int(st, ":into", into);
	if ((rv = db_done(s, st, "merge")) != ST_OK)
		return rv;
	st = db_get(s, STMT_PORT_COUNT);
	db_int(st, ":id", into);
	if ((rv = db_done(s, st, "merge count")) != ST_OK)
		return rv;
	st = db_get(s, STMT_PORT_ARTICLE_DEL);
	db_int(st, ":id", from);
	return db_done(s, st, "merge delete");
}
