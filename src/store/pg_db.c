/* pg_db.c: the PostgreSQL database: creating and migrating its schema, backups */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/log.h"
#include "store/store.h"
#include "store/pg_int.h"

/* From build/sql_gen.c, made by conf/dev/sql2c.sh. */
extern const char *const pg_migrations[];
extern const size_t nmigrations;

/* A result's error as one line (its position, if any, goes). */
static const char *
msg(const PGresult *r)
{
	static _Thread_local char	 buf[512];
	const char			*m = PQresultErrorMessage(r);

	snprintf(buf, sizeof(buf), "%s", m != NULL ? m : "");
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Run sql (one command or many); -1 after logging what failed. */
static int
exec(PGconn *pg, const char *sql, const char *shown, const char *what)
{
	PGresult	*r = PQexec(pg, sql);
	ExecStatusType	 rs = PQresultStatus(r);

	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
		log_err("%s: %s: %s", shown, what, msg(r));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

/* The first column of the one row of sql as an integer; -1 on error. */
static long long
one_int(PGconn *pg, const char *sql, const char *shown)
{
	PGresult	*r = PQexec(pg, sql);
	long long	 v = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else
		log_err("%s: %s", shown, msg(r));
	PQclear(r);
	return v;
}

/*
 * The version this database is at, inside the caller's transaction and
 * its lock: 0 for an empty one (then the version table is made), -1 on
 * error, -2 when it holds tables of something else.
 */
static int
version(PGconn *pg, const char *shown)
{
	long long	 have, tables;

	if ((have = one_int(pg, "SELECT (to_regclass('schema_version') IS "
	    "NOT NULL)::int", shown)) < 0)
		return -1;
	if (have == 0) {
		/* Never migrated: the database must be empty. */
		if ((tables = one_int(pg, "SELECT count(*) FROM pg_class c "
		    "JOIN pg_namespace n ON n.oid = c.relnamespace "
		    "WHERE n.nspname = current_schema() "
		    "AND c.relkind IN ('r', 'v', 'm', 'p', 'f')", shown)) < 0)
			return -1;
		if (tables > 0) {
			log_err("%s: the database holds %lld tables but none "
			    "of palaver's: palaver wants a database of its own "
			    "(createdb -O ROLE NAME)", shown, tables);
			return -2;
		}
		if (exec(pg, "CREATE TABLE schema_version ("
		    "version integer NOT NULL)", shown,
		    "cannot create the schema (does the role own the "
		    "database, or may it create in its schema?)") == -1 ||
		    exec(pg, "INSERT INTO schema_version VALUES (0)", shown,
		    "schema version") == -1)
			return -1;
		return 0;
	}
	return (int)one_int(pg, "SELECT version FROM schema_version", shown);
}

enum status
pg_migrate(const char *url, const unsigned char fresh_secret[32], int *from,
    int *to)
{
	char		 shown[1024], what[64], sql[64];
	const char	*vals[1];
	int		 lens[1], fmts[1], force, v, first = -1;
	PGconn		*pg;
	PGresult	*r;
	enum status	 rv = ST_DB;

	store_display(url, shown, sizeof(shown));
	if ((pg = pg_connect(url, &force)) == NULL)
		return ST_DB;
	/*
	 * One transaction a migration, each re-reading the version under
	 * an advisory lock: hosts that start at once take turns, and the
	 * later ones find the work done.  (A transaction lock, so the same
	 * works through pgbouncer in transaction mode.)
	 */
	for (;;) {
		if (exec(pg, "BEGIN", shown, "begin") == -1 ||
		    exec(pg, "SELECT pg_advisory_xact_lock(" PG_LOCK_SPACE
		    ", hashtext('migrate'))", shown, "lock") == -1)
			goto out;
		if ((v = version(pg, shown)) < 0) {
			rv = v == -2 ? ST_CONFLICT : ST_DB;
			goto rollback;
		}
		if (first < 0)
			first = v;
		if (v > (int)nmigrations) {
			log_err("%s: the database is at schema version %d, newer "
			    "than this palaver (%zu): upgrade palaver", shown, v,
			    nmigrations);
			rv = ST_CONFLICT;
			goto rollback;
		}
		if (v == (int)nmigrations)
			break;
		snprintf(what, sizeof(what), "migration %d", v + 1);
		snprintf(sql, sizeof(sql), "UPDATE schema_version SET "
		    "version = %d", v + 1);
		if (exec(pg, pg_migrations[v], shown, what) == -1 ||
		    exec(pg, sql, shown, what) == -1 ||
		    exec(pg, "COMMIT", shown, what) == -1)
			goto rollback;
	}
	/* The secret, made once (the first host to get here). */
	vals[0] = (const char *)fresh_secret;
	lens[0] = 32;
	fmts[0] = 1;
	r = PQexecParams(pg, "INSERT INTO settings (key, value) VALUES "
	    "('secret', $1::bytea) ON CONFLICT (key) DO NOTHING", 1, NULL,
	    vals, lens, fmts, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_err("%s: cannot store the server secret: %s", shown,
		    msg(r));
		PQclear(r);
		goto rollback;
	}
	PQclear(r);
	if (exec(pg, "COMMIT", shown, "commit") == -1)
		goto rollback;
	if (from != NULL)
		*from = first;
	if (to != NULL)
		*to = (int)nmigrations;
	rv = ST_OK;
	goto out;
rollback:
	exec(pg, "ROLLBACK", shown, "rollback");
out:
	PQfinish(pg);
	return rv;
}

static void
unlink_beside(const char *path, const char *suffix)
{
	char	 p[4096];

	if ((size_t)snprintf(p, sizeof(p), "%s%s", path, suffix) < sizeof(p))
		unlink(p);
}

/*
 * A backup of a PostgreSQL database is a SQLite file: every row read in
 * one snapshot (store_copy), so it can be read with sqlite3, served by
 * palaver as it is, or moved back with palaver migrate --to.  For large
 * sites PostgreSQL's own tools (pg_dump, base backups with WAL archiving)
 * do more; see README: PostgreSQL.
 */
enum status
pg_backup(const char *url, const char *dest)
{
	/* Replaced by the database's own secret in the same transaction
	 * as every row, or the file goes: never seen. */
	static const unsigned char placeholder[32];
	enum status	 rv;

	if (access(dest, F_OK) == 0) {
		log_err("%s: already exists; not overwriting", dest);
		return ST_CONFLICT;
	}
	if ((rv = store_copy(url, dest, placeholder, NULL)) != ST_OK) {
		unlink(dest);
		unlink_beside(dest, "-wal");
		unlink_beside(dest, "-shm");
	}
	return rv;
}
