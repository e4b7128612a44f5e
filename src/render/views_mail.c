/* views_mail.c: the pages mail leads to and the moderators' account and
 * deliveries pages, written through html.h */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
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
	htmlf(b, "<p class=\"%s\"%s>", cls, strcmp(cls, "form-error") == 0 ?
	    " role=\"alert\"" : strcmp(cls, "notice") == 0 ?
	    " role=\"status\"" : "");
	html_text(b, text);
	html_raw(b, "</p>\n");
}

static const char bad_link[] = "This link is not valid: it has expired, "
    "was cut short when it was copied, or was never ours.";

void
view_mail_confirm(const struct view *v, struct buf *b, enum mail_page st,
    const char *post, const char *email)
{
	view_page_open(v, b, "Replies by e-mail");
	section_open(b, "Replies by e-mail");
	switch (st) {
	case MP_ASK:
		html_raw(b, "<p>Confirm that replies to your comments may be "
		    "e-mailed to <strong>");
		html_text(b, email);
		html_raw(b, "</strong>.  Every message has a link to stop "
		    "them.</p>\n");
		button(v, b, post, "Confirm");
		break;
	case MP_DONE:
	case MP_DONE_ALL:
	case MP_HANDLED:
		html_raw(b, "<p class=\"notice\" role=\"status\">Thank you: "
		    "replies to your comments will be e-mailed to <strong>");
		html_text(b, email);
		html_raw(b, "</strong>.</p>\n");
		break;
	case MP_BAD:
		para(b, "form-error", bad_link);
		html_raw(b, "<p>Tick the box again when you next comment, and "
		    "a new message will come.</p>\n");
		break;
	}
	html_raw(b, "</section>\n");
	view_page_close(b);
}

void
view_mail_unsub(const struct view *v, struct buf *b, enum mail_page st,
    const char *post, const char *post_all, const char *title)
{
	view_page_open(v, b, "Stop e-mail");
	section_open(b, "Stop e-mail");
	switch (st) {
	case MP_ASK:
		html_raw(b, "<p>Stop the e-mail about replies to your comments "
		    "on \xe2\x80\x9c");
		html_text(b, title);
		html_raw(b, "\xe2\x80\x9d?</p>\n");
		button(v, b, post, "Stop replies from this thread");
		break;
	case MP_DONE:
		html_raw(b, "<p class=\"notice\" role=\"status\">Done: no more "
		    "e-mail about replies on \xe2\x80\x9c");
		html_text(b, title);
		html_raw(b, "\xe2\x80\x9d.</p>\n");
		break;
	case MP_DONE_ALL:
		html_raw(b, "<p class=\"notice\" role=\"status\">Done: ");
		html_text(b, v->site);
		html_raw(b, " will send you no more e-mail, unless you ask "
		    "again (and confirm).</p>\n");
		break;
	case MP_BAD:
	case MP_HANDLED:
		para(b, "form-error", bad_link);
		break;
	}
	if (st == MP_ASK || st == MP_DONE) {
		html_raw(b, "<p>Or stop all notifications from this site:</p>"
		    "\n");
		button(v, b, post_all, "Stop all e-mail from this site");
	}
	html_raw(b, "</section>\n");
	view_page_close(b);
}

static const char *
action_label(const char *action)
{
	if (strcmp(action, "approve") == 0)
		return "Approve";
	if (strcmp(action, "spam") == 0)
		return "Mark as spam";
	return "Delete";
}

static const char *
action_done(const char *action)
{
	if (strcmp(action, "approve") == 0)
		return "approved";
	if (strcmp(action, "spam") == 0)
		return "marked as spam";
	return "deleted";
}

