/* test_writer.c: group commit: jobs from many threads, one durable database,
 * each job's failure undone alone, batches cut at BATCH_MAX and BATCH_USEC,
 * a WAL kept bounded by the background checkpointer */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <sys/syscall.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "auth/auth.h"
#include "core/status.h"
#include "store/store.h"
#include "domain/writer.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
/* writer.c takes at most this many jobs into one transaction, and no more
 * once it has run this long (microseconds). */
#define BATCH_MAX	256
#define BATCH_USEC	20000
/* Long enough that no batch is cut by time, however slow the machine. */
#define NO_CUT_USEC	(60L * 1000 * 1000)
/* checkpoint.c starts the WAL over once it holds this many pages. */
#define RESTART_PAGES	8192
/* However slow the machine, a thread is queued or a plug runs by then. */
#define DEADLINE_MS	20000

struct fx {
	char		 dir[64];
	char		 db[128];
	struct writer	*w;
	sqlite3		*rd;	/* read-only: what other connections see */
	long		 runs;	/* jobs run so far (the writer thread's) */
};

/*
 * A job adds an article at its own uri, then returns `ret`: on anything
 * but ST_OK the writer must undo the article.  It notes, from the writer
 * thread, how often it ran, in which place, what the insert said and how
 * many articles other connections saw committed then (the same count for
 * every job of one batch, as nothing commits in between).
 */
struct job {
	struct fx	*fx;
	char		 uri[48];
	enum status	 ret;
	int		 runs;
	long		 place;
	enum status	 add;
	long long	 committed;
	enum status	 got;	/* what writer_run returned */
	_Atomic pid_t	 tid;	/* the submitting thread's, once it runs */
	int		 sleep_ms;	/* how long the job takes */
	long long	 began, ended;	/* when it ran (monotonic, us) */
};

static long long
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long
now_ms(void)
{
	return now_us() / 1000;
}

