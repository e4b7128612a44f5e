/* links.c: the signed links palaver mails, and webhook signatures */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/links.h"

static void
link_mac(const unsigned char key[AUTH_SECRET_LEN], const struct link *l,
    const char *bound, unsigned char mac[crypto_auth_BYTES])
{
	static const char		 ctx[] = "palaver link v1:";
	crypto_auth_hmacsha512256_state	 st;
	char				 nums[128];
	int				 n;

	n = snprintf(nums, sizeof(nums), "%c:%lld:%lld:%lld:%lld:",
	    (char)l->kind, l->a, l->b, l->c, l->expires);
	crypto_auth_hmacsha512256_init(&st, key, AUTH_SECRET_LEN);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)ctx,
	    sizeof(ctx) - 1);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)nums,
	    (unsigned long long)n);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)bound,
	    strlen(bound));
	crypto_auth_hmacsha512256_final(&st, mac);
}

void
auth_link_make(const unsigned char key[AUTH_SECRET_LEN], const struct link *l,
    const char *bound, char out[AUTH_LINK_MAX])
{
	unsigned char	 mac[crypto_auth_BYTES];
	char		 b64[64];
	int		 n;

	link_mac(key, l, bound, mac);
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(out, AUTH_LINK_MAX, "%c.%lld.%lld.%lld.%lld.%s",
	    (char)l->kind, l->a, l->b, l->c, l->expires, b64);
	if (n < 0 || n >= AUTH_LINK_MAX)
		out[0] = '\0';
}

int
auth_link_parse(const char *tok, size_t n, struct link *l)
{
	long long	 v[4];
	size_t		 i = 2, k, start;

	memset(l, 0, sizeof(*l));
	if (n < 3 || tok[1] != '.' || (tok[0] != LINK_CONFIRM &&
	    tok[0] != LINK_UNSUB && tok[0] != LINK_MOD))
		return 0;
	for (k = 0; k < 4; k++) {
		start = i;
		v[k] = 0;
		while (i < n && tok[i] >= '0' && tok[i] <= '9' &&
		    i - start < 15)
			v[k] = v[k] * 10 + (tok[i++] - '0');
		/* One spelling of each number: no leading zeros. */
		if (i == start || i >= n || tok[i] != '.' ||
		    (tok[start] == '0' && i - start > 1))
			return 0;
		i++;
	}
	l->kind = (enum link_kind)tok[0];
	l->a = v[0];
	l->b = v[1];
	l->c = v[2];
	l->expires = v[3];
	return 1;
}

int
auth_link_check(const unsigned char key[AUTH_SECRET_LEN], const char *tok,
    size_t n, const char *bound, long long now)
{
	struct link	 l;
	char		 want[AUTH_LINK_MAX];

	if (!auth_link_parse(tok, n, &l))
		return 0;
	if (l.expires != 0 && l.expires < now)
		return 0;
	/* Only the exact text we would write is ours (as auth.c's tokens). */
	auth_link_make(key, &l, bound, want);
	return want[0] != '\0' && strlen(want) == n &&
	    sodium_memcmp(want, tok, n) == 0;
}

void
auth_hmac_sha256_hex(const char *key, size_t klen, const char *msg,
    size_t mlen, char out[65])
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, klen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, mlen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}
