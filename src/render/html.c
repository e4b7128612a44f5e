/* html.c: escaping writers for HTML text, attributes and query strings */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "render/html.h"

void
htmlf(struct buf *b, const char *fmt, ...)
{
	char	 s[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	/* Our own markup is short; longer means a bug, not a page. */
	if (n < 0 || (size_t)n >= sizeof(s)) {
		b->err = 1;
		return;
	}
	buf_put(b, s, (size_t)n);
}

void
html_attrf(struct buf *b, const char *fmt, ...)
{
	char	 s[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s)) {
		b->err = 1;
		return;
	}
	html_attrn(b, s, (size_t)n);
}

void
html_textf(struct buf *b, const char *fmt, ...)
{
	char	 s[4096];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	/* A sentence and a name or two: longer means a bug. */
	if (n < 0 || (size_t)n >= sizeof(s)) {
		b->err = 1;
		return;
	}
	html_textn(b, s, (size_t)n);
}

void
html_num(struct buf *b, long long v)
{
	char	 s[32];

	html_text(b, i18n_num(s, sizeof(s), v));
}

void
html_th(struct buf *b, const char *label)
{
	html_raw(b, "<th scope=\"col\">");
	html_text(b, label);
	html_raw(b, "</th>");
}

void
html_th_hidden(struct buf *b, const char *label)
{
	html_raw(b, "<th scope=\"col\"><span class=\"visually-hidden\">");
	html_text(b, label);
	html_raw(b, "</span></th>");
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
