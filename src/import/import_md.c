/* import_md.c: Markdown (or one line of text) written from an HTML tree, every text character escaped */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "import/import_md.h"

/* Longer link targets are kept as text only. */
#define MAX_HREF	2048

/*
 * Old comments are HTML (WordPress keeps what the commenter typed, with
 * the tags it allows; Disqus keeps HTML).  We never store it: libxml2
 * parses it (entities included) and import_html.c walks the tree into
 * this writer: every text character is escaped, so markup_render makes
 * the only HTML we keep.  What goes before the next character is kept
 * pending (a space, a line break, a paragraph), so output never ends or
 * starts with white space, and openers of emphasis and links are written
 * only once text follows them.
 */

enum brk {
	BRK_NONE,
	BRK_SPACE,
	BRK_LINE,
	BRK_PARA
};

/* The Markdown of the spans we keep (links are written apart). */
static const char *const markers[] = {
	[TA_EM] = "*",
	[TA_STRONG] = "**",
	[TA_DEL] = "~~",
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

/* An open span: emphasis, strike, or a link. */
struct mark {
	enum tact	 act;
	int		 shown;		/* its opener is written */
	int		 done;		/* a link already written out */
	size_t		 at;		/* a link: where its "[" went */
};

struct conv {	/* what struct mdw stands for */
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
	int		 quote;		/* <blockquote> depth */
	int		 line_quote;	/* the depth of the line written last */
	enum tact	 capture;	/* TA_CODE, TA_PRE, else TA_SPAN */
	struct buf	 cap;		/* their text */
	int		 in_a;		/* <a> elements we are inside */
	int		 link;		/* index of the open link mark, or -1 */
	struct buf	 href;		/* its target */
	struct buf	 atext;		/* its text, spaces collapsed */
	struct mark	 marks[MARKS_MAX];
	int		 nmarks;
	struct {
		int		 ordered;
		int		 n;	/* items so far */
		int		 width;	/* of the last marker */
		int		 due;	/* its item's marker is not written */
	}		 lists[LISTS_MAX];
	int		 nlists;	/* may pass LISTS_MAX: then flat */
	int		 item;		/* a list item's marker is due */
};

static int
is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f';
}

