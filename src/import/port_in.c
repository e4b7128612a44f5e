/* port_in.c: palaver import palaver: an export read back, restored as it was into an empty database or merged into one with data */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "domain/votes.h"
#include "import/import_int.h"
#include "import/port.h"
#include "import/port_int.h"
#include "render/markup.h"
#include "store/store.h"

/* Every this many records the progress callback hears of it. */
#define PROGRESS_EVERY	1000

/*
 * The hash of an account that came without one (an export without
 * secrets): no password matches it, as crypto_pwhash_str_verify takes no
 * string that is not an Argon2 hash.  `palaver user passwd` sets one.
 */
#define NO_PASSWORD	"!no-password: palaver user passwd NAME"

/* Old ids to new ones, for a merge: rows come in id order, so appending
 * keeps it sorted. */
struct idmap {
	struct { long long from, to; } *v;
	size_t		 n, cap;
};

struct pin {
	struct store			*s;
	const struct port_opts		*o;
	struct port_result		*r;
	struct port_line		 head;
	int				 restore;
	int				 ended;
	int				 secret;	/* a secret line came */
	char				 source[80];	/* "palaver:SITE" */
	/* A merge: the comments from this id on are this import's, the
	 * only ones its votes and reports join (ids are never reused). */
	long long			 first_new;
	struct idmap			 arts, mods;
	struct buf			 html;
	long long			 now;
	size_t				 done;
};

static enum status
map_add(struct idmap *m, long long from, long long to)
{
	void	*v;

	if (m->n > 0 && m->v[m->n - 1].from >= from)
		return ST_INPUT;	/* out of order: see port_export */
	if ((v = vec_grow(NULL, m->v, m->n, &m->cap, sizeof(*m->v))) == NULL)
		return ST_NOMEM;
	m->v = v;
	m->v[m->n].from = from;
	m->v[m->n++].to = to;
	return ST_OK;
}

/* The new id of old id `from`, 0 when there is none. */
static long long
map_get(const struct idmap *m, long long from)
{
	size_t	 lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->v[mid].from < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->v[lo].from == from ? m->v[lo].to : 0;
}

/* Markdown as it is stored renders; NULL (with err) when it cannot. */
static const char *
render(struct pin *p, const char *md, char *err, size_t errsz)
{
	size_t	 n = strlen(md);

	buf_reset(&p->html);
	if (!utf8_check(md, n) || memchr(md, '\r', n) != NULL) {
		snprintf(err, errsz, "the text holds control characters");
		return NULL;
	}
	if (markup_render(&p->html, md, n, NULL) != ST_OK || p->html.err) {
		snprintf(err, errsz, "the text cannot be rendered");
		return NULL;
	}
	return buf_str(&p->html);
}

/* What a comment row takes from the caller (store_port_put): its HTML,
 * and its rank best first from its counts, as a vote leaves it. */
static enum status
comment_ready(struct pin *p, struct port_row *row, char *err, size_t errsz)
{
	if ((row->u.comment.html = render(p, row->u.comment.body, err,
	    errsz)) == NULL)
		return ST_INPUT;
	row->u.comment.best = votes_wilson(row->u.comment.up,
	    row->u.comment.down);
	return ST_OK;
}

/* --- a restore: every row as it was -------------------------------------- */

static enum status
restore(struct pin *p, struct port_line *l, char *err, size_t errsz)
{
	struct port_row	*row = &l->row;
	enum status	 st;

	switch (l->type) {
	case PREC_SECRET:
		memcpy(p->head.meta.secret, l->meta.secret,
		    sizeof(l->meta.secret));
		auth_wipe(l->meta.secret, sizeof(l->meta.secret));
		p->secret = 1;
		return ST_OK;
	case PREC_ACCOUNT:
		if (row->u.account.hash == NULL) {
			row->u.account.hash = NO_PASSWORD;
			p->r->no_password++;
		}
		break;
	case PREC_ARTICLE:
		if (row->u.article.body != NULL &&
		    (row->u.article.body_html = render(p,
		    row->u.article.body, err, errsz)) == NULL)
			return ST_INPUT;
		break;
	case PREC_COMMENT:
		if ((st = comment_ready(p, row, err, errsz)) != ST_OK)
			return st;
		break;
	default:
		break;
	}
	if ((st = store_port_put(p->s, row, NULL)) == ST_CONFLICT)
		snprintf(err, errsz, "the %s is there already, or names "
		    "what is not", port_rec_name(l->type));
	else if (st == ST_NOTFOUND)
		snprintf(err, errsz, "its parent is not before it");
	return st;
}

