/* api.c: the JSON API: threads, posting, author edits, counts */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/text.h"
#include "store/store.h"
#include "render/json.h"
#include "domain/authored.h"
#include "domain/comments.h"
#include "domain/reason.h"
#include "domain/votes.h"
#include "http/cache.h"
#include "http/reasons.h"
#include "web/pages.h"
#include "web/web.h"

#define JSON_CTYPE	"application/json; charset=utf-8"

/* Answer with what a serialiser wrote; ST_NOMEM becomes a 500. */
static enum status
reply(struct resp *r, int code, enum status st)
{
	r->status = code;
	r->ctype = JSON_CTYPE;
	return st;
}

/* The author tokens a request carries besides the cookie: the body's
 * "token", else the X-Palaver-Token header (the widget's), else ?token=
 * (for clients that cannot set headers; it ends up in access logs). */
static const char *
api_token(const struct req *rq)
{
	const char	*tok = http_str(rq, F_TOKEN);

	if (tok != NULL)
		return tok;
	if (rq->token != NULL && rq->token[0] != '\0')
		return rq->token;
	return NULL;
}

/*
 * GET /api/comments?uri=URI[&after=ID|&c=ID][&order=newest|best]
 * [&token=TOKEN]: one page of the thread as a tree, as the HTML page
 * shows it.  404 for an
 * unknown uri; 304 on a matching ETag for readers without author tokens.
 */
