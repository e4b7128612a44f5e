/* test_markup.c: markup_render: exact output, XSS payloads, deep nesting */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "render/markup.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define REL		"rel=\"nofollow ugc noopener\""
#define U_FFFD		"\xef\xbf\xbd"

struct row {
	const char	*in;
	const char	*want;
	size_t		 nlinks;
};

/* Every construct we support or refuse, with its exact output. */
static const struct row rows[] = {
	/* Paragraphs and breaks. */
	{ "", "", 0 },
	{ "hello", "<p>hello</p>\n", 0 },
	{ "a\n\nb", "<p>a</p>\n<p>b</p>\n", 0 },
	{ "a\nb", "<p>a\nb</p>\n", 0 },
	{ "a  \nb", "<p>a<br>\nb</p>\n", 0 },
	{ "a\\\nb", "<p>a<br>\nb</p>\n", 0 },
	{ "\"it's\" <&>", "<p>&quot;it&#39;s&quot; &lt;&amp;&gt;</p>\n", 0 },
	{ "tab\there", "<p>tab\there</p>\n", 0 },
	{ "emoji \xf0\x9f\x98\x80 ok",
	    "<p>emoji \xf0\x9f\x98\x80 ok</p>\n", 0 },
	/* Inline spans. */
	{ "*em* _em_", "<p><em>em</em> <em>em</em></p>\n", 0 },
	{ "**st** __st__",
	    "<p><strong>st</strong> <strong>st</strong></p>\n", 0 },
	{ "***both***", "<p><em><strong>both</strong></em></p>\n", 0 },
	{ "~~del~~ ~del~", "<p><del>del</del> <del>del</del></p>\n", 0 },
	{ "`a<b>&c`", "<p><code>a&lt;b&gt;&amp;c</code></p>\n", 0 },
	{ "`&amp;`", "<p><code>&amp;amp;</code></p>\n", 0 },
	{ "*a `b` **c***",
	    "<p><em>a <code>b</code> <strong>c</strong></em></p>\n", 0 },
	/* Code blocks. */
	{ "```\ncode\n```", "<pre><code>code\n</code></pre>\n", 0 },
	{ "    indented\n", "<pre><code>indented\n</code></pre>\n", 0 },
	{ "```python\nx = '1'\n```",
	    "<pre><code class=\"language-python\">x = &#39;1&#39;\n"
	    "</code></pre>\n", 0 },
	{ "~~~c++ extra words\nx\n~~~",
	    "<pre><code class=\"language-c++\">x\n</code></pre>\n", 0 },
	{ "```A_b-9\nx\n```",
	    "<pre><code class=\"language-A_b-9\">x\n</code></pre>\n", 0 },
	{ "```abcdefghijklmnopqrstuvwxyz012345\nx\n```",
	    "<pre><code class=\"language-abcdefghijklmnopqrstuvwxyz012345\">"
	    "x\n</code></pre>\n", 0 },
	{ "```abcdefghijklmnopqrstuvwxyz0123456\nx\n```",
	    "<pre><code>x\n</code></pre>\n", 0 },
	{ "```{.py}\nx\n```", "<pre><code>x\n</code></pre>\n", 0 },
	{ "```x&quot;y\nz\n```", "<pre><code>z\n</code></pre>\n", 0 },
	{ "```\"><script>\nz\n```", "<pre><code>z\n</code></pre>\n", 0 },
	{ "```\n<script>\n```",
	    "<pre><code>&lt;script&gt;\n</code></pre>\n", 0 },
	/* Blocks. */
	{ "> quote", "<blockquote>\n<p>quote</p>\n</blockquote>\n", 0 },
	{ "> a\n> > b",
	    "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n"
	    "</blockquote>\n</blockquote>\n", 0 },
	{ "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", 0 },
	{ "- a\n\n- b",
	    "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n", 0 },
	{ "- a\n  - b",
	    "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n", 0 },
	{ "1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n", 0 },
	{ "7. a", "<ol start=\"7\">\n<li>a</li>\n</ol>\n", 0 },
	{ "0) a", "<ol start=\"0\">\n<li>a</li>\n</ol>\n", 0 },
	{ "123456789. a",
	    "<ol start=\"123456789\">\n<li>a</li>\n</ol>\n", 0 },
	{ "---", "<hr>\n", 0 },
	{ "a\n\n***\n\nb", "<p>a</p>\n<hr>\n<p>b</p>\n", 0 },
	/* Headings are bold paragraphs. */
	{ "# H *x*", "<p><strong>H <em>x</em></strong></p>\n", 0 },
	{ "###### H6", "<p><strong>H6</strong></p>\n", 0 },
	{ "Setext\n===", "<p><strong>Setext</strong></p>\n", 0 },
	{ "Setext\n---", "<p><strong>Setext</strong></p>\n", 0 },
	/* Links kept. */
	{ "[x](http://a.com)",
	    "<p><a href=\"http://a.com\" " REL ">x</a></p>\n", 1 },
	{ "[x](HTTPS://A.COM/p?q=1&r=2#f)",
	    "<p><a href=\"HTTPS://A.COM/p?q=1&amp;r=2#f\" " REL ">x</a></p>\n",
	    1 },
	{ "[x](mailto:a@b.com)",
	    "<p><a href=\"mailto:a@b.com\" " REL ">x</a></p>\n", 1 },
	{ "[x](MailTo:a@b.com)",
	    "<p><a href=\"MailTo:a@b.com\" " REL ">x</a></p>\n", 1 },
	{ "[*x*](http://a.com \"T &amp; \\\"q\\\"\")",
	    "<p><a href=\"http://a.com\" " REL
	    " title=\"T &amp; &quot;q&quot;\"><em>x</em></a></p>\n", 1 },
	{ "[x][r]\n\n[r]: https://a.com 'T'",
	    "<p><a href=\"https://a.com\" " REL " title=\"T\">x</a></p>\n", 1 },
	{ "[x](http://a.com/&#65;&amp;)",
	    "<p><a href=\"http://a.com/A&amp;\" " REL ">x</a></p>\n", 1 },
	{ "[x](http://a.com/\xf0\x9f\x98\x80)",
	    "<p><a href=\"http://a.com/\xf0\x9f\x98\x80\" " REL ">x</a></p>\n",
	    1 },
	{ "[a](http://a.com) [b](http://b.com)",
	    "<p><a href=\"http://a.com\" " REL ">a</a> "
	    "<a href=\"http://b.com\" " REL ">b</a></p>\n", 2 },
	/* Autolinks. */
	{ "<https://a.com/x>",
	    "<p><a href=\"https://a.com/x\" " REL ">https://a.com/x</a></p>\n",
	    1 },
	{ "see https://a.com.",
	    "<p>see <a href=\"https://a.com\" " REL ">https://a.com</a>.</p>\n",
	    1 },
	{ "www.a.com/x",
	    "<p><a href=\"http://www.a.com/x\" " REL ">www.a.com/x</a></p>\n",
	    1 },
	{ "a@b.com",
	    "<p><a href=\"mailto:a@b.com\" " REL ">a@b.com</a></p>\n", 1 },
	{ "<a@b.com>",
	    "<p><a href=\"mailto:a@b.com\" " REL ">a@b.com</a></p>\n", 1 },
	/* Links refused: their text stays. */
	{ "[x](javascript:alert(1))", "<p>x</p>\n", 0 },
	{ "[x](/relative)", "<p>x</p>\n", 0 },
	{ "[x](rel/ative)", "<p>x</p>\n", 0 },
	{ "[x]()", "<p>x</p>\n", 0 },
	{ "[x](<>)", "<p>x</p>\n", 0 },
	{ "[x](ftp://a.com)", "<p>x</p>\n", 0 },
	{ "[x](mailto:)", "<p>x</p>\n", 0 },
	{ "[x](http://)", "<p>x</p>\n", 0 },
	{ "[x](http:///a.com)", "<p>x</p>\n", 0 },
	{ "[x](https:a.com)", "<p>x</p>\n", 0 },
	{ "[x](http://a.com\\evil)", "<p>x</p>\n", 0 },
	{ "[x](<http://a.com/ b>)", "<p>x</p>\n", 0 },
	{ "[x](http://a.com/&nbsp;)", "<p>x</p>\n", 0 },
	{ "[x](http://a.com/&#9;)", "<p>x</p>\n", 0 },
	{ "[*x*](//evil.com)", "<p><em>x</em></p>\n", 0 },
	{ "ftp://a.com", "<p>ftp://a.com</p>\n", 0 },
	/* Images are their alt text, links inside included. */
	{ "![alt](http://a.com/x.png)", "<p>alt</p>\n", 0 },
	{ "![a *b* [l](http://x.com)](http://a/x.png \"t\")",
	    "<p>a b l</p>\n", 0 },
	{ "![a<b](javascript:alert(1))", "<p>a&lt;b</p>\n", 0 },
	{ "[![i](http://i/x.png)](https://a.com)",
	    "<p><a href=\"https://a.com\" " REL ">i</a></p>\n", 1 },
	/* Entities. */
	{ "&amp; &lt; &gt; &quot; &apos; &nbsp; &copy;",
	    "<p>&amp; &lt; &gt; &quot; &#39; \xc2\xa0 \xc2\xa9</p>\n", 0 },
	{ "&#65;&#x42;&#X43;&#0065;", "<p>ABCA</p>\n", 0 },
	{ "&#128512; &#x1F600;",
	    "<p>\xf0\x9f\x98\x80 \xf0\x9f\x98\x80</p>\n", 0 },
	{ "&#x10FFFF;", "<p>\xf4\x8f\xbf\xbf</p>\n", 0 },
	{ "&#60;script&#62;", "<p>&lt;script&gt;</p>\n", 0 },
	{ "&#9;x", "<p>\tx</p>\n", 0 },
	{ "&#0; &#xD800; &#xDFFF; &#x110000; &#9999999;",
	    "<p>&amp;#0; &amp;#xD800; &amp;#xDFFF; &amp;#x110000; "
	    "&amp;#9999999;</p>\n", 0 },
	{ "&#1; &#13; &#x1f; &#127; &#x85; &#x9F;",
	    "<p>&amp;#1; &amp;#13; &amp;#x1f; &amp;#127; &amp;#x85; "
	    "&amp;#x9F;</p>\n", 0 },
	{ "&foo; &AMP; &hellip;",
	    "<p>&amp;foo; &amp;AMP; &amp;hellip;</p>\n", 0 },
	{ "&#12345678;", "<p>&amp;#12345678;</p>\n", 0 },
	{ "&#x0x41; &#-65; &#+65; &#x; &#;",
	    "<p>&amp;#x0x41; &amp;#-65; &amp;#+65; &amp;#x; &amp;#;</p>\n", 0 },
	{ "&#x000000041;", "<p>&amp;#x000000041;</p>\n", 0 },
	{ "&#0000065;", "<p>A</p>\n", 0 },
	/* Raw HTML is text; tables, maths, wiki links, tasks are off. */
	{ "<b>x</b>", "<p>&lt;b&gt;x&lt;/b&gt;</p>\n", 0 },
	{ "<div>\nx\n</div>", "<p>&lt;div&gt;\nx\n&lt;/div&gt;</p>\n", 0 },
	{ "<!-- c -->", "<p>&lt;!-- c --&gt;</p>\n", 0 },
	{ "|a|b|\n|-|-|\n|1|2|", "<p>|a|b|\n|-|-|\n|1|2|</p>\n", 0 },
	{ "$x$ $$y$$ [[w]]", "<p>$x$ $$y$$ [[w]]</p>\n", 0 },
	{ "- [ ] t", "<ul>\n<li>[ ] t</li>\n</ul>\n", 0 },
};

