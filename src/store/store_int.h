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
	STMT_ROOTS_AFTER,
	STMT_THREAD_ROOTS_BEST_TIE,
	STMT_THREAD_ROOTS_BEST_BELOW,
	STMT_ROOT_BEST,
	STMT_ROOTS_BETTER,
	STMT_ROOT_ABOVE,
	/* Votes and reports (store_vote.c). */
	STMT_VOTE_MINE,
	STMT_VOTE_DELETE_MINE,
	STMT_VOTE_INSERT,
	STMT_COMMENT_VOTES_ADD,
	STMT_COMMENT_BEST,
	STMT_ARTICLE_VOTED,
	STMT_VOTES_RESET,
	STMT_COMMENT_VOTES_ZERO,
	STMT_VOTES_SINCE,
	STMT_VOTES_SINCE_NET,
	STMT_VOTE_LOG,
	STMT_VOTE_LOG_PRUNE,
	STMT_REPORT_MINE,
	STMT_REPORT_UPDATE,
	STMT_REPORT_INSERT,
	STMT_REPORTS_OPEN,
	STMT_REPORTS_SINCE,
	STMT_REPORTS_SINCE_NET,
	STMT_REPORTS_SETTLE,
	STMT_REPORTS_OF,
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
	STMT_FEEDBACK_DUE,
	STMT_FEEDBACK_CLAIM,
	STMT_FEEDBACK_DONE,
	STMT_FEEDBACK_RETRY,
	STMT_FEEDBACK_WITHDRAW,
	STMT_COMMENT_SET_SCORE,
	STMT_IMPORT_SEEN,
	STMT_IMPORT_MARK,
	/* moving in and out (store_port.c) */
	STMT_PORT_ACCOUNTS,
	STMT_PORT_ARTICLES,
	STMT_PORT_COMMENTS,
	STMT_PORT_VOTES,
	STMT_PORT_REPORTS,
	STMT_PORT_BANS,
	STMT_PORT_AUDIT,
	STMT_PORT_IMPORTED,
	STMT_PORT_SITE,
	STMT_PORT_SEQ,
	STMT_PORT_SITE_SET,
	STMT_PORT_SECRET_SET,
	STMT_PORT_SEQ_SET,
	STMT_PORT_SEQ_ADD,
	STMT_PORT_EMPTY,
	STMT_PORT_PUT_ACCOUNT,
	STMT_PORT_PUT_ARTICLE,
	STMT_PORT_PUT_COMMENT,
	STMT_PORT_PUT_VOTE,
	STMT_PORT_PUT_REPORT,
	STMT_PORT_VOTED,
	STMT_PORT_PUT_BAN,
	STMT_PORT_PUT_AUDIT,
	STMT_PORT_PUT_IMPORTED,
	STMT_PORT_RECOUNT,
	STMT_PORT_NODE,
	STMT_PORT_SUBTREE,
	STMT_PORT_MOVE_NODE,
	STMT_PORT_MOVE_PARENT,
	STMT_PORT_RENAME,
	STMT_PORT_MERGE,
	STMT_PORT_COUNT,
	STMT_PORT_ARTICLE_DEL,
	STMT__MAX
};

/* Mail, webhooks, feeds and privacy: a table of their own (the code in
 * store_mail.c; the SQL in sqlite_mail_sql.c and pg_mail_sql.c). */
enum mstmt {
	MS_EVENT_COMMENT,
	MS_EVENT_CONFIRM,
	MS_EVENT_NEXT,
	MS_EVENT_DEL,
	MS_SUBSCRIBER_ADD,
	MS_SUBSCRIBER_BY_EMAIL,
	MS_SUBSCRIBER_GET,
	MS_SUBSCRIBER_ASKED,
	MS_SUBSCRIBER_CONFIRM,
	MS_SUBSCRIPTION_ADD,
	MS_UNSUBSCRIBE_THREAD,
	MS_UNSUBSCRIBE_ALL,
	MS_UNCONFIRM,
	MS_REPLY_RECIPIENTS,
	MS_MOD_ALERTS,
	MS_MOD_ALERT_GET,
	MS_MOD_ALERT_SET,
	MS_MOD_DIGEST_DONE,
	MS_PENDING_BETWEEN,
	MS_OUTBOX_ADD,
	MS_OUTBOX_NEXT,
	MS_OUTBOX_EXISTS,
	MS_OUTBOX_DROP_REPLIES,
	MS_OUTBOX_SENT_COUNT,
	MS_OUTBOX_DONE,
	MS_OUTBOX_RETRY,
	MS_OUTBOX_LIST,
	MS_OUTBOX_COUNTS,
	MS_OUTBOX_PRUNE,
	MS_LEASE_TAKE,
	MS_LEASE_DROP,
	MS_LEASE_GET,
	MS_LEASE_STEAL,
	MS_FEED_SITE,
	MS_FEED_ARTICLE,
	MS_PRIVACY_COMMENTS,
	MS_PRIVACY_SUBSCRIPTIONS,
	MS_PRIVACY_MESSAGES,
	MS_PRIVACY_SPAM_CHECKS,
	MS_PRIVACY_BUMP,
	MS_PRIVACY_COMMENTS_ERASE,
	MS_PRIVACY_SUBSCRIBER_ERASE,
	MS_PRIVACY_OUTBOX_ERASE,
	MS_PRIVACY_EVENTS_ERASE,
	MS__MAX
};

/* The columns the mail statements read (store_mail.c reads them). */
#define MAIL_EVENT_COLS \
	"id, kind, at, subscriber, comment, article, uri, title, parent, " \
	"author, email, body, html, status, score, reasons, created"
