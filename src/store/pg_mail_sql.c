/* pg_mail_sql.c: the SQL of mail, webhooks, feeds and privacy (store_mail.c), for PostgreSQL */
#include "store/pg_int.h"

/* The same statements as sqlite_mail_sql.c: parameters typed where
 * SQLite takes anything (a flag as an integer, a parameter used twice). */
const struct pg_sql pg_mail_sql[MS__MAX] = {
	/* A copy of the comment as it is, so the message says what was
	 * true at the change even when the comment changes or goes. */
	[MS_EVENT_COMMENT] = { "INSERT INTO events (kind, at, comment, article, "
	    "uri, title, parent, author, email, body, html, status, score, "
	    "reasons, created) SELECT :kind::text, :now::bigint, c.id, c.article, a.uri, "
	    "a.title, c.parent, c.author, c.email, c.body, c.html, "
	    "CASE WHEN :kind::text = 'deleted' THEN 'deleted' ELSE c.status END, "
	    "c.score, c.reasons, c.created FROM comments c JOIN articles a "
	    "ON a.id = c.article WHERE c.id = :id", 0 },
	[MS_EVENT_CONFIRM] = { "INSERT INTO events (kind, at, subscriber) "
	    "VALUES ('confirm', :now, :subscriber)", 0 },
	[MS_EVENT_NEXT] = { "SELECT " MAIL_EVENT_COLS " FROM events ORDER BY id "
	    "LIMIT 1", 0 },
	[MS_EVENT_DEL] = { "DELETE FROM events WHERE id = :id", 0 },
	[MS_SUBSCRIBER_ADD] = { "INSERT INTO subscribers (email, created) "
	    "VALUES (:email, :now) ON CONFLICT (email) DO NOTHING", 0 },
	[MS_SUBSCRIBER_BY_EMAIL] = { "SELECT id, email, created, confirmed, "
	    "asked FROM subscribers WHERE email = :email", 0 },
	[MS_SUBSCRIBER_GET] = { "SELECT id, email, created, confirmed, asked "
	    "FROM subscribers WHERE id = :id", 0 },
	[MS_SUBSCRIBER_ASKED] = { "UPDATE subscribers SET asked = :now "
	    "WHERE id = :id", 0 },
	[MS_SUBSCRIBER_CONFIRM] = { "UPDATE subscribers SET confirmed = "
	    "coalesce(confirmed, :now::bigint) WHERE id = :id", 0 },
	[MS_SUBSCRIPTION_ADD] = { "INSERT INTO subscriptions (subscriber, "
	    "comment, article, created) VALUES (:subscriber, :comment, "
	    ":article, :now) ON CONFLICT (subscriber, comment) DO NOTHING", 0 },
	[MS_UNSUBSCRIBE_THREAD] = { "DELETE FROM subscriptions "
	    "WHERE subscriber = :subscriber AND (:article::bigint = 0 OR "
	    "article = :article::bigint)", 0 },
	[MS_UNSUBSCRIBE_ALL] = { "DELETE FROM subscriptions "
	    "WHERE subscriber = :subscriber", 0 },
	[MS_UNCONFIRM] = { "UPDATE subscribers SET confirmed = NULL "
	    "WHERE id = :id", 0 },
	[MS_REPLY_RECIPIENTS] = { "SELECT s.id, s.email, s.created, s.confirmed, "
	    "s.asked FROM subscriptions x JOIN subscribers s ON "
	    "s.id = x.subscriber WHERE x.comment = :comment AND "
	    "s.confirmed IS NOT NULL ORDER BY s.id", 0 },
	[MS_MOD_ALERTS] = { "SELECT " MAIL_ALERT_COLS " FROM moderators "
	    "WHERE alerts = :kind AND email IS NOT NULL ORDER BY id", 0 },
	[MS_MOD_ALERT_GET] = { "SELECT " MAIL_ALERT_COLS " FROM moderators "
	    "WHERE id = :id", 0 },
	[MS_MOD_ALERT_SET] = { "UPDATE moderators SET email = :email, "
	    "alerts = :alerts, digest_minutes = :minutes, digest_last = :now "
	    "WHERE id = :id", 0 },
	[MS_MOD_DIGEST_DONE] = { "UPDATE moderators SET digest_last = :until "
	    "WHERE id = :id", 0 },
	[MS_PENDING_BETWEEN] = { "SELECT " MAIL_ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE c.status = 'pending' "
	    "AND c.created > :since AND c.created <= :until "
	    "ORDER BY c.created, c.id LIMIT :limit", 0 },
	[MS_OUTBOX_ADD] = { "INSERT INTO outbox (kind, target, what, payload, "
	    "comment, next_try, created) VALUES (:kind, :target, :what, "
	    ":payload, :comment, :now::bigint, :now::bigint)", 0 },
	/* A webhook URL's deliveries go one at a time, in order: a failing
	 * one holds back the later ones until it is delivered or given
	 * up on. */
	[MS_OUTBOX_NEXT] = { "SELECT " MAIL_OUTBOX_COLS " FROM outbox o "
	    "WHERE state = 'queued' AND next_try <= :now AND ((kind = 'mail' "
	    "AND :mail::int <> 0) OR (kind = 'webhook' AND :hooks::int <> 0 AND id = (SELECT "
	    "min(id) FROM outbox p WHERE p.kind = 'webhook' AND "
	    "p.target = o.target AND p.state = 'queued'))) "
	    "ORDER BY next_try, id LIMIT 1", 0 },
	[MS_OUTBOX_EXISTS] = { "SELECT count(*) FROM outbox WHERE "
	    "target = :target AND what = :what AND comment = :comment", 0 },
	/* Replies queued for an address that has just said stop. */
	[MS_OUTBOX_DROP_REPLIES] = { "UPDATE outbox SET state = 'dropped', "
	    "done = :now, last_error = 'the address asked for no more' "
	    "WHERE kind = 'mail' AND target = :target AND what = 'reply' AND "
	    "state = 'queued' AND (:article::bigint = 0 OR comment IN (SELECT id "
	    "FROM comments WHERE article = :article::bigint))", 0 },
	[MS_OUTBOX_SENT_COUNT] = { "SELECT count(*) FROM outbox "
	    "WHERE target = :target AND state = 'sent' AND kind = 'mail' "
	    "AND done > :since", 0 },
	[MS_OUTBOX_DONE] = { "UPDATE outbox SET state = :state, attempts = "
	    ":attempts, done = :now, last_error = coalesce(:error::text, last_error) "
	    "WHERE id = :id", 0 },
	[MS_OUTBOX_RETRY] = { "UPDATE outbox SET attempts = :attempts, "
	    "next_try = :next_try, last_error = :error WHERE id = :id", 0 },
	[MS_OUTBOX_LIST] = { "SELECT " MAIL_OUTBOX_COLS " FROM outbox "
	    "WHERE :troubled::int = 0 OR state IN ('failed', 'dropped') OR "
	    "(state = 'queued' AND last_error IS NOT NULL) "
	    "ORDER BY id DESC LIMIT :limit", 0 },
	[MS_OUTBOX_COUNTS] = { "SELECT state, count(*) FROM outbox "
	    "GROUP BY state", 0 },
	[MS_OUTBOX_PRUNE] = { "DELETE FROM outbox WHERE state != 'queued' "
	    "AND done < :before", 0 },
	[MS_LEASE_TAKE] = { "UPDATE leases SET holder = :holder::text, until = :until "
	    "WHERE name = :name AND (holder = :holder::text OR until < :now)", 0 },
	[MS_LEASE_DROP] = { "UPDATE leases SET holder = '', until = 0 "
	    "WHERE name = :name AND holder = :holder", 0 },
	[MS_LEASE_GET] = { "SELECT holder, until FROM leases WHERE name = :name", 0 },
	/* Taken from a holder known to be dead, only if it still holds. */
	[MS_LEASE_STEAL] = { "UPDATE leases SET holder = :holder, "
	    "until = :until WHERE name = :name AND holder = :dead", 0 },
	[MS_FEED_SITE] = { "SELECT " MAIL_ENTRY_COLS " FROM comments c JOIN articles "
	    "a ON a.id = c.article WHERE c.status = 'approved' "
	    "ORDER BY c.created DESC, c.id DESC LIMIT :limit", 0 },
	[MS_FEED_ARTICLE] = { "SELECT " MAIL_ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE c.status = 'approved' "
	    "AND c.article = :article ORDER BY c.id DESC LIMIT :limit", 0 },
	[MS_PRIVACY_COMMENTS] = { "SELECT " MAIL_ENTRY_COLS " FROM comments c "
	    "JOIN articles a ON a.id = c.article WHERE lower(c.email) = :email "
	    "ORDER BY c.id", 0 },
	[MS_PRIVACY_SUBSCRIPTIONS] = { "SELECT x.comment, x.article, a.uri, "
	    "x.created FROM subscriptions x JOIN articles a ON "
	    "a.id = x.article WHERE x.subscriber = :subscriber "
	    "ORDER BY x.comment", 0 },
	[MS_PRIVACY_MESSAGES] = { "SELECT " MAIL_OUTBOX_COLS " FROM outbox "
	    "WHERE kind = 'mail' AND target = :email ORDER BY id", 0 },
	/* What the hook was told of these comments names the address. */
	[MS_PRIVACY_SPAM_CHECKS] = { "DELETE FROM spam_checks WHERE comment IN "
	    "(SELECT id FROM comments WHERE lower(email) = :email)", 0 },
	[MS_PRIVACY_BUMP] = { "UPDATE articles SET version = version + 1 "
	    "WHERE id IN (SELECT article FROM comments "
	    "WHERE lower(email) = :email)", 0 },
	[MS_PRIVACY_COMMENTS_ERASE] = { "UPDATE comments SET email = NULL, "
	    "author = 'Anonymous', website = NULL, addr_hash = NULL, "
	    "user_agent = NULL WHERE lower(email) = :email", 0 },
	[MS_PRIVACY_SUBSCRIBER_ERASE] = { "DELETE FROM subscribers "
	    "WHERE email = :email", 0 },
	[MS_PRIVACY_OUTBOX_ERASE] = { "DELETE FROM outbox WHERE kind = 'mail' "
	    "AND target = :email", 0 },
	[MS_PRIVACY_EVENTS_ERASE] = { "UPDATE events SET email = NULL, "
	    "author = 'Anonymous' WHERE lower(email) = :email", 0 },
};