void
view_mail_moderate(const struct view *v, struct buf *b,
    const struct mail_mod_page *p)
{
	const struct comment	*c = p->c;
	char			 path[64];

	view_page_open(v, b, "Moderate a comment");
	section_open(b, "Moderate a comment");
	if (p->state == MP_BAD || c == NULL) {
		para(b, "form-error", bad_link);
		html_raw(b, "<p>Decide it from <a href=\"");
		view_url(v, b, "/mod/");
		html_raw(b, "\">the queue</a> instead.</p>\n</section>\n");
		view_page_close(b);
		return;
	}
	if (p->state == MP_DONE) {
		htmlf(b, "<p class=\"notice\" role=\"status\">Comment %lld "
		    "is %s, by ", c->id, action_done(p->action));
		html_text(b, p->who);
		html_raw(b, ".</p>\n");
	} else if (p->state == MP_HANDLED) {
		htmlf(b, "<p class=\"form-error\" role=\"alert\">Comment %lld "
		    "was decided already (it is %s): nothing was changed.</p>"
		    "\n", c->id, cstatus_str(c->status));
	}
	html_raw(b, "<article class=\"held\">\n<p>By <strong>");
	html_text(b, c->author);
	html_raw(b, "</strong> on \xe2\x80\x9c");
	html_text(b, p->title);
	htmlf(b, "\xe2\x80\x9d, spam score %.2f</p>\n<div class=\"body\">",
	    c->score);
	html_raw(b, c->html);	/* rendered and safe (markup.c) */
	html_raw(b, "</div>\n");
	if (c->reasons != NULL && c->reasons[0] != '\0') {
		html_raw(b, "<pre class=\"reasons\">");
		html_text(b, c->reasons);
		html_raw(b, "</pre>\n");
	}
	html_raw(b, "</article>\n");
	if (p->state == MP_ASK) {
		html_raw(b, "<p>You act as <strong>");
		html_text(b, p->who);
		html_raw(b, "</strong>; the audit log will say so.</p>\n");
		snprintf(path, sizeof(path), "%s comment %lld",
		    action_label(p->action), c->id);
		button(v, b, p->post, path);
	}
	html_raw(b, "<p><a href=\"");
	view_url(v, b, "/mod/");
	html_raw(b, "\">The queue</a></p>\n</section>\n");
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
	view_mod_open(v, b, "Account", "/mod/account");
	if (msg != NULL)
		para(b, "form-error", msg);
	else if (saved)
		para(b, "notice", "Saved.");
	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"alerts-h\">"
	    "\n<h2 id=\"alerts-h\">Alerts by e-mail</h2>\n"
	    "<p>Held comments can come to you by e-mail, each with links to "
	    "approve, mark as spam or delete it (a page asks before it "
	    "acts).</p>\n<form method=\"post\" action=\"");
	view_url(v, b, "/mod/account");
	html_raw(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(b, v->mod->csrf);
	html_raw(b, "\">\n<p><label for=\"acct-email\">Your e-mail address"
	    "</label>\n<input id=\"acct-email\" name=\"email\" type=\"email\" "
	    "autocomplete=\"email\" value=\"");
	if (m->email != NULL)
		html_attr(b, m->email);
	html_raw(b, "\"></p>\n<p><label for=\"acct-alerts\">Alerts</label>\n"
	    "<select id=\"acct-alerts\" name=\"alerts\">\n");
	option(b, "none", "None", m->alerts);
	option(b, "each", "A message for each held comment", m->alerts);
	option(b, "digest", "A digest of held comments", m->alerts);
	html_raw(b, "</select></p>\n<p><label for=\"acct-minutes\">Digest at "
	    "most every (minutes)</label>\n<input id=\"acct-minutes\" "
	    "name=\"minutes\" type=\"number\" min=\"5\" max=\"10080\" "
	    "value=\"");
	html_int(b, m->digest_minutes);
	html_raw(b, "\"></p>\n<p><button type=\"submit\">Save</button></p>\n"
	    "</form>\n</section>\n");
	view_mod_close(b);
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

	view_mod_open(v, b, "Deliveries", "/mod/deliveries");
	htmlf(b, "<p>Mail and webhook deliveries: %lld waiting, %lld sent, "
	    "%lld failed for good, %lld dropped (over the hourly cap, or the "
	    "address stopped e-mail).</p>\n", counts[0], counts[1], counts[2],
	    counts[3]);
	html_raw(b, "<h2>Failed, dropped, or retrying</h2>\n");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">Nothing: every delivery went "
		    "through.</p>\n");
		view_mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table deliveries\">\n<thead><tr>"
	    "<th>Id</th><th>Kind</th><th>To</th><th>What</th><th>State</th>"
	    "<th>Tries</th><th>Queued</th><th>Done or next try</th>"
	    "<th>Last error</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr><td>%lld</td><td>", m[i].id);
		html_text(b, m[i].kind);
		html_raw(b, "</td><td>");
		html_text(b, m[i].target);
		html_raw(b, "</td><td>");
		html_text(b, m[i].what);
		html_raw(b, "</td><td>");
		html_text(b, m[i].state);
		htmlf(b, "</td><td>%d</td><td>", m[i].attempts);
		view_time(b, m[i].created);
		html_raw(b, "</td><td>");
		time_or_dash(b, m[i].done > 0 ? m[i].done : m[i].next_try);
		html_raw(b, "</td><td>");
		html_text(b, m[i].last_error != NULL ? m[i].last_error : "");
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n");
	view_mod_close(b);
}
