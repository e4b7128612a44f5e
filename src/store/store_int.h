/* store_int.h: what the store_*.c files share; nothing else includes it (but white-box unit tests) */
#ifndef PALAVER_STORE_INT_H
#define PALAVER_STORE_INT_H

#include <stddef.h>

#include <sqlite3.h>

#include "core/status.h"

struct arena;
struct comment;

/* Every statement, by name; the SQL is the table in store.c. */
enum stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SECRET,
	STMT_ARTICLE_INSERT,
	STMT_ARTICLE_GET,
	STMT_ARTICLE_BY_URI,
	STMT_ARTICLE_LIST,
	STMT_ARTICLE_INSERT_READER,
	STMT_ARTICLE_TITLE,
	STMT_ARTICLE_BUMP,
	STMT_THREAD_ROOTS_ASC,
	STMT_THREAD_ROOTS_DESC,
	STMT_THREAD_RANGE,
	STMT_COMMENT_NEXT_ID,
	STMT_COMMENT_PARENT,
	STMT_COMMENT_INSERT,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
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
	STMT_COMMENT_EDIT,
	STMT_COMMENT_HAS_REPLIES,
	STMT_COMMENT_SOFT_DELETE,
	STMT_COMMENT_DELETE,
	STMT_POSTS_SINCE,
	STMT_POSTS_SINCE_NET,
	STMT_POST_LOG,
	STMT_POST_LOG_PRUNE,
	STMT_COUNT_BY_URI,
	STMT_ARTICLE_VERSION,
	STMT_ARTICLE_SET,
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
	STMT_COMMENT_SET_SCORE,
	STMT_IMPORT_SEEN,
	STMT_IMPORT_MARK,
	STMT_ARTICLE_ID,
	STMT_FTS_APPLY,
	STMT_FTS_CLEAR,
	/* moving in and out (store_port.c) */
	STMT_PORT_READ,
	STMT_PORT_ACCOUNTS,
	STMT_PORT_ARTICLES,
	STMT_PORT_COMMENTS,
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

/* Mail, webhooks, feeds and privacy: their own table (store_mail.c), so
 * that they port to another backend as one file. */
enum mstmt {
	MS_SYNC_NORMAL,
	MS_SYNC_FULL,
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

/* The SQL of enum mstmt, by name (store_mail.c). */
extern const char *const mail_stmts[MS__MAX];
/* The store's own statements (store_sql.c). */
extern const char *const store_stmts[STMT__MAX];

/*
 * The moderators' desk's statements: a table of their own, with the SQL
 * beside the code that binds and reads it (store_desk.c).
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
extern const char *const sq_desk_sql[DSTMT__MAX];

/*
 * What the queue shows of a comment: the comment (COMMENT_COLS' order),
 * its article's title and uri, and the comment it answers (author,
 * rendered HTML, status).  sq_read_queue_item reads a row of them.
 */
#define SQ_QUEUE_COLS \
	"c.id, c.article, c.parent, c.root, c.depth, c.author, c.email, " \
	"c.website, c.body, c.html, c.status, c.score, c.reasons, c.created, " \
	"c.edited, c.addr_hash, c.user_agent, c.up, c.down, a.title, a.uri, " \
	"p.author, p.html, p.status"
#define SQ_QUEUE_FROM \
	" FROM comments c JOIN articles a ON a.id = c.article " \
	"LEFT JOIN comments p ON p.id = c.parent "

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[STMT__MAX];
	sqlite3_stmt	*mst[MS__MAX];
	sqlite3_stmt	*dst[DSTMT__MAX];	/* the desk's (store_desk.c) */
	long long	 auto_close;	/* seconds after which articles close */
	long		 max_depth;	/* store_set_max_depth at store_open */
};

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

/*
 * sq_open: a connection to path (sqlite3_open_v2 flags) through the VFS
 * of store_set_vfs, in defensive mode with an untrusted schema.  NULL on
 * error, logged (store_db.c).
 */
sqlite3		*sq_open(const char *path, int flags);
/* sq_max_depth: store_set_max_depth's value (store_db.c). */
long		 sq_max_depth(void);

/* The helpers every part uses (store.c). */
sqlite3_stmt	*sq_get(struct store *, enum stmt);
sqlite3_stmt	*sq_mget(struct store *, enum mstmt);
int		 sq_idx(sqlite3_stmt *, const char *name);
int		 sq_bind_int(sqlite3_stmt *, const char *name, long long);
int		 sq_bind_text(sqlite3_stmt *, const char *name, const char *);
int		 sq_bind_blob(sqlite3_stmt *, const char *name, const void *,
		    size_t);
const char	*sq_col_text(struct arena *, sqlite3_stmt *, int, int *nomem);
enum status	 sq_fail(struct store *, const char *what);
/* sq_rollback: undo the open transaction, if any. */
void		 sq_rollback(struct store *);
enum status	 sq_done(struct store *, sqlite3_stmt *, const char *what);
enum status	 sq_one_int(struct store *, sqlite3_stmt *, const char *what,
		    long long *);
void		 sq_bind_keys(sqlite3_stmt *, const struct addr_keys *);
int		 sq_read_comment(struct arena *, sqlite3_stmt *,
		    struct comment *);
/* sq_dget: a desk statement, reset and cleared, as sq_get. */
sqlite3_stmt	*sq_dget(struct store *, enum dstmt);
/* sq_read_queue_item: a row of SQ_QUEUE_COLS (store_mod.c); -1 when out
 * of memory. */
struct queue_item;
int		 sq_read_queue_item(struct arena *, sqlite3_stmt *,
		    struct queue_item *);

#endif
