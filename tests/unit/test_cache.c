/* test_cache.c: the page cache: hits, LRU eviction by count and by bytes,
 * form-token markers, and threads sharing it */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/cache.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define M		CACHE_TOKEN
#define J		CACHE_TOKEN_JSON
#define TOK		"<tok>"
/* cache.c keeps at most this many markers a page (its MAX_MARKS). */
#define MAX_MARKS	8

/* A hit for key: the page with tok in place of each marker, or NULL on a
 * miss.  The caller frees it. */
static char *
get(const char *key, const char *tok)
{
	struct buf	 b = BUF_INIT;

	if (!cache_get(key, &b, tok, 0, 0, CACHE_VOTES_STALE, NULL)) {
		assert_int_equal(b.len, 0);
		buf_free(&b);
		return NULL;
	}
	assert_false(b.err);
	return buf_steal(&b);
}

static void
put(const char *key, const char *page, const char *mark)
{
	cache_put(key, page, strlen(page), mark, 0, 0);
}

/* A page of exactly n bytes, each c. */
static char *
page_of(size_t n, char c)
{
	char	*p = malloc(n + 1);

	assert_non_null(p);
	memset(p, c, n);
	p[n] = '\0';
	return p;
}

/* --- markers: where each reader's token goes ----------------------------- */

struct mark_row {
	const char	*name;
	const char	*page;
	const char	*mark;
	const char	*tok;
	const char	*want;		/* NULL: the page is not kept */
};

static const struct mark_row mark_rows[] = {
	{ "none", "<p>plain</p>", M, TOK, "<p>plain</p>" },
	{ "empty page", "", M, TOK, "" },
	{ "only a marker", M, M, TOK, TOK },
	{ "at the start", M "<form>", M, TOK, TOK "<form>" },
	{ "at the end", "<form>" M, M, TOK, "<form>" TOK },
	{ "in the middle", "a=\"" M "\" b", M, TOK, "a=\"" TOK "\" b" },
	{ "several", "1" M "2" M "3" M "4", M, TOK,
	    "1" TOK "2" TOK "3" TOK "4" },
	{ "adjacent", "x" M M "y", M, TOK, "x" TOK TOK "y" },
	{ "start, end and middle", M "-" M "-" M, M, TOK,
	    TOK "-" TOK "-" TOK },
	{ "empty token", "a" M "b" M, M, "", "ab" },
	{ "MAX_MARKS kept", M M M M M M M M, M, "t", "tttttttt" },
	{ "MAX_MARKS kept, text around", "<" M M M M "|" M M M M ">", M,
	    "t", "<tttt|tttt>" },
	{ "one more than MAX_MARKS refused", M M M M M M M M M, M, "t",
	    NULL },
	{ "many more refused", M M M M M M M M M M M M M M M M M M, M, "t",
	    NULL },
	{ "JSON marker", "{\"form_token\":\"" J "\"}", J, "12.ab.cd",
	    "{\"form_token\":\"12.ab.cd\"}" },
	{ "JSON marker at both ends", J "," J, J, "T", "T,T" },
	/* Only the marker the page was kept with is a marker. */
	{ "the other kind stays", "a" M "b" J "c", J, "T",
	    "a" M "bTc" },
	{ "half a marker stays", "a\x01TS b", M, "T", "a\x01TS b" },
	{ "a marker split by text stays", "\x01T" "x" "S\x01", M, "T",
	    "\x01TxS\x01" },
};

static void
test_markers(void **state)
{
	size_t	 i;
	char	 key[32], *got;

	(void)state;
	cache_init(64, 1024 * 1024);
	for (i = 0; i < NITEMS(mark_rows); i++) {
		const struct mark_row *r = &mark_rows[i];

		snprintf(key, sizeof(key), "mark-%zu", i);
		put(key, r->page, r->mark);
		got = get(key, r->tok);
		if (r->want == NULL && got != NULL)
			fail_msg("%s: kept, as \"%s\"", r->name, got);
		if (r->want != NULL && got == NULL)
			fail_msg("%s: not kept", r->name);
		if (r->want != NULL && strcmp(got, r->want) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", r->name, got,
			    r->want);
		/* A hit is the same each time, with each reader's token. */
		if (r->want != NULL) {
			free(got);
			got = get(key, r->tok);
			assert_non_null(got);
			assert_string_equal(got, r->want);
		}
		free(got);
	}
	cache_free();
}

