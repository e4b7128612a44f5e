/* router.c: from method and path to a handler, with what the route needs
 * checked once, and errors to responses */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/metrics.h"
#include "core/stage.h"
#include "core/text.h"
#include "render/json.h"
#include "render/views.h"
#include "http/cache.h"
#include "http/jsonbody.h"
#include "http/reasons.h"
#include "http/router.h"
#include "http/session.h"

/* Match path against pattern, filling the numeric and word parameters. */
static int
match(const char *pat, const char *path, struct req *rq)
{
	long long	 args[2] = { 0, 0 };
	const char	*word = NULL;
	int		 na = 0;
	size_t		 n;

	while (*pat != '\0') {
		if (strncmp(pat, "{id}", 4) == 0) {
			n = strcspn(path, "/");
			if (na == 2 || (args[na++] = text_id(path, n)) == 0)
				return 0;
			path += n;
			pat += 4;
		} else if (strncmp(pat, "{word}", 6) == 0) {
			n = strspn(path, "abcdefghijklmnopqrstuvwxyz");
			if (n == 0 || (path[n] != '/' && path[n] != '\0'))
				return 0;
			if ((word = arena_strndup(rq->arena, path, n)) == NULL)
				return 0;
			path += n;
			pat += 6;
		} else if (*pat++ != *path++)
			return 0;
	}
	if (*path != '\0')
		return 0;
	rq->arg[0] = args[0];
	rq->arg[1] = args[1];
	rq->word = word;
	return 1;
}

static void
allow_header(struct resp *r, unsigned m)
{
	struct buf	 b = BUF_INIT;

	if (m & M_GET)
		buf_puts(&b, "GET, HEAD");
	if (m & M_POST)
		buf_printf(&b, "%sPOST", b.len ? ", " : "");
	if (m & M_PUT)
		buf_printf(&b, "%sPUT", b.len ? ", " : "");
	if (m & M_DELETE)
		buf_printf(&b, "%sDELETE", b.len ? ", " : "");
	if (m & M_OPTIONS)
		buf_printf(&b, "%sOPTIONS", b.len ? ", " : "");
	http_header(r, "Allow", buf_str(&b));
	buf_free(&b);
}

static int
is_api(const struct req *rq)
{
	return strncmp(rq->path, "/api/", 5) == 0;
}

void
http_error_field(struct req *rq, struct resp *r, int code, const char *msg,
    const char *field)
{
	struct view	 v;

	buf_reset(&r->body);
	r->status = code;
	if (is_api(rq)) {
		r->ctype = "application/json; charset=utf-8";
		json_error(&r->body, msg, field);
	} else {
		r->ctype = NULL;
		http_view(rq, &v, 0);
		view_error(&v, &r->body, http_status_text(code), msg);
	}
}

void
http_error(struct req *rq, struct resp *r, int code, const char *msg)
{
	http_error_field(rq, r, code, msg, NULL);
}

/* The one place a failing status becomes a response. */
static void
status_error(struct req *rq, struct resp *r, enum status st)
{
	switch (st) {
	case ST_NOTFOUND:
		http_error(rq, r, 404, "There is nothing at this address.");
		break;
	case ST_INPUT:
		http_error(rq, r, 400, "The request was malformed.");
		break;
	case ST_TOOBIG:
		http_error(rq, r, 413, "The request is too large.");
		break;
	case ST_FORBIDDEN:
		http_error(rq, r, 403, "You may not do that.");
		break;
	case ST_CONFLICT:
		http_error(rq, r, 409, "That conflicts with what is there.");
		break;
	case ST_BUSY:
		http_error(rq, r, 503, "The server is busy; please try "
		    "again in a moment.");
		http_header(r, "Retry-After", "2");
		break;
	default:
		http_error(rq, r, 500, "Something went wrong on our side. "
		    "It has been logged.");
		break;
	}
}

