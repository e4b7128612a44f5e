/* test_uri.c: thread keys (text_uri_normalize) and clean cuts (text_cut) from the text-rules module */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/utf8.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct urow {
	const char	*in;
	unsigned	 flags;
	enum text_err	 err;
	const char	*want;		/* with TEXT_OK */
};

static const struct urow urows[] = {
	/* Path only by default: scheme, host, query and fragment go. */
	{ "/2015/01/28/hello/", 0, TEXT_OK, "/2015/01/28/hello/" },
	{ "https://blog.example.com/2015/01/28/hello/", 0, TEXT_OK,
	    "/2015/01/28/hello/" },
	{ "http://user:pw@Example.COM:8080/a/b?x=1#top", 0, TEXT_OK,
	    "/a/b" },
	{ "//cdn.example.com/x", 0, TEXT_OK, "/x" },
	{ "https://blog.example.com", 0, TEXT_OK, "/" },
	{ "https://blog.example.com?p=4", 0, TEXT_OK, "/" },
	{ "/p/what-is-gpt/?force=&lang=en", 0, TEXT_OK, "/p/what-is-gpt/" },
	{ "/p/x/#comments", 0, TEXT_OK, "/p/x/" },
	{ "  /padded/  ", 0, TEXT_OK, "/padded/" },
	/* The query when asked for, normalised the same way. */
	{ "https://blog.example.com/?p=4", TEXT_URI_QUERY, TEXT_OK,
	    "/?p=4" },
	{ "/a?b=%e2%82%ac&c=d e#f", TEXT_URI_QUERY, TEXT_OK,
	    "/a?b=%E2%82%AC&c=d%20e" },
	{ "/a?", TEXT_URI_QUERY, TEXT_OK, "/a" },
	{ "/a?x=/y?z", TEXT_URI_QUERY, TEXT_OK, "/a?x=/y?z" },
	/* Percent-encoding: upper case, unreserved decoded, the rest kept. */
	{ "/p/%e7%ac%ac%e4%b8%80", 0, TEXT_OK, "/p/%E7%AC%AC%E4%B8%80" },
	{ "/p/\xe7\xac\xac\xe4\xb8\x80", 0, TEXT_OK,
	    "/p/%E7%AC%AC%E4%B8%80" },
	{ "/%41%7e%2d%2E%5f/%2F%3f%23%25", 0, TEXT_OK, "/A~-._/%2F%3F%23%25" },
	{ "/a b/\"q\"/<x>/{y}|^`\\", 0, TEXT_OK,
	    "/a%20b/%22q%22/%3Cx%3E/%7By%7D%7C%5E%60%5C" },
	{ "/100%/%zz/%4", 0, TEXT_OK, "/100%25/%25zz/%254" },
	{ "/a:b@c/!$&'()*+,;=", 0, TEXT_OK, "/a:b@c/!$&'()*+,;=" },
	/* Dot segments (RFC 3986 5.2.4). */
	{ "/a/./b/../c", 0, TEXT_OK, "/a/c" },
	{ "/a/b/..", 0, TEXT_OK, "/a/" },
	{ "/a/b/.", 0, TEXT_OK, "/a/b/" },
	{ "/../../x", 0, TEXT_OK, "/x" },
	{ "/a/%2e%2E/b", 0, TEXT_OK, "/b" },
	{ "/a/..b/.c/", 0, TEXT_OK, "/a/..b/.c/" },
	{ "https://h/..", 0, TEXT_OK, "/" },
	/* Refused. */
	{ "", 0, TEXT_EMPTY, NULL },
	{ "   ", 0, TEXT_EMPTY, NULL },
	{ "relative/path", 0, TEXT_BAD_FORM, NULL },
	{ "mailto:ann@example.com", 0, TEXT_BAD_FORM, NULL },
	{ "javascript:alert(1)", 0, TEXT_BAD_FORM, NULL },
	{ "www.example.com/x", 0, TEXT_BAD_FORM, NULL },
	{ "/a\tb", 0, TEXT_NOT_TEXT, NULL },
	{ "/a\nb", 0, TEXT_NOT_TEXT, NULL },
	{ "/a\x7f", 0, TEXT_NOT_TEXT, NULL },
	{ "/\xff\xfe", 0, TEXT_NOT_TEXT, NULL },
	{ "/\xc0\xaf", 0, TEXT_NOT_TEXT, NULL },
};

