/* mail.c: the pages the links in palaver's messages open: confirm an
 * address, stop replies (RFC 8058's one-click POST too), a moderator's
 * one-click decision; a GET shows, the page's button POSTs */
#include <string.h>

#include "core/arena.h"
#include "render/views_mail.h"
#include "domain/maillinks.h"
#include "web/web.h"

/* The form's action: this path with the token. */
static const char *
action(struct req *rq, const char *path, const char *extra)
{
	return arena_printf(rq->arena, "%s?t=%s%s", path, http_str(rq, F_T),
	    extra);
}

/* Pages for links: never cached, never indexed. */
static void
link_page(struct resp *r, enum mail_page st)
{
	http_header(r, "Cache-Control", "no-store");
	http_header(r, "X-Robots-Tag", "noindex");
	r->status = st == MP_BAD ? 403 : st == MP_HANDLED ? 409 : 200;
}

enum status
h_mail_confirm(struct req *rq, struct resp *r)
{
	struct view	 vw;
	const char	*email = NULL, *post;
	int		 act = rq->method == M_POST;
	enum mail_page	 mp;
	enum status	 st;

	st = mail_confirm(rq->site, rq->arena, http_str(rq, F_T), act,
	    &email);
	if (st != ST_OK && st != ST_FORBIDDEN)
		return st;
	mp = st == ST_FORBIDDEN ? MP_BAD : act ? MP_DONE : MP_ASK;
	if ((post = action(rq, "/mail/confirm", "")) == NULL)
		return ST_NOMEM;
	link_page(r, mp);
	http_view(rq, &vw, 0);
	view_mail_confirm(&vw, &r->body, mp, post, email);
	return ST_OK;
}

enum status
h_mail_unsub(struct req *rq, struct resp *r)
{
	struct view	 vw;
	const char	*title = NULL, *post, *post_all, *scope;
	int		 act = rq->method == M_POST, all;
	enum mail_page	 mp;
	enum status	 st;

	scope = http_str(rq, F_SCOPE);
	all = scope != NULL && strcmp(scope, "all") == 0;
	/* RFC 8058: a POST to the List-Unsubscribe address unsubscribes,
	 * whatever its body says. */
	st = mail_unsubscribe(rq->site, rq->arena, http_str(rq, F_T), act,
	    all, &title);
	if (st != ST_OK && st != ST_FORBIDDEN)
		return st;
	mp = st == ST_FORBIDDEN ? MP_BAD : !act ? MP_ASK : all ? MP_DONE_ALL :
	    MP_DONE;
	if ((post = action(rq, "/mail/unsubscribe", "")) == NULL ||
	    (post_all = action(rq, "/mail/unsubscribe", "&scope=all")) ==
	    NULL)
		return ST_NOMEM;
	link_page(r, mp);
	http_view(rq, &vw, 0);
	view_mail_unsub(&vw, &r->body, mp, post, post_all, title);
	return ST_OK;
}

enum status
h_mail_moderate(struct req *rq, struct resp *r)
{
	struct mail_action	 ma;
	struct mail_mod_page	 p;
	struct view		 vw;
	int			 act = rq->method == M_POST;
	enum status		 st;

	st = mail_moderate(rq->site, rq->arena, http_str(rq, F_T), act,
	    act ? http_addr_hash(rq) : NULL, &ma);
	if (st != ST_OK && st != ST_FORBIDDEN)
		return st;
	memset(&p, 0, sizeof(p));
	p.state = st == ST_FORBIDDEN ? MP_BAD : ma.handled ? MP_HANDLED :
	    act ? MP_DONE : MP_ASK;
	if ((p.post = action(rq, "/mail/moderate", "")) == NULL)
		return ST_NOMEM;
	if (st == ST_OK) {
		p.action = ma.action;
		p.who = ma.who;
		p.c = &ma.c;
		p.title = ma.title;
	}
	link_page(r, p.state);
	http_view(rq, &vw, 0);
	view_mail_moderate(&vw, &r->body, &p);
	return ST_OK;
}
