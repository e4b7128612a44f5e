/* store_comment.c: comments and thread pages: the ordering key, the range scan */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/vec.h"
#include "core/log.h"
#include "store/store.h"
#include "store/store_int.h"

/*
 * How many levels of ancestry the ordering key (comments.path) keeps.
 * The key is the parent's key followed by the comment's id as 8 bytes
 * big-endian, so byte order is depth-first thread order with replies
 * oldest first; but past PATH_LEVELS it keeps only the first PATH_LEVELS
 * ancestors, so a comment takes at most (PATH_LEVELS + 1) * 8 bytes
 * however deep it is, and comments deeper than that sort by id under
 * their ancestor at depth PATH_LEVELS - 1.  store_thread_page puts those
 * back in depth-first order from their parent ids.
 */
#define PATH_LEVELS	SQ_KEY_LEVELS

static void
be64(unsigned char out[8], long long v)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

size_t
sq_comment_key(const void *ppath, size_t pn, long long id,
    unsigned char out[SQ_KEY_MAX])
{
	/* The key keeps PATH_LEVELS ancestors at most: a deeper comment
	 * sorts by id under its ancestor at that level. */
	if (pn > PATH_LEVELS * 8)
		pn = PATH_LEVELS * 8;
	if (pn > 0)
		memcpy(out, ppath, pn);
	be64(out + pn, id);
	return pn + 8;
}

/* --- threads ------------------------------------------------------------- */

struct byid {
	long long	 id;
	size_t		 i;
};

static int
byid_cmp(const void *a, const void *b)
{
	const struct byid	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

#define NONE	((size_t)-1)

/*
 * The rows of a page in depth-first order by their parent ids: every
 * comment right after its parent and the subtrees of its elder siblings,
 * replies oldest (lowest id) first, which is the order a full path gives.
 * A row whose parent is not on the page starts a tree of its own where
 * it stands.  Never recursive (a chain may be thousands deep).  NULL when
 * out of memory.
 */
static struct comment *
depth_first(struct arena *a, const struct comment *v, size_t n)
{
	struct comment	*out;
	struct byid	*ids, key, *hit;
	size_t		*up, *first, *next, i, k = 0, x;
	unsigned char	*seen;

	out = arena_calloc(a, n, sizeof(*out));
	seen = arena_calloc(a, n, 1);
	ids = arena_calloc(a, n, sizeof(*ids));
	up = arena_calloc(a, n, sizeof(*up));
	first = arena_calloc(a, n, sizeof(*first));
	next = arena_calloc(a, n, sizeof(*next));
	if (out == NULL || seen == NULL || ids == NULL || up == NULL ||
	    first == NULL || next == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		ids[i].id = v[i].id;
		ids[i].i = i;
		first[i] = next[i] = NONE;
	}
	qsort(ids, n, sizeof(*ids), byid_cmp);
	for (i = 0; i < n; i++) {
		key.id = v[i].parent;
		hit = v[i].parent > 0 ? bsearch(&key, ids, n, sizeof(*ids),
		    byid_cmp) : NULL;
		up[i] = hit != NULL && hit->i != i ? hit->i : NONE;
	}
	/* Youngest first, so that each list of replies ends oldest first. */
	for (i = n; i > 0; i--) {
		x = ids[i - 1].i;
		if (up[x] != NONE) {
			next[x] = first[up[x]];
			first[up[x]] = x;
		}
	}
	for (i = 0; i < n; i++) {
		if (up[i] != NONE)
			continue;
		/* Down to the first reply, else on to the next sibling of
		 * the nearest ancestor that has one. */
		for (x = i;;) {
			seen[x] = 1;
			out[k++] = v[x];
			if (first[x] != NONE) {
				x = first[x];
				continue;
			}
			while (x != i && next[x] == NONE)
				x = up[x];
			if (x == i)
				break;
			x = next[x];
		}
	}
	/* Rows that no top reaches (parents naming each other) go last. */
	for (i = 0; k < n && i < n; i++)
		if (!seen[i])
			out[k++] = v[i];
	return out;
}

/* Roots come sorted, ascending or descending. */
static int
root_picked(const long long *roots, size_t n, long long id)
{
	size_t	 lo = 0, hi = n, mid;
	int	 asc = n < 2 || roots[0] < roots[1];

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (roots[mid] == id)
			return 1;
		if ((roots[mid] < id) == asc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Read the rows of one range of paths into v (grown in the arena),
 * keeping those whose root was picked (roots: NULL keeps every row). */
static enum status
read_range(struct store *s, struct arena *a, long long article,
    long long lo, long long hi, const long long *roots, size_t nroots,
    struct comment **vp, size_t *np, size_t *capp)
{
	sqlite3_stmt	*st;
	unsigned char	 klo[8], khi[8];
	struct comment	*v = *vp;
	size_t		 n = *np;
	int		 rc;

	be64(klo, lo);
	be64(khi, hi);
	st = sq_get(s, STMT_THREAD_RANGE);
	sq_bind_int(st, ":article", article);
	sq_bind_blob(st, ":lo", klo, 8);
	sq_bind_blob(st, ":hi", khi, 8);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, capp, sizeof(*v))) == NULL) {
			sqlite3_reset(st);
			return ST_NOMEM;
		}
		*vp = v;
		if (sq_read_comment(a, st, &v[n]) == -1) {
			sqlite3_reset(st);
			return ST_NOMEM;
		}
		/* The range also holds threads whose root was not picked
		 * (held, spam): they are not part of this page. */
		if (roots == NULL || root_picked(roots, nroots, v[n].root))
			n++;
	}
	sqlite3_reset(st);
	*np = n;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "thread range");
	return ST_OK;
}

