/* login.h: moderators logging in and out, and their sessions */
#ifndef PALAVER_LOGIN_H
#define PALAVER_LOGIN_H

#include <stddef.h>

#include "core/status.h"
#include "model/model.h"
#include "auth/auth.h"

struct arena;
struct refusal;
struct session;
struct site;

/* Failed logins count for this long. */
#define LOGIN_WINDOW	900

/*
 * login_session: the live session whose cookie holds token `tok` (a
 * malformed or unknown token is no session), its moderator with it, in
 * *out (NULL when none).  Marks it seen, at most once a minute.
 */
enum status	 login_session(struct site *, struct arena *, const char *tok,
		    long long now, struct session **out);

/* A session just made: the cookie's token (secret) and its CSRF token. */
struct login_ok {
	char		 token[AUTH_RANDOM_LEN];
	char		 csrf[AUTH_RANDOM_LEN];
	long long	 mod;
};

/*
 * login_attempt: check name and password (n bytes) from the client whose
 * keyed hashes are k; on success a new session (audited, failures of the
 * name from that network cleared, an old-style hash upgraded) in *ok.
 * ST_INPUT with RS_LOGIN_THROTTLED (before any hashing: too many failures
 * of this name from this network, of this network, or of this name from
 * anywhere, when it is slowed down), RS_HASH_BUSY (every hash slot busy:
 * try again in a moment) or RS_LOGIN_BAD (audited and counted; a wrong
 * name costs what a wrong password does).  The caller wipes ok->token
 * once it is sent.
 */
enum status	 login_attempt(struct site *, struct arena *, const char *name,
		    const char *pw, size_t n, const struct addr_keys *k,
		    struct login_ok *ok, struct refusal *);
/* login_hash_slots: at most n password hashes at once in this process;
 * more attempts wait a moment, then are told to try again. */
void		 login_hash_slots(int n);
/* login_end: end the session whose token is tok, audited as the
 * moderator mod (name) from addr_hash. */
enum status	 login_end(struct site *, const char *tok, long long mod,
		    const char *name, const char *addr_hash);

#endif
