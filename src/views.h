/* views.h: the HTML pages, written through html.h; no database here */
#ifndef PALAVER_VIEWS_H
#define PALAVER_VIEWS_H

#include <stddef.h>

struct article;
struct authored;
struct buf;
struct req;
struct thread_page;

/* Shared by the page modules (views.c, views_mod.c). */
/* view_page_open: doctype, head, site header; title may be NULL. */
void	view_page_open(struct req *, struct buf *, const char *title);
void	view_page_close(struct buf *);
/* view_url: base path + path, attribute-escaped. */
void	view_url(struct req *, struct buf *, const char *path);
/* view_time: a <time> element for unix seconds, UTC. */
void	view_time(struct buf *, long long);

/* view_login: the moderators' login form. */
void	view_login(struct req *, struct buf *, const char *csrf,
	    const char *msg, const char *name);

/* view_error: a whole page saying what went wrong. */
void	view_error(struct req *, struct buf *, int code, const char *msg);
/* view_index: the list of articles, with a link to older ones when
 * next_created/next_id are set. */
void	view_index(struct req *, struct buf *, const struct article *,
	    size_t, long long next_created, long long next_id);
/* What the reader typed, to show again in a form. */
struct form_values {
	const char	*parent;
	const char	*author;
	const char	*email;
	const char	*website;
	const char	*body;
};

/* Everything about one article page beyond the data. */
struct page_state {
	int			 newest;	/* order=newest */
	long long		 after;		/* the page's cursor */
	const struct authored	*own;		/* the reader's comments */
	long long		 now;
	long long		 reply_to;	/* show the reply form there */
	long long		 edit_id;	/* show the edit form there */
	long long		 posted;	/* say what became of it */
	enum cstatus_view {
		PS_NONE, PS_PUBLISHED, PS_PENDING, PS_EDITED, PS_DELETED
	}			 notice;
	const struct form_values *form;		/* refill, or NULL */
	const char		*error;		/* for the form, or NULL */
	const char		*error_field;
};

/* view_article: the article, its page of comments nested, the forms and
 * the paging links. */
void	view_article(struct req *, struct buf *, const struct article *,
	    const struct thread_page *, const struct page_state *);

#endif
