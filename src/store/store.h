/* store.h: every database access, as typed functions over prepared statements, the same for SQLite and PostgreSQL */
#ifndef PALAVER_STORE_H
#define PALAVER_STORE_H

#include <stddef.h>

#include "core/status.h"
#include "model/model.h"
#include "model/mail.h"

struct arena;
struct store;

/* The deepest a comment is stored unless store_set_max_depth says
 * otherwise: [moderation] max_store_depth's default. */
#define STORE_MAX_DEPTH	200

/*
 * store_set_max_depth: the deepest a comment is stored ([moderation]
 * max_store_depth; depth 0 is top level).  A reply to a comment at this
 * depth or deeper is stored beside it, as a reply to the same parent, so
 * no thread grows deeper.  Below 1 counts as 1.  Process-wide: call it at
 * start-up, before any thread opens a store; each store_open takes the
 * value of the moment.
 */
void		 store_set_max_depth(long depth);
/*
 * store_init: what SQLite takes only before its first use in a process
 * (PostgreSQL needs nothing): call it before any other store_* function
 * (main does).  A transaction's statement journal (a writer job's
 * savepoint) stays in memory, in one piece, up to 128 KiB (more breaks
 * SQLite 3.40: sqlite_db.c); without it, past 64 KiB it went to a
 * temporary file (in nearly every group commit), or with
 * temp_store=MEMORY into 1 KiB pieces, a malloc each (a fifth of a
 * post's work in the transaction, by callgrind).  Called later, it
 * changes nothing.
 */
void		 store_init(void);
/*
 * store_set_vfs: the SQLite VFS (a registered name) that connections
 * opened from now on use; NULL for SQLite's default.  For tests that
 * simulate losing power.  Process-wide, as store_set_max_depth.
 */
void		 store_set_vfs(const char *name);

/*
 * A database is named by one string, `db`: a PostgreSQL connection URI
 * (postgresql://... or postgres://..., libpq's: [database] url), else the
 * path of a SQLite file ([database] path).  Nothing above the store knows
 * which engine it talks to.
 */

/* store_display: db as messages show it (a URI's password hidden), in
 * out; returns out. */
const char	*store_display(const char *db, char *out, size_t outsz);

/*
 * store_open: a connection to db (which must exist and be fully
 * migrated) for this thread: SQLite with its per-connection pragmas and
 * every statement prepared; PostgreSQL with statements prepared on first
 * use, and a lost connection made again when next used.  Every SQLite
 * connection palaver opens (here, to migrate and to back up) is in
 * SQLite's defensive mode with an untrusted schema.  On error *out is
 * NULL and the cause is logged.
 */
enum status	 store_open(const char *db, struct store **out);
/* store_close: finalize statements and close.  NULL ok. */
void		 store_close(struct store *);
/*
 * store_set_writer: this connection is its process's group-commit writer
 * (domain/writer.c).  On SQLite the writers of all processes take turns
 * on a lock file beside the database.
 */
void		 store_set_writer(struct store *);
/*
 * store_group_commit: whether batching many threads' writes into one
 * transaction pays on this engine.  It does on both: SQLite commits one
 * writer at a time, an fsync each; PostgreSQL flushes concurrent commits
 * together, but posts to one article queue on its row (version, count)
 * for a commit each.
 */
int		 store_group_commit(const struct store *);

/*
 * store_migrate: create the database if missing (SQLite: a WAL file;
 * PostgreSQL: the schema, in an empty database the role owns), then apply
 * every migration newer than its version (SQLite: all in one BEGIN
 * IMMEDIATE; PostgreSQL: one transaction each, hosts that start at once
 * taking turns).  *from and *to (may be NULL) receive the versions.  A
 * database newer than this binary is ST_CONFLICT.  When the database has
 * no server secret yet, fresh_secret (32 random bytes from
 * auth_secret_new) becomes it.
 */
enum status	 store_migrate(const char *db,
		    const unsigned char fresh_secret[32], int *from, int *to);
/* store_schema_version: how many migrations this binary carries. */
int		 store_schema_version(void);
/*
 * store_backup: an online, consistent copy of the database into dest, a
 * new SQLite file (which must not exist): SQLite's backup API, or for
 * PostgreSQL every row read in one snapshot (store_copy).
 */
enum status	 store_backup(const char *db, const char *dest);
/*
 * store_copy: every row of database `from` into database `to`, all or
 * nothing: `to` is migrated first and must hold no data (only its
 * secret); ids, threads, statuses, accounts, bans, audit and settings go
 * as they are, counts are compared before the commit, and ids made later
 * continue after the copied ones.  `from` is read in one snapshot, so it
 * may be in use meanwhile.  *rows (may be NULL) receives how many rows
 * were copied.  ST_CONFLICT when `to` has data.  fresh_secret is the
 * secret `to` is made with, before the copy's replaces it.
 */
