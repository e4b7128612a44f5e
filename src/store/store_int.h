/* store_int.h: what the store's files share: the statements, the two engines' drivers, the calls over them; nothing else includes it (but white-box unit tests) */
#ifndef PALAVER_STORE_INT_H
#define PALAVER_STORE_INT_H

#include <stddef.h>

#include "core/status.h"

struct arena;
struct comment;
struct addr_keys;

/*
 * Every statement, by name.  Each engine has its own table of SQL for
 * them (sqlite_sql.c, pg_sql.c), with the same named parameters
 * (":name") and the same columns in the same order, so the code that
 * binds and reads them (store.c, store_comment.c, store_mod.c,
 * store_spam.c) is one for both.
 */
enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_SECRET,
	STMT_JOB_CLAIM,
	STMT_KEY_GET,
	STMT_KEY_PUT,
	STMT_ARTICLE_INSERT,
	STMT_ARTICLE_GET,
	STMT_ARTICLE_BY_URI,
	STMT_ARTICLE_ID,
	STMT_ARTICLE_LIST,
	STMT_ARTICLE_INSERT_READER,
	STMT_ARTICLE_TITLE,
	STMT_ARTICLE_BUMP,
	STMT_ARTICLE_SET,
	STMT_THREAD_ROOTS_ASC,
	STMT_THREAD_ROOTS_DESC,
	STMT_THREAD_RANGE,
	STMT_COMMENT_NEXT_ID,
	STMT_COMMENT_PARENT,
	STMT_COMMENT_INSERT,
	STMT_ROOTS_BEFORE,
	STMT_COMMENT_GET,
	STMT_COMMENT_LOCK,
	STMT_COMMENT_EDIT,
	STMT_COMMENT_HAS_REPLIES,
	STMT_COMMENT_SOFT_DELETE,
	STMT_COMMENT_DELETE,
	STMT_POSTS_SINCE,
	STMT_POSTS_SINCE_NET,
	STMT_POST_LOG,
	STMT_POST_LOG_PRUNE,
	STMT_COUNT_BY_URI,
	STMT_MOD_ADD,
	STMT_MOD_BY_NAME,
	STMT_MOD_BY_ID,
	STMT_MOD_LIST,
	STMT_MOD_DEL,
	STMT_MOD_SET_HASH,
	STMT_MOD_SESSIONS_DEL,
	STMT_MOD_LOGIN,
	STMT_MOD_COUNT_ADMINS,
	STMT_SESSION_ADD,
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DEL,
	STMT_SESSION_PRUNE,
	STMT_LOGIN_FAIL_PAIR,
	STMT_LOGIN_FAIL_NET,
	STMT_LOGIN_FAIL_NAME,
	STMT_LOGIN_FAIL_ADD,
	STMT_LOGIN_FAIL_DEL,
	STMT_LOGIN_FAIL_CLEAR,
	STMT_LOGIN_FAIL_PRUNE,
	STMT_AUDIT_ADD,
	STMT_AUDIT_LIST,
	STMT_QUEUE_ASC,
	STMT_QUEUE_DESC,
	STMT_QUEUE_COUNTS,
	STMT_COMMENT_SET_STATUS,
	STMT_BAN_ADD,
	STMT_BAN_LIST,
	STMT_BAN_DEL,
	STMT_BAN_MATCH,
	STMT_DUPLICATE,
	STMT_FORM_TOKEN_USE,
	STMT_FORM_TOKEN_PRUNE,
	STMT_SPAM_CHECK_ADD,
	STMT_SPAM_CHECK_PRUNE,
	STMT_SPAM_CHECK_DONE,
	STMT_FEEDBACK_ADD,
	STMT_FEEDBACK_CLAIM,
	STMT_FEEDBACK_DONE,
	STMT_FEEDBACK_RETRY,
	STMT_COMMENT_SET_SCORE,
	STMT_IMPORT_SEEN,
	STMT_IMPORT_MARK,
	STMT__MAX
};

