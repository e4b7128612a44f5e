/* test_pg.c: the store on PostgreSQL: migrations, every statement, the
 * calls, writers on many connections at once, lost connections, durable
 * commits, and moving a site between engines.  Needs the cluster of
 * tests/pg.sh (make unit-pg): PALAVER_TEST_PG names its directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "auth/auth.h"
#include "store/store.h"
/* White box: the connection of a store, its statements. */
#include "store/pg_int.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static const char	*cluster;
static int		 ndb;

/* A fresh database owned by the role palaver, and the store's URL. */
struct fx {
	char		 name[64];
	char		 url[512];
	char		 dir[64];
	unsigned char	 secret[AUTH_SECRET_LEN];
	struct store	*s;
	struct arena	 a;
};

/* SQL as the cluster's superuser, on database db. */
static void
admin(const char *db, const char *sql)
{
	char		 ci[512];
	PGconn		*pg;
	PGresult	*r;

	snprintf(ci, sizeof(ci), "host=%s user=postgres dbname=%s", cluster,
	    db);
	pg = PQconnectdb(ci);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(pg);
}

/* The first column of the first row, as an integer (superuser). */
static long long
admin_int(const char *db, const char *sql)
{
	char		 ci[512];
	PGconn		*pg;
	PGresult	*r;
	long long	 v = -1;

	snprintf(ci, sizeof(ci), "host=%s user=postgres dbname=%s", cluster,
	    db);
	pg = PQconnectdb(ci);
	assert_int_equal(PQstatus(pg), CONNECTION_OK);
	r = PQexec(pg, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(pg);
	return v;
}

static int
setup_empty(void **state)
{
	struct fx	*f;
	char		 sql[128];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	snprintf(f->name, sizeof(f->name), "unit_%d_%d", (int)getpid(), ++ndb);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s OWNER palaver", f->name);
	admin("postgres", sql);
	snprintf(f->url, sizeof(f->url), "postgresql:///%s?host=%s&user=palaver",
	    f->name, cluster);
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-test-pg-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	auth_secret_new(f->secret);
	return 0;
}

static int
setup(void **state)
{
	struct fx	*f;

	if (setup_empty(state) == -1)
		return -1;
	f = *state;
	if (store_migrate(f->url, f->secret, NULL, NULL) != ST_OK ||
	    store_open(f->url, &f->s) != ST_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 sql[128];

	if (f == NULL)
		return 0;
	store_close(f->s);
	arena_free(&f->a);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	    f->name);
	admin("postgres", sql);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* --- migrations ----------------------------------------------------------- */

static void
test_migrate(void **state)
{
	struct fx	*f = *state;
	unsigned char	 got[AUTH_SECRET_LEN], other[AUTH_SECRET_LEN];
	struct store	*s;
	char		 sql[256];
	int		 from = -1, to = -1;

	assert_int_equal(store_migrate(f->url, f->secret, &from, &to), ST_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, store_schema_version());
	assert_int_equal(admin_int(f->name, "SELECT version FROM "
	    "schema_version"), store_schema_version());
	/* Again: nothing to do, and the secret stays the first one. */
	auth_secret_new(other);
	assert_int_equal(store_migrate(f->url, other, &from, &to), ST_OK);
	assert_int_equal(from, to);
	assert_int_equal(store_open(f->url, &s), ST_OK);
	assert_int_equal(store_secret(s, got), ST_OK);
	assert_memory_equal(got, f->secret, sizeof(got));
	store_close(s);

	/* A newer database is refused. */
	admin(f->name, "UPDATE schema_version SET version = 999");
	assert_int_equal(store_migrate(f->url, f->secret, NULL, NULL),
	    ST_CONFLICT);

	/* So is a database that holds something else. */
	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", f->name);
	admin("postgres", sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s OWNER palaver", f->name);
	admin("postgres", sql);
	admin(f->name, "CREATE TABLE someone_elses (x int)");
	assert_int_equal(store_migrate(f->url, f->secret, NULL, NULL),
	    ST_CONFLICT);
	/* And a server that is not there is an error, not a hang. */
	assert_int_equal(store_migrate("postgresql:///none?host=/nonexistent",
	    f->secret, NULL, NULL), ST_DB);
	assert_int_equal(store_open("postgresql:///none?host=/nonexistent", &s),
	    ST_DB);
	assert_null(s);
}

/* Every statement of pg_sql.c prepares on the schema (types, names). */
static void
test_statements(void **state)
{
	struct fx	*f = *state;
	struct pg_conn	*c = f->s->h;
	PGresult	*r;
	char		 name[32];
	int		 i;

	static const int n[TB__MAX] = {
		[TB_CORE] = STMT__MAX, [TB_MAIL] = MS__MAX,
		[TB_DESK] = DSTMT__MAX,
	};
	int		 t;

	for (t = 0; t < TB__MAX; t++)
		for (i = 0; i < n[t]; i++) {
			snprintf(name, sizeof(name), "t%d_%d", t, i);
			r = PQprepare(c->pg, name, c->st[t][i].sql, 0, NULL);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				fail_msg("statement %d of table %d (%s): %s", i,
				    t, c->st[t][i].sql,
				    PQresultErrorMessage(r));
			PQclear(r);
		}
}

/* --- the calls -------------------------------------------------------------- */

static enum status
add(struct store *s, long long article, long long parent, const char *body,
    struct comment *c)
{
	memset(c, 0, sizeof(*c));
	c->article = article;
	c->parent = parent;
	c->author = "Zoë";
	c->email = "zoe@example.org";
	c->body = body;
	c->html = "<p>x</p>";
	c->status = CS_APPROVED;
	c->reasons = "";
	c->created = 100;
	return store_comment_add(s, c);
}

static void
test_calls(void **state)
{
	struct fx		*f = *state;
	struct article		 ar;
	struct comment		 c, d;
	struct queue_query	 q;
	struct queue_item	*v;
	struct thread_page	 pg;
	struct session		 se;
	struct feedback		 fb;
	unsigned char		 h[32];
	char			 fp[64];
	long long		 id, id2, n, period;
	size_t			 nv;
	int			 mine, hit;

	assert_int_equal(store_article_add(f->s, "/a/", "A", "b", "<p>b</p>",
	    10, &id), ST_OK);
	assert_true(id > 0);
	assert_int_equal(store_article_add(f->s, "/a/", "A", NULL, NULL, 10,
	    &id2), ST_CONFLICT);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);
	assert_string_equal(ar.uri, "/a/");
	assert_int_equal(ar.by_reader, 0);
	assert_int_equal(store_article_by_uri(f->s, &f->a, "/nope/", &ar),
	    ST_NOTFOUND);

	/* A thread: counts, version, the ordering key, the page. */
	assert_int_equal(add(f->s, id, 0, "café au lait", &c), ST_OK);
	assert_int_equal(add(f->s, id, c.id, "a reply", &d), ST_OK);
	assert_int_equal(d.root, c.id);
	assert_int_equal(d.depth, 1);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);
	assert_int_equal(ar.ncomments, 2);
	assert_int_equal(ar.version, 3);
	assert_int_equal(store_thread_page(f->s, &f->a, id, 0, 0, 10, NULL,
	    &pg), ST_OK);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.v[0].id, c.id);
	assert_int_equal(pg.v[1].id, d.id);
	assert_string_equal(pg.v[0].author, "Zoë");
	/* A parent of another article is not found. */
	assert_int_equal(store_article_add(f->s, "/b/", "B", NULL, NULL, 10,
	    &id2), ST_OK);
	assert_int_equal(add(f->s, id2, c.id, "elsewhere", &d), ST_NOTFOUND);

	/* The search folds case and accents, and takes any words. */
	memset(&q, 0, sizeof(q));
	q.status = CS_APPROVED;
	q.limit = 10;
	q.q = "CAFE";
	assert_int_equal(store_queue(f->s, &f->a, &q, &v, &nv), ST_OK);
	assert_int_equal(nv, 1);
	assert_int_equal(v[0].c.id, c.id);
	q.q = "example.org";
	assert_int_equal(store_queue(f->s, &f->a, &q, &v, &nv), ST_OK);
	assert_int_equal(nv, 2);
	q.q = "\") OR * & !";
	assert_int_equal(store_queue(f->s, &f->a, &q, &v, &nv), ST_OK);
	assert_int_equal(nv, 0);

	/* Accounts, sessions (a blob key, text csrf). */
	assert_int_equal(store_mod_add(f->s, "ann", "$argon2id$x", 1, 5, &n),
	    ST_OK);
	assert_int_equal(store_mod_add(f->s, "ann", "$argon2id$x", 1, 5, NULL),
	    ST_CONFLICT);
	memset(h, 0xab, sizeof(h));
	h[3] = 0;
	assert_int_equal(store_session_add(f->s, h, n, 100, 200, "csrf\\1"),
	    ST_OK);
	assert_int_equal(store_session_get(f->s, &f->a, h, 150, 0, &se), ST_OK);
	assert_string_equal(se.csrf, "csrf\\1");
	assert_string_equal(se.mod.name, "ann");
	assert_int_equal(se.mod.admin, 1);
	assert_int_equal(store_mod_count_admins(f->s, &n), ST_OK);
	assert_int_equal(n, 1);

	/* A form token once, then a replay; bans. */
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_form_token_use(f->s, h, 999, 1), ST_OK);
	assert_int_equal(store_form_token_use(f->s, h, 999, 1), ST_CONFLICT);
	/* The transaction goes on after the refusal. */
	assert_int_equal(store_ban_add(f->s, "email", "x@example.org", "r", 1, 0,
	    0, &n), ST_OK);
	assert_int_equal(store_tx_commit(f->s), ST_OK);
	assert_int_equal(store_ban_match(f->s, "X@example.org", &(struct
	    addr_keys){ NULL, NULL, NULL, NULL }, NULL, 2, &hit), ST_OK);
	assert_int_equal(hit, 1);

	/* The feedback queue: a correction once, leased. */
	assert_int_equal(store_spam_check_add(f->s, c.id, "{}", 1), ST_OK);
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_comment_set_status(f->s, c.id, CS_SPAM, NULL),
	    ST_OK);
	assert_int_equal(store_tx_commit(f->s), ST_OK);
	assert_int_equal(store_feedback_claim(f->s, &f->a, time(NULL),
	    time(NULL) + 60, &fb), ST_OK);
	assert_string_equal(fb.kind, "submit-spam");
	assert_string_equal(fb.input, "{}");
	assert_int_equal(store_feedback_claim(f->s, &f->a, time(NULL),
	    time(NULL) + 60, &fb), ST_NOTFOUND);

	/* Jobs: one caller a turn.  The key's fingerprint. */
	assert_int_equal(store_job_claim(f->s, "prune", 100, 700, &mine), ST_OK);
	assert_int_equal(mine, 1);
	assert_int_equal(store_job_claim(f->s, "prune", 200, 800, &mine), ST_OK);
	assert_int_equal(mine, 0);
	assert_int_equal(store_job_claim(f->s, "prune", 700, 1300, &mine),
	    ST_OK);
	assert_int_equal(mine, 1);
	assert_int_equal(store_key_check_get(f->s, &period, fp, sizeof(fp)),
	    ST_NOTFOUND);
	assert_int_equal(store_key_check_put(f->s, 7, "00ff"), ST_OK);
	assert_int_equal(store_key_check_get(f->s, &period, fp, sizeof(fp)),
	    ST_OK);
	assert_int_equal(period, 7);
	assert_string_equal(fp, "00ff");
	arena_reset(&f->a);
}