/*
 * Check the route's fields from the query, the form or the JSON object.
 * Returns 1 when the handler may run: every field checked (lax ones
 * dropped when bad), or bad ones left for a handler that answers them
 * itself (RF_OWN, rq->bad set).  0 after answering.
 */
static int
check_fields(const struct route *rt, struct req *rq, struct resp *r)
{
	const struct route_field	*rf;
	const struct kvlist		*l;
	struct fval			*fv;
	size_t				 i, k;
	size_t				 max = (size_t)rq->site->cfg->max_comment;
	enum status			 st = ST_OK;

	rq->bad = F__MAX;
	/* With form and text/plain types refused, a cross-site page cannot
	 * send a JSON body without a CORS preflight. */
	/* A body is optional for DELETE only (the cookie may say whose). */
	if ((rt->flags & RF_BODY) && (rq->bodylen > 0 ||
	    rq->method != M_DELETE)) {
		if (!jsonbody_is_json(rq)) {
			http_error(rq, r, 415, "Send the request body as "
			    "JSON, with Content-Type: application/json.");
			return 0;
		}
		st = jsonbody_fields(rq, r, rt->fields);
	}
	if (st != ST_OK) {
		if (st == ST_INPUT)
			return 0;	/* answered: not JSON, wrong type */
		status_error(rq, r, st);
		return 0;
	}
	for (i = 0; i < ROUTE_FIELDS && rt->fields[i].src != 0; i++) {
		rf = &rt->fields[i];
		fv = &rq->f[rf->f];
		l = rf->src == FS_QUERY ? &rq->qs : &rq->form;
		if (rf->src == FS_QUERY || (rt->flags & RF_FORM))
			for (k = 0; k < l->n && st == ST_OK; k++)
				if (strcmp(l->v[k].key, fields[rf->f].name) ==
				    0)
					st = field_check(rq->arena, rf->f,
					    l->v[k].val, l->v[k].vlen, max, fv);
		if (st != ST_OK) {
			status_error(rq, r, st);
			return 0;
		}
		if (fv->state == FV_BAD && rf->need == FR_LAX) {
			memset(fv, 0, sizeof(*fv));
			continue;
		}
		if (fv->state == FV_ABSENT && rf->need == FR_REQUIRED)
			field_missing(rf->f, fv);
		if (fv->state != FV_BAD || rq->bad != F__MAX)
			continue;
		rq->bad = rf->f;
		if (rt->flags & RF_POSTS)
			metrics_refused(fv->why.why);
		if (rt->flags & RF_OWN)
			continue;
		if (rf->src == FS_QUERY)
			/* A query is the address: a bad one is a bad
			 * request, whatever the field's reason says. */
			http_error_field(rq, r, 400, reason_message(rq->arena,
			    &fv->why), fv->why.field);
		else
			http_refused(rq, r, &fv->why);
		return 0;
	}
	return 1;
}

/* The widget on an allowed site may read the answers and send its author
 * tokens; nobody else gets these headers, and other sites may not write. */
static int
cors(struct req *rq, struct resp *r)
{
	http_header(r, "Vary", "Origin");
	if (http_origin_allowed(rq)) {
		http_header(r, "Access-Control-Allow-Origin", rq->origin);
		http_header(r, "Access-Control-Allow-Credentials", "true");
		http_header(r, "Access-Control-Expose-Headers", "ETag");
	} else if ((rq->method & (M_POST | M_PUT | M_DELETE)) &&
	    rq->origin != NULL && !http_same_origin(rq)) {
		http_error(rq, r, 403, "This site is not allowed to post "
		    "comments here ([site] allowed_origins).");
		return 0;
	}
	return 1;
}

/*
 * A change made from a browser must come from our own pages (or, for the
 * fragment's forms, an allowed site's): browsers say where a request
 * comes from in Origin and Sec-Fetch-Site, and a sibling site
 * (same-site, another origin) is refused like any other.  A request with
 * neither header is no browser's cross-site form.
 */
