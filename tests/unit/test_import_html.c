/* test_import_html.c: old comments' HTML made Markdown or one line through libxml2: entities, nesting, malformed markup, links, hostile input */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "import/import.h"
#include "render/markup.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define U_FFFD		"\xef\xbf\xbd"

/* --- HTML to text -------------------------------------------------------- */

struct row {
	const char	*in;
	const char	*md;		/* Markdown */
	const char	*line;		/* one plain line */
};

static const struct row rows[] = {
	{ "", "", "" },
	{ "plain", "plain", "plain" },
	/* Paragraphs and breaks: blank lines, hard line breaks. */
	{ "<p>Hello</p><p>World</p>", "Hello\n\nWorld", "Hello World" },
	{ "<p>a</p>\n<p>b</p>", "a\n\nb", "a b" },
	{ "line one\nline two\n\npara two",
	    "line one  \nline two\n\npara two", "line one line two para two" },
	{ "a\r\nb", "a  \nb", "a b" },
	{ "a<br>b<br/>c<BR />d", "a  \nb  \nc  \nd", "a b c d" },
	{ "<div><p>  spaced   out  </p></div>", "spaced out", "spaced out" },
	{ "<p>Hi &nbsp;&nbsp; there</p>", "Hi there", "Hi there" },
	{ "<h2>Title</h2>text", "Title\n\ntext", "Title text" },
	{ "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
	    "a b  \nc", "a b c" },
	/* Links: "[text](<url>)", http(s) only, the URL once. */
	{ "see <a href=\"https://example.com/a_b\">the site</a> now",
	    "see [the site](<https://example.com/a_b>) now",
	    "see the site now" },
	{ "<a href=\"http://x.com/\" rel=\"nofollow\">http://x.com/</a>",
	    "<http://x.com/>", "http://x.com/" },
	{ "<a href=\"https://e.com/x\"></a>", "<https://e.com/x>", "" },
	{ "<a href='https://e.com/?a=1&amp;b=2'>q</a>",
	    "[q](<https://e.com/?a=1\\&b=2>)", "q" },
	{ "<a href=https://e.com/a_b*c*>the *site*</a>.",
	    "[the \\*site\\*](<https://e.com/a_b*c*>).", "the *site*." },
	{ "<a href=\"https://e.com/a b\">x</a>", "[x](<https://e.com/a%20b>)",
	    "x" },
	{ "<a href=\"https://a.com/\">one<a href=\"https://b.com/\">two</a>",
	    "[one](<https://a.com/>)[two](<https://b.com/>)", "onetwo" },
	{ "<a href=\"javascript:alert(1)\">click</a>", "click", "click" },
	{ "<a href=\"mailto:a@b.c\">mail me</a>", "mail me", "mail me" },
	{ "<a>no href</a>", "no href", "no href" },
	{ "visit http://example.com/a_b_c today",
	    "visit http://example.com/a_b_c today",
	    "visit http://example.com/a_b_c today" },
	/* Entities, numeric references, Windows-1252 in C1. */
	{ "Tom &amp; Jerry &lt;3 &#8217; &#x1F600; &hellip; &bogus; AT&T",
	    "Tom \\& Jerry \\<3 \xe2\x80\x99 \xf0\x9f\x98\x80 \xe2\x80\xa6 "
	    "\\&bogus; AT\\&T",
	    "Tom & Jerry <3 \xe2\x80\x99 \xf0\x9f\x98\x80 \xe2\x80\xa6 "
	    "&bogus; AT&T" },
	{ "&#146;s &#x92;", "\xe2\x80\x99s \xe2\x80\x99",
	    "\xe2\x80\x99s \xe2\x80\x99" },
	{ "\xc2\x93quoted\xc2\x94", "\xe2\x80\x9cquoted\xe2\x80\x9d",
	    "\xe2\x80\x9cquoted\xe2\x80\x9d" },
	/* References to no character are dropped (libxml2's choice). */
	{ "&#0; &#x110000; &#55296; &#1;x", "x", "x" },
	{ "\xff\xfe bad bytes \x01 ctl", U_FFFD U_FFFD " bad bytes ctl",
	    U_FFFD U_FFFD " bad bytes ctl" },
	/* Every entity HTML names, through libxml2's table. */
	{ "cr&ecirc;pe &Agrave; la carte, &alpha;&beta;&gamma; &hearts; "
	    "&rarr; &euro;5 &ucirc;",
	    "cr\xc3\xaape \xc3\x80 la carte, \xce\xb1\xce\xb2\xce\xb3 "
	    "\xe2\x99\xa5 \xe2\x86\x92 \xe2\x82\xac" "5 \xc3\xbb",
	    "cr\xc3\xaape \xc3\x80 la carte, \xce\xb1\xce\xb2\xce\xb3 "
	    "\xe2\x99\xa5 \xe2\x86\x92 \xe2\x82\xac" "5 \xc3\xbb" },
	{ "&Ouml;sterreich &THORN;orn &szlig; &thetasym; &lArr;",
	    "\xc3\x96sterreich \xc3\x9eorn \xc3\x9f \xcf\x91 "
	    "\xe2\x87\x90",
	    "\xc3\x96sterreich \xc3\x9eorn \xc3\x9f \xcf\x91 "
	    "\xe2\x87\x90" },
	/* Numeric, decimal and hex, upper and lower case. */
	{ "&#233;&#xE9;&#Xe9;&#x2014;&#128512;", "\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80", "\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80" },
	/* Bad ones stay text: unknown, unfinished, empty. */
	{ "&notanentity; &#; &#x; &; & amp; &amp", "\\&notanentity; \\&; "
	    "\\& amp; \\&amp", "&notanentity; &; & amp; &amp" },
	/* Entities that spell markup are text, never markup. */
	{ "&lt;b&gt;x&lt;/b&gt; &#42;y&#42; &#91;z&#93;(u)",
	    "\\<b>x\\</b> \\*y\\* \\[z\\](u)", "<b>x</b> *y* [z](u)" },
	{ "<a href=\"https://e.com/?a=1&amp;copy=2&lt;\">c</a>",
	    "[c](<https://e.com/?a=1\\&copy=2%3C>)", "c" },
	/* Link text that is a URL, or one cut short (Disqus): the real
	 * target alone, linked once. */
	{ "<a href=\"http://plugins.svn.wordpress.org/wp-resume/trunk/)\" "
	    "rel=\"nofollow\">http://plugins.svn.wordpres...</a>",
	    "<http://plugins.svn.wordpress.org/wp-resume/trunk/)>",
	    "http://plugins.svn.wordpres..." },
	{ "see <a href=\"https://real.example/\">https://other.example/</a>",
	    "see <https://real.example/>", "see https://other.example/" },
	{ "<a href=\"https://e.com/?q=1&amp;r=2\">www.e.com/?q=1...</a>",
	    "[https://e.com/?q=1\\&r=2](<https://e.com/?q=1\\&r=2>)",
	    "www.e.com/?q=1..." },
	/* The text of a link we do not keep never becomes a link. */
	{ "<a href=\"mailto:a@b.example\">http://c.example/ a@b.example</a>",
	    "http\\://c\\.example/ a\\@b\\.example",
	    "http://c.example/ a@b.example" },
	/* "![" would be an image. */
	{ "Wow!<a href=\"https://e.com/\">look</a>",
	    "Wow\\![look](<https://e.com/>)", "Wow!look" },
	/* Links end at a paragraph; code and emphasis inside them. */
	{ "<a href=\"https://e.com/\"><p>one</p><p>two</p></a>",
	    "[one](<https://e.com/>)\n\ntwo", "one two" },
	{ "<b><a href=\"https://e.com/\">see <code>x_y</code> <i>it</i>"
	    "</a></b>", "**[see `x_y` *it*](<https://e.com/>)**", "see x_y it" },
	{ "<a href=\" https://e.com/\ta b\n \">x</a>",
	    "[x](<https://e.com/a%20b>)", "x" },
	{ "<a href=\"https://e.com/\xe2\x80\xae/\">x</a>",
	    "[x](<https://e.com/%E2%80%AE/>)", "x" },
	/* Nesting: lists in quotes in lists, emphasis across them. */
	{ "<blockquote><ul><li>a<blockquote>b</blockquote></li></ul>"
	    "</blockquote>", "> - a\n>\n> >   b", "a b" },
	{ "<ol><li><ul><li><b>x</b></li></ul></li></ol>",
	    "1. - **x**", "x" },
	{ "<em>a<strong>b<del>c</del>d</strong>e</em>",
	    "*a**b~~c~~d**e*", "abcde" },
	/* Malformed: stray and unclosed tags, broken attributes. */
	{ "</p></b>text</i>", "text", "text" },
	{ "<p>one<p>two<div>three", "one\n\ntwo\n\nthree",
	    "one two three" },
	{ "<b>bold <i>both</b> italic?</i>", "**bold *both*** italic?",
	    "bold both italic?" },
	/* An unclosed quote runs to the end, as libxml2 reads it. */
	{ "<a href=\"https://e.com/>x</a> y",
	    "<https://e.com/%3Ex%3C/a%3E%20y>", "" },
	{ "<p <b>x</b>", "x", "x" },
	{ "a <3 b <- c <!-> d", "a \\<3 b \\<- c \\<!-> d",
	    "a <3 b <- c <!-> d" },
	{ "<ul><li>a</ul></li><li>b", "- a\n\n- b", "a b" },
	/* Emphasis, code, strike: their Markdown. */
	{ "<b>bold</b> and <em>it <strong>both</strong></em>",
	    "**bold** and *it **both***", "bold and it both" },
	{ "<b> padded </b>x", "**padded** x", "padded x" },
	{ "<b></b>empty", "empty", "empty" },
	/* A paragraph closes the <b> around it, as libxml2 reads HTML. */
	{ "<b><p>a</p><p>b</p></b>", "a\n\nb", "a b" },
	{ "<b><i>x</b>y</i>z", "***x***yz", "xyz" },
	{ "<s>old</s> <del>gone</del>", "~~old~~ ~~gone~~", "old gone" },
	{ "use <code>a_b*c</code> here", "use `a_b*c` here",
	    "use a_b*c here" },
	{ "<code>`tick`</code>", "`` `tick` ``", "`tick`" },
	{ "<pre>int x = 1;\n  y();</pre>", "```\nint x = 1;\n  y();\n```",
	    "int x = 1; y();" },
	{ "<pre>has ``` fence</pre>", "````\nhas ``` fence\n````",
	    "has ``` fence" },
	/* Quotes and lists. */
	{ "<blockquote>quoted\ntext</blockquote>reply",
	    "> quoted  \n> text\n\nreply", "quoted text reply" },
	{ "<blockquote><p>a</p><p>b</p><blockquote>deep</blockquote>"
	    "</blockquote><p>out</p>", "> a\n>\n> b\n>\n> > deep\n\nout",
	    "a b deep out" },
	{ "<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter",
	    "one two after" },
	{ "<ol><li>a<li>b</ol>", "1. a\n2. b", "a b" },
	{ "<ul><li>x<ul><li>y</li></ul></li><li>z</li></ul>",
	    "- x\n  - y\n- z", "x y z" },
	/* Text that Markdown would read as markup stays text. */
	{ "# not a heading\n1984. year\n- not list\n* star\n> no quote",
	    "\\# not a heading  \n1984\\. year  \n\\- not list  \n\\* star  \n"
	    "\\> no quote",
	    "# not a heading 1984. year - not list * star > no quote" },
	{ "1) first", "1\\) first", "1) first" },
	{ "<p>12. Dezember</p>", "12\\. Dezember", "12. Dezember" },
	{ "snake_case *star* [link] `code` ~del~ a\\b",
	    "snake\\_case \\*star\\* \\[link\\] \\`code\\` \\~del\\~ a\\\\b",
	    "snake_case *star* [link] `code` ~del~ a\\b" },
	{ "a < b > c", "a \\< b > c", "a < b > c" },
	/* What goes, with its text. */
	{ "<script>alert(1)</script>ok<style>p{}</style>", "ok", "ok" },
	{ "<SCRIPT type=x>if (a<b) x();</SCRIPT >ok", "ok", "ok" },
	{ "<script>never closed", "", "" },
	{ "<img src=x onerror=alert(1)>", "", "" },
	{ "<iframe src=\"https://evil\">fallback</iframe>x", "x", "x" },
	{ "<svg><text>x</text></svg>y", "y", "y" },
	{ "<!-- secret -->visible<!-- unterminated", "visible", "visible" },
	{ "x<a href=\"https://e.com/\" ", "x<https://e.com/>", "x" },
	{ "x</script>y", "xy", "xy" },
};

