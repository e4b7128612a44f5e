/* html.h: the only way text reaches a page: escaping writers by context */
#ifndef PALAVER_HTML_H
#define PALAVER_HTML_H

#include <stddef.h>
#include <string.h>

#include "core/buf.h"

/* html_raw: a string literal of our own markup.  Never user text.
 * Inline, so that a literal's length is counted when compiling: pages
 * make a few thousand of these calls. */
static inline void
html_raw(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}
/* htmlf: our own markup, formatted: its arguments are numbers and our own
 * literals, never user text (that goes through the escapers below). */
void	htmlf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* html_attrf: a formatted attribute value, escaped as html_attr. */
void	html_attrf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* html_text: text content, escaping & < > " ' (all five). */
void	html_text(struct buf *, const char *);
/* html_textf: formatted text, escaped as html_text: for a translated
 * format (core/i18n.h) with user text or numbers in it. */
void	html_textf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* html_textn: the same for n bytes (which may hold NULs: they become
 * U+FFFD so nothing downstream is cut short). */
void	html_textn(struct buf *, const char *, size_t);
/* html_attr: a double-quoted attribute value (the caller writes quotes). */
void	html_attr(struct buf *, const char *);
/* html_attrn: the same for n bytes. */
void	html_attrn(struct buf *, const char *, size_t);
/* html_url_arg: percent-encode everything but unreserved characters, for
 * a query-string value; the result is safe in an attribute as well. */
void	html_url_arg(struct buf *, const char *);
/* html_int: a decimal integer (for markup: ids, attributes). */
void	html_int(struct buf *, long long);
/* html_num: a count for people, grouped as the language does: 12,345. */
void	html_num(struct buf *, long long);
/* html_th: a table's column heading; html_th_hidden: one for screen
 * readers only. */
void	html_th(struct buf *, const char *);
void	html_th_hidden(struct buf *, const char *);

#endif
