/* sqlite_sql.c: every statement's SQL for SQLite, prepared once per connection */
#include "store/sqlite_int.h"

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
#define COMMENT_COLS \
	"id, article, parent, root, depth, author, email, website, body, " \
	"html, status, score, reasons, created, edited, addr_hash, user_agent, " \
	"up, down"
/* A top-level comment is on a page when it is shown, the reader's own,
 * or keeps the place of shown replies. */
#define ROOT_SHOWN \
	"(status IN ('approved', 'deleted') OR id IN " \
	"(SELECT value FROM json_each(:own)) OR EXISTS (SELECT 1 FROM " \
	"comments r WHERE r.root = comments.id AND " \
	"r.status = 'approved')) "

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
	/* One count for each status, not an IN list: SQLite builds a
	 * temporary b-tree for the list at every run, which cost as much as
	 * the count.  Every post runs one (page_holding). */
	[STMT_ROOTS_BEFORE] = "SELECT min(:limit, "
	    "(SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND "
	    "status = 'approved' AND id < :root LIMIT :limit)) + "
	    "(SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND "
	    "status = 'deleted' AND id < :root LIMIT :limit)))",
	[STMT_ROOTS_AFTER] = "SELECT min(:limit, "
	    "(SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND "
	    "status = 'approved' AND id > :root LIMIT :limit)) + "
	    "(SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND "
	    "status = 'deleted' AND id > :root LIMIT :limit)))",
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
	/* One lookup of UNIQUE (kind, value) a value: an IN list or OR
	 * terms made SQLite build a temporary b-tree at every run, which
	 * cost more than the lookups.  Every post runs it twice. */
	[STMT_BAN_MATCH] = "SELECT "
	    "EXISTS (SELECT 1 FROM bans WHERE kind = 'email' AND "
	    "value = lower(:email) AND (expires IS NULL OR expires > :now)) "
	    "OR EXISTS (SELECT 1 FROM bans WHERE kind = 'addr_hash' AND "
	    "value = :addr AND (expires IS NULL OR expires > :now)) "
	    "OR EXISTS (SELECT 1 FROM bans WHERE kind = 'addr_hash' AND "
	    "value = :addr_prev AND (expires IS NULL OR expires > :now)) "
	    "OR EXISTS (SELECT 1 FROM bans WHERE kind = 'prefix' AND "
	    "value = :prefix AND (expires IS NULL OR expires > :now))",
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
	/* Read first: the claim's UPDATE takes the write lock even when
	 * nothing is due, and each worker asks every few seconds. */
	[STMT_FEEDBACK_DUE] = "SELECT EXISTS (SELECT 1 FROM feedback "
	    "WHERE next_try <= :now)",
	[STMT_FEEDBACK_CLAIM] = "UPDATE feedback SET attempts = attempts + 1, "
	    "next_try = :lease WHERE id = (SELECT id FROM feedback "
	    "WHERE next_try <= :now ORDER BY next_try, id LIMIT 1) "
	    "RETURNING id, comment, kind, attempts, "
	    "(SELECT input FROM spam_checks WHERE comment = feedback.comment)",
	[STMT_FEEDBACK_DONE] = "DELETE FROM feedback WHERE id = :id",
	[STMT_FEEDBACK_RETRY] = "UPDATE feedback SET next_try = :next_try, "
	    "last_error = :error WHERE id = :id",
	[STMT_FEEDBACK_WITHDRAW] = "DELETE FROM feedback "
	    "WHERE comment = :comment AND kind = :kind AND attempts = 0",
	[STMT_COMMENT_SET_SCORE] = "UPDATE comments SET score = :score, "
	    "reasons = :reasons, body_hash = :h WHERE id = :id",
	[STMT_IMPORT_SEEN] = "SELECT comment FROM imported "
	    "WHERE source = :source AND source_id = :source_id",
	[STMT_IMPORT_MARK] = "INSERT INTO imported (source, source_id, comment) "
	    "VALUES (:source, :source_id, :comment)",
	/* Moving in and out (store_port.c): the export reads every table
	 * in one read transaction (store_port_read_begin); the orders are
	 * fixed so two exports of the same data are the same bytes. */
	[STMT_PORT_ACCOUNTS] = "SELECT id, name, hash, role = 'admin', created, "
	    "last_login FROM moderators ORDER BY id",
	[STMT_PORT_ARTICLES] = "SELECT id, uri, title, body, created, closed, "
	    "mode, version, title_proposed, made_by, kept_open, votes "
	    "FROM articles ORDER BY id",
	[STMT_PORT_COMMENTS] = "SELECT id, article, parent, author, email, "
	    "website, body, status, score, reasons, created, edited, "
	    "edited_by, addr_hash, user_agent, body_hash, up, down "
	    "FROM comments ORDER BY article, path",
	[STMT_PORT_VOTES] = "SELECT comment, voter, addr_hash, value, at "
	    "FROM votes ORDER BY comment, voter",
	[STMT_PORT_REPORTS] = "SELECT id, comment, reason, text, created, "
	    "addr_hash, net_hash, settled FROM reports ORDER BY id",
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
	    "made_by, kept_open, votes) VALUES (:id, :uri, :title, :body, "
	    ":body_html, :created, :closed, :mode, :version, :title_proposed, "
	    "coalesce(:made_by, 'admin'), :kept_open, :votes)",
	[STMT_PORT_PUT_COMMENT] = "INSERT INTO comments (id, article, parent, "
	    "root, depth, path, author, email, website, body, html, status, "
	    "score, reasons, created, edited, edited_by, addr_hash, user_agent, "
	    "body_hash, up, down, best) VALUES (:id, :article, :parent, :root, "
	    ":depth, :path, :author, :email, :website, :body, :html, :status, "
	    ":score, :reasons, :created, :edited, :edited_by, :addr_hash, "
	    ":user_agent, :body_hash, :up, :down, :best)",
	/* A vote or report whose comment is not there is a constraint
	 * (foreign_keys=ON), as is a vote there already. */
	[STMT_PORT_PUT_VOTE] = "INSERT INTO votes (comment, voter, addr_hash, "
	    "value, at) VALUES (:comment, :voter, :addr_hash, :value, :at)",
	[STMT_PORT_PUT_REPORT] = "INSERT INTO reports (id, comment, reason, "
	    "text, created, addr_hash, net_hash, settled) VALUES (:id, "
	    ":comment, :reason, :text, :created, :addr_hash, :net_hash, "
	    ":settled)",
	[STMT_PORT_VOTED] = "UPDATE articles SET votes = votes + 1 "
	    "WHERE id = (SELECT article FROM comments WHERE id = :id)",
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

