/* test_auth.c: passwords, random and keyed tokens, hashes, comparisons */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Cheap Argon2id limits, so the rows run fast (ASan is slow enough). */
#define OPS		1ULL
#define MEM		8192
/* libsodium's INTERACTIVE limits: palaver's defaults. */
#define OPS_INTER	2ULL
#define MEM_INTER	67108864

#define PW		"correct horse battery staple"
#define NOW		1700000000LL
#define LATER		(NOW + 900)
#define B64URL		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789-_"

static unsigned char	 key1[AUTH_SECRET_LEN], key2[AUTH_SECRET_LEN];

static int
is_b64url(const char *s)
{
	return strspn(s, B64URL) == strlen(s);
}

static int
is_lower_hex(const char *s, size_t want)
{
	return strlen(s) == want && strspn(s, "0123456789abcdef") == want;
}

/* --- passwords ----------------------------------------------------------- */

struct pwrow {
	const char	*pw;
	size_t		 n;		/* bytes given to verify */
	int		 want;
};

/* Against a hash of PW (its strlen bytes). */
static const struct pwrow pw_rows[] = {
	{ PW, sizeof(PW) - 1, 1 },
	{ "Correct horse battery staple", sizeof(PW) - 1, 0 },
	{ "CORRECT HORSE BATTERY STAPLE", sizeof(PW) - 1, 0 },
	{ "correct horse battery stapld", sizeof(PW) - 1, 0 },
	{ "correct horse battery stapl", sizeof(PW) - 2, 0 },
	{ "xorrect horse battery staple", sizeof(PW) - 1, 0 },
	{ "correct horse battery staple ", sizeof(PW), 0 },
	{ " correct horse battery staple", sizeof(PW), 0 },
	{ "", 0, 0 },
	{ "correct horse", 13, 0 },
	{ "c", 1, 0 },
	/* The length counts, not the NUL: the password, a NUL and more. */
	{ PW "\0more", sizeof(PW "\0more") - 1, 0 },
	{ PW "\0", sizeof(PW), 0 },
	/* The same bytes with a shorter length are a prefix. */
	{ PW, sizeof(PW) - 2, 0 },
};

