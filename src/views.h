/* views.h: the HTML pages, written through html.h; no database here */
#ifndef PALAVER_VIEWS_H
#define PALAVER_VIEWS_H

#include <stddef.h>

struct article;
struct buf;
struct req;
struct thread_page;

/* view_error: a whole page saying what went wrong. */
void	view_error(struct req *, struct buf *, int code, const char *msg);
/* view_index: the list of articles, with a link to older ones when
 * next_created/next_id are set. */
void	view_index(struct req *, struct buf *, const struct article *,
	    size_t, long long next_created, long long next_id);
/* view_article: the article, its page of comments nested, and paging. */
void	view_article(struct req *, struct buf *, const struct article *,
	    const struct thread_page *, int newest);

#endif