/* Every row is tried, and every mismatch shown, before failing. */
static void
test_html_rows(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		buf_reset(&b);
		assert_int_equal(import_html_text(&b, rows[i].in,
		    strlen(rows[i].in), 1), ST_OK);
		if (strcmp(buf_str(&b), rows[i].md) != 0) {
			print_error("row %zu: %s\nwant [%s]\ngot  [%s]\n", i,
			    rows[i].in, rows[i].md, buf_str(&b));
			bad++;
		}
		buf_reset(&b);
		assert_int_equal(import_html_text(&b, rows[i].in,
		    strlen(rows[i].in), 0), ST_OK);
		if (strcmp(buf_str(&b), rows[i].line) != 0) {
			print_error("row %zu (line): %s\nwant [%s]\ngot  "
			    "[%s]\n", i, rows[i].in, rows[i].line,
			    buf_str(&b));
			bad++;
		}
	}
	buf_free(&b);
	if (bad > 0)
		fail_msg("%zu rows differ", bad);
}

/* Appending keeps what the buffer held. */
static void
test_html_append(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	buf_puts(&b, "before|");
	assert_int_equal(import_html_text(&b, "<p>x</p>", 8, 1), ST_OK);
	assert_string_equal(buf_str(&b), "before|x");
	buf_free(&b);
}

