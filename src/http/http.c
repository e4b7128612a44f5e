/* http.c: request parsing from FastCGI, response headers and writing */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include <fcgiapp.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/net.h"
#include "auth/auth.h"
#include "auth/keyring.h"
#include "render/views.h"
#include "domain/authored.h"
#include "domain/comments.h"
#include "http/cache.h"
#include "http/httpio.h"
#include "http/session.h"

/* Every page: nothing from elsewhere, no inline script or style, no
 * framing.  Assets come from our own /static/. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; " \
	"base-uri 'none'; frame-ancestors 'none'"

const char *
http_status_text(int code)
{
	switch (code) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void
http_header(struct resp *r, const char *name, const char *val)
{
	if (strpbrk(val, "\r\n") != NULL) {
		log_err("header %s: value with CR or LF dropped", name);
		return;
	}
	buf_puts(&r->head, name);
	buf_put(&r->head, ": ", 2);
	buf_puts(&r->head, val);
	buf_put(&r->head, "\r\n", 2);
}

void
http_headerf(struct resp *r, const char *name, const char *fmt, ...)
{
	char	 val[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(val)) {
		log_err("header %s: value too long, dropped", name);
		return;
	}
	http_header(r, name, val);
}

const char *
http_url(const struct req *rq, const char *path)
{
	const char *base = rq->site->cfg->base_path;

	return arena_printf(rq->arena, "%s%s", base, path);
}

void
http_redirect(struct req *rq, struct resp *r, const char *path)
{
	const char *url = http_url(rq, path);

	r->status = 303;
	if (url != NULL)
		http_header(r, "Location", url);
	r->ctype = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	buf_puts(&r->body, "See Other\n");
}

int
http_etag_match(const struct req *rq, const char *etag)
{
	const char	*p = rq->if_none_match;
	size_t		 n = strlen(etag);

	if (p == NULL)
		return 0;
	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

const char *
http_form_token(struct req *rq)
{
	if (rq->form_token == NULL) {
		if ((rq->form_token = arena_alloc(rq->arena,
		    AUTH_TOKEN_MAX)) == NULL)
			return "";
		auth_form_token(rq->site->secret, (long long)time(NULL),
		    rq->form_token);
	}
	return rq->form_token;
}

const char *
http_page_token(struct req *rq)
{
	/* JSON writes the marker escaped: cache.c looks for it so. */
	if (rq->cache_key != NULL)
		return CACHE_TOKEN;
	return http_form_token(rq);
}

/* The keyed hash of s under key, in the arena. */
static const char *
keyed(struct arena *a, const unsigned char *key, const char *s)
{
	char	*h;

	if ((h = arena_alloc(a, AUTH_ADDR_HASH_LEN + 1)) != NULL)
		auth_addr_hash(key, s, h);
	return h;
}

const struct addr_keys *
http_addr_keys(struct req *rq)
{
	const struct config	*cfg = rq->site->cfg;
	struct addr_keys	*k;
	unsigned char		 cur[AUTH_SECRET_LEN], prev[AUTH_SECRET_LEN];
	char			 net[80], tagged[96];
	int			 have_prev = 0, nomem = 0;

	if (rq->keys != NULL)
		return rq->keys;
	if ((k = arena_calloc(rq->arena, 1, sizeof(*k))) == NULL)
		return NULL;
	/* Without a key file (a test harness), the database's secret. */
	if (keyring_keys((long long)time(NULL), cur, prev, &have_prev) == -1)
		memcpy(cur, rq->site->secret, sizeof(cur));
	nomem |= (k->addr = keyed(rq->arena, cur, rq->remote_addr)) == NULL;
	if (have_prev)
		nomem |= (k->addr_prev = keyed(rq->arena, prev,
		    rq->remote_addr)) == NULL;
	if (net_prefix(rq->remote_addr, (int)cfg->ipv4_network,
	    (int)cfg->ipv6_network, net, sizeof(net)) == 0) {
		snprintf(tagged, sizeof(tagged), "network %s", net);
		nomem |= (k->net = keyed(rq->arena, cur, tagged)) == NULL;
		if (have_prev)
			nomem |= (k->net_prev = keyed(rq->arena, prev,
			    tagged)) == NULL;
	}
	auth_wipe(cur, sizeof(cur));
	auth_wipe(prev, sizeof(prev));
	if (nomem)
		return NULL;
	rq->keys = k;
	return k;
}

