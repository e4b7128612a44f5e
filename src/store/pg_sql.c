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
	"ncomments, title_proposed, (made_by = 'reader')::int, kept_open, votes"
#define MOD_COLS "id, name, hash, (role = 'admin')::int, created, last_login"
/* The queue's filters: one status, maybe one article, maybe words (the
 * expression of the index comments_search, 002-moderation.sql). */
#define QUEUE_WHERE \
	SQ_QUEUE_FROM \
	"WHERE c.status = :status AND (:article::bigint = 0 OR " \
	"c.article = :article::bigint) AND (:q::text IS NULL OR " \
	"to_tsvector('simple'::regconfig, palaver_words(c.body || ' ' || " \
	"c.author || ' ' || coalesce(c.email, ''))) @@ " \
	"plainto_tsquery('simple', palaver_words(:q::text))) "
#define COMMENT_COLS \
	"id, article, parent, root, depth, author, email, website, body, " \
	"html, status, score, reasons, created, edited, addr_hash, user_agent, " \
	"up, down"
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
	/* Reopened, an article stays open whatever its age (010-desk.sql);
	 * closed again, age counts again. */
	[STMT_ARTICLE_SET] = { "UPDATE articles SET "
	    "closed = coalesce(:closed::int, closed), "
	    "kept_open = CASE :closed::int WHEN 0 THEN 1 WHEN 1 THEN 0 "
	    "ELSE kept_open END, "
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
	/* The page holding a root: every post and permalink counts.  Read
	 * outward from the root (ORDER BY), and planned with the values
	 * (PG_CUSTOM_PLAN): without the order, once ANALYZE had seen the
	 * article big, the plan was a sequential scan that stops at the
	 * limit, through every older article's comments first (6.7 ms a post
	 * in a site of 47,000; 0.05 ms now). */
	[STMT_ROOTS_BEFORE] = { "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id < :root "
	    "AND status IN ('approved', 'deleted') ORDER BY id DESC "
	    "LIMIT :limit) r", PG_CUSTOM_PLAN },
	[STMT_ROOTS_AFTER] = { "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL AND id > :root "
	    "AND status IN ('approved', 'deleted') ORDER BY id ASC "
	    "LIMIT :limit) r", PG_CUSTOM_PLAN },
	/* Best first: the roots tied with the cursor's rank after it, then
	 * those ranked below it; each a range of comments_best. */
	[STMT_THREAD_ROOTS_BEST_TIE] = { "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND best = :best "
	    "AND id > :after AND " ROOTS_SHOWN
	    "ORDER BY best DESC, id ASC LIMIT :limit", 0 },
	[STMT_THREAD_ROOTS_BEST_BELOW] = { "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL AND best < :best "
	    "AND " ROOTS_SHOWN "ORDER BY best DESC, id ASC LIMIT :limit", 0 },
	[STMT_ROOT_BEST] = { "SELECT best FROM comments "
	    "WHERE id = :id AND article = :article AND parent IS NULL", 0 },
	/* The shown roots ranked above root :root (best first), and the
	 * one just above it: the cursor of the page that starts there. */
	[STMT_ROOTS_BETTER] = { "SELECT count(*) FROM (SELECT 1 FROM comments "
	    "WHERE article = :article AND parent IS NULL "
	    "AND status IN ('approved', 'deleted') AND (best > "
	    ":best::float8 OR (best = :best::float8 AND id < :root)) "
	    "LIMIT :limit) r", PG_CUSTOM_PLAN },
	[STMT_ROOT_ABOVE] = { "SELECT id FROM comments "
	    "WHERE article = :article AND parent IS NULL "
	    "AND status IN ('approved', 'deleted') AND (best > "
	    ":best::float8 OR (best = :best::float8 AND id < :root)) "
	    "ORDER BY best ASC, id DESC LIMIT 1", 0 },
	/* Votes (store_vote.c): a reader's by their voter token or their
	 * address (under either key).  store_vote holds a lock of the
	 * comment's from reading to writing them. */
	[STMT_VOTE_MINE] = { "SELECT value FROM votes "
	    "WHERE comment = :comment AND (voter = :voter OR "
	    "addr_hash IN (:addr, :addr_prev))", 0 },
	[STMT_VOTE_DELETE_MINE] = { "DELETE FROM votes "
	    "WHERE comment = :comment AND (voter = :voter OR "
	    "addr_hash IN (:addr, :addr_prev))", 0 },
	[STMT_VOTE_INSERT] = { "INSERT INTO votes (comment, voter, addr_hash, "
	    "value, at) VALUES (:comment, :voter, :addr, :value, :now)", 0 },
	[STMT_COMMENT_VOTES_ADD] = { "UPDATE comments SET up = up + :up, "
	    "down = down + :down WHERE id = :id RETURNING up, down, article",
	    0 },
	[STMT_COMMENT_BEST] = { "UPDATE comments SET best = :best "
	    "WHERE id = :id", 0 },
	[STMT_ARTICLE_VOTED] = { "UPDATE articles SET votes = votes + 1 "
	    "WHERE id = :id", 0 },
	[STMT_VOTES_RESET] = { "DELETE FROM votes WHERE comment = :id", 0 },
	[STMT_COMMENT_VOTES_ZERO] = { "UPDATE comments SET up = 0, down = 0, "
	    "best = 0 WHERE id = :id RETURNING article", 0 },
	[STMT_VOTES_SINCE] = { "SELECT count(*) FROM vote_log "
	    "WHERE addr_hash IN (:addr, :addr_prev) AND at >= :since", 0 },
	[STMT_VOTES_SINCE_NET] = { "SELECT count(*) FROM vote_log "
	    "WHERE net_hash IN (:net, :net_prev) AND at >= :since", 0 },
	[STMT_VOTE_LOG] = { "INSERT INTO vote_log (at, addr_hash, net_hash) "
	    "VALUES (:now, :addr, :net)", 0 },
	[STMT_VOTE_LOG_PRUNE] = { "DELETE FROM vote_log WHERE at < :before",
	    0 },
	/* Reports: one open report an address a comment. */
	[STMT_REPORT_MINE] = { "SELECT id FROM reports "
	    "WHERE comment = :comment AND settled = 0 "
	    "AND addr_hash IN (:addr, :addr_prev) LIMIT 1", 0 },
	[STMT_REPORT_UPDATE] = { "UPDATE reports SET reason = :reason, "
	    "text = :text WHERE id = :id", 0 },
	/* A comment deleted meanwhile is no row, not a broken foreign key
	 * (which would end the transaction): STEP_CONFLICT as SQLite's. */
	[STMT_REPORT_INSERT] = { "INSERT INTO reports (comment, reason, text, "
	    "created, addr_hash, net_hash) SELECT id, :reason::text, "
	    ":text::text, :now::bigint, :addr::text, :net::text "
	    "FROM comments WHERE id = :comment FOR KEY SHARE",
	    PG_NONE_CONFLICT },
	[STMT_REPORTS_OPEN] = { "SELECT count(*) FROM reports "
	    "WHERE comment = :comment AND settled = 0", 0 },
	[STMT_REPORTS_SINCE] = { "SELECT count(*) FROM reports "
	    "WHERE addr_hash IN (:addr, :addr_prev) AND created >= :since", 0 },
	[STMT_REPORTS_SINCE_NET] = { "SELECT count(*) FROM reports "
	    "WHERE net_hash IN (:net, :net_prev) AND created >= :since", 0 },
	[STMT_REPORTS_SETTLE] = { "UPDATE reports SET settled = 1 "
	    "WHERE comment = :id AND settled = 0", 0 },
	[STMT_REPORTS_OF] = { "SELECT reason, text, created FROM reports "
	    "WHERE comment = :comment AND settled = 0 ORDER BY id "
	    "LIMIT :limit", 0 },
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
	/* :batch is left NULL by a row that starts an action (or is one). */
	[STMT_AUDIT_ADD] = { "INSERT INTO audit (at, moderator, actor, "
	    "action, target, before, after, addr_hash, batch) VALUES (:now, "
	    ":mod, :actor, :action, :target, :before, :after, :addr_hash, "
	    ":batch) RETURNING id", 0 },
	[STMT_QUEUE_ASC] = { "SELECT " SQ_QUEUE_COLS QUEUE_WHERE
	    "AND c.id > :cursor ORDER BY c.id ASC LIMIT :limit", 0 },
	[STMT_QUEUE_DESC] = { "SELECT " SQ_QUEUE_COLS QUEUE_WHERE
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
	/* Read first: a claim that finds nothing still writes nothing,
	 * but each worker asks every few seconds. */
	[STMT_FEEDBACK_DUE] = { "SELECT EXISTS (SELECT 1 FROM feedback "
	    "WHERE next_try <= :now)::int", 0 },
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
	[STMT_FEEDBACK_WITHDRAW] = { "DELETE FROM feedback "
	    "WHERE comment = :comment AND kind = :kind AND attempts = 0", 0 },
	[STMT_COMMENT_SET_SCORE] = { "UPDATE comments SET score = :score, "
	    "reasons = :reasons, body_hash = :h WHERE id = :id", 0 },
	[STMT_IMPORT_SEEN] = { "SELECT comment FROM imported "
	    "WHERE source = :source AND source_id = :source_id", 0 },
	[STMT_IMPORT_MARK] = { "INSERT INTO imported (source, source_id, "
	    "comment) VALUES (:source, :source_id, :comment) "
	    "ON CONFLICT DO NOTHING", PG_NONE_CONFLICT },
	/* Moving in and out (store_port.c): the orders are fixed so two
	 * exports of the same data are the same bytes; the reads run on
	 * one snapshot (store_port_read_begin). */
	[STMT_PORT_ACCOUNTS] = { "SELECT id, name, hash, (role = 'admin')::int, "
	    "created, last_login FROM moderators ORDER BY id", 0 },
	[STMT_PORT_ARTICLES] = { "SELECT id, uri, title, body, created, "
	    "closed, mode, version, title_proposed, made_by, kept_open, votes "
	    "FROM articles ORDER BY id", 0 },
	[STMT_PORT_COMMENTS] = { "SELECT id, article, parent, author, email, "
	    "website, body, status, score, reasons, created, edited, "
	    "edited_by, addr_hash, user_agent, body_hash, up, down "
	    "FROM comments ORDER BY article, path", 0 },
	/* Voters in byte order, as SQLite's: the same rows, the same
	 * lines, whatever the database's collation. */
	[STMT_PORT_VOTES] = { "SELECT comment, voter, addr_hash, value, at "
	    "FROM votes ORDER BY comment, voter COLLATE \"C\"", 0 },
	[STMT_PORT_REPORTS] = { "SELECT id, comment, reason, text, created, "
	    "addr_hash, net_hash, settled FROM reports ORDER BY id", 0 },
	[STMT_PORT_BANS] = { "SELECT id, kind, value, reason, created, "
	    "expires, moderator FROM bans ORDER BY id", 0 },
	[STMT_PORT_AUDIT] = { "SELECT id, at, moderator, actor, action, "
	    "target, before, after, addr_hash FROM audit ORDER BY id", 0 },
	[STMT_PORT_IMPORTED] = { "SELECT source, source_id, comment FROM "
	    "imported ORDER BY source, source_id", 0 },
	[STMT_PORT_SITE] = { "SELECT value FROM settings WHERE key = 'site_id'",
	    0 },
	/* The highest comment id ever handed out (the sequence's). */
	[STMT_PORT_SEQ] = { "SELECT greatest(coalesce(pg_sequence_last_value("
	    "pg_get_serial_sequence('comments', 'id')::regclass), 0), "
	    "coalesce((SELECT max(id) FROM comments), 0))", 0 },
	[STMT_PORT_SITE_SET] = { "INSERT INTO settings (key, value) VALUES "
	    "('site_id', :v) ON CONFLICT (key) DO UPDATE SET "
	    "value = excluded.value", 0 },
	[STMT_PORT_SECRET_SET] = { "UPDATE settings SET value = :v "
	    "WHERE key = 'secret'", 0 },
	/* The sequence only ever grows. */
	[STMT_PORT_SEQ_SET] = { "SELECT setval(pg_get_serial_sequence("
	    "'comments', 'id'), greatest(:seq::bigint, coalesce("
	    "pg_sequence_last_value(pg_get_serial_sequence('comments', 'id')"
	    "::regclass), 0), 1), greatest(:seq::bigint, coalesce("
	    "pg_sequence_last_value(pg_get_serial_sequence('comments', 'id')"
	    "::regclass), 0)) > 0)", 0 },
	/* (SQLite's first row of its sequence table: nothing here.) */
	[STMT_PORT_SEQ_ADD] = { "SELECT :seq::bigint WHERE false", 0 },
	[STMT_PORT_EMPTY] = { "SELECT (NOT EXISTS (SELECT 1 FROM articles) AND "
	    "NOT EXISTS (SELECT 1 FROM comments) AND NOT EXISTS (SELECT 1 FROM "
	    "moderators) AND NOT EXISTS (SELECT 1 FROM bans) AND NOT EXISTS "
	    "(SELECT 1 FROM audit) AND NOT EXISTS (SELECT 1 FROM imported))"
	    "::int", 0 },
	/* A row that is there already is a conflict, as SQLite's plain
	 * INSERT, but the transaction goes on. */
	[STMT_PORT_PUT_ACCOUNT] = { "INSERT INTO moderators (id, name, hash, "
	    "role, created, last_login) VALUES ("
	    "coalesce(:id::bigint, nextval(pg_get_serial_sequence("
	    "'moderators', 'id'))), :name, :hash, :role, :created, "
	    ":last_login) ON CONFLICT DO NOTHING", PG_NONE_CONFLICT },
	[STMT_PORT_PUT_ARTICLE] = { "INSERT INTO articles (id, uri, title, body, "
	    "body_html, created, closed, mode, version, title_proposed, "
	    "made_by, kept_open, votes) VALUES (coalesce(:id::bigint, nextval("
	    "pg_get_serial_sequence('articles', 'id'))), :uri, :title, :body, "
	    ":body_html, :created, :closed, :mode, :version, :title_proposed, "
	    "coalesce(:made_by, 'admin'), :kept_open, :votes) "
	    "ON CONFLICT DO NOTHING",
	    PG_NONE_CONFLICT },
	[STMT_PORT_PUT_COMMENT] = { "INSERT INTO comments (id, article, parent, "
	    "root, depth, path, author, email, website, body, html, status, "
	    "score, reasons, created, edited, edited_by, addr_hash, "
	    "user_agent, body_hash, up, down, best) VALUES (:id, :article, "
	    ":parent, :root, :depth, :path, :author, :email, :website, :body, "
	    ":html, :status, :score, :reasons, :created, :edited, :edited_by, "
	    ":addr_hash, :user_agent, :body_hash, :up, :down, :best) "
	    "ON CONFLICT DO NOTHING", PG_NONE_CONFLICT },
	/* A vote or report whose comment is not there is no row, not a
	 * broken foreign key (which would end the transaction). */
	[STMT_PORT_PUT_VOTE] = { "INSERT INTO votes (comment, voter, "
	    "addr_hash, value, at) SELECT id, :voter::text, :addr_hash::text, "
	    ":value::integer, :at::bigint FROM comments WHERE id = :comment "
	    "ON CONFLICT DO NOTHING", PG_NONE_CONFLICT },
	[STMT_PORT_PUT_REPORT] = { "INSERT INTO reports (id, comment, reason, "
	    "text, created, addr_hash, net_hash, settled) SELECT "
	    "coalesce(:id::bigint, nextval(pg_get_serial_sequence('reports', "
	    "'id'))), id, :reason::text, :text::text, :created::bigint, "
	    ":addr_hash::text, :net_hash::text, :settled::integer "
	    "FROM comments WHERE id = :comment ON CONFLICT DO NOTHING",
	    PG_NONE_CONFLICT },
	[STMT_PORT_VOTED] = { "UPDATE articles SET votes = votes + 1 "
	    "WHERE id = (SELECT article FROM comments WHERE id = :id)", 0 },
	[STMT_PORT_PUT_BAN] = { "INSERT INTO bans (id, kind, value, reason, "
	    "created, expires, moderator) VALUES (coalesce(:id::bigint, "
	    "nextval(pg_get_serial_sequence('bans', 'id'))), :kind, :value, "
	    ":reason, :created, :expires, :moderator) ON CONFLICT DO NOTHING",
	    0 },
	[STMT_PORT_PUT_AUDIT] = { "INSERT INTO audit (id, at, moderator, actor, "
	    "action, target, before, after, addr_hash) VALUES (coalesce("
	    ":id::bigint, nextval(pg_get_serial_sequence('audit', 'id'))), "
	    ":at, :mod, :actor, :action, :target, :before, :after, :addr_hash) "
	    "ON CONFLICT DO NOTHING", PG_NONE_CONFLICT },
	[STMT_PORT_PUT_IMPORTED] = { "INSERT INTO imported (source, source_id, "
	    "comment) VALUES (:source, :source_id, :comment) "
	    "ON CONFLICT DO NOTHING", 0 },
	[STMT_PORT_RECOUNT] = { "UPDATE articles SET ncomments = (SELECT "
	    "count(*) FROM comments WHERE article = articles.id AND "
	    "status = 'approved')", 0 },
	[STMT_PORT_NODE] = { "SELECT article, parent, root, depth, path "
	    "FROM comments WHERE id = :id", 0 },
	/* A subtree, parents before their replies: its keys are made
	 * again from the top down when it moves. */
	[STMT_PORT_SUBTREE] = { "WITH RECURSIVE sub (id, level) AS (SELECT "
	    ":id::bigint, 0 UNION ALL SELECT c.id, sub.level + 1 FROM comments "
	    "c JOIN sub ON c.parent = sub.id) SELECT id FROM sub "
	    "ORDER BY level, id", 0 },
	[STMT_PORT_MOVE_NODE] = { "UPDATE comments SET path = :path, "
	    "depth = :depth, root = :root WHERE id = :id", 0 },
	[STMT_PORT_MOVE_PARENT] = { "UPDATE comments SET parent = :parent "
	    "WHERE id = :id", 0 },
	[STMT_PORT_RENAME] = { "UPDATE articles SET uri = :uri, "
	    "version = version + 1 WHERE id = :id", 0 },
	[STMT_PORT_MERGE] = { "UPDATE comments SET article = :into "
	    "WHERE article = :from", 0 },
	[STMT_PORT_COUNT] = { "UPDATE articles SET ncomments = (SELECT "
	    "count(*) FROM comments WHERE article = :id::bigint AND "
	    "status = 'approved'), version = version + 1 "
	    "WHERE id = :id::bigint", 0 },
	[STMT_PORT_ARTICLE_DEL] = { "DELETE FROM articles WHERE id = :id", 0 },
};

/* --- the moderators' desk (store_desk.c) ---------------------------------- */

/*
 * An audit row, with the article of a comment it names (so the log can
 * link to the comment where it is shown); a comment gone since leaves 0.
 */
#define AUDIT_COLS \
	"a.id, a.at, coalesce(a.moderator, 0), coalesce(a.batch, a.id), " \
	"a.actor, a.action, a.target, a.before, a.after, a.addr_hash, " \
	"coalesce(c.article, 0), coalesce((c.status = 'approved')::int, 0)"
#define AUDIT_FROM \
	" FROM audit a LEFT JOIN comments c ON a.target ~ '^comment:[0-9]+$' " \
	"AND c.id = CASE WHEN a.target ~ '^comment:[0-9]{1,18}$' THEN " \
	"substr(a.target, 9)::bigint END "
/* Every filter; a NULL parameter leaves its filter out. */
#define AUDIT_WHERE \
	"WHERE (:before_id::bigint = 0 OR a.id < :before_id::bigint) " \
	"AND (:actor::text IS NULL OR a.actor = :actor::text) " \
	"AND (:action::text IS NULL OR a.action = :action::text) " \
	"AND (:target::text IS NULL OR a.target = :target::text) " \
	"AND (:since::bigint IS NULL OR a.at >= :since::bigint) " \
	"AND (:until::bigint IS NULL OR a.at < :until::bigint) "
#define AUDIT_ORDER	"ORDER BY a.id DESC LIMIT :limit"

const struct pg_sql pg_desk_sql[DSTMT__MAX] = {
	[DSTMT_AUDIT_LIST] = { "SELECT " AUDIT_COLS AUDIT_FROM AUDIT_WHERE
	    AUDIT_ORDER, 0 },
	/* The one filter that narrows most as a plain equality: its index
	 * (010-desk.sql) from the newest end. */
	[DSTMT_AUDIT_BY_ACTOR] = { "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.actor = :lead " AUDIT_ORDER, 0 },
	[DSTMT_AUDIT_BY_ACTION] = { "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.action = :lead " AUDIT_ORDER, 0 },
	[DSTMT_AUDIT_BY_TARGET] = { "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.target = :lead " AUDIT_ORDER, 0 },
	/* One action's rows, for the moderator who took it only. */
	[DSTMT_AUDIT_BATCH] = { "SELECT " AUDIT_COLS AUDIT_FROM
	    "WHERE (a.id = :batch::bigint OR a.batch = :batch::bigint) "
	    "AND a.moderator = :mod ORDER BY a.id", 0 },
	[DSTMT_QUEUE_ONE] = { "SELECT " SQ_QUEUE_COLS SQ_QUEUE_FROM
	    "WHERE c.id = :id", 0 },
	[DSTMT_BAN_GET] = { "SELECT b.id, b.kind, b.value, b.reason, "
	    "b.created, b.expires, m.name FROM bans b LEFT JOIN moderators m "
	    "ON m.id = b.moderator WHERE b.id = :id", 0 },
	[DSTMT_BAN_FIND] = { "SELECT b.id, b.kind, b.value, b.reason, "
	    "b.created, b.expires, m.name FROM bans b LEFT JOIN moderators m "
	    "ON m.id = b.moderator WHERE b.kind = :kind AND b.value = :value",
	    0 },
	/* The database's size on the server. */
	[DSTMT_DB_BYTES] = { "SELECT pg_database_size(current_database())",
	    0 },
};
