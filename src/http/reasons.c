/* reasons.c: the one table from the domain's reasons to HTTP answers */
#include <stdio.h>

#include "core/arena.h"
#include "core/text.h"
#include "domain/reason.h"
#include "http/http.h"
#include "http/reasons.h"
#include "http/router.h"

static const struct {
	int		 code;
	const char	*name;		/* a word, for /metrics */
	const char	*msg;
} reasons[RS__MAX] = {
	[RS_OK] = { 200, "ok",
	    "" },
	[RS_FIELD] = { 422, "field",
	    "A field is not acceptable." },
	[RS_MALFORMED] = { 400, "malformed",
	    "The request was malformed." },
	[RS_CLOSED] = { 403, "closed",
	    "Comments on this article are closed." },
	[RS_PARENT_BAD] = { 422, "parent_bad",
	    "The comment you replied to is not a valid "
	    "comment number." },
	[RS_PARENT_GONE] = { 422, "parent_gone",
	    "The comment you replied to does not exist "
	    "(any more)." },
	[RS_PARENT_HIDDEN] = { 422, "parent_hidden",
	    "The comment you replied to is not "
	    "published." },
	[RS_RATE] = { 429, "rate",
	    NULL },
	[RS_NOT_YOURS] = { 403, "not_yours",
	    "You can no longer change this comment: the "
	    "time to edit it has passed, or it is not yours." },
	[RS_NO_THREAD] = { 404, "no_thread",
	    "There is no thread for this address." },
	[RS_NOT_ALLOWED] = { 403, "not_allowed",
	    "Comments for this page are not accepted "
	    "here: its site is not one of palaver's allowed origins." },
	[RS_THREAD_BAD] = { 422, "thread_bad",
	    "A new thread needs its page's path as uri "
	    "(starting with /) and a title of one line." },
	[RS_GONE] = { 404, "gone",
	    "There is no comment with this number." },
	[RS_LOGIN_BAD] = { 403, "login_bad",
	    "Wrong name or password." },
	[RS_LOGIN_THROTTLED] = { 429, "login_throttled",
	    "Too many failed logins; wait 15 "
	    "minutes and try again." },
	[RS_HASH_BUSY] = { 503, "hash_busy",
	    "Too many logins at once; please try again "
	    "in a moment." },
	[RS_NAME_TAKEN] = { 409, "name_taken",
	    "There is an account with that name "
	    "already." },
	[RS_LAST_ADMIN] = { 409, "last_admin",
	    "That is the last admin; make another admin "
	    "first." },
	[RS_SELF] = { 403, "self",
	    "You cannot delete your own account; another admin "
	    "can." },
	[RS_ROLE_BAD] = { 422, "role_bad",
	    "The role is admin or moderator." },
	[RS_BAN_KIND] = { 422, "ban_kind",
	    "Choose what to ban: an e-mail, an address "
	    "hash or an address prefix." },
	[RS_BAN_VALUE] = { 422, "ban_value",
	    "The value does not fit the kind of ban." },
	[RS_BAN_DAYS] = { 422, "ban_days",
	    "Days is a whole number from 1 to 3650, or "
	    "empty for a ban without end." },
	[RS_NO_EMAIL] = { 422, "no_email",
	    "This comment has no e-mail address to ban." },
	[RS_NO_ADDR] = { 422, "no_addr",
	    "This comment has no address to ban." },
	[RS_ACTION_BAD] = { 422, "action_bad",
	    "Choose what to do with the selected "
	    "comments: approve, spam or delete." },
	[RS_NONE_SELECTED] = { 422, "none_selected",
	    "Select at least one comment first; "
	    "nothing was changed." },
	[RS_URI_TAKEN] = { 409, "uri_taken",
	    "There is an article at this address "
	    "already." },
	[RS_NO_PROPOSED] = { 409, "no_proposed",
	    "This article has no proposed title to "
	    "take." },
	[RS_NOTHING_TO_UNDO] = { 404, "nothing_to_undo",
	    "There is nothing of yours to undo "
	    "there." },
	[RS_VOTES_OFF] = { 403, "votes_off",
	    "Votes are turned off on this site." },
	[RS_DOWN_OFF] = { 422, "down_off",
	    "Only up votes are counted on this site." },
	[RS_VOTE_BAD] = { 422, "vote_bad",
	    "The vote is 1 (up), -1 (down) or 0 (to take your vote back)." },
	[RS_VOTE_RATE] = { 429, "vote_rate", NULL },
	[RS_REPORT_WHY] = { 422, "report_why",
	    "Say what is wrong with the comment: spam, abuse, off-topic or "
	    "other." },
	[RS_REPORT_RATE] = { 429, "report_rate", NULL },
	[RS_TRY_AGAIN] = { 503, "try_again",
	    "Your comment could not be saved just now: "
	    "the trouble is on our side.  Nothing you wrote is lost; please "
	    "send it again in a moment." },
	[RS_NOTIFY_NO_EMAIL] = { 422, "notify_no_email",
	    "To have replies e-mailed to you, give "
	    "your e-mail address too." },
	[RS_NOTIFY_EMAIL] = { 422, "notify_email",
	    "Replies can be e-mailed only to a plain "
	    "address: letters, digits and . _ + - without accents." },
	[RS_ALERTS_NO_EMAIL] = { 422, "alerts_no_email",
	    "Alerts by e-mail need your e-mail "
	    "address." },
	[RS_DIGEST_MINUTES] = { 422, "digest_minutes",
	    "A digest comes every 5 to 10080 "
	    "minutes." },
};

