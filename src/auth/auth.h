/* auth.h: secrets, keyed hashes and tokens (libsodium lives here) */
#ifndef PALAVER_AUTH_H
#define PALAVER_AUTH_H

#include <stddef.h>

#include "core/status.h"

#define AUTH_SECRET_LEN	32
/* A keyed address hash as text: 16 bytes in hex. */
#define AUTH_ADDR_HASH_LEN 32

/* auth_init: initialise libsodium.  Returns -1 when it cannot. */
int	auth_init(void);
/* auth_secret_new: fill out with fresh random bytes. */
void	auth_secret_new(unsigned char out[AUTH_SECRET_LEN]);
/*
 * auth_addr_hash: the keyed hash (BLAKE2b under the server secret) of a
 * client address, as AUTH_ADDR_HASH_LEN hex digits and a NUL: stable for
 * bans and rate limits, useless to anyone without the secret.
 */
void	auth_addr_hash(const unsigned char key[AUTH_SECRET_LEN],
	    const char *addr, char out[AUTH_ADDR_HASH_LEN + 1]);
/* Author tokens: "ID.EXPIRES.MAC", MAC = crypto_auth over the id and
 * expiry under the server secret, base64url.  At most this long: */
#define AUTH_TOKEN_MAX	80

/* auth_author_token: write the token for comment id, valid until expires
 * (unix seconds), into out (AUTH_TOKEN_MAX bytes). */
void	auth_author_token(const unsigned char key[AUTH_SECRET_LEN],
	    long long id, long long expires, char out[AUTH_TOKEN_MAX]);
/*
 * auth_author_check: 1 when the n bytes are a token we made that has not
 * expired at `now`; *id and *expires are set then.  0 otherwise (forged,
 * damaged or expired).  Comparison is constant-time.
 */
int	auth_author_check(const unsigned char key[AUTH_SECRET_LEN],
	    const char *tok, size_t n, long long now, long long *id,
	    long long *expires);
/* Passwords: Argon2id hash strings from crypto_pwhash_str. */
#define AUTH_HASH_MAX	128	/* crypto_pwhash_STRBYTES */
#define AUTH_PW_MIN	12	/* characters */
#define AUTH_PW_MAX	1024	/* bytes: no reason to hash more */

/*
 * auth_hash_slots: at most n password hashes run at once in this process
 * (each takes pwhash_mem bytes); others wait.  One until it is called;
 * it may be called again at any time, from any thread.
 */
void	auth_hash_slots(int n);
/*
 * auth_hash_nice: run each hash in a thread of its own at this nice value
 * (0..19), below the threads serving requests; 0, the default, hashes in
 * the calling thread at its priority.
 */
void	auth_hash_nice(int nice);
/* auth_password_hash: hash pw into out.  -1 when out of memory. */
int	auth_password_hash(const char *pw, size_t n, unsigned long long ops,
	    size_t mem, char out[AUTH_HASH_MAX]);
/* auth_password_verify: 1 when pw matches the hash string, else 0. */
int	auth_password_verify(const char *hash, const char *pw, size_t n);
/* auth_password_needs_rehash: 1 when the hash was made with other limits. */
int	auth_password_needs_rehash(const char *hash, unsigned long long ops,
	    size_t mem);
/*
 * auth_dummy_hash: a hash of a random password with these limits, made
 * once per process, so that an unknown name costs what a wrong password
 * does.  NULL when it cannot be made.
 */
const char *auth_dummy_hash(unsigned long long ops, size_t mem);

/* Session and CSRF tokens: 32 random bytes, base64url, 43 characters. */
#define AUTH_RANDOM_LEN	44
void	auth_random_token(char out[AUTH_RANDOM_LEN]);
/* auth_token_hash: what the database keeps of a session token. */
void	auth_token_hash(const char *tok, size_t n, unsigned char out[32]);
/*
 * auth_login_csrf: the login form's token, bound to the pre-session cookie
 * value and the server secret.
 */
void	auth_login_csrf(const unsigned char key[AUTH_SECRET_LEN],
	    const char *cookie, char out[AUTH_RANDOM_LEN]);
/*
 * Form tokens: "T.NONCE.MAC", T the unix time the form was served, NONCE
 * 9 random bytes (base64url), MAC over both under the server secret.  The spam rules refuse forms sent too soon,
 * too late, or twice.
 */
void	auth_form_token(const unsigned char key[AUTH_SECRET_LEN],
	    long long now, char out[AUTH_TOKEN_MAX]);
/* auth_form_token_check: 1 and *t when tok is one of ours. */
int	auth_form_token_check(const unsigned char key[AUTH_SECRET_LEN],
	    const char *tok, size_t n, long long *t);
/* auth_text_hash: a hex digest (32 digits and a NUL) of n bytes. */
void	auth_text_hash(const char *s, size_t n, char out[33]);
/* auth_equal_str: constant-time equality of two strings (1: equal). */
int	auth_equal_str(const char *, const char *);

/* auth_equal: constant-time comparison of n bytes; 1 when equal. */
int	auth_equal(const void *, const void *, size_t);
/* auth_wipe: sodium_memzero. */
void	auth_wipe(void *, size_t);

#endif