/* What stepping a statement gave. */
enum step {
	STEP_ROW,	/* a row is ready to be read */
	STEP_DONE,	/* no (more) rows */
	STEP_CONFLICT,	/* a constraint refused the change (nothing changed) */
	STEP_ERROR	/* anything else; the driver's error() says what */
};

struct store;
struct dbstmt;

/*
 * One engine.  A statement is fetched reset with nothing bound (every
 * parameter NULL); text and blobs bound to it are borrowed until it is
 * stepped to its end or reset.  Column values read from a row are
 * borrowed until the next step or reset.
 */
struct driver {
	const char	*name;
	/* open: connect s (calloc'd, drv set) to db.  close: NULL-safe
	 * on a half-opened s; frees only what open made. */
	enum status	(*open)(struct store *, const char *db);
	void		(*close)(struct store *);
	/* migrate, backup: store_migrate and store_backup for db. */
	enum status	(*migrate)(const char *db, const unsigned char secret[32],
			    int *from, int *to);
	enum status	(*backup)(const char *db, const char *dest);
	/* set_writer: store_set_writer. */
	void		(*set_writer)(struct store *);
	struct dbstmt	*(*get)(struct store *, enum stmt);
	/* has: whether the statement takes parameter `name`. */
	int		(*has)(struct dbstmt *, const char *name);
	void		(*bind_int)(struct dbstmt *, const char *, long long);
	void		(*bind_real)(struct dbstmt *, const char *, double);
	void		(*bind_text)(struct dbstmt *, const char *, const char *);
	void		(*bind_blob)(struct dbstmt *, const char *, const void *,
			    size_t);
	enum step	(*step)(struct dbstmt *);
	void		(*reset)(struct dbstmt *);
	int		(*col_null)(struct dbstmt *, int);
	long long	(*col_int)(struct dbstmt *, int);
	double		(*col_real)(struct dbstmt *, int);
	/* col_bytes: text or blob, NUL-terminated; NULL for NULL. */
	const void	*(*col_bytes)(struct dbstmt *, int, size_t *len);
	/* changes: rows the last statement changed; last_id: the id the
	 * last INSERT made. */
	long long	(*changes)(struct store *);
	long long	(*last_id)(struct store *);
	/* error: log the connection's last error with `what`; its status. */
	enum status	(*error)(struct store *, const char *what);
	/* The transactions of store_tx_begin and friends. */
	enum status	(*begin)(struct store *);
	enum status	(*commit)(struct store *);
	void		(*rollback)(struct store *);
	/* xlock: until the transaction ends, keep other transactions that
	 * ask for the same key waiting (a check, then a write, that must
	 * not interleave across hosts).  SQLite: one writer at a time
	 * anyway. */
	enum status	(*xlock)(struct store *, const char *key);
	/* search: a moderator's words as the queue statements' :q, or
	 * NULL when there are none (allocated in a). */
	const char	*(*search)(struct arena *, const char *words,
			    int *nomem);
	/*
	 * For store_copy.  adhoc: a statement of SQL made from the schema's
	 * own names (never from input), freed with adhoc_free; with
	 * `scan`, a SELECT whose rows are fetched a batch at a time.
	 * begin_read: a read-only transaction on one snapshot.
	 * seq_get: the highest id table's ids reached (ids are never used
	 * twice); seq_set: make ids continue after v.
	 */
	struct dbstmt	*(*adhoc)(struct store *, const char *sql, int scan);
	void		(*adhoc_free)(struct dbstmt *);
	enum status	(*begin_read)(struct store *);
	enum status	(*seq_get)(struct store *, const char *table,
			    long long *v);
	enum status	(*seq_set)(struct store *, const char *table,
			    long long v);
	/* group_commit: batching writes pays (store_group_commit). */
	int		 group_commit;
};

struct dbstmt {
	const struct driver	*drv;
	struct store		*s;
};

/* An article's counters as a transaction changed them (db_bump). */
struct bump {
	long long	 article;
	long long	 n;		/* changes: the version moves by as many */
	long long	 delta;		/* to ncomments */
};