/* What readers see: the Markdown rendered, links once and real. */
static const struct {
	const char	*in;
	const char	*html;
} shown[] = {
	{ "<a href=\"http://plugins.svn.wordpress.org/wp-resume/trunk/)\">"
	    "http://plugins.svn.wordpres...</a>",
	    "<p><a href=\"http://plugins.svn.wordpress.org/wp-resume/trunk/)\" "
	    "rel=\"nofollow ugc noopener\">http://plugins.svn.wordpress.org/"
	    "wp-resume/trunk/)</a></p>\n" },
	{ "See <a href=\"https://e.com/?a=1&amp;b=2&amp;amp;c\">this</a>!",
	    "<p>See <a href=\"https://e.com/?a=1&amp;b=2&amp;amp;c\" "
	    "rel=\"nofollow ugc noopener\">this</a>!</p>\n" },
	{ "<a href=\"https://e.com/a&amp;b\">https://e.com/a&amp;b</a>",
	    "<p><a href=\"https://e.com/a&amp;b\" rel=\"nofollow ugc "
	    "noopener\">https://e.com/a&amp;b</a></p>\n" },
	{ "Wow!<a href=\"https://e.com/\">look</a>",
	    "<p>Wow!<a href=\"https://e.com/\" rel=\"nofollow ugc "
	    "noopener\">look</a></p>\n" },
	{ "<a href=\"mailto:a@b.example\">http://c.example/</a>",
	    "<p>http://c.example/</p>\n" },
	{ "bare http://x.example/a_b_c and <b>bold</b>",
	    "<p>bare <a href=\"http://x.example/a_b_c\" rel=\"nofollow ugc "
	    "noopener\">http://x.example/a_b_c</a> and "
	    "<strong>bold</strong></p>\n" },
	{ "<ol><li><ul><li>x</li></ul></li></ol>",
	    "<ol>\n<li><ul>\n<li>x</li>\n</ul>\n</li>\n</ol>\n" },
};

