/* fuzz_token.c: libFuzzer target: author tokens from cookies and the API */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char	 key[AUTH_SECRET_LEN];
	static int		 ready;
	char			 tok[AUTH_TOKEN_MAX];
	long long		 id = 0, exp = 0;

	if (!ready) {
		if (auth_init() == -1)
			abort();
		auth_secret_new(key);
		ready = 1;
	}
	/* Random bytes are never a valid token: forging needs the key. */
	if (auth_author_check(key, (const char *)data, size, 0, &id, &exp))
		abort();
	/* A token we make round-trips, whatever the numbers. */
	if (size >= 16) {
		long long a, b;

		memcpy(&a, data, 8);
		memcpy(&b, data + 8, 8);
		a = (a & 0x1fffffffffffffLL) + 1;
		b &= 0xffffffffffLL;
		auth_author_token(key, a, b, tok);
		if (!auth_author_check(key, tok, strlen(tok), 0, &id, &exp) ||
		    id != a || exp != b)
			abort();
		/* One flipped byte breaks it. */
		tok[data[0] % strlen(tok)] ^= 1;
		if (auth_author_check(key, tok, strlen(tok), 0, &id, &exp) &&
		    (id != a || exp != b))
			abort();
	}
	return 0;
}
