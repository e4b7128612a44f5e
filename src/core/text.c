/* text.c: every rule for text people type, with its limits, in one place */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/utf8.h"

const struct text_rule text_rules[TEXT__MAX] = {
	[TEXT_NAME] = { "name", 1, TEXT_NAME_MAX, 0, NULL },
	[TEXT_ACCOUNT] = { "name", 1, TEXT_NAME_MAX, TEXT_NOSPACE, NULL },
	[TEXT_EMAIL] = { "e-mail address", 1, TEXT_EMAIL_MAX, TEXT_NOSPACE,
	    text_email_ok },
	[TEXT_WEBSITE] = { "website", 1, TEXT_WEBSITE_MAX, TEXT_NOSPACE,
	    text_url_ok },
	[TEXT_URI] = { "address", 1, TEXT_URI_MAX, TEXT_NOSPACE,
	    text_uri_ok },
	[TEXT_KEY] = { "uri", 1, TEXT_URI_MAX, 0, NULL },
	[TEXT_TITLE] = { "title", 1, TEXT_TITLE_MAX, 0, NULL },
	[TEXT_BODY] = { "comment", 1, TEXT_BODY_MAX, TEXT_LINES, NULL },
	[TEXT_PASSWORD] = { "password", TEXT_PASSWORD_MIN, TEXT_PASSWORD_MAX,
	    TEXT_RAW, NULL },
	[TEXT_REASON] = { "reason", 1, TEXT_REASON_MAX, 0, NULL },
	[TEXT_QUERY] = { "search", 1, TEXT_QUERY_MAX, 0, NULL },
	[TEXT_BAN] = { "value", 1, TEXT_BAN_MAX, 0, NULL },
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The checks shared by text_take and text_check, on s[0..n) as kept. */
static enum text_err
check(enum text_kind k, const char *s, size_t n, size_t max, size_t *chars)
{
	const struct text_rule	*r = &text_rules[k];
	size_t			 len, i;

	if (memchr(s, '\0', n) != NULL || !utf8_check(s, n))
		return TEXT_NOT_TEXT;
	if (!(r->flags & TEXT_LINES) && (memchr(s, '\n', n) != NULL ||
	    memchr(s, '\r', n) != NULL || memchr(s, '\t', n) != NULL))
		return TEXT_NOT_LINE;
	len = utf8_len(s, n);
	if (chars != NULL)
		*chars = len;
	if (n == 0)
		return TEXT_EMPTY;
	if (k == TEXT_PASSWORD) {
		/* Bytes above: nobody types a kilobyte of password. */
		if (n > TEXT_PASSWORD_MAX)
			return TEXT_TOO_LONG;
	} else if (len > (max > 0 ? max : r->max))
		return TEXT_TOO_LONG;
	if (len < r->min)
		return TEXT_TOO_SHORT;
	if (r->flags & TEXT_NOSPACE)
		for (i = 0; i < n; i++)
			if (s[i] == ' ')
				return TEXT_BAD_FORM;
	if (r->form != NULL && !r->form(s))
		return TEXT_BAD_FORM;
	return TEXT_OK;
}

enum text_err
text_take(struct arena *a, enum text_kind k, const char *s, size_t n,
    size_t max, const char **out, size_t *chars)
{
	char		*p;
	size_t		 i, j, start;
	enum text_err	 e;

	*out = NULL;
	if (chars != NULL)
		*chars = 0;
	if (s == NULL)
		return TEXT_EMPTY;
	/* A NUL would cut the copy short: refuse it before copying. */
	if (memchr(s, '\0', n) != NULL)
		return TEXT_NOT_TEXT;
	if ((p = arena_alloc(a, n + 1)) == NULL)
		return TEXT_NOMEM;
	if (text_rules[k].flags & TEXT_RAW) {
		memcpy(p, s, n);
		j = n;
		start = 0;
	} else {
		for (i = j = 0; i < n; i++) {
			if (s[i] == '\r') {
				p[j++] = '\n';
				if (i + 1 < n && s[i + 1] == '\n')
					i++;
			} else
				p[j++] = s[i];
		}
		while (j > 0 && is_blank(p[j - 1]))
			j--;
		for (start = 0; start < j && is_blank(p[start]); start++)
			continue;
	}
	p[j] = '\0';
	if ((e = check(k, p + start, j - start, max, chars)) != TEXT_OK)
		return e;
	*out = p + start;
	return TEXT_OK;
}

enum text_err
text_check(enum text_kind k, const char *s, size_t max)
{
	if (s == NULL)
		return TEXT_EMPTY;
	return check(k, s, strlen(s), max, NULL);
}

enum text_err
text_password_ok(const char *pw, size_t n, const char *name)
{
	enum text_err	 e;

	if ((e = check(TEXT_PASSWORD, pw, n, 0, NULL)) != TEXT_OK)
		return e;
	if (name != NULL && strlen(name) == n && strncasecmp(pw, name, n) == 0)
		return TEXT_IS_NAME;
	return TEXT_OK;
}

const char *
text_error(struct arena *a, enum text_kind k, enum text_err e, size_t max,
    size_t chars)
{
	const struct text_rule	*r = &text_rules[k];
	const char		*s = NULL;

	if (max == 0)
		max = r->max;
	/* The sentences readers have always seen for their comment. */
	if (k == TEXT_BODY) {
		if (e == TEXT_EMPTY)
			return "Please write a comment.";
		if (e == TEXT_NOT_TEXT)
			return "The comment contains invalid UTF-8 or control "
			    "characters; only text, line breaks and tabs are "
			    "accepted.";
		if (e == TEXT_TOO_LONG)
			s = arena_printf(a, "The comment is %zu characters "
			    "long; the limit is %zu.", chars, max);
	}
	if (s == NULL)
		switch (e) {
		case TEXT_OK:
			return "";
		case TEXT_EMPTY:
			s = arena_printf(a, "Please give the %s.", r->label);
			break;
		case TEXT_NOT_TEXT:
		case TEXT_NOT_LINE:
			s = arena_printf(a, "The %s must be one line of text, "
			    "without control characters.", r->label);
			break;
		case TEXT_TOO_SHORT:
			s = arena_printf(a, "The %s is too short (at least %zu "
			    "characters).", r->label, r->min);
			break;
		case TEXT_TOO_LONG:
			s = k == TEXT_PASSWORD ? arena_printf(a, "The password "
			    "is too long (at most %d bytes).",
			    TEXT_PASSWORD_MAX) : arena_printf(a, "The %s is "
			    "too long (at most %zu characters).", r->label,
			    max);
			break;
		case TEXT_BAD_FORM:
			s = k == TEXT_EMAIL ? "That does not look like an "
			    "e-mail address (it is optional: leave it empty)." :
			    k == TEXT_WEBSITE ? "The website must be an address "
			    "starting with http:// or https://." :
			    k == TEXT_URI ? "The address must be a path "
			    "starting with /, without spaces." :
			    k == TEXT_ACCOUNT ? "A name is 1 to 64 characters "
			    "without spaces." : arena_printf(a, "The %s is not "
			    "acceptable.", r->label);
			break;
		case TEXT_IS_NAME:
			return "The password must not be the name.";
		case TEXT_NOMEM:
		case TEXT_ERR__MAX:
			return "Something went wrong on our side.";
		}
	return s != NULL ? s : "The text is not acceptable.";
}

int
text_email_ok(const char *s)
{
	const char	*at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	if (strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    s[strlen(s) - 1] == '.')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' ||
		    *s == '"' || *s == ',' || *s == ';' || *s == '\\')
			return 0;
	return 1;
}

