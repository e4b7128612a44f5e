/* views_mail.c: the pages mail leads to and the moderators' account and
 * deliveries pages, written through html.h */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "render/html.h"
#include "render/views_mail.h"

/* A form of one button that posts to `post` (a path with a query). */
static void
button(const struct view *v, struct buf *b, const char *post,
    const char *label)
{
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(v, b, post);
	html_raw(b, "\"><p><button type=\"submit\">");
	html_text(b, label);
	html_raw(b, "</button></p></form>\n");
}

static void
section_open(struct buf *b, const char *h1)
{
	html_raw(b, "<section class=\"mail-link\">\n<h1>");
	html_text(b, h1);
	html_raw(b, "</h1>\n");
}

static void
para(struct buf *b, const char *cls, const char *text)
{
	if (*cls == '\0')
		html_raw(b, "<p>");
	else
		htmlf(b, "<p class=\"%s\"%s>", cls,
		    strcmp(cls, "form-error") == 0 ? " role=\"alert\"" :
		    strcmp(cls, "notice") == 0 ? " role=\"status\"" : "");
	html_text(b, text);
	html_raw(b, "</p>\n");
}

static const char bad_link[] = N_("This link is not valid: it has expired, "
    "was cut short when it was copied, or was never ours.");

void
view_mail_confirm(const struct view *v, struct buf *b, enum mail_page st,
    const char *post, const char *email)
{
	view_page_open(v, b, _("Replies by e-mail"));
	section_open(b, _("Replies by e-mail"));
	switch (st) {
	case MP_ASK:
		html_raw(b, "<p>");
		view_strong_in(b, _("Confirm that replies to your comments may "
		    "be e-mailed to %s.  Every message has a link to stop "
		    "them."), email, NULL);
		html_raw(b, "</p>\n");
		button(v, b, post, _("Confirm"));
		break;
	case MP_DONE:
	case MP_DONE_ALL:
	case MP_HANDLED:
		html_raw(b, "<p class=\"notice\" role=\"status\">");
		view_strong_in(b, _("Thank you: replies to your comments will "
		    "be e-mailed to %s."), email, NULL);
		html_raw(b, "</p>\n");
		break;
	case MP_BAD:
		para(b, "form-error", _(bad_link));
		para(b, "", _("Tick the box again when you next comment, and "
		    "a new message will come."));
		break;
	}
	html_raw(b, "</section>\n");
	view_page_close(b);
}

void
view_mail_unsub(const struct view *v, struct buf *b, enum mail_page st,
    const char *post, const char *post_all, const char *title)
{
	view_page_open(v, b, _("Stop e-mail"));
	section_open(b, _("Stop e-mail"));
	switch (st) {
	case MP_ASK:
		html_raw(b, "<p>");
		html_textf(b, _("Stop the e-mail about replies to your comments "
		    "on \xe2\x80\x9c%s\xe2\x80\x9d?"), title);
		html_raw(b, "</p>\n");
		button(v, b, post, _("Stop replies from this thread"));
		break;
	case MP_DONE:
		html_raw(b, "<p class=\"notice\" role=\"status\">");
		html_textf(b, _("Done: no more e-mail about replies on "
		    "\xe2\x80\x9c%s\xe2\x80\x9d."), title);
		html_raw(b, "</p>\n");
		break;
	case MP_DONE_ALL:
		html_raw(b, "<p class=\"notice\" role=\"status\">");
		html_textf(b, _("Done: %s will send you no more e-mail, unless "
		    "you ask again (and confirm)."), v->site);
		html_raw(b, "</p>\n");
		break;
	case MP_BAD:
	case MP_HANDLED:
		para(b, "form-error", _(bad_link));
		break;
	}
	if (st == MP_ASK || st == MP_DONE) {
		para(b, "", _("Or stop all notifications from this site:"));
		button(v, b, post_all, _("Stop all e-mail from this site"));
	}
	html_raw(b, "</section>\n");
	view_page_close(b);
}


