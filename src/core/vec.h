/* vec.h: the one growable array: room for one more element, doubling */
#ifndef PALAVER_VEC_H
#define PALAVER_VEC_H

#include <stddef.h>

struct arena;

/*
 * vec_grow: the array v of n elements of `size` bytes, with room for at
 * least one more: v itself while n < *cap, else a copy twice as large
 * (16 elements the first time) and *cap updated.  From the arena a, or
 * with realloc(3) when a is NULL (the caller frees the result).  NULL
 * when out of memory or the size would overflow; v is then unchanged.
 */
void	*vec_grow(struct arena *a, void *v, size_t n, size_t *cap,
	    size_t size);

#endif
