/* queue.c: the moderation queue and the decisions made from it */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/config.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "web/web.h"

/* Rows a page: enough to work through, few enough to read at once. */
#define QUEUE_PAGE	50

enum status
h_mod_queue(struct req *rq, struct resp *r)
{
	struct mod_queue	 mq;
	struct queue_query	 qq;
	struct queue_item	*v;
	struct view		 vw;
	long long		 counts[CS__MAX];
	const char		*tab;
	size_t			 n;
	enum status		 st;

	memset(&qq, 0, sizeof(qq));
	memset(&mq, 0, sizeof(mq));
	tab = http_str(rq, F_STATUS);
	qq.status = tab == NULL ? CS_PENDING : cstatus_parse(tab);
	qq.article = http_id(rq, F_ARTICLE);
	qq.q = http_str(rq, F_Q);
	qq.cursor = http_id(rq, F_CURSOR);
	/* The pending tab is a to-do list, worked oldest first; the others
	 * are records, looked up newest first. */
	qq.oldest_first = qq.status == CS_PENDING;
	qq.limit = QUEUE_PAGE + 1;
	if ((st = store_queue(rq->site->store, rq->arena, &qq, &v, &n)) !=
	    ST_OK ||
	    (st = store_queue_counts(rq->site->store, qq.article, counts)) !=
	    ST_OK)
		return st;
	if (n > QUEUE_PAGE) {
		n = QUEUE_PAGE;
		mq.next = v[n - 1].c.id;
	}
	mq.status = qq.status;
	mq.article = qq.article;
	mq.q = qq.q;
	mq.cursor = qq.cursor;
	mq.counts = counts;
	mq.v = v;
	mq.n = n;
	http_view(rq, &vw, 0);
	view_mod_queue(&vw, &r->body, &mq);
	return ST_OK;
}

/* --- decisions on comments ----------------------------------------------- */

/* What /mod/comments/{id}/{word} and the bulk form may do. */
static const struct {
	const char	*word;		/* in path, form and audit */
	enum cstatus	 to;		/* CS__MAX: no status of its own */
} acts[] = {
	{ "approve", CS_APPROVED },
	{ "spam", CS_SPAM },
	/* Kept for the record, hidden from readers. */
	{ "delete", CS_DELETED },
	{ "edit", CS__MAX },
	{ "ban", CS__MAX },
};

static enum status
act_edit(struct req *rq, struct resp *r, const struct actor *who)
{
	const char	*body = http_str(rq, F_BODY);
	enum status	 st;

	if (body == NULL) {
		http_error(rq, r, 422, arena_printf(rq->arena, _("The comment "
		    "must be text of 1 to %ld characters; nothing was "
		    "changed."), rq->site->cfg->max_comment));
		return ST_OK;
	}
	if ((st = moderate_edit(rq->site, rq->arena, who, rq->arg[0],
	    body)) != ST_OK)
		return st;
	return mod_back(rq, r, "/mod/");
}

static enum status
act_ban(struct req *rq, struct resp *r, const struct actor *who)
{
	struct refusal	 ref;
	const char	*kind = http_str(rq, F_KIND);
	enum status	 st;

	if (kind == NULL || strcmp(kind, "prefix") == 0) {
		http_error(rq, r, 422, _("Ban the comment's e-mail (kind=email) "
		    "or its address (kind=addr_hash)."));
		return ST_OK;
	}
	st = moderate_ban_comment(rq->site, rq->arena, who, rq->arg[0], kind,
	    &ref);
	if (st == ST_INPUT) {
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	return mod_back(rq, r, "/mod/");
}

enum status
h_mod_comment(struct req *rq, struct resp *r)
{
	struct actor	 who;
	size_t		 i;
	enum status	 st;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcmp(acts[i].word, rq->word) == 0)
			break;
	if (i == sizeof(acts) / sizeof(acts[0]))
		return ST_NOTFOUND;
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	if (strcmp(rq->word, "edit") == 0)
		return act_edit(rq, r, &who);
	if (strcmp(rq->word, "ban") == 0)
		return act_ban(rq, r, &who);
	if ((st = moderate_status(rq->site, &who, &rq->arg[0], 1, acts[i].to,
	    acts[i].word, 0)) != ST_OK)
		return st;
	return mod_back(rq, r, "/mod/");
}

enum status
h_mod_bulk(struct req *rq, struct resp *r)
{
	const struct fval	*ids = &rq->f[F_ID];
	struct actor		 who;
	struct refusal		 ref;
	const char		*action = http_str(rq, F_ACTION);
	enum cstatus		 to;
	enum status		 st;

	if (ids->count == 0) {
		refuse(&ref, RS_NONE_SELECTED, "id");
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	to = strcmp(action, "approve") == 0 ? CS_APPROVED :
	    strcmp(action, "spam") == 0 ? CS_SPAM : CS_DELETED;
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	if ((st = moderate_status(rq->site, &who, ids->ids, ids->count, to,
	    action, 1)) != ST_OK)
		return st;
	return mod_back(rq, r, "/mod/");
}