/* --- many writers at once --------------------------------------------------- */

#define WRITERS		8
#define EACH		25

struct writer_arg {
	const char	*url;
	long long	 article;
	const char	*uri;		/* first comments: the thread's uri */
	int		 failed;
};

static enum status
first_job(struct store *s, void *arg)
{
	struct writer_arg	*w = arg;
	struct comment		 c;
	enum status		 st;

	memset(&c, 0, sizeof(c));
	st = store_article_add_reader(s, w->uri, NULL, 1, &c.article);
	if (st == ST_CONFLICT)
		st = store_article_id(s, w->uri, &c.article);
	if (st != ST_OK)
		return st;
	c.author = "x";
	c.body = "first";
	c.html = "<p>first</p>";
	c.status = CS_APPROVED;
	c.reasons = "";
	c.created = 1;
	return store_comment_insert(s, &c);
}

static void *
writer_main(void *p)
{
	struct writer_arg	*w = p;
	struct store		*s;
	struct comment		 c;
	long long		 last = 0;
	int			 i;

	if (store_open(w->url, &s) != ST_OK) {
		w->failed = 1;
		return NULL;
	}
	for (i = 0; i < EACH; i++) {
		if (w->uri != NULL) {
			if (store_tx_run(s, first_job, w) != ST_OK)
				w->failed++;
			continue;
		}
		/* Replies to the previous one, or to the top. */
		if (add(s, w->article, i % 3 ? last : 0, "many", &c) != ST_OK)
			w->failed++;
		else
			last = c.id;
	}
	store_close(s);
	return NULL;
}

