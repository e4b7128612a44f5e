/* vec.c: the one growable array: room for one more element, doubling */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/vec.h"

void *
vec_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	void	*nv;
	size_t	 ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 16;
	if (size == 0 || ncap < *cap || ncap > SIZE_MAX / size)
		return NULL;
	if (a == NULL)
		nv = realloc(v, ncap * size);
	else if ((nv = arena_calloc(a, ncap, size)) != NULL && n > 0)
		memcpy(nv, v, n * size);
	if (nv == NULL)
		return NULL;
	*cap = ncap;
	return nv;
}
