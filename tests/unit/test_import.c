/* test_import.c: WordPress and Disqus imports: HTML to text, parsing, malformed and hostile files, storing */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "import/import.h"
#include "render/markup.h"
#include "core/utf8.h"
#include "store/store.h"

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

/* --- parsing ------------------------------------------------------------- */

#define WXR_HEAD(ns) \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n" \
	"<rss version=\"2.0\" " \
	"xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" " \
	"xmlns:wp=\"http://wordpress.org/export/" ns "/\">\n<channel>\n" \
	"<title>Old Blog</title><link>https://blog.example.com</link>\n" \
	"<wp:base_blog_url>https://Blog.Example.com/</wp:base_blog_url>\n"
#define WXR_TAIL	"</channel>\n</rss>\n"
#define ITEM(link, title, type, date, comments) \
	"<item><title>" title "</title><link>" link "</link>" \
	"<wp:post_date_gmt>" date "</wp:post_date_gmt>" \
	"<wp:post_type>" type "</wp:post_type>" comments "</item>\n"
#define WPC(id, parent, approved, type, date, author, content) \
	"<wp:comment><wp:comment_id>" id "</wp:comment_id>" \
	"<wp:comment_parent>" parent "</wp:comment_parent>" \
	"<wp:comment_approved>" approved "</wp:comment_approved>" \
	"<wp:comment_type>" type "</wp:comment_type>" \
	"<wp:comment_date_gmt>" date "</wp:comment_date_gmt>" \
	"<wp:comment_author><![CDATA[" author "]]></wp:comment_author>" \
	"<wp:comment_content><![CDATA[" content "]]></wp:comment_content>" \
	"</wp:comment>\n"

static const char wxr[] =
    WXR_HEAD("1.2")
    ITEM("https://blog.example.com/2015/01/28/hello/",
	"Hello &amp;amp; &lt;em&gt;world&lt;/em&gt;", "post",
	"2015-01-28 10:00:00",
	"<wp:comment><wp:comment_id>1</wp:comment_id>"
	"<wp:comment_author>O&amp;#039;Brien</wp:comment_author>"
	"<wp:comment_author_email>ann@example.com</wp:comment_author_email>"
	"<wp:comment_author_url>https://ann.example.org/</wp:comment_author_url>"
	"<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>"
	"<wp:comment_date_gmt>2015-01-28 11:00:00</wp:comment_date_gmt>"
	"<wp:comment_content><![CDATA[<p>First!</p><p>See "
	"<a href=\"https://x.example/\">this</a>.<script>alert(1)</script>"
	"</p>]]></wp:comment_content>"
	"<wp:comment_approved>1</wp:comment_approved>"
	"<wp:comment_type></wp:comment_type>"
	"<wp:comment_parent>0</wp:comment_parent></wp:comment>\n"
	/* Replies 3 deep; 3 is dated before its parent 2. */
	WPC("2", "1", "0", "", "2015-01-28 12:00:00", "Bob", "pending reply")
	WPC("3", "2", "spam", "comment", "2015-01-28 11:30:00", "Spam",
	    "buy <b>now</b>")
	WPC("4", "0", "trash", "", "2015-01-28 13:00:00", "Tr", "trashed")
	WPC("5", "0", "1", "pingback", "2015-01-28 14:00:00", "Other blog",
	    "[&#8230;] linked [&#8230;]")
	WPC("", "0", "1", "", "2015-01-28 15:00:00", "No id", "left out")
	WPC("7", "99", "1", "", "2015-01-28 16:00:00", "Orphan", "parent gone")
	"<wp:comment><wp:comment_id>8</wp:comment_id>"
	"<wp:comment_author></wp:comment_author>"
	"<wp:comment_author_email>not-an-email</wp:comment_author_email>"
	"<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>"
	"<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>"
	"<wp:comment_date>2015-01-29 08:00:00</wp:comment_date>"
	"<wp:comment_content>anonymous</wp:comment_content>"
	"<wp:comment_approved>1</wp:comment_approved></wp:comment>\n")
    ITEM("https://blog.example.com/wp-content/x.png", "x.png", "attachment",
	"2015-01-28 10:00:00", WPC("50", "0", "1", "", "2015-01-28 10:00:00",
	"A", "on an attachment"))
    ITEM("https://blog.example.com/about/", "About", "page",
	"2015-01-01 10:00:00", "")
    ITEM("https://blog.example.com/?p=7#respond", "Second", "post",
	"2015-02-01 10:00:00",
	WPC("20", "1", "1", "", "2015-02-02 10:00:00", "Cross",
	    "parent under another post"))
    ITEM("", "No link", "post", "2015-03-01 10:00:00",
	WPC("30", "0", "1", "", "2015-03-01 10:00:00", "L", "lost"))
    WXR_TAIL;

