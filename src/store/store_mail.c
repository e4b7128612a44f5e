/* store_mail.c: what mail, webhooks, feeds and privacy keep: subscribers,
 * events, the outbox, the sender's lease; their own statement table */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"


/* Step a statement that returns nothing; *n (may be NULL) the rows it
 * changed. */
static enum status
done_n(struct store *s, struct dbstmt *st, const char *what, long long *n)
{
	enum status	 rv;

	if ((rv = db_done(s, st, what)) == ST_OK && n != NULL)
		*n = db_changes(s);
	return rv;
}

enum status
store_sync_fast(struct store *s, int fast)
{
	return s->drv->sync_fast(s, fast);
}

/* --- events -------------------------------------------------------------- */

enum status
store_event_comment(struct store *s, const char *kind, long long comment,
    long long now)
{
	struct dbstmt	*st = db_mget(s, MS_EVENT_COMMENT);

	db_text(st, ":kind", kind);
	db_int(st, ":now", now);
	db_int(st, ":id", comment);
	return db_done(s, st, "event");
}

enum status
store_event_confirm(struct store *s, long long subscriber, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_EVENT_CONFIRM);

	db_int(st, ":now", now);
	db_int(st, ":subscriber", subscriber);
	return db_done(s, st, "event");
}

enum status
store_event_next(struct store *s, struct arena *a, struct mail_event *e)
{
	struct dbstmt	*st = db_mget(s, MS_EVENT_NEXT);
	int		 rc, nomem = 0;

	if ((rc = db_step(st)) != STEP_ROW) {
		db_reset(st);
		return rc == STEP_DONE ? ST_NOTFOUND : db_fail(s, "event");
	}
	memset(e, 0, sizeof(*e));
	e->id = db_col_int(st, 0);
	e->kind = db_col_text(a, st, 1, &nomem);
	e->at = db_col_int(st, 2);
	e->subscriber = db_col_int(st, 3);
	e->comment = db_col_int(st, 4);
	e->article = db_col_int(st, 5);
	e->uri = db_col_text(a, st, 6, &nomem);
	e->title = db_col_text(a, st, 7, &nomem);
	e->parent = db_col_int(st, 8);
	e->author = db_col_text(a, st, 9, &nomem);
	e->email = db_col_text(a, st, 10, &nomem);
	e->body = db_col_text(a, st, 11, &nomem);
	e->html = db_col_text(a, st, 12, &nomem);
	e->status = db_col_text(a, st, 13, &nomem);
	e->score = db_col_real(st, 14);
	e->reasons = db_col_text(a, st, 15, &nomem);
	e->created = db_col_int(st, 16);
	db_reset(st);
	return nomem || e->kind == NULL ? ST_NOMEM : ST_OK;
}

enum status
store_event_del(struct store *s, long long id)
{
	struct dbstmt	*st = db_mget(s, MS_EVENT_DEL);

	db_int(st, ":id", id);
	return db_done(s, st, "event del");
}

/* --- subscribers ---------------------------------------------------------- */

static int
read_subscriber(struct arena *a, struct dbstmt *st, void *p)
{
	struct subscriber	*sb = p;
	int			 nomem = 0;

	memset(sb, 0, sizeof(*sb));
	sb->id = db_col_int(st, 0);
	sb->email = db_col_text(a, st, 1, &nomem);
	sb->created = db_col_int(st, 2);
	sb->confirmed = db_col_int(st, 3);
	sb->asked = db_col_int(st, 4);
	return nomem || sb->email == NULL ? -1 : 0;
}

enum status
store_subscriber_add(struct store *s, const char *email, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_SUBSCRIBER_ADD);

	db_text(st, ":email", email);
	db_int(st, ":now", now);
	return db_done(s, st, "subscriber add");
}

enum status
store_subscriber_by_email(struct store *s, struct arena *a, const char *email,
    struct subscriber *sb)
{
	struct dbstmt	*st = db_mget(s, MS_SUBSCRIBER_BY_EMAIL);