enum status	 store_copy(const char *from, const char *to,
		    const unsigned char fresh_secret[32], long long *rows);
/* store_copy_tables, store_copy_has: the tables store_copy copies, and
 * whether it copies table.column (for the test that keeps it whole). */
const char *const *store_copy_tables(size_t *n);
int		 store_copy_has(const char *table, const char *column);

/* store_set_auto_close: articles older than `days` days read as closed
 * ([moderation] auto_close_days; 0: never). */
void		 store_set_auto_close(struct store *, long days);

/* store_secret: the 32-byte server secret, copied into out. */
enum status	 store_secret(struct store *, unsigned char out[32]);
/*
 * store_key_check_get: the period and fingerprint of the address key the
 * database's hosts use (auth/keyring.h), fp NUL-terminated in fpsz
 * bytes; ST_NOTFOUND when none is noted.  store_key_check_put: note
 * them.
 */
enum status	 store_key_check_get(struct store *, long long *period,
		    char *fp, size_t fpsz);
enum status	 store_key_check_put(struct store *, long long period,
		    const char *fp);
/*
 * store_job_claim: whether this caller runs background job `job` now:
 * *mine is 1 when it was due at `now` (or never ran), and the job is then
 * due again at `next`; 0 when another process or host has it.  Jobs such
 * as the prune run once per turn, however many processes and hosts ask.
 */
enum status	 store_job_claim(struct store *, const char *job,
		    long long now, long long next, int *mine);

/* Articles.  Strings returned live in the arena. */
enum status	 store_article_add(struct store *, const char *uri,
		    const char *title, const char *body, const char *body_html,
		    long long now, long long *id);
enum status	 store_article_get(struct store *, struct arena *, long long id,
		    struct article *);
enum status	 store_article_by_uri(struct store *, struct arena *,
		    const char *uri, struct article *);
/* store_article_id: just the id of the article at uri. */
enum status	 store_article_id(struct store *, const char *uri,
		    long long *id);
/* store_article_set: close (1) or reopen (0) an article, -1 to leave it
 * (reopened, it stays open whatever its age until closed again: the
 * moderator's decision wins over auto_close_days); set its moderation
 * mode to "pre", "post" or "default" (the config's), NULL to leave it. */
enum status	 store_article_set(struct store *, long long id, int closed,
		    const char *mode);
/*
 * store_article_list: up to `limit` articles, newest first, created before
 * the cursor (before_created, before_id; 0, 0 for the first page).  Unless
 * all, only those an admin made or with an approved comment (a thread a
 * first comment made is not listed while that comment waits).
 */
enum status	 store_article_list(struct store *, struct arena *,
		    long long before_created, long long before_id, int limit,
		    int all, struct article **v, size_t *n);
/* store_article_add_reader: the thread a first comment makes at uri: its
 * title the uri until a moderator sets one, title_proposed (may be NULL)
 * kept for them.  Inside the caller's transaction. */
enum status	 store_article_add_reader(struct store *, const char *uri,
		    const char *title_proposed, long long now, long long *id);
/* store_article_title: a moderator's title for article id. */
enum status	 store_article_title(struct store *, long long id,
		    const char *title);

/*
 * store_thread_page: up to `limit` top-level comments of the article after
 * the cursor `after` (a root id; 0 for the first page) in `order` (enum
 * thread_order: oldest, newest, or best first by their `best` rank, ties
 * oldest first), each with all its replies: in one index range scan, or
 * for best first one a root.  Every status is returned; the caller
 * decides what to show.  A best-first cursor that is no longer a
 * top-level comment of the article starts from the top.
 */
enum status	 store_thread_page(struct store *, struct arena *,
		    long long article, long long after, int order, int limit,
		    const char *own, struct thread_page *);
/*
 * store_roots_better: how many shown top-level comments of the article
 * rank above root `root` best first (counting stops at `limit`), and in
 * *above the one just above it (0: none), the cursor of a page that
 * starts at root.
 */
enum status	 store_roots_better(struct store *, long long article,
		    long long root, int limit, long long *n, long long *above);
/* store_roots_before: how many shown top-level comments of the article
 * come before root id `root` (counting stops at `limit`). */
enum status	 store_roots_before(struct store *, long long article,
		    long long root, int limit, long long *n);
/* store_roots_after: the same for those after it (newer): the page that
 * holds a comment when the newest come first. */
enum status	 store_roots_after(struct store *, long long article,
		    long long root, int limit, long long *n);

/*
 * store_comment_add: insert a comment (id, root, depth and the ordering
 * key are filled in from the parent) and bump the article's version and
 * count.  The parent must belong to the same article: else ST_NOTFOUND.
 * A reply to a comment at store_set_max_depth's depth is stored beside
 * it.  On success c->id, root and depth are set, and c->parent is the
 * parent it was stored under.  On error the database is unchanged.
 */
