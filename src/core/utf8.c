/* utf8.c: UTF-8, decoded and encoded in this one place */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	uint32_t		 v;
	size_t			 k, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		k = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		k = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		k = 4;
		v = s[0] & 0x07;
	} else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && v < 0x800) || (k == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return k;
}

size_t
utf8_encode(char u[4], uint32_t cp)
{
	size_t	 n, i;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (i = n - 1; i > 0; i--, cp >>= 6)
		u[i] = (char)(0x80 | (cp & 0x3f));
	u[0] = (char)(((0xff00 >> n) & 0xff) | cp);
	return n;
}

void
utf8_put(struct buf *b, uint32_t cp)
{
	char	 u[4];
	size_t	 n;

	if ((n = utf8_encode(u, cp)) > 0)
		buf_put(b, u, n);
}

int
utf8_valid(const char *s, size_t n)
{
	uint32_t	 cp;
	size_t		 i, k;

	for (i = 0; i < n; i += k)
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0)
			return 0;
	return 1;
}

int
utf8_check(const char *s, size_t n)
{
	uint32_t	 cp;
	size_t		 i, k;

	for (i = 0; i < n; i += k) {
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0)
			return 0;
		/* C0 controls but tab and line ends, DEL, C1 controls. */
		if ((cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') ||
		    (cp >= 0x7f && cp <= 0x9f))
			return 0;
	}
	return 1;
}

size_t
utf8_len(const char *str, size_t n)
{
	size_t	 i, len = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)str[i] & 0xc0) != 0x80)
			len++;
	return len;
}

size_t
utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t	 i, chars = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			return i;
	return n;
}

size_t
utf8_repair(struct buf *b, const char *s, size_t n, const char *bad)
{
	uint32_t	 cp;
	size_t		 i = 0, k, from = 0, nbad = 0;

	while (i < n) {
		if ((k = utf8_decode(s + i, n - i, &cp)) > 0) {
			i += k;
			continue;
		}
		buf_put(b, s + from, i - from);
		buf_puts(b, bad);
		nbad++;
		from = ++i;
	}
	buf_put(b, s + from, n - from);
	return nbad;
}
