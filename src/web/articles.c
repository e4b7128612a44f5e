/* articles.c: the moderators' list of articles, closing and reopening */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/moderation.h"
#include "web/web.h"

#define ARTICLE_PAGE	50

enum status
h_mod_articles(struct req *rq, struct resp *r)
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
	http_view(rq, &vw, 0);
	view_mod_articles(&vw, &r->body, v, n, self, next_at, next_id);
	return ST_OK;
}

/* /mod/articles/{id}/{word}: what a word does to the article. */
static const struct {
	const char	*word;
	int		 closed;
} article_acts[] = {
	{ "close", 1 },
	{ "open", 0 },
};

enum status
h_mod_article_set(struct req *rq, struct resp *r)
{
	struct actor	 who;
	size_t		 i;
	enum status	 st;

	for (i = 0; i < sizeof(article_acts) / sizeof(article_acts[0]); i++)
		if (strcmp(article_acts[i].word, rq->word) == 0)
			break;
	if (i == sizeof(article_acts) / sizeof(article_acts[0]))
		return ST_NOTFOUND;
	if ((st = mod_actor(rq, &who)) != ST_OK ||
	    (st = moderate_article(rq->site, &who, rq->arg[0],
	    article_acts[i].closed, article_acts[i].word)) != ST_OK)
		return st;
	return mod_back(rq, r, "/mod/articles");
}
