/* store_mail.c: what mail, webhooks, feeds and privacy keep: subscribers,
 * events, the outbox, the sender's lease; their own statement table */
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/vec.h"
#include "store/store.h"
#include "store/store_int.h"

#define EVENT_COLS \
	"id, kind, at, subscriber, comment, article, uri, title, parent, " \
	"author, email, body, html, status, score, reasons, created"
#define OUTBOX_COLS \
	"id, kind, target, what, payload, comment, state, attempts, " \
	"next_try, created, done, last_error"
#define ENTRY_COLS \
	"c.id, c.article, c.parent, c.root, c.depth, c.author, c.email, " \
	"c.website, c.body, c.html, c.status, c.score, c.reasons, c.created, " \
	"c.edited, c.addr_hash, c.user_agent, c.up, c.down, a.uri, a.title"
#define ALERT_COLS \
	"id, name, email, alerts, digest_minutes, digest_last"

const char *const mail_stmts[MS__MAX] = {
	[MS_SYNC_NORMAL] = "PRAGMA synchronous=NORMAL",
	[MS_SYNC_FULL] = "PRAGMA synchronous=FULL",
	/* A copy of the comment as it is, so the message says what was
	 * true at the change even when the comment changes or goes. */
	[MS_EVENT_COMMENT] = "INSERT INTO events (kind, at, comment, article, "
	    "uri, title, parent, author, email, body, html, status, score, "
	    "reasons, created) SELECT :kind, :now, c.id, c.article, a.uri, "
	    "a.title, c.parent, c.author, c.email, c.body, c.html, "
	    "CASE WHEN :kind = 'deleted' THEN 'deleted' ELSE c.status END, "
	    "c.score, c.reasons, c.created FROM comments c JOIN articles a "
	    "ON a.id = c.article WHERE c.id = :id",
	[MS_EVENT_CONFIRM] = "INSERT INTO events (kind, at, subscriber) "
	    "VALUES ('confirm', :now, :subscriber)",
	[MS_EVENT_NEXT] = "SELECT " EVENT_COLS " FROM events ORDER BY id "
	    "LIMIT 1",
	[MS_EVENT_DEL] = "DELETE FROM events WHERE id = :id",
	[MS_SUBSCRIBER_ADD] = "INSERT INTO subscribers (email, created) "
	    "VALUES (:email, :now) ON CONFLICT (email) DO NOTHING",
	[MS_SUBSCRIBER_BY_EMAIL] = "SELECT id, email, created, confirmed, "
	    "asked FROM subscribers WHERE email = :email",
	[MS_SUBSCRIBER_GET] = "SELECT id, email, created, confirmed, asked "
	    "FROM subscribers WHERE id = :id",
	[MS_SUBSCRIBER_ASKED] = "UPDATE subscribers SET asked = :now "
	    "WHERE id = :id",
	[MS_SUBSCRIBER_CONFIRM] = "UPDATE subscribers SET confirmed = "
	    "coalesce(confirmed, :now) WHERE id = :id",
	[MS_SUBSCRIPTION_ADD] = "INSERT INTO subscriptions (subscriber, "
	    "comment, article, created) VALUES (:subscriber, :comment, "
	    ":article, :now) ON CONFLICT (subscriber, comment) DO NOTHING",
	[MS_UNSUBSCRIBE_THREAD] = "DELETE FROM subscriptions "
	    "WHERE subscriber = :subscriber AND (:article = 0 OR "
	    "article = :article)",
	[MS_UNSUBSCRIBE_ALL] = "DELETE FROM subscriptions "
	    "WHERE subscriber = :subscriber",
	[MS_UNCONFIRM] = "UPDATE subscribers SET confirmed = NULL "
	    "WHERE id = :id",
	[MS_REPLY_RECIPIENTS] = "SELECT s.id, s.email, s.created, s.confirmed, "
	    "s.asked FROM subscriptions x JOIN subscribers s ON "
	    "s.id = x.subscriber WHERE x.comment = :comment AND "
	    "s.confirmed IS NOT NULL ORDER BY s.id",
	[MS_MOD_ALERTS] = "SELECT " ALERT_COLS " FROM moderators "
	    "WHERE alerts = :kind AND email IS NOT NULL ORDER BY id",
	[MS_MOD_ALERT_GET] = "SELECT " ALERT_COLS " FROM moderators "
	    "WHERE id = :id",
	[MS_MOD_ALERT_SET] = "UPDATE moderators SET email = :email, "
	    "alerts = :alerts, digest_minutes = :minutes, digest_last = :now "
	    "WHERE id = :id",
	[MS_MOD_DIGEST_DONE] = "UPDATE moderators SET digest_last = :until "
	    "WHERE id = :id",
	[MS_PENDING_BETWEEN] = "SELECT " ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE c.status = 'pending' "
	    "AND c.created > :since AND c.created <= :until "
	    "ORDER BY c.created, c.id LIMIT :limit",
	[MS_OUTBOX_ADD] = "INSERT INTO outbox (kind, target, what, payload, "
	    "comment, next_try, created) VALUES (:kind, :target, :what, "
	    ":payload, :comment, :now, :now)",
	/* A webhook URL's deliveries go one at a time, in order: a failing
	 * one holds back the later ones until it is delivered or given
	 * up on. */
	[MS_OUTBOX_NEXT] = "SELECT " OUTBOX_COLS " FROM outbox o "
	    "WHERE state = 'queued' AND next_try <= :now AND ((kind = 'mail' "
	    "AND :mail) OR (kind = 'webhook' AND :hooks AND id = (SELECT "
	    "min(id) FROM outbox p WHERE p.kind = 'webhook' AND "
	    "p.target = o.target AND p.state = 'queued'))) "
	    "ORDER BY next_try, id LIMIT 1",
	[MS_OUTBOX_EXISTS] = "SELECT count(*) FROM outbox WHERE "
	    "target = :target AND what = :what AND comment = :comment",
	/* Replies queued for an address that has just said stop. */
	[MS_OUTBOX_DROP_REPLIES] = "UPDATE outbox SET state = 'dropped', "
	    "done = :now, last_error = 'the address asked for no more' "
	    "WHERE kind = 'mail' AND target = :target AND what = 'reply' AND "
	    "state = 'queued' AND (:article = 0 OR comment IN (SELECT id "
	    "FROM comments WHERE article = :article))",
	[MS_OUTBOX_SENT_COUNT] = "SELECT count(*) FROM outbox "
	    "WHERE target = :target AND state = 'sent' AND kind = 'mail' "
	    "AND done > :since",
	[MS_OUTBOX_DONE] = "UPDATE outbox SET state = :state, attempts = "
	    ":attempts, done = :now, last_error = coalesce(:error, last_error) "
	    "WHERE id = :id",
	[MS_OUTBOX_RETRY] = "UPDATE outbox SET attempts = :attempts, "
	    "next_try = :next_try, last_error = :error WHERE id = :id",
	[MS_OUTBOX_LIST] = "SELECT " OUTBOX_COLS " FROM outbox "
	    "WHERE NOT :troubled OR state IN ('failed', 'dropped') OR "
	    "(state = 'queued' AND last_error IS NOT NULL) "
	    "ORDER BY id DESC LIMIT :limit",
	[MS_OUTBOX_COUNTS] = "SELECT state, count(*) FROM outbox "
	    "GROUP BY state",
	[MS_OUTBOX_PRUNE] = "DELETE FROM outbox WHERE state != 'queued' "
	    "AND done < :before",
	[MS_LEASE_TAKE] = "UPDATE leases SET holder = :holder, until = :until "
	    "WHERE name = :name AND (holder = :holder OR until < :now)",
	[MS_LEASE_DROP] = "UPDATE leases SET holder = '', until = 0 "
	    "WHERE name = :name AND holder = :holder",
	[MS_LEASE_GET] = "SELECT holder, until FROM leases WHERE name = :name",
	/* Taken from a holder known to be dead, only if it still holds. */
	[MS_LEASE_STEAL] = "UPDATE leases SET holder = :holder, "
	    "until = :until WHERE name = :name AND holder = :dead",
	[MS_FEED_SITE] = "SELECT " ENTRY_COLS " FROM comments c JOIN articles "
	    "a ON a.id = c.article WHERE c.status = 'approved' "
	    "ORDER BY c.created DESC, c.id DESC LIMIT :limit",
	[MS_FEED_ARTICLE] = "SELECT " ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE c.status = 'approved' "
	    "AND c.article = :article ORDER BY c.id DESC LIMIT :limit",
	[MS_PRIVACY_COMMENTS] = "SELECT " ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE lower(c.email) = :email "
	    "ORDER BY c.id",
	[MS_PRIVACY_SUBSCRIPTIONS] = "SELECT x.comment, x.article, a.uri, "
	    "x.created FROM subscriptions x JOIN articles a ON "
	    "a.id = x.article WHERE x.subscriber = :subscriber "
	    "ORDER BY x.comment",
	[MS_PRIVACY_MESSAGES] = "SELECT " OUTBOX_COLS " FROM outbox "
	    "WHERE kind = 'mail' AND target = :email ORDER BY id",
	/* What the hook was told of these comments names the address. */
	[MS_PRIVACY_SPAM_CHECKS] = "DELETE FROM spam_checks WHERE comment IN "
	    "(SELECT id FROM comments WHERE lower(email) = :email)",
	[MS_PRIVACY_BUMP] = "UPDATE articles SET version = version + 1 "
	    "WHERE id IN (SELECT article FROM comments "
	    "WHERE lower(email) = :email)",
	[MS_PRIVACY_COMMENTS_ERASE] = "UPDATE comments SET email = NULL, "
	    "author = 'Anonymous', website = NULL, addr_hash = NULL, "
	    "user_agent = NULL WHERE lower(email) = :email",
	[MS_PRIVACY_SUBSCRIBER_ERASE] = "DELETE FROM subscribers "
	    "WHERE email = :email",
	[MS_PRIVACY_OUTBOX_ERASE] = "DELETE FROM outbox WHERE kind = 'mail' "
	    "AND target = :email",
	[MS_PRIVACY_EVENTS_ERASE] = "UPDATE events SET email = NULL, "
	    "author = 'Anonymous' WHERE lower(email) = :email",
};

