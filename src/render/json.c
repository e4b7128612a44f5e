/* json.c: JSON documents out, through jansson */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "render/json.h"
#include "model/model.h"
#include "model/mail.h"

static int
dump_cb(const char *s, size_t n, void *arg)
{
	return buf_put(arg, s, n);
}

/* Append o to b and drop it.  A NULL o is a failed build. */
static enum status
dump(struct buf *b, json_t *o)
{
	enum status	 st = ST_OK;

	if (o == NULL || json_dump_callback(o, dump_cb, b, JSON_COMPACT) != 0) {
		b->err = 1;
		st = ST_NOMEM;
	}
	json_decref(o);
	return st;
}

/*
 * A JSON string for s, or null for NULL.  jansson refuses invalid UTF-8;
 * a stored string that is not (the database takes what it is given) has
 * its bad bytes replaced by U+FFFD, so one odd row cannot fail a page.
 */
static json_t *
str(const char *s)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	utf8_repair(&b, s, strlen(s), UTF8_REPLACEMENT);
	v = b.err ? NULL : json_string(buf_str(&b));
	buf_free(&b);
	return v;
}

/* Set key in o to v (stolen); -1 when either is missing. */
static int
set(json_t *o, const char *key, json_t *v)
{
	if (o == NULL || v == NULL) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(o, key, v);
}

static json_t *
int_or_null(long long v)
{
	return v != 0 ? json_integer(v) : json_null();
}

void
json_error(struct buf *b, const char *msg, const char *field)
{
	json_t	*o;

	o = json_object();
	if (set(o, "error", str(msg)) == -1 ||
	    (field != NULL && set(o, "field", str(field)) == -1)) {
		json_decref(o);
		o = NULL;
	}
	(void)dump(b, o);
}

/* --- writing ------------------------------------------------------------- */

