/* store.c: every SQL statement (their table: store_sql.c), prepared once per connection, behind typed calls: the helpers, open and close, articles */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/stage.h"
#include "store/store.h"
#include "store/store_int.h"




/* --- helpers ------------------------------------------------------------ */

enum status
sq_fail(struct store *s, const char *what)
{
	int	 rc = sqlite3_extended_errcode(s->db);

	log_err("database: %s: %s", what, sqlite3_errmsg(s->db));
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ?
	    ST_BUSY : ST_DB;
}

/* Fetch a ready statement; reset and cleared, so callers bind and step. */
sqlite3_stmt *
sq_get(struct store *s, enum stmt id)
{
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

sqlite3_stmt *
sq_mget(struct store *s, enum mstmt id)
{
	sqlite3_reset(s->mst[id]);
	sqlite3_clear_bindings(s->mst[id]);
	return s->mst[id];
}

int
sq_idx(sqlite3_stmt *st, const char *name)
{
	int	 i = sqlite3_bind_parameter_index(st, name);

	if (i == 0) {
		log_err("database: no parameter %s in: %s", name,
		    sqlite3_sql(st));
		abort();	/* a programming error, caught by the tests */
	}
	return i;
}

int
sq_bind_int(sqlite3_stmt *st, const char *name, long long v)
{
	return sqlite3_bind_int64(st, sq_idx(st, name), v);
}

int
sq_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, sq_idx(st, name));
	return sqlite3_bind_text(st, sq_idx(st, name), v, -1, SQLITE_STATIC);
}

int
sq_bind_blob(sqlite3_stmt *st, const char *name, const void *v, size_t n)
{
	return sqlite3_bind_blob(st, sq_idx(st, name), v, (int)n, SQLITE_STATIC);
}

/* Copy a text column into the arena; NULL stays NULL.  Sets *nomem. */
const char *
sq_col_text(struct arena *a, sqlite3_stmt *st, int i, int *nomem)
{
	const unsigned char	*p;
	const char		*r;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(st, i);
	if (p == NULL) {
		*nomem = 1;
		return NULL;
	}
	r = arena_strndup(a, (const char *)p,
	    (size_t)sqlite3_column_bytes(st, i));
	if (r == NULL)
		*nomem = 1;
	return r;
}

static int
read_article(struct store *s, struct arena *a, sqlite3_stmt *st,
    struct article *ar)
{
	int	 nomem = 0;

	memset(ar, 0, sizeof(*ar));
	ar->id = sqlite3_column_int64(st, 0);
	ar->uri = sq_col_text(a, st, 1, &nomem);
	ar->title = sq_col_text(a, st, 2, &nomem);
	ar->body_html = sq_col_text(a, st, 3, &nomem);
	ar->created = sqlite3_column_int64(st, 4);
	ar->closed = sqlite3_column_int(st, 5);
	ar->mode = sq_col_text(a, st, 6, &nomem);
	ar->version = sqlite3_column_int64(st, 7);
	ar->ncomments = sqlite3_column_int64(st, 8);
	ar->title_proposed = sq_col_text(a, st, 9, &nomem);
	ar->by_reader = sqlite3_column_int(st, 10);
	ar->kept_open = sqlite3_column_int(st, 11);
	/* [moderation] auto_close_days: old articles read as closed, unless
	 * a moderator reopened them. */
	ar->aged = s->auto_close > 0 && ar->created < (long long)time(NULL) -
	    s->auto_close;
	if (ar->aged && !ar->closed && !ar->kept_open)
		ar->closed = ar->auto_closed = 1;
	ar->votes = sqlite3_column_int64(st, 12);
	return nomem ? -1 : 0;
}

