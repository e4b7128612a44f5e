/* login.c: moderators logging in and out, and their sessions */
#include <pthread.h>
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

/*
 * Argon2id takes a core and 64 MiB for 0.15 s: at most `slots` hashes run
 * at once in a process.  As many attempts again may wait for one, at most
 * SLOT_WAIT_MS; any more are told at once to try again.  So a flood of
 * logins holds no more than twice `slots` of the threads that serve
 * readers, each for a bounded time, and the requests queued behind them
 * (readers' too) are not kept waiting by attempts that would fail anyway.
 */
#define SLOT_WAIT_MS	20
/* A network may fail this many times login_attempts, whatever the names. */
#define NET_FACTOR	4
/* A name failing this many times login_attempts from anywhere is slowed
 * down: one attempt every NAME_DELAY seconds, from any network. */
#define NAME_FACTOR	3
#define NAME_DELAY	5

static pthread_mutex_t	 slot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 slot_cv = PTHREAD_COND_INITIALIZER;
static int		 slots = 1, slots_busy, slots_waiting;

void
login_hash_slots(int n)
{
	pthread_mutex_lock(&slot_mu);
	slots = n > 0 ? n : 1;
	pthread_cond_broadcast(&slot_cv);
	pthread_mutex_unlock(&slot_mu);
}

/* A hash slot, at once or within SLOT_WAIT_MS: 1, else 0. */
static int
slot_take(void)
{
	struct timespec	 ts;
	int		 got;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += SLOT_WAIT_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&slot_mu);
	if (slots_busy >= slots && slots_waiting < slots) {
		slots_waiting++;
		while (slots_busy >= slots)
			if (pthread_cond_timedwait(&slot_cv, &slot_mu,
			    &ts) != 0)
				break;
		slots_waiting--;
	}
	if ((got = slots_busy < slots))
		slots_busy++;
	pthread_mutex_unlock(&slot_mu);
	return got;
}

/* 1 when an attempt now would find every slot and every wait taken. */
static int
slot_hopeless(void)
{
	int	 full;

	pthread_mutex_lock(&slot_mu);
	full = slots_busy >= slots && slots_waiting >= slots;
	pthread_mutex_unlock(&slot_mu);
	return full;
}

static void
slot_give(void)
{
	pthread_mutex_lock(&slot_mu);
	slots_busy--;
	pthread_cond_signal(&slot_cv);
	pthread_mutex_unlock(&slot_mu);
}

/*
 * Before the password is hashed: the throttle, checked and the attempt
 * counted in one transaction, so parallel attempts cannot all pass a
 * limit they would reach together.  The row stands as a failure unless
 * the login succeeds.
 */
struct reserve_job {
	const char		*name;
	const struct addr_keys	*keys;
	long			 attempts;
	long long		 now;
	long long		 id;		/* the attempt's row */
	long			 retry;		/* throttled: wait this long */
};

static enum status
reserve_job(struct store *s, void *arg)
{
	struct reserve_job	*j = arg;
	struct login_counts	 c;
	enum status		 st;

	if ((st = store_login_failures(s, j->name, j->keys, j->now -
	    LOGIN_WINDOW, &c)) != ST_OK)
		return st;
	if (c.pair >= j->attempts || c.net >= NET_FACTOR * j->attempts) {
		j->retry = LOGIN_WINDOW;
		return store_audit_add(s, 0, j->name, "login-throttled", "",
		    NULL, NULL, j->keys->addr, j->now);
	}
	if (c.name >= NAME_FACTOR * j->attempts &&
	    j->now - c.name_last < NAME_DELAY) {
		j->retry = NAME_DELAY;
		return ST_OK;
	}
	return store_login_failure_add(s, j->name, j->keys, j->now, &j->id);
}

struct login_job {
	const struct moderator	*m;	/* NULL: failed */
	const char		*name;
	const struct addr_keys	*keys;
	long long		 attempt;	/* the reserved row */
	const char		*rehash;
	unsigned char		 h[32];
	const char		*csrf;
	long long		 now, expires;
};