enum status
h_api_comments_get(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct thread_page	 pg;
	struct thread_view	 tv;
	struct poster		 p;
	struct refusal		 ref;
	const struct config	*cfg = rq->site->cfg;
	const char		*tok = api_token(rq);
	long long		 after;
	int			 order;
	enum status		 st;

	r->ctype = JSON_CTYPE;
	st = store_article_by_uri(rq->site->store, rq->arena, http_str(rq,
	    F_URI), &ar);
	if (st == ST_NOTFOUND && http_origin_allowed(rq)) {
		/* No thread yet on an allowed site: an empty one, and the
		 * form token for its first comment. */
		http_header(r, "Cache-Control", "no-cache");
		return reply(r, 200, json_empty_thread(&r->body,
		    http_form_token(rq), rq->site->cfg->min_submit_seconds,
		    rq->site->cfg->mail_transport[0] != '\0'));
	}
	if (st == ST_NOTFOUND) {
		refuse(&ref, RS_NO_THREAD, "uri");
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	/* A reader with author tokens sees their own pending comments:
	 * their answer is private, with no ETag and no shared copy. */
	if (cache_begin(rq, r, 'j', &ar, tok != NULL))
		return ST_OK;
	if ((st = http_poster(rq, tok, &p)) != ST_OK)
		return st;
	/* &c=ID: the page that holds that comment (a link into a thread
	 * embedded elsewhere). */
	order = (int)http_id(rq, F_ORDER);
	if ((after = http_id(rq, F_AFTER)) == 0 && (st = thread_page_of(rq,
	    &ar, http_id(rq, F_C), order, p.own, &after)) != ST_OK)
		return st;
	if ((st = store_thread_page(rq->site->store, rq->arena, ar.id, after,
	    order, (int)cfg->page_size, p.own->json, &pg)) != ST_OK ||
	    (st = thread_view_make(rq->arena, &pg, p.own, &tv)) != ST_OK)
		return st;
	return reply(r, 200, json_thread(&r->body, &ar, &tv,
	    http_page_token(rq), cfg->min_submit_seconds,
	    cfg->mail_transport[0] != '\0', !cfg->votes ? 0 :
	    cfg->votes_down ? 2 : 1));
}

/*
 * POST /api/comments?uri=URI, a JSON body: comments_post().  201 with the
 * comment, its status, author token and edit deadline (and the author
 * cookie); a refusal has its reason's status and names the field.
 */
enum status
h_api_comments_post(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct comment_input	 in;
	struct posted		 out;
	struct refusal		 ref;
	struct poster		 p;
	enum status		 st;

	/* An unknown uri becomes a thread on its first comment, when the
	 * comment comes from one of [site] allowed_origins. */
	st = comments_thread(rq->site, rq->arena, http_str(rq, F_URI),
	    http_str(rq, F_TITLE), http_origin_allowed(rq), &ar, &ref);
	if (st == ST_OK) {
		/* A token lets its holder reply to their own held comment. */
		if ((st = http_poster(rq, api_token(rq), &p)) != ST_OK)
			return st;
		memset(&in, 0, sizeof(in));
		in.parent = http_id(rq, F_PARENT);
		in.author = http_str(rq, F_AUTHOR);
		in.email = http_str(rq, F_EMAIL);
		in.website = http_str(rq, F_WEBSITE);
		in.body = http_str(rq, F_BODY);
		in.form_token = http_str(rq, F_TS);
		in.honeypot = http_str(rq, F_HP);
		in.notify = http_str(rq, F_NOTIFY) != NULL;
		st = comments_post(rq->site, rq->arena, &ar, &in, &p, &out,
		    &ref);
	}
	if (st == ST_INPUT || reason_trouble(st, &ref)) {
		if (ref.why == RS_THREAD_BAD)
			ref.field = "title";
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	http_author_cookie(rq, r, out.c.id, out.token);
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 201, json_posted(&r->body, &out.c, out.token,
	    out.expires, http_form_token(rq),
	    rq->site->cfg->min_submit_seconds));
}

/*
 * PUT /api/comments/{id}, {"body", "token"} (or the token from the header
 * or the cookie): comments_edit().  200 {"id", "html", "edited": true};
 * 404 for an unknown id, 403 for a missing, forged or expired token.
 */
enum status
h_api_comment_put(struct req *rq, struct resp *r)
{
	struct refusal	 ref;
	struct poster	 p;
	const char	*html = NULL;
	long long	 id = rq->arg[0];
	enum status	 st;

	if ((st = http_poster(rq, api_token(rq), &p)) != ST_OK)
		return st;
	st = comments_edit(rq->site, rq->arena, id, http_str(rq, F_BODY), &p,
	    &html, &ref);
	if (st == ST_NOTFOUND)
		refuse(&ref, RS_GONE, NULL);
	if (st == ST_INPUT || st == ST_NOTFOUND || reason_trouble(st, &ref)) {
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_edited(&r->body, id, html));
}

/*
 * DELETE /api/comments/{id}, {"token"} or no body and the cookie:
 * comments_delete().  200 {"id", "deleted": true}; 404 and 403 as for
 * PUT.
 */
enum status
h_api_comment_delete(struct req *rq, struct resp *r)
{
	struct refusal	 ref;
	struct poster	 p;
	long long	 id = rq->arg[0];
	enum status	 st;

	if ((st = http_poster(rq, api_token(rq), &p)) != ST_OK)
		return st;
	st = comments_delete(rq->site, rq->arena, id, &p, &ref);
	if (st == ST_NOTFOUND)
		refuse(&ref, RS_GONE, NULL);
	if (st == ST_INPUT || st == ST_NOTFOUND) {
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_deleted(&r->body, id));
}

/* Answer a refusal, or trouble on our side, as JSON; 1 when answered. */
static int
refused(struct req *rq, struct resp *r, enum status st, struct refusal *ref)
{
	if (st != ST_INPUT && !reason_trouble(st, ref))
		return 0;
	http_refused(rq, r, ref);
	return 1;
}

/*
 * POST /api/comments/{id}/vote, {"vote": 1 | -1 | 0, "voter": token}:
 * votes_cast().  200 {"up", "down"} (and "voter", a new token to keep,
 * when the request had none); 404 for a comment that is not published.
 */
enum status
h_api_vote(struct req *rq, struct resp *r)
{
	struct refusal	 ref;
	struct poster	 p;
	const char	*voter, *tok;
	long long	 up, down;
	enum status	 st;

	if ((st = http_poster(rq, NULL, &p)) != ST_OK ||
	    (st = http_voter(rq, r, http_str(rq, F_VOTER), &voter, &tok)) !=
	    ST_OK)
		return st;
	st = votes_cast(rq->site, rq->arena, rq->arg[0], (int)http_id(rq,
	    F_VOTE) - 1, voter, &p, &up, &down, &ref);
	if (refused(rq, r, st, &ref))
		return ST_OK;
	if (st != ST_OK)
		return st;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_vote(&r->body, up, down, tok));
}

