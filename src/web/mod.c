/* mod.c: moderator sessions, login and logout, CSRF and the audit log */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "auth/auth.h"
#include "core/config.h"
#include "web/handlers.h"
#include "web/mod.h"
#include "http/route.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/writer.h"

/* Failed logins count for this long (the 15 minutes). */
#define LOGIN_WINDOW	900
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
mod_session_load(struct req *rq)
{
	const struct config	*cfg = rq->ctx->cfg;
	struct session		*se;
	struct touch_job	 tj;
	const char		*tok;
	long long		 now = (long long)time(NULL);
	enum status		 st;

	rq->sess = NULL;
	tok = kv_get(&rq->cookies, rq->https ? MOD_COOKIE_HOST : MOD_COOKIE);
	if (tok == NULL || strlen(tok) != AUTH_RANDOM_LEN - 1)
		return ST_OK;
	if ((se = arena_calloc(rq->arena, 1, sizeof(*se))) == NULL)
		return ST_NOMEM;
	auth_token_hash(tok, strlen(tok), tj.h);
	st = store_session_get(rq->ctx->store, rq->arena, tj.h, now,
	    now - cfg->session_idle, se);
	if (st == ST_NOTFOUND)
		return ST_OK;
	if (st != ST_OK)
		return st;
	if (now - se->seen >= TOUCH_EVERY) {
		tj.now = now;
		if ((st = writer_run(rq->ctx->writer, touch_job, &tj)) != ST_OK)
			return st;
	}
	rq->sess = se;
	rq->sess_token = tok;
	return ST_OK;
}

/* Whether an origin ("scheme://host[:port]") names this host and port. */
static int
origin_is(const char *o, const char *host, const char *server_port)
{
	const char	*p, *oport, *hport;
	size_t		 ohost, hhost;
	int		 https;

	if (strncmp(o, "https://", 8) == 0) {
		p = o + 8;
		https = 1;
	} else if (strncmp(o, "http://", 7) == 0) {
		p = o + 7;
		https = 0;
	} else
		return 0;	/* "null" and the like */
	if (host == NULL || *host == '\0')
		return 0;
	/* Hosts may be [v6]:port; the port follows the last colon after
	 * any closing bracket. */
	ohost = strlen(p);
	if ((oport = strrchr(p, ':')) != NULL && strchr(oport, ']') == NULL)
		ohost = (size_t)(oport++ - p);
	else
		oport = https ? "443" : "80";
	hhost = strlen(host);
	if ((hport = strrchr(host, ':')) != NULL &&
	    strchr(hport, ']') == NULL)
		hhost = (size_t)(hport++ - host);
	else
		/* Debian's fastcgi_params pass $host, without the port. */
		hport = server_port != NULL ? server_port : oport;
	return ohost == hhost && strncasecmp(p, host, ohost) == 0 &&
	    strcmp(oport, hport) == 0;
}

int
mod_same_origin(const struct req *rq)
{
	const char	*base = rq->ctx->cfg->base_url, *end;
	char		 origin[256];
	size_t		 n;

	/* Sec-Fetch-Site: browsers that send it say where the request
	 * came from; "none" is the user typing or a bookmark. */
	if (rq->sec_fetch_site != NULL &&
	    strcmp(rq->sec_fetch_site, "same-origin") != 0 &&
	    strcmp(rq->sec_fetch_site, "none") != 0)
		return 0;
	if (rq->origin == NULL)
		return 1;
	if (origin_is(rq->origin, rq->host, rq->server_port))
		return 1;
	/* Behind a proxy the configured address is the one browsers use. */
	if (base[0] != '\0' && (end = strstr(base, "://")) != NULL) {
		end += 3;
		n = (size_t)(end - base) + strcspn(end, "/");
		if (n < sizeof(origin)) {
			memcpy(origin, base, n);
			origin[n] = '\0';
			return strcasecmp(origin, rq->origin) == 0;
		}
	}
	return 0;
}

