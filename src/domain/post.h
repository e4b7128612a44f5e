/* post.h: what readers send: validation, rendering, storing, author tokens */
#ifndef PALAVER_POST_H
#define PALAVER_POST_H

#include <stddef.h>

#include "core/status.h"
#include "store/store.h"

struct arena;
struct article;
struct req;
struct thread_page;
struct resp;

/* One field as the reader sent it; s == NULL when absent.  May hold NULs
 * (n counts them); validation refuses those. */
struct field {
	const char	*s;
	size_t		 n;
};

struct comment_input {
	const char	*token;		/* an author token besides the cookie */
	struct field	 parent;
	struct field	 author;
	struct field	 email;
	struct field	 website;
	struct field	 body;
	struct field	 form_token;	/* the anti-spam fields the form */
	struct field	 honeypot;	/* or the widget carries */
	struct field	 title;		/* the page's title, for a new thread */
};

/* Why a post was refused: an HTTP status, the field at fault (NULL for
 * the whole form) and a sentence for the reader. */
struct post_error {
	int		 code;
	const char	*field;
	const char	*msg;
	long		 retry_after;	/* seconds, for 429 */
};

struct post_result {
	long long	 id;
	long long	 article;
	long long	 root;
	long long	 parent;
	enum cstatus	 status;
	const char	*author;
	const char	*website;
	const char	*html;
	long long	 created;
	long long	 expires;	/* end of the edit window */
	char		 token[80];	/* the author token for this comment */
};

/* The reader's own comments, from valid author tokens (cookie or API). */
struct authored {
	long long	*ids;
	long long	*expires;
	size_t		 n;
	const char	*json;		/* the ids as a JSON array, for SQL */
};

/*
 * post_comment: validate the input, render it, score it, and store it
 * through the group-commit writer (creating the article when its id is
 * 0).  ST_OK with res filled; ST_INPUT with err filled
 * when the reader's input or the situation refuses it (400, 403, 413, 422,
 * 429); another status for server trouble.  Strings live in the arena.
 */
enum status	 post_comment(struct req *, const struct article *,
		    const struct comment_input *, struct post_result *res,
		    struct post_error *err);
/*
 * post_edit: the author changes the body of their comment `id` within the
 * edit window.  Their author token comes from the cookie or from tok
 * (NULL, or tokens joined by '~').  ST_FORBIDDEN when neither holds a
 * valid one for it; ST_NOTFOUND when it is gone; ST_INPUT with err.  On
 * success *html is the new rendering.
 */
enum status	 post_edit(struct req *, long long id, const char *tok,
		    const struct field *body, const char **html,
		    struct post_error *err);
/* post_delete: the author deletes comment `id`; errors as post_edit. */
enum status	 post_delete(struct req *, long long id, const char *tok);
/*
 * post_authored: the valid author tokens in the request's cookie and in
 * tok (NULL, or tokens joined by '~', as the widget sends them).  Never
 * fails: bad tokens are skipped.
 */
void		 post_authored(struct req *, const char *tok,
		    struct authored *);
/*
 * post_visible: what a reader sees of each row of a thread page, by the
 * rules every view shares: approved comments; their own held or spam
 * ones (shown as waiting: held and spam look the same to their author);
 * and a placeholder (2) for a hidden comment with shown replies, keeping
 * the thread's shape.  0 hidden, 1 shown, 2 placeholder.  *parents (may
 * be NULL) receives each row's parent row, -1 at top level.  Arrays live
 * in the arena; NULL when out of memory.
 */
unsigned char	*post_visible(struct arena *, const struct thread_page *,
		    const struct authored *, long long **parents);
/* post_authored_has: the expiry when id is among them, else 0. */
long long	 post_authored_has(const struct authored *, long long id);
/* post_cookie_add: Set-Cookie with the reader's tokens plus the new one. */
void		 post_cookie_add(struct req *, struct resp *,
		    const struct post_result *);
/*
 * post_article_first_use: the article at uri; when it does not exist yet
 * and the request comes from one of [site] allowed_origins, an article
 * with id 0 (uri and title set) that post_comment creates together with
 * its first comment: threads on first use, only for allowed sites.
 * ST_NOTFOUND when it does not exist and may not be made; ST_INPUT when
 * the uri or title is not acceptable.
 */
enum status	 post_article_first_use(struct req *, const char *uri,
		    const struct field *title, struct article *);
/* post_cookie_name: the author cookie's name. */
#define POST_COOKIE	"palaver_author"

#endif
