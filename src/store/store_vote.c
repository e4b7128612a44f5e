/* store_vote.c: readers' votes and reports, and the limits on both */
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- votes --------------------------------------------------------------- */

enum status
store_vote(struct store *s, long long comment, const char *voter,
    const struct addr_keys *k, int value, long long now, long long *up,
    long long *down, long long *article)
{
	sqlite3_stmt	*st;
	long long	 old_up = 0, old_down = 0, dup, ddown;
	enum status	 rv;
	int		 rc;

	/* What this reader said before, by their token or their address. */
	st = sq_get(s, STMT_VOTE_MINE);
	sq_bind_int(st, ":comment", comment);
	sq_bind_text(st, ":voter", voter);
	sq_bind_keys(st, k);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0) > 0)
			old_up++;
		else
			old_down++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "vote mine");
	dup = (value > 0) - old_up;
	ddown = (value < 0) - old_down;

	st = sq_get(s, STMT_COMMENT_VOTES_ADD);
	sq_bind_int(st, ":up", dup);
	sq_bind_int(st, ":down", ddown);
	sq_bind_int(st, ":id", comment);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*up = sqlite3_column_int64(st, 0);
		*down = sqlite3_column_int64(st, 1);
		*article = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ST_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_fail(s, "comment votes");

	st = sq_get(s, STMT_VOTE_DELETE_MINE);
	sq_bind_int(st, ":comment", comment);
	sq_bind_text(st, ":voter", voter);
	sq_bind_keys(st, k);
	if ((rv = sq_done(s, st, "vote delete")) != ST_OK)
		return rv;
	if (value != 0) {
		st = sq_get(s, STMT_VOTE_INSERT);
		sq_bind_int(st, ":comment", comment);
		sq_bind_text(st, ":voter", voter);
		sq_bind_text(st, ":addr", k->addr);
		sq_bind_int(st, ":value", value > 0 ? 1 : -1);
		sq_bind_int(st, ":now", now);
		if ((rv = sq_done(s, st, "vote insert")) != ST_OK)
			return rv;
	}
	if (dup == 0 && ddown == 0)
		return ST_OK;
	/* Not the version: pages are drawn again for votes only now and
	 * then (http/cache.c). */
	st = sq_get(s, STMT_ARTICLE_VOTED);
	sq_bind_int(st, ":id", *article);
	return sq_done(s, st, "article voted");
}

enum status
store_comment_set_best(struct store *s, long long id, double best)
{
	sqlite3_stmt	*st = sq_get(s, STMT_COMMENT_BEST);

	sq_bind_int(st, ":id", id);
	sqlite3_bind_double(st, sq_idx(st, ":best"), best);
	return sq_done(s, st, "comment best");
}

enum status
store_votes_reset(struct store *s, long long id)
{
	sqlite3_stmt	*st;
	long long	 article = 0;
	enum status	 rv;
	int		 rc;

	st = sq_get(s, STMT_COMMENT_VOTES_ZERO);
	sq_bind_int(st, ":id", id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		article = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ST_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_fail(s, "votes reset");
	st = sq_get(s, STMT_VOTES_RESET);
	sq_bind_int(st, ":id", id);
	if ((rv = sq_done(s, st, "votes reset")) != ST_OK)
		return rv;
	st = sq_get(s, STMT_ARTICLE_VOTED);
	sq_bind_int(st, ":id", article);
	return sq_done(s, st, "article voted");
}

/* Count a client's recent rows by address, then by network. */
static enum status
since(struct store *s, enum stmt by_addr, enum stmt by_net,
    const struct addr_keys *k, long long t, long long *na, long long *nn)
{
	sqlite3_stmt	*st = sq_get(s, by_addr);
	enum status	 rv;

	*na = *nn = 0;
	sq_bind_keys(st, k);
	sq_bind_int(st, ":since", t);
	if ((rv = sq_one_int(s, st, "limit", na)) != ST_OK || k->net == NULL)
		return rv;
	st = sq_get(s, by_net);
	sq_bind_keys(st, k);
	sq_bind_int(st, ":since", t);
	return sq_one_int(s, st, "limit", nn);
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
	sqlite3_stmt	*st = sq_get(s, STMT_VOTE_LOG);

	sq_bind_keys(st, k);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "vote log");
}

/* --- reports ------------------------------------------------------------- */

enum status
store_report(struct store *s, long long comment, enum report_reason why,
    const char *text, const struct addr_keys *k, long long now,
    int *counted, long long *open)
{
	sqlite3_stmt	*st;
	long long	 id = 0;
	enum status	 rv;
	int		 rc;

	*counted = 0;
	st = sq_get(s, STMT_REPORT_MINE);
	sq_bind_int(st, ":comment", comment);
	sq_bind_keys(st, k);
	rv = sq_one_int(s, st, "report mine", &id);
	if (rv == ST_OK) {
		/* The same reader again: their latest words, counted once. */
		st = sq_get(s, STMT_REPORT_UPDATE);
		sq_bind_int(st, ":id", id);
		sq_bind_text(st, ":reason", report_reason_str(why));
		sq_bind_text(st, ":text", text != NULL ? text : "");
		if ((rv = sq_done(s, st, "report update")) != ST_OK)
			return rv;
	} else if (rv == ST_NOTFOUND) {
		st = sq_get(s, STMT_REPORT_INSERT);
		sq_bind_int(st, ":comment", comment);
		sq_bind_text(st, ":reason", report_reason_str(why));
		sq_bind_text(st, ":text", text != NULL ? text : "");
		sq_bind_int(st, ":now", now);
		sq_bind_keys(st, k);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			return ST_NOTFOUND;	/* the comment is gone */
		if (rc != SQLITE_DONE)
			return sq_fail(s, "report insert");
		*counted = 1;
	} else
		return rv;
	st = sq_get(s, STMT_REPORTS_OPEN);
	sq_bind_int(st, ":comment", comment);
	return sq_one_int(s, st, "reports open", open);
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
	sqlite3_stmt	*st = sq_get(s, STMT_REPORTS_SETTLE);

	sq_bind_int(st, ":id", comment);
	return sq_done(s, st, "reports settle");
}

enum status
store_reports_open(struct store *s, struct arena *a, long long comment,
    int limit, struct report **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_get(s, STMT_REPORTS_OF);
	struct report	*v;
	size_t		 n = 0;
	int		 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	if (limit <= 0)
		return ST_OK;
	if ((v = arena_calloc(a, (size_t)limit, sizeof(*v))) == NULL)
		return ST_NOMEM;
	sq_bind_int(st, ":comment", comment);
	sq_bind_int(st, ":limit", limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)limit) {
		v[n].reason = report_reason_parse((const char *)
		    sqlite3_column_text(st, 0));
		if (v[n].reason == RR__MAX)
			v[n].reason = RR_OTHER;
		v[n].text = sq_col_text(a, st, 1, &nomem);
		if (v[n].text == NULL)
			v[n].text = "";
		v[n].created = sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_fail(s, "reports of");
	*vp = v;
	*np = n;
	return ST_OK;
}
