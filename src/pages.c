/* pages.c: the reader pages: the article list and an article's thread */
#include <string.h>

#include "arena.h"
#include "config.h"
#include "handlers.h"
#include "store.h"
#include "views.h"

#define INDEX_PAGE 50

static long long
qs_id(const struct req *rq, const char *key)
{
	const struct kv *kv = kv_find(&rq->qs, key);

	return kv != NULL ? parse_id(kv->val, kv->vlen) : 0;
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

enum status
h_article(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct thread_page	 pg;
	const char		*order, *etag;
	long long		 after;
	int			 newest;
	enum status		 st;

	if ((st = store_article_get(rq->ctx->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	order = kv_get(&rq->qs, "order");
	newest = order != NULL && strcmp(order, "newest") == 0;
	after = qs_id(rq, "after");
	/* The version moves with every visible change to the thread; the
	 * query picks the page. */
	etag = arena_printf(rq->arena, "\"a%lld-v%lld-%s-%lld\"", ar.id,
	    ar.version, newest ? "n" : "o", after);
	if (etag == NULL)
		return ST_NOMEM;
	http_header(r, "ETag", etag);
	http_header(r, "Cache-Control", "no-cache");
	if (http_etag_match(rq, etag)) {
		r->status = 304;
		return ST_OK;
	}
	if ((st = store_thread_page(rq->ctx->store, rq->arena, ar.id, after,
	    newest, (int)rq->ctx->cfg->page_size, &pg)) != ST_OK)
		return st;
	view_article(rq, &r->body, &ar, &pg, newest);
	return ST_OK;
}