static long long
count(sqlite3 *db, const char *uri)
{
	sqlite3_stmt	*st = NULL;
	long long	 n = -1;

	if (sqlite3_prepare_v2(db, uri == NULL ?
	    "SELECT count(*) FROM articles" :
	    "SELECT count(*) FROM articles WHERE uri = ?1", -1, &st,
	    NULL) == SQLITE_OK &&
	    (uri == NULL || sqlite3_bind_text(st, 1, uri, -1,
	    SQLITE_STATIC) == SQLITE_OK) && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* How many articles at uri (NULL: all) a fresh connection sees. */
static long long
count_fresh(const struct fx *f, const char *uri)
{
	sqlite3		*db = NULL;
	long long	 n = -1;

	if (sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK)
		n = count(db, uri);
	sqlite3_close(db);
	return n;
}

static enum status
job_fn(struct store *s, void *arg)
{
	struct job	*j = arg;
	long long	 id;

	j->began = now_us();
	j->runs++;
	j->place = j->fx->runs++;
	j->committed = count(j->fx->rd, NULL);
	j->add = store_article_add(s, j->uri, "a title", NULL, NULL, 1, &id);
	if (j->sleep_ms > 0)
		usleep((useconds_t)j->sleep_ms * 1000);
	j->ended = now_us();
	return j->ret;
}

static void
job_init(struct job *j, struct fx *f, const char *what, size_t i,
    enum status ret)
{
	memset(j, 0, sizeof(*j));
	j->fx = f;
	j->ret = ret;
	j->got = ST__MAX;
	snprintf(j->uri, sizeof(j->uri), "/%s/%zu/", what, i);
}

/* The job ran once, its insert worked, writer_run returned its status,
 * and its article is there for everyone exactly when it succeeded. */
static void
job_check(const struct job *j)
{
	long long	 want = j->ret == ST_OK, n = count_fresh(j->fx, j->uri);

	if (j->runs != 1 || j->add != ST_OK || j->got != j->ret || n != want)
		fail_msg("%s: ran %d times, insert %s, returned %s (want %s), "
		    "%lld kept (want %lld)", j->uri, j->runs,
		    status_str(j->add), status_str(j->got),
		    status_str(j->ret), n, want);
}

static int
setup(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	if (unit_scratch(f->dir, sizeof(f->dir), f->db, sizeof(f->db)) == -1 ||
	    (f->w = writer_new(f->db)) == NULL ||
	    sqlite3_open_v2(f->db, &f->rd, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	if (f == NULL)
		return 0;
	writer_free(f->w);
	sqlite3_close(f->rd);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* --- one job at a time: each status passed through ----------------------- */

static const enum status statuses[] = {
	ST_OK, ST_NOMEM, ST_DB, ST_BUSY, ST_NOTFOUND, ST_INPUT, ST_CONFLICT,
	ST_FORBIDDEN, ST_TOOBIG, ST_IO, ST_LIMIT, ST_OK,
};

static void
test_statuses(void **state)
{
	struct fx	*f = *state;
	struct job	 j[NITEMS(statuses)];
	size_t		 i;

	for (i = 0; i < NITEMS(statuses); i++) {
		job_init(&j[i], f, "alone", i, statuses[i]);
		j[i].got = writer_run(f->w, job_fn, &j[i]);
		job_check(&j[i]);
	}
	assert_int_equal(count_fresh(f, NULL), 2);
}

/* --- many threads, many jobs each ---------------------------------------- */

#define NTHREADS	8
#define NJOBS		40

struct poster {
	struct fx	*fx;
	struct job	 jobs[NJOBS];
	pthread_t	 tid;
};

static void *
poster_thread(void *arg)
{
	struct poster	*p = arg;
	size_t		 i;

	for (i = 0; i < NJOBS; i++)
		p->jobs[i].got = writer_run(p->fx->w, job_fn, &p->jobs[i]);
	return NULL;
}

static void
test_many_threads(void **state)
{
	struct fx	*f = *state;
	struct poster	*p;
	char		 what[16];
	size_t		 t, i;

	p = calloc(NTHREADS, sizeof(*p));
	assert_non_null(p);
	for (t = 0; t < NTHREADS; t++) {
		p[t].fx = f;
		snprintf(what, sizeof(what), "t%zu", t);
		/* Every fifth job fails, from every thread. */
		for (i = 0; i < NJOBS; i++)
			job_init(&p[t].jobs[i], f, what, i,
			    i % 5 == 4 ? ST_CONFLICT : ST_OK);
	}
	for (t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_create(&p[t].tid, NULL,
		    poster_thread, &p[t]), 0);
	for (t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_join(p[t].tid, NULL), 0);
	for (t = 0; t < NTHREADS; t++)
		for (i = 0; i < NJOBS; i++)
			job_check(&p[t].jobs[i]);
	assert_int_equal(f->runs, NTHREADS * NJOBS);
	assert_int_equal(count_fresh(f, NULL), NTHREADS * NJOBS * 4 / 5);
	/* On disk, not only in this process: closed and opened again. */
	writer_free(f->w);
	f->w = NULL;
	sqlite3_close(f->rd);
	f->rd = NULL;
	assert_int_equal(count_fresh(f, NULL), NTHREADS * NJOBS * 4 / 5);
	free(p);
}

/* --- batches: jobs queued while the writer is busy ----------------------- */

/*
 * A plug is a job that holds the writer thread (inside its transaction)
 * until released: whatever is submitted meanwhile waits in the queue and
 * goes into the next batches together.
 */
struct plug {
	struct fx	*fx;
	atomic_int	 running, release;
	enum status	 got;
	pthread_t	 tid;
};

static enum status
plug_fn(struct store *s, void *arg)
{
	struct plug	*p = arg;

	(void)s;
	p->fx->runs++;
	atomic_store(&p->running, 1);
	while (!atomic_load(&p->release))
		usleep(1000);
	return ST_OK;
}

static void *
plug_thread(void *arg)
{
	struct plug	*p = arg;

	p->got = writer_run(p->fx->w, plug_fn, p);
	return NULL;
}

static void *
submit_thread(void *arg)
{
	struct job	*j = arg;

	atomic_store(&j->tid, (pid_t)syscall(SYS_gettid));
	j->got = writer_run(j->fx->w, job_fn, j);
	return NULL;
}

/* 1 when the thread is asleep (state S), not running or runnable. */
static int
asleep(pid_t tid)
{
	char	 path[64], line[512], *p;
	FILE	*fp;
	int	 s = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), fp) != NULL &&
	    (p = strrchr(line, ')')) != NULL)
		s = p[1] == ' ' && p[2] == 'S';
	fclose(fp);
	return s;
}

/*
 * Wait until n jobs are queued (the writer is in the plug, so none is
 * taken), and with `extra`, until that thread sleeps, twice in a row.
 */
static void
wait_queued(struct writer *w, size_t n, const pid_t *extra)
{
	long long	 t0 = now_ms();
	int		 calm = 0;

	while (writer_pending(w) < n || (extra != NULL && calm < 2)) {
		if (now_ms() - t0 > DEADLINE_MS)
			fail_msg("submitters not queued after %d ms",
			    DEADLINE_MS);
		usleep(5000);
		if (extra != NULL && asleep(*extra))
			calm++;
		else
			calm = 0;
	}
	assert_int_equal(writer_pending(w), n);
}

/* writer_free from a thread, so the plug can be released after it. */
struct freer {
	struct writer	*w;
	_Atomic pid_t	 tid;
	pthread_t	 th;
};

static void *
free_thread(void *arg)
{
	struct freer	*fr = arg;

	atomic_store(&fr->tid, (pid_t)syscall(SYS_gettid));
	writer_free(fr->w);
	return NULL;
}

/*
 * Queue n jobs behind a plug, then release it.  With `freeing`,
 * writer_free is called (and has asked the writer to stop) before the
 * release.  Each submitter gets a small stack: BATCH_MAX and more of them
 * run at once.
 */
static void
run_queued(struct fx *f, struct job **j, size_t n, int freeing)
{
	struct plug	 plug;
	struct freer	 fr;
	pthread_attr_t	 attr;
	pthread_t	*th;
	pid_t		 ftid;
	long long	 t0;
	size_t		 i;

	memset(&plug, 0, sizeof(plug));
	plug.fx = f;
	assert_int_equal(pthread_create(&plug.tid, NULL, plug_thread, &plug),
	    0);
	for (t0 = now_ms(); !atomic_load(&plug.running); usleep(1000))
		if (now_ms() - t0 > DEADLINE_MS)
			fail_msg("the plug did not run");
	th = calloc(n, sizeof(*th));
	assert_non_null(th);
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setstacksize(&attr, 256 * 1024), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_create(&th[i], &attr, submit_thread,
		    j[i]), 0);
	pthread_attr_destroy(&attr);
	wait_queued(f->w, n, NULL);
	if (freeing) {
		memset(&fr, 0, sizeof(fr));
		fr.w = f->w;
		assert_int_equal(pthread_create(&fr.th, NULL, free_thread,
		    &fr), 0);
		for (t0 = now_ms(); (ftid = atomic_load(&fr.tid)) == 0;
		    usleep(1000))
			if (now_ms() - t0 > DEADLINE_MS)
				fail_msg("writer_free did not start");
		/* Asleep: in pthread_join, the stop flag set. */
		wait_queued(f->w, n, &ftid);
	}
	atomic_store(&plug.release, 1);
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	assert_int_equal(pthread_join(plug.tid, NULL), 0);
	assert_int_equal(plug.got, ST_OK);
	if (freeing) {
		assert_int_equal(pthread_join(fr.th, NULL), 0);
		f->w = NULL;	/* freed: not again at teardown */
	}
	free(th);
}

/*
 * Failing jobs among succeeding ones, all in one batch: each failure's
 * article alone is undone, its batch-mates' are committed, and each
 * submitter gets its own job's status.
 */
static void
test_batch_rollback(void **state)
{
	struct fx	*f = *state;
	struct job	 jobs[3 * NITEMS(statuses)], *jp[NITEMS(jobs)];
	size_t		 i, ok = 0;

	/* Each status between two successes. */
	for (i = 0; i < NITEMS(jobs); i++) {
		job_init(&jobs[i], f, "batch", i,
		    i % 3 == 1 ? statuses[i / 3] : ST_OK);
		jp[i] = &jobs[i];
		ok += jobs[i].ret == ST_OK;
	}
	writer_limits(f->w, BATCH_MAX, NO_CUT_USEC);
	run_queued(f, jp, NITEMS(jobs), 0);
	for (i = 0; i < NITEMS(jobs); i++) {
		job_check(&jobs[i]);
		/* One batch: nothing was committed between its jobs. */
		assert_int_equal(jobs[i].committed, jobs[0].committed);
	}
	assert_int_equal(count_fresh(f, NULL), ok);
	assert_int_equal(f->runs, NITEMS(jobs) + 1);
}

static int
by_place(const void *a, const void *b)
{
	const struct job	*x = *(struct job *const *)a;
	const struct job	*y = *(struct job *const *)b;

	return x->place < y->place ? -1 : x->place > y->place;
}

/*
 * The batches the jobs (all succeeding) ran in, in order: jobs of one
 * batch saw the same count committed, each batch saw the ones before it,
 * none is over BATCH_MAX, and with `full` (no time limit) every batch but
 * the last is full.  Returns how many batches; the largest in *largest.
 */
static size_t
check_batches(struct job **jp, size_t n, int full, size_t *largest)
{
	size_t		 i, k, nb = 0;

	qsort(jp, n, sizeof(*jp), by_place);
	*largest = 0;
	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && jp[k]->committed == jp[i]->committed;
		    k++)
			continue;
		nb++;
		if (k - i > *largest)
			*largest = k - i;
		if (k - i > BATCH_MAX)
			fail_msg("a batch of %zu jobs", k - i);
		if (k < n && jp[k]->committed != jp[i]->committed +
		    (long long)(k - i))
			fail_msg("%s saw %lld committed after a batch of %zu "
			    "that saw %lld", jp[k]->uri, jp[k]->committed,
			    k - i, jp[i]->committed);
		if (full && k < n && k - i < BATCH_MAX)
			fail_msg("a batch of %zu jobs before others", k - i);
	}
	return nb;
}

