/* sqlite_ckpt.c: SQLite's WAL checkpoints, for the writer's background checkpointer (domain/checkpoint.c), and their clock */
#include <stdio.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/log.h"
#include "core/stage.h"
#include "store/store.h"
#include "store/sqlite_int.h"

/*
 * With stages on, SQLite's own automatic checkpoint (PASSIVE once the WAL
 * holds 1,000 pages, inside the COMMIT) with a clock around it.
 */
static int
timed_autocheckpoint(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)arg;
	if (frames < 1000)
		return SQLITE_OK;
	stage_mark(STAGE_COMMIT);
	sqlite3_wal_checkpoint(db, name);
	stage_mark(STAGE_CKPT);
	return SQLITE_OK;
}

void
sq_ckpt_timed(sqlite3 *db)
{
	if (stage_enabled())
		sqlite3_wal_hook(db, timed_autocheckpoint, NULL);
}

/* Once the WAL starts over, its file is cut back to this many bytes. */
#define WAL_KEEP	(64LL * 1024 * 1024)

void
sq_checkpoint_manual(struct store *s)
{
	sqlite3	*db = sq_db(s);
	char	 sql[64];

	sqlite3_wal_autocheckpoint(db, 0);
	snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit=%lld",
	    WAL_KEEP);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		log_err("database: %s: %s", sql, sqlite3_errmsg(db));
}

/*
 * A RESTART checkpoint waits for the readers still on the old WAL while
 * its caller holds the writers' turn: poll every 100 us, for 10 ms at
 * most, instead of the busy timeout's sleeps of 1, 2, 5, 10 ... ms for up
 * to 5 s.  Readers are done in microseconds; one that is not makes the
 * checkpoint give up until its next round.
 */
#define RESTART_WAIT_US	10000

static int
restart_busy(void *arg, int n)
{
	const long long	*since = arg;

	(void)n;
	if (stage_now() - *since >= RESTART_WAIT_US)
		return 0;
	usleep(100);
	return 1;
}

enum status
sq_checkpoint(struct store *s, int restart, long *frames, long *copied)
{
	sqlite3		*db = sq_db(s);
	long long	 since = stage_now();
	int		 rc, nlog = 0, nckpt = 0;

	if (restart)
		sqlite3_busy_handler(db, restart_busy, &since);
	rc = sqlite3_wal_checkpoint_v2(db, NULL, restart ?
	    SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, &nlog,
	    &nckpt);
	if (restart)
		sqlite3_busy_timeout(db, SQ_BUSY_MS);
	if (frames != NULL)
		*frames = nlog;
	if (copied != NULL)
		*copied = nckpt;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return ST_BUSY;
	if (rc != SQLITE_OK)
		return s->drv->error(s, "checkpoint");
	return ST_OK;
}
