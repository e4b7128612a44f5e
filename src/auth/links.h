/* links.h: the signed links palaver mails, and webhook signatures */
#ifndef PALAVER_LINKS_H
#define PALAVER_LINKS_H

#include <stddef.h>

#include "auth/auth.h"

/*
 * A link token: "K.A.B.C.E.MAC".  K says what the link does, A, B and C
 * are the ids it acts on, E the unix time it expires (0: never), and MAC
 * is crypto_auth under the server secret over all of them and a string
 * the link is bound to (the address it was mailed to), which is looked
 * up by id and never in the token: a link stops working when that
 * address leaves (an erased subscriber, a moderator's new address).
 */
#define AUTH_LINK_MAX	160

enum link_kind {
	LINK_CONFIRM = 'c',	/* a: subscriber */
	LINK_UNSUB = 'u',	/* a: subscriber, b: article (0: all) */
	LINK_MOD = 'm',		/* a: moderator, b: comment, c: action */
};

struct link {
	enum link_kind	 kind;
	long long	 a, b, c;
	long long	 expires;	/* 0: never */
};

/* auth_link_make: the token for l bound to `bound`, into out. */
void	auth_link_make(const unsigned char key[AUTH_SECRET_LEN],
	    const struct link *l, const char *bound, char out[AUTH_LINK_MAX]);
/*
 * auth_link_parse: the fields of tok[0..n) (numbers without sign or
 * leading zeros, a known kind), not checked: say which row to look up.
 * 1 with *l filled, 0 when it is no token of that shape.
 */
int	auth_link_parse(const char *tok, size_t n, struct link *l);
/*
 * auth_link_check: 1 when tok[0..n) is exactly the token auth_link_make
 * writes for it bound to `bound`, and it has not expired at now.
 * Constant-time comparison.
 */
int	auth_link_check(const unsigned char key[AUTH_SECRET_LEN],
	    const char *tok, size_t n, const char *bound, long long now);

/*
 * auth_hmac_sha256_hex: HMAC-SHA256 of msg under key (any length), as 64
 * lower-case hex digits and a NUL: what webhook receivers check.
 */
void	auth_hmac_sha256_hex(const char *key, size_t klen, const char *msg,
	    size_t mlen, char out[65]);

#endif
