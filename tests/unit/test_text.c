/* test_text.c: the text rules (core/text.c), UTF-8 (core/utf8.c) and the
 * growable array (core/vec.c) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "core/vec.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
/* A byte-string literal and its length, NULs included. */
#define S(x)		x, sizeof(x) - 1

static struct arena	 A;

static int
teardown(void **state)
{
	(void)state;
	arena_reset(&A);
	return 0;
}

/* --- text_take: one row a case ------------------------------------------- */

struct trow {
	enum text_kind	 k;
	const char	*in;
	size_t		 n;
	size_t		 max;
	enum text_err	 want;
	const char	*out;	/* what is kept, when TEXT_OK */
};

static const struct trow take_rows[] = {
	/* names: one line, trimmed, at most 64 characters (not bytes) */
	{ TEXT_NAME, S("Ann"), 0, TEXT_OK, "Ann" },
	{ TEXT_NAME, S("  Ann Lee \t"), 0, TEXT_OK, "Ann Lee" },
	{ TEXT_NAME, S(""), 0, TEXT_EMPTY, NULL },
	{ TEXT_NAME, S(" \t\r\n "), 0, TEXT_EMPTY, NULL },
	{ TEXT_NAME, S("Ann\nLee"), 0, TEXT_NOT_LINE, NULL },
	{ TEXT_NAME, S("Ann\tLee"), 0, TEXT_NOT_LINE, NULL },
	{ TEXT_NAME, S("Ann\0Lee"), 0, TEXT_NOT_TEXT, NULL },
	{ TEXT_NAME, S("Ann\x01"), 0, TEXT_NOT_TEXT, NULL },
	{ TEXT_NAME, S("\xc2\x85"), 0, TEXT_NOT_TEXT, NULL },	/* C1 NEL */
	{ TEXT_NAME, S("\xff"), 0, TEXT_NOT_TEXT, NULL },
	{ TEXT_NAME, S("\xc0\xaf"), 0, TEXT_NOT_TEXT, NULL },	/* overlong */
	{ TEXT_NAME, S("\xed\xa0\x80"), 0, TEXT_NOT_TEXT, NULL }, /* surrogate */
	{ TEXT_NAME, S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	    0, TEXT_OK, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	{ TEXT_NAME, S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	    0, TEXT_TOO_LONG, NULL },
	/* 64 two-byte characters are 128 bytes and still a good name */
	{ TEXT_NAME, S("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
	    0, TEXT_OK, NULL },
	/* moderator accounts: no spaces */
	{ TEXT_ACCOUNT, S("ann"), 0, TEXT_OK, "ann" },
	{ TEXT_ACCOUNT, S("ann lee"), 0, TEXT_BAD_FORM, NULL },
	/* e-mail */
	{ TEXT_EMAIL, S("ann@example.org"), 0, TEXT_OK, "ann@example.org" },
	{ TEXT_EMAIL, S(" ann@example.org "), 0, TEXT_OK, "ann@example.org" },
	{ TEXT_EMAIL, S("ann"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_EMAIL, S("@example.org"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_EMAIL, S("ann@@example.org"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_EMAIL, S("ann@example"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_EMAIL, S("ann@example.org."), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_EMAIL, S("a<b>@example.org"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_EMAIL, S("ann lee@example.org"), 0, TEXT_BAD_FORM, NULL },
	/* websites */
	{ TEXT_WEBSITE, S("https://ann.example/"), 0, TEXT_OK,
	    "https://ann.example/" },
	{ TEXT_WEBSITE, S("HTTP://ann.example"), 0, TEXT_OK,
	    "HTTP://ann.example" },
	{ TEXT_WEBSITE, S("javascript:alert(1)"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_WEBSITE, S("https://"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_WEBSITE, S("https://user@:80/"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_WEBSITE, S("https://a.example/\xe2\x80\xae"), 0, TEXT_BAD_FORM,
	    NULL },
	{ TEXT_WEBSITE, S("//ann.example/"), 0, TEXT_BAD_FORM, NULL },
	/* thread keys: paths, never with white space inside */
	{ TEXT_URI, S("/2026/11/hello/"), 0, TEXT_OK, "/2026/11/hello/" },
	{ TEXT_URI, S("/a b/"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_URI, S("a/b"), 0, TEXT_BAD_FORM, NULL },
	{ TEXT_URI, S("/a\nb"), 0, TEXT_NOT_LINE, NULL },
	/* bodies: lines kept, \r\n made \n, the caller's limit */
	{ TEXT_BODY, S("one\r\ntwo\rthree\n"), 0, TEXT_OK,
	    "one\ntwo\nthree" },
	{ TEXT_BODY, S("\ttab\tinside"), 0, TEXT_OK, "tab\tinside" },
	{ TEXT_BODY, S("12345"), 5, TEXT_OK, "12345" },
	{ TEXT_BODY, S("123456"), 5, TEXT_TOO_LONG, NULL },
	{ TEXT_BODY, S("\n\n"), 5, TEXT_EMPTY, NULL },
	{ TEXT_BODY, S("a\0b"), 0, TEXT_NOT_TEXT, NULL },
	/* passwords: kept as typed, 12 characters at least */
	{ TEXT_PASSWORD, S(" twelve chars"), 0, TEXT_OK, " twelve chars" },
	{ TEXT_PASSWORD, S("eleven char"), 0, TEXT_TOO_SHORT, NULL },
	/* titles */
	{ TEXT_TITLE, S("Hello, world"), 0, TEXT_OK, "Hello, world" },
	{ TEXT_TITLE, S("Hello\nworld"), 0, TEXT_NOT_LINE, NULL },
};

static void
take_table(void **state)
{
	const char	*out;
	size_t		 i, chars;
	enum text_err	 e;

	(void)state;
	for (i = 0; i < NITEMS(take_rows); i++) {
		const struct trow *r = &take_rows[i];

		e = text_take(&A, r->k, r->in, r->n, r->max, &out, &chars);
		if (e != r->want)
			fail_msg("row %zu (%s): %d, want %d", i, r->in, e,
			    r->want);
		if (e != TEXT_OK)
			assert_null(out);
		else if (r->out != NULL)
			assert_string_equal(out, r->out);
		else
			assert_non_null(out);
	}
}

static void
too_long_counts(void **state)
{
	const char	*out, *msg;
	size_t		 chars;

	(void)state;
	assert_int_equal(text_take(&A, TEXT_BODY, S("\xc3\xa9\xc3\xa9\xc3\xa9"),
	    2, &out, &chars), TEXT_TOO_LONG);
	assert_int_equal(chars, 3);
	msg = text_error(&A, TEXT_BODY, TEXT_TOO_LONG, 2, chars);
	assert_string_equal(msg, "The comment is 3 characters long; the "
	    "limit is 2.");
	assert_string_equal(text_error(&A, TEXT_NAME, TEXT_TOO_LONG, 0, 65),
	    "The name is too long (at most 64 characters).");
	assert_string_equal(text_error(&A, TEXT_EMAIL, TEXT_BAD_FORM, 0, 0),
	    "That does not look like an e-mail address (it is optional: "
	    "leave it empty).");
}

static void
passwords(void **state)
{
	(void)state;
	assert_int_equal(text_password_ok(S("correct horse"), "ann"), TEXT_OK);
	assert_int_equal(text_password_ok(S("short"), "ann"), TEXT_TOO_SHORT);
	assert_int_equal(text_password_ok(S("AnnAnnAnnAnn"), "annannannann"),
	    TEXT_IS_NAME);
	assert_int_equal(text_password_ok(S("twelve chars\x01"), "ann"),
	    TEXT_NOT_TEXT);
}

static void
ids(void **state)
{
	static const struct { const char *s; long long want; } rows[] = {
		{ "1", 1 }, { "42", 42 }, { "9007199254740992", 1LL << 53 },
		{ "9007199254740993", 0 }, { "0", 0 }, { "01", 0 },
		{ "-1", 0 }, { "+1", 0 }, { " 1", 0 }, { "1a", 0 }, { "", 0 },
		{ "12345678901234567", 0 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++)
		if (text_id(rows[i].s, strlen(rows[i].s)) != rows[i].want)
			fail_msg("text_id(%s)", rows[i].s);
}

/* --- UTF-8 --------------------------------------------------------------- */

static void
decode_encode(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		size_t		 want;
		uint32_t	 cp;
	} rows[] = {
		{ S("A"), 1, 'A' },
		{ S("\xc3\xa9"), 2, 0xe9 },
		{ S("\xe2\x82\xac"), 3, 0x20ac },
		{ S("\xf0\x9f\x98\x80"), 4, 0x1f600 },
		{ S("\xf4\x8f\xbf\xbf"), 4, 0x10ffff },
		{ S("\xf4\x90\x80\x80"), 0, 0 },	/* past U+10FFFF */
		{ S("\xc3"), 0, 0 },			/* cut short */
		{ S("\xe0\x80\xaf"), 0, 0 },		/* overlong */
		{ S("\xed\xbf\xbf"), 0, 0 },		/* surrogate */
		{ S("\x80"), 0, 0 },
		{ "", 0, 0, 0 },
	};
	char		 u[4];
	uint32_t	 cp;
	size_t		 i, k;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		cp = 0;
		k = utf8_decode(rows[i].s, rows[i].n, &cp);
		assert_int_equal(k, rows[i].want);
		if (k == 0)
			continue;
		assert_int_equal(cp, rows[i].cp);
		assert_int_equal(utf8_encode(u, cp), k);
		assert_memory_equal(u, rows[i].s, k);
	}
	assert_int_equal(utf8_encode(u, 0xd800), 0);
	assert_int_equal(utf8_encode(u, 0x110000), 0);
}

static void
repair_prefix(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	assert_int_equal(utf8_repair(&b, S("a\xffz\xc3"), "?"), 2);
	assert_string_equal(buf_str(&b), "a?z?");
	buf_reset(&b);
	assert_int_equal(utf8_repair(&b, S("ok \xc3\xa9"), "?"), 0);
	assert_string_equal(buf_str(&b), "ok \xc3\xa9");
	buf_free(&b);
	assert_int_equal(utf8_prefix(S("\xc3\xa9\xc3\xa9\xc3\xa9"), 2), 4);
	assert_int_equal(utf8_prefix(S("abc"), 5), 3);
	assert_int_equal(utf8_prefix(S("abc"), 0), 0);
	assert_true(utf8_valid(S("a\x01\xc3\xa9")));
	assert_false(utf8_check(S("a\x01\xc3\xa9")));
	assert_false(utf8_valid(S("\xc3")));
}

/* --- vec_grow ------------------------------------------------------------ */

static void
grows(void **state)
{
	long long	*v = NULL, *m = NULL;
	size_t		 n, cap = 0, mcap = 0;

	(void)state;
	for (n = 0; n < 1000; n++) {
		assert_non_null(v = vec_grow(&A, v, n, &cap, sizeof(*v)));
		v[n] = (long long)n;
		assert_non_null(m = vec_grow(NULL, m, n, &mcap, sizeof(*m)));
		m[n] = (long long)n;
	}
	for (n = 0; n < 1000; n++) {
		assert_int_equal(v[n], n);
		assert_int_equal(m[n], n);
	}
	assert_true(cap >= 1000 && cap < 2048);
	free(m);
	/* A size that would overflow leaves the array as it was. */
	cap = SIZE_MAX / 2 + 1;
	assert_null(vec_grow(NULL, NULL, cap, &cap, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(take_table, teardown),
		cmocka_unit_test_teardown(too_long_counts, teardown),
		cmocka_unit_test_teardown(passwords, teardown),
		cmocka_unit_test_teardown(ids, teardown),
		cmocka_unit_test_teardown(decode_encode, teardown),
		cmocka_unit_test_teardown(repair_prefix, teardown),
		cmocka_unit_test_teardown(grows, teardown),
	};
	int	 rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&A);
	return rc;
}
