/* sqlite_drv.c: the SQLite engine: a connection per thread, every statement prepared once, the writers' lock file, the full-text index kept at commit */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/stage.h"
#include "store/store.h"
#include "store/sqlite_int.h"

struct sq_stmt {
	struct dbstmt	 base;
	sqlite3_stmt	*h;
};

/* Each table's statements, and how many. */
static const struct {
	const char *const	*sql;
	int			 n;
} tables[TB__MAX] = {
	[TB_CORE] = { sqlite_stmts, STMT__MAX },
	[TB_MAIL] = { sqlite_mail_sql, MS__MAX },
	[TB_DESK] = { sqlite_desk_sql, DSTMT__MAX },
};

struct sq_conn {
	sqlite3		*db;
	struct sq_stmt	*st[TB__MAX];
	sqlite3_stmt	*fts_apply, *fts_clear;
	char		*lockpath;	/* <db>-writer.lock */
	int		 lockfd;	/* -1: no turns taken */
	int		 locked;
};

/* The full-text index follows the comments (006-hardening.sql): the
 * triggers note each change in fts_pending, applied just before COMMIT. */
#define FTS_APPLY "INSERT INTO comments_fts (comments_fts, rowid, body, " \
	"author, email) SELECT cmd, id, body, author, email FROM fts_pending " \
	"ORDER BY seq"
#define FTS_CLEAR "DELETE FROM fts_pending"

static struct sq_conn *
conn(struct store *s)
{
	return s->h;
}

sqlite3 *
sq_db(struct store *s)
{
	return conn(s)->db;
}

static sqlite3_stmt *
H(struct dbstmt *st)
{
	return ((struct sq_stmt *)(void *)st)->h;
}

static enum status
sq_fail(struct store *s, const char *what)
{
	sqlite3	*db = conn(s)->db;
	int	 rc = sqlite3_extended_errcode(db);

	log_err("database: %s: %s", what, sqlite3_errmsg(db));
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ?
	    ST_BUSY : ST_DB;
}

/* --- open and close ------------------------------------------------------ */

