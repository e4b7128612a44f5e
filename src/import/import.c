/* import.c: the document an export becomes: its articles and comments, checked by the text rules, with parents resolved */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "import/import.h"
#include "import/import_int.h"

static const char *const kinds[IMPORT__MAX] = {
	[IMPORT_WORDPRESS] = "wordpress",
	[IMPORT_DISQUS] = "disqus",
	[IMPORT_ISSO] = "isso",
};

/* Completes "N comments left out: ..." */
static const char *const drop_reasons[DROP__MAX] = {
	[DROP_NO_ID] = "without an id",
	[DROP_NO_LINK] = "on a post or thread without a usable link",
	[DROP_NO_THREAD] = "whose thread is not in the export",
	[DROP_TOO_BIG] = "over 1 MiB",
	[DROP_TWICE] = "whose id appears twice",
	[DROP_BAD_TEXT] = "whose text cannot be rendered",
	[DROP_OTHER] = "whose id an earlier import gave to another comment",
};

enum import_kind
import_kind_parse(const char *s)
{
	int	 i;

	for (i = 0; i < IMPORT__MAX; i++)
		if (s != NULL && strcmp(s, kinds[i]) == 0)
			return (enum import_kind)i;
	return IMPORT__MAX;
}

const char *
import_kind_name(enum import_kind k)
{
	return (unsigned)k < IMPORT__MAX ? kinds[k] : "unknown";
}

const char *
import_drop_reason(enum import_drop r)
{
	return (unsigned)r < DROP__MAX ? drop_reasons[r] : "";
}

/* --- warnings ------------------------------------------------------------ */

void
import_sanitize(char *s)
{
	size_t		 i, n = strlen(s), k;
	uint32_t	 cp;

	for (i = 0; i < n; i += k)
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0 || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			memset(s + i, '?', k = k ? k : 1);
}

void
import_warn(struct import_doc *d, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[400];

	if (d->nwarnings++ >= IMPORT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	import_sanitize(msg);
	if ((d->warnings[d->nwarnings - 1] = arena_strdup(&d->a, msg)) ==
	    NULL)
		d->warnings[d->nwarnings - 1] = "(out of memory)";
}

void
import_drop(struct import_doc *d, enum import_drop r, size_t n)
{
	d->nrefused += n;
	d->dropped[r] += n;
}

/* --- text, through the text rules ---------------------------------------- */

const char *
import_keep(struct build *b, const char *s, size_t n)
{
	char	*r;

	if ((r = arena_strndup(&b->d->a, s, n)) == NULL)
		b->st = ST_NOMEM;
	return r;
}

/* Cut b->conv to the kind's limit, with a warning; keep it. */
static const char *
cut_line(struct build *b, enum text_kind k, const char *who)
{
	size_t	 keep;

	if (b->conv.len == 0)
		return NULL;
	keep = text_cut(k, b->conv.p, b->conv.len, 0);
	if (keep < b->conv.len)
		import_warn(b->d, "%s: the %s is %zu characters long: cut to "
		    "%zu", who, text_rules[k].label, utf8_len(b->conv.p,
		    b->conv.len), utf8_len(b->conv.p, keep));
	return keep > 0 ? import_keep(b, b->conv.p, keep) : NULL;
}

const char *
import_line(struct build *b, const char *html, size_t n, enum text_kind k,
    const char *who)
{
	buf_reset(&b->conv);
	if (import_html_text(&b->conv, html, n, 0) != ST_OK) {
		b->st = ST_NOMEM;
		return NULL;
	}
	return cut_line(b, k, who);
}

const char *
import_plain(struct build *b, const char *s, size_t n, enum text_kind k,
    const char *who)
{
	size_t		 i, j;
	uint32_t	 cp;

	buf_reset(&b->conv);
	for (i = 0; i < n; i += j) {
		if ((j = utf8_decode(s + i, n - i, &cp)) == 0) {
			cp = 0xfffd;
			j = 1;
		}
		if (cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0)) {
			if ((cp == ' ' || cp == '\t' || cp == '\n' ||
			    cp == '\r' || cp == 0xa0) && b->conv.len > 0 &&
			    b->conv.p[b->conv.len - 1] != ' ')
				buf_putc(&b->conv, ' ');
			continue;
		}
		utf8_put(&b->conv, cp);
	}
	while (b->conv.len > 0 && b->conv.p[b->conv.len - 1] == ' ')
		b->conv.p[--b->conv.len] = '\0';
	if (b->conv.err) {
		b->st = ST_NOMEM;
		return NULL;
	}
	return cut_line(b, k, who);
}

