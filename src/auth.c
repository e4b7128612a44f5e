/* auth.c: secrets, keyed hashes and tokens (libsodium lives here) */
#include <string.h>

#include <sodium.h>

#include "auth.h"

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
