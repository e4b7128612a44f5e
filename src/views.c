/* views.c: the HTML pages, written through html.h; no database here */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "html.h"
#include "http.h"
#include "store.h"
#include "views.h"

static void
url(struct req *rq, struct buf *b, const char *path)
{
	html_attr(b, rq->ctx->cfg->base_path);
	html_attr(b, path);
}

static void
page_open(struct req *rq, struct buf *b, const char *title)
{
	const struct config *cfg = rq->ctx->cfg;

	html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	if (title != NULL) {
		html_text(b, title);
		html_raw(b, " \xe2\x80\x94 ");
	}
	html_text(b, cfg->site_name);
	html_raw(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	url(rq, b, "/static/palaver.css");
	html_raw(b, "\">\n</head>\n<body>\n<header class=\"site\"><a href=\"");
	url(rq, b, "/");
	html_raw(b, "\">");
	html_text(b, cfg->site_name);
	html_raw(b, "</a></header>\n<main>\n");
}

static void
page_close(struct buf *b)
{
	html_raw(b, "</main>\n<footer class=\"site\">Comments by "
	    "palaver</footer>\n</body>\n</html>\n");
}

/* A <time> element for unix seconds, in UTC. */
static void
timestamp(struct buf *b, long long t)
{
	char		 iso[32], human[64];
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 ||
	    strftime(human, sizeof(human), "%-d %b %Y, %H:%M UTC", &tm) == 0)
		return;
	html_raw(b, "<time datetime=\"");
	html_attr(b, iso);
	html_raw(b, "\">");
	html_text(b, human);
	html_raw(b, "</time>");
}

void
view_error(struct req *rq, struct buf *b, int code, const char *msg)
{
	page_open(rq, b, http_status_text(code));
	html_raw(b, "<section class=\"error\">\n<h1>");
	html_text(b, http_status_text(code));
	html_raw(b, "</h1>\n<p>");
	html_text(b, msg);
	html_raw(b, "</p>\n<p><a href=\"");
	url(rq, b, "/");
	html_raw(b, "\">All articles</a></p>\n</section>\n");
	page_close(b);
}

static void
count_text(struct buf *b, long long n)
{
	html_int(b, n);
	html_raw(b, n == 1 ? " comment" : " comments");
}

void
view_index(struct req *rq, struct buf *b, const struct article *v, size_t n,
    long long next_created, long long next_id)
{
	size_t	 i;
	char	 path[64];

	page_open(rq, b, "Articles");
	html_raw(b, "<h1>Articles</h1>\n");
	if (n == 0)
		html_raw(b, "<p class=\"empty\">No articles yet.</p>\n");
	else
		html_raw(b, "<ul class=\"articles\">\n");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/articles/%lld", v[i].id);
		html_raw(b, "<li><a href=\"");
		url(rq, b, path);
		html_raw(b, "\">");
		html_text(b, v[i].title);
		html_raw(b, "</a> <span class=\"meta\">");
		timestamp(b, v[i].created);
		html_raw(b, " \xc2\xb7 ");
		count_text(b, v[i].ncomments);
		if (v[i].closed)
			html_raw(b, " \xc2\xb7 closed");
		html_raw(b, "</span></li>\n");
	}
	if (n > 0)
		html_raw(b, "</ul>\n");
	if (next_id > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		url(rq, b, "/");
		buf_printf(b, "?before=%lld&amp;at=%lld", next_id,
		    next_created);
		html_raw(b, "\">Older articles</a></nav>\n");
	}
	page_close(b);
}

/* One comment, without closing its <li>: replies nest inside it. */
static void
comment_open(struct req *rq, struct buf *b, const struct comment *c,
    int placeholder, const struct comment *parent, int flattened)
{
	(void)rq;
	html_raw(b, "<li class=\"comment\" id=\"c");
	html_int(b, c->id);
	html_raw(b, "\">\n<article>\n");
	if (placeholder) {
		html_raw(b, "<p class=\"gone\">");
		html_raw(b, c->status == CS_DELETED ? "This comment was "
		    "deleted." : "This comment is not shown.");
		html_raw(b, "</p>\n</article>\n");
		return;
	}
	html_raw(b, "<header><span class=\"author\">");
	if (c->website != NULL && html_url_ok(c->website)) {
		html_raw(b, "<a href=\"");
		html_attr(b, c->website);
		html_raw(b, "\" rel=\"nofollow ugc noopener\">");
		html_text(b, c->author);
		html_raw(b, "</a>");
	} else
		html_text(b, c->author);
	html_raw(b, "</span> <a class=\"permalink\" href=\"#c");
	html_int(b, c->id);
	html_raw(b, "\">");
	timestamp(b, c->created);
	html_raw(b, "</a>");
	if (c->edited)
		html_raw(b, " <span class=\"edited\">(edited)</span>");
	if (flattened && parent != NULL) {
		html_raw(b, " <a class=\"in-reply-to\" href=\"#c");
		html_int(b, parent->id);
		html_raw(b, "\">in reply to ");
		html_text(b, parent->author);
		html_raw(b, "</a>");
	}
	html_raw(b, "</header>\n<div class=\"body\">");
	/* Rendered and sanitised once, at write time, by markup.c. */
	html_raw(b, c->html);
	html_raw(b, "</div>\n</article>\n");
}

