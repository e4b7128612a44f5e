/* fuzz_urlencoded.c: libFuzzer target: parse_urlencoded, parse_id, utf8_* */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/arena.h"
#include "http/parse.h"
#include "core/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	 A;

/* The decoded length of a urlencoded component: every %XX is one byte. */
static size_t
decoded_len(const char *s, size_t n)
{
	size_t	 i, len = 0;

	for (i = 0; i < n; i++, len++)
		if (s[i] == '%')
			i += 2;
	return len;
}

/* Pairs come back in input order: count the non-empty '&' segments. */
static size_t
count_pairs(const char *s, size_t n)
{
	size_t	 i, start, pairs = 0;

	for (i = start = 0; i <= n; i++)
		if (i == n || s[i] == '&') {
			if (i > start)
				pairs++;
			start = i + 1;
		}
	return pairs;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct kvlist	 l;
	enum status	 st;
	size_t		 i, total = 0;
	long long	 id;
	char		 digits[17];

	st = parse_urlencoded(&A, s, size, &l);
	if (st != ST_OK && st != ST_INPUT && st != ST_TOOBIG &&
	    st != ST_NOMEM)
		abort();
	/* On error the list is empty. */
	if (st != ST_OK && (l.n != 0 || l.v != NULL))
		abort();
	if (st == ST_OK) {
		if (l.n > PARSE_MAX_PAIRS || l.n != count_pairs(s, size))
			abort();
		if (l.n > 0 && l.v == NULL)
			abort();
	}
	if (st == ST_TOOBIG && count_pairs(s, size) <= PARSE_MAX_PAIRS &&
	    memchr(s, '&', size) == NULL)
		abort();
	for (i = 0; st == ST_OK && i < l.n; i++) {
		const struct kv *kv = &l.v[i];
		const struct kv *first;

		/* Keys are NUL-terminated and hold no NUL; values are
		 * NUL-terminated after vlen bytes, which may hold NULs. */
		if (kv->key == NULL || kv->val == NULL)
			abort();
		if (kv->val[kv->vlen] != '\0' || strlen(kv->val) > kv->vlen)
			abort();
		total += strlen(kv->key) + kv->vlen;
		/* The first pair with this key is what kv_get returns. */
		if (kv_get(&l, kv->key) == NULL ||
		    (first = kv_find(&l, kv->key)) == NULL || first > kv ||
		    strcmp(first->key, kv->key) != 0 ||
		    kv_get(&l, kv->key) != first->val)
			abort();
	}
	/* Decoding never makes anything longer. */
	if (st == ST_OK && total > size)
		abort();
	if (st == ST_OK && total > decoded_len(s, size))
		abort();
	arena_reset(&A);

	if (utf8_check(s, size)) {
		size_t cps = utf8_len(s, size);

		/* 1 to 4 bytes a code point, none of them a control. */
		if (cps > size || cps * 4 < size)
			abort();
		for (i = 0; i < size; i++)
			if ((data[i] < 0x20 && data[i] != '\n' &&
			    data[i] != '\r' && data[i] != '\t') ||
			    data[i] == 0x7f || data[i] >= 0xf5 ||
			    data[i] == 0xc0 || data[i] == 0xc1)
				abort();
	}

	id = text_id(s, size);
	if (id < 0 || id > (1LL << 53))
		abort();
	if (id > 0) {
		if (size > 16 || s[0] == '0')
			abort();
		for (i = 0; i < size; i++)
			if (s[i] < '0' || s[i] > '9')
				abort();
		memcpy(digits, s, size);
		digits[size] = '\0';
		if (strtoll(digits, NULL, 10) != id)
			abort();
	}
	return 0;
}
