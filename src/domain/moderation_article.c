/* moderation_article.c: articles made and changed by moderators, from the
 * web and the command line alike: only what changes is changed, and each
 * change is audited with what it was and what it became */
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "store/store.h"
#include "domain/comments.h"
#include "domain/moderation.h"
#include "domain/moderation_int.h"
#include "domain/reason.h"
#include "domain/site.h"

const char *
moderate_article_state(const struct article *ar)
{
	if (!ar->closed)
		return "open";
	return ar->auto_closed ? "closed by age" : "closed";
}

struct article_job {
	struct actor			*who;
	struct arena			*arena;
	long long			 id;
	int				 aged;	/* read outside: age is
						   fixed by `created` */
	const struct article_change	*ch;
	int				 no_proposed;
};

static enum status
article_job(struct store *s, void *arg)
{
	struct article_job		*j = arg;
	const struct article_change	*ch = j->ch;
	struct article			 ar;
	const char			*target, *mode, *title;
	int				 closed;
	enum status			 st;

	/* Read in the transaction: "before" is what was there.  This
	 * connection does not apply auto_close_days; age is known. */
	if ((st = store_article_get(s, j->arena, j->id, &ar)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "article:%lld", j->id)) == NULL)
		return ST_NOMEM;
	if (j->aged && !ar.closed && !ar.kept_open)
		ar.closed = ar.auto_closed = 1;
	closed = ar.closed;
	if (ch->closed >= 0 && ch->closed != closed) {
		if ((st = store_article_set(s, j->id, ch->closed, NULL)) !=
		    ST_OK ||
		    (st = mod_audit(s, j->who, ch->closed ? "close" : "open",
		    target, moderate_article_state(&ar), ch->closed ?
		    "closed" : "open")) != ST_OK)
			return st;
	}
	mode = ar.mode != NULL ? ar.mode : "default";
	if (ch->mode != NULL && strcmp(ch->mode, mode) != 0) {
		if ((st = store_article_set(s, j->id, -1, ch->mode)) != ST_OK ||
		    (st = mod_audit(s, j->who, "mode", target, mode,
		    ch->mode)) != ST_OK)
			return st;
	}
	title = ch->title;
	if (ch->use_proposed) {
		if (ar.title_proposed == NULL) {
			j->no_proposed = 1;
			return ST_INPUT;
		}
		title = ar.title_proposed;
	}
	if (title != NULL && strcmp(title, ar.title) != 0) {
		if ((st = store_article_title(s, j->id, title)) != ST_OK ||
		    (st = mod_audit(s, j->who, "title", target, ar.title,
		    title)) != ST_OK)
			return st;
	}
	return ST_OK;
}

enum status
moderate_article_set(struct site *site, struct arena *a, struct actor *who,
    long long id, const struct article_change *ch, struct refusal *ref)
{
	struct article_job	 j;
	struct article		 ar;
	enum status		 st;

	who->batch = 0;
	memset(ref, 0, sizeof(*ref));
	memset(&j, 0, sizeof(j));
	/* Whether age closes it: the site's store knows auto_close_days. */
	if ((st = store_article_get(site->store, a, id, &ar)) != ST_OK)
		return st;
	j.who = who;
	j.arena = a;
	j.id = id;
	j.aged = ar.aged;
	j.ch = ch;
	st = site_write(site, article_job, &j);
	if (st == ST_INPUT && j.no_proposed)
		return refuse(ref, RS_NO_PROPOSED, NULL);
	return st;
}

struct article_add_job {
	struct actor	*who;
	struct arena	*arena;
	const char	*uri, *title, *body, *html;
	long long	 id;
};

static enum status
article_add_job(struct store *s, void *arg)
{
	struct article_add_job	*j = arg;
	const char		*target, *after;
	enum status		 st;

	if ((st = store_article_add(s, j->uri, j->title, j->body, j->html,
	    j->who->now, &j->id)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "article:%lld", j->id)) == NULL ||
	    (after = arena_printf(j->arena, "%s %s", j->uri, j->title)) ==
	    NULL)
		return ST_NOMEM;
	return mod_audit(s, j->who, "article-add", target, NULL, after);
}

enum status
moderate_article_add(struct site *site, struct arena *a, struct actor *who,
    const char *uri, const char *title, const char *body, long long *id,
    struct refusal *ref)
{
	struct article_add_job	 j;
	enum status		 st;

	who->batch = 0;
	memset(ref, 0, sizeof(*ref));
	memset(&j, 0, sizeof(j));
	if (text_check(TEXT_URI, uri, 0) != TEXT_OK)
		return refuse(ref, RS_THREAD_BAD, "uri");
	if (body != NULL && (j.html = comments_render(a, body, NULL)) == NULL)
		return ST_NOMEM;
	j.who = who;
	j.arena = a;
	j.uri = uri;
	j.title = title;
	j.body = body;
	st = site_write(site, article_add_job, &j);
	if (st == ST_CONFLICT)
		return refuse(ref, RS_URI_TAKEN, "uri");
	if (st == ST_OK && id != NULL)
		*id = j.id;
	return st;
}