static enum status
login_job(struct store *s, void *arg)
{
	struct login_job *j = arg;
	enum status	 st;

	if (j->m == NULL)
		/* The reserved row stays as the failure. */
		return store_audit_add(s, 0, j->name, "login-failed", "",
		    NULL, NULL, j->keys->addr, j->now);
	if (j->rehash != NULL && (st = store_mod_set_hash(s, j->m->id,
	    j->rehash, 1)) != ST_OK)
		return st;
	if ((st = store_login_failure_del(s, j->attempt)) != ST_OK ||
	    (st = store_session_add(s, j->h, j->m->id, j->now, j->expires,
	    j->csrf)) != ST_OK ||
	    (st = store_login_failures_clear(s, j->name, j->keys)) != ST_OK ||
	    (st = store_mod_login(s, j->m->id, j->now)) != ST_OK)
		return st;
	return store_audit_add(s, j->m->id, j->m->name, "login", "", NULL,
	    NULL, j->keys->addr, j->now);
}

/* An attempt that never hashed is no failure: take its row back. */
static enum status
unreserve_job(struct store *s, void *arg)
{
	struct reserve_job *j = arg;

	return store_login_failure_del(s, j->id);
}

enum status
login_attempt(struct site *site, struct arena *a, const char *name,
    const char *pw, size_t n, const struct addr_keys *k,
    struct login_ok *ok, struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	struct moderator	 m;
	struct reserve_job	 r;
	struct login_job	 j;
	char			 newhash[AUTH_HASH_MAX];
	const char		*hash;
	int			 good = 0;
	enum status		 st;

	memset(ok, 0, sizeof(*ok));
	memset(&j, 0, sizeof(j));
	memset(&r, 0, sizeof(r));
	memset(ref, 0, sizeof(*ref));
	j.now = r.now = (long long)time(NULL);
	j.name = r.name = name;
	j.keys = r.keys = k;
	r.attempts = cfg->login_attempts;

	/* A flood is turned away before it costs even a write... */
	if (slot_hopeless()) {
		refuse(ref, RS_HASH_BUSY, NULL);
		ref->retry = 1;
		return ST_INPUT;
	}
	/* ... and throttled before hashing: no Argon2id for it either. */
	if ((st = site_write(site, reserve_job, &r)) != ST_OK)
		return st;
	if (r.retry > 0) {
		refuse(ref, RS_LOGIN_THROTTLED, NULL);
		ref->retry = r.retry;
		return ST_INPUT;
	}
	if (!slot_take()) {
		if ((st = site_write(site, unreserve_job, &r)) != ST_OK)
			return st;
		refuse(ref, RS_HASH_BUSY, NULL);
		ref->retry = 1;
		return ST_INPUT;
	}
	/* An unknown name costs a hash too, so timing tells nothing. */
	st = store_mod_by_name(site->store, a, name, &m);
	if (st == ST_OK || st == ST_NOTFOUND) {
		hash = st == ST_OK ? m.hash : auth_dummy_hash(
		    (unsigned long long)cfg->pwhash_ops,
		    (size_t)cfg->pwhash_mem);
		good = hash != NULL && auth_password_verify(hash, pw, n) &&
		    st == ST_OK;
		if (good && auth_password_needs_rehash(m.hash,
		    (unsigned long long)cfg->pwhash_ops,
		    (size_t)cfg->pwhash_mem) && auth_password_hash(pw, n,
		    (unsigned long long)cfg->pwhash_ops,
		    (size_t)cfg->pwhash_mem, newhash) == 0)
			j.rehash = newhash;
		st = hash == NULL ? ST_NOMEM : ST_OK;
	}
	slot_give();
	if (st != ST_OK)
		return st;
	if (!good) {
		if ((st = site_write(site, login_job, &j)) != ST_OK)
			return st;
		return refuse(ref, RS_LOGIN_BAD, NULL);
	}
	/* A fresh token at every login: nothing set before login survives. */
	auth_random_token(ok->token);
	auth_random_token(ok->csrf);
	auth_token_hash(ok->token, strlen(ok->token), j.h);
	j.m = &m;
	j.attempt = r.id;
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
