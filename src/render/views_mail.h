/* views_mail.h: the pages mail leads to (confirm, unsubscribe, a
 * moderator's one-click action) and the moderators' account and
 * deliveries pages */
#ifndef PALAVER_VIEWS_MAIL_H
#define PALAVER_VIEWS_MAIL_H

#include <stddef.h>

#include "model/mail.h"
#include "render/views.h"

struct buf;

/* Where a page for a mailed link stands. */
enum mail_page {
	MP_ASK,		/* GET: what the button will do */
	MP_DONE,	/* POST: done */
	MP_DONE_ALL,	/* POST: every subscription ended */
	MP_BAD,		/* the link is forged, damaged or expired */
	MP_HANDLED,	/* the comment was decided already */
};

/* view_mail_confirm: the confirmation of an address; `post` is the
 * form's action (a path with its query). */
void	view_mail_confirm(const struct view *, struct buf *, enum mail_page,
	    const char *post, const char *email);
/* view_mail_unsub: stop replies from one thread (post), or everything
 * (post_all). */
void	view_mail_unsub(const struct view *, struct buf *, enum mail_page,
	    const char *post, const char *post_all, const char *title);

/* A moderator's one-click action, as its page shows it. */
struct mail_mod_page {
	enum mail_page		 state;
	const char		*post;		/* the form's action */
	const char		*action;	/* approve, spam, delete */
	const char		*who;		/* the moderator's name */
	const struct comment	*c;		/* NULL when MP_BAD */
	const char		*title;		/* its article's */
};
void	view_mail_moderate(const struct view *, struct buf *,
	    const struct mail_mod_page *);

/* view_mod_account: the moderator's own address and alerts; msg (may be
 * NULL) says what was refused, saved that it was saved. */
void	view_mod_account(const struct view *, struct buf *,
	    const struct mod_alert *, const char *msg, int saved);
/* view_mod_deliveries: messages by state (queued, sent, failed,
 * dropped), and those in trouble. */
void	view_mod_deliveries(const struct view *, struct buf *,
	    const long long counts[4], const struct outbox_msg *, size_t);

#endif