static const struct import_comment *
find(const struct import_doc *d, const char *id)
{
	size_t	 i;

	for (i = 0; i < d->ncomments; i++)
		if (strcmp(d->comments[i].id, id) == 0)
			return &d->comments[i];
	fail_msg("no comment %s", id);
	return NULL;
}

static size_t
index_of(const struct import_doc *d, const struct import_comment *c)
{
	return (size_t)(c - d->comments);
}

static int
warned(const struct import_doc *d, const char *needle)
{
	size_t	 i;

	for (i = 0; i < d->nwarnings && i < IMPORT_MAX_WARNINGS; i++)
		if (strstr(d->warnings[i], needle) != NULL)
			return 1;
	return 0;
}

static struct import_doc *
parse_ok(enum import_kind kind, const char *xml)
{
	struct import_doc	*d = NULL;
	char			 err[512];
	enum status		 st;

	st = import_parse(kind, xml, strlen(xml), NULL, &d, err, sizeof(err));
	if (st != ST_OK)
		fail_msg("parse: %s: %s", status_str(st), err);
	assert_non_null(d);
	return d;
}

static void
test_wxr(void **state)
{
	struct import_doc		*d;
	const struct import_comment	*c;

	(void)state;
	d = parse_ok(IMPORT_WORDPRESS, wxr);
	/* The host is no part of the key of its ids. */
	assert_string_equal(d->source, "wordpress");
	/* Items with comments and a link, whatever their type (the
	 * attachment too); not the page without comments, nor the post
	 * without a link.  Keys are paths: "?p=7" goes. */
	assert_int_equal(d->narticles, 3);
	assert_string_equal(d->articles[0].uri, "/2015/01/28/hello/");
	assert_string_equal(d->articles[0].title, "Hello & world");
	assert_int_equal(d->articles[0].created, 1422439200);
	assert_int_equal(d->articles[0].closed, 0);
	assert_string_equal(d->articles[1].uri, "/wp-content/x.png");
	assert_string_equal(d->articles[2].uri, "/");
	assert_string_equal(d->articles[2].link,
	    "https://blog.example.com/?p=7#respond");
	assert_int_equal(d->ncomments, 9);
	assert_int_equal(find(d, "50")->article, 1);
	assert_int_equal(d->nrefused, 2);
	assert_true(warned(d, "no wp:comment_id"));
	assert_true(warned(d, "\"No link\" has no usable <link>"));

	c = find(d, "1");
	assert_string_equal(c->author, "O'Brien");
	assert_string_equal(c->email, "ann@example.com");
	assert_string_equal(c->website, "https://ann.example.org/");
	assert_string_equal(c->body, "First!\n\nSee "
	    "[this](<https://x.example/>).");
	assert_int_equal(c->status, CS_APPROVED);
	assert_int_equal(c->created, 1422442800);
	assert_null(c->parent_id);
	assert_int_equal(c->parent, IMPORT_NONE);
	assert_false(c->pingback);
	assert_int_equal(c->article, 0);

	c = find(d, "2");
	assert_int_equal(c->status, CS_PENDING);
	assert_int_equal(c->parent, index_of(d, find(d, "1")));
	c = find(d, "3");
	assert_int_equal(c->status, CS_SPAM);
	assert_string_equal(c->body, "buy **now**");
	assert_int_equal(c->parent, index_of(d, find(d, "2")));
	assert_int_equal(find(d, "4")->status, CS_DELETED);
	assert_true(find(d, "5")->pingback);
	assert_string_equal(find(d, "5")->body,
	    "\\[\xe2\x80\xa6\\] linked \\[\xe2\x80\xa6\\]");
	/* A missing parent: top level, its id remembered. */
	c = find(d, "7");
	assert_int_equal(c->parent, IMPORT_NONE);
	assert_string_equal(c->parent_id, "99");
	/* No name, a bad e-mail, a javascript: website, a zero date. */
	c = find(d, "8");
	assert_string_equal(c->author, "Anonymous");
	assert_null(c->email);
	assert_null(c->website);
	assert_int_equal(c->created, 1422518400);
	/* A parent under another post does not count. */
	c = find(d, "20");
	assert_int_equal(c->article, 2);
	assert_int_equal(c->parent, IMPORT_NONE);
	import_doc_free(d);
}

