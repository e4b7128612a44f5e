/* cache.c: rendered public pages, kept per process, keyed by version */
#define _GNU_SOURCE	/* memmem */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/metrics.h"
#include "model/model.h"
#include "http/cache.h"
#include "http/field.h"
#include "http/http.h"

/* Where the markers stood, as (offset, length) of the text around them:
 * a hit is copied piece by piece with the token between, never scanned. */
#define MAX_MARKS	8

struct entry {
	char		*key;
	char		*page;		/* the page without its markers */
	size_t		 len;
	size_t		 marks[MAX_MARKS];	/* offsets into page */
	size_t		 nmarks;
	unsigned long	 used;		/* tick of the last hit, for LRU */
	long long	 votes;		/* the article's vote counter then */
	long long	 at;		/* when it was drawn */
};

static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry	*slots;
static size_t		 nslots;
static size_t		 bytes, max_bytes;
static unsigned long	 tick;

void
cache_init(size_t n, size_t max)
{
	cache_free();
	pthread_mutex_lock(&mu);
	if (n > 0 && (slots = calloc(n, sizeof(*slots))) != NULL) {
		nslots = n;
		max_bytes = max;
	}
	pthread_mutex_unlock(&mu);
}

static void
drop(struct entry *e)
{
	bytes -= e->len;
	free(e->key);
	free(e->page);
	memset(e, 0, sizeof(*e));
}

void
cache_free(void)
{
	size_t	 i;

	pthread_mutex_lock(&mu);
	for (i = 0; i < nslots; i++)
		drop(&slots[i]);
	free(slots);
	slots = NULL;
	nslots = 0;
	bytes = 0;
	pthread_mutex_unlock(&mu);
}

int
cache_get(const char *key, struct buf *out, const char *tok,
    long long votes, long long now, long long stale, long long *drawn)
{
	struct entry	*e;
	size_t		 i, k, at, toklen = strlen(tok);
	int		 hit = 0;

	pthread_mutex_lock(&mu);
	/* A few hundred short keys: a linear look is cheaper than hashing. */
	for (i = 0; i < nslots; i++) {
		e = &slots[i];
		if (e->key == NULL || strcmp(e->key, key) != 0)
			continue;
		/* Older counts than the database's, for long enough. */
		if (e->votes != votes && now - e->at >= stale)
			break;
		if (drawn != NULL)
			*drawn = e->votes;
		e->used = ++tick;
		if (buf_reserve(out, e->len + e->nmarks * toklen) == -1)
			break;
		for (at = 0, k = 0; k < e->nmarks; k++) {
			buf_put(out, e->page + at, e->marks[k] - at);
			buf_put(out, tok, toklen);
			at = e->marks[k];
		}
		buf_put(out, e->page + at, e->len - at);
		hit = !out->err;
		break;
	}
	pthread_mutex_unlock(&mu);
	return hit;
}

void
cache_put(const char *key, const char *page, size_t len, const char *mark,
    long long votes, long long now)
{
	struct entry	*victim = NULL;
	const char	*at, *from, *end = page + len;
	char		*k, *p;
	size_t		 i, marks[MAX_MARKS], nmarks = 0, plen = 0;
	size_t		 mlen = strlen(mark);

	pthread_mutex_lock(&mu);
	if (len > max_bytes / 4) {
		pthread_mutex_unlock(&mu);
		return;
	}
	pthread_mutex_unlock(&mu);
	if ((k = strdup(key)) == NULL)
		return;
	if ((p = malloc(len ? len : 1)) == NULL) {
		free(k);
		return;
	}
	/* Copy without the markers, noting where they stood. */
	for (from = page; (at = memmem(from, (size_t)(end - from), mark,
	    mlen)) != NULL; from = at + mlen) {
		if (nmarks == MAX_MARKS) {
			free(k);
			free(p);
			return;
		}
		memcpy(p + plen, from, (size_t)(at - from));
		plen += (size_t)(at - from);
		marks[nmarks++] = plen;
	}
	memcpy(p + plen, from, (size_t)(end - from));
	plen += (size_t)(end - from);
	len = plen;
	pthread_mutex_lock(&mu);
	for (i = 0; i < nslots; i++) {
		if (slots[i].key != NULL && strcmp(slots[i].key, key) == 0) {
			victim = &slots[i];	/* a race rendered it twice */
			break;
		}
		if (victim == NULL || slots[i].key == NULL ||
		    (victim->key != NULL && slots[i].used < victim->used))
			victim = &slots[i];
	}
	if (victim == NULL) {
		pthread_mutex_unlock(&mu);
		free(k);
		free(p);
		return;
	}
	drop(victim);
	/* Over the byte budget: let the oldest go until it fits. */
	while (bytes + len > max_bytes) {
		struct entry *old = NULL;

		for (i = 0; i < nslots; i++)
			if (slots[i].key != NULL && (old == NULL ||
			    slots[i].used < old->used))
				old = &slots[i];
		if (old == NULL)
			break;
		drop(old);
	}
	victim->key = k;
	victim->page = p;
	victim->len = len;
	memcpy(victim->marks, marks, nmarks * sizeof(marks[0]));
	victim->nmarks = nmarks;
	victim->used = ++tick;
	victim->votes = votes;
	victim->at = now;
	bytes += len;
	pthread_mutex_unlock(&mu);
}