	db_text(st, ":email", email);
	return db_row(s, a, st, "subscriber", read_subscriber, sb);
}

enum status
store_subscriber_get(struct store *s, struct arena *a, long long id,
    struct subscriber *sb)
{
	struct dbstmt	*st = db_mget(s, MS_SUBSCRIBER_GET);

	db_int(st, ":id", id);
	return db_row(s, a, st, "subscriber", read_subscriber, sb);
}

enum status
store_subscriber_asked(struct store *s, long long id, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_SUBSCRIBER_ASKED);

	db_int(st, ":id", id);
	db_int(st, ":now", now);
	return db_done(s, st, "subscriber asked");
}

enum status
store_subscriber_confirm(struct store *s, long long id, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_SUBSCRIBER_CONFIRM);
	long long	 n = 0;
	enum status	 rv;

	db_int(st, ":id", id);
	db_int(st, ":now", now);
	if ((rv = done_n(s, st, "subscriber confirm", &n)) != ST_OK)
		return rv;
	return n == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_subscription_add(struct store *s, long long subscriber,
    long long comment, long long article, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_SUBSCRIPTION_ADD);

	db_int(st, ":subscriber", subscriber);
	db_int(st, ":comment", comment);
	db_int(st, ":article", article);
	db_int(st, ":now", now);
	return db_done(s, st, "subscription add");
}

enum status
store_unsubscribe(struct store *s, long long subscriber, long long article,
    long long *n)
{
	struct dbstmt	*st;
	enum status	 rv;

	st = db_mget(s, article > 0 ? MS_UNSUBSCRIBE_THREAD :
	    MS_UNSUBSCRIBE_ALL);
	db_int(st, ":subscriber", subscriber);
	if (article > 0)
		db_int(st, ":article", article);
	if ((rv = done_n(s, st, "unsubscribe", n)) != ST_OK || article > 0)
		return rv;
	/* All: nothing more until the address confirms again. */
	st = db_mget(s, MS_UNCONFIRM);
	db_int(st, ":id", subscriber);
	return db_done(s, st, "unconfirm");
}

enum status
store_reply_recipients(struct store *s, struct arena *a, long long comment,
    struct subscriber **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_REPLY_RECIPIENTS);
	void		*v;
	enum status	 rv;

	db_int(st, ":comment", comment);
	rv = db_rows(s, a, st, "reply recipients", sizeof(**vp),
	    read_subscriber, &v, np);
	*vp = v;
	return rv;
}

/* --- moderators' alerts --------------------------------------------------- */

static int
read_alert(struct arena *a, struct dbstmt *st, void *p)
{
	struct mod_alert	*m = p;
	int			 nomem = 0;

	memset(m, 0, sizeof(*m));
	m->id = db_col_int(st, 0);
	m->name = db_col_text(a, st, 1, &nomem);
	m->email = db_col_text(a, st, 2, &nomem);
	m->alerts = db_col_text(a, st, 3, &nomem);
	m->digest_minutes = db_col_int(st, 4);
	m->digest_last = db_col_int(st, 5);
	return nomem || m->alerts == NULL ? -1 : 0;
}

enum status
store_mod_alerts(struct store *s, struct arena *a, const char *kind,
    struct mod_alert **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_MOD_ALERTS);
	void		*v;
	enum status	 rv;

	db_text(st, ":kind", kind);
	rv = db_rows(s, a, st, "moderator alerts", sizeof(**vp), read_alert,
	    &v, np);
	*vp = v;
	return rv;
}

enum status
store_mod_alert_get(struct store *s, struct arena *a, long long mod,
    struct mod_alert *m)
{
	struct dbstmt	*st = db_mget(s, MS_MOD_ALERT_GET);

	db_int(st, ":id", mod);
	return db_row(s, a, st, "moderator alert", read_alert, m);
}