int
sq_read_comment(struct arena *a, sqlite3_stmt *st, struct comment *c)
{
	int	 nomem = 0;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->article = sqlite3_column_int64(st, 1);
	c->parent = sqlite3_column_int64(st, 2);
	c->root = sqlite3_column_int64(st, 3);
	c->depth = sqlite3_column_int(st, 4);
	c->author = sq_col_text(a, st, 5, &nomem);
	c->email = sq_col_text(a, st, 6, &nomem);
	c->website = sq_col_text(a, st, 7, &nomem);
	c->body = sq_col_text(a, st, 8, &nomem);
	c->html = sq_col_text(a, st, 9, &nomem);
	c->status = cstatus_parse((const char *)
	    sqlite3_column_text(st, 10));
	if (c->status == CS__MAX)
		c->status = CS_PENDING;
	c->score = sqlite3_column_double(st, 11);
	c->reasons = sq_col_text(a, st, 12, &nomem);
	c->created = sqlite3_column_int64(st, 13);
	c->edited = sqlite3_column_int64(st, 14);
	c->addr_hash = sq_col_text(a, st, 15, &nomem);
	c->user_agent = sq_col_text(a, st, 16, &nomem);
	c->up = sqlite3_column_int64(st, 17);
	c->down = sqlite3_column_int64(st, 18);
	if (c->author == NULL)
		c->author = "";
	if (c->body == NULL)
		c->body = "";
	if (c->html == NULL)
		c->html = "";
	if (c->reasons == NULL)
		c->reasons = "";
	return nomem ? -1 : 0;
}

static enum status
begin(struct store *s)
{
	if (sqlite3_step(sq_get(s, STMT_BEGIN)) != SQLITE_DONE)
		return sq_fail(s, "begin");
	return ST_OK;
}

/* The transaction's changes to comments, into the full-text index. */
static enum status
fts_apply(struct store *s)
{
	enum status	 rv;

	if ((rv = sq_done(s, sq_get(s, STMT_FTS_APPLY), "search index")) !=
	    ST_OK)
		return rv;
	if (sqlite3_changes(s->db) == 0)
		return ST_OK;
	return sq_done(s, sq_get(s, STMT_FTS_CLEAR), "search index");
}

static enum status
commit(struct store *s)
{
	enum status	 rv;
	int		 pages = 0, hi = 0;

	if ((rv = fts_apply(s)) != ST_OK) {
		sqlite3_step(sq_get(s, STMT_ROLLBACK));
		return rv;
	}
	stage_mark(STAGE_FTS);
	if (stage_enabled())
		sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_WRITE, &pages,
		    &hi, 1);
	if (sqlite3_step(sq_get(s, STMT_COMMIT)) != SQLITE_DONE) {
		rv = sq_fail(s, "commit");
		sqlite3_step(sq_get(s, STMT_ROLLBACK));
		return rv;
	}
	stage_mark(STAGE_COMMIT);
	/* The pages the transaction wrote to the WAL (reset above). */
	if (stage_enabled() && sqlite3_db_status(s->db,
	    SQLITE_DBSTATUS_CACHE_WRITE, &pages, &hi, 1) == SQLITE_OK)
		stage_pages(pages);
	return ST_OK;
}

void
sq_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_step(sq_get(s, STMT_ROLLBACK));
}


/* --- open and close ------------------------------------------------------ */

/*
 * With stages on, SQLite's own automatic checkpoint (PASSIVE once the WAL
 * holds 1,000 pages, inside the COMMIT) with a clock around it.
 */
static int
timed_autocheckpoint(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)arg;
	if (frames < 1000)
		return SQLITE_OK;
	stage_mark(STAGE_COMMIT);
	sqlite3_wal_checkpoint(db, name);
	stage_mark(STAGE_CKPT);
	return SQLITE_OK;
}

/* Once the WAL starts over, its file is cut back to this many bytes. */
#define WAL_KEEP	(64LL * 1024 * 1024)

void
store_checkpoint_manual(struct store *s)
{
	char	 sql[64];

	sqlite3_wal_autocheckpoint(s->db, 0);
	snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit=%lld",
	    WAL_KEEP);
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		log_err("database: %s: %s", sql, sqlite3_errmsg(s->db));
}

/* How long a connection waits for a lock before SQLITE_BUSY. */
#define BUSY_MS		5000

/*
 * A RESTART checkpoint waits for the readers still on the old WAL while
 * its caller holds the writers' turn: poll every 100 us, for 10 ms at
 * most, instead of the busy timeout's sleeps of 1, 2, 5, 10 ... ms for up
 * to 5 s.  Readers are done in microseconds; one that is not makes the
 * checkpoint give up until its next round.
 */
#define RESTART_WAIT_US	10000

static int
restart_busy(void *arg, int n)
{
	const long long	*since = arg;

	(void)n;
	if (stage_now() - *since >= RESTART_WAIT_US)
		return 0;
	usleep(100);
	return 1;
}

