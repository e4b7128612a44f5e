/* session.c: the moderator's session cookie, CSRF tokens and where a
 * request comes from */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "model/model.h"
#include "auth/auth.h"
#include "domain/login.h"
#include "http/field.h"
#include "http/http.h"
#include "http/session.h"

enum status
http_session_load(struct req *rq)
{
	const char	*tok;
	enum status	 st;

	rq->sess = NULL;
	tok = kv_get(&rq->cookies, rq->https ? SESSION_COOKIE_HOST :
	    SESSION_COOKIE);
	if (tok == NULL)
		return ST_OK;
	if ((st = login_session(rq->site, rq->arena, tok,
	    (long long)time(NULL), &rq->sess)) != ST_OK)
		return st;
	if (rq->sess != NULL)
		rq->sess_token = tok;
	return ST_OK;
}

/* Whether an origin ("scheme://host[:port]") names this host and port,
 * over the scheme the request came in by. */
static int
origin_is(const char *o, const char *host, const char *server_port,
    int https_req)
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
	/* http://host is another origin than https://host. */
	if (https != https_req)
		return 0;
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
http_same_origin(const struct req *rq)
{
	const char	*base = rq->site->cfg->base_url, *end;
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
	if (origin_is(rq->origin, rq->host, rq->server_port, rq->https))
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
http_csrf_ok(struct req *rq)
{
	const char	*t = kv_get(&rq->form, "csrf");

	if (rq->sess == NULL || t == NULL || !http_same_origin(rq))
		return 0;
	return auth_equal_str(t, rq->sess->csrf);
}

void
http_session_cookie(struct req *rq, struct resp *r, int login,
    const char *val, long max_age)
{
	const char	*name = login ? SESSION_LOGIN_COOKIE : rq->https ?
	    SESSION_COOKIE_HOST : SESSION_COOKIE;

	http_headerf(r, "Set-Cookie", "%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
	    "SameSite=Strict%s", name, val, max_age, rq->https ? "; Secure" :
	    "");
}
