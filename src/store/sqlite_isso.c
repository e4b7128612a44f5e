/* sqlite_isso.c: an Isso database (threads, comments) read through SQLite, read only and guarded as a file from elsewhere */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/sqlite_int.h"

/*
 * Isso's schema, as its db/ modules create it: threads (id, uri, title)
 * and comments (tid, id, parent, created, modified, mode, remote_addr,
 * text, author, email, website, likes, dislikes, voters, notification).
 * Another database than ours, so its own statements, prepared on its own
 * connection; the same rules as store.c's table (named, explicit columns,
 * no SQL from strings).
 */
enum isso_stmt {
	ISSO_CHECK,
	ISSO_COMMENTS,
	ISSO_COMMENTS_NOVOTES,
	ISSO__MAX
};

static const char *const isso_stmts[ISSO__MAX] = {
	[ISSO_CHECK] = "PRAGMA quick_check",
	[ISSO_COMMENTS] = "SELECT c.id, c.tid, t.uri, t.title, c.parent, "
	    "c.created, c.mode, c.text, c.author, c.email, c.website, "
	    "c.likes, c.dislikes FROM comments c JOIN threads t "
	    "ON t.id = c.tid ORDER BY c.tid, c.id",
	/* The oldest Isso databases have no votes. */
	[ISSO_COMMENTS_NOVOTES] = "SELECT c.id, c.tid, t.uri, t.title, "
	    "c.parent, c.created, c.mode, c.text, c.author, c.email, "
	    "c.website, 0, 0 FROM comments c JOIN threads t ON t.id = c.tid "
	    "ORDER BY c.tid, c.id",
};

struct isso {
	sqlite3		*db;
	sqlite3_stmt	*comments;
};

/*
 * SQLite's advice for database files from elsewhere: defensive mode (no
 * writes to the schema, no shadow tables), no triggers or views run, the
 * schema not trusted with functions, no memory mapping, every cell's size
 * checked, and an integrity check before the first read.
 */
static int
guard(sqlite3 *db)
{
	int	 off = 0;

	return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) !=
	    SQLITE_OK || sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER,
	    0, &off) != SQLITE_OK || sqlite3_db_config(db,
	    SQLITE_DBCONFIG_ENABLE_VIEW, 0, &off) != SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &off) !=
	    SQLITE_OK || sqlite3_exec(db, "PRAGMA cell_size_check=ON; "
	    "PRAGMA mmap_size=0;", NULL, NULL, NULL) != SQLITE_OK ? -1 : 0;
}

enum status
store_isso_open(const char *path, struct isso **out, char *err,
    size_t errsz)
{
	struct isso	*h;
	sqlite3_stmt	*st = NULL;
	enum status	 rv = ST_INPUT;
	const char	*ok;
	int		 rc;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return ST_NOMEM;
	}
	if ((rc = sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL)) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open it: %s", h->db != NULL ?
		    sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
		rv = ST_IO;
		goto fail;
	}
	sqlite3_busy_timeout(h->db, 5000);
	if (guard(h->db) == -1) {
		snprintf(err, errsz, "cannot guard the database: %s",
		    sqlite3_errmsg(h->db));
		goto fail;
	}
	if (sqlite3_prepare_v2(h->db, isso_stmts[ISSO_CHECK], -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "not an SQLite database SQLite can read: "
		    "%s", sqlite3_errmsg(h->db));
		goto fail;
	}
	ok = (const char *)sqlite3_column_text(st, 0);
	if (ok == NULL || strcmp(ok, "ok") != 0) {
		snprintf(err, errsz, "the database is damaged (%.120s)",
		    ok != NULL ? ok : "?");
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v3(h->db, isso_stmts[ISSO_COMMENTS], -1, 0,
	    &h->comments, NULL) != SQLITE_OK && sqlite3_prepare_v3(h->db,
	    isso_stmts[ISSO_COMMENTS_NOVOTES], -1, 0, &h->comments, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "not an Isso database (%s)",
		    sqlite3_errmsg(h->db));
		goto fail;
	}
	*out = h;
	return ST_OK;
fail:
	sqlite3_finalize(st);
	store_isso_close(h);
	return rv;
}

enum status
store_isso_comments(struct isso *h, struct arena *a,
    int (*fn)(void *, const struct isso_comment *), void *arg)
{
	sqlite3_stmt		*st = h->comments;
	struct isso_comment	 c;
	enum status		 rv = ST_OK;
	int			 rc, nomem = 0;

	sqlite3_reset(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		arena_reset(a);
		memset(&c, 0, sizeof(c));
		c.id = sqlite3_column_int64(st, 0);
		c.thread = sqlite3_column_int64(st, 1);
		c.uri = sq_col_text(a, st, 2, &nomem);
		c.title = sq_col_text(a, st, 3, &nomem);
		c.parent = sqlite3_column_int64(st, 4);
		c.created = sqlite3_column_double(st, 5);
		c.mode = sqlite3_column_int(st, 6);
		c.text = sq_col_text(a, st, 7, &nomem);
		c.author = sq_col_text(a, st, 8, &nomem);
		c.email = sq_col_text(a, st, 9, &nomem);
		c.website = sq_col_text(a, st, 10, &nomem);
		c.likes = sqlite3_column_int64(st, 11);
		c.dislikes = sqlite3_column_int64(st, 12);
		if (nomem) {
			rv = ST_NOMEM;
			break;
		}
		if (fn(arg, &c) == -1) {
			rv = ST_INPUT;
			break;
		}
	}
	if (rv == ST_OK && rc != SQLITE_DONE)
		rv = ST_DB;
	sqlite3_reset(st);
	return rv;
}

void
store_isso_close(struct isso *h)
{
	if (h == NULL)
		return;
	sqlite3_finalize(h->comments);
	sqlite3_close(h->db);
	free(h);
}
