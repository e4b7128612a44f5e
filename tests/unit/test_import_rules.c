/* test_import_rules.c: what an import makes of what it finds: namespaces, keys, dates, names, closed threads, ids of other sites, replies joining parents, gzip */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "import/import.h"
#include "import/import_int.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define WXR(ns, base, items) \
	"<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:wp=\"" ns "\">" \
	"<channel><link>https://blog.example.com</link>" \
	"<wp:base_blog_url>" base "</wp:base_blog_url>" items \
	"</channel></rss>\n"
#define NS12	"http://wordpress.org/export/1.2/"
#define ITEM(link, extra, comments) \
	"<item><title>T</title><link>" link "</link>" extra comments "</item>"
#define C(id, parent, type, date, author) \
	"<wp:comment><wp:comment_id>" id "</wp:comment_id>" \
	"<wp:comment_parent>" parent "</wp:comment_parent>" \
	"<wp:comment_type>" type "</wp:comment_type>" \
	"<wp:comment_approved>1</wp:comment_approved>" \
	"<wp:comment_date_gmt>" date "</wp:comment_date_gmt>" \
	"<wp:comment_author>" author "</wp:comment_author>" \
	"<wp:comment_content>text " id "</wp:comment_content></wp:comment>"

static struct import_doc *
parse(enum import_kind kind, const char *xml, int keep_query)
{
	struct import_opts	 o = { .keep_query = keep_query };
	struct import_doc	*d = NULL;
	char			 err[512];

	if (import_parse(kind, xml, strlen(xml), &o, &d, err, sizeof(err)) !=
	    ST_OK)
		fail_msg("parse: %s", err);
	return d;
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

/* Every WXR namespace WordPress's importer takes: http and https. */
static void
test_namespaces(void **state)
{
	static const char *const ns[] = {
		"http://wordpress.org/export/1.0/",
		"https://wordpress.org/export/1.0/",
		"http://wordpress.org/export/1.1/",
		"https://wordpress.org/export/1.1/",
		"http://wordpress.org/export/1.2/",
		"https://wordpress.org/export/1.2/",
	};
	struct import_doc	*d;
	struct buf		 b = BUF_INIT;
	char			 err[256];
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(ns); i++) {
		buf_reset(&b);
		buf_printf(&b, "<rss xmlns:wp=\"%s\"><channel><item><link>/a/"
		    "</link><wp:comment><wp:comment_id>1</wp:comment_id>"
		    "<wp:comment_date_gmt>2015-01-01 00:00:00"
		    "</wp:comment_date_gmt></wp:comment></item></channel>"
		    "</rss>", ns[i]);
		assert_int_equal(import_parse(IMPORT_WORDPRESS, b.p, b.len,
		    NULL, &d, err, sizeof(err)), ST_OK);
		assert_int_equal(d->ncomments, 1);
		import_doc_free(d);
	}
	/* Not a version WordPress wrote. */
	buf_reset(&b);
	buf_puts(&b, "<rss xmlns:wp=\"https://wordpress.org/export/1.3/\">"
	    "<channel/></rss>");
	assert_int_equal(import_parse(IMPORT_WORDPRESS, b.p, b.len, NULL, &d,
	    err, sizeof(err)), ST_INPUT);
	assert_non_null(strstr(err, "without the namespace"));
	buf_free(&b);
}

/* Keys: the path alone (or with the query when asked), normalised; two
 * links that become one key are one thread, with a warning. */
static void
test_keys(void **state)
{
	static const char xml[] = WXR(NS12, "https://blog.example.com",
	    ITEM("https://blog.example.com/p/what-is-gpt/?force=&amp;lang=en",
	    "", C("1", "0", "", "2015-01-01 00:00:00", "A"))
	    ITEM("https://blog.example.com/p/%e7%ac%ac/#c1", "",
	    C("2", "0", "", "2015-01-01 00:00:00", "B"))
	    ITEM("https://blog.example.com/?p=4", "",
	    C("3", "0", "", "2015-01-01 00:00:00", "C"))
	    ITEM("https://blog.example.com/?p=5", "",
	    C("4", "0", "", "2015-01-01 00:00:00", "D")));
	struct import_doc	*d;

	(void)state;
	d = parse(IMPORT_WORDPRESS, xml, 0);
	assert_int_equal(d->narticles, 4);
	assert_string_equal(d->articles[0].uri, "/p/what-is-gpt/");
	assert_string_equal(d->articles[1].uri, "/p/%E7%AC%AC/");
	assert_string_equal(d->articles[2].uri, "/");
	assert_string_equal(d->articles[3].uri, "/");
	assert_true(warned(d, "https://blog.example.com/?p=4 and "
	    "https://blog.example.com/?p=5 are one thread, /, once the query "
	    "is dropped (--keep-query keeps it)"));
	import_doc_free(d);
	d = parse(IMPORT_WORDPRESS, xml, 1);
	assert_string_equal(d->articles[0].uri,
	    "/p/what-is-gpt/?force=&lang=en");
	assert_string_equal(d->articles[2].uri, "/?p=4");
	assert_string_equal(d->articles[3].uri, "/?p=5");
	assert_false(warned(d, "one thread"));
	import_doc_free(d);
}