static void
run_writers(struct writer_arg *w)
{
	pthread_t	 t[WRITERS];
	int		 i;

	for (i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer_main,
		    &w[i]), 0);
	for (i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < WRITERS; i++)
		assert_int_equal(w[i].failed, 0);
}

static void
test_writers(void **state)
{
	struct fx		*f = *state;
	struct writer_arg	 w[WRITERS];
	struct article		 ar;
	long long		 id;
	int			 i;

	assert_int_equal(store_article_add(f->s, "/busy/", "Busy", NULL, NULL,
	    1, &id), ST_OK);
	for (i = 0; i < WRITERS; i++)
		w[i] = (struct writer_arg){ f->url, id, NULL, 0 };
	run_writers(w);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);
	assert_int_equal(ar.ncomments, WRITERS * EACH);
	assert_int_equal(ar.version, 1 + WRITERS * EACH);
	assert_int_equal(admin_int(f->name, "SELECT count(*) FROM comments"),
	    WRITERS * EACH);
	/* Every key once; every reply under its parent's root, one deeper. */
	assert_int_equal(admin_int(f->name, "SELECT count(DISTINCT path) FROM "
	    "comments"), WRITERS * EACH);
	assert_int_equal(admin_int(f->name, "SELECT count(*) FROM comments c "
	    "JOIN comments p ON p.id = c.parent WHERE c.root <> p.root OR "
	    "c.depth <> p.depth + 1 OR substr(c.path, 1, length(p.path)) <> "
	    "p.path"), 0);

	/* First comments on one new thread from every writer at once. */
	for (i = 0; i < WRITERS; i++)
		w[i] = (struct writer_arg){ f->url, 0, "/new/thread/", 0 };
	run_writers(w);
	assert_int_equal(admin_int(f->name, "SELECT count(*) FROM articles "
	    "WHERE uri = '/new/thread/'"), 1);
	assert_int_equal(admin_int(f->name, "SELECT ncomments FROM articles "
	    "WHERE uri = '/new/thread/'"), WRITERS * EACH);
	arena_reset(&f->a);
}

