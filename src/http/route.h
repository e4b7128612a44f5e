/* route.h: from method and path to a handler, and errors to responses */
#ifndef PALAVER_ROUTE_H
#define PALAVER_ROUTE_H

#include "http/http.h"

/*
 * route_dispatch: find the route for rq, check what its row requires
 * (method, body cap), run its handler and turn a failing status into the
 * right error response.  Never fails: r always holds a response.
 */
void	route_dispatch(struct req *, struct resp *);
/*
 * route_error: an error response in the form the route speaks (an HTML
 * page, or JSON {"error": ...} under /api/), with msg in words.
 */
void	route_error(struct req *, struct resp *, int code, const char *msg);

#endif
