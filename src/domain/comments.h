/* comments.h: what readers do with comments: post, edit, delete, and the
 * thread a first comment makes */
#ifndef PALAVER_COMMENTS_H
#define PALAVER_COMMENTS_H

#include <stddef.h>

#include "core/status.h"
#include "model/model.h"
#include "auth/auth.h"

struct arena;
struct authored;
struct refusal;
struct site;

/*
 * A new comment as the reader sent it, every field already checked at
 * the edge by its text rule (core/text.h): strings are NULL when absent.
 */
struct comment_input {
	long long	 parent;	/* 0 at top level */
	const char	*author;	/* NULL: "Anonymous" */
	const char	*email;
	const char	*website;
	const char	*body;		/* never NULL or empty */
	const char	*form_token;	/* the anti-spam fields the form */
	const char	*honeypot;	/* or the widget carries */
	int		 notify;	/* e-mail replies to the address */
};

/* Who sends it: what the request says about the reader. */
struct poster {
	const char		*addr;		/* as nginx gave it; "" unknown */
	const char		*addr_hash;	/* keyed hash; NULL: no address */
	struct addr_keys	 keys;		/* for limits and bans: hashes
						   of address and network */
	const char		*prefix;	/* its ban prefix; NULL: none */
	const char		*user_agent;	/* may be NULL */
	const char		*referer;	/* may be NULL */
	const char		*page_origin;	/* the allowed embedding site
						   it came from, or NULL */
	const struct authored	*own;		/* their comments, by token */
};

/* A comment just stored, as the poster may see it. */
struct posted {
	struct comment	 c;		/* status: spam shows as pending,
					   unless [spam] tell_spam */
	enum cstatus	 stored;	/* the status it was stored with */
	long long	 expires;	/* end of the edit window */
	char		 token[AUTH_TOKEN_MAX];	/* its author token */
};

/*
 * comments_post: score the comment and store it under article ar through
 * the group-commit writer (creating the article with it when ar->id is 0:
 * a thread on first use).  ST_OK with *out filled; ST_INPUT with the
 * refusal filled (closed, parent, rate limit); another status for server
 * trouble.  Strings live in the arena.
 */
enum status	 comments_post(struct site *, struct arena *,
		    const struct article *ar, const struct comment_input *,
		    const struct poster *, struct posted *out,
		    struct refusal *);
/*
 * comments_edit: the author replaces the body of their comment `id`
 * (theirs by a token in poster->own, within its edit window).  ST_OK with
 * *html the new rendering; ST_INPUT with RS_NOT_YOURS; ST_NOTFOUND when
 * the comment is gone.
 */
enum status	 comments_edit(struct site *, struct arena *, long long id,
		    const char *body, const struct poster *,
		    const char **html, struct refusal *);
/* comments_delete: the author takes comment `id` back; as the above. */
enum status	 comments_delete(struct site *, struct arena *, long long id,
		    const struct poster *, struct refusal *);
/*
 * comments_thread: the article at uri.  When there is none and may_create
 * (the request comes from an allowed embedding site), an article with id
 * 0 holding the uri that comments_post makes together with its first
 * comment.  Its title is the uri until a moderator sets one: the title
 * the page sent (may be NULL) is only proposed, since anyone can send one
 * with a forged Origin.  ST_INPUT with RS_NO_THREAD when it does not
 * exist and may not be made, RS_THREAD_BAD when the uri is not a path.
 */
enum status	 comments_thread(struct site *, struct arena *,
		    const char *uri, const char *title, int may_create,
		    struct article *, struct refusal *);
/*
 * comments_render: the Markdown body as safe HTML in the arena, and the
 * number of links it kept (may be NULL).  NULL when out of memory or
 * md4c refuses.
 */
const char	*comments_render(struct arena *, const char *body,
		    size_t *nlinks);

#endif
