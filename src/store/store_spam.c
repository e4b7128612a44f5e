/* store_spam.c: what the spam checks keep: duplicates, form tokens, hook input, feedback */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- spam ---------------------------------------------------------------- */

enum status
store_duplicate(struct store *s, const char *body_hash, long long since,
    long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_DUPLICATE);
	enum status	 rv;

	db_text(st, ":h", body_hash);
	db_int(st, ":since", since);
	rv = db_one_int(s, st, "duplicate", id);
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
	struct dbstmt	*st = db_get(s, STMT_FORM_TOKEN_USE);
	int		 rc;

	db_blob(st, ":h", h, 32);
	db_int(st, ":expires", expires);
	rc = db_step(st);
	db_reset(st);
	if (rc == STEP_CONFLICT)
		return ST_CONFLICT;
	(void)now;
	if (rc != STEP_DONE)
		return db_fail(s, "form token");
	return ST_OK;
}

enum status
store_spam_check_add(struct store *s, long long comment, const char *input,
    long long now)
{
	struct dbstmt	*st = db_get(s, STMT_SPAM_CHECK_ADD);

	db_int(st, ":comment", comment);
	db_text(st, ":input", input);
	db_int(st, ":now", now);
	return db_done(s, st, "spam check");
}

enum status
store_spam_check_done(struct store *s, long long comment)
{
	struct dbstmt	*st = db_get(s, STMT_SPAM_CHECK_DONE);

	db_int(st, ":id", comment);
	return db_done(s, st, "spam check done");
}

enum status
store_prune(struct store *s, long long now, long hook_input_days)
{
	struct dbstmt	*st;
	enum status	 rv;

	st = db_get(s, STMT_POST_LOG_PRUNE);
	db_int(st, ":before", now - 86400);
	if ((rv = db_done(s, st, "post log prune")) != ST_OK)
		return rv;
	st = db_get(s, STMT_VOTE_LOG_PRUNE);
	db_int(st, ":before", now - 86400);
	if ((rv = db_done(s, st, "vote log prune")) != ST_OK)
		return rv;
	st = db_get(s, STMT_LOGIN_FAIL_PRUNE);
	db_int(st, ":before", now - 86400);
	if ((rv = db_done(s, st, "login failure prune")) != ST_OK)
		return rv;
	st = db_get(s, STMT_FORM_TOKEN_PRUNE);
	db_int(st, ":now", now);
	if ((rv = db_done(s, st, "form token prune")) != ST_OK)
		return rv;
	st = db_get(s, STMT_SESSION_PRUNE);
	db_int(st, ":now", now);
	if ((rv = db_done(s, st, "session prune")) != ST_OK)
		return rv;
	st = db_get(s, STMT_SPAM_CHECK_PRUNE);
	db_int(st, ":before", now - (long long)hook_input_days * 86400);
	return db_done(s, st, "spam check prune");
}

enum status
store_comment_set_score(struct store *s, long long id, double score,
    const char *reasons, const char *body_hash)
{
	struct dbstmt	*st = db_get(s, STMT_COMMENT_SET_SCORE);

	db_int(st, ":id", id);
	db_real(st, ":score", score);
	db_text(st, ":reasons", reasons != NULL ? reasons : "");
	db_text(st, ":h", body_hash);
	return db_done(s, st, "comment score");
}

enum status
store_feedback_claim(struct store *s, struct arena *a, long long now,
    long long lease, struct feedback *f)
{
	struct dbstmt	*st = db_get(s, STMT_FEEDBACK_DUE);
	long long	 due = 0;
	enum status	 rv;
	int		 rc, nomem = 0;

	db_int(st, ":now", now);
	if ((rv = db_one_int(s, st, "feedback due", &due)) != ST_OK)
		return rv;
	if (!due)
		return ST_NOTFOUND;
	st = db_get(s, STMT_FEEDBACK_CLAIM);
	db_int(st, ":now", now);
	db_int(st, ":lease", lease);
	if ((rc = db_step(st)) != STEP_ROW) {
		db_reset(st);
		return rc == STEP_DONE ? ST_NOTFOUND :
		    db_fail(s, "feedback claim");
	}
	memset(f, 0, sizeof(*f));
	f->id = db_col_int(st, 0);
	f->comment = db_col_int(st, 1);
	f->kind = db_col_text(a, st, 2, &nomem);
	f->attempts = (int)db_col_int(st, 3);
	f->input = db_col_text(a, st, 4, &nomem);
	/* RETURNING rows are final only once the statement is done. */
	while ((rc = db_step(st)) == STEP_ROW)
		continue;
	db_reset(st);
	if (rc != STEP_DONE)
		return db_fail(s, "feedback claim");
	return nomem ? ST_NOMEM : ST_OK;
}

enum status
store_feedback_done(struct store *s, long long id)
{
	struct dbstmt	*st = db_get(s, STMT_FEEDBACK_DONE);

	db_int(st, ":id", id);
	return db_done(s, st, "feedback done");
}

enum status
store_feedback_retry(struct store *s, long long id, long long next_try,
    const char *error)
{
	struct dbstmt	*st = db_get(s, STMT_FEEDBACK_RETRY);

	db_int(st, ":id", id);
	db_int(st, ":next_try", next_try);
	db_text(st, ":error", error);
	return db_done(s, st, "feedback retry");
}
