/* import_run.c: a parsed export stored in one transaction: articles found or made, parents first, nothing twice */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/votes.h"
#include "import/import.h"
#include "import/import_int.h"
#include "render/markup.h"
#include "store/store.h"

/* The progress callback is called every this many comments. */
#define PROGRESS_EVERY	1000

enum cstate {
	C_NEW,
	C_STACK,	/* waiting for its parent to go in */
	C_DONE,		/* in the store (now or before): newid is set */
	C_SKIP		/* not imported: replies go to the top level */
};

struct run {
	struct store			*s;
	struct import_doc		*d;
	struct import_result		*r;
	const struct import_opts	*o;
	unsigned char			*state;
	unsigned char			*before;	/* imported before, at the top */
	long long			*newid;		/* per comment */
	long long			*artid;		/* per article: 0 when unused */
	long long			*first;		/* per article: oldest comment */
	size_t				*stack;
	size_t				 done;		/* for the progress */
	struct buf			 html;
	struct arena			 a;
	long long			 now;
};

struct ord {
	long long	 created;
	size_t		 i;
};

static int
ord_cmp(const void *a, const void *b)
{
	const struct ord	*x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
id_cmp(const void *a, const void *b)
{
	const long long	*x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static void
progress(struct run *x)
{
	if (x->o != NULL && x->o->progress != NULL &&
	    ++x->done % PROGRESS_EVERY == 0)
		x->o->progress(x->o->arg, x->done, x->d->ncomments);
}

/*
 * A comment imported before: the same, or another site's comment whose
 * id the key shares (WordPress ids repeat from site to site)?  The date
 * tells them apart.  Returns 1 when it is the same.
 */
static enum status
seen_check(struct run *x, size_t i, long long id, int *same)
{
	struct import_comment	*c = &x->d->comments[i];
	struct comment		 old;
	enum status		 st;

	arena_reset(&x->a);
	if ((st = store_comment_get(x->s, &x->a, id, &old)) != ST_OK)
		return st;
	*same = c->created == 0 || old.created == c->created;
	/* At the top though the export names a parent: a reply whose
	 * parent was not there then (a pingback left out, say). */
	x->before[i] = *same && old.parent == 0 && c->parent_id != NULL;
	return ST_OK;
}

/* Comments imported before, and pingbacks, first: they decide what is
 * left to add and which articles are needed. */
static enum status
run_sort_out(struct run *x)
{
	struct import_doc	*d = x->d;
	struct import_comment	*c;
	enum status		 st;
	size_t			 i;
	long long		 t;
	int			 same;

	for (i = 0; i < d->ncomments; i++) {
		c = &d->comments[i];
		if (c->pingback && (x->o == NULL || !x->o->pingbacks)) {
			x->state[i] = C_SKIP;
			x->r->pingbacks++;
			continue;
		}
		st = store_import_seen(x->s, d->source, c->id, &x->newid[i]);
		if (st == ST_OK) {
			if ((st = seen_check(x, i, x->newid[i], &same)) !=
			    ST_OK)
				return st;
			if (!same) {
				import_warn(d, "comment %.80s on %.200s: an "
				    "earlier import gave its id to another "
				    "comment (of another site?): left out",
				    c->id, d->articles[c->article].uri);
				import_drop(d, DROP_OTHER, 1);
				x->state[i] = C_SKIP;
				continue;
			}
			x->state[i] = C_DONE;
			x->r->seen++;
		} else if (st != ST_NOTFOUND)
			return st;
		x->artid[c->article] = -1;	/* needed */
		t = c->created > 0 ? c->created : x->now;
		if (x->first[c->article] == 0 || t < x->first[c->article])
			x->first[c->article] = t;
	}
	return ST_OK;
}

/* Find or make the articles that carry comments. */
static enum status
run_articles(struct run *x)
{
	struct import_doc	*d = x->d;
	struct import_article	*ia;
	long long		*ids;
	enum status		 st;
	size_t			 i, n = 0;

	for (i = 0; i < d->narticles; i++) {
		if (x->artid[i] == 0)
			continue;
		ia = &d->articles[i];
		st = store_article_id(x->s, ia->uri, &x->artid[i]);
		if (st == ST_OK)
			continue;
		if (st != ST_NOTFOUND)
			return st;
		st = store_article_add(x->s, ia->uri, ia->title, NULL, NULL,
		    ia->created > 0 ? ia->created : x->first[i], &x->artid[i]);
		if (st != ST_OK)
			return st;
		x->r->articles_new++;
		/* Closed as the old site had it; an article that was here
		 * before keeps what its moderators chose. */
		if (ia->closed) {
			if ((st = store_article_set(x->s, x->artid[i], 1,
			    NULL)) != ST_OK)
				return st;
			x->r->closed++;
		}
	}
	/* Two posts with one path are one article: count it once. */
	if ((ids = calloc(d->narticles + 1, sizeof(*ids))) == NULL)
		return ST_NOMEM;
	for (i = 0; i < d->narticles; i++)
		if (x->artid[i] > 0)
			ids[n++] = x->artid[i];
	qsort(ids, n, sizeof(*ids), id_cmp);
	for (i = 0; i < n; i++)
		x->r->articles += i == 0 || ids[i] != ids[i - 1];
	free(ids);
	return ST_OK;
}

static enum status
run_insert(struct run *x, size_t i, int orphan)
{
	struct import_doc	*d = x->d;
	struct import_comment	*ic = &d->comments[i];
	struct comment		 c;
	long long		 parent = 0;
	enum status		 st;

	if (orphan)
		parent = 0;
	else if (ic->parent != IMPORT_NONE) {
		if (x->state[ic->parent] == C_DONE)
			parent = x->newid[ic->parent];
	} else if (ic->parent_id != NULL) {
		/* Its parent came with an earlier export. */
		st = store_import_seen(x->s, d->source, ic->parent_id,
		    &parent);
		if (st == ST_NOTFOUND)
			parent = 0;
		else if (st != ST_OK)
			return st;
	}
	buf_reset(&x->html);
	st = markup_render(&x->html, ic->body, ic->body_len, NULL);
	if (st == ST_INPUT) {
		import_warn(d, "comment %.80s on %.200s: its text cannot be "
		    "rendered: left out", ic->id, d->articles[ic->article].uri);
		import_drop(d, DROP_BAD_TEXT, 1);
		x->state[i] = C_SKIP;
		return ST_OK;
	}
	if (st != ST_OK || x->html.err)
		return ST_NOMEM;
	memset(&c, 0, sizeof(c));
	c.article = x->artid[ic->article];
	c.parent = parent;
	c.author = ic->author;
	c.email = ic->email;
	c.website = ic->website;
	c.body = ic->body;
	c.html = buf_str(&x->html);
	c.status = ic->status;
	c.reasons = "";
	c.created = ic->created > 0 ? ic->created : x->now;
	st = store_comment_insert(x->s, &c);
	if (st == ST_NOTFOUND && c.parent != 0) {
		/* The parent lives under another article now. */
		c.parent = 0;
		st = store_comment_insert(x->s, &c);
	}
	if (st != ST_OK)
		return st;
	if ((ic->up > 0 || ic->down > 0) && (st = store_votes_counted(x->s,
	    c.id, ic->up, ic->down, votes_wilson(ic->up, ic->down))) != ST_OK)
		return st;
	x->r->counted += ic->up + ic->down;
	if ((st = store_import_mark(x->s, d->source, ic->id, c.id)) != ST_OK)
		return st;
	x->newid[i] = c.id;
	x->state[i] = C_DONE;
	x->r->comments++;
	progress(x);
	return ST_OK;
}

/*
 * Oldest first; a comment whose parent is still to come brings its chain
 * of ancestors in first, top down.  A chain that loops back on itself
 * (ids that name each other as parents) is cut at its top.
 */
static enum status
run_comments(struct run *x)
{
	struct import_doc	*d = x->d;
	struct ord		*o;
	enum status		 st = ST_OK;
	size_t			 k, i, j, top, cut;

	if (d->ncomments == 0)
		return ST_OK;
	if ((o = calloc(d->ncomments, sizeof(*o))) == NULL)
		return ST_NOMEM;
	for (i = 0; i < d->ncomments; i++) {
		o[i].created = d->comments[i].created;
		o[i].i = i;
	}
	qsort(o, d->ncomments, sizeof(*o), ord_cmp);
	for (k = 0; k < d->ncomments && st == ST_OK; k++) {
		if (x->state[o[k].i] != C_NEW)
			continue;
		for (top = 0, j = o[k].i; j != IMPORT_NONE &&
		    x->state[j] == C_NEW; j = d->comments[j].parent) {
			x->state[j] = C_STACK;
			x->stack[top++] = j;
		}
		cut = IMPORT_NONE;
		if (j != IMPORT_NONE && x->state[j] == C_STACK) {
			cut = x->stack[top - 1];
			import_warn(d, "comment %.80s: its ancestors name each "
			    "other as parents; it becomes a top-level comment",
			    d->comments[cut].id);
		}
		while (top > 0 && st == ST_OK) {
			i = x->stack[--top];
			st = run_insert(x, i, i == cut);
		}
	}
	free(o);
	return st;
}

/*
 * Replies imported before at the top because their parent was not
 * there (a pingback left out, another export) join it once it is: in
 * this import or an earlier one.  A move that would make a loop, or
 * cross articles, is not made.
 */
static enum status
run_reattach(struct run *x)
{
	struct import_doc	*d = x->d;
	struct import_comment	*c;
	long long		 parent;
	enum status		 st;
	size_t			 i;

	for (i = 0; i < d->ncomments; i++) {
		if (!x->before[i] || x->state[i] != C_DONE)
			continue;
		c = &d->comments[i];
		parent = 0;
		if (c->parent != IMPORT_NONE) {
			if (x->state[c->parent] == C_DONE)
				parent = x->newid[c->parent];
		} else if ((st = store_import_seen(x->s, d->source,
		    c->parent_id, &parent)) != ST_OK && st != ST_NOTFOUND)
			return st;
		if (parent == 0)
			continue;
		st = store_port_comment_move(x->s, x->newid[i], parent);
		if (st == ST_OK)
			x->r->reattached++;
		else if (st != ST_CONFLICT && st != ST_NOTFOUND)
			return st;
	}
	return ST_OK;
}

enum status
import_run(struct store *s, struct import_doc *d,
    const struct import_opts *o, long long now, struct import_result *r,
    char *err, size_t errsz)
{
	struct run	 x;
	enum status	 st = ST_NOMEM;
	size_t		 nc = d->ncomments + 1, na = d->narticles + 1;
	char		 after[160];
	int		 tx = 0;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	err[0] = '\0';
	x.s = s;
	x.d = d;
	x.r = r;
	x.o = o;
	x.now = now;
	x.state = calloc(nc, sizeof(*x.state));
	x.before = calloc(nc, sizeof(*x.before));
	x.newid = calloc(nc, sizeof(*x.newid));
	x.stack = calloc(nc, sizeof(*x.stack));
	x.artid = calloc(na, sizeof(*x.artid));
	x.first = calloc(na, sizeof(*x.first));
	if (x.state == NULL || x.before == NULL || x.newid == NULL ||
	    x.stack == NULL || x.artid == NULL || x.first == NULL)
		goto out;
	if ((st = store_tx_begin(s)) != ST_OK) {
		snprintf(err, errsz, "cannot start a transaction (%s)",
		    status_str(st));
		goto out;
	}
	tx = 1;
	if ((st = run_sort_out(&x)) != ST_OK ||
	    (st = run_articles(&x)) != ST_OK ||
	    (st = run_comments(&x)) != ST_OK ||
	    (st = run_reattach(&x)) != ST_OK)
		goto out;
	snprintf(after, sizeof(after), "%zu comments, %zu articles (%zu new), "
	    "%zu replies reattached", r->comments, r->articles,
	    r->articles_new, r->reattached);
	if ((st = store_audit_add(s, 0, "cli", "import", d->source, NULL,
	    after, NULL, now)) != ST_OK)
		goto out;
	tx = 0;		/* a failed commit rolls back by itself */
	if ((st = store_tx_commit(s)) != ST_OK)
		snprintf(err, errsz, "cannot commit (%s)", status_str(st));
out:
	if (tx) {
		store_tx_rollback(s);
		if (st == ST_NOMEM)
			snprintf(err, errsz, "out of memory");
		else
			snprintf(err, errsz, "the database refused the "
			    "import (%s)", status_str(st));
	}
	if (st != ST_OK && err[0] == '\0')
		snprintf(err, errsz, "%s", status_str(st));
	if (st != ST_OK)
		memset(r, 0, sizeof(*r));
	buf_free(&x.html);
	arena_free(&x.a);
	free(x.state);
	free(x.before);
	free(x.newid);
	free(x.stack);
	free(x.artid);
	free(x.first);
	return st;
}
