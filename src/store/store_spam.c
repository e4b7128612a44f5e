/* store_spam.c: what the spam checks keep: duplicates, form tokens, hook input, feedback */
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- spam ---------------------------------------------------------------- */

enum status
store_duplicate(struct store *s, const char *body_hash, long long since,
    long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_DUPLICATE);
	enum status	 rv;

	sq_bind_text(st, ":h", body_hash);
	sq_bind_int(st, ":since", since);
	rv = sq_one_int(s, st, "duplicate", id);
	if (rv == ST_NOTFOUND) {
		*id = 0;
		rv = ST_OK;
	}
	return rv;
}

enum status
store_form_token_use(struct store *s, const unsigned char h[32],
    long long expires, long long now)
{
	sqlite3_stmt	*st = sq_get(s, STMT_FORM_TOKEN_USE);
	int		 rc;

	sq_bind_blob(st, ":h", h, 32);
	sq_bind_int(st, ":expires", expires);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	(void)now;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "form token");
	return ST_OK;
}

enum status
store_spam_check_add(struct store *s, long long comment, const char *input,
    long long now)
{
	sqlite3_stmt	*st = sq_get(s, STMT_SPAM_CHECK_ADD);

	sq_bind_int(st, ":comment", comment);
	sq_bind_text(st, ":input", input);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "spam check");
}

enum status
store_spam_check_done(struct store *s, long long comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_SPAM_CHECK_DONE);

	sq_bind_int(st, ":id", comment);
	return sq_done(s, st, "spam check done");
}

enum status
store_prune(struct store *s, long long now, long hook_input_days)
{
	sqlite3_stmt	*st;
	enum status	 rv;

	st = sq_get(s, STMT_POST_LOG_PRUNE);
	sq_bind_int(st, ":before", now - 86400);
	if ((rv = sq_done(s, st, "post log prune")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_VOTE_LOG_PRUNE);
	sq_bind_int(st, ":before", now - 86400);
	if ((rv = sq_done(s, st, "vote log prune")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_LOGIN_FAIL_PRUNE);
	sq_bind_int(st, ":before", now - 86400);
	if ((rv = sq_done(s, st, "login failure prune")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_FORM_TOKEN_PRUNE);
	sq_bind_int(st, ":now", now);
	if ((rv = sq_done(s, st, "form token prune")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_SESSION_PRUNE);
	sq_bind_int(st, ":now", now);
	if ((rv = sq_done(s, st, "session prune")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_SPAM_CHECK_PRUNE);
	sq_bind_int(st, ":before", now - (long long)hook_input_days * 86400);
	return sq_done(s, st, "spam check prune");
}

enum status
store_comment_set_score(struct store *s, long long id, double score,
    const char *reasons, const char *body_hash)
{
	sqlite3_stmt	*st = sq_get(s, STMT_COMMENT_SET_SCORE);

	sq_bind_int(st, ":id", id);
	sqlite3_bind_double(st, sq_idx(st, ":score"), score);
	sq_bind_text(st, ":reasons", reasons != NULL ? reasons : "");
	sq_bind_text(st, ":h", body_hash);
	return sq_done(s, st, "comment score");
}

enum status
store_feedback_claim(struct store *s, struct arena *a, long long now,
    long long lease, struct feedback *f)
{
	sqlite3_stmt	*st = sq_get(s, STMT_FEEDBACK_CLAIM);
	int		 rc, nomem = 0;

	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":lease", lease);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "feedback claim");
	}
	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	f->comment = sqlite3_column_int64(st, 1);
	f->kind = sq_col_text(a, st, 2, &nomem);
	f->attempts = sqlite3_column_int(st, 3);
	f->input = sq_col_text(a, st, 4, &nomem);
	/* RETURNING rows are final only once the statement is done. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		continue;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "feedback claim");
	return nomem ? ST_NOMEM : ST_OK;
}

enum status
store_feedback_done(struct store *s, long long id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_FEEDBACK_DONE);

	sq_bind_int(st, ":id", id);
	return sq_done(s, st, "feedback done");
}

enum status
store_feedback_retry(struct store *s, long long id, long long next_try,
    const char *error)
{
	sqlite3_stmt	*st = sq_get(s, STMT_FEEDBACK_RETRY);

	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":next_try", next_try);
	sq_bind_text(st, ":error", error);
	return sq_done(s, st, "feedback retry");
}