void
view_mail_moderate(const struct view *v, struct buf *b,
    const struct mail_mod_page *p)
{
	const struct comment	*c = p->c;
	char			 path[128];

	view_page_open(v, b, _("Moderate a comment"));
	section_open(b, _("Moderate a comment"));
	if (p->state == MP_BAD || c == NULL) {
		para(b, "form-error", _(bad_link));
		html_raw(b, "<p><a href=\"");
		view_url(v, b, "/mod/");
		html_raw(b, "\">");
		html_text(b, _("Decide it from the queue instead."));
		html_raw(b, "</a></p>\n</section>\n");
		view_page_close(b);
		return;
	}
	if (p->state == MP_DONE) {
		html_raw(b, "<p class=\"notice\" role=\"status\">");
		if (strcmp(p->action, "approve") == 0)
			html_textf(b, _("Comment %lld is approved, by %s."),
			    c->id, p->who);
		else if (strcmp(p->action, "spam") == 0)
			html_textf(b, _("Comment %lld is marked as spam, by "
			    "%s."), c->id, p->who);
		else
			html_textf(b, _("Comment %lld is deleted, by %s."),
			    c->id, p->who);
		html_raw(b, "</p>\n");
	} else if (p->state == MP_HANDLED) {
		html_raw(b, "<p class=\"form-error\" role=\"alert\">");
		html_textf(b, _("Comment %lld was decided already (it is %s): "
		    "nothing was changed."), c->id,
		    view_status_word(c->status));
		html_raw(b, "</p>\n");
	}
	html_raw(b, "<article class=\"held\">\n<p>");
	/* TRANSLATORS: By AUTHOR on "TITLE", spam score 0.85 */
	view_strong_in(b, _("By %s on \xe2\x80\x9c%s\xe2\x80\x9d, spam "
	    "score"), c->author, p->title);
	html_raw(b, " ");
	view_score(b, c->score);
	html_raw(b, "</p>\n<div class=\"body\">");
	html_raw(b, c->html);	/* rendered and safe (markup.c) */
	html_raw(b, "</div>\n");
	if (c->reasons != NULL && c->reasons[0] != '\0') {
		html_raw(b, "<pre class=\"reasons\">");
		html_text(b, c->reasons);
		html_raw(b, "</pre>\n");
	}
	html_raw(b, "</article>\n");
	if (p->state == MP_ASK) {
		html_raw(b, "<p>");
		view_strong_in(b, _("You act as %s; the audit log will say "
		    "so."), p->who, NULL);
		html_raw(b, "</p>\n");
		if (strcmp(p->action, "approve") == 0)
			snprintf(path, sizeof(path), _("Approve comment %lld"),
			    c->id);
		else if (strcmp(p->action, "spam") == 0)
			snprintf(path, sizeof(path), _("Mark comment %lld as "
			    "spam"), c->id);
		else
			snprintf(path, sizeof(path), _("Delete comment %lld"),
			    c->id);
		button(v, b, p->post, path);
	}
	html_raw(b, "<p><a href=\"");
	view_url(v, b, "/mod/");
	html_raw(b, "\">");
	html_text(b, _("The queue"));
	html_raw(b, "</a></p>\n</section>\n");
	view_page_close(b);
}

static void
option(struct buf *b, const char *value, const char *label, const char *cur)
{
	html_raw(b, "<option value=\"");
	html_attr(b, value);
	html_raw(b, "\"");
	if (cur != NULL && strcmp(cur, value) == 0)
		html_raw(b, " selected");
	html_raw(b, ">");
	html_text(b, label);
	html_raw(b, "</option>\n");
}