/* WXR 1.0 and 1.1 read the same; a duplicate id is dropped. */
static void
test_wxr_versions(void **state)
{
	static const char v10[] = WXR_HEAD("1.0")
	    ITEM("https://blog.example.com/a/", "A", "post", "", WPC("1", "0",
	    "1", "", "2015-01-01 00:00:00", "X", "one") WPC("1", "0", "1", "",
	    "2015-01-01 00:00:00", "Y", "two")) WXR_TAIL;
	static const char v11[] = WXR_HEAD("1.1")
	    ITEM("/relative/path/", "B", "page", "", WPC("1", "0", "1", "",
	    "", "X", "<p>one</p>")) WXR_TAIL;
	struct import_doc	*d;

	(void)state;
	d = parse_ok(IMPORT_WORDPRESS, v10);
	assert_int_equal(d->ncomments, 1);
	assert_string_equal(d->comments[0].author, "X");
	assert_int_equal(d->articles[0].created, 0);
	assert_true(warned(d, "comment id 1 appears twice"));
	import_doc_free(d);
	d = parse_ok(IMPORT_WORDPRESS, v11);
	assert_int_equal(d->ncomments, 1);
	assert_string_equal(d->articles[0].uri, "/relative/path/");
	assert_int_equal(d->comments[0].created, 0);
	import_doc_free(d);
}

#define DSQ_HEAD \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" \
	"<disqus xmlns=\"http://disqus.com\" " \
	"xmlns:dsq=\"http://disqus.com/disqus-internals\">\n" \
	"<category dsq:id=\"1\"><forum>old</forum><title>General</title>" \
	"</category>\n"
#define THREAD(id, link, title, date) \
	"<thread dsq:id=\"" id "\"><forum>old</forum>" \
	"<category dsq:id=\"1\"/><link>" link "</link><title>" title \
	"</title><createdAt>" date "</createdAt><isDeleted>false</isDeleted>" \
	"</thread>\n"
#define POST(id, thread, parent, date, spam, deleted, name, msg) \
	"<post " id "><message><![CDATA[" msg "]]></message>" \
	"<createdAt>" date "</createdAt><isDeleted>" deleted "</isDeleted>" \
	"<isSpam>" spam "</isSpam><author><email>" name "@example.com" \
	"</email><name>" name "</name><isAnonymous>false</isAnonymous>" \
	"</author><ipAddress>192.0.2.7</ipAddress><thread " thread "/>" \
	parent "</post>\n"