static void
test_html_shown(void **state)
{
	struct buf	 md = BUF_INIT, html = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(shown); i++) {
		buf_reset(&md);
		buf_reset(&html);
		assert_int_equal(import_html_text(&md, shown[i].in,
		    strlen(shown[i].in), 1), ST_OK);
		assert_int_equal(markup_render(&html, buf_str(&md), md.len,
		    NULL), ST_OK);
		if (strcmp(buf_str(&html), shown[i].html) != 0)
			fail_msg("row %zu: %s\nmarkdown [%s]\nwant [%s]\n"
			    "got  [%s]", i, shown[i].in, buf_str(&md),
			    shown[i].html, buf_str(&html));
	}
	buf_free(&md);
	buf_free(&html);
}

static const char *const xss[] = {
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"<svg/onload=alert(1)>",
	"<iframe src=javascript:alert(1)>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
	"<a href=\" javascript:alert(1)\">x</a>",
	"<a href=\"JaVaScRiPt:alert(1)\">x</a>",
	"<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"<<script>script>alert(1)<</script>/script>",
	"<scr<script>ipt>alert(1)</script>",
	"<a href=\"https://x.com/\" onclick=\"alert(1)\">x</a>",
	"<a href='https://x.com/\"onmouseover=\"alert(1)'>x</a>",
	"<a href=\"https://x.com/\"><img src=x onerror=alert(1)></a>",
	"[x](javascript:alert(1))",
	"![x](https://evil.example/x.png)",
	"<div style=\"background:url(javascript:alert(1))\">x</div>",
	"<body onload=alert(1)>",
	"<math><mtext><script>alert(1)</script>",
	"\"><script>alert(1)</script>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<style><img src=x onerror=alert(1)></style>",
	"<textarea><script>alert(1)</script></textarea>",
	"<!--<img src=x onerror=alert(1)>-->",
	"<a href=\"https://ok.com/\">&lt;img src=x onerror=alert(1)&gt;</a>",
	"<object data=\"javascript:alert(1)\">",
	"<a href=\"http://x.com/<script>\">y</a>",
	"<a href=\"https://x.com/\">https://x.com/\"><script>alert(1)</a>",
	"&#60;script&#62;alert(1)&#60;/script&#62;",
	"<a href=\"&#106;avascript:alert(1)\">x</a>",
	"<p><code><script>alert(1)</script></code></p>",
	"<pre><img src=x onerror=alert(1)></pre>",
	"http://x.com/\"><script>alert(1)</script>",
};

