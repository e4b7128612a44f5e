/* test_parse.c: the request parsers: urlencoded, cookies, ids and UTF-8 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/arena.h"
#include "http/parse.h"
#include "core/utf8.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
/* A byte-string literal and its length, NULs included. */
#define S(x)		x, sizeof(x) - 1

/* One arena for the whole program, reset after every test (leak-checked). */
static struct arena	 A;

static int
teardown(void **state)
{
	(void)state;
	arena_reset(&A);
	return 0;
}

/* Bytes as a C literal for failure messages.  Returns a static buffer. */
static const char *
show(const char *s, size_t n)
{
	static char	 out[1024];
	size_t		 i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(out); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o,
			    "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

/* --- parse_urlencoded and parse_cookies ---------------------------------- */

struct pair {
	const char	*k;
	const char	*v;
	size_t		 vlen;
};

struct prow {
	const char	*in;
	size_t		 len;
	enum status	 st;
	size_t		 n;
	struct pair	 kv[4];
};

/* A pair whose value holds no NUL. */
#define P(k, v)		{ k, v, sizeof(v) - 1 }

static const struct prow url_rows[] = {
	{ S(""), ST_OK, 0, { { 0 } } },
	{ S("a=1"), ST_OK, 1, { P("a", "1") } },
	{ S("a=1&b=2"), ST_OK, 2, { P("a", "1"), P("b", "2") } },
	{ S("name=J+Doe&x=a+b+c"), ST_OK, 2,
	    { P("name", "J Doe"), P("x", "a b c") } },
	{ S("a+b=c"), ST_OK, 1, { P("a b", "c") } },
	{ S("a=%41%4a%4A%6a%6A"), ST_OK, 1, { P("a", "AJJjj") } },
	{ S("a=%3c%3C%3e%3E"), ST_OK, 1, { P("a", "<<>>") } },
	{ S("%61=%62"), ST_OK, 1, { P("a", "b") } },
	{ S("a=%2B"), ST_OK, 1, { P("a", "+") } },
	{ S("a=%25"), ST_OK, 1, { P("a", "%") } },
	{ S("a=%2541"), ST_OK, 1, { P("a", "%41") } },
	{ S("a=%26b%3Dc"), ST_OK, 1, { P("a", "&b=c") } },
	{ S("a=b=c"), ST_OK, 1, { P("a", "b=c") } },
	{ S("a=1;b=2"), ST_OK, 1, { P("a", "1;b=2") } },
	/* A key without '=' has an empty value; an empty key is kept. */
	{ S("a"), ST_OK, 1, { P("a", "") } },
	{ S("a&b=2"), ST_OK, 2, { P("a", ""), P("b", "2") } },
	{ S("a="), ST_OK, 1, { P("a", "") } },
	{ S("a=&b="), ST_OK, 2, { P("a", ""), P("b", "") } },
	{ S("=1"), ST_OK, 1, { P("", "1") } },
	/* Empty segments are skipped wherever they are. */
	{ S("&"), ST_OK, 0, { { 0 } } },
	{ S("&&"), ST_OK, 0, { { 0 } } },
	{ S("a=1&&b=2"), ST_OK, 2, { P("a", "1"), P("b", "2") } },
	{ S("&a=1&"), ST_OK, 1, { P("a", "1") } },
	{ S("&&&a=1&&&"), ST_OK, 1, { P("a", "1") } },
	/* Duplicates are all kept, in order. */
	{ S("a=1&a=2&a=3"), ST_OK, 3,
	    { P("a", "1"), P("a", "2"), P("a", "3") } },
	/* NUL in a value is kept and counted; in a key it is refused. */
	{ S("a=x%00y"), ST_OK, 1, { { "a", "x\0y", 3 } } },
	{ S("a=%00"), ST_OK, 1, { { "a", "\0", 1 } } },
	{ S("a=x\0y"), ST_OK, 1, { { "a", "x\0y", 3 } } },
	{ S("a%00b=1"), ST_INPUT, 0, { { 0 } } },
	{ S("%00=1"), ST_INPUT, 0, { { 0 } } },
	{ S("a\0b=1"), ST_INPUT, 0, { { 0 } } },
	{ S("ok=1&a%00=1"), ST_INPUT, 0, { { 0 } } },
	/* UTF-8, percent-encoded and raw. */
	{ S("a=%E2%82%AC"), ST_OK, 1, { P("a", "\xe2\x82\xac") } },
	{ S("%C3%A9t%C3%A9=%F0%9F%98%80"), ST_OK, 1,
	    { P("\xc3\xa9t\xc3\xa9", "\xf0\x9f\x98\x80") } },
	{ S("a=\xc3\xa9"), ST_OK, 1, { P("a", "\xc3\xa9") } },
	/* Bytes the decoder does not judge (utf8_check does). */
	{ S("a=%FF%C0%80"), ST_OK, 1, { P("a", "\xff\xc0\x80") } },
	/* Malformed escapes, in keys and values, anywhere. */
	{ S("%"), ST_INPUT, 0, { { 0 } } },
	{ S("%2"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%2"), ST_INPUT, 0, { { 0 } } },
	{ S("a=1%"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%zz"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%g0"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%0g"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%-1"), ST_INPUT, 0, { { 0 } } },
	{ S("a=% 1"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%2&b=1"), ST_INPUT, 0, { { 0 } } },
	{ S("a=%%41"), ST_INPUT, 0, { { 0 } } },
	{ S("%zz=1"), ST_INPUT, 0, { { 0 } } },
	{ S("k%=1"), ST_INPUT, 0, { { 0 } } },
	{ S("a=1&b=2&c=%"), ST_INPUT, 0, { { 0 } } },
};

static const struct prow cookie_rows[] = {
	{ S(""), ST_OK, 0, { { 0 } } },
	{ S("a=1"), ST_OK, 1, { P("a", "1") } },
	{ S("a=1; b=2"), ST_OK, 2, { P("a", "1"), P("b", "2") } },
	{ S("a=1;b=2"), ST_OK, 2, { P("a", "1"), P("b", "2") } },
	{ S("  a=1 ;\tb=2\t"), ST_OK, 2, { P("a", "1"), P("b", "2") } },
	{ S("a =1"), ST_OK, 1, { P("a", "1") } },
	{ S("sid=abc; csrf=x-y_z"), ST_OK, 2,
	    { P("sid", "abc"), P("csrf", "x-y_z") } },
	/* Quotes around a value go; a lone or unbalanced quote stays. */
	{ S("a=\"quoted\""), ST_OK, 1, { P("a", "quoted") } },
	{ S("a=\"q v\"; b=\"\""), ST_OK, 2, { P("a", "q v"), P("b", "") } },
	{ S("a=\""), ST_OK, 1, { P("a", "\"") } },
	{ S("a=\"x"), ST_OK, 1, { P("a", "\"x") } },
	{ S("a=x\""), ST_OK, 1, { P("a", "x\"") } },
	{ S("a=\"\"\""), ST_OK, 1, { P("a", "\"") } },
	/* No decoding of any kind. */
	{ S("a=%41+b"), ST_OK, 1, { P("a", "%41+b") } },
	{ S("a=b=c"), ST_OK, 1, { P("a", "b=c") } },
	{ S("a=1&b=2"), ST_OK, 1, { P("a", "1&b=2") } },
	/* Pairs without '=' and empty pairs are skipped. */
	{ S("noeq"), ST_OK, 0, { { 0 } } },
	{ S("noeq; a=1; alsonoeq"), ST_OK, 1, { P("a", "1") } },
	{ S(";"), ST_OK, 0, { { 0 } } },
	{ S(";;; ;"), ST_OK, 0, { { 0 } } },
	{ S("a=1;;b=2;"), ST_OK, 2, { P("a", "1"), P("b", "2") } },
	{ S("   "), ST_OK, 0, { { 0 } } },
	{ S("a="), ST_OK, 1, { P("a", "") } },
	{ S("=v"), ST_OK, 1, { P("", "v") } },
	{ S("a=1; a=2"), ST_OK, 2, { P("a", "1"), P("a", "2") } },
	{ S("a=\xc3\xa9"), ST_OK, 1, { P("a", "\xc3\xa9") } },
	{ S("a=x\0y"), ST_OK, 1, { { "a", "x\0y", 3 } } },
};

static void
check_prow(const char *what, size_t i, const struct prow *r,
    enum status st, const struct kvlist *l)
{
	size_t	 j;

	if (st != r->st || l->n != r->n) {
		print_error("%s row %zu \"%s\": status %s n %zu, want %s n "
		    "%zu\n", what, i, show(r->in, r->len), status_str(st),
		    l->n, status_str(r->st), r->n);
		fail();
	}
	if (st != ST_OK) {
		/* "On error *out is empty." */
		assert_null(l->v);
		return;
	}
	for (j = 0; j < r->n; j++) {
		const struct kv *kv = &l->v[j];

		if (strcmp(kv->key, r->kv[j].k) != 0 ||
		    kv->vlen != r->kv[j].vlen ||
		    memcmp(kv->val, r->kv[j].v, r->kv[j].vlen) != 0 ||
		    kv->val[kv->vlen] != '\0') {
			print_error("%s row %zu \"%s\": pair %zu is \"%s\"=",
			    what, i, show(r->in, r->len), j,
			    show(kv->key, strlen(kv->key)));
			print_error("\"%s\" (%zu)\n", show(kv->val, kv->vlen),
			    kv->vlen);
			fail();
		}
	}
}

static void
test_urlencoded_rows(void **state)
{
	struct kvlist	 l;
	enum status	 st;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(url_rows); i++) {
		memset(&l, 0xa5, sizeof(l));
		st = parse_urlencoded(&A, url_rows[i].in, url_rows[i].len, &l);
		check_prow("urlencoded", i, &url_rows[i], st, &l);
		arena_reset(&A);
	}
}

static void
test_cookies_rows(void **state)
{
	struct kvlist	 l;
	enum status	 st;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(cookie_rows); i++) {
		memset(&l, 0xa5, sizeof(l));
		st = parse_cookies(&A, cookie_rows[i].in, cookie_rows[i].len,
		    &l);
		check_prow("cookies", i, &cookie_rows[i], st, &l);
		arena_reset(&A);
	}
}

/* The input is not read past len: a prefix parses as itself. */
static void
test_urlencoded_len(void **state)
{
	static const char in[] = "a=1&b=%41";
	struct kvlist	 l;

	(void)state;
	assert_int_equal(parse_urlencoded(&A, in, 3, &l), ST_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "a");
	assert_string_equal(l.v[0].val, "1");
	assert_null(kv_get(&l, "b"));
	/* Cut inside the escape: "%4" is malformed. */
	assert_int_equal(parse_urlencoded(&A, in, sizeof(in) - 2, &l),
	    ST_INPUT);
	assert_int_equal(parse_urlencoded(&A, in, 0, &l), ST_OK);
	assert_int_equal(l.n, 0);
}

/* Build n pairs "k0=v&k1=v&..." joined by sep (with pad after it). */
static char *
many(size_t n, const char *sep, size_t *len)
{
	struct arena	*a = &A;
	char		*s, *p;
	size_t		 i, cap = n * (16 + strlen(sep)) + 1;

	s = p = arena_alloc(a, cap);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - s), "%sk%zu=v%zu",
		    i ? sep : "", i, i);
	*len = (size_t)(p - s);
	return s;
}

struct mrow {
	size_t		 n;
	int		 cookies;
	enum status	 st;
};

static const struct mrow many_rows[] = {
	{ 1, 0, ST_OK },
	{ PARSE_MAX_PAIRS - 1, 0, ST_OK },
	{ PARSE_MAX_PAIRS, 0, ST_OK },
	{ PARSE_MAX_PAIRS + 1, 0, ST_TOOBIG },
	{ PARSE_MAX_PAIRS * 4, 0, ST_TOOBIG },
	{ 1, 1, ST_OK },
	{ PARSE_MAX_PAIRS, 1, ST_OK },
	{ PARSE_MAX_PAIRS + 1, 1, ST_TOOBIG },
	{ PARSE_MAX_PAIRS * 4, 1, ST_TOOBIG },
};

static void
test_many_pairs(void **state)
{
	struct kvlist	 l;
	enum status	 st;
	size_t		 i, j, len;
	char		 key[32], val[32];
	char		*s;

	(void)state;
	for (i = 0; i < NITEMS(many_rows); i++) {
		const struct mrow *r = &many_rows[i];

		s = many(r->n, r->cookies ? "; " : "&", &len);
		st = r->cookies ? parse_cookies(&A, s, len, &l) :
		    parse_urlencoded(&A, s, len, &l);
		if (st != r->st) {
			print_error("many row %zu: %s, want %s\n", i,
			    status_str(st), status_str(r->st));
			fail();
		}
		if (st != ST_OK) {
			assert_int_equal(l.n, 0);
			assert_null(l.v);
		} else {
			assert_int_equal(l.n, r->n);
			for (j = 0; j < r->n; j++) {
				snprintf(key, sizeof(key), "k%zu", j);
				snprintf(val, sizeof(val), "v%zu", j);
				assert_string_equal(kv_get(&l, key), val);
			}
		}
		arena_reset(&A);
	}
}

/* --- kv_get and kv_find --------------------------------------------------- */

struct grow {
	const char	*in;
	const char	*key;
	const char	*want;		/* NULL: not found */
	size_t		 vlen;
};

static const struct grow get_rows[] = {
	{ "a=1&b=2", "a", "1", 1 },
	{ "a=1&b=2", "b", "2", 1 },
	{ "a=1&b=2", "c", NULL, 0 },
	{ "a=1&a=2", "a", "1", 1 },
	{ "a=&a=2", "a", "", 0 },
	{ "a=1", "A", NULL, 0 },
	{ "a=1", "", NULL, 0 },
	{ "=1", "", "1", 1 },
	{ "ab=1", "a", NULL, 0 },
	{ "a=1", "ab", NULL, 0 },
	{ "a+b=1", "a b", "1", 1 },
	{ "k=x%00y", "k", "x", 3 },
	{ "", "a", NULL, 0 },
	{ "&&", "", NULL, 0 },
};

static void
test_kv_get(void **state)
{
	const struct kv	*kv;
	const char	*v;
	struct kvlist	 l;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(get_rows); i++) {
		const struct grow *r = &get_rows[i];

		assert_int_equal(parse_urlencoded(&A, r->in, strlen(r->in),
		    &l), ST_OK);
		v = kv_get(&l, r->key);
		kv = kv_find(&l, r->key);
		if (r->want == NULL ? (v != NULL || kv != NULL) :
		    (v == NULL || kv == NULL || strcmp(v, r->want) != 0 ||
		    kv->vlen != r->vlen || kv->val != v)) {
			print_error("kv row %zu (%s, %s): got %s\n", i, r->in,
			    r->key, v != NULL ? v : "NULL");
			fail();
		}
		arena_reset(&A);
	}
	/* A list that never saw a parser. */
	l.v = NULL;
	l.n = 0;
	assert_null(kv_get(&l, "a"));
	assert_null(kv_find(&l, "a"));
}