static const char dsq[] =
    DSQ_HEAD
    THREAD("100", "https://blog.example.com/2015/01/28/hello/", "Hello",
	"2015-01-28T10:00:00Z")
    THREAD("101", "https://blog.example.com/never/", "Never commented",
	"2015-02-01T10:00:00Z")
    THREAD("102", "http://blog.example.com/other/", "Other &amp; more",
	"2015-03-01T10:00:00Z")
    THREAD("103", "", "No link", "2015-03-01T10:00:00Z")
    POST("dsq:id=\"5001\"", "dsq:id=\"100\"", "", "2015-01-29T10:00:00Z",
	"false", "false", "Dee", "<p>From Disqus</p><p>two</p>")
    POST("dsq:id=\"5002\"", "dsq:id=\"100\"", "<parent dsq:id=\"5001\"/>",
	"2015-01-29T11:00:00.123+01:00", "false", "false", "Eve",
	"<p>a reply</p>")
    POST("dsq:id=\"5003\"", "dsq:id=\"102\"", "", "2015-01-30T10:00:00Z",
	"true", "false", "Spammer", "buy")
    POST("dsq:id=\"5004\"", "dsq:id=\"102\"", "<parent dsq:id=\"9\"/>",
	"2015-01-30T10:00:00Z", "false", "true", "", "gone")
    POST("dsq:id=\"5005\"", "dsq:id=\"777\"", "", "2015-01-30T10:00:00Z",
	"false", "false", "Nowhere", "no thread")
    POST("", "dsq:id=\"100\"", "", "2015-01-30T10:00:00Z", "false",
	"false", "Noid", "no id")
    POST("dsq:id=\"5006\"", "", "", "2015-01-30T10:00:00Z", "false",
	"false", "Nothread", "no thread id")
    POST("dsq:id=\"5007\"", "dsq:id=\"103\"", "", "2015-01-30T10:00:00Z",
	"false", "false", "L", "thread without link")
    "</disqus>\n";

static void
test_disqus(void **state)
{
	struct import_doc		*d;
	const struct import_comment	*c;

	(void)state;
	d = parse_ok(IMPORT_DISQUS, dsq);
	assert_string_equal(d->source, "disqus");
	/* Only threads with posts are articles. */
	assert_int_equal(d->narticles, 2);
	assert_string_equal(d->articles[0].uri, "/2015/01/28/hello/");
	assert_int_equal(d->articles[0].created, 1422439200);
	assert_string_equal(d->articles[1].uri, "/other/");
	assert_string_equal(d->articles[1].title, "Other & more");
	assert_int_equal(d->ncomments, 4);
	assert_int_equal(d->nrefused, 4);
	assert_true(warned(d, "post 5005: its thread is not in the export"));
	assert_true(warned(d, "a <post> without dsq:id"));
	assert_true(warned(d, "thread 103 has no usable <link>"));

	c = find(d, "5001");
	assert_string_equal(c->body, "From Disqus\n\ntwo");
	assert_string_equal(c->author, "Dee");
	assert_string_equal(c->email, "Dee@example.com");
	assert_null(c->website);
	assert_int_equal(c->status, CS_APPROVED);
	assert_int_equal(c->created, 1422525600);
	c = find(d, "5002");
	assert_int_equal(c->parent, index_of(d, find(d, "5001")));
	assert_int_equal(c->created, 1422525600);
	assert_int_equal(find(d, "5003")->status, CS_SPAM);
	c = find(d, "5004");
	assert_int_equal(c->status, CS_DELETED);
	assert_string_equal(c->author, "Anonymous");
	assert_int_equal(c->parent, IMPORT_NONE);
	import_doc_free(d);
}

struct bad {
	enum import_kind	 kind;
	const char		*xml;
	enum status		 st;
	const char		*err;		/* in the message */
};

#define LOL	"<!DOCTYPE lolz [\n" \
	"<!ENTITY lol \"lol\">\n" \
	"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n" \
	"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n" \
	"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n" \
	"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n" \
	"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n" \
	"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n" \
	"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n" \
	"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n" \
	"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n" \
	"]>\n"
#define XXE	"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
#define DTD	"document type declaration"