void
view_mod_account(const struct view *v, struct buf *b,
    const struct mod_alert *m, const char *msg, int saved)
{
	view_mod_open(v, b, _("Account"), "/mod/account");
	if (msg != NULL)
		para(b, "form-error", msg);
	else if (saved)
		para(b, "notice", _("Saved."));
	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"alerts-h\">"
	    "\n<h2 id=\"alerts-h\">");
	html_text(b, _("Alerts by e-mail"));
	html_raw(b, "</h2>\n");
	para(b, "", _("Held comments can come to you by e-mail, each with "
	    "links to approve, mark as spam or delete it (a page asks before "
	    "it acts)."));
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(v, b, "/mod/account");
	html_raw(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(b, v->mod->csrf);
	html_raw(b, "\">\n<p><label for=\"acct-email\">");
	html_text(b, _("Your e-mail address"));
	html_raw(b, "</label>\n<input id=\"acct-email\" name=\"email\" type=\"email\" "
	    "autocomplete=\"email\" value=\"");
	if (m->email != NULL)
		html_attr(b, m->email);
	html_raw(b, "\"></p>\n<p><label for=\"acct-alerts\">");
	html_text(b, _("Alerts"));
	html_raw(b, "</label>\n<select id=\"acct-alerts\" name=\"alerts\">\n");
	option(b, "none", C_("alerts", "None"), m->alerts);
	option(b, "each", _("A message for each held comment"), m->alerts);
	option(b, "digest", _("A digest of held comments"), m->alerts);
	html_raw(b, "</select></p>\n<p><label for=\"acct-minutes\">");
	html_text(b, _("Digest at most every (minutes)"));
	html_raw(b, "</label>\n<input id=\"acct-minutes\" "
	    "name=\"minutes\" type=\"number\" min=\"5\" max=\"10080\" "
	    "value=\"");
	html_int(b, m->digest_minutes);
	html_raw(b, "\"></p>\n<p><button type=\"submit\">");
	html_text(b, _("Save"));
	html_raw(b, "</button></p>\n</form>\n</section>\n");
	view_mod_close(b);
}

/* A delivery's kind and state, as the outbox stores them (009-mail). */
static const char *
word(const char *w)
{
	static const struct i18n_word words[] = {
		{ "mail", N_("mail") },
		{ "webhook", N_("webhook") },
		{ "queued", N_("queued") },
		{ "sent", N_("sent") },
		{ "failed", N_("failed") },
		{ "dropped", N_("dropped") },
	};

	return i18n_label(words, sizeof(words) / sizeof(words[0]), w);
}

static void
time_or_dash(struct buf *b, long long t)
{
	if (t > 0)
		view_time(b, t);
	else
		html_raw(b, "\xe2\x80\x94");
}

void
view_mod_deliveries(const struct view *v, struct buf *b,
    const long long counts[4], const struct outbox_msg *m, size_t n)
{
	size_t	 i;

	char	 c[4][32];

	view_mod_open(v, b, _("Deliveries"), "/mod/deliveries");
	html_raw(b, "<p>");
	html_textf(b, _("Mail and webhook deliveries: %s waiting, %s sent, "
	    "%s failed for good, %s dropped (over the hourly cap, or the "
	    "address stopped e-mail)."), i18n_num(c[0], sizeof(c[0]),
	    counts[0]), i18n_num(c[1], sizeof(c[1]), counts[1]),
	    i18n_num(c[2], sizeof(c[2]), counts[2]), i18n_num(c[3],
	    sizeof(c[3]), counts[3]));
	html_raw(b, "</p>\n<h2>");
	html_text(b, _("Failed, dropped, or retrying"));
	html_raw(b, "</h2>\n");
	if (n == 0) {
		para(b, "empty", _("Nothing: every delivery went through."));
		view_mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table deliveries\">\n<thead><tr>");
	html_th(b, _("Id"));
	html_th(b, _("Kind"));
	html_th(b, _("To"));
	html_th(b, _("What"));
	html_th(b, _("State"));
	html_th(b, _("Tries"));
	html_th(b, _("Queued"));
	html_th(b, _("Done or next try"));
	html_th(b, _("Last error"));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr><td>%lld</td><td>", m[i].id);
		html_text(b, word(m[i].kind));
		html_raw(b, "</td><td>");
		html_text(b, m[i].target);
		/* The event's and the error's own words: code. */
		html_raw(b, "</td><td><code>");
		html_text(b, m[i].what);
		html_raw(b, "</code></td><td>");
		html_text(b, word(m[i].state));
		htmlf(b, "</td><td>%d</td><td>", m[i].attempts);
		view_time(b, m[i].created);
		html_raw(b, "</td><td>");
		time_or_dash(b, m[i].done > 0 ? m[i].done : m[i].next_try);
		html_raw(b, "</td><td>");
		html_raw(b, "<code>");
		html_text(b, m[i].last_error != NULL ? m[i].last_error : "");
		html_raw(b, "</code></td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n");
	view_mod_close(b);
}
