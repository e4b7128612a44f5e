/* test_json.c: the thread as JSON: escapes, text that is not UTF-8, the
 * tree with placeholders, hidden parents and chains past JSON_MAX_NEST,
 * read back with jansson */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "model/model.h"
#include "render/json.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXROWS		400

static struct comment	 rows[MAXROWS];
static unsigned char	 shown[MAXROWS];
static long long	 parent[MAXROWS];
static long long	 mine[MAXROWS];

static const struct article AR = {
	.id = 7, .uri = "/p/\"q\"/", .title = "T\\itle\n", .created = 1,
	.closed = 1, .version = 3, .ncomments = 5,
};

/* n rows, each the reply of the row before (a chain), all shown. */
static void
chain(size_t n)
{
	size_t	 i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < n; i++) {
		rows[i].id = (long long)i + 1;
		rows[i].parent = i > 0 ? (long long)i : 0;
		rows[i].author = "a";
		rows[i].html = "<p>h</p>";
		rows[i].status = CS_APPROVED;
		rows[i].created = 100 + (long long)i;
		shown[i] = SHOWN_YES;
		parent[i] = (long long)i - 1;
		mine[i] = 0;
	}
}

/* The thread of rows[0..n) as JSON, in B; parsed, or a failed test. */
static struct buf	 B;

static json_t *
thread(size_t n, long long next)
{
	struct thread_page	 pg = { rows, n, next };
	struct thread_view	 tv = { &pg, shown, parent, mine };
	json_error_t		 err;
	json_t			*o;

	buf_reset(&B);
	assert_int_equal(json_thread(&B, &AR, &tv, "tok\x01", 3, 1, 1), ST_OK);
	assert_false(B.err);
	if ((o = json_loads(buf_str(&B), 0, &err)) == NULL)
		fail_msg("not JSON (%s): %s", err.text, buf_str(&B));
	return o;
}

static int
teardown(void **state)
{
	(void)state;
	buf_free(&B);
	return 0;
}

/* --- strings: exact bytes, and what they read back as ------------------- */

struct srow {
	const char	*in;
	const char	*want;		/* as written */
	const char	*back;		/* as read back */
};