#define MAIL_OUTBOX_COLS \
	"id, kind, target, what, payload, comment, state, attempts, " \
	"next_try, created, done, last_error"
#define MAIL_ENTRY_COLS \
	"c.id, c.article, c.parent, c.root, c.depth, c.author, c.email, " \
	"c.website, c.body, c.html, c.status, c.score, c.reasons, c.created, " \
	"c.edited, c.addr_hash, c.user_agent, c.up, c.down, a.uri, a.title"
#define MAIL_ALERT_COLS \
	"id, name, email, alerts, digest_minutes, digest_last"

/*
 * The moderators' desk's statements: a table of their own (the code in
 * store_desk.c; the SQL in sqlite_sql.c and pg_sql.c).
 */
enum dstmt {
	DSTMT_AUDIT_LIST,		/* newest first, filtered */
	DSTMT_AUDIT_BY_ACTOR,		/* the same, led by an index */
	DSTMT_AUDIT_BY_ACTION,
	DSTMT_AUDIT_BY_TARGET,
	DSTMT_AUDIT_BATCH,		/* one action's rows */
	DSTMT_QUEUE_ONE,		/* one comment as the queue shows it */
	DSTMT_BAN_GET,
	DSTMT_BAN_FIND,			/* by kind and value */
	DSTMT_DB_BYTES,
	DSTMT__MAX
};

/* The statement tables, by concern. */
enum stable {
	TB_CORE,	/* enum stmt */
	TB_MAIL,	/* enum mstmt */
	TB_DESK,	/* enum dstmt */
	TB__MAX
};
#define TB_MAXLEN	STMT__MAX	/* the longest table */

/*
 * What the queue shows of a comment: the comment (COMMENT_COLS' order),
 * its article's title and uri, and the comment it answers (author,
 * rendered HTML, status).  db_read_queue_item reads a row of them.
 */
#define SQ_QUEUE_COLS \
	"c.id, c.article, c.parent, c.root, c.depth, c.author, c.email, " \
	"c.website, c.body, c.html, c.status, c.score, c.reasons, c.created, " \
	"c.edited, c.addr_hash, c.user_agent, c.up, c.down, a.title, a.uri, " \
	"p.author, p.html, p.status"
#define SQ_QUEUE_FROM \
	" FROM comments c JOIN articles a ON a.id = c.article " \
	"LEFT JOIN comments p ON p.id = c.parent "

/*
 * sq_comment_key (store_comment.c): the ordering key (comments.path) of
 * comment id under a parent whose key is ppath[0..pn) (NULL, 0 at the
 * top): the parent's first levels and the id, into out; returns its
 * length.  The one place that knows the key's form.
 */
#define SQ_KEY_LEVELS	8	/* PATH_LEVELS: store_comment.c says why */
#define SQ_KEY_MAX	((SQ_KEY_LEVELS + 1) * 8)
size_t		 sq_comment_key(const void *ppath, size_t pn, long long id,
		    unsigned char out[SQ_KEY_MAX]);

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
	/* turn: store_writer_turn.  checkpoint_manual, checkpoint:
	 * store_checkpoint_manual and store_checkpoint; NULL for an engine
	 * without a WAL file of its own to copy (PostgreSQL). */
	void		(*turn)(struct store *);
	void		(*checkpoint_manual)(struct store *);
	enum status	(*checkpoint)(struct store *, int restart,
			    long *frames, long *copied);
	/* get: statement id of table tb. */
	struct dbstmt	*(*get)(struct store *, enum stable tb, int id);
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
	/* sql: the engine's SQL of statement id of table tb (for a scan
	 * of it, adhoc). */
	const char	*(*sql)(enum stable tb, int id);
	/* sync_fast: store_sync_fast. */
	enum status	(*sync_fast)(struct store *, int fast);
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
	return s->drv->get(s, TB_CORE, (int)id);
}
static inline struct dbstmt *
db_mget(struct store *s, enum mstmt id)
{
	return s->drv->get(s, TB_MAIL, (int)id);
}
static inline struct dbstmt *
db_dget(struct store *s, enum dstmt id)
{
	return s->drv->get(s, TB_DESK, (int)id);
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
/*
 * Rows read by a function of the caller's: a db_reader reads the current
 * row of a statement into the item it is given (-1 when out of memory).
 * db_row reads the one row (ST_NOTFOUND without); db_rows reads every row
 * into a vector of size-byte items in the arena (*vp, *np).  Both reset
 * the statement; what names it in an error.
 */
typedef int	(*db_reader)(struct arena *, struct dbstmt *, void *);
enum status	 db_row(struct store *, struct arena *, struct dbstmt *,
		    const char *what, db_reader, void *);
enum status	 db_rows(struct store *, struct arena *, struct dbstmt *,
		    const char *what, size_t, db_reader, void **, size_t *);
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
/* db_read_ban: a row of the bans statements (id, kind, value, reason,
 * created, expires, by; store_mod.c) into a struct ban; a db_reader. */
int		 db_read_ban(struct arena *, struct dbstmt *, void *);
/* db_read_queue_item: a row of SQ_QUEUE_COLS (store_mod.c) into a
 * struct queue_item; a db_reader. */
int		 db_read_queue_item(struct arena *, struct dbstmt *, void *);
/* db_seq_fix: every table's ids go on after the highest there (after
 * rows were put back with their ids: store_copy.c). */
enum status	 db_seq_fix(struct store *);

#endif
