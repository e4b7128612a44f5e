/* import_html.c: the HTML of old comments made Markdown or one line of text, never kept as HTML */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "render/html.h"
#include "import/import.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Longer link targets are kept as text only. */
#define MAX_HREF	2048

/* --- characters ------------------------------------------------------- */

static int
is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\f';
}

static int
is_alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
is_alnum(int ch)
{
	return is_alpha(ch) || is_digit(ch);
}

static int
hexval(int ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}



static size_t	 entity_len(const char *, size_t, uint32_t *);

/* --- HTML to text -------------------------------------------------------- */

/*
 * Old comments are HTML (WordPress keeps what the commenter typed, with
 * the tags it allows; Disqus keeps HTML).  We never store it: a small
 * tokenizer turns it into Markdown whose every text character is escaped,
 * and markup_render makes the only HTML we keep.  What goes before the
 * next character is kept pending (a space, a line break, a paragraph), so
 * output never ends or starts with white space, and openers of emphasis
 * are written only once text follows them.
 */

enum brk {
	BRK_NONE,
	BRK_SPACE,
	BRK_LINE,
	BRK_PARA
};

enum tact {
	TA_SPAN,	/* the tag goes, its text stays (also unknown tags) */
	TA_DROP,	/* the element and all in it go: <svg>, <object> */
	TA_RAW,		/* the same, raw text up to its end tag: <script> */
	TA_BLOCK,	/* a paragraph of its own */
	TA_BR,		/* a line break */
	TA_CELL,	/* a space: table cells */
	TA_A,
	TA_EM,
	TA_STRONG,
	TA_DEL,
	TA_CODE,
	TA_PRE,
	TA_QUOTE,
	TA_UL,
	TA_OL,
	TA_LI
};

static const struct {
	const char	*name;
	enum tact	 act;
} tags[] = {
	{ "a", TA_A }, { "address", TA_BLOCK }, { "applet", TA_DROP },
	{ "article", TA_BLOCK }, { "aside", TA_BLOCK }, { "audio", TA_DROP },
	{ "b", TA_STRONG }, { "blockquote", TA_QUOTE }, { "br", TA_BR },
	{ "canvas", TA_DROP }, { "center", TA_BLOCK }, { "code", TA_CODE },
	{ "dd", TA_BLOCK }, { "del", TA_DEL }, { "details", TA_BLOCK },
	{ "dir", TA_UL }, { "div", TA_BLOCK }, { "dl", TA_BLOCK },
	{ "dt", TA_BLOCK }, { "em", TA_EM }, { "figcaption", TA_BLOCK },
	{ "figure", TA_BLOCK }, { "footer", TA_BLOCK }, { "form", TA_BLOCK },
	{ "frameset", TA_DROP }, { "h1", TA_BLOCK }, { "h2", TA_BLOCK },
	{ "h3", TA_BLOCK }, { "h4", TA_BLOCK }, { "h5", TA_BLOCK },
	{ "h6", TA_BLOCK }, { "head", TA_DROP }, { "header", TA_BLOCK },
	{ "hr", TA_BLOCK }, { "i", TA_EM }, { "iframe", TA_RAW },
	{ "kbd", TA_CODE }, { "li", TA_LI }, { "main", TA_BLOCK },
	{ "map", TA_DROP }, { "math", TA_DROP }, { "nav", TA_BLOCK },
	{ "noembed", TA_RAW }, { "noframes", TA_RAW }, { "noscript", TA_RAW },
	{ "object", TA_DROP }, { "ol", TA_OL }, { "p", TA_BLOCK },
	{ "plaintext", TA_RAW }, { "pre", TA_PRE }, { "s", TA_DEL },
	{ "samp", TA_CODE }, { "script", TA_RAW }, { "section", TA_BLOCK },
	{ "select", TA_DROP }, { "strike", TA_DEL }, { "strong", TA_STRONG },
	{ "style", TA_RAW }, { "svg", TA_DROP }, { "table", TA_BLOCK },
	{ "td", TA_CELL }, { "template", TA_DROP }, { "textarea", TA_RAW },
	{ "th", TA_CELL }, { "title", TA_RAW }, { "tr", TA_BR },
	{ "tt", TA_CODE }, { "ul", TA_UL }, { "video", TA_DROP },
	{ "xmp", TA_RAW },
};