enum status	 store_comment_add(struct store *, struct comment *c);
/* store_comment_insert: the same inside the caller's transaction. */
enum status	 store_comment_insert(struct store *, struct comment *c);
/* store_comment_get: one comment by id (any status). */
enum status	 store_comment_get(struct store *, struct arena *, long long id,
		    struct comment *);
/*
 * store_comment_edit: replace a comment's body and rendered HTML, mark it
 * edited at `now` (by moderator `by`, 0 for the author), bump the
 * article's version.  Inside the caller's transaction.
 */
enum status	 store_comment_edit(struct store *, long long id,
		    const char *body, const char *html, long long now,
		    long long by);
/*
 * store_comment_remove: the author takes a comment back: it is kept as
 * "deleted" (body cleared) when it has replies, and removed otherwise.
 * Counts and version follow.  Inside the caller's transaction.
 */
enum status	 store_comment_remove(struct store *, long long id);
/* store_posts_since: how many posts the client made since `since`, by
 * its address and by its network (0 when k->net is NULL). */
enum status	 store_posts_since(struct store *, const struct addr_keys *k,
		    long long since, long long *by_addr, long long *by_net);
/* store_post_log: note a post by the client at `now`.  Inside the
 * caller's transaction; old entries go with store_prune. */
enum status	 store_post_log(struct store *, const struct addr_keys *k,
		    long long now);
/* store_count_by_uri: approved comments of the article at uri, 0 when
 * there is no such article. */
enum status	 store_count_by_uri(struct store *, const char *uri,
		    long long *n);

/* --- votes and reports (store_vote.c) ------------------------------------ */

/*
 * store_vote: the reader `voter` (a keyed hash of their voter token),
 * from the client k, votes `value` on comment id: 1 up, -1 down, 0 takes
 * their vote back.  An earlier vote by the same voter or from the same
 * address (either key) is replaced, and the comment's counts follow:
 * *up, *down and *article receive them.  The article's vote counter
 * moves, not its version.  ST_NOTFOUND when there is no such comment.
 * Inside the caller's transaction.
 */
enum status	 store_vote(struct store *, long long id, const char *voter,
		    const struct addr_keys *k, int value, long long now,
		    long long *up, long long *down, long long *article);
/* store_comment_set_best: the rank of comment id best first. */
enum status	 store_comment_set_best(struct store *, long long id,
		    double best);
/* store_votes_counted: votes another program counted on comment id
 * (Isso's likes and dislikes: no voter behind them) join its counts,
 * with its rank `best` for them; the article's vote counter moves.
 * ST_NOTFOUND when there is no such comment. */
enum status	 store_votes_counted(struct store *, long long id,
		    long long up, long long down, double best);
/* store_votes_reset: every vote on comment id goes; counts and rank are
 * 0.  ST_NOTFOUND when there is no such comment. */
enum status	 store_votes_reset(struct store *, long long id);
/* store_votes_since, store_vote_log: votes by the client's address and
 * network since `since`, and noting one (as for posts). */
enum status	 store_votes_since(struct store *, const struct addr_keys *,
		    long long since, long long *by_addr, long long *by_net);
enum status	 store_vote_log(struct store *, const struct addr_keys *,
		    long long now);
/*
 * store_report: the client k reports comment id: a new report, or when
 * this address has an open one on it, that one with the new reason and
 * text (*counted 0, else 1).  *open receives the comment's open reports.
 * ST_NOTFOUND when the comment is gone.  Inside the caller's transaction.
 */
enum status	 store_report(struct store *, long long id,
		    enum report_reason, const char *text,
		    const struct addr_keys *k, long long now, int *counted,
		    long long *open);
/* store_reports_since: reports by the client's address and network. */
enum status	 store_reports_since(struct store *,
		    const struct addr_keys *, long long since,
		    long long *by_addr, long long *by_net);
/* store_reports_settle: a moderator decided comment id: its open
 * reports are settled. */
enum status	 store_reports_settle(struct store *, long long id);
/* store_reports_open: up to `limit` open reports of comment id, oldest
 * first, in the arena. */
enum status	 store_reports_open(struct store *, struct arena *,
		    long long id, int limit, struct report **, size_t *);

/* --- moderation ---------------------------------------------------------- */

struct queue_query {
	enum cstatus	 status;
	long long	 article;	/* 0: all */
	const char	*q;		/* full-text search words, or NULL */
	long long	 cursor;	/* keyset: after (oldest first) or before */
	int		 oldest_first;
	int		 limit;
};

/* Moderator accounts.  Names are unique: a second add is ST_CONFLICT. */
enum status	 store_mod_add(struct store *, const char *name,
		    const char *hash, int admin, long long now, long long *id);
enum status	 store_mod_by_name(struct store *, struct arena *,
		    const char *name, struct moderator *);
enum status	 store_mod_by_id(struct store *, struct arena *, long long id,
		    struct moderator *);
enum status	 store_mod_list(struct store *, struct arena *,
		    struct moderator **, size_t *);