int
mod_csrf_ok(struct req *rq)
{
	const char	*t = kv_get(&rq->form, "csrf");

	if (rq->sess == NULL || t == NULL || !mod_same_origin(rq))
		return 0;
	return auth_equal_str(t, rq->sess->csrf);
}

/* --- the audit log ------------------------------------------------------- */

struct audit_job {
	long long	 mod;
	const char	*actor, *action, *target, *before, *after, *addr;
	long long	 now;
};

static enum status
audit_job(struct store *s, void *arg)
{
	struct audit_job *j = arg;

	return store_audit_add(s, j->mod, j->actor, j->action, j->target,
	    j->before, j->after, j->addr, j->now);
}

enum status
mod_audit(struct req *rq, const char *actor, const char *action,
    const char *target, const char *before, const char *after)
{
	struct audit_job j;

	j.mod = rq->sess != NULL ? rq->sess->mod.id : 0;
	j.actor = rq->sess != NULL ? rq->sess->mod.name : actor;
	j.action = action;
	j.target = target;
	j.before = before;
	j.after = after;
	j.addr = http_addr_hash(rq);
	j.now = (long long)time(NULL);
	return writer_run(rq->ctx->writer, audit_job, &j);
}

/* --- login and logout ---------------------------------------------------- */

static void
login_cookie(struct req *rq, struct resp *r, const char *name,
    const char *val, long max_age)
{
	http_headerf(r, "Set-Cookie", "%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
	    "SameSite=Strict%s", name, val, max_age, rq->https ? "; Secure" :
	    "");
}

/* The login page, with a fresh pre-session cookie when there is none. */
static enum status
login_page(struct req *rq, struct resp *r, int code, const char *msg,
    const char *name)
{
	char		 csrf[AUTH_RANDOM_LEN], fresh[AUTH_RANDOM_LEN];
	const char	*ck = kv_get(&rq->cookies, MOD_LOGIN_COOKIE);

	if (ck == NULL || strlen(ck) != AUTH_RANDOM_LEN - 1) {
		auth_random_token(fresh);
		login_cookie(rq, r, MOD_LOGIN_COOKIE, fresh, 3600);
		ck = fresh;
	}
	auth_login_csrf(rq->ctx->secret, ck, csrf);
	r->status = code;
	view_login(rq, &r->body, csrf, msg, name);
	return ST_OK;
}

enum status
h_mod_login_get(struct req *rq, struct resp *r)
{
	if (rq->sess != NULL) {
		http_redirect(rq, r, "/mod/");
		return ST_OK;
	}
	return login_page(rq, r, 200, NULL, NULL);
}