/* Step a statement that returns nothing; *n (may be NULL) the rows it
 * changed. */
static enum status
done_n(struct store *s, sqlite3_stmt *st, const char *what, long long *n)
{
	enum status	 rv;

	if ((rv = sq_done(s, st, what)) == ST_OK && n != NULL)
		*n = sqlite3_changes(s->db);
	return rv;
}

enum status
store_sync_fast(struct store *s, int fast)
{
	return sq_done(s, sq_mget(s, fast ? MS_SYNC_NORMAL : MS_SYNC_FULL),
	    "synchronous");
}

/* --- events -------------------------------------------------------------- */

enum status
store_event_comment(struct store *s, const char *kind, long long comment,
    long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_EVENT_COMMENT);

	sq_bind_text(st, ":kind", kind);
	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":id", comment);
	return sq_done(s, st, "event");
}

enum status
store_event_confirm(struct store *s, long long subscriber, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_EVENT_CONFIRM);

	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":subscriber", subscriber);
	return sq_done(s, st, "event");
}

enum status
store_event_next(struct store *s, struct arena *a, struct mail_event *e)
{
	sqlite3_stmt	*st = sq_mget(s, MS_EVENT_NEXT);
	int		 rc, nomem = 0;

	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "event");
	}
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->kind = sq_col_text(a, st, 1, &nomem);
	e->at = sqlite3_column_int64(st, 2);
	e->subscriber = sqlite3_column_int64(st, 3);
	e->comment = sqlite3_column_int64(st, 4);
	e->article = sqlite3_column_int64(st, 5);
	e->uri = sq_col_text(a, st, 6, &nomem);
	e->title = sq_col_text(a, st, 7, &nomem);
	e->parent = sqlite3_column_int64(st, 8);
	e->author = sq_col_text(a, st, 9, &nomem);
	e->email = sq_col_text(a, st, 10, &nomem);
	e->body = sq_col_text(a, st, 11, &nomem);
	e->html = sq_col_text(a, st, 12, &nomem);
	e->status = sq_col_text(a, st, 13, &nomem);
	e->score = sqlite3_column_double(st, 14);
	e->reasons = sq_col_text(a, st, 15, &nomem);
	e->created = sqlite3_column_int64(st, 16);
	sqlite3_reset(st);
	return nomem || e->kind == NULL ? ST_NOMEM : ST_OK;
}