/*
 * POST /api/comments/{id}/report, {"reason": "spam" | "abuse" |
 * "off-topic" | "other", "text": "..."}: reports_file().  200 {"id",
 * "reported": true}; 404 for a comment that is not published.
 */
enum status
h_api_report(struct req *rq, struct resp *r)
{
	struct refusal	 ref;
	struct poster	 p;
	int		 held;
	enum status	 st;

	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	st = reports_file(rq->site, rq->arena, rq->arg[0], (enum
	    report_reason)http_id(rq, F_WHY), http_str(rq, F_TEXT), &p, &held,
	    &ref);
	if (refused(rq, r, st, &ref))
		return ST_OK;
	if (st != ST_OK)
		return st;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_reported(&r->body, rq->arg[0]));
}

/*
 * POST /api/preview, {"body": "..."}: the body as it would be published,
 * by the same renderer: 200 {"html"}.  Nothing is stored.
 */
enum status
h_api_preview(struct req *rq, struct resp *r)
{
	const char	*html;

	if ((html = comments_render(rq->arena, http_str(rq, F_BODY), NULL)) ==
	    NULL)
		return ST_NOMEM;
	http_header(r, "Cache-Control", "no-store");
	return reply(r, 200, json_preview(&r->body, html));
}

/* Uris one counts request may ask about: an index page shows a few dozen
 * articles, and each costs a query. */
#define MAX_COUNT_URIS	100

/*
 * GET /api/counts?uri=A&uri=B...: {"A": n, "B": m}, approved comments,
 * 0 for an unknown uri; at most MAX_COUNT_URIS uris.
 */
enum status
h_api_counts(struct req *rq, struct resp *r)
{
	const struct fval	*uris = &rq->f[F_URIS];
	const char		*key;
	long long		*counts;
	size_t			 i;
	enum text_err		 e;
	enum status		 st;

	if (uris->count > MAX_COUNT_URIS) {
		http_error_field(rq, r, 400, "Ask for at most 100 uris at "
		    "once.", "uri");
		return ST_OK;
	}
	if ((counts = arena_calloc(rq->arena, uris->count + 1,
	    sizeof(*counts))) == NULL)
		return ST_NOMEM;
	/* Found by its key, answered by the uri as asked: the widget looks
	 * its links' counts up by what it sent.  A uri that makes no key
	 * names no thread: 0. */
	for (i = 0; i < uris->count; i++) {
		e = text_uri_normalize(rq->arena, uris->v[i],
		    strlen(uris->v[i]), TEXT_URI_QUERY, &key);
		if (e == TEXT_NOMEM)
			return ST_NOMEM;
		if (e != TEXT_OK)
			continue;
		if ((st = store_count_by_uri(rq->site->store, key,
		    &counts[i])) != ST_OK)
			return st;
	}
	http_header(r, "Cache-Control", "no-cache");
	st = json_counts(&r->body, uris->v, counts, uris->count);
	if (st == ST_INPUT) {
		http_error_field(rq, r, 400, "Each uri must be valid UTF-8.",
		    "uri");
		return ST_OK;
	}
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
	if (!http_origin_allowed(rq)) {
		http_error(rq, r, 403, "This site is not allowed to use the "
		    "comments API here ([site] allowed_origins).");
		return ST_OK;
	}
	r->status = 204;
	r->ctype = "text/plain; charset=utf-8";
	http_header(r, "Access-Control-Allow-Methods",
	    "GET, POST, PUT, DELETE");
	http_header(r, "Access-Control-Allow-Headers",
	    "Content-Type, X-Palaver-Token");
	http_header(r, "Access-Control-Max-Age", "600");
	return ST_OK;
}