enum status
store_mod_alert_set(struct store *s, long long mod, const char *email,
    const char *alerts, long long minutes, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_MOD_ALERT_SET);
	long long	 n = 0;
	enum status	 rv;

	db_int(st, ":id", mod);
	db_text(st, ":email", email);
	db_text(st, ":alerts", alerts);
	db_int(st, ":minutes", minutes);
	db_int(st, ":now", now);
	if ((rv = done_n(s, st, "moderator alert set", &n)) != ST_OK)
		return rv;
	return n == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_mod_digest_done(struct store *s, long long mod, long long until)
{
	struct dbstmt	*st = db_mget(s, MS_MOD_DIGEST_DONE);

	db_int(st, ":id", mod);
	db_int(st, ":until", until);
	return db_done(s, st, "digest done");
}

/* Comments with their article's uri and title, as ENTRY_COLS. */
static int
read_entry(struct arena *a, struct dbstmt *st, void *p)
{
	struct feed_entry	*e = p;
	int			 nomem = 0;

	if (db_read_comment(a, st, &e->c) == -1)
		return -1;
	e->uri = db_col_text(a, st, 19, &nomem);
	e->title = db_col_text(a, st, 20, &nomem);
	return nomem ? -1 : 0;
}

static enum status
entries(struct store *s, struct dbstmt *st, struct arena *a,
    struct feed_entry **vp, size_t *np, const char *what)
{
	void		*v;
	enum status	 rv;

	rv = db_rows(s, a, st, what, sizeof(**vp), read_entry, &v, np);
	*vp = v;
	return rv;
}

enum status
store_pending_between(struct store *s, struct arena *a, long long since,
    long long until, int limit, struct feed_entry **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_PENDING_BETWEEN);

	db_int(st, ":since", since);
	db_int(st, ":until", until);
	db_int(st, ":limit", limit);
	return entries(s, st, a, vp, np, "pending between");
}

/* --- the outbox ----------------------------------------------------------- */

enum status
store_outbox_add(struct store *s, const char *kind, const char *target,
    const char *what, const char *payload, long long comment, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_ADD);

	db_text(st, ":kind", kind);
	db_text(st, ":target", target);
	db_text(st, ":what", what);
	db_text(st, ":payload", payload);
	if (comment > 0)
		db_int(st, ":comment", comment);
	db_int(st, ":now", now);
	return db_done(s, st, "outbox add");
}

static int
read_msg(struct arena *a, struct dbstmt *st, void *p)
{
	struct outbox_msg	*m = p;
	int			 nomem = 0;

	memset(m, 0, sizeof(*m));
	m->id = db_col_int(st, 0);
	m->kind = db_col_text(a, st, 1, &nomem);
	m->target = db_col_text(a, st, 2, &nomem);
	m->what = db_col_text(a, st, 3, &nomem);
	m->payload = db_col_text(a, st, 4, &nomem);
	m->comment = db_col_int(st, 5);
	m->state = db_col_text(a, st, 6, &nomem);
	m->attempts = (int)db_col_int(st, 7);
	m->next_try = db_col_int(st, 8);
	m->created = db_col_int(st, 9);
	m->done = db_col_int(st, 10);
	m->last_error = db_col_text(a, st, 11, &nomem);
	return nomem || m->kind == NULL || m->target == NULL ||
	    m->payload == NULL ? -1 : 0;
}

static enum status
msgs(struct store *s, struct dbstmt *st, struct arena *a,
    struct outbox_msg **vp, size_t *np, const char *what)
{
	void		*v;
	enum status	 rv;

	rv = db_rows(s, a, st, what, sizeof(**vp), read_msg, &v, np);
	*vp = v;
	return rv;
}

enum status
store_outbox_next(struct store *s, struct arena *a, long long now, int mail,
    int hooks, struct outbox_msg *m)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_NEXT);

	db_int(st, ":now", now);
	db_int(st, ":mail", mail != 0);
	db_int(st, ":hooks", hooks != 0);
	return db_row(s, a, st, "outbox next", read_msg, m);
}

