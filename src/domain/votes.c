/* votes.c: readers' votes and "best first", and reports of comments */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "domain/comments.h"
#include "domain/moderation.h"
#include "domain/outbox.h"
#include "domain/reason.h"
#include "domain/site.h"
#include "domain/votes.h"

double
votes_wilson(long long up, long long down)
{
	/* z for a 95% interval: a comment needs a few votes to rank. */
	const double	 z = 1.959964;
	double		 n, p;

	if (up < 0)
		up = 0;
	if (down < 0)
		down = 0;
	if (up + down == 0)
		return 0;
	n = (double)(up + down);
	p = (double)up / n;
	return (p + z * z / (2 * n) - z * sqrt((p * (1 - p) + z * z /
	    (4 * n)) / n)) / (1 + z * z / n);
}

/* A client over a per-address (or per-network) limit of `max` since t? */
static enum status
over(struct store *s, int reports, const struct addr_keys *k, long max,
    long long t, int *out)
{
	long long	 na = 0, nn = 0;
	enum status	 st;

	*out = 0;
	if (max <= 0 || k->addr == NULL)
		return ST_OK;
	st = reports ? store_reports_since(s, k, t, &na, &nn) :
	    store_votes_since(s, k, t, &na, &nn);
	if (st != ST_OK)
		return st;
	*out = na >= max || nn >= max;
	return ST_OK;
}

/* The comment a reader may vote on or report: published, on a thread. */
static enum status
votable(struct site *site, struct arena *a, long long id, struct comment *c,
    struct refusal *ref)
{
	enum status	 st;

	st = store_comment_get(site->store, a, id, c);
	if (st == ST_NOTFOUND || (st == ST_OK && c->status != CS_APPROVED))
		return refuse(ref, RS_GONE, NULL);
	return st;
}

/* --- votes --------------------------------------------------------------- */

struct vote_job {
	long long		 id;
	int			 value;
	const char		*voter;
	const struct addr_keys	*keys;
	long			 per_minute;
	long long		 now;
	long long		 up, down;
};

static enum status
vote_job(struct store *s, void *arg)
{
	struct vote_job	*j = arg;
	long long	 article;
	enum status	 st;
	int		 o = 0;

	/* Read again inside the transaction: concurrent votes cannot all
	 * slip under the limit. */
	if ((st = over(s, 0, j->keys, j->per_minute, j->now - 59, &o)) !=
	    ST_OK)
		return st;
	if (o)
		return ST_LIMIT;
	if ((st = store_vote(s, j->id, j->voter, j->keys, j->value, j->now,
	    &j->up, &j->down, &article)) != ST_OK ||
	    (st = store_comment_set_best(s, j->id, votes_wilson(j->up,
	    j->down))) != ST_OK)
		return st;
	if (j->keys->addr != NULL)
		return store_vote_log(s, j->keys, j->now);
	return ST_OK;
}