/* store_mod_del: remove the account (its sessions go with it). */
enum status	 store_mod_del(struct store *, long long id);
/* store_mod_set_hash: a new password hash; their sessions end unless
 * keep_sessions (a rehash at login). */
enum status	 store_mod_set_hash(struct store *, long long id,
		    const char *hash, int keep_sessions);
enum status	 store_mod_login(struct store *, long long id, long long now);
/* store_mod_count_admins: how many admins there are. */
enum status	 store_mod_count_admins(struct store *, long long *n);

/* Sessions, by the hash of their token. */
enum status	 store_session_add(struct store *, const unsigned char h[32],
		    long long mod, long long now, long long expires,
		    const char *csrf);
/* store_session_get: the session and its moderator; ST_NOTFOUND when
 * there is none or it has expired (idle: seen before idle_since). */
enum status	 store_session_get(struct store *, struct arena *,
		    const unsigned char h[32], long long now,
		    long long idle_since, struct session *);
enum status	 store_session_touch(struct store *, const unsigned char h[32],
		    long long now);
enum status	 store_session_del(struct store *, const unsigned char h[32]);

/* Login throttling: failures since `since` (an attempt counts as one
 * from before its password is checked until it succeeds). */
struct login_counts {
	long long	 pair;		/* this name from this network */
	long long	 net;		/* any name from this network */
	long long	 name;		/* this name from anywhere */
	long long	 name_last;	/* the last of those, unix seconds */
};
enum status	 store_login_failures(struct store *, const char *name,
		    const struct addr_keys *k, long long since,
		    struct login_counts *);
/* store_login_failure_add: note an attempt; *id (may be NULL) names it
 * for store_login_failure_del when it succeeds. */
enum status	 store_login_failure_add(struct store *, const char *name,
		    const struct addr_keys *k, long long now, long long *id);
enum status	 store_login_failure_del(struct store *, long long id);
/* store_login_failures_clear: forget the failures of name from the
 * client's network (a good login). */
enum status	 store_login_failures_clear(struct store *, const char *name,
		    const struct addr_keys *k);

/* The audit log. */
enum status	 store_audit_add(struct store *, long long mod,
		    const char *actor, const char *action, const char *target,
		    const char *before, const char *after,
		    const char *addr_hash, long long now);
/*
 * store_audit_add_batch: a row (e's at, mod, actor, action, target,
 * before, after, addr_hash) of the action *batch names; when *batch is 0
 * the row starts an action and *batch becomes its id.  Inside the
 * caller's transaction.
 */
enum status	 store_audit_add_batch(struct store *,
		    const struct audit_entry *e, long long *batch);
/* store_audit_list: up to q->limit rows matching q, newest first
 * (store_desk.c). */
enum status	 store_audit_list(struct store *, struct arena *,
		    const struct audit_query *q, struct audit_entry **,
		    size_t *);
/* store_audit_batch: the rows of action `batch` taken by moderator mod,
 * oldest first; none when the action is another's. */
enum status	 store_audit_batch(struct store *, struct arena *,
		    long long batch, long long mod, struct audit_entry **,
		    size_t *);

/* The queue: comments of one status, with their article and parent. */
enum status	 store_queue(struct store *, struct arena *,
		    const struct queue_query *, struct queue_item **, size_t *);
/* store_queue_one: comment id as the queue shows it (any status). */
enum status	 store_queue_one(struct store *, struct arena *, long long id,
		    struct queue_item *);
/* store_queue_counts: comments per status (indexed by enum cstatus). */
enum status	 store_queue_counts(struct store *, long long article,
		    long long counts[CS__MAX]);
/*
 * store_comment_set_status: a moderator's decision.  Keeps the article's
 * count and version in step.  *old (may be NULL) receives the status it
 * had.  Inside the caller's transaction.
 */
enum status	 store_comment_set_status(struct store *, long long id,
		    enum cstatus, enum cstatus *old);

/* Bans.  store_ban_add makes the ban, or replaces the one with the same
 * kind and value; *id (may be NULL) is its id either way. */
enum status	 store_ban_add(struct store *, const char *kind,
		    const char *value, const char *reason, long long now,
		    long long expires, long long mod, long long *id);
/* store_ban_get, store_ban_find: one ban by id, or by kind and value,
 * expired or not; ST_NOTFOUND when there is none. */
enum status	 store_ban_get(struct store *, struct arena *, long long id,
		    struct ban *);
enum status	 store_ban_find(struct store *, struct arena *,
		    const char *kind, const char *value, struct ban *);
enum status	 store_ban_list(struct store *, struct arena *, long long now,
		    struct ban **, size_t *);
enum status	 store_ban_del(struct store *, long long id);
/* store_ban_match: 1 in *hit when any live ban matches the e-mail (may be
 * NULL), the client's address hash (either key) or the address prefix. */
enum status	 store_ban_match(struct store *, const char *email,
		    const struct addr_keys *k, const char *prefix,
		    long long now, int *hit);