/* --- parse_id -------------------------------------------------------------- */

struct idrow {
	const char	*in;
	size_t		 len;
	long long	 want;
};

static const struct idrow id_rows[] = {
	{ S("1"), 1 },
	{ S("9"), 9 },
	{ S("42"), 42 },
	{ S("1000000"), 1000000 },
	{ S("2147483648"), 2147483648LL },
	{ S("900719925474099"), 900719925474099LL },
	{ S("9007199254740991"), 9007199254740991LL },
	{ S("9007199254740992"), 9007199254740992LL },	/* 2^53 */
	{ S("9007199254740993"), 0 },
	{ S("9999999999999999"), 0 },
	{ S("10000000000000000"), 0 },
	{ S("99999999999999999999"), 0 },
	{ S("18446744073709551617"), 0 },
	{ S(""), 0 },
	{ S("0"), 0 },
	{ S("00"), 0 },
	{ S("01"), 0 },
	{ S("007"), 0 },
	{ S("+1"), 0 },
	{ S("-1"), 0 },
	{ S("-0"), 0 },
	{ S(" 1"), 0 },
	{ S("1 "), 0 },
	{ S("1\n"), 0 },
	{ S("1\0"), 0 },
	{ S("1a"), 0 },
	{ S("a1"), 0 },
	{ S("1.0"), 0 },
	{ S("1e3"), 0 },
	{ S("0x10"), 0 },
	{ S("1,000"), 0 },
	{ S("\xd9\xa1"), 0 },		/* ARABIC-INDIC DIGIT ONE */
	{ S("\xef\xbc\x91"), 0 },	/* FULLWIDTH DIGIT ONE */
	{ "123abc", 3, 123 },		/* only len bytes are read */
	{ "123", 0, 0 },
};

