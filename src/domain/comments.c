/* comments.c: what readers do with comments: post, edit, delete, and the
 * thread a first comment makes */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/metrics.h"
#include "core/stage.h"
#include "core/text.h"
#include "render/mailmsg.h"
#include "render/markup.h"
#include "store/store.h"
#include "domain/authored.h"
#include "domain/comments.h"
#include "domain/outbox.h"
#include "domain/reason.h"
#include "domain/site.h"
#include "domain/spam.h"
#include "domain/writer.h"

/* The longest User-Agent kept with a comment. */
#define UA_MAX		512

const char *
comments_render(struct arena *a, const char *body, size_t *nlinks)
{
	struct buf	 html = BUF_INIT;
	const char	*rv = NULL;
	size_t		 n = 0;

	if (markup_render(&html, body, strlen(body), &n) == ST_OK &&
	    !html.err)
		rv = arena_strndup(a, buf_str(&html), html.len);
	buf_free(&html);
	if (nlinks != NULL)
		*nlinks = n;
	return rv;
}

/* What the spam rules look at of a comment. */
static void
spam_input_of(struct spam_input *si, const struct article *ar,
    const struct comment *c, size_t nlinks)
{
	memset(si, 0, sizeof(*si));
	si->ar = ar;
	si->parent = c->parent;
	si->author = c->author;
	si->email = c->email;
	si->website = c->website;
	si->body = c->body;
	si->nlinks = nlinks;
}

/* --- posting ------------------------------------------------------------- */

/* The work done inside the group transaction. */
struct post_job {
	const struct config	*cfg;
	struct comment		*c;
	const char		*notify;	/* the address that wants
						   replies, or NULL */
	const struct article	*ar;	/* id 0: create it with the comment */
	long			 per_minute;
	long long		 now;
	const struct addr_keys	*keys;	/* the poster's, for limits, bans */
	const char		*prefix;	/* the address's ban prefix */
	const struct spam_verdict *v;
	const char		*replay;	/* the reason, for a replay */
};

/* Over the per-minute limit, by address or by network?  Read in the
 * transaction as well as before it: concurrent posts cannot all slip
 * under the limit, and a refused post costs no scoring. */
static enum status
over_limit(struct store *s, const struct addr_keys *k, long per_minute,
    long long now, int *over)
{
	long long	 by_addr = 0, by_net = 0;
	enum status	 st;

	*over = 0;
	if (per_minute <= 0 || k->addr == NULL)
		return ST_OK;
	if ((st = store_posts_since(s, k, now - 59, &by_addr, &by_net)) !=
	    ST_OK)
		return st;
	*over = by_addr >= per_minute || by_net >= per_minute;
	return ST_OK;
}

static enum status
post_job(struct store *s, void *arg)
{
	struct post_job	*j = arg;
	enum status	 st;
	int		 banned = 0, over = 0;

	/* A thread on first use is made with its first comment, in the same
	 * transaction: a refused comment leaves no empty thread behind. */
	if (j->c->article == 0) {
		st = store_article_add_reader(s, j->ar->uri,
		    j->ar->title_proposed, j->now, &j->c->article);
		if (st == ST_CONFLICT)
			st = store_article_id(s, j->ar->uri, &j->c->article);
		if (st != ST_OK)
			return st;
	}
	if ((st = over_limit(s, j->keys, j->per_minute, j->now, &over)) !=
	    ST_OK)
		return st;
	if (over)
		return ST_LIMIT;
	/* A banned poster's comment goes to spam, and they are not told:
	 * telling them would only send them elsewhere. */
	if ((st = store_ban_match(s, j->c->email, j->keys, j->prefix, j->now,
	    &banned)) != ST_OK)
		return st;
	if (banned) {
		j->c->status = CS_SPAM;
		j->c->score = 1.0;
		j->c->reasons = "1.00 banned";
	}
	/* A form is good for one comment: a second use is a replay. */
	if (j->v->token_ok) {
		st = store_form_token_use(s, j->v->token_hash,
		    j->v->token_expires, j->now);
		if (st == ST_CONFLICT) {
			j->c->status = CS_SPAM;
			if (j->c->score < 0.95)
				j->c->score = 0.95;
			j->c->reasons = j->replay;
		} else if (st != ST_OK)
			return st;
	}
	if ((st = store_comment_insert(s, j->c)) != ST_OK)
		return st;
	/* Mail and webhooks, in the same transaction: nothing announced
	 * that was not kept, nothing kept that goes unannounced. */
	if ((st = outbox_status(s, j->cfg, j->c->id, CS__MAX, j->c->status,
	    j->now)) != ST_OK)
		return st;
	if (j->notify != NULL && (st = outbox_subscribe(s, j->cfg, j->notify,
	    j->c->id, j->c->article, j->c->status == CS_SPAM, j->now)) !=
	    ST_OK)
		return st;
	if (j->v->hook_input != NULL && (st = store_spam_check_add(s,
	    j->c->id, j->v->hook_input, j->now)) != ST_OK)
		return st;
	if (j->keys->addr != NULL)
		return store_post_log(s, j->keys, j->now);
	return ST_OK;
}