/* Hostile input; check_safe() asserts what may come out. */
static const char *const xss[] = {
	"<script>alert(1)</script>",
	"<SCRIPT SRC=//evil.com/x.js></SCRIPT>",
	"<img src=x onerror=alert(1)>",
	"<IMG SRC=\"javascript:alert(1)\">",
	"<details open ontoggle=alert(1)>",
	"<svg/onload=alert(1)>",
	"<iframe src=javascript:alert(1)></iframe>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<a href=http://a.com onmouseover=alert(1)>x</a>",
	"<div onmouseover=\"alert(1)\">x</div>",
	"<style>*{x:expression(alert(1))}</style>",
	"<!-- <script>alert(1)</script> -->",
	"<![CDATA[<script>alert(1)</script>]]>",
	"<?php echo 1; ?>",
	"[x](javascript:alert(1))",
	"[x](JaVaScRiPt:alert(1))",
	"[x](  javascript:alert(1)  )",
	"[x](java&#x09;script:alert(1))",
	"[x](java&#9;script:alert(1))",
	"[x](&#106;avascript:alert(1))",
	"[x](&#x6A;&#x61;vascript:alert(1))",
	"[x](javascript&#58;alert(1))",
	"[x](javascript&colon;alert(1))",
	"[x](java\\script:alert(1))",
	"[x](<javascript:alert(1)>)",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"[x](vbscript:msgbox(1))",
	"[x](//evil.com)",
	"[x](\\\\evil.com)",
	"[x](http:\\\\evil.com)",
	"[x](/\\evil.com)",
	"[x](http://a.com/\"onmouseover=\"alert(1))",
	"[x](<http://a.com/\"onmouseover=\"alert(1)>)",
	"[x](http://a.com/'onmouseover='alert(1))",
	"[x](http://a.com \"a\\\" onmouseover=\\\"alert(1)\")",
	"[x](http://a.com 'a\" onmouseover=\"alert(1)')",
	"[x](http://a.com (\"><script>alert(1)</script>))",
	"[x\"><script>alert(1)</script>](http://a.com)",
	"[<img src=x onerror=alert(1)>](http://a.com)",
	"![x](javascript:alert(1))",
	"![x\" onerror=\"alert(1)](http://a.com/x.png)",
	"![<script>](x)",
	"<javascript:alert(1)>",
	"<JAVASCRIPT:alert(1)>",
	"<data:text/html,<script>alert(1)</script>>",
	"<vbscript:msgbox(1)>",
	"www.evil.com\" onmouseover=\"alert(1)",
	"http://a.com/<script>alert(1)</script>",
	"a@b.com\"onmouseover=\"alert(1)",
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][r]\n\n[r]: http://a.com \"\\\"><script>alert(1)</script>\"",
	"*<script>*alert(1)*</script>*",
	"**<em onmouseover=alert(1)>**x**</em>**",
	"_<i>_x_</i>_ ~~<s>~~",
	"`<script>alert(1)</script>`",
	"```\"><script>alert(1)</script>\nx\n```",
	"```js onload=alert(1)\nx\n```",
	"# <script>alert(1)</script>",
	"> <img src=x onerror=alert(1)>",
	"- <details open ontoggle=alert(1)>",
	"1\" onmouseover=\"alert(1). x",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"&#60;script&#62;alert(1)&#60;/script&#62;",
	"\xf0\x9f\x98\x80<script>\xf0\x9f\x98\x80</script>",
	"[\xf0\x9f\x98\x80](javascript:alert('\xf0\x9f\x98\x80'))",
	"<a href=\"http://a.com\" rel=\"opener\">x</a>",
};

