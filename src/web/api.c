/* api.c: the JSON API: threads, posting, author edits, counts */
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
#include "http/parse.h"
#include "core/utf8.h"
#include "domain/post.h"
#include "store/store.h"

#define JSON_CTYPE	"application/json; charset=utf-8"
/* Uris one counts request may ask about: an index page shows a few dozen
 * articles, and each costs a query. */
#define MAX_COUNT_URIS	100

/* Answer with a JSON error: {"error": msg, "field": field}. */
static enum status
fail(struct resp *r, int code, const char *msg, const char *field)
{
	buf_reset(&r->body);
	r->status = code;
	r->ctype = JSON_CTYPE;
	json_error(&r->body, msg, field);
	return ST_OK;
}

/* Answer with what a serialiser wrote; ST_NOMEM becomes a 500. */
static enum status
reply(struct resp *r, int code, enum status st)
{
	r->status = code;
	r->ctype = JSON_CTYPE;
	return st;
}

/* A refused post or edit, as post.c explains it. */
static enum status
refused(struct resp *r, const struct post_error *err)
{
	if (err->retry_after > 0)
		http_headerf(r, "Retry-After", "%ld", err->retry_after);
	http_header(r, "Cache-Control", "no-store");
	return fail(r, err->code, err->msg, err->field);
}

/* The body must be declared as JSON: with form and text/plain types
 * refused, a cross-site page cannot send one without a CORS preflight. */
static int
is_json(const struct req *rq)
{
	const char	*ct = rq->content_type;

	return ct != NULL && strncasecmp(ct, "application/json", 16) == 0 &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ' ||
	    ct[16] == '\t');
}

static enum status
not_json(struct resp *r)
{
	return fail(r, 415, "Send the request body as JSON, with "
	    "Content-Type: application/json.", NULL);
}

/* A query value that is text: no NUL, valid UTF-8, no control bytes. */
static int
text_ok(const struct kv *kv)
{
	return strlen(kv->val) == kv->vlen && utf8_check(kv->val, kv->vlen) &&
	    strpbrk(kv->val, "\r\n\t") == NULL;
}

/*
 * The JSON body of a write, with the token it may carry: 1, or 0 after
 * answering 415 or 400 (or failing); *st is the status to return then.
 */
static int
json_in(struct req *rq, struct resp *r, struct comment_input *in,
    const char **tok, enum status *st)
{
	const char	*field, *msg;

	*tok = NULL;
	if (!is_json(rq)) {
		*st = not_json(r);
		return 0;
	}
	*st = json_comment_input(rq->arena, rq->body, rq->bodylen, in, tok,
	    &field, &msg);
	if (*st == ST_INPUT) {
		*st = fail(r, 400, msg, field);
		return 0;
	}
	return *st == ST_OK;
}

/*
 * The ?uri= a thread is named by, or NULL after answering 400 when it is
 * missing or not text.
 */
static const char *
thread_uri(struct req *rq, struct resp *r)
{
	const struct kv	*kv = kv_find(&rq->qs, "uri");

	if (kv == NULL || kv->vlen == 0)
		fail(r, 400, "Say which thread: ?uri= the address of the "
		    "article.", "uri");
	else if (!text_ok(kv))
		fail(r, 400, "The uri must be text, without control "
		    "characters.", "uri");
	else
		return kv->val;
	return NULL;
}

static enum status
no_thread(struct resp *r)
{
	return fail(r, 404, "There is no thread for this address.", "uri");
}

/*
 * GET /api/comments?uri=URI[&after=ID][&order=newest][&token=TOKEN]: one
 * page of the thread as a tree (json_thread), with what the HTML page
 * shows (post_visible).  404 for an unknown uri; 304 on a matching ETag for readers
 * without author tokens.
 */
