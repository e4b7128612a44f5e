/* utf8.c: UTF-8 checks and counts, the one place that decodes it */
#include <stdint.h>
#include <stddef.h>

#include "core/utf8.h"

int
utf8_check(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0;
	uint32_t		 cp;
	int			 k;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t' &&
			    c != '\r') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (n - i <= (size_t)k)
			return 0;
		for (int j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		/* C1 controls. */
		if (cp >= 0x80 && cp <= 0x9f)
			return 0;
		i += (size_t)k + 1;
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
