/* auth.h: secrets, keyed hashes and tokens (libsodium lives here) */
#ifndef PALAVER_AUTH_H
#define PALAVER_AUTH_H

#include <stddef.h>

#include "status.h"

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
/* auth_equal: constant-time comparison of n bytes; 1 when equal. */
int	auth_equal(const void *, const void *, size_t);
/* auth_wipe: sodium_memzero. */
void	auth_wipe(void *, size_t);

#endif
