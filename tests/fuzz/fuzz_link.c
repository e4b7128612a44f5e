/* fuzz_link.c: libFuzzer target: the signed links in mail, as they come
 * back in a URL's query */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/links.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char	 key[AUTH_SECRET_LEN];
	static int		 ready;
	struct link		 l, m;
	char			 tok[AUTH_LINK_MAX];

	if (!ready) {
		if (auth_init() == -1)
			abort();
		auth_secret_new(key);
		ready = 1;
	}
	/* Random bytes are never a good link: forging needs the key. */
	if (auth_link_check(key, (const char *)data, size, "a@example.org", 0))
		abort();
	/* What parses is made again the same, and then checks. */
	if (auth_link_parse((const char *)data, size, &l)) {
		if (l.a < 0 || l.b < 0 || l.c < 0 || l.expires < 0)
			abort();
		auth_link_make(key, &l, "a@example.org", tok);
		if (!auth_link_parse(tok, strlen(tok), &m) ||
		    memcmp(&l, &m, sizeof(l)) != 0 ||
		    strncmp(tok, (const char *)data, strrchr(tok, '.') - tok) != 0)
			abort();
		if (!auth_link_check(key, tok, strlen(tok), "a@example.org",
		    l.expires) ||
		    auth_link_check(key, tok, strlen(tok), "b@example.org", 0))
			abort();
	}
	return 0;
}
