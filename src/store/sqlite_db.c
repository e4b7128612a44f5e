/* sqlite_db.c: the SQLite database file: hardened connections, creating and migrating it, online backups */
#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "store/store.h"
#include "store/sqlite_int.h"

/* --- connections ---------------------------------------------------------- */

/* Set at start-up, before any thread opens a store; read-only after. */
static const char	*vfs_name;
static long		 max_depth = STORE_MAX_DEPTH;

/*
 * A statement journal up to this stays in memory (one allocation).  Not
 * more: with Debian 12's SQLite (3.40.1) a threshold above 128 KiB makes
 * every statement whose journal outgrows it fail with "database or disk
 * is full" (SQLITE_FULL) when it spills to a file: a restore or import
 * of some 20,000 comments (the search index is written in one statement
 * at commit), a remap of a big thread, a long prune.  Measured: 131072
 * works and 133000 fails, on an UPDATE of 100,000 rows and on that
 * search-index statement alike (tests/e2e/port.test.mjs restores 30,000).
 */
#define STMT_JOURNAL_MEM	(128 * 1024)

void
store_init(void)
{
	/* SQLITE_MISUSE once SQLite is in use: then the default stays. */
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_MEM);
}

void
store_set_vfs(const char *name)
{
	vfs_name = name;
}

void
store_set_max_depth(long depth)
{
	max_depth = depth < 1 ? 1 : depth;
}

long
sq_max_depth(void)
{
	return max_depth;
}

/*
 * What the file may make a connection do.  The database is data, not
 * code: whoever can write the file (a restored backup, a copy from
 * elsewhere) should not be able to make palaver run more than plain SQL.
 * DEFENSIVE refuses what can corrupt the file from SQL (writable_schema,
 * writes to shadow tables such as comments_fts_data, journal_mode=OFF);
 * trusted_schema=OFF keeps triggers and views in the file from calling
 * functions or virtual tables with side effects (see 006-hardening.sql
 * for the full-text index).
 */
static int
harden(sqlite3 *db)
{
	int	 defensive = 0, trusted = 1;

	if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive) !=
	    SQLITE_OK || sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA,
	    0, &trusted) != SQLITE_OK || defensive != 1 || trusted != 0)
		return -1;
	return 0;
}

sqlite3 *
sq_open(const char *path, int flags)
{
	sqlite3	*db = NULL;
	int	 rc;

	rc = sqlite3_open_v2(path, &db, flags, vfs_name);
	if (rc != SQLITE_OK) {
		log_err("%s: cannot open database: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return NULL;
	}
	if (harden(db) == -1) {
		log_err("%s: cannot set defensive mode and an untrusted "
		    "schema: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

const char *
sq_col_text(struct arena *a, sqlite3_stmt *st, int i, int *nomem)
{
	const unsigned char	*p;
	const char		*r;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	if ((p = sqlite3_column_text(st, i)) == NULL) {
		*nomem = 1;
		return NULL;
	}
	if ((r = arena_strndup(a, (const char *)p,
	    (size_t)sqlite3_column_bytes(st, i))) == NULL)
		*nomem = 1;
	return r;
}

/* --- creating and migrating the database, backups ------------------------ */

/* From build/sql_gen.c, made by conf/dev/sql2c.sh. */
extern const char *const sqlite_migrations[];
extern const size_t nmigrations;

static enum status
exec(sqlite3 *db, const char *sql, const char *what)
{
	char	*msg = NULL;
	int	 rc;

	if ((rc = sqlite3_exec(db, sql, NULL, NULL, &msg)) != SQLITE_OK) {
		log_err("%s: %s", what, msg != NULL ? msg :
		    sqlite3_errstr(rc));
		sqlite3_free(msg);
		return rc == SQLITE_BUSY ? ST_BUSY : ST_DB;
	}
	return ST_OK;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

enum status
sqlite_migrate(const char *path, const unsigned char fresh_secret[32],
    int *from, int *to)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	enum status	 rv = ST_DB;
	char		 sql[64];
	int		 v, i;

	if ((db = sq_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX)) == NULL)
		goto out;
	sqlite3_busy_timeout(db, 10000);
	/* WAL lives in the file, so setting it here sets it for good. */
	if ((rv = exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
	    "PRAGMA synchronous=FULL;", path)) != ST_OK)
		goto out;
	rv = ST_DB;
	if ((rv = exec(db, "BEGIN IMMEDIATE", path)) != ST_OK)
		goto out;
	rv = ST_DB;
	if ((v = user_version(db)) < 0) {
		log_err("%s: cannot read user_version: %s", path,
		    sqlite3_errmsg(db));
		goto rollback;
	}
	if (from != NULL)
		*from = v;
	if (v > (int)nmigrations) {
		log_err("%s: the database is at schema version %d, newer than "
		    "this palaver (%zu): upgrade palaver", path, v,
		    nmigrations);
		rv = ST_CONFLICT;
		goto rollback;
	}
	for (i = v; i < (int)nmigrations; i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s: migration %03d", path, i + 1);
		if ((rv = exec(db, sqlite_migrations[i], what)) != ST_OK)
			goto rollback;
		rv = ST_DB;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%zu", nmigrations);
	if ((rv = exec(db, sql, path)) != ST_OK)
		goto rollback;
	rv = ST_DB;
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO settings (key, value)"
	    " VALUES ('secret', ?1)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 1, fresh_secret, 32, SQLITE_STATIC) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
		log_err("%s: cannot store the server secret: %s", path,
		    sqlite3_errmsg(db));
		goto rollback;
	}
	if ((rv = exec(db, "COMMIT", path)) != ST_OK)
		goto rollback;
	if (to != NULL)
		*to = (int)nmigrations;
	rv = ST_OK;
	goto out;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rv;
}

enum status
sqlite_backup(const char *path, const char *dest)
{
	sqlite3		*src = NULL, *dst = NULL;
	sqlite3_backup	*bk = NULL;
	enum status	 rv = ST_DB;
	int		 rc, made = 0;

	if (access(dest, F_OK) == 0) {
		log_err("%s: already exists; not overwriting", dest);
		return ST_CONFLICT;
	}
	if ((src = sq_open(path, SQLITE_OPEN_READWRITE)) == NULL)
		goto out;
	sqlite3_busy_timeout(src, 10000);
	made = 1;
	if ((dst = sq_open(dest, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE)) == NULL)
		goto out;
	if ((bk = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		log_err("%s: backup: %s", dest, sqlite3_errmsg(dst));
		goto out;
	}
	/*
	 * All pages in one step: the copy is a snapshot of one read
	 * transaction, so writers that commit meanwhile (WAL) cannot make it
	 * restart.  Busy means a writer holds a lock we need; wait and retry.
	 */
	while ((rc = sqlite3_backup_step(bk, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	if (rc != SQLITE_DONE) {
		log_err("%s: backup: %s", dest, sqlite3_errstr(rc));
		goto out;
	}
	rv = ST_OK;
out:
	if (bk != NULL)
		sqlite3_backup_finish(bk);
	sqlite3_close(src);
	sqlite3_close(dst);
	if (rv != ST_OK && made)
		unlink(dest);
	return rv;
}