/* The Markdown of the spans we keep. */
static const char *const markers[] = {
	[TA_EM] = "*",
	[TA_STRONG] = "**",
	[TA_DEL] = "~~",
};

/* The named entities old comments use; any other name stays as typed. */
static const struct {
	const char	*name;
	uint32_t	 cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "hellip", 0x2026 },
	{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "sbquo", 0x201a }, { "ldquo", 0x201c },
	{ "rdquo", 0x201d }, { "bdquo", 0x201e }, { "laquo", 0xab },
	{ "raquo", 0xbb }, { "lsaquo", 0x2039 }, { "rsaquo", 0x203a },
	{ "copy", 0xa9 }, { "reg", 0xae }, { "trade", 0x2122 },
	{ "deg", 0xb0 }, { "middot", 0xb7 }, { "bull", 0x2022 },
	{ "euro", 0x20ac }, { "pound", 0xa3 }, { "yen", 0xa5 },
	{ "cent", 0xa2 }, { "sect", 0xa7 }, { "para", 0xb6 },
	{ "times", 0xd7 }, { "divide", 0xf7 }, { "plusmn", 0xb1 },
	{ "frac12", 0xbd }, { "frac14", 0xbc }, { "frac34", 0xbe },
	{ "iexcl", 0xa1 }, { "iquest", 0xbf }, { "shy", 0xad },
	{ "aacute", 0xe1 }, { "agrave", 0xe0 }, { "acirc", 0xe2 },
	{ "auml", 0xe4 }, { "aring", 0xe5 }, { "ccedil", 0xe7 },
	{ "eacute", 0xe9 }, { "egrave", 0xe8 }, { "ecirc", 0xea },
	{ "iacute", 0xed }, { "ntilde", 0xf1 }, { "oacute", 0xf3 },
	{ "ouml", 0xf6 }, { "oslash", 0xf8 }, { "uacute", 0xfa },
	{ "uuml", 0xfc }, { "szlig", 0xdf }, { "Auml", 0xc4 },
	{ "Eacute", 0xc9 }, { "Ouml", 0xd6 }, { "Uuml", 0xdc },
	{ "hearts", 0x2665 }, { "larr", 0x2190 }, { "rarr", 0x2192 },
	{ "prime", 0x2032 }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "thinsp", 0x2009 }, { "zwnj", 0x200c }, { "zwj", 0x200d },
};

/* U+0080 to U+009F read as Windows-1252, as browsers do (0: none). */
static const uint16_t cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

#define MARKS_MAX	16
#define LISTS_MAX	8
#define QUOTE_MAX	8

struct conv {
	struct buf	*out;
	size_t		 start;		/* out->len when we began */
	int		 md;		/* Markdown, else one plain line */
	enum brk	 brk;		/* what goes before the next text */
	int		 nl;		/* newlines in a row in the text */
	int		 cr;		/* the last character was \r */
	int		 bol;		/* the next character starts a line */
	int		 digits;	/* digits that started the line */
	uint32_t	 prev;		/* the last character, ' ' at breaks */
	int		 url;		/* inside a bare URL: not escaped */
	int		 drop;		/* depth inside <svg> and the like */
	int		 quote;		/* <blockquote> depth */
	int		 line_quote;	/* the depth of the line written last */
	enum tact	 capture;	/* TA_CODE, TA_PRE, else TA_SPAN */
	struct buf	 cap;		/* their text */
	int		 in_a;		/* inside <a> */
	struct buf	 href;		/* its URL when we keep it */
	struct buf	 atext;		/* its text, spaces collapsed */
	struct {
		enum tact	 act;
		int		 shown;	/* its opener is written */
	}		 marks[MARKS_MAX];
	int		 nmarks;
	struct {
		int		 ordered;
		int		 n;	/* items so far */
		int		 width;	/* of the last marker */
	}		 lists[LISTS_MAX];
	int		 nlists;	/* may pass LISTS_MAX: then flat */
	int		 item;		/* a list item's marker is due */
};

/* The start of the current line: quote markers and list indentation,
 * or the marker of a new list item. */