/* --- the connection ----------------------------------------------------------- */

static void
terminate(struct fx *f, struct store *s)
{
	char	 sql[128];
	int	 pid = PQbackendPID(pg_conn(s));

	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)", pid);
	admin(f->name, sql);
}

/* A connection the server dropped fails once, clearly, and is made again
 * for the next call; a transaction it held is gone, and said so. */
static void
test_reconnect(void **state)
{
	struct fx	*f = *state;
	struct article	 ar;
	long long	 id;

	assert_int_equal(store_article_add(f->s, "/r/", "R", NULL, NULL, 1, &id),
	    ST_OK);
	log_quiet(1);
	terminate(f, f->s);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_BUSY);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);

	assert_int_equal(store_tx_begin(f->s), ST_OK);
	terminate(f, f->s);
	assert_int_equal(store_article_title(f->s, id, "lost"), ST_BUSY);
	assert_int_equal(store_article_title(f->s, id, "lost"), ST_BUSY);
	store_tx_rollback(f->s);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);
	/* Dropped while idle, found at BEGIN: made again at once. */
	terminate(f, f->s);
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_article_title(f->s, id, "kept"), ST_OK);
	assert_int_equal(store_tx_commit(f->s), ST_OK);
	log_quiet(0);
	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);
	assert_string_equal(ar.title, "kept");
	arena_reset(&f->a);
}