static void
test_password_verify(void **state)
{
	char	 h[AUTH_HASH_MAX];
	size_t	 i;

	(void)state;
	assert_int_equal(auth_password_hash(PW, strlen(PW), OPS, MEM, h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	for (i = 0; i < NITEMS(pw_rows); i++) {
		const struct pwrow *r = &pw_rows[i];

		if (auth_password_verify(h, r->pw, r->n) != r->want)
			fail_msg("verify row %zu (\"%s\", %zu): want %d", i,
			    r->pw, r->n, r->want);
	}
}

/* A password with a NUL inside is hashed by its length, all of it. */
static void
test_password_nul_inside(void **state)
{
	static const char	 pw[] = "abc\0def-ghi-jkl";
	static const struct pwrow rows[] = {
		{ pw, sizeof(pw) - 1, 1 },
		{ "abc", 3, 0 },
		{ "abc\0deg-ghi-jkl", sizeof(pw) - 1, 0 },
		{ "abc\0def-ghi-jk", sizeof(pw) - 2, 0 },
	};
	char	 h[AUTH_HASH_MAX];
	size_t	 i;

	(void)state;
	assert_int_equal(auth_password_hash(pw, sizeof(pw) - 1, OPS, MEM, h),
	    0);
	for (i = 0; i < NITEMS(rows); i++)
		if (auth_password_verify(h, rows[i].pw, rows[i].n) !=
		    rows[i].want)
			fail_msg("nul row %zu: want %d", i, rows[i].want);
}

/* Two hashes of one password differ (a fresh salt) and both verify. */
static void
test_password_salted(void **state)
{
	char	 a[AUTH_HASH_MAX], b[AUTH_HASH_MAX];

	(void)state;
	assert_int_equal(auth_password_hash(PW, strlen(PW), OPS, MEM, a), 0);
	assert_int_equal(auth_password_hash(PW, strlen(PW), OPS, MEM, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(auth_password_verify(a, PW, strlen(PW)), 1);
	assert_int_equal(auth_password_verify(b, PW, strlen(PW)), 1);
}

/* A hash string that is not one verifies nothing, and nothing crashes. */
static void
test_password_bad_hash(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"$",
		"$argon2id$",
		"$argon2id$v=19$",
		"$argon2id$v=19$m=8192,t=1,p=1$",
		"$argon2id$v=19$m=8192,t=1,p=1$$",
		"$argon2i$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=16$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=19$m=8192,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
		    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		"$argon2id$v=19$m=8192,t=1,p=1$!!!!$????",
	};
	char	 h[AUTH_HASH_MAX], cut[AUTH_HASH_MAX];
	size_t	 i, len;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		if (auth_password_verify(bad[i], PW, strlen(PW)) != 0)
			fail_msg("bad hash row %zu verified", i);
		if (auth_password_verify(bad[i], "", 0) != 0)
			fail_msg("bad hash row %zu verified \"\"", i);
		/* Anything we cannot read is due for a new hash. */
		if (auth_password_needs_rehash(bad[i], OPS, MEM) != 1)
			fail_msg("bad hash row %zu: no rehash", i);
	}

	/* A real hash cut anywhere, or with its last digit changed. */
	assert_int_equal(auth_password_hash(PW, strlen(PW), OPS, MEM, h), 0);
	len = strlen(h);
	for (i = 0; i < len; i++) {
		memcpy(cut, h, i);
		cut[i] = '\0';
		if (auth_password_verify(cut, PW, strlen(PW)) != 0)
			fail_msg("hash cut to %zu bytes verified", i);
	}
	memcpy(cut, h, len + 1);
	cut[len - 1] = cut[len - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_password_verify(cut, PW, strlen(PW)), 0);
}

struct rehashrow {
	unsigned long long	 ops;
	size_t			 mem;
	int			 want;
};

static void
test_password_needs_rehash(void **state)
{
	static const struct rehashrow rows[] = {
		{ OPS, MEM, 0 },
		{ OPS + 1, MEM, 1 },
		{ OPS, MEM * 2, 1 },
		{ OPS + 1, MEM * 2, 1 },
		{ OPS_INTER, MEM_INTER, 1 },
	};
	char	 h[AUTH_HASH_MAX];
	size_t	 i;

	(void)state;
	assert_int_equal(auth_password_hash(PW, strlen(PW), OPS, MEM, h), 0);
	for (i = 0; i < NITEMS(rows); i++)
		if (auth_password_needs_rehash(h, rows[i].ops, rows[i].mem) !=
		    rows[i].want)
			fail_msg("rehash row %zu: want %d", i, rows[i].want);
}

/* palaver's default limits: slow, so once. */
static void
test_password_interactive(void **state)
{
	char	 h[AUTH_HASH_MAX];

	(void)state;
	assert_int_equal(auth_password_hash(PW, strlen(PW), OPS_INTER,
	    MEM_INTER, h), 0);
	assert_non_null(strstr(h, "m=65536,t=2,"));
	assert_int_equal(auth_password_verify(h, PW, strlen(PW)), 1);
	assert_int_equal(auth_password_verify(h, PW "x", strlen(PW) + 1), 0);
	assert_int_equal(auth_password_needs_rehash(h, OPS_INTER, MEM_INTER),
	    0);
	assert_int_equal(auth_password_needs_rehash(h, OPS, MEM), 1);
}

static void
test_dummy_hash(void **state)
{
	static const char *const pws[] = { "", PW, "x", "dummy" };
	const char	*a, *b;
	char		 copy[AUTH_HASH_MAX];
	size_t		 i;

	(void)state;
	assert_non_null(a = auth_dummy_hash(OPS, MEM));
	assert_true(strncmp(a, "$argon2id$", 10) == 0);
	snprintf(copy, sizeof(copy), "%s", a);
	/* Made once: the second call is the same string, not a new one. */
	assert_non_null(b = auth_dummy_hash(OPS, MEM));
	assert_ptr_equal(a, b);
	assert_string_equal(b, copy);
	/* Even with other limits it is the one already made. */
	assert_string_equal(auth_dummy_hash(OPS + 1, MEM), copy);
	for (i = 0; i < NITEMS(pws); i++)
		if (auth_password_verify(a, pws[i], strlen(pws[i])) != 0)
			fail_msg("the dummy hash verified \"%s\"", pws[i]);
}

/* --- hash slots: 4 threads, 1 slot ---------------------------------------- */

#define NTHREADS	4

struct job {
	char	 pw[32];
	char	 h[AUTH_HASH_MAX];
	int	 hashed;
	int	 verified;
	int	 other;
};

static void *
hash_job(void *arg)
{
	struct job	*j = arg;

	j->hashed = auth_password_hash(j->pw, strlen(j->pw), OPS, MEM, j->h);
	j->verified = auth_password_verify(j->h, j->pw, strlen(j->pw));
	j->other = auth_password_verify(j->h, "another password",
	    strlen("another password"));
	return NULL;
}

static void
test_hash_slots(void **state)
{
	static const int slots[] = { 1, 0, -3, 2 };
	pthread_t	 th[NTHREADS];
	struct job	 jobs[NTHREADS];
	size_t		 k;
	int		 i;

	(void)state;
	/* 0 and negative counts are one slot, not a deadlock. */
	for (k = 0; k < NITEMS(slots); k++) {
		auth_hash_slots(slots[k]);
		memset(jobs, 0, sizeof(jobs));
		for (i = 0; i < NTHREADS; i++) {
			snprintf(jobs[i].pw, sizeof(jobs[i].pw),
			    "password number %d", i);
			jobs[i].hashed = -2;
			assert_int_equal(pthread_create(&th[i], NULL, hash_job,
			    &jobs[i]), 0);
		}
		for (i = 0; i < NTHREADS; i++)
			assert_int_equal(pthread_join(th[i], NULL), 0);
		for (i = 0; i < NTHREADS; i++) {
			if (jobs[i].hashed != 0 || jobs[i].verified != 1 ||
			    jobs[i].other != 0)
				fail_msg("slots %d, thread %d: hash %d verify "
				    "%d other %d", slots[k], i, jobs[i].hashed,
				    jobs[i].verified, jobs[i].other);
		}
	}
	auth_hash_slots(1);
}

/* Resized while hashes run (as a worker may, from its signal thread):
 * every hash still completes and verifies.  Under ThreadSanitizer this
 * was a race on the semaphore's set-up flag. */
#define NRESIZE		40

struct looper {
	atomic_int	*stop;
	int		 bad;
	int		 n;
};

static void *
hash_loop(void *arg)
{
	struct looper	*l = arg;
	char		 h[AUTH_HASH_MAX];

	while (!atomic_load(l->stop) || l->n < 3) {
		if (auth_password_hash(PW, strlen(PW), OPS, MEM, h) != 0 ||
		    auth_password_verify(h, PW, strlen(PW)) != 1)
			l->bad++;
		l->n++;
	}
	return NULL;
}

static void
test_hash_slots_resize(void **state)
{
	struct looper	 l[NTHREADS];
	pthread_t	 th[NTHREADS];
	atomic_int	 stop = 0;
	int		 i;

	(void)state;
	for (i = 0; i < NTHREADS; i++) {
		l[i] = (struct looper){ &stop, 0, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, hash_loop, &l[i]),
		    0);
	}
	for (i = 0; i < NRESIZE; i++) {
		auth_hash_slots(i % 3 + 1);
		usleep(2000);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(l[i].bad, 0);
		assert_true(l[i].n >= 3);
	}
	auth_hash_slots(1);
}

/* --- random tokens, token hashes, login CSRF ------------------------------ */

#define NTOKENS		1000

static int
cmp_tok(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_random_token(void **state)
{
	char	(*t)[AUTH_RANDOM_LEN];
	size_t	 i;

	(void)state;
	assert_non_null(t = calloc(NTOKENS, sizeof(*t)));
	for (i = 0; i < NTOKENS; i++) {
		auth_random_token(t[i]);
		if (strlen(t[i]) != 43 || !is_b64url(t[i]))
			fail_msg("token %zu: \"%s\"", i, t[i]);
	}
	qsort(t, NTOKENS, sizeof(*t), cmp_tok);
	for (i = 1; i < NTOKENS; i++)
		if (strcmp(t[i - 1], t[i]) == 0)
			fail_msg("token \"%s\" twice", t[i]);
	free(t);
}

struct throw {
	const char	*a;
	size_t		 an;
	const char	*b;
	size_t		 bn;
	int		 same;
};

static void
test_token_hash(void **state)
{
	static const struct throw rows[] = {
		{ "token", 5, "token", 5, 1 },
		{ "", 0, "", 0, 1 },
		{ "token", 5, "tokem", 5, 0 },
		{ "token", 5, "Token", 5, 0 },
		{ "token", 5, "token", 4, 0 },
		{ "token", 5, "", 0, 0 },
		{ "a\0b", 3, "a\0c", 3, 0 },
		{ "a\0b", 3, "a", 1, 0 },
	};
	unsigned char	 ha[32], hb[32], zero[32] = { 0 };
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		const struct throw *r = &rows[i];

		auth_token_hash(r->a, r->an, ha);
		auth_token_hash(r->b, r->bn, hb);
		assert_memory_not_equal(ha, zero, 32);
		if ((memcmp(ha, hb, 32) == 0) != r->same)
			fail_msg("token hash row %zu: want same %d", i,
			    r->same);
	}
}

struct csrfrow {
	const unsigned char	*ka;
	const char		*ca;
	const unsigned char	*kb;
	const char		*cb;
	int			 same;
};

static void
test_login_csrf(void **state)
{
	const struct csrfrow rows[] = {
		{ key1, "cookie-value", key1, "cookie-value", 1 },
		{ key1, "", key1, "", 1 },
		{ key1, "cookie-value", key1, "cookie-valuf", 0 },
		{ key1, "cookie-value", key1, "cookie-value ", 0 },
		{ key1, "cookie-value", key1, "", 0 },
		{ key1, "cookie-value", key2, "cookie-value", 0 },
		{ key1, "", key2, "", 0 },
	};
	char	 a[AUTH_RANDOM_LEN], b[AUTH_RANDOM_LEN];
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		const struct csrfrow *r = &rows[i];

		auth_login_csrf(r->ka, r->ca, a);
		auth_login_csrf(r->kb, r->cb, b);
		if (strlen(a) != 43 || !is_b64url(a))
			fail_msg("csrf row %zu: \"%s\"", i, a);
		if ((strcmp(a, b) == 0) != r->same)
			fail_msg("csrf row %zu: want same %d", i, r->same);
	}
}