/* Case-insensitive strstr over n bytes: strcasestr is a GNU extension. */
static const char *
ci_find(const char *s, size_t n, const char *needle)
{
	size_t	 k = strlen(needle), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

static int
in_list(const char *s, size_t n, const char *const *list, size_t nlist)
{
	size_t	 i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && memcmp(s, list[i], n) == 0)
			return 1;
	return 0;
}

static int
span_all(const char *s, size_t n, const char *set)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return 0;
	return 1;
}

/*
 * Check one tag, s..e (between '<' and '>'): its name is one we write, its
 * attributes are ones that tag may carry, with values that are safe.
 * Returns 1 when it opened an <a>.
 */
static int
check_tag(const char *html, const char *s, const char *e)
{
	static const char *const names[] = { "p", "br", "em", "strong",
	    "del", "code", "pre", "blockquote", "ul", "ol", "li", "hr", "a" };
	const char	*name, *an, *v, *q;
	size_t		 nlen, anlen, vlen;
	int		 href = 0, rel = 0, isa;

	if (*s == '/')
		s++;
	for (name = s; s < e && *s >= 'a' && *s <= 'z'; s++)
		continue;
	nlen = (size_t)(s - name);
	if (!in_list(name, nlen, names, NITEMS(names)))
		fail_msg("tag %.*s not allowed in: %s", (int)nlen, name, html);
	isa = nlen == 1 && *name == 'a' && name[-1] != '/';
	while (s < e) {
		if (*s != ' ')
			fail_msg("junk in tag: %s", html);
		for (an = ++s; s < e && *s >= 'a' && *s <= 'z'; s++)
			continue;
		anlen = (size_t)(s - an);
		if (anlen >= 2 && strncasecmp(an, "on", 2) == 0)
			fail_msg("event attribute: %s", html);
		if (e - s < 2 || s[0] != '=' || s[1] != '"')
			fail_msg("unquoted attribute: %s", html);
		v = s + 2;
		if ((q = memchr(v, '"', (size_t)(e - v))) == NULL)
			fail_msg("unterminated attribute: %s", html);
		vlen = (size_t)(q - v);
		s = q + 1;
		if (memchr(v, '<', vlen) != NULL)
			fail_msg("< in attribute: %s", html);
		if (nlen == 2 && memcmp(name, "ol", 2) == 0 && anlen == 5 &&
		    memcmp(an, "start", 5) == 0 && vlen > 0 &&
		    span_all(v, vlen, "0123456789"))
			continue;
		if (nlen == 4 && memcmp(name, "code", 4) == 0 && anlen == 5 &&
		    memcmp(an, "class", 5) == 0 && vlen > 9 && vlen <= 9 + 32 &&
		    strncmp(v, "language-", 9) == 0 &&
		    span_all(v + 9, vlen - 9, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-"))
			continue;
		if (isa && anlen == 4 && memcmp(an, "href", 4) == 0) {
			if (!((vlen > 7 && strncasecmp(v, "http://", 7) == 0) ||
			    (vlen > 8 && strncasecmp(v, "https://", 8) == 0) ||
			    (vlen > 7 && strncasecmp(v, "mailto:", 7) == 0)))
				fail_msg("bad href: %s", html);
			if (ci_find(v, vlen, "javascript:") != NULL)
				fail_msg("javascript: in href: %s", html);
			href++;
			continue;
		}
		if (isa && anlen == 3 && memcmp(an, "rel", 3) == 0 &&
		    vlen == 21 && memcmp(v, "nofollow ugc noopener", 21) == 0) {
			rel++;
			continue;
		}
		if (isa && anlen == 5 && memcmp(an, "title", 5) == 0)
			continue;
		fail_msg("attribute %.*s not allowed: %s", (int)anlen, an,
		    html);
	}
	if (isa && (href != 1 || rel != 1))
		fail_msg("<a> without one href and one rel: %s", html);
	return isa;
}

/*
 * What every output must satisfy: text '<', '>' and '"' are escaped, so
 * any of them raw belongs to a tag we wrote, and each tag passes
 * check_tag().  The <a> count is the link count.
 */
static void
check_safe(const char *html, size_t nlinks)
{
	static const char *const bad[] = { "<script", "<img", "<details",
	    "<iframe", "<svg", "<style", " onerror=", " onmouseover=",
	    " ontoggle=", " onload=" };
	struct buf	 skel = BUF_INIT;
	const char	*p, *e, *q;
	size_t		 i, n = strlen(html), na = 0;
	int		 inq;

	for (p = html; *p != '\0'; p++) {
		if (*p == '>' || *p == '"')
			fail_msg("unescaped %c in text: %s", *p, html);
		if (*p != '<')
			continue;
		if ((e = strchr(p, '>')) == NULL)
			fail_msg("unterminated tag: %s", html);
		/* Inside quoted values these are escaped text: skip them. */
		buf_reset(&skel);
		for (q = p, inq = 0; q <= e; q++) {
			if (*q == '"')
				inq = !inq;
			else if (!inq)
				buf_putc(&skel, *q);
		}
		for (i = 0; i < NITEMS(bad); i++)
			if (ci_find(buf_str(&skel), skel.len, bad[i]) != NULL)
				fail_msg("%s in: %s", bad[i], html);
		na += (size_t)check_tag(html, p + 1, e);
		p = e;
	}
	buf_free(&skel);
	for (i = 0; i < 4; i++)
		if (ci_find(html, n, bad[i]) != NULL)
			fail_msg("%s in: %s", bad[i], html);
	assert_int_equal(na, nlinks);
}

static void
test_rows(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		buf_reset(&b);
		n = 99;
		if (markup_render(&b, rows[i].in, strlen(rows[i].in), &n) !=
		    ST_OK)
			fail_msg("row %zu: render failed", i);
		if (strcmp(buf_str(&b), rows[i].want) != 0)
			fail_msg("row %zu: %s\n got: %s\nwant: %s", i,
			    rows[i].in, buf_str(&b), rows[i].want);
		if (n != rows[i].nlinks)
			fail_msg("row %zu: %zu links, want %zu", i, n,
			    rows[i].nlinks);
		check_safe(buf_str(&b), n);
	}
	buf_free(&b);
}

static void
test_xss(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < NITEMS(xss); i++) {
		buf_reset(&b);
		n = 99;
		assert_int_equal(markup_render(&b, xss[i], strlen(xss[i]), &n),
		    ST_OK);
		check_safe(buf_str(&b), n);
	}
	buf_free(&b);
}

