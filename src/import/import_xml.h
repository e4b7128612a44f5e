/* import_xml.h: what the WordPress and Disqus walks share of the XML reading (import_xml.c); nothing else includes it */
#ifndef PALAVER_IMPORT_XML_H
#define PALAVER_IMPORT_XML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "import/import_int.h"

/* Whether a node is the element `name` of a format. */
typedef int	(*import_xml_is)(const xmlNode *, const char *name);

/* import_xml_rss: an element without a namespace (RSS's own). */
int		 import_xml_rss(const xmlNode *, const char *name);
/* import_xml_dsq: an element in Disqus's default namespace (or none). */
int		 import_xml_dsq(const xmlNode *, const char *name);
/* import_xml_child: n's first child element that `is` name, or NULL. */
xmlNode		*import_xml_child(xmlNode *n, import_xml_is, const char *name);
/*
 * import_xml_text: the text of a list of nodes (text and CDATA; entity
 * references are never followed), trimmed, in b->tmp: borrowed until the
 * next call; "" when none.  *lenp (may be NULL) receives its length.
 */
const char	*import_xml_text(struct build *, xmlNode *first, size_t *lenp);
/* import_xml_text_of: the same for n's first child element that `is`
 * name. */
const char	*import_xml_text_of(struct build *, xmlNode *n, import_xml_is,
		    const char *name, size_t *lenp);

/* The walks: the document's articles and comments from the root. */
enum status	 import_wxr_walk(struct build *, xmlNode *root, char *err,
		    size_t errsz);
enum status	 import_dsq_walk(struct build *, xmlNode *root, char *err,
		    size_t errsz);

#endif
