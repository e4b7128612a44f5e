/* writer.h: group commit: many threads' writes in one durable transaction */
#ifndef PALAVER_WRITER_H
#define PALAVER_WRITER_H

#include <stddef.h>

#include "core/status.h"

struct store;
struct writer;

/* A unit of work run inside the shared transaction, in its own savepoint:
 * when it returns anything but ST_OK its changes alone are undone.  The
 * same as the store's store_fn. */
typedef enum status (*writer_fn)(struct store *, void *arg);

/*
 * writer_new: start the writer thread of this process, with its own
 * connection to the database db.  NULL on failure (logged).  Only worth
 * it where store_group_commit says batching pays.
 */
struct writer	*writer_new(const char *db);
/* writer_batches: whether batching pays on its database
 * (store_group_commit); when not, write with site_write alone. */
int		 writer_batches(const struct writer *);
/* writer_free: finish queued work (each writer_run already waiting
 * returns before this does), stop the thread, close.  No writer_run may
 * start once it is called.  NULL ok. */
void		 writer_free(struct writer *);
/*
 * writer_run: run fn(store, arg) in the next group transaction and wait
 * until that transaction is on disk (synchronous=FULL).  Returns fn's
 * status, or the commit's failure (then nothing of fn was kept).
 */
enum status	 writer_run(struct writer *, writer_fn fn, void *arg);
/* writer_pending: how many jobs wait for a batch to take them. */
size_t		 writer_pending(struct writer *);
/* writer_limits: a batch takes at most max_jobs jobs, and no more once
 * its transaction has run max_usec (defaults: 256 jobs, 20 ms).  From the
 * next batch on. */
void		 writer_limits(struct writer *, int max_jobs, long max_usec);

#endif
