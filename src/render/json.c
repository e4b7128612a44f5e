/* json.c: JSON bodies in and out, through jansson */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/utf8.h"
#include "http/http.h"
#include "render/json.h"
#include "domain/spam.h"
#include "domain/post.h"
#include "store/store.h"

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

/* --- reading ------------------------------------------------------------- */

/* A sentence for what jansson found wrong.  Its own text may quote the
 * bad bytes (not always valid UTF-8), so only the kind and position are
 * passed on. */
static const char *
load_error(struct arena *a, const json_error_t *e, size_t len)
{
	const char	*what;

	if (len == 0)
		return "The request body is empty; send a JSON object.";
	switch (json_error_code(e)) {
	case json_error_invalid_utf8:
		what = "it is not valid UTF-8";
		break;
	case json_error_premature_end_of_input:
		what = "it ends too early";
		break;
	case json_error_end_of_input_expected:
		what = "there is more after the object";
		break;
	case json_error_duplicate_key:
		what = "a key appears twice";
		break;
	case json_error_numeric_overflow:
		what = "a number is too large";
		break;
	case json_error_null_byte_in_key:
		what = "a key holds a NUL";
		break;
	case json_error_stack_overflow:
		what = "it nests too deeply";
		break;
	case json_error_out_of_memory:
		return NULL;
	default:
		what = "the syntax is wrong, or a \\u escape is not a valid "
		    "character";
		break;
	}
	return arena_printf(a, "The request body is not valid JSON: %s "
	    "(line %d, column %d).", what, e->line, e->column);
}

/* Copy a JSON string's bytes, NULs and all, into the arena. */
static int
copy(struct arena *a, json_t *v, struct field *f)
{
	size_t	 n = json_string_length(v);
	char	*p;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return -1;
	memcpy(p, json_string_value(v), n);
	p[n] = '\0';
	f->s = p;
	f->n = n;
	return 0;
}

