/* auth.c: secrets, keyed hashes and tokens (libsodium lives here) */
#include <sys/resource.h>
#include <sys/syscall.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/auth.h"

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
auth_secret_new(unsigned char out[AUTH_SECRET_LEN])
{
	randombytes_buf(out, AUTH_SECRET_LEN);
}

void
auth_addr_hash(const unsigned char key[AUTH_SECRET_LEN], const char *addr,
    char out[AUTH_ADDR_HASH_LEN + 1])
{
	static const char	 ctx[] = "palaver address v1";
	unsigned char		 h[AUTH_ADDR_HASH_LEN / 2];
	crypto_generichash_state st;

	/* Domain-separated so the same secret can key other hashes. */
	crypto_generichash_init(&st, key, AUTH_SECRET_LEN, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)ctx,
	    sizeof(ctx));
	crypto_generichash_update(&st, (const unsigned char *)addr,
	    strlen(addr));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, AUTH_ADDR_HASH_LEN + 1, h, sizeof(h));
}

static void
author_mac(const unsigned char key[AUTH_SECRET_LEN], long long id,
    long long expires, unsigned char mac[crypto_auth_BYTES])
{
	char	 msg[64];
	int	 n;

	n = snprintf(msg, sizeof(msg), "palaver author v1:%lld:%lld", id,
	    expires);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n,
	    key);
}

void
auth_author_token(const unsigned char key[AUTH_SECRET_LEN], long long id,
    long long expires, char out[AUTH_TOKEN_MAX])
{
	unsigned char	 mac[crypto_auth_BYTES];
	char		 b64[64];
	int		 n;

	author_mac(key, id, expires, mac);
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(out, AUTH_TOKEN_MAX, "%lld.%lld.%s", id, expires, b64);
	if (n < 0 || n >= AUTH_TOKEN_MAX)
		out[0] = '\0';
}

int
auth_author_check(const unsigned char key[AUTH_SECRET_LEN], const char *tok,
    size_t n, long long now, long long *idp, long long *expp)
{
	char		 want[AUTH_TOKEN_MAX];
	long long	 v[2] = { 0, 0 };
	size_t		 i = 0, k;

	/* Two decimal numbers, each ended by a dot, then the MAC. */
	for (k = 0; k < 2; k++) {
		size_t start = i;

		while (i < n && tok[i] >= '0' && tok[i] <= '9' && i - start < 16)
			v[k] = v[k] * 10 + (tok[i++] - '0');
		if (i == start || i >= n || tok[i] != '.')
			return 0;
		i++;
	}
	if (v[0] <= 0 || v[1] < now)
		return 0;
	/*
	 * Only the exact text we would write is ours: compared whole, so no
	 * other spelling of the same token (leading zeros, a MAC byte the
	 * base64 decoder would forgive) passes for it.
	 */
	auth_author_token(key, v[0], v[1], want);
	if (strlen(want) != n || sodium_memcmp(want, tok, n) != 0)
		return 0;
	*idp = v[0];
	*expp = v[1];
	return 1;
}

/* --- passwords ----------------------------------------------------------- */

/*
 * At most `slots_max` hashes run at once in this process.  A counter under
 * a statically initialised mutex, as spam.c's hook slots: ready before any
 * thread runs, and resized safely while hashes run (a semaphore set up on
 * first use raced between first users, and re-initialising it under
 * waiters was undefined).
 */
static pthread_mutex_t	 slots_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 slots_cv = PTHREAD_COND_INITIALIZER;
static int		 slots_max = 1, slots_busy;
static pthread_mutex_t	 dummy_mu = PTHREAD_MUTEX_INITIALIZER;
static char		 dummy[AUTH_HASH_MAX];

void
auth_hash_slots(int n)
{
	pthread_mutex_lock(&slots_mu);
	slots_max = n > 0 ? n : 1;
	pthread_cond_broadcast(&slots_cv);
	pthread_mutex_unlock(&slots_mu);
}

static void
slot_take(void)
{
	pthread_mutex_lock(&slots_mu);
	while (slots_busy >= slots_max)
		pthread_cond_wait(&slots_cv, &slots_mu);
	slots_busy++;
	pthread_mutex_unlock(&slots_mu);
}

static void
slot_give(void)
{
	pthread_mutex_lock(&slots_mu);
	slots_busy--;
	pthread_cond_signal(&slots_cv);
	pthread_mutex_unlock(&slots_mu);
}

/*
 * A hash may run in a thread of its own at a lower priority (a higher
 * nice value), so that while it takes a core the threads serving readers
 * still get the CPU first.  A thread's nice value can be raised but, with
 * the default RLIMIT_NICE, never lowered again: hence a short-lived thread
 * per hash (its cost is nothing beside the hash) rather than the caller
 * lowering itself.  0 (the default, and the CLI's) hashes in the caller.
 */
static _Atomic int	 hash_nice;

void
auth_hash_nice(int nice)
{
	hash_nice = nice < 0 ? 0 : nice > 19 ? 19 : nice;
}

struct hash_job {
	const char		*hash;	/* verify this, or */
	char			*out;	/* hash into this */
	const char		*pw;
	size_t			 n;
	unsigned long long	 ops;
	size_t			 mem;
	int			 nice;
	int			 rc;
};

static void
hash_run(struct hash_job *j)
{
	if (j->out != NULL)
		j->rc = crypto_pwhash_str(j->out, j->pw, j->n, j->ops, j->mem);
	else
		j->rc = crypto_pwhash_str_verify(j->hash, j->pw, j->n);
}

