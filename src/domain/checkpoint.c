/* checkpoint.c: one background WAL checkpointer a database, off the commit path */
#include <sys/file.h>
#include <sys/prctl.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/stage.h"
#include "store/store.h"
#include "domain/checkpoint.h"

/*
 * SQLite's own checkpoint runs inside the COMMIT that takes the WAL past
 * 1,000 pages: it writes those pages into the database file and fsyncs
 * it while the batch committing, its posters and the other workers'
 * writers wait (a few ms, tens under load).  Here a thread does it
 * instead, PASSIVE: it never blocks a writer or a reader, and copies what
 * no reader still needs.  One process at a time does it for a database:
 * two would only take turns on SQLite's checkpoint lock.
 *
 * The WAL starts over only when a transaction begins with all of it
 * copied, and under a steady load a commit always comes first: copied in
 * the background, it would grow without end.  So once it holds
 * RESTART_PAGES, the checkpointer takes the writers' turn (writer.c) and
 * copies the little committed since its last round, waiting briefly for
 * readers still on the old pages (RESTART), and the next commit starts
 * the WAL over.  That costs the turn two fsyncs (the WAL's, the
 * database's): some 5 ms on the development machine, tens when its disk
 * is busy, once every RESTART_PAGES.
 */

/* How often the checkpointer copies the WAL. */
#define EVERY_MS	200
/* How often a process that is not the checkpointer asks again. */
#define ELECT_MS	1000
/* After a failure (a full disk, say), the wait doubles up to this. */
#define BACKOFF_MS	60000
/* The WAL starts over once it holds this many pages (32 MiB of 4 KiB
 * pages, some 1,500 posts): each time costs the writers a few ms (two
 * fsyncs), and a longer WAL costs readers more to search. */
#define RESTART_PAGES	8192
/* Before it takes the turn, the checkpointer copies again while more
 * than this many pages came since its last copy (at most CATCH_UP
 * times): the turn then has little to copy. */
#define CATCH_UP_PAGES	256
#define CATCH_UP	3

struct checkpointer {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 stop;
	pthread_t	 tid;
	struct store	*store;
	int		 electfd;	/* <db>-checkpoint.lock, or -1 */
	int		 turnfd;	/* <db>-writer.lock, or -1 */
	int		 elected;
};

static int
open_lock(const char *path, const char *suffix)
{
	char	 name[4096];
	int	 fd;

	if ((size_t)snprintf(name, sizeof(name), "%s%s", path, suffix) >=
	    sizeof(name))
		return -1;
	if ((fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) == -1)
		log_err("%s: %s", name, strerror(errno));
	return fd;
}

static void
lock_turn(int fd, int op)
{
	if (fd != -1)
		while (flock(fd, op) == -1 && errno == EINTR)
			continue;
}

/* One round; returns how long to sleep before the next, in ms. */
static long
round_once(struct checkpointer *c, long *backoff)
{
	enum status	 st;
	long		 frames = 0, copied = 0;
	long long	 t0, t1, t2;
	int		 i;

	/* Without the lock file every process checkpoints: still correct,
	 * they take turns on SQLite's checkpoint lock. */
	if (!c->elected)
		c->elected = c->electfd == -1 ||
		    flock(c->electfd, LOCK_EX | LOCK_NB) == 0;
	if (!c->elected)
		return ELECT_MS;
	t0 = stage_now();
	st = store_checkpoint(c->store, 0, &frames, &copied);
	/* With stages on (PALAVER_STAGES=1), what each round cost. */
	if (stage_enabled() && frames > 0)
		log_info("checkpoint: %ld of %ld pages copied in %lld us",
		    copied, frames, stage_now() - t0);
	if (st == ST_OK && frames >= RESTART_PAGES) {
		t0 = stage_now();
		for (i = 0; i < CATCH_UP && st == ST_OK &&
		    frames - copied > CATCH_UP_PAGES; i++)
			st = store_checkpoint(c->store, 0, &frames, &copied);
		t1 = stage_now();
		if (stage_enabled())
			log_info("checkpoint: caught up to %ld of %ld pages in "
			    "%d more rounds, %lld us", copied, frames, i,
			    t1 - t0);
		t0 = t1;
		lock_turn(c->turnfd, LOCK_EX);
		t1 = stage_now();
		st = store_checkpoint(c->store, 1, &frames, &copied);
		lock_turn(c->turnfd, LOCK_UN);
		t2 = stage_now();
		if (stage_enabled())
			log_info("checkpoint: restart: %lld us for the turn, "
			    "held %lld us (%s)", t1 - t0, t2 - t1,
			    status_str(st));
	}
	if (st == ST_OK || st == ST_BUSY) {
		*backoff = EVERY_MS;
		return EVERY_MS;
	}
	/* Logged by the store; try again later, not ten times a second. */
	*backoff = *backoff * 2 < BACKOFF_MS ? *backoff * 2 : BACKOFF_MS;
	return *backoff;
}

static void *
checkpoint_main(void *arg)
{
	struct checkpointer	*c = arg;
	struct timespec		 ts;
	long			 ms, backoff = EVERY_MS;

	prctl(PR_SET_NAME, "checkpoint");
	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		pthread_mutex_unlock(&c->mu);
		ms = round_once(c, &backoff);
		pthread_mutex_lock(&c->mu);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!c->stop)
			pthread_cond_timedwait(&c->cv, &c->mu, &ts);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Everything but the thread, which is gone or never was. */
static void
release(struct checkpointer *c)
{
	if (c->electfd != -1)
		close(c->electfd);
	if (c->turnfd != -1)
		close(c->turnfd);
	store_close(c->store);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c);
}

struct checkpointer *
checkpointer_new(const char *path)
{
	struct checkpointer	*c;
	pthread_condattr_t	 ca;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (store_open(path, &c->store) != ST_OK) {
		free(c);
		return NULL;
	}
	c->electfd = open_lock(path, "-checkpoint.lock");
	c->turnfd = open_lock(path, "-writer.lock");
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&c->tid, NULL, checkpoint_main, c) != 0) {
		log_err("checkpoint: cannot start its thread");
		release(c);
		return NULL;
	}
	return c;
}

void
checkpointer_free(struct checkpointer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->tid, NULL);
	release(c);
}
