/* remap.c: palaver remap: threads moved to new addresses by rules (exact or prefix), those that meet merged, all or nothing, audited */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/vec.h"
#include "import/port.h"
#include "store/store.h"

/* --- the rules ----------------------------------------------------------- */

/* One key of a rule, normalised; a trailing '*' makes it a prefix. */
static const char *
rule_key(struct arena *a, const char *s, size_t n, int *prefix)
{
	const char	*out;

	*prefix = n > 0 && s[n - 1] == '*';
	if (*prefix)
		n--;
	if (text_uri_normalize(a, s, n, TEXT_URI_QUERY, &out) != TEXT_OK)
		return NULL;
	return out;
}

enum status
remap_parse(struct arena *a, const char *text, size_t n,
    struct remap_rule **rulesp, size_t *np, char *err, size_t errsz)
{
	struct remap_rule	*v = NULL, *r;
	const char		*p = text, *e = text + n, *eol, *w[3];
	size_t			 wl[3], k, cap = 0, nr = 0, line = 0, i;
	int			 pf[2];

	*rulesp = NULL;
	*np = 0;
	for (; p < e; p = eol + (eol < e)) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(e - p))) == NULL)
			eol = e;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			snprintf(err, errsz, "line %zu: not text", line);
			return ST_INPUT;
		}
		/* Up to three words: two are a rule, more is a mistake. */
		for (k = 0; k < 3; k++) {
			while (p < eol && isspace((unsigned char)*p))
				p++;
			w[k] = p;
			while (p < eol && !isspace((unsigned char)*p))
				p++;
			wl[k] = (size_t)(p - w[k]);
		}
		if (wl[0] == 0 || w[0][0] == '#')
			continue;
		if (wl[1] == 0 || wl[2] != 0) {
			snprintf(err, errsz, "line %zu: a rule is two addresses, "
			    "OLD NEW", line);
			return ST_INPUT;
		}
		if ((v = vec_grow(a, v, nr, &cap, sizeof(*v))) == NULL)
			return ST_NOMEM;
		r = &v[nr];
		memset(r, 0, sizeof(*r));
		r->line = line;
		r->from = rule_key(a, w[0], wl[0], &pf[0]);
		r->to = rule_key(a, w[1], wl[1], &pf[1]);
		if (r->from == NULL || r->to == NULL) {
			snprintf(err, errsz, "line %zu: %.*s is not an address "
			    "(a path, or a URL)", line, (int)(r->from == NULL ?
			    (wl[0] > 200 ? 200 : wl[0]) : (wl[1] > 200 ? 200 :
			    wl[1])), r->from == NULL ? w[0] : w[1]);
			return ST_INPUT;
		}
		if (pf[0] != pf[1]) {
			snprintf(err, errsz, "line %zu: a prefix rule ends both "
			    "addresses with *", line);
			return ST_INPUT;
		}
		r->prefix = pf[0];
		for (i = 0; i < nr; i++)
			if (v[i].prefix == r->prefix &&
			    strcmp(v[i].from, r->from) == 0) {
				snprintf(err, errsz, "line %zu: %.200s has a rule "
				    "already, on line %zu", line, r->from,
				    v[i].line);
				return ST_INPUT;
			}
		nr++;
	}
	*rulesp = v;
	*np = nr;
	return ST_OK;
}

/* An exact rule's address names the key: the same, or the same but
 * for a query the key does not have (keys are paths unless imported
 * with --keep-query; addresses copied from a browser may have one). */
static int
names(const char *from, const char *uri)
{
	size_t	 k = strcspn(from, "?");

	return strcmp(from, uri) == 0 || (strchr(uri, '?') == NULL &&
	    strlen(uri) == k && strncmp(from, uri, k) == 0);
}

/* The rule for a key: the exact one, else the longest prefix. */
static struct remap_rule *
rule_for(struct remap_rule *v, size_t n, const char *uri)
{
	struct remap_rule	*best = NULL;
	size_t			 i, k;

	for (i = 0; i < n; i++)
		if (!v[i].prefix && strcmp(v[i].from, uri) == 0)
			return &v[i];
	for (i = 0; i < n; i++)
		if (!v[i].prefix && names(v[i].from, uri))
			return &v[i];
	for (i = 0; i < n; i++) {
		k = strlen(v[i].from);
		if (v[i].prefix && strncmp(v[i].from, uri, k) == 0 &&
		    (best == NULL || k > strlen(best->from)))
			best = &v[i];
	}
	return best;
}

/* --- the run ------------------------------------------------------------- */

struct art {
	long long	 id;
	const char	*uri;
	const char	*key;		/* where it goes (uri: nowhere) */
};

struct load {
	struct arena	*a;
	struct art	*v;
	size_t		 n, cap;
	int		 nomem;
};

static int
load_one(void *arg, const struct port_row *r)
{
	struct load	*l = arg;
	struct art	*v;

	if ((v = vec_grow(NULL, l->v, l->n, &l->cap, sizeof(*v))) == NULL ||
	    (v[l->n].uri = arena_strdup(l->a, r->u.article.uri)) == NULL) {
		if (v != NULL)
			l->v = v;
		l->nomem = 1;
		return -1;
	}
	l->v = v;
	v[l->n].id = r->id;
	v[l->n++].key = NULL;
	return 0;
}

