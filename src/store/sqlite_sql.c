/* sqlite_sql.c: every statement's SQL for SQLite, prepared once per connection */
#include "store/sqlite_int.h"

#define ARTICLE_COLS \
	"id, uri, title, body_html, created, closed, mode, version, " \
	"ncomments, title_proposed, made_by = 'reader'"
#define MOD_COLS "id, name, hash, role = 'admin', created, last_login"
#define QUEUE_COLS \
	"c.id, c.article, c.parent, c.root, c.depth, c.author, c.email, " \
	"c.website, c.body, c.html, c.status, c.score, c.reasons, c.created, " \
	"c.edited, c.addr_hash, c.user_agent, a.title, a.uri, p.author, " \
	"substr(p.body, 1, 300), p.status"
/* The queue's filters: one status, maybe one article, maybe words. */
#define QUEUE_WHERE \
	" FROM comments c JOIN articles a ON a.id = c.article " \
	"LEFT JOIN comments p ON p.id = c.parent " \
	"WHERE c.status = :status AND (:article = 0 OR c.article = :article) " \
	"AND (:q IS NULL OR c.id IN (SELECT rowid FROM comments_fts " \
	"WHERE comments_fts MATCH :q)) "
#define COMMENT_COLS \
	"id, article, parent, root, depth, author, email, website, body, " \
	"html, status, score, reasons, created, edited, addr_hash, user_agent"