/*
 * The address that wants replies, lower-case, or NULL: the box was not
 * ticked, or mail is off (the box is not shown then).  Refused without
 * an address, or with one mail cannot go to as it is.
 */
static enum status
notify_address(const struct config *cfg, struct arena *a,
    const struct comment_input *in, const char **out, struct refusal *ref)
{
	char	*e;
	size_t	 i;

	*out = NULL;
	if (!in->notify || !outbox_mail_on(cfg))
		return ST_OK;
	if (in->email == NULL)
		return refuse(ref, RS_NOTIFY_NO_EMAIL, "email");
	if (!mailmsg_ascii_addr(in->email))
		return refuse(ref, RS_NOTIFY_EMAIL, "email");
	if ((e = arena_strdup(a, in->email)) == NULL)
		return ST_NOMEM;
	for (i = 0; e[i] != '\0'; i++)
		if (e[i] >= 'A' && e[i] <= 'Z')
			e[i] = (char)(e[i] - 'A' + 'a');
	*out = e;
	return ST_OK;
}

/* The parent: a comment of this article the reader can see. */
static enum status
parent_check(struct site *site, struct arena *a, const struct article *ar,
    long long id, const struct poster *p, struct refusal *ref)
{
	struct comment	 parent;
	enum status	 st;

	if (ar->id == 0)
		return refuse(ref, RS_PARENT_BAD, "parent");
	st = store_comment_get(site->store, a, id, &parent);
	if (st == ST_NOTFOUND || (st == ST_OK && parent.article != ar->id))
		return refuse(ref, RS_PARENT_GONE, "parent");
	if (st != ST_OK)
		return st;
	/* A held comment can be answered by its own author only. */
	if (parent.status != CS_APPROVED && (parent.status != CS_PENDING ||
	    authored_has(p->own, parent.id) == 0))
		return refuse(ref, RS_PARENT_HIDDEN, "parent");
	return ST_OK;
}

