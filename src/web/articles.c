/* articles.c: the moderators' articles: the list, adding one, and one
 * article's page: open or closed, moderation mode, title */
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "web/web.h"

#define ARTICLE_PAGE	50

static enum status
articles_page(struct req *rq, struct resp *r, int code,
    const struct mod_article_form *f, const char *msg)
{
	struct article	*v;
	struct view	 vw;
	const char	*self = "/mod/articles";
	size_t		 n;
	long long	 next_id = 0, next_at = 0;
	long long	 before = http_id(rq, F_BEFORE), at = http_id(rq, F_AT);
	enum status	 st;

	if ((st = store_article_list(rq->site->store, rq->arena, at, before,
	    ARTICLE_PAGE + 1, 1, &v, &n)) != ST_OK)
		return st;
	if (n > ARTICLE_PAGE) {
		n = ARTICLE_PAGE;
		next_id = v[n - 1].id;
		next_at = v[n - 1].created;
	}
	/* Back to this very page after closing or opening. */
	if (before > 0 && (self = arena_printf(rq->arena, "/mod/articles?"
	    "before=%lld&at=%lld", before, at)) == NULL)
		return ST_NOMEM;
	r->status = code;
	if ((st = mod_view(rq, &vw, self)) != ST_OK)
		return st;
	view_mod_articles(&vw, &r->body, v, n, self, next_at, next_id, f,
	    msg);
	return ST_OK;
}

enum status
h_mod_articles(struct req *rq, struct resp *r)
{
	return articles_page(rq, r, 200, NULL, NULL);
}

enum status
h_mod_articles_post(struct req *rq, struct resp *r)
{
	struct mod_article_form	 f;
	struct actor		 who;
	struct refusal		 ref;
	long long		 id = 0;
	const char		*to;
	enum status		 st;

	/* Whatever was typed goes back into the form. */
	f.uri = http_raw(rq, F_NEW_URI);
	f.title = http_raw(rq, F_TITLE);
	f.body = http_raw(rq, F_ARTICLE_BODY);
	if (rq->bad != F__MAX)
		return articles_page(rq, r, reason_status(&rq->f[rq->bad].why),
		    &f, reason_message(rq->arena, &rq->f[rq->bad].why));
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = moderate_article_add(rq->site, rq->arena, &who,
	    http_str(rq, F_NEW_URI), http_str(rq, F_TITLE),
	    http_str(rq, F_ARTICLE_BODY), &id, &ref);
	if (st == ST_INPUT)
		return articles_page(rq, r, reason_status(&ref), &f,
		    reason_message(rq->arena, &ref));
	if (st != ST_OK)
		return st;
	if ((to = arena_printf(rq->arena, "/mod/articles/%lld?done=%lld", id,
	    who.batch)) == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, to);
	return ST_OK;
}

static enum status
article_page(struct req *rq, struct resp *r, int code, const char *msg)
{
	struct article	 ar;
	struct view	 vw;
	const char	*self;
	enum status	 st;

	if ((st = store_article_get(rq->site->store, rq->arena, rq->arg[0],
	    &ar)) != ST_OK)
		return st;
	if ((self = arena_printf(rq->arena, "/mod/articles/%lld", ar.id)) ==
	    NULL)
		return ST_NOMEM;
	r->status = code;
	if ((st = mod_view(rq, &vw, self)) != ST_OK)
		return st;
	view_mod_article(&vw, &r->body, &ar, rq->site->cfg->mode, msg);
	return ST_OK;
}

enum status
h_mod_article_get(struct req *rq, struct resp *r)
{
	return article_page(rq, r, 200, NULL);
}

/* /mod/articles/{id}/{word}: what a word changes of the article. */
enum status
h_mod_article_set(struct req *rq, struct resp *r)
{
	struct article_change	 ch;
	struct actor		 who;
	struct refusal		 ref;
	const char		*w = rq->word, *self;
	enum status		 st;

	memset(&ch, 0, sizeof(ch));
	ch.closed = -1;
	if (strcmp(w, "close") == 0 || strcmp(w, "open") == 0)
		ch.closed = strcmp(w, "close") == 0;
	else if (strcmp(w, "mode") == 0) {
		if ((ch.mode = http_str(rq, F_MODE)) == NULL) {
			if (rq->f[F_MODE].state == FV_ABSENT)
				field_missing(F_MODE, &rq->f[F_MODE]);
			return article_page(rq, r, 422, reason_message(
			    rq->arena, &rq->f[F_MODE].why));
		}
	} else if (strcmp(w, "title") == 0) {
		if ((ch.title = http_str(rq, F_TITLE)) == NULL) {
			if (rq->f[F_TITLE].state == FV_ABSENT)
				field_missing(F_TITLE, &rq->f[F_TITLE]);
			return article_page(rq, r, 422, reason_message(
			    rq->arena, &rq->f[F_TITLE].why));
		}
	} else if (strcmp(w, "proposed") == 0)
		ch.use_proposed = 1;
	else
		return ST_NOTFOUND;
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = moderate_article_set(rq->site, rq->arena, &who, rq->arg[0], &ch,
	    &ref);
	if (st == ST_INPUT)
		return article_page(rq, r, reason_status(&ref),
		    reason_message(rq->arena, &ref));
	if (st != ST_OK)
		return st;
	if ((self = arena_printf(rq->arena, "/mod/articles/%lld",
	    rq->arg[0])) == NULL)
		return ST_NOMEM;
	return mod_done(rq, r, self, &who);
}
