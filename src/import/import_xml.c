/* import_xml.c: WordPress and Disqus exports read by libxml2 safely: no DTD, no entity expansion, no network */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "core/buf.h"
#include "import/import_int.h"
#include "import/import_xml.h"

#define DISQUS_NS	"http://disqus.com"

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
	import_sanitize(x->msg);
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

/* libxml2 reports some errors (a failed encoding conversion) through
 * its generic handler, straight to stderr: the parse's own error says
 * what matters. */
static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* --- nodes --------------------------------------------------------------- */

int
import_xml_rss(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    strcmp((const char *)n->name, name) == 0;
}

int
import_xml_dsq(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0 && (n->ns == NULL ||
	    (n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, DISQUS_NS) == 0));
}

xmlNode *
import_xml_child(xmlNode *n, import_xml_is is, const char *name)
{
	xmlNode	*k;

	for (k = n != NULL ? n->children : NULL; k != NULL; k = k->next)
		if (is(k, name))
			return k;
	return NULL;
}

const char *
import_xml_text(struct build *b, xmlNode *first, size_t *lenp)
{
	xmlNode	*k;
	char	*p;
	size_t	 len;

	if (lenp != NULL)
		*lenp = 0;
	buf_reset(&b->tmp);
	for (k = first; k != NULL; k = k->next)
		if ((k->type == XML_TEXT_NODE ||
		    k->type == XML_CDATA_SECTION_NODE) && k->content != NULL)
			buf_puts(&b->tmp, (const char *)k->content);
	if (b->tmp.err) {
		b->st = ST_NOMEM;
		return "";
	}
	if (b->tmp.len == 0)
		return "";
	p = b->tmp.p;
	len = b->tmp.len;
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

const char *
import_xml_text_of(struct build *b, xmlNode *n, import_xml_is is,
    const char *name, size_t *lenp)
{
	xmlNode	*k = import_xml_child(n, is, name);

	return import_xml_text(b, k != NULL ? k->children : NULL, lenp);
}

/* --- parsing ------------------------------------------------------------- */

/* libxml2 asks for the file bit by bit, so it is never in memory whole
 * beside its tree. */
static int
in_read(void *ctx, char *buf, int len)
{
	ssize_t	 n = import_in_read(ctx, buf, len > 0 ? (size_t)len : 0);

	return n < 0 ? -1 : (int)n;
}

static const char *
kind_title(const struct build *b)
{
	return b->d->kind == IMPORT_WORDPRESS ? "WordPress" : "Disqus";
}

enum status
import_xml_parse(struct build *b, const char *data, size_t len,
    struct import_in *in, char *err, size_t errsz)
{
	struct xstate		 x;
	xmlParserCtxtPtr	 ctxt;
	xmlExternalEntityLoader	 loader;
	xmlGenericErrorFunc	 generic;
	void			*generic_ctx;
	xmlDocPtr		 doc = NULL;
	xmlNode			*root;
	enum status		 st = ST_INPUT;

	memset(&x, 0, sizeof(x));
	xmlInitParser();
	if (data != NULL)
		ctxt = len <= INT_MAX ? xmlCreateMemoryParserCtxt(data,
		    (int)len) : NULL;
	else
		ctxt = xmlCreateIOParserCtxt(NULL, NULL, in_read, NULL, in,
		    XML_CHAR_ENCODING_NONE);
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
	generic = xmlGenericError;
	generic_ctx = xmlGenericErrorContext;
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlParseDocument(ctxt);
	xmlSetGenericErrorFunc(generic_ctx, generic);
	xmlSetExternalEntityLoader(loader);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (x.dtd) {
		snprintf(err, errsz, "not a %s export: it has a document "
		    "type declaration (<!DOCTYPE>), which exports never "
		    "have; palaver reads no DTDs and expands no entities",
		    kind_title(b));
		goto out;
	}
	if (!ctxt->wellFormed || doc == NULL) {
		if (x.msg[0] != '\0')
			snprintf(err, errsz, "not XML: line %d: %s", x.line,
			    x.msg);
		else
			snprintf(err, errsz, "not XML");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	st = b->d->kind == IMPORT_WORDPRESS ?
	    import_wxr_walk(b, root, err, errsz) :
	    import_dsq_walk(b, root, err, errsz);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return st;
}
