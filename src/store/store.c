/* store.c: every SQL statement, prepared once per connection, behind typed calls: the table, the helpers, articles */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "store/store.h"
#include "store/store_int.h"

#define ARTICLE_COLS \
	"id, uri, title, body_html, created, closed, mode, version, " \
	"ncomments, title_proposed, made_by = 'reader', kept_open, votes"
#define MOD_COLS "id, name, hash, role = 'admin', created, last_login"
/* The queue's filters: one status, maybe one article, maybe words. */
#define QUEUE_WHERE \
	SQ_QUEUE_FROM \
	"WHERE c.status = :status AND (:article = 0 OR c.article = :article) " \
	"AND (:q IS NULL OR c.id IN (SELECT rowid FROM comments_fts " \
	"WHERE comments_fts MATCH :q)) "
/* A top-level comment is on a page when it is shown, the reader's own,
 * or keeps the place of shown replies. */
#define ROOT_SHOWN \
	"(status IN ('approved', 'deleted') OR id IN " \
	"(SELECT value FROM json_each(:own)) OR EXISTS (SELECT 1 FROM " \
	"comments r WHERE r.root = comments.id AND " \
	"r.status = 'approved')) "
#define COMMENT_COLS \
	"id, article, parent, root, depth, author, email, website, body, " \
	"html, status, score, reasons, created, edited, addr_hash, user_agent, " \
	"up, down"