enum status
h_api_comments_get(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct authored		 own;
	struct thread_page	 pg;
	const struct kv		*kv;
	const char		*order, *tok = NULL, *uri, *key;
	unsigned char		*shown;
	long long		 after = 0;
	int			 newest = 0;
	enum status		 st;

	if ((uri = thread_uri(rq, r)) == NULL)
		return ST_OK;
	st = store_article_by_uri(rq->ctx->store, rq->arena, uri, &ar);
	if (st == ST_NOTFOUND && http_origin_allowed(rq)) {
		/* No thread yet on an allowed site: an empty one, and the
		 * form token for its first comment. */
		http_header(r, "Cache-Control", "no-cache");
		return reply(r, 200, json_empty_thread(&r->body,
		    http_form_token(rq), rq->ctx->cfg->min_submit_seconds));
	}
	if (st == ST_NOTFOUND)
		return no_thread(r);
	if (st != ST_OK)
		return st;
	if ((order = kv_get(&rq->qs, "order")) != NULL) {
		if (strcmp(order, "newest") == 0)
			newest = 1;
		else if (strcmp(order, "oldest") != 0)
			return fail(r, 400, "The order is \"oldest\" (the "
			    "default) or \"newest\".", "order");
	}
	if ((kv = kv_find(&rq->qs, "after")) != NULL &&
	    (after = text_id(kv->val, kv->vlen)) == 0)
		return fail(r, 400, "The cursor \"after\" must be the \"next\" "
		    "value of the previous page.", "after");
	/* The widget sends its token in X-Palaver-Token; ?token= is for
	 * clients that cannot set headers (it ends up in access logs). */
	if (rq->token != NULL && rq->token[0] != '\0')
		tok = rq->token;
	else if ((kv = kv_find(&rq->qs, "token")) != NULL && kv->vlen > 0 &&
	    strlen(kv->val) == kv->vlen)
		tok = kv->val;

	/* A reader with author tokens sees their own pending comments:
	 * their answer is private, with no ETag and no shared copy. */
	if (cache_public(rq, r, 'j', &ar, tok != NULL, &key)) {
		r->ctype = JSON_CTYPE;
		return ST_OK;
	}
	if (key != NULL && cache_get(key, &r->body, http_form_token(rq)))
		return reply(r, 200, ST_OK);
	post_authored(rq, tok, &own);
	if ((st = store_thread_page(rq->ctx->store, rq->arena, ar.id, after,
	    newest, (int)rq->ctx->cfg->page_size, own.json, &pg)) != ST_OK)
		return st;
	if ((shown = post_visible(rq->arena, &pg, &own, NULL)) == NULL)
		return ST_NOMEM;
	if ((st = json_thread(&r->body, &ar, &pg, shown, key != NULL ?
	    CACHE_TOKEN : http_form_token(rq),
	    rq->ctx->cfg->min_submit_seconds)) != ST_OK)
		return reply(r, 200, st);
	if (key != NULL) {
		cache_put(key, r->body.p, r->body.len, CACHE_TOKEN_JSON);
		st = cache_fill_tokens(&r->body, CACHE_TOKEN_JSON,
		    http_form_token(rq)) == 0 ? ST_OK : ST_NOMEM;
	}
	return reply(r, 200, st);
}

/*
 * POST /api/comments?uri=URI, a JSON body: post_comment().  201 with the
 * comment, its status, author token and edit deadline (and the author
 * cookie); a refusal has post.c's status and names the field.
 */
enum status
h_api_comments_post(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct comment_input	 in;
	struct post_result	 res;
	struct post_error	 err;
	const char		*tok, *uri;
	enum status		 st;

	if (!json_in(rq, r, &in, &tok, &st))
		return st;
	/* An unknown uri becomes a thread on its first comment, when the
	 * comment comes from one of [site] allowed_origins. */
	if ((uri = thread_uri(rq, r)) == NULL)
		return ST_OK;
	st = post_article_first_use(rq, uri, &in.title, &ar);
	if (st == ST_INPUT)
		return fail(r, 422, "A new thread needs its page's path as uri "
		    "(starting with /) and a title of one line.", "title");
	if (st == ST_NOTFOUND)
		return no_thread(r);
	if (st != ST_OK)
		return st;
	/* A token lets its holder reply to their own held comment. */
	in.token = tok != NULL ? tok : rq->token;
	st = post_comment(rq, &ar, &in, &res, &err);
	if (st == ST_INPUT)
		return refused(r, &err);
	if (st != ST_OK)
		return st;
	post_cookie_add(rq, r, &res);
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 201, json_posted(&r->body, &res, http_form_token(rq),
	    rq->ctx->cfg->min_submit_seconds));
}

/*
 * The comment named in the path must exist (404 otherwise), before its
 * author token is looked at (403).  Sets *done when it answered.
 */
static enum status
comment_exists(struct req *rq, struct resp *r, int *done)
{
	struct comment	 c;
	enum status	 st;

	*done = 1;
	st = store_comment_get(rq->ctx->store, rq->arena, rq->arg[0], &c);
	if (st == ST_NOTFOUND)
		return fail(r, 404, "There is no comment with this number.",
		    NULL);
	if (st == ST_OK)
		*done = 0;
	return st;
}

static enum status
forbidden(struct resp *r)
{
	return fail(r, 403, "You can no longer change this comment: the "
	    "time to edit it has passed, or it is not yours.", "token");
}