/* --- a merge: what is new joins what is there ---------------------------- */

static enum status
merge_account(struct pin *p, const struct port_row *row, char *err,
    size_t errsz)
{
	struct arena		 a = { NULL, 0 };
	struct moderator	 m;
	const char		*hash = row->u.account.hash;
	long long		 id = 0;
	enum status		 st;

	st = store_mod_by_name(p->s, &a, row->u.account.name, &m);
	if (st == ST_OK) {
		id = m.id;
		p->r->accounts_kept++;
	} else if (st == ST_NOTFOUND) {
		if (hash == NULL) {
			hash = NO_PASSWORD;
			p->r->no_password++;
		}
		st = store_mod_add(p->s, row->u.account.name, hash,
		    row->u.account.admin, row->u.account.created, &id);
	}
	arena_free(&a);
	if (st == ST_OK && (st = map_add(&p->mods, row->id, id)) == ST_INPUT)
		snprintf(err, errsz, "the accounts are not in the order of "
		    "their ids");
	return st;
}

static enum status
merge_article(struct pin *p, struct port_row *row, char *err, size_t errsz)
{
	long long	 id = 0, from = row->id;
	enum status	 st;

	st = store_article_id(p->s, row->u.article.uri, &id);
	if (st == ST_NOTFOUND) {
		if (row->u.article.body != NULL &&
		    (row->u.article.body_html = render(p, row->u.article.body,
		    err, errsz)) == NULL)
			return ST_INPUT;
		row->id = 0;
		st = store_article_add(p->s, row->u.article.uri,
		    row->u.article.title, row->u.article.body,
		    row->u.article.body_html, row->u.article.created, &id);
		if (st == ST_OK && (row->u.article.closed ||
		    row->u.article.mode != NULL))
			st = store_article_set(p->s, id, row->u.article.closed,
			    row->u.article.mode);
	}
	if (st == ST_OK && (st = map_add(&p->arts, from, id)) == ST_INPUT)
		snprintf(err, errsz, "the articles are not in the order of "
		    "their ids");
	return st;
}

/* The comment old id `from` became here, 0 when none did. */
static enum status
comment_here(struct pin *p, long long from, long long *to)
{
	char		 sid[32];
	enum status	 st;

	snprintf(sid, sizeof(sid), "%lld", from);
	st = store_import_seen(p->s, p->source, sid, to);
	if (st == ST_NOTFOUND) {
		*to = 0;
		st = ST_OK;
	}
	return st;
}

static enum status
merge_comment(struct pin *p, struct port_row *row, char *err, size_t errsz)
{
	struct arena	 a = { NULL, 0 };
	struct comment	 old;
	char		 sid[32];
	long long	 id = 0, from = row->id;
	enum status	 st;

	if ((st = comment_here(p, from, &id)) != ST_OK)
		return st;
	if (id != 0) {
		p->r->seen++;
		return ST_OK;
	}
	snprintf(sid, sizeof(sid), "%lld", from);
	/* The export of this very database: the comment is its own. */
	st = store_comment_get(p->s, &a, from, &old);
	if (st == ST_OK && old.created == row->u.comment.created &&
	    strcmp(old.author, row->u.comment.author) == 0) {
		arena_free(&a);
		p->r->seen++;
		return store_import_mark(p->s, p->source, sid, from);
	}
	arena_free(&a);
	if (st != ST_OK && st != ST_NOTFOUND)
		return st;
	if ((row->u.comment.article = map_get(&p->arts,
	    row->u.comment.article)) == 0) {
		snprintf(err, errsz, "its article is not before it");
		return ST_INPUT;
	}
	if (row->u.comment.parent != 0 && (st = comment_here(p,
	    row->u.comment.parent, &row->u.comment.parent)) != ST_OK)
		return st;
	row->u.comment.edited_by = map_get(&p->mods,
	    row->u.comment.edited_by);
	if ((st = comment_ready(p, row, err, errsz)) != ST_OK)
		return st;
	row->id = 0;
	if ((st = store_port_put(p->s, row, &id)) != ST_OK ||
	    (st = store_import_mark(p->s, p->source, sid, id)) != ST_OK ||
	    (st = store_port_bump(p->s, row->u.comment.article)) != ST_OK)
		return st;
	p->r->added++;
	return ST_OK;
}

