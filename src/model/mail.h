/* mail.h: what mail, webhooks and feeds work with, as plain structs */
#ifndef PALAVER_MODEL_MAIL_H
#define PALAVER_MODEL_MAIL_H

#include "model/model.h"

/* Strings are borrowed, as in model.h. */

/* A change that causes messages, with the comment as it was then. */
struct mail_event {
	long long	 id;
	const char	*kind;		/* published, held, deleted, reported,
					   confirm */
	long long	 at;
	long long	 subscriber;	/* confirm */
	long long	 comment;	/* the rest: 0 when not about one */
	long long	 article;
	const char	*uri, *title;
	long long	 parent;	/* 0 at top level */
	const char	*author, *email, *body, *html, *status;
	double		 score;
	const char	*reasons;
	long long	 created;
};

/* A message in the outbox. */
struct outbox_msg {
	long long	 id;
	const char	*kind;		/* mail, webhook */
	const char	*target;	/* address or URL */
	const char	*what;
	const char	*payload;
	long long	 comment;
	const char	*state;		/* queued, sent, failed, dropped */
	int		 attempts;
	long long	 next_try, created, done;
	const char	*last_error;	/* NULL: none */
};

struct subscriber {
	long long	 id;
	const char	*email;
	long long	 created;
	long long	 confirmed;	/* 0: not */
	long long	 asked;
};

/* A moderator as alerts know them. */
struct mod_alert {
	long long	 id;
	const char	*name;
	const char	*email;		/* NULL: none */
	const char	*alerts;	/* none, each, digest */
	long long	 digest_minutes;
	long long	 digest_last;
};

/* A comment in a feed or an export, with its article. */
struct feed_entry {
	struct comment	 c;
	const char	*uri, *title;
};

/* One subscription, for an export. */
struct sub_row {
	long long	 comment, article;
	const char	*uri;
	long long	 created;
};

/* What privacy erase changed. */
struct erase_counts {
	long long	 comments, subscribers, messages;
};

#endif