static void
put_prefix(struct conv *c, int item)
{
	int	 i, n, nl;
	char	 num[16];

	n = c->quote < QUOTE_MAX ? c->quote : QUOTE_MAX;
	for (i = 0; i < n; i++)
		buf_puts(c->out, "> ");
	c->line_quote = c->quote;
	nl = c->nlists < LISTS_MAX ? c->nlists : LISTS_MAX;
	for (i = 0; i < nl; i++) {
		if (item && i == nl - 1) {
			if (c->lists[i].ordered)
				snprintf(num, sizeof(num), "%d. ",
				    c->lists[i].n);
			else
				snprintf(num, sizeof(num), "- ");
			buf_puts(c->out, num);
			c->lists[i].width = (int)strlen(num);
		} else
			buf_printf(c->out, "%*s", c->lists[i].width, "");
	}
	if (item && nl == 0)
		buf_puts(c->out, "- ");
	c->bol = 1;
	c->digits = 0;
	c->prev = ' ';
}

/* Write the pending break, if any, before the next character. */
static void
write_break(struct conv *c)
{
	int	 i, n, item = c->item;

	c->item = 0;
	if (!c->md) {
		if (c->brk != BRK_NONE && c->out->len > c->start)
			buf_putc(c->out, ' ');
		c->brk = BRK_NONE;
		return;
	}
	if (c->out->len == c->start) {
		if (c->brk != BRK_NONE || item)
			put_prefix(c, item);
	} else if (c->brk == BRK_SPACE && !item) {
		buf_putc(c->out, ' ');
	} else if (c->brk != BRK_NONE || item) {
		/* Two spaces before the newline: a hard line break, as
		 * WordPress shows a single newline. */
		if (c->brk == BRK_LINE && !item)
			buf_puts(c->out, "  ");
		buf_putc(c->out, '\n');
		if (c->brk == BRK_PARA) {
			n = c->quote < c->line_quote ? c->quote : c->line_quote;
			for (i = 0; i < n && i < QUOTE_MAX; i++)
				buf_putc(c->out, '>');
			buf_putc(c->out, '\n');
		}
		put_prefix(c, item);
	}
	c->brk = BRK_NONE;
}

/* Before a character: the pending break, then the openers due. */
static void
flush(struct conv *c)
{
	int	 i;

	write_break(c);
	for (i = 0; i < c->nmarks; i++)
		if (!c->marks[i].shown) {
			buf_puts(c->out, markers[c->marks[i].act]);
			c->marks[i].shown = 1;
			c->bol = 0;
			c->digits = 0;
		}
}

/* Close the shown spans (they open again after the break). */
static void
close_marks(struct conv *c)
{
	int	 i;

	for (i = c->nmarks - 1; i >= 0; i--)
		if (c->marks[i].shown) {
			buf_puts(c->out, markers[c->marks[i].act]);
			c->marks[i].shown = 0;
		}
}

static void
want_break(struct conv *c, enum brk b)
{
	if (!c->md && b > BRK_SPACE)
		b = BRK_SPACE;
	if (b > BRK_SPACE)
		close_marks(c);
	if (b > c->brk)
		c->brk = b;
	c->url = 0;
	c->prev = ' ';
}

/* Append cp to b, white space folded to one space. */
static void
put_folded(struct buf *b, uint32_t cp)
{
	if (is_space((int)cp)) {
		if (b->len > 0 && b->p[b->len - 1] != ' ')
			buf_putc(b, ' ');
	} else
		utf8_put(b, cp);
}

static void
atext_add(struct conv *c, uint32_t cp)
{
	if (c->atext.len > MAX_HREF)
		return;		/* too long to be the URL: the URL shows */
	put_folded(&c->atext, cp);
}

/* Text inside <code> (spaces collapsed) or <pre> (kept). */
static void
capture(struct conv *c, uint32_t cp)
{
	if (c->capture == TA_PRE)
		utf8_put(&c->cap, cp == '\r' || cp == '\f' ? '\n' : cp);
	else
		put_folded(&c->cap, cp);
}

/* A backslash before what Markdown would read as markup. */
static void
escape(struct conv *c, uint32_t cp)
{
	int	 bol = c->bol, digits = c->digits;

	c->bol = 0;
	c->digits = 0;
	if (cp >= 0x80)
		return;
	if (is_digit((int)cp) && (bol || digits > 0) && digits < 9) {
		c->digits = digits + 1;
		return;
	}
	if ((bol && strchr("#>-+=", (int)cp) != NULL) ||
	    strchr("\\`*_[]<&~", (int)cp) != NULL ||
	    (digits > 0 && (cp == '.' || cp == ')')))
		buf_putc(c->out, '\\');
}

