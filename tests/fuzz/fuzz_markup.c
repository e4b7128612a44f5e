/* fuzz_markup.c: libFuzzer target: markup_render output stays safe */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "render/markup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const tags[] = { "p", "br", "em", "strong", "del",
    "code", "pre", "blockquote", "ul", "ol", "li", "hr", "a" };

static int
ci_has(const char *s, size_t n, const char *needle)
{
	size_t	 k = strlen(needle), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

/*
 * Text '<', '>' and '"' are always escaped, so each raw '<' opens a tag we
 * wrote: its name must be ours, no attribute may start with "on", and an
 * <a> must carry our rel and an http(s) or mailto href.  Returns the
 * number of <a> tags.
 */
static size_t
check_tags(const char *s, size_t n)
{
	const char	*p, *e, *end = s + n, *name;
	size_t		 i, k, na = 0;
	int		 inq, ok;

	for (p = s; p < end; p++) {
		if (*p == '>' || *p == '"')
			abort();
		if (*p != '<')
			continue;
		if ((e = memchr(p, '>', (size_t)(end - p))) == NULL)
			abort();
		name = p + 1 + (p[1] == '/');
		for (k = 0; name + k < e && name[k] >= 'a' &&
		    name[k] <= 'z'; k++)
			continue;
		for (i = 0, ok = 0; i < NITEMS(tags); i++)
			if (strlen(tags[i]) == k &&
			    memcmp(name, tags[i], k) == 0)
				ok = 1;
		if (!ok)
			abort();
		for (inq = 0, p = name + k; p < e; p++) {
			if (*p == '"')
				inq = !inq;
			else if (!inq && *p == ' ' && e - p > 2 &&
			    strncasecmp(p + 1, "on", 2) == 0)
				abort();
		}
		if (inq)
			abort();
		if (k == 1 && *name == 'a' && name[-1] == '<') {
			name += 1;
			if (strncmp(name, " href=\"", 7) != 0)
				abort();
			name += 7;
			if (strncasecmp(name, "http://", 7) != 0 &&
			    strncasecmp(name, "https://", 8) != 0 &&
			    strncasecmp(name, "mailto:", 7) != 0)
				abort();
			if (!ci_has(name, (size_t)(e - name),
			    "\" rel=\"nofollow ugc noopener\""))
				abort();
			na++;
		}
	}
	return na;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b = BUF_INIT;
	size_t		 nlinks;
	enum status	 st;

	st = markup_render(&b, (const char *)data, size, &nlinks);
	/*
	 * ST_INPUT means md4c reported text outside the input: refused
	 * safely, but a new md4c bug the padding in markup.c does not cover.
	 */
	if (st != ST_OK && st != ST_NOMEM)
		abort();
	if (b.err && st != ST_NOMEM)
		abort();
	if (ci_has(buf_str(&b), b.len, "<script") ||
	    ci_has(buf_str(&b), b.len, "<img") ||
	    ci_has(buf_str(&b), b.len, "<iframe"))
		abort();
	if (st == ST_OK && check_tags(buf_str(&b), b.len) != nlinks)
		abort();
	buf_free(&b);
	return 0;
}