int
cache_fill_tokens(struct buf *b, const char *mark, const char *tok)
{
	const size_t	 mlen = strlen(mark);
	struct buf	 out = BUF_INIT;
	const char	*p, *at, *end;

	if (b->p == NULL || memmem(b->p, b->len, mark, mlen) == NULL)
		return 0;
	end = b->p + b->len;
	for (p = b->p; (at = memmem(p, (size_t)(end - p), mark, mlen)) !=
	    NULL; p = at + mlen) {
		buf_put(&out, p, (size_t)(at - p));
		buf_puts(&out, tok);
	}
	buf_put(&out, p, (size_t)(end - p));
	if (out.err) {
		buf_free(&out);
		return -1;
	}
	buf_free(b);
	*b = out;
	return 0;
}

/* The route's checked fields, as "name=value&...", in field order. */
static const char *
fields_key(struct req *rq)
{
	struct buf	 b = BUF_INIT;
	const char	*rv;
	size_t		 i, k;

	for (i = 0; i < F__MAX; i++) {
		const struct fval *fv = &rq->f[i];

		if (fv->state != FV_OK)
			continue;
		if (fv->count > 0)
			for (k = 0; k < fv->count; k++)
				buf_printf(&b, "&%s=%s", fields[i].name,
				    fv->v[k] != NULL ? fv->v[k] : "");
		else if (fields[i].type == FT_ID)
			buf_printf(&b, "&%s=%lld", fields[i].name, fv->n);
		else
			buf_printf(&b, "&%s=%s", fields[i].name, fv->s);
	}
	rv = b.err ? NULL : arena_strdup(rq->arena, buf_str(&b));
	buf_free(&b);
	return rv;
}

int
cache_begin(struct req *rq, struct resp *r, char kind,
    const struct article *ar, int private)
{
	const char	*etag, *q, *key;
	long long	 now = (long long)time(NULL), drawn = ar->votes;
	int		 hit;

	rq->cache_key = NULL;
	if (private || kv_get(&rq->cookies, HTTP_AUTHOR_COOKIE) != NULL) {
		http_header(r, "Cache-Control", "private, no-cache");
		return 0;
	}
	http_header(r, "Cache-Control", "no-cache");
	if ((q = fields_key(rq)) == NULL) {
		r->body.err = 1;
		return 1;
	}
	/* closed too: auto_close_days closes with time, not a version.
	 * Not the vote counter: see CACHE_VOTES_STALE. */
	if ((key = arena_printf(rq->arena, "%c%lld-v%lld-%d-%s", kind, ar->id,
	    ar->version, ar->closed, q)) == NULL) {
		r->body.err = 1;
		return 1;
	}
	hit = cache_get(key, &r->body, http_form_token(rq), ar->votes, now,
	    CACHE_VOTES_STALE, &drawn);
	/* The ETag names the counts it shows, so a kept page is revalidated
	 * once it is drawn again. */
	etag = arena_printf(rq->arena, "\"%c%lld-v%lld-n%lld-d%lld-q%08x\"",
	    kind, ar->id, ar->version, drawn, now / 86400,
	    http_query_hash(q));
	if (etag != NULL) {
		http_header(r, "ETag", etag);
		if (http_etag_match(rq, etag)) {
			r->status = 304;
			r->body.len = 0;
			return 1;
		}
	}
	if (hit) {
		metrics_add(MC_CACHE_HIT, 1);
		return 1;
	}
	metrics_add(MC_CACHE_MISS, 1);
	rq->cache_key = key;
	rq->cache_kind = kind;
	rq->cache_votes = ar->votes;
	return 0;
}

void
cache_end(struct req *rq, struct resp *r)
{
	const char	*mark;

	if (rq->cache_key == NULL)
		return;
	mark = rq->cache_kind == 'j' ? CACHE_TOKEN_JSON : CACHE_TOKEN;
	if (r->status == 200 && !r->body.err)
		cache_put(rq->cache_key, r->body.p, r->body.len, mark,
		    rq->cache_votes, (long long)time(NULL));
	if (cache_fill_tokens(&r->body, mark, http_form_token(rq)) == -1)
		r->body.err = 1;
}
