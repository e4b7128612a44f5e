/* import.c: WordPress (WXR) and Disqus exports, parsed safely and stored in one transaction */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "core/text.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/vec.h"
#include "render/html.h"
#include "import/import.h"
#include "render/markup.h"
#include "core/utf8.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* The limits a reader's post or a thread made on first use has. */
#define MAX_AUTHOR	64	/* code points */
#define MAX_TITLE	200	/* code points */
#define MAX_URI		1024
#define MAX_EMAIL	254
#define MAX_WEBSITE	512

static const char *const kinds[IMPORT__MAX] = {
	[IMPORT_WORDPRESS] = "wordpress",
	[IMPORT_DISQUS] = "disqus",
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

/* --- dates, links, people ------------------------------------------------ */


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

/*
 * "2015-01-28 10:00:00" (WordPress, UTC in the _gmt fields) or
 * "2015-01-28T10:00:00Z" (Disqus, ISO 8601 with an optional fraction
 * and offset) in unix seconds; 0 when it is neither (WordPress writes
 * "0000-00-00 00:00:00" for a missing date).
 */
static long long
parse_date(const char *s)
{
	int		 y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	long long	 off = 0, sign;

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
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    off;
}

/* --- the XML side -------------------------------------------------------- */

static const char *const wp_ns[] = {
	"http://wordpress.org/export/1.2/",
	"http://wordpress.org/export/1.1/",
	"http://wordpress.org/export/1.0/",
};
#define DISQUS_NS	"http://disqus.com"
#define DSQ_NS		"http://disqus.com/disqus-internals"

/*
 * How we read exports.  XML_PARSE_NONET: nothing is fetched from the
 * network.  Left out on purpose: XML_PARSE_NOENT (it would substitute
 * entities: the billion laughs and XXE), XML_PARSE_DTDLOAD, DTDATTR and
 * DTDVALID (they read external DTDs), XML_PARSE_XINCLUDE, and
 * XML_PARSE_HUGE (which lifts libxml2's limits on text node size and
 * nesting depth), and XML_PARSE_RECOVER (a broken file is refused, not
 * guessed at).  Beyond the options, a document type declaration stops
 * the parser (exports have none: see refuse_dtd), and the external entity
 * loader refuses everything while we parse.  XML_PARSE_NOCDATA merges
 * CDATA into text; NOERROR and NOWARNING keep libxml2 off stderr (errors
 * come to xml_error); COMPACT saves memory on short text.
 */
#define XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOCDATA | \
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
			    XML_PARSE_COMPACT)

/* What the parser callbacks report, through ctxt->_private. */
struct xstate {
	int		 dtd;		/* a <!DOCTYPE> was seen */
	int		 line;		/* of the first error */
	int		 fatal;		/* the first error was fatal */
	char		 msg[200];	/* the first error, "" when none */
};

/* What is not printable UTF-8 text in a message becomes '?': messages
 * quote the file, and go to a terminal. */