static const char *const stmts[STMT__MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SECRET] = "SELECT value FROM settings WHERE key = 'secret'",
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
	[STMT_ARTICLE_BUMP] = "UPDATE articles SET version = version + 1, "
	    "ncomments = ncomments + :delta WHERE id = :id",
	[STMT_THREAD_ROOTS_ASC] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id > :after "
	    "AND " ROOT_SHOWN "ORDER BY id ASC LIMIT :limit",
	[STMT_THREAD_ROOTS_DESC] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id < :after "
	    "AND " ROOT_SHOWN "ORDER BY id DESC LIMIT :limit",
	[STMT_THREAD_RANGE] = "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE article = :article AND path >= :lo AND path < :hi "
	    "ORDER BY path",
	/* Ids are never reused (AUTOINCREMENT), so an old author token can
	 * never name somebody else's comment. */
	[STMT_COMMENT_NEXT_ID] = "SELECT max(coalesce((SELECT seq FROM "
	    "sqlite_sequence WHERE name = 'comments'), 0), "
	    "coalesce((SELECT max(id) FROM comments), 0)) + 1",
	[STMT_COMMENT_PARENT] = "SELECT root, depth, path, "
	    "coalesce(parent, 0) FROM comments "
	    "WHERE id = :id AND article = :article",
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
	[STMT_ROOTS_AFTER] = "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id > :root "
	    "AND status IN ('approved', 'deleted') LIMIT :limit)",
	/* Best first: the roots tied with the cursor's rank after it, then
	 * those ranked below it; each a range of comments_best. */
	[STMT_THREAD_ROOTS_BEST_TIE] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND best = :best "
	    "AND id > :after AND " ROOT_SHOWN
	    "ORDER BY best DESC, id ASC LIMIT :limit",
	[STMT_THREAD_ROOTS_BEST_BELOW] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND best < :best "
	    "AND " ROOT_SHOWN "ORDER BY best DESC, id ASC LIMIT :limit",
	[STMT_ROOT_BEST] = "SELECT best FROM comments "
	    "WHERE id = :id AND article = :article AND parent IS NULL",
	/* The shown roots ranked above root :root (best first), and the
	 * one just above it: the cursor of the page that starts there. */
	[STMT_ROOTS_BETTER] = "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL "
	    "AND status IN ('approved', 'deleted') AND (best > :best OR "
	    "(best = :best AND id < :root)) LIMIT :limit)",
	[STMT_ROOT_ABOVE] = "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL "
	    "AND status IN ('approved', 'deleted') AND (best > :best OR "
	    "(best = :best AND id < :root)) ORDER BY best ASC, id DESC LIMIT 1",
	/* Votes (store_vote.c): a reader's by their voter token or their
	 * address (under either key). */
	[STMT_VOTE_MINE] = "SELECT value FROM votes WHERE comment = :comment "
	    "AND (voter = :voter OR addr_hash IN (:addr, :addr_prev))",
	[STMT_VOTE_DELETE_MINE] = "DELETE FROM votes WHERE comment = :comment "
	    "AND (voter = :voter OR addr_hash IN (:addr, :addr_prev))",
	[STMT_VOTE_INSERT] = "INSERT INTO votes (comment, voter, addr_hash, "
	    "value, at) VALUES (:comment, :voter, :addr, :value, :now)",
	[STMT_COMMENT_VOTES_ADD] = "UPDATE comments SET up = up + :up, "
	    "down = down + :down WHERE id = :id RETURNING up, down, article",
	[STMT_COMMENT_BEST] = "UPDATE comments SET best = :best WHERE id = :id",
	[STMT_ARTICLE_VOTED] = "UPDATE articles SET votes = votes + 1 "
	    "WHERE id = :id",
	[STMT_VOTES_RESET] = "DELETE FROM votes WHERE comment = :id",
	[STMT_COMMENT_VOTES_ZERO] = "UPDATE comments SET up = 0, down = 0, "
	    "best = 0 WHERE id = :id RETURNING article",
	[STMT_VOTES_SINCE] = "SELECT count(*) FROM vote_log "
	    "WHERE addr_hash IN (:addr, :addr_prev) AND at >= :since",
	[STMT_VOTES_SINCE_NET] = "SELECT count(*) FROM vote_log "
	    "WHERE net_hash IN (:net, :net_prev) AND at >= :since",
	[STMT_VOTE_LOG] = "INSERT INTO vote_log (at, addr_hash, net_hash) "
	    "VALUES (:now, :addr, :net)",
	[STMT_VOTE_LOG_PRUNE] = "DELETE FROM vote_log WHERE at < :before",
	/* Reports: one open report an address a comment. */
	[STMT_REPORT_MINE] = "SELECT id FROM reports WHERE comment = :comment "
	    "AND settled = 0 AND addr_hash IN (:addr, :addr_prev) LIMIT 1",
	[STMT_REPORT_UPDATE] = "UPDATE reports SET reason = :reason, "
	    "text = :text WHERE id = :id",
	[STMT_REPORT_INSERT] = "INSERT INTO reports (comment, reason, text, "
	    "created, addr_hash, net_hash) VALUES (:comment, :reason, :text, "
	    ":now, :addr, :net)",
	[STMT_REPORTS_OPEN] = "SELECT count(*) FROM reports "
	    "WHERE comment = :comment AND settled = 0",
	[STMT_REPORTS_SINCE] = "SELECT count(*) FROM reports "
	    "WHERE addr_hash IN (:addr, :addr_prev) AND created >= :since",
	[STMT_REPORTS_SINCE_NET] = "SELECT count(*) FROM reports "
	    "WHERE net_hash IN (:net, :net_prev) AND created >= :since",
	[STMT_REPORTS_SETTLE] = "UPDATE reports SET settled = 1 "
	    "WHERE comment = :id AND settled = 0",
	[STMT_REPORTS_OF] = "SELECT reason, text, created FROM reports "
	    "WHERE comment = :comment AND settled = 0 ORDER BY id LIMIT :limit",
	[STMT_COMMENT_GET] = "SELECT " COMMENT_COLS " FROM comments "
	    "WHERE id = :id",
	[STMT_COMMENT_EDIT] = "UPDATE comments SET body = :body, html = :html, "
	    "edited = :now, edited_by = :by WHERE id = :id",
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
	/* Reopened, an article stays open whatever its age (010-desk.sql);
	 * closed again, age counts again. */
	[STMT_ARTICLE_SET] = "UPDATE articles SET "
	    "closed = coalesce(:closed, closed), "
	    "kept_open = CASE :closed WHEN 0 THEN 1 WHEN 1 THEN 0 "
	    "ELSE kept_open END, "
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
	/* :batch is left NULL by a row that starts an action (or is one). */
	[STMT_AUDIT_ADD] = "INSERT INTO audit (at, moderator, actor, action, "
	    "target, before, after, addr_hash, batch) VALUES (:now, :mod, "
	    ":actor, :action, :target, :before, :after, :addr_hash, :batch)",
	[STMT_QUEUE_ASC] = "SELECT " SQ_QUEUE_COLS QUEUE_WHERE
	    "AND c.id > :cursor ORDER BY c.id ASC LIMIT :limit",
	[STMT_QUEUE_DESC] = "SELECT " SQ_QUEUE_COLS QUEUE_WHERE
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
	    "expires = excluded.expires, moderator = excluded.moderator "
	    "RETURNING id",
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
	[STMT_ARTICLE_VERSION] = "UPDATE articles SET version = version + 1 "
	    "WHERE id = (SELECT article FROM comments WHERE id = :id)",
	[STMT_IMPORT_SEEN] = "SELECT comment FROM imported "
	    "WHERE source = :source AND source_id = :source_id",
	[STMT_IMPORT_MARK] = "INSERT INTO imported (source, source_id, comment) "
	    "VALUES (:source, :source_id, :comment)",
	/* The full-text index follows the comments (006-hardening.sql). */
	[STMT_FTS_APPLY] = "INSERT INTO comments_fts (comments_fts, rowid, "
	    "body, author, email) SELECT cmd, id, body, author, email "
	    "FROM fts_pending ORDER BY seq",
	[STMT_FTS_CLEAR] = "DELETE FROM fts_pending",
	/* Moving in and out (store_port.c): the export reads every table
	 * in one deferred read transaction; the orders are fixed so two
	 * exports of the same data are the same bytes. */
	[STMT_PORT_READ] = "BEGIN",
	[STMT_PORT_ACCOUNTS] = "SELECT id, name, hash, role = 'admin', created, "
	    "last_login FROM moderators ORDER BY id",
	[STMT_PORT_ARTICLES] = "SELECT id, uri, title, body, created, closed, "
	    "mode, version, title_proposed, made_by, kept_open FROM articles "
	    "ORDER BY id",
	[STMT_PORT_COMMENTS] = "SELECT id, article, parent, author, email, "
	    "website, body, status, score, reasons, created, edited, "
	    "edited_by, addr_hash, user_agent, body_hash FROM comments "
	    "ORDER BY article, path",
	[STMT_PORT_BANS] = "SELECT id, kind, value, reason, created, expires, "
	    "moderator FROM bans ORDER BY id",
	[STMT_PORT_AUDIT] = "SELECT id, at, moderator, actor, action, target, "
	    "before, after, addr_hash FROM audit ORDER BY id",
	[STMT_PORT_IMPORTED] = "SELECT source, source_id, comment FROM imported "
	    "ORDER BY source, source_id",
	[STMT_PORT_SITE] = "SELECT value FROM settings WHERE key = 'site_id'",
	[STMT_PORT_SEQ] = "SELECT coalesce((SELECT seq FROM sqlite_sequence "
	    "WHERE name = 'comments'), 0)",
	[STMT_PORT_SITE_SET] = "INSERT INTO settings (key, value) VALUES "
	    "('site_id', :v) ON CONFLICT (key) DO UPDATE SET value = :v",
	[STMT_PORT_SECRET_SET] = "UPDATE settings SET value = :v "
	    "WHERE key = 'secret'",
	[STMT_PORT_SEQ_SET] = "UPDATE sqlite_sequence SET seq = max(seq, :seq) "
	    "WHERE name = 'comments'",
	[STMT_PORT_SEQ_ADD] = "INSERT INTO sqlite_sequence (name, seq) "
	    "SELECT 'comments', :seq WHERE NOT EXISTS (SELECT 1 FROM "
	    "sqlite_sequence WHERE name = 'comments')",
	[STMT_PORT_EMPTY] = "SELECT NOT EXISTS (SELECT 1 FROM articles) AND "
	    "NOT EXISTS (SELECT 1 FROM comments) AND NOT EXISTS (SELECT 1 FROM "
	    "moderators) AND NOT EXISTS (SELECT 1 FROM bans) AND NOT EXISTS "
	    "(SELECT 1 FROM audit) AND NOT EXISTS (SELECT 1 FROM imported)",
	[STMT_PORT_PUT_ACCOUNT] = "INSERT INTO moderators (id, name, hash, role, "
	    "created, last_login) VALUES (:id, :name, :hash, :role, :created, "
	    ":last_login)",
	[STMT_PORT_PUT_ARTICLE] = "INSERT INTO articles (id, uri, title, body, "
	    "body_html, created, closed, mode, version, title_proposed, "
	    "made_by, kept_open) VALUES (:id, :uri, :title, :body, :body_html, "
	    ":created, :closed, :mode, :version, :title_proposed, "
	    "coalesce(:made_by, 'admin'), :kept_open)",
	[STMT_PORT_PUT_COMMENT] = "INSERT INTO comments (id, article, parent, "
	    "root, depth, path, author, email, website, body, html, status, "
	    "score, reasons, created, edited, edited_by, addr_hash, user_agent, "
	    "body_hash) VALUES (:id, :article, :parent, :root, :depth, :path, "
	    ":author, :email, :website, :body, :html, :status, :score, "
	    ":reasons, :created, :edited, :edited_by, :addr_hash, :user_agent, "
	    ":body_hash)",
	[STMT_PORT_PUT_BAN] = "INSERT INTO bans (id, kind, value, reason, "
	    "created, expires, moderator) VALUES (:id, :kind, :value, :reason, "
	    ":created, :expires, :moderator) ON CONFLICT DO NOTHING",
	[STMT_PORT_PUT_AUDIT] = "INSERT INTO audit (id, at, moderator, actor, "
	    "action, target, before, after, addr_hash) VALUES (:id, :at, :mod, "
	    ":actor, :action, :target, :before, :after, :addr_hash)",
	[STMT_PORT_PUT_IMPORTED] = "INSERT INTO imported (source, source_id, "
	    "comment) VALUES (:source, :source_id, :comment) "
	    "ON CONFLICT DO NOTHING",
	[STMT_PORT_RECOUNT] = "UPDATE articles SET ncomments = (SELECT count(*) "
	    "FROM comments WHERE article = articles.id AND "
	    "status = 'approved')",
	[STMT_PORT_NODE] = "SELECT article, parent, root, depth, path "
	    "FROM comments WHERE id = :id",
	/* A subtree, parents before their replies: its keys are made
	 * again from the top down when it moves. */
	[STMT_PORT_SUBTREE] = "WITH RECURSIVE sub (id, level) AS (SELECT "
	    ":id, 0 UNION ALL SELECT c.id, sub.level + 1 FROM comments c JOIN "
	    "sub ON c.parent = sub.id) SELECT id FROM sub ORDER BY level, id",
	[STMT_PORT_MOVE_NODE] = "UPDATE comments SET path = :path, "
	    "depth = :depth, root = :root WHERE id = :id",
	[STMT_PORT_MOVE_PARENT] = "UPDATE comments SET parent = :parent "
	    "WHERE id = :id",
	[STMT_PORT_RENAME] = "UPDATE articles SET uri = :uri, "
	    "version = version + 1 WHERE id = :id",
	[STMT_PORT_MERGE] = "UPDATE comments SET article = :into "
	    "WHERE article = :from",
	[STMT_PORT_COUNT] = "UPDATE articles SET ncomments = (SELECT count(*) "
	    "FROM comments WHERE article = :id AND status = 'approved'), "
	    "version = version + 1 WHERE id = :id",
	[STMT_PORT_ARTICLE_DEL] = "DELETE FROM articles WHERE id = :id",
};