/* More than BATCH_MAX queued: every job runs, in batches of at most
 * BATCH_MAX, the first one full (with no time limit). */
#define NBIG	(BATCH_MAX + 44)

static void
test_batch_max(void **state)
{
	struct fx	*f = *state;
	struct job	*jobs, **jp;
	size_t		 i, nb, largest;

	jobs = calloc(NBIG, sizeof(*jobs));
	jp = calloc(NBIG, sizeof(*jp));
	assert_non_null(jobs);
	assert_non_null(jp);
	for (i = 0; i < NBIG; i++) {
		job_init(&jobs[i], f, "big", i, ST_OK);
		jp[i] = &jobs[i];
	}
	writer_limits(f->w, BATCH_MAX, NO_CUT_USEC);
	run_queued(f, jp, NBIG, 0);
	for (i = 0; i < NBIG; i++)
		job_check(&jobs[i]);
	nb = check_batches(jp, NBIG, 1, &largest);
	assert_int_equal(nb, 2);
	assert_int_equal(largest, BATCH_MAX);
	assert_int_equal(count_fresh(f, NULL), NBIG);
	free(jobs);
	free(jp);
}

/*
 * Slow jobs queued: a batch stops taking them once its transaction has run
 * BATCH_USEC, and the rest go into the next ones, each run once.
 */