static const struct bad bads[] = {
	{ IMPORT_WORDPRESS, "{\"json\": true}", ST_INPUT,
	    "not XML: line 1: Start tag expected" },
	{ IMPORT_WORDPRESS, "<rss>\n<channel>\n<item></channel></rss>",
	    ST_INPUT, "not XML: line 3: Opening and ending tag mismatch" },
	{ IMPORT_WORDPRESS, "", ST_INPUT, "not XML: the file is empty" },
	{ IMPORT_WORDPRESS, "   \n", ST_INPUT, "not XML: line 2" },
	{ IMPORT_WORDPRESS, "<rss>&undefined;</rss>", ST_INPUT,
	    "Entity 'undefined' not defined" },
	{ IMPORT_WORDPRESS, "<rss>\xff\xfe</rss>", ST_INPUT, "not XML" },
	{ IMPORT_WORDPRESS, "<?xml version=\"1.0\" encoding=\"x-bogus\"?>"
	    "<rss/>", ST_INPUT, "not XML" },
	{ IMPORT_WORDPRESS, "<rss version=\"2.0\"><channel><item/></channel>"
	    "</rss>", ST_INPUT, "an RSS feed without the namespace" },
	{ IMPORT_WORDPRESS, "<rss xmlns:wp=\"http://wordpress.org/export/"
	    "1.2/\"/>", ST_INPUT, "<rss> without <channel>" },
	{ IMPORT_WORDPRESS, "<rss xmlns:wp=\"http://wordpress.org/export/"
	    "9.9/\"><channel/></rss>", ST_INPUT, "without the namespace" },
	{ IMPORT_WORDPRESS, "<html><body/></html>", ST_INPUT,
	    "not a WordPress export: the root element is <html>" },
	{ IMPORT_WORDPRESS, "<disqus xmlns=\"http://disqus.com\"/>", ST_INPUT,
	    "this is a Disqus export" },
	{ IMPORT_DISQUS, "<rss/>", ST_INPUT, "not a Disqus export: this is "
	    "an RSS file" },
	{ IMPORT_DISQUS, "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>",
	    ST_INPUT, "the root element is <feed>" },
	{ IMPORT_DISQUS, "<disqus xmlns=\"http://example.com/\"/>", ST_INPUT,
	    "<disqus> is not in the namespace http://disqus.com" },
	/* Entity bombs and external entities never get as far as a
	 * reference: the DOCTYPE stops the parser. */
	{ IMPORT_WORDPRESS, LOL "<rss xmlns:wp=\"http://wordpress.org/export/"
	    "1.2/\"><channel><item><title>&lol9;</title></item></channel>"
	    "</rss>", ST_INPUT, DTD },
	{ IMPORT_DISQUS, LOL "<disqus xmlns=\"http://disqus.com\" xmlns:dsq="
	    "\"http://disqus.com/disqus-internals\"><thread dsq:id=\"&lol9;\"/>"
	    "</disqus>", ST_INPUT, DTD },
	{ IMPORT_WORDPRESS, XXE "<rss xmlns:wp=\"http://wordpress.org/export/"
	    "1.2/\"><channel><item><title>&xxe;</title></item></channel>"
	    "</rss>", ST_INPUT, DTD },
	{ IMPORT_DISQUS, "<!DOCTYPE disqus SYSTEM \"file:///etc/passwd\">"
	    "<disqus xmlns=\"http://disqus.com\"/>", ST_INPUT, DTD },
	{ IMPORT_DISQUS, "<!DOCTYPE disqus PUBLIC \"-//x//y\" "
	    "\"http://127.0.0.1:9/evil.dtd\"><disqus/>", ST_INPUT, DTD },
	/* libxml2's limits stay on (no XML_PARSE_HUGE): nesting depth. */
	{ IMPORT_WORDPRESS, NULL, ST_INPUT, "not XML" },
};

static void
test_malformed(void **state)
{
	struct import_doc	*d;
	struct buf		 deep = BUF_INIT;
	const char		*xml;
	char			 err[512];
	size_t			 i, j;
	enum status		 st;

	(void)state;
	for (j = 0; j < 3000; j++)
		buf_puts(&deep, "<x>");
	for (i = 0; i < NITEMS(bads); i++) {
		xml = bads[i].xml != NULL ? bads[i].xml : buf_str(&deep);
		d = (struct import_doc *)1;
		memset(err, 'x', sizeof(err));
		st = import_parse(bads[i].kind, xml, strlen(xml), NULL, &d, err,
		    sizeof(err));
		assert_null(d);
		if (st != bads[i].st || strstr(err, bads[i].err) == NULL)
			fail_msg("row %zu: %s: %s", i, status_str(st), err);
		/* Nothing of /etc/passwd, ever. */
		assert_null(strstr(err, "root:"));
	}
	buf_free(&deep);
	/* The size is checked before a byte is read. */
	assert_int_equal(import_parse(IMPORT_WORDPRESS, "<rss/>",
	    IMPORT_MAX_FILE + 1, NULL, &d, err, sizeof(err)), ST_TOOBIG);
	assert_null(d);
	assert_int_equal(import_parse(IMPORT__MAX, "<rss/>", 6, NULL, &d, err,
	    sizeof(err)), ST_INPUT);
}

