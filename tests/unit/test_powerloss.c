/* test_powerloss.c: power cut at random points under a posting load: no acknowledged comment lost, the database sound */
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
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "auth/auth.h"
#include "store/store.h"
#include "domain/writer.h"

#include "powerloss.h"

/*
 * A power cut loses what the operating system held in its page cache:
 * every write made to a file since that file's last fsync.  powerloss.h
 * plays the page cache as a VFS shim and cuts the power after a random
 * number of writes, truncations and syncs; from then on every file
 * operation fails, so nothing more is acknowledged.  What was not synced
 * is thrown away (or, in about a third of the rounds, a random part of
 * it is kept), the -shm file is lost as on a reboot, and SQLite's real VFS
 * opens the files: every comment whose commit was acknowledged must be
 * there, nothing else (when nothing unsynced was kept), and the database,
 * its search index and its counts sound.
 *
 * The load is palaver's own: comments inserted by store_comment_insert
 * jobs that POSTERS threads hand to the group-commit writer (writer.c),
 * on a store opened as palaver opens it (synchronous=FULL).  Replies go
 * under acknowledged comments, so threads grow past the key's 8 levels.
 *
 * PALAVER_POWERLOSS_CUTS (default 250) stretches a run;
 * PALAVER_POWERLOSS_SEED (printed; default from the time) repeats its cut
 * points and choices, though not the threads' timing.
 */

#define POSTERS		4
#define CUTS		250
/* Cut points are drawn from 1..MAX_OPS; a commit is a dozen or so.  In
 * every fourth round the cut comes at one of the first MAX_DB_OPS writes
 * and syncs of the database file instead, which happen only in
 * checkpoints (every 1,000 WAL pages), so that many cuts land in one. */
#define MAX_OPS		3000
#define MAX_DB_OPS	300
/* A fresh database every ROUNDS_PER_DB cuts keeps the checks cheap; in
 * between, the WAL is kept from one round to the next. */
#define ROUNDS_PER_DB	20

/* --- a small random generator (splitmix64), seeded for repeats --------- */

static uint64_t
splitmix(uint64_t *state)
{
	uint64_t	 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The main thread's; each poster has its own. */
static uint64_t	 rng_state;

static uint64_t
rng(void)
{
	return splitmix(&rng_state);
}

/* --- the load ------------------------------------------------------------ */

/* An acknowledged comment. */
struct ack {
	long long	 id;
	char		 body[48];
};

static struct {
	pthread_mutex_t	 mu;
	struct ack	*v;
	size_t		 n, cap;
	long		 unexpected;	/* failures before the cut */
	int		 stop;
} acks = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0, 0 };

struct poster {
	pthread_t	 tid;
	struct writer	*w;
	long long	 article;
	int		 no;
	int		 round;
	uint64_t	 rng;
	long		 posted;
};

struct post_job {
	struct comment	 c;
};

/* What a request thread hands the writer: one comment, in the shared
 * transaction, as post.c's job does. */
static enum status
post_job(struct store *s, void *arg)
{
	struct post_job	*j = arg;

	return store_comment_insert(s, &j->c);
}

static void
ack_add(long long id, const char *body)
{
	pthread_mutex_lock(&acks.mu);
	if (acks.n == acks.cap) {
		size_t		 cap = acks.cap ? acks.cap * 2 : 1024;
		struct ack	*v = realloc(acks.v, cap * sizeof(*v));

		if (v == NULL) {
			acks.unexpected++;
			pthread_mutex_unlock(&acks.mu);
			return;
		}
		acks.v = v;
		acks.cap = cap;
	}
	acks.v[acks.n].id = id;
	snprintf(acks.v[acks.n].body, sizeof(acks.v[acks.n].body), "%s",
	    body);
	acks.n++;
	pthread_mutex_unlock(&acks.mu);
}

/* Half the comments answer an acknowledged one (often the latest, so
 * chains grow deep), the rest start threads. */
static long long
pick_parent(struct poster *p)
{
	long long	 parent = 0;
	uint64_t	 r = splitmix(&p->rng);

	pthread_mutex_lock(&acks.mu);
	if (acks.n > 0 && r % 2 == 0)
		parent = acks.v[r % 4 == 0 ? acks.n - 1 : (r >> 8) %
		    acks.n].id;
	pthread_mutex_unlock(&acks.mu);
	return parent;
}