/* A NUL in the input is U+FFFD in the output, in text and attributes. */
static void
test_nul(void **state)
{
	static const char	 in[] = "a\0b [x\0](<http://a.com/\0> \"t\0\")";
	struct buf		 b = BUF_INIT;
	size_t			 n;

	(void)state;
	assert_int_equal(markup_render(&b, in, sizeof(in) - 1, &n), ST_OK);
	assert_string_equal(buf_str(&b), "<p>a" U_FFFD "b <a href=\""
	    "http://a.com/" U_FFFD "\" " REL " title=\"t" U_FFFD "\">x"
	    U_FFFD "</a></p>\n");
	assert_int_equal(n, 1);
	check_safe(buf_str(&b), n);
	buf_free(&b);
}

/* Output is appended; nlinks may be NULL; a failed buffer stays failed. */
static void
test_buffer(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 n = 99;

	(void)state;
	buf_puts(&b, "X");
	assert_int_equal(markup_render(&b, "[a](http://a.com)", 17, NULL),
	    ST_OK);
	assert_string_equal(buf_str(&b),
	    "X<p><a href=\"http://a.com\" " REL ">a</a></p>\n");
	assert_int_equal(markup_render(&b, NULL, 0, &n), ST_OK);
	assert_int_equal(n, 0);
	b.err = 1;
	n = 99;
	assert_int_equal(markup_render(&b, "[a](http://a.com)", 17, &n),
	    ST_NOMEM);
	assert_int_equal(n, 0);
	buf_free(&b);
}