const char *const sqlite_stmts[STMT__MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SECRET] = "SELECT value FROM settings WHERE key = 'secret'",
	/* A job's turn: whoever moves its due time on runs it
	 * (store_job_claim). */
	[STMT_JOB_CLAIM] = "INSERT INTO jobs (name, due) VALUES (:name, :next) "
	    "ON CONFLICT (name) DO UPDATE SET due = excluded.due "
	    "WHERE jobs.due <= :now RETURNING 1",
	[STMT_KEY_GET] = "SELECT period, fingerprint FROM addr_key WHERE id = 1",
	[STMT_KEY_PUT] = "INSERT INTO addr_key (id, period, fingerprint) "
	    "VALUES (1, :period, :fingerprint) ON CONFLICT (id) DO UPDATE SET "
	    "period = excluded.period, fingerprint = excluded.fingerprint",
	[STMT_ARTICLE_INSERT] = "INSERT INTO articles "
	    "(uri, title, body, body_html, created) "
	    "VALUES (:uri, :title, :body, :body_html, :created)",
	[STMT_ARTICLE_GET] = "SELECT " ARTICLE_COLS
	    " FROM articles WHERE id = :id",
	[STMT_ARTICLE_ID] = "SELECT id FROM articles WHERE uri = :uri",
	[STMT_ARTICLE_BY_URI] = "SELECT " ARTICLE_COLS
	    " FROM articles WHERE uri = :uri",
	[STMT_ARTICLE_INSERT_READER] = "INSERT INTO articles "
	    "(uri, title, title_proposed, made_by, created) "
	    "VALUES (:uri, :uri, :title, 'reader', :created)",
	/* Readers' threads are listed once they have something to show. */
	[STMT_ARTICLE_LIST] = "SELECT " ARTICLE_COLS " FROM articles "
	    "WHERE (:before_id = 0 OR (created, id) < (:before_created, "
	    ":before_id)) AND (:all OR made_by = 'admin' OR ncomments > 0) "
	    "ORDER BY created DESC, id DESC LIMIT :limit",
	[STMT_ARTICLE_TITLE] = "UPDATE articles SET title = :title, "
	    "title_proposed = NULL, version = version + 1 WHERE id = :id",
	/* A transaction's changes to one article, at its commit (db_bump). */
	[STMT_ARTICLE_BUMP] = "UPDATE articles SET version = version + :n, "
	    "ncomments = ncomments + :delta WHERE id = :id",
	[STMT_THREAD_ROOTS_ASC] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id > :after "
	    "AND (status IN ('approved', 'deleted') OR id IN "
	    "(SELECT value FROM json_each(:own)) OR EXISTS (SELECT 1 FROM "
	    "comments r WHERE r.root = comments.id AND "
	    "r.status = 'approved')) "
	    "ORDER BY id ASC LIMIT :limit",
	[STMT_THREAD_ROOTS_DESC] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id < :after "
	    "AND (status IN ('approved', 'deleted') OR id IN "
	    "(SELECT value FROM json_each(:own)) OR EXISTS (SELECT 1 FROM "
	    "comments r WHERE r.root = comments.id AND "
	    "r.status = 'approved')) "
	    "ORDER BY id DESC LIMIT :limit",
	[STMT_THREAD_RANGE] = "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE article = :article AND path >= :lo AND path < :hi "
	    "ORDER BY path",
	/* Ids are never reused (AUTOINCREMENT), so an old author token can
	 * never name somebody else's comment. */
	[STMT_COMMENT_NEXT_ID] = "SELECT max(coalesce((SELECT seq FROM "
	    "sqlite_sequence WHERE name = 'comments'), 0), "
	    "coalesce((SELECT max(id) FROM comments), 0)) + 1",
	/* By id alone (the primary key, whatever a planner thinks of the
	 * article's size); the caller checks the article. */
	[STMT_COMMENT_PARENT] = "SELECT root, depth, path, "
	    "coalesce(parent, 0), article FROM comments WHERE id = :id",
	[STMT_COMMENT_INSERT] = "INSERT INTO comments (id, article, parent, "
	    "root, depth, path, author, email, website, body, html, status, "
	    "score, reasons, created, addr_hash, user_agent, body_hash) "
	    "VALUES (:id, :article, :parent, :root, :depth, :path, :author, "
	    ":email, :website, :body, :html, :status, :score, :reasons, "
	    ":created, :addr_hash, :user_agent, :body_hash)",
	[STMT_SAVEPOINT] = "SAVEPOINT job",
	[STMT_RELEASE] = "RELEASE job",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO job",
	[STMT_ROOTS_BEFORE] = "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id < :root "
	    "AND status IN ('approved', 'deleted') LIMIT :limit)",
	[STMT_COMMENT_GET] = "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE id = :id",
	/* Read to change: one writer at a time, nothing to lock. */
	[STMT_COMMENT_LOCK] = "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE id = :id",
	[STMT_COMMENT_EDIT] = "UPDATE comments SET body = :body, html = :html, "
	    "edited = :now, edited_by = :by WHERE id = :id RETURNING article",
	[STMT_COMMENT_HAS_REPLIES] = "SELECT EXISTS (SELECT 1 FROM comments "
	    "WHERE parent = :id)",
	[STMT_COMMENT_SOFT_DELETE] = "UPDATE comments SET status = 'deleted', "
	    "body = '', html = '', email = NULL, website = NULL WHERE id = :id",
	[STMT_COMMENT_DELETE] = "DELETE FROM comments WHERE id = :id",
	[STMT_POSTS_SINCE_NET] = "SELECT count(*) FROM post_log "
	    "WHERE net_hash IN (:net, :net_prev) AND at >= :since",
	[STMT_POSTS_SINCE] = "SELECT count(*) FROM post_log "
	    "WHERE addr_hash IN (:addr, :addr_prev) AND at >= :since",
	[STMT_POST_LOG] = "INSERT INTO post_log (at, addr_hash, net_hash) "
	    "VALUES (:now, :addr, :net)",
	[STMT_POST_LOG_PRUNE] = "DELETE FROM post_log WHERE at < :before",
	[STMT_COUNT_BY_URI] = "SELECT ncomments FROM articles WHERE uri = :uri",
	[STMT_ARTICLE_SET] = "UPDATE articles SET "
	    "closed = coalesce(:closed, closed), "
	    "mode = CASE :mode WHEN 'default' THEN NULL "
	    "ELSE coalesce(:mode, mode) END, version = version + 1 "
	    "WHERE id = :id",
	[STMT_MOD_ADD] = "INSERT INTO moderators (name, hash, role, created) "
	    "VALUES (:name, :hash, :role, :now)",
	[STMT_MOD_BY_NAME] = "SELECT " MOD_COLS " FROM moderators "
	    "WHERE name = :name",
	[STMT_MOD_BY_ID] = "SELECT " MOD_COLS " FROM moderators WHERE id = :id",
	[STMT_MOD_LIST] = "SELECT " MOD_COLS " FROM moderators ORDER BY name",
	[STMT_MOD_DEL] = "DELETE FROM moderators WHERE id = :id",
	[STMT_MOD_SET_HASH] = "UPDATE moderators SET hash = :hash "
	    "WHERE id = :id",
	[STMT_MOD_SESSIONS_DEL] = "DELETE FROM sessions WHERE moderator = :id",
	[STMT_MOD_LOGIN] = "UPDATE moderators SET last_login = :now "
	    "WHERE id = :id",
	[STMT_MOD_COUNT_ADMINS] = "SELECT count(*) FROM moderators "
	    "WHERE role = 'admin'",
	[STMT_SESSION_ADD] = "INSERT INTO sessions (token_hash, moderator, "
	    "created, seen, expires, csrf) VALUES (:h, :mod, :now, :now, "
	    ":expires, :csrf)",
	[STMT_SESSION_GET] = "SELECT s.created, s.seen, s.expires, s.csrf, "
	    "m.id, m.name, m.hash, m.role = 'admin', m.created, m.last_login "
	    "FROM sessions s JOIN moderators m ON m.id = s.moderator "
	    "WHERE s.token_hash = :h AND s.expires > :now "
	    "AND s.seen >= :idle_since",
	[STMT_SESSION_TOUCH] = "UPDATE sessions SET seen = :now "
	    "WHERE token_hash = :h",
	[STMT_SESSION_DEL] = "DELETE FROM sessions WHERE token_hash = :h",
	[STMT_SESSION_PRUNE] = "DELETE FROM sessions WHERE expires < :now",
	/* The pair (name, network) may fail login_attempts times; the network
	 * a few times that, whatever the names; the name from anywhere more
	 * still, then it is slowed (domain/login.c). */
	[STMT_LOGIN_FAIL_PAIR] = "SELECT count(*) FROM login_failures "
	    "WHERE name = :name AND net_hash IN (:net, :net_prev) "
	    "AND at >= :since",
	[STMT_LOGIN_FAIL_NET] = "SELECT count(*) FROM login_failures "
	    "WHERE net_hash IN (:net, :net_prev) AND at >= :since",
	[STMT_LOGIN_FAIL_NAME] = "SELECT count(*), coalesce(max(at), 0) "
	    "FROM login_failures WHERE name = :name AND at >= :since",
	[STMT_LOGIN_FAIL_ADD] = "INSERT INTO login_failures (at, name, "
	    "addr_hash, net_hash) VALUES (:now, :name, :addr, :net)",
	[STMT_LOGIN_FAIL_DEL] = "DELETE FROM login_failures WHERE id = :id",
	[STMT_LOGIN_FAIL_CLEAR] = "DELETE FROM login_failures "
	    "WHERE name = :name AND net_hash IN (:net, :net_prev)",
	[STMT_LOGIN_FAIL_PRUNE] = "DELETE FROM login_failures "
	    "WHERE at < :before",
	[STMT_AUDIT_ADD] = "INSERT INTO audit (at, moderator, actor, action, "
	    "target, before, after, addr_hash) VALUES (:now, :mod, :actor, "
	    ":action, :target, :before, :after, :addr_hash)",
	[STMT_AUDIT_LIST] = "SELECT id, at, actor, action, target, before, "
	    "after, addr_hash FROM audit WHERE :before_id = 0 OR id < "
	    ":before_id ORDER BY id DESC LIMIT :limit",
	[STMT_QUEUE_ASC] = "SELECT " QUEUE_COLS QUEUE_WHERE
	    "AND c.id > :cursor ORDER BY c.id ASC LIMIT :limit",
	[STMT_QUEUE_DESC] = "SELECT " QUEUE_COLS QUEUE_WHERE
	    "AND (:cursor = 0 OR c.id < :cursor) ORDER BY c.id DESC "
	    "LIMIT :limit",
	[STMT_QUEUE_COUNTS] = "SELECT status, count(*) FROM comments "
	    "WHERE :article = 0 OR article = :article GROUP BY status",
	[STMT_COMMENT_SET_STATUS] = "UPDATE comments SET status = :status "
	    "WHERE id = :id",
	[STMT_BAN_ADD] = "INSERT INTO bans (kind, value, reason, created, "
	    "expires, moderator) VALUES (:kind, :value, :reason, :now, "
	    ":expires, :mod) ON CONFLICT (kind, value) DO UPDATE SET "
	    "reason = excluded.reason, created = excluded.created, "
	    "expires = excluded.expires, moderator = excluded.moderator",
	[STMT_BAN_LIST] = "SELECT b.id, b.kind, b.value, b.reason, b.created, "
	    "b.expires, m.name FROM bans b LEFT JOIN moderators m ON "
	    "m.id = b.moderator WHERE b.expires IS NULL OR b.expires > :now "
	    "ORDER BY b.id DESC",
	[STMT_BAN_DEL] = "DELETE FROM bans WHERE id = :id",
	[STMT_BAN_MATCH] = "SELECT EXISTS (SELECT 1 FROM bans WHERE "
	    "(expires IS NULL OR expires > :now) AND ("
	    "(kind = 'email' AND value = lower(:email)) OR "
	    "(kind = 'addr_hash' AND value IN (:addr, :addr_prev)) OR "
	    "(kind = 'prefix' AND value = :prefix)))",
	[STMT_DUPLICATE] = "SELECT id FROM comments WHERE body_hash = :h "
	    "AND created >= :since AND status != 'deleted' LIMIT 1",
	[STMT_FORM_TOKEN_USE] = "INSERT INTO form_tokens (hash, expires) "
	    "VALUES (:h, :expires)",
	[STMT_FORM_TOKEN_PRUNE] = "DELETE FROM form_tokens "
	    "WHERE expires < :now",
	[STMT_SPAM_CHECK_ADD] = "INSERT OR REPLACE INTO spam_checks "
	    "(comment, input, created) VALUES (:comment, :input, :now)",
	/* The hook's input holds the poster's address: it goes once the
	 * comment is decided and no correction for the hook waits, and
	 * after hook_input_days in any case. */
	[STMT_SPAM_CHECK_PRUNE] = "DELETE FROM spam_checks "
	    "WHERE created < :before",
	[STMT_SPAM_CHECK_DONE] = "DELETE FROM spam_checks WHERE comment = :id "
	    "AND NOT EXISTS (SELECT 1 FROM feedback WHERE comment = :id)",
	/* Only comments the hook has seen can be reported back to it. */
	[STMT_FEEDBACK_ADD] = "INSERT INTO feedback (comment, kind, next_try) "
	    "SELECT comment, :kind, :now FROM spam_checks "
	    "WHERE comment = :comment",
	[STMT_FEEDBACK_CLAIM] = "UPDATE feedback SET attempts = attempts + 1, "
	    "next_try = :lease WHERE id = (SELECT id FROM feedback "
	    "WHERE next_try <= :now ORDER BY next_try, id LIMIT 1) "
	    "RETURNING id, comment, kind, attempts, "
	    "(SELECT input FROM spam_checks WHERE comment = feedback.comment)",
	[STMT_FEEDBACK_DONE] = "DELETE FROM feedback WHERE id = :id",
	[STMT_FEEDBACK_RETRY] = "UPDATE feedback SET next_try = :next_try, "
	    "last_error = :error WHERE id = :id",
	[STMT_COMMENT_SET_SCORE] = "UPDATE comments SET score = :score, "
	    "reasons = :reasons, body_hash = :h WHERE id = :id",
	[STMT_IMPORT_SEEN] = "SELECT comment FROM imported "
	    "WHERE source = :source AND source_id = :source_id",
	[STMT_IMPORT_MARK] = "INSERT INTO imported (source, source_id, comment) "
	    "VALUES (:source, :source_id, :comment)",
};