int
text_url_ok(const char *s)
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

int
text_uri_ok(const char *s)
{
	/* A path on the embedding site, as the widget's data-uri gives:
	 * white space would have been percent-encoded by any browser. */
	return s != NULL && s[0] == '/' && strpbrk(s, " \t\r\n") == NULL;
}

long long
text_id(const char *s, size_t len)
{
	long long	 v = 0;
	size_t		 i;

	if (len == 0 || len > 16 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= (1LL << 53) ? v : 0;
}

/* --- thread keys --------------------------------------------------------- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 3986's unreserved characters: their percent-encodings decode. */
static int
is_unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* What a path (or, with '?', a query) holds as it is: unreserved,
 * sub-delims, ':', '@' and '/'. */
static int
is_uri_char(int c, int query)
{
	return is_unreserved(c) || (c != '\0' && strchr("!$&'()*+,;=:@/",
	    c) != NULL) || (query && c == '?');
}

/* Append s[0..n) to p (which has room for 3n bytes) with its
 * percent-encoding normalised; returns the new end. */
static char *
pct_normalize(char *p, const char *s, size_t n, int query)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;
	int			 hi, lo;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			if (is_unreserved(c)) {
				*p++ = (char)c;
				continue;
			}
		} else if (c != '%' && is_uri_char(c, query)) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '%';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 15];
	}
	return p;
}

/* RFC 3986 5.2.4 on the path p[0..n) (it starts with '/'), in place;
 * returns the new length. */