/* A date that cannot be read: held for a moderator, with a warning;
 * spam and deleted stay what they were. */
static void
test_dates(void **state)
{
	static const char dsq[] =
	    "<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/"
	    "disqus-internals\"><thread dsq:id=\"1\"><link>http://x.example/t/"
	    "</link><isClosed>true</isClosed></thread>"
	    "<post dsq:id=\"a\"><createdAt>2011-x09-30T22:48:43Z</createdAt>"
	    "<thread dsq:id=\"1\"/><message>m</message></post>"
	    "<post dsq:id=\"b\"><createdAt>2011-09-30T22:48:43Z</createdAt>"
	    "<thread dsq:id=\"1\"/><message>m</message></post>"
	    "<post dsq:id=\"c\"><createdAt></createdAt><isSpam>true</isSpam>"
	    "<thread dsq:id=\"1\"/><message>m</message></post>"
	    "</disqus>";
	static const struct {
		const char	*date;
		long long	 t;
	} dates[] = {
		{ "2015-01-28 10:00:00", 1422439200 },
		{ "2015-01-28T10:00:00Z", 1422439200 },
		{ "2015-01-28T11:00:00+01:00", 1422439200 },
		{ "2015-01-28T10:00:00.123Z", 1422439200 },
		{ "2015-01-28", 1422403200 },
		{ "0000-00-00 00:00:00", 0 },
		{ "2011-x09-30T22:48:43Z", 0 },
		{ "1969-12-31 23:59:59", 0 },
		{ "2015-13-01", 0 },
		{ "2015-01-28 10:00:00 junk", 0 },
		{ "", 0 },
	};
	struct import_doc	*d;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(dates); i++)
		if (import_date(dates[i].date) != dates[i].t)
			fail_msg("%s: %lld", dates[i].date,
			    import_date(dates[i].date));
	d = parse(IMPORT_DISQUS, dsq, 0);
	assert_int_equal(find(d, "a")->status, CS_PENDING);
	assert_int_equal(find(d, "a")->created, 0);
	assert_int_equal(find(d, "b")->status, CS_APPROVED);
	assert_int_equal(find(d, "c")->status, CS_SPAM);
	assert_true(warned(d, "comment a on /t/: its date cannot be read: "
	    "held for a moderator"));
	assert_true(warned(d, "comment c on /t/: its date cannot be read: "
	    "dated now"));
	/* isClosed: the thread was closed. */
	assert_int_equal(d->articles[0].closed, 1);
	import_doc_free(d);
}

/* Names and titles are cut to the text rules' limits cleanly: no half
 * character, no trailing space, and a warning. */
