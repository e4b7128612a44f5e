/* import_html.c: the HTML of old comments read by libxml2's HTML parser and walked into Markdown or one line of text, never kept as HTML */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "import/import.h"
#include "import/import_md.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * How libxml2 reads a comment: never the network; no errors or warnings
 * on stderr (broken HTML is the rule in old comments, and libxml2 mends
 * it as browsers do); no default DOCTYPE; the encoding is UTF-8 whatever
 * a <meta> says (we hand it valid UTF-8, see clean_input); and
 * XML_PARSE_HUGE, because without it libxml2 stops at 256 nested
 * elements and drops the rest of the comment: the walk below is not
 * recursive, so depth costs nothing.  HTML_PARSE_NOIMPLIED is left out on
 * purpose: without the implied <body>, libxml2 wraps text that follows a
 * closed inline element at the top in a made-up <p>, which would split a
 * sentence ("<b>a</b>b") into two paragraphs.
 */
#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
			    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
			    HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC | \
			    HTML_PARSE_COMPACT | XML_PARSE_HUGE)

/* libxml2 gives element names in lower case. */
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
	{ "dt", TA_BLOCK }, { "em", TA_EM }, { "embed", TA_DROP },
	{ "figcaption", TA_BLOCK }, { "figure", TA_BLOCK },
	{ "footer", TA_BLOCK }, { "form", TA_BLOCK }, { "frameset", TA_DROP },
	{ "h1", TA_BLOCK }, { "h2", TA_BLOCK }, { "h3", TA_BLOCK },
	{ "h4", TA_BLOCK }, { "h5", TA_BLOCK }, { "h6", TA_BLOCK },
	{ "head", TA_DROP }, { "header", TA_BLOCK }, { "hr", TA_BLOCK },
	{ "i", TA_EM }, { "iframe", TA_DROP }, { "kbd", TA_CODE },
	{ "li", TA_LI }, { "main", TA_BLOCK }, { "map", TA_DROP },
	{ "math", TA_DROP }, { "nav", TA_BLOCK }, { "noembed", TA_DROP },
	{ "noframes", TA_DROP }, { "noscript", TA_DROP },
	{ "object", TA_DROP }, { "ol", TA_OL }, { "p", TA_BLOCK },
	{ "plaintext", TA_DROP }, { "pre", TA_PRE }, { "s", TA_DEL },
	{ "samp", TA_CODE }, { "script", TA_DROP }, { "section", TA_BLOCK },
	{ "select", TA_DROP }, { "strike", TA_DEL }, { "strong", TA_STRONG },
	{ "style", TA_DROP }, { "svg", TA_DROP }, { "table", TA_BLOCK },
	{ "td", TA_CELL }, { "template", TA_DROP }, { "textarea", TA_DROP },
	{ "th", TA_CELL }, { "title", TA_DROP }, { "tr", TA_BR },
	{ "tt", TA_CODE }, { "ul", TA_UL }, { "video", TA_DROP },
	{ "xmp", TA_DROP },
};

static enum tact
tag_act(const xmlNode *n)
{
	size_t	 i;

	for (i = 0; i < NITEMS(tags); i++)
		if (strcmp(tags[i].name, (const char *)n->name) == 0)
			return tags[i].act;
	return TA_SPAN;
}

/* Enter a node: 1 when its children are to be walked (and a close
 * follows), 0 for text, comments and what goes with all in it. */
static int
enter(struct mdw *c, xmlNode *n)
{
	enum tact	 act;
	xmlChar		*href = NULL;

	if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
	    n->content != NULL) {
		mdw_text(c, (const char *)n->content,
		    strlen((const char *)n->content));
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE || (act = tag_act(n)) == TA_DROP)
		return 0;
	if (act == TA_A)
		href = xmlGetProp(n, (const xmlChar *)"href");
	mdw_open(c, act, (const char *)href);
	xmlFree(href);
	return 1;
}

static void
leave(struct mdw *c, xmlNode *n)
{
	mdw_close(c, tag_act(n));
}

/* Every node of the document in order, without recursion: depth is the
 * input's to choose. */
static void
walk(struct mdw *c, xmlDoc *doc)
{
	xmlNode	*n = doc->children;

	while (n != NULL) {
		if (enter(c, n)) {
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
			leave(c, n);
		}
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == (xmlNode *)doc)
				return;
			leave(c, n);
		}
		n = n->next;
	}
}

/*
 * What libxml2 reads: the input as valid UTF-8 (a byte that starts no
 * character becomes U+FFFD, so libxml2 never switches to Latin-1 half
 * way) without NULs and control characters other than white space.
 * Returns 1 when it holds markup ('<' or '&') at all.
 */
static int
clean_input(struct buf *b, const char *s, size_t n)
{
	size_t		 i, k;
	uint32_t	 cp;
	int		 markup = 0;

	for (i = 0; i < n; i += k) {
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
			buf_puts(b, UTF8_REPLACEMENT);
			k = 1;
			continue;
		}
		if (cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' &&
		    cp != '\r' && cp != '\f') || cp == 0x7f)
			continue;
		markup |= cp == '<' || cp == '&';
		buf_put(b, s + i, k);
	}
	return markup;
}

enum status
import_html_text(struct buf *out, const char *s, size_t n, int md)
{
	struct mdw	*w;
	struct buf	 in = BUF_INIT;
	xmlDoc		*doc = NULL;
	enum status	 st;

	if ((w = mdw_new(out, md)) == NULL)
		return ST_NOMEM;
	if (clean_input(&in, s, n) && !in.err && in.len <= INT32_MAX) {
		xmlInitParser();
		doc = htmlReadMemory(in.p, (int)in.len, NULL, "UTF-8",
		    HTML_OPTIONS);
	}
	if (doc != NULL)
		walk(w, doc);
	else if (!in.err)
		/* No tag and no entity, or nothing libxml2 could make a
		 * document of: the text, escaped, is all there is. */
		mdw_text(w, buf_str(&in), in.len);
	st = mdw_end(w);
	if (in.err)
		st = ST_NOMEM;
	xmlFreeDoc(doc);
	buf_free(&in);
	return st;
}