enum status
store_event_del(struct store *s, long long id)
{
	sqlite3_stmt	*st = sq_mget(s, MS_EVENT_DEL);

	sq_bind_int(st, ":id", id);
	return sq_done(s, st, "event del");
}

/* --- subscribers ---------------------------------------------------------- */

static int
read_subscriber(struct arena *a, sqlite3_stmt *st, struct subscriber *sb)
{
	int	 nomem = 0;

	memset(sb, 0, sizeof(*sb));
	sb->id = sqlite3_column_int64(st, 0);
	sb->email = sq_col_text(a, st, 1, &nomem);
	sb->created = sqlite3_column_int64(st, 2);
	sb->confirmed = sqlite3_column_int64(st, 3);
	sb->asked = sqlite3_column_int64(st, 4);
	return nomem || sb->email == NULL ? -1 : 0;
}

static enum status
subscriber_one(struct store *s, sqlite3_stmt *st, struct arena *a,
    struct subscriber *sb)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "subscriber");
	}
	rc = read_subscriber(a, st, sb);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_subscriber_add(struct store *s, const char *email, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_SUBSCRIBER_ADD);

	sq_bind_text(st, ":email", email);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "subscriber add");
}

enum status
store_subscriber_by_email(struct store *s, struct arena *a, const char *email,
    struct subscriber *sb)
{
	sqlite3_stmt	*st = sq_mget(s, MS_SUBSCRIBER_BY_EMAIL);

