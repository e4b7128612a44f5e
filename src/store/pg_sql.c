/* pg_sql.c: every statement's SQL for PostgreSQL, prepared on each connection when first used */
#include "store/pg_int.h"

/*
 * The same statements as sqlite_sql.c, with the same named parameters
 * and columns.  Where SQLite is loose PostgreSQL wants types: a
 * parameter compared with 0 or used in two places is cast, booleans are
 * read as integers.  Where SQLite has one writer at a time, PostgreSQL
 * has many: rows read to be changed are locked (FOR UPDATE), inserts
 * that may meet a row another transaction just made say ON CONFLICT, and
 * the feedback queue is taken with SKIP LOCKED.
 */

#define ARTICLE_COLS \
	"id, uri, title, body_html, created, closed, mode, version, " \
	"ncomments, title_proposed, (made_by = 'reader')::int"
#define MOD_COLS "id, name, hash, (role = 'admin')::int, created, last_login"
#define QUEUE_COLS \
	"c.id, c.article, c.parent, c.root, c.depth, c.author, c.email, " \
	"c.website, c.body, c.html, c.status, c.score, c.reasons, c.created, " \
	"c.edited, c.addr_hash, c.user_agent, a.title, a.uri, p.author, " \
	"substr(p.body, 1, 300), p.status"
/* The queue's filters: one status, maybe one article, maybe words (the
 * expression of the index comments_search, 002-moderation.sql). */
#define QUEUE_WHERE \
	" FROM comments c JOIN articles a ON a.id = c.article " \
	"LEFT JOIN comments p ON p.id = c.parent " \
	"WHERE c.status = :status AND (:article::bigint = 0 OR " \
	"c.article = :article::bigint) AND (:q::text IS NULL OR " \
	"to_tsvector('simple'::regconfig, palaver_words(c.body || ' ' || " \
	"c.author || ' ' || coalesce(c.email, ''))) @@ " \
	"plainto_tsquery('simple', palaver_words(:q::text))) "
#define COMMENT_COLS \
	"id, article, parent, root, depth, author, email, website, body, " \
	"html, status, score, reasons, created, edited, addr_hash, user_agent"
/* Shown roots: approved or deleted, the reader's own, or with a shown
 * reply. */
#define ROOTS_SHOWN \
	"(status IN ('approved', 'deleted') OR id IN (SELECT " \
	"json_array_elements_text(:own::json)::bigint) OR EXISTS (SELECT 1 " \
	"FROM comments r WHERE r.root = comments.id AND " \
	"r.status = 'approved')) "