enum status
json_comment_input(struct arena *a, const char *body, size_t len,
    struct comment_input *out, const char **token, const char **errfield,
    const char **errmsg)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "author", offsetof(struct comment_input, author) },
		{ "email", offsetof(struct comment_input, email) },
		{ "website", offsetof(struct comment_input, website) },
		{ "body", offsetof(struct comment_input, body) },
		{ "form_token", offsetof(struct comment_input, form_token) },
		{ "hp", offsetof(struct comment_input, honeypot) },
		{ "title", offsetof(struct comment_input, title) },
	};
	json_error_t	 e;
	json_t		*o, *v;
	struct field	 tok;
	enum status	 st = ST_OK;
	size_t		 i;
	char		*p;

	memset(out, 0, sizeof(*out));
	*token = NULL;
	*errfield = NULL;
	*errmsg = NULL;
	/*
	 * NULs inside strings are let through (and counted) so that the
	 * field check answers with the field's name, as it does for other
	 * control characters; nesting is capped by jansson itself.
	 */
	o = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, &e);
	if (o == NULL) {
		*errmsg = load_error(a, &e, len);
		return *errmsg != NULL ? ST_INPUT : ST_NOMEM;
	}
	if (!json_is_object(o)) {
		*errmsg = "The request body must be a JSON object, "
		    "{\"body\": \"...\"}.";
		st = ST_INPUT;
		goto out;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = json_object_get(o, fields[i].name);
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			*errfield = fields[i].name;
			*errmsg = arena_printf(a, "The field \"%s\" must be a "
			    "string.", fields[i].name);
			st = ST_INPUT;
			goto out;
		}
		if (copy(a, v, (struct field *)((char *)out +
		    fields[i].off)) == -1) {
			st = ST_NOMEM;
			goto out;
		}
	}

	v = json_object_get(o, "parent");
	if (json_is_integer(v)) {
		/* As text, so the form's and the API's parent meet the
		 * same check in post.c. */
		if ((p = arena_printf(a, "%lld",
		    (long long)json_integer_value(v))) == NULL) {
			st = ST_NOMEM;
			goto out;
		}
		out->parent.s = p;
		out->parent.n = strlen(p);
	} else if (json_is_string(v)) {
		if (copy(a, v, &out->parent) == -1) {
			st = ST_NOMEM;
			goto out;
		}
	} else if (v != NULL && !json_is_null(v)) {
		*errfield = "parent";
		*errmsg = "The field \"parent\" must be a comment number, "
		    "or null for a top-level comment.";
		st = ST_INPUT;
		goto out;
	}

	v = json_object_get(o, "token");
	if (v != NULL && !json_is_null(v)) {
		/* A token is ASCII; one with a NUL would be cut short. */
		if (!json_is_string(v) || memchr(json_string_value(v), '\0',
		    json_string_length(v)) != NULL) {
			*errfield = "token";
			*errmsg = "The field \"token\" must be the string "
			    "given when the comment was posted.";
			st = ST_INPUT;
			goto out;
		}
		if (copy(a, v, &tok) == -1) {
			st = ST_NOMEM;
			goto out;
		}
		*token = tok.s;
	}
 out:
	if (st != ST_OK) {
		memset(out, 0, sizeof(*out));
		*token = NULL;
	}
	if (st == ST_INPUT && *errmsg == NULL)
		st = ST_NOMEM;	/* arena_printf failed */
	json_decref(o);
	return st;
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
	    cstatus_str(c->status))) == -1) {
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
 * The shown rows as a tree.  Rows come depth-first, so a row's parent is
 * the last shown row one level up: level[d] is the replies array that
 * takes rows of depth d.  Borrowed references only; the tree owns all.
 */
static json_t *
tree(const struct thread_page *pg, const unsigned char *shown)
{
	json_t	*level[JSON_MAX_NEST + 1], *top, *c, *replies;
	size_t	 i;
	int	 d, open = 0;

	if ((top = json_array()) == NULL)
		return NULL;
	level[0] = top;
	for (i = 0; i < pg->n; i++) {
		if (shown[i] == JS_HIDDEN)
			continue;
		d = pg->v[i].depth;
		/* Deeper than the nesting cap, or a gap in the data: hang
		 * it on the deepest open level. */
		if (d < 0)
			d = 0;
		if (d > open)
			d = open;
		c = comment_obj(&pg->v[i], shown[i] == JS_PLACEHOLDER);
		replies = json_array();
		if (c == NULL || replies == NULL ||
		    json_array_append_new(level[d], c) == -1) {
			json_decref(c);
			json_decref(replies);
			json_decref(top);
			return NULL;
		}
		if (json_object_set_new(c, "replies", replies) == -1) {
			json_decref(top);
			return NULL;
		}
		open = d;
		if (d < JSON_MAX_NEST)
			level[++open] = replies;
	}
	return top;
}

enum status
json_thread(struct buf *b, const struct article *ar,
    const struct thread_page *pg, const unsigned char *shown,
    const char *form_token, long delay)
{
	json_t	*o = json_object();

	if (set(o, "form_token", str(form_token)) == -1 ||
	    set(o, "submit_delay", json_integer(delay)) == -1 ||
	    set(o, "article", article_obj(ar)) == -1 ||
	    set(o, "comments", tree(pg, shown)) == -1 ||
	    set(o, "next", int_or_null(pg->next)) == -1 ||
	    set(o, "total", json_integer(ar->ncomments)) == -1) {
		json_decref(o);
		o = NULL;
	}
	return dump(b, o);
}

enum status
json_empty_thread(struct buf *b, const char *form_token, long delay)
{
	json_t	*o = json_pack("{s:o,s:I,s:n,s:[],s:n,s:i}", "form_token",
	    str(form_token), "submit_delay", (json_int_t)delay, "article",
	    "comments", "next", "total", 0);

	return dump(b, o);
}

enum status
json_posted(struct buf *b, const struct post_result *res,
    const char *form_token, long delay)
{
	struct comment	 c;
	json_t		*o;

	memset(&c, 0, sizeof(c));
	c.id = res->id;
	c.parent = res->parent;
	c.author = res->author;
	c.website = res->website;
	c.html = res->html;
	c.created = res->created;
	c.status = res->status;
	o = comment_obj(&c, 0);
	if (set(o, "replies", json_array()) == -1 ||
	    set(o, "token", str(res->token)) == -1 ||
	    set(o, "edit_until", json_integer(res->expires)) == -1 ||
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
json_hook_input(struct req *rq, const struct spam_input *in)
{
	const struct config	*cfg = rq->ctx->cfg;
	const struct article	*ar = in->ar;
	json_t			*o;
	struct buf		 b = BUF_INIT;
	const char		*permalink, *rv = NULL;

	/* Embedded threads live at their page on the embedding site (the
	 * uri is its path); hosted ones here. */
	if (http_origin_allowed(rq))
		permalink = arena_printf(rq->arena, "%s%s", rq->origin,
		    ar->uri);
	else if (cfg->base_url[0] != '\0' && ar->id > 0)
		permalink = arena_printf(rq->arena, "%s/articles/%lld",
		    cfg->base_url, ar->id);
	else
		permalink = ar->uri;
	if (permalink == NULL)
		return NULL;
	o = json_pack("{s:{s:o,s:o,s:o,s:o,s:o,s:s},s:{s:o,s:o,s:o},"
	    "s:{s:o,s:o,s:o},s:{s:o,s:s,s:s}}",
	    "comment",
	    "author", str(in->author),
	    "email", str_or_null(in->email),
	    "website", str_or_null(in->website),
	    "body", str(in->body),
	    "parent", in->parent > 0 ? json_integer(in->parent) : json_null(),
	    "type", in->parent > 0 ? "reply" : "comment",
	    "article",
	    "uri", str(ar->uri),
	    "title", str(ar->title),
	    "permalink", str(permalink),
	    "request",
	    "address", str(rq->remote_addr),
	    "user_agent", str_or_null(rq->user_agent),
	    "referrer", str_or_null(rq->referer),
	    "site",
	    "url", str(cfg->base_url),
	    "lang", "en",
	    "charset", "UTF-8");
	if (o != NULL && json_dump_callback(o, dump_cb, &b, JSON_COMPACT) == 0 &&
	    !b.err)
		rv = arena_strndup(rq->arena, buf_str(&b), b.len);
	json_decref(o);
	buf_free(&b);
	return rv;
}
