/* pages.c: the reader pages: the article list, an article's thread, and
 * posting, editing and deleting from its forms */
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

#define INDEX_PAGE 50

enum status
h_index(struct req *rq, struct resp *r)
{
	struct article	*v;
	struct view	 vw;
	size_t		 n;
	long long	 next_id = 0, next_at = 0;
	enum status	 st;

	if ((st = store_article_list(rq->site->store, rq->arena,
	    http_id(rq, F_AT), http_id(rq, F_BEFORE), INDEX_PAGE + 1, 0, &v,
	    &n)) != ST_OK)
		return st;
	if (n > INDEX_PAGE) {
		n = INDEX_PAGE;
		next_id = v[n - 1].id;
		next_at = v[n - 1].created;
	}
	http_header(r, "Cache-Control", "no-cache");
	http_view(rq, &vw, 0);
	vw.feed = "/feed";
	view_index(&vw, &r->body, v, n, next_at, next_id);
	return ST_OK;
}

enum status
page_thread(struct req *rq, struct resp *r, const struct article *ar,
    struct page_state *ps, const struct poster *p, int embed)
{
	struct thread_page	*pg;
	struct thread_view	*tv;
	struct view		 vw;
	struct comment		 c;
	enum status		 st;

	pg = arena_calloc(rq->arena, 1, sizeof(*pg));
	tv = arena_calloc(rq->arena, 1, sizeof(*tv));
	if (pg == NULL || tv == NULL)
		return ST_NOMEM;
	if (ps->posted > 0 && ps->notice == PS_NONE) {
		/* Only the author learns what became of their comment. */
		if (authored_has(p->own, ps->posted) &&
		    store_comment_get(rq->site->store, rq->arena, ps->posted,
		    &c) == ST_OK)
			ps->notice = c.status == CS_APPROVED ? PS_PUBLISHED :
			    c.status == CS_SPAM && rq->site->cfg->tell_spam ?
			    PS_SPAM : PS_PENDING;
		else
			ps->posted = 0;
	}
	if (ar->id > 0 && (st = store_thread_page(rq->site->store, rq->arena,
	    ar->id, ps->after, ps->newest, (int)rq->site->cfg->page_size,
	    p->own->json, pg)) != ST_OK)
		return st;
	if ((st = thread_view_make(rq->arena, pg, p->own, tv)) != ST_OK)
		return st;
	ps->tv = tv;
	http_view(rq, &vw, embed);
	if (!embed && ar->id > 0 && (vw.feed = arena_printf(rq->arena,
	    "/articles/%lld/feed", ar->id)) == NULL)
		return ST_NOMEM;
	if (embed)
		view_embed(&vw, &r->body, ar, ps);
	else
		view_article(&vw, &r->body, ar, ps);
	return ST_OK;
}

enum status
h_article(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct page_state	 ps;
	struct poster		 p;
	enum status		 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	memset(&ps, 0, sizeof(ps));
	ps.newest = http_id(rq, F_ORDER) == 1;
	ps.after = http_id(rq, F_AFTER);
	ps.reply_to = http_id(rq, F_REPLY);
	ps.edit_id = http_id(rq, F_EDIT);
	ps.posted = http_id(rq, F_POSTED);
	/*
	 * The version moves with every visible change to the thread, the
	 * fields pick the page, and readers without cookies get the same
	 * bytes: render once a version.  A reader with author tokens sees
	 * their own pending comments: their page is private, never shared.
	 */
	if (cache_begin(rq, r, 'a', &ar, 0))
		return ST_OK;
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	return page_thread(rq, r, &ar, &ps, &p, 0);
}

/* --- posting from the page's forms --------------------------------------- */

void
page_input(const struct req *rq, struct comment_input *in)
{
	memset(in, 0, sizeof(*in));
	in->parent = http_id(rq, F_PARENT);
	in->author = http_str(rq, F_AUTHOR);
	in->email = http_str(rq, F_EMAIL);
	in->website = http_str(rq, F_WEBSITE);
	in->body = http_str(rq, F_BODY);
	in->form_token = http_str(rq, F_TS);
	in->honeypot = http_str(rq, F_HP);
	in->notify = http_str(rq, F_NOTIFY) != NULL;
}

