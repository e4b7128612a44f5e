/* feed.h: Atom feeds (RFC 4287) of approved comments */
#ifndef PALAVER_FEED_H
#define PALAVER_FEED_H

#include <stddef.h>

#include "model/mail.h"

struct buf;

/* What a feed is about; URLs absolute. */
struct feed_info {
	const char	*title;		/* the feed's title */
	const char	*self;		/* the feed's own URL: also its id */
	const char	*alternate;	/* the page it follows */
	const char	*base;		/* palaver's address: entries link
					   to base/c/ID */
	long long	 updated;	/* when nothing newer: unix seconds */
};

/*
 * feed_write: the feed with one entry a comment (newest first as given):
 * its author (name, and website as uri), permalink (also its id),
 * published and updated times, and its rendered HTML as escaped content.
 * Text that is not valid UTF-8 has its bad bytes replaced, and control
 * characters XML cannot carry are dropped, so the document is always
 * well-formed.
 */
void	feed_write(struct buf *, const struct feed_info *,
	    const struct feed_entry *, size_t);

#endif