enum status
store_checkpoint(struct store *s, int restart, long *frames, long *copied)
{
	long long	 since = stage_now();
	int		 rc, nlog = 0, nckpt = 0;

	if (restart)
		sqlite3_busy_handler(s->db, restart_busy, &since);
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL, restart ?
	    SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, &nlog,
	    &nckpt);
	if (restart)
		sqlite3_busy_timeout(s->db, BUSY_MS);
	if (frames != NULL)
		*frames = nlog;
	if (copied != NULL)
		*copied = nckpt;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return ST_BUSY;
	if (rc != SQLITE_OK)
		return sq_fail(s, "checkpoint");
	return ST_OK;
}

enum status
store_open(const char *path, struct store **out)
{
	struct store	*s;
	char		*msg = NULL;
	int		 i;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ST_NOMEM;
	if ((s->db = sq_open(path, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX)) == NULL) {
		store_close(s);
		return ST_DB;
	}
	s->max_depth = sq_max_depth();
	sqlite3_busy_timeout(s->db, BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	/* Per connection: durability and integrity are never optional. */
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL;", NULL, NULL, &msg) != SQLITE_OK) {
		log_err("%s: %s", path, msg);
		sqlite3_free(msg);
		store_close(s);
		return ST_DB;
	}
	if (stage_enabled())
		sqlite3_wal_hook(s->db, timed_autocheckpoint, NULL);
	for (i = 0; i < STMT__MAX; i++)
		if (sqlite3_prepare_v3(s->db, store_stmts[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			log_err("%s: cannot prepare statement %d (%s): %s",
			    path, i, store_stmts[i], sqlite3_errmsg(s->db));
			store_close(s);
			return ST_DB;
		}
	for (i = 0; i < MS__MAX; i++)
		if (sqlite3_prepare_v3(s->db, mail_stmts[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->mst[i], NULL) != SQLITE_OK) {
			log_err("%s: cannot prepare statement m%d (%s): %s",
			    path, i, mail_stmts[i], sqlite3_errmsg(s->db));
			store_close(s);
			return ST_DB;
		}
	for (i = 0; i < DSTMT__MAX; i++)
		if (sqlite3_prepare_v3(s->db, sq_desk_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->dst[i], NULL) !=
		    SQLITE_OK) {
			log_err("%s: cannot prepare desk statement %d (%s): %s",
			    path, i, sq_desk_sql[i], sqlite3_errmsg(s->db));
			store_close(s);
			return ST_DB;
		}
	*out = s;
	return ST_OK;
}

void
store_close(struct store *s)
{
	int	 i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->st[i]);
	for (i = 0; i < MS__MAX; i++)
		sqlite3_finalize(s->mst[i]);
	for (i = 0; i < DSTMT__MAX; i++)
		sqlite3_finalize(s->dst[i]);
	sqlite3_close(s->db);
	free(s);
}

void
store_set_auto_close(struct store *s, long days)
{
	s->auto_close = (long long)days * 86400;
}

/* --- settings ------------------------------------------------------------ */

enum status
store_secret(struct store *s, unsigned char out[32])
{
	sqlite3_stmt	*st = sq_get(s, STMT_SECRET);
	int		 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == 32) {
		memcpy(out, sqlite3_column_blob(st, 0), 32);
		sqlite3_reset(st);
		return ST_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		log_err("database: the server secret is missing or damaged; "
		    "run palaver init");
		return ST_NOTFOUND;
	}
	return sq_fail(s, "secret");
}

/* --- articles ------------------------------------------------------------ */

enum status
store_article_add(struct store *s, const char *uri, const char *title,
    const char *body, const char *body_html, long long now, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_INSERT);
	int		 rc;

	sq_bind_text(st, ":uri", uri);
	sq_bind_text(st, ":title", title);
	sq_bind_text(st, ":body", body);
	sq_bind_text(st, ":body_html", body_html);
	sq_bind_int(st, ":created", now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "article add");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

enum status
store_article_add_reader(struct store *s, const char *uri,
    const char *title_proposed, long long now, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_INSERT_READER);
	int		 rc;

	sq_bind_text(st, ":uri", uri);
	sq_bind_text(st, ":title", title_proposed);
	sq_bind_int(st, ":created", now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "article add");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

enum status
store_article_title(struct store *s, long long id, const char *title)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_TITLE);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":title", title);
	if ((rv = sq_done(s, st, "article title")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

static enum status
article_one(struct store *s, sqlite3_stmt *st, struct arena *a,
    struct article *ar)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return ST_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return sq_fail(s, "article get");
	}
	rc = read_article(s, a, st, ar);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_article_get(struct store *s, struct arena *a, long long id,
    struct article *ar)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_GET);

	sq_bind_int(st, ":id", id);
	return article_one(s, st, a, ar);
}