static void
test_names(void **state)
{
	static const char xml[] = WXR(NS12, "https://blog.example.com",
	    "<item><title>" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789 tail</title>"
	    "<link>/t/</link><wp:comment_status>closed</wp:comment_status>"
	    C("1", "0", "", "2015-01-01 00:00:00",
	    "Ping 2 with a much longer title than the previous ping, which was "
	    "called Ping 1 &amp;laquo; What&amp;#8217;s a tellyworth?")
	    C("2", "0", "", "2015-01-01 00:00:00",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9 x")
	    "</item>");
	struct import_doc	*d;
	const char		*a;

	(void)state;
	d = parse(IMPORT_WORDPRESS, xml, 0);
	a = find(d, "1")->author;
	assert_int_equal(utf8_len(a, strlen(a)), 64);
	assert_string_equal(a, "Ping 2 with a much longer title than the "
	    "previous ping, which wa");
	assert_true(warned(d, "comment 1 on /t/: the name is 102 characters "
	    "long: cut to 64"));
	/* 63 e-acutes and a space at the cut: the space goes. */
	a = find(d, "2")->author;
	assert_int_equal(utf8_len(a, strlen(a)), 63);
	assert_true(utf8_check(a, strlen(a)));
	assert_int_equal(strlen(d->articles[0].title), 200);
	assert_true(warned(d, "the post /t/: the title is 205 characters "
	    "long: cut to 200"));
	assert_int_equal(d->articles[0].closed, 1);
	import_doc_free(d);
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

static void
run(struct fx *f, const char *xml, int pingbacks, struct import_result *r,
    struct import_doc **keep)
{
	struct import_doc	*d = parse(IMPORT_WORDPRESS, xml, 0);
	struct import_opts	 o = { .pingbacks = pingbacks };
	char			 err[256];

	if (import_run(f->s, d, &o, 1700000000, r, err, sizeof(err)) != ST_OK)
		fail_msg("run: %s", err);
	if (keep != NULL)
		*keep = d;
	else
		import_doc_free(d);
}

#define PARENT(id) "SELECT coalesce((SELECT source_id FROM imported WHERE " \
	"comment = c.parent), 0) FROM comments c JOIN imported i ON " \
	"i.comment = c.id WHERE i.source_id = '" id "'"

/* Another host is the same site; another site with the same ids is not:
 * the dates tell, and its comments are left out with the reason. */
static void
test_hosts(void **state)
{
	static const char site[] = WXR(NS12, "http://blog.example.com",
	    ITEM("http://blog.example.com/a/", "",
	    C("1", "0", "", "2015-01-01 00:00:00", "A")
	    C("2", "1", "", "2015-01-02 00:00:00", "B")));
	static const char moved[] = WXR(NS12, "https://www.example.org/",
	    ITEM("https://www.example.org/a/", "",
	    C("1", "0", "", "2015-01-01 00:00:00", "A")
	    C("2", "1", "", "2015-01-02 00:00:00", "B")));
	static const char other[] = WXR(NS12, "https://other.example/",
	    ITEM("https://other.example/b/", "",
	    C("1", "0", "", "2016-05-05 00:00:00", "X")));
	static const char below[] = WXR(NS12, "https://example.net/blog/",
	    ITEM("https://example.net/blog/c/", "",
	    C("1", "0", "", "2016-05-05 00:00:00", "Y")));
	struct fx		*f = *state;
	struct import_result	 r;
	struct import_doc	*d;

	run(f, site, 0, &r, NULL);
	assert_int_equal(r.comments, 2);
	run(f, moved, 0, &r, NULL);
	assert_int_equal(r.comments, 0);
	assert_int_equal(r.seen, 2);
	run(f, other, 0, &r, &d);
	assert_int_equal(r.comments, 0);
	assert_int_equal(d->dropped[DROP_OTHER], 1);
	assert_true(warned(d, "comment 1 on /b/: an earlier import gave its "
	    "id to another comment"));
	import_doc_free(d);
	/* A site below the root has a key of its own. */
	run(f, below, 0, &r, &d);
	assert_string_equal(d->source, "wordpress:/blog");
	assert_int_equal(r.comments, 1);
	import_doc_free(d);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments"),
	    3);
}

/* A reply to a pingback left out stays at the top, and joins the
 * pingback when a later import with --pingbacks brings it; a loop is
 * never made. */
static void
test_reattach(void **state)
{
	static const char xml[] = WXR(NS12, "https://blog.example.com",
	    ITEM("https://blog.example.com/a/", "",
	    C("1", "0", "pingback", "2015-01-01 00:00:00", "P")
	    C("2", "1", "", "2015-01-02 00:00:00", "Reply")
	    C("3", "2", "", "2015-01-03 00:00:00", "Reply to reply")
	    C("4", "5", "", "2015-01-04 00:00:00", "Loop 4")
	    C("5", "4", "", "2015-01-05 00:00:00", "Loop 5")));
	struct fx		*f = *state;
	struct import_result	 r;

	run(f, xml, 0, &r, NULL);
	assert_int_equal(r.comments, 4);
	assert_int_equal(unit_sql_int(f->db, PARENT("2")), 0);
	assert_int_equal(unit_sql_int(f->db, PARENT("3")), 2);
	run(f, xml, 1, &r, NULL);
	assert_int_equal(r.comments, 1);
	assert_int_equal(r.reattached, 1);
	assert_int_equal(unit_sql_int(f->db, PARENT("2")), 1);
	/* The reply's reply moved with it, in thread order. */
	assert_int_equal(unit_sql_int(f->db, "SELECT c.depth FROM comments c "
	    "JOIN imported i ON i.comment = c.id WHERE i.source_id = '3'"), 2);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments c "
	    "JOIN comments p ON p.id = c.parent WHERE c.root != p.root OR "
	    "c.depth != p.depth + 1 OR substr(c.path, 1, length(p.path)) != "
	    "p.path"), 0);
	/* The loop stays cut. */
	assert_int_equal((unit_sql_int(f->db, PARENT("4")) == 0) +
	    (unit_sql_int(f->db, PARENT("5")) == 0), 1);
	run(f, xml, 1, &r, NULL);
	assert_int_equal(r.reattached, 0);
	assert_int_equal(r.comments, 0);
}

