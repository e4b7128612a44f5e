/* markup.h: comment Markdown rendered to safe HTML */
#ifndef PALAVER_MARKUP_H
#define PALAVER_MARKUP_H

#include <stddef.h>

#include "core/status.h"

struct buf;

/*
 * markup_render: render Markdown `src` (len bytes; the caller has already
 * checked it is valid UTF-8 without control characters other than \n and
 * \t) as safe HTML appended to `out`.  *nlinks (may be NULL) receives the
 * number of links kept.  Returns ST_OK, ST_NOMEM when the buffer failed,
 * ST_INPUT when md4c refused (or len does not fit md4c's 32-bit sizes).
 * On error `out` may hold partial output and *nlinks is 0; the caller
 * discards it.  Nothing is allocated that outlives the call.
 */
enum status	markup_render(struct buf *out, const char *src, size_t len,
		    size_t *nlinks);

#endif