#define NSLOW		12
#define SLOW_MS		6

static void
test_batch_time(void **state)
{
	struct fx	*f = *state;
	struct job	 jobs[NSLOW], *jp[NSLOW];
	size_t		 i, nb, largest;

	for (i = 0; i < NSLOW; i++) {
		job_init(&jobs[i], f, "slow", i, ST_OK);
		jobs[i].sleep_ms = SLOW_MS;
		jp[i] = &jobs[i];
	}
	run_queued(f, jp, NSLOW, 0);
	for (i = 0; i < NSLOW; i++)
		job_check(&jobs[i]);
	nb = check_batches(jp, NSLOW, 0, &largest);
	/* A job starts only while the batch is within its time. */
	assert_true(largest <= BATCH_USEC / (SLOW_MS * 1000) + 1);
	assert_true(nb >= NSLOW / (BATCH_USEC / (SLOW_MS * 1000) + 1));
	assert_int_equal(count_fresh(f, NULL), NSLOW);
}

/* writer_free with jobs queued: they all run and commit before it
 * returns, and their submitters get their statuses. */
static void
test_free_finishes_queued(void **state)
{
	struct fx	*f = *state;
	struct job	 jobs[24], *jp[NITEMS(jobs)];
	size_t		 i, ok = 0;

	for (i = 0; i < NITEMS(jobs); i++) {
		job_init(&jobs[i], f, "late", i, i % 4 == 3 ? ST_INPUT : ST_OK);
		jp[i] = &jobs[i];
		ok += jobs[i].ret == ST_OK;
	}
	run_queued(f, jp, NITEMS(jobs), 1);
	assert_null(f->w);
	for (i = 0; i < NITEMS(jobs); i++)
		job_check(&jobs[i]);
	assert_int_equal(count_fresh(f, NULL), ok);
}

