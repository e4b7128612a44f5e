/* json.c: JSON documents out: a thread page written directly, the rest
 * through jansson */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "render/json.h"
#include "render/strings.h"
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

enum status
json_strings(struct buf *b)
{
	struct wstring	 w[STRINGS_MAX];
	json_t		*o = json_object(), *s = json_object();
	size_t		 i, n;

	if (set(o, "lang", str(i18n_code())) == -1) {
		json_decref(o);
		json_decref(s);
		return dump(b, NULL);
	}
	n = strings_widget(w);
	for (i = 0; i < n; i++)
		if (set(s, w[i].name, str(w[i].text)) == -1) {
			json_decref(o);
			json_decref(s);
			return dump(b, NULL);
		}
	if (set(o, "strings", s) == -1) {
		json_decref(o);
		return dump(b, NULL);
	}
	return dump(b, o);
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

/*
 * A thread page, the API's busiest answer, is written straight into the
 * buffer rather than built as jansson objects and dumped: the objects
 * (a hash table each) cost more than the rest of the request.  The bytes
 * are what jansson's compact dump gave: keys in the order written, only
 * '"', '\\' and control characters escaped, UTF-8 kept.
 */

/* The escape of each byte that needs one in a JSON string, else NULL. */
static const char *const esc[256] = {
	['"'] = "\\\"", ['\\'] = "\\\\",
	['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r",
	['\t'] = "\\t",
	[0x00] = "\\u0000", [0x01] = "\\u0001", [0x02] = "\\u0002",
	[0x03] = "\\u0003", [0x04] = "\\u0004", [0x05] = "\\u0005",
	[0x06] = "\\u0006", [0x07] = "\\u0007", [0x0b] = "\\u000B",
	[0x0e] = "\\u000E", [0x0f] = "\\u000F", [0x10] = "\\u0010",
	[0x11] = "\\u0011", [0x12] = "\\u0012", [0x13] = "\\u0013",
	[0x14] = "\\u0014", [0x15] = "\\u0015", [0x16] = "\\u0016",
	[0x17] = "\\u0017", [0x18] = "\\u0018", [0x19] = "\\u0019",
	[0x1a] = "\\u001A", [0x1b] = "\\u001B", [0x1c] = "\\u001C",
	[0x1d] = "\\u001D", [0x1e] = "\\u001E", [0x1f] = "\\u001F",
};

static void
put_escaped(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, run;

	buf_putc(b, '"');
	for (i = run = 0; i < n; i++) {
		if (esc[u[i]] == NULL)
			continue;
		buf_put(b, s + run, i - run);
		buf_puts(b, esc[u[i]]);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
	buf_putc(b, '"');
}

/* A string, or null for NULL; bytes that are not UTF-8 become U+FFFD (as
 * str() does for jansson). */
static void
put_str(struct buf *b, const char *s)
{
	struct buf	 fixed = BUF_INIT;
	size_t		 i, n;

	if (s == NULL) {
		buf_put(b, "null", 4);
		return;
	}
	n = strlen(s);
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		continue;
	if (i == n || utf8_valid(s + i, n - i)) {
		put_escaped(b, s, n);
		return;
	}
	utf8_repair(&fixed, s, n, UTF8_REPLACEMENT);
	if (fixed.err)
		b->err = 1;
	else
		put_escaped(b, fixed.p, fixed.len);
	buf_free(&fixed);
}

static void
put_int(struct buf *b, long long v)
{
	char			 d[24], *p = d + sizeof(d);
	unsigned long long	 u;

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(d + sizeof(d) - p));
}

/* Our own JSON: keys and punctuation, as literals (inline: their length
 * is counted when compiling). */
static inline void
put_raw(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void
put_int_or_null(struct buf *b, long long v)
{
	if (v != 0)
		put_int(b, v);
	else
		buf_put(b, "null", 4);
}

/* One comment's members, up to its replies' opening bracket. */
static void
put_comment(struct buf *b, const struct comment *c, int placeholder)
{
	put_raw(b, "{\"id\":");
	put_int(b, c->id);
	put_raw(b, ",\"parent\":");
	put_int_or_null(b, c->parent);
	put_raw(b, ",\"author\":");
	put_str(b, placeholder ? "" : c->author);
	put_raw(b, ",\"website\":");
	put_str(b, placeholder ? NULL : c->website);
	put_raw(b, ",\"html\":");
	put_str(b, placeholder ? "" : c->html);
	put_raw(b, ",\"created\":");
	put_int(b, c->created);
	put_raw(b, ",\"edited\":");
	put_int_or_null(b, placeholder ? 0 : c->edited);
	put_raw(b, ",\"status\":");
	put_str(b, placeholder ? (c->status == CS_DELETED ? "deleted" :
	    "hidden") : c->status == CS_SPAM ? "pending" :
	    cstatus_str(c->status));
	put_raw(b, ",\"up\":");
	put_int(b, placeholder ? 0 : c->up);
	put_raw(b, ",\"down\":");
	put_int(b, placeholder ? 0 : c->down);
	put_raw(b, ",\"replies\":[");
}

#define NONE	((size_t)-1)

/*
 * The shown rows as a tree: each goes into the replies of its parent's
 * row (shown or a placeholder), or at the top.  Past JSON_MAX_NEST levels
 * a row's own replies go where it went, beside it (its "replies" stay
 * empty).  Lists are linked first (head, tail, next by row; the top list
 * is row n), then written depth first with a stack no deeper than
 * JSON_MAX_NEST.  -1 when out of memory.
 */
static int
put_tree(struct buf *b, const struct thread_view *tv)
{
	const struct thread_page *pg = tv->pg;
	size_t		*head, *tail, *next, *into, *level;
	size_t		 stack[JSON_MAX_NEST + 1], depth, i, p, list, n = pg->n;

	head = calloc(n + 1, sizeof(*head));
	tail = calloc(n + 1, sizeof(*tail));
	next = calloc(n + 1, sizeof(*next));
	into = calloc(n + 1, sizeof(*into));
	level = calloc(n + 1, sizeof(*level));
	if (head == NULL || tail == NULL || next == NULL || into == NULL ||
	    level == NULL) {
		free(head);
		free(tail);
		free(next);
		free(into);
		free(level);
		b->err = 1;
		return -1;
	}
	for (i = 0; i <= n; i++)
		head[i] = tail[i] = next[i] = NONE;
	for (i = 0; i < n; i++) {
		if (tv->shown[i] == SHOWN_NOT)
			continue;
		p = tv->parent[i] < 0 ? NONE : (size_t)tv->parent[i];
		if (p == NONE || tv->shown[p] == SHOWN_NOT) {
			level[i] = 0;
			into[i] = i;
			list = n;
		} else {
			list = into[p];
			if (level[p] + 1 < JSON_MAX_NEST) {
				level[i] = level[p] + 1;
				into[i] = i;
			} else {
				level[i] = level[p];
				into[i] = into[p];
			}
		}
		if (tail[list] == NONE)
			head[list] = i;
		else
			next[tail[list]] = i;
		tail[list] = i;
	}
	buf_putc(b, '[');
	depth = 0;
	stack[0] = head[n];
	while (1) {
		i = stack[depth];
		if (i == NONE) {
			/* This list is done: close it, and its comment. */
			if (depth == 0)
				break;
			buf_put(b, "]}", 2);
			depth--;
			stack[depth] = next[stack[depth]];
			if (stack[depth] != NONE)
				buf_putc(b, ',');
			continue;
		}
		put_comment(b, &pg->v[i], tv->shown[i] == SHOWN_PLACEHOLDER);
		if (into[i] == i && head[i] != NONE) {
			stack[++depth] = head[i];
			continue;
		}
		buf_put(b, "]}", 2);
		stack[depth] = next[i];
		if (stack[depth] != NONE)
			buf_putc(b, ',');
	}
	buf_putc(b, ']');
	free(head);
	free(tail);
	free(next);
	free(into);
	free(level);
	return 0;
}

enum status
json_thread(struct buf *b, const struct article *ar,
    const struct thread_view *tv, const char *form_token, long delay,
    int notify, int votes)
{
	put_raw(b, "{\"form_token\":");
	put_str(b, form_token);
	put_raw(b, votes > 1 ? ",\"votes\":{\"up\":true,\"down\":true}" :
	    votes > 0 ? ",\"votes\":{\"up\":true,\"down\":false}" :
	    ",\"votes\":{\"up\":false,\"down\":false}");
	put_raw(b, ",\"submit_delay\":");
	put_int(b, delay);
	put_raw(b, notify ? ",\"notify\":true" : ",\"notify\":false");
	put_raw(b, ",\"article\":{\"id\":");
	put_int(b, ar->id);
	put_raw(b, ",\"uri\":");
	put_str(b, ar->uri);
	put_raw(b, ",\"title\":");
	put_str(b, ar->title);
	put_raw(b, ar->closed ? ",\"closed\":true" : ",\"closed\":false");
	put_raw(b, ",\"version\":");
	put_int(b, ar->version);
	put_raw(b, ",\"count\":");
	put_int(b, ar->ncomments);
	put_raw(b, "},\"comments\":");
	if (put_tree(b, tv) == -1)
		return ST_NOMEM;
	put_raw(b, ",\"next\":");
	put_int_or_null(b, tv->pg->next);
	put_raw(b, ",\"total\":");
	put_int(b, ar->ncomments);
	buf_putc(b, '}');
	return b->err ? ST_NOMEM : ST_OK;
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
