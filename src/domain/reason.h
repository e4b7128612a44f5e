/* reason.h: why the domain refused what someone asked, in one enum */
#ifndef PALAVER_REASON_H
#define PALAVER_REASON_H

#include <stddef.h>

#include "core/status.h"
#include "core/text.h"

/*
 * The domain says why it refused; the HTTP layer has the one table that
 * turns a reason into a status and a sentence (http/reasons.c), and the
 * command line its own words.  A refusal is not a failure: functions
 * return ST_INPUT with a struct refusal filled in.
 */
enum reason {
	RS_OK = 0,
	RS_FIELD,		/* a field: refusal.field, .kind and .text */
	RS_MALFORMED,		/* a value no form of ours sends */
	RS_CLOSED,		/* the article takes no more comments */
	RS_PARENT_BAD,		/* the parent is not a comment number */
	RS_PARENT_GONE,		/* no such comment on this article */
	RS_PARENT_HIDDEN,	/* the parent is not published */
	RS_RATE,		/* too many posts from here: .limit, .retry */
	RS_NOT_YOURS,		/* not the author's, or the window passed */
	RS_NO_THREAD,		/* no thread at this uri, none may be made */
	RS_NOT_ALLOWED,		/* the site asking is not an allowed origin */
	RS_THREAD_BAD,		/* a new thread's uri or title will not do */
	RS_GONE,		/* no such comment (any more) */
	RS_LOGIN_BAD,		/* wrong name or password */
	RS_LOGIN_THROTTLED,	/* too many failed logins: .retry */
	RS_HASH_BUSY,		/* every password-hash slot busy: .retry */
	RS_NAME_TAKEN,		/* an account with that name exists */
	RS_LAST_ADMIN,		/* deleting the last admin */
	RS_SELF,		/* deleting your own account */
	RS_ROLE_BAD,		/* the role is admin or moderator */
	RS_BAN_KIND,		/* what to ban: e-mail, hash or prefix */
	RS_BAN_VALUE,		/* the value does not fit the kind */
	RS_BAN_DAYS,		/* days from 1 to BAN_MAX_DAYS, or none */
	RS_NO_EMAIL,		/* the comment has no e-mail to ban */
	RS_NO_ADDR,		/* the comment has no address to ban */
	RS_ACTION_BAD,		/* no such action for this */
	RS_NONE_SELECTED,	/* a bulk action without comments */
	RS_URI_TAKEN,		/* an article at that uri exists */
	RS_NO_PROPOSED,		/* no proposed title to take */
	RS_NOTHING_TO_UNDO,	/* the action is gone, or not undoable */
	RS_VOTES_OFF,		/* [votes] enabled = no */
	RS_DOWN_OFF,		/* a down vote where only up votes count */
	RS_VOTE_BAD,		/* the vote is not 1, -1 or 0 */
	RS_VOTE_RATE,		/* too many votes from here: .limit, .retry */
	RS_REPORT_WHY,		/* the reason is not one of the list */
	RS_REPORT_RATE,		/* too many reports from here: .limit */
	RS_TRY_AGAIN,		/* not kept: our trouble (a full disk, a
				   database error); .retry */
	RS_NOTIFY_NO_EMAIL,	/* replies by e-mail, but no address */
	RS_NOTIFY_EMAIL,	/* an address mail cannot go to as it is */
	RS_ALERTS_NO_EMAIL,	/* a moderator's alerts without an address */
	RS_DIGEST_MINUTES,	/* a digest's minutes out of range */
	RS__MAX
};

struct refusal {
	enum reason	 why;
	const char	*field;		/* the field at fault, or NULL */
	enum text_kind	 kind;		/* RS_FIELD: its rule */
	enum text_err	 text;		/* RS_FIELD: what is wrong */
	size_t		 max;		/* RS_FIELD: the limit applied */
	size_t		 chars;		/* RS_FIELD: what was counted */
	long		 limit;		/* RS_RATE: posts a minute (votes a
					   minute, reports an hour) */
	long		 retry;		/* RS_RATE, RS_LOGIN_THROTTLED: s */
	const char	*msg;		/* said instead of the reason's own
					   sentence, or NULL */
};

/* refuse: fill r (zeroed first) with why and field; returns ST_INPUT,
 * for the caller to return. */
enum status	refuse(struct refusal *r, enum reason why, const char *field);
/* refuse_text: a field that breaks its text rule; ST_INPUT, or ST_NOMEM
 * for TEXT_NOMEM. */
enum status	refuse_text(struct refusal *r, const char *field,
		    enum text_kind, enum text_err, size_t max, size_t chars);

#endif