/* --- helpers ------------------------------------------------------------ */

enum status
sq_fail(struct store *s, const char *what)
{
	int	 rc = sqlite3_extended_errcode(s->db);

	log_err("database: %s: %s", what, sqlite3_errmsg(s->db));
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ?
	    ST_BUSY : ST_DB;
}

/* Fetch a ready statement; reset and cleared, so callers bind and step. */
sqlite3_stmt *
sq_get(struct store *s, enum stmt id)
{
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

sqlite3_stmt *
sq_mget(struct store *s, enum mstmt id)
{
	sqlite3_reset(s->mst[id]);
	sqlite3_clear_bindings(s->mst[id]);
	return s->mst[id];
}

int
sq_idx(sqlite3_stmt *st, const char *name)
{
	int	 i = sqlite3_bind_parameter_index(st, name);

	if (i == 0) {
		log_err("database: no parameter %s in: %s", name,
		    sqlite3_sql(st));
		abort();	/* a programming error, caught by the tests */
	}
	return i;
}

int
sq_bind_int(sqlite3_stmt *st, const char *name, long long v)
{
	return sqlite3_bind_int64(st, sq_idx(st, name), v);
}

int
sq_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, sq_idx(st, name));
	return sqlite3_bind_text(st, sq_idx(st, name), v, -1, SQLITE_STATIC);
}