/*
 * The comments of a page as nested lists.  Rows come depth-first; a
 * comment that is not approved is left out, unless replies under it are
 * shown, when a placeholder keeps the thread's shape.  Levels past
 * max_depth are drawn at max_depth with an "in reply to" link.
 */
static void
thread(struct req *rq, struct buf *b, const struct thread_page *pg)
{
	long long	*parent, *stack;
	char		*shown;
	size_t		 i, maxd;
	long		 cur = 0, d;
	int		 first = 1;

	maxd = (size_t)rq->ctx->cfg->max_depth;
	parent = arena_calloc(rq->arena, pg->n + 1, sizeof(*parent));
	shown = arena_calloc(rq->arena, pg->n + 1, 1);
	stack = NULL;
	if (parent == NULL || shown == NULL) {
		b->err = 1;
		return;
	}
	/* Parents by position: the last row seen one level up. */
	{
		size_t	 sdepth = 1;
		int	 maxdepth = 0;

		for (i = 0; i < pg->n; i++)
			if (pg->v[i].depth > maxdepth)
				maxdepth = pg->v[i].depth;
		sdepth = (size_t)maxdepth + 1;
		if ((stack = arena_calloc(rq->arena, sdepth,
		    sizeof(*stack))) == NULL) {
			b->err = 1;
			return;
		}
		for (i = 0; i < pg->n; i++) {
			int dd = pg->v[i].depth;

			parent[i] = dd > 0 ? stack[dd - 1] : -1;
			stack[dd] = (long long)i;
			shown[i] = pg->v[i].status == CS_APPROVED;
		}
	}
	for (i = pg->n; i > 0; i--)
		if (shown[i - 1] && parent[i - 1] >= 0 &&
		    !shown[parent[i - 1]])
			shown[parent[i - 1]] = 2;

	html_raw(b, "<ol class=\"thread\">\n");
	for (i = 0; i < pg->n; i++) {
		const struct comment *c = &pg->v[i];

		if (!shown[i])
			continue;
		d = c->depth > (int)maxd ? (long)maxd : c->depth;
		if (!first) {
			if (d > cur)
				html_raw(b, "<ol class=\"replies\">\n");
			else {
				html_raw(b, "</li>\n");
				for (; cur > d; cur--)
					html_raw(b, "</ol>\n</li>\n");
			}
		}
		first = 0;
		cur = d;
		comment_open(rq, b, c, shown[i] == 2, parent[i] >= 0 ?
		    &pg->v[parent[i]] : NULL, c->depth > (int)maxd);
	}
	if (!first) {
		html_raw(b, "</li>\n");
		for (; cur > 0; cur--)
			html_raw(b, "</ol>\n</li>\n");
	}
	html_raw(b, "</ol>\n");
}

void
view_article(struct req *rq, struct buf *b, const struct article *ar,
    const struct thread_page *pg, int newest)
{
	char	 path[64];

	snprintf(path, sizeof(path), "/articles/%lld", ar->id);
	page_open(rq, b, ar->title);
	html_raw(b, "<article class=\"post\">\n<h1>");
	html_text(b, ar->title);
	html_raw(b, "</h1>\n<p class=\"meta\">");
	timestamp(b, ar->created);
	html_raw(b, "</p>\n");
	if (ar->body_html != NULL) {
		html_raw(b, "<div class=\"body\">");
		html_raw(b, ar->body_html);	/* rendered by markup.c */
		html_raw(b, "</div>\n");
	}
	html_raw(b, "</article>\n<section class=\"comments\" "
	    "id=\"comments\" aria-labelledby=\"comments-h\">\n"
	    "<h2 id=\"comments-h\">");
	count_text(b, ar->ncomments);
	html_raw(b, "</h2>\n");
	if (ar->ncomments > 1) {
		html_raw(b, "<nav class=\"order\">Order: <a href=\"");
		url(rq, b, path);
		html_raw(b, "#comments\"");
		if (!newest)
			html_raw(b, " aria-current=\"true\"");
		html_raw(b, ">oldest first</a> \xc2\xb7 <a href=\"");
		url(rq, b, path);
		html_raw(b, "?order=newest#comments\"");
		if (newest)
			html_raw(b, " aria-current=\"true\"");
		html_raw(b, ">newest first</a></nav>\n");
	}
	if (pg->n > 0)
		thread(rq, b, pg);
	else
		html_raw(b, "<p class=\"empty\">No comments yet.</p>\n");
	if (pg->next > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		url(rq, b, path);
		buf_printf(b, "?after=%lld%s#comments", pg->next,
		    newest ? "&amp;order=newest" : "");
		html_raw(b, "\">More comments</a></nav>\n");
	}
	if (ar->closed)
		html_raw(b, "<p class=\"closed\">Comments are closed.</p>\n");
	html_raw(b, "</section>\n");
	page_close(b);
}