static const struct srow str_rows[] = {
	{ "", "\"\"", "" },
	{ "plain", "\"plain\"", "plain" },
	{ "q\"b\\s/", "\"q\\\"b\\\\s/\"", "q\"b\\s/" },
	{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t" },
	{ "\x01\x1f\x7f", "\"\\u0001\\u001F\x7f\"", "\x01\x1f\x7f" },
	{ "<script>&", "\"<script>&\"", "<script>&" },
	{ "caf\xc3\xa9 \xe2\x80\xa8", "\"caf\xc3\xa9 \xe2\x80\xa8\"",
	    "caf\xc3\xa9 \xe2\x80\xa8" },
	/* Not UTF-8: each bad byte becomes U+FFFD. */
	{ "a\xff" "b\xc3", "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"",
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
	{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
};

static void
strings(void **state)
{
	char	 want[256];
	json_t	*o, *c;
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(str_rows); i++) {
		chain(1);
		rows[0].author = str_rows[i].in;
		o = thread(1, 0);
		snprintf(want, sizeof(want), "\"author\":%s,", str_rows[i].want);
		if (strstr(buf_str(&B), want) == NULL)
			fail_msg("row %zu: no %s in %s", i, want, buf_str(&B));
		c = json_array_get(json_object_get(o, "comments"), 0);
		assert_string_equal(json_string_value(json_object_get(c,
		    "author")), str_rows[i].back);
		json_decref(o);
	}
}

/* --- the document ------------------------------------------------------- */

static void
document(void **state)
{
	json_t	*o, *a, *c;

	(void)state;
	chain(2);
	rows[1].website = "https://x.example/";
	rows[1].edited = 5;
	o = thread(2, 0);
	/* The members in jansson's order, compact. */
	{
		static const char want[] = "{\"form_token\":\"tok\\u0001\","
		    "\"votes\":{\"up\":true,\"down\":false},"
		    "\"submit_delay\":3,\"notify\":true,\"article\":{\"id\":7,"
		    "\"uri\":\"/p/\\\"q\\\"/\",\"title\":\"T\\\\itle\\n\","
		    "\"closed\":true,\"version\":3,\"count\":5},"
		    "\"comments\":[{\"id\":1,\"parent\":null,"
		    "\"author\":\"a\",\"website\":null,\"html\":\"<p>h</p>\","
		    "\"created\":100,\"edited\":null,\"status\":\"approved\","
		    "\"up\":0,\"down\":0,\"replies\":[{\"id\":2,\"parent\":1,";

		if (strncmp(buf_str(&B), want, sizeof(want) - 1) != 0)
			fail_msg("got %s", buf_str(&B));
	}
	assert_true(strstr(buf_str(&B), "],\"next\":null,\"total\":5}") !=
	    NULL);
	a = json_object_get(o, "comments");
	assert_int_equal(json_array_size(a), 1);
	c = json_array_get(json_object_get(json_array_get(a, 0), "replies"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "website")),
	    "https://x.example/");
	assert_int_equal(json_integer_value(json_object_get(c, "edited")), 5);
	json_decref(o);
	o = thread(2, 99);
	assert_int_equal(json_integer_value(json_object_get(o, "next")), 99);
	json_decref(o);
	/* No rows: an empty list. */
	o = thread(0, 0);
	assert_int_equal(json_array_size(json_object_get(o, "comments")), 0);
	json_decref(o);
}

/* A placeholder says neither who nor what; a hidden row is left out and
 * its shown replies go to the top; a row whose parent is not on the
 * page starts at the top; spam reads as pending to its author. */
static void
shapes(void **state)
{
	json_t	*o, *a, *c;

	(void)state;
	chain(5);
	rows[0].status = CS_DELETED;
	shown[0] = SHOWN_PLACEHOLDER;
	shown[2] = SHOWN_NOT;
	rows[4].status = CS_SPAM;
	parent[4] = -1;
	rows[4].parent = 999;
	o = thread(5, 0);
	a = json_object_get(o, "comments");
	assert_int_equal(json_array_size(a), 3);	/* 1 (with 2), 4, 5 */
	c = json_array_get(a, 0);
	assert_string_equal(json_string_value(json_object_get(c, "status")),
	    "deleted");
	assert_string_equal(json_string_value(json_object_get(c, "author")),
	    "");
	assert_string_equal(json_string_value(json_object_get(c, "html")), "");
	assert_true(json_is_null(json_object_get(c, "edited")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(c, "replies"), 0), "id")), 2);
	c = json_array_get(a, 1);
	assert_int_equal(json_integer_value(json_object_get(c, "id")), 4);
	assert_int_equal(json_integer_value(json_object_get(c, "parent")), 3);
	c = json_array_get(a, 2);
	assert_int_equal(json_integer_value(json_object_get(c, "id")), 5);
	assert_string_equal(json_string_value(json_object_get(c, "status")),
	    "pending");
	json_decref(o);
	/* A placeholder of a hidden comment. */
	chain(1);
	rows[0].status = CS_PENDING;
	shown[0] = SHOWN_PLACEHOLDER;
	o = thread(1, 0);
	c = json_array_get(json_object_get(o, "comments"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "status")),
	    "hidden");
	json_decref(o);
}

/* A chain longer than JSON_MAX_NEST: nested that deep, and every deeper
 * row listed, in order and with empty replies, in the replies of the
 * deepest nested one; every row once. */
static void
deep(void **state)
{
	json_t		*o, *a, *c = NULL, *r;
	size_t		 depth = 0, i;
	long long	 id = 1;

	(void)state;
	chain(MAXROWS);
	o = thread(MAXROWS, 0);
	a = json_object_get(o, "comments");
	while (json_array_size(a) == 1) {
		c = json_array_get(a, 0);
		assert_int_equal(json_integer_value(json_object_get(c, "id")),
		    id++);
		a = json_object_get(c, "replies");
		depth++;
	}
	assert_int_equal(depth, JSON_MAX_NEST);
	assert_int_equal(json_array_size(a), MAXROWS - JSON_MAX_NEST);
	for (i = 0; i < json_array_size(a); i++) {
		r = json_array_get(a, i);
		assert_int_equal(json_integer_value(json_object_get(r, "id")),
		    id + (long long)i);
		assert_int_equal(json_integer_value(json_object_get(r,
		    "parent")), id + (long long)i - 1);
		assert_int_equal(json_array_size(json_object_get(r, "replies")),
		    0);
	}
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(strings, teardown),
		cmocka_unit_test_teardown(document, teardown),
		cmocka_unit_test_teardown(shapes, teardown),
		cmocka_unit_test_teardown(deep, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
