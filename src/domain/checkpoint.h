/* checkpoint.h: one background WAL checkpointer a database, off the commit path */
#ifndef PALAVER_CHECKPOINT_H
#define PALAVER_CHECKPOINT_H

struct checkpointer;

/*
 * checkpointer_new: a thread with its own connection to the database at
 * path that copies the WAL into the database file every 100 ms while it
 * is the database's checkpointer: of all the processes that start one
 * (each worker's writer does), one at a time is, by a lock on
 * <path>-checkpoint.lock that the others ask for again every second (so
 * one takes over when it dies).  To let the WAL start over, now and then
 * it finishes a round in the writers' turn (<path>-writer.lock).  The
 * connection is opened here, through the VFS of the moment
 * (store_set_vfs).  NULL on failure (logged).
 */
struct checkpointer	*checkpointer_new(const char *path);
/* checkpointer_free: stop the thread, close.  NULL ok. */
void			 checkpointer_free(struct checkpointer *);

#endif
