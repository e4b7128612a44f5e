/* store_vote.c: readers' votes and reports, and the limits on both */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- votes --------------------------------------------------------------- */

enum status
store_vote(struct store *s, long long comment, const char *voter,
    const struct addr_keys *k, int value, long long now, long long *up,
    long long *down, long long *article)
{
	struct dbstmt	*st;
	long long	 old_up = 0, old_down = 0, dup, ddown;
	char		 key[32];
	enum status	 rv;
	int		 rc;

	/* Read, then changed: votes on this comment through other hosts
	 * wait their turn (SQLite: one writer anyway). */
	snprintf(key, sizeof(key), "vote %lld", comment);
	if ((rv = s->drv->xlock(s, key)) != ST_OK)
		return rv;
	/* What this reader said before, by their token or their address. */
	st = db_get(s, STMT_VOTE_MINE);
	db_int(st, ":comment", comment);
	db_text(st, ":voter", voter);
	db_bind_keys(st, k);
	while ((rc = db_step(st)) == STEP_ROW) {
		if (db_col_int(st, 0) > 0)
			old_up++;
		else
			old_down++;
	}
	db_reset(st);
	if (rc != STEP_DONE)
		return db_fail(s, "vote mine");
	dup = (value > 0) - old_up;
	ddown = (value < 0) - old_down;

	st = db_get(s, STMT_COMMENT_VOTES_ADD);
	db_int(st, ":up", dup);
	db_int(st, ":down", ddown);
	db_int(st, ":id", comment);
	if ((rc = db_step(st)) == STEP_ROW) {
		*up = db_col_int(st, 0);
		*down = db_col_int(st, 1);
		*article = db_col_int(st, 2);
	}
	db_reset(st);
	if (rc == STEP_DONE)
		return ST_NOTFOUND;
	if (rc != STEP_ROW)
		return db_fail(s, "comment votes");

	st = db_get(s, STMT_VOTE_DELETE_MINE);
	db_int(st, ":comment", comment);
	db_text(st, ":voter", voter);
	db_bind_keys(st, k);
	if ((rv = db_done(s, st, "vote delete")) != ST_OK)
		return rv;
	if (value != 0) {
		st = db_get(s, STMT_VOTE_INSERT);
		db_int(st, ":comment", comment);
		db_text(st, ":voter", voter);
		db_text(st, ":addr", k->addr);
		db_int(st, ":value", value > 0 ? 1 : -1);
		db_int(st, ":now", now);
		if ((rv = db_done(s, st, "vote insert")) != ST_OK)
			return rv;
	}
	if (dup == 0 && ddown == 0)
		return ST_OK;
	/* Not the version: pages are drawn again for votes only now and
	 * then (http/cache.c). */
	st = db_get(s, STMT_ARTICLE_VOTED);
	db_int(st, ":id", *article);
	return db_done(s, st, "article voted");
}

enum status
store_comment_set_best(struct store *s, long long id, double best)
{
	struct dbstmt	*st = db_get(s, STMT_COMMENT_BEST);

	db_int(st, ":id", id);
	db_real(st, ":best", best);
	return db_done(s, st, "comment best");
}

/* A change of a comment's counts, bound: run it, and its article (the
 * column col of the row it returns) into *article.  ST_NOTFOUND when
 * there is no such comment. */
static enum status
counts_row(struct store *s, struct dbstmt *st, int col, const char *what,
    long long *article)
{
	int	 rc;

	*article = 0;
	if ((rc = db_step(st)) == STEP_ROW)
		*article = db_col_int(st, col);
	db_reset(st);
	if (rc == STEP_DONE)
		return ST_NOTFOUND;
	return rc == STEP_ROW ? ST_OK : db_fail(s, what);
}

enum status
store_votes_counted(struct store *s, long long id, long long up,
    long long down, double best)
{
	struct dbstmt	*st = db_get(s, STMT_COMMENT_VOTES_ADD);
	long long	 article;
	enum status	 rv;

	db_int(st, ":up", up);
	db_int(st, ":down", down);
	db_int(st, ":id", id);
	if ((rv = counts_row(s, st, 2, "comment votes", &article)) != ST_OK ||
	    (rv = store_comment_set_best(s, id, best)) != ST_OK)
		return rv;
	st = db_get(s, STMT_ARTICLE_VOTED);
	db_int(st, ":id", article);
	return db_done(s, st, "article voted");
}

enum status
store_votes_reset(struct store *s, long long id)
{
	struct dbstmt	*st = db_get(s, STMT_COMMENT_VOTES_ZERO);
	long long	 article;
	enum status	 rv;

	db_int(st, ":id", id);
	if ((rv = counts_row(s, st, 0, "votes reset", &article)) != ST_OK)
		return rv;
	st = db_get(s, STMT_VOTES_RESET);
	db_int(st, ":id", id);
	if ((rv = db_done(s, st, "votes reset")) != ST_OK)
		return rv;
	st = db_get(s, STMT_ARTICLE_VOTED);
	db_int(st, ":id", article);
	return db_done(s, st, "article voted");
}

