/* queue.c: the moderation queue, one comment's card, and the decisions
 * made from them, told back with an undo */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "render/html.h"
#include "render/views.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "domain/votes.h"
#include "http/reasons.h"
#include "web/pages.h"
#include "web/web.h"

/* Rows a page: enough to work through, few enough to read at once. */
#define QUEUE_PAGE	50
/* Reports shown with a comment: the reasons are clear by then. */
#define REPORTS_SHOWN	20

/* The page of its article's thread that holds a comment, as /c/{id} and
 * a reader's post find it (pages.c), whatever its status. */
static enum status
page_of(struct req *rq, struct queue_item *it)
{
	it->context = page_holding(rq, &it->c, 0, NULL);
	return it->context != NULL ? ST_OK : ST_NOMEM;
}

/* The queue's own address, as the view builds it (queue_href): where an
 * undo returns. */
static const char *
queue_self(struct req *rq, const struct queue_query *qq)
{
	struct buf	 u = BUF_INIT;
	const char	*rv;
	const char	*q = http_str(rq, F_Q);

	buf_printf(&u, "/mod/?status=%s", cstatus_str(qq->status));
	if (qq->article > 0)
		buf_printf(&u, "&article=%lld", qq->article);
	if (q != NULL) {
		buf_puts(&u, "&q=");
		html_url_arg(&u, q);
	}
	if (qq->cursor > 0)
		buf_printf(&u, "&cursor=%lld", qq->cursor);
	rv = u.err ? NULL : arena_strdup(rq->arena, buf_str(&u));
	buf_free(&u);
	return rv;
}

enum status
h_mod_queue(struct req *rq, struct resp *r)
{
	struct mod_queue	 mq;
	struct queue_query	 qq;
	struct queue_item	*v;
	struct view		 vw;
	long long		 counts[CS__MAX];
	struct report		*reports;
	const char		*tab, *self;
	size_t			 i, n;
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
	/* Each in context, with readers' reports and their reasons (never
	 * who sent them). */
	for (i = 0; i < n; i++) {
		if ((st = page_of(rq, &v[i])) != ST_OK ||
		    (st = store_reports_open(rq->site->store, rq->arena,
		    v[i].c.id, REPORTS_SHOWN, &reports, &v[i].nreports)) !=
		    ST_OK)
			return st;
		v[i].reports = reports;
	}
	mq.status = qq.status;
	mq.article = qq.article;
	mq.q = qq.q;
	mq.cursor = qq.cursor;
	mq.select_all = http_str(rq, F_SELECT) != NULL;
	mq.counts = counts;
	mq.v = v;
	mq.n = n;
	if ((self = queue_self(rq, &qq)) == NULL)
		return ST_NOMEM;
	if ((st = mod_view(rq, &vw, self)) != ST_OK)
		return st;
	view_mod_queue(&vw, &r->body, &mq);
	return ST_OK;
}

enum status
h_mod_comment_get(struct req *rq, struct resp *r)
{
	struct queue_item	 it;
	struct report		*reports;
	struct view		 vw;
	const char		*self;
	enum status		 st;

	if ((st = store_queue_one(rq->site->store, rq->arena, rq->arg[0],
	    &it)) != ST_OK)
		return st;
	if ((st = page_of(rq, &it)) != ST_OK ||
	    (st = store_reports_open(rq->site->store, rq->arena, it.c.id,
	    REPORTS_SHOWN, &reports, &it.nreports)) != ST_OK)
		return st;
	it.reports = reports;
	if ((self = arena_printf(rq->arena, "/mod/comments/%lld",
	    it.c.id)) == NULL)
		return ST_NOMEM;
	if ((st = mod_view(rq, &vw, self)) != ST_OK)
		return st;
	view_mod_comment(&vw, &r->body, &it);
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
	/* Kept for the record, hidden from readers; asks first. */
	{ "delete", CS_DELETED },
	{ "edit", CS__MAX },
	/* Every vote taken back (a flood, a ring). */
	{ "unvote", CS__MAX },
};

static enum status
act_edit(struct req *rq, struct resp *r, struct actor *who)
{
	const char	*body = http_str(rq, F_BODY);
	enum status	 st;

	if (body == NULL) {
		http_error(rq, r, 422, arena_printf(rq->arena, "The comment "
		    "must be text of 1 to %ld characters; nothing was "
		    "changed.", rq->site->cfg->max_comment));
		return ST_OK;
	}
	if ((st = moderate_edit(rq->site, rq->arena, who, rq->arg[0],
	    body)) != ST_OK)
		return st;
	return mod_done(rq, r, "/mod/", who);
}

