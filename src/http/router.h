/* router.h: from method and path to a handler, with what the route needs
 * checked once, and errors to responses */
#ifndef PALAVER_ROUTER_H
#define PALAVER_ROUTER_H

#include <stddef.h>

#include "http/field.h"
#include "http/http.h"

typedef enum status (*handler)(struct req *, struct resp *);

/* What a route needs before its handler runs. */
enum rflag {
	RF_JSON = 1 << 0,	/* errors are JSON */
	RF_FORM = 1 << 1,	/* reads an urlencoded body (max_body) */
	RF_BODY = 1 << 2,	/* reads a JSON body (max_body), if any */
	RF_SESSION = 1 << 3,	/* loads the moderator's session, if any */
	RF_MOD = 1 << 4,	/* needs a moderator's session */
	RF_CSRF = 1 << 5,	/* needs the session's CSRF token */
	RF_ADMIN = 1 << 6,	/* needs an admin */
	RF_CORS = 1 << 7,	/* answers the allowed origins (widget) */
	RF_OWN = 1 << 8,	/* the handler answers bad fields itself
				   (a form shown again, filled in) */
	RF_CACHE = 1 << 9,	/* a public read the page cache may keep */
	RF_ORIGIN = 1 << 10,	/* a change from a browser: from our own
				   origin only (Origin, Sec-Fetch-Site) */
	RF_ORIGIN_EMBED = 1 << 11,	/* the same, or an allowed origin
					   (the fragment's forms) */
	RF_POSTS = 1 << 12,	/* posts a comment: a bad field is counted
				   as a refused post (/metrics) */
};

/* At most this many fields a route. */
#define ROUTE_FIELDS	12

struct route {
	unsigned		 methods;	/* M_GET also allows M_HEAD */
	const char		*pattern;	/* "{id}": a positive integer,
						   "{word}": [a-z]+ */
	handler			 fn;
	unsigned		 flags;
	struct route_field	 fields[ROUTE_FIELDS];	/* src 0 ends */
};

/*
 * router_dispatch: find the route for rq in the table, check what its
 * row requires (method, body, session, CSRF, admin, fields), run its
 * handler, and turn a failing status into the right error response.
 * Never fails: r always holds a response.
 */
void	router_dispatch(const struct route *, size_t, struct req *,
	    struct resp *);
#endif