static void
sanitize(char *s)
{
	size_t		 i, n = strlen(s), k;
	uint32_t	 cp;

	for (i = 0; i < n; i += k)
		if ((k = utf8_decode(s + i, n - i, &cp)) == 0 || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			memset(s + i, '?', k = k ? k : 1);
}

#if LIBXML_VERSION >= 21200
static void
xml_error(void *data, const xmlError *e)
#else
static void
xml_error(void *data, xmlErrorPtr e)
#endif
{
	xmlParserCtxtPtr ctxt = data;
	struct xstate	*x = ctxt != NULL ? ctxt->_private : NULL;
	size_t		 n;

	if (x == NULL || e == NULL || e->level < XML_ERR_ERROR)
		return;
	/* Keep the first fatal error: it is the one that stopped us. */
	if (x->msg[0] != '\0' && (x->fatal || e->level != XML_ERR_FATAL))
		return;
	x->line = e->line;
	x->fatal = e->level == XML_ERR_FATAL;
	snprintf(x->msg, sizeof(x->msg), "%s", e->message != NULL ?
	    e->message : "error");
	n = strlen(x->msg);
	while (n > 0 && isspace((unsigned char)x->msg[n - 1]))
		x->msg[--n] = '\0';
	sanitize(x->msg);
}

/*
 * A document type declaration: stop.  Neither WordPress nor Disqus writes
 * one, and it is where entity bombs and external entities live; refusing
 * it before its internal subset is read leaves nothing to expand.
 */
static void
refuse_dtd(void *data, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	xmlParserCtxtPtr ctxt = data;
	struct xstate	*x = ctxt->_private;

	(void)name;
	(void)eid;
	(void)sid;
	x->dtd = 1;
	xmlStopParser(ctxt);
}

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* The walk over one document. */
struct walk {
	struct import_doc	*d;
	struct buf		 tmp;	/* an element's text */
	struct buf		 conv;	/* converted text */
	size_t			 acap, ccap;
	enum status		 st;	/* ST_NOMEM once anything failed */
};

static void	 warn(struct import_doc *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
warn(struct import_doc *d, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[400];

	if (d->nwarnings++ >= IMPORT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sanitize(msg);
	if ((d->warnings[d->nwarnings - 1] = arena_strdup(&d->a, msg)) ==
	    NULL)
		d->warnings[d->nwarnings - 1] = "(out of memory)";
}


static int
is_wp(const xmlNode *n, const char *name)
{
	size_t	 i;

	if (n->type != XML_ELEMENT_NODE || n->ns == NULL ||
	    n->ns->href == NULL || strcmp((const char *)n->name, name) != 0)
		return 0;
	for (i = 0; i < NITEMS(wp_ns); i++)
		if (strcmp((const char *)n->ns->href, wp_ns[i]) == 0)
			return 1;
	return 0;
}

/* An RSS element: no namespace. */
static int
is_rss(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    strcmp((const char *)n->name, name) == 0;
}

/* A Disqus element: its default namespace (or none). */
static int
is_dsq(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0 && (n->ns == NULL ||
	    (n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, DISQUS_NS) == 0));
}

static xmlNode *
child(xmlNode *n, int (*is)(const xmlNode *, const char *), const char *name)
{
	xmlNode	*k;

	for (k = n != NULL ? n->children : NULL; k != NULL; k = k->next)
		if (is(k, name))
			return k;
	return NULL;
}

/*
 * The text in a list of nodes (text and CDATA; entity references are
 * never followed), trimmed, in w->tmp: borrowed until the next call.
 */
static const char *
list_text(struct walk *w, xmlNode *first, size_t *lenp)
{
	xmlNode	*k;
	char	*p;
	size_t	 len;

	if (lenp != NULL)
		*lenp = 0;
	buf_reset(&w->tmp);
	for (k = first; k != NULL; k = k->next)
		if ((k->type == XML_TEXT_NODE ||
		    k->type == XML_CDATA_SECTION_NODE) && k->content != NULL)
			buf_puts(&w->tmp, (const char *)k->content);
	if (w->tmp.err) {
		w->st = ST_NOMEM;
		return "";
	}
	if (w->tmp.len == 0)
		return "";
	p = w->tmp.p;
	len = w->tmp.len;
	while (len > 0 && isspace((unsigned char)p[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	p[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return p;
}

/* The text of n's first child element that `is` name, or "". */
static const char *
text_of(struct walk *w, xmlNode *n, int (*is)(const xmlNode *, const char *),
    const char *name, size_t *lenp)
{
	xmlNode	*k = child(n, is, name);

	return list_text(w, k != NULL ? k->children : NULL, lenp);
}

/* The value of the dsq:id attribute, or NULL. */
static const char *
dsq_id(struct walk *w, xmlNode *n)
{
	xmlAttr		*a;
	const char	*s;

	for (a = n != NULL ? n->properties : NULL; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, "id") == 0 &&
		    a->ns != NULL && ((a->ns->href != NULL &&
		    strcmp((const char *)a->ns->href, DSQ_NS) == 0) ||
		    (a->ns->prefix != NULL &&
		    strcmp((const char *)a->ns->prefix, "dsq") == 0))) {
			s = list_text(w, a->children, NULL);
			return *s != '\0' ? s : NULL;
		}
	return NULL;
}

static const char *
keep(struct walk *w, const char *s)
{
	char	*r;

	if ((r = arena_strdup(&w->d->a, s)) == NULL)
		w->st = ST_NOMEM;
	return r;
}

/* One line of plain text from HTML (titles, names), cut to max code
 * points; NULL when empty. */
static const char *
line_of(struct walk *w, const char *html, size_t len, size_t max)
{
	char	*r;

	buf_reset(&w->conv);
	if (import_html_text(&w->conv, html, len, 0) != ST_OK) {
		w->st = ST_NOMEM;
		return NULL;
	}
	if (w->conv.len == 0)
		return NULL;
	if ((r = arena_strndup(&w->d->a, w->conv.p, w->conv.len)) == NULL) {
		w->st = ST_NOMEM;
		return NULL;
	}
	r[utf8_prefix(r, strlen(r), max)] = '\0';
	return r;
}

static const char *
email_of(struct walk *w, const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > MAX_EMAIL || strchr(s, '@') == NULL ||
	    !utf8_check(s, n))
		return NULL;
	for (i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]))
			return NULL;
	return keep(w, s);
}

static const char *
website_of(struct walk *w, const char *s, size_t n)
{
	if (n == 0 || n > MAX_WEBSITE || !utf8_check(s, n) ||
	    !text_url_ok(s))
		return NULL;
	return keep(w, s);
}

/*
 * The uri of an article: the path (and query) of its link, without the
 * fragment: https://blog.example.com/2015/01/28/hello/ is
 * /2015/01/28/hello/ and https://blog.example.com/?p=12 is /?p=12.
 * Spaces are escaped; NULL when there is no usable link.
 */
static const char *
uri_of(struct walk *w, const char *link)
{
	struct buf	 b = BUF_INIT;
	const char	*p = link, *q, *r = NULL;

	for (q = p; isalnum((unsigned char)*q) || *q == '+' || *q == '-' ||
	    *q == '.'; q++)
		continue;
	if (q > p && strncmp(q, "://", 3) == 0)
		p = q + 3;
	else if (strncmp(p, "//", 2) == 0)
		p += 2;
	else if (*p != '/')
		return NULL;
	if (p != link)
		p += strcspn(p, "/?#");
	if (*p != '/')
		buf_putc(&b, '/');
	for (; *p != '\0' && *p != '#'; p++) {
		if (*p == ' ')
			buf_puts(&b, "%20");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto out;
		else
			buf_putc(&b, *p);
	}
	if (b.err) {
		w->st = ST_NOMEM;
		goto out;
	}
	if (b.len > MAX_URI || !utf8_check(b.p, b.len))
		goto out;
	r = keep(w, b.p);
out:
	buf_free(&b);
	return r;
}

static size_t
add_article(struct walk *w, const char *uri, const char *title,
    long long created)
{
	struct import_doc	*d = w->d;
	struct import_article	*a;

	if ((a = vec_grow(NULL, d->articles, d->narticles, &w->acap,
	    sizeof(*a))) == NULL) {
		w->st = ST_NOMEM;
		return IMPORT_NONE;
	}
	d->articles = a;
	a = &d->articles[d->narticles];
	a->uri = uri;
	a->title = title != NULL ? title : uri;
	a->created = created;
	return d->narticles++;
}

/*
 * The comment's HTML as Markdown in c->body; 0 (warned, counted) when it
 * is over the limit or yields no text.
 */
static int
add_body(struct walk *w, struct import_comment *c, const char *html,
    size_t len, const char *where)
{
	struct import_doc	*d = w->d;

	if (len > IMPORT_MAX_COMMENT) {
		warn(d, "comment %.80s on %.200s: %zu bytes, over the limit "
		    "of %d: left out", c->id, where, len, IMPORT_MAX_COMMENT);
		d->nrefused++;
		return 0;
	}
	buf_reset(&w->conv);
	if (import_html_text(&w->conv, html, len, 1) != ST_OK) {
		w->st = ST_NOMEM;
		return 0;
	}
	if (w->conv.len > IMPORT_MAX_COMMENT ||
	    !utf8_check(buf_str(&w->conv), w->conv.len)) {
		warn(d, "comment %.80s on %.200s: its text is over the limit "
		    "of %d bytes: left out", c->id, where, IMPORT_MAX_COMMENT);
		d->nrefused++;
		return 0;
	}
	if ((c->body = arena_strndup(&d->a, buf_str(&w->conv),
	    w->conv.len)) == NULL) {
		w->st = ST_NOMEM;
		return 0;
	}
	c->body_len = w->conv.len;
	return 1;
}

static void
add_comment(struct walk *w, const struct import_comment *c)
{
	struct import_doc	*d = w->d;
	struct import_comment	*v;

	if ((v = vec_grow(NULL, d->comments, d->ncomments, &w->ccap,
	    sizeof(*v))) == NULL) {
		w->st = ST_NOMEM;
		return;
	}
	d->comments = v;
	d->comments[d->ncomments++] = *c;
}

/* --- WordPress ------------------------------------------------------------ */

static const struct {
	const char	*name;
	enum cstatus	 status;
} wp_statuses[] = {
	{ "1", CS_APPROVED },
	{ "approve", CS_APPROVED },
	{ "0", CS_PENDING },
	{ "hold", CS_PENDING },
	{ "spam", CS_SPAM },
	{ "trash", CS_DELETED },
	{ "post-trashed", CS_DELETED },
};

static enum cstatus
wp_status(const char *s)
{
	size_t	 i;

	for (i = 0; i < NITEMS(wp_statuses); i++)
		if (strcmp(s, wp_statuses[i].name) == 0)
			return wp_statuses[i].status;
	return CS_PENDING;	/* unknown: a moderator decides */
}

static void
wxr_comment(struct walk *w, xmlNode *cm, size_t art)
{
	struct import_comment	 c;
	const char		*s, *uri = w->d->articles[art].uri;
	size_t			 len;

	memset(&c, 0, sizeof(c));
	c.article = art;
	c.parent = IMPORT_NONE;
	s = text_of(w, cm, is_wp, "comment_id", NULL);
	if (*s == '\0') {
		warn(w->d, "a comment on %.200s has no wp:comment_id: left "
		    "out", uri);
		w->d->nrefused++;
		return;
	}
	c.id = keep(w, s);
	s = text_of(w, cm, is_wp, "comment_parent", NULL);
	if (*s != '\0' && strcmp(s, "0") != 0)
		c.parent_id = keep(w, s);
	s = text_of(w, cm, is_wp, "comment_type", NULL);
	c.pingback = strcmp(s, "pingback") == 0 || strcmp(s, "trackback") == 0;
	c.status = wp_status(text_of(w, cm, is_wp, "comment_approved", NULL));
	s = text_of(w, cm, is_wp, "comment_author", &len);
	if ((c.author = line_of(w, s, len, MAX_AUTHOR)) == NULL)
		c.author = "Anonymous";
	s = text_of(w, cm, is_wp, "comment_author_email", &len);
	c.email = email_of(w, s, len);
	s = text_of(w, cm, is_wp, "comment_author_url", &len);
	c.website = website_of(w, s, len);
	/* The address (comment_author_IP) is not kept: we only ever store
	 * a keyed hash of addresses, and the CLI has no request to key. */
	if ((c.created = parse_date(text_of(w, cm, is_wp, "comment_date_gmt",
	    NULL))) == 0)
		c.created = parse_date(text_of(w, cm, is_wp, "comment_date",
		    NULL));
	s = text_of(w, cm, is_wp, "comment_content", &len);
	if (c.id == NULL || !add_body(w, &c, s, len, uri))
		return;
	add_comment(w, &c);
}

static void
wxr_item(struct walk *w, xmlNode *item)
{
	const char	*s, *uri, *title;
	size_t		 art, len, n = 0;
	long long	 created;
	xmlNode		*k;

	s = text_of(w, item, is_wp, "post_type", NULL);
	if (strcmp(s, "post") != 0 && strcmp(s, "page") != 0)
		return;		/* attachments, menus, ... */
	for (k = item->children; k != NULL; k = k->next)
		n += is_wp(k, "comment");
	if (n == 0)
		return;
	s = text_of(w, item, is_rss, "link", NULL);
	if ((uri = uri_of(w, s)) == NULL) {
		s = text_of(w, item, is_rss, "title", NULL);
		warn(w->d, "the post \"%.100s\" has no usable <link>: its %zu "
		    "comments are left out", s, n);
		w->d->nrefused += n;
		return;
	}
	s = text_of(w, item, is_rss, "title", &len);
	title = line_of(w, s, len, MAX_TITLE);
	if ((created = parse_date(text_of(w, item, is_wp, "post_date_gmt",
	    NULL))) == 0)
		created = parse_date(text_of(w, item, is_wp, "post_date",
		    NULL));
	if ((art = add_article(w, uri, title, created)) == IMPORT_NONE)
		return;
	for (k = item->children; k != NULL && w->st == ST_OK; k = k->next)
		if (is_wp(k, "comment"))
			wxr_comment(w, k, art);
}

/* The key of a WordPress site's comment ids: its address without scheme
 * (ids repeat from site to site; http and https are the same site). */
static const char *
wxr_source(struct walk *w, xmlNode *channel)
{
	const char	*s, *p;
	struct buf	 b = BUF_INIT;
	const char	*r = "wordpress";

	s = text_of(w, channel, is_wp, "base_blog_url", NULL);
	if (*s == '\0')
		s = text_of(w, channel, is_rss, "link", NULL);
	if ((p = strstr(s, "://")) == NULL || p[3] == '\0')
		return r;
	buf_puts(&b, "wordpress:");
	for (p += 3; *p != '\0' && *p != '/' && *p != '?' && *p != '#'; p++)
		buf_putc(&b, *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p);
	for (; *p != '\0' && *p != '?' && *p != '#'; p++)
		buf_putc(&b, *p);
	while (b.len > 0 && b.p[b.len - 1] == '/')
		b.p[--b.len] = '\0';
	if (!b.err && utf8_check(b.p, b.len))
		r = keep(w, b.p);
	buf_free(&b);
	return r;
}

static enum status
wxr_walk(struct walk *w, xmlNode *root, char *err, size_t errsz)
{
	xmlNode	*channel, *k;
	size_t	 i;
	int	 ns = 0;

	if (root == NULL || !is_rss(root, "rss")) {
		if (root != NULL && is_dsq(root, "disqus"))
			snprintf(err, errsz, "not a WordPress export: this is "
			    "a Disqus export (palaver import disqus)");
		else
			snprintf(err, errsz, "not a WordPress export: the "
			    "root element is <%.40s>, not <rss>", root != NULL ?
			    (const char *)root->name : "");
		return ST_INPUT;
	}
	if ((channel = child(root, is_rss, "channel")) == NULL) {
		snprintf(err, errsz, "not a WordPress export: <rss> without "
		    "<channel>");
		return ST_INPUT;
	}
	for (i = 0; i < NITEMS(wp_ns); i++)
		ns |= xmlSearchNsByHref(channel->doc, channel,
		    (const xmlChar *)wp_ns[i]) != NULL;
	if (!ns) {
		snprintf(err, errsz, "not a WordPress export: an RSS feed "
		    "without the namespace %s", wp_ns[0]);
		return ST_INPUT;
	}
	w->d->source = wxr_source(w, channel);
	for (k = channel->children; k != NULL && w->st == ST_OK; k = k->next)
		if (is_rss(k, "item"))
			wxr_item(w, k);
	return w->st;
}

/* --- Disqus ------------------------------------------------------------ */

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

static struct thread *
dsq_thread(struct walk *w, struct thread *v, size_t n, xmlNode *post)
{
	struct thread	*t;
	const char	*id, *s, *uri, *title;
	size_t		 len, lo, hi, mid;

	if ((id = dsq_id(w, child(post, is_dsq, "thread"))) == NULL)
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
	s = text_of(w, t->node, is_dsq, "link", NULL);
	if ((uri = uri_of(w, s)) == NULL) {
		warn(w->d, "thread %.80s has no usable <link>: its posts are "
		    "left out", t->id);
		t->bad = 1;
		return t;
	}
	s = text_of(w, t->node, is_dsq, "title", &len);
	title = line_of(w, s, len, MAX_TITLE);
	t->art = add_article(w, uri, title, parse_date(text_of(w, t->node,
	    is_dsq, "createdAt", NULL)));
	if (t->art == IMPORT_NONE)
		t->bad = 1;
	return t;
}

static void
dsq_post(struct walk *w, struct thread *v, size_t n, xmlNode *post)
{
	struct import_comment	 c;
	struct thread		*t;
	const char		*s;
	xmlNode			*au;
	size_t			 len;

	memset(&c, 0, sizeof(c));
	c.parent = IMPORT_NONE;
	if ((s = dsq_id(w, post)) == NULL) {
		warn(w->d, "a <post> without dsq:id: left out");
		w->d->nrefused++;
		return;
	}
	if ((c.id = keep(w, s)) == NULL)
		return;
	if ((t = dsq_thread(w, v, n, post)) == NULL) {
		warn(w->d, "post %.80s: its thread is not in the export: left "
		    "out", c.id);
		w->d->nrefused++;
		return;
	}
	if (t->bad) {
		w->d->nrefused++;
		return;
	}
	c.article = t->art;
	if ((s = dsq_id(w, child(post, is_dsq, "parent"))) != NULL)
		c.parent_id = keep(w, s);
	if (strcmp(text_of(w, post, is_dsq, "isSpam", NULL), "true") == 0)
		c.status = CS_SPAM;
	else if (strcmp(text_of(w, post, is_dsq, "isDeleted", NULL),
	    "true") == 0)
		c.status = CS_DELETED;
	else
		c.status = CS_APPROVED;
	au = child(post, is_dsq, "author");
	s = text_of(w, au, is_dsq, "name", &len);
	if ((c.author = line_of(w, s, len, MAX_AUTHOR)) == NULL)
		c.author = "Anonymous";
	s = text_of(w, au, is_dsq, "email", &len);
	c.email = email_of(w, s, len);
	c.created = parse_date(text_of(w, post, is_dsq, "createdAt", NULL));
	s = text_of(w, post, is_dsq, "message", &len);
	if (!add_body(w, &c, s, len, w->d->articles[c.article].uri))
		return;
	add_comment(w, &c);
}

static enum status
dsq_walk(struct walk *w, xmlNode *root, char *err, size_t errsz)
{
	struct thread	*v = NULL, *nv;
	size_t		 n = 0, cap = 0;
	const char	*id;
	xmlNode		*k;

	if (root == NULL || !is_dsq(root, "disqus")) {
		if (root != NULL && strcmp((const char *)root->name,
		    "disqus") == 0)
			snprintf(err, errsz, "not a Disqus export: <disqus> "
			    "is not in the namespace %s", DISQUS_NS);
		else if (root != NULL && is_rss(root, "rss"))
			snprintf(err, errsz, "not a Disqus export: this is an "
			    "RSS file (a WordPress export? palaver import "
			    "wordpress)");
		else
			snprintf(err, errsz, "not a Disqus export: the root "
			    "element is <%.40s>, not <disqus>", root != NULL ?
			    (const char *)root->name : "");
		return ST_INPUT;
	}
	w->d->source = "disqus";	/* Disqus ids are unique across sites */
	/* Threads are made articles when a post needs them: Disqus keeps
	 * one for every page its widget was ever loaded on. */
	for (k = root->children; k != NULL && w->st == ST_OK; k = k->next) {
		if (!is_dsq(k, "thread"))
			continue;
		if ((id = dsq_id(w, k)) == NULL) {
			warn(w->d, "a <thread> without dsq:id: its posts are "
			    "left out");
			continue;
		}
		if ((nv = vec_grow(NULL, v, n, &cap, sizeof(*v))) == NULL) {
			w->st = ST_NOMEM;
			break;
		}
		v = nv;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = keep(w, id);
		v[n].node = k;
		v[n].i = n;
		v[n].art = IMPORT_NONE;
		if (v[n].id != NULL)
			n++;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), thread_cmp);
	for (k = root->children; k != NULL && w->st == ST_OK; k = k->next)
		if (is_dsq(k, "post"))
			dsq_post(w, v, n, k);
	free(v);
	return w->st;
}

/* --- after the walk: duplicates and parents ------------------------------ */

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

static enum status
resolve(struct import_doc *d)
{
	struct key	*keys;
	size_t		 i, j, n = d->ncomments;

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
			warn(d, "comment id %.80s appears twice: the second "
			    "is left out", keys[i].id);
			d->comments[keys[i].i].id = NULL;
			d->nrefused++;
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
		/* A parent under another article does not count. */
		j = key_find(keys, n, d->comments[i].parent_id);
		if (j != IMPORT_NONE && j != i &&
		    d->comments[j].article == d->comments[i].article)
			d->comments[i].parent = j;
	}
	free(keys);
	return ST_OK;
}