/* Tags in rendered comments: only markup's own. */
static const char *const safe_tags[] = { "p", "br", "em", "strong", "del",
    "code", "pre", "blockquote", "ul", "ol", "li", "hr", "a" };

static void
check_safe(const char *payload, const char *html)
{
	const char	*p, *name;
	size_t		 i, k;
	int		 ok;

	for (p = strchr(html, '<'); p != NULL; p = strchr(p + 1, '<')) {
		name = p + 1 + (p[1] == '/');
		for (k = 0; name[k] >= 'a' && name[k] <= 'z'; k++)
			continue;
		for (i = 0, ok = 0; i < NITEMS(safe_tags); i++)
			ok |= strlen(safe_tags[i]) == k &&
			    strncmp(name, safe_tags[i], k) == 0;
		if (!ok)
			fail_msg("%s: tag <%.*s> in %s", payload, (int)k, name,
			    html);
		if (k == 1 && *name == 'a' && p[1] != '/' &&
		    strncmp(name, "a href=\"http", 12) != 0)
			fail_msg("%s: link %s", payload, html);
	}
	for (p = html; *p != '\0'; p++)
		if (strncasecmp(p, "href=\"javascript", 16) == 0)
			fail_msg("%s: %s", payload, html);
}

/* Hostile HTML comes out as text, and the page shows only our markup. */
static void
test_html_xss(void **state)
{
	struct buf	 md = BUF_INIT, html = BUF_INIT, line = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(xss); i++) {
		buf_reset(&md);
		buf_reset(&html);
		buf_reset(&line);
		assert_int_equal(import_html_text(&md, xss[i], strlen(xss[i]),
		    1), ST_OK);
		assert_true(utf8_check(buf_str(&md), md.len));
		assert_int_equal(markup_render(&html, buf_str(&md), md.len,
		    NULL), ST_OK);
		check_safe(xss[i], buf_str(&html));
		assert_int_equal(import_html_text(&line, xss[i],
		    strlen(xss[i]), 0), ST_OK);
		assert_null(strchr(buf_str(&line), '\n'));
		assert_true(utf8_check(buf_str(&line), line.len));
	}
	buf_free(&md);
	buf_free(&html);
	buf_free(&line);
}

/* Deep nesting and long runs stay linear and safe. */
static void
test_html_deep(void **state)
{
	static const char *const units[] = { "<b>", "<blockquote>", "<ul><li>",
	    "<a href=\"https://x.com/\">", "<code>", "<svg>", "</b>", "&amp;",
	    "<", "<!--", "*_`", "<pre>", "<ol><li>1.", "\n\n" };
	struct buf	 in = BUF_INIT, md = BUF_INIT, html = BUF_INIT;
	size_t		 i, j;

	(void)state;
	for (i = 0; i < NITEMS(units); i++) {
		buf_reset(&in);
		buf_reset(&md);
		buf_reset(&html);
		for (j = 0; j < 5000; j++)
			buf_puts(&in, units[i]);
		buf_puts(&in, "x");
		assert_int_equal(import_html_text(&md, in.p, in.len, 1),
		    ST_OK);
		assert_true(utf8_check(buf_str(&md), md.len));
		assert_int_equal(markup_render(&html, buf_str(&md), md.len,
		    NULL), ST_OK);
		check_safe(units[i], buf_str(&html));
	}
	buf_free(&in);
	buf_free(&md);
	buf_free(&html);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_rows),
		cmocka_unit_test(test_html_append),
		cmocka_unit_test(test_html_shown),
		cmocka_unit_test(test_html_xss),
		cmocka_unit_test(test_html_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
