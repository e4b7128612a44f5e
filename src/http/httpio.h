/* httpio.h: between FastCGI and struct req/resp (for the server loop only) */
#ifndef PALAVER_HTTPIO_H
#define PALAVER_HTTPIO_H

#include <fcgiapp.h>

#include "http/http.h"

/*
 * http_req_init: fill req from the FastCGI parameters, copying every
 * string into the arena.  ST_NOMEM, or ST_INPUT for a request we cannot
 * route (no method, malformed query); req->path is set even then.
 */
enum status	http_req_init(struct req *, FCGX_Request *, struct ctx *);
/*
 * http_resp_send: write status, headers and (unless head_only) the body
 * in one go, with Content-Length and the security headers every response
 * carries.  Returns -1 when the client has gone (stop rendering).
 */
int		http_resp_send(FCGX_Request *, struct resp *, int head_only);

#endif
