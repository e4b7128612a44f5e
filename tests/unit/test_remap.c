/* test_remap.c: remap rules read and applied: exact and prefix rules, merges, swaps, dry runs, all or nothing */
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

#include <sqlite3.h>

#include "core/arena.h"
#include "import/port.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*text;
	size_t		 n;		/* rules, when it parses */
	const char	*err;		/* NULL: parses */
} files[] = {
	{ "", 0, NULL },
	{ "# nothing\n\n   \n", 0, NULL },
	{ "/a/ /b/\n", 1, NULL },
	{ "  /a/\t/b/  \n/c/* /d/*", 2, NULL },
	{ "https://old.example/a/?x=1#top //cdn.example/b/\n", 1, NULL },
	{ "/a/\n", 0, "line 1: a rule is two addresses" },
	{ "/a/ /b/ /c/\n", 0, "line 1: a rule is two addresses" },
	{ "\n/a/ relative\n", 0, "line 2: relative is not an address" },
	{ "/a/* /b/\n", 0, "line 1: a prefix rule ends both addresses with *" },
	{ "/a/ /b/*\n", 0, "line 1: a prefix rule ends both" },
	{ "/a/ /b/\n/a/ /c/\n", 0, "line 2: /a/ has a rule already, on line 1" },
	{ "/%61/ /b/\n/a/ /c/\n", 0, "line 2: /a/ has a rule already" },
	{ "/a/ /b/\n/a/* /c/*\n", 2, NULL },
};

static void
test_parse(void **state)
{
	struct arena		 a = { NULL, 0 };
	struct remap_rule	*r;
	char			 err[300];
	size_t			 i, n;
	enum status		 st;

	(void)state;
	for (i = 0; i < NITEMS(files); i++) {
		err[0] = '\0';
		st = remap_parse(&a, files[i].text, strlen(files[i].text), &r,
		    &n, err, sizeof(err));
		if (files[i].err == NULL && (st != ST_OK || n != files[i].n))
			fail_msg("row %zu: %s %zu", i, err, n);
		if (files[i].err != NULL && (st != ST_INPUT ||
		    strstr(err, files[i].err) == NULL))
			fail_msg("row %zu: %s", i, err);
	}
	assert_int_equal(remap_parse(&a, files[4].text, strlen(files[4].text),
	    &r, &n, err, sizeof(err)), ST_OK);
	assert_string_equal(r[0].from, "/a/?x=1");
	assert_string_equal(r[0].to, "/b/");
	assert_false(r[0].prefix);
	assert_int_equal(remap_parse(&a, files[3].text, strlen(files[3].text),
	    &r, &n, err, sizeof(err)), ST_OK);
	assert_string_equal(r[1].from, "/c/");
	assert_true(r[1].prefix);
	assert_int_equal(r[1].line, 2);
	/* A NUL is no text. */
	assert_int_equal(remap_parse(&a, "/a/ /b\0/", 8, &r, &n, err,
	    sizeof(err)), ST_INPUT);
	arena_free(&a);
}

struct fx {
	char		 dir[64];
	char		 db[128];
	struct store	*s;
	long long	 id[6];
};

static long long
comment(struct store *s, long long article, const char *author)
{
	struct comment	 c;

	memset(&c, 0, sizeof(c));
	c.article = article;
	c.author = author;
	c.body = "b";
	c.html = "<p>b</p>\n";
	c.status = CS_APPROVED;
	c.reasons = "";
	c.created = 10;
	assert_int_equal(store_comment_add(s, &c), ST_OK);
	return c.id;
}

