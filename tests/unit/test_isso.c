/* test_isso.c: Isso's comments: its SQLite database (built here from Isso's documented schema) and its generic JSON, good and bad */
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

#include "import/import.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Isso's tables, as its db/ modules create them. */
#define ISSO_SCHEMA \
	"CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);" \
	"CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) " \
	"UNIQUE, title VARCHAR(256));" \
	"CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER " \
	"PRIMARY KEY, parent INTEGER, created FLOAT NOT NULL, modified FLOAT, " \
	"mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR, " \
	"email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0, dislikes " \
	"INTEGER DEFAULT 0, voters BLOB NOT NULL, notification INTEGER NOT " \
	"NULL DEFAULT 0);"

static void
make_db(const char *path, const char *sql)
{
	sqlite3	*db = NULL;
	char	*msg = NULL;

	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
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

static void
test_db(void **state)
{
	char			 dir[] = "/tmp/palaver-isso-XXXXXX", path[128];
	char			 err[300];
	struct import_doc	*d = NULL;
	const struct import_comment *c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/comments.db", dir);
	make_db(path, ISSO_SCHEMA
	    "INSERT INTO threads VALUES (1, '/a/', 'A &amp; <b>'), "
	    "(2, '/b/%c3%a9?x=1', NULL), (3, 'not-a-path', 'bad');"
	    "INSERT INTO comments VALUES "
	    "(1, 1, NULL, 1500000000.9, NULL, 1, '', 'md *text*\r\nline', "
	    "'  Ann   Lee ', 'ann@example.org', 'https://a.example/', 2, 1, "
	    "x'00', 0),"
	    "(1, 2, 1, 1500000001, NULL, 2, '', 'pending', 'Bob <b>', 'x', "
	    "'ftp://x/', 0, 0, x'00', 0),"
	    "(1, 3, 2, 1500000002, NULL, 4, '', '', NULL, NULL, NULL, 0, 0, "
	    "x'00', 0),"
	    "(1, 4, NULL, 1500000003, NULL, 9, '', 'odd mode', 'C', NULL, "
	    "NULL, 0, 0, x'00', 0),"
	    "(2, 5, NULL, 0, NULL, 1, '', 'no date', 'D', NULL, NULL, 5, 0, "
	    "x'00', 0),"
	    "(3, 6, NULL, 1500000005, NULL, 1, '', 'bad uri', 'E', NULL, "
	    "NULL, 0, 0, x'00', 0);");
	if (import_parse_file(IMPORT_ISSO, path, NULL, &d, err, sizeof(err)) !=
	    ST_OK)
		fail_msg("%s", err);
	assert_string_equal(d->source, "isso");
	assert_int_equal(d->narticles, 2);
	assert_string_equal(d->articles[0].uri, "/a/");
	/* Isso's titles are plain text, kept as they are. */
	assert_string_equal(d->articles[0].title, "A &amp; <b>");
	assert_string_equal(d->articles[1].uri, "/b/%C3%A9");
	assert_int_equal(d->ncomments, 5);
	assert_int_equal(d->dropped[DROP_NO_LINK], 1);
	assert_int_equal(d->likes, 8);	/* 2 + 1 + 5; not the left-out one's */
	c = find(d, "1");
	assert_int_equal(c->status, CS_APPROVED);
	assert_string_equal(c->author, "Ann Lee");
	assert_string_equal(c->body, "md *text*\nline");
	assert_int_equal(c->created, 1500000000);
	assert_string_equal(c->website, "https://a.example/");
	/* Likes and dislikes: vote counts. */
	assert_int_equal(c->up, 2);
	assert_int_equal(c->down, 1);
	assert_int_equal(find(d, "5")->up, 5);
	assert_int_equal(find(d, "5")->down, 0);
	c = find(d, "2");
	assert_int_equal(c->up, 0);
	assert_int_equal(c->status, CS_PENDING);
	assert_string_equal(c->author, "Bob <b>");
	assert_null(c->email);
	assert_null(c->website);
	assert_int_equal(c->parent, (size_t)(find(d, "1") - d->comments));
	c = find(d, "3");
	assert_int_equal(c->status, CS_DELETED);
	assert_string_equal(c->author, "Anonymous");
	assert_int_equal(find(d, "4")->status, CS_PENDING);
	/* No date: held. */
	assert_int_equal(find(d, "5")->status, CS_PENDING);
	import_doc_free(d);

	/* Not Isso's, or not a database at all. */
	make_db(path, "CREATE TABLE t (x);");
	assert_int_equal(import_parse_file(IMPORT_ISSO, path, NULL, &d, err,
	    sizeof(err)), ST_INPUT);
	assert_non_null(strstr(err, "not an Isso database"));
	make_db(path, ISSO_SCHEMA "INSERT INTO threads VALUES (1, '/a/', 'A');");
	assert_int_equal(truncate(path, 2048), 0);
	assert_int_not_equal(import_parse_file(IMPORT_ISSO, path, NULL, &d,
	    err, sizeof(err)), ST_OK);
	assert_null(d);
	unit_rmdir(dir);
}

static const struct {
	const char	*json;
	size_t		 n;		/* comments; with err NULL */
	const char	*err;
} jsons[] = {
	{ "[]", 0, NULL },
	{ "[{\"id\": \"/a/\", \"title\": \"A\", \"comments\": [{\"id\": 1, "
	    "\"author\": \"Ann\", \"email\": \"a@b.example\", \"website\": "
	    "\"\", \"remote_addr\": \"1.2.3.4\", \"created\": "
	    "\"2019-10-11 08:46:43\", \"text\": \"hi\"}]}]", 1, NULL },
	/* Ids are a thread's own: 1 twice, in two threads. */
	{ "[{\"id\": \"/a/\", \"comments\": [{\"id\": 1, \"text\": \"x\"}]},"
	    "{\"id\": \"/b/\", \"comments\": [{\"id\": 1, \"text\": \"y\"}]}]",
	    2, NULL },
	{ "[{\"id\": \"/a/\", \"comments\": [{\"id\": \"7\", \"parent\": 1, "
	    "\"created\": 1500000000, \"text\": \"x\", \"mode\": 2}]}]", 1,
	    NULL },
	{ "[{\"id\": \"/a/\", \"comments\": [{\"text\": \"no id\"}]}]", 0,
	    NULL },
	{ "[{\"id\": \"nopath\", \"comments\": [{\"id\": 1}]}]", 0, NULL },
	{ "", 0, "not JSON: the file is empty" },
	{ "{\"id\": \"/a/\"}", 0, "not an Isso export" },
	{ "[1]", 0, "thread 1 is not an object" },
	{ "[{\"id\": \"/a/\", \"id\": \"/b/\"}]", 0, "not JSON: line 1" },
	{ "[{\"id\": \"/a/\"", 0, "not JSON: line 1" },
	{ "<rss/>", 0, "not JSON" },
};

static void
test_json(void **state)
{
	struct import_doc	*d;
	char			 err[300];
	enum status		 st;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(jsons); i++) {
		d = NULL;
		st = import_parse(IMPORT_ISSO, jsons[i].json,
		    strlen(jsons[i].json), NULL, &d, err, sizeof(err));
		if (jsons[i].err == NULL) {
			if (st != ST_OK)
				fail_msg("row %zu: %s", i, err);
			if (d->ncomments != jsons[i].n)
				fail_msg("row %zu: %zu comments", i,
				    d->ncomments);
			assert_string_equal(d->source, "isso-json");
		} else if (st == ST_OK || strstr(err, jsons[i].err) == NULL)
			fail_msg("row %zu: %s", i, err);
		import_doc_free(d);
	}
	st = import_parse(IMPORT_ISSO, jsons[3].json, strlen(jsons[3].json),
	    NULL, &d, err, sizeof(err));
	assert_int_equal(st, ST_OK);
	assert_string_equal(d->comments[0].id, "/a/#7");
	assert_string_equal(d->comments[0].parent_id, "/a/#1");
	assert_int_equal(d->comments[0].status, CS_PENDING);
	assert_int_equal(d->comments[0].created, 1500000000);
	import_doc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