/*
 * md4c 0.4.8 reads the byte after an input that ends inside a link
 * destination; a ')' there once made it report text from beyond the input.
 * Each row is rendered from a buffer that goes on with ")SECRET".
 */
static void
test_overread(void **state)
{
	static const struct row	 tails[] = {
		{ "[x](a", "<p>[x](a</p>\n", 0 },
		{ "[](", "<p>[](</p>\n", 0 },
		{ "![x](a", "<p>![x](a</p>\n", 0 },
		{ "a\n\n[x](a", "<p>a</p>\n<p>[x](a</p>\n", 0 },
		{ "[x](http://a.com",
		    "<p>[x](<a href=\"http://a.com\" " REL ">http://a.com</a>"
		    "</p>\n", 1 },
	};
	struct buf	 b = BUF_INIT, in = BUF_INIT;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < NITEMS(tails); i++) {
		buf_reset(&b);
		buf_reset(&in);
		buf_puts(&in, tails[i].in);
		buf_puts(&in, ")SECRET");
		assert_false(in.err);
		assert_int_equal(markup_render(&b, in.p, strlen(tails[i].in),
		    &n), ST_OK);
		assert_string_equal(buf_str(&b), tails[i].want);
		assert_int_equal(n, tails[i].nlinks);
	}
	buf_free(&b);
	buf_free(&in);
}

