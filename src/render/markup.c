/* markup.c: comment Markdown to safe HTML through md4c's parser callbacks */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "core/text.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "render/html.h"
#include "render/markup.h"

/*
 * md4c finds the structure; everything we write is either a tag from the
 * tables below or text through html_textn()/html_attrn().  Raw HTML is
 * off in the parser and MD_BLOCK_HTML and MD_TEXT_HTML are dropped in the
 * callbacks as well.  Tables, LaTeX, wiki links and underline stay off:
 * we have no tags for them.
 */
#define MARKUP_FLAGS	(MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH | \
			    MD_FLAG_PERMISSIVEURLAUTOLINKS | \
			    MD_FLAG_PERMISSIVEEMAILAUTOLINKS | \
			    MD_FLAG_PERMISSIVEWWWAUTOLINKS)

/*
 * XXX: md4c 0.4.8 (Debian 12) reads the byte after the input when it ends
 * inside an inline link destination ("[x](a"); if that byte is ')' it
 * takes the link as closed and reports text from beyond the input with a
 * wrapped-around length.  So we parse a private copy followed by newlines,
 * which end the destination as the end of input should (md4c 0.5 does so),
 * and refuse text that lies outside the input: see text_ok().
 */
#define PAD		"\n\n\n\n\n\n\n\n"
#define INDENT_MAX	16	/* md4c's static string of spaces */
#define LANG_MAX	32	/* longest code fence class we keep */
#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */
#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct tag {
	const char	*open;
	const char	*close;
};

/* Blocks with fixed markup.  OL and CODE carry attributes: see below. */
static const struct tag blocks[] = {
	[MD_BLOCK_QUOTE] =	{ "<blockquote>\n", "</blockquote>\n" },
	[MD_BLOCK_UL] =		{ "<ul>\n", "</ul>\n" },
	[MD_BLOCK_OL] =		{ NULL, "</ol>\n" },
	[MD_BLOCK_LI] =		{ "<li>", "</li>\n" },
	[MD_BLOCK_HR] =		{ "<hr>\n", NULL },
	/* No h1-h6 in comments: a heading is a bold paragraph. */
	[MD_BLOCK_H] =		{ "<p><strong>", "</strong></p>\n" },
	[MD_BLOCK_CODE] =	{ NULL, "</code></pre>\n" },
	[MD_BLOCK_HTML] =	{ NULL, NULL },
	[MD_BLOCK_P] =		{ "<p>", "</p>\n" },
};

/* Spans with fixed markup.  A and IMG are handled apart. */
static const struct tag spans[] = {
	[MD_SPAN_EM] =		{ "<em>", "</em>" },
	[MD_SPAN_STRONG] =	{ "<strong>", "</strong>" },
	[MD_SPAN_CODE] =	{ "<code>", "</code>" },
	[MD_SPAN_DEL] =		{ "<del>", "</del>" },
};

/* The named entities we decode; any other name is shown as typed. */
static const struct {
	const char	*name;
	const char	*utf8;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", "\xc2\xa0" }, { "copy", "\xc2\xa9" },
};

struct render {
	struct buf	*out;
	uintptr_t	 beg, end;	/* our copy of the input */
	struct buf	 tmp;		/* href or title being decoded */
	size_t		 nlinks;	/* <a> written */
	size_t		 adepth;	/* MD_SPAN_A entered, kept or not */
	size_t		 aopen;		/* adepth of the open <a>, or 0 */
	size_t		 imgdepth;	/* inside image alt text */
	int		 nomem;		/* tmp failed */
	int		 bad;		/* md4c reported text off the input */
};


/*
 * Decode a numeric entity "&#NNN;" or "&#xHH;" into u.  Returns the number
 * of bytes, or 0 when the text is not one or names a code point we refuse:
 * NUL, surrogates, beyond U+10FFFF, and controls other than tab and
 * newline (the caller's input check would have refused them typed raw).
 */
static size_t
numeric_decode(const char *s, size_t n, char u[4])
{
	const char	*p = s + 2, *q;
	unsigned long	 cp;
	int		 hex = 0;

	if (n < 4 || s[0] != '&' || s[1] != '#' || s[n - 1] != ';')
		return 0;
	if (*p == 'x' || *p == 'X') {
		hex = 1;
		p++;
	}
	/* Digits only: no sign, space or "0x" for strtoul() to accept. */
	if (p == s + n - 1)
		return 0;
	for (q = p; q < s + n - 1; q++)
		if (hex ? !isxdigit((unsigned char)*q) :
		    !isdigit((unsigned char)*q))
			return 0;
	/* The ';' ends the number; overflow saturates beyond U+10FFFF. */
	cp = strtoul(p, NULL, hex ? 16 : 10);
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp < 0x20 && cp != '\t' && cp != '\n') ||
	    (cp >= 0x7f && cp <= 0x9f))
		return 0;
	return utf8_encode(u, (uint32_t)cp);
}