const char *
reason_name(enum reason why)
{
	return (unsigned)why < RS__MAX && reasons[why].name != NULL ?
	    reasons[why].name : "unknown";
}

int
reason_status(const struct refusal *r)
{
	if ((unsigned)r->why >= RS__MAX)
		return 500;
	/* Too long a comment is too large a request. */
	if (r->why == RS_FIELD && r->text == TEXT_TOO_LONG &&
	    r->kind == TEXT_BODY)
		return 413;
	return reasons[r->why].code;
}

const char *
reason_message(struct arena *a, const struct refusal *r)
{
	const char	*s;

	if ((unsigned)r->why >= RS__MAX)
		return "Something went wrong on our side.";
	if (r->msg != NULL)
		return r->msg;
	switch (r->why) {
	case RS_FIELD:
		/* Numbers, words and tokens have no text rule. */
		if ((unsigned)r->kind >= TEXT__MAX)
			s = arena_printf(a, "The field \"%s\" is not "
			    "acceptable.", r->field != NULL ? r->field : "?");
		else
			s = text_error(a, r->kind, r->text, r->max, r->chars);
		break;
	case RS_RATE:
		s = arena_printf(a, "You have posted %ld comments in the last "
		    "minute; please wait a moment and send this one again.",
		    r->limit);
		break;
	case RS_VOTE_RATE:
		s = arena_printf(a, "You have voted %ld times in the last "
		    "minute; please wait a moment and vote again.", r->limit);
		break;
	case RS_REPORT_RATE:
		s = arena_printf(a, "You have sent %ld reports in the last "
		    "hour; the moderators will look at them.  Please wait "
		    "before you report more.", r->limit);
		break;
	default:
		s = reasons[r->why].msg;
		break;
	}
	return s != NULL ? s : "The request was refused.";
}

int
reason_trouble(enum status st, struct refusal *r)
{
	if (st != ST_DB && st != ST_BUSY && st != ST_IO && st != ST_NOMEM)
		return 0;
	refuse(r, RS_TRY_AGAIN, NULL);
	r->retry = 5;
	return 1;
}

void
http_refused(struct req *rq, struct resp *r, const struct refusal *ref)
{
	if (ref->retry > 0)
		http_headerf(r, "Retry-After", "%ld", ref->retry);
	http_header(r, "Cache-Control", "no-store");
	http_error_field(rq, r, reason_status(ref), reason_message(rq->arena,
	    ref), ref->field);
}
