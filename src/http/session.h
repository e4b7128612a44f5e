/* session.h: the moderator's session cookie, CSRF tokens and where a
 * request comes from */
#ifndef PALAVER_SESSION_H
#define PALAVER_SESSION_H

#include "core/status.h"

struct req;
struct resp;

/* The session cookie: __Host- prefixed over HTTPS, as browsers then
 * guarantee it was set by this host, for all paths, Secure. */
#define SESSION_COOKIE		"palaver_session"
#define SESSION_COOKIE_HOST	"__Host-palaver_session"
/* The login form's pre-session cookie. */
#define SESSION_LOGIN_COOKIE	"palaver_login"

/*
 * http_session_load: find the moderator's session from the cookie and
 * put it in rq->sess (NULL when none, expired or unknown).  Marks it
 * seen, at most once a minute.
 */
enum status	http_session_load(struct req *);
/*
 * http_csrf_ok: 1 when a state-changing request carries the session's
 * CSRF token in the form field `csrf` and, when the browser says, comes
 * from our own origin (Origin, Sec-Fetch-Site).
 */
int		http_csrf_ok(struct req *);
/* http_same_origin: the Origin and Sec-Fetch-Site part of the above. */
int		http_same_origin(const struct req *);
/* http_session_cookie: Set-Cookie for a session token (or "" and max_age
 * 0 to end it), or for the login form's cookie when login is set. */
void		http_session_cookie(struct req *, struct resp *, int login,
		    const char *val, long max_age);

#endif
