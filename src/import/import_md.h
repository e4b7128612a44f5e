/* import_md.h: the Markdown (or one-line) writer that import_html.c's walk of libxml2's tree drives; nothing else uses it */
#ifndef PALAVER_IMPORT_MD_H
#define PALAVER_IMPORT_MD_H

#include <stddef.h>

#include "core/status.h"

struct buf;
struct mdw;

/* What an element does to the text. */
enum tact {
	TA_SPAN,	/* the tag goes, its text stays (also unknown tags) */
	TA_DROP,	/* the element and all in it go: <script>, <svg> */
	TA_BLOCK,	/* a paragraph of its own */
	TA_BR,		/* a line break */
	TA_CELL,	/* a space: table cells */
	TA_A,
	TA_EM,
	TA_STRONG,
	TA_DEL,
	TA_CODE,
	TA_PRE,
	TA_QUOTE,
	TA_UL,
	TA_OL,
	TA_LI
};

/* mdw_new: a writer appending to out: Markdown for markup_render, or
 * (markdown 0) one line of plain text.  NULL when out of memory. */
struct mdw	*mdw_new(struct buf *out, int markdown);
/* mdw_text: text, UTF-8 (a byte that starts no character becomes
 * U+FFFD); entities are the caller's to decode. */
void		 mdw_text(struct mdw *, const char *s, size_t n);
/* mdw_open, mdw_close: the start and the end of an element, as what it
 * does (never TA_DROP: the caller leaves those out whole); href is an
 * <a>'s target as written (entities decoded), or NULL. */
void		 mdw_open(struct mdw *, enum tact, const char *href);
void		 mdw_close(struct mdw *, enum tact);
/* mdw_end: close what is still open, free the writer (NULL ok) and say
 * whether all went well: ST_OK, or ST_NOMEM when a buffer failed. */
enum status	 mdw_end(struct mdw *);

#endif
