/* import_wxr.c: a WordPress export (WXR 1.0 to 1.2) walked into articles and comments */
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/arena.h"
#include "core/text.h"
#include "import/import_int.h"
#include "import/import_xml.h"

/* WordPress's importer takes both schemes for every version. */
static const char *const wp_ns[] = {
	"http://wordpress.org/export/1.2/",
	"https://wordpress.org/export/1.2/",
	"http://wordpress.org/export/1.1/",
	"https://wordpress.org/export/1.1/",
	"http://wordpress.org/export/1.0/",
	"https://wordpress.org/export/1.0/",
};

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

static enum cstatus
wp_status(const char *s)
{
	size_t	 i;

	for (i = 0; i < NITEMS(wp_statuses); i++)
		if (strcmp(s, wp_statuses[i].name) == 0)
			return wp_statuses[i].status;
	return CS_PENDING;	/* unknown: a moderator decides */
}

/* A date from the _gmt field (UTC), else the local one. */
static long long
wp_date(struct build *b, xmlNode *n, const char *gmt, const char *local)
{
	long long	 t;

	if ((t = import_date(import_xml_text_of(b, n, is_wp, gmt,
	    NULL))) == 0)
		t = import_date(import_xml_text_of(b, n, is_wp, local, NULL));
	return t;
}

static void
wxr_comment(struct build *b, xmlNode *cm, size_t art)
{
	struct import_comment	 c;
	const char		*s, *uri = b->d->articles[art].uri, *who;
	size_t			 len;

	memset(&c, 0, sizeof(c));
	c.article = art;
	c.parent = IMPORT_NONE;
	s = import_xml_text_of(b, cm, is_wp, "comment_id", &len);
	if (len == 0) {
		import_warn(b->d, "a comment on %.200s has no wp:comment_id: "
		    "left out", uri);
		import_drop(b->d, DROP_NO_ID, 1);
		return;
	}
	if ((c.id = import_keep(b, s, len)) == NULL)
		return;
	if ((who = arena_printf(&b->d->a, "comment %.80s on %.200s", c.id,
	    uri)) == NULL) {
		b->st = ST_NOMEM;
		return;
	}
	s = import_xml_text_of(b, cm, is_wp, "comment_parent", &len);
	if (len > 0 && strcmp(s, "0") != 0)
		c.parent_id = import_keep(b, s, len);
	s = import_xml_text_of(b, cm, is_wp, "comment_type", NULL);
	c.pingback = strcmp(s, "pingback") == 0 || strcmp(s, "trackback") == 0;
	c.status = wp_status(import_xml_text_of(b, cm, is_wp,
	    "comment_approved", NULL));
	s = import_xml_text_of(b, cm, is_wp, "comment_author", &len);
	if ((c.author = import_line(b, s, len, TEXT_NAME, who)) == NULL)
		c.author = "Anonymous";
	s = import_xml_text_of(b, cm, is_wp, "comment_author_email", &len);
	c.email = import_email(b, s, len, who);
	s = import_xml_text_of(b, cm, is_wp, "comment_author_url", &len);
	c.website = import_website(b, s, len);
	/* The address (comment_author_IP) is not kept: we only ever store
	 * a keyed hash of addresses, and the CLI has no request to key. */
	c.created = wp_date(b, cm, "comment_date_gmt", "comment_date");
	s = import_xml_text_of(b, cm, is_wp, "comment_content", &len);
	if (!import_body_html(b, &c, s, len))
		return;
	import_add_comment(b, &c);
}

/*
 * Any item with comments is an article when it has a link: posts and
 * pages, but also attachments (their pages take comments) and items
 * whose post type is missing or changed since.
 */
static void
wxr_item(struct build *b, xmlNode *item)
{
	const char	*s, *uri, *link, *title, *who;
	size_t		 art, len, n = 0;
	long long	 created;
	int		 closed;
	xmlNode		*k;

	for (k = item->children; k != NULL; k = k->next)
		n += is_wp(k, "comment");
	if (n == 0)
		return;
	s = import_xml_text_of(b, item, import_xml_rss, "link", &len);
	if ((link = import_keep(b, s, len)) == NULL)
		return;
	if ((uri = import_uri(b, link, len)) == NULL) {
		s = import_xml_text_of(b, item, import_xml_rss, "title", NULL);
		import_warn(b->d, "the item \"%.100s\" has no usable <link>: "
		    "its %zu comments are left out", s, n);
		import_drop(b->d, DROP_NO_LINK, n);
		return;
	}
	if ((who = arena_printf(&b->d->a, "the post %.200s", link)) == NULL) {
		b->st = ST_NOMEM;
		return;
	}
	s = import_xml_text_of(b, item, import_xml_rss, "title", &len);
	title = import_line(b, s, len, TEXT_TITLE, who);
	created = wp_date(b, item, "post_date_gmt", "post_date");
	closed = strcmp(import_xml_text_of(b, item, is_wp, "comment_status",
	    NULL), "closed") == 0;
	if (b->st != ST_OK || (art = import_add_article(b, uri, link, title,
	    created, closed)) == IMPORT_NONE)
		return;
	for (k = item->children; k != NULL && b->st == ST_OK; k = k->next)
		if (is_wp(k, "comment"))
			wxr_comment(b, k, art);
}

/*
 * The key of a WordPress site's comment ids: "wordpress", with the path
 * of a site that lives below the root ("wordpress:/blog").  Not the host:
 * a site that moves to another host keeps its ids, and importing it
 * again must find them.  (Ids repeat from site to site; import_run tells
 * two sites apart by the comments' dates.)
 */
static const char *
wxr_source(struct build *b, xmlNode *channel)
{
	const char	*s, *path;
	size_t		 len, n;

	s = import_xml_text_of(b, channel, is_wp, "base_blog_url", &len);
	if (len == 0)
		s = import_xml_text_of(b, channel, import_xml_rss, "link",
		    &len);
	if ((path = import_uri(b, s, len)) == NULL || strcmp(path, "/") == 0)
		return "wordpress";
	for (n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
		continue;
	return arena_printf(&b->d->a, "wordpress:%.*s", (int)n, path);
}

enum status
import_wxr_walk(struct build *b, xmlNode *root, char *err, size_t errsz)
{
	xmlNode	*channel, *k;
	size_t	 i;
	int	 ns = 0;

	if (root == NULL || !import_xml_rss(root, "rss")) {
		if (root != NULL && import_xml_dsq(root, "disqus"))
			snprintf(err, errsz, "not a WordPress export: this is "
			    "a Disqus export (palaver import disqus)");
		else
			snprintf(err, errsz, "not a WordPress export: the "
			    "root element is <%.40s>, not <rss>", root != NULL ?
			    (const char *)root->name : "");
		return ST_INPUT;
	}
	if ((channel = import_xml_child(root, import_xml_rss, "channel")) ==
	    NULL) {
		snprintf(err, errsz, "not a WordPress export: <rss> without "
		    "<channel>");
		return ST_INPUT;
	}
	for (i = 0; i < NITEMS(wp_ns); i++)
		ns |= xmlSearchNsByHref(channel->doc, channel,
		    (const xmlChar *)wp_ns[i]) != NULL;
	if (!ns) {
		snprintf(err, errsz, "not a WordPress export: an RSS feed "
		    "without the namespace %s (or https:)", wp_ns[0]);
		return ST_INPUT;
	}
	if ((b->d->source = wxr_source(b, channel)) == NULL)
		return ST_NOMEM;
	for (k = channel->children; k != NULL && b->st == ST_OK; k = k->next)
		if (import_xml_rss(k, "item"))
			wxr_item(b, k);
	return b->st;
}