/* Roots from a best-first statement, appended to roots[*n .. max). */
static enum status
best_roots(struct store *s, enum stmt which, long long article,
    double best, long long after, const char *own, long long *roots,
    size_t *n, size_t max)
{
	sqlite3_stmt	*st = sq_get(s, which);
	int		 rc;

	sq_bind_int(st, ":article", article);
	sqlite3_bind_double(st, sq_idx(st, ":best"), best);
	if (which == STMT_THREAD_ROOTS_BEST_TIE)
		sq_bind_int(st, ":after", after);
	sq_bind_int(st, ":limit", (long long)(max - *n));
	sq_bind_text(st, ":own", own != NULL ? own : "[]");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		roots[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_fail(s, "thread roots");
	return ST_OK;
}

/*
 * Best first: the roots in rank order (those tied with the cursor after
 * it, then those below), then each root's comments by its own range of
 * paths, since ranked roots are not neighbours in id.
 */
static enum status
thread_best(struct store *s, struct arena *a, long long article,
    long long after, int limit, const char *own, struct thread_page *pg)
{
	sqlite3_stmt	*st;
	long long	*roots;
	struct comment	*v = NULL;
	double		 best = 2.0;	/* above any rank: from the top */
	size_t		 n = 0, cap = 0, nroots = 0, max = (size_t)limit + 1, i;
	enum status	 rv;
	int		 rc;

	if ((roots = arena_calloc(a, max, sizeof(*roots))) == NULL)
		return ST_NOMEM;
	if (after > 0) {
		st = sq_get(s, STMT_ROOT_BEST);
		sq_bind_int(st, ":id", after);
		sq_bind_int(st, ":article", article);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			best = sqlite3_column_double(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sq_fail(s, "root best");
		if (rc == SQLITE_ROW && (rv = best_roots(s,
		    STMT_THREAD_ROOTS_BEST_TIE, article, best, after, own,
		    roots, &nroots, max)) != ST_OK)
			return rv;
	}
	if (nroots < max && (rv = best_roots(s, STMT_THREAD_ROOTS_BEST_BELOW,
	    article, best, 0, own, roots, &nroots, max)) != ST_OK)
		return rv;
	/* One more root than asked for tells whether a next page exists. */
	if (nroots > (size_t)limit) {
		nroots = (size_t)limit;
		pg->next = roots[nroots - 1];
	}
	for (i = 0; i < nroots; i++)
		if ((rv = read_range(s, a, article, roots[i], roots[i] + 1, NULL,
		    0, &v, &n, &cap)) != ST_OK)
			return rv;
	for (i = 0; i < n && v[i].depth < PATH_LEVELS; i++)
		continue;
	if (i < n && (v = depth_first(a, v, n)) == NULL)
		return ST_NOMEM;
	pg->v = v;
	pg->n = n;
	return ST_OK;
}

enum status
store_thread_page(struct store *s, struct arena *a, long long article,
    long long after, int order, int limit, const char *own,
    struct thread_page *pg)
{
	int		 newest = order == ORDER_NEWEST;

	sqlite3_stmt	*st;
	long long	 lo = 0, hi = 0, *roots;
	struct comment	*v = NULL, *sorted;
	size_t		 n = 0, cap = 0, nroots = 0, i, j, k;
	enum status	 rv;
	int		 rc;

	memset(pg, 0, sizeof(*pg));
	if (limit <= 0)
		return ST_OK;
	if (order == ORDER_BEST)
		return thread_best(s, a, article, after, limit, own, pg);
	if ((roots = arena_calloc(a, (size_t)limit + 1, sizeof(*roots))) ==
	    NULL)
		return ST_NOMEM;
	/* One more root than asked for tells whether a next page exists. */
	st = sq_get(s, newest ? STMT_THREAD_ROOTS_DESC : STMT_THREAD_ROOTS_ASC);
	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":after", after > 0 ? after :
	    (newest ? INT64_MAX : 0));
	sq_bind_int(st, ":limit", limit + 1);
	sq_bind_text(st, ":own", own != NULL ? own : "[]");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && nroots <=
	    (size_t)limit)
		roots[nroots++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_fail(s, "thread roots");
	if (nroots > (size_t)limit) {
		nroots = (size_t)limit;
		pg->next = roots[nroots - 1];
	}
	if (nroots == 0)
		return ST_OK;
	lo = newest ? roots[nroots - 1] : roots[0];
	hi = (newest ? roots[0] : roots[nroots - 1]) + 1;

	/* Every comment under those roots, in one range scan: depth-first
	 * down to PATH_LEVELS, by id below. */
	if ((rv = read_range(s, a, article, lo, hi, roots, nroots, &v, &n,
	    &cap)) != ST_OK)
		return rv;
	for (i = 0; i < n && v[i].depth < PATH_LEVELS; i++)
		continue;
	if (i < n && (v = depth_first(a, v, n)) == NULL)
		return ST_NOMEM;

	if (!newest) {
		pg->v = v;
		pg->n = n;
		return ST_OK;
	}
	/* Newest first: the scan is in ascending root order; emit each
	 * root's block in the order of `roots`. */
	if ((sorted = arena_calloc(a, n ? n : 1, sizeof(*sorted))) == NULL)
		return ST_NOMEM;
	for (k = 0, i = n; i > 0; i = j) {
		j = i - 1;
		while (j > 0 && v[j - 1].root == v[i - 1].root)
			j--;
		memcpy(&sorted[k], &v[j], (i - j) * sizeof(*v));
		k += i - j;
	}
	pg->v = sorted;
	pg->n = k;
	return ST_OK;
}

/* --- comments ------------------------------------------------------------ */

enum status
store_comment_add(struct store *s, struct comment *c)
{
	enum status	 rv;

	if ((rv = store_tx_begin(s)) != ST_OK)
		return rv;
	if ((rv = store_comment_insert(s, c)) != ST_OK) {
		sq_rollback(s);
		return rv;
	}
	if ((rv = store_tx_commit(s)) != ST_OK)
		c->id = 0;
	return rv;
}

enum status
store_comment_insert(struct store *s, struct comment *c)
{
	sqlite3_stmt	*st;
	unsigned char	 path[SQ_KEY_MAX];
	const void	*pp = NULL;
	size_t		 plen = 0;
	long long	 id, parent = c->parent, grand;
	enum status	 rv;
	int		 rc, pn = 0, depth = 0;

	st = sq_get(s, STMT_COMMENT_NEXT_ID);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return sq_fail(s, "comment next id");
	}
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	c->depth = 0;
	c->root = id;
	if (parent > 0) {
		st = sq_get(s, STMT_COMMENT_PARENT);
		sq_bind_int(st, ":id", parent);
		sq_bind_int(st, ":article", c->article);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			rv = rc == SQLITE_DONE ? ST_NOTFOUND :
			    sq_fail(s, "comment parent");
			sqlite3_reset(st);
			return rv;
		}
		c->root = sqlite3_column_int64(st, 0);
		depth = sqlite3_column_int(st, 1);
		pp = sqlite3_column_blob(st, 2);
		pn = sqlite3_column_bytes(st, 2);
		grand = sqlite3_column_int64(st, 3);
		if (pp == NULL || pn < 8 || pn % 8 != 0) {
			log_err("database: comment %lld has a bad path",
			    parent);
			sqlite3_reset(st);
			return ST_DB;
		}
		/* Past max_store_depth a reply goes beside the comment it
		 * answers: its parent's key without the parent's own id. */
		if (depth >= s->max_depth && grand > 0) {
			parent = grand;
			pn -= 8;
		} else
			depth++;
		c->depth = depth;
		plen = sq_comment_key(pp, (size_t)pn, id, path);
		sqlite3_reset(st);
	} else
		plen = sq_comment_key(NULL, 0, id, path);

	st = sq_get(s, STMT_COMMENT_INSERT);
	sq_bind_int(st, ":id", id);
	sq_bind_int(st, ":article", c->article);
	if (parent > 0)
		sq_bind_int(st, ":parent", parent);
	sq_bind_int(st, ":root", c->root);
	sq_bind_int(st, ":depth", c->depth);
	sq_bind_blob(st, ":path", path, plen);
	sq_bind_text(st, ":author", c->author);
	sq_bind_text(st, ":email", c->email);
	sq_bind_text(st, ":website", c->website);
	sq_bind_text(st, ":body", c->body);
	sq_bind_text(st, ":html", c->html);
	sq_bind_text(st, ":status", cstatus_str(c->status));
	sqlite3_bind_double(st, sq_idx(st, ":score"), c->score);
	sq_bind_text(st, ":reasons", c->reasons != NULL ? c->reasons : "");
	sq_bind_int(st, ":created", c->created);
	sq_bind_text(st, ":addr_hash", c->addr_hash);
	sq_bind_text(st, ":user_agent", c->user_agent);
	sq_bind_text(st, ":body_hash", c->body_hash);
	if ((rv = sq_done(s, st, "comment insert")) != ST_OK)
		return rv;

	st = sq_get(s, STMT_ARTICLE_BUMP);
	sq_bind_int(st, ":delta", c->status == CS_APPROVED ? 1 : 0);
	sq_bind_int(st, ":id", c->article);
	if ((rv = sq_done(s, st, "article bump")) != ST_OK)
		return rv;
	c->id = id;
	c->parent = parent;
	return ST_OK;
}

