/* mailbody.h: what palaver's messages say: subject, plain text and HTML */
#ifndef PALAVER_MAILBODY_H
#define PALAVER_MAILBODY_H

#include <stddef.h>

#include "core/buf.h"

/* The three texts of one message, for mailmsg_write. */
struct mail_parts {
	struct buf	 subject;
	struct buf	 text;
	struct buf	 html;
};

/* mail_parts_free: release the three.  NULL ok. */
void	mail_parts_free(struct mail_parts *);

/* mailbody_confirm: "confirm replies by e-mail": the link `url` (the
 * first link of both parts) is good for `days` days. */
void	mailbody_confirm(struct mail_parts *, const char *site,
	    const char *url, long days);

/* A published reply to a subscriber's comment. */
struct mail_reply {
	const char	*title;		/* the article's */
	const char	*author;	/* the reply's */
	const char	*body;		/* its Markdown, for the text part */
	const char	*html;		/* its HTML, rendered and safe */
	const char	*permalink;	/* the reply on palaver's page */
	const char	*unsub;		/* ends this thread's replies */
};
void	mailbody_reply(struct mail_parts *, const char *site,
	    const struct mail_reply *);

/* A held comment as a moderator's message shows it. */
struct mail_held {
	long long	 id;
	const char	*title;		/* its article's */
	const char	*author;
	const char	*email;		/* may be NULL */
	const char	*body;
	const char	*html;
	double		 score;
	const char	*reasons;	/* one a line */
	const char	*approve, *spam, *del;	/* one-click links */
	const char	*queue;		/* the queue, on the web */
};
/* mailbody_held: one comment (an alert), or n (a digest); the links are
 * good for `hours` hours. */
void	mailbody_held(struct mail_parts *, const char *site,
	    const struct mail_held *, size_t n, int digest, long hours);

#endif