/* store_db_bytes: the database's size in bytes (for /metrics). */
enum status	 store_db_bytes(struct store *, long long *bytes);

/* --- spam ---------------------------------------------------------------- */

/* A moderator's correction waiting for the hook. */
struct feedback {
	long long	 id;
	long long	 comment;
	const char	*kind;		/* submit-spam or submit-ham */
	int		 attempts;	/* including this one */
	const char	*input;		/* the hook's original input, or NULL */
};

/* store_duplicate: *id of a comment with this body hash since `since`,
 * or 0. */
enum status	 store_duplicate(struct store *, const char *body_hash,
		    long long since, long long *id);
/* store_form_token_use: mark a form token used; ST_CONFLICT when it was
 * used before (a replay).  Inside the caller's transaction. */
enum status	 store_form_token_use(struct store *, const unsigned char h[32],
		    long long expires, long long now);
/* store_spam_check_add: keep the hook's input for the feedback loop. */
enum status	 store_spam_check_add(struct store *, long long comment,
		    const char *input, long long now);
/* store_spam_check_done: forget the hook's input for comment once no
 * correction for the hook is waiting (the comment was decided, or the
 * correction was delivered). */
enum status	 store_spam_check_done(struct store *, long long comment);
/*
 * store_prune: what is kept only for a while: post, vote and login logs after
 * a day, expired form tokens and sessions, and the hook's inputs after
 * hook_input_days.  Run on a schedule (domain/upkeep.c).
 */
enum status	 store_prune(struct store *, long long now,
		    long hook_input_days);
/* store_comment_set_score: the verdict of a new check (after an edit). */
enum status	 store_comment_set_score(struct store *, long long id,
		    double score, const char *reasons, const char *body_hash);
/*
 * store_feedback_claim: take the next due correction, leasing it until
 * `lease` so no other worker takes it meanwhile.  ST_NOTFOUND: none due.
 */
enum status	 store_feedback_claim(struct store *, struct arena *,
		    long long now, long long lease, struct feedback *);
enum status	 store_feedback_done(struct store *, long long id);
enum status	 store_feedback_retry(struct store *, long long id,
		    long long next_try, const char *error);

/* --- import -------------------------------------------------------------- */

/*
 * store_import_seen: the comment that comment `source_id` of export
 * `source` became in an earlier import: ST_OK with *comment set, or
 * ST_NOTFOUND when it was never imported (or has been removed since).
 */
enum status	 store_import_seen(struct store *, const char *source,
		    const char *source_id, long long *comment);
/* store_import_mark: remember that `source_id` became `comment`;
 * ST_CONFLICT when it was marked before.  Inside the caller's
 * transaction. */
enum status	 store_import_mark(struct store *, const char *source,
		    const char *source_id, long long comment);

/* --- mail, webhooks, feeds, privacy (store_mail.c) ----------------------- */


/*
 * store_sync_fast: 1 makes this connection's commits skip the fsync
 * (synchronous=NORMAL: durable against a process dying, not a power
 * cut), 0 goes back to FULL.  For the sender's record that a message
 * went out: a lost record can only mean a second copy, never a lost
 * message, and waiting on the disk there widens the window in which a
 * killed sender cannot know.
 */
enum status	 store_sync_fast(struct store *, int fast);

/*
 * store_event_comment: note change `kind` of comment id with a copy of
 * it (and its article) as it is now, in the caller's transaction;
 * "deleted" copies it with that status.  Nothing when it is gone.
 */
enum status	 store_event_comment(struct store *, const char *kind,
		    long long comment, long long now);
/* store_event_confirm: a confirmation is due to subscriber id. */
enum status	 store_event_confirm(struct store *, long long subscriber,
		    long long now);
/* store_event_next: the oldest event; ST_NOTFOUND when none. */
enum status	 store_event_next(struct store *, struct arena *,
		    struct mail_event *);
enum status	 store_event_del(struct store *, long long id);

/* Subscribers: the address is stored as given (lower-case it first). */
enum status	 store_subscriber_add(struct store *, const char *email,
		    long long now);
enum status	 store_subscriber_by_email(struct store *, struct arena *,
		    const char *email, struct subscriber *);
enum status	 store_subscriber_get(struct store *, struct arena *,
		    long long id, struct subscriber *);
/* store_subscriber_asked: a confirmation was queued at now. */
enum status	 store_subscriber_asked(struct store *, long long id,
		    long long now);
/* store_subscriber_confirm: confirmed at now (kept if it was). */
enum status	 store_subscriber_confirm(struct store *, long long id,
		    long long now);
/* store_subscription_add: follow replies to comment (once). */
enum status	 store_subscription_add(struct store *, long long subscriber,
		    long long comment, long long article, long long now);
/* store_unsubscribe: end the subscriber's subscriptions in article, or
 * (article 0) all of them, which also takes back its confirmation.
 * *n (may be NULL): how many ended. */
