/* utf8.h: UTF-8, decoded and encoded in this one place */
#ifndef PALAVER_UTF8_H
#define PALAVER_UTF8_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* What U+FFFD, the replacement character, is in UTF-8. */
#define UTF8_REPLACEMENT	"\xef\xbf\xbd"

/*
 * utf8_decode: the one valid UTF-8 sequence at s[0..n) (no overlongs, no
 * surrogates, nothing past U+10FFFF): its length (1 to 4) with *cp set,
 * or 0 when the bytes there are not one (n == 0 included).
 */
size_t		 utf8_decode(const char *s, size_t n, uint32_t *cp);
/* utf8_encode: write code point cp (at most U+10FFFF, not a surrogate)
 * into out; returns its length, 1 to 4, or 0 when cp is not one. */
size_t		 utf8_encode(char out[4], uint32_t cp);
/* utf8_put: append cp to b (utf8_encode); nothing for a bad cp. */
void		 utf8_put(struct buf *b, uint32_t cp);
/* utf8_valid: 1 when the n bytes are valid UTF-8 (any code point). */
int		 utf8_valid(const char *s, size_t n);
/* utf8_check: 1 when the n bytes are valid UTF-8 (no overlongs, no
 * surrogates) and hold no control characters except \n, \r and \t (the
 * caller normalises \r\n), else 0. */
int		 utf8_check(const char *, size_t);
/* utf8_len: the number of code points in valid UTF-8. */
size_t		 utf8_len(const char *, size_t);
/* utf8_prefix: how many bytes of valid UTF-8 s[0..n) hold at most max
 * code points (never ends inside a character). */
size_t		 utf8_prefix(const char *s, size_t n, size_t max);
/*
 * utf8_repair: append s[0..n) to b with each byte that does not begin a
 * valid sequence replaced by `bad` (for instance UTF8_REPLACEMENT or "?").
 * Returns the number of bytes replaced.
 */
size_t		 utf8_repair(struct buf *b, const char *s, size_t n,
		    const char *bad);

#endif