static int
origin(const struct route *rt, struct req *rq, struct resp *r)
{
	if (!(rt->flags & (RF_ORIGIN | RF_ORIGIN_EMBED)))
		return 1;
	if (http_same_origin(rq))
		return 1;
	if ((rt->flags & RF_ORIGIN_EMBED) && http_origin_allowed(rq))
		return 1;
	http_error(rq, r, 403, "This form did not come from this site; "
	    "nothing was changed.  Go back, reload the page and try again.");
	return 0;
}

/* The body the route reads: a form, or JSON (parsed with the fields). */
static int
read_body(const struct route *rt, struct req *rq, struct resp *r)
{
	enum status	 st;

	if (rt->flags & RF_FORM) {
		if (rq->content_type == NULL || strncasecmp(rq->content_type,
		    "application/x-www-form-urlencoded", 33) != 0) {
			http_error(rq, r, 415, "Send the form as "
			    "application/x-www-form-urlencoded.");
			return 0;
		}
		st = http_body_read(rq, (size_t)config_max_body(rq->site->cfg));
		if (st == ST_OK)
			st = parse_urlencoded(rq->arena, rq->body, rq->bodylen,
			    &rq->form);
		if (st != ST_OK) {
			status_error(rq, r, st);
			return 0;
		}
	}
	if (rt->flags & RF_BODY) {
		if ((st = http_body_read(rq,
		    (size_t)config_max_body(rq->site->cfg))) != ST_OK) {
			status_error(rq, r, st);
			return 0;
		}
	}
	return 1;
}

/* The moderator's session, and what the route asks of it. */
static int
session(const struct route *rt, struct req *rq, struct resp *r)
{
	enum status	 st;

	if (rt->flags & (RF_SESSION | RF_MOD)) {
		if ((st = http_session_load(rq)) != ST_OK) {
			status_error(rq, r, st);
			return 0;
		}
		if ((rt->flags & RF_MOD) && rq->sess == NULL) {
			if (rq->method & (M_GET | M_HEAD))
				http_redirect(rq, r, "/mod/login");
			else
				http_error(rq, r, 403, "Please log in first.");
			return 0;
		}
	}
	if ((rt->flags & RF_CSRF) && !http_csrf_ok(rq)) {
		http_error(rq, r, 403, "This form has expired or did not come "
		    "from this site; nothing was changed.  Go back, reload "
		    "the page and try again.");
		return 0;
	}
	if ((rt->flags & RF_ADMIN) && !rq->sess->mod.admin) {
		http_error(rq, r, 403, "Only admins may do that.");
		return 0;
	}
	return 1;
}

void
router_dispatch(const struct route *table, size_t n, struct req *rq,
    struct resp *r)
{
	const struct route	*rt = NULL;
	unsigned		 allowed = 0, m;
	enum status		 st;
	size_t			 i;

	r->status = 200;
	for (i = 0; i < n; i++) {
		if (!match(table[i].pattern, rq->path, rq))
			continue;
		m = table[i].methods;
		if (m & M_GET)
			m |= M_HEAD;
		allowed |= m;
		if (m & rq->method) {
			rt = &table[i];
			rq->route = (int)i;
			break;
		}
	}
	if (rt == NULL) {
		if (allowed != 0) {
			http_error(rq, r, 405, "That method is not allowed "
			    "here.");
			allow_header(r, allowed);
		} else
			status_error(rq, r, ST_NOTFOUND);
		return;
	}
	if (!read_body(rt, rq, r))
		return;
	if (strncmp(rq->path, "/mod/", 5) == 0)
		http_header(r, "Cache-Control", "no-store");
	if ((rt->flags & RF_CORS) && !cors(rq, r))
		return;
	if (!origin(rt, rq, r))
		return;
	if (!session(rt, rq, r) || !check_fields(rt, rq, r))
		return;
	stage_mark(STAGE_DECODE);
	if ((st = rt->fn(rq, r)) != ST_OK)
		status_error(rq, r, st);
	else if (rt->flags & RF_CACHE)
		cache_end(rq, r);
}