/* A hit appends to what the buffer holds; a miss leaves it alone. */
static void
test_get_appends(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	cache_init(4, 4096);
	put("k", "<i>" M "</i>", M);
	buf_puts(&b, "HTTP body: ");
	assert_int_equal(cache_get("k", &b, "T", 0, 0, 10, NULL), 1);
	assert_string_equal(buf_str(&b), "HTTP body: <i>T</i>");
	assert_int_equal(cache_get("missing", &b, "T", 0, 0, 10, NULL), 0);
	assert_string_equal(buf_str(&b), "HTTP body: <i>T</i>");
	/* Keys are whole strings, not prefixes. */
	assert_int_equal(cache_get("", &b, "T", 0, 0, 10, NULL), 0);
	assert_int_equal(cache_get("kk", &b, "T", 0, 0, 10, NULL), 0);
	buf_free(&b);
	cache_free();
}

/* --- votes: older counts served for CACHE_VOTES_STALE seconds, no more --- */
static void
test_votes_stale(void **state)
{
	static const struct {
		long long	 drawn_votes, drawn_at;	/* kept with */
		long long	 votes, now;		/* asked with */
		int		 hit;
	} rows[] = {
		{ 5, 1000, 5, 1000, 1 },		/* the same counts */
		{ 5, 1000, 5, 999999, 1 },		/* however old */
		{ 5, 1000, 6, 1000, 1 },		/* newer votes, drawn now */
		{ 5, 1000, 6, 1009, 1 },		/* ... 9 s ago */
		{ 5, 1000, 6, 1010, 0 },		/* ... 10 s ago: drawn again */
		{ 5, 1000, 900, 5000, 0 },
		{ 5, 1000, 4, 1011, 0 },		/* a reset (fewer) too */
	};
	struct buf	 b = BUF_INIT;
	long long	 drawn;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cache_init(4, 4096);
		cache_put("k", "<p>" M "</p>", strlen("<p>" M "</p>"), M, rows[i].drawn_votes,
		    rows[i].drawn_at);
		drawn = -1;
		buf_reset(&b);
		assert_int_equal(cache_get("k", &b, "T", rows[i].votes,
		    rows[i].now, CACHE_VOTES_STALE, &drawn), rows[i].hit);
		if (rows[i].hit) {
			assert_string_equal(buf_str(&b), "<p>T</p>");
			assert_int_equal(drawn, rows[i].drawn_votes);
		} else {
			assert_int_equal(b.len, 0);
			assert_int_equal(drawn, -1);
		}
		cache_free();
	}
	/* Drawn again, the entry replaces the old one under the same key. */
	cache_init(4, 4096);
	put("k", "old", M);
	cache_put("k", "new", 3, M, 7, 2000);
	buf_reset(&b);
	assert_int_equal(cache_get("k", &b, "T", 7, 2000, 10, &drawn), 1);
	assert_string_equal(buf_str(&b), "new");
	assert_int_equal(drawn, 7);
	buf_free(&b);
	cache_free();
}

/* --- eviction: by count and by bytes, least recently used first ---------- */

/*
 * A row runs a script of steps on a fresh cache of `n` pages and `max`
 * bytes: "p KEY SIZE" keeps a page of SIZE bytes, "g KEY" reads it (a
 * hit makes it the most recently used).  Then every key in `kept` must
 * hit, each with its own content, and every key in `gone` must miss.
 */
struct lru_row {
	const char	*name;
	size_t		 n, max;
	const char	*steps;
	const char	*kept;
	const char	*gone;
};

