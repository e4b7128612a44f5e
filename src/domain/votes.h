/* votes.h: readers' votes and "best first", and reports of comments */
#ifndef PALAVER_VOTES_H
#define PALAVER_VOTES_H

#include "core/status.h"
#include "model/model.h"

struct actor;
struct arena;
struct poster;
struct refusal;
struct site;

/*
 * votes_wilson: the rank of a comment with `up` and `down` votes best
 * first: the lower bound of the Wilson score interval (95%) of the share
 * of up votes, from 0 (no votes) towards 1.  Many votes, nearly all up,
 * rank above a few that are all up.
 */
double		 votes_wilson(long long up, long long down);

/*
 * votes_cast: the reader `voter` (a keyed hash of their voter token; see
 * http_voter) votes `value` on comment id: 1 up, -1 down, 0 to take their
 * vote back, replacing any vote of theirs or from their address.  ST_OK
 * with the new counts; ST_INPUT with RS_VOTES_OFF, RS_DOWN_OFF, RS_GONE
 * (no published comment id), RS_VOTE_RATE ([votes] per_minute).
 */
enum status	 votes_cast(struct site *, struct arena *, long long id,
		    int value, const char *voter, const struct poster *,
		    long long *up, long long *down, struct refusal *);
/* votes_reset: a moderator takes every vote of comment id back
 * (audited).  ST_NOTFOUND when there is no such comment. */
enum status	 votes_reset(struct site *, const struct actor *, long long id);

/*
 * reports_file: the reader reports comment id (published) for `why`,
 * with their words (may be NULL).  The same address reporting it again
 * changes its report and counts once.  At [moderation] report_hold open
 * reports the comment waits for a moderator again (*held is 1 then).
 * Audited without the reporter.  ST_INPUT with RS_GONE, RS_REPORT_RATE
 * ([moderation] reports_per_hour).
 */
enum status	 reports_file(struct site *, struct arena *, long long id,
		    enum report_reason why, const char *text,
		    const struct poster *, int *held, struct refusal *);

#endif