int
sq_bind_blob(sqlite3_stmt *st, const char *name, const void *v, size_t n)
{
	return sqlite3_bind_blob(st, sq_idx(st, name), v, (int)n, SQLITE_STATIC);
}

/* Copy a text column into the arena; NULL stays NULL.  Sets *nomem. */
const char *
sq_col_text(struct arena *a, sqlite3_stmt *st, int i, int *nomem)
{
	const unsigned char	*p;
	const char		*r;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(st, i);
	if (p == NULL) {
		*nomem = 1;
		return NULL;
	}
	r = arena_strndup(a, (const char *)p,
	    (size_t)sqlite3_column_bytes(st, i));
	if (r == NULL)
		*nomem = 1;
	return r;
}

static int
read_article(struct store *s, struct arena *a, sqlite3_stmt *st,
    struct article *ar)
{
	int	 nomem = 0;

	memset(ar, 0, sizeof(*ar));
	ar->id = sqlite3_column_int64(st, 0);
	ar->uri = sq_col_text(a, st, 1, &nomem);
	ar->title = sq_col_text(a, st, 2, &nomem);
	ar->body_html = sq_col_text(a, st, 3, &nomem);
	ar->created = sqlite3_column_int64(st, 4);
	ar->closed = sqlite3_column_int(st, 5);
	ar->mode = sq_col_text(a, st, 6, &nomem);
	ar->version = sqlite3_column_int64(st, 7);
	ar->ncomments = sqlite3_column_int64(st, 8);
	ar->title_proposed = sq_col_text(a, st, 9, &nomem);
	ar->by_reader = sqlite3_column_int(st, 10);
	ar->kept_open = sqlite3_column_int(st, 11);
	/* [moderation] auto_close_days: old articles read as closed, unless
	 * a moderator reopened them. */
	ar->aged = s->auto_close > 0 && ar->created < (long long)time(NULL) -
	    s->auto_close;
	if (ar->aged && !ar->closed && !ar->kept_open)
		ar->closed = ar->auto_closed = 1;
	ar->votes = sqlite3_column_int64(st, 12);
	return nomem ? -1 : 0;
}