static void
test_parse_id(void **state)
{
	long long	 got;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(id_rows); i++) {
		got = text_id(id_rows[i].in, id_rows[i].len);
		if (got != id_rows[i].want) {
			print_error("id row %zu \"%s\": %lld, want %lld\n", i,
			    show(id_rows[i].in, id_rows[i].len), got,
			    id_rows[i].want);
			fail();
		}
	}
}

/* --- utf8_check and utf8_len ---------------------------------------------- */

struct urow {
	const char	*in;
	size_t		 len;
	int		 ok;
	size_t		 cps;		/* code points, when ok */
};

static const struct urow utf8_rows[] = {
	/* ASCII and the three controls we allow. */
	{ S(""), 1, 0 },
	{ S("hello, world"), 1, 12 },
	{ S(" ~"), 1, 2 },
	{ S("a\nb"), 1, 3 },
	{ S("a\tb"), 1, 3 },
	{ S("a\r\nb"), 1, 4 },
	/* Every other C0 control, and DEL. */
	{ S("\0"), 0, 0 },
	{ S("a\0b"), 0, 0 },
	{ S("\x01"), 0, 0 },
	{ S("\x08"), 0, 0 },
	{ S("\x0b"), 0, 0 },
	{ S("\x0c"), 0, 0 },
	{ S("\x1b[31m"), 0, 0 },
	{ S("\x1f"), 0, 0 },
	{ S("\x7f"), 0, 0 },
	{ S("ok\x7f"), 0, 0 },
	/* Two bytes. */
	{ S("\xc2\xa0"), 1, 1 },		/* U+00A0 */
	{ S("caf\xc3\xa9"), 1, 4 },
	{ S("\xdf\xbf"), 1, 1 },		/* U+07FF */
	/* C1 controls U+0080 to U+009F are refused. */
	{ S("\xc2\x80"), 0, 0 },
	{ S("\xc2\x85"), 0, 0 },		/* NEL */
	{ S("\xc2\x9b"), 0, 0 },		/* CSI */
	{ S("\xc2\x9f"), 0, 0 },
	/* Three bytes. */
	{ S("\xe0\xa0\x80"), 1, 1 },		/* U+0800 */
	{ S("\xe2\x82\xac"), 1, 1 },		/* EURO SIGN */
	{ S("\xed\x9f\xbf"), 1, 1 },		/* U+D7FF */
	{ S("\xee\x80\x80"), 1, 1 },		/* U+E000 */
	{ S("\xef\xbf\xbd"), 1, 1 },		/* U+FFFD */
	{ S("\xef\xbf\xbf"), 1, 1 },		/* U+FFFF */
	/* Four bytes. */
	{ S("\xf0\x90\x80\x80"), 1, 1 },	/* U+10000 */
	{ S("\xf0\x9f\x98\x80"), 1, 1 },	/* GRINNING FACE */
	{ S("\xf4\x8f\xbf\xbf"), 1, 1 },	/* U+10FFFF */
	{ S("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z\n"), 1, 6 },
	/* Overlongs. */
	{ S("\xc0\x80"), 0, 0 },
	{ S("\xc0\xaf"), 0, 0 },
	{ S("\xc1\xbf"), 0, 0 },
	{ S("\xe0\x80\x80"), 0, 0 },
	{ S("\xe0\x80\xaf"), 0, 0 },
	{ S("\xe0\x9f\xbf"), 0, 0 },
	{ S("\xf0\x80\x80\x80"), 0, 0 },
	{ S("\xf0\x8f\xbf\xbf"), 0, 0 },
	{ S("\xf8\x80\x80\x80\xaf"), 0, 0 },
	/* Surrogates, alone and paired (CESU-8). */
	{ S("\xed\xa0\x80"), 0, 0 },
	{ S("\xed\xaf\xbf"), 0, 0 },
	{ S("\xed\xb0\x80"), 0, 0 },
	{ S("\xed\xbf\xbf"), 0, 0 },
	{ S("\xed\xa0\xbd\xed\xb8\x80"), 0, 0 },
	/* Above U+10FFFF, and bytes that never occur. */
	{ S("\xf4\x90\x80\x80"), 0, 0 },
	{ S("\xf4\xbf\xbf\xbf"), 0, 0 },
	{ S("\xf5\x80\x80\x80"), 0, 0 },
	{ S("\xf7\xbf\xbf\xbf"), 0, 0 },
	{ S("\xfb\xbf\xbf\xbf\xbf"), 0, 0 },
	{ S("\xfe"), 0, 0 },
	{ S("\xff"), 0, 0 },
	/* Truncated sequences, at the end and before more text. */
	{ S("\xc3"), 0, 0 },
	{ S("abc\xc3"), 0, 0 },
	{ S("\xe2\x82"), 0, 0 },
	{ S("\xe2"), 0, 0 },
	{ S("\xf0\x9f\x98"), 0, 0 },
	{ S("\xf0\x9f"), 0, 0 },
	{ S("\xf0"), 0, 0 },
	{ S("\xc3" "a"), 0, 0 },
	{ S("\xe2\x82" "a"), 0, 0 },
	{ S("\xf0\x9f\x98" "a"), 0, 0 },
	{ "\xe2\x82\xac", 2, 0, 0 },		/* cut by len */
	/* Lone and stray continuation bytes. */
	{ S("\x80"), 0, 0 },
	{ S("\xbf"), 0, 0 },
	{ S("a\x80" "b"), 0, 0 },
	{ S("\xc3\xa9\xa9"), 0, 0 },
	{ S("\xe2\x82\xac\x80"), 0, 0 },
	/* A lead byte where a continuation should be. */
	{ S("\xc3\xc3\xa9"), 0, 0 },
	{ S("\xe2\x28\xa1"), 0, 0 },
	{ S("\xf0\x9f\x98\xf0"), 0, 0 },
};