enum status
store_article_by_uri(struct store *s, struct arena *a, const char *uri,
    struct article *ar)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_BY_URI);
	const char	*q;
	char		*path;
	enum status	 rv;

	sq_bind_text(st, ":uri", uri);
	rv = article_one(s, st, a, ar);
	/* A key with a query (a site keyed so on import, --keep-query)
	 * when there is one, else the page's path alone. */
	if (rv != ST_NOTFOUND || (q = strchr(uri, '?')) == NULL)
		return rv;
	if ((path = arena_strndup(a, uri, (size_t)(q - uri))) == NULL)
		return ST_NOMEM;
	st = sq_get(s, STMT_ARTICLE_BY_URI);
	sq_bind_text(st, ":uri", path);
	return article_one(s, st, a, ar);
}

enum status
store_article_id(struct store *s, const char *uri, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_ID);

	sq_bind_text(st, ":uri", uri);
	return sq_one_int(s, st, "article id", id);
}

enum status
store_article_list(struct store *s, struct arena *a, long long before_created,
    long long before_id, int limit, int all, struct article **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_LIST);
	struct article	*v;
	size_t		 n = 0;
	int		 rc;

	*vp = NULL;
	*np = 0;
	if ((v = arena_calloc(a, (size_t)limit, sizeof(*v))) == NULL)
		return ST_NOMEM;
	sq_bind_int(st, ":before_created", before_created);
	sq_bind_int(st, ":before_id", before_id);
	sq_bind_int(st, ":all", all != 0);
	sq_bind_int(st, ":limit", limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)limit)
		if (read_article(s, a, st, &v[n++]) == -1) {
			sqlite3_reset(st);
			return ST_NOMEM;
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_fail(s, "article list");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_article_set(struct store *s, long long id, int closed, const char *mode)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_SET);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	if (closed >= 0)
		sq_bind_int(st, ":closed", closed);
	sq_bind_text(st, ":mode", mode);
	if ((rv = sq_done(s, st, "article set")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

/* Step a statement that returns nothing. */
enum status
sq_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	 rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, what);
	return ST_OK;
}

/* Step a statement that returns one integer. */
enum status
sq_one_int(struct store *s, sqlite3_stmt *st, const char *what, long long *v)
{
	int	 rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ST_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_fail(s, what);
	return ST_OK;
}

enum status
store_tx_begin(struct store *s)
{
	return begin(s);
}

enum status
store_tx_commit(struct store *s)
{
	return commit(s);
}

enum status
store_savepoint(struct store *s)
{
	return sq_done(s, sq_get(s, STMT_SAVEPOINT), "savepoint");
}

void
store_savepoint_release(struct store *s)
{
	sq_done(s, sq_get(s, STMT_RELEASE), "release");
}

void
store_savepoint_rollback(struct store *s)
{
	sq_done(s, sq_get(s, STMT_ROLLBACK_TO), "rollback to");
	sq_done(s, sq_get(s, STMT_RELEASE), "release");
}

/* --- imports --------------------------------------------------------------- */

enum status
store_import_seen(struct store *s, const char *source, const char *source_id,
    long long *comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_IMPORT_SEEN);

	sq_bind_text(st, ":source", source);
	sq_bind_text(st, ":source_id", source_id);
	return sq_one_int(s, st, "import seen", comment);
}

enum status
store_import_mark(struct store *s, const char *source, const char *source_id,
    long long comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_IMPORT_MARK);
	int		 rc;

	sq_bind_text(st, ":source", source);
	sq_bind_text(st, ":source_id", source_id);
	sq_bind_int(st, ":comment", comment);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "import mark");
	return ST_OK;
}

void
store_tx_rollback(struct store *s)
{
	sq_rollback(s);
}