/* --- checkpoints: a WAL that starts over ------------------------------- */

/*
 * Two writers on one database, as two workers have, each with its
 * checkpointer (one of them copies, by the lock file), posting pages
 * enough for several times RESTART_PAGES: the WAL starts over, so it ends
 * holding a fraction of what was written, and everything is there.
 */
#define BIG_BODY	(12 * 1024)
#define BIG_THREADS	6
#define BIG_JOBS	800	/* a thread's: 4 pages or more each */

struct big {
	struct writer	*w;
	const char	*body;
	int		 no;
	long		 failed;
	pthread_t	 tid;
};

struct big_job {
	const char	*body;
	char		 uri[48];
};

static enum status
big_fn(struct store *s, void *arg)
{
	struct big_job	*j = arg;
	long long	 id;

	return store_article_add(s, j->uri, "a title", j->body, NULL, 1, &id);
}

static void *
big_thread(void *arg)
{
	struct big	*b = arg;
	struct big_job	 j;
	int		 i;

	j.body = b->body;
	for (i = 0; i < BIG_JOBS; i++) {
		snprintf(j.uri, sizeof(j.uri), "/big/%d/%d/", b->no, i);
		if (writer_run(b->w, big_fn, &j) != ST_OK)
			b->failed++;
	}
	return NULL;
}

static void
test_wal_restarts(void **state)
{
	struct fx	*f = *state;
	struct writer	*w2;
	struct big	 b[BIG_THREADS];
	sqlite3		*db = NULL;
	char		*body;
	int		 i, nlog = -1, nckpt = -1;

	assert_non_null(w2 = writer_new(f->db));
	assert_non_null(body = malloc(BIG_BODY + 1));
	memset(body, 'x', BIG_BODY);
	body[BIG_BODY] = '\0';
	for (i = 0; i < BIG_THREADS; i++) {
		b[i].w = i % 2 ? w2 : f->w;
		b[i].body = body;
		b[i].no = i;
		b[i].failed = 0;
		assert_int_equal(pthread_create(&b[i].tid, NULL, big_thread,
		    &b[i]), 0);
	}
	for (i = 0; i < BIG_THREADS; i++) {
		assert_int_equal(pthread_join(b[i].tid, NULL), 0);
		assert_int_equal(b[i].failed, 0);
	}
	writer_free(w2);
	assert_int_equal(count_fresh(f, NULL), BIG_THREADS * BIG_JOBS);
	/* Some 20,000 pages went through the WAL; started over, it holds
	 * what came since (no checkpoint here: PASSIVE with no work). */
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_wal_checkpoint_v2(db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, &nlog, &nckpt), SQLITE_OK);
	sqlite3_close(db);
	if (nlog >= RESTART_PAGES + RESTART_PAGES / 2)
		fail_msg("the WAL holds %d pages: it did not start over", nlog);
	free(body);
}

/* --- when the transaction cannot start ----------------------------------- */

/*
 * Another connection holds the write lock past the busy timeout (5 s):
 * the job never runs, its submitter gets ST_BUSY, and the writer goes on
 * once the lock is free.
 */
static void
test_begin_fails(void **state)
{
	struct fx	*f = *state;
	struct job	 j, after;
	sqlite3		*db = NULL;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	job_init(&j, f, "locked", 0, ST_OK);
	j.got = writer_run(f->w, job_fn, &j);
	assert_int_equal(j.got, ST_BUSY);
	assert_int_equal(j.runs, 0);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(count_fresh(f, j.uri), 0);
	job_init(&after, f, "unlocked", 0, ST_OK);
	after.got = writer_run(f->w, job_fn, &after);
	job_check(&after);
}

/* --- set-up failures ----------------------------------------------------- */

static void
test_new_fails(void **state)
{
	struct fx	*f = *state;
	char		 path[192];

	/* No database there: store_open does not create one. */
	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	assert_null(writer_new(path));
	assert_int_equal(access(path, F_OK), -1);
	writer_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many_threads, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_rollback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_max, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wal_restarts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_free_finishes_queued,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_new_fails, setup,
		    teardown),
	};

	/* A writer that loses a job leaves its submitter waiting for ever:
	 * fail in bounded time instead (SIGALRM ends the process). */
	alarm(180);
	/* The busy and missing-database cases log errors: expected. */
	if (auth_init() == -1) {
		fprintf(stderr, "auth_init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
