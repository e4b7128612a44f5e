/* fuzz_query.c: libFuzzer target: a query string as the page handlers read it */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/arena.h"
#include "http/parse.h"
#include "core/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	 A;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"after", "order", "reply", "edit", "posted", "uri", "before",
		"at", "token", "status",
	};
	struct kvlist	 qs;
	const struct kv	*kv;
	char		*q;
	size_t		 i;
	long long	 id;

	/* QUERY_STRING reaches us as a C string: stop at a NUL. */
	if ((q = malloc(size + 1)) == NULL)
		return 0;
	memcpy(q, data, size);
	q[size] = '\0';
	if (parse_urlencoded(&A, q, strlen(q), &qs) == ST_OK) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if ((kv = kv_find(&qs, keys[i])) == NULL)
				continue;
			id = text_id(kv->val, kv->vlen);
			if (id < 0 || id > (1LL << 53))
				abort();
			if (utf8_check(kv->val, kv->vlen) &&
			    utf8_len(kv->val, kv->vlen) > kv->vlen)
				abort();
		}
	}
	free(q);
	arena_reset(&A);
	return 0;
}