/* An entity in CDATA is text; one in the content of a comment is not
 * followed anywhere. */
static void
test_entities_text(void **state)
{
	static const char doc[] = WXR_HEAD("1.2")
	    ITEM("https://b.example.com/x/", "X", "post", "", WPC("1", "0", "1",
	    "", "", "&lol9; &xxe;", "&lol9; <!ENTITY a SYSTEM \"file:///etc/"
	    "passwd\"> &a;")) WXR_TAIL;
	struct import_doc	*d;

	(void)state;
	d = parse_ok(IMPORT_WORDPRESS, doc);
	assert_int_equal(d->ncomments, 1);
	assert_string_equal(d->comments[0].author, "&lol9; &xxe;");
	/* libxml2 keeps a declaration it cannot place as text. */
	assert_string_equal(d->comments[0].body, "\\&lol9; \\<!ENTITY a "
	    "SYSTEM \"file:///etc/passwd\"> \\&a;");
	import_doc_free(d);
}

/* A comment over 1 MiB is left out with a warning; the rest goes on. */
static void
test_big_comment(void **state)
{
	struct buf		 b = BUF_INIT;
	struct import_doc	*d = NULL;
	char			 err[256];
	size_t			 i;

	(void)state;
	buf_puts(&b, WXR_HEAD("1.2") "<item><title>T</title><link>/t/</link>"
	    "<wp:post_type>post</wp:post_type>"
	    WPC("1", "0", "1", "", "", "small", "fits")
	    "<wp:comment><wp:comment_id>2</wp:comment_id>"
	    "<wp:comment_content>");
	for (i = 0; i < IMPORT_MAX_COMMENT / 8 + 1; i++)
		buf_puts(&b, "abcdefg ");
	buf_puts(&b, "</wp:comment_content></wp:comment>"
	    WPC("3", "2", "1", "", "", "reply", "to the big one")
	    "</item>" WXR_TAIL);
	assert_false(b.err);
	assert_int_equal(import_parse(IMPORT_WORDPRESS, b.p, b.len, NULL, &d,
	    err,
	    sizeof(err)), ST_OK);
	assert_int_equal(d->ncomments, 2);
	assert_int_equal(d->nrefused, 1);
	assert_true(warned(d, "over the limit"));
	assert_int_equal(find(d, "3")->parent, IMPORT_NONE);
	import_doc_free(d);
	buf_free(&b);
}