struct eqrow {
	const char	*a;
	const char	*b;
	int		 want;
};

static void
test_equal(void **state)
{
	static const struct eqrow rows[] = {
		{ "", "", 1 },
		{ "a", "a", 1 },
		{ "same token", "same token", 1 },
		{ "a", "b", 0 },
		{ "a", "", 0 },
		{ "", "a", 0 },
		{ "a", "ab", 0 },
		{ "ab", "a", 0 },
		{ "abc", "abd", 0 },
		{ "xbc", "abc", 0 },
		{ "abc", "ABC", 0 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		const struct eqrow *r = &rows[i];
		size_t n = strlen(r->a) < strlen(r->b) ? strlen(r->a) :
		    strlen(r->b);

		if (auth_equal_str(r->a, r->b) != r->want)
			fail_msg("equal_str row %zu: want %d", i, r->want);
		/* auth_equal compares only the bytes it is told to. */
		if (strlen(r->a) == strlen(r->b) &&
		    auth_equal(r->a, r->b, n) != r->want)
			fail_msg("equal row %zu: want %d", i, r->want);
	}
	assert_int_equal(auth_equal("abc", "abd", 2), 1);
	assert_int_equal(auth_equal("abc", "abd", 3), 0);
	assert_int_equal(auth_equal("a\0b", "a\0c", 3), 0);
	assert_int_equal(auth_equal("a\0b", "a\0b", 3), 1);
	assert_int_equal(auth_equal("x", "y", 0), 1);
}

/* --- author tokens ------------------------------------------------------- */

struct atrow {
	long long	 id;
	long long	 expires;
	long long	 now;
	int		 want;
};

/* Made and checked with the same key. */
static const struct atrow at_rows[] = {
	{ 5, LATER, NOW, 1 },
	{ 1, LATER, NOW, 1 },
	{ 1, 1, 0, 1 },
	{ 1, 1, 1, 1 },				/* now == expires: still good */
	{ 5, LATER, LATER + 1, 0 },		/* expired */
	{ 5, NOW, NOW + 1, 0 },
	{ 5, NOW - 86400, NOW, 0 },
	{ 9007199254740992LL, LATER, NOW, 1 },	/* 2^53 */
	{ 1000000000000000LL, LATER, NOW, 1 },	/* 16 digits */
	{ 9999999999999999LL, LATER, NOW, 1 },
	{ 5, 9999999999999999LL, NOW, 1 },
	{ 9999999999999999LL, 9999999999999999LL, NOW, 1 },
	{ 10000000000000000LL, LATER, NOW, 0 },	/* 17 digits */
	{ 5, 10000000000000000LL, NOW, 0 },
	{ 0, LATER, NOW, 0 },			/* no comment 0 */
	{ -5, LATER, NOW, 0 },
	{ 5, -1, -10, 0 },
};

static void
test_author_roundtrip(void **state)
{
	char		 tok[AUTH_TOKEN_MAX];
	long long	 id, exp;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(at_rows); i++) {
		const struct atrow *r = &at_rows[i];
		int got;

		auth_author_token(key1, r->id, r->expires, tok);
		id = exp = -7;
		got = auth_author_check(key1, tok, strlen(tok), r->now, &id,
		    &exp);
		if (got != r->want)
			fail_msg("author row %zu (%s at %lld): want %d", i,
			    tok, r->now, r->want);
		if (r->want && (id != r->id || exp != r->expires))
			fail_msg("author row %zu: got %lld, %lld", i, id, exp);
		/* A refused token leaves the outputs alone. */
		if (!r->want && (id != -7 || exp != -7))
			fail_msg("author row %zu: outputs set when refused", i);
		/* Never good under another key. */
		if (auth_author_check(key2, tok, strlen(tok), r->now, &id,
		    &exp) != 0)
			fail_msg("author row %zu: good under another key", i);
	}
}

