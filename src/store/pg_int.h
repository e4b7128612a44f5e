/* pg_int.h: what the PostgreSQL backend's files share; nothing else includes it (but white-box unit tests) */
#ifndef PALAVER_PG_INT_H
#define PALAVER_PG_INT_H

#include <time.h>

#include <libpq-fe.h>

#include "store/store_int.h"

/* Type oids (pg_type.h is the server's; these never change). */
#define BYTEAOID	17

/* The most parameters a statement of ours takes. */
#define MAXP		24

/* A lost connection is tried again at most this often, per connection. */
#define RECONNECT_SEC	1

/* Rows a scan (a cursor, for store_copy) fetches at a time. */
#define SCAN_ROWS	1000

enum bkind { B_NULL, B_INT, B_REAL, B_TEXT, B_BLOB };

struct bound {
	enum bkind	 kind;
	const char	*p;		/* B_TEXT, B_BLOB: borrowed */
	size_t		 len;
	char		 num[32];	/* B_INT, B_REAL: as text */
};

struct pg_stmt {
	struct dbstmt	 base;
	char		 name[16];	/* the prepared statement's name */
	char		*sql;		/* with $1..$n for the :names */
	int		 flags;
	int		 nparams;
	char		*names[MAXP];	/* :name of $1..$n */
	Oid		 types[MAXP];	/* as the server took them */
	int		 prepared;
	struct bound	 b[MAXP];
	char		*copy[MAXP];	/* a blob sent as text, NUL-ended */
	PGresult	*res;
	int		 row, nrows;
	char		**bytes;	/* bytea columns of the row, decoded */
	int		 nbytes;	/* entries of bytes */
	char		*declare;	/* a scan: DECLARE ... CURSOR FOR */
	int		 declared;
};

struct pg_conn {
	PGconn		*pg;
	char		*url;
	struct pg_stmt	*st[TB__MAX];	/* each table's statements */
	int		 in_tx;
	int		 force_sync;	/* the server's synchronous_commit is off */
	long long	 changes;
	time_t		 last_try;	/* of a reconnection that failed */
	char		 err[512];	/* the last error */
	char		 state[6];	/* its SQLSTATE */
	int		 lost;		/* the last error lost the connection */
	unsigned	 nadhoc;	/* names for store_copy's statements */
};

/* The driver's functions shared by pg_drv.c and pg_tx.c. */
int		 pg_ready(struct store *);
void		 pg_note(struct pg_conn *, const PGresult *);
enum status	 pg_fail(struct store *, const char *what);
int		 pg_convert(struct pg_stmt *, const char *sql);
void		 pg_stmt_clear(struct pg_stmt *);
void		 pg_stmt_free(struct pg_stmt *);
enum status	 pg_open(struct store *, const char *url);
void		 pg_close(struct store *);
struct dbstmt	*pg_get(struct store *, enum stable, int);
int		 pg_has(struct dbstmt *, const char *name);
void		 pg_bind_int(struct dbstmt *, const char *, long long);
void		 pg_bind_real(struct dbstmt *, const char *, double);
void		 pg_bind_text(struct dbstmt *, const char *, const char *);
void		 pg_bind_blob(struct dbstmt *, const char *, const void *,
		    size_t);
enum step	 pg_step(struct dbstmt *);
void		 pg_reset(struct dbstmt *);
int		 pg_col_null(struct dbstmt *, int);
long long	 pg_col_int(struct dbstmt *, int);
double		 pg_col_real(struct dbstmt *, int);
const void	*pg_col_bytes(struct dbstmt *, int, size_t *);
long long	 pg_changes(struct store *);
long long	 pg_last_id(struct store *);
const char	*pg_sql_of(enum stable, int);

/* A statement's SQL for PostgreSQL, and how to read its outcome. */
struct pg_sql {
	const char	*sql;
	int		 flags;
};

/* An INSERT ... ON CONFLICT DO NOTHING that changed no row was refused
 * by a constraint: STEP_CONFLICT, as SQLite's plain INSERT gives (and the
 * transaction goes on, where a unique violation would abort it). */
#define PG_NONE_CONFLICT	0x1
/* Planned with its values at every run (libpq's unnamed statement), never
 * from a cached generic plan: for the statements whose best plan turns on
 * the values (an article's few rows or its many; pg_sql.c says where). */
#define PG_CUSTOM_PLAN		0x2

/* The SQL of every statement, for PostgreSQL (pg_sql.c,
 * pg_mail_sql.c). */
extern const struct pg_sql	pg_stmts[STMT__MAX];
extern const struct pg_sql	pg_mail_sql[MS__MAX];
extern const struct pg_sql	pg_desk_sql[DSTMT__MAX];

/* The first key of palaver's advisory locks, apart from whatever else
 * shares the database ("pal" in ASCII); the second is a hash of a name. */
#define PG_LOCK_SPACE	"7364972"

/*
 * pg_connect: a connection to url with palaver's settings (keepalives,
 * time limits, UTF-8; what the URL says wins), checked to be a server
 * palaver works with; *force_sync is set when the server's
 * synchronous_commit is off (palaver's transactions turn it on).  NULL
 * after logging why (pg_drv.c).
 */
PGconn		*pg_connect(const char *url, int *force_sync);
/* pg_conn: the connection of a PostgreSQL store (pg_db.c, tests). */
PGconn		*pg_conn(struct store *);
/* pg_sqlstate: the SQLSTATE of a failed result, "" when none. */
const char	*pg_sqlstate(const PGresult *);

/* pg_migrate, pg_backup: the driver's migrate and backup (pg_db.c). */
enum status	 pg_migrate(const char *url, const unsigned char secret[32],
		    int *from, int *to);
enum status	 pg_backup(const char *url, const char *dest);

#endif