/* s[0..n) without white space at either end, NUL-terminated in b->conv. */
static const char *
trimmed(struct build *b, const char *s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)s[*n - 1]))
		(*n)--;
	while (*n > 0 && isspace((unsigned char)*s)) {
		s++;
		(*n)--;
	}
	buf_reset(&b->conv);
	if (buf_put(&b->conv, s, *n) == -1) {
		b->st = ST_NOMEM;
		return NULL;
	}
	return buf_str(&b->conv);
}

const char *
import_email(struct build *b, const char *s, size_t n, const char *who)
{
	if ((s = trimmed(b, s, &n)) == NULL || n == 0)
		return NULL;
	if (memchr(s, '\0', n) == NULL &&
	    text_check(TEXT_EMAIL, s, 0) == TEXT_OK)
		return import_keep(b, s, n);
	import_warn(b->d, "%s: \"%.80s\" is no e-mail address: left out",
	    who, s);
	return NULL;
}

const char *
import_website(struct build *b, const char *s, size_t n)
{
	/* No warning: "http://" alone is WordPress's empty field. */
	if ((s = trimmed(b, s, &n)) == NULL || n == 0 ||
	    memchr(s, '\0', n) != NULL ||
	    text_check(TEXT_WEBSITE, s, 0) != TEXT_OK)
		return NULL;
	return import_keep(b, s, n);
}

const char *
import_uri(struct build *b, const char *link, size_t n)
{
	const char	*out;
	enum text_err	 e;

	e = text_uri_normalize(&b->d->a, link, n, b->uri_flags, &out);
	if (e == TEXT_NOMEM)
		b->st = ST_NOMEM;
	return e == TEXT_OK ? out : NULL;
}

static long long
days_from_civil(long long y, int m, int d)
{
	long long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n digits at *s, or -1. */
static int
num(const char **s, int n)
{
	int	 v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (*(*s)++ - '0');
	}
	return v;
}