/* One character of text, decoded. */
static void
put_cp(struct conv *c, uint32_t cp)
{
	int	 cr = c->cr;

	c->cr = 0;
	if (cp >= 0x80 && cp <= 0x9f)
		cp = cp1252[cp - 0x80];
	if (cp == 0 || (cp < 0x20 && !is_space((int)cp)) || cp == 0x7f)
		return;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp == 0xa0)
		cp = ' ';
	if (c->drop)
		return;
	if (c->capture != TA_SPAN) {
		if (cr && cp == '\n')
			return;
		c->cr = cp == '\r';
		capture(c, cp);
		return;
	}
	if (c->in_a)
		atext_add(c, cp);
	if (is_space((int)cp)) {
		if (cp == '\r' || cp == '\n') {
			c->cr = cp == '\r';
			if (cr && cp == '\n')
				return;
			c->nl++;
			want_break(c, c->nl >= 2 ? BRK_PARA : BRK_LINE);
		} else
			want_break(c, BRK_SPACE);
		return;
	}
	c->nl = 0;
	flush(c);
	if (c->url && strchr("<>\"`\\", (int)cp) != NULL)
		c->url = 0;
	if (c->md && !c->url)
		escape(c, cp);
	else {
		c->bol = 0;
		c->digits = 0;
	}
	utf8_put(c->out, cp);
	c->prev = cp;
}