/*
 * A vote or report joins the comment it names when this import added
 * that comment, whose counts came with it: one there already keeps its
 * own votes and reports, so a second import of the file adds none.
 */
static enum status
merge_reader(struct pin *p, struct port_line *l, char *err, size_t errsz)
{
	struct port_row	*row = &l->row;
	long long	*comment, to = 0;
	enum status	 st;

	comment = l->type == PREC_VOTE ? &row->u.vote.comment :
	    &row->u.report.comment;
	if ((st = comment_here(p, *comment, &to)) != ST_OK)
		return st;
	if (to == 0) {
		snprintf(err, errsz, "its comment is not before it");
		return ST_INPUT;
	}
	if (to < p->first_new)
		return ST_OK;
	*comment = to;
	row->id = 0;
	if ((st = store_port_put(p->s, row, NULL)) == ST_CONFLICT) {
		snprintf(err, errsz, "the %s is there already",
		    port_rec_name(l->type));
		return ST_INPUT;
	}
	if (st != ST_OK)
		return st;
	if (l->type == PREC_REPORT) {
		p->r->reports_added++;
		return ST_OK;
	}
	p->r->votes_added++;
	return store_port_voted(p->s, to);
}

static enum status
merge(struct pin *p, struct port_line *l, char *err, size_t errsz)
{
	struct port_row	*row = &l->row;
	enum status	 st;

	switch (l->type) {
	case PREC_ACCOUNT:
		return merge_account(p, row, err, errsz);
	case PREC_ARTICLE:
		return merge_article(p, row, err, errsz);
	case PREC_COMMENT:
		return merge_comment(p, row, err, errsz);
	case PREC_VOTE:
	case PREC_REPORT:
		return merge_reader(p, l, err, errsz);
	case PREC_BAN:
		row->id = 0;
		row->u.ban.moderator = map_get(&p->mods, row->u.ban.moderator);
		st = store_port_put(p->s, row, NULL);
		return st == ST_CONFLICT ? ST_OK : st;
	case PREC_IMPORTED:
		if ((st = comment_here(p, row->u.imported.comment,
		    &row->u.imported.comment)) != ST_OK ||
		    row->u.imported.comment == 0)
			return st;
		st = store_port_put(p->s, row, NULL);
		return st == ST_CONFLICT ? ST_OK : st;
	case PREC_AUDIT:
	case PREC_SECRET:
		/* History and keys of another database stay there. */
		p->r->left_out++;
		return ST_OK;
	default:
		return ST_OK;
	}
}

/* --- the file ------------------------------------------------------------ */

static enum status
header(struct pin *p, const struct port_line *l, char *err, size_t errsz)
{
	long long	 seq;
	int		 empty;
	enum status	 st;

	if (l->type != PREC_HEADER) {
		snprintf(err, errsz, "not a palaver export: the first line "
		    "is no header");
		return ST_INPUT;
	}
	if (l->version > PORT_VERSION) {
		snprintf(err, errsz, "written by a newer palaver (format "
		    "version %lld; this one reads up to %d): upgrade palaver",
		    l->version, PORT_VERSION);
		return ST_INPUT;
	}
	p->head = *l;
	snprintf(p->source, sizeof(p->source), "palaver:%s", l->meta.site);
	if ((st = store_port_empty(p->s, &empty)) != ST_OK)
		return st;
	p->restore = p->r->restored = empty;
	if (p->restore)
		return ST_OK;
	if ((st = store_port_seq(p->s, &seq)) == ST_OK)
		p->first_new = seq + 1;
	return st;
}