static const struct lru_row lru_rows[] = {
	{ "under the count, all kept", 4, 10000,
	    "p a 10; p b 10; p c 10", "a b c", "" },
	{ "over the count, the oldest goes", 3, 10000,
	    "p a 10; p b 10; p c 10; p d 10", "b c d", "a" },
	{ "a hit keeps a page", 3, 10000,
	    "p a 10; p b 10; p c 10; g a; p d 10", "a c d", "b" },
	{ "two hits, the older goes", 3, 10000,
	    "p a 10; p b 10; p c 10; g b; g a; p d 10; p e 10",
	    "a d e", "b c" },
	{ "a hit after a put makes the hit page the newest", 2, 10000,
	    "p a 10; p b 10; p c 10; g b; p d 10", "b d", "a c" },
	{ "a miss touches nothing", 2, 10000,
	    "p a 10; p b 10; g zz; p c 10", "b c", "a" },
	{ "putting a key again replaces it, in place", 2, 10000,
	    "p a 10; p b 10; p a 20", "a b", "" },
	{ "one page, replaced", 1, 10000,
	    "p a 10; p b 10", "b", "a" },
	{ "a quarter of the bytes is kept", 10, 400,
	    "p a 100", "a", "" },
	{ "over a quarter of the bytes is not", 10, 400,
	    "p a 101", "", "a" },
	{ "an oversized page leaves the others alone", 2, 400,
	    "p a 100; p b 100; p c 101", "a b", "c" },
	{ "an oversized page does not replace its key", 2, 400,
	    "p a 50; p a 101", "a", "" },
	{ "the byte budget, filled exactly", 10, 400,
	    "p a 100; p b 100; p c 100; p d 100", "a b c d", "" },
	{ "over the byte budget, the oldest goes", 10, 400,
	    "p a 100; p b 100; p c 100; p d 100; p e 100",
	    "b c d e", "a" },
	{ "over the byte budget, a hit keeps a page", 10, 400,
	    "p a 100; p b 100; p c 100; p d 100; g a; p e 100",
	    "a c d e", "b" },
	{ "over the byte budget, as many go as must", 10, 400,
	    "p a 60; p b 60; p c 60; p d 100; p e 100; p f 100",
	    "c d e f", "a b" },
	{ "over the byte budget, no more go than must", 10, 400,
	    "p a 40; p b 40; p c 40; p d 100; p e 100; p f 100",
	    "b c d e f", "a" },
	{ "replacing a key frees its bytes first", 10, 400,
	    "p a 100; p b 100; p c 100; p d 100; p a 100",
	    "a b c d", "" },
	{ "a smaller copy leaves room", 10, 400,
	    "p a 100; p b 100; p c 100; p d 100; p a 10; p e 90",
	    "a b c d e", "" },
	/* All slots full: the count takes the oldest, then the bytes the
	 * next oldest. */
	{ "count and bytes together", 5, 400,
	    "p a 20; p b 95; p c 95; p d 95; p e 95; p f 100",
	    "c d e f", "a b" },
	{ "no pages: off", 0, 10000, "p a 10; p b 10", "", "a b" },
};

/* Each key's page: its size, filled with the key's letter. */
static void
lru_check(const struct lru_row *r, const char *keys, int want, size_t *sz)
{
	char	 key[2] = { 0, 0 }, *got;

	for (; *keys != '\0'; keys++) {
		if (*keys == ' ')
			continue;
		key[0] = *keys;
		got = get(key, TOK);
		if (want && got == NULL)
			fail_msg("%s: %s was evicted", r->name, key);
		if (!want && got != NULL)
			fail_msg("%s: %s was kept", r->name, key);
		if (got != NULL) {
			char *p = page_of(sz[(unsigned char)*keys], *keys);

			if (strcmp(got, p) != 0)
				fail_msg("%s: %s holds \"%.20s...\"", r->name,
				    key, got);
			free(p);
		}
		free(got);
	}
}

static void
test_lru(void **state)
{
	size_t	 i, n, sz[256];
	char	 key[2] = { 0, 0 }, *steps, *step, *save, op, *p;

	(void)state;
	for (i = 0; i < NITEMS(lru_rows); i++) {
		const struct lru_row *r = &lru_rows[i];

		memset(sz, 0, sizeof(sz));
		cache_init(r->n, r->max);
		steps = strdup(r->steps);
		assert_non_null(steps);
		for (step = strtok_r(steps, ";", &save); step != NULL;
		    step = strtok_r(NULL, ";", &save)) {
			n = 0;
			if (sscanf(step, " %c %c %zu", &op, &key[0], &n) < 2)
				fail_msg("%s: bad step \"%s\"", r->name, step);
			if (op == 'p') {
				p = page_of(n, key[0]);
				put(key, p, M);
				free(p);
				/* A refused page leaves the kept one. */
				if (n <= r->max / 4)
					sz[(unsigned char)key[0]] = n;
			} else
				free(get(key, TOK));
		}
		free(steps);
		lru_check(r, r->kept, 1, sz);
		lru_check(r, r->gone, 0, sz);
		cache_free();
	}
}

/* cache_init again starts empty; cache_free is safe twice; a cache never
 * set up, or freed, misses and keeps nothing. */
static void
test_lifecycle(void **state)
{
	char	*got;

	(void)state;
	cache_free();
	assert_null(get("a", TOK));
	put("a", "page", M);
	assert_null(get("a", TOK));

	cache_init(4, 4096);
	put("a", "page", M);
	got = get("a", TOK);
	assert_non_null(got);
	assert_string_equal(got, "page");
	free(got);
	cache_init(4, 4096);
	assert_null(get("a", TOK));
	cache_free();
	cache_free();
	put("a", "page", M);
	assert_null(get("a", TOK));
}

/* --- cache_fill_tokens: a freshly rendered page gets its token ----------- */

struct fill_row {
	const char	*in;		/* NULL: a buffer never written */
	const char	*mark;
	const char	*tok;
	const char	*want;
};