enum status	 store_unsubscribe(struct store *, long long subscriber,
		    long long article, long long *n);
/* store_reply_recipients: confirmed subscribers to replies to comment. */
enum status	 store_reply_recipients(struct store *, struct arena *,
		    long long comment, struct subscriber **, size_t *);

/* Moderators' alerts: those with an address and alerts `kind`. */
enum status	 store_mod_alerts(struct store *, struct arena *,
		    const char *kind, struct mod_alert **, size_t *);
enum status	 store_mod_alert_get(struct store *, struct arena *,
		    long long mod, struct mod_alert *);
/* store_mod_alert_set: address (NULL: none), kind and digest minutes;
 * the next digest counts from now. */
enum status	 store_mod_alert_set(struct store *, long long mod,
		    const char *email, const char *alerts, long long minutes,
		    long long now);
enum status	 store_mod_digest_done(struct store *, long long mod,
		    long long until);
/* store_pending_between: held comments posted in (since, until], oldest
 * first, at most limit. */
enum status	 store_pending_between(struct store *, struct arena *,
		    long long since, long long until, int limit,
		    struct feed_entry **, size_t *);

/* The outbox. */
enum status	 store_outbox_add(struct store *, const char *kind,
		    const char *target, const char *what, const char *payload,
		    long long comment, long long now);
/*
 * store_outbox_next: the next message due at now: mail in order of its
 * time, and for each webhook URL only its oldest undelivered delivery,
 * so one URL gets its events in order; mail only when `mail`, webhooks
 * only when `hooks`.  ST_NOTFOUND: none.
 */
enum status	 store_outbox_next(struct store *, struct arena *,
		    long long now, int mail, int hooks, struct outbox_msg *);
/* store_outbox_exists: *yes when a message `what` about comment went to
 * target before (one notification a reply, however often it is
 * published). */
enum status	 store_outbox_exists(struct store *, const char *target,
		    const char *what, long long comment, int *yes);
/* store_outbox_drop_replies: queued replies to target (about article, 0:
 * any) are dropped: the address asked for no more. */
enum status	 store_outbox_drop_replies(struct store *, const char *target,
		    long long article, long long now);
/* store_outbox_sent_count: mail sent to target since `since`. */
enum status	 store_outbox_sent_count(struct store *, const char *target,
		    long long since, long long *n);
/* store_outbox_done: message id is sent, failed or dropped. */
enum status	 store_outbox_done(struct store *, long long id,
		    const char *state, int attempts, long long now,
		    const char *error);
enum status	 store_outbox_retry(struct store *, long long id,
		    int attempts, long long next_try, const char *error);
/* store_outbox_list: the newest messages, failures first when
 * `troubled` (failed, dropped, or queued after a failed try). */
enum status	 store_outbox_list(struct store *, struct arena *,
		    int troubled, int limit, struct outbox_msg **, size_t *);
/* store_outbox_counts: messages per state: queued, sent, failed,
 * dropped. */
enum status	 store_outbox_counts(struct store *, long long counts[4]);
/* store_outbox_prune: forget messages done before `before`. */
enum status	 store_outbox_prune(struct store *, long long before);

/* store_lease_take: hold job `name` until `until` unless another holder
 * has it past now: *got is 1 when we hold it. */
enum status	 store_lease_take(struct store *, const char *name,
		    const char *holder, long long now, long long until,
		    int *got);
/* store_lease_drop: let it go now (at shutdown), if ours. */
enum status	 store_lease_drop(struct store *, const char *name,
		    const char *holder);

/* store_lease_get: who holds job `name`, and until when. */
enum status	 store_lease_get(struct store *, struct arena *,
		    const char *name, const char **holder, long long *until);
/* store_lease_steal: take job `name` from holder `dead` (known to have
 * died), if it still holds it: *got. */
enum status	 store_lease_steal(struct store *, const char *name,
		    const char *dead, const char *holder, long long until,
		    int *got);

/* store_feed: the newest approved comments of article (0: the site). */
enum status	 store_feed(struct store *, struct arena *, long long article,
		    int limit, struct feed_entry **, size_t *);

/* Privacy: what is kept for an address (lower-case), and erasing it. */
enum status	 store_privacy_comments(struct store *, struct arena *,
		    const char *email, struct feed_entry **, size_t *);
enum status	 store_privacy_subscriptions(struct store *, struct arena *,
		    long long subscriber, struct sub_row **, size_t *);
enum status	 store_privacy_messages(struct store *, struct arena *,
		    const char *email, struct outbox_msg **, size_t *);
/* store_privacy_erase: the address out of comments (which stay, as
 * Anonymous, without website, address hash or user agent), subscribers,
 * mail and events, and the hook inputs of its comments.  In the caller's
 * transaction. */
enum status	 store_privacy_erase(struct store *, const char *email,
		    struct erase_counts *);

