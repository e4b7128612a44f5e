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
/* auth_equal: constant-time comparison of n bytes; 1 when equal. */
int	auth_equal(const void *, const void *, size_t);
/* auth_wipe: sodium_memzero. */
void	auth_wipe(void *, size_t);

#endif
