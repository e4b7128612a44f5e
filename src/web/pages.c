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
#include "domain/votes.h"
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
		    &c) == ST_OK) {
			ps->notice = c.status == CS_APPROVED ? PS_PUBLISHED :
			    c.status == CS_SPAM && rq->site->cfg->tell_spam ?
			    PS_SPAM : PS_PENDING;
			ps->notice_at = ps->posted;
		} else
			ps->posted = 0;
	}
	ps->votes = rq->site->cfg->votes != 0;
	ps->votes_down = ps->votes && rq->site->cfg->votes_down;
	if (ar->id > 0 && (st = store_thread_page(rq->site->store, rq->arena,
	    ar->id, ps->after, ps->order, (int)rq->site->cfg->page_size,
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

/* What a page says happened, from its query (after a redirect). */
static const struct {
	enum field		 f;
	enum page_notice	 notice;
} page_notices[] = {
	{ F_VOTED, PS_VOTED },
	{ F_REPORTED, PS_REPORTED },
	{ F_EDITED, PS_EDITED },
	{ F_DELETED, PS_DELETED },
};

enum status
h_article(struct req *rq, struct resp *r)
{
	struct article		 ar;
	struct page_state	 ps;
	struct poster		 p;
	size_t			 i;
	enum status		 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	memset(&ps, 0, sizeof(ps));
	ps.order = (int)http_id(rq, F_ORDER);
	ps.after = http_id(rq, F_AFTER);
	ps.reply_to = http_id(rq, F_REPLY);
	ps.edit_id = http_id(rq, F_EDIT);
	ps.report_to = http_id(rq, F_REPORT);
	ps.posted = http_id(rq, F_POSTED);
	for (i = 0; i < sizeof(page_notices) / sizeof(page_notices[0]); i++)
		if (http_id(rq, page_notices[i].f) > 0) {
			ps.notice = page_notices[i].notice;
			ps.notice_at = http_id(rq, page_notices[i].f);
		}
	/*
	 * The version moves with every visible change to the thread, the
	 * fields pick the page, and readers without cookies get the same
	 * bytes: render once a version.  A reader with author tokens sees
	 * their own pending comments: their page is private, never shared;
	 * so is the page that answers a vote or a report, which must show
	 * what it changed now, not a kept copy's counts.
	 */
	if (cache_begin(rq, r, 'a', &ar, ps.notice != PS_NONE))
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

/* Everything typed goes back into the form, as it was typed. */
static struct form_values *
typed(struct req *rq)
{
	struct form_values	*fv;

	if ((fv = arena_calloc(rq->arena, 1, sizeof(*fv))) == NULL)
		return NULL;
	fv->parent = http_raw(rq, F_PARENT);
	fv->author = http_raw(rq, F_AUTHOR);
	fv->email = http_raw(rq, F_EMAIL);
	fv->website = http_raw(rq, F_WEBSITE);
	fv->body = http_raw(rq, F_BODY);
	fv->notify = http_str(rq, F_NOTIFY) != NULL;
	fv->why = http_raw(rq, F_WHY);
	fv->text = http_raw(rq, F_TEXT);
	return fv;
}

/* The thread again with a form filled in as it was sent: refused (ref),
 * or previewed (ref NULL). */
static enum status
page_again(struct req *rq, struct resp *r, const struct article *ar,
    const struct refusal *ref, struct page_state *ps, int embed)
{
	struct poster		 p;
	enum status		 st;

	if ((ps->form = typed(rq)) == NULL)
		return ST_NOMEM;
	ps->order = (int)http_id(rq, F_ORDER);
	if (ref != NULL) {
		ps->error = reason_message(rq->arena, ref);
		ps->error_field = ref->field;
		r->status = reason_status(ref);
		if (ref->retry > 0)
			http_headerf(r, "Retry-After", "%ld", ref->retry);
	}
	http_header(r, "Cache-Control", "no-store");
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	/* A refused form is shown on palaver's own page of the thread;
	 * a thread not begun yet has none, so the fragment stands in. */
	return page_thread(rq, r, ar, ps, &p, embed && ar->id == 0);
}

enum status
page_refused(struct req *rq, struct resp *r, const struct article *ar,
    const struct refusal *ref, long long reply_to, long long edit_id,
    int embed)
{
	struct page_state	 ps;

	memset(&ps, 0, sizeof(ps));
	ps.reply_to = reply_to;
	ps.edit_id = edit_id;
	return page_again(rq, r, ar, ref, &ps, embed);
}

enum status
page_preview(struct req *rq, struct resp *r, const struct article *ar,
    long long reply_to, long long edit_id, int embed)
{
	struct page_state	 ps;

	memset(&ps, 0, sizeof(ps));
	ps.reply_to = reply_to;
	ps.edit_id = edit_id;
	/* The server's own renderer: exactly what would be published. */
	if ((ps.preview = comments_render(rq->arena, http_str(rq, F_BODY),
	    NULL)) == NULL)
		return ST_NOMEM;
	return page_again(rq, r, ar, NULL, &ps, embed);
}

/* The first bad field of a form, as the domain would refuse it. */
const struct refusal *
page_bad_field(const struct req *rq)
{
	return rq->bad != F__MAX ? &rq->f[rq->bad].why : NULL;
}

long long
page_cursor(struct req *rq, const struct comment *c, int order)
{
	long long	 n = 0, above = 0, limit = rq->site->cfg->page_size;
	enum status	 st;

	/* Keyset pages: from the comment's root on when it is not on the
	 * first page in this order. */
	switch (order) {
	case ORDER_NEWEST:
		st = store_roots_after(rq->site->store, c->article, c->root,
		    (int)limit, &n);
		return st == ST_OK && n >= limit ? c->root + 1 : 0;
	case ORDER_BEST:
		st = store_roots_better(rq->site->store, c->article, c->root,
		    (int)limit, &n, &above);
		return st == ST_OK && n >= limit ? above : 0;
	default:
		st = store_roots_before(rq->site->store, c->article, c->root,
		    (int)limit, &n);
		return st == ST_OK && n >= limit ? c->root - 1 : 0;
	}
}

enum status
thread_page_of(struct req *rq, const struct article *ar, long long id,
    int order, const struct authored *own, long long *after)
{
	struct comment	 c;
	enum status	 st;

	*after = 0;
	if (id <= 0)
		return ST_OK;
	st = store_comment_get(rq->site->store, rq->arena, id, &c);
	if (st == ST_NOTFOUND || (st == ST_OK && (c.article != ar->id ||
	    (c.status != CS_APPROVED && authored_has(own, c.id) == 0))))
		return ST_OK;
	if (st == ST_OK)
		*after = page_cursor(rq, &c, order);
	return st;
}

const char *
page_holding(struct req *rq, const struct comment *c, int order,
    const char *extra)
{
	static const char *const words[ORDER__MAX] = { "oldest", "newest",
	    "best" };
	struct buf	 q = BUF_INIT;
	const char	*rv;
	long long	 after = page_cursor(rq, c, order);

	if (order > ORDER_OLDEST && order < ORDER__MAX)
		buf_printf(&q, "&order=%s", words[order]);
	if (after > 0)
		buf_printf(&q, "&after=%lld", after);
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
	if (http_str(rq, F_PREVIEW) != NULL)
		return page_preview(rq, r, &ar, http_id(rq, F_PARENT), 0, 0);
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

/*
 * The author edits or deletes their comment; on success a redirect
 * (POST-redirect-GET) to the page that holds it, so a reload never does
 * it again.
 */
static enum status
author_change(struct req *rq, struct resp *r, int remove)
{
	struct article		 ar;
	struct refusal		 ref;
	struct poster		 p;
	struct comment		 c;
	const struct refusal	*bad;
	const char		*html, *where;
	long long		 id = rq->arg[1];
	enum status		 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	if (!remove && (bad = page_bad_field(rq)) != NULL)
		return page_refused(rq, r, &ar, bad, 0, id, 0);
	if (!remove && http_str(rq, F_PREVIEW) != NULL)
		return page_preview(rq, r, &ar, 0, id, 0);
	/* The author's token is in their cookie. */
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	/* Where it stood, before it may be gone. */
	st = store_comment_get(rq->site->store, rq->arena, id, &c);
	if (st == ST_OK && c.article != ar.id)
		st = ST_NOTFOUND;
	if (st != ST_OK)
		return st;
	if ((where = page_holding(rq, &c, ORDER_OLDEST, arena_printf(rq->arena,
	    "%s=%lld", remove ? "deleted" : "edited", id))) == NULL)
		return ST_NOMEM;
	if (remove)
		st = comments_delete(rq->site, rq->arena, id, &p, &ref);
	else
		st = comments_edit(rq->site, rq->arena, id, http_str(rq,
		    F_BODY), &p, &html, &ref);
	if (!remove && (st == ST_INPUT || reason_trouble(st, &ref)))
		return page_refused(rq, r, &ar, &ref, 0, id, 0);
	if (st == ST_INPUT) {
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	http_redirect(rq, r, where);
	return ST_OK;
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

/* --- votes and reports from the page's forms ----------------------------- */

/* The comment {id} of article {id}, as the path names them. */
static enum status
path_comment(struct req *rq, struct comment *c)
{
	enum status	 st;

	st = store_comment_get(rq->site->store, rq->arena, rq->arg[1], c);
	if (st == ST_OK && c->article != rq->arg[0])
		return ST_NOTFOUND;
	return st;
}

/* POST /articles/{id}/comments/{id}/vote, field vote (and the page's
 * order): votes_cast(), then back to the comment, saying so. */
enum status
h_comment_vote(struct req *rq, struct resp *r)
{
	struct comment	 c;
	struct poster	 p;
	struct refusal	 ref;
	const char	*voter, *tok, *where;
	long long	 up, down;
	enum status	 st;

	if ((st = path_comment(rq, &c)) != ST_OK ||
	    (st = http_poster(rq, NULL, &p)) != ST_OK ||
	    (st = http_voter(rq, r, NULL, &voter, &tok)) != ST_OK)
		return st;
	st = votes_cast(rq->site, rq->arena, c.id, (int)http_id(rq, F_VOTE) -
	    1, voter, &p, &up, &down, &ref);
	if (st == ST_INPUT || reason_trouble(st, &ref)) {
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	if ((where = page_holding(rq, &c, (int)http_id(rq, F_ORDER),
	    arena_printf(rq->arena, "voted=%lld", c.id))) == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, where);
	return ST_OK;
}

/* The page again with the report form under comment c, filled in. */
static enum status
report_refused(struct req *rq, struct resp *r, const struct comment *c,
    const struct refusal *ref)
{
	struct article		 ar;
	struct page_state	 ps;
	enum status		 st;

	if ((st = store_article_get(rq->site->store, rq->arena, c->article,
	    &ar)) != ST_OK)
		return st;
	memset(&ps, 0, sizeof(ps));
	ps.report_to = c->id;
	ps.after = page_cursor(rq, c, ORDER_OLDEST);
	return page_again(rq, r, &ar, ref, &ps, 0);
}

/* POST /articles/{id}/comments/{id}/report, fields reason and text:
 * reports_file(), then back to the page, saying so. */
enum status
h_comment_report(struct req *rq, struct resp *r)
{
	struct comment		 c;
	struct poster		 p;
	struct refusal		 ref;
	const struct refusal	*bad;
	const char		*where;
	int			 held = 0;
	enum status		 st;

	if ((st = path_comment(rq, &c)) != ST_OK)
		return st;
	if ((bad = page_bad_field(rq)) != NULL)
		return report_refused(rq, r, &c, bad);
	if ((st = http_poster(rq, NULL, &p)) != ST_OK)
		return st;
	st = reports_file(rq->site, rq->arena, c.id, (enum report_reason)
	    http_id(rq, F_WHY), http_str(rq, F_TEXT), &p, &held, &ref);
	if (st == ST_INPUT && ref.why == RS_GONE)
		return ST_NOTFOUND;
	if (st == ST_INPUT || reason_trouble(st, &ref))
		return report_refused(rq, r, &c, &ref);
	if (st != ST_OK)
		return st;
	if ((where = page_holding(rq, &c, ORDER_OLDEST, arena_printf(rq->arena,
	    "reported=%lld", c.id))) == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, where);
	return ST_OK;
}
