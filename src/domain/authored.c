/* authored.c: a reader's own comments, by their author tokens, and what a
 * reader sees of a thread */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "model/model.h"
#include "auth/auth.h"
#include "domain/authored.h"

/*
 * Walk a list of author tokens joined by '~': 1 with the next valid one
 * (its text, id and expiry), 0 at the end.  Forged, damaged and expired
 * ones are skipped.
 */
static int
token_next(const unsigned char *secret, const char **pp, long long now,
    const char **tok, size_t *len, long long *id, long long *exp)
{
	const char	*p = *pp, *end;

	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, "~");
		*pp = *end == '~' ? end + 1 : end;
		if (auth_author_check(secret, p, (size_t)(end - p), now, id,
		    exp)) {
			*tok = p;
			*len = (size_t)(end - p);
			return 1;
		}
		p = *pp;
	}
	return 0;
}

void
authored_read(const unsigned char *secret, struct arena *a,
    const char *const *lists, size_t nlists, long long now,
    struct authored *own)
{
	const char	*p, *t;
	long long	 id, exp;
	struct buf	 json = BUF_INIT;
	size_t		 i, k, len;

	memset(own, 0, sizeof(*own));
	own->json = "[]";
	own->ids = arena_calloc(a, AUTHORED_MAX, sizeof(*own->ids));
	own->expires = arena_calloc(a, AUTHORED_MAX, sizeof(*own->expires));
	if (own->ids == NULL || own->expires == NULL) {
		own->ids = own->expires = NULL;
		return;
	}
	for (k = 0; k < nlists; k++)
		for (p = lists[k]; own->n < AUTHORED_MAX &&
		    token_next(secret, &p, now, &t, &len, &id, &exp); )
			if (authored_has(own, id) == 0) {
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
		own->json = arena_strdup(a, json.p);
	if (own->json == NULL)
		own->json = "[]";
	buf_free(&json);
}

long long
authored_has(const struct authored *own, long long id)
{
	size_t	 i;

	for (i = 0; own != NULL && i < own->n; i++)
		if (own->ids[i] == id)
			return own->expires[i];
	return 0;
}

const char *
authored_cookie(const unsigned char *secret, struct arena *a, const char *old,
    long long id, const char *tok, long long now)
{
	const char	*p = old, *t, *rv;
	struct buf	 v = BUF_INIT;
	long long	 oid, exp;
	size_t		 len;
	int		 kept = 1;

	/* The new token first, then the still-valid old ones. */
	buf_puts(&v, tok);
	while (kept < AUTHORED_COOKIE_MAX &&
	    token_next(secret, &p, now, &t, &len, &oid, &exp))
		if (oid != id) {
			buf_putc(&v, '~');
			buf_put(&v, t, len);
			kept++;
		}
	rv = v.err ? NULL : arena_strdup(a, buf_str(&v));
	buf_free(&v);
	return rv;
}

/* Rows by comment id, for finding parents: open addressing. */
struct rowmap {
	long long	*ids;
	long long	*rows;
	size_t		 mask;
};

static void
rowmap_put(struct rowmap *m, long long id, long long row)
{
	size_t	 h = (size_t)((unsigned long long)id * 0x9e3779b97f4a7c15ULL);

	for (h &= m->mask; m->ids[h] != 0; h = (h + 1) & m->mask)
		continue;
	m->ids[h] = id;
	m->rows[h] = row;
}

static long long
rowmap_get(const struct rowmap *m, long long id)
{
	size_t	 h = (size_t)((unsigned long long)id * 0x9e3779b97f4a7c15ULL);

	for (h &= m->mask; m->ids[h] != 0; h = (h + 1) & m->mask)
		if (m->ids[h] == id)
			return m->rows[h];
	return -1;
}

enum status
thread_view_make(struct arena *a, const struct thread_page *pg,
    const struct authored *own, struct thread_view *tv)
{
	unsigned char	*shown;
	long long	*parent, *mine;
	struct rowmap	 m;
	size_t		 i, size = 16;

	memset(tv, 0, sizeof(*tv));
	tv->pg = pg;
	while (size < 2 * pg->n && size < SIZE_MAX / 4)
		size *= 2;
	shown = arena_calloc(a, pg->n + 1, 1);
	parent = arena_calloc(a, pg->n + 1, sizeof(*parent));
	mine = arena_calloc(a, pg->n + 1, sizeof(*mine));
	m.ids = arena_calloc(a, size, sizeof(*m.ids));
	m.rows = arena_calloc(a, size, sizeof(*m.rows));
	m.mask = size - 1;
	if (shown == NULL || parent == NULL || mine == NULL || m.ids == NULL ||
	    m.rows == NULL)
		return ST_NOMEM;
	for (i = 0; i < pg->n; i++) {
		const struct comment *c = &pg->v[i];

		/* A parent comes before its replies in a page (its id and
		 * its ordering key are smaller), or is not on it. */
		parent[i] = c->parent > 0 ? rowmap_get(&m, c->parent) : -1;
		rowmap_put(&m, c->id, (long long)i);
		mine[i] = authored_has(own, c->id);
		if (c->status == CS_APPROVED || ((c->status == CS_PENDING ||
		    c->status == CS_SPAM) && mine[i] != 0))
			shown[i] = SHOWN_YES;
	}
	/* Hidden comments with shown replies keep their place. */
	for (i = pg->n; i > 0; i--)
		if (shown[i - 1] != SHOWN_NOT && parent[i - 1] >= 0 &&
		    shown[parent[i - 1]] == SHOWN_NOT)
			shown[parent[i - 1]] = SHOWN_PLACEHOLDER;
	tv->shown = shown;
	tv->parent = parent;
	tv->mine = mine;
	return ST_OK;
}