const struct pg_sql pg_stmts[STMT__MAX] = {
	[STMT_BEGIN] = { "BEGIN", 0 },
	[STMT_COMMIT] = { "COMMIT", 0 },
	[STMT_ROLLBACK] = { "ROLLBACK", 0 },
	[STMT_SAVEPOINT] = { "SAVEPOINT job", 0 },
	[STMT_RELEASE] = { "RELEASE SAVEPOINT job", 0 },
	[STMT_ROLLBACK_TO] = { "ROLLBACK TO SAVEPOINT job", 0 },
	[STMT_SECRET] = { "SELECT value FROM settings WHERE key = 'secret'",
	    0 },
	/* Two hosts at once: the second waits for the first's row, then
	 * finds it no longer due. */
	[STMT_JOB_CLAIM] = { "INSERT INTO jobs (name, due) VALUES (:name, "
	    ":next) ON CONFLICT (name) DO UPDATE SET due = excluded.due "
	    "WHERE jobs.due <= :now RETURNING 1", 0 },
	[STMT_KEY_GET] = { "SELECT period, fingerprint FROM addr_key "
	    "WHERE id = 1", 0 },
	[STMT_KEY_PUT] = { "INSERT INTO addr_key (id, period, fingerprint) "
	    "VALUES (1, :period, :fingerprint) ON CONFLICT (id) DO UPDATE SET "
	    "period = excluded.period, fingerprint = excluded.fingerprint", 0 },
	[STMT_ARTICLE_INSERT] = { "INSERT INTO articles "
	    "(uri, title, body, body_html, created) "
	    "VALUES (:uri, :title, :body, :body_html, :created) "
	    "ON CONFLICT (uri) DO NOTHING RETURNING id", PG_NONE_CONFLICT },
	[STMT_ARTICLE_GET] = { "SELECT " ARTICLE_COLS
	    " FROM articles WHERE id = :id", 0 },
	[STMT_ARTICLE_BY_URI] = { "SELECT " ARTICLE_COLS
	    " FROM articles WHERE uri = :uri", 0 },
	[STMT_ARTICLE_ID] = { "SELECT id FROM articles WHERE uri = :uri", 0 },
	/* Readers' threads are listed once they have something to show. */
	[STMT_ARTICLE_LIST] = { "SELECT " ARTICLE_COLS " FROM articles "
	    "WHERE (:before_id::bigint = 0 OR (created, id) < "
	    "(:before_created::bigint, :before_id::bigint)) AND "
	    "(:all::int <> 0 OR made_by = 'admin' OR ncomments > 0) "
	    "ORDER BY created DESC, id DESC LIMIT :limit", 0 },
	/* Two first comments at once: the second waits for the first's
	 * row, then takes it (store_article_id). */
	[STMT_ARTICLE_INSERT_READER] = { "INSERT INTO articles "
	    "(uri, title, title_proposed, made_by, created) "
	    "VALUES (:uri::text, :uri::text, :title, 'reader', :created) "
	    "ON CONFLICT (uri) DO NOTHING RETURNING id", PG_NONE_CONFLICT },
	[STMT_ARTICLE_TITLE] = { "UPDATE articles SET title = :title, "
	    "title_proposed = NULL, version = version + 1 WHERE id = :id", 0 },
	/* A transaction's changes to one article, at its commit (db_bump):
	 * its row is locked from here to the end of COMMIT only. */
	[STMT_ARTICLE_BUMP] = { "UPDATE articles SET version = version + :n, "
	    "ncomments = ncomments + :delta WHERE id = :id", 0 },
	[STMT_ARTICLE_SET] = { "UPDATE articles SET "
	    "closed = coalesce(:closed, closed), "
	    "mode = CASE :mode::text WHEN 'default' THEN NULL "
	    "ELSE coalesce(:mode::text, mode) END, version = version + 1 "
	    "WHERE id = :id", 0 },
	[STMT_THREAD_ROOTS_ASC] = { "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id > :after "
	    "AND " ROOTS_SHOWN "ORDER BY id ASC LIMIT :limit", 0 },
	[STMT_THREAD_ROOTS_DESC] = { "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id < :after "
	    "AND " ROOTS_SHOWN "ORDER BY id DESC LIMIT :limit", 0 },
	[STMT_THREAD_RANGE] = { "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE article = :article AND path >= :lo AND path < :hi "
	    "ORDER BY path", 0 },
	/* Ids come from the sequence: never handed out twice, whatever
	 * the host, so an old author token never names another's comment. */
	[STMT_COMMENT_NEXT_ID] = { "SELECT nextval(pg_get_serial_sequence("
	    "'comments', 'id'))", 0 },
	/* By id alone: a generic plan for "id and article" was seen to
	 * scan the whole article.  The caller checks the article. */
	[STMT_COMMENT_PARENT] = { "SELECT root, depth, path, "
	    "coalesce(parent, 0), article FROM comments WHERE id = :id", 0 },
	[STMT_COMMENT_INSERT] = { "INSERT INTO comments (id, article, parent, "
	    "root, depth, path, author, email, website, body, html, status, "
	    "score, reasons, created, addr_hash, user_agent, body_hash) "
	    "VALUES (:id, :article, :parent, :root, :depth, :path, :author, "
	    ":email, :website, :body, :html, :status, :score, :reasons, "
	    ":created, :addr_hash, :user_agent, :body_hash)", 0 },
	[STMT_ROOTS_BEFORE] = { "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id < :root "
	    "AND status IN ('approved', 'deleted') LIMIT :limit) r", 0 },
	[STMT_COMMENT_GET] = { "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE id = :id", 0 },
	/* Read to change it: other writers of the row (a moderator on
	 * another host, a reply being posted) wait until we commit. */
	[STMT_COMMENT_LOCK] = { "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE id = :id FOR UPDATE", 0 },
	[STMT_COMMENT_EDIT] = { "UPDATE comments SET body = :body, "
	    "html = :html, edited = :now, edited_by = :by WHERE id = :id "
	    "RETURNING article", 0 },
	[STMT_COMMENT_HAS_REPLIES] = { "SELECT EXISTS (SELECT 1 FROM comments "
	    "WHERE parent = :id)::int", 0 },
	[STMT_COMMENT_SOFT_DELETE] = { "UPDATE comments SET status = "
	    "'deleted', body = '', html = '', email = NULL, website = NULL "
	    "WHERE id = :id", 0 },
	[STMT_COMMENT_DELETE] = { "DELETE FROM comments WHERE id = :id", 0 },
	[STMT_POSTS_SINCE] = { "SELECT count(*) FROM post_log "
	    "WHERE addr_hash IN (:addr, :addr_prev) AND at >= :since", 0 },
	[STMT_POSTS_SINCE_NET] = { "SELECT count(*) FROM post_log "
	    "WHERE net_hash IN (:net, :net_prev) AND at >= :since", 0 },
	[STMT_POST_LOG] = { "INSERT INTO post_log (at, addr_hash, net_hash) "
	    "VALUES (:now, :addr, :net)", 0 },
	[STMT_POST_LOG_PRUNE] = { "DELETE FROM post_log WHERE at < :before",
	    0 },
	[STMT_COUNT_BY_URI] = { "SELECT ncomments FROM articles "
	    "WHERE uri = :uri", 0 },
	[STMT_MOD_ADD] = { "INSERT INTO moderators (name, hash, role, created) "
	    "VALUES (:name, :hash, :role, :now) ON CONFLICT (name) DO NOTHING "
	    "RETURNING id", PG_NONE_CONFLICT },
	[STMT_MOD_BY_NAME] = { "SELECT " MOD_COLS " FROM moderators "
	    "WHERE name = :name", 0 },
	[STMT_MOD_BY_ID] = { "SELECT " MOD_COLS " FROM moderators "
	    "WHERE id = :id", 0 },
	[STMT_MOD_LIST] = { "SELECT " MOD_COLS " FROM moderators "
	    "ORDER BY name", 0 },
	[STMT_MOD_DEL] = { "DELETE FROM moderators WHERE id = :id", 0 },
	[STMT_MOD_SET_HASH] = { "UPDATE moderators SET hash = :hash "
	    "WHERE id = :id", 0 },
	[STMT_MOD_SESSIONS_DEL] = { "DELETE FROM sessions "
	    "WHERE moderator = :id", 0 },
	[STMT_MOD_LOGIN] = { "UPDATE moderators SET last_login = :now "
	    "WHERE id = :id", 0 },
	[STMT_MOD_COUNT_ADMINS] = { "SELECT count(*) FROM moderators "
	    "WHERE role = 'admin'", 0 },
	[STMT_SESSION_ADD] = { "INSERT INTO sessions (token_hash, moderator, "
	    "created, seen, expires, csrf) VALUES (:h, :mod, :now::bigint, "
	    ":now::bigint, :expires, :csrf)", 0 },
	[STMT_SESSION_GET] = { "SELECT s.created, s.seen, s.expires, s.csrf, "
	    "m.id, m.name, m.hash, (m.role = 'admin')::int, m.created, "
	    "m.last_login FROM sessions s JOIN moderators m "
	    "ON m.id = s.moderator WHERE s.token_hash = :h "
	    "AND s.expires > :now AND s.seen >= :idle_since", 0 },
	[STMT_SESSION_TOUCH] = { "UPDATE sessions SET seen = :now "
	    "WHERE token_hash = :h", 0 },
	[STMT_SESSION_DEL] = { "DELETE FROM sessions WHERE token_hash = :h",
	    0 },
	[STMT_SESSION_PRUNE] = { "DELETE FROM sessions WHERE expires < :now",
	    0 },
	[STMT_LOGIN_FAIL_PAIR] = { "SELECT count(*) FROM login_failures "
	    "WHERE name = :name AND net_hash IN (:net, :net_prev) "
	    "AND at >= :since", 0 },
	[STMT_LOGIN_FAIL_NET] = { "SELECT count(*) FROM login_failures "
	    "WHERE net_hash IN (:net, :net_prev) AND at >= :since", 0 },
	[STMT_LOGIN_FAIL_NAME] = { "SELECT count(*), coalesce(max(at), 0) "
	    "FROM login_failures WHERE name = :name AND at >= :since", 0 },
	[STMT_LOGIN_FAIL_ADD] = { "INSERT INTO login_failures (at, name, "
	    "addr_hash, net_hash) VALUES (:now, :name, :addr, :net) "
	    "RETURNING id", 0 },
	[STMT_LOGIN_FAIL_DEL] = { "DELETE FROM login_failures WHERE id = :id",
	    0 },
	[STMT_LOGIN_FAIL_CLEAR] = { "DELETE FROM login_failures "
	    "WHERE name = :name AND net_hash IN (:net, :net_prev)", 0 },
	[STMT_LOGIN_FAIL_PRUNE] = { "DELETE FROM login_failures "
	    "WHERE at < :before", 0 },
	[STMT_AUDIT_ADD] = { "INSERT INTO audit (at, moderator, actor, action, "
	    "target, before, after, addr_hash) VALUES (:now, :mod, :actor, "
	    ":action, :target, :before, :after, :addr_hash)", 0 },
	[STMT_AUDIT_LIST] = { "SELECT id, at, actor, action, target, before, "
	    "after, addr_hash FROM audit WHERE :before_id::bigint = 0 OR "
	    "id < :before_id::bigint ORDER BY id DESC LIMIT :limit", 0 },
	[STMT_QUEUE_ASC] = { "SELECT " QUEUE_COLS QUEUE_WHERE
	    "AND c.id > :cursor ORDER BY c.id ASC LIMIT :limit", 0 },
	[STMT_QUEUE_DESC] = { "SELECT " QUEUE_COLS QUEUE_WHERE
	    "AND (:cursor::bigint = 0 OR c.id < :cursor::bigint) "
	    "ORDER BY c.id DESC LIMIT :limit", 0 },
	[STMT_QUEUE_COUNTS] = { "SELECT status, count(*) FROM comments "
	    "WHERE :article::bigint = 0 OR article = :article::bigint "
	    "GROUP BY status", 0 },
	[STMT_COMMENT_SET_STATUS] = { "UPDATE comments SET status = :status "
	    "WHERE id = :id", 0 },
	[STMT_BAN_ADD] = { "INSERT INTO bans (kind, value, reason, created, "
	    "expires, moderator) VALUES (:kind, :value, :reason, :now, "
	    ":expires, :mod) ON CONFLICT (kind, value) DO UPDATE SET "
	    "reason = excluded.reason, created = excluded.created, "
	    "expires = excluded.expires, moderator = excluded.moderator "
	    "RETURNING id", 0 },
	[STMT_BAN_LIST] = { "SELECT b.id, b.kind, b.value, b.reason, "
	    "b.created, b.expires, m.name FROM bans b LEFT JOIN moderators m "
	    "ON m.id = b.moderator WHERE b.expires IS NULL OR "
	    "b.expires > :now ORDER BY b.id DESC", 0 },
	[STMT_BAN_DEL] = { "DELETE FROM bans WHERE id = :id", 0 },
	[STMT_BAN_MATCH] = { "SELECT EXISTS (SELECT 1 FROM bans WHERE "
	    "(expires IS NULL OR expires > :now::bigint) AND ("
	    "(kind = 'email' AND value = lower(:email::text)) OR "
	    "(kind = 'addr_hash' AND value IN (:addr::text, "
	    ":addr_prev::text)) OR "
	    "(kind = 'prefix' AND value = :prefix::text)))::int", 0 },
	[STMT_DUPLICATE] = { "SELECT id FROM comments WHERE body_hash = :h "
	    "AND created >= :since AND status <> 'deleted' LIMIT 1", 0 },
	/* A replay from another host at the same moment waits for the
	 * first use to commit, then finds it. */
	[STMT_FORM_TOKEN_USE] = { "INSERT INTO form_tokens (hash, expires) "
	    "VALUES (:h, :expires) ON CONFLICT (hash) DO NOTHING",
	    PG_NONE_CONFLICT },
	[STMT_FORM_TOKEN_PRUNE] = { "DELETE FROM form_tokens "
	    "WHERE expires < :now", 0 },
	[STMT_SPAM_CHECK_ADD] = { "INSERT INTO spam_checks "
	    "(comment, input, created) VALUES (:comment, :input, :now) "
	    "ON CONFLICT (comment) DO UPDATE SET input = excluded.input, "
	    "created = excluded.created", 0 },
	/* The hook's input holds the poster's address: it goes once the
	 * comment is decided and no correction for the hook waits, and
	 * after hook_input_days in any case. */
	[STMT_SPAM_CHECK_PRUNE] = { "DELETE FROM spam_checks "
	    "WHERE created < :before", 0 },
	[STMT_SPAM_CHECK_DONE] = { "DELETE FROM spam_checks "
	    "WHERE comment = :id::bigint AND NOT EXISTS (SELECT 1 FROM "
	    "feedback WHERE comment = :id::bigint)", 0 },
	/* Only comments the hook has seen can be reported back to it. */
	[STMT_FEEDBACK_ADD] = { "INSERT INTO feedback (comment, kind, "
	    "next_try) SELECT comment, :kind::text, :now::bigint "
	    "FROM spam_checks WHERE comment = :comment", 0 },
	/* Every host's feedback thread asks: each row goes to one, the
	 * others skip it (and would find it leased if they waited). */
	[STMT_FEEDBACK_CLAIM] = { "UPDATE feedback SET attempts = attempts + 1, "
	    "next_try = :lease WHERE id = (SELECT id FROM feedback "
	    "WHERE next_try <= :now::bigint ORDER BY next_try, id LIMIT 1 "
	    "FOR UPDATE SKIP LOCKED) AND next_try <= :now::bigint "
	    "RETURNING id, comment, kind, attempts, "
	    "(SELECT input FROM spam_checks WHERE comment = feedback.comment)",
	    0 },
	[STMT_FEEDBACK_DONE] = { "DELETE FROM feedback WHERE id = :id", 0 },
	[STMT_FEEDBACK_RETRY] = { "UPDATE feedback SET next_try = :next_try, "
	    "last_error = :error WHERE id = :id", 0 },
	[STMT_COMMENT_SET_SCORE] = { "UPDATE comments SET score = :score, "
	    "reasons = :reasons, body_hash = :h WHERE id = :id", 0 },
	[STMT_IMPORT_SEEN] = { "SELECT comment FROM imported "
	    "WHERE source = :source AND source_id = :source_id", 0 },
	[STMT_IMPORT_MARK] = { "INSERT INTO imported (source, source_id, "
	    "comment) VALUES (:source, :source_id, :comment) "
	    "ON CONFLICT DO NOTHING", PG_NONE_CONFLICT },
};