/* --- the moderators' desk (store_desk.c) ---------------------------------- */

/*
 * An audit row, with the article of a comment it names (so the log can
 * link to the comment where it is shown); a comment gone since leaves 0.
 */
#define AUDIT_COLS \
	"a.id, a.at, coalesce(a.moderator, 0), coalesce(a.batch, a.id), " \
	"a.actor, a.action, a.target, a.before, a.after, a.addr_hash, " \
	"coalesce(c.article, 0), coalesce(c.status = 'approved', 0)"
#define AUDIT_FROM \
	" FROM audit a LEFT JOIN comments c ON a.target LIKE 'comment:%' " \
	"AND c.id = CAST(substr(a.target, 9) AS INTEGER) "
/* Every filter; a NULL parameter leaves its filter out. */
#define AUDIT_WHERE \
	"WHERE (:before_id = 0 OR a.id < :before_id) " \
	"AND (:actor IS NULL OR a.actor = :actor) " \
	"AND (:action IS NULL OR a.action = :action) " \
	"AND (:target IS NULL OR a.target = :target) " \
	"AND (:since IS NULL OR a.at >= :since) " \
	"AND (:until IS NULL OR a.at < :until) "
#define AUDIT_ORDER	"ORDER BY a.id DESC LIMIT :limit"

const char *const sqlite_desk_sql[DSTMT__MAX] = {
	[DSTMT_AUDIT_LIST] = "SELECT " AUDIT_COLS AUDIT_FROM AUDIT_WHERE
	    AUDIT_ORDER,
	/*
	 * The same with the one filter that narrows most as a plain
	 * equality, so the planner walks its index (audit_actor,
	 * audit_action, audit_target of 010-desk.sql) from the newest end:
	 * behind "IS NULL OR" it cannot.
	 */
	[DSTMT_AUDIT_BY_ACTOR] = "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.actor = :lead "
	    AUDIT_ORDER,
	[DSTMT_AUDIT_BY_ACTION] = "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.action = :lead "
	    AUDIT_ORDER,
	[DSTMT_AUDIT_BY_TARGET] = "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.target = :lead "
	    AUDIT_ORDER,
	/* One action's rows, for the moderator who took it only. */
	[DSTMT_AUDIT_BATCH] = "SELECT " AUDIT_COLS AUDIT_FROM
	    "WHERE (a.id = :batch OR a.batch = :batch) AND a.moderator = :mod "
	    "ORDER BY a.id",
	[DSTMT_QUEUE_ONE] = "SELECT " SQ_QUEUE_COLS SQ_QUEUE_FROM
	    "WHERE c.id = :id",
	[DSTMT_BAN_GET] = "SELECT b.id, b.kind, b.value, b.reason, b.created, "
	    "b.expires, m.name FROM bans b LEFT JOIN moderators m ON "
	    "m.id = b.moderator WHERE b.id = :id",
	[DSTMT_BAN_FIND] = "SELECT b.id, b.kind, b.value, b.reason, "
	    "b.created, b.expires, m.name FROM bans b LEFT JOIN moderators m "
	    "ON m.id = b.moderator WHERE b.kind = :kind AND b.value = :value",
	/* The page count times the page size: the file, WAL aside.  (In
	 * parentheses: clang takes two literals ending a table for a
	 * missing comma.) */
	[DSTMT_DB_BYTES] = ("SELECT p.page_count * s.page_size FROM "
	    "pragma_page_count() p, pragma_page_size() s"),
};