static int
setup(void **state)
{
	static const char *const uris[] = { "/2015/a/", "/2015/b/", "/2016/c/",
	    "/keep/", "/x/", "/y/" };
	struct fx	*f;
	size_t		 i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (unit_scratch(f->dir, sizeof(f->dir), f->db, sizeof(f->db)) == -1 ||
	    store_open(f->db, &f->s) != ST_OK)
		return -1;
	for (i = 0; i < NITEMS(uris); i++) {
		if (store_article_add(f->s, uris[i], uris[i], NULL, NULL, 1,
		    &f->id[i]) != ST_OK)
			return -1;
		comment(f->s, f->id[i], uris[i]);
	}
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

/* Every article's uri and count, as one string: "1 /a/ 1;2 ...". */
static char *
snapshot(const struct fx *f)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	char		*r = NULL;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(id || ' '"
	    " || uri || ' ' || ncomments, ';') FROM (SELECT * FROM articles "
	    "ORDER BY id)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

static enum status
remap(struct fx *f, const char *text, int dry, struct remap_result *res,
    char *err, size_t errsz)
{
	struct arena		 a = { NULL, 0 };
	struct remap_rule	*r;
	size_t			 n;
	enum status		 st;

	st = remap_parse(&a, text, strlen(text), &r, &n, err, errsz);
	if (st == ST_OK)
		st = remap_run(f->s, r, n, dry ? REMAP_DRY_RUN : 0, 99, res,
		    err, errsz);
	arena_free(&a);
	return st;
}

static void
test_run(void **state)
{
	struct fx		*f = *state;
	struct remap_result	 r;
	char			 err[300], *before, *after;

	before = snapshot(f);
	/* A dry run says what would change and keeps nothing. */
	assert_int_equal(remap(f, "/2015/* /archive/*\n", 1, &r, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(r.moved, 2);
	after = snapshot(f);
	assert_string_equal(after, before);
	free(after);
	/* A rule that makes no key (too long, here): nothing changes,
	 * though other rules would. */
	{
		char	 text[1100];

		static const char head[] = "/keep/ /kept/\n/2015/* /";

		/* "/" and 1022 x: a key of 1023; "a/" more makes 1025. */
		memset(text, 'x', sizeof(text));
		memcpy(text, head, sizeof(head) - 1);
		memcpy(text + sizeof(head) - 1 + 1022, "*\n", 3);
		assert_int_equal(remap(f, text, 0, &r, err, sizeof(err)),
		    ST_INPUT);
		if (strstr(err, "line 2 makes /xxx") == NULL)
			fail_msg("%s", err);
		assert_non_null(strstr(err, "of /2015/a/: not an address"));
		after = snapshot(f);
		assert_string_equal(after, before);
		free(after);
	}
	/* Prefixes, the longest first; exact before prefix; merges into the
	 * article that has the key; a swap. */
	assert_int_equal(remap(f, "/2015/* /archive/2015/*\n"
	    "/2015/b/ /2016/c/\n"
	    "/2016/* /archive/2016/*\n"
	    "/x/ /y/\n/y/ /x/\n"
	    "/none/ /nothing/\n", 0, &r, err, sizeof(err)), ST_OK);
	assert_int_equal(r.unused, 1);
	after = snapshot(f);
	/* /2015/b/ meets /2016/c/, which moves on to /archive/2016/c/: b
	 * goes to /2016/c/ alone, a new key. */
	assert_non_null(strstr(after, " /archive/2015/a/ 1"));
	assert_non_null(strstr(after, " /2016/c/ 1"));
	assert_non_null(strstr(after, " /archive/2016/c/ 1"));
	assert_non_null(strstr(after, " /y/ 1"));
	assert_non_null(strstr(after, " /x/ 1"));
	free(after);
	/* Two land on one key: the one that had it keeps its id and takes
	 * the other's thread; the other goes; the log says so. */
	assert_int_equal(remap(f, "/2016/c/ /keep/\n", 0, &r, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.moved, 0);
	after = snapshot(f);
	assert_non_null(strstr(after, " /keep/ 2"));
	assert_null(strstr(after, " /2016/c/ "));
	free(after);
	free(before);
}

/* --normalize: keys written by older palavers or other programs are
 * made again by today's rule, and those that meet become one. */
static void
test_normalize(void **state)
{
	struct fx		*f = *state;
	struct arena		 a = { NULL, 0 };
	struct remap_rule	*r;
	struct remap_result	 res;
	char			 err[300], *after;
	size_t			 n;
	long long		 id;

	assert_int_equal(store_article_add(f->s, "/p/%e7%ac%ac/", "Old", NULL,
	    NULL, 1, &id), ST_OK);
	comment(f->s, id, "lower");
	assert_int_equal(store_article_add(f->s, "/p/%E7%AC%AC/?lang=en",
	    "Query", NULL, NULL, 2, &id), ST_OK);
	comment(f->s, id, "query");
	assert_int_equal(store_article_add(f->s, "no slash", "Bad", NULL,
	    NULL, 3, &id), ST_OK);
	assert_int_equal(remap_parse(&a, "", 0, &r, &n, err, sizeof(err)),
	    ST_OK);
	assert_int_equal(remap_run(f->s, r, n, REMAP_NORMALIZE, 99, &res, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(res.merged, 1);
	after = snapshot(f);
	assert_non_null(strstr(after, " /p/%E7%AC%AC/ 2"));
	assert_null(strstr(after, "%e7"));
	assert_non_null(strstr(after, " no slash "));	/* no key: kept */
	free(after);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalize, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