/* Transactions for the group-commit writer (writer.c) and the command
 * line: BEGIN (SQLite: IMMEDIATE), COMMIT, and ROLLBACK (nothing when
 * none is open).  A commit that fails leaves nothing of the transaction
 * (PostgreSQL: an aborted transaction's COMMIT is a failure). */
enum status	 store_tx_begin(struct store *);
enum status	 store_tx_commit(struct store *);
void		 store_tx_rollback(struct store *);
/* A unit of work inside a transaction. */
typedef enum status (*store_fn)(struct store *, void *arg);
/* store_tx_run: fn in a transaction of its own; durable when ST_OK,
 * nothing of it kept otherwise. */
enum status	 store_tx_run(struct store *, store_fn fn, void *arg);
enum status	 store_savepoint(struct store *);
void		 store_savepoint_release(struct store *);
void		 store_savepoint_rollback(struct store *);

/* --- moving in and out: export, restore, remap (store_port.c) ------------ */

/* The tables of an export, in the order it holds them. */
enum port_table {
	PORT_ACCOUNTS,
	PORT_ARTICLES,
	PORT_COMMENTS,
	PORT_VOTES,		/* after the comments they are on */
	PORT_REPORTS,
	PORT_BANS,
	PORT_AUDIT,
	PORT_IMPORTED,
	PORT__MAX
};

/* One row of one of them, every column (ids as stored; 0 for NULL). */
struct port_row {
	enum port_table	 table;
	long long	 id;
	union {
		struct {
			const char	*name, *hash;
			int		 admin;
			long long	 created, last_login;
		} account;
		struct {
			const char	*uri, *title;
			const char	*body;		/* Markdown, NULL: none */
			const char	*body_html;	/* the caller renders it */
			long long	 created;
			int		 closed;	/* as stored (no auto-close) */
			const char	*mode;		/* NULL, pre or post */
			long long	 version;
			const char	*title_proposed;	/* NULL: none */
			const char	*made_by;	/* admin or reader */
			long long	 kept_open;	/* 1: reopened past
							   auto_close_days
							   (010-desk.sql) */
			long long	 votes;		/* vote counter
							   (011) */
		} article;
		struct {
			long long	 article, parent;
			const char	*author, *email, *website;
			const char	*body, *html;	/* html: the caller's */
			enum cstatus	 status;
			double		 score;
			const char	*reasons;
			long long	 created, edited, edited_by;
			const char	*addr_hash, *user_agent, *body_hash;
			long long	 up, down;	/* as counted */
			double		 best;		/* the caller's:
							   from up, down */
		} comment;
		struct {
			long long	 comment;
			const char	*voter;		/* a keyed hash */
			const char	*addr_hash;	/* NULL: none */
			int		 value;		/* 1 or -1 */
			long long	 at;
		} vote;
		struct {
			long long	 comment;
			enum report_reason reason;
			const char	*text;
			long long	 created;
			const char	*addr_hash, *net_hash;
			int		 settled;
		} report;
		struct {
			const char	*kind, *value, *reason;
			long long	 created, expires, moderator;
		} ban;
		struct {
			long long	 at, moderator;
			const char	*actor, *action, *target;
			const char	*before, *after, *addr_hash;
		} audit;
		struct {
			const char	*source, *source_id;
			long long	 comment;
		} imported;
	} u;
};

/* What an export carries beside the tables. */
struct port_meta {
	char		 site[64];	/* the site's id (settings) */
	unsigned char	 secret[32];	/* the server secret */
	long long	 comment_seq;	/* the highest comment id ever used */
};

/*
 * store_port_each: every row of the table, in a fixed order (comments
 * parents first: by article, then in thread order; votes by comment and
 * voter; the rest by id), each handed to fn
 * with its strings in the arena, which is reset before each row; fn
 * returns 0 to go on, -1 to stop (then ST_INPUT).  Memory stays constant
 * however many rows there are.  Inside a read transaction the caller
 * opened (store_port_read_begin) for a consistent snapshot.
 */
enum status	 store_port_each(struct store *, enum port_table,
		    struct arena *, int (*fn)(void *, const struct port_row *),
		    void *arg);
/* store_port_read_begin, store_port_read_end: one snapshot for reads. */
enum status	 store_port_read_begin(struct store *);
void		 store_port_read_end(struct store *);
/* store_port_meta: the site's id, secret and comment sequence. */
enum status	 store_port_meta(struct store *, struct port_meta *);
/* store_port_seq: the highest comment id ever used (the next is
 * higher: ids are never reused). */
enum status	 store_port_seq(struct store *, long long *seq);
/* store_port_meta_set: take them over (a restore into an empty database):
 * the sequence only ever grows.  Inside the caller's transaction. */
enum status	 store_port_meta_set(struct store *, const struct port_meta *,
		    int with_secret);
/* store_port_empty: 1 in *empty when the database holds no article,
 * comment, account, ban, audit entry or import mark. */
