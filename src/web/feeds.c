/* feeds.c: Atom feeds of approved comments: the site's and a thread's */
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "auth/auth.h"
#include "store/store.h"
#include "render/feed.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "web/web.h"

/* Entries a feed carries: what a reader catches up on between polls. */
#define FEED_ENTRIES	50

/* palaver's own address: [site] base_url, else what the request was
 * sent to (a Host of plain characters only). */
static const char *
self_base(struct req *rq)
{
	const struct config	*cfg = rq->site->cfg;
	const char		*host = rq->host;
	size_t			 n = strlen(cfg->base_url);

	if (n > 0) {
		while (n > 0 && cfg->base_url[n - 1] == '/')
			n--;
		return arena_strndup(rq->arena, cfg->base_url, n);
	}
	if (host == NULL || *host == '\0' || strspn(host, "abcdefghijklmnop"
	    "qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
	    strlen(host))
		host = "localhost";
	return arena_printf(rq->arena, "%s://%s%s", rq->https ? "https" :
	    "http", host, cfg->base_path);
}

static enum status
feed(struct req *rq, struct resp *r, const struct article *ar)
{
	struct feed_entry	*v;
	struct feed_info	 fi;
	size_t			 n;
	char			 h[33];
	const char		*etag;
	enum status		 st;

	if ((st = store_feed(rq->site->store, rq->arena, ar != NULL ? ar->id :
	    0, FEED_ENTRIES, &v, &n)) != ST_OK)
		return st;
	memset(&fi, 0, sizeof(fi));
	if ((fi.base = self_base(rq)) == NULL)
		return ST_NOMEM;
	if (ar != NULL) {
		fi.title = arena_printf(rq->arena, "Comments on %s", ar->title);
		fi.self = arena_printf(rq->arena, "%s/articles/%lld/feed",
		    fi.base, ar->id);
		fi.alternate = arena_printf(rq->arena, "%s/articles/%lld",
		    fi.base, ar->id);
		fi.updated = ar->created;
	} else {
		fi.title = arena_printf(rq->arena, "Comments on %s",
		    rq->site->cfg->site_name);
		fi.self = arena_printf(rq->arena, "%s/feed", fi.base);
		fi.alternate = arena_printf(rq->arena, "%s/", fi.base);
	}
	if (fi.title == NULL || fi.self == NULL || fi.alternate == NULL)
		return ST_NOMEM;
	feed_write(&r->body, &fi, v, n);
	if (r->body.err)
		return ST_NOMEM;
	/* The feed's own bytes name it: any change of what it shows (a new
	 * comment, an edit, a title) is a new tag. */
	auth_text_hash(r->body.p, r->body.len, h);
	if ((etag = arena_printf(rq->arena, "\"f%s\"", h)) == NULL)
		return ST_NOMEM;
	r->ctype = "application/atom+xml; charset=utf-8";
	http_header(r, "ETag", etag);
	http_header(r, "Cache-Control", "no-cache");
	if (http_etag_match(rq, etag)) {
		r->status = 304;
		buf_reset(&r->body);
	}
	return ST_OK;
}

/* GET /feed: the site's newest approved comments; ?uri=: a thread's, by
 * the key an embedding page uses. */
enum status
h_feed(struct req *rq, struct resp *r)
{
	struct article	 ar;
	struct refusal	 ref;
	const char	*uri = http_str(rq, F_URI);
	enum status	 st;

	if (uri == NULL)
		return feed(rq, r, NULL);
	st = store_article_by_uri(rq->site->store, rq->arena, uri, &ar);
	if (st == ST_NOTFOUND) {
		refuse(&ref, RS_NO_THREAD, "uri");
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	return feed(rq, r, &ar);
}

/* GET /articles/{id}/feed */
enum status
h_article_feed(struct req *rq, struct resp *r)
{
	struct article	 ar;
	enum status	 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	return feed(rq, r, &ar);
}