static int
key_cmp(const void *x, const void *y)
{
	const struct art	*a = x, *b = y;
	int			 c = strcmp(a->key, b->key);

	/* The article that has the key already comes first, then the
	 * oldest: the first of a group is the one the others join. */
	if (c != 0)
		return c;
	if ((strcmp(a->uri, a->key) == 0) != (strcmp(b->uri, b->key) == 0))
		return strcmp(a->uri, a->key) == 0 ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static enum status
audit(struct store *s, const char *action, long long id, const char *before,
    const char *after, long long now)
{
	char	 target[48];

	snprintf(target, sizeof(target), "article:%lld", id);
	return store_audit_add(s, 0, "cli", action, target, before, after,
	    NULL, now);
}

/* Where each article goes; ST_INPUT when a rule makes no key of one. */
static enum status
plan(struct art *v, size_t n, struct remap_rule *rules, size_t nr,
    unsigned flags, struct arena *a, char *err, size_t errsz)
{
	struct remap_rule	*r;
	const char		*to, *from;
	char			*joined;
	size_t			 i, k;
	enum text_err		 e;

	for (i = 0; i < n; i++) {
		v[i].key = from = v[i].uri;
		if (flags & REMAP_NORMALIZE) {
			e = text_uri_normalize(a, v[i].uri, strlen(v[i].uri),
			    (flags & REMAP_QUERY) ? TEXT_URI_QUERY : 0, &to);
			if (e == TEXT_NOMEM)
				return ST_NOMEM;
			/* A key that is no key today stays as it is. */
			if (e == TEXT_OK)
				v[i].key = from = to;
		}
		if ((r = rule_for(rules, nr, from)) == NULL)
			continue;
		to = r->to;
		if (r->prefix) {
			k = strlen(r->to) + strlen(from + strlen(r->from));
			if ((joined = arena_alloc(a, k + 1)) == NULL)
				return ST_NOMEM;
			snprintf(joined, k + 1, "%s%s", r->to,
			    from + strlen(r->from));
			if (text_uri_normalize(a, joined, k, TEXT_URI_QUERY,
			    &to) != TEXT_OK) {
				snprintf(err, errsz, "line %zu makes %.200s of "
				    "%.200s: not an address", r->line, joined,
				    v[i].uri);
				return ST_INPUT;
			}
		}
		r->used++;
		v[i].key = to;
	}
	return ST_OK;
}

/* Merge each group into its first, then move the firsts: through a key
 * no address can have, so two that swap keys never meet. */
static enum status
apply(struct store *s, struct art *v, size_t n, long long now,
    struct remap_result *res)
{
	char		 tmp[48], after[1100];
	enum status	 st;
	size_t		 i, j;

	for (i = 0; i < n; i = j)
		for (j = i + 1; j < n && strcmp(v[j].key, v[i].key) == 0;
		    j++) {
			snprintf(after, sizeof(after), "article:%lld %s",
			    v[i].id, v[i].key);
			if ((st = store_port_article_merge(s, v[j].id,
			    v[i].id)) != ST_OK || (st = audit(s, "remap-merge",
			    v[j].id, v[j].uri, after, now)) != ST_OK)
				return st;
			res->merged++;
			v[j].id = 0;
		}
	for (i = 0; i < n; i++) {
		if (v[i].id == 0 || strcmp(v[i].uri, v[i].key) == 0)
			continue;
		snprintf(tmp, sizeof(tmp), "remap:%lld", v[i].id);
		if ((st = store_port_article_rename(s, v[i].id, tmp)) != ST_OK)
			return st;
	}
	for (i = 0; i < n; i++) {
		if (v[i].id == 0 || strcmp(v[i].uri, v[i].key) == 0)
			continue;
		if ((st = store_port_article_rename(s, v[i].id,
		    v[i].key)) != ST_OK || (st = audit(s, "remap", v[i].id,
		    v[i].uri, v[i].key, now)) != ST_OK)
			return st;
		res->moved++;
	}
	return ST_OK;
}

enum status
remap_run(struct store *s, struct remap_rule *rules, size_t nr,
    unsigned flags, long long now, struct remap_result *res, char *err,
    size_t errsz)
{
	struct arena	 a = { NULL, 0 }, rowa = { NULL, 0 };
	struct load	 l;
	enum status	 st;
	size_t		 i;
	int		 tx = 0;

	memset(res, 0, sizeof(*res));
	memset(&l, 0, sizeof(l));
	l.a = &a;
	err[0] = '\0';
	if ((st = store_tx_begin(s)) != ST_OK)
		goto out;
	tx = 1;
	if ((st = store_port_each(s, PORT_ARTICLES, &rowa, load_one, &l)) !=
	    ST_OK) {
		if (l.nomem)
			st = ST_NOMEM;
		goto out;
	}
	if ((st = plan(l.v, l.n, rules, nr, flags, &a, err, errsz)) != ST_OK)
		goto out;
	if (l.n > 0)
		qsort(l.v, l.n, sizeof(*l.v), key_cmp);
	if ((st = apply(s, l.v, l.n, now, res)) != ST_OK)
		goto out;
	for (i = 0; i < nr; i++)
		res->unused += rules[i].used == 0;
	if (flags & REMAP_DRY_RUN)
		goto out;
	tx = 0;
	st = store_tx_commit(s);
out:
	if (tx)
		store_tx_rollback(s);
	if (st != ST_OK && err[0] == '\0')
		snprintf(err, errsz, "the database refused the remap (%s)",
		    status_str(st));
	free(l.v);
	arena_free(&a);
	arena_free(&rowa);
	return st;
}