static void *
poster_main(void *arg)
{
	struct poster	*p = arg;
	struct post_job	 j;
	char		 body[48];
	enum status	 st;
	int		 stop;

	for (;;) {
		pthread_mutex_lock(&acks.mu);
		stop = acks.stop;
		pthread_mutex_unlock(&acks.mu);
		if (stop || pl_is_cut())
			break;
		snprintf(body, sizeof(body), "r%d p%d n%ld", p->round, p->no,
		    p->posted++);
		memset(&j, 0, sizeof(j));
		j.c.article = p->article;
		j.c.parent = pick_parent(p);
		j.c.author = "Poster";
		j.c.body = body;
		j.c.html = "<p>power</p>\n";
		j.c.status = CS_APPROVED;
		j.c.reasons = "";
		j.c.created = 1;
		st = writer_run(p->w, post_job, &j);
		if (st == ST_OK)
			ack_add(j.c.id, body);
		else if (!pl_is_cut()) {
			pthread_mutex_lock(&acks.mu);
			acks.unexpected++;
			pthread_mutex_unlock(&acks.mu);
		}
	}
	return NULL;
}

/* --- checking what the disk kept ----------------------------------------- */

static int
ack_cmp(const void *a, const void *b)
{
	const struct ack	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static long long
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st = NULL;
	long long	 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct tally {
	long	 rounds, torn, kept, cut_db, cut_wal, phantoms, acked;
	long	 max_depth;
};

/*
 * Open what the disk kept with the real VFS, as palaver would after the
 * reboot, and check it.  The WAL stays for the next round
 * (NO_CKPT_ON_CLOSE), so later rounds recover from it again and cut
 * checkpoints half done.
 */
static void
check(const char *path, long long article, int exact, struct tally *t)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	struct store	*s = NULL;
	size_t		 i = 0;
	long long	 rows = 0;
	char		*msg = NULL;
	int		 rc;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_db_config(db,
	    SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
			fail_msg("integrity_check: %s",
			    sqlite3_column_text(st, 0));
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "INSERT INTO comments_fts (comments_fts) "
	    "VALUES ('integrity-check')", NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("search index: %s", msg);
	assert_int_equal(one_int(db, "SELECT count(*) FROM "
	    "pragma_foreign_key_check"), 0);
	assert_int_equal(one_int(db, "SELECT count(*) FROM fts_pending"), 0);

	/* Palaver opens it and prepares every statement. */
	assert_int_equal(store_open(path, &s), ST_OK);
	store_close(s);

	/* Every acknowledged comment, under its id; with nothing unsynced
	 * kept, nothing else. */
	qsort(acks.v, acks.n, sizeof(*acks.v), ack_cmp);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, body FROM comments "
	    "ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long	 id = sqlite3_column_int64(st, 0);
		const char	*body = (const char *)sqlite3_column_text(st, 1);

		rows++;
		while (i < acks.n && acks.v[i].id < id)
			fail_msg("acknowledged comment %lld (%s) is lost",
			    acks.v[i].id, acks.v[i].body);
		if (i < acks.n && acks.v[i].id == id) {
			if (strcmp(acks.v[i].body, body) != 0)
				fail_msg("comment %lld is \"%s\", acknowledged "
				    "as \"%s\"", id, body, acks.v[i].body);
			i++;
		} else if (exact)
			fail_msg("comment %lld (%s) was never acknowledged", id,
			    body);
		else
			t->phantoms++;
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	if (i < acks.n)
		fail_msg("acknowledged comment %lld (%s) is lost",
		    acks.v[i].id, acks.v[i].body);
	/* The article's count moved with every comment, in the same
	 * transaction. */
	{
		char	 sql[96];

		snprintf(sql, sizeof(sql), "SELECT ncomments FROM articles "
		    "WHERE id = %lld", article);
		assert_int_equal(one_int(db, sql), rows);
	}
	rows = one_int(db, "SELECT max(depth) FROM comments");
	if (rows > t->max_depth)
		t->max_depth = (long)rows;
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}


/* --- the rounds ------------------------------------------------------------ */

static void
copy_file(const char *from, const char *to)
{
	FILE	*in, *out;
	char	 buf[65536];
	size_t	 n;

	assert_non_null(in = fopen(from, "rb"));
	assert_non_null(out = fopen(to, "wb"));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/*
 * One round: post until the power goes at operation `at` (or the
 * database's `db_at`), settle, check.  palaver logs every failure after
 * the cut; that goes to `log`, shown only when something fails before.
 */
static void
round_run(const char *path, const char *log, long long article, int round,
    long at, long db_at, int torn, struct tally *t)
{
	struct poster	 p[POSTERS];
	struct writer	*w;
	char		 shm[600], line[512];
	FILE		*fp;
	int		 i, saved;

	fflush(stderr);
	assert_true((saved = dup(2)) != -1);
	assert_non_null(fp = fopen(log, "w"));
	assert_int_equal(dup2(fileno(fp), 2), 2);
	fclose(fp);
	pl_arm(at, db_at);
	store_set_vfs("powerloss");
	w = writer_new(path);
	store_set_vfs(NULL);
	assert_non_null(w);
	acks.stop = 0;
	for (i = 0; i < POSTERS; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].w = w;
		p[i].article = article;
		p[i].no = i;
		p[i].round = round;
		p[i].rng = rng();
		assert_int_equal(pthread_create(&p[i].tid, NULL, poster_main,
		    &p[i]), 0);
	}
	if (!pl_wait_cut(60))
		fail_msg("round %d: no cut after 60 s (at %ld)", round, at);
	pthread_mutex_lock(&acks.mu);
	acks.stop = 1;
	pthread_mutex_unlock(&acks.mu);
	for (i = 0; i < POSTERS; i++)
		pthread_join(p[i].tid, NULL);
	writer_free(w);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	if (acks.unexpected > 0 && (fp = fopen(log, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			fputs(line, stderr);
		fclose(fp);
	}
	assert_int_equal(acks.unexpected, 0);

	t->rounds++;
	t->cut_db += pl.cut_db;
	t->cut_wal += pl.cut_wal;
	if (torn)
		t->torn++;
	t->kept += pl_settle(torn, rng);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(shm);
	check(path, article, !torn, t);
}

static void
test_power_loss(void **state)
{
	char		 dir[64], tmpl[128], db[128], side[160], log[128];
	unsigned char	 secret[AUTH_SECRET_LEN];
	struct store	*s = NULL;
	struct tally	 t;
	long long	 article = 0;
	const char	*e;
	long		 cuts = CUTS, r;
	uint64_t	 seed;
	time_t		 t0 = time(NULL);

	(void)state;
	memset(&t, 0, sizeof(t));
	seed = (e = getenv("PALAVER_POWERLOSS_SEED")) != NULL ?
	    strtoull(e, NULL, 10) : (uint64_t)time(NULL) ^ (uint64_t)getpid();
	if ((e = getenv("PALAVER_POWERLOSS_CUTS")) != NULL)
		cuts = strtol(e, NULL, 10);
	rng_state = seed;
	print_message("# power loss: %ld cuts, PALAVER_POWERLOSS_SEED=%llu\n",
	    cuts, (unsigned long long)seed);

	snprintf(dir, sizeof(dir), "/tmp/palaver-powerloss-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(tmpl, sizeof(tmpl), "%s/template.db", dir);
	snprintf(db, sizeof(db), "%s/palaver.db", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	/* The starting point, made and closed with the real VFS. */
	auth_secret_new(secret);
	assert_int_equal(store_migrate(tmpl, secret, NULL, NULL), ST_OK);
	assert_int_equal(store_open(tmpl, &s), ST_OK);
	assert_int_equal(store_article_add(s, "/power/", "Power", NULL, NULL,
	    1, &article), ST_OK);
	store_close(s);
	pl_register();

	for (r = 0; r < cuts; r++) {
		if (r % ROUNDS_PER_DB == 0) {
			copy_file(tmpl, db);
			snprintf(side, sizeof(side), "%s-wal", db);
			unlink(side);
			snprintf(side, sizeof(side), "%s-shm", db);
			unlink(side);
			t.acked += (long)acks.n;
			acks.n = 0;
		}
		if (r % 4 == 3)
			round_run(db, log, article, (int)r, 0,
			    1 + (long)(rng() % MAX_DB_OPS), rng() % 3 == 0, &t);
		else
			round_run(db, log, article, (int)r,
			    1 + (long)(rng() % MAX_OPS), 0, rng() % 3 == 0, &t);
	}
	t.acked += (long)acks.n;
	print_message("# %ld cuts in %lld s: %ld comments acknowledged, all "
	    "kept; cuts with unsynced WAL writes %ld, in a checkpoint %ld; %ld "
	    "torn rounds kept %ld unsynced writes (%ld comments committed but "
	    "not acknowledged came back); threads %ld deep\n", t.rounds,
	    (long long)(time(NULL) - t0), t.acked, t.cut_wal, t.cut_db, t.torn,
	    t.kept, t.phantoms, t.max_depth);
	assert_int_equal(sqlite3_vfs_unregister(&pl_vfs), SQLITE_OK);
	free(acks.v);
	unit_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_loss),
	};

	if (auth_init() == -1) {
		fprintf(stderr, "test_powerloss: libsodium will not start\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