/* Closed threads are made closed; a thread here already keeps what its
 * moderators chose. */
static void
test_closed(void **state)
{
	static const char xml[] = WXR(NS12, "https://blog.example.com",
	    ITEM("https://blog.example.com/closed/",
	    "<wp:comment_status>closed</wp:comment_status>",
	    C("1", "0", "", "2015-01-01 00:00:00", "A"))
	    ITEM("https://blog.example.com/open/",
	    "<wp:comment_status>open</wp:comment_status>",
	    C("2", "0", "", "2015-01-01 00:00:00", "B"))
	    ITEM("https://blog.example.com/here/",
	    "<wp:comment_status>closed</wp:comment_status>",
	    C("3", "0", "", "2015-01-01 00:00:00", "C")));
	struct fx		*f = *state;
	struct import_result	 r;

	assert_int_equal(store_article_add(f->s, "/here/", "Here", NULL, NULL,
	    1, NULL), ST_OK);
	run(f, xml, 0, &r, NULL);
	assert_int_equal(r.closed, 1);
	assert_int_equal(unit_sql_int(f->db, "SELECT closed FROM articles "
	    "WHERE uri = '/closed/'"), 1);
	assert_int_equal(unit_sql_int(f->db, "SELECT closed FROM articles "
	    "WHERE uri = '/open/'"), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT closed FROM articles "
	    "WHERE uri = '/here/'"), 0);
}

/* --- input --------------------------------------------------------------- */

static void
write_gz(const char *path, const char *data, size_t n)
{
	gzFile	 gz = gzopen(path, "wb");

	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, data, (unsigned)n), (int)n);
	assert_int_equal(gzclose(gz), Z_OK);
}

/* gzip is unpacked on the way; what it unpacks to has the limit; data
 * cut short is an error, not an end. */
static void
test_gzip(void **state)
{
	static const char xml[] = WXR(NS12, "https://blog.example.com",
	    ITEM("/a/", "", C("1", "0", "", "2015-01-01 00:00:00", "A")));
	struct import_in	*in;
	struct import_doc	*d;
	char			 dir[] = "/tmp/palaver-gz-XXXXXX", path[128];
	char			 err[256], *big, buf[4096];
	FILE			*fp;
	long			 len;
	ssize_t			 n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.xml.gz", dir);
	write_gz(path, xml, strlen(xml));
	assert_int_equal(import_parse_file(IMPORT_WORDPRESS, path, NULL, &d,
	    err, sizeof(err)), ST_OK);
	assert_int_equal(d->ncomments, 1);
	import_doc_free(d);
	/* A megabyte of zeros is a kilobyte packed: the limit counts what
	 * comes out. */
	big = calloc(1, 1 << 20);
	write_gz(path, big, 1 << 20);
	free(big);
	assert_int_equal(import_in_open(path, 65536, &in, err, sizeof(err)),
	    ST_OK);
	while ((n = import_in_read(in, buf, sizeof(buf))) > 0)
		continue;
	assert_int_equal(n, -1);
	assert_int_equal(import_in_error(in, err, sizeof(err)), ST_TOOBIG);
	import_in_close(in);
	/* Cut short. */
	write_gz(path, xml, strlen(xml));
	assert_non_null(fp = fopen(path, "r+"));
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(path, len - 12), 0);
	assert_int_not_equal(import_parse_file(IMPORT_WORDPRESS, path, NULL,
	    &d, err, sizeof(err)), ST_OK);
	assert_null(d);
	assert_non_null(strstr(err, "not readable as gzip"));
	unit_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reattach, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_closed, setup, teardown),
		cmocka_unit_test(test_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
