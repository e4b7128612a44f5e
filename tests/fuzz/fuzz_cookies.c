/* fuzz_cookies.c: libFuzzer target: parse_cookies on a Cookie header */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	 A;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct kvlist	 l;
	enum status	 st;
	size_t		 i, seps = 0, total = 0;
	int		 hasnul = memchr(data, '\0', size) != NULL;

	for (i = 0; i < size; i++)
		seps += s[i] == ';';
	st = parse_cookies(&A, s, size, &l);
	if (st != ST_OK && st != ST_TOOBIG && st != ST_NOMEM)
		abort();
	if (st != ST_OK && (l.n != 0 || l.v != NULL))
		abort();
	/* Too many is exactly more than PARSE_MAX_PAIRS segments. */
	if ((st == ST_TOOBIG) != (seps + 1 > PARSE_MAX_PAIRS))
		abort();
	if (st == ST_OK && (l.n > seps + 1 || (l.n > 0 && l.v == NULL)))
		abort();
	for (i = 0; st == ST_OK && i < l.n; i++) {
		const struct kv *kv = &l.v[i];
		const struct kv *first;
		size_t klen;

		if (kv->key == NULL || kv->val == NULL)
			abort();
		if (kv->val[kv->vlen] != '\0' || strlen(kv->val) > kv->vlen)
			abort();
		/* Nothing is decoded: the pieces are no longer than the
		 * header, and a key never holds the separators. */
		klen = strlen(kv->key);
		total += klen + kv->vlen;
		if (memchr(kv->key, '=', klen) != NULL ||
		    memchr(kv->key, ';', klen) != NULL ||
		    memchr(kv->val, ';', kv->vlen) != NULL)
			abort();
		/* Trimmed: no blank at either end of a key.  (A NUL in the
		 * header ends the key early, so only without NULs.) */
		if (klen > 0 && !hasnul && (kv->key[0] == ' ' || kv->key[0] == '\t' ||
		    kv->key[klen - 1] == ' ' || kv->key[klen - 1] == '\t'))
			abort();
		if (kv_get(&l, kv->key) == NULL ||
		    (first = kv_find(&l, kv->key)) == NULL || first > kv ||
		    kv_get(&l, kv->key) != first->val)
			abort();
	}
	if (total > size)
		abort();
	arena_reset(&A);
	return 0;
}
