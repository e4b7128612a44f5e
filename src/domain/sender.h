/* sender.h: the background sender: events into messages, digests, and
 * delivery with retries, one process at a time for the whole site */
#ifndef PALAVER_SENDER_H
#define PALAVER_SENDER_H

struct arena;
struct config;
struct sender;
struct store;

/* sender_new: the sender of one worker's background thread.  NULL when
 * out of memory. */
struct sender	*sender_new(const struct config *);
/* sender_free: let the lease go (s may be NULL), free.  NULL ok. */
void		 sender_free(struct sender *, struct store *s);
/*
 * sender_run: one round, when this process holds (or takes) the site's
 * sender lease: turn waiting events into messages (each event and its
 * messages in one transaction), queue moderators' digests that are due,
 * deliver one due message, and now and then forget old ones.
 * Returns 1 when it did some work (call again), 0 when there was none or
 * another process holds the lease, -1 on trouble (logged).  For the
 * background thread, with its own connection s; strings in a.
 */
int		 sender_run(struct sender *, struct store *s, struct arena *a);

#endif