/* Decode entity text into u; returns its length, or 0 to show it as typed. */
static size_t
entity_decode(const char *s, size_t n, char u[4])
{
	size_t	 i, k;

	if (n >= 2 && s[1] == '#')
		return numeric_decode(s, n, u);
	if (n < 3 || s[0] != '&' || s[n - 1] != ';')
		return 0;
	for (i = 0; i < NITEMS(entities); i++) {
		k = strlen(entities[i].name);
		if (k == n - 2 && memcmp(s + 1, entities[i].name, k) == 0) {
			k = strlen(entities[i].utf8);
			memcpy(u, entities[i].utf8, k);
			return k;
		}
	}
	return 0;
}

/* Append an md4c attribute to b with its entities decoded, unescaped. */
static void
attr_decode(struct buf *b, const MD_ATTRIBUTE *a)
{
	const char	*s;
	char		 u[4];
	size_t		 i, n, k;

	if (a->substr_offsets == NULL || a->substr_types == NULL) {
		buf_put(b, a->text, a->size);
		return;
	}
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		s = a->text + a->substr_offsets[i];
		n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			buf_puts(b, REPLACEMENT);
		else if (a->substr_types[i] == MD_TEXT_ENTITY &&
		    (k = entity_decode(s, n, u)) > 0)
			buf_put(b, u, k);
		else
			buf_put(b, s, n);
	}
}

/*
 * A link target we print: http(s) with a host (html_url_ok) or mailto:
 * with an address.  Nothing of the decoded href may be a control
 * character, whitespace (ASCII, C1 or no-break space) or a backslash,
 * which browsers read as a slash; an embedded NUL fails the length check.
 */
static int
href_ok(const char *s, size_t n)
{
	size_t		 i;
	unsigned char	 c;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f || c == '\\')
			return 0;
		if (c == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0xa0)
			return 0;
	}
	if (strncasecmp(s, "mailto:", 7) == 0)
		return n > 7;
	return text_url_ok(s);
}

/* Only [A-Za-z0-9_+-]{1,32} becomes a class; an entity fails on '&'. */
static int
lang_ok(const char *s, size_t n)
{
	static const char	 ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-";
	size_t			 i;

	if (s == NULL || n == 0 || n > LANG_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(ok, s[i]) == NULL)
			return 0;
	return 1;
}

/*
 * Links never nest in what we write: inside a kept <a>, or inside image
 * alt text, an inner link is its text only.  adepth counts every
 * MD_SPAN_A so the leave that matches the kept one closes it.
 */
static void
link_open(struct render *r, const MD_SPAN_A_DETAIL *d)
{
	r->adepth++;
	if (r->aopen != 0 || r->imgdepth > 0)
		return;
	buf_reset(&r->tmp);
	attr_decode(&r->tmp, &d->href);
	if (r->tmp.err) {
		r->nomem = 1;
		return;
	}
	if (!href_ok(buf_str(&r->tmp), r->tmp.len))
		return;
	html_raw(r->out, "<a href=\"");
	html_attrn(r->out, r->tmp.p, r->tmp.len);
	html_raw(r->out, "\" rel=\"nofollow ugc noopener\"");
	if (d->title.size > 0) {
		buf_reset(&r->tmp);
		attr_decode(&r->tmp, &d->title);
		if (r->tmp.err)
			r->nomem = 1;
		html_raw(r->out, " title=\"");
		html_attrn(r->out, buf_str(&r->tmp), r->tmp.len);
		html_raw(r->out, "\"");
	}
	html_raw(r->out, ">");
	r->aopen = r->adepth;
	r->nlinks++;
}

static void
link_close(struct render *r)
{
	if (r->adepth == 0)
		return;
	if (r->aopen == r->adepth) {
		html_raw(r->out, "</a>");
		r->aopen = 0;
	}
	r->adepth--;
}

