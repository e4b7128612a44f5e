/* unit.h: what the unit tests share: a scratch database, direct SQL on it,
 * removing their scratch directories.  Include cmocka first. */
#ifndef PALAVER_UNIT_H
#define PALAVER_UNIT_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "auth/auth.h"
#include "store/store.h"

/* unit_rmdir: remove the directory and the files in it (the tests make no
 * deeper trees).  "" does nothing. */
static inline void
unit_rmdir(const char *dir)
{
	struct dirent	*e;
	DIR		*d;
	char		 p[512];

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* unit_scratch: a fresh temporary directory in dir and, in it, db: a
 * database migrated to the newest schema with a server secret of its own.
 * 0, or -1 with nothing left behind. */
static inline int
unit_scratch(char *dir, size_t dirsz, char *db, size_t dbsz)
{
	unsigned char	 secret[AUTH_SECRET_LEN];
	int		 n;

	n = snprintf(dir, dirsz, "/tmp/palaver-test-XXXXXX");
	if (n < 0 || (size_t)n >= dirsz || mkdtemp(dir) == NULL) {
		if (dirsz > 0)
			dir[0] = '\0';
		return -1;
	}
	n = snprintf(db, dbsz, "%s/palaver.db", dir);
	auth_secret_new(secret);
	if (n < 0 || (size_t)n >= dbsz ||
	    store_migrate(db, secret, NULL, NULL) != ST_OK) {
		unit_rmdir(dir);
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

/* unit_sql_int: the first column of the first row of sql, as an integer,
 * read on a read-only connection of its own to db.  No row, or an error,
 * fails the test. */
static inline long long
unit_sql_int(const char *db, const char *sql)
{
	sqlite3		*h = NULL;
	sqlite3_stmt	*st = NULL;
	long long	 v;
	char		 err[256];

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(h, sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(h);
		return v;
	}
	/* Closed first: fail_msg does not come back. */
	snprintf(err, sizeof(err), "%s", sqlite3_errmsg(h));
	sqlite3_finalize(st);
	sqlite3_close(h);
	fail_msg("%s: %s", sql, err);
	return -1;
}

/* unit_sql_exec: run sql (one statement or more) on a connection of its
 * own to db, which it creates if missing.  An error fails the test. */
static inline void
unit_sql_exec(const char *db, const char *sql)
{
	sqlite3	*h = NULL;
	char	 err[256];

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) == SQLITE_OK &&
	    sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK) {
		sqlite3_close(h);
		return;
	}
	snprintf(err, sizeof(err), "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
	fail_msg("%s: %s", sql, err);
}

#endif