/* The token for comment 5 is not a token for 6, nor is 6's for 5, in
 * any arrangement of the parts. */
static void
test_author_other_id(void **state)
{
	char		 t5[AUTH_TOKEN_MAX], t6[AUTH_TOKEN_MAX], mix[160];
	long long	 id = 0, exp = 0;

	(void)state;
	auth_author_token(key1, 5, LATER, t5);
	auth_author_token(key1, 6, LATER, t6);
	assert_int_equal(auth_author_check(key1, t5, strlen(t5), NOW, &id,
	    &exp), 1);
	assert_int_equal(id, 5);
	assert_int_equal(auth_author_check(key1, t6, strlen(t6), NOW, &id,
	    &exp), 1);
	assert_int_equal(id, 6);
	/* 6's numbers with 5's MAC, and the other way round. */
	snprintf(mix, sizeof(mix), "6%s", t5 + 1);
	assert_int_equal(auth_author_check(key1, mix, strlen(mix), NOW, &id,
	    &exp), 0);
	snprintf(mix, sizeof(mix), "5%s", t6 + 1);
	assert_int_equal(auth_author_check(key1, mix, strlen(mix), NOW, &id,
	    &exp), 0);
	/* A later expiry on an old MAC. */
	snprintf(mix, sizeof(mix), "5.%lld%s", LATER + 1,
	    strchr(t5 + 2, '.'));
	assert_int_equal(auth_author_check(key1, mix, strlen(mix), NOW, &id,
	    &exp), 0);
}

