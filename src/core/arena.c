/* arena.c: per-request memory, freed all at once when the request ends */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

/*
 * Under AddressSanitizer every allocation is its own malloc block, so an
 * overflow of one object is caught; otherwise objects are carved from
 * 64 KiB chunks (large ones get a block of their own), which profiles
 * showed saves a malloc and a free per string on every request.
 */
#if defined(ARENA_TEST_CHUNKS)
#define ARENA_CHUNKS	1	/* tests/unit/test_arena.c, under ASan too */
#elif defined(__SANITIZE_ADDRESS__)
#define ARENA_CHUNKS	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_CHUNKS	0
#endif
#endif
#ifndef ARENA_CHUNKS
#define ARENA_CHUNKS	1
#endif

#define CHUNK		(64 * 1024)
#define ALIGN		(sizeof(max_align_t))

struct ablk {
	struct ablk	*next;
	size_t		 used;	/* bytes of data[] handed out */
	size_t		 size;	/* bytes of data[] */
	max_align_t	 data[];
};

static struct ablk *
block(struct arena *a, size_t size)
{
	struct ablk	*b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	if ((b = malloc(sizeof(*b) + size)) == NULL)
		return NULL;
	b->used = 0;
	b->size = size;
	b->next = a->head;
	a->head = b;
	return b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct ablk	*b;
	size_t		 need;
	void		*p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	need = (n + ALIGN - 1) / ALIGN * ALIGN;
	if (!ARENA_CHUNKS || need > CHUNK / 4) {
		/* Alone; keep it behind the current chunk. */
		if ((b = block(a, need)) == NULL)
			return NULL;
		if (ARENA_CHUNKS && b->next != NULL) {
			struct ablk *cur = b->next;

			a->head = cur;
			b->next = cur->next;
			cur->next = b;
		}
		b->used = need;
		a->used += n;
		return b->data;
	}
	b = a->head;
	if (b == NULL || b->size - b->used < need)
		if ((b = block(a, CHUNK)) == NULL)
			return NULL;
	p = (char *)b->data + b->used;
	b->used += need;
	a->used += n;
	return p;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(a, nmemb * size)) != NULL)
		memset(p, 0, nmemb * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_reset(struct arena *a)
{
	struct ablk	*b, *next, *keep = NULL;

	if (a == NULL)
		return;
	/* Keep one chunk for the next request: most fit in it. */
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (ARENA_CHUNKS && keep == NULL && b->size == CHUNK) {
			keep = b;
			keep->used = 0;
			keep->next = NULL;
		} else
			free(b);
	}
	a->head = keep;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	struct ablk	*b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
}