/* --- parsing ------------------------------------------------------------- */

static void
doc_init(struct import_doc *d, enum import_kind kind)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->source = kinds[kind];
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

/* Parse with ctxt (which this frees), walk, resolve. */
static enum status
parse_ctxt(enum import_kind kind, xmlParserCtxtPtr ctxt,
    struct import_doc **out, char *err, size_t errsz)
{
	struct xstate		 x;
	struct walk		 w;
	struct import_doc	*d = NULL;
	xmlExternalEntityLoader	 loader;
	xmlDocPtr		 doc = NULL;
	enum status		 st = ST_NOMEM;

	memset(&x, 0, sizeof(x));
	memset(&w, 0, sizeof(w));
	if (ctxt == NULL) {
		snprintf(err, errsz, "out of memory");
		return ST_NOMEM;
	}
	xmlCtxtUseOptions(ctxt, XML_OPTIONS);
	ctxt->_private = &x;
	ctxt->sax->serror = xml_error;
	ctxt->sax->internalSubset = refuse_dtd;
	/* Set around the parse: nothing else in palaver reads XML. */
	loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(refuse_entity);
	xmlParseDocument(ctxt);
	xmlSetExternalEntityLoader(loader);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (x.dtd) {
		snprintf(err, errsz, "not a %s export: it has a document "
		    "type declaration (<!DOCTYPE>), which exports never "
		    "have; palaver reads no DTDs and expands no entities",
		    kind == IMPORT_WORDPRESS ? "WordPress" : "Disqus");
		st = ST_INPUT;
		goto out;
	}
	if (!ctxt->wellFormed || doc == NULL) {
		if (x.msg[0] != '\0')
			snprintf(err, errsz, "not XML: line %d: %s", x.line,
			    x.msg);
		else
			snprintf(err, errsz, "not XML");
		st = ST_INPUT;
		goto out;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto out;
	doc_init(d, kind);
	w.d = d;
	w.st = ST_OK;
	st = kind == IMPORT_WORDPRESS ?
	    wxr_walk(&w, xmlDocGetRootElement(doc), err, errsz) :
	    dsq_walk(&w, xmlDocGetRootElement(doc), err, errsz);
	if (st == ST_OK)
		st = resolve(d);
	if (st == ST_NOMEM)
		snprintf(err, errsz, "out of memory");
out:
	buf_free(&w.tmp);
	buf_free(&w.conv);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (st != ST_OK) {
		import_doc_free(d);
		d = NULL;
	}
	*out = d;
	return st;
}

enum status
import_parse(enum import_kind kind, const char *data, size_t len,
    struct import_doc **out, char *err, size_t errsz)
{
	*out = NULL;
	err[0] = '\0';
	if ((unsigned)kind >= IMPORT__MAX) {
		snprintf(err, errsz, "unknown kind of export");
		return ST_INPUT;
	}
	if (len > IMPORT_MAX_FILE || len > INT_MAX) {
		snprintf(err, errsz, "larger than %lu MiB",
		    IMPORT_MAX_FILE >> 20);
		return ST_TOOBIG;
	}
	if (len == 0) {
		snprintf(err, errsz, "not XML: the file is empty");
		return ST_INPUT;
	}
	xmlInitParser();
	return parse_ctxt(kind, xmlCreateMemoryParserCtxt(data, (int)len),
	    out, err, errsz);
}

/* Reading the file as libxml2 asks for it, so it is never in memory
 * whole beside its tree; it may not grow past the limit meanwhile. */
struct source {
	int		 fd;
	size_t		 total;
	int		 toobig;
	int		 error;
};

static int
source_read(void *ctx, char *buf, int len)
{
	struct source	*s = ctx;
	ssize_t		 n;

	do
		n = read(s->fd, buf, (size_t)len);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		s->error = errno;
		return -1;
	}
	if ((s->total += (size_t)n) > IMPORT_MAX_FILE) {
		s->toobig = 1;
		return -1;
	}
	return (int)n;
}

