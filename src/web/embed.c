/* embed.c: the thread as a fragment for other sites' pages, and its form */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/authored.h"
#include "domain/comments.h"
#include "domain/reason.h"
#include "http/cache.h"
#include "http/reasons.h"
#include "web/pages.h"
#include "web/web.h"

/* The fragment names its thread by the page's path. */
static const char *
page_uri(struct req *rq, struct resp *r)
{
	const char	*uri = http_str(rq, F_URI);

	if (uri == NULL || uri[0] != '/') {
		http_error(rq, r, 400, "Say which thread: ?uri= the path of "
		    "the page (starting with /).");
		return NULL;
	}
	return uri;
}

/*
 * GET /embed?uri=URI[&title=T][&c=ID]: the thread as an HTML fragment for nginx
 * SSI or a static-site build, with forms that post without JavaScript.
 * A thread not begun yet shows its form (the first comment makes it, from
 * an allowed site).  Cached like the page.
 */
enum status
h_embed(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct page_state	 ps;
	struct poster		 p;
	const char		*uri, *title;
	enum status		 st;

	if ((uri = page_uri(rq, r)) == NULL)
		return ST_OK;
	memset(&ps, 0, sizeof(ps));
	ps.order = (int)http_id(rq, F_ORDER);
	ps.after = http_id(rq, F_AFTER);
	st = store_article_by_uri(rq->site->store, rq->arena, uri, &ar);
	if (st == ST_NOTFOUND) {
		memset(&ar, 0, sizeof(ar));
		ar.uri = uri;
		title = http_str(rq, F_TITLE);
		ar.title = title != NULL ? title : uri;
	} else if (st != ST_OK)
		return st;
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	/* ?c=ID (a link to a comment of an embedded thread): the page of
	 * the thread that holds it. */
	if (ar.id > 0 && ps.after == 0 && (st = thread_page_of(rq, &ar,
	    http_id(rq, F_C), ps.order, p.own, &ps.after)) != ST_OK)
		return st;
	if (ar.id == 0)
		http_header(r, "Cache-Control", "no-cache");
	else if (cache_begin(rq, r, 'e', &ar, p.own->n > 0))
		return ST_OK;
	return page_thread(rq, r, &ar, &ps, &p, 1);
}

/* The page of the embedding site a reader goes back to. */
static const char *
return_url(struct req *rq, const char *uri, long long id)
{
	if (http_origin_allowed(rq))
		return arena_printf(rq->arena, "%s%s#c%lld", rq->origin, uri,
		    id);
	return NULL;
}

/*
 * POST /embed/comments?uri=URI: the fragment's form.  Creates the thread
 * on its first comment from an allowed site, then goes back to the page
 * the reader came from (303), or, refused, shows the thread with the
 * message and the text.
 */
enum status
h_embed_post(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct comment_input	 in;
	struct posted		 out;
	struct refusal		 ref;
	struct poster		 p;
	const struct refusal	*bad;
	const char		*uri, *where;
	enum status		 st;

	if ((uri = http_str(rq, F_URI)) == NULL) {
		http_error(rq, r, 400, "Say which thread: ?uri=.");
		return ST_OK;
	}
	st = comments_thread(rq->site, rq->arena, uri, http_str(rq, F_TITLE),
	    http_origin_allowed(rq), &ar, &ref);
	if (st == ST_INPUT) {
		/* Here, an unknown thread means a site we do not serve. */
		if (ref.why == RS_NO_THREAD)
			ref.why = RS_NOT_ALLOWED;
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	if ((bad = page_bad_field(rq)) != NULL)
		return page_refused(rq, r, &ar, bad, http_id(rq, F_PARENT), 0,
		    1);
	if (http_str(rq, F_PREVIEW) != NULL)
		return page_preview(rq, r, &ar, http_id(rq, F_PARENT), 0, 1);
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	page_input(rq, &in);
	st = comments_post(rq->site, rq->arena, &ar, &in, &p, &out, &ref);
	if (st == ST_INPUT || reason_trouble(st, &ref))
		return page_refused(rq, r, &ar, &ref, in.parent, 0, 1);
	if (st != ST_OK)
		return st;
	http_author_cookie(rq, r, out.c.id, out.token);
	if ((where = return_url(rq, uri, out.c.id)) != NULL) {
		r->status = 303;
		http_header(r, "Location", where);
		r->ctype = "text/plain; charset=utf-8";
		buf_puts(&r->body, "See Other\n");
		return ST_OK;
	}
	if ((where = arena_printf(rq->arena, "/articles/%lld?posted=%lld#c%lld",
	    out.c.article, out.c.id, out.c.id)) == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, where);
	return ST_OK;
}
