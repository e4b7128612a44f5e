/* post.c: what readers send: validation, rendering, storing, author tokens */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/arena.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "render/html.h"
#include "http/http.h"
#include "render/markup.h"
#include "http/parse.h"
#include "core/net.h"
#include "core/utf8.h"
#include "domain/post.h"
#include "domain/spam.h"
#include "domain/writer.h"

/* Field caps, in characters.  Names and addresses have natural limits;
 * the body's is [moderation] max_comment. */
#define MAX_AUTHOR	64
#define MAX_EMAIL	254
#define MAX_WEBSITE	512
/* Tokens kept in the author cookie: the newest win.  16 tokens of at most
 * 80 bytes stay far below the 4 KB cookie limit. */
#define MAX_TOKENS	16
/* Own comments one request may name: the widget sends up to 40 tokens,
 * the cookie holds MAX_TOKENS. */
#define MAX_OWN		64

static enum status
refuse(struct post_error *err, int code, const char *field, const char *msg)
{
	err->code = code;
	err->field = field;
	err->msg = msg;
	err->retry_after = 0;
	return ST_INPUT;
}

/* Copy a field into the arena with \r\n and lone \r made \n, and
 * surrounding white space trimmed. */
static char *
clean(struct arena *a, const struct field *f, size_t *lenp)
{
	char	*p;
	size_t	 i, j, start, end;

	if ((p = arena_alloc(a, f->n + 1)) == NULL)
		return NULL;
	for (i = j = 0; i < f->n; i++) {
		if (f->s[i] == '\r') {
			p[j++] = '\n';
			if (i + 1 < f->n && f->s[i + 1] == '\n')
				i++;
		} else
			p[j++] = f->s[i];
	}
	for (start = 0; start < j && (p[start] == ' ' || p[start] == '\t' ||
	    p[start] == '\n'); start++)
		continue;
	for (end = j; end > start && (p[end - 1] == ' ' ||
	    p[end - 1] == '\t' || p[end - 1] == '\n'); end--)
		continue;
	memmove(p, p + start, end - start);
	p[end - start] = '\0';
	*lenp = end - start;
	return p;
}

/* A one-line text field: valid UTF-8, no control characters at all. */
static int
line_ok(const char *s, size_t n)
{
	return utf8_check(s, n) && strpbrk(s, "\n\t\r") == NULL &&
	    strlen(s) == n;
}

static int
email_ok(const char *s)
{
	const char	*at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	if (strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    s[strlen(s) - 1] == '.')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' ||
		    *s == '"' || *s == ',' || *s == ';' || *s == '\\')
			return 0;
	return 1;
}

/*
 * Check and normalise an optional one-line field into *out (NULL when
 * empty).  Returns 0, or -1 after refusing.
 */
static int
optional(struct req *rq, const struct field *f, size_t max, const char *name,
    const char *label, const char **out, struct post_error *err,
    enum status *st)
{
	size_t	 n;
	char	*v;

	*out = NULL;
	if (f->s == NULL || f->n == 0)
		return 0;
	if ((v = clean(rq->arena, f, &n)) == NULL) {
		*st = ST_NOMEM;
		return -1;
	}
	if (n == 0)
		return 0;
	if (!line_ok(v, n) || memchr(f->s, '\0', f->n) != NULL) {
		*st = refuse(err, 422, name, arena_printf(rq->arena, "The %s "
		    "must be one line of text, without control characters.",
		    label));
		return -1;
	}
	if (utf8_len(v, n) > max) {
		*st = refuse(err, 422, name, arena_printf(rq->arena, "The %s "
		    "is too long (at most %zu characters).", label, max));
		return -1;
	}
	*out = v;
	return 0;
}

/* A field as a string (NULL when absent or holding a NUL). */
static const char *
field_str(struct req *rq, const struct field *f)
{
	if (f->s == NULL || memchr(f->s, '\0', f->n) != NULL)
		return NULL;
	return arena_strndup(rq->arena, f->s, f->n);
}

/* A comment body as it will be stored: checked, cleaned and rendered. */
struct body {
	char		*text;
	size_t		 len;
	const char	*html;
	size_t		 nlinks;
};

/*
 * Take the body a reader sent, for a new comment or an edit alike.
 * ST_INPUT with err when it is empty, not text, or over max_comment.
 */
static enum status
body_take(struct req *rq, const struct field *f, struct body *b,
    struct post_error *err)
{
	struct buf	 html = BUF_INIT;
	size_t		 chars;