static void
sq_close(struct store *s)
{
	struct sq_conn	*c = conn(s);
	int		 i, t;

	if (c == NULL)
		return;
	for (t = 0; t < TB__MAX; t++) {
		for (i = 0; c->st[t] != NULL && i < tables[t].n; i++)
			sqlite3_finalize(c->st[t][i].h);
		free(c->st[t]);
	}
	sqlite3_finalize(c->fts_apply);
	sqlite3_finalize(c->fts_clear);
	sqlite3_close(c->db);
	if (c->lockfd != -1)
		close(c->lockfd);
	free(c->lockpath);
	free(c);
	s->h = NULL;
}

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, const char *path)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
	    NULL) != SQLITE_OK) {
		log_err("%s: cannot prepare statement (%s): %s", path, sql,
		    sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static enum status
sq_open_store(struct store *s, const char *path)
{
	struct sq_conn	*c;
	char		*msg = NULL;
	size_t		 n;
	int		 i, t;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ST_NOMEM;
	s->h = c;
	c->lockfd = -1;
	n = strlen(path) + sizeof("-writer.lock");
	if ((c->lockpath = malloc(n)) == NULL)
		return ST_NOMEM;
	snprintf(c->lockpath, n, "%s-writer.lock", path);
	if ((c->db = sq_open(path, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX)) == NULL)
		return ST_DB;
	sqlite3_busy_timeout(c->db, SQ_BUSY_MS);
	sqlite3_extended_result_codes(c->db, 1);
	/* Per connection: durability and integrity are never optional. */
	if (sqlite3_exec(c->db, "PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL;", NULL, NULL, &msg) != SQLITE_OK) {
		log_err("%s: %s", path, msg);
		sqlite3_free(msg);
		return ST_DB;
	}
	sq_ckpt_timed(c->db);
	for (t = 0; t < TB__MAX; t++) {
		if ((c->st[t] = calloc((size_t)tables[t].n,
		    sizeof(*c->st[t]))) == NULL)
			return ST_NOMEM;
		for (i = 0; i < tables[t].n; i++) {
			c->st[t][i].base.drv = &sqlite_driver;
			c->st[t][i].base.s = s;
			if (tables[t].sql[i] == NULL ||
			    prepare(c->db, tables[t].sql[i], &c->st[t][i].h,
			    path) == -1) {
				log_err("%s: statement %d of table %d", path, i,
				    t);
				return ST_DB;
			}
		}
	}
	if (prepare(c->db, FTS_APPLY, &c->fts_apply, path) == -1 ||
	    prepare(c->db, FTS_CLEAR, &c->fts_clear, path) == -1)
		return ST_DB;
	return ST_OK;
}

/*
 * The group-commit writers of the worker processes take turns on a lock
 * file beside the database (flock(2)), where the kernel wakes the next
 * one at once; meeting on SQLite's write lock instead would leave one in
 * the busy handler, which sleeps and polls (stalls of a second were
 * measured).  Without the file (a read-only directory) writers still
 * work: SQLite's own lock keeps them apart, only slower.
 */
static void
sq_set_writer(struct store *s)
{
	struct sq_conn	*c = conn(s);

	if (c->lockfd != -1)
		return;
	if ((c->lockfd = open(c->lockpath, O_RDWR | O_CREAT | O_CLOEXEC,
	    0660)) == -1)
		log_err("%s: %s; writers will wait on SQLite's lock instead",
		    c->lockpath, strerror(errno));
}

/* --- statements ---------------------------------------------------------- */

static struct dbstmt *
sq_get(struct store *s, enum stable tb, int id)
{
	struct sq_stmt	*st = &conn(s)->st[tb][id];

	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
	return &st->base;
}

static int
sq_has(struct dbstmt *st, const char *name)
{
	return sqlite3_bind_parameter_index(H(st), name) > 0;
}

static int
idx(struct dbstmt *st, const char *name)
{
	int	 i = sqlite3_bind_parameter_index(H(st), name);

	if (i == 0) {
		log_err("database: no parameter %s in: %s", name,
		    sqlite3_sql(H(st)));
		abort();	/* a programming error, caught by the tests */
	}
	return i;
}

static void
sq_bind_int(struct dbstmt *st, const char *name, long long v)
{
	sqlite3_bind_int64(H(st), idx(st, name), v);
}

static void
sq_bind_real(struct dbstmt *st, const char *name, double v)
{
	sqlite3_bind_double(H(st), idx(st, name), v);
}

static void
sq_bind_text(struct dbstmt *st, const char *name, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(H(st), idx(st, name));
	else
		sqlite3_bind_text(H(st), idx(st, name), v, -1, SQLITE_STATIC);
}

static void
sq_bind_blob(struct dbstmt *st, const char *name, const void *v, size_t n)
{
	sqlite3_bind_blob(H(st), idx(st, name), v, (int)n, SQLITE_STATIC);
}

static enum step
sq_step(struct dbstmt *st)
{
	int	 rc = sqlite3_step(H(st));

	if (rc == SQLITE_ROW)
		return STEP_ROW;
	if (rc == SQLITE_DONE)
		return STEP_DONE;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STEP_CONFLICT;
	return STEP_ERROR;
}

static void
sq_reset(struct dbstmt *st)
{
	sqlite3_reset(H(st));
}

static int
sq_col_null(struct dbstmt *st, int i)
{
	return sqlite3_column_type(H(st), i) == SQLITE_NULL;
}

static long long
sq_col_int(struct dbstmt *st, int i)
{
	return sqlite3_column_int64(H(st), i);
}

static double
sq_col_real(struct dbstmt *st, int i)
{
	return sqlite3_column_double(H(st), i);
}

static const void *
sq_col_bytes(struct dbstmt *st, int i, size_t *len)
{
	const void	*p;

	if (sqlite3_column_type(H(st), i) == SQLITE_NULL) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	/* Text, so that a blob also comes NUL-terminated. */
	p = sqlite3_column_text(H(st), i);
	if (len != NULL)
		*len = (size_t)sqlite3_column_bytes(H(st), i);
	return p;
}

static long long
sq_changes(struct store *s)
{
	return sqlite3_changes(conn(s)->db);
}

static long long
sq_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(conn(s)->db);
}

/* --- transactions -------------------------------------------------------- */

static void
unlock(struct sq_conn *c)
{
	if (c->locked) {
		flock(c->lockfd, LOCK_UN);
		c->locked = 0;
	}
}

/* The writers' turn, kept until the transaction ends (unlock).  On
 * EINTR try again; on anything else go on without the turn: SQLite's own
 * lock still keeps writers apart. */
static void
sq_turn(struct store *s)
{
	struct sq_conn	*c = conn(s);

	if (c->lockfd != -1 && !c->locked) {
		while (flock(c->lockfd, LOCK_EX) == -1 && errno == EINTR)
			continue;
		c->locked = 1;
	}
}

static enum status
sq_begin(struct store *s)
{
	struct sq_conn	*c = conn(s);
	enum status	 rv;

	sq_turn(s);
	if (sqlite3_step(H(sq_get(s, TB_CORE, STMT_BEGIN))) != SQLITE_DONE) {
		rv = sq_fail(s, "begin");
		unlock(c);
		return rv;
	}
	return ST_OK;
}

/* The transaction's changes to comments, into the full-text index. */
static enum status
fts_apply(struct store *s)
{
	struct sq_conn	*c = conn(s);
	int		 rc;

	sqlite3_reset(c->fts_apply);
	rc = sqlite3_step(c->fts_apply);
	sqlite3_reset(c->fts_apply);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "search index");
	if (sqlite3_changes(c->db) == 0)
		return ST_OK;
	sqlite3_reset(c->fts_clear);
	rc = sqlite3_step(c->fts_clear);
	sqlite3_reset(c->fts_clear);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "search index");
	return ST_OK;
}

