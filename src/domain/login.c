/* login.c: moderators logging in and out, and their sessions */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "domain/login.h"
#include "domain/reason.h"
#include "domain/site.h"
#include "domain/writer.h"

/* A session's last-seen time is written at most this often. */
#define TOUCH_EVERY	60

/* --- sessions ------------------------------------------------------------ */

struct touch_job {
	unsigned char	 h[32];
	long long	 now;
};

static enum status
touch_job(struct store *s, void *arg)
{
	struct touch_job *j = arg;

	return store_session_touch(s, j->h, j->now);
}

enum status
login_session(struct site *site, struct arena *a, const char *tok,
    long long now, struct session **out)
{
	struct session		*se;
	struct touch_job	 tj;
	enum status		 st;

	*out = NULL;
	if (tok == NULL || strlen(tok) != AUTH_RANDOM_LEN - 1)
		return ST_OK;
	if ((se = arena_calloc(a, 1, sizeof(*se))) == NULL)
		return ST_NOMEM;
	auth_token_hash(tok, strlen(tok), tj.h);
	st = store_session_get(site->store, a, tj.h, now,
	    now - site->cfg->session_idle, se);
	if (st == ST_NOTFOUND)
		return ST_OK;
	if (st != ST_OK)
		return st;
	if (now - se->seen >= TOUCH_EVERY) {
		tj.now = now;
		if ((st = site_write(site, touch_job, &tj)) != ST_OK)
			return st;
	}
	*out = se;
	return ST_OK;
}

/* --- login and logout ---------------------------------------------------- */

struct login_job {
	const struct moderator	*m;	/* NULL: failed */
	const char		*name;
	const char		*addr;
	const char		*rehash;
	unsigned char		 h[32];
	const char		*csrf;
	long long		 now, expires;
	int			 throttled;	/* only audit it */
};

static enum status
login_job(struct store *s, void *arg)
{
	struct login_job *j = arg;
	enum status	 st;

	if (j->throttled)
		return store_audit_add(s, 0, j->name, "login-throttled", "",
		    NULL, NULL, j->addr, j->now);
	if (j->m == NULL) {
		if ((st = store_login_failure_add(s, j->name, j->addr,
		    j->now)) != ST_OK)
			return st;
		return store_audit_add(s, 0, j->name, "login-failed", "",
		    NULL, NULL, j->addr, j->now);
	}
	if (j->rehash != NULL && (st = store_mod_set_hash(s, j->m->id,
	    j->rehash, 1)) != ST_OK)
		return st;
	if ((st = store_session_add(s, j->h, j->m->id, j->now, j->expires,
	    j->csrf)) != ST_OK ||
	    (st = store_login_failures_clear(s, j->name)) != ST_OK ||
	    (st = store_mod_login(s, j->m->id, j->now)) != ST_OK)
		return st;
	return store_audit_add(s, j->m->id, j->m->name, "login", "", NULL,
	    NULL, j->addr, j->now);
}

enum status
login_attempt(struct site *site, struct arena *a, const char *name,
    const char *pw, size_t n, const char *addr_hash, struct login_ok *ok,
    struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	struct moderator	 m;
	struct login_job	 j;
	char			 newhash[AUTH_HASH_MAX];
	const char		*hash;
	long long		 by_name = 0, by_addr = 0;
	int			 good;
	enum status		 st;

	memset(ok, 0, sizeof(*ok));
	memset(&j, 0, sizeof(j));
	memset(ref, 0, sizeof(*ref));
	j.now = (long long)time(NULL);
	j.name = name;
	j.addr = addr_hash;

	/* Throttle before hashing: a flood must not cost us Argon2id. */
	if ((st = store_login_failures(site->store, name, addr_hash,
	    j.now - LOGIN_WINDOW, &by_name, &by_addr)) != ST_OK)
		return st;
	if (by_name >= cfg->login_attempts || by_addr >= cfg->login_attempts) {
		j.throttled = 1;
		if ((st = site_write(site, login_job, &j)) != ST_OK)
			return st;
		refuse(ref, RS_LOGIN_THROTTLED, NULL);
		ref->retry = LOGIN_WINDOW;
		return ST_INPUT;
	}

	/* An unknown name costs a hash too, so timing tells nothing. */
	st = store_mod_by_name(site->store, a, name, &m);
	if (st != ST_OK && st != ST_NOTFOUND)
		return st;
	hash = st == ST_OK ? m.hash : auth_dummy_hash(
	    (unsigned long long)cfg->pwhash_ops, (size_t)cfg->pwhash_mem);
	if (hash == NULL)
		return ST_NOMEM;
	good = auth_password_verify(hash, pw, n) && st == ST_OK;
	if (!good) {
		if ((st = site_write(site, login_job, &j)) != ST_OK)
			return st;
		return refuse(ref, RS_LOGIN_BAD, NULL);
	}
	if (auth_password_needs_rehash(m.hash,
	    (unsigned long long)cfg->pwhash_ops, (size_t)cfg->pwhash_mem) &&
	    auth_password_hash(pw, n, (unsigned long long)cfg->pwhash_ops,
	    (size_t)cfg->pwhash_mem, newhash) == 0)
		j.rehash = newhash;
	/* A fresh token at every login: nothing set before login survives. */
	auth_random_token(ok->token);
	auth_random_token(ok->csrf);
	auth_token_hash(ok->token, strlen(ok->token), j.h);
	j.m = &m;
	j.csrf = ok->csrf;
	j.expires = j.now + cfg->session_max;
	st = site_write(site, login_job, &j);
	auth_wipe(newhash, sizeof(newhash));
	if (st != ST_OK) {
		auth_wipe(ok, sizeof(*ok));
		return st;
	}
	ok->mod = m.id;
	return ST_OK;
}

struct logout_job {
	unsigned char	 h[32];
	long long	 mod;
	const char	*name, *addr;
	long long	 now;
};

static enum status
logout_job(struct store *s, void *arg)
{
	struct logout_job *j = arg;
	enum status	 st;

	if ((st = store_audit_add(s, j->mod, j->name, "logout", "", NULL,
	    NULL, j->addr, j->now)) != ST_OK)
		return st;
	return store_session_del(s, j->h);
}

enum status
login_end(struct site *site, const char *tok, long long mod,
    const char *name, const char *addr_hash)
{
	struct logout_job j;

	auth_token_hash(tok, strlen(tok), j.h);
	j.mod = mod;
	j.name = name;
	j.addr = addr_hash;
	j.now = (long long)time(NULL);
	return site_write(site, logout_job, &j);
}