static enum status
post(struct site *site, struct arena *a, const struct article *ar,
    const struct comment_input *in, const struct poster *p,
    struct posted *out, struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	struct comment		 c;
	struct post_job		 job;
	struct spam_input	 si;
	struct spam_verdict	 verdict;
	const char		*mode, *notify = NULL;
	long long		 now = (long long)time(NULL);
	size_t			 nlinks = 0;
	int			 over = 0, banned = 0;
	enum status		 st;

	memset(out, 0, sizeof(*out));
	memset(ref, 0, sizeof(*ref));
	memset(&c, 0, sizeof(c));
	/* Cheap checks first: a refused post costs no scoring, and never
	 * reaches the hook (an Akismet call, say). */
	if (ar->closed)
		return refuse(ref, RS_CLOSED, NULL);
	if ((st = over_limit(site->store, &p->keys, cfg->posts_per_minute,
	    now, &over)) != ST_OK)
		return st;
	if (over) {
		refuse(ref, RS_RATE, NULL);
		ref->limit = cfg->posts_per_minute;
		ref->retry = 60;
		return ST_INPUT;
	}
	if (in->parent > 0 && (st = parent_check(site, a, ar, in->parent, p,
	    ref)) != ST_OK)
		return st;
	if ((st = notify_address(cfg, a, in, &notify, ref)) != ST_OK)
		return st;
	/* A banned poster's comment is spam whatever the hook says: it is
	 * not asked.  Without a hook this tells nothing that post_job's own
	 * check, in the transaction, does not: skip a read. */
	if (cfg->hook[0] != '\0' && (st = store_ban_match(site->store,
	    in->email, &p->keys, p->prefix, now, &banned)) != ST_OK)
		return st;
	stage_mark(STAGE_READS);

	c.article = ar->id;
	c.parent = in->parent;
	c.author = in->author != NULL ? in->author : "Anonymous";
	c.email = in->email;
	c.website = in->website;
	c.body = in->body;
	c.created = now;
	if ((c.html = comments_render(a, c.body, &nlinks)) == NULL)
		return ST_NOMEM;
	stage_mark(STAGE_RENDER);
	/* No address, no rate limit or ban by it: nothing to key them on. */
	c.addr_hash = p->addr_hash;
	c.user_agent = p->user_agent;
	if (c.user_agent != NULL && strlen(c.user_agent) > UA_MAX &&
	    (c.user_agent = arena_strndup(a, c.user_agent, UA_MAX)) == NULL)
		return ST_NOMEM;

	/* Scored before anyone sees it. */
	spam_input_of(&si, ar, &c, nlinks);
	si.form_token = in->form_token;
	si.honeypot = in->honeypot;
	si.no_hook = banned;
	if ((st = spam_check(site, a, p, &si, &verdict)) != ST_OK)
		return st;
	mode = ar->mode != NULL ? ar->mode : cfg->mode;
	c.status = spam_decide(cfg, strcmp(mode, "pre") == 0, &verdict);
	c.score = verdict.score;
	c.reasons = verdict.reasons;
	c.body_hash = verdict.body_hash;

	memset(&job, 0, sizeof(job));
	job.cfg = cfg;
	job.notify = notify;
	job.c = &c;
	job.ar = ar;
	job.v = &verdict;
	job.replay = arena_printf(a, "%s%s0.95 this form was sent before (a "
	    "replay)", verdict.reasons, verdict.reasons[0] != '\0' ? "\n" : "");
	job.per_minute = cfg->posts_per_minute;
	job.now = now;
	job.keys = &p->keys;
	job.prefix = p->prefix;
	if (job.replay == NULL)
		return ST_NOMEM;
	stage_mark(STAGE_SPAM);
	st = site_write(site, post_job, &job);
	if (st == ST_LIMIT) {
		refuse(ref, RS_RATE, NULL);
		ref->limit = cfg->posts_per_minute;
		ref->retry = 60;
		return ST_INPUT;
	}
	if (st == ST_NOTFOUND)
		return refuse(ref, RS_PARENT_GONE, "parent");
	if (st != ST_OK)
		return st;

	out->c = c;
	out->stored = c.status;
	/* Held and spam look the same to the poster, waiting, unless the
	 * site would rather say so. */
	if (out->c.status == CS_SPAM && !cfg->tell_spam)
		out->c.status = CS_PENDING;
	out->expires = now + cfg->edit_window;
	auth_author_token(site->secret, c.id, out->expires, out->token);
	return ST_OK;
}

_Static_assert(RS__MAX <= METRICS_REASONS, "every reason has its count");

/* Every post is counted once for /metrics: what became of it, or why it
 * was refused (server trouble as RS_TRY_AGAIN). */
enum status
comments_post(struct site *site, struct arena *a, const struct article *ar,
    const struct comment_input *in, const struct poster *p,
    struct posted *out, struct refusal *ref)
{
	enum status	 st;

	st = post(site, a, ar, in, p, out, ref);
	if (st == ST_INPUT)
		metrics_refused(ref->why);
	else if (st != ST_OK)
		metrics_refused(RS_TRY_AGAIN);
	/* The comment as stored: the poster's copy may say "pending" for
	 * spam (tell_spam). */
	else if (out->stored == CS_APPROVED)
		metrics_add(MC_POST_ACCEPTED, 1);
	else if (out->stored == CS_SPAM)
		metrics_add(MC_POST_SPAM, 1);
	else
		metrics_add(MC_POST_HELD, 1);
	return st;
}

/* --- edit and delete ----------------------------------------------------- */

struct edit_job {
	const struct config *cfg;
	long long	 id;
	const char	*body;
	const char	*html;
	long long	 now;
	int		 remove;
	enum cstatus	 to;		/* CS__MAX: unchanged */
	const struct spam_verdict *v;
};

static enum status
edit_job(struct store *s, void *arg)
{
	struct edit_job	*j = arg;
	enum cstatus	 old;
	enum status	 st;

	if (j->remove) {
		if ((st = outbox_removed(s, j->cfg, j->id, j->now)) != ST_OK)
			return st;
		return store_comment_remove(s, j->id);
	}
	if ((st = store_comment_edit(s, j->id, j->body, j->html, j->now,
	    0)) != ST_OK)
		return st;
	if ((st = store_comment_set_score(s, j->id, j->v->score,
	    j->v->reasons, j->v->body_hash)) != ST_OK)
		return st;
	if (j->to != CS__MAX) {
		if ((st = store_comment_set_status(s, j->id, j->to, &old)) !=
		    ST_OK)
			return st;
		return outbox_status(s, j->cfg, j->id, old, j->to, j->now);
	}
	return ST_OK;
}