	if (f->s == NULL || f->n == 0)
		return refuse(err, 422, "body", "Please write a comment.");
	if (memchr(f->s, '\0', f->n) != NULL || !utf8_check(f->s, f->n))
		return refuse(err, 422, "body", "The comment contains "
		    "invalid UTF-8 or control characters; only text, line "
		    "breaks and tabs are accepted.");
	if ((b->text = clean(rq->arena, f, &b->len)) == NULL)
		return ST_NOMEM;
	if (b->len == 0)
		return refuse(err, 422, "body", "Please write a comment.");
	if ((chars = utf8_len(b->text, b->len)) >
	    (size_t)rq->ctx->cfg->max_comment)
		return refuse(err, 413, "body", arena_printf(rq->arena,
		    "The comment is %zu characters long; the limit is %ld.",
		    chars, rq->ctx->cfg->max_comment));
	b->nlinks = 0;
	if (markup_render(&html, b->text, b->len, &b->nlinks) != ST_OK ||
	    html.err) {
		buf_free(&html);
		return ST_NOMEM;
	}
	b->html = arena_strndup(rq->arena, buf_str(&html), html.len);
	buf_free(&html);
	return b->html == NULL ? ST_NOMEM : ST_OK;
}

/* What the spam rules look at of a comment. */
static void
spam_input_of(struct spam_input *si, const struct article *ar,
    const struct comment *c, const struct body *b)
{
	memset(si, 0, sizeof(*si));
	si->ar = ar;
	si->parent = c->parent;
	si->author = c->author;
	si->email = c->email;
	si->website = c->website;
	si->body = b->text;
	si->nlinks = b->nlinks;
}

/* The work done inside the group transaction. */
struct post_job {
	struct comment		*c;
	const struct article	*ar;	/* id 0: create it with the comment */
	long			 per_minute;
	long long		 now;
	const char		*prefix;	/* the address's ban prefix */
	const struct spam_verdict *v;
	const char		*replay;	/* the reason, for a replay */
};

static enum status
post_job(struct store *s, void *arg)
{
	struct post_job	*j = arg;
	long long	 n = 0;
	enum status	 st;
	int		 banned = 0;

	/* A thread on first use is made with its first comment, in the same
	 * transaction: a refused comment leaves no empty thread behind. */
	if (j->c->article == 0) {
		st = store_article_add(s, j->ar->uri, j->ar->title, NULL, NULL,
		    j->now, &j->c->article);
		if (st == ST_CONFLICT)
			st = store_article_id(s, j->ar->uri, &j->c->article);
		if (st != ST_OK)
			return st;
	}
	/* Checked in the transaction, so concurrent posts cannot all slip
	 * under the limit. */
	if (j->per_minute > 0 && j->c->addr_hash != NULL) {
		if ((st = store_posts_since(s, j->c->addr_hash, j->now - 59,
		    &n)) != ST_OK)
			return st;
		if (n >= j->per_minute)
			return ST_LIMIT;
	}
	/* A banned poster's comment goes to spam, and they are not told:
	 * telling them would only send them elsewhere. */
	if ((st = store_ban_match(s, j->c->email, j->c->addr_hash, j->prefix,
	    j->now, &banned)) != ST_OK)
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
	if (j->v->hook_input != NULL && (st = store_spam_check_add(s,
	    j->c->id, j->v->hook_input, j->now)) != ST_OK)
		return st;
	if (j->c->addr_hash != NULL)
		return store_post_log(s, j->c->addr_hash, j->now);
	return ST_OK;
}

enum status
post_comment(struct req *rq, const struct article *ar,
    const struct comment_input *in, struct post_result *res,
    struct post_error *err)
{
	const struct config	*cfg = rq->ctx->cfg;
	struct comment		 c, parent;
	struct post_job		 job;
	struct body		 body;
	struct authored		 own;
	struct spam_input	 si;
	struct spam_verdict	 verdict;
	const char		*mode;
	long long		 now = (long long)time(NULL);
	enum status		 st = ST_OK;
	char			 prefix[64];

	memset(res, 0, sizeof(*res));
	memset(err, 0, sizeof(*err));
	memset(&c, 0, sizeof(c));
	if (ar->closed)
		return refuse(err, 403, NULL, "Comments on this article are "
		    "closed.");

	/* The body first: it is what the reader cares most about. */
	if ((st = body_take(rq, &in->body, &body, err)) != ST_OK)
		return st;