enum status
store_roots_before(struct store *s, long long article, long long root,
    int limit, long long *n)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ROOTS_BEFORE);

	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":root", root);
	sq_bind_int(st, ":limit", limit);
	return sq_one_int(s, st, "roots before", n);
}

enum status
store_roots_better(struct store *s, long long article, long long root,
    int limit, long long *n, long long *above)
{
	sqlite3_stmt	*st;
	double		 best;
	enum status	 rv;
	int		 rc;

	*n = *above = 0;
	st = sq_get(s, STMT_ROOT_BEST);
	sq_bind_int(st, ":id", root);
	sq_bind_int(st, ":article", article);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		best = sqlite3_column_double(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return ST_NOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_fail(s, "root best");
	st = sq_get(s, STMT_ROOTS_BETTER);
	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":root", root);
	sqlite3_bind_double(st, sq_idx(st, ":best"), best);
	sq_bind_int(st, ":limit", limit);
	if ((rv = sq_one_int(s, st, "roots better", n)) != ST_OK)
		return rv;
	st = sq_get(s, STMT_ROOT_ABOVE);
	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":root", root);
	sqlite3_bind_double(st, sq_idx(st, ":best"), best);
	rv = sq_one_int(s, st, "root above", above);
	return rv == ST_NOTFOUND ? ST_OK : rv;
}