/*
 * The comment must be one of the poster's own (a valid token for it) and
 * still theirs to change (not removed by a moderator).
 */
static enum status
check_author(struct site *site, struct arena *a, long long id,
    const struct poster *p, struct comment *c, struct refusal *ref)
{
	enum status	 st;

	/* A comment that is not there is not there, whoever asks. */
	if ((st = store_comment_get(site->store, a, id, c)) != ST_OK)
		return st;
	if (authored_has(p->own, id) == 0 || c->status == CS_DELETED ||
	    c->status == CS_SPAM)
		return refuse(ref, RS_NOT_YOURS, "token");
	return ST_OK;
}

enum status
comments_edit(struct site *site, struct arena *a, long long id,
    const char *body, const struct poster *p, const char **htmlp,
    struct refusal *ref)
{
	struct comment		 c;
	struct edit_job		 j;
	struct article		 ar;
	struct spam_input	 si;
	struct spam_verdict	 verdict;
	size_t			 nlinks = 0;
	enum cstatus		 to;
	enum status		 st;

	memset(ref, 0, sizeof(*ref));
	if ((st = check_author(site, a, id, p, &c, ref)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	c.body = body;
	if ((j.html = comments_render(a, body, &nlinks)) == NULL)
		return ST_NOMEM;
	/* Edits are scored like new comments: a clean comment edited into
	 * spam must not stay published. */
	if ((st = store_article_get(site->store, a, c.article, &ar)) != ST_OK)
		return st;
	spam_input_of(&si, &ar, &c, nlinks);
	si.edit = 1;
	si.self = id;
	if ((st = spam_check(site, a, p, &si, &verdict)) != ST_OK)
		return st;
	j.cfg = site->cfg;
	j.id = id;
	j.body = body;
	j.now = (long long)time(NULL);
	j.v = &verdict;
	to = spam_decide(site->cfg, 0, &verdict);
	j.to = to == CS_SPAM ? CS_SPAM : (to == CS_PENDING &&
	    c.status == CS_APPROVED) ? CS_PENDING : CS__MAX;
	if ((st = site_write(site, edit_job, &j)) != ST_OK)
		return st;
	*htmlp = j.html;
	return ST_OK;
}

enum status
comments_delete(struct site *site, struct arena *a, long long id,
    const struct poster *p, struct refusal *ref)
{
	struct comment	 c;
	struct edit_job	 j;
	enum status	 st;

	memset(ref, 0, sizeof(*ref));
	if ((st = check_author(site, a, id, p, &c, ref)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	j.cfg = site->cfg;
	j.id = id;
	j.remove = 1;
	j.now = (long long)time(NULL);
	return site_write(site, edit_job, &j);
}

/* --- threads on first use ------------------------------------------------ */

enum status
comments_thread(struct site *site, struct arena *a, const char *uri,
    const char *title, int may_create, struct article *ar,
    struct refusal *ref)
{
	const char	*q;
	enum status	 st;

	memset(ref, 0, sizeof(*ref));
	st = store_article_by_uri(site->store, a, uri, ar);
	if (st != ST_NOTFOUND)
		return st;
	if (!may_create)
		return refuse(ref, RS_NO_THREAD, "uri");
	/* A new thread's key is the page's path alone (README, "Thread
	 * keys"); a query only finds threads imported with theirs. */
	if ((q = strchr(uri, '?')) != NULL &&
	    (uri = arena_strndup(a, uri, (size_t)(q - uri))) == NULL)
		return ST_NOMEM;
	/* A path on the embedding site, as the widget's data-uri gives. */
	if (text_check(TEXT_URI, uri, 0) != TEXT_OK)
		return refuse(ref, RS_THREAD_BAD, "uri");
	/* Not made yet: comments_post makes it with its first comment.  Its
	 * title is its path until a moderator gives it the one the page
	 * proposed (data-title, never fetched): a forged request must not
	 * name a thread on palaver's pages. */
	memset(ar, 0, sizeof(*ar));
	if ((ar->uri = arena_strdup(a, uri)) == NULL)
		return ST_NOMEM;
	ar->title = ar->uri;
	ar->title_proposed = title;
	ar->by_reader = 1;
	return ST_OK;
}