	if (optional(rq, &in->author, MAX_AUTHOR, "author", "name",
	    &c.author, err, &st) == -1 ||
	    optional(rq, &in->email, MAX_EMAIL, "email", "e-mail address",
	    &c.email, err, &st) == -1 ||
	    optional(rq, &in->website, MAX_WEBSITE, "website", "website",
	    &c.website, err, &st) == -1)
		return st;
	if (c.author == NULL)
		c.author = "Anonymous";
	if (c.email != NULL && !email_ok(c.email))
		return refuse(err, 422, "email", "That does not look like an "
		    "e-mail address (it is optional: leave it empty).");
	if (c.website != NULL && !text_url_ok(c.website))
		return refuse(err, 422, "website", "The website must be an "
		    "address starting with http:// or https://.");

	/* The parent: a comment of this article the reader can see. */
	if (in->parent.s != NULL && in->parent.n > 0) {
		if ((c.parent = text_id(in->parent.s, in->parent.n)) == 0 ||
		    ar->id == 0)
			return refuse(err, 422, "parent", "The comment you "
			    "replied to is not a valid comment number.");
		st = store_comment_get(rq->ctx->store, rq->arena, c.parent,
		    &parent);
		if (st == ST_NOTFOUND || (st == ST_OK &&
		    parent.article != ar->id))
			return refuse(err, 422, "parent", "The comment you "
			    "replied to does not exist (any more).");
		if (st != ST_OK)
			return st;
		if (parent.status != CS_APPROVED) {
			post_authored(rq, in->token, &own);
			if (parent.status != CS_PENDING ||
			    !post_authored_has(&own, parent.id))
				return refuse(err, 422, "parent", "The "
				    "comment you replied to is not "
				    "published.");
		}
	}

	c.html = body.html;
	c.article = ar->id;
	c.body = body.text;
	c.created = now;
	/* No address, no rate limit or ban by it: nothing to key them on. */
	c.addr_hash = rq->remote_addr[0] != '\0' ? http_addr_hash(rq) : NULL;
	c.user_agent = rq->user_agent;
	if (c.user_agent != NULL && strlen(c.user_agent) > 512)
		c.user_agent = arena_strndup(rq->arena, c.user_agent, 512);

	/* Scored before anyone sees it. */
	spam_input_of(&si, ar, &c, &body);
	si.form_token = field_str(rq, &in->form_token);
	si.honeypot = field_str(rq, &in->honeypot);
	if ((st = spam_check(rq, &si, &verdict)) != ST_OK)
		return st;
	mode = ar->mode != NULL ? ar->mode : cfg->mode;
	c.status = spam_decide(cfg, strcmp(mode, "pre") == 0, &verdict);
	c.score = verdict.score;
	c.reasons = verdict.reasons;
	c.body_hash = verdict.body_hash;

	job.c = &c;
	job.ar = ar;
	job.v = &verdict;
	job.replay = arena_printf(rq->arena, "%s%s0.95 this form was sent "
	    "before (a replay)", verdict.reasons, verdict.reasons[0] != '\0' ?
	    "\n" : "");
	job.per_minute = cfg->posts_per_minute;
	job.now = now;
	job.prefix = parse_addr_prefix(rq->remote_addr, prefix,
	    sizeof(prefix)) == 0 ? prefix : NULL;
	st = writer_run(rq->ctx->writer, post_job, &job);
	if (st == ST_LIMIT) {
		refuse(err, 429, NULL, arena_printf(rq->arena, "You have "
		    "posted %ld comments in the last minute; please wait a "
		    "moment and send this one again.", cfg->posts_per_minute));
		err->retry_after = 60;
		return ST_INPUT;
	}
	if (st == ST_NOTFOUND)
		return refuse(err, 422, "parent", "The comment you replied to "
		    "does not exist (any more).");
	if (st != ST_OK)
		return st;

	res->id = c.id;
	res->article = c.article;
	res->root = c.root;
	res->parent = c.parent;
	/* Held and spam look the same to the poster: waiting. */
	res->status = c.status == CS_SPAM ? CS_PENDING : c.status;
	res->author = c.author;
	res->website = c.website;
	res->html = c.html;
	res->created = c.created;
	res->expires = now + cfg->edit_window;
	auth_author_token(rq->ctx->secret, c.id, res->expires, res->token);
	return ST_OK;
}

/* --- the author's own comments ------------------------------------------- */

/*
 * Walk a list of author tokens joined by '~' (the cookie, the widget's
 * header): 1 with the next valid one (its text, id and expiry), 0 at the
 * end.  Forged, damaged and expired ones are skipped.
 */