/*
 * PUT /api/comments/{id}, {"body", "token"} (or the token from the
 * cookie): post_edit().  200 {"id", "html", "edited": true}; 404 for an
 * unknown id, 403 for a missing, forged or expired token.
 */
enum status
h_api_comment_put(struct req *rq, struct resp *r)
{
	struct comment_input	 in;
	struct post_error	 err;
	const char		*tok, *html = NULL;
	long long		 id = rq->arg[0];
	int			 done;
	enum status		 st;

	if (!json_in(rq, r, &in, &tok, &st))
		return st;
	if ((st = comment_exists(rq, r, &done)) != ST_OK || done)
		return st;
	/* The token from the body, else the header (the cookie counts too). */
	st = post_edit(rq, id, tok != NULL ? tok : rq->token, &in.body, &html,
	    &err);
	if (st == ST_FORBIDDEN)
		return forbidden(r);
	if (st == ST_INPUT)
		return refused(r, &err);
	if (st != ST_OK)
		return st;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_edited(&r->body, id, html));
}

/*
 * DELETE /api/comments/{id}, {"token"} or no body and the cookie:
 * post_delete().  200 {"id", "deleted": true}; 404 and 403 as for PUT.
 */
enum status
h_api_comment_delete(struct req *rq, struct resp *r)
{
	struct comment_input	 in;
	const char		*tok = NULL;
	long long		 id = rq->arg[0];
	int			 done;
	enum status		 st;

	/* The body is optional: a browser's cookie may carry the token. */
	if (rq->bodylen > 0) {
		if (!json_in(rq, r, &in, &tok, &st))
			return st;
	}
	if ((st = comment_exists(rq, r, &done)) != ST_OK || done)
		return st;
	st = post_delete(rq, id, tok != NULL ? tok : rq->token);
	if (st == ST_FORBIDDEN)
		return forbidden(r);
	if (st == ST_NOTFOUND)
		return fail(r, 404, "There is no comment with this number.",
		    NULL);
	if (st != ST_OK)
		return st;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_deleted(&r->body, id));
}

/*
 * GET /api/counts?uri=A&uri=B...: {"A": n, "B": m}, approved comments,
 * 0 for an unknown uri; at most MAX_COUNT_URIS uris.
 */
enum status
h_api_counts(struct req *rq, struct resp *r)
{
	const char	**uris;
	long long	 *counts;
	size_t		  i, n = 0;
	enum status	  st;

	uris = arena_calloc(rq->arena, MAX_COUNT_URIS, sizeof(*uris));
	counts = arena_calloc(rq->arena, MAX_COUNT_URIS, sizeof(*counts));
	if (uris == NULL || counts == NULL)
		return ST_NOMEM;
	/* The key repeats (?uri=A&uri=B), so kv_get would see only one. */
	for (i = 0; i < rq->qs.n; i++) {
		const struct kv *kv = &rq->qs.v[i];

		if (strcmp(kv->key, "uri") != 0)
			continue;
		if (n == MAX_COUNT_URIS)
			return fail(r, 400, "Ask for at most 100 uris at "
			    "once.", "uri");
		if (!text_ok(kv))
			return fail(r, 400, "Each uri must be text, without "
			    "control characters.", "uri");
		uris[n++] = kv->val;
	}
	if (n == 0)
		return fail(r, 400, "Say which threads: ?uri=A&uri=B...",
		    "uri");
	for (i = 0; i < n; i++)
		if ((st = store_count_by_uri(rq->ctx->store, uris[i],
		    &counts[i])) != ST_OK)
			return st;
	http_header(r, "Cache-Control", "no-cache");
	st = json_counts(&r->body, uris, counts, n);
	if (st == ST_INPUT)
		return fail(r, 400, "Each uri must be valid UTF-8.", "uri");
	return reply(r, 200, st);
}

/*
 * OPTIONS on the API: the CORS preflight.  The router has added the
 * origin headers when the origin is allowed; say which methods and
 * headers the widget may use, for ten minutes.
 */
enum status
h_api_preflight(struct req *rq, struct resp *r)
{
	if (!http_origin_allowed(rq))
		return fail(r, 403, "This site is not allowed to use the "
		    "comments API here ([site] allowed_origins).", NULL);
	r->status = 204;
	r->ctype = "text/plain; charset=utf-8";
	http_header(r, "Access-Control-Allow-Methods",
	    "GET, POST, PUT, DELETE");
	http_header(r, "Access-Control-Allow-Headers",
	    "Content-Type, X-Palaver-Token");
	http_header(r, "Access-Control-Max-Age", "600");
	return ST_OK;
}
