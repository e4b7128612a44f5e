/* pages.c: the reader pages: the article list and an article's thread */
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/arena.h"
#include "core/config.h"
#include "auth/auth.h"
#include "http/cache.h"
#include "web/handlers.h"
#include "http/http.h"
#include "http/parse.h"
#include "core/utf8.h"
#include "domain/post.h"
#include "http/route.h"
#include "store/store.h"
#include "render/views.h"

#define INDEX_PAGE 50

static long long
qs_id(const struct req *rq, const char *key)
{
	const struct kv *kv = kv_find(&rq->qs, key);

	return kv != NULL ? text_id(kv->val, kv->vlen) : 0;
}

enum status
h_index(struct req *rq, struct resp *r)
{
	struct article	*v;
	size_t		 n;
	long long	 before, at, next_id = 0, next_at = 0;
	enum status	 st;

	before = qs_id(rq, "before");
	at = qs_id(rq, "at");
	if ((st = store_article_list(rq->ctx->store, rq->arena, at, before,
	    INDEX_PAGE + 1, &v, &n)) != ST_OK)
		return st;
	if (n > INDEX_PAGE) {
		n = INDEX_PAGE;
		next_id = v[n - 1].id;
		next_at = v[n - 1].created;
	}
	http_header(r, "Cache-Control", "no-cache");
	view_index(rq, &r->body, v, n, next_at, next_id);
	return ST_OK;
}

/*
 * Render the article page: used for GET and, with the reader's input and
 * an error, for a refused post (the page again, nothing lost).
 */
static enum status
article_page(struct req *rq, struct resp *r, const struct article *ar,
    struct page_state *ps)
{
	struct thread_page	 pg;
	struct authored		*own;
	enum status		 st;

	if ((own = arena_calloc(rq->arena, 1, sizeof(*own))) == NULL)
		return ST_NOMEM;
	post_authored(rq, NULL, own);
	ps->own = own;
	ps->now = (long long)time(NULL);
	if (ps->posted > 0 && ps->notice == PS_NONE) {
		struct comment c;

		/* Only the author learns what became of their comment. */
		if (post_authored_has(own, ps->posted) &&
		    store_comment_get(rq->ctx->store, rq->arena, ps->posted,
		    &c) == ST_OK)
			ps->notice = c.status == CS_APPROVED ? PS_PUBLISHED :
			    PS_PENDING;
		else
			ps->posted = 0;
	}
	if ((st = store_thread_page(rq->ctx->store, rq->arena, ar->id,
	    ps->after, ps->newest, (int)rq->ctx->cfg->page_size, own->json,
	    &pg)) != ST_OK)
		return st;
	view_article(rq, &r->body, ar, &pg, ps);
	return ST_OK;
}