struct login_job {
	const struct moderator	*m;	/* NULL: failed */
	const char		*name;
	const char		*addr;
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
h_mod_login_post(struct req *rq, struct resp *r)
{
	const struct config	*cfg = rq->ctx->cfg;
	struct moderator	 m;
	struct login_job	 j;
	char			 want[AUTH_RANDOM_LEN], tok[AUTH_RANDOM_LEN];
	char			 csrf[AUTH_RANDOM_LEN], newhash[AUTH_HASH_MAX];
	const struct kv		*pw;
	const char		*name, *ck, *given, *hash;
	long long		 by_name = 0, by_addr = 0;
	int			 ok;
	enum status		 st;

	memset(&j, 0, sizeof(j));
	j.now = (long long)time(NULL);
	name = kv_get(&rq->form, "name");
	pw = kv_find(&rq->form, "password");
	given = kv_get(&rq->form, "csrf");
	ck = kv_get(&rq->cookies, MOD_LOGIN_COOKIE);
	if (ck == NULL || given == NULL || !mod_same_origin(rq))
		return login_page(rq, r, 403, "The login form expired; "
		    "please try again.", name);
	auth_login_csrf(rq->ctx->secret, ck, want);
	if (!auth_equal_str(given, want))
		return login_page(rq, r, 403, "The login form expired; "
		    "please try again.", name);
	if (name == NULL || *name == '\0' || strlen(name) > 64 || pw == NULL ||
	    pw->vlen == 0 || pw->vlen > AUTH_PW_MAX)
		return login_page(rq, r, 422, "Please give your name and "
		    "password.", name);
	j.name = name;
	if ((j.addr = http_addr_hash(rq)) == NULL)
		return ST_NOMEM;

	/* Throttle before hashing: a flood must not cost us Argon2id. */
	if ((st = store_login_failures(rq->ctx->store, name, j.addr,
	    j.now - LOGIN_WINDOW, &by_name, &by_addr)) != ST_OK)
		return st;
	if (by_name >= cfg->login_attempts || by_addr >= cfg->login_attempts) {
		mod_audit(rq, name, "login-throttled", "", NULL, NULL);
		http_headerf(r, "Retry-After", "%d", LOGIN_WINDOW);
		return login_page(rq, r, 429, "Too many failed logins; wait "
		    "15 minutes and try again.", name);
	}

	/* An unknown name costs a hash too, so timing tells nothing. */
	st = store_mod_by_name(rq->ctx->store, rq->arena, name, &m);
	if (st != ST_OK && st != ST_NOTFOUND)
		return st;
	hash = st == ST_OK ? m.hash : auth_dummy_hash(
	    (unsigned long long)cfg->pwhash_ops, (size_t)cfg->pwhash_mem);
	if (hash == NULL)
		return ST_NOMEM;
	ok = auth_password_verify(hash, pw->val, pw->vlen) && st == ST_OK;
	if (!ok) {
		if ((st = writer_run(rq->ctx->writer, login_job, &j)) != ST_OK)
			return st;
		return login_page(rq, r, 403, "Wrong name or password.", name);
	}
	if (auth_password_needs_rehash(m.hash,
	    (unsigned long long)cfg->pwhash_ops, (size_t)cfg->pwhash_mem) &&
	    auth_password_hash(pw->val, pw->vlen,
	    (unsigned long long)cfg->pwhash_ops, (size_t)cfg->pwhash_mem,
	    newhash) == 0)
		j.rehash = newhash;
	/* A fresh token at every login: nothing set before login survives. */
	auth_random_token(tok);
	auth_random_token(csrf);
	auth_token_hash(tok, strlen(tok), j.h);
	j.m = &m;
	j.csrf = csrf;
	j.expires = j.now + cfg->session_max;
	st = writer_run(rq->ctx->writer, login_job, &j);
	auth_wipe(newhash, sizeof(newhash));
	if (st != ST_OK) {
		auth_wipe(tok, sizeof(tok));
		return st;
	}
	login_cookie(rq, r, rq->https ? MOD_COOKIE_HOST : MOD_COOKIE, tok,
	    cfg->session_max);
	login_cookie(rq, r, MOD_LOGIN_COOKIE, "", 0);
	auth_wipe(tok, sizeof(tok));
	http_redirect(rq, r, "/mod/");
	return ST_OK;
}

struct logout_job {
	unsigned char	 h[32];
};

static enum status
logout_job(struct store *s, void *arg)
{
	struct logout_job *j = arg;

	return store_session_del(s, j->h);
}

enum status
h_mod_logout(struct req *rq, struct resp *r)
{
	struct logout_job j;
	enum status	 st;

	auth_token_hash(rq->sess_token, strlen(rq->sess_token), j.h);
	if ((st = mod_audit(rq, NULL, "logout", "", NULL, NULL)) != ST_OK ||
	    (st = writer_run(rq->ctx->writer, logout_job, &j)) != ST_OK)
		return st;
	login_cookie(rq, r, rq->https ? MOD_COOKIE_HOST : MOD_COOKIE, "", 0);
	http_redirect(rq, r, "/mod/login");
	return ST_OK;
}