/* Delete asks first when the form did not (a script, the keyboard). */
static enum status
ask_delete(struct req *rq, struct resp *r)
{
	struct queue_item	 it;
	struct mod_confirm	 c;
	const char		*names[1] = { "back" }, *values[1], *item;
	enum status		 st;

	if ((st = store_queue_one(rq->site->store, rq->arena, rq->arg[0],
	    &it)) != ST_OK)
		return st;
	memset(&c, 0, sizeof(c));
	values[0] = http_str(rq, F_BACK) != NULL ? http_str(rq, F_BACK) :
	    "/mod/";
	if ((item = arena_printf(rq->arena, "Comment %lld by %s on %s",
	    it.c.id, it.c.author, it.article_title)) == NULL ||
	    (c.action = arena_printf(rq->arena, "/mod/comments/%lld/delete",
	    it.c.id)) == NULL)
		return ST_NOMEM;
	c.title = "Delete this comment?";
	c.question = "It will be hidden from readers and kept for the "
	    "record; Undo brings it back.";
	c.yes = "Yes, delete it";
	c.cancel = strncmp(values[0], "/mod/", 5) == 0 ? values[0] : "/mod/";
	c.names = names;
	c.values = values;
	c.nfields = http_str(rq, F_BACK) != NULL;
	c.items = &item;
	c.nitems = 1;
	return mod_confirm_page(rq, r, &c);
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
	if (strcmp(rq->word, "unvote") == 0) {
		if ((st = votes_reset(rq->site, &who, rq->arg[0])) != ST_OK)
			return st;
		return mod_back(rq, r, "/mod/");
	}
	if (acts[i].to == CS_DELETED && http_str(rq, F_CONFIRM) == NULL)
		return ask_delete(rq, r);
	if ((st = moderate_status(rq->site, &who, &rq->arg[0], 1, acts[i].to,
	    acts[i].word, 0)) != ST_OK)
		return st;
	return mod_done(rq, r, "/mod/", &who);
}

/* Deleting many asks first, listing them; "yes" sends them again. */
static enum status
ask_bulk_delete(struct req *rq, struct resp *r)
{
	const struct fval	*ids = &rq->f[F_ID];
	struct mod_confirm	 c;
	const char		**names, **values, **items, *back;
	size_t			 i, k = 0;

	names = arena_calloc(rq->arena, ids->count + 2, sizeof(*names));
	values = arena_calloc(rq->arena, ids->count + 2, sizeof(*values));
	items = arena_calloc(rq->arena, ids->count + 1, sizeof(*items));
	if (names == NULL || values == NULL || items == NULL)
		return ST_NOMEM;
	memset(&c, 0, sizeof(c));
	back = http_str(rq, F_BACK);
	names[k] = "action";
	values[k++] = "delete";
	if (back != NULL) {
		names[k] = "back";
		values[k++] = back;
	}
	for (i = 0; i < ids->count; i++) {
		names[k] = "id";
		if ((values[k++] = arena_printf(rq->arena, "%lld",
		    ids->ids[i])) == NULL ||
		    (items[i] = arena_printf(rq->arena, "Comment %lld",
		    ids->ids[i])) == NULL)
			return ST_NOMEM;
	}
	if ((c.title = arena_printf(rq->arena, "Delete %zu comment%s?",
	    ids->count, ids->count == 1 ? "" : "s")) == NULL)
		return ST_NOMEM;
	c.question = "They will be hidden from readers and kept for the "
	    "record; Undo brings them back.";
	c.action = "/mod/comments/bulk";
	c.yes = "Yes, delete them";
	c.cancel = back != NULL && strncmp(back, "/mod/", 5) == 0 ? back :
	    "/mod/";
	c.names = names;
	c.values = values;
	c.nfields = k;
	c.items = items;
	c.nitems = ids->count;
	return mod_confirm_page(rq, r, &c);
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
	if (to == CS_DELETED && http_str(rq, F_CONFIRM) == NULL)
		return ask_bulk_delete(rq, r);
	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	if ((st = moderate_status(rq->site, &who, ids->ids, ids->count, to,
	    action, 1)) != ST_OK)
		return st;
	return mod_done(rq, r, "/mod/", &who);
}

enum status
h_mod_undo(struct req *rq, struct resp *r)
{
	struct actor	 who;
	struct refusal	 ref;
	enum status	 st;

	if ((st = mod_actor(rq, &who)) != ST_OK)
		return st;
	st = moderate_undo(rq->site, rq->arena, &who, http_id(rq, F_BATCH),
	    NULL, NULL);
	if (st == ST_NOTFOUND) {
		refuse(&ref, RS_NOTHING_TO_UNDO, "batch");
		http_refused(rq, r, &ref);
		return ST_OK;
	}
	if (st != ST_OK)
		return st;
	return mod_done(rq, r, "/mod/", &who);
}
