/* route.c: the route table, matching, and status-to-response mapping */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/text.h"
#include "core/arena.h"
#include "auth/auth.h"
#include "http/cache.h"
#include "core/config.h"
#include "web/handlers.h"
#include "render/json.h"
#include "core/log.h"
#include "web/mod.h"
#include "http/route.h"
#include "store/store.h"
#include "render/views.h"

typedef enum status (*handler)(struct req *, struct resp *);

enum route {
	R_INDEX,
	R_ARTICLE,
	R_COMMENT_POST,
	R_COMMENT_EDIT,
	R_COMMENT_DELETE,
	R_EMBED,
	R_EMBED_POST,
	R_API_COMMENTS_GET,
	R_API_COMMENTS_POST,
	R_API_COMMENT_PUT,
	R_API_COMMENT_DELETE,
	R_API_COUNTS,
	R_API_PREFLIGHT_COMMENTS,
	R_API_PREFLIGHT_COMMENT,
	R_API_PREFLIGHT_COUNTS,
	R_MOD_LOGIN_GET,
	R_MOD_LOGIN_POST,
	R_MOD_LOGOUT,
	R_MOD_QUEUE,
	R_MOD_BULK,
	R_MOD_COMMENT,
	R_MOD_BANS_GET,
	R_MOD_BANS_POST,
	R_MOD_BAN_DELETE,
	R_MOD_ARTICLES,
	R_MOD_ARTICLE_SET,
	R_MOD_USERS_GET,
	R_MOD_USERS_POST,
	R_MOD_USER,
	R_MOD_AUDIT,
	R__MAX
};

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
};

struct route_def {
	unsigned	 methods;	/* M_GET also allows M_HEAD */
	const char	*pattern;	/* "{id}" a positive integer, "{word}" [a-z]+ */
	handler		 fn;
	unsigned	 flags;
};

static const struct route_def routes[R__MAX] = {
	[R_INDEX] = { M_GET, "/", h_index, 0 },
	[R_ARTICLE] = { M_GET, "/articles/{id}", h_article, 0 },
	[R_COMMENT_POST] = { M_POST, "/articles/{id}/comments",
	    h_comment_post, RF_FORM },
	[R_COMMENT_EDIT] = { M_POST, "/articles/{id}/comments/{id}/edit",
	    h_comment_edit, RF_FORM },
	[R_COMMENT_DELETE] = { M_POST, "/articles/{id}/comments/{id}/delete",
	    h_comment_delete, RF_FORM },
	[R_EMBED] = { M_GET, "/embed", h_embed, 0 },
	[R_EMBED_POST] = { M_POST, "/embed/comments", h_embed_post, RF_FORM },
	[R_API_COMMENTS_GET] = { M_GET, "/api/comments", h_api_comments_get,
	    RF_JSON | RF_CORS },
	[R_API_COMMENTS_POST] = { M_POST, "/api/comments",
	    h_api_comments_post, RF_JSON | RF_BODY | RF_CORS },
	[R_API_COMMENT_PUT] = { M_PUT, "/api/comments/{id}",
	    h_api_comment_put, RF_JSON | RF_BODY | RF_CORS },
	[R_API_COMMENT_DELETE] = { M_DELETE, "/api/comments/{id}",
	    h_api_comment_delete, RF_JSON | RF_BODY | RF_CORS },
	[R_API_COUNTS] = { M_GET, "/api/counts", h_api_counts,
	    RF_JSON | RF_CORS },
	[R_API_PREFLIGHT_COMMENTS] = { M_OPTIONS, "/api/comments",
	    h_api_preflight, RF_JSON | RF_CORS },
	[R_API_PREFLIGHT_COMMENT] = { M_OPTIONS, "/api/comments/{id}",
	    h_api_preflight, RF_JSON | RF_CORS },
	[R_API_PREFLIGHT_COUNTS] = { M_OPTIONS, "/api/counts",
	    h_api_preflight, RF_JSON | RF_CORS },
	[R_MOD_LOGIN_GET] = { M_GET, "/mod/login", h_mod_login_get,
	    RF_SESSION },
	[R_MOD_LOGIN_POST] = { M_POST, "/mod/login", h_mod_login_post,
	    RF_FORM },
	[R_MOD_LOGOUT] = { M_POST, "/mod/logout", h_mod_logout,
	    RF_FORM | RF_MOD | RF_CSRF },
	[R_MOD_QUEUE] = { M_GET, "/mod/", h_mod_queue, RF_MOD },
	[R_MOD_BULK] = { M_POST, "/mod/comments/bulk", h_mod_bulk,
	    RF_FORM | RF_MOD | RF_CSRF },
	/* approve, spam, delete, edit, ban */
	[R_MOD_COMMENT] = { M_POST, "/mod/comments/{id}/{word}", h_mod_comment,
	    RF_FORM | RF_MOD | RF_CSRF },
	[R_MOD_BANS_GET] = { M_GET, "/mod/bans", h_mod_bans_get, RF_MOD },
	[R_MOD_BANS_POST] = { M_POST, "/mod/bans", h_mod_bans_post,
	    RF_FORM | RF_MOD | RF_CSRF },
	[R_MOD_BAN_DELETE] = { M_POST, "/mod/bans/{id}/delete",
	    h_mod_ban_delete, RF_FORM | RF_MOD | RF_CSRF },
	[R_MOD_ARTICLES] = { M_GET, "/mod/articles", h_mod_articles, RF_MOD },
	/* close, open */
	[R_MOD_ARTICLE_SET] = { M_POST, "/mod/articles/{id}/{word}",
	    h_mod_article_set, RF_FORM | RF_MOD | RF_CSRF },
	[R_MOD_USERS_GET] = { M_GET, "/mod/users", h_mod_users_get,
	    RF_MOD | RF_ADMIN },
	[R_MOD_USERS_POST] = { M_POST, "/mod/users", h_mod_users_post,
	    RF_FORM | RF_MOD | RF_CSRF | RF_ADMIN },
	/* delete, password */
	[R_MOD_USER] = { M_POST, "/mod/users/{id}/{word}", h_mod_user,
	    RF_FORM | RF_MOD | RF_CSRF | RF_ADMIN },
	[R_MOD_AUDIT] = { M_GET, "/mod/audit", h_mod_audit, RF_MOD },
};

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
route_error(struct req *rq, struct resp *r, int code, const char *msg)
{
	buf_reset(&r->body);
	r->status = code;
	if (is_api(rq)) {
		r->ctype = "application/json; charset=utf-8";
		json_error(&r->body, msg, NULL);
	} else {
		r->ctype = NULL;
		view_error(rq, &r->body, code, msg);
	}
}