enum status
h_article(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct page_state	 ps;
	const char		*order, *key;
	enum status		 st;

	if ((st = store_article_get(rq->ctx->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	memset(&ps, 0, sizeof(ps));
	order = kv_get(&rq->qs, "order");
	ps.newest = order != NULL && strcmp(order, "newest") == 0;
	ps.after = qs_id(rq, "after");
	ps.reply_to = qs_id(rq, "reply");
	ps.edit_id = qs_id(rq, "edit");
	ps.posted = qs_id(rq, "posted");
	/*
	 * The version moves with every visible change to the thread, the
	 * query picks the page, and readers without cookies get the same
	 * bytes: render once a version.  A reader with author tokens sees
	 * their own pending comments: their page is private, never shared.
	 */
	if (cache_public(rq, r, 'a', &ar, 0, &key))
		return ST_OK;
	if (key != NULL && cache_get(key, &r->body, http_form_token(rq)))
		return ST_OK;
	if ((st = article_page(rq, r, &ar, &ps)) != ST_OK)
		return st;
	if (key != NULL && !r->body.err)
		cache_put(key, r->body.p, r->body.len, CACHE_TOKEN);
	return ST_OK;
}

/* --- posting from the page's forms --------------------------------------- */

static void
take(const struct req *rq, const char *name, struct field *f)
{
	const struct kv *kv = kv_find(&rq->form, name);

	f->s = kv != NULL ? kv->val : NULL;
	f->n = kv != NULL ? kv->vlen : 0;
}

/* The comment form's fields, as the reader sent them. */
static void
form_input(const struct req *rq, struct comment_input *in)
{
	memset(in, 0, sizeof(*in));
	take(rq, "parent", &in->parent);
	take(rq, "author", &in->author);
	take(rq, "email", &in->email);
	take(rq, "website", &in->website);
	take(rq, "body", &in->body);
	take(rq, "ts", &in->form_token);
	take(rq, "hp", &in->honeypot);
	take(rq, "title", &in->title);
}

/* The refused form again, with the status, the message and the text. */
static enum status
refused(struct req *rq, struct resp *r, const struct article *ar,
    const struct post_error *err, long long reply_to, long long edit_id)
{
	struct form_values	*fv;
	struct page_state	 ps;

	if ((fv = arena_calloc(rq->arena, 1, sizeof(*fv))) == NULL)
		return ST_NOMEM;
	fv->parent = kv_get(&rq->form, "parent");
	fv->author = kv_get(&rq->form, "author");
	fv->email = kv_get(&rq->form, "email");
	fv->website = kv_get(&rq->form, "website");
	fv->body = kv_get(&rq->form, "body");
	memset(&ps, 0, sizeof(ps));
	ps.form = fv;
	ps.error = err->msg;
	ps.error_field = err->field;
	ps.reply_to = reply_to;
	ps.edit_id = edit_id;
	r->status = err->code;
	if (err->retry_after > 0)
		http_headerf(r, "Retry-After", "%ld", err->retry_after);
	http_header(r, "Cache-Control", "no-store");
	return article_page(rq, r, ar, &ps);
}

enum status
h_comment_post(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct comment_input	 in;
	struct post_result	 res;
	struct post_error	 err;
	long long		 before = 0, reply_to;
	const char		*where;
	enum status		 st;

	if ((st = store_article_get(rq->ctx->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	form_input(rq, &in);
	st = post_comment(rq, &ar, &in, &res, &err);
	if (st == ST_INPUT) {
		reply_to = in.parent.s != NULL ? text_id(in.parent.s,
		    in.parent.n) : 0;
		return refused(rq, r, &ar, &err, reply_to, 0);
	}
	if (st != ST_OK)
		return st;
	post_cookie_add(rq, r, &res);
	/* Back to the page that holds it: keyset, so from its root on when
	 * the root is not on the first page. */
	if (store_roots_before(rq->ctx->store, ar.id, res.root,
	    (int)rq->ctx->cfg->page_size, &before) == ST_OK &&
	    before >= rq->ctx->cfg->page_size)
		where = arena_printf(rq->arena, "/articles/%lld?after=%lld&"
		    "posted=%lld#c%lld", ar.id, res.root - 1, res.id, res.id);
	else
		where = arena_printf(rq->arena, "/articles/%lld?posted=%lld#c"
		    "%lld", ar.id, res.id, res.id);
	if (where == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, where);
	return ST_OK;
}

static enum status
author_change(struct req *rq, struct resp *r, int remove)
{
	struct article		 ar;
	struct post_error	 err;
	struct field		 body;
	struct page_state	 ps;
	const char		*html;
	long long		 id = rq->arg[1];
	enum status		 st;

	if ((st = store_article_get(rq->ctx->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	/* The author's token is in their cookie. */
	if (remove)
		st = post_delete(rq, id, NULL);
	else {
		take(rq, "body", &body);
		st = post_edit(rq, id, NULL, &body, &html, &err);
		if (st == ST_INPUT)
			return refused(rq, r, &ar, &err, 0, id);
	}
	if (st == ST_FORBIDDEN) {
		route_error(rq, r, 403, "You can no longer change this "
		    "comment: the time to edit it has passed, or it is not "
		    "yours.");
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	/* Fresh data after the change: show the page with a notice. */
	if ((st = store_article_get(rq->ctx->store, rq->arena, ar.id, &ar)) !=
	    ST_OK)
		return st;
	memset(&ps, 0, sizeof(ps));
	ps.notice = remove ? PS_DELETED : PS_EDITED;
	http_header(r, "Cache-Control", "no-store");
	return article_page(rq, r, &ar, &ps);
}

enum status
h_comment_edit(struct req *rq, struct resp *r)
{
	return author_change(rq, r, 0);
}

enum status
h_comment_delete(struct req *rq, struct resp *r)
{
	return author_change(rq, r, 1);
}

/* --- the fragment for other sites ---------------------------------------- */

/*
 * GET /embed?uri=URI[&title=T]: the thread as an HTML fragment for nginx
 * SSI or a static-site build, with forms that post without JavaScript.
 * A thread not begun yet shows its form (the first comment makes it, from
 * an allowed site).  Cached like the page.
 */
enum status
h_embed(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct page_state	 ps;
	struct thread_page	 pg;
	struct authored		 own;
	const char		*uri, *title, *order, *key;
	enum status		 st;

	uri = kv_get(&rq->qs, "uri");
	if (uri == NULL || *uri != '/' || strlen(uri) > 1024 ||
	    !utf8_check(uri, strlen(uri)) || strpbrk(uri, "\r\n\t") != NULL) {
		route_error(rq, r, 400, "Say which thread: ?uri= the path of "
		    "the page (starting with /).");
		return ST_OK;
	}
	memset(&ps, 0, sizeof(ps));
	order = kv_get(&rq->qs, "order");
	ps.newest = order != NULL && strcmp(order, "newest") == 0;
	ps.after = qs_id(rq, "after");
	ps.now = (long long)time(NULL);
	memset(&pg, 0, sizeof(pg));
	st = store_article_by_uri(rq->ctx->store, rq->arena, uri, &ar);
	if (st == ST_NOTFOUND) {
		memset(&ar, 0, sizeof(ar));
		ar.uri = uri;
		title = kv_get(&rq->qs, "title");
		ar.title = title != NULL && utf8_check(title, strlen(title)) ?
		    title : uri;
	} else if (st != ST_OK)
		return st;
	post_authored(rq, NULL, &own);
	ps.own = &own;
	key = NULL;
	if (ar.id == 0)
		http_header(r, "Cache-Control", "no-cache");
	else if (cache_public(rq, r, 'e', &ar, own.n > 0, &key))
		return ST_OK;
	if (key != NULL && cache_get(key, &r->body, http_form_token(rq)))
		return ST_OK;
	if (ar.id > 0 && (st = store_thread_page(rq->ctx->store, rq->arena,
	    ar.id, ps.after, ps.newest, (int)rq->ctx->cfg->page_size,
	    own.json, &pg)) != ST_OK)
		return st;
	view_embed(rq, &r->body, &ar, &pg, &ps);
	if (key != NULL && !r->body.err)
		cache_put(key, r->body.p, r->body.len, CACHE_TOKEN);
	return ST_OK;
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
 * the reader came from (303), or, refused, shows palaver's own page of
 * the thread with the message and the text.
 */
enum status
h_embed_post(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct comment_input	 in;
	struct post_result	 res;
	struct post_error	 err;
	struct field		 title;
	const char		*uri, *where;
	enum status		 st;

	if ((uri = kv_get(&rq->qs, "uri")) == NULL) {
		route_error(rq, r, 400, "Say which thread: ?uri=.");
		return ST_OK;
	}
	take(rq, "title", &title);
	st = post_article_first_use(rq, uri, &title, &ar);
	if (st == ST_NOTFOUND) {
		route_error(rq, r, 403, "Comments for this page are not "
		    "accepted here: its site is not one of palaver's allowed "
		    "origins.");
		return ST_OK;
	}
	if (st == ST_INPUT) {
		route_error(rq, r, 422, "The page's address or title is not "
		    "acceptable.");
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	form_input(rq, &in);
	st = post_comment(rq, &ar, &in, &res, &err);
	if (st == ST_INPUT)
		return refused(rq, r, &ar, &err, in.parent.s != NULL ?
		    text_id(in.parent.s, in.parent.n) : 0, 0);
	if (st != ST_OK)
		return st;
	post_cookie_add(rq, r, &res);
	if ((where = return_url(rq, uri, res.id)) != NULL) {
		r->status = 303;
		http_header(r, "Location", where);
		r->ctype = "text/plain; charset=utf-8";
		buf_puts(&r->body, "See Other\n");
		return ST_OK;
	}
	if ((where = arena_printf(rq->arena, "/articles/%lld?posted=%lld#c%lld",
	    res.article, res.id, res.id)) == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, where);
	return ST_OK;
}