/* Every printable ASCII byte (and a few controls) in place of each one.
 * Bytes from 0x80 up are the regression test below. */
static const char *
subst_chars(void)
{
	static char	 s[128];
	size_t		 n = 0;
	int		 c;

	if (s[0] != '\0')
		return s;
	for (c = 0x20; c < 0x7f; c++)
		s[n++] = (char)c;
	s[n++] = '\t';
	s[n++] = '\n';
	s[n++] = '\r';
	s[n++] = '\x7f';
	s[n] = '\0';
	return s;
}

typedef int (*checkfn)(const char *, size_t);

static int
check_author(const char *tok, size_t n)
{
	long long	 id, exp;

	return auth_author_check(key1, tok, n, NOW, &id, &exp);
}

static int
check_form(const char *tok, size_t n)
{
	long long	 t;

	return auth_form_token_check(key1, tok, n, &t);
}

/* Damage a good token every way one character can: change, cut, extend. */
static void
damage(const char *what, const char *tok, checkfn check)
{
	static const char *const extra[] = {
		"A", "0", ".", "=", "==", "~", " ", "\n", ".A", "AAAA",
	};
	const char	*subs = subst_chars();
	char		 t[AUTH_TOKEN_MAX + 16];
	size_t		 len = strlen(tok), i, k;

	assert_int_equal(check(tok, len), 1);
	for (i = 0; i < len; i++) {
		for (k = 0; subs[k] != '\0'; k++) {
			if (subs[k] == tok[i])
				continue;
			memcpy(t, tok, len + 1);
			t[i] = subs[k];
			if (check(t, len))
				fail_msg("%s %s: '%c' at %zu passed", what, tok,
				    subs[k], i);
		}
		/* A NUL inside, with the length kept. */
		memcpy(t, tok, len + 1);
		t[i] = '\0';
		if (check(t, len))
			fail_msg("%s %s: NUL at %zu passed", what, tok, i);
		/* One character dropped. */
		memcpy(t, tok, i);
		memcpy(t + i, tok + i + 1, len - i);
		if (check(t, len - 1))
			fail_msg("%s %s: dropped %zu passed", what, tok, i);
	}
	/* Truncated anywhere. */
	for (i = 0; i < len; i++)
		if (check(tok, i))
			fail_msg("%s %s: cut to %zu passed", what, tok, i);
	/* Extra characters after it. */
	for (k = 0; k < NITEMS(extra); k++) {
		snprintf(t, sizeof(t), "%s%s", tok, extra[k]);
		if (check(t, strlen(t)))
			fail_msg("%s %s: \"%s\" after passed", what, tok,
			    extra[k]);
	}
	/* Leading junk (a leading zero is the regression test). */
	for (k = 0; subs[k] != '\0'; k++) {
		if (subs[k] >= '0' && subs[k] <= '9')
			continue;
		snprintf(t, sizeof(t), "%c%s", subs[k], tok);
		if (check(t, strlen(t)))
			fail_msg("%s %s: '%c' before passed", what, tok,
			    subs[k]);
	}
	for (k = 1; k <= 9; k++) {
		snprintf(t, sizeof(t), "%zu%s", k, tok);
		if (check(t, strlen(t)))
			fail_msg("%s %s: digit %zu before passed", what, tok,
			    k);
	}
}

static void
test_author_damaged(void **state)
{
	static const long long ids[] = { 5, 1, 123456, 9007199254740992LL };
	char	 tok[AUTH_TOKEN_MAX];
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(ids); i++) {
		auth_author_token(key1, ids[i], LATER, tok);
		damage("author", tok, check_author);
	}
}

static void
test_author_malformed(void **state)
{
	static const char *const rows[] = {
		"", ".", "..", "5", "5.", "5..", "5.1", "5.1.", ".1.AAAA",
		"5..AAAA", "5.x.AAAA", "x.1.AAAA", "5.1.!!!!", "-5.1.AAAA",
		"5.-1.AAAA", "+5.1.AAAA", " 5.1.AAAA", "5 .1.AAAA",
		"5.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"00000000000000000.1.AAAA",
		"99999999999999999999999999.1.AAAA",
	};
	long long	 id = -7, exp = -7;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		if (auth_author_check(key1, rows[i], strlen(rows[i]), 0, &id,
		    &exp) != 0)
			fail_msg("author shape \"%s\" passed", rows[i]);
		assert_int_equal(id, -7);
	}
	/* n bounds the read: a good token past n is not seen. */
	{
		char tok[AUTH_TOKEN_MAX];

		auth_author_token(key1, 5, LATER, tok);
		assert_int_equal(auth_author_check(key1, tok, 0, NOW, &id,
		    &exp), 0);
		assert_int_equal(auth_author_check(key1, tok, 2, NOW, &id,
		    &exp), 0);
	}
}