static int
token_next(struct req *rq, const char **pp, long long now, const char **tok,
    size_t *len, long long *id, long long *exp)
{
	const char	*p = *pp, *end;

	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, "~");
		*pp = *end == '~' ? end + 1 : end;
		if (auth_author_check(rq->ctx->secret, p, (size_t)(end - p),
		    now, id, exp)) {
			*tok = p;
			*len = (size_t)(end - p);
			return 1;
		}
		p = *pp;
	}
	return 0;
}

void
post_authored(struct req *rq, const char *tok, struct authored *own)
{
	const char	*lists[2], *p, *t;
	long long	 id, exp, now = (long long)time(NULL);
	struct buf	 json = BUF_INIT;
	size_t		 cap = MAX_OWN, i, k, len;

	memset(own, 0, sizeof(*own));
	own->json = "[]";
	own->ids = arena_calloc(rq->arena, cap, sizeof(*own->ids));
	own->expires = arena_calloc(rq->arena, cap, sizeof(*own->expires));
	if (own->ids == NULL || own->expires == NULL)
		return;
	lists[0] = tok;
	lists[1] = kv_get(&rq->cookies, POST_COOKIE);
	for (k = 0; k < 2; k++)
		for (p = lists[k]; own->n < cap &&
		    token_next(rq, &p, now, &t, &len, &id, &exp); )
			if (post_authored_has(own, id) == 0) {
				own->ids[own->n] = id;
				own->expires[own->n++] = exp;
			}
	if (own->n == 0)
		return;
	buf_putc(&json, '[');
	for (i = 0; i < own->n; i++)
		buf_printf(&json, "%s%lld", i ? "," : "", own->ids[i]);
	buf_putc(&json, ']');
	if (!json.err)
		own->json = arena_strdup(rq->arena, json.p);
	if (own->json == NULL)
		own->json = "[]";
	buf_free(&json);
}

unsigned char *
post_visible(struct arena *a, const struct thread_page *pg,
    const struct authored *own, long long **parentsp)
{
	unsigned char	*shown;
	long long	*parent, *stack;
	size_t		 i;
	int		 maxdepth = 0;

	for (i = 0; i < pg->n; i++)
		if (pg->v[i].depth > maxdepth)
			maxdepth = pg->v[i].depth;
	shown = arena_calloc(a, pg->n + 1, 1);
	parent = arena_calloc(a, pg->n + 1, sizeof(*parent));
	stack = arena_calloc(a, (size_t)maxdepth + 1, sizeof(*stack));
	if (shown == NULL || parent == NULL || stack == NULL)
		return NULL;
	/* Parents by position: rows come depth-first, so a row's parent is
	 * the last row seen one level up. */
	for (i = 0; i < pg->n; i++) {
		const struct comment *c = &pg->v[i];
		int d = c->depth < 0 ? 0 : c->depth;

		parent[i] = d > 0 ? stack[d - 1] : -1;
		stack[d] = (long long)i;
		if (c->status == CS_APPROVED || ((c->status == CS_PENDING ||
		    c->status == CS_SPAM) && own != NULL &&
		    post_authored_has(own, c->id)))
			shown[i] = 1;
	}
	for (i = pg->n; i > 0; i--)
		if (shown[i - 1] != 0 && parent[i - 1] >= 0 &&
		    shown[parent[i - 1]] == 0)
			shown[parent[i - 1]] = 2;
	if (parentsp != NULL)
		*parentsp = parent;
	return shown;
}

long long
post_authored_has(const struct authored *own, long long id)
{
	size_t	 i;

	for (i = 0; i < own->n; i++)
		if (own->ids[i] == id)
			return own->expires[i];
	return 0;
}

void
post_cookie_add(struct req *rq, struct resp *r, const struct post_result *res)
{
	const char	*p, *t;
	struct buf	 v = BUF_INIT;
	long long	 id, exp, now = (long long)time(NULL);
	size_t		 len;
	int		 kept = 1;

	/* The new token first, then the still-valid old ones. */
	buf_puts(&v, POST_COOKIE "=");
	buf_puts(&v, res->token);
	for (p = kv_get(&rq->cookies, POST_COOKIE); kept < MAX_TOKENS &&
	    token_next(rq, &p, now, &t, &len, &id, &exp); )
		if (id != res->id) {
			buf_putc(&v, '~');
			buf_put(&v, t, len);
			kept++;
		}
	buf_printf(&v, "; Path=%s/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
	    rq->ctx->cfg->base_path, rq->ctx->cfg->edit_window,
	    rq->https ? "; Secure" : "");
	if (!v.err)
		http_header(r, "Set-Cookie", v.p);
	buf_free(&v);
}

/* --- edit and delete ----------------------------------------------------- */