struct store {
	const struct driver	*drv;
	void			*h;		/* the engine's connection */
	long long		 auto_close;	/* seconds after which articles close */
	long			 max_depth;	/* store_set_max_depth at store_open */
	int			 in_tx;		/* store_tx_begin ... commit */
	struct bump		*bumps;		/* this transaction's, by article */
	size_t			 nbumps, bcap;
	size_t			 bmark;		/* nbumps at the savepoint */
};

extern const struct driver	sqlite_driver;
extern const struct driver	pg_driver;

/* store_engine: the driver for db (a PostgreSQL URL or a file path). */
const struct driver	*store_engine(const char *db);
/* store_is_url: whether db names a PostgreSQL database. */
int		 store_is_url(const char *db);

/* sq_max_depth: store_set_max_depth's value (sqlite_db.c). */
long		 sq_max_depth(void);

/* The calls the store's functions make, whatever the engine. */
static inline struct dbstmt *
db_get(struct store *s, enum stmt id)
{
	return s->drv->get(s, id);
}
static inline int
db_has(struct dbstmt *st, const char *n)
{
	return st->drv->has(st, n);
}
static inline void
db_int(struct dbstmt *st, const char *n, long long v)
{
	st->drv->bind_int(st, n, v);
}
static inline void
db_real(struct dbstmt *st, const char *n, double v)
{
	st->drv->bind_real(st, n, v);
}
static inline void
db_text(struct dbstmt *st, const char *n, const char *v)
{
	st->drv->bind_text(st, n, v);
}
static inline void
db_blob(struct dbstmt *st, const char *n, const void *v, size_t len)
{
	st->drv->bind_blob(st, n, v, len);
}
static inline enum step
db_step(struct dbstmt *st)
{
	return st->drv->step(st);
}
static inline void
db_reset(struct dbstmt *st)
{
	st->drv->reset(st);
}
static inline int
db_null(struct dbstmt *st, int i)
{
	return st->drv->col_null(st, i);
}
static inline long long
db_col_int(struct dbstmt *st, int i)
{
	return st->drv->col_int(st, i);
}
static inline double
db_col_real(struct dbstmt *st, int i)
{
	return st->drv->col_real(st, i);
}
/* db_col_str: a text column, borrowed; NULL for NULL. */
static inline const char *
db_col_str(struct dbstmt *st, int i)
{
	return st->drv->col_bytes(st, i, NULL);
}
static inline const void *
db_col_blob(struct dbstmt *st, int i, size_t *len)
{
	return st->drv->col_bytes(st, i, len);
}
static inline long long
db_changes(struct store *s)
{
	return s->drv->changes(s);
}
static inline long long
db_last_id(struct store *s)
{
	return s->drv->last_id(s);
}
static inline enum status
db_fail(struct store *s, const char *what)
{
	return s->drv->error(s, what);
}

/* The helpers every part uses (store.c). */
/* db_col_text: a text column copied into the arena; NULL stays NULL.
 * Sets *nomem when the copy fails. */
const char	*db_col_text(struct arena *, struct dbstmt *, int, int *nomem);
/* db_done: step a statement to its end (rows it returns are dropped);
 * reset after. */
enum status	 db_done(struct store *, struct dbstmt *, const char *what);
/* db_one_int: the first column of the one row; ST_NOTFOUND without. */
enum status	 db_one_int(struct store *, struct dbstmt *, const char *what,
		    long long *);
/* db_insert: step an INSERT: ST_CONFLICT when a constraint refused it;
 * *id (may be NULL) receives the new row's id. */
enum status	 db_insert(struct store *, struct dbstmt *, const char *what,
		    long long *id);
/*
 * db_bump: article's version moves and its count of approved comments
 * changes by delta.  In a transaction the changes are gathered and made
 * just before COMMIT, one UPDATE an article, in order of id: an article
 * with many comments in one transaction (an import, a batch) is written
 * once, and its row is locked only for the commit, always in the same
 * order whatever the host.  Outside a transaction, at once.
 */
enum status	 db_bump(struct store *, long long article, long long delta);
void		 db_bind_keys(struct dbstmt *, const struct addr_keys *);
int		 db_read_comment(struct arena *, struct dbstmt *,
		    struct comment *);

#endif
