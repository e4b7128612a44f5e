/* sqlite_mail_sql.c: the SQL of mail, webhooks, feeds and privacy (store_mail.c), for SQLite */
#include "store/sqlite_int.h"

const char *const sqlite_mail_sql[MS__MAX] = {
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
	[MS_EVENT_NEXT] = "SELECT " MAIL_EVENT_COLS " FROM events ORDER BY id "
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
	[MS_MOD_ALERTS] = "SELECT " MAIL_ALERT_COLS " FROM moderators "
	    "WHERE alerts = :kind AND email IS NOT NULL ORDER BY id",
	[MS_MOD_ALERT_GET] = "SELECT " MAIL_ALERT_COLS " FROM moderators "
	    "WHERE id = :id",
	[MS_MOD_ALERT_SET] = "UPDATE moderators SET email = :email, "
	    "alerts = :alerts, digest_minutes = :minutes, digest_last = :now "
	    "WHERE id = :id",
	[MS_MOD_DIGEST_DONE] = "UPDATE moderators SET digest_last = :until "
	    "WHERE id = :id",
	[MS_PENDING_BETWEEN] = "SELECT " MAIL_ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE c.status = 'pending' "
	    "AND c.created > :since AND c.created <= :until "
	    "ORDER BY c.created, c.id LIMIT :limit",
	[MS_OUTBOX_ADD] = "INSERT INTO outbox (kind, target, what, payload, "
	    "comment, next_try, created) VALUES (:kind, :target, :what, "
	    ":payload, :comment, :now, :now)",
	/* A webhook URL's deliveries go one at a time, in order: a failing
	 * one holds back the later ones until it is delivered or given
	 * up on. */
	[MS_OUTBOX_NEXT] = "SELECT " MAIL_OUTBOX_COLS " FROM outbox o "
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
	[MS_OUTBOX_LIST] = "SELECT " MAIL_OUTBOX_COLS " FROM outbox "
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
	[MS_FEED_SITE] = "SELECT " MAIL_ENTRY_COLS " FROM comments c JOIN articles "
	    "a ON a.id = c.article WHERE c.status = 'approved' "
	    "ORDER BY c.created DESC, c.id DESC LIMIT :limit",
	[MS_FEED_ARTICLE] = "SELECT " MAIL_ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE c.status = 'approved' "
	    "AND c.article = :article ORDER BY c.id DESC LIMIT :limit",
	[MS_PRIVACY_COMMENTS] = "SELECT " MAIL_ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE lower(c.email) = :email "
	    "ORDER BY c.id",
	[MS_PRIVACY_SUBSCRIPTIONS] = "SELECT x.comment, x.article, a.uri, "
	    "x.created FROM subscriptions x JOIN articles a ON "
	    "a.id = x.article WHERE x.subscriber = :subscriber "
	    "ORDER BY x.comment",
	[MS_PRIVACY_MESSAGES] = "SELECT " MAIL_OUTBOX_COLS " FROM outbox "
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