static void
test_utf8(void **state)
{
	size_t	 i, n;
	int	 ok;

	(void)state;
	for (i = 0; i < NITEMS(utf8_rows); i++) {
		const struct urow *r = &utf8_rows[i];

		ok = utf8_check(r->in, r->len);
		if (ok != r->ok) {
			print_error("utf8 row %zu \"%s\": %d, want %d\n", i,
			    show(r->in, r->len), ok, r->ok);
			fail();
		}
		if (ok && (n = utf8_len(r->in, r->len)) != r->cps) {
			print_error("utf8_len row %zu \"%s\": %zu, want %zu\n",
			    i, show(r->in, r->len), n, r->cps);
			fail();
		}
	}
}

/* Every code point from U+0000 to U+10FFFF, encoded by hand. */
static void
test_utf8_all(void **state)
{
	char		 s[4];
	uint32_t	 cp;
	size_t		 n;
	int		 want;

	(void)state;
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp < 0x80) {
			s[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			s[0] = (char)(0xc0 | cp >> 6);
			s[1] = (char)(0x80 | (cp & 0x3f));
			n = 2;
		} else if (cp < 0x10000) {
			s[0] = (char)(0xe0 | cp >> 12);
			s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[2] = (char)(0x80 | (cp & 0x3f));
			n = 3;
		} else {
			s[0] = (char)(0xf0 | cp >> 18);
			s[1] = (char)(0x80 | (cp >> 12 & 0x3f));
			s[2] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[3] = (char)(0x80 | (cp & 0x3f));
			n = 4;
		}
		want = !((cp < 0x20 && cp != '\n' && cp != '\t' &&
		    cp != '\r') || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0xd800 && cp <= 0xdfff));
		if (utf8_check(s, n) != want) {
			print_error("U+%04X: %d, want %d\n", (unsigned)cp,
			    !want, want);
			fail();
		}
		if (want && utf8_len(s, n) != 1) {
			print_error("utf8_len U+%04X != 1\n", (unsigned)cp);
			fail();
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_urlencoded_rows, teardown),
		cmocka_unit_test_teardown(test_cookies_rows, teardown),
		cmocka_unit_test_teardown(test_urlencoded_len, teardown),
		cmocka_unit_test_teardown(test_many_pairs, teardown),
		cmocka_unit_test_teardown(test_kv_get, teardown),
		cmocka_unit_test_teardown(test_parse_id, teardown),
		cmocka_unit_test_teardown(test_utf8, teardown),
		cmocka_unit_test_teardown(test_utf8_all, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
