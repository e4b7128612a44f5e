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
	STMT_ARTICLE_ID,
	STMT_FTS_APPLY,
	STMT_FTS_CLEAR,
	STMT__MAX
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[STMT__MAX];
	long long	 auto_close;	/* seconds after which articles close */
	long		 max_depth;	/* store_set_max_depth at store_open */
};

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

#endif