static void
end_code(struct conv *c)
{
	size_t	 i, run = 0, max = 0;

	c->capture = TA_SPAN;
	while (c->cap.len > 0 && c->cap.p[c->cap.len - 1] == ' ')
		c->cap.len--;
	if (c->cap.len == 0)
		return;
	for (i = 0; i < c->cap.len; i++) {
		run = c->cap.p[i] == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	if (c->in_a)
		buf_put(&c->atext, c->cap.p, c->cap.len);
	flush(c);
	for (i = 0; i <= max; i++)
		buf_putc(c->out, '`');
	if (c->cap.p[0] == '`' || c->cap.p[c->cap.len - 1] == '`')
		buf_putc(c->out, ' ');
	buf_put(c->out, c->cap.p, c->cap.len);
	if (c->cap.p[0] == '`' || c->cap.p[c->cap.len - 1] == '`')
		buf_putc(c->out, ' ');
	for (i = 0; i <= max; i++)
		buf_putc(c->out, '`');
	c->prev = '`';
	buf_reset(&c->cap);
}

static void
end_pre(struct conv *c)
{
	const char	*p, *e;
	size_t		 i, run = 0, max = 2;

	c->capture = TA_SPAN;
	p = c->cap.len > 0 ? c->cap.p : "";
	e = p + c->cap.len;
	while (p < e && *p == '\n')
		p++;
	while (e > p && is_space(e[-1]))
		e--;
	if (p == e)
		return;
	for (i = 0; p + i < e; i++) {
		run = p[i] == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	want_break(c, BRK_PARA);
	write_break(c);
	for (i = 0; i <= max; i++)
		buf_putc(c->out, '`');
	buf_putc(c->out, '\n');
	put_prefix(c, 0);
	for (; p < e; p++) {
		buf_putc(c->out, *p);
		if (*p == '\n')
			put_prefix(c, 0);
	}
	buf_putc(c->out, '\n');
	put_prefix(c, 0);
	for (i = 0; i <= max; i++)
		buf_putc(c->out, '`');
	c->brk = BRK_PARA;
	buf_reset(&c->cap);
}

/* An attribute value with its entities decoded, for a URL: white space
 * inside it goes and characters a URL may not hold are escaped. */
static void
decode_url(struct buf *b, const char *s, size_t n)
{
	size_t		 i = 0, k;
	uint32_t	 cp;

	while (i < n) {
		if (s[i] == '&') {
			i += entity_len(s + i, n - i, &cp);
		} else if ((k = utf8_decode(s + i, n - i,
		    &cp)) > 0) {
			i += k;
		} else {
			cp = 0xfffd;
			i++;
		}
		if (is_space((int)cp) && b->len == 0)
			continue;
		if (cp == '\t' || cp == '\n' || cp == '\r')
			continue;
		if (cp == ' ' || strchr("\"<>`{}|^", (int)(cp < 0x80 ?
		    cp : 'x')) != NULL)
			buf_printf(b, "%%%02X", (unsigned)cp);
		else
			utf8_put(b, cp);
	}
	while (b->len > 3 && strcmp(b->p + b->len - 3, "%20") == 0)
		b->len -= 3, b->p[b->len] = '\0';
}

static void
close_a(struct conv *c)
{
	if (!c->in_a)
		return;
	c->in_a = 0;
	if (c->href.len == 0)
		return;
	while (c->atext.len > 0 && c->atext.p[c->atext.len - 1] == ' ')
		c->atext.len--;
	if (c->atext.len == c->href.len &&
	    memcmp(c->atext.p, c->href.p, c->href.len) == 0)
		return;		/* the text is the URL */
	/* An autolink, <url>: its end is exact and nothing in it is read as
	 * emphasis, whatever follows. */
	if (c->atext.len == 0)
		flush(c);
	else
		buf_puts(c->out, " (");
	buf_putc(c->out, '<');
	buf_put(c->out, c->href.p, c->href.len);
	buf_putc(c->out, '>');
	if (c->atext.len > 0)
		buf_putc(c->out, ')');
	c->bol = 0;
	c->digits = 0;
	c->prev = ')';
}

static void
open_a(struct conv *c, const char *href, size_t hlen)
{
	close_a(c);
	c->in_a = 1;
	buf_reset(&c->href);
	buf_reset(&c->atext);
	if (!c->md || href == NULL)
		return;
	decode_url(&c->href, href, hlen);
	if (c->href.err || c->href.len > MAX_HREF ||
	    !text_url_ok(buf_str(&c->href)))
		buf_reset(&c->href);
}

static void
tag_open(struct conv *c, enum tact act, const char *href, size_t hlen)
{
	c->url = 0;
	if (c->drop) {
		if (act == TA_DROP)
			c->drop++;
		return;
	}
	if (c->capture != TA_SPAN) {
		if (act == TA_BR || act == TA_BLOCK || act == TA_LI)
			capture(c, c->capture == TA_PRE ? '\n' : ' ');
		else if (act == TA_CELL)
			capture(c, ' ');
		return;
	}
	switch (act) {
	case TA_SPAN:
	case TA_RAW:
		break;
	case TA_DROP:
		c->drop = 1;
		break;
	case TA_BLOCK:
		want_break(c, BRK_PARA);
		break;
	case TA_BR:
		want_break(c, BRK_LINE);
		break;
	case TA_CELL:
		want_break(c, BRK_SPACE);
		break;
	case TA_A:
		open_a(c, href, hlen);
		break;
	case TA_EM:
	case TA_STRONG:
	case TA_DEL:
		if (c->md && c->nmarks < MARKS_MAX) {
			c->marks[c->nmarks].act = act;
			c->marks[c->nmarks++].shown = 0;
		}
		break;
	case TA_CODE:
	case TA_PRE:
		if (!c->md) {
			if (act == TA_PRE)
				want_break(c, BRK_PARA);
			break;
		}
		buf_reset(&c->cap);
		c->capture = act;
		break;
	case TA_QUOTE:
		want_break(c, BRK_PARA);
		c->quote++;
		break;
	case TA_UL:
	case TA_OL:
		/* A list inside an item stays tight. */
		want_break(c, c->nlists > 0 ? BRK_LINE : BRK_PARA);
		if (c->nlists < LISTS_MAX) {
			c->lists[c->nlists].ordered = act == TA_OL;
			c->lists[c->nlists].n = 0;
			c->lists[c->nlists].width = act == TA_OL ? 3 : 2;
		}
		c->nlists++;
		break;
	case TA_LI:
		want_break(c, BRK_LINE);
		if (c->nlists > 0 && c->nlists <= LISTS_MAX)
			c->lists[c->nlists - 1].n++;
		c->item = c->md;
		break;
	}
}

static void
tag_close(struct conv *c, enum tact act)
{
	int	 i;

	c->url = 0;
	if (c->drop) {
		if (act == TA_DROP)
			c->drop--;
		return;
	}
	if (c->capture != TA_SPAN) {
		if (act == TA_CODE && c->capture == TA_CODE)
			end_code(c);
		else if (act == TA_PRE && c->capture == TA_PRE)
			end_pre(c);
		else if (act == TA_BLOCK || act == TA_BR)
			capture(c, c->capture == TA_PRE ? '\n' : ' ');
		return;
	}
	switch (act) {
	case TA_BLOCK:
	case TA_PRE:
		want_break(c, BRK_PARA);
		break;
	case TA_BR:
		want_break(c, BRK_LINE);
		break;
	case TA_CELL:
		want_break(c, BRK_SPACE);
		break;
	case TA_A:
		close_a(c);
		break;
	case TA_EM:
	case TA_STRONG:
	case TA_DEL:
		/* Misnested spans close everything opened inside them. */
		for (i = c->nmarks - 1; i >= 0; i--)
			if (c->marks[i].act == act)
				break;
		for (; i >= 0 && c->nmarks > i; c->nmarks--)
			if (c->marks[c->nmarks - 1].shown)
				buf_puts(c->out,
				    markers[c->marks[c->nmarks - 1].act]);
		break;
	case TA_QUOTE:
		want_break(c, BRK_PARA);
		if (c->quote > 0)
			c->quote--;
		break;
	case TA_UL:
	case TA_OL:
		if (c->nlists > 0)
			c->nlists--;
		want_break(c, c->nlists > 0 ? BRK_LINE : BRK_PARA);
		c->item = 0;
		break;
	default:
		break;
	}
}

static enum tact
tag_act(const char *name, size_t n)
{
	size_t	 i;

	for (i = 0; i < NITEMS(tags); i++)
		if (strlen(tags[i].name) == n &&
		    strncasecmp(tags[i].name, name, n) == 0)
			return tags[i].act;
	return TA_SPAN;
}

/* After the start tag of a raw text element (<script>): past its end
 * tag, or the end of the input. */
static size_t
skip_raw(const char *s, size_t n, size_t p, const char *name, size_t nlen)
{
	const char	*gt;
	size_t		 q;

	for (q = p; q + 2 + nlen <= n; q++) {
		if (s[q] != '<' || s[q + 1] != '/' ||
		    strncasecmp(s + q + 2, name, nlen) != 0)
			continue;
		if (q + 2 + nlen < n && !is_space(s[q + 2 + nlen]) &&
		    s[q + 2 + nlen] != '>' && s[q + 2 + nlen] != '/')
			continue;
		gt = memchr(s + q, '>', n - q);
		return gt != NULL ? (size_t)(gt - s) + 1 : n;
	}
	return n;
}

/* Past the next '>' from p, or the end. */
static size_t
past_gt(const char *s, size_t n, size_t p)
{
	const char	*gt = p < n ? memchr(s + p, '>', n - p) : NULL;

	return gt != NULL ? (size_t)(gt - s) + 1 : n;
}

/*
 * At a '<': a tag, comment or declaration, handled; returns where the
 * text goes on.  Returns i itself when the '<' is text ("a < b").  A tag
 * cut off by the end of the input goes with the rest, as in a browser.
 */
static size_t
html_tag(struct conv *c, const char *s, size_t n, size_t i)
{
	size_t	 p = i + 1, nb, ne, ab, ae, vb, ve, hb = 0, he = 0;
	int	 close = 0, self = 0, have_href = 0;
	char	 q;
	const char *e;
	enum tact act;

	if (p >= n)
		return i;
	if (s[p] == '!') {
		if (n - p >= 3 && memcmp(s + p, "!--", 3) == 0) {
			for (p += 3; p + 3 <= n; p++)
				if (memcmp(s + p, "-->", 3) == 0)
					return p + 3;
			return n;
		}
		return past_gt(s, n, p);
	}
	if (s[p] == '?')
		return past_gt(s, n, p);
	if (s[p] == '/') {
		close = 1;
		p++;
	}
	if (p >= n || !is_alpha(s[p]))
		return close ? past_gt(s, n, p) : i;
	for (nb = p; p < n && (is_alnum(s[p]) || s[p] == '-' ||
	    s[p] == ':'); p++)
		continue;
	ne = p;
	while (p < n && s[p] != '>') {
		if (is_space(s[p]) || s[p] == '/') {
			self = s[p] == '/';
			p++;
			continue;
		}
		self = 0;
		for (ab = p; p < n && !is_space(s[p]) && s[p] != '=' &&
		    s[p] != '>' && s[p] != '/'; p++)
			continue;
		ae = p;
		while (p < n && is_space(s[p]))
			p++;
		if (p >= n || s[p] != '=')
			continue;
		for (p++; p < n && is_space(s[p]); p++)
			continue;
		if (p < n && (s[p] == '"' || s[p] == '\'')) {
			q = s[p++];
			if ((e = memchr(s + p, q, n - p)) == NULL)
				return n;
			vb = p;
			ve = (size_t)(e - s);
			p = ve + 1;
		} else {
			for (vb = p; p < n && !is_space(s[p]) && s[p] != '>';
			    p++)
				continue;
			ve = p;
		}
		if (!have_href && ae - ab == 4 &&
		    strncasecmp(s + ab, "href", 4) == 0) {
			have_href = 1;
			hb = vb;
			he = ve;
		}
	}
	if (p >= n)
		return n;
	p++;
	act = tag_act(s + nb, ne - nb);
	if (close) {
		tag_close(c, act);
		return p;
	}
	if (act == TA_RAW)
		return skip_raw(s, n, p, s + nb, ne - nb);
	tag_open(c, act, have_href ? s + hb : NULL, he - hb);
	if (self)
		tag_close(c, act);
	return p;
}

/*
 * At a '&': the character it stands for in *cp and how many bytes it
 * took: "&amp;" is 5, "&#8217;" 7; a '&' that starts no entity is 1.
 */
static size_t
entity_len(const char *s, size_t n, uint32_t *cp)
{
	size_t		 p, i;
	uint32_t	 v = 0;
	int		 hex = 0, d, digits = 0;

	*cp = '&';
	if (n >= 2 && s[1] == '#') {
		p = 2;
		if (p < n && (s[p] == 'x' || s[p] == 'X')) {
			hex = 1;
			p++;
		}
		for (; p < n; p++) {
			d = hex ? hexval(s[p]) : is_digit(s[p]) ? s[p] - '0' :
			    -1;
			if (d < 0)
				break;
			if (v <= 0x10ffff)
				v = v * (hex ? 16 : 10) + (uint32_t)d;
			digits++;
		}
		if (digits == 0)
			return 1;
		if (p < n && s[p] == ';')
			p++;
		*cp = v == 0 || v > 0x10ffff ? 0xfffd : v;
		return p;
	}
	for (p = 1; p < n && p <= 32 && is_alnum(s[p]); p++)
		continue;
	if (p == 1 || p >= n || s[p] != ';')
		return 1;
	for (i = 0; i < NITEMS(entities); i++)
		if (strlen(entities[i].name) == p - 1 &&
		    memcmp(entities[i].name, s + 1, p - 1) == 0) {
			*cp = entities[i].cp;
			return p + 1;
		}
	return 1;
}

/* A bare URL starts here (so it is written unescaped, for autolinks). */
static int
url_start(const struct conv *c, const char *s, size_t n)
{
	if (is_alnum((int)c->prev) || (c->prev != 0 &&
	    strchr("/.@-_:", (int)c->prev) != NULL) || c->prev >= 0x80)
		return 0;
	return (n > 7 && strncasecmp(s, "http://", 7) == 0) ||
	    (n > 8 && strncasecmp(s, "https://", 8) == 0) ||
	    (n > 4 && strncasecmp(s, "www.", 4) == 0);
}

enum status
import_html_text(struct buf *out, const char *s, size_t n, int md)
{
	struct conv	 c;
	size_t		 i = 0, j, k;
	uint32_t	 cp;
	int		 err;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.start = out->len;
	c.md = md;
	c.bol = 1;
	c.prev = ' ';
	c.capture = TA_SPAN;
	while (i < n) {
		if (s[i] == '<' && (j = html_tag(&c, s, n, i)) != i) {
			i = j;
			continue;
		}
		if (s[i] == '&') {
			i += entity_len(s + i, n - i, &cp);
			put_cp(&c, cp);
			continue;
		}
		if (md && !c.url && c.capture == TA_SPAN &&
		    url_start(&c, s + i, n - i))
			c.url = 1;
		if ((k = utf8_decode(s + i, n - i,
		    &cp)) == 0) {
			cp = 0xfffd;
			k = 1;
		}
		put_cp(&c, cp);
		i += k;
	}
	if (c.capture == TA_CODE)
		end_code(&c);
	else if (c.capture == TA_PRE)
		end_pre(&c);
	close_a(&c);
	close_marks(&c);
	err = c.cap.err || c.href.err || c.atext.err;
	buf_free(&c.cap);
	buf_free(&c.href);
	buf_free(&c.atext);
	return err || out->err ? ST_NOMEM : ST_OK;
}
