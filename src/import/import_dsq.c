/* import_dsq.c: a Disqus export walked into articles (its threads) and comments (its posts) */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/vec.h"
#include "import/import_int.h"
#include "import/import_xml.h"

#define DSQ_NS		"http://disqus.com/disqus-internals"

struct thread {
	const char	*id;
	xmlNode		*node;
	size_t		 i;		/* order in the file */
	size_t		 art;		/* IMPORT_NONE: not made yet */
	int		 bad;		/* no usable link (warned) */
};

static int
thread_cmp(const void *a, const void *b)
{
	const struct thread	*x = a, *y = b;
	int			 c = strcmp(x->id, y->id);

	return c != 0 ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The value of the dsq:id attribute, or NULL. */
static const char *
dsq_id(struct build *b, xmlNode *n)
{
	xmlAttr		*a;
	const char	*s;

	for (a = n != NULL ? n->properties : NULL; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, "id") == 0 &&
		    a->ns != NULL && ((a->ns->href != NULL &&
		    strcmp((const char *)a->ns->href, DSQ_NS) == 0) ||
		    (a->ns->prefix != NULL &&
		    strcmp((const char *)a->ns->prefix, "dsq") == 0))) {
			s = import_xml_text(b, a->children, NULL);
			return *s != '\0' ? s : NULL;
		}
	return NULL;
}

static int
is_true(struct build *b, xmlNode *n, const char *name)
{
	return strcmp(import_xml_text_of(b, n, import_xml_dsq, name, NULL),
	    "true") == 0;
}

/* The thread a post names, made an article on first use. */
static struct thread *
dsq_thread(struct build *b, struct thread *v, size_t n, xmlNode *post)
{
	struct thread	*t;
	const char	*id, *s, *uri, *link, *title, *who;
	size_t		 len, lo, hi, mid;

	if ((id = dsq_id(b, import_xml_child(post, import_xml_dsq,
	    "thread"))) == NULL)
		return NULL;
	/* The first of equal ids (the sort keeps file order among them). */
	for (lo = 0, hi = n; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || strcmp(v[lo].id, id) != 0)
		return NULL;
	t = &v[lo];
	if (t->bad || t->art != IMPORT_NONE)
		return t;
	s = import_xml_text_of(b, t->node, import_xml_dsq, "link", &len);
	if ((link = import_keep(b, s, len)) == NULL ||
	    (uri = import_uri(b, link, len)) == NULL) {
		import_warn(b->d, "thread %.80s has no usable <link>: its "
		    "posts are left out", t->id);
		t->bad = 1;
		return t;
	}
	if ((who = arena_printf(&b->d->a, "the thread %.200s", link)) ==
	    NULL) {
		b->st = ST_NOMEM;
		t->bad = 1;
		return t;
	}
	s = import_xml_text_of(b, t->node, import_xml_dsq, "title", &len);
	title = import_line(b, s, len, TEXT_TITLE, who);
	t->art = import_add_article(b, uri, link, title,
	    import_date(import_xml_text_of(b, t->node, import_xml_dsq,
	    "createdAt", NULL)), is_true(b, t->node, "isClosed"));
	if (t->art == IMPORT_NONE)
		t->bad = 1;
	return t;
}

static void
dsq_post(struct build *b, struct thread *v, size_t n, xmlNode *post)
{
	struct import_comment	 c;
	struct thread		*t;
	const char		*s, *who;
	xmlNode			*au;
	size_t			 len;

	memset(&c, 0, sizeof(c));
	c.parent = IMPORT_NONE;
	if ((s = dsq_id(b, post)) == NULL) {
		import_warn(b->d, "a <post> without dsq:id: left out");
		import_drop(b->d, DROP_NO_ID, 1);
		return;
	}
	if ((c.id = import_keep(b, s, strlen(s))) == NULL)
		return;
	if ((t = dsq_thread(b, v, n, post)) == NULL) {
		import_warn(b->d, "post %.80s: its thread is not in the "
		    "export: left out", c.id);
		import_drop(b->d, DROP_NO_THREAD, 1);
		return;
	}
	if (t->bad) {
		import_drop(b->d, DROP_NO_LINK, 1);
		return;
	}
	c.article = t->art;
	if ((who = arena_printf(&b->d->a, "post %.80s on %.200s", c.id,
	    b->d->articles[c.article].uri)) == NULL) {
		b->st = ST_NOMEM;
		return;
	}
	if ((s = dsq_id(b, import_xml_child(post, import_xml_dsq,
	    "parent"))) != NULL)
		c.parent_id = import_keep(b, s, strlen(s));
	if (is_true(b, post, "isSpam"))
		c.status = CS_SPAM;
	else if (is_true(b, post, "isDeleted"))
		c.status = CS_DELETED;
	else
		c.status = CS_APPROVED;
	au = import_xml_child(post, import_xml_dsq, "author");
	s = import_xml_text_of(b, au, import_xml_dsq, "name", &len);
	if ((c.author = import_line(b, s, len, TEXT_NAME, who)) == NULL)
		c.author = "Anonymous";
	s = import_xml_text_of(b, au, import_xml_dsq, "email", &len);
	c.email = import_email(b, s, len, who);
	c.created = import_date(import_xml_text_of(b, post, import_xml_dsq,
	    "createdAt", NULL));
	s = import_xml_text_of(b, post, import_xml_dsq, "message", &len);
	if (!import_body_html(b, &c, s, len))
		return;
	import_add_comment(b, &c);
}

enum status
import_dsq_walk(struct build *b, xmlNode *root, char *err, size_t errsz)
{
	struct thread	*v = NULL, *nv;
	size_t		 n = 0, cap = 0;
	const char	*id;
	xmlNode		*k;

	if (root == NULL || !import_xml_dsq(root, "disqus")) {
		if (root != NULL && strcmp((const char *)root->name,
		    "disqus") == 0)
			snprintf(err, errsz, "not a Disqus export: <disqus> "
			    "is not in the namespace http://disqus.com");
		else if (root != NULL && import_xml_rss(root, "rss"))
			snprintf(err, errsz, "not a Disqus export: this is an "
			    "RSS file (a WordPress export? palaver import "
			    "wordpress)");
		else
			snprintf(err, errsz, "not a Disqus export: the root "
			    "element is <%.40s>, not <disqus>", root != NULL ?
			    (const char *)root->name : "");
		return ST_INPUT;
	}
	b->d->source = "disqus";	/* Disqus ids are unique across sites */
	/* Threads are made articles when a post needs them: Disqus keeps
	 * one for every page its widget was ever loaded on. */
	for (k = root->children; k != NULL && b->st == ST_OK; k = k->next) {
		if (!import_xml_dsq(k, "thread"))
			continue;
		if ((id = dsq_id(b, k)) == NULL) {
			import_warn(b->d, "a <thread> without dsq:id: its "
			    "posts are left out");
			continue;
		}
		if ((nv = vec_grow(NULL, v, n, &cap, sizeof(*v))) == NULL) {
			b->st = ST_NOMEM;
			break;
		}
		v = nv;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = import_keep(b, id, strlen(id));
		v[n].node = k;
		v[n].i = n;
		v[n].art = IMPORT_NONE;
		if (v[n].id != NULL)
			n++;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), thread_cmp);
	for (k = root->children; k != NULL && b->st == ST_OK; k = k->next)
		if (import_xml_dsq(k, "post"))
			dsq_post(b, v, n, k);
	free(v);
	return b->st;
}