enum status
page_refused(struct req *rq, struct resp *r, const struct article *ar,
    const struct refusal *ref, long long reply_to, long long edit_id,
    int embed)
{
	struct form_values	*fv;
	struct page_state	 ps;
	struct poster		 p;
	enum status		 st;

	if ((fv = arena_calloc(rq->arena, 1, sizeof(*fv))) == NULL)
		return ST_NOMEM;
	/* Everything typed goes back into the form, as it was typed. */
	fv->parent = http_raw(rq, F_PARENT);
	fv->author = http_raw(rq, F_AUTHOR);
	fv->email = http_raw(rq, F_EMAIL);
	fv->website = http_raw(rq, F_WEBSITE);
	fv->body = http_raw(rq, F_BODY);
	fv->notify = http_str(rq, F_NOTIFY) != NULL;
	memset(&ps, 0, sizeof(ps));
	ps.form = fv;
	ps.error = reason_message(rq->arena, ref);
	ps.error_field = ref->field;
	ps.reply_to = reply_to;
	ps.edit_id = edit_id;
	r->status = reason_status(ref);
	if (ref->retry > 0)
		http_headerf(r, "Retry-After", "%ld", ref->retry);
	http_header(r, "Cache-Control", "no-store");
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	/* A refused form is shown on palaver's own page of the thread;
	 * a thread not begun yet has none, so the fragment stands in. */
	return page_thread(rq, r, ar, &ps, &p, embed && ar->id == 0);
}

/* The first bad field of a form, as the domain would refuse it. */
const struct refusal *
page_bad_field(const struct req *rq)
{
	return rq->bad != F__MAX ? &rq->f[rq->bad].why : NULL;
}

const char *
page_holding(struct req *rq, const struct comment *c, int newest,
    const char *extra)
{
	struct buf	 q = BUF_INIT;
	const char	*rv;
	long long	 n = 0, limit = rq->site->cfg->page_size;
	enum status	 st;

	/* Keyset pages: from the comment's root on when it is not on the
	 * first page in this order. */
	st = newest ? store_roots_after(rq->site->store, c->article, c->root,
	    (int)limit, &n) : store_roots_before(rq->site->store, c->article,
	    c->root, (int)limit, &n);
	if (st != ST_OK)
		n = 0;
	if (newest)
		buf_puts(&q, "&order=newest");
	if (n >= limit)
		buf_printf(&q, "&after=%lld", newest ? c->root + 1 :
		    c->root - 1);
	if (extra != NULL)
		buf_printf(&q, "&%s", extra);
	rv = q.err ? NULL : arena_printf(rq->arena, "/articles/%lld%s%s#c%lld",
	    c->article, q.len > 0 ? "?" : "", q.len > 0 ? q.p + 1 : "",
	    c->id);
	buf_free(&q);
	return rv;
}

enum status
h_comment_post(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct comment_input	 in;
	struct posted		 out;
	struct refusal		 ref;
	struct poster		 p;
	const struct refusal	*bad;
	const char		*where;
	enum status		 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	if ((bad = page_bad_field(rq)) != NULL)
		return page_refused(rq, r, &ar, bad, http_id(rq, F_PARENT), 0,
		    0);
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	page_input(rq, &in);
	st = comments_post(rq->site, rq->arena, &ar, &in, &p, &out, &ref);
	if (st == ST_INPUT || reason_trouble(st, &ref))
		return page_refused(rq, r, &ar, &ref, in.parent, 0, 0);
	if (st != ST_OK)
		return st;
	http_author_cookie(rq, r, out.c.id, out.token);
	/* Back to the page that holds it, saying what became of it. */
	if ((where = page_holding(rq, &out.c, 0, arena_printf(rq->arena,
	    "posted=%lld", out.c.id))) == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, where);
	return ST_OK;
}

static enum status
author_change(struct req *rq, struct resp *r, int remove)
{
	struct article		 ar;
	struct refusal		 ref;
	struct page_state	 ps;
	struct poster		 p;
	const struct refusal	*bad;
	const char		*html;
	long long		 id = rq->arg[1];
	enum status		 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	if (!remove && (bad = page_bad_field(rq)) != NULL)
		return page_refused(rq, r, &ar, bad, 0, id, 0);
	/* The author's token is in their cookie. */
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	if (remove)
		st = comments_delete(rq->site, rq->arena, id, &p, &ref);
	else
		st = comments_edit(rq->site, rq->arena, id, http_str(rq,
		    F_BODY), &p, &html, &ref);
	if (!remove && reason_trouble(st, &ref))
		return page_refused(rq, r, &ar, &ref, 0, id, 0);
	if (st == ST_INPUT) {
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	/* Fresh data after the change: show the page with a notice. */
	if ((st = store_article_get(rq->site->store, rq->arena, ar.id, &ar)) !=
	    ST_OK)
		return st;
	memset(&ps, 0, sizeof(ps));
	ps.notice = remove ? PS_DELETED : PS_EDITED;
	http_header(r, "Cache-Control", "no-store");
	return page_thread(rq, r, &ar, &ps, &p, 0);
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
