/* import_isso.c: Isso's comments, from its SQLite database (read through the store) or its generic JSON import format (through jansson) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/text.h"
#include "import/import_int.h"
#include "store/store.h"

/* Isso's comment modes. */
static const struct {
	int		 mode;
	enum cstatus	 status;
} modes[] = {
	{ 1, CS_APPROVED },
	{ 2, CS_PENDING },
	{ 4, CS_DELETED },	/* kept for its replies, text gone */
};

static enum cstatus
isso_status(int mode)
{
	size_t	 i;

	for (i = 0; i < NITEMS(modes); i++)
		if (modes[i].mode == mode)
			return modes[i].status;
	return CS_PENDING;	/* unknown: a moderator decides */
}

/* The article of a thread; threads come one after the other, so it is
 * the last one made unless the key is new. */
static size_t
isso_article(struct build *b, const char *tid, const char *uri,
    const char *title, long long created, const char **last)
{
	const char	*key, *t, *who;
	size_t		 art;

	if (*last != NULL && strcmp(*last, tid) == 0)
		return b->d->narticles - 1;
	if ((key = import_uri(b, uri, strlen(uri))) == NULL)
		return IMPORT_NONE;
	if ((who = arena_printf(&b->d->a, "the thread %.200s", uri)) == NULL ||
	    (*last = import_keep(b, tid, strlen(tid))) == NULL) {
		b->st = ST_NOMEM;
		return IMPORT_NONE;
	}
	t = title != NULL ? import_plain(b, title, strlen(title), TEXT_TITLE,
	    who) : NULL;
	art = import_add_article(b, key, import_keep(b, uri, strlen(uri)), t,
	    created, 0);
	return art;
}

/* One comment of either form; the strings are the caller's. */
struct isso_in {
	const char	*id, *parent;
	const char	*author, *email, *website, *text;
	long long	 created;
	long long	 likes, dislikes;
	int		 mode;
};

static void
isso_comment(struct build *b, size_t art, const struct isso_in *in)
{
	struct import_comment	 c;
	const char		*who;

	memset(&c, 0, sizeof(c));
	c.article = art;
	c.parent = IMPORT_NONE;
	if ((c.id = import_keep(b, in->id, strlen(in->id))) == NULL ||
	    (who = arena_printf(&b->d->a, "comment %.80s on %.200s", c.id,
	    b->d->articles[art].uri)) == NULL) {
		b->st = ST_NOMEM;
		return;
	}
	if (in->parent != NULL)
		c.parent_id = import_keep(b, in->parent, strlen(in->parent));
	c.status = isso_status(in->mode);
	if (in->author == NULL || (c.author = import_plain(b, in->author,
	    strlen(in->author), TEXT_NAME, who)) == NULL)
		c.author = "Anonymous";
	if (in->email != NULL)
		c.email = import_email(b, in->email, strlen(in->email), who);
	if (in->website != NULL)
		c.website = import_website(b, in->website,
		    strlen(in->website));
	c.created = in->created;
	c.up = in->likes > 0 ? in->likes : 0;
	c.down = in->dislikes > 0 ? in->dislikes : 0;
	b->d->likes += c.up + c.down;
	if (!import_body_md(b, &c, in->text != NULL ? in->text : "",
	    in->text != NULL ? strlen(in->text) : 0))
		return;
	import_add_comment(b, &c);
}

/* --- the database -------------------------------------------------------- */

struct dbwalk {
	struct build	*b;
	const char	*last;		/* the thread of the last article */
	char		 id[32], parent[32], tid[32];
};

static int
db_comment(void *arg, const struct isso_comment *ic)
{
	struct dbwalk	*w = arg;
	struct build	*b = w->b;
	struct isso_in	 in;
	size_t		 art;

	snprintf(w->tid, sizeof(w->tid), "%lld", ic->thread);
	snprintf(w->id, sizeof(w->id), "%lld", ic->id);
	art = isso_article(b, w->tid, ic->uri != NULL ? ic->uri : "",
	    ic->title, ic->created > 0 ? (long long)ic->created : 0,
	    &w->last);
	if (b->st != ST_OK)
		return -1;
	if (art == IMPORT_NONE) {
		import_warn(b->d, "comment %s: its thread's uri %.200s is no "
		    "path: left out", w->id, ic->uri != NULL ? ic->uri : "");
		import_drop(b->d, DROP_NO_LINK, 1);
		return 0;
	}
	memset(&in, 0, sizeof(in));
	in.id = w->id;
	if (ic->parent > 0) {
		snprintf(w->parent, sizeof(w->parent), "%lld", ic->parent);
		in.parent = w->parent;
	}
	in.author = ic->author;
	in.email = ic->email;
	in.website = ic->website;
	in.text = ic->text;
	in.mode = ic->mode;
	in.created = ic->created >= 1 && ic->created < 1e12 ?
	    (long long)ic->created : 0;
	in.likes = ic->likes;
	in.dislikes = ic->dislikes;
	isso_comment(b, art, &in);
	return b->st == ST_OK ? 0 : -1;
}