enum status
store_roots_after(struct store *s, long long article, long long root,
    int limit, long long *n)
{
	sqlite3_stmt	*st = sq_get(s, STMT_ROOTS_AFTER);

	sq_bind_int(st, ":article", article);
	sq_bind_int(st, ":root", root);
	sq_bind_int(st, ":limit", limit);
	return sq_one_int(s, st, "roots after", n);
}

enum status
store_comment_get(struct store *s, struct arena *a, long long id,
    struct comment *c)
{
	sqlite3_stmt	*st = sq_get(s, STMT_COMMENT_GET);
	int		 rc;

	sq_bind_int(st, ":id", id);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return ST_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return sq_fail(s, "comment get");
	}
	rc = sq_read_comment(a, st, c);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_comment_edit(struct store *s, long long id, const char *body,
    const char *html, long long now, long long by)
{
	sqlite3_stmt	*st = sq_get(s, STMT_COMMENT_EDIT);
	enum status	 rv;

	sq_bind_int(st, ":id", id);
	sq_bind_text(st, ":body", body);
	sq_bind_text(st, ":html", html);
	sq_bind_int(st, ":now", now);
	if (by > 0)
		sq_bind_int(st, ":by", by);
	if ((rv = sq_done(s, st, "comment edit")) != ST_OK)
		return rv;
	if (sqlite3_changes(s->db) == 0)
		return ST_NOTFOUND;
	st = sq_get(s, STMT_ARTICLE_VERSION);
	sq_bind_int(st, ":id", id);
	return sq_done(s, st, "article version");
}