static const struct fill_row fill_rows[] = {
	{ NULL, M, TOK, "" },
	{ "", M, TOK, "" },
	{ "no marker", M, TOK, "no marker" },
	{ M, M, TOK, TOK },
	{ M "x", M, TOK, TOK "x" },
	{ "x" M, M, TOK, "x" TOK },
	{ M "a" M "b" M, M, TOK, TOK "a" TOK "b" TOK },
	{ M M, M, "", "" },
	/* No limit here: the cache's MAX_MARKS is for what it keeps. */
	{ M M M M M M M M M M, M, "t", "tttttttttt" },
	{ "{\"t\":\"" J "\"}", J, "1.a.b", "{\"t\":\"1.a.b\"}" },
	{ "a" M "b" J, J, "T", "a" M "bT" },
	{ "a" M "b" J, M, "T", "aTb" J },
	/* A token longer than the page grows the buffer. */
	{ M, M, "a token far longer than the marker it takes the place of",
	    "a token far longer than the marker it takes the place of" },
	{ "\x01TS", M, TOK, "\x01TS" },
};

static void
test_fill_tokens(void **state)
{
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(fill_rows); i++) {
		const struct fill_row *r = &fill_rows[i];

		memset(&b, 0, sizeof(b));
		if (r->in != NULL)
			assert_int_equal(buf_puts(&b, r->in), 0);
		assert_int_equal(cache_fill_tokens(&b, r->mark, r->tok), 0);
		if (strcmp(buf_str(&b), r->want) != 0)
			fail_msg("row %zu: \"%s\", want \"%s\"", i, buf_str(&b),
			    r->want);
		assert_int_equal(b.len, strlen(r->want));
		assert_false(b.err);
		buf_free(&b);
	}
}

/* --- threads: readers and renderers sharing the cache -------------------- */

#define NTHREADS	6
#define NOPS		3000
#define NKEYS		40	/* more keys than pages: eviction all along */
#define NPAGES		16

/* Key k's page: its name, a marker, then k's letter (k % 26) repeated
 * 32 + k * 7 times, then another marker: a torn or mixed-up copy shows. */
static void
thread_page(unsigned k, struct buf *b, const char *tok)
{
	unsigned	 i;

	buf_printf(b, "page %u ", k);
	buf_puts(b, tok);
	for (i = 0; i < 32 + k * 7; i++)
		buf_putc(b, (char)('a' + k % 26));
	buf_puts(b, tok);
}

struct hammer {
	atomic_uint	 hits, puts, bad;
	atomic_int	 go;
};

static void *
hammer_thread(void *arg)
{
	struct hammer	*h = arg;
	struct buf	 page = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	char		 key[32], tok[32];
	unsigned	 seed = (unsigned)(uintptr_t)&page, i, k;

	while (!atomic_load(&h->go))
		sched_yield();
	for (i = 0; i < NOPS; i++) {
		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % NKEYS;
		snprintf(key, sizeof(key), "a%u-v1-0-", k);
		snprintf(tok, sizeof(tok), "tok%u", i);
		buf_reset(&got);
		if (cache_get(key, &got, tok, 0, 0, 10, NULL)) {
			/* A hit is the whole page of this key, this token. */
			buf_reset(&want);
			thread_page(k, &want, tok);
			if (got.len != want.len ||
			    memcmp(got.p, want.p, got.len) != 0)
				atomic_fetch_add(&h->bad, 1);
			atomic_fetch_add(&h->hits, 1);
			continue;
		}
		/* A miss renders the page and keeps it, as route.c does. */
		buf_reset(&page);
		thread_page(k, &page, CACHE_TOKEN);
		cache_put(key, page.p, page.len, CACHE_TOKEN, 0, 0);
		atomic_fetch_add(&h->puts, 1);
	}
	buf_free(&page);
	buf_free(&want);
	buf_free(&got);
	return NULL;
}

static void
test_threads(void **state)
{
	struct hammer	 h;
	pthread_t	 th[NTHREADS];
	size_t		 i;

	(void)state;
	memset(&h, 0, sizeof(h));
	/* Room for NPAGES pages, and bytes for about half of them: both
	 * kinds of eviction happen while the threads read. */
	cache_init(NPAGES, NPAGES * 150);
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, hammer_thread,
		    &h), 0);
	atomic_store(&h.go, 1);
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	cache_free();
	assert_int_equal(atomic_load(&h.bad), 0);
	assert_int_equal(atomic_load(&h.hits) + atomic_load(&h.puts),
	    NTHREADS * NOPS);
	/* Both paths ran: pages were kept, and found again. */
	assert_true(atomic_load(&h.hits) > 0);
	assert_true(atomic_load(&h.puts) > NKEYS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_get_appends),
		cmocka_unit_test(test_votes_stale),
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_fill_tokens),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
