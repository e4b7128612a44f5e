/* sqlite_int.h: what the SQLite backend's files share; nothing else includes it (but white-box unit tests) */
#ifndef PALAVER_SQLITE_INT_H
#define PALAVER_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store_int.h"

/* The SQL of every statement, for SQLite (sqlite_sql.c,
 * sqlite_mail_sql.c). */
extern const char *const sqlite_stmts[STMT__MAX];
extern const char *const sqlite_mail_sql[MS__MAX];
extern const char *const sqlite_desk_sql[DSTMT__MAX];

/*
 * sq_open: a connection to path (sqlite3_open_v2 flags) through the VFS
 * of store_set_vfs, in defensive mode with an untrusted schema.  NULL on
 * error, logged (sqlite_db.c).
 */
sqlite3		*sq_open(const char *path, int flags);
/* sqlite_migrate, sqlite_backup: the driver's migrate and backup. */
enum status	 sqlite_migrate(const char *path, const unsigned char secret[32],
		    int *from, int *to);
enum status	 sqlite_backup(const char *path, const char *dest);
/* sq_col_text: a text column of a plain SQLite statement copied into the
 * arena; NULL stays NULL; sets *nomem when the copy fails (sqlite_db.c). */
struct arena;
const char	*sq_col_text(struct arena *, sqlite3_stmt *, int, int *nomem);
/* sq_db: the connection of a SQLite store (white-box tests). */
sqlite3		*sq_db(struct store *);

/* How long a connection waits for a lock before SQLITE_BUSY. */
#define SQ_BUSY_MS	5000

/* The checkpoints (sqlite_ckpt.c): the driver's checkpoint_manual and
 * checkpoint; sq_ckpt_timed: with stages on, SQLite's own checkpoints
 * in COMMIT are timed (a connection's WAL hook). */
void		 sq_checkpoint_manual(struct store *);
enum status	 sq_checkpoint(struct store *, int restart, long *frames,
		    long *copied);
void		 sq_ckpt_timed(sqlite3 *);

#endif
