/* pages.h: what the reader pages and the fragment for other sites share */
#ifndef PALAVER_PAGES_H
#define PALAVER_PAGES_H

#include "http/http.h"

struct article;
struct authored;
struct comment;
struct comment_input;
struct page_state;
struct poster;
struct refusal;

/*
 * page_thread: draw the thread of ar (a page of it, as ps says) for the
 * reader p: palaver's own article page, or the fragment when embed.
 */
enum status		 page_thread(struct req *, struct resp *,
			    const struct article *ar, struct page_state *ps,
			    const struct poster *p, int embed);
/* page_input: the comment form's checked fields, for comments_post. */
void			 page_input(const struct req *,
			    struct comment_input *);
/*
 * page_refused: the page again with the refusal's status and sentence at
 * the form, and everything the reader typed still in it.
 */
enum status		 page_refused(struct req *, struct resp *,
			    const struct article *, const struct refusal *,
			    long long reply_to, long long edit_id, int embed);
/*
 * page_preview: the page again with the form as it was sent and the
 * body rendered above its buttons, as it would be published; nothing is
 * stored.
 */
enum status		 page_preview(struct req *, struct resp *,
			    const struct article *, long long reply_to,
			    long long edit_id, int embed);
/*
 * page_holding: the path of the article page that holds comment c (its
 * article, id and root set) in `order` (enum thread_order), with `extra`
 * (may be NULL) in its query, ending in #c{id}.  In the arena; NULL when
 * out of memory.
 */
const char		*page_holding(struct req *, const struct comment *,
			    int order, const char *extra);
/* page_cursor: the keyset cursor ("after") of that page; 0 for the
 * first. */
long long		 page_cursor(struct req *, const struct comment *,
			    int order);
/*
 * thread_page_of: the cursor (*after) of the page of article ar that holds
 * comment id in `order`, when id is a comment of ar that the reader (own)
 * may see; else *after stays 0 (the first page).
 */
enum status		 thread_page_of(struct req *, const struct article *ar,
			    long long id, int order, const struct authored *own,
			    long long *after);
/* page_bad_field: the form's first bad field as a refusal, or NULL. */
const struct refusal	*page_bad_field(const struct req *);

#endif