static enum status
sq_commit(struct store *s)
{
	struct sq_conn	*c = conn(s);
	enum status	 rv;
	int		 pages = 0, hi = 0;

	if ((rv = fts_apply(s)) != ST_OK) {
		sqlite3_step(H(sq_get(s, TB_CORE, STMT_ROLLBACK)));
		unlock(c);
		return rv;
	}
	stage_mark(STAGE_FTS);
	if (stage_enabled())
		sqlite3_db_status(c->db, SQLITE_DBSTATUS_CACHE_WRITE, &pages,
		    &hi, 1);
	if (sqlite3_step(H(sq_get(s, TB_CORE, STMT_COMMIT))) != SQLITE_DONE) {
		rv = sq_fail(s, "commit");
		sqlite3_step(H(sq_get(s, TB_CORE, STMT_ROLLBACK)));
		unlock(c);
		return rv;
	}
	unlock(c);
	stage_mark(STAGE_COMMIT);
	/* The pages the transaction wrote to the WAL (reset above). */
	if (stage_enabled() && sqlite3_db_status(c->db,
	    SQLITE_DBSTATUS_CACHE_WRITE, &pages, &hi, 1) == SQLITE_OK)
		stage_pages(pages);
	return ST_OK;
}

static void
sq_rollback(struct store *s)
{
	struct sq_conn	*c = conn(s);

	if (sqlite3_get_autocommit(c->db) == 0)
		sqlite3_step(H(sq_get(s, TB_CORE, STMT_ROLLBACK)));
	unlock(c);
}

/* One writer at a time already: nothing to wait for. */
static enum status
sq_xlock(struct store *s, const char *key)
{
	(void)s;
	(void)key;
	return ST_OK;
}

/*
 * Words typed into the search box become an FTS5 query of quoted terms,
 * all required: FTS5's own syntax (NEAR, *, column filters) is not for
 * readers' names to trip over, and a stray quote cannot break the query.
 */