int
sq_read_comment(struct arena *a, sqlite3_stmt *st, struct comment *c)
{
	int	 nomem = 0;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->article = sqlite3_column_int64(st, 1);
	c->parent = sqlite3_column_int64(st, 2);
	c->root = sqlite3_column_int64(st, 3);
	c->depth = sqlite3_column_int(st, 4);
	c->author = sq_col_text(a, st, 5, &nomem);
	c->email = sq_col_text(a, st, 6, &nomem);
	c->website = sq_col_text(a, st, 7, &nomem);
	c->body = sq_col_text(a, st, 8, &nomem);
	c->html = sq_col_text(a, st, 9, &nomem);
	c->status = cstatus_parse((const char *)
	    sqlite3_column_text(st, 10));
	if (c->status == CS__MAX)
		c->status = CS_PENDING;
	c->score = sqlite3_column_double(st, 11);
	c->reasons = sq_col_text(a, st, 12, &nomem);
	c->created = sqlite3_column_int64(st, 13);
	c->edited = sqlite3_column_int64(st, 14);
	c->addr_hash = sq_col_text(a, st, 15, &nomem);
	c->user_agent = sq_col_text(a, st, 16, &nomem);
	c->up = sqlite3_column_int64(st, 17);
	c->down = sqlite3_column_int64(st, 18);
	if (c->author == NULL)
		c->author = "";
	if (c->body == NULL)
		c->body = "";
	if (c->html == NULL)
		c->html = "";
	if (c->reasons == NULL)
		c->reasons = "";
	return nomem ? -1 : 0;
}

static enum status
begin(struct store *s)
{
	if (sqlite3_step(sq_get(s, STMT_BEGIN)) != SQLITE_DONE)
		return sq_fail(s, "begin");
	return ST_OK;
}

/* The transaction's changes to comments, into the full-text index. */
static enum status
fts_apply(struct store *s)
{
	enum status	 rv;

	if ((rv = sq_done(s, sq_get(s, STMT_FTS_APPLY), "search index")) !=
	    ST_OK)
		return rv;
	if (sqlite3_changes(s->db) == 0)
		return ST_OK;
	return sq_done(s, sq_get(s, STMT_FTS_CLEAR), "search index");
}