/* A server whose synchronous_commit is off still commits palaver's
 * transactions durably; an aborted transaction's COMMIT is a failure. */
static void
test_durable(void **state)
{
	struct fx	*f = *state;
	struct store	*s;
	PGresult	*r;
	char		 sql[128];
	long long	 id;

	snprintf(sql, sizeof(sql), "ALTER DATABASE %s SET synchronous_commit "
	    "= off", f->name);
	admin("postgres", sql);
	log_quiet(1);
	assert_int_equal(store_open(f->url, &s), ST_OK);
	assert_int_equal(store_tx_begin(s), ST_OK);
	r = PQexec(pg_conn(s), "SHOW synchronous_commit");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(r, 0, 0), "on");
	PQclear(r);
	store_tx_rollback(s);

	assert_int_equal(store_tx_begin(s), ST_OK);
	r = PQexec(pg_conn(s), "SELECT 1/0");
	PQclear(r);
	assert_int_not_equal(store_tx_commit(s), ST_OK);
	log_quiet(0);
	assert_int_equal(store_article_add(s, "/d/", "D", NULL, NULL, 1, &id),
	    ST_OK);
	store_close(s);
}

/* Advisory locks keep two hosts' check-then-write apart. */
static void
test_xlock(void **state)
{
	struct fx	*f = *state;
	struct login_counts lc;
	struct addr_keys k = { "a", NULL, "n", NULL };

	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_login_failures(f->s, "ann", &k, 0, &lc), ST_OK);
	assert_int_equal(admin_int(f->name, "SELECT pg_try_advisory_xact_lock("
	    PG_LOCK_SPACE ", hashtext('login'))::int"), 0);
	store_tx_rollback(f->s);
	assert_int_equal(admin_int(f->name, "SELECT pg_try_advisory_xact_lock("
	    PG_LOCK_SPACE ", hashtext('login'))::int"), 1);
}

/* --- moving a site -------------------------------------------------------------- */

/* Every row of a SQLite database, table by table, as text. */
static char *
dump(const char *path)
{
	static const char *const q[] = {
		"SELECT key, hex(value) FROM settings ORDER BY key",
		"SELECT * FROM articles ORDER BY id",
		"SELECT * FROM moderators ORDER BY id",
		"SELECT id, article, parent, root, depth, hex(path), author, "
		    "email, website, body, html, status, score, reasons, "
		    "created, edited, edited_by, addr_hash, user_agent, "
		    "body_hash, up, down, best FROM comments ORDER BY id",
		"SELECT hex(token_hash), moderator, created, seen, expires, "
		    "hex(csrf) FROM sessions ORDER BY 1",
		"SELECT * FROM bans ORDER BY id",
		"SELECT * FROM audit ORDER BY id",
		"SELECT * FROM feedback ORDER BY id",
		"SELECT * FROM spam_checks ORDER BY comment",
		"SELECT * FROM imported ORDER BY source, source_id",
		"SELECT * FROM votes ORDER BY comment, voter",
		"SELECT * FROM vote_log ORDER BY id",
		"SELECT * FROM reports ORDER BY id",
		"SELECT name, seq FROM sqlite_sequence ORDER BY name",
		"SELECT rowid FROM comments_fts WHERE comments_fts MATCH "
		    "'many' ORDER BY rowid",
	};
	sqlite3		*db;
	sqlite3_stmt	*st;
	size_t		 i, len = 0, cap = 1 << 16;
	char		*out = malloc(cap);
	int		 k;

	assert_non_null(out);
	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	for (i = 0; i < NITEMS(q); i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &st, NULL),
		    SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (k = 0; k < sqlite3_column_count(st); k++) {
				const char *t = (const char *)
				    sqlite3_column_text(st, k);
				size_t n = t != NULL ? strlen(t) : 4;

				if (len + n + 2 >= cap) {
					cap *= 2;
					assert_non_null(out = realloc(out, cap));
				}
				len += (size_t)snprintf(out + len, cap - len,
				    "%s%c", t != NULL ? t : "NULL",
				    k + 1 < sqlite3_column_count(st) ? '|' :
				    '\n');
			}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return out;
}