static void
status_error(struct req *rq, struct resp *r, enum status st)
{
	switch (st) {
	case ST_NOTFOUND:
		route_error(rq, r, 404, "There is nothing at this address.");
		break;
	case ST_INPUT:
		route_error(rq, r, 400, "The request was malformed.");
		break;
	case ST_TOOBIG:
		route_error(rq, r, 413, "The request is too large.");
		break;
	case ST_FORBIDDEN:
		route_error(rq, r, 403, "You may not do that.");
		break;
	case ST_CONFLICT:
		route_error(rq, r, 409, "That conflicts with what is there.");
		break;
	case ST_BUSY:
		route_error(rq, r, 503, "The server is busy; please try "
		    "again in a moment.");
		http_header(r, "Retry-After", "2");
		break;
	default:
		route_error(rq, r, 500, "Something went wrong on our side. "
		    "It has been logged.");
		break;
	}
}

void
route_dispatch(struct req *rq, struct resp *r)
{
	const struct route_def	*rt = NULL;
	unsigned		 allowed = 0, m;
	enum status		 st;
	size_t			 i;

	r->status = 200;
	for (i = 0; i < R__MAX; i++) {
		if (!match(routes[i].pattern, rq->path, rq))
			continue;
		m = routes[i].methods;
		if (m & M_GET)
			m |= M_HEAD;
		allowed |= m;
		if (m & rq->method) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL) {
		if (allowed != 0) {
			route_error(rq, r, 405, "That method is not allowed "
			    "here.");
			allow_header(r, allowed);
		} else
			status_error(rq, r, ST_NOTFOUND);
		return;
	}
	if (rt->flags & RF_FORM) {
		if (rq->content_type == NULL || strncasecmp(rq->content_type,
		    "application/x-www-form-urlencoded", 33) != 0) {
			route_error(rq, r, 415, "Send the form as "
			    "application/x-www-form-urlencoded.");
			return;
		}
		st = http_body_read(rq, (size_t)rq->ctx->cfg->max_body);
		if (st == ST_OK)
			st = parse_urlencoded(rq->arena, rq->body, rq->bodylen,
			    &rq->form);
		if (st != ST_OK) {
			status_error(rq, r, st);
			return;
		}
	}
	if (rt->flags & RF_BODY) {
		/* JSON bodies: the handler parses them (json.c). */
		if ((st = http_body_read(rq, (size_t)rq->ctx->cfg->max_body)) !=
		    ST_OK) {
			status_error(rq, r, st);
			return;
		}
	}
	if (strncmp(rq->path, "/mod/", 5) == 0)
		http_header(r, "Cache-Control", "no-store");
	if (rt->flags & RF_CORS) {
		/* The widget on an allowed site may read the answers and send
		 * its author tokens; nobody else gets these headers. */
		http_header(r, "Vary", "Origin");
		if (http_origin_allowed(rq)) {
			http_header(r, "Access-Control-Allow-Origin",
			    rq->origin);
			http_header(r, "Access-Control-Allow-Credentials",
			    "true");
			http_header(r, "Access-Control-Expose-Headers",
			    "ETag");
		} else if ((rq->method & (M_POST | M_PUT | M_DELETE)) &&
		    rq->origin != NULL && !mod_same_origin(rq)) {
			route_error(rq, r, 403, "This site is not allowed "
			    "to post comments here ([site] allowed_origins).");
			return;
		}
	}
	if (rt->flags & (RF_SESSION | RF_MOD)) {
		if ((st = mod_session_load(rq)) != ST_OK) {
			status_error(rq, r, st);
			return;
		}
		if ((rt->flags & RF_MOD) && rq->sess == NULL) {
			if (rq->method & (M_GET | M_HEAD))
				http_redirect(rq, r, "/mod/login");
			else
				route_error(rq, r, 403, "Please log in "
				    "first.");
			return;
		}
	}
	if ((rt->flags & RF_CSRF) && !mod_csrf_ok(rq)) {
		route_error(rq, r, 403, "This form has expired or did not come "
		    "from this site; nothing was changed.  Go back, reload "
		    "the page and try again.");
		return;
	}
	if ((rt->flags & RF_ADMIN) && !rq->sess->mod.admin) {
		route_error(rq, r, 403, "Only admins may do that.");
		return;
	}
	if ((st = rt->fn(rq, r)) != ST_OK)
		status_error(rq, r, st);
	/* Forms carry a fresh anti-spam token for each reader (a page from
	 * the cache has its tokens already). */
	if (rq->tokens && r->body.len > 0 && cache_fill_tokens(&r->body,
	    CACHE_TOKEN, http_form_token(rq)) == -1)
		r->body.err = 1;
}
