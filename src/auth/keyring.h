/* keyring.h: the keys of the address hashes, kept in a file outside the
 * database and rotated on a schedule */
#ifndef PALAVER_KEYRING_H
#define PALAVER_KEYRING_H

#include <stddef.h>

#include "auth/auth.h"

/*
 * Addresses are never stored: only keyed hashes of them (and of their
 * networks), for rate limits, bans and the moderators' view.  The key
 * lives in a file of its own (mode 0600), not in the database, so a copy
 * of the database alone cannot be turned back into addresses, and it is
 * replaced every `days` days: once a key is gone, nobody can tell which
 * address an old hash was.  The file holds the current key and the one
 * before, so limits and bans carry over a change of key.
 *
 * The file is text, one line a key: "PERIOD HEX", PERIOD being the unix
 * day divided by `days`.  Any process may rotate it (under flock); the
 * others read the new key when they see the period has moved.  A new
 * period's key is a one-way step from the one before (ratchet, in
 * keyring.c), so hosts given the same file keep the same keys without
 * talking, and no key leads back to an older one.
 */

/* Hex digits of a key's fingerprint (without the NUL). */
#define KEYRING_CHECK_LEN	32

/*
 * keyring_open: use the key file at path for this process, keys changing
 * every `days` days (at least 1).  When create is set, a missing or empty
 * file is filled with a fresh key (mode 0600, the directory must be
 * writable for a missing one).  Returns 0, or -1 with the reason in err.
 */
int	keyring_open(const char *path, long days, int create, char *err,
	    size_t errsz);
/* keyring_close: forget the keys (wiped).  Safe without open. */
void	keyring_close(void);
/*
 * keyring_keys: the keys in force at `now`, rotating the file first when
 * the current key's period is over.  prev is filled, and *have_prev set,
 * when the file keeps the key before.  Returns 0, or -1 when no key is
 * loaded (keyring_open was not called, or failed).  Thread-safe.
 */
int	keyring_keys(long long now, unsigned char cur[AUTH_SECRET_LEN],
	    unsigned char prev[AUTH_SECRET_LEN], int *have_prev);
/*
 * keyring_fingerprint: a fingerprint (hex, NUL-terminated) of the current
 * key, which tells whether two hosts hold the same key file without
 * saying anything of the key.  -1 when no key is loaded.
 */
int	keyring_fingerprint(char out[KEYRING_CHECK_LEN + 1]);
/*
 * keyring_known: whether fingerprint fp, noted for period `when`, is of a
 * key of this file: the current one, the one before, or what the current
 * one becomes by `when`.  1 yes, 0 no, -1 when nobody can tell (`when`
 * is older than the keys kept, or no key is loaded).
 */
int	keyring_known(long long when, const char *fp);
/* keyring_period: the period of the current key; -1 when none. */
long long keyring_period(void);
/* keyring_set: keys given directly (tests, tools that read no file). */
void	keyring_set(const unsigned char cur[AUTH_SECRET_LEN],
	    const unsigned char *prev);

#endif