enum status
votes_cast(struct site *site, struct arena *a, long long id, int value,
    const char *voter, const struct poster *p, long long *up,
    long long *down, struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	struct vote_job		 j;
	struct comment		 c;
	enum status		 st;
	int			 o = 0;

	memset(ref, 0, sizeof(*ref));
	*up = *down = 0;
	if (!cfg->votes)
		return refuse(ref, RS_VOTES_OFF, NULL);
	if (value < 0 && !cfg->votes_down)
		return refuse(ref, RS_DOWN_OFF, "vote");
	if ((st = votable(site, a, id, &c, ref)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	j.id = id;
	j.value = value > 0 ? 1 : value < 0 ? -1 : 0;
	j.voter = voter;
	j.keys = &p->keys;
	j.per_minute = cfg->votes_per_minute;
	j.now = (long long)time(NULL);
	/* Cheap first: a flood is refused before it waits for the writer. */
	if ((st = over(site->store, 0, j.keys, j.per_minute, j.now - 59,
	    &o)) != ST_OK)
		return st;
	if (!o)
		st = site_write(site, vote_job, &j);
	if (o || st == ST_LIMIT) {
		refuse(ref, RS_VOTE_RATE, NULL);
		ref->limit = cfg->votes_per_minute;
		ref->retry = 60;
		return ST_INPUT;
	}
	if (st == ST_NOTFOUND)
		return refuse(ref, RS_GONE, NULL);
	if (st != ST_OK)
		return st;
	*up = j.up;
	*down = j.down;
	return ST_OK;
}

struct reset_job {
	const struct actor	*who;
	long long		 id;
};

static enum status
reset_job(struct store *s, void *arg)
{
	struct reset_job	*j = arg;
	char			 target[40];
	enum status		 st;

	if ((st = store_votes_reset(s, j->id)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "comment:%lld", j->id);
	return store_audit_add(s, j->who->mod, j->who->name, "votes-reset",
	    target, NULL, NULL, j->who->addr, j->who->now);
}

enum status
votes_reset(struct site *site, const struct actor *who, long long id)
{
	struct reset_job	 j;

	j.who = who;
	j.id = id;
	return site_write(site, reset_job, &j);
}

/* --- reports ------------------------------------------------------------- */

struct report_job {
	const struct config	*cfg;
	long long		 id;
	enum report_reason	 why;
	const char		*text;
	const struct addr_keys	*keys;
	long			 per_hour;
	long			 hold;
	long long		 now;
	int			 held;
};

static enum status
report_job(struct store *s, void *arg)
{
	struct report_job	*j = arg;
	char			 after[TEXT_REASON_MAX * 4 + 32];
	char			 target[40];
	long long		 open = 0;
	enum cstatus		 old;
	enum status		 st;
	int			 o = 0, counted = 0;

	if ((st = over(s, 1, j->keys, j->per_hour, j->now - 3599, &o)) !=
	    ST_OK)
		return st;
	if (o)
		return ST_LIMIT;
	if ((st = store_report(s, j->id, j->why, j->text, j->keys, j->now,
	    &counted, &open)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "comment:%lld", j->id);
	snprintf(after, sizeof(after), "%s%s%s", report_reason_str(j->why),
	    j->text != NULL ? ": " : "", j->text != NULL ? j->text : "");
	/* Audited, but never who: no address hash, the actor "reader". */
	if ((st = store_audit_add(s, 0, "reader", "report", target, NULL,
	    after, NULL, j->now)) != ST_OK)
		return st;
	/* Webhooks hear of each reader's report once. */
	if (counted && (st = outbox_reported(s, j->cfg, j->id, j->now)) !=
	    ST_OK)
		return st;
	if (!counted || j->hold <= 0 || open < j->hold)
		return ST_OK;
	if ((st = store_comment_set_status(s, j->id, CS_PENDING, &old)) !=
	    ST_OK || old != CS_APPROVED)
		return st;
	j->held = 1;
	if ((st = outbox_status(s, j->cfg, j->id, old, CS_PENDING, j->now)) !=
	    ST_OK)
		return st;
	return store_audit_add(s, 0, "reports", "report-hold", target, NULL,
	    NULL, NULL, j->now);
}

enum status
reports_file(struct site *site, struct arena *a, long long id,
    enum report_reason why, const char *text, const struct poster *p,
    int *held, struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	struct report_job	 j;
	struct comment		 c;
	enum status		 st;
	int			 o = 0;

	memset(ref, 0, sizeof(*ref));
	*held = 0;
	if ((unsigned)why >= RR__MAX)
		return refuse(ref, RS_REPORT_WHY, "reason");
	if ((st = votable(site, a, id, &c, ref)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	j.cfg = cfg;
	j.id = id;
	j.why = why;
	j.text = text;
	j.keys = &p->keys;
	j.per_hour = cfg->reports_per_hour;
	j.hold = cfg->report_hold;
	j.now = (long long)time(NULL);
	if ((st = over(site->store, 1, j.keys, j.per_hour, j.now - 3599,
	    &o)) != ST_OK)
		return st;
	if (!o)
		st = site_write(site, report_job, &j);
	if (o || st == ST_LIMIT) {
		refuse(ref, RS_REPORT_RATE, NULL);
		ref->limit = cfg->reports_per_hour;
		ref->retry = 3600;
		return ST_INPUT;
	}
	if (st == ST_NOTFOUND)
		return refuse(ref, RS_GONE, NULL);
	if (st != ST_OK)
		return st;
	*held = j.held;
	return ST_OK;
}