long long
import_date(const char *s)
{
	int		 y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	long long	 off = 0, sign, t;

	if ((y = num(&s, 4)) < 1970 || *s++ != '-' ||
	    (mo = num(&s, 2)) < 1 || mo > 12 || *s++ != '-' ||
	    (d = num(&s, 2)) < 1 || d > 31)
		return 0;
	if (*s == ' ' || *s == 'T') {
		s++;
		if ((h = num(&s, 2)) < 0 || h > 23 || *s++ != ':' ||
		    (mi = num(&s, 2)) < 0 || mi > 59)
			return 0;
		if (*s == ':' && (s++, (sec = num(&s, 2)) < 0 || sec > 60))
			return 0;
		if (*s == '.')
			for (s++; isdigit((unsigned char)*s); s++)
				continue;
		if (*s == 'Z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if ((oh = num(&s, 2)) < 0 || oh > 23)
				return 0;
			if (*s == ':')
				s++;
			if ((om = num(&s, 2)) < 0 || om > 59)
				return 0;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*s != '\0')
		return 0;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return t > 0 ? t : 0;
}

/* --- articles and comments ----------------------------------------------- */

size_t
import_add_article(struct build *b, const char *uri, const char *link,
    const char *title, long long created, int closed)
{
	struct import_doc	*d = b->d;
	struct import_article	*a;

	if ((a = vec_grow(NULL, d->articles, d->narticles, &b->acap,
	    sizeof(*a))) == NULL) {
		b->st = ST_NOMEM;
		return IMPORT_NONE;
	}
	d->articles = a;
	a = &d->articles[d->narticles];
	a->uri = uri;
	a->link = link != NULL ? link : uri;
	a->title = title != NULL ? title : uri;
	a->created = created;
	a->closed = closed;
	return d->narticles++;
}

/* The body in b->conv, checked, into c. */
static int
take_body(struct build *b, struct import_comment *c)
{
	const char	*where = b->d->articles[c->article].uri;

	if (b->conv.err) {
		b->st = ST_NOMEM;
		return 0;
	}
	if (b->conv.len > IMPORT_MAX_COMMENT ||
	    !utf8_check(buf_str(&b->conv), b->conv.len)) {
		import_warn(b->d, "comment %.80s on %.200s: its text is over "
		    "the limit of %d bytes: left out", c->id, where,
		    IMPORT_MAX_COMMENT);
		import_drop(b->d, DROP_TOO_BIG, 1);
		return 0;
	}
	if ((c->body = import_keep(b, buf_str(&b->conv), b->conv.len)) ==
	    NULL)
		return 0;
	c->body_len = b->conv.len;
	return 1;
}

int
import_body_html(struct build *b, struct import_comment *c,
    const char *html, size_t n)
{
	if (n > IMPORT_MAX_COMMENT) {
		import_warn(b->d, "comment %.80s on %.200s: %zu bytes, over "
		    "the limit of %d: left out", c->id,
		    b->d->articles[c->article].uri, n, IMPORT_MAX_COMMENT);
		import_drop(b->d, DROP_TOO_BIG, 1);
		return 0;
	}
	buf_reset(&b->conv);
	if (import_html_text(&b->conv, html, n, 1) != ST_OK) {
		b->st = ST_NOMEM;
		return 0;
	}
	return take_body(b, c);
}

int
import_body_md(struct build *b, struct import_comment *c, const char *md,
    size_t n)
{
	size_t		 i, k;
	uint32_t	 cp;

	/* Markdown as the commenter typed it: \r\n and \r become \n, a
	 * byte that starts no character U+FFFD, other controls go. */
	buf_reset(&b->conv);
	for (i = 0; i < n && b->conv.len <= IMPORT_MAX_COMMENT; i += k) {
		if ((k = utf8_decode(md + i, n - i, &cp)) == 0) {
			buf_puts(&b->conv, UTF8_REPLACEMENT);
			k = 1;
		} else if (cp == '\r') {
			buf_putc(&b->conv, '\n');
			if (i + 1 < n && md[i + 1] == '\n')
				k++;
		} else if (cp == '\n' || cp == '\t' || (cp >= 0x20 &&
		    cp != 0x7f))
			buf_put(&b->conv, md + i, k);
	}
	while (b->conv.len > 0 && isspace((unsigned char)
	    b->conv.p[b->conv.len - 1]))
		b->conv.p[--b->conv.len] = '\0';
	return take_body(b, c);
}

void
import_add_comment(struct build *b, struct import_comment *c)
{
	struct import_doc	*d = b->d;
	struct import_comment	*v;

	if (c->created == 0) {
		import_warn(d, "comment %.80s on %.200s: its date cannot be "
		    "read: %s", c->id, d->articles[c->article].uri,
		    c->status == CS_APPROVED ? "held for a moderator" :
		    "dated now");
		if (c->status == CS_APPROVED)
			c->status = CS_PENDING;
	}
	if ((v = vec_grow(NULL, d->comments, d->ncomments, &b->ccap,
	    sizeof(*v))) == NULL) {
		b->st = ST_NOMEM;
		return;
	}
	d->comments = v;
	d->comments[d->ncomments++] = *c;
}

/* --- after the walk: duplicates, parents, keys --------------------------- */

struct key {
	const char	*id;
	size_t		 i;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct key	*x = a, *y = b;
	int			 c = strcmp(x->id, y->id);

	return c != 0 ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The comment with this id in sorted keys, or IMPORT_NONE. */
static size_t
key_find(const struct key *keys, size_t n, const char *id)
{
	size_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(keys[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(keys[lo].id, id) == 0 ? keys[lo].i :
	    IMPORT_NONE;
}

/* Two links that became one key because the query went: say so once a
 * key, since their threads are now one. */
static enum status
warn_merged(struct build *b)
{
	struct import_doc	*d = b->d;
	struct key		*keys;
	struct arena		 a = { NULL, 0 };
	const char		*q1, *q2;
	size_t			 i, j;

	if (d->narticles < 2 || (b->uri_flags & TEXT_URI_QUERY))
		return ST_OK;
	if ((keys = calloc(d->narticles, sizeof(*keys))) == NULL)
		return ST_NOMEM;
	for (i = 0; i < d->narticles; i++) {
		keys[i].id = d->articles[i].uri;
		keys[i].i = i;
	}
	qsort(keys, d->narticles, sizeof(*keys), key_cmp);
	for (i = 0; i < d->narticles; i = j) {
		for (j = i + 1; j < d->narticles &&
		    strcmp(keys[j].id, keys[i].id) == 0; j++) {
			arena_reset(&a);
			if (text_uri_normalize(&a, d->articles[keys[i].i].link,
			    strlen(d->articles[keys[i].i].link),
			    TEXT_URI_QUERY, &q1) != TEXT_OK ||
			    text_uri_normalize(&a, d->articles[keys[j].i].link,
			    strlen(d->articles[keys[j].i].link),
			    TEXT_URI_QUERY, &q2) != TEXT_OK ||
			    strcmp(q1, q2) == 0)
				continue;
			import_warn(d, "%.200s and %.200s are one thread, %.200s, "
			    "once the query is dropped (--keep-query keeps it)",
			    d->articles[keys[i].i].link,
			    d->articles[keys[j].i].link, keys[i].id);
			break;
		}
		while (j < d->narticles && strcmp(keys[j].id, keys[i].id) == 0)
			j++;
	}
	arena_free(&a);
	free(keys);
	return ST_OK;
}

/*
 * A second comment with an id is left out; a parent counts only under
 * the same article (and never is the comment itself).
 */
static enum status
resolve(struct build *b)
{
	struct import_doc	*d = b->d;
	struct key		*keys;
	size_t			 i, j, n = d->ncomments;

	if (warn_merged(b) != ST_OK)
		return ST_NOMEM;
	if (n == 0)
		return ST_OK;
	if ((keys = calloc(n, sizeof(*keys))) == NULL)
		return ST_NOMEM;
	for (i = 0; i < n; i++) {
		keys[i].id = d->comments[i].id;
		keys[i].i = i;
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(keys[i].id, keys[i - 1].id) == 0) {
			import_warn(d, "comment id %.80s appears twice: the "
			    "second is left out", keys[i].id);
			d->comments[keys[i].i].id = NULL;
			import_drop(d, DROP_TWICE, 1);
		}
	for (i = j = 0; i < n; i++)
		if (d->comments[i].id != NULL)
			d->comments[j++] = d->comments[i];
	d->ncomments = n = j;
	for (i = 0; i < n; i++) {
		keys[i].id = d->comments[i].id;
		keys[i].i = i;
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 0; i < n; i++) {
		if (d->comments[i].parent_id == NULL)
			continue;
		j = key_find(keys, n, d->comments[i].parent_id);
		if (j != IMPORT_NONE && j != i &&
		    d->comments[j].article == d->comments[i].article)
			d->comments[i].parent = j;
	}
	free(keys);
	return ST_OK;
}

/* --- documents ----------------------------------------------------------- */

enum status
import_build_init(struct build *b, enum import_kind kind,
    const struct import_opts *o)
{
	memset(b, 0, sizeof(*b));
	if ((b->d = calloc(1, sizeof(*b->d))) == NULL)
		return b->st = ST_NOMEM;
	b->d->kind = kind;
	b->d->source = kinds[kind];
	b->uri_flags = o != NULL && o->keep_query ? TEXT_URI_QUERY : 0;
	return b->st = ST_OK;
}

enum status
import_build_done(struct build *b, enum status st, struct import_doc **out)
{
	if (st == ST_OK)
		st = b->st;
	if (st == ST_OK)
		st = resolve(b);
	buf_free(&b->tmp);
	buf_free(&b->conv);
	if (st != ST_OK) {
		import_doc_free(b->d);
		b->d = NULL;
	}
	*out = b->d;
	return st;
}

void
import_doc_free(struct import_doc *d)
{
	if (d == NULL)
		return;
	free(d->articles);
	free(d->comments);
	arena_free(&d->a);
	free(d);
}

/* --- parsing ------------------------------------------------------------- */

enum status
import_parse(enum import_kind kind, const char *data, size_t len,
    const struct import_opts *o, struct import_doc **out, char *err,
    size_t errsz)
{
	struct build	 b;
	enum status	 st;

	*out = NULL;
	err[0] = '\0';
	if ((unsigned)kind >= IMPORT__MAX) {
		snprintf(err, errsz, "unknown kind of export");
		return ST_INPUT;
	}
	if (len > IMPORT_MAX_FILE || len > INT32_MAX) {
		snprintf(err, errsz, "larger than %lu MiB",
		    IMPORT_MAX_FILE >> 20);
		return ST_TOOBIG;
	}
	if (len == 0) {
		snprintf(err, errsz, "not %s: the file is empty",
		    kind == IMPORT_ISSO ? "JSON" : "XML");
		return ST_INPUT;
	}
	if ((st = import_build_init(&b, kind, o)) != ST_OK) {
		snprintf(err, errsz, "out of memory");
		return st;
	}
	if (kind == IMPORT_ISSO)
		st = import_isso_json(&b, data, len, err, errsz);
	else
		st = import_xml_parse(&b, data, len, NULL, err, errsz);
	if ((st = import_build_done(&b, st, out)) == ST_NOMEM)
		snprintf(err, errsz, "out of memory");
	return st;
}

/* An Isso database: SQLite's own first bytes. */
#define SQLITE_MAGIC	"SQLite format 3"

enum status
import_parse_file(enum import_kind kind, const char *path,
    const struct import_opts *o, struct import_doc **out, char *err,
    size_t errsz)
{
	struct import_in	*in = NULL;
	struct build		 b;
	struct buf		 all = BUF_INIT;
	char			 head[16], tmp[65536];
	ssize_t			 n;
	enum status		 st;

	*out = NULL;
	err[0] = '\0';
	if ((unsigned)kind >= IMPORT__MAX) {
		snprintf(err, errsz, "unknown kind of export");
		return ST_INPUT;
	}
	if ((st = import_in_open(path, IMPORT_MAX_FILE, &in, err, errsz)) !=
	    ST_OK)
		return st;
	if (import_in_peek(in, head, 1) == 0) {
		snprintf(err, errsz, "not %s: the file is empty",
		    kind == IMPORT_ISSO ? "JSON" : "XML");
		import_in_close(in);
		return ST_INPUT;
	}
	if ((st = import_build_init(&b, kind, o)) != ST_OK) {
		snprintf(err, errsz, "out of memory");
		import_in_close(in);
		return st;
	}
	if (kind != IMPORT_ISSO) {
		st = import_xml_parse(&b, NULL, 0, in, err, errsz);
	} else if (import_in_peek(in, head, sizeof(head)) == sizeof(head) &&
	    memcmp(head, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)) == 0) {
		/* SQLite reads the file itself, in place. */
		if (import_in_gzip(in) || strcmp(path, "-") == 0) {
			snprintf(err, errsz, "an Isso database is read where "
			    "it lies: give its path, unpacked");
			st = ST_INPUT;
		} else
			st = import_isso_db(&b, path, err, errsz);
	} else {
		while ((n = import_in_read(in, tmp, sizeof(tmp))) > 0)
			buf_put(&all, tmp, (size_t)n);
		if (n < 0)
			st = import_in_error(in, err, errsz);
		else if (all.err)
			st = ST_NOMEM;
		else
			st = import_isso_json(&b, all.p, all.len, err, errsz);
	}
	/* A read error (or a file grown too big) explains a parse error. */
	if (st != ST_OK && st != ST_NOMEM && import_in_error(in, tmp,
	    sizeof(tmp)) != ST_OK) {
		st = import_in_error(in, err, errsz);
	}
	import_in_close(in);
	buf_free(&all);
	if ((st = import_build_done(&b, st, out)) == ST_NOMEM)
		snprintf(err, errsz, "out of memory");
	return st;
}
