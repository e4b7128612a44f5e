/* writer.c: group commit: many threads' writes in one durable transaction */
#include <sys/prctl.h>

#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/metrics.h"
#include "core/stage.h"
#include "store/store.h"
#include "domain/checkpoint.h"
#include "domain/writer.h"

/*
 * Each fsync costs a few milliseconds, so committing every comment alone
 * caps a worker at a few hundred posts a second.  Instead request threads
 * queue their work here; one thread takes everything queued, runs it in a
 * single BEGIN IMMEDIATE ... COMMIT (each job in a savepoint), and wakes
 * each of its submitters (a semaphore each) once the commit is durable.  While one batch
 * commits, the next one gathers.
 *
 * Each worker process has its own writer; the store makes the writers of
 * several processes take turns (store_set_writer).  Where batching does
 * not pay (store_group_commit) each thread writes alone, on its own
 * connection (site_write).  On PostgreSQL the writers of several
 * processes and hosts run side by side; what one batch changes of an
 * article is written at its commit, so batches take turns on that row
 * only for their commits (store.c, db_bump).
 *
 * A batch's turn is taken first and the batch after (store_writer_turn:
 * on SQLite the lock file that keeps the processes' writers apart), so
 * that what queued while another worker's batch committed goes in too.
 * On SQLite the WAL is copied into the database file by a checkpointer in
 * the background (checkpoint.c), not inside a batch's COMMIT; PostgreSQL
 * has no such file to copy (store_checkpoints).
 */

/* A batch takes at most this many jobs, and stops taking more once its
 * transaction has run BATCH_USEC: the rest go in the next one, so that no
 * batch keeps its posters (and the other workers' writers) waiting long
 * however much is queued. */
#define BATCH_MAX	256
#define BATCH_USEC	20000

struct job {
	writer_fn	 fn;
	void		*arg;
	enum status	 st;
	/* Posted once its batch is on disk (or failed); from then on the
	 * job is its submitter's again, and may be gone. */
	sem_t		 done;
	struct job	*next;
	/* With stages on (stage.h): its batch's times; when the writer
	 * asked for its turn, got it, took the batch and was done. */
	struct stages	 times;
	long long	 asked, locked, taken, finished;
};

struct writer {
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;	/* the writer waits for jobs */
	pthread_cond_t	 idle;	/* writer_free waits for the last submitter */
	struct job	*head, *tail;
	size_t		 pending;	/* jobs in the queue */
	int		 max_jobs;	/* BATCH_MAX, or writer_limits' */
	long		 max_usec;	/* BATCH_USEC, or writer_limits' */
	int		 stop;
	int		 inside;	/* callers in writer_run */
	pthread_t	 tid;
	struct store	*store;
	struct checkpointer *ckpt;
};

/*
 * Run the batch in one transaction.  Returns the jobs it left for the next
 * batch (past BATCH_USEC), in order, or NULL; every job it ran has its
 * status.
 */
static struct job *
run_batch(struct writer *w, struct job *batch, long max_usec)
{
	struct job	*j, *prev = NULL, *left = NULL;
	enum status	 st;
	long long	 t0;

	if ((st = store_tx_begin(w->store)) != ST_OK) {
		for (j = batch; j != NULL; j = j->next)
			j->st = st;
		return NULL;
	}
	t0 = stage_now();
	for (j = batch; j != NULL; prev = j, j = j->next) {
		if (prev != NULL && stage_now() - t0 > max_usec) {
			prev->next = NULL;
			left = j;
			break;
		}
		if ((j->st = store_savepoint(w->store)) != ST_OK)
			continue;
		j->st = j->fn(w->store, j->arg);
		if (j->st == ST_OK)
			store_savepoint_release(w->store);
		else
			store_savepoint_rollback(w->store);
	}
	stage_mark(STAGE_TX);
	/* store_tx_commit marks STAGE_FTS and STAGE_COMMIT. */
	if ((st = store_tx_commit(w->store)) != ST_OK)
		for (j = batch; j != NULL; j = j->next)
			if (j->st == ST_OK)
				j->st = st;
	return left;
}

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct job	*batch, *left, *j, *next;
	long long	 asked, locked, taken;
	long		 max_usec;
	int		 n;

	/* Named for top -H, perf and make bench's CPU a thread. */
	prctl(PR_SET_NAME, "writer");
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (w->head == NULL && w->stop)
			break;
		pthread_mutex_unlock(&w->mu);

		/* The turn first (kept until the batch's transaction ends). */
		stage_begin();
		asked = stage_mine()->last;
		store_writer_turn(w->store);
		stage_begin();
		locked = stage_mine()->last;

		/* Then up to max_jobs jobs off the queue. */
		pthread_mutex_lock(&w->mu);
		batch = w->head;
		for (n = 1, j = batch; j->next != NULL && n < w->max_jobs; n++)
			j = j->next;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		j->next = NULL;
		w->pending -= (size_t)n;
		max_usec = w->max_usec;
		pthread_mutex_unlock(&w->mu);
		taken = stage_now();

		left = run_batch(w, batch, max_usec);

		/* What the batch left goes first in the next. */
		if (left != NULL) {
			pthread_mutex_lock(&w->mu);
			for (j = left, w->pending++; j->next != NULL;
			    j = j->next)
				w->pending++;
			j->next = w->head;
			if (w->head == NULL)
				w->tail = j;
			w->head = left;
			pthread_mutex_unlock(&w->mu);
		}
		for (n = 0, j = batch; j != NULL; j = j->next)
			n++;
		stage_mine()->batch = n;
		metrics_batch((size_t)n);
		/* Each submitter alone, and with no lock held: a condition
		 * variable woke it only to wait for the mutex. */
		for (j = batch; j != NULL; j = next) {
			next = j->next;
			if (stage_enabled()) {
				j->times = *stage_mine();
				j->asked = asked;
				j->locked = locked;
				j->taken = taken;
				j->finished = stage_now();
			}
			sem_post(&j->done);
		}
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Everything but the thread, which is gone or never was. */
static void
release(struct writer *w)
{
	checkpointer_free(w->ckpt);
	store_close(w->store);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->idle);
	free(w);
}