/*
 * Was a bug, now a regression test: auth_author_check and auth_form_token_check accept spellings of
 * a good token other than the one auth_*_token wrote, so one token has
 * many texts that all pass:
 *
 *  1. numbers with leading zeros ("05.EXPIRES.MAC", "5.0EXPIRES.MAC",
 *     "0T.NONCE.MAC"): the digits are read as a value and the MAC is
 *     over the value printed again (%lld), not over the bytes sent;
 *  2. any byte from 0x80 to 0xff in place of a '_' in the MAC: the
 *     libsodium here (1.0.18) decodes every such byte as '_' (63) in
 *     sodium_base642bin, and the check does not look at the characters
 *     itself.  Half of all tokens have a '_' in their MAC.
 *
 * For form tokens this defeats the replay rule: post.c marks a form
 * used by auth_token_hash(the token's text), so a respelt used token is
 * a new, unused one (see test_spam.c, test_replay_respelt_regress).  The
 * checks should take only the canonical text: re-encode the MAC and
 * compare the strings, or refuse leading zeros and any byte outside
 * the base64url alphabet before decoding.
 */
struct respell {
	const char	*what;
	int		 form;		/* 0: an author token */
	int		 how;		/* 0: a leading zero, 1: a high byte,
					   2: a zero before the expiry */
};

static const struct respell respell_rows[] = {
	{ "author id with a leading zero", 0, 0 },
	{ "author expiry with a leading zero", 0, 2 },
	{ "author MAC with 0x80 for '_'", 0, 1 },
	{ "form time with a leading zero", 1, 0 },
	{ "form MAC with 0xff for '_'", 1, 1 },
};

/* A token whose MAC has a '_' (about every other one does); the
 * offset of that '_'. */
static size_t
token_with_underscore(int form, char out[AUTH_TOKEN_MAX])
{
	const char	*u;
	long long	 i;

	for (i = 1; i < 10000; i++) {
		if (form)
			auth_form_token(key1, NOW, out);
		else
			auth_author_token(key1, i, LATER, out);
		if ((u = strchr(strrchr(out, '.') + 1, '_')) != NULL)
			return (size_t)(u - out);
	}
	fail_msg("no token with a '_' in its MAC");
	return 0;
}

static void
test_respelt_token_regress(void **state)
{
	char		 tok[AUTH_TOKEN_MAX], t[AUTH_TOKEN_MAX + 8];
	long long	 id, exp, ft;
	size_t		 i, k, bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(respell_rows); i++) {
		const struct respell *r = &respell_rows[i];
		int got;

		if (r->how == 1) {
			k = token_with_underscore(r->form, tok);
			memcpy(t, tok, sizeof(tok));
			t[k] = r->form ? '\xff' : '\x80';
		} else {
			if (r->form)
				auth_form_token(key1, NOW, tok);
			else
				auth_author_token(key1, 5, LATER, tok);
			if (r->how == 0)
				snprintf(t, sizeof(t), "0%s", tok);
			else
				snprintf(t, sizeof(t), "5.0%s",
				    strchr(tok, '.') + 1);
		}
		/* The canonical text passes; the respelt one must not. */
		if (r->form) {
			assert_int_equal(auth_form_token_check(key1, tok,
			    strlen(tok), &ft), 1);
			got = auth_form_token_check(key1, t, strlen(t), &ft);
		} else {
			assert_int_equal(auth_author_check(key1, tok,
			    strlen(tok), NOW, &id, &exp), 1);
			got = auth_author_check(key1, t, strlen(t), NOW, &id,
			    &exp);
		}
		if (got) {
			print_error("regression: %s passes\n", r->what);
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("regression: %zu of %zu respelt tokens pass", bad,
		    NITEMS(respell_rows));
}

/* --- form tokens --------------------------------------------------------- */

static void
test_form_roundtrip(void **state)
{
	static const long long times[] = {
		NOW, 0, 1, 9, 10, 1000000000LL, 9999999999999999LL,
	};
	char		 tok[AUTH_TOKEN_MAX];
	const char	*p, *q;
	long long	 t;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(times); i++) {
		auth_form_token(key1, times[i], tok);
		/* The shape: T, a 12-character nonce, a 43-character MAC. */
		assert_non_null(p = strchr(tok, '.'));
		assert_non_null(q = strchr(p + 1, '.'));
		assert_int_equal(q - p - 1, 12);
		assert_int_equal(strlen(q + 1), 43);
		assert_true(is_b64url(q + 1));
		t = -7;
		if (auth_form_token_check(key1, tok, strlen(tok), &t) != 1 ||
		    t != times[i])
			fail_msg("form row %zu (%s): got %lld", i, tok, t);
		t = -7;
		if (auth_form_token_check(key2, tok, strlen(tok), &t) != 0 ||
		    t != -7)
			fail_msg("form row %zu: good under another key", i);
	}
	/* 17 digits of time are more than the check reads. */
	auth_form_token(key1, 10000000000000000LL, tok);
	assert_int_equal(auth_form_token_check(key1, tok, strlen(tok), &t), 0);
	auth_form_token(key1, -5, tok);
	assert_int_equal(auth_form_token_check(key1, tok, strlen(tok), &t), 0);
}