	sq_bind_text(st, ":email", email);
	return subscriber_one(s, st, a, sb);
}

enum status
store_subscriber_get(struct store *s, struct arena *a, long long id,
    struct subscriber *sb)
{
	sqlite3_stmt	*st = sq_mget(s, MS_SUBSCRIBER_GET);

	sq_bind_int(st, ":id", id);
	return subscriber_one(s, st, a, sb);
}

enum status
store_subscriber_asked(struct store *s, long long id, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_SUBSCRIBER_ASKED);

	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "subscriber asked");
}

enum status
store_subscriber_confirm(struct store *s, long long id, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_SUBSCRIBER_CONFIRM);
	long long	 n = 0;
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":now", now);
	if ((rv = done_n(s, st, "subscriber confirm", &n)) != ST_OK)
		return rv;
	return n == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_subscription_add(struct store *s, long long subscriber,
    long long comment, long long article, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_SUBSCRIPTION_ADD);

	sq_bind_int(st, ":subscriber", subscriber);
	sq_bind_int(st, ":comment", comment);
	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "subscription add");
}

enum status
store_unsubscribe(struct store *s, long long subscriber, long long article,
    long long *n)
{
	sqlite3_stmt	*st;
	enum status	 rv;

	st = sq_mget(s, article > 0 ? MS_UNSUBSCRIBE_THREAD :
	    MS_UNSUBSCRIBE_ALL);
	sq_bind_int(st, ":subscriber", subscriber);
	if (article > 0)
		sq_bind_int(st, ":article", article);
	if ((rv = done_n(s, st, "unsubscribe", n)) != ST_OK || article > 0)
		return rv;
	/* All: nothing more until the address confirms again. */
	st = sq_mget(s, MS_UNCONFIRM);
	sq_bind_int(st, ":id", subscriber);
	return sq_done(s, st, "unconfirm");
}