/* The start of the current line: quote markers and list indentation,
 * or the markers of new list items (an item whose first content is a
 * list shows both markers: "1. - x"). */
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
		if (item && (i == nl - 1 || c->lists[i].due)) {
			c->lists[i].due = 0;
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

/* The target of a link as a Markdown destination, inside "(<" ">)":
 * only a '&' needs a backslash there (clean_url encoded the rest). */
static void
put_dest(struct conv *c)
{
	const char	*h = buf_str(&c->href);

	for (; *h != '\0'; h++) {
		if (*h == '&')
			buf_putc(c->out, '\\');
		buf_putc(c->out, *h);
	}
}

/* A link's target on its own: an autolink "<url>" when nothing in it
 * could read as an entity (autolinks take no backslashes), else
 * "[url](<url>)" with the text escaped. */
static void
put_target(struct conv *c)
{
	const char	*h = buf_str(&c->href);

	if (strchr(h, '&') == NULL) {
		buf_putc(c->out, '<');
		buf_puts(c->out, h);
		buf_putc(c->out, '>');
		return;
	}
	buf_putc(c->out, '[');
	for (; *h != '\0'; h++) {
		if (strchr("\\`*_[]<&~", *h) != NULL)
			buf_putc(c->out, '\\');
		buf_putc(c->out, *h);
	}
	buf_puts(c->out, "](<");
	put_dest(c);
	buf_puts(c->out, ">)");
}

/* Link text that names a URL itself ("http://x.example/long/pa..."): the
 * link is written as its real target alone, so only that is linked. */
static int
text_is_url(const struct buf *t)
{
	const char	*s = buf_str(t);

	return strchr(s, ' ') == NULL && (strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0 ||
	    strncasecmp(s, "www.", 4) == 0);
}

/* Finish the link of mark m: "[text](<url>)", or the target alone when
 * its text was empty or a URL (what was written of it goes). */
static void
end_link(struct conv *c, struct mark *m)
{
	size_t	 n = c->atext.len;

	if (m->done)
		return;
	m->done = 1;
	while (n > 0 && c->atext.p[n - 1] == ' ')
		n--;
	c->atext.len = n;
	if (n > 0)
		c->atext.p[n] = '\0';
	if (m->shown && n > 0 && !text_is_url(&c->atext)) {
		buf_puts(c->out, "](<");
		put_dest(c);
		buf_puts(c->out, ">)");
	} else {
		if (m->shown) {
			c->out->len = m->at;
			c->out->p[m->at] = '\0';
		}
		put_target(c);
	}
	m->shown = 0;
	c->bol = 0;
	c->digits = 0;
	c->prev = ')';
}

/* Before a character: the pending break, then the openers due. */
static void
flush(struct conv *c)
{
	struct mark	*m;
	int		 i;

	write_break(c);
	for (i = 0; i < c->nmarks; i++) {
		m = &c->marks[i];
		if (m->shown || m->done)
			continue;
		if (m->act == TA_A) {
			/* "![" would be an image: escape the '!'. */
			if (c->out->len > c->start &&
			    c->out->p[c->out->len - 1] == '!') {
				c->out->p[c->out->len - 1] = '\\';
				buf_putc(c->out, '!');
			}
			m->at = c->out->len;
			buf_putc(c->out, '[');
		} else
			buf_puts(c->out, markers[m->act]);
		m->shown = 1;
		c->bol = 0;
		c->digits = 0;
	}
}

/* Close the shown spans before a break: emphasis opens again after it,
 * a link ends there. */
static void
close_marks(struct conv *c)
{
	struct mark	*m;
	int		 i;

	for (i = c->nmarks - 1; i >= 0; i--) {
		m = &c->marks[i];
		if (m->act == TA_A) {
			if (m->shown)
				end_link(c, m);
		} else if (m->shown) {
			buf_puts(c->out, markers[m->act]);
			m->shown = 0;
		}
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
	if (is_space(cp)) {
		if (b->len > 0 && b->p[b->len - 1] != ' ')
			buf_putc(b, ' ');
	} else
		utf8_put(b, cp);
}

static int
in_link(const struct conv *c)
{
	return c->link >= 0 && !c->marks[c->link].done;
}

static void
atext_add(struct conv *c, uint32_t cp)
{
	if (c->atext.len > MAX_HREF)
		return;		/* too long to be a URL anyway */
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

/* A backslash before what Markdown would read as markup.  In the text of
 * a link we do not keep, also before what would make a link of its own. */
static void
escape(struct conv *c, uint32_t cp)
{
	int	 bol = c->bol, digits = c->digits;

	c->bol = 0;
	c->digits = 0;
	if (cp >= 0x80)
		return;
	if (c->in_a > 0 && !in_link(c) && strchr(":@.", (int)cp) != NULL) {
		buf_putc(c->out, '\\');
		return;
	}
	if ((cp >= '0' && cp <= '9') && (bol || digits > 0) && digits < 9) {
		c->digits = digits + 1;
		return;
	}
	if ((bol && strchr("#>-+=", (int)cp) != NULL) ||
	    strchr("\\`*_[]<&~", (int)cp) != NULL ||
	    (digits > 0 && (cp == '.' || cp == ')')))
		buf_putc(c->out, '\\');
}

/* One character of text. */
static void
put_cp(struct conv *c, uint32_t cp)
{
	int	 cr = c->cr;

	c->cr = 0;
	if (cp >= 0x80 && cp <= 0x9f)
		cp = cp1252[cp - 0x80];
	if (cp == 0 || (cp < 0x20 && !is_space(cp)) || cp == 0x7f)
		return;
	if (cp == 0xa0)
		cp = ' ';
	if (c->capture != TA_SPAN) {
		if (cr && cp == '\n')
			return;
		c->cr = cp == '\r';
		capture(c, cp);
		return;
	}
	if (in_link(c))
		atext_add(c, cp);
	if (is_space(cp)) {
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

/* A bare URL starts at s (so it is written unescaped, for autolinks). */
static int
url_start(const struct conv *c, const char *s, size_t n)
{
	if (c->in_a > 0 || (c->prev < 0x80 && ((c->prev >= '0' &&
	    c->prev <= '9') || (c->prev >= 'a' && c->prev <= 'z') ||
	    (c->prev >= 'A' && c->prev <= 'Z') || (c->prev != 0 &&
	    strchr("/.@-_:", (int)c->prev) != NULL))) || c->prev >= 0x80)
		return 0;
	return (n > 7 && strncasecmp(s, "http://", 7) == 0) ||
	    (n > 8 && strncasecmp(s, "https://", 8) == 0) ||
	    (n > 4 && strncasecmp(s, "www.", 4) == 0);
}

/* Text (valid UTF-8, from libxml2 or checked by clean_input). */
static void
put_text(struct conv *c, const char *s, size_t n)
{
	size_t		 i = 0, k;
	uint32_t	 cp;

	while (i < n) {
		if (c->md && !c->url && c->capture == TA_SPAN &&
		    url_start(c, s + i, n - i))
			c->url = 1;
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
			cp = 0xfffd;
			k = 1;
		}
		put_cp(c, cp);
		i += k;
	}
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
	if (in_link(c))
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
	while (e > p && is_space((unsigned char)e[-1]))
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

/* A code point a link target must not show as it is: white space and
 * the invisible format characters that disguise where it goes. */
static int
hidden_cp(uint32_t cp)
{
	return cp <= 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0) ||
	    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f &&
	    cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff;
}

/* An href as libxml2 decoded it, made a link target: white space at
 * either end and tabs and newlines inside go (as browsers do), and what
 * Markdown or a URL cannot hold as it is gets percent-encoded. */
static void
clean_url(struct buf *b, const char *s)
{
	size_t		 i = 0, n = strlen(s), k, j;
	uint32_t	 cp;

	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	for (; i < n; i += k) {
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
			buf_puts(b, "%EF%BF%BD");
			k = 1;
			continue;
		}
		if (cp == '\t' || cp == '\n' || cp == '\r')
			continue;
		if (hidden_cp(cp) || (cp < 0x80 &&
		    strchr("\"<>`{}|^\\", (int)cp) != NULL)) {
			for (j = 0; j < k; j++)
				buf_printf(b, "%%%02X", (unsigned char)s[i + j]);
		} else
			buf_put(b, s + i, k);
	}
}

static void
open_a(struct conv *c, const char *href)
{
	struct mark	*m;

	/* An <a> inside a link (libxml2 nests them): the outer one ends. */
	if (in_link(c))
		end_link(c, &c->marks[c->link]);
	c->in_a++;
	if (!c->md || href == NULL || c->nmarks >= MARKS_MAX)
		return;
	buf_reset(&c->href);
	buf_reset(&c->atext);
	clean_url(&c->href, href);
	if (c->href.err || c->href.len == 0 || c->href.len > MAX_HREF ||
	    !text_url_ok(buf_str(&c->href)))
		return;
	m = &c->marks[c->nmarks];
	memset(m, 0, sizeof(*m));
	m->act = TA_A;
	c->link = c->nmarks++;
}

/* Pop the marks from the innermost down to the last one of act,
 * closing what is shown; misnested spans close what opened inside. */
static void
pop_mark(struct conv *c, enum tact act)
{
	struct mark	*m;
	int		 i;

	for (i = c->nmarks - 1; i >= 0; i--)
		if (c->marks[i].act == act)
			break;
	for (; i >= 0 && c->nmarks > i; c->nmarks--) {
		m = &c->marks[c->nmarks - 1];
		if (m->act == TA_A) {
			end_link(c, m);
			c->link = -1;
		} else if (m->shown)
			buf_puts(c->out, markers[m->act]);
	}
}

static void
tag_open(struct conv *c, enum tact act, const char *href)
{
	c->url = 0;
	if (c->capture != TA_SPAN) {
		if (act == TA_BR || act == TA_BLOCK || act == TA_LI)
			capture(c, c->capture == TA_PRE ? '\n' : ' ');
		else if (act == TA_CELL)
			capture(c, ' ');
		return;
	}
	switch (act) {
	case TA_SPAN:
	case TA_DROP:
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
		open_a(c, href);
		break;
	case TA_EM:
	case TA_STRONG:
	case TA_DEL:
		if (c->md && c->nmarks < MARKS_MAX) {
			memset(&c->marks[c->nmarks], 0, sizeof(c->marks[0]));
			c->marks[c->nmarks++].act = act;
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
			c->lists[c->nlists].due = 0;
		}
		c->nlists++;
		break;
	case TA_LI:
		want_break(c, BRK_LINE);
		if (c->nlists > 0 && c->nlists <= LISTS_MAX) {
			c->lists[c->nlists - 1].n++;
			c->lists[c->nlists - 1].due = c->md;
		}
		c->item = c->md;
		break;
	}
}

static void
tag_close(struct conv *c, enum tact act)
{
	c->url = 0;
	if (act == TA_A && c->in_a > 0)
		c->in_a--;
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
	case TA_EM:
	case TA_STRONG:
	case TA_DEL:
		if (c->md)
			pop_mark(c, act);
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

/* --- the writer's interface ---------------------------------------------- */

struct mdw *
mdw_new(struct buf *out, int md)
{
	struct conv	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->out = out;
	c->start = out->len;
	c->md = md;
	c->bol = 1;
	c->prev = ' ';
	c->capture = TA_SPAN;
	c->link = -1;
	return (struct mdw *)c;
}

void
mdw_text(struct mdw *w, const char *s, size_t n)
{
	put_text((struct conv *)w, s, n);
}

void
mdw_open(struct mdw *w, enum tact act, const char *href)
{
	tag_open((struct conv *)w, act, href);
}

void
mdw_close(struct mdw *w, enum tact act)
{
	tag_close((struct conv *)w, act);
}

enum status
mdw_end(struct mdw *w)
{
	struct conv	*c = (struct conv *)w;
	int		 err;

	if (c == NULL)
		return ST_OK;
	if (c->capture == TA_CODE)
		end_code(c);
	else if (c->capture == TA_PRE)
		end_pre(c);
	if (in_link(c))
		end_link(c, &c->marks[c->link]);
	close_marks(c);
	err = c->cap.err || c->href.err || c->atext.err || c->out->err;
	buf_free(&c->cap);
	buf_free(&c->href);
	buf_free(&c->atext);
	free(c);
	return err ? ST_NOMEM : ST_OK;
}