enum status
store_comment_remove(struct store *s, long long id)
{
	sqlite3_stmt	*st;
	long long	 replies = 0;
	enum status	 rv;
	int		 approved, rc;
	long long	 article;

	/* What it was decides the count; the article gets a new version. */
	st = sq_get(s, STMT_COMMENT_GET);
	sq_bind_int(st, ":id", id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "comment get");
	}
	article = sqlite3_column_int64(st, 1);
	approved = cstatus_parse((const char *)
	    sqlite3_column_text(st, 10)) == CS_APPROVED;
	sqlite3_reset(st);

	st = sq_get(s, STMT_ARTICLE_BUMP);
	sq_bind_int(st, ":delta", approved ? -1 : 0);
	sq_bind_int(st, ":id", article);
	if ((rv = sq_done(s, st, "article bump")) != ST_OK)
		return rv;

	st = sq_get(s, STMT_COMMENT_HAS_REPLIES);
	sq_bind_int(st, ":id", id);
	if ((rv = sq_one_int(s, st, "comment replies", &replies)) != ST_OK)
		return rv;
	st = sq_get(s, replies ? STMT_COMMENT_SOFT_DELETE : STMT_COMMENT_DELETE);
	sq_bind_int(st, ":id", id);
	return sq_done(s, st, "comment remove");
}

/* Bind a client's keyed hashes to :addr, :addr_prev, :net, :net_prev
 * (those the statement has). */
void
sq_bind_keys(sqlite3_stmt *st, const struct addr_keys *k)
{
	if (sqlite3_bind_parameter_index(st, ":addr") > 0)
		sq_bind_text(st, ":addr", k->addr);
	if (sqlite3_bind_parameter_index(st, ":addr_prev") > 0)
		sq_bind_text(st, ":addr_prev", k->addr_prev);
	if (sqlite3_bind_parameter_index(st, ":net") > 0)
		sq_bind_text(st, ":net", k->net);
	if (sqlite3_bind_parameter_index(st, ":net_prev") > 0)
		sq_bind_text(st, ":net_prev", k->net_prev);
}

enum status
store_posts_since(struct store *s, const struct addr_keys *k,
    long long since, long long *by_addr, long long *by_net)
{
	sqlite3_stmt	*st = sq_get(s, STMT_POSTS_SINCE);
	enum status	 rv;

	*by_addr = *by_net = 0;
	sq_bind_keys(st, k);
	sq_bind_int(st, ":since", since);
	if ((rv = sq_one_int(s, st, "posts since", by_addr)) != ST_OK ||
	    k->net == NULL)
		return rv;
	st = sq_get(s, STMT_POSTS_SINCE_NET);
	sq_bind_keys(st, k);
	sq_bind_int(st, ":since", since);
	return sq_one_int(s, st, "posts since", by_net);
}

enum status
store_post_log(struct store *s, const struct addr_keys *k, long long now)
{
	sqlite3_stmt	*st = sq_get(s, STMT_POST_LOG);

	sq_bind_keys(st, k);
	sq_bind_int(st, ":now", now);
	return sq_done(s, st, "post log");
}

enum status
store_count_by_uri(struct store *s, const char *uri, long long *n)
{
	sqlite3_stmt	*st = sq_get(s, STMT_COUNT_BY_URI);
	const char	*q;
	char		 path[TEXT_URI_MAX + 1];
	enum status	 rv;

	sq_bind_text(st, ":uri", uri);
	rv = sq_one_int(s, st, "count", n);
	/* As store_article_by_uri: with its query, else the path alone. */
	if (rv == ST_NOTFOUND && (q = strchr(uri, '?')) != NULL &&
	    (size_t)(q - uri) <= TEXT_URI_MAX) {
		memcpy(path, uri, (size_t)(q - uri));
		path[q - uri] = '\0';
		st = sq_get(s, STMT_COUNT_BY_URI);
		sq_bind_text(st, ":uri", path);
		rv = sq_one_int(s, st, "count", n);
	}
	if (rv == ST_NOTFOUND) {
		*n = 0;
		rv = ST_OK;
	}
	return rv;
}