enum status
store_outbox_exists(struct store *s, const char *target, const char *what,
    long long comment, int *yes)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_EXISTS);
	long long	 n = 0;
	enum status	 rv;

	db_text(st, ":target", target);
	db_text(st, ":what", what);
	db_int(st, ":comment", comment);
	rv = db_one_int(s, st, "outbox exists", &n);
	*yes = n > 0;
	return rv;
}

enum status
store_outbox_drop_replies(struct store *s, const char *target,
    long long article, long long now)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_DROP_REPLIES);

	db_text(st, ":target", target);
	db_int(st, ":article", article);
	db_int(st, ":now", now);
	return db_done(s, st, "outbox drop replies");
}

enum status
store_outbox_sent_count(struct store *s, const char *target, long long since,
    long long *n)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_SENT_COUNT);

	db_text(st, ":target", target);
	db_int(st, ":since", since);
	return db_one_int(s, st, "outbox sent count", n);
}

enum status
store_outbox_done(struct store *s, long long id, const char *state,
    int attempts, long long now, const char *error)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_DONE);

	db_int(st, ":id", id);
	db_text(st, ":state", state);
	db_int(st, ":attempts", attempts);
	db_int(st, ":now", now);
	db_text(st, ":error", error);
	return db_done(s, st, "outbox done");
}

enum status
store_outbox_retry(struct store *s, long long id, int attempts,
    long long next_try, const char *error)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_RETRY);

	db_int(st, ":id", id);
	db_int(st, ":attempts", attempts);
	db_int(st, ":next_try", next_try);
	db_text(st, ":error", error);
	return db_done(s, st, "outbox retry");
}

enum status
store_outbox_list(struct store *s, struct arena *a, int troubled, int limit,
    struct outbox_msg **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_LIST);

	db_int(st, ":troubled", troubled != 0);
	db_int(st, ":limit", limit);
	return msgs(s, st, a, vp, np, "outbox list");
}

enum status
store_outbox_counts(struct store *s, long long counts[4])
{
	static const char *const states[4] = { "queued", "sent", "failed",
	    "dropped" };
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_COUNTS);
	const char	*name;
	int		 rc, i;

	memset(counts, 0, 4 * sizeof(*counts));
	while ((rc = db_step(st)) == STEP_ROW) {
		name = db_col_str(st, 0);
		for (i = 0; i < 4 && name != NULL; i++)
			if (strcmp(name, states[i]) == 0)
				counts[i] = db_col_int(st, 1);
	}
	db_reset(st);
	return rc == STEP_DONE ? ST_OK : db_fail(s, "outbox counts");
}

enum status
store_outbox_prune(struct store *s, long long before)
{
	struct dbstmt	*st = db_mget(s, MS_OUTBOX_PRUNE);

	db_int(st, ":before", before);
	return db_done(s, st, "outbox prune");
}

/* --- the lease ------------------------------------------------------------ */

enum status
store_lease_take(struct store *s, const char *name, const char *holder,
    long long now, long long until, int *got)
{
	struct dbstmt	*st = db_mget(s, MS_LEASE_TAKE);
	long long	 n = 0;
	enum status	 rv;

	db_text(st, ":name", name);
	db_text(st, ":holder", holder);
	db_int(st, ":now", now);
	db_int(st, ":until", until);
	rv = done_n(s, st, "lease", &n);
	*got = rv == ST_OK && n == 1;
	return rv;
}

enum status
store_lease_drop(struct store *s, const char *name, const char *holder)
{
	struct dbstmt	*st = db_mget(s, MS_LEASE_DROP);

	db_text(st, ":name", name);
	db_text(st, ":holder", holder);
	return db_done(s, st, "lease drop");
}