static enum status
commit(struct store *s)
{
	enum status	 rv;

	if ((rv = fts_apply(s)) != ST_OK) {
		sqlite3_step(sq_get(s, STMT_ROLLBACK));
		return rv;
	}
	if (sqlite3_step(sq_get(s, STMT_COMMIT)) != SQLITE_DONE) {
		rv = sq_fail(s, "commit");
		sqlite3_step(sq_get(s, STMT_ROLLBACK));
		return rv;
	}
	return ST_OK;
}

void
sq_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_step(sq_get(s, STMT_ROLLBACK));
}


/* --- open and close ------------------------------------------------------ */

enum status
store_open(const char *path, struct store **out)
{
	struct store	*s;
	char		*msg = NULL;
	int		 i;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ST_NOMEM;
	if ((s->db = sq_open(path, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX)) == NULL) {
		store_close(s);
		return ST_DB;
	}
	s->max_depth = sq_max_depth();
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	/* Per connection: durability and integrity are never optional. */
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL;", NULL, NULL, &msg) != SQLITE_OK) {
		log_err("%s: %s", path, msg);
		sqlite3_free(msg);
		store_close(s);
		return ST_DB;
	}
	for (i = 0; i < STMT__MAX; i++)
		if (sqlite3_prepare_v3(s->db, stmts[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			log_err("%s: cannot prepare statement %d (%s): %s",
			    path, i, stmts[i], sqlite3_errmsg(s->db));
			store_close(s);
			return ST_DB;
		}
	for (i = 0; i < MS__MAX; i++)
		if (sqlite3_prepare_v3(s->db, mail_stmts[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->mst[i], NULL) != SQLITE_OK) {
			log_err("%s: cannot prepare statement m%d (%s): %s",
			    path, i, mail_stmts[i], sqlite3_errmsg(s->db));
			store_close(s);
			return ST_DB;
		}
	for (i = 0; i < DSTMT__MAX; i++)
		if (sqlite3_prepare_v3(s->db, sq_desk_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->dst[i], NULL) !=
		    SQLITE_OK) {
			log_err("%s: cannot prepare desk statement %d (%s): %s",
			    path, i, sq_desk_sql[i], sqlite3_errmsg(s->db));
			store_close(s);
			return ST_DB;
		}
	*out = s;
	return ST_OK;
}

void
store_close(struct store *s)
{
	int	 i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->st[i]);
	for (i = 0; i < MS__MAX; i++)
		sqlite3_finalize(s->mst[i]);
	for (i = 0; i < DSTMT__MAX; i++)
		sqlite3_finalize(s->dst[i]);
	sqlite3_close(s->db);
	free(s);
}

void
store_set_auto_close(struct store *s, long days)
{
	s->auto_close = (long long)days * 86400;
}

/* --- settings ------------------------------------------------------------ */

enum status
store_secret(struct store *s, unsigned char out[32])
{
	sqlite3_stmt	*st = sq_get(s, STMT_SECRET);
	int		 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == 32) {
		memcpy(out, sqlite3_column_blob(st, 0), 32);
		sqlite3_reset(st);
		return ST_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		log_err("database: the server secret is missing or damaged; "
		    "run palaver init");
		return ST_NOTFOUND;
	}
	return sq_fail(s, "secret");
}

/* --- articles ------------------------------------------------------------ */

enum status
store_article_add(struct store *s, const char *uri, const char *title,
    const char *body, const char *body_html, long long now, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_INSERT);
	int		 rc;

	sq_bind_text(st, ":uri", uri);
	sq_bind_text(st, ":title", title);
	sq_bind_text(st, ":body", body);
	sq_bind_text(st, ":body_html", body_html);
	sq_bind_int(st, ":created", now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "article add");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

enum status
store_article_add_reader(struct store *s, const char *uri,
    const char *title_proposed, long long now, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_INSERT_READER);
	int		 rc;

	sq_bind_text(st, ":uri", uri);
	sq_bind_text(st, ":title", title_proposed);
	sq_bind_int(st, ":created", now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "article add");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return ST_OK;
}