struct edit_job {
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
	enum status	 st;

	if (j->remove)
		return store_comment_remove(s, j->id);
	if ((st = store_comment_edit(s, j->id, j->body, j->html, j->now,
	    0)) != ST_OK)
		return st;
	if ((st = store_comment_set_score(s, j->id, j->v->score,
	    j->v->reasons, j->v->body_hash)) != ST_OK)
		return st;
	if (j->to != CS__MAX)
		return store_comment_set_status(s, j->id, j->to, NULL);
	return ST_OK;
}

/*
 * The comment must be one of the reader's own (a valid token for it in
 * the cookie or in tok) and still theirs to change (not removed by a
 * moderator).
 */
static enum status
check_author(struct req *rq, long long id, const char *tok,
    struct comment *c)
{
	struct authored	 own;
	enum status	 st;

	post_authored(rq, tok, &own);
	if (post_authored_has(&own, id) == 0)
		return ST_FORBIDDEN;
	if ((st = store_comment_get(rq->ctx->store, rq->arena, id, c)) !=
	    ST_OK)
		return st;
	if (c->status == CS_DELETED || c->status == CS_SPAM)
		return ST_FORBIDDEN;
	return ST_OK;
}

enum status
post_edit(struct req *rq, long long id, const char *tok,
    const struct field *field, const char **htmlp, struct post_error *err)
{
	struct comment	 c;
	struct edit_job	 j;
	struct body	 body;
	struct article	 ar;
	struct spam_input si;
	struct spam_verdict verdict;
	enum cstatus	 to;
	enum status	 st;

	memset(err, 0, sizeof(*err));
	if ((st = check_author(rq, id, tok, &c)) != ST_OK)
		return st;
	if ((st = body_take(rq, field, &body, err)) != ST_OK)
		return st;

	/* Edits are scored like new comments: a clean comment edited into
	 * spam must not stay published. */
	if ((st = store_article_get(rq->ctx->store, rq->arena, c.article,
	    &ar)) != ST_OK)
		return st;
	spam_input_of(&si, &ar, &c, &body);
	si.edit = 1;
	si.self = id;
	if ((st = spam_check(rq, &si, &verdict)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	j.id = id;
	j.body = body.text;
	j.html = body.html;
	j.now = (long long)time(NULL);
	j.v = &verdict;
	to = spam_decide(rq->ctx->cfg, 0, &verdict);
	j.to = to == CS_SPAM ? CS_SPAM : (to == CS_PENDING &&
	    c.status == CS_APPROVED) ? CS_PENDING : CS__MAX;
	if ((st = writer_run(rq->ctx->writer, edit_job, &j)) != ST_OK)
		return st;
	*htmlp = j.html;
	return ST_OK;
}

enum status
post_delete(struct req *rq, long long id, const char *tok)
{
	struct comment	 c;
	struct edit_job	 j;
	enum status	 st;

	if ((st = check_author(rq, id, tok, &c)) != ST_OK)
		return st;
	memset(&j, 0, sizeof(j));
	j.id = id;
	j.remove = 1;
	return writer_run(rq->ctx->writer, edit_job, &j);
}

/* --- threads on first use ------------------------------------------------ */

enum status
post_article_first_use(struct req *rq, const char *uri,
    const struct field *title, struct article *ar)
{
	enum status	 st;
	size_t		 n;
	char		*t = NULL;

	st = store_article_by_uri(rq->ctx->store, rq->arena, uri, ar);
	if (st != ST_NOTFOUND)
		return st;
	if (!http_origin_allowed(rq))
		return ST_NOTFOUND;
	/* A path on the embedding site, as the widget's data-uri gives. */
	n = strlen(uri);
	if (uri[0] != '/' || n > 1024 || !line_ok(uri, n) ||
	    strchr(uri, ' ') != NULL)
		return ST_INPUT;
	if (title != NULL && title->s != NULL && title->n > 0) {
		if ((t = clean(rq->arena, title, &n)) == NULL)
			return ST_NOMEM;
		if (!line_ok(t, n) || memchr(title->s, '\0', title->n) ||
		    utf8_len(t, n) > 200)
			return ST_INPUT;
		if (n == 0)
			t = NULL;
	}
	/* Not made yet: post_comment makes it with its first comment.  The
	 * title comes from the page (data-title), never fetched. */
	memset(ar, 0, sizeof(*ar));
	if ((ar->uri = arena_strdup(rq->arena, uri)) == NULL)
		return ST_NOMEM;
	ar->title = t != NULL ? t : ar->uri;
	return ST_OK;
}
