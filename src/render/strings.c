/* strings.c: every string the widget (www/embed.js) shows, from the same
 * catalog as the pages, so a site in German has a German widget too */
#include "core/i18n.h"
#include "render/strings.h"

/*
 * Names as in README's Embedding table; {n}, {author}, {time}, {status}
 * are filled in by the widget.  A plural is a pair: "count-one" and
 * "count-other" are the catalog's forms for 1 and for 2 (one/other is
 * what the languages palaver has need), "count-zero" its form for 0.
 */
static const struct {
	const char	*name, *msgid;
} plain[] = {
	{ "loading", N_("Loading comments\xe2\x80\xa6") },
	{ "empty", N_("No comments yet.") },
	{ "closed", N_("Comments are closed.") },
	{ "leave", N_("Leave a comment") },
	{ "body", N_("Your comment") },
	{ "reply-body", N_("Your reply") },
	{ "edit-body", N_("Edit your comment") },
	{ "author", N_("Name (optional)") },
	{ "email", N_("E-mail (optional, never shown)") },
	{ "website", N_("Website (optional)") },
	{ "honeypot", N_("Leave this field empty") },
	{ "notify", N_("E-mail me replies to this comment (at the address "
	    "above; the first time, a message asks you to confirm)") },
	{ "post", N_("Post comment") },
	{ "post-reply", N_("Post reply") },
	{ "save", N_("Save") },
	{ "cancel", N_("Cancel") },
	{ "hint", N_("Markdown works: *emphasis*, **strong**, `code`, "
	    "[links](https://example.com), > quotes.") },
	{ "reply", N_("Reply") },
	/* TRANSLATORS: after "Reply", for screen readers; {author} is a
	 * name. */
	{ "reply-to", N_(" to {author}") },
	{ "in-reply-to", N_("in reply to {author}") },
	{ "edit", N_("Edit") },
	{ "delete", N_("Delete") },
	{ "delete-confirm", N_("Delete this comment?") },
	{ "delete-yes", N_("Yes, delete") },
	{ "delete-no", N_("Keep it") },
	/* TRANSLATORS: {time} is a date and time. */
	{ "window", N_("You can change this until {time}.") },
	{ "edited", N_("(edited)") },
	{ "awaiting", N_("Awaiting moderation") },
	{ "gone", N_("This comment was deleted.") },
	{ "hidden", N_("This comment is not shown.") },
	{ "anonymous", N_("Anonymous") },
	{ "more", N_("More comments") },
	{ "more-label", N_("More comments") },
	{ "order", N_("Order:") },
	{ "order-label", N_("Order") },
	{ "oldest", N_("oldest first") },
	{ "newest", N_("newest first") },
	{ "best", N_("best first") },
	{ "vote-up", N_("Vote up") },
	{ "vote-down", N_("Vote down") },
	{ "report", N_("Report") },
	/* TRANSLATORS: after "Report", for screen readers; {author} is a
	 * name. */
	{ "report-of", N_(" the comment by {author}") },
	{ "report-q", N_("What is wrong with this comment?") },
	{ "why-spam", N_("Spam or advertising") },
	{ "why-abuse", N_("Abusive or hateful") },
	{ "why-off-topic", N_("Off-topic") },
	{ "why-other", N_("Something else") },
	{ "report-text", N_("Say more (optional)") },
	{ "report-send", N_("Send report") },
	{ "report-hint", N_("Moderators see your report; nobody sees who "
	    "sent it.") },
	{ "reported", N_("Thank you: the moderators will look at this "
	    "comment.") },
	{ "preview", N_("Preview") },
	{ "preview-h", N_("Preview: this is how it will look") },
	{ "hide-replies", N_("Hide replies") },
	{ "sending", N_("Sending your comment\xe2\x80\xa6") },
	{ "published", N_("Your comment is published.") },
	{ "pending", N_("Your comment is awaiting moderation.") },
	{ "spam", N_("Your comment was taken for spam and is not published; "
	    "a moderator may still approve it.") },
	{ "saved", N_("Your changes are saved.") },
	{ "deleted", N_("Your comment is deleted.") },
	{ "error-load", N_("The comments could not be loaded.") },
	{ "error-network", N_("The comment server could not be reached. Your "
	    "text is still here: please try again.") },
	/* TRANSLATORS: {status} is an HTTP status number. */
	{ "error-server", N_("Something went wrong (error {status}). Your "
	    "text is still here: please try again.") },
};

size_t
strings_widget(struct wstring *out)
{
	size_t		 i, n = 0;
	unsigned long	 k;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]) && n < STRINGS_MAX;
	    i++) {
		out[n].name = plain[i].name;
		out[n++].text = _(plain[i].msgid);
	}
	/* TRANSLATORS: the widget's comment count; {n} is the number. */
	for (k = 0; k < 3; k++) {
		out[n].name = k == 0 ? "count-zero" : k == 1 ? "count-one" :
		    "count-other";
		out[n++].text = NG_("{n} comment", "{n} comments", k);
	}
	/* TRANSLATORS: the widget's button to the first new comment; {n}
	 * is the number. */
	out[n].name = "new-one";
	out[n++].text = NG_("{n} new comment \xe2\x80\x94 jump to it",
	    "{n} new comments \xe2\x80\x94 jump to the first", 1);
	out[n].name = "new-other";
	out[n++].text = NG_("{n} new comment \xe2\x80\x94 jump to it",
	    "{n} new comments \xe2\x80\x94 jump to the first", 2);
	/* TRANSLATORS: the widget's button that unfolds a comment's
	 * replies; {n} is the number. */
	out[n].name = "show-one";
	out[n++].text = NG_("Show {n} reply", "Show {n} replies", 1);
	out[n].name = "show-other";
	out[n++].text = NG_("Show {n} reply", "Show {n} replies", 2);
	/* The locale's month names, as the pages write them.  (Dates and
	 * "3 minutes ago" the widget writes with Intl, in "lang".) */
	out[n].name = "months";
	out[n++].text = i18n_months_line(1);
	out[n].name = "months-long";
	out[n++].text = i18n_months_line(0);
	return n;
}
