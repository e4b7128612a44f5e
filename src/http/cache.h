/* cache.h: rendered public pages, kept per process, keyed by version */
#ifndef PALAVER_CACHE_H
#define PALAVER_CACHE_H

#include <stddef.h>

struct article;
struct buf;
struct req;
struct resp;

/*
 * A rendered page for readers without cookies depends only on the
 * article's version and the query, so it can be served again until the
 * version moves.  The key says both ("a12-v34-q..."); a new version is a
 * new key and the old entry ages out.  Thread-safe.
 */

/*
 * Votes move an article's vote counter, not its version, so they do not
 * empty the cache on every click: a page kept with older counts is still
 * served until it is this many seconds old, then drawn again.  Counts on
 * shared pages are at most this late; the voter sees their own at once.
 */
#define CACHE_VOTES_STALE	10

/* What stands in a cached page where each reader's fresh form token goes:
 * control characters, which no escaper or markup ever emits. */
#define CACHE_TOKEN	"\x01TS\x01"

/* The same in JSON, where the marker is written escaped. */
#define CACHE_TOKEN_JSON	"\\u0001TS\\u0001"

/*
 * cache_begin: for a public read of article ar (a page, kind 'a'; the
 * fragment, 'e'; the API, 'j') by a reader whose answer is not private
 * (no author tokens, not `private`): Cache-Control, an ETag from the
 * version, the vote counter of the counts shown, the day (form tokens
 * last a day) and the route's checked fields, and then the page itself
 * when it is kept (see CACHE_VOTES_STALE).  Returns 1 when the
 * answer is complete (304, or the kept page with this reader's form
 * token): the handler returns at once.  Else 0, and when the answer may
 * be kept, rq->cache_key is set: the handler writes the page with
 * http_page_token's marker, and the router's cache_end keeps it.  The
 * key holds only the route's checked fields, so unknown query parameters
 * neither bypass the cache nor flood it.
 */
int	cache_begin(struct req *, struct resp *, char kind,
	    const struct article *, int private);
/*
 * cache_end: after a handler of a cached route: keep the page when
 * cache_begin asked for it and all went well, then put this reader's
 * form token where the markers are.  Never fails: out of memory sets the
 * body's err flag (the answer becomes a 500).
 */
void	cache_end(struct req *, struct resp *);

/* cache_init: room for n pages of at most max bytes together; 0 turns
 * the cache off. */
void	cache_init(size_t n, size_t max);
/* cache_free: at shutdown. */
void	cache_free(void);
/*
 * cache_get: append the page for key to out, with tok where each marker
 * was, when it was drawn at vote counter `votes`, or less than `stale`
 * seconds before `now`; *drawn (may be NULL) receives the counter it was
 * drawn at.  1 on a hit, else 0.
 */
int	cache_get(const char *key, struct buf *out, const char *tok,
	    long long votes, long long now, long long stale,
	    long long *drawn);
/* cache_put: keep a copy of the page for key, drawn at vote counter
 * `votes` at `now`, noting where `mark` stands (replacing an entry of the
 * same key, or the least recently used one when full).  Silently does
 * nothing when it cannot. */
void	cache_put(const char *key, const char *page, size_t len,
	    const char *mark, long long votes, long long now);
/* cache_fill_tokens: replace each `mark` (CACHE_TOKEN or
 * CACHE_TOKEN_JSON) in b with tok (in place, growing b).  Returns -1 when
 * out of memory. */
int	cache_fill_tokens(struct buf *b, const char *mark, const char *tok);

#endif