const char *
http_addr_hash(struct req *rq)
{
	const struct addr_keys *k = http_addr_keys(rq);

	return k != NULL ? k->addr : NULL;
}

unsigned
http_query_hash(const char *s)
{
	unsigned	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int
http_origin_allowed(const struct req *rq)
{
	const char	*p = rq->site->cfg->allowed_origins, *o = rq->origin;
	size_t		 n, olen;

	if (o == NULL || *o == '\0')
		return 0;
	olen = strlen(o);
	/* A trailing slash in the configuration is forgiven. */
	while (*p != '\0') {
		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (n > 0 && p[n - 1] == '/')
			n--;
		if (n > 0 && n == olen && strncasecmp(p, o, n) == 0)
			return 1;
		p += strcspn(p, " \t,");
	}
	return 0;
}

const char *
http_str(const struct req *rq, enum field f)
{
	return rq->f[f].state == FV_OK ? rq->f[f].s : NULL;
}

long long
http_id(const struct req *rq, enum field f)
{
	return rq->f[f].state == FV_OK ? rq->f[f].n : 0;
}

const char *
http_raw(const struct req *rq, enum field f)
{
	return rq->f[f].raw;
}

void
http_wipe(struct req *rq, enum field f)
{
	size_t	 i;

	if (rq->f[f].s != NULL)
		auth_wipe((void *)(uintptr_t)rq->f[f].s, strlen(rq->f[f].s));
	for (i = 0; i < rq->form.n; i++)
		if (strcmp(rq->form.v[i].key, fields[f].name) == 0)
			auth_wipe((void *)(uintptr_t)rq->form.v[i].val,
			    rq->form.v[i].vlen);
	if (rq->body != NULL)
		auth_wipe((void *)(uintptr_t)rq->body, rq->bodylen);
}

enum status
http_poster(struct req *rq, const char *tok, struct poster *p)
{
	struct authored	*own;
	const struct addr_keys *k;
	const char	*lists[2];
	char		 pre[64];

	memset(p, 0, sizeof(*p));
	if ((own = arena_calloc(rq->arena, 1, sizeof(*own))) == NULL)
		return ST_NOMEM;
	lists[0] = tok;
	lists[1] = kv_get(&rq->cookies, HTTP_AUTHOR_COOKIE);
	authored_read(rq->site->secret, rq->arena, lists, 2,
	    (long long)time(NULL), own);
	p->own = own;
	p->addr = rq->remote_addr;
	/* No address, no rate limit or ban by it: nothing to key them on. */
	if (rq->remote_addr[0] != '\0') {
		if ((k = http_addr_keys(rq)) == NULL)
			return ST_NOMEM;
		p->keys = *k;
		p->addr_hash = k->addr;
	}
	if (parse_addr_prefix(rq->remote_addr, pre, sizeof(pre)) == 0 &&
	    (p->prefix = arena_strdup(rq->arena, pre)) == NULL)
		return ST_NOMEM;
	p->user_agent = rq->user_agent;
	p->referer = rq->referer;
	p->page_origin = http_origin_allowed(rq) ? rq->origin : NULL;
	return ST_OK;
}

void
http_view(struct req *rq, struct view *v, int embed)
{
	const struct config	*cfg = rq->site->cfg;
	struct view_mod		*m;
	const char		*u = cfg->base_url;
	size_t			 n = strlen(u);

	memset(v, 0, sizeof(*v));
	v->site = cfg->site_name;
	v->embed = embed;
	v->max_depth = cfg->max_depth;
	v->min_submit = cfg->min_submit_seconds;
	v->now = (long long)time(NULL);
	v->form_token = http_page_token(rq);
	v->notify = cfg->mail_transport[0] != '\0';
	v->base = cfg->base_path;
	/* The fragment is shown on other sites' pages: absolute links. */
	if (embed && n > 0) {
		while (n > 0 && u[n - 1] == '/')
			n--;
		if ((v->base = arena_strndup(rq->arena, u, n)) == NULL)
			v->base = cfg->base_path;
	}
	if (rq->sess != NULL &&
	    (m = arena_calloc(rq->arena, 1, sizeof(*m))) != NULL) {
		m->id = rq->sess->mod.id;
		m->name = rq->sess->mod.name;
		m->admin = rq->sess->mod.admin;
		m->csrf = rq->sess->csrf;
		v->mod = m;
	}
}

void
http_author_cookie(struct req *rq, struct resp *r, long long id,
    const char *tok)
{
	struct buf	 c = BUF_INIT;
	const char	*v;

	/* Up to 16 tokens: longer than http_headerf's lines. */
	if ((v = authored_cookie(rq->site->secret, rq->arena,
	    kv_get(&rq->cookies, HTTP_AUTHOR_COOKIE), id, tok,
	    (long long)time(NULL))) == NULL) {
		r->body.err = 1;
		return;
	}
	buf_printf(&c, HTTP_AUTHOR_COOKIE "=%s; Path=%s/; Max-Age=%ld; "
	    "HttpOnly; SameSite=Strict%s", v, rq->site->cfg->base_path,
	    rq->site->cfg->edit_window, rq->https ? "; Secure" : "");
	if (c.err)
		r->body.err = 1;
	else
		http_header(r, "Set-Cookie", c.p);
	buf_free(&c);
}

/* A voter token of ours: 43 characters of base64url (auth_random_token). */
static int
voter_ok(const char *t)
{
	return t != NULL && strlen(t) == AUTH_RANDOM_LEN - 1 &&
	    t[strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_")] == '\0';
}

enum status
http_voter(struct req *rq, struct resp *r, const char *sent,
    const char **hash, const char **token)
{
	const char	*t = kv_get(&rq->cookies, HTTP_VOTER_COOKIE);
	char		*fresh, *tagged;

	*token = NULL;
	if (!voter_ok(t))
		t = voter_ok(sent) ? sent : NULL;
	if (t == NULL) {
		if ((fresh = arena_alloc(rq->arena, AUTH_RANDOM_LEN)) == NULL)
			return ST_NOMEM;
		auth_random_token(fresh);
		*token = t = fresh;
	}
	/* Set (again) whenever the cookie does not hold it: a widget's
	 * token comes to be shared with palaver's own pages. */
	if (!voter_ok(kv_get(&rq->cookies, HTTP_VOTER_COOKIE)))
		http_headerf(r, "Set-Cookie", HTTP_VOTER_COOKIE "=%s; Path=%s/; "
		    "Max-Age=31536000; HttpOnly; SameSite=Lax%s", t,
		    rq->site->cfg->base_path, rq->https ? "; Secure" : "");
	if ((tagged = arena_printf(rq->arena, "voter %s", t)) == NULL ||
	    (*hash = keyed(rq->arena, rq->site->secret, tagged)) == NULL)
		return ST_NOMEM;
	return ST_OK;
}

/* --- reading a request --------------------------------------------------- */

static const char *
param(struct req *rq, FCGX_Request *fr, const char *name)
{
	const char *v = FCGX_GetParam(name, fr->envp);

	return v != NULL ? arena_strdup(rq->arena, v) : NULL;
}

static enum method
method_parse(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	if (strcmp(m, "OPTIONS") == 0)
		return M_OPTIONS;
	if (strcmp(m, "PUT") == 0)
		return M_PUT;
	if (strcmp(m, "DELETE") == 0)
		return M_DELETE;
	return M_OTHER;
}

enum status
http_req_init(struct req *rq, FCGX_Request *fr, struct ctx *ctx)
{
	const char	*uri, *cl, *ck, *https, *base;
	size_t		 blen;
	char		*end;
	enum status	 st;

	memset(rq, 0, sizeof(*rq));
	rq->site = &ctx->site;
	rq->arena = ctx->arena;
	rq->bad = F__MAX;
	rq->route = -1;
	rq->in = fr->in;
	rq->method_str = param(rq, fr, "REQUEST_METHOD");
	rq->method = method_parse(rq->method_str);
	if (rq->method_str == NULL)
		rq->method_str = "-";
	/* DOCUMENT_URI is the decoded, normalised path nginx routed on. */
	if ((uri = param(rq, fr, "DOCUMENT_URI")) == NULL) {
		uri = param(rq, fr, "REQUEST_URI");
		if (uri != NULL)
			uri = arena_strndup(rq->arena, uri, strcspn(uri, "?"));
	}
	if (uri == NULL || *uri != '/')
		uri = "/";
	base = ctx->site.cfg->base_path;
	blen = strlen(base);
	if (blen > 0 && strncmp(uri, base, blen) == 0 &&
	    (uri[blen] == '/' || uri[blen] == '\0'))
		uri += blen;
	rq->path = *uri == '\0' ? "/" : uri;
	rq->query = param(rq, fr, "QUERY_STRING");
	if (rq->query == NULL)
		rq->query = "";
	rq->content_type = param(rq, fr, "CONTENT_TYPE");
	rq->remote_addr = param(rq, fr, "REMOTE_ADDR");
	if (rq->remote_addr == NULL)
		rq->remote_addr = "";
	rq->user_agent = param(rq, fr, "HTTP_USER_AGENT");
	rq->referer = param(rq, fr, "HTTP_REFERER");
	rq->origin = param(rq, fr, "HTTP_ORIGIN");
	rq->if_none_match = param(rq, fr, "HTTP_IF_NONE_MATCH");
	rq->sec_fetch_site = param(rq, fr, "HTTP_SEC_FETCH_SITE");
	rq->host = param(rq, fr, "HTTP_HOST");
	rq->server_port = param(rq, fr, "SERVER_PORT");
	rq->token = param(rq, fr, "HTTP_X_PALAVER_TOKEN");
	rq->authorization = param(rq, fr, "HTTP_AUTHORIZATION");
	https = FCGX_GetParam("HTTPS", fr->envp);
	rq->https = https != NULL && strcasecmp(https, "on") == 0;
	rq->content_length = -1;
	if ((cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp)) != NULL &&
	    *cl != '\0') {
		errno = 0;
		rq->content_length = strtoll(cl, &end, 10);
		if (errno != 0 || *end != '\0' || rq->content_length < 0)
			rq->content_length = LLONG_MAX;	/* refused as too big */
	}
	if ((ck = FCGX_GetParam("HTTP_COOKIE", fr->envp)) != NULL &&
	    (st = parse_cookies(rq->arena, ck, strlen(ck), &rq->cookies)) !=
	    ST_OK && st == ST_NOMEM)
		return st;
	return parse_urlencoded(rq->arena, rq->query, strlen(rq->query),
	    &rq->qs);
}

enum status
http_body_read(struct req *rq, size_t cap)
{
	FCGX_Stream	*in = rq->in;
	char		*p;
	size_t		 want, got = 0;
	int		 n;

	if (rq->content_length < 0)
		rq->content_length = 0;
	if ((unsigned long long)rq->content_length > cap)
		return ST_TOOBIG;
	/* Read once: a second reader (or a test that gives the body) gets
	 * what is there. */
	if (rq->body != NULL)
		return ST_OK;
	want = (size_t)rq->content_length;
	if ((p = arena_alloc(rq->arena, want + 1)) == NULL)
		return ST_NOMEM;
	/* libfcgi does not enforce CONTENT_LENGTH: we read exactly that
	 * much, and a stream that ends early is a truncated body. */
	while (got < want) {
		size_t chunk = want - got > INT_MAX ? INT_MAX : want - got;

		n = FCGX_GetStr(p + got, (int)chunk, in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < want || FCGX_GetError(in) != 0)
		return ST_INPUT;
	p[got] = '\0';
	rq->body = p;
	rq->bodylen = got;
	return ST_OK;
}

/* --- writing a response -------------------------------------------------- */

int
http_resp_send(FCGX_Request *fr, struct resp *r, int head_only)
{
	struct buf	 h = BUF_INIT;
	int		 rv = 0;

	if (r->body.err || r->head.err) {
		log_err("response: out of memory building it");
		buf_reset(&r->head);
		buf_reset(&r->body);
		r->status = 500;
		r->ctype = "text/plain; charset=utf-8";
		buf_puts(&r->body, "Internal Server Error\n");
	}
	buf_printf(&h, "Status: %d %s\r\n", r->status,
	    http_status_text(r->status));
	buf_printf(&h, "Content-Type: %s\r\n", r->ctype != NULL ? r->ctype :
	    "text/html; charset=utf-8");
	buf_printf(&h, "Content-Length: %zu\r\n", r->body.len);
	buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: strict-origin-when-cross-origin\r\n"
	    "Content-Security-Policy: " CSP "\r\n");
	buf_put(&h, buf_str(&r->head), r->head.len);
	buf_put(&h, "\r\n", 2);
	if (h.err)
		rv = -1;
	else if (FCGX_PutStr(h.p, (int)h.len, fr->out) < 0)
		rv = -1;
	else if (!head_only && r->body.len > 0 &&
	    FCGX_PutStr(r->body.p, (int)r->body.len, fr->out) < 0)
		rv = -1;
	buf_free(&h);
	return rv;
}
