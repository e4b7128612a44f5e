/* test_import.c: WordPress and Disqus imports: parsing, malformed and hostile files, storing (the HTML: test_import_html.c) */
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

#include "core/arena.h"
#include "core/buf.h"
#include "import/import.h"
#include "render/markup.h"
#include "core/utf8.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

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

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (unit_scratch(f->dir, sizeof(f->dir), f->db, sizeof(f->db)) == -1 ||
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
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments"),
	    8);
	/* Counts and versions: approved 1, 7, 8 under the first post. */
	assert_int_equal(unit_sql_int(f->db, "SELECT ncomments FROM articles "
	    "WHERE uri = '/2015/01/28/hello/'"), 3);
	assert_int_equal(unit_sql_int(f->db, "SELECT version FROM articles "
	    "WHERE uri = '/2015/01/28/hello/'"), 1 + 6);
	assert_int_equal(unit_sql_int(f->db, "SELECT created FROM articles "
	    "WHERE uri = '/2015/01/28/hello/'"), 1422439200);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM articles "
	    "WHERE title = 'Hello & world'"), 1);
	/* Threads: 1 > 2 > 3, though 3 is older than 2. */
	assert_int_equal(unit_sql_int(f->db, DEPTH("3")), 2);
	assert_int_equal(unit_sql_int(f->db, PARENT("3")), 2);
	assert_int_equal(unit_sql_int(f->db, PARENT("2")), 1);
	assert_int_equal(unit_sql_int(f->db, DEPTH("7")), 0);
	assert_int_equal(unit_sql_int(f->db, DEPTH("20")), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments c "
	    "JOIN imported i ON i.comment = c.id WHERE i.source_id = '3' AND "
	    "c.status = 'spam'"), 1);
	/* Safe HTML; no addresses kept. */
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments "
	    "WHERE html LIKE '%<script%' OR body LIKE '%<script%'"), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments "
	    "WHERE html LIKE '%href=\"https://x.example/\" rel=\"nofollow ugc "
	    "noopener\"%'"), 1);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments "
	    "WHERE addr_hash IS NOT NULL"), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM audit WHERE "
	    "action = 'import' AND target = 'wordpress'"), 1);

	/* Again: nothing new. */
	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.articles, 3);
	assert_int_equal(r.articles_new, 0);
	assert_int_equal(r.comments, 0);
	assert_int_equal(r.seen, 8);
	assert_int_equal(r.pingbacks, 1);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments"),
	    8);
	assert_int_equal(unit_sql_int(f->db, "SELECT version FROM articles "
	    "WHERE uri = '/2015/01/28/hello/'"), 7);

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
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM articles"),
	    4);
	assert_int_equal(unit_sql_int(f->db, PARENT("5002")), 5001);
	assert_int_equal(unit_sql_int(f->db, "SELECT ncomments FROM articles "
	    "WHERE uri = '/2015/01/28/hello/'"), 3 + 1 + 2);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM imported "
	    "WHERE source = 'disqus'"), 4);
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
	assert_int_equal(unit_sql_int(f->db, PARENT("2")), 1);
	assert_int_equal(unit_sql_int(f->db, DEPTH("2")), 1);
	assert_int_equal(unit_sql_int(f->db, DEPTH("3")) +
	    unit_sql_int(f->db, DEPTH("4")), 1);
	assert_int_equal(unit_sql_int(f->db, "SELECT ncomments FROM articles"),
	    4);
}

/* All or nothing: a failure half way leaves the database as it was. */
static void
test_run_rollback(void **state)
{
	struct fx		*f = *state;
	struct import_doc	*d;
	struct import_result	 r;
	char			 err[256];

	unit_sql_exec(f->db, "CREATE TRIGGER boom BEFORE INSERT ON comments "
	    "WHEN new.author = 'Orphan' BEGIN SELECT RAISE(ABORT, 'boom'); "
	    "END");
	d = parse_ok(IMPORT_WORDPRESS, wxr);
	assert_int_equal(import_run(f->s, d, NULL, 1700000000, &r, err,
	    sizeof(err)), ST_DB);
	assert_non_null(strstr(err, "refused"));
	assert_int_equal(r.comments, 0);
	import_doc_free(d);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments"),
	    0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM articles"),
	    0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM imported"),
	    0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM audit"), 0);
	/* The store is usable afterwards. */
	unit_sql_exec(f->db, "DROP TRIGGER boom");
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
	unit_sql_exec(f->db, "PRAGMA foreign_keys=ON; DELETE FROM comments "
	    "WHERE id = (SELECT comment FROM imported WHERE source_id = '8')");
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM imported"),
	    7);
	run(f, wxr, IMPORT_WORDPRESS, 0, &r);
	assert_int_equal(r.comments, 1);
	assert_int_equal(r.seen, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