static void
test_copy(void **state)
{
	struct fx	*f = *state;
	struct store	*s;
	struct comment	 c, d;
	struct addr_keys k = { "a", NULL, "n", NULL };
	unsigned char	 h[32], fresh[AUTH_SECRET_LEN];
	char		 a_db[128], b_db[128], *before, *after;
	long long	 id, mod, rows = 0, max, up, down, art, open;
	int		 i, counted;

	/* A site on SQLite, with something in every kind of row. */
	snprintf(a_db, sizeof(a_db), "%s/a.db", f->dir);
	snprintf(b_db, sizeof(b_db), "%s/b.db", f->dir);
	assert_int_equal(store_migrate(a_db, f->secret, NULL, NULL), ST_OK);
	assert_int_equal(store_open(a_db, &s), ST_OK);
	assert_int_equal(store_article_add(s, "/m/", "M", NULL, NULL, 1, &id),
	    ST_OK);
	for (i = 0; i < 30; i++)
		assert_int_equal(add(s, id, i % 4 ? c.id : 0, "many", &c), ST_OK);
	/* The newest comment is taken back: its id is never used again. */
	assert_int_equal(add(s, id, 0, "gone", &d), ST_OK);
	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_comment_remove(s, d.id), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
	assert_int_equal(store_mod_add(s, "ann", "$argon2id$h", 1, 5, &mod),
	    ST_OK);
	memset(h, 0x5a, sizeof(h));
	assert_int_equal(store_session_add(s, h, mod, 1, 2, "csrf"), ST_OK);
	assert_int_equal(store_ban_add(s, "prefix", "192.0.2.0/24", "r", 1, 0,
	    mod, NULL), ST_OK);
	assert_int_equal(store_audit_add(s, mod, "ann", "ban", "ban:1", NULL,
	    NULL, "h", 3), ST_OK);
	assert_int_equal(store_spam_check_add(s, c.id, "{\"a\":1}", 4), ST_OK);
	/* A vote and a report (settled below, by the spam verdict). */
	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_vote(s, c.id, "voter", &k, 1, 6, &up, &down,
	    &art), ST_OK);
	assert_int_equal(store_comment_set_best(s, c.id, 0.25), ST_OK);
	assert_int_equal(store_vote_log(s, &k, 6), ST_OK);
	assert_int_equal(store_report(s, c.id, RR_SPAM, "no", &k, 7, &counted,
	    &open), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_comment_set_status(s, c.id, CS_SPAM, NULL), ST_OK);
	assert_int_equal(store_import_mark(s, "disqus", "p1", c.id), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
	store_close(s);
	before = dump(a_db);

	/* Into PostgreSQL, and back into a new SQLite file. */
	auth_secret_new(fresh);
	assert_int_equal(store_copy(a_db, f->url, fresh, &rows), ST_OK);
	assert_true(rows > 35);
	assert_int_equal(store_copy(f->url, b_db, fresh, &rows), ST_OK);
	after = dump(b_db);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* Ids go on after the copied ones on PostgreSQL, past the one that
	 * was taken back. */
	max = admin_int(f->name, "SELECT max(id) FROM comments");
	assert_true(max < d.id);
	assert_int_equal(store_open(f->url, &f->s), ST_OK);
	assert_int_equal(add(f->s, id, 0, "after the move", &c), ST_OK);
	assert_true(c.id > d.id);
	/* The copy into a database with data is refused, and changes
	 * nothing. */
	log_quiet(1);
	assert_int_equal(store_copy(a_db, f->url, fresh, NULL), ST_CONFLICT);
	log_quiet(0);
	assert_int_equal(admin_int(f->name, "SELECT count(*) FROM comments"),
	    31);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate, setup_empty,
		    teardown),
		cmocka_unit_test_setup_teardown(test_statements, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_durable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup_empty,
		    teardown),
	};

	if ((cluster = getenv("PALAVER_TEST_PG")) == NULL || *cluster == '\0') {
		fprintf(stderr, "test_pg: needs a cluster: make unit-pg (or "
		    "sh tests/pg.sh run build/asan/test_pg)\n");
		return 1;
	}
	if (auth_init() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