struct writer *
writer_new(const char *db)
{
	struct writer	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if (store_open(db, &w->store) != ST_OK) {
		free(w);
		return NULL;
	}
	store_set_writer(w->store);
	/* Checkpoints in the background (SQLite); without a checkpointer,
	 * SQLite's own, in COMMIT, rather than a WAL that grows for ever. */
	if (store_checkpoints(w->store)) {
		if ((w->ckpt = checkpointer_new(db)) != NULL)
			store_checkpoint_manual(w->store);
		else
			log_err("writer: no background checkpointer: SQLite "
			    "checkpoints in its commits");
	}
	w->max_jobs = BATCH_MAX;
	w->max_usec = BATCH_USEC;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->idle, NULL);
	if (pthread_create(&w->tid, NULL, writer_main, w) != 0) {
		log_err("writer: cannot start its thread");
		release(w);
		return NULL;
	}
	return w;
}

int
writer_batches(const struct writer *w)
{
	return store_group_commit(w->store);
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->tid, NULL);
	/* The last batch is done, but its submitters may not have woken
	 * yet: they still need the mutex. */
	pthread_mutex_lock(&w->mu);
	while (w->inside > 0)
		pthread_cond_wait(&w->idle, &w->mu);
	pthread_mutex_unlock(&w->mu);
	release(w);
}

enum status
writer_run(struct writer *w, writer_fn fn, void *arg)
{
	struct job	 j;
	long long	 t0 = stage_enabled() ? stage_now() : 0, from;

	memset(&j, 0, sizeof(j));
	j.fn = fn;
	j.arg = arg;
	j.st = ST_OK;
	sem_init(&j.done, 0, 0);
	pthread_mutex_lock(&w->mu);
	w->inside++;
	if (w->tail != NULL)
		w->tail->next = &j;
	else
		w->head = &j;
	w->tail = &j;
	w->pending++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	while (sem_wait(&j.done) == -1)
		continue;	/* EINTR */
	/* The last one out tells a writer_free waiting to release. */
	pthread_mutex_lock(&w->mu);
	if (--w->inside == 0 && w->stop)
		pthread_cond_signal(&w->idle);
	pthread_mutex_unlock(&w->mu);
	sem_destroy(&j.done);
	if (stage_enabled()) {
		/* Of its wait before the batch took it, the part the writer
		 * spent waiting for its turn is the lock's. */
		from = t0 > j.asked ? t0 : j.asked;
		j.times.us[STAGE_LOCK] = j.locked > from ? j.locked - from : 0;
		j.times.us[STAGE_QUEUE] = j.taken - t0 -
		    j.times.us[STAGE_LOCK];
		j.times.us[STAGE_WAKE] = stage_now() - j.finished;
		stage_merge(&j.times);
	}
	return j.st;
}

size_t
writer_pending(struct writer *w)
{
	size_t	 n;

	pthread_mutex_lock(&w->mu);
	n = w->pending;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void
writer_limits(struct writer *w, int max_jobs, long max_usec)
{
	pthread_mutex_lock(&w->mu);
	w->max_jobs = max_jobs > 0 ? max_jobs : 1;
	w->max_usec = max_usec;
	pthread_mutex_unlock(&w->mu);
}
