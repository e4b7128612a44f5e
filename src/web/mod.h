/* mod.h: moderator sessions, CSRF and the audit log, for the router and handlers */
#ifndef PALAVER_MOD_H
#define PALAVER_MOD_H

#include "http/http.h"

/* The session cookie: __Host- prefixed over HTTPS, as browsers then
 * guarantee it was set by this host, for all paths, Secure. */
#define MOD_COOKIE		"palaver_session"
#define MOD_COOKIE_HOST		"__Host-palaver_session"
/* The login form's pre-session cookie. */
#define MOD_LOGIN_COOKIE	"palaver_login"

/*
 * mod_session_load: find the moderator's session from the cookie and put
 * it in rq->sess (NULL when none, expired or unknown).  Marks it seen,
 * at most once a minute.
 */
enum status	mod_session_load(struct req *);
/*
 * mod_csrf_ok: 1 when a state-changing request carries the session's
 * CSRF token in the form field `csrf` and, when the browser says, comes
 * from our own origin (Origin, Sec-Fetch-Site).
 */
int		mod_csrf_ok(struct req *);
/* mod_same_origin: the Origin and Sec-Fetch-Site part of the above. */
int		mod_same_origin(const struct req *);
/*
 * mod_audit: add a line to the audit log as the current moderator (or
 * `actor` when there is no session, e.g. a failed login).  Durable
 * before it returns.
 */
enum status	mod_audit(struct req *, const char *actor, const char *action,
		    const char *target, const char *before, const char *after);

#endif