static int
status_cb(const struct render *r)
{
	return (r->out->err || r->nomem) ? -1 : 0;
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct render			*r = arg;
	const MD_BLOCK_OL_DETAIL	*ol;
	const MD_BLOCK_CODE_DETAIL	*code;

	switch (type) {
	case MD_BLOCK_OL:
		ol = detail;
		if (ol->start != 1)
			buf_printf(r->out, "<ol start=\"%u\">\n", ol->start);
		else
			html_raw(r->out, "<ol>\n");
		break;
	case MD_BLOCK_CODE:
		code = detail;
		html_raw(r->out, "<pre><code");
		if (lang_ok(code->lang.text, code->lang.size)) {
			html_raw(r->out, " class=\"language-");
			html_attrn(r->out, code->lang.text, code->lang.size);
			html_raw(r->out, "\"");
		}
		html_raw(r->out, ">");
		break;
	default:
		if ((size_t)type < NITEMS(blocks) &&
		    blocks[type].open != NULL)
			html_raw(r->out, blocks[type].open);
		break;
	}
	return status_cb(r);
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct render	*r = arg;

	(void)detail;
	if ((size_t)type < NITEMS(blocks) && blocks[type].close != NULL)
		html_raw(r->out, blocks[type].close);
	return status_cb(r);
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct render	*r = arg;

	if (type == MD_SPAN_IMG)
		r->imgdepth++;
	else if (type == MD_SPAN_A)
		link_open(r, detail);
	else if (r->imgdepth == 0 && (size_t)type < NITEMS(spans) &&
	    spans[type].open != NULL)
		html_raw(r->out, spans[type].open);
	return status_cb(r);
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct render	*r = arg;

	(void)detail;
	if (type == MD_SPAN_IMG && r->imgdepth > 0)
		r->imgdepth--;
	else if (type == MD_SPAN_A)
		link_close(r);
	else if (r->imgdepth == 0 && (size_t)type < NITEMS(spans) &&
	    spans[type].close != NULL)
		html_raw(r->out, spans[type].close);
	return status_cb(r);
}

/*
 * Text md4c reports must lie in the input (see PAD), except its own static
 * strings: indentation spaces, " " and "\n" in code.  Reading a short
 * run of those is harmless; anything else means md4c went astray.
 */
static int
text_ok(const struct render *r, const char *s, MD_SIZE n)
{
	uintptr_t	 p = (uintptr_t)s;
	MD_SIZE		 i;

	if (p >= r->beg && p <= r->end && n <= r->end - p)
		return 1;
	if (n > INDENT_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n')
			return 0;
	return 1;
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *arg)
{
	struct render	*r = arg;
	char		 u[4];
	size_t		 k;

	switch (type) {
	case MD_TEXT_NULLCHAR:
		html_raw(r->out, REPLACEMENT);
		break;
	case MD_TEXT_BR:
		/* Alt text is plain text: no tags, not even <br>. */
		html_raw(r->out, r->imgdepth > 0 ? "\n" : "<br>\n");
		break;
	case MD_TEXT_SOFTBR:
		html_raw(r->out, "\n");
		break;
	case MD_TEXT_HTML:
		/* Never reached with MD_FLAG_NOHTML; dropped if it were. */
		break;
	default:
		if (!text_ok(r, s, n)) {
			r->bad = 1;
			return -1;
		}
		if (type == MD_TEXT_ENTITY &&
		    (k = entity_decode(s, n, u)) > 0)
			html_textn(r->out, u, k);
		else
			html_textn(r->out, s, n);
		break;
	}
	return status_cb(r);
}

static const MD_PARSER parser = {
	.flags = MARKUP_FLAGS,
	.enter_block = enter_block,
	.leave_block = leave_block,
	.enter_span = enter_span,
	.leave_span = leave_span,
	.text = text,
};

enum status
markup_render(struct buf *out, const char *src, size_t len, size_t *nlinks)
{
	struct render	 r;
	char		*copy;
	enum status	 st;
	int		 rc;

	if (nlinks != NULL)
		*nlinks = 0;
	if (out->err)
		return ST_NOMEM;
	/* md4c counts in unsigned int. */
	if (len > (MD_SIZE)-1 - sizeof(PAD))
		return ST_INPUT;
	if ((copy = malloc(len + sizeof(PAD))) == NULL)
		return ST_NOMEM;
	if (len > 0)
		memcpy(copy, src, len);
	memcpy(copy + len, PAD, sizeof(PAD));
	memset(&r, 0, sizeof(r));
	r.out = out;
	r.beg = (uintptr_t)copy;
	r.end = r.beg + len;
	rc = md_parse(copy, (MD_SIZE)len, &parser, &r);
	if (out->err || r.nomem)
		st = ST_NOMEM;
	else if (rc != 0 || r.bad)
		st = ST_INPUT;
	else
		st = ST_OK;
	buf_free(&r.tmp);
	free(copy);
	if (st == ST_OK && nlinks != NULL)
		*nlinks = r.nlinks;
	return st;
}
