/* fuzz_import.c: libFuzzer target: WordPress and Disqus parsers and the HTML converter (Isso's JSON: fuzz_isso.c) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "import/import.h"
#include "render/markup.h"
#include "core/utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
ci_has(const char *s, size_t n, const char *needle)
{
	size_t	 k = strlen(needle), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

/* Converted text is UTF-8 without controls, renders, and renders safe. */
static void
check_text(const char *s, size_t n, int md)
{
	struct buf	 html = BUF_INIT;
	enum status	 st;

	if (!utf8_check(s, n) || memchr(s, '\r', n) != NULL)
		abort();
	if (!md) {
		if (memchr(s, '\n', n) != NULL)
			abort();
		return;
	}
	st = markup_render(&html, s, n, NULL);
	if (st != ST_OK && st != ST_NOMEM)
		abort();
	if (ci_has(buf_str(&html), html.len, "<script") ||
	    ci_has(buf_str(&html), html.len, "<img") ||
	    ci_has(buf_str(&html), html.len, "<iframe") ||
	    ci_has(buf_str(&html), html.len, "href=\"javascript"))
		abort();
	buf_free(&html);
}

static void
check_doc(const struct import_doc *d)
{
	const struct import_comment	*c;
	size_t				 i;

	if (d->source == NULL || (d->nrefused > 0 && d->nwarnings == 0))
		abort();
	for (i = 0; i < d->narticles; i++)
		if (d->articles[i].uri[0] != '/' ||
		    strlen(d->articles[i].uri) > 1024 ||
		    d->articles[i].title[0] == '\0')
			abort();
	for (i = 0; i < d->ncomments; i++) {
		c = &d->comments[i];
		if (c->id == NULL || c->article >= d->narticles ||
		    c->author == NULL || c->author[0] == '\0' ||
		    c->body_len > IMPORT_MAX_COMMENT ||
		    strlen(c->body) != c->body_len)
			abort();
		if (c->parent != IMPORT_NONE && (c->parent >= d->ncomments ||
		    c->parent == i ||
		    d->comments[c->parent].article != c->article))
			abort();
		check_text(c->author, strlen(c->author), 0);
		check_text(c->body, c->body_len, 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_doc	*d;
	struct buf		 b = BUF_INIT;
	char			 err[256];
	int			 k, md;
	enum status		 st;

	for (k = 0; k < IMPORT__MAX; k++) {
		if (k == IMPORT_ISSO)
			continue;
		d = NULL;
		err[0] = '\0';
		st = import_parse((enum import_kind)k, (const char *)data, size,
		    NULL,
		    &d, err, sizeof(err));
		if (st == ST_OK) {
			if (d == NULL)
				abort();
			check_doc(d);
		} else if (d != NULL || err[0] == '\0' ||
		    memchr(err, '\n', strlen(err)) != NULL)
			abort();
		import_doc_free(d);
	}
	/* The converter alone sees bytes XML would refuse. */
	for (md = 0; md <= 1; md++) {
		buf_reset(&b);
		if (import_html_text(&b, (const char *)data, size, md) ==
		    ST_OK)
			check_text(buf_str(&b), b.len, md);
	}
	buf_free(&b);
	return 0;
}
