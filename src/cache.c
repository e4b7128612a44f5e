/* cache.c: rendered public pages, kept per process, keyed by version */
#define _GNU_SOURCE	/* memmem */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"

struct entry {
	char		*key;
	char		*page;
	size_t		 len;
	unsigned long	 used;	/* tick of the last hit, for LRU */
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
cache_get(const char *key, struct buf *out)
{
	size_t	 i;
	int	 hit = 0;

	pthread_mutex_lock(&mu);
	/* A few dozen short keys: a linear look is cheaper than hashing. */
	for (i = 0; i < nslots; i++)
		if (slots[i].key != NULL && strcmp(slots[i].key, key) == 0) {
			slots[i].used = ++tick;
			hit = buf_put(out, slots[i].page, slots[i].len) == 0;
			break;
		}
	pthread_mutex_unlock(&mu);
	return hit;
}

void
cache_put(const char *key, const char *page, size_t len)
{
	struct entry	*victim = NULL;
	char		*k, *p;
	size_t		 i;

	if (len > max_bytes / 4)
		return;
	if ((k = strdup(key)) == NULL)
		return;
	if ((p = malloc(len ? len : 1)) == NULL) {
		free(k);
		return;
	}
	memcpy(p, page, len);
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
	victim->used = ++tick;
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