/* Count a client's recent rows by address, then by network. */
static enum status
since(struct store *s, enum stmt by_addr, enum stmt by_net,
    const struct addr_keys *k, long long t, long long *na, long long *nn)
{
	struct dbstmt	*st = db_get(s, by_addr);
	enum status	 rv;

	*na = *nn = 0;
	db_bind_keys(st, k);
	db_int(st, ":since", t);
	if ((rv = db_one_int(s, st, "limit", na)) != ST_OK || k->net == NULL)
		return rv;
	st = db_get(s, by_net);
	db_bind_keys(st, k);
	db_int(st, ":since", t);
	return db_one_int(s, st, "limit", nn);
}

enum status
store_votes_since(struct store *s, const struct addr_keys *k, long long t,
    long long *by_addr, long long *by_net)
{
	return since(s, STMT_VOTES_SINCE, STMT_VOTES_SINCE_NET, k, t,
	    by_addr, by_net);
}

enum status
store_vote_log(struct store *s, const struct addr_keys *k, long long now)
{
	struct dbstmt	*st = db_get(s, STMT_VOTE_LOG);

	db_bind_keys(st, k);
	db_int(st, ":now", now);
	return db_done(s, st, "vote log");
}

/* --- reports ------------------------------------------------------------- */

enum status
store_report(struct store *s, long long comment, enum report_reason why,
    const char *text, const struct addr_keys *k, long long now,
    int *counted, long long *open)
{
	struct dbstmt	*st;
	long long	 id = 0;
	enum status	 rv;

	*counted = 0;
	st = db_get(s, STMT_REPORT_MINE);
	db_int(st, ":comment", comment);
	db_bind_keys(st, k);
	rv = db_one_int(s, st, "report mine", &id);
	if (rv == ST_OK) {
		/* The same reader again: their latest words, counted once. */
		st = db_get(s, STMT_REPORT_UPDATE);
		db_int(st, ":id", id);
		db_text(st, ":reason", report_reason_str(why));
		db_text(st, ":text", text != NULL ? text : "");
		if ((rv = db_done(s, st, "report update")) != ST_OK)
			return rv;
	} else if (rv == ST_NOTFOUND) {
		st = db_get(s, STMT_REPORT_INSERT);
		db_int(st, ":comment", comment);
		db_text(st, ":reason", report_reason_str(why));
		db_text(st, ":text", text != NULL ? text : "");
		db_int(st, ":now", now);
		db_bind_keys(st, k);
		rv = db_insert(s, st, "report insert", NULL);
		if (rv == ST_CONFLICT)
			return ST_NOTFOUND;	/* the comment is gone */
		if (rv != ST_OK)
			return rv;
		*counted = 1;
	} else
		return rv;
	st = db_get(s, STMT_REPORTS_OPEN);
	db_int(st, ":comment", comment);
	return db_one_int(s, st, "reports open", open);
}

enum status
store_reports_since(struct store *s, const struct addr_keys *k, long long t,
    long long *by_addr, long long *by_net)
{
	return since(s, STMT_REPORTS_SINCE, STMT_REPORTS_SINCE_NET, k, t,
	    by_addr, by_net);
}

enum status
store_reports_settle(struct store *s, long long comment)
{
	struct dbstmt	*st = db_get(s, STMT_REPORTS_SETTLE);

	db_int(st, ":id", comment);
	return db_done(s, st, "reports settle");
}

enum status
store_reports_open(struct store *s, struct arena *a, long long comment,
    int limit, struct report **vp, size_t *np)
{
	struct dbstmt	*st = db_get(s, STMT_REPORTS_OF);
	struct report	*v;
	size_t		 n = 0;
	int		 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	if (limit <= 0)
		return ST_OK;
	if ((v = arena_calloc(a, (size_t)limit, sizeof(*v))) == NULL)
		return ST_NOMEM;
	db_int(st, ":comment", comment);
	db_int(st, ":limit", limit);
	while ((rc = db_step(st)) == STEP_ROW && n < (size_t)limit) {
		v[n].reason = report_reason_parse(
		    db_col_str(st, 0));
		if (v[n].reason == RR__MAX)
			v[n].reason = RR_OTHER;
		v[n].text = db_col_text(a, st, 1, &nomem);
		if (v[n].text == NULL)
			v[n].text = "";
		v[n].created = db_col_int(st, 2);
		n++;
	}
	db_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != STEP_DONE && rc != STEP_ROW)
		return db_fail(s, "reports of");
	*vp = v;
	*np = n;
	return ST_OK;
}