/* One comment without replies; a placeholder shows neither who nor what. */
static json_t *
comment_obj(const struct comment *c, int placeholder)
{
	json_t	*o = json_object();

	if (set(o, "id", json_integer(c->id)) == -1 ||
	    set(o, "parent", int_or_null(c->parent)) == -1 ||
	    set(o, "author", str(placeholder ? "" : c->author)) == -1 ||
	    set(o, "website", str(placeholder ? NULL : c->website)) == -1 ||
	    set(o, "html", str(placeholder ? "" : c->html)) == -1 ||
	    set(o, "created", json_integer(c->created)) == -1 ||
	    set(o, "edited", placeholder ? json_null() :
	    int_or_null(c->edited)) == -1 ||
	    set(o, "status", str(placeholder ? (c->status == CS_DELETED ?
	    "deleted" : "hidden") : c->status == CS_SPAM ? "pending" :
	    cstatus_str(c->status))) == -1 ||
	    set(o, "up", json_integer(placeholder ? 0 : c->up)) == -1 ||
	    set(o, "down", json_integer(placeholder ? 0 : c->down)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
article_obj(const struct article *ar)
{
	json_t	*o = json_object();

	if (set(o, "id", json_integer(ar->id)) == -1 ||
	    set(o, "uri", str(ar->uri)) == -1 ||
	    set(o, "title", str(ar->title)) == -1 ||
	    set(o, "closed", json_boolean(ar->closed)) == -1 ||
	    set(o, "version", json_integer(ar->version)) == -1 ||
	    set(o, "count", json_integer(ar->ncomments)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * The shown rows as a tree: each hangs in the replies of its parent's
 * row (shown or a placeholder), or at the top.  Past JSON_MAX_NEST levels
 * a row hangs where its parent hangs.  Borrowed references only; the
 * tree owns all.
 */
static json_t *
tree(const struct thread_view *tv)
{
	const struct thread_page *pg = tv->pg;
	json_t		*top, *c, *replies, **rep = NULL;
	int		*level = NULL;
	size_t		 i;
	long long	 p;

	if ((top = json_array()) == NULL)
		return NULL;
	if (pg->n == 0)
		return top;
	rep = calloc(pg->n, sizeof(*rep));
	level = calloc(pg->n, sizeof(*level));
	if (rep == NULL || level == NULL)
		goto fail;
	for (i = 0; i < pg->n; i++) {
		if (tv->shown[i] == SHOWN_NOT)
			continue;
		c = comment_obj(&pg->v[i], tv->shown[i] == SHOWN_PLACEHOLDER);
		replies = json_array();
		if (c == NULL || replies == NULL ||
		    json_object_set_new(c, "replies", replies) == -1) {
			json_decref(c);
			if (c == NULL)
				json_decref(replies);
			goto fail;
		}
		p = tv->parent[i];
		if (p < 0 || tv->shown[p] == SHOWN_NOT) {
			level[i] = 0;
			rep[i] = replies;
			if (json_array_append_new(top, c) == -1)
				goto fail;
			continue;
		}
		if (level[p] + 1 < JSON_MAX_NEST) {
			level[i] = level[p] + 1;
			rep[i] = replies;
			if (json_array_append_new(rep[p], c) == -1)
				goto fail;
		} else {
			/* Too deep: beside its parent, in the same list. */
			level[i] = level[p];
			rep[i] = rep[p];
			if (json_array_append_new(rep[p], c) == -1)
				goto fail;
		}
	}
	free(rep);
	free(level);
	return top;
fail:
	free(rep);
	free(level);
	json_decref(top);
	return NULL;
}

enum status
json_thread(struct buf *b, const struct article *ar,
    const struct thread_view *tv, const char *form_token, long delay,
    int notify, int votes)
{
	json_t	*o = json_object();

	if (set(o, "form_token", str(form_token)) == -1 ||
	    set(o, "votes", json_pack("{s:b,s:b}", "up", votes > 0, "down",
	    votes > 1)) == -1 ||
	    set(o, "submit_delay", json_integer(delay)) == -1 ||
	    set(o, "notify", json_boolean(notify)) == -1 ||
	    set(o, "article", article_obj(ar)) == -1 ||
	    set(o, "comments", tree(tv)) == -1 ||
	    set(o, "next", int_or_null(tv->pg->next)) == -1 ||
	    set(o, "total", json_integer(ar->ncomments)) == -1) {
		json_decref(o);
		o = NULL;
	}
	return dump(b, o);
}

enum status
json_empty_thread(struct buf *b, const char *form_token, long delay,
    int notify)
{
	json_t	*o = json_pack("{s:o,s:I,s:b,s:n,s:[],s:n,s:i}", "form_token",
	    str(form_token), "submit_delay", (json_int_t)delay, "notify",
	    notify, "article", "comments", "next", "total", 0);

	return dump(b, o);
}

enum status
json_posted(struct buf *b, const struct comment *c, const char *token,
    long long edit_until, const char *form_token, long delay)
{
	json_t		*o;

	o = comment_obj(c, 0);
	/* The poster hears "spam" only where the site says so (the domain
	 * leaves CS_SPAM here only then). */
	if (c->status == CS_SPAM && set(o, "status", str("spam")) == -1) {
		json_decref(o);
		return dump(b, NULL);
	}
	if (set(o, "replies", json_array()) == -1 ||
	    set(o, "token", str(token)) == -1 ||
	    set(o, "edit_until", json_integer(edit_until)) == -1 ||
	    set(o, "form_token", str(form_token)) == -1 ||
	    set(o, "submit_delay", json_integer(delay)) == -1) {
		json_decref(o);
		o = NULL;
	}
	return dump(b, o);
}

enum status
json_edited(struct buf *b, long long id, const char *html)
{
	json_t	*o = json_object();

	if (set(o, "id", json_integer(id)) == -1 ||
	    set(o, "html", str(html)) == -1 ||
	    set(o, "edited", json_true()) == -1) {
		json_decref(o);
		o = NULL;
	}
	return dump(b, o);
}

enum status
json_deleted(struct buf *b, long long id)
{
	json_t	*o = json_object();

	if (set(o, "id", json_integer(id)) == -1 ||
	    set(o, "deleted", json_true()) == -1) {
		json_decref(o);
		o = NULL;
	}
	return dump(b, o);
}

enum status
json_vote(struct buf *b, long long up, long long down, const char *voter)
{
	json_t	*o = json_object();

	if (set(o, "up", json_integer(up)) == -1 ||
	    set(o, "down", json_integer(down)) == -1 ||
	    (voter != NULL && set(o, "voter", str(voter)) == -1)) {
		json_decref(o);
		o = NULL;
	}
	return dump(b, o);
}

enum status
json_reported(struct buf *b, long long id)
{
	return dump(b, json_pack("{s:I,s:b}", "id", (json_int_t)id,
	    "reported", 1));
}

enum status
json_preview(struct buf *b, const char *html)
{
	return dump(b, json_pack("{s:o}", "html", str(html)));
}

enum status
json_counts(struct buf *b, const char *const *uris, const long long *counts,
    size_t n)
{
	json_t	*o = json_object();
	size_t	 i;

	if (o == NULL)
		return dump(b, NULL);
	for (i = 0; i < n; i++) {
		/* jansson would refuse such a key; say so apart from
		 * running out of memory. */
		if (!utf8_valid(uris[i], strlen(uris[i]))) {
			json_decref(o);
			return ST_INPUT;
		}
		if (set(o, uris[i], json_integer(counts[i])) == -1) {
			json_decref(o);
			return dump(b, NULL);
		}
	}
	return dump(b, o);
}

/* --- the spam hook's input ----------------------------------------------- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? str(s) : json_null();
}

const char *
json_hook_input(struct arena *a, const struct hook_doc *d)
{
	json_t			*o;
	struct buf		 b = BUF_INIT;
	const char		*rv = NULL;

	o = json_pack("{s:{s:o,s:o,s:o,s:o,s:o,s:s},s:{s:o,s:o,s:o},"
	    "s:{s:o,s:o,s:o},s:{s:o,s:s,s:s}}",
	    "comment",
	    "author", str(d->author),
	    "email", str_or_null(d->email),
	    "website", str_or_null(d->website),
	    "body", str(d->body),
	    "parent", d->parent > 0 ? json_integer(d->parent) : json_null(),
	    "type", d->parent > 0 ? "reply" : "comment",
	    "article",
	    "uri", str(d->uri),
	    "title", str(d->title),
	    "permalink", str(d->permalink),
	    "request",
	    "address", str(d->address != NULL ? d->address : ""),
	    "user_agent", str_or_null(d->user_agent),
	    "referrer", str_or_null(d->referrer),
	    "site",
	    "url", str(d->site_url != NULL ? d->site_url : ""),
	    "lang", "en",
	    "charset", "UTF-8");
	if (o != NULL && json_dump_callback(o, dump_cb, &b, JSON_COMPACT) == 0 &&
	    !b.err)
		rv = arena_strndup(a, buf_str(&b), b.len);
	json_decref(o);
	buf_free(&b);
	return rv;
}

enum status
json_webhook(struct buf *b, long long id, const struct mail_event *e)
{
	json_t	*o, *c;

	c = json_pack("{s:I,s:o,s:{s:I,s:o,s:o},s:o,s:o,s:o,s:o,s:I}",
	    "id", (json_int_t)e->comment,
	    "parent", int_or_null(e->parent),
	    "article", "id", (json_int_t)e->article, "uri", str(e->uri),
	    "title", str(e->title),
	    "uri", str(e->uri),
	    "author", str(e->author),
	    "html", str(e->html),
	    "status", str(e->status),
	    "created", (json_int_t)e->created);
	o = c == NULL ? NULL : json_pack("{s:s,s:I,s:I,s:o}", "event", e->kind,
	    "id", (json_int_t)id, "at", (json_int_t)e->at, "comment", c);
	return dump(b, o);
}

/* A time, or null for 0. */
static json_t *
time_or_null(long long t)
{
	return t > 0 ? json_integer(t) : json_null();
}

enum status
json_privacy(struct buf *b, const char *email, const struct feed_entry *c,
    size_t nc, const struct subscriber *sb, const struct sub_row *sub,
    size_t ns, const struct outbox_msg *m, size_t nm)
{
	json_t	*o, *v, *x;
	size_t	 i;
	int	 bad = 0;

	o = json_object();
	bad |= set(o, "email", str(email)) == -1;
	bad |= set(o, "comments", v = json_array()) == -1;
	for (i = 0; i < nc && !bad; i++) {
		x = json_pack("{s:I,s:{s:I,s:o,s:o},s:I,s:o,s:o,s:o,s:o,s:o,"
		    "s:o,s:o,s:I,s:o}",
		    "id", (json_int_t)c[i].c.id,
		    "article", "id", (json_int_t)c[i].c.article, "uri",
		    str(c[i].uri), "title", str(c[i].title),
		    "parent", (json_int_t)c[i].c.parent,
		    "author", str(c[i].c.author),
		    "email", str(c[i].c.email),
		    "website", str(c[i].c.website),
		    "body", str(c[i].c.body),
		    "status", str(cstatus_str(c[i].c.status)),
		    "address_hash", str(c[i].c.addr_hash),
		    "user_agent", str(c[i].c.user_agent),
		    "created", (json_int_t)c[i].c.created,
		    "edited", time_or_null(c[i].c.edited));
		bad |= x == NULL || json_array_append_new(v, x) == -1;
	}
	x = sb == NULL ? json_null() : json_pack("{s:I,s:o,s:o}", "created",
	    (json_int_t)sb->created, "confirmed", time_or_null(sb->confirmed),
	    "asked", time_or_null(sb->asked));
	bad |= set(o, "subscriber", x) == -1;
	bad |= set(o, "subscriptions", v = json_array()) == -1;
	for (i = 0; i < ns && !bad; i++) {
		x = json_pack("{s:I,s:I,s:o,s:I}", "comment",
		    (json_int_t)sub[i].comment, "article",
		    (json_int_t)sub[i].article, "uri", str(sub[i].uri),
		    "created", (json_int_t)sub[i].created);
		bad |= x == NULL || json_array_append_new(v, x) == -1;
	}
	bad |= set(o, "messages", v = json_array()) == -1;
	for (i = 0; i < nm && !bad; i++) {
		x = json_pack("{s:I,s:o,s:o,s:I,s:o,s:I,s:o}", "id",
		    (json_int_t)m[i].id, "what", str(m[i].what), "state",
		    str(m[i].state), "comment", (json_int_t)m[i].comment,
		    "error", str(m[i].last_error), "created",
		    (json_int_t)m[i].created, "done", time_or_null(m[i].done));
		bad |= x == NULL || json_array_append_new(v, x) == -1;
	}
	if (bad) {
		json_decref(o);
		o = NULL;
	}
	if (o != NULL && json_dump_callback(o, dump_cb, b, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) != 0) {
		b->err = 1;
		json_decref(o);
		return ST_NOMEM;
	}
	if (o == NULL) {
		b->err = 1;
		return ST_NOMEM;
	}
	json_decref(o);
	buf_putc(b, '\n');
	return ST_OK;
}