static void
render_repeat(const char *unit, size_t times, const char *tail)
{
	struct buf	 in = BUF_INIT, out = BUF_INIT;
	size_t		 i, n;

	for (i = 0; i < times; i++)
		buf_puts(&in, unit);
	buf_puts(&in, tail);
	assert_false(in.err);
	assert_int_equal(markup_render(&out, in.p, in.len, &n), ST_OK);
	check_safe(buf_str(&out), n);
	buf_free(&in);
	buf_free(&out);
}

/* Deep nesting must neither crash nor emit anything unsafe. */
static void
test_deep(void **state)
{
	(void)state;
	render_repeat(">", 10000, " x");
	render_repeat("[", 10000, "x");
	render_repeat("[", 10000, "x](http://a.com)");
	render_repeat("[x](", 10000, "http://a.com)");
	render_repeat("![", 10000, "x](http://a.com)");
	render_repeat("*", 10000, "x");
	render_repeat("*a ", 5000, "x");
	render_repeat("_", 10000, "x");
	render_repeat("~", 10000, "x");
	render_repeat("`", 10000, "x");
	render_repeat("- ", 5000, "x");
	render_repeat("1. ", 5000, "x");
	render_repeat("> - ", 3000, "x");
	render_repeat("<", 10000, "script>");
	render_repeat("&#", 10000, "65;");
	render_repeat("www.a.com ", 5000, "");
	render_repeat("a@b.", 10000, "com");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_xss),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_buffer),
		cmocka_unit_test(test_overread),
		cmocka_unit_test(test_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