enum status
import_isso_db(struct build *b, const char *path, char *err, size_t errsz)
{
	struct isso	*h = NULL;
	struct arena	 a = { NULL, 0 };
	struct dbwalk	 w;
	enum status	 st;

	if ((st = store_isso_open(path, &h, err, errsz)) != ST_OK)
		return st;
	memset(&w, 0, sizeof(w));
	w.b = b;
	b->d->source = "isso";
	st = store_isso_comments(h, &a, db_comment, &w);
	if (st == ST_INPUT)
		st = b->st;	/* db_comment stopped: out of memory */
	else if (st == ST_DB)
		snprintf(err, errsz, "the Isso database cannot be read");
	arena_free(&a);
	store_isso_close(h);
	return st;
}

/* --- the generic JSON ---------------------------------------------------- */

/* A string member, or NULL when it is missing, null or not a string. */
static const char *
str_of(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An id: an integer or a string; "" when neither. */
static const char *
id_of(json_t *o, const char *key, char *tmp, size_t n)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_integer(v)) {
		snprintf(tmp, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return tmp;
	}
	return json_is_string(v) ? json_string_value(v) : "";
}

/* "created": Isso writes "2015-01-28 10:00:00"; unix seconds are taken
 * too. */
static long long
created_of(json_t *o)
{
	json_t	*v = json_object_get(o, "created");
	double	 t;

	if (json_is_string(v))
		return import_date(json_string_value(v));
	if (json_is_number(v)) {
		t = json_number_value(v);
		return t >= 1 && t < 1e12 ? (long long)t : 0;
	}
	return 0;
}

static void
json_thread(struct build *b, json_t *t, size_t ti)
{
	json_t		*cs, *c, *v;
	struct isso_in	 in;
	const char	*tid, *last = NULL, *cid, *pid;
	char		 ctmp[32], ptmp[32];
	size_t		 art, i, k;

	tid = str_of(t, "id");
	cs = json_object_get(t, "comments");
	k = json_is_array(cs) ? json_array_size(cs) : 0;
	if (tid == NULL || (art = isso_article(b, tid, tid, str_of(t,
	    "title"), 0, &last)) == IMPORT_NONE) {
		if (b->st != ST_OK)
			return;
		import_warn(b->d, "thread %zu: its \"id\" is no path: its %zu "
		    "comments are left out", ti + 1, k);
		import_drop(b->d, DROP_NO_LINK, k);
		return;
	}
	for (i = 0; i < k && b->st == ST_OK; i++) {
		c = json_array_get(cs, i);
		cid = json_is_object(c) ? id_of(c, "id", ctmp, sizeof(ctmp)) :
		    "";
		if (*cid == '\0') {
			import_warn(b->d, "a comment on %.200s has no \"id\": "
			    "left out", tid);
			import_drop(b->d, DROP_NO_ID, 1);
			continue;
		}
		memset(&in, 0, sizeof(in));
		/* Ids are a thread's own: the thread goes in front. */
		in.id = arena_printf(&b->d->a, "%s#%s", tid, cid);
		pid = id_of(c, "parent", ptmp, sizeof(ptmp));
		if (*pid != '\0')
			in.parent = arena_printf(&b->d->a, "%s#%s", tid, pid);
		if (in.id == NULL || (*pid != '\0' && in.parent == NULL)) {
			b->st = ST_NOMEM;
			return;
		}
		in.author = str_of(c, "author");
		in.email = str_of(c, "email");
		in.website = str_of(c, "website");
		in.text = str_of(c, "text");
		in.created = created_of(c);
		v = json_object_get(c, "mode");
		in.mode = json_is_integer(v) ? (int)json_integer_value(v) : 1;
		isso_comment(b, art, &in);
	}
}

enum status
import_isso_json(struct build *b, const char *data, size_t len, char *err,
    size_t errsz)
{
	json_error_t	 je;
	json_t		*root;
	size_t		 i;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, errsz, "not JSON: line %d: %.150s", je.line,
		    je.text);
		import_sanitize(err);
		return ST_INPUT;
	}
	if (!json_is_array(root)) {
		snprintf(err, errsz, "not an Isso export: Isso's generic JSON "
		    "is a list of threads ([{\"id\": ..., \"comments\": "
		    "[...]}])");
		json_decref(root);
		return ST_INPUT;
	}
	b->d->source = "isso-json";
	for (i = 0; i < json_array_size(root) && b->st == ST_OK; i++) {
		if (!json_is_object(json_array_get(root, i))) {
			snprintf(err, errsz, "not an Isso export: thread %zu "
			    "is not an object", i + 1);
			json_decref(root);
			return ST_INPUT;
		}
		json_thread(b, json_array_get(root, i), i);
	}
	json_decref(root);
	return b->st;
}