static void *
hash_thread(void *arg)
{
	struct hash_job	*j = arg;

	/* On Linux, PRIO_PROCESS with a thread id sets that thread alone.
	 * Failing that the hash runs at the caller's priority: no harm. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), j->nice);
	hash_run(j);
	return NULL;
}

static void
hash_do(struct hash_job *j)
{
	pthread_t	 t;

	j->nice = hash_nice;
	slot_take();
	if (j->nice == 0 || pthread_create(&t, NULL, hash_thread, j) != 0)
		hash_run(j);
	else
		pthread_join(t, NULL);
	slot_give();
}

int
auth_password_hash(const char *pw, size_t n, unsigned long long ops,
    size_t mem, char out[AUTH_HASH_MAX])
{
	struct hash_job	 j = { .out = out, .pw = pw, .n = n, .ops = ops,
			    .mem = mem };

	hash_do(&j);
	return j.rc == 0 ? 0 : -1;
}

int
auth_password_verify(const char *hash, const char *pw, size_t n)
{
	struct hash_job	 j = { .hash = hash, .pw = pw, .n = n };

	hash_do(&j);
	return j.rc == 0;
}

int
auth_password_needs_rehash(const char *hash, unsigned long long ops,
    size_t mem)
{
	return crypto_pwhash_str_needs_rehash(hash, ops, mem) != 0;
}

const char *
auth_dummy_hash(unsigned long long ops, size_t mem)
{
	char	 pw[AUTH_RANDOM_LEN];
	const char *rv = dummy;

	pthread_mutex_lock(&dummy_mu);
	if (dummy[0] == '\0') {
		auth_random_token(pw);
		if (auth_password_hash(pw, strlen(pw), ops, mem, dummy) == -1) {
			dummy[0] = '\0';
			rv = NULL;
		}
		sodium_memzero(pw, sizeof(pw));
	}
	pthread_mutex_unlock(&dummy_mu);
	return rv;
}

/* --- tokens -------------------------------------------------------------- */

void
auth_random_token(char out[AUTH_RANDOM_LEN])
{
	unsigned char	 b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, AUTH_RANDOM_LEN, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
}

void
auth_token_hash(const char *tok, size_t n, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)tok, n, NULL, 0);
}

void
auth_login_csrf(const unsigned char key[AUTH_SECRET_LEN], const char *cookie,
    char out[AUTH_RANDOM_LEN])
{
	unsigned char			 mac[crypto_auth_hmacsha512256_BYTES];
	crypto_auth_hmacsha512256_state	 st;
	static const char		 ctx[] = "palaver login csrf v1:";

	crypto_auth_hmacsha512256_init(&st, key, AUTH_SECRET_LEN);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)ctx,
	    sizeof(ctx) - 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)cookie,
	    strlen(cookie));
	crypto_auth_hmacsha512256_final(&st, mac);
	sodium_bin2base64(out, AUTH_RANDOM_LEN, mac, 32,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void
form_mac(const unsigned char key[AUTH_SECRET_LEN], long long t,
    const char *nonce, size_t nlen, unsigned char mac[crypto_auth_BYTES])
{
	char	 msg[96];
	int	 n;

	n = snprintf(msg, sizeof(msg), "palaver form v2:%lld:%.*s", t,
	    (int)nlen, nonce);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n,
	    key);
}

void
auth_form_token(const unsigned char key[AUTH_SECRET_LEN], long long now,
    char out[AUTH_TOKEN_MAX])
{
	unsigned char	 mac[crypto_auth_BYTES], rnd[9];
	char		 b64[64], nonce[16];

	/* A nonce per token: two readers served in the same second must
	 * not hold the same token, or the second looks like a replay. */
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(nonce, sizeof(nonce), rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	form_mac(key, now, nonce, strlen(nonce), mac);
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	/* 20 + 1 + 12 + 1 + 43 bytes at most: it fits AUTH_TOKEN_MAX. */
	snprintf(out, AUTH_TOKEN_MAX, "%lld.%.12s.%.43s", now, nonce, b64);
}

int
auth_form_token_check(const unsigned char key[AUTH_SECRET_LEN],
    const char *tok, size_t n, long long *tp)
{
	unsigned char	 mac[crypto_auth_BYTES];
	char		 b64[64], want[AUTH_TOKEN_MAX];
	long long	 t = 0;
	size_t		 i = 0, nstart, nlen;
	int		 w;

	while (i < n && i < 16 && tok[i] >= '0' && tok[i] <= '9')
		t = t * 10 + (tok[i++] - '0');
	if (i == 0 || i >= n || tok[i] != '.')
		return 0;
	nstart = ++i;
	while (i < n && tok[i] != '.' && i - nstart < 16)
		i++;
	if (i >= n || tok[i] != '.' || (nlen = i - nstart) != 12)
		return 0;
	/* The exact text we would write, compared whole (see above). */
	form_mac(key, t, tok + nstart, nlen, mac);
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	w = snprintf(want, sizeof(want), "%lld.%.*s.%s", t, (int)nlen,
	    tok + nstart, b64);
	if (w < 0 || (size_t)w != n || sodium_memcmp(want, tok, n) != 0)
		return 0;
	/* The nonce must be base64url too, so it has one spelling. */
	for (i = nstart; i < nstart + nlen; i++)
		if (!((tok[i] >= 'A' && tok[i] <= 'Z') || (tok[i] >= 'a' &&
		    tok[i] <= 'z') || (tok[i] >= '0' && tok[i] <= '9') ||
		    tok[i] == '-' || tok[i] == '_'))
			return 0;
	*tp = t;
	return 1;
}

void
auth_text_hash(const char *s, size_t n, char out[33])
{
	unsigned char	 h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)s, n, NULL, 0);
	sodium_bin2hex(out, 33, h, sizeof(h));
}

int
auth_equal_str(const char *a, const char *b)
{
	size_t	 n = strlen(a);

	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

int
auth_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void
auth_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