enum status	 store_port_empty(struct store *, int *empty);

/*
 * store_port_put: insert a row as it is (a restore), with its id when
 * row->id is set; a comment with id 0 gets the next free id and *id (may
 * be NULL) says which.  A comment's parent must be in already (ST_NOTFOUND
 * otherwise); root, depth and thread order follow from it.  Counts are
 * the caller's (store_port_recount); a comment's vote counts and rank
 * and an article's vote counter are put as given, and a vote or report
 * moves none of them (store_port_voted).  ST_CONFLICT when the row
 * exists (a vote: its comment and voter), or a vote's or report's
 * comment does not.  Inside the caller's transaction.
 */
enum status	 store_port_put(struct store *, const struct port_row *,
		    long long *id);
/* store_port_bump: a new version of the article (its page changed). */
enum status	 store_port_bump(struct store *, long long article);
/* store_port_voted: the vote counter of comment id's article moves on,
 * as for a vote cast (a vote a merge added). */
enum status	 store_port_voted(struct store *, long long comment);
/* store_port_recount: every article's comment count from its comments. */
enum status	 store_port_recount(struct store *);

/*
 * store_port_comment_move: make comment id a reply to `parent`, its
 * replies moving with it (root, depth and thread order follow); the
 * article's version is bumped.  ST_NOTFOUND when either is missing or
 * they belong to different articles, ST_CONFLICT when parent is the
 * comment itself or one of its replies.  Inside the caller's transaction.
 */
enum status	 store_port_comment_move(struct store *, long long id,
		    long long parent);
/* store_port_article_rename: a new uri for the article (ST_CONFLICT when
 * another has it); its version is bumped.  Inside the caller's
 * transaction. */
enum status	 store_port_article_rename(struct store *, long long id,
		    const char *uri);
/* store_port_article_merge: every comment of article `from` moves to
 * `into` (threads whole), counts and versions follow, and `from` goes.
 * Inside the caller's transaction. */
enum status	 store_port_article_merge(struct store *, long long from,
		    long long into);

/* --- reading an Isso database (store_isso.c) ------------------------------ */

struct isso;

struct isso_comment {
	long long	 id;
	long long	 thread;
	const char	*uri;		/* its thread's */
	const char	*title;		/* its thread's, NULL: none */
	long long	 parent;	/* 0: top level */
	double		 created;	/* unix seconds */
	int		 mode;		/* 1 approved, 2 pending, 4 deleted */
	const char	*text;		/* Markdown */
	const char	*author, *email, *website;
	long long	 likes, dislikes;
};

/*
 * store_isso_open: an Isso database (comments.db) at path, read only and
 * guarded as a file from elsewhere should be (defensive mode, no
 * triggers or views run, its integrity checked first).  ST_INPUT with the
 * reason in err when it is not an Isso database; ST_IO when it cannot be
 * opened.
 */
enum status	 store_isso_open(const char *path, struct isso **,
		    char *err, size_t errsz);
/* store_isso_comments: every comment with its thread, thread by thread
 * (each in id order), to fn
 * (strings in the arena, reset before each; fn returns -1 to stop). */
enum status	 store_isso_comments(struct isso *, struct arena *,
		    int (*fn)(void *, const struct isso_comment *), void *arg);
/* store_isso_close: NULL ok. */
void		 store_isso_close(struct isso *);

/*
 * Checkpoints, for the writer's checkpointer (checkpoint.c): SQLite's
 * alone (its WAL); on PostgreSQL store_checkpoints is 0 and the other two
 * do nothing (the server checkpoints by itself).  Left to itself, SQLite
 * copies the WAL into the database file inside the COMMIT that takes the
 * WAL past 1,000 pages, and the batch committing waits.
 * store_checkpoint_manual: this connection's commits never do (someone
 * runs store_checkpoint instead); when it starts the WAL over, it cuts
 * the file back to 64 MiB.
 */
int		 store_checkpoints(struct store *);
void		 store_checkpoint_manual(struct store *);
/*
 * store_checkpoint: copy the WAL into the database file as far as readers
 * allow, waiting for no one (PASSIVE); with `restart`, first wait (up to
 * the busy timeout) until no reader needs the WAL, so that the next commit
 * starts it over (RESTART: writers wait too; the caller takes the
 * writers' turn first).  *frames receives the pages in the WAL, *copied
 * those now in the database file (either may be NULL).  ST_BUSY when
 * another checkpoint is running, or readers stayed: nothing is lost.
 */
enum status	 store_checkpoint(struct store *, int restart, long *frames,
		    long *copied);
/*
 * store_writer_turn: take the writers' turn now, before a batch is
 * gathered; it is kept until the next transaction of s ends (commit or
 * rollback).  SQLite: the lock file the processes' writers take turns on
 * (store_set_writer); PostgreSQL: nothing (writers run side by side).
 */
void		 store_writer_turn(struct store *);

#endif