static const char *
sq_search(struct arena *a, const char *q, int *nomem)
{
	size_t	 i, n = strlen(q);
	char	*out, *p;
	int	 inword = 0, words = 0;

	if ((out = arena_alloc(a, n * 3 + 3)) == NULL) {
		*nomem = 1;
		return NULL;
	}
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

/* --- for store_copy -------------------------------------------------------- */

static struct dbstmt *
sq_adhoc(struct store *s, const char *sql, int scan)
{
	struct sq_stmt	*st;

	(void)scan;	/* SQLite steps through any table a row at a time */
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->base.drv = &sqlite_driver;
	st->base.s = s;
	if (sqlite3_prepare_v2(conn(s)->db, sql, -1, &st->h, NULL) !=
	    SQLITE_OK) {
		free(st);
		return NULL;
	}
	return &st->base;
}

static void
sq_adhoc_free(struct dbstmt *base)
{
	struct sq_stmt	*st = (struct sq_stmt *)(void *)base;

	if (st == NULL)
		return;
	sqlite3_finalize(st->h);
	free(st);
}

/* A deferred BEGIN: the first read takes the snapshot (WAL), and no
 * writer waits for it. */
static enum status
sq_begin_read(struct store *s)
{
	if (sqlite3_exec(conn(s)->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, "begin");
	return ST_OK;
}

static enum status
sq_one(struct store *s, const char *sql, long long v, long long *out)
{
	struct dbstmt	*st;
	enum step	 rc;
	enum status	 rv = ST_OK;

	if ((st = sq_adhoc(s, sql, 0)) == NULL)
		return sq_fail(s, "sequence");
	if (sq_has(st, ":v"))
		sq_bind_int(st, ":v", v);
	if ((rc = sq_step(st)) == STEP_ROW && out != NULL)
		*out = sq_col_int(st, 0);
	else if (rc != STEP_ROW && rc != STEP_DONE)
		rv = sq_fail(s, "sequence");
	sq_adhoc_free(st);
	return rv;
}

/* comments is AUTOINCREMENT (ids never used twice): its high-water mark
 * is kept in sqlite_sequence.  Other tables go on from their highest. */
static enum status
sq_seq_get(struct store *s, const char *table, long long *v)
{
	char	 sql[512];

	*v = 0;
	snprintf(sql, sizeof(sql), "SELECT max(coalesce((SELECT seq FROM "
	    "sqlite_sequence WHERE name = '%s'), 0), coalesce((SELECT "
	    "max(id) FROM %s), 0))", table, table);
	return sq_one(s, sql, 0, v);
}

static enum status
sq_seq_set(struct store *s, const char *table, long long v)
{
	char		 sql[512];
	long long	 auto_inc = 0;
	enum status	 rv;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = '%s' AND sql LIKE '%%AUTOINCREMENT%%'", table);
	if ((rv = sq_one(s, sql, 0, &auto_inc)) != ST_OK || auto_inc == 0)
		return rv;
	snprintf(sql, sizeof(sql), "UPDATE sqlite_sequence SET seq = :v "
	    "WHERE name = '%s' AND seq < :v", table);
	if ((rv = sq_one(s, sql, v, NULL)) != ST_OK || v <= 0)
		return rv;
	snprintf(sql, sizeof(sql), "INSERT INTO sqlite_sequence (name, seq) "
	    "SELECT '%s', :v WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence "
	    "WHERE name = '%s')", table, table);
	return sq_one(s, sql, v, NULL);
}

static const char *
sq_sql(enum stable tb, int id)
{
	return tables[tb].sql[id];
}

/*
 * The mail sender's record that a message went out may skip the fsync
 * (synchronous=NORMAL: durable against the process dying, not a power
 * cut): a lost record means a second copy, never a lost message.
 */
static enum status
sq_sync_fast(struct store *s, int fast)
{
	if (sqlite3_exec(conn(s)->db, fast ? "PRAGMA synchronous=NORMAL" :
	    "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, "synchronous");
	return ST_OK;
}

const struct driver sqlite_driver = {
	.name = "SQLite",
	.open = sq_open_store,
	.close = sq_close,
	.migrate = sqlite_migrate,
	.backup = sqlite_backup,
	.set_writer = sq_set_writer,
	.turn = sq_turn,
	.checkpoint_manual = sq_checkpoint_manual,
	.checkpoint = sq_checkpoint,
	.adhoc = sq_adhoc,
	.adhoc_free = sq_adhoc_free,
	.begin_read = sq_begin_read,
	.seq_get = sq_seq_get,
	.seq_set = sq_seq_set,
	.get = sq_get,
	.has = sq_has,
	.bind_int = sq_bind_int,
	.bind_real = sq_bind_real,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.reset = sq_reset,
	.col_null = sq_col_null,
	.col_int = sq_col_int,
	.col_real = sq_col_real,
	.col_bytes = sq_col_bytes,
	.changes = sq_changes,
	.last_id = sq_last_id,
	.error = sq_fail,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.xlock = sq_xlock,
	.search = sq_search,
	.sync_fast = sq_sync_fast,
	.sql = sq_sql,
	/* One fsync a commit, a few hundred a second: batch. */
	.group_commit = 1,
};
