/* authored.h: a reader's own comments, by their author tokens, and what a
 * reader sees of a thread */
#ifndef PALAVER_AUTHORED_H
#define PALAVER_AUTHORED_H

#include <stddef.h>

#include "core/status.h"

struct arena;
struct thread_page;

/* Tokens kept in the author cookie: the newest win.  16 tokens of at most
 * 80 bytes stay far below the 4 KB cookie limit. */
#define AUTHORED_COOKIE_MAX	16
/* Own comments one request may name: the widget sends up to 40 tokens,
 * the cookie holds AUTHORED_COOKIE_MAX. */
#define AUTHORED_MAX		64

/* The reader's own comments, from valid author tokens. */
struct authored {
	long long	*ids;
	long long	*expires;	/* end of each one's edit window */
	size_t		 n;
	const char	*json;		/* the ids as a JSON array, for SQL */
};

/*
 * authored_read: the valid author tokens among `lists` (each NULL, or
 * tokens joined by '~': a cookie, the widget's header) at `now`.  Never
 * fails: bad tokens are skipped; out of memory leaves own empty.
 */
void		 authored_read(const unsigned char *secret, struct arena *,
		    const char *const *lists, size_t nlists, long long now,
		    struct authored *own);
/* authored_has: the expiry when id is among them, else 0. */
long long	 authored_has(const struct authored *, long long id);
/*
 * authored_cookie: the token list to keep after posting comment id with
 * token tok: tok first, then the still-valid tokens of `old` (a cookie's
 * value, may be NULL), at most AUTHORED_COOKIE_MAX.  In the arena; NULL
 * when out of memory.
 */
const char	*authored_cookie(const unsigned char *secret, struct arena *,
		    const char *old, long long id, const char *tok,
		    long long now);

/* thread_view_make: fill tv for pg and the reader's own comments (may be
 * NULL).  Arrays live in the arena; ST_NOMEM when it fails.  A row's
 * parent is found by id, so rows need not come strictly depth-first. */
enum status	 thread_view_make(struct arena *, const struct thread_page *,
		    const struct authored *, struct thread_view *tv);

#endif