enum status
store_reply_recipients(struct store *s, struct arena *a, long long comment,
    struct subscriber **vp, size_t *np)
{
	sqlite3_stmt		*st = sq_mget(s, MS_REPLY_RECIPIENTS);
	struct subscriber	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc, nomem = 0;

	sq_bind_int(st, ":comment", comment);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL ||
		    read_subscriber(a, st, &v[n++]) == -1) {
			nomem = 1;
			break;
		}
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "reply recipients");
	*vp = v;
	*np = n;
	return ST_OK;
}

/* --- moderators' alerts --------------------------------------------------- */

static int
read_alert(struct arena *a, sqlite3_stmt *st, struct mod_alert *m)
{
	int	 nomem = 0;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->name = sq_col_text(a, st, 1, &nomem);
	m->email = sq_col_text(a, st, 2, &nomem);
	m->alerts = sq_col_text(a, st, 3, &nomem);
	m->digest_minutes = sqlite3_column_int64(st, 4);
	m->digest_last = sqlite3_column_int64(st, 5);
	return nomem || m->alerts == NULL ? -1 : 0;
}

enum status
store_mod_alerts(struct store *s, struct arena *a, const char *kind,
    struct mod_alert **vp, size_t *np)
{
	sqlite3_stmt		*st = sq_mget(s, MS_MOD_ALERTS);
	struct mod_alert	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc, nomem = 0;

	sq_bind_text(st, ":kind", kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL ||
		    read_alert(a, st, &v[n++]) == -1) {
			nomem = 1;
			break;
		}
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "moderator alerts");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_mod_alert_get(struct store *s, struct arena *a, long long mod,
    struct mod_alert *m)
{
	sqlite3_stmt	*st = sq_mget(s, MS_MOD_ALERT_GET);
	int		 rc;

	sq_bind_int(st, ":id", mod);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "moderator alert");
	}
	rc = read_alert(a, st, m);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_mod_alert_set(struct store *s, long long mod, const char *email,
    const char *alerts, long long minutes, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_MOD_ALERT_SET);
	long long	 n = 0;
	enum status	 rv;

	sq_bind_int(st, ":id", mod);
	sq_bind_text(st, ":email", email);
	sq_bind_text(st, ":alerts", alerts);
	sq_bind_int(st, ":minutes", minutes);
	sq_bind_int(st, ":now", now);
	if ((rv = done_n(s, st, "moderator alert set", &n)) != ST_OK)
		return rv;
	return n == 0 ? ST_NOTFOUND : ST_OK;
}

enum status
store_mod_digest_done(struct store *s, long long mod, long long until)
{
	sqlite3_stmt	*st = sq_mget(s, MS_MOD_DIGEST_DONE);

	sq_bind_int(st, ":id", mod);
	sq_bind_int(st, ":until", until);
	return sq_done(s, st, "digest done");
}

/* Comments with their article's uri and title, as ENTRY_COLS. */
static enum status
entries(struct store *s, sqlite3_stmt *st, struct arena *a,
    struct feed_entry **vp, size_t *np, const char *what)
{
	struct feed_entry	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL) {
			nomem = 1;
			break;
		}
		if (sq_read_comment(a, st, &v[n].c) == -1)
			nomem = 1;
		v[n].uri = sq_col_text(a, st, 19, &nomem);
		v[n].title = sq_col_text(a, st, 20, &nomem);
		n++;
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, what);
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_pending_between(struct store *s, struct arena *a, long long since,
    long long until, int limit, struct feed_entry **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_mget(s, MS_PENDING_BETWEEN);

	sq_bind_int(st, ":since", since);
	sq_bind_int(st, ":until", until);
	sq_bind_int(st, ":limit", limit);
	return entries(s, st, a, vp, np, "pending between");
}

/* --- the outbox ----------------------------------------------------------- */

enum status
store_outbox_add(struct store *s, const char *kind, const char *target,
    const char *what, const char *payload, long long comment, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_ADD);

	sq_bind_text(st, ":kind", kind);
	sq_bind_text(st, ":target", target);
	sq_bind_text(st, ":what", what);
	sq_bind_text(st, ":payload", payload);
	if (comment > 0)
		sq_bind_int(st, ":comment", comment);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "outbox add");
}