static enum status
line(struct pin *p, struct port_line *l, char *err, size_t errsz)
{
	int	 t;

	if (p->ended) {
		snprintf(err, errsz, "a line after the end line");
		return ST_INPUT;
	}
	if (l->type == PREC_HEADER) {
		snprintf(err, errsz, "a second header");
		return ST_INPUT;
	}
	if (l->type == PREC_END) {
		for (t = PREC_ACCOUNT; t < PREC_END; t++)
			if ((size_t)l->counts[t] != p->r->n[t]) {
				snprintf(err, errsz, "the end line counts "
				    "%lld %s records, the file holds %zu",
				    l->counts[t], port_rec_name(t), p->r->n[t]);
				return ST_INPUT;
			}
		p->ended = 1;
		return ST_OK;
	}
	p->r->n[l->type]++;
	if (p->o != NULL && p->o->progress != NULL &&
	    ++p->done % PROGRESS_EVERY == 0)
		p->o->progress(p->o->arg, p->done, 0);
	return p->restore ? restore(p, l, err, errsz) :
	    merge(p, l, err, errsz);
}

/* After the last line: counts, the site's own settings, the audit. */
static enum status
finish(struct pin *p, char *err, size_t errsz)
{
	char		 after[160];
	enum status	 st;

	if (!p->ended) {
		snprintf(err, errsz, "the export is cut short: it has no end "
		    "line");
		return ST_INPUT;
	}
	if ((st = store_port_recount(p->s)) != ST_OK)
		return st;
	if (p->restore)
		return store_port_meta_set(p->s, &p->head.meta, p->secret);
	snprintf(after, sizeof(after), "%zu comments added, %zu there "
	    "already", p->r->added, p->r->seen);
	return store_audit_add(p->s, 0, "cli", "import", p->source, NULL,
	    after, NULL, p->now);
}

enum status
port_import(struct store *s, const char *path, const struct port_opts *o,
    long long now, struct port_result *r, char *err, size_t errsz)
{
	struct import_in	*in = NULL;
	struct port_line	 l;
	struct arena		 a = { NULL, 0 };
	struct buf		 text = BUF_INIT;
	struct pin		 p;
	char			 why[300];
	size_t			 lineno = 0;
	enum status		 st;
	int			 tx = 0;

	memset(r, 0, sizeof(*r));
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.o = o;
	p.r = r;
	p.now = now;
	err[0] = why[0] = '\0';
	if ((st = import_in_open(path, SIZE_MAX, &in, err, errsz)) != ST_OK)
		return st;
	if ((st = store_tx_begin(s)) != ST_OK) {
		snprintf(err, errsz, "cannot start a transaction (%s)",
		    status_str(st));
		goto out;
	}
	tx = 1;
	while ((st = import_in_line(in, &text, PORT_MAX_LINE)) == ST_OK) {
		lineno++;
		if (text.len == 0)
			continue;
		arena_reset(&a);
		if ((st = port_parse_line(&a, text.p, text.len, &l, why,
		    sizeof(why))) != ST_OK)
			break;
		st = lineno == 1 ? header(&p, &l, why, sizeof(why)) :
		    line(&p, &l, why, sizeof(why));
		if (st != ST_OK)
			break;
	}
	if (st == ST_NOTFOUND) {
		if (lineno == 0) {
			snprintf(err, errsz, "not a palaver export: the file "
			    "is empty");
			st = ST_INPUT;
			goto out;
		}
		st = finish(&p, why, sizeof(why));
		if (st != ST_OK) {
			snprintf(err, errsz, "%s", why[0] != '\0' ? why :
			    status_str(st));
			goto out;
		}
	} else {
		if (st == ST_IO)
			st = import_in_error(in, why, sizeof(why));
		else if (st == ST_TOOBIG)
			snprintf(why, sizeof(why), "longer than %lu MiB",
			    PORT_MAX_LINE >> 20);
		snprintf(err, errsz, "line %zu: %s", lineno + (st == ST_TOOBIG),
		    why[0] != '\0' ? why : status_str(st));
		goto out;
	}
	tx = 0;
	if ((st = store_tx_commit(s)) != ST_OK)
		snprintf(err, errsz, "cannot commit (%s)", status_str(st));
out:
	if (tx)
		store_tx_rollback(s);
	if (st != ST_OK) {
		memset(r, 0, sizeof(*r));
		if (err[0] == '\0')
			snprintf(err, errsz, "%s", status_str(st));
	}
	auth_wipe(&p.head, sizeof(p.head));
	import_in_close(in);
	arena_free(&a);
	buf_free(&text);
	buf_free(&p.html);
	free(p.arts.v);
	free(p.mods.v);
	return st;
}