/* Two forms served in one second are two tokens (the nonce). */
static void
test_form_nonce(void **state)
{
	char	 a[AUTH_TOKEN_MAX], b[AUTH_TOKEN_MAX];
	size_t	 dot;
	int	 i;

	(void)state;
	for (i = 0; i < 100; i++) {
		auth_form_token(key1, NOW, a);
		auth_form_token(key1, NOW, b);
		assert_string_not_equal(a, b);
		/* Same time, other nonce. */
		dot = (size_t)(strchr(a, '.') - a);
		assert_memory_equal(a, b, dot + 1);
		assert_memory_not_equal(a, b, dot + 13);
	}
}

static void
test_form_damaged(void **state)
{
	char	 tok[AUTH_TOKEN_MAX];

	(void)state;
	auth_form_token(key1, NOW, tok);
	damage("form", tok, check_form);
	auth_form_token(key1, 7, tok);
	damage("form", tok, check_form);
}

/* Parts of two good tokens swapped, and the time moved: all refused. */
static void
test_form_forged(void **state)
{
	char		 a[AUTH_TOKEN_MAX], b[AUTH_TOKEN_MAX], t[160];
	const char	*an, *bn, *am, *bm;
	long long	 got = -7;

	(void)state;
	auth_form_token(key1, NOW, a);
	auth_form_token(key1, NOW, b);
	an = strchr(a, '.') + 1;
	bn = strchr(b, '.') + 1;
	am = strchr(an, '.') + 1;
	bm = strchr(bn, '.') + 1;
	/* a's nonce with b's MAC. */
	snprintf(t, sizeof(t), "%lld.%.12s.%s", NOW, an, bm);
	assert_int_equal(auth_form_token_check(key1, t, strlen(t), &got), 0);
	/* Another time with a's nonce and MAC: an older form, say. */
	snprintf(t, sizeof(t), "%lld.%.12s.%s", NOW - 10, an, am);
	assert_int_equal(auth_form_token_check(key1, t, strlen(t), &got), 0);
	snprintf(t, sizeof(t), "%lld.%.12s.%s", NOW + 1, an, am);
	assert_int_equal(auth_form_token_check(key1, t, strlen(t), &got), 0);
	/* A MAC of zeros. */
	snprintf(t, sizeof(t), "%lld.%.12s.%s", NOW, an,
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(auth_form_token_check(key1, t, strlen(t), &got), 0);
	/* Made under another key. */
	auth_form_token(key2, NOW, t);
	assert_int_equal(auth_form_token_check(key1, t, strlen(t), &got), 0);
	assert_int_equal(got, -7);
	/* b still good after all that. */
	assert_int_equal(auth_form_token_check(key1, b, strlen(b), &got), 1);
	assert_int_equal(got, NOW);
}

/* Shapes built around a good token's parts. */
static void
test_form_malformed(void **state)
{
	char		 tok[AUTH_TOKEN_MAX];
	char		 nonce[16], mac[64];
	const char	*n, *m;
	long long	 got = -7;
	size_t		 i;

	(void)state;
	auth_form_token(key1, NOW, tok);
	n = strchr(tok, '.') + 1;
	m = strchr(n, '.') + 1;
	snprintf(nonce, sizeof(nonce), "%.12s", n);
	snprintf(mac, sizeof(mac), "%s", m);
	{
		char rows[][192] = {
			"", "1", "1.", "1.x", "1.x.", "1.x.y", ".", "..",
			"...", "1..", "x.y.z", "-1.AAAAAAAAAAAA.AAAA",
			"", "", "", "", "", "", "", "", "", "", "", "", "",
		};
		size_t k = 12;

		/* No time, no nonce, no MAC. */
		snprintf(rows[k++], 192, ".%s.%s", nonce, mac);
		snprintf(rows[k++], 192, "%lld..%s", NOW, mac);
		snprintf(rows[k++], 192, "%lld.%s.", NOW, nonce);
		snprintf(rows[k++], 192, "%lld.%s", NOW, mac);
		/* A 13-, an 11-character nonce. */
		snprintf(rows[k++], 192, "%lld.%sA.%s", NOW, nonce, mac);
		snprintf(rows[k++], 192, "%lld.%.11s.%s", NOW, nonce, mac);
		/* Non-base64url characters: standard base64, padding. */
		snprintf(rows[k++], 192, "%lld.%.11s+.%s", NOW, nonce, mac);
		snprintf(rows[k++], 192, "%lld.%.11s/.%s", NOW, nonce, mac);
		snprintf(rows[k++], 192, "%lld.%s.%.42s+", NOW, nonce, mac);
		snprintf(rows[k++], 192, "%lld.%s.%s=", NOW, nonce, mac);
		snprintf(rows[k++], 192, "%lld.%s.%.42s!", NOW, nonce, mac);
		/* Spaces, and a part too many. */
		snprintf(rows[k++], 192, " %lld.%s.%s", NOW, nonce, mac);
		snprintf(rows[k++], 192, "%lld.%s.%s.%s", NOW, nonce, nonce,
		    mac);
		assert_int_equal(k, NITEMS(rows));

		for (i = 0; i < NITEMS(rows); i++)
			if (auth_form_token_check(key1, rows[i],
			    strlen(rows[i]), &got) != 0)
				fail_msg("form shape \"%s\" passed", rows[i]);
	}
	assert_int_equal(got, -7);
	/* The good one still is. */
	assert_int_equal(auth_form_token_check(key1, tok, strlen(tok), &got),
	    1);
}

/* --- address and text hashes --------------------------------------------- */

struct ahrow {
	const unsigned char	*ka;
	const char		*a;
	const unsigned char	*kb;
	const char		*b;
	int			 same;
};

static void
test_addr_hash(void **state)
{
	const struct ahrow rows[] = {
		{ key1, "192.0.2.10", key1, "192.0.2.10", 1 },
		{ key1, "", key1, "", 1 },
		{ key1, "2001:db8::1", key1, "2001:db8::1", 1 },
		{ key1, "192.0.2.10", key1, "192.0.2.11", 0 },
		{ key1, "192.0.2.10", key1, "192.0.2.1", 0 },
		{ key1, "192.0.2.10", key1, "", 0 },
		{ key1, "192.0.2.10", key2, "192.0.2.10", 0 },
		{ key1, "2001:db8::1", key2, "2001:db8::1", 0 },
	};
	char	 a[AUTH_ADDR_HASH_LEN + 1], b[AUTH_ADDR_HASH_LEN + 1];
	char	 plain[33];
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		const struct ahrow *r = &rows[i];

		memset(a, 'Z', sizeof(a));
		auth_addr_hash(r->ka, r->a, a);
		auth_addr_hash(r->kb, r->b, b);
		if (!is_lower_hex(a, AUTH_ADDR_HASH_LEN) ||
		    !is_lower_hex(b, AUTH_ADDR_HASH_LEN))
			fail_msg("addr row %zu: \"%s\" \"%s\"", i, a, b);
		if ((strcmp(a, b) == 0) != r->same)
			fail_msg("addr row %zu: want same %d", i, r->same);
		/* Keyed: not the plain hash of the address. */
		auth_text_hash(r->a, strlen(r->a), plain);
		assert_string_not_equal(a, plain);
	}
}

