/* writer.c: group commit: many threads' writes in one durable transaction */
#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/metrics.h"
#include "store/store.h"
#include "domain/writer.h"

/*
 * Each fsync costs a few milliseconds, so committing every comment alone
 * caps a worker at a few hundred posts a second.  Instead request threads
 * queue their work here; one thread takes everything queued, runs it in a
 * single BEGIN IMMEDIATE ... COMMIT (each job in a savepoint), and wakes
 * every waiter once the commit is durable.  While one batch commits, the
 * next one gathers.
 *
 * Each worker process has its own writer; the store makes the writers of
 * several processes take turns (store_set_writer).  Where batching does
 * not pay (store_group_commit) each thread writes alone, on its own
 * connection (site_write).  On PostgreSQL the writers of several
 * processes and hosts run side by side; what one batch changes of an
 * article is written at its commit, so batches take turns on that row
 * only for their commits (store.c, db_bump).
 */

#define BATCH_MAX	256

struct job {
	writer_fn	 fn;
	void		*arg;
	enum status	 st;
	int		 done;
	struct job	*next;
};

struct writer {
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;	/* the writer waits for jobs */
	pthread_cond_t	 done;	/* submitters wait for their batch */
	struct job	*head, *tail;
	int		 stop;
	int		 inside;	/* callers in writer_run */
	pthread_t	 tid;
	struct store	*store;
};

static void
run_batch(struct writer *w, struct job *batch)
{
	struct job	*j;
	enum status	 st;

	if ((st = store_tx_begin(w->store)) != ST_OK) {
		for (j = batch; j != NULL; j = j->next)
			j->st = st;
		return;
	}
	for (j = batch; j != NULL; j = j->next) {
		if ((j->st = store_savepoint(w->store)) != ST_OK)
			continue;
		j->st = j->fn(w->store, j->arg);
		if (j->st == ST_OK)
			store_savepoint_release(w->store);
		else
			store_savepoint_rollback(w->store);
	}
	if ((st = store_tx_commit(w->store)) != ST_OK)
		for (j = batch; j != NULL; j = j->next)
			if (j->st == ST_OK)
				j->st = st;
}

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct job	*batch, *j, *next;
	int		 n;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (w->head == NULL && w->stop)
			break;
		/* Take up to BATCH_MAX jobs off the queue. */
		batch = w->head;
		for (n = 1, j = batch; j->next != NULL && n < BATCH_MAX; n++)
			j = j->next;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		j->next = NULL;
		pthread_mutex_unlock(&w->mu);

		run_batch(w, batch);
		metrics_batch((size_t)n);

		pthread_mutex_lock(&w->mu);
		for (j = batch; j != NULL; j = next) {
			next = j->next;
			j->done = 1;
		}
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Everything but the thread, which is gone or never was. */
static void
release(struct writer *w)
{
	store_close(w->store);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
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
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
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
	 * yet: they still need the mutex and the condition variable. */
	pthread_mutex_lock(&w->mu);
	while (w->inside > 0)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
	release(w);
}

enum status
writer_run(struct writer *w, writer_fn fn, void *arg)
{
	struct job	 j = { fn, arg, ST_OK, 0, NULL };

	pthread_mutex_lock(&w->mu);
	w->inside++;
	if (w->tail != NULL)
		w->tail->next = &j;
	else
		w->head = &j;
	w->tail = &j;
	pthread_cond_signal(&w->work);
	while (!j.done)
		pthread_cond_wait(&w->done, &w->mu);
	/* The last one out tells a writer_free waiting to release. */
	if (--w->inside == 0 && w->stop)
		pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->mu);
	return j.st;
}
