/* parse.h: pure parsers for untrusted request bytes (no I/O, fuzzed) */
#ifndef PALAVER_PARSE_H
#define PALAVER_PARSE_H

#include <stddef.h>

#include "core/status.h"

struct arena;

/* One decoded name=value pair.  `val` is NUL-terminated but may hold NULs
 * (vlen counts them); validators refuse those. */
struct kv {
	const char	*key;
	const char	*val;
	size_t		 vlen;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

/* Requests with more pairs than this are refused (ST_TOOBIG): the forms we
 * serve have a dozen fields, and a cap keeps lookups cheap. */
#define PARSE_MAX_PAIRS	256

/*
 * parse_urlencoded: decode application/x-www-form-urlencoded bytes (also
 * query strings): pairs split on '&', '+' is a space, %XX decoded.  A
 * malformed escape is ST_INPUT; more than PARSE_MAX_PAIRS is ST_TOOBIG.
 * Everything lives in the arena.  On error *out is empty.
 */
enum status	 parse_urlencoded(struct arena *, const char *, size_t,
		    struct kvlist *out);
/*
 * parse_cookies: split a Cookie header ("a=1; b=2").  Values are taken as
 * they are (no decoding), surrounding double quotes removed; pairs without
 * '=' are skipped.  Same errors as above.
 */
enum status	 parse_cookies(struct arena *, const char *, size_t,
		    struct kvlist *out);
/* kv_get: the first value for key, or NULL. */
const char	*kv_get(const struct kvlist *, const char *key);
/* kv_find: the first pair for key (its value with its length), or NULL. */
const struct kv	*kv_find(const struct kvlist *, const char *key);

#endif