static void
test_text_hash(void **state)
{
	static const struct throw rows[] = {
		{ "some text", 9, "some text", 9, 1 },
		{ "", 0, "", 0, 1 },
		{ "some text", 9, "some texT", 9, 0 },
		{ "some text", 9, "some tex", 8, 0 },
		{ "some text", 9, "some text", 8, 0 },
		{ "a\0b", 3, "a\0c", 3, 0 },
		{ "", 0, "\0", 1, 0 },
	};
	char	 a[33], b[33];
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		const struct throw *r = &rows[i];

		memset(a, 'Z', sizeof(a));
		auth_text_hash(r->a, r->an, a);
		auth_text_hash(r->b, r->bn, b);
		if (!is_lower_hex(a, 32) || !is_lower_hex(b, 32))
			fail_msg("text row %zu: \"%s\" \"%s\"", i, a, b);
		if ((strcmp(a, b) == 0) != r->same)
			fail_msg("text row %zu: want same %d", i, r->same);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_verify),
		cmocka_unit_test(test_password_nul_inside),
		cmocka_unit_test(test_password_salted),
		cmocka_unit_test(test_password_bad_hash),
		cmocka_unit_test(test_password_needs_rehash),
		cmocka_unit_test(test_password_interactive),
		cmocka_unit_test(test_dummy_hash),
		cmocka_unit_test(test_hash_slots),
		cmocka_unit_test(test_hash_slots_resize),
		cmocka_unit_test(test_random_token),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_login_csrf),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_author_roundtrip),
		cmocka_unit_test(test_author_other_id),
		cmocka_unit_test(test_author_damaged),
		cmocka_unit_test(test_author_malformed),
		cmocka_unit_test(test_respelt_token_regress),
		cmocka_unit_test(test_form_roundtrip),
		cmocka_unit_test(test_form_nonce),
		cmocka_unit_test(test_form_damaged),
		cmocka_unit_test(test_form_forged),
		cmocka_unit_test(test_form_malformed),
		cmocka_unit_test(test_addr_hash),
		cmocka_unit_test(test_text_hash),
	};

	if (auth_init() == -1) {
		fprintf(stderr, "auth_init failed\n");
		return 1;
	}
	auth_secret_new(key1);
	auth_secret_new(key2);
	auth_hash_slots(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
