/* parse.c: pure parsers for untrusted request bytes (no I/O, fuzzed) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "http/parse.h"

/* Decode one urlencoded component into the arena; -1 on a bad escape. */
static char *
decode(struct arena *a, const char *s, size_t n, size_t *outlen, int *bad)
{
	char	*p;
	size_t	 i, j;
	int	 hi, lo;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	for (i = j = 0; i < n; i++) {
		if (s[i] == '+')
			p[j++] = ' ';
		else if (s[i] == '%') {
			if (n - i < 3 ||
			    (hi = text_hexval(s[i + 1])) < 0 ||
			    (lo = text_hexval(s[i + 2])) < 0) {
				*bad = 1;
				return p;
			}
			p[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			p[j++] = s[i];
	}
	p[j] = '\0';
	*outlen = j;
	return p;
}

static enum status
split(struct arena *a, const char *s, size_t n, char sep, int cookies,
    struct kvlist *out)
{
	size_t		 i, start, end, eq, cap, klen, vlen;
	struct kv	*v;
	int		 bad = 0;

	out->v = NULL;
	out->n = 0;
	/* Count separators first so one allocation holds every pair. */
	for (cap = 1, i = 0; i < n; i++)
		if (s[i] == sep)
			cap++;
	if (cap > PARSE_MAX_PAIRS)
		return ST_TOOBIG;
	if ((v = arena_calloc(a, cap, sizeof(*v))) == NULL)
		return ST_NOMEM;
	for (start = 0; start <= n; start = end + 1) {
		const char *kp, *vp;

		end = start;
		while (end < n && s[end] != sep)
			end++;
		if (cookies)
			while (start < end && (s[start] == ' ' ||
			    s[start] == '\t'))
				start++;
		for (eq = start; eq < end && s[eq] != '='; eq++)
			continue;
		if (end == start || (cookies && eq == end)) {
			if (end >= n)
				break;
			continue;
		}
		kp = s + start;
		klen = eq - start;
		vp = eq < end ? s + eq + 1 : s + end;
		vlen = eq < end ? end - eq - 1 : 0;
		if (cookies) {
			while (klen > 0 && (kp[klen - 1] == ' ' ||
			    kp[klen - 1] == '\t'))
				klen--;
			while (vlen > 0 && (vp[0] == ' ' || vp[0] == '\t')) {
				vp++;
				vlen--;
			}
			while (vlen > 0 && (vp[vlen - 1] == ' ' ||
			    vp[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && vp[0] == '"' && vp[vlen - 1] == '"') {
				vp++;
				vlen -= 2;
			}
			if ((v[out->n].key = arena_strndup(a, kp, klen)) ==
			    NULL || (v[out->n].val = arena_strndup(a, vp,
			    vlen)) == NULL) {
				out->n = 0;
				return ST_NOMEM;
			}
			v[out->n].vlen = vlen;
		} else {
			size_t dk;

			if ((v[out->n].key = decode(a, kp, klen, &dk, &bad)) ==
			    NULL || (!bad && (v[out->n].val = decode(a, vp, vlen,
			    &v[out->n].vlen, &bad)) == NULL)) {
				out->n = 0;
				return ST_NOMEM;
			}
			if (bad) {
				out->n = 0;
				return ST_INPUT;
			}
			/* A key with a NUL in it can match nothing. */
			if (strlen(v[out->n].key) != dk) {
				out->n = 0;
				return ST_INPUT;
			}
		}
		out->n++;
		if (end >= n)
			break;
	}
	out->v = v;
	return ST_OK;
}

enum status
parse_urlencoded(struct arena *a, const char *s, size_t n, struct kvlist *out)
{
	return split(a, s, n, '&', 0, out);
}

enum status
parse_cookies(struct arena *a, const char *s, size_t n, struct kvlist *out)
{
	return split(a, s, n, ';', 1, out);
}

const struct kv *
kv_find(const struct kvlist *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	const struct kv	*kv = kv_find(l, key);

	return kv != NULL ? kv->val : NULL;
}




