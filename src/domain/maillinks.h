/* maillinks.h: what the links in palaver's messages do: confirm an
 * address, stop replies, a moderator's one-click decision */
#ifndef PALAVER_MAILLINKS_H
#define PALAVER_MAILLINKS_H

#include "core/status.h"
#include "model/model.h"

struct arena;
struct site;

/*
 * Each takes the link's token and `act`: 0 only checks it (the page a
 * GET shows), 1 does what it says (the page's POST).  ST_FORBIDDEN when
 * the token is forged, damaged, expired, or names what is gone; ST_OK
 * otherwise, with what the page shows filled in.  Strings in the arena.
 */

/* mail_confirm: the address of a confirmation link; act: confirmed. */
enum status	 mail_confirm(struct site *, struct arena *, const char *tok,
		    int act, const char **email);

/* mail_unsubscribe: the thread (its title) of an unsubscribe link; act:
 * its replies stop, or (all) every message to the address stops until it
 * confirms again.  Queued replies to the address go with them. */
enum status	 mail_unsubscribe(struct site *, struct arena *,
		    const char *tok, int act, int all, const char **title);

/* What a moderator's one-click link names. */
struct mail_action {
	const char	*action;	/* approve, spam, delete */
	long long	 mod;		/* who acts */
	const char	*who;		/* their name */
	struct comment	 c;		/* the comment (after, when done) */
	const char	*title;		/* its article's */
	int		 handled;	/* decided already: nothing done */
};

/*
 * mail_moderate: a moderator's link; act: the decision, audited as that
 * moderator from addr_hash (may be NULL), in one transaction with the
 * check that the comment still waits: once it is decided (by anyone, by
 * any means), the link does nothing and says so (handled).
 */
enum status	 mail_moderate(struct site *, struct arena *, const char *tok,
		    int act, const char *addr_hash, struct mail_action *);

struct actor;
struct refusal;
/*
 * mail_alerts_set: the moderator's own address (NULL: none) and alerts
 * (none, each, digest; a digest at most every `minutes`), audited.
 * ST_INPUT with RS_ALERTS_NO_EMAIL, RS_NOTIFY_EMAIL (an address mail
 * cannot go to as it is) or RS_DIGEST_MINUTES.
 */
enum status	 mail_alerts_set(struct site *, struct arena *,
		    const struct actor *, const char *email,
		    const char *alerts, long long minutes, struct refusal *);

#endif
