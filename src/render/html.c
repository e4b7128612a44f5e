/* html.c: escaping writers for HTML text, attributes and query strings */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "render/html.h"

void
html_raw(struct buf *b, const char *s)
{
	buf_puts(b, s);
}

void
html_textn(struct buf *b, const char *s, size_t n)
{
	size_t	 i, run;

	for (i = run = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\xef\xbf\xbd"; break;
		default: continue;
		}
		buf_put(b, s + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

void
html_text(struct buf *b, const char *s)
{
	if (s != NULL)
		html_textn(b, s, strlen(s));
}

/* Attributes are always double-quoted, so the same five escapes suffice. */
void
html_attrn(struct buf *b, const char *s, size_t n)
{
	html_textn(b, s, n);
}

void
html_attr(struct buf *b, const char *s)
{
	html_text(b, s);
}

void
html_url_arg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~') {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

void
html_int(struct buf *b, long long v)
{
	char			 d[24], *p = d + sizeof(d);
	unsigned long long	 u;

	/* Called for every id on a page: no printf. */
	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(d + sizeof(d) - p));
}

int
html_url_ok(const char *s)
{
	const char	*auth, *end, *host, *p;
	size_t		 i;

	if (s == NULL)
		return 0;
	if (strncasecmp(s, "http://", 7) == 0)
		auth = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		auth = s + 8;
	else
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		const unsigned char *u = (const unsigned char *)s + i;

		if (*u <= 0x20 || *u == 0x7f || *u == '\\')
			return 0;
		/* C1 controls (U+0080-U+009F) and bidi overrides
		 * (U+202A-U+202E, U+2066-U+2069) disguise where a link goes. */
		if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
			return 0;
		if (u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0xaa &&
		    u[2] <= 0xae) || (u[1] == 0x81 && u[2] >= 0xa6 &&
		    u[2] <= 0xa9)))
			return 0;
	}
	/* The authority runs to the first / ? or #; the host is what is
	 * left after any user info and before any port, and must be there. */
	end = auth + strcspn(auth, "/?#");
	host = auth;
	for (p = auth; p < end; p++)
		if (*p == '@')
			host = p + 1;
	for (p = host; p < end && *p != ':'; p++)
		continue;
	return p > host;
}