static int
read_msg(struct arena *a, sqlite3_stmt *st, struct outbox_msg *m)
{
	int	 nomem = 0;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->kind = sq_col_text(a, st, 1, &nomem);
	m->target = sq_col_text(a, st, 2, &nomem);
	m->what = sq_col_text(a, st, 3, &nomem);
	m->payload = sq_col_text(a, st, 4, &nomem);
	m->comment = sqlite3_column_int64(st, 5);
	m->state = sq_col_text(a, st, 6, &nomem);
	m->attempts = sqlite3_column_int(st, 7);
	m->next_try = sqlite3_column_int64(st, 8);
	m->created = sqlite3_column_int64(st, 9);
	m->done = sqlite3_column_int64(st, 10);
	m->last_error = sq_col_text(a, st, 11, &nomem);
	return nomem || m->kind == NULL || m->target == NULL ||
	    m->payload == NULL ? -1 : 0;
}

static enum status
msgs(struct store *s, sqlite3_stmt *st, struct arena *a,
    struct outbox_msg **vp, size_t *np, const char *what)
{
	struct outbox_msg	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL ||
		    read_msg(a, st, &v[n++]) == -1) {
			nomem = 1;
			break;
		}
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, what);
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_outbox_next(struct store *s, struct arena *a, long long now, int mail,
    int hooks, struct outbox_msg *m)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_NEXT);
	int		 rc;

	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":mail", mail != 0);
	sq_bind_int(st, ":hooks", hooks != 0);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "outbox next");
	}
	rc = read_msg(a, st, m);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_outbox_exists(struct store *s, const char *target, const char *what,
    long long comment, int *yes)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_EXISTS);
	long long	 n = 0;
	enum status	 rv;

	sq_bind_text(st, ":target", target);
	sq_bind_text(st, ":what", what);
	sq_bind_int(st, ":comment", comment);
	rv = sq_one_int(s, st, "outbox exists", &n);
	*yes = n > 0;
	return rv;
}

enum status
store_outbox_drop_replies(struct store *s, const char *target,
    long long article, long long now)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_DROP_REPLIES);

	sq_bind_text(st, ":target", target);
	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "outbox drop replies");
}

enum status
store_outbox_sent_count(struct store *s, const char *target, long long since,
    long long *n)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_SENT_COUNT);

	sq_bind_text(st, ":target", target);
	sq_bind_int(st, ":since", since);
	return sq_one_int(s, st, "outbox sent count", n);
}

enum status
store_outbox_done(struct store *s, long long id, const char *state,
    int attempts, long long now, const char *error)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_DONE);

	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":state", state);
	sq_bind_int(st, ":attempts", attempts);
	sq_bind_int(st, ":now", now);
	sq_bind_text(st, ":error", error);
	return sq_done(s, st, "outbox done");
}

enum status
store_outbox_retry(struct store *s, long long id, int attempts,
    long long next_try, const char *error)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_RETRY);

	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":attempts", attempts);
	sq_bind_int(st, ":next_try", next_try);
	sq_bind_text(st, ":error", error);
	return sq_done(s, st, "outbox retry");
}

enum status
store_outbox_list(struct store *s, struct arena *a, int troubled, int limit,
    struct outbox_msg **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_LIST);

	sq_bind_int(st, ":troubled", troubled != 0);
	sq_bind_int(st, ":limit", limit);
	return msgs(s, st, a, vp, np, "outbox list");
}

enum status
store_outbox_counts(struct store *s, long long counts[4])
{
	static const char *const states[4] = { "queued", "sent", "failed",
	    "dropped" };
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_COUNTS);
	const char	*name;
	int		 rc, i;

	memset(counts, 0, 4 * sizeof(*counts));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		for (i = 0; i < 4 && name != NULL; i++)
			if (strcmp(name, states[i]) == 0)
				counts[i] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? ST_OK : sq_fail(s, "outbox counts");
}