/* import_parse_file: the same from a file; not a file; too big. */
static void
test_parse_file(void **state)
{
	struct import_doc	*d = NULL;
	char			 path[] = "/tmp/palaver-import-XXXXXX", err[256];
	int			 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, dsq, sizeof(dsq) - 1),
	    (ssize_t)sizeof(dsq) - 1);
	close(fd);
	assert_int_equal(import_parse_file(IMPORT_DISQUS, path, NULL, &d, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(d->ncomments, 4);
	import_doc_free(d);
	assert_int_equal(import_parse_file(IMPORT_WORDPRESS, path, NULL, &d, err,
	    sizeof(err)), ST_INPUT);
	assert_non_null(strstr(err, "this is a Disqus export"));
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(import_parse_file(IMPORT_DISQUS, path, NULL, &d, err,
	    sizeof(err)), ST_INPUT);
	assert_non_null(strstr(err, "empty"));
	/* Sparse: no disk used. */
	assert_int_equal(truncate(path, (off_t)IMPORT_MAX_FILE + 1), 0);
	assert_int_equal(import_parse_file(IMPORT_DISQUS, path, NULL, &d, err,
	    sizeof(err)), ST_TOOBIG);
	assert_non_null(strstr(err, "512 MiB"));
	unlink(path);
	assert_int_equal(import_parse_file(IMPORT_DISQUS, path, NULL, &d, err,
	    sizeof(err)), ST_IO);
	assert_int_equal(import_parse_file(IMPORT_DISQUS, "/tmp", NULL, &d, err,
	    sizeof(err)), ST_IO);
	assert_string_equal(err, "not a regular file");
	assert_null(d);
}

/* --- storing ------------------------------------------------------------- */

struct fx {
	char		 dir[64];
	char		 db[128];
	struct store	*s;
};

static int
setup(void **state)
{
	struct fx	*f;
	unsigned char	 secret[AUTH_SECRET_LEN];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/palaver.db", f->dir);
	auth_secret_new(secret);
	if (store_migrate(f->db, secret, NULL, NULL) != ST_OK ||
	    store_open(f->db, &f->s) != ST_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->s);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static long long
sql_int(const struct fx *f, const char *sql)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	long long	 v = -1;

	if (sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
sql_exec(const struct fx *f, const char *sql)
{
	sqlite3		*db = NULL;

	if (sqlite3_open(f->db, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* The depth of the comment imported as source id `id`. */
#define DEPTH(id) "SELECT c.depth FROM comments c JOIN imported i ON " \
	"i.comment = c.id WHERE i.source_id = '" id "'"
#define PARENT(id) "SELECT coalesce((SELECT source_id FROM imported WHERE " \
	"comment = c.parent), 0) FROM comments c JOIN imported i ON " \
	"i.comment = c.id WHERE i.source_id = '" id "'"

static void
run(struct fx *f, const char *xml, enum import_kind kind, int pingbacks,
    struct import_result *r)
{
	struct import_doc	*d = parse_ok(kind, xml);
	struct import_opts	 o = { .pingbacks = pingbacks };
	char			 err[256];
	enum status		 st;

	st = import_run(f->s, d, &o, 1700000000, r, err, sizeof(err));
	if (st != ST_OK)
		fail_msg("run: %s: %s", status_str(st), err);
	import_doc_free(d);
}

static void
test_run(void **state)
{
	struct fx		*f = *state;
	struct import_result	 r;

	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.articles, 3);
	assert_int_equal(r.articles_new, 3);
	assert_int_equal(r.comments, 8);
	assert_int_equal(r.seen, 0);
	assert_int_equal(r.pingbacks, 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments"), 8);
	/* Counts and versions: approved 1, 7, 8 under the first post. */
	assert_int_equal(sql_int(f, "SELECT ncomments FROM articles WHERE "
	    "uri = '/2015/01/28/hello/'"), 3);
	assert_int_equal(sql_int(f, "SELECT version FROM articles WHERE "
	    "uri = '/2015/01/28/hello/'"), 1 + 6);
	assert_int_equal(sql_int(f, "SELECT created FROM articles WHERE "
	    "uri = '/2015/01/28/hello/'"), 1422439200);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM articles WHERE "
	    "title = 'Hello & world'"), 1);
	/* Threads: 1 > 2 > 3, though 3 is older than 2. */
	assert_int_equal(sql_int(f, DEPTH("3")), 2);
	assert_int_equal(sql_int(f, PARENT("3")), 2);
	assert_int_equal(sql_int(f, PARENT("2")), 1);
	assert_int_equal(sql_int(f, DEPTH("7")), 0);
	assert_int_equal(sql_int(f, DEPTH("20")), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments c JOIN "
	    "imported i ON i.comment = c.id WHERE i.source_id = '3' AND "
	    "c.status = 'spam'"), 1);
	/* Safe HTML; no addresses kept. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments WHERE "
	    "html LIKE '%<script%' OR body LIKE '%<script%'"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments WHERE "
	    "html LIKE '%href=\"https://x.example/\" rel=\"nofollow ugc "
	    "noopener\"%'"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments WHERE "
	    "addr_hash IS NOT NULL"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE "
	    "action = 'import' AND target = 'wordpress'"), 1);

	/* Again: nothing new. */
	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.articles, 3);
	assert_int_equal(r.articles_new, 0);
	assert_int_equal(r.comments, 0);
	assert_int_equal(r.seen, 8);
	assert_int_equal(r.pingbacks, 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments"), 8);
	assert_int_equal(sql_int(f, "SELECT version FROM articles WHERE "
	    "uri = '/2015/01/28/hello/'"), 7);

	/* With --pingbacks, only the pingback is new. */
	run(f, wxr, IMPORT_WORDPRESS, 1, &r);
	assert_int_equal(r.comments, 1);
	assert_int_equal(r.seen, 8);
	assert_int_equal(r.pingbacks, 0);

	/* Disqus: the same post by its path is reused. */
	run(f, dsq, IMPORT_DISQUS, 0, &r);
	assert_int_equal(r.articles, 2);
	assert_int_equal(r.articles_new, 1);
	assert_int_equal(r.comments, 4);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM articles"), 4);
	assert_int_equal(sql_int(f, PARENT("5002")), 5001);
	assert_int_equal(sql_int(f, "SELECT ncomments FROM articles WHERE "
	    "uri = '/2015/01/28/hello/'"), 3 + 1 + 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM imported WHERE "
	    "source = 'disqus'"), 4);
}

/* A reply whose parent came with an earlier export joins it; ids that
 * name each other as parents still go in. */
static void
test_run_parents(void **state)
{
	static const char first[] = WXR_HEAD("1.2")
	    ITEM("https://blog.example.com/p/", "P", "post", "",
	    WPC("1", "0", "1", "", "2015-01-01 00:00:00", "A", "first"))
	    WXR_TAIL;
	static const char second[] = WXR_HEAD("1.2")
	    ITEM("https://blog.example.com/p/", "P", "post", "",
	    WPC("2", "1", "1", "", "2015-01-02 00:00:00", "B", "second")
	    WPC("3", "4", "1", "", "2015-01-03 00:00:00", "C", "loop")
	    WPC("4", "3", "1", "", "2015-01-04 00:00:00", "D", "loop"))
	    WXR_TAIL;
	struct fx		*f = *state;
	struct import_result	 r;

	run(f, first, IMPORT_WORDPRESS, 0, &r);
	run(f, second, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.comments, 3);
	assert_int_equal(r.articles_new, 0);
	assert_int_equal(sql_int(f, PARENT("2")), 1);
	assert_int_equal(sql_int(f, DEPTH("2")), 1);
	assert_int_equal(sql_int(f, DEPTH("3")) + sql_int(f, DEPTH("4")), 1);
	assert_int_equal(sql_int(f, "SELECT ncomments FROM articles"), 4);
}

/* All or nothing: a failure half way leaves the database as it was. */
static void
test_run_rollback(void **state)
{
	struct fx		*f = *state;
	struct import_doc	*d;
	struct import_result	 r;
	char			 err[256];

	sql_exec(f, "CREATE TRIGGER boom BEFORE INSERT ON comments "
	    "WHEN new.author = 'Orphan' BEGIN SELECT RAISE(ABORT, 'boom'); "
	    "END");
	d = parse_ok(IMPORT_WORDPRESS, wxr);
	assert_int_equal(import_run(f->s, d, NULL, 1700000000, &r, err,
	    sizeof(err)), ST_DB);
	assert_non_null(strstr(err, "refused"));
	assert_int_equal(r.comments, 0);
	import_doc_free(d);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM comments"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM articles"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM imported"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), 0);
	/* The store is usable afterwards. */
	sql_exec(f, "DROP TRIGGER boom");
	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.comments, 8);
}

/* Removing a comment forgets that it was imported. */
static void
test_run_cascade(void **state)
{
	struct fx		*f = *state;
	struct import_result	 r;

	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	sql_exec(f, "PRAGMA foreign_keys=ON; DELETE FROM comments WHERE id = "
	    "(SELECT comment FROM imported WHERE source_id = '8')");
	assert_int_equal(sql_int(f, "SELECT count(*) FROM imported"), 7);
	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.comments, 1);
	assert_int_equal(r.seen, 7);
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
		cmocka_unit_test(test_wxr),
		cmocka_unit_test(test_wxr_versions),
		cmocka_unit_test(test_disqus),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_entities_text),
		cmocka_unit_test(test_big_comment),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test_setup_teardown(test_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_parents, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_run_rollback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_run_cascade, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