static void
test_uri_rows(void **state)
{
	struct arena	 a = { NULL, 0 };
	const char	*out, *again;
	enum text_err	 e;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(urows); i++) {
		e = text_uri_normalize(&a, urows[i].in, strlen(urows[i].in),
		    urows[i].flags, &out);
		if (e != urows[i].err)
			fail_msg("row %zu: %s: error %d, want %d", i,
			    urows[i].in, e, urows[i].err);
		if (e != TEXT_OK) {
			assert_null(out);
			continue;
		}
		if (strcmp(out, urows[i].want) != 0)
			fail_msg("row %zu: %s\nwant [%s]\ngot  [%s]", i,
			    urows[i].in, urows[i].want, out);
		/* A key is its own key, and a valid one. */
		assert_int_equal(text_uri_normalize(&a, out, strlen(out),
		    urows[i].flags, &again), TEXT_OK);
		assert_string_equal(again, out);
		assert_int_equal(text_check(TEXT_URI, out, 0), TEXT_OK);
	}
	arena_free(&a);
}

/* A NUL inside, NULL, and the length limit after encoding. */
static void
test_uri_limits(void **state)
{
	struct arena	 a = { NULL, 0 };
	char		 big[TEXT_URI_MAX + 2];
	const char	*out;

	(void)state;
	assert_int_equal(text_uri_normalize(&a, "/a\0b", 4, 0, &out),
	    TEXT_NOT_TEXT);
	assert_int_equal(text_uri_normalize(&a, NULL, 0, 0, &out),
	    TEXT_EMPTY);
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	assert_int_equal(text_uri_normalize(&a, big, TEXT_URI_MAX, 0, &out),
	    TEXT_OK);
	assert_int_equal(strlen(out), TEXT_URI_MAX);
	assert_int_equal(text_uri_normalize(&a, big, TEXT_URI_MAX + 1, 0,
	    &out), TEXT_TOO_LONG);
	assert_null(out);
	/* 400 spaces are 1200 bytes once encoded. */
	memset(big + 1, ' ', 400);
	assert_int_equal(text_uri_normalize(&a, big, 402, 0, &out),
	    TEXT_TOO_LONG);
	arena_free(&a);
}

struct crow {
	enum text_kind	 kind;
	size_t		 max;
	const char	*in;
	const char	*want;
};

static const struct crow crows[] = {
	{ TEXT_NAME, 5, "short", "short" },
	{ TEXT_NAME, 5, "abcdefgh", "abcde" },
	/* White space before the cut goes. */
	{ TEXT_NAME, 5, "abcd efgh", "abcd" },
	{ TEXT_NAME, 5, "ab   cdef", "ab" },
	{ TEXT_NAME, 4, "ab\xc2\xa0\xc2\xa0xy", "ab" },
	/* Never inside a character. */
	{ TEXT_NAME, 3, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "\xc3\xa9\xc3\xa9"
	    "\xc3\xa9" },
	{ TEXT_NAME, 2, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80" },
	/* Never between a letter and its accent: e + U+0301. */
	{ TEXT_NAME, 3, "abe\xcc\x81z", "ab" },
	{ TEXT_NAME, 4, "abe\xcc\x81z", "abe\xcc\x81" },
	/* Nor after a joiner: man ZWJ woman. */
	{ TEXT_NAME, 3, "a\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",
	    "a\xf0\x9f\x91\xa8" },
	/* The kind's own limit. */
	{ TEXT_NAME, 0, "0123456789012345678901234567890123456789"
	    "012345678901234567890123456789", "0123456789012345678901234567"
	    "890123456789012345678901234567890123" },
};

static void
test_cut_rows(void **state)
{
	size_t	 i, k;

	(void)state;
	for (i = 0; i < NITEMS(crows); i++) {
		k = text_cut(crows[i].kind, crows[i].in, strlen(crows[i].in),
		    crows[i].max);
		if (k != strlen(crows[i].want) ||
		    memcmp(crows[i].in, crows[i].want, k) != 0)
			fail_msg("row %zu: %s: kept %zu bytes, want [%s]", i,
			    crows[i].in, k, crows[i].want);
		assert_true(utf8_check(crows[i].in, k));
	}
	assert_int_equal(text_cut(TEXT_NAME, "", 0, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_rows),
		cmocka_unit_test(test_uri_limits),
		cmocka_unit_test(test_cut_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