static size_t
remove_dots(char *p, size_t n)
{
	size_t	 in = 0, out = 0, k;

	while (in < n) {
		if (n - in >= 3 && memcmp(p + in, "/./", 3) == 0) {
			in += 2;
		} else if (n - in == 2 && memcmp(p + in, "/.", 2) == 0) {
			in += 1;
			p[in] = '/';
		} else if ((n - in >= 4 && memcmp(p + in, "/../", 4) == 0) ||
		    (n - in == 3 && memcmp(p + in, "/..", 3) == 0)) {
			/* "/../" and a final "/.." both leave a "/". */
			if (n - in == 3) {
				in += 2;
				p[in] = '/';
			} else
				in += 3;
			while (out > 0 && p[out - 1] != '/')
				out--;
			if (out > 0)
				out--;
		} else {
			/* One segment with its leading '/'; what lies before
			 * `in` is never read again, so it may be written. */
			for (k = 1; in + k < n && p[in + k] != '/'; k++)
				continue;
			memmove(p + out, p + in, k);
			out += k;
			in += k;
		}
	}
	return out;
}

enum text_err
text_uri_normalize(struct arena *a, const char *s, size_t n, unsigned flags,
    const char **out)
{
	const char	*p, *e, *q, *path, *query = NULL;
	char		*r, *w;
	size_t		 i, plen, qlen = 0;

	*out = NULL;
	if (s == NULL)
		return TEXT_EMPTY;
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	while (n > 0 && is_blank(*s)) {
		s++;
		n--;
	}
	if (n == 0)
		return TEXT_EMPTY;
	if (!utf8_valid(s, n))
		return TEXT_NOT_TEXT;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return TEXT_NOT_TEXT;
	e = s + n;
	/* Past the scheme and the authority, if any. */
	for (p = s; p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
	    *p <= 'Z') || (p > s && ((*p >= '0' && *p <= '9') || *p == '+' ||
	    *p == '-' || *p == '.'))); p++)
		continue;
	if (p > s && e - p >= 3 && memcmp(p, "://", 3) == 0)
		p += 3;
	else if (n >= 2 && s[0] == '/' && s[1] == '/')
		p = s + 2;
	else if (s[0] == '/')
		p = NULL;
	else
		return TEXT_BAD_FORM;
	if (p != NULL)
		while (p < e && *p != '/' && *p != '?' && *p != '#')
			p++;
	else
		p = s;
	path = p;
	for (q = p; q < e && *q != '?' && *q != '#'; q++)
		continue;
	plen = (size_t)(q - p);
	if (q < e && *q == '?') {
		query = q + 1;
		for (q = query; q < e && *q != '#'; q++)
			continue;
		qlen = (size_t)(q - query);
	}
	if (!(flags & TEXT_URI_QUERY))
		qlen = 0;
	/* Each byte grows to three at most: the limit is checked after. */
	if (plen + qlen > 3 * TEXT_URI_MAX)
		return TEXT_TOO_LONG;
	if ((r = arena_alloc(a, (plen + qlen) * 3 + 3)) == NULL)
		return TEXT_NOMEM;
	w = r;
	if (plen == 0 || *path != '/')
		*w++ = '/';
	w = pct_normalize(w, path, plen, 0);
	w = r + remove_dots(r, (size_t)(w - r));
	if (qlen > 0) {
		*w++ = '?';
		w = pct_normalize(w, query, qlen, 1);
	}
	*w = '\0';
	if ((size_t)(w - r) > TEXT_URI_MAX)
		return TEXT_TOO_LONG;
	*out = r;
	return TEXT_OK;
}

/* --- cutting ------------------------------------------------------------- */

/* A code point that belongs to the character before it: combining marks,
 * the zero-width joiner, variation selectors, skin-tone modifiers. */
static int
is_joining(uint32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 &&
	    cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
	    (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 &&
	    cp <= 0xfe2f) || cp == 0x200d || (cp >= 0xfe00 &&
	    cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) ||
	    (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

/* Where the code point that ends just before s[end] starts (end > 0). */
static size_t
cp_back(const char *s, size_t end)
{
	size_t	 i = end - 1;

	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

size_t
text_cut(enum text_kind k, const char *s, size_t n, size_t max)
{
	size_t		 cut, prev;
	uint32_t	 cp;

	if (max == 0)
		max = text_rules[k].max;
	if (max == 0 || utf8_len(s, n) <= max)
		return n;
	cut = utf8_prefix(s, n, max);
	/* Back over a base character whose marks would be cut off. */
	while (cut > 0 && utf8_decode(s + cut, n - cut, &cp) > 0 &&
	    is_joining(cp))
		cut = cp_back(s, cut);
	/* No white space, and no joiner waiting for a partner, at the end. */
	while (cut > 0) {
		prev = cp_back(s, cut);
		if (utf8_decode(s + prev, cut - prev, &cp) == 0 ||
		    (cp != ' ' && cp != '\t' && cp != '\n' && cp != 0xa0 &&
		    cp != 0x200d))
			break;
		cut = prev;
	}
	return cut;
}
