/* arena.h: per-request memory, freed all at once when the request ends */
#ifndef PALAVER_ARENA_H
#define PALAVER_ARENA_H

#include <stddef.h>

/*
 * Objects come from 64 KiB chunks (each its own malloc block under
 * AddressSanitizer, so it sees every overflow); arena_reset frees them
 * all.  Allocation failure returns NULL; callers turn that into ST_NOMEM.
 */
struct arena {
	struct ablk	*head;
	size_t		 used;	/* bytes handed out since the last reset */
};

void	*arena_alloc(struct arena *, size_t);
void	*arena_calloc(struct arena *, size_t, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* arena_reset: free everything allocated so far (one chunk may be kept
 * for reuse).  NULL ok. */
void	 arena_reset(struct arena *);
/* arena_free: free everything, keeping nothing.  NULL ok. */
void	 arena_free(struct arena *);

#endif