enum status
import_parse_file(enum import_kind kind, const char *path,
    struct import_doc **out, char *err, size_t errsz)
{
	struct source	 src;
	struct stat	 sb;
	enum status	 st;

	*out = NULL;
	err[0] = '\0';
	if ((unsigned)kind >= IMPORT__MAX) {
		snprintf(err, errsz, "unknown kind of export");
		return ST_INPUT;
	}
	memset(&src, 0, sizeof(src));
	if ((src.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		snprintf(err, errsz, "%s", strerror(errno));
		return ST_IO;
	}
	if (fstat(src.fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errsz, "not a regular file");
		close(src.fd);
		return ST_IO;
	}
	if ((unsigned long long)sb.st_size > IMPORT_MAX_FILE) {
		snprintf(err, errsz, "larger than %lu MiB; split the export",
		    IMPORT_MAX_FILE >> 20);
		close(src.fd);
		return ST_TOOBIG;
	}
	if (sb.st_size == 0) {
		snprintf(err, errsz, "not XML: the file is empty");
		close(src.fd);
		return ST_INPUT;
	}
	xmlInitParser();
	st = parse_ctxt(kind, xmlCreateIOParserCtxt(NULL, NULL, source_read,
	    NULL, &src, XML_CHAR_ENCODING_NONE), out, err, errsz);
	close(src.fd);
	if (src.toobig) {
		snprintf(err, errsz, "larger than %lu MiB; split the export",
		    IMPORT_MAX_FILE >> 20);
		st = ST_TOOBIG;
	} else if (src.error != 0) {
		snprintf(err, errsz, "%s", strerror(src.error));
		st = ST_IO;
	}
	if (st != ST_OK) {
		import_doc_free(*out);
		*out = NULL;
	}
	return st;
}

/* --- storing ------------------------------------------------------------- */

enum cstate {
	C_NEW,
	C_STACK,	/* waiting for its parent to go in */
	C_DONE,		/* in the store (now or before): newid is set */
	C_SKIP		/* not imported: replies go to the top level */
};

struct run {
	struct store		*s;
	struct import_doc	*d;
	struct import_result	*r;
	unsigned char		*state;
	long long		*newid;	/* per comment */
	long long		*artid;	/* per article: 0 when unused */
	long long		*first;	/* per article: oldest comment */
	size_t			*stack;
	struct buf		 html;
	struct arena		 a;
	long long		 now;
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

/* Comments imported before, and pingbacks, first: they decide what is
 * left to add and which articles are needed. */
static enum status
run_sort_out(struct run *x, int pingbacks)
{
	struct import_doc	*d = x->d;
	struct import_comment	*c;
	enum status		 st;
	size_t			 i;
	long long		 t;

	for (i = 0; i < d->ncomments; i++) {
		c = &d->comments[i];
		if (c->pingback && !pingbacks) {
			x->state[i] = C_SKIP;
			x->r->pingbacks++;
			continue;
		}
		st = store_import_seen(x->s, d->source, c->id, &x->newid[i]);
		if (st == ST_OK) {
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
	struct article		 ar;
	enum status		 st;
	long long		*ids;
	size_t			 i, n = 0;

	for (i = 0; i < d->narticles; i++) {
		if (x->artid[i] == 0)
			continue;
		ia = &d->articles[i];
		arena_reset(&x->a);
		st = store_article_by_uri(x->s, &x->a, ia->uri, &ar);
		if (st == ST_OK) {
			x->artid[i] = ar.id;
			continue;
		}
		if (st != ST_NOTFOUND)
			return st;
		st = store_article_add(x->s, ia->uri, ia->title, NULL, NULL,
		    ia->created > 0 ? ia->created : x->first[i], &x->artid[i]);
		if (st != ST_OK)
			return st;
		x->r->articles_new++;
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
		warn(d, "comment %.80s on %.200s: its text cannot be "
		    "rendered: left out", ic->id, d->articles[ic->article].uri);
		d->nrefused++;
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
	if ((st = store_import_mark(x->s, d->source, ic->id, c.id)) != ST_OK)
		return st;
	x->newid[i] = c.id;
	x->state[i] = C_DONE;
	x->r->comments++;
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
			warn(d, "comment %.80s: its ancestors name each other "
			    "as parents; it becomes a top-level comment",
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

enum status
import_run(struct store *s, struct import_doc *d, int pingbacks,
    long long now, struct import_result *r, char *err, size_t errsz)
{
	struct run	 x;
	enum status	 st = ST_NOMEM;
	size_t		 nc = d->ncomments + 1, na = d->narticles + 1;
	char		 after[128];
	int		 tx = 0;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	err[0] = '\0';
	x.s = s;
	x.d = d;
	x.r = r;
	x.now = now;
	x.state = calloc(nc, sizeof(*x.state));
	x.newid = calloc(nc, sizeof(*x.newid));
	x.stack = calloc(nc, sizeof(*x.stack));
	x.artid = calloc(na, sizeof(*x.artid));
	x.first = calloc(na, sizeof(*x.first));
	if (x.state == NULL || x.newid == NULL || x.stack == NULL ||
	    x.artid == NULL || x.first == NULL)
		goto out;
	if ((st = store_tx_begin(s)) != ST_OK) {
		snprintf(err, errsz, "cannot start a transaction (%s)",
		    status_str(st));
		goto out;
	}
	tx = 1;
	if ((st = run_sort_out(&x, pingbacks)) != ST_OK ||
	    (st = run_articles(&x)) != ST_OK ||
	    (st = run_comments(&x)) != ST_OK)
		goto out;
	snprintf(after, sizeof(after), "%zu comments, %zu articles (%zu new)",
	    r->comments, r->articles, r->articles_new);
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
	free(x.newid);
	free(x.stack);
	free(x.artid);
	free(x.first);
	return st;
}