enum status
store_outbox_prune(struct store *s, long long before)
{
	sqlite3_stmt	*st = sq_mget(s, MS_OUTBOX_PRUNE);

	sq_bind_int(st, ":before", before);
	return sq_done(s, st, "outbox prune");
}

/* --- the lease ------------------------------------------------------------ */

enum status
store_lease_take(struct store *s, const char *name, const char *holder,
    long long now, long long until, int *got)
{
	sqlite3_stmt	*st = sq_mget(s, MS_LEASE_TAKE);
	long long	 n = 0;
	enum status	 rv;

	sq_bind_text(st, ":name", name);
	sq_bind_text(st, ":holder", holder);
	sq_bind_int(st, ":now", now);
	sq_bind_int(st, ":until", until);
	rv = done_n(s, st, "lease", &n);
	*got = rv == ST_OK && n == 1;
	return rv;
}

enum status
store_lease_drop(struct store *s, const char *name, const char *holder)
{
	sqlite3_stmt	*st = sq_mget(s, MS_LEASE_DROP);

	sq_bind_text(st, ":name", name);
	sq_bind_text(st, ":holder", holder);
	return sq_done(s, st, "lease drop");
}

enum status
store_lease_get(struct store *s, struct arena *a, const char *name,
    const char **holder, long long *until)
{
	sqlite3_stmt	*st = sq_mget(s, MS_LEASE_GET);
	int		 rc, nomem = 0;

	sq_bind_text(st, ":name", name);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "lease");
	}
	*holder = sq_col_text(a, st, 0, &nomem);
	*until = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return nomem || *holder == NULL ? ST_NOMEM : ST_OK;
}

enum status
store_lease_steal(struct store *s, const char *name, const char *dead,
    const char *holder, long long until, int *got)
{
	sqlite3_stmt	*st = sq_mget(s, MS_LEASE_STEAL);
	long long	 n = 0;
	enum status	 rv;

	sq_bind_text(st, ":name", name);
	sq_bind_text(st, ":dead", dead);
	sq_bind_text(st, ":holder", holder);
	sq_bind_int(st, ":until", until);
	rv = done_n(s, st, "lease steal", &n);
	*got = rv == ST_OK && n == 1;
	return rv;
}

/* --- feeds ---------------------------------------------------------------- */

enum status
store_feed(struct store *s, struct arena *a, long long article, int limit,
    struct feed_entry **vp, size_t *np)
{
	sqlite3_stmt	*st;

	st = sq_mget(s, article > 0 ? MS_FEED_ARTICLE : MS_FEED_SITE);
	if (article > 0)
		sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":limit", limit);
	return entries(s, st, a, vp, np, "feed");
}

/* --- privacy -------------------------------------------------------------- */

enum status
store_privacy_comments(struct store *s, struct arena *a, const char *email,
    struct feed_entry **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_mget(s, MS_PRIVACY_COMMENTS);

	sq_bind_text(st, ":email", email);
	return entries(s, st, a, vp, np, "privacy comments");
}

enum status
store_privacy_subscriptions(struct store *s, struct arena *a,
    long long subscriber, struct sub_row **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_mget(s, MS_PRIVACY_SUBSCRIPTIONS);
	struct sub_row	*v = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	sq_bind_int(st, ":subscriber", subscriber);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL) {
			nomem = 1;
			break;
		}
		v[n].comment = sqlite3_column_int64(st, 0);
		v[n].article = sqlite3_column_int64(st, 1);
		v[n].uri = sq_col_text(a, st, 2, &nomem);
		v[n].created = sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "privacy subscriptions");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_privacy_messages(struct store *s, struct arena *a, const char *email,
    struct outbox_msg **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_mget(s, MS_PRIVACY_MESSAGES);

	sq_bind_text(st, ":email", email);
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
	sqlite3_stmt	*st;
	long long	 n;
	enum status	 rv;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		st = sq_mget(s, order[i]);
		sq_bind_text(st, ":email", email);
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