enum status
store_article_title(struct store *s, long long id, const char *title)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_TITLE);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":title", title);
	if ((rv = sq_done(s, st, "article title")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

static enum status
article_one(struct store *s, sqlite3_stmt *st, struct arena *a,
    struct article *ar)
{
	int	 rc;

	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return ST_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return sq_fail(s, "article get");
	}
	rc = read_article(s, a, st, ar);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_article_get(struct store *s, struct arena *a, long long id,
    struct article *ar)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_GET);

	sq_bind_int(st, ":id", id);
	return article_one(s, st, a, ar);
}

enum status
store_article_by_uri(struct store *s, struct arena *a, const char *uri,
    struct article *ar)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_BY_URI);
	const char	*q;
	char		*path;
	enum status	 rv;

	sq_bind_text(st, ":uri", uri);
	rv = article_one(s, st, a, ar);
	/* A key with a query (a site keyed so on import, --keep-query)
	 * when there is one, else the page's path alone. */
	if (rv != ST_NOTFOUND || (q = strchr(uri, '?')) == NULL)
		return rv;
	if ((path = arena_strndup(a, uri, (size_t)(q - uri))) == NULL)
		return ST_NOMEM;
	st = sq_get(s, STMT_ARTICLE_BY_URI);
	sq_bind_text(st, ":uri", path);
	return article_one(s, st, a, ar);
}

enum status
store_article_id(struct store *s, const char *uri, long long *id)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_ID);

	sq_bind_text(st, ":uri", uri);
	return sq_one_int(s, st, "article id", id);
}

enum status
store_article_list(struct store *s, struct arena *a, long long before_created,
    long long before_id, int limit, int all, struct article **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_LIST);
	struct article	*v;
	size_t		 n = 0;
	int		 rc;

	*vp = NULL;
	*np = 0;
	if ((v = arena_calloc(a, (size_t)limit, sizeof(*v))) == NULL)
		return ST_NOMEM;
	sq_bind_int(st, ":before_created", before_created);
	sq_bind_int(st, ":before_id", before_id);
	sq_bind_int(st, ":all", all != 0);
	sq_bind_int(st, ":limit", limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)limit)
		if (read_article(s, a, st, &v[n++]) == -1) {
			sqlite3_reset(st);
			return ST_NOMEM;
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_fail(s, "article list");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_article_set(struct store *s, long long id, int closed, const char *mode)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ARTICLE_SET);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	if (closed >= 0)
		sq_bind_int(st, ":closed", closed);
	sq_bind_text(st, ":mode", mode);
	if ((rv = sq_done(s, st, "article set")) != ST_OK)
		return rv;
	return sqlite3_changes(s->db) == 0 ? ST_NOTFOUND : ST_OK;
}

/* Step a statement that returns nothing. */
enum status
sq_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	 rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, what);
	return ST_OK;
}

/* Step a statement that returns one integer. */
enum status
sq_one_int(struct store *s, sqlite3_stmt *st, const char *what, long long *v)
{
	int	 rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ST_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_fail(s, what);
	return ST_OK;
}

enum status
store_tx_begin(struct store *s)
{
	return begin(s);
}

enum status
store_tx_commit(struct store *s)
{
	return commit(s);
}

enum status
store_savepoint(struct store *s)
{
	return sq_done(s, sq_get(s, STMT_SAVEPOINT), "savepoint");
}

void
store_savepoint_release(struct store *s)
{
	sq_done(s, sq_get(s, STMT_RELEASE), "release");
}

void
store_savepoint_rollback(struct store *s)
{
	sq_done(s, sq_get(s, STMT_ROLLBACK_TO), "rollback to");
	sq_done(s, sq_get(s, STMT_RELEASE), "release");
}

/* --- imports --------------------------------------------------------------- */

enum status
store_import_seen(struct store *s, const char *source, const char *source_id,
    long long *comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_IMPORT_SEEN);

	sq_bind_text(st, ":source", source);
	sq_bind_text(st, ":source_id", source_id);
	return sq_one_int(s, st, "import seen", comment);
}

enum status
store_import_mark(struct store *s, const char *source, const char *source_id,
    long long comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_IMPORT_MARK);
	int		 rc;

	sq_bind_text(st, ":source", source);
	sq_bind_text(st, ":source_id", source_id);
	sq_bind_int(st, ":comment", comment);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "import mark");
	return ST_OK;
}

void
store_tx_rollback(struct store *s)
{
	sq_rollback(s);
}