enum status
store_lease_get(struct store *s, struct arena *a, const char *name,
    const char **holder, long long *until)
{
	struct dbstmt	*st = db_mget(s, MS_LEASE_GET);
	int		 rc, nomem = 0;

	db_text(st, ":name", name);
	if ((rc = db_step(st)) != STEP_ROW) {
		db_reset(st);
		return rc == STEP_DONE ? ST_NOTFOUND : db_fail(s, "lease");
	}
	*holder = db_col_text(a, st, 0, &nomem);
	*until = db_col_int(st, 1);
	db_reset(st);
	return nomem || *holder == NULL ? ST_NOMEM : ST_OK;
}

enum status
store_lease_steal(struct store *s, const char *name, const char *dead,
    const char *holder, long long until, int *got)
{
	struct dbstmt	*st = db_mget(s, MS_LEASE_STEAL);
	long long	 n = 0;
	enum status	 rv;

	db_text(st, ":name", name);
	db_text(st, ":dead", dead);
	db_text(st, ":holder", holder);
	db_int(st, ":until", until);
	rv = done_n(s, st, "lease steal", &n);
	*got = rv == ST_OK && n == 1;
	return rv;
}

/* --- feeds ---------------------------------------------------------------- */

enum status
store_feed(struct store *s, struct arena *a, long long article, int limit,
    struct feed_entry **vp, size_t *np)
{
	struct dbstmt	*st;

	st = db_mget(s, article > 0 ? MS_FEED_ARTICLE : MS_FEED_SITE);
	if (article > 0)
		db_int(st, ":article", article);
	db_int(st, ":limit", limit);
	return entries(s, st, a, vp, np, "feed");
}

/* --- privacy -------------------------------------------------------------- */

enum status
store_privacy_comments(struct store *s, struct arena *a, const char *email,
    struct feed_entry **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_PRIVACY_COMMENTS);

	db_text(st, ":email", email);
	return entries(s, st, a, vp, np, "privacy comments");
}

static int
read_sub_row(struct arena *a, struct dbstmt *st, void *p)
{
	struct sub_row	*r = p;
	int		 nomem = 0;

	r->comment = db_col_int(st, 0);
	r->article = db_col_int(st, 1);
	r->uri = db_col_text(a, st, 2, &nomem);
	r->created = db_col_int(st, 3);
	return nomem ? -1 : 0;
}

enum status
store_privacy_subscriptions(struct store *s, struct arena *a,
    long long subscriber, struct sub_row **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_PRIVACY_SUBSCRIPTIONS);
	void		*v;
	enum status	 rv;

	db_int(st, ":subscriber", subscriber);
	rv = db_rows(s, a, st, "privacy subscriptions", sizeof(**vp),
	    read_sub_row, &v, np);
	*vp = v;
	return rv;
}

enum status
store_privacy_messages(struct store *s, struct arena *a, const char *email,
    struct outbox_msg **vp, size_t *np)
{
	struct dbstmt	*st = db_mget(s, MS_PRIVACY_MESSAGES);

	db_text(st, ":email", email);
	return msgs(s, st, a, vp, np, "privacy messages");
}

enum status
store_privacy_erase(struct store *s, const char *email,
    struct erase_counts *c)
{
	static const enum mstmt	 order[] = { MS_PRIVACY_SPAM_CHECKS,
	    MS_PRIVACY_BUMP, MS_PRIVACY_COMMENTS_ERASE,
	    MS_PRIVACY_SUBSCRIBER_ERASE, MS_PRIVACY_OUTBOX_ERASE,
	    MS_PRIVACY_EVENTS_ERASE };
	struct dbstmt	*st;
	long long	 n;
	enum status	 rv;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		st = db_mget(s, order[i]);
		db_text(st, ":email", email);
		n = 0;
		if ((rv = done_n(s, st, "privacy erase", &n)) != ST_OK)
			return rv;
		if (order[i] == MS_PRIVACY_COMMENTS_ERASE)
			c->comments = n;
		else if (order[i] == MS_PRIVACY_SUBSCRIBER_ERASE)
			c->subscribers = n;
		else if (order[i] == MS_PRIVACY_OUTBOX_ERASE)
			c->messages = n;
	}
	return ST_OK;
}
