/* views_mod_pages.c: the moderators' other pages: bans, articles, accounts
 * and the audit log (and its CSV), written through html.h */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "render/html.h"
#include "render/views.h"
#include "render/views_mod_int.h"

/* --- bans ------------------------------------------------------------------ */

void
view_mod_bans(const struct view *v, struct buf *b, const struct ban *bans,
    size_t n, const struct mod_ban_form *f, const char *msg)
{
	static const struct mod_ban_form empty = { NULL, NULL, NULL, NULL };
	char	 path[64], what[64];
	size_t	 i;

	if (f == NULL)
		f = &empty;
	mod_open(v, b, "Bans", "/mod/bans");
	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"ban-h\">\n"
	    "<h2 id=\"ban-h\">Add a ban</h2>\n");
	mod_form_error(b, msg);
	html_raw(b, "<p class=\"hint\">A banned reader's comments go to the "
	    "spam folder without telling them.</p>\n<form method=\"post\" "
	    "action=\"");
	view_url(v, b, "/mod/bans");
	html_raw(b, "\">\n");
	mod_hidden(v, b, NULL);
	html_raw(b, "<p><label for=\"ban-kind\">Ban by</label>\n<select "
	    "id=\"ban-kind\" name=\"kind\">\n");
	mod_option(b, "email", "e-mail address", f->kind);
	mod_option(b, "addr_hash", "address hash", f->kind);
	mod_option(b, "prefix", "address prefix (IPv4 /24, IPv6 /48)",
	    f->kind);
	html_raw(b, "</select></p>\n");
	mod_input(b, "ban-value", "value", "Value", "text", f->value,
	    " required maxlength=\"254\"");
	mod_input(b, "ban-reason", "reason", "Reason (for the other "
	    "moderators)", "text", f->reason, " maxlength=\"200\"");
	mod_input(b, "ban-days", "days", "Days (empty: no end)", "number",
	    f->days, " min=\"1\" max=\"3650\"");
	html_raw(b, "<p><button type=\"submit\">Ban</button></p>\n</form>\n"
	    "</section>\n<h2>Bans in force</h2>\n");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">No bans.</p>\n");
		mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table mod-bans\">\n<thead><tr>"
	    "<th scope=\"col\">Kind</th><th scope=\"col\">Value</th>"
	    "<th scope=\"col\">Reason</th><th scope=\"col\">Since</th>"
	    "<th scope=\"col\">Until</th><th scope=\"col\">By</th>"
	    "<th scope=\"col\"><span class=\"visually-hidden\">Remove</span>"
	    "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr id=\"ban-%lld\">", bans[i].id);
		mod_td(b, "Kind");
		html_text(b, bans[i].kind);
		html_raw(b, "</td>");
		mod_td(b, "Value");
		html_raw(b, "<code>");
		html_text(b, bans[i].value);
		html_raw(b, "</code></td>");
		mod_td(b, "Reason");
		html_text(b, bans[i].reason);
		html_raw(b, "</td>");
		mod_td(b, "Since");
		view_time(b, bans[i].created);
		html_raw(b, "</td>");
		mod_td(b, "Until");
		mod_time_or_never(b, bans[i].expires);
		html_raw(b, "</td>");
		mod_td(b, "By");
		html_text(b, bans[i].by != NULL ? bans[i].by : "\xe2\x80\x94");
		html_raw(b, "</td><td class=\"mod-cell-actions\">");
		snprintf(path, sizeof(path), "/mod/bans/%lld/delete",
		    bans[i].id);
		snprintf(what, sizeof(what), "Readers it matches may post "
		    "again at once.");
		mod_confirm_form(v, b, path, "/mod/bans", "Remove",
		    "Yes, remove the ban", what);
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n");
	mod_close(b);
}

/* --- articles -------------------------------------------------------------- */

static const char *
mode_label(const char *mode)
{
	return mode == NULL ? "default" : mode;
}

void
view_mod_articles(const struct view *v, struct buf *b,
    const struct article *ar, size_t n, const char *self,
    long long next_created, long long next_id,
    const struct mod_article_form *f, const char *msg)
{
	static const struct mod_article_form empty = { NULL, NULL, NULL };
	char		 path[80];
	size_t		 i;

	if (f == NULL)
		f = &empty;
	mod_open(v, b, "Articles", "/mod/articles");
	html_raw(b, "<details class=\"mod-form mod-new\"");
	if (msg != NULL || f->uri != NULL)
		html_raw(b, " open");
	html_raw(b, "><summary>Add an article</summary>\n");
	mod_form_error(b, msg);
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(v, b, "/mod/articles");
	html_raw(b, "\">\n");
	mod_hidden(v, b, NULL);
	mod_input(b, "art-uri", "uri", "Address (the path its page has, "
	    "e.g. /2026/11/hello/)", "text", f->uri,
	    " required maxlength=\"1024\" autocomplete=\"off\"");
	mod_input(b, "art-title", "title", "Title", "text", f->title,
	    " required maxlength=\"200\"");
	html_raw(b, "<p><label for=\"art-body\">Text (optional, Markdown; "
	    "shown on palaver's own page of it)</label>\n<textarea "
	    "id=\"art-body\" name=\"body\" rows=\"6\">");
	if (f->body != NULL)
		html_text(b, f->body);
	html_raw(b, "</textarea></p>\n<p><button type=\"submit\">Add"
	    "</button></p>\n</form>\n</details>\n");
	if (n == 0)
		html_raw(b, "<p class=\"empty\">No articles yet.</p>\n");
	else
		html_raw(b, "<table class=\"mod-table mod-articles\">\n<thead>"
		    "<tr><th scope=\"col\">Article</th><th scope=\"col\">Added"
		    "</th><th scope=\"col\">Comments</th><th scope=\"col\">"
		    "State</th><th scope=\"col\">Moderation</th><th "
		    "scope=\"col\"><span class=\"visually-hidden\">Actions"
		    "</span></th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr id=\"article-%lld\">", ar[i].id);
		mod_td(b, "Article");
		snprintf(path, sizeof(path), "/mod/articles/%lld", ar[i].id);
		html_raw(b, "<a href=\"");
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, ar[i].title);
		html_raw(b, "</a><br><code class=\"mod-uri\">");
		html_text(b, ar[i].uri);
		html_raw(b, "</code>");
		if (ar[i].title_proposed != NULL)
			html_raw(b, "<br><span class=\"mod-proposed\">a title "
			    "is proposed</span>");
		html_raw(b, "</td>");
		mod_td(b, "Added");
		view_time(b, ar[i].created);
		html_raw(b, "</td>");
		mod_td(b, "Comments");
		snprintf(path, sizeof(path), "/mod/?status=approved&article="
		    "%lld", ar[i].id);
		html_raw(b, "<a href=\"");
		view_url(v, b, path);
		htmlf(b, "\">%lld approved</a> \xc2\xb7 <a href=\"",
		    ar[i].ncomments);
		snprintf(path, sizeof(path), "/mod/?status=pending&article="
		    "%lld", ar[i].id);
		view_url(v, b, path);
		html_raw(b, "\">pending</a></td>");
		mod_td(b, "State");
		html_raw(b, ar[i].closed ? (ar[i].auto_closed ?
		    "closed by age" : "closed") : "open");
		html_raw(b, "</td>");
		mod_td(b, "Moderation");
		html_raw(b, mode_label(ar[i].mode));
		html_raw(b, "</td><td class=\"mod-cell-actions\">");
		snprintf(path, sizeof(path), "/mod/articles/%lld/%s", ar[i].id,
		    ar[i].closed ? "open" : "close");
		mod_button_form(v, b, path, self, ar[i].closed ?
		    "Open" : "Close", "mod-button");
		html_raw(b, "</td></tr>\n");
	}
	if (n > 0)
		html_raw(b, "</tbody>\n</table>\n");
	if (next_id > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		view_url(v, b, "/mod/articles");
		htmlf(b, "?before=%lld&amp;at=%lld", next_id,
		    next_created);
		html_raw(b, "\">Older articles</a></nav>\n");
	}
	mod_close(b);
}

void
view_mod_article(const struct view *v, struct buf *b,
    const struct article *ar, const char *cfg_mode, const char *msg)
{
	char	 self[64], path[96], def[64];

	snprintf(self, sizeof(self), "/mod/articles/%lld", ar->id);
	mod_open(v, b, ar->title, "");
	mod_form_error(b, msg);
	html_raw(b, "<dl class=\"mod-facts\">\n<dt>Address</dt><dd><code>");
	html_text(b, ar->uri);
	html_raw(b, "</code></dd>\n<dt>Added</dt><dd>");
	view_time(b, ar->created);
	htmlf(b, "</dd>\n<dt>Comments</dt><dd>%lld approved</dd>\n"
	    "<dt>State</dt><dd id=\"art-state\">", ar->ncomments);
	if (!ar->closed)
		html_raw(b, ar->kept_open && ar->aged ? "open (reopened: it "
		    "stays open until closed again)" : "open");
	else
		html_raw(b, ar->auto_closed ? "closed by age (auto_close_days)" :
		    "closed");
	html_raw(b, "</dd>\n</dl>\n<p class=\"mod-links\"><a href=\"");
	snprintf(path, sizeof(path), "/articles/%lld", ar->id);
	view_url(v, b, path);
	html_raw(b, "\">Its page</a> \xc2\xb7 <a href=\"");
	snprintf(path, sizeof(path), "/mod/?status=pending&article=%lld",
	    ar->id);
	view_url(v, b, path);
	html_raw(b, "\">Its pending comments</a> \xc2\xb7 <a href=\"");
	snprintf(path, sizeof(path), "/mod/audit?target=article%%3A%lld",
	    ar->id);
	view_url(v, b, path);
	html_raw(b, "\">Its history</a></p>\n");

	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"art-open-h\">"
	    "\n<h2 id=\"art-open-h\">New comments</h2>\n");
	snprintf(path, sizeof(path), "/mod/articles/%lld/%s", ar->id,
	    ar->closed ? "open" : "close");
	html_raw(b, ar->closed ? "<p>Closed: readers cannot comment.</p>\n" :
	    "<p>Open: readers can comment.</p>\n");
	mod_button_form(v, b, path, self, ar->closed ? "Open it" :
	    "Close it", "mod-button");
	html_raw(b, "\n</section>\n<section class=\"mod-form\" "
	    "aria-labelledby=\"art-mode-h\">\n<h2 id=\"art-mode-h\">Moderation"
	    "</h2>\n<form method=\"post\" action=\"");
	snprintf(path, sizeof(path), "/mod/articles/%lld/mode", ar->id);
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, self);
	html_raw(b, "<p><label for=\"art-mode\">New comments</label>\n<select "
	    "id=\"art-mode\" name=\"mode\">\n");
	snprintf(def, sizeof(def), "the site's default (%s)", cfg_mode);
	mod_option(b, "default", def, mode_label(ar->mode));
	mod_option(b, "pre", "pre: every comment waits for a moderator",
	    ar->mode);
	mod_option(b, "post", "post: published at once, unless held as spam",
	    ar->mode);
	html_raw(b, "</select></p>\n<p><button type=\"submit\">Save mode"
	    "</button></p>\n</form>\n</section>\n<section class=\"mod-form\" "
	    "aria-labelledby=\"art-title-h\">\n<h2 id=\"art-title-h\">Title"
	    "</h2>\n");
	if (ar->title_proposed != NULL) {
		html_raw(b, "<p class=\"mod-proposed\">Its page proposed: "
		    "<q>");
		html_text(b, ar->title_proposed);
		html_raw(b, "</q>. Until a moderator takes it or gives "
		    "another, the article shows its address.</p>\n");
		snprintf(path, sizeof(path), "/mod/articles/%lld/proposed",
		    ar->id);
		mod_button_form(v, b, path, self, "Use the proposed title",
		    "mod-button");
		html_raw(b, "\n");
	}
	html_raw(b, "<form method=\"post\" action=\"");
	snprintf(path, sizeof(path), "/mod/articles/%lld/title", ar->id);
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, self);
	mod_input(b, "art-title", "title", "Title", "text", ar->title,
	    " required maxlength=\"200\"");
	html_raw(b, "<p><button type=\"submit\">Save title</button></p>\n"
	    "</form>\n</section>\n");
	mod_close(b);
}

/* --- accounts -------------------------------------------------------------- */

void
view_mod_users(const struct view *v, struct buf *b,
    const struct moderator *mods, size_t n, const char *msg)
{
	char	 path[64], id[32];
	size_t	 i;

	mod_open(v, b, "Users", "/mod/users");
	mod_form_error(b, msg);
	html_raw(b, "<table class=\"mod-table mod-users\">\n<thead><tr>"
	    "<th scope=\"col\">Name</th><th scope=\"col\">Role</th>"
	    "<th scope=\"col\">Created</th><th scope=\"col\">Last login</th>"
	    "<th scope=\"col\">New password</th><th scope=\"col\">"
	    "<span class=\"visually-hidden\">Delete</span></th></tr>"
	    "</thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_raw(b, "<tr id=\"user-");
		html_attr(b, mods[i].name);
		html_raw(b, "\">");
		mod_td(b, "Name");
		html_text(b, mods[i].name);
		html_raw(b, "</td>");
		mod_td(b, "Role");
		html_raw(b, mods[i].admin ? "admin" : "moderator");
		html_raw(b, "</td>");
		mod_td(b, "Created");
		view_time(b, mods[i].created);
		html_raw(b, "</td>");
		mod_td(b, "Last login");
		mod_time_or_never(b, mods[i].last_login);
		html_raw(b, "</td>");
		mod_td(b, "New password");
		snprintf(path, sizeof(path), "/mod/users/%lld/password",
		    mods[i].id);
		snprintf(id, sizeof(id), "pw-%lld", mods[i].id);
		html_raw(b, "<form class=\"mod-pw\" method=\"post\" action=\"");
		view_url(v, b, path);
		html_raw(b, "\">\n");
		mod_hidden(v, b, NULL);
		htmlf(b, "<label for=\"%s\" class=\"visually-hidden\">"
		    "New password for ", id);
		html_text(b, mods[i].name);
		htmlf(b, "</label><input id=\"%s\" name=\"password\" "
		    "type=\"password\" autocomplete=\"new-password\" "
		    "minlength=\"12\" required>\n<button type=\"submit\">Set"
		    "</button></form></td><td class=\"mod-cell-actions\">", id);
		if (mods[i].id != v->mod->id) {
			snprintf(path, sizeof(path), "/mod/users/%lld/delete",
			    mods[i].id);
			mod_confirm_form(v, b, path, NULL, "Delete",
			    "Yes, delete the account", "Their sessions end "
			    "now; what they did stays in the audit log.");
		} else
			html_raw(b, "(you)");
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n<section class=\"mod-form\" "
	    "aria-labelledby=\"user-h\">\n<h2 id=\"user-h\">Add an account"
	    "</h2>\n<form method=\"post\" action=\"");
	view_url(v, b, "/mod/users");
	html_raw(b, "\">\n");
	mod_hidden(v, b, NULL);
	mod_input(b, "user-name", "name", "Name", "text", NULL,
	    " required maxlength=\"64\" autocomplete=\"off\"");
	html_raw(b, "<p><label for=\"user-role\">Role</label>\n<select "
	    "id=\"user-role\" name=\"role\">\n");
	mod_option(b, "moderator", "moderator", "moderator");
	mod_option(b, "admin", "admin", NULL);
	html_raw(b, "</select></p>\n");
	mod_input(b, "user-password", "password", "Password (at least 12 "
	    "characters, not the name)", "password", NULL,
	    " required minlength=\"12\" autocomplete=\"new-password\"");
	html_raw(b, "<p><button type=\"submit\">Add</button></p>\n</form>\n"
	    "</section>\n");
	mod_close(b);
}

/* --- the audit log --------------------------------------------------------- */

/* Every action the log holds, for the filter's choices. */
static const char *const audit_actions[] = {
	"approve", "spam", "delete", "edit", "undo", "ban", "unban",
	"article-add", "close", "open", "mode", "title", "login",
	"login-failed", "login-throttled", "logout", "user-add", "user-del",
	"user-passwd", "import",
};

/* The filters as a query string (unescaped), for paging and export. */
static void
audit_query(struct buf *u, const struct mod_audit *ma)
{
	const struct audit_query *q = ma->q;
	const char	*sep = "?";

	if (q->actor != NULL) {
		buf_printf(u, "%swho=", sep);
		html_url_arg(u, q->actor);
		sep = "&";
	}
	if (q->action != NULL) {
		buf_printf(u, "%swhat=", sep);
		html_url_arg(u, q->action);
		sep = "&";
	}
	if (q->target != NULL) {
		buf_printf(u, "%starget=", sep);
		html_url_arg(u, q->target);
		sep = "&";
	}
	if (ma->from != NULL) {
		buf_printf(u, "%sfrom=", sep);
		html_url_arg(u, ma->from);
		sep = "&";
	}
	if (ma->to != NULL) {
		buf_printf(u, "%sto=", sep);
		html_url_arg(u, ma->to);
	}
}

static void
audit_filters(const struct view *v, struct buf *b, const struct mod_audit *ma)
{
	const struct audit_query *q = ma->q;
	size_t	 i;

	html_raw(b, "<form class=\"mod-filters\" method=\"get\" action=\"");
	view_url(v, b, "/mod/audit");
	html_raw(b, "\" role=\"search\" aria-label=\"Filter the log\">\n");
	mod_input(b, "f-who", "who", "Who", "text", q->actor,
	    " maxlength=\"200\"");
	html_raw(b, "<p><label for=\"f-what\">Action</label>\n<select "
	    "id=\"f-what\" name=\"what\">\n");
	mod_option(b, "", "any", q->action != NULL ? q->action : "");
	for (i = 0; i < sizeof(audit_actions) / sizeof(audit_actions[0]); i++)
		mod_option(b, audit_actions[i], audit_actions[i], q->action);
	html_raw(b, "</select></p>\n");
	mod_input(b, "f-target", "target", "Target (e.g. comment:42)", "text",
	    q->target, " maxlength=\"200\"");
	mod_input(b, "f-from", "from", "From (UTC)", "date", ma->from, "");
	mod_input(b, "f-to", "to", "To (UTC, inclusive)", "date", ma->to, "");
	html_raw(b, "<p class=\"mod-filter-buttons\"><button type=\"submit\">"
	    "Filter</button>\n<a href=\"");
	view_url(v, b, "/mod/audit");
	html_raw(b, "\">Clear</a></p>\n</form>\n");
}

void
view_mod_audit(const struct view *v, struct buf *b, const struct mod_audit *ma)
{
	const struct audit_entry *log = ma->v;
	struct buf	 u = BUF_INIT;
	size_t		 i;

	mod_open(v, b, "Audit log", "/mod/audit");
	audit_filters(v, b, ma);
	audit_query(&u, ma);
	if (v->mod->admin) {
		html_raw(b, "<p class=\"mod-links\"><a href=\"");
		view_url(v, b, "/mod/audit.csv");
		html_attr(b, buf_str(&u));
		html_raw(b, "\" download>Export these entries as CSV</a></p>\n");
	}
	if (ma->n == 0)
		html_raw(b, "<p class=\"empty\">Nothing matches.</p>\n");
	else
		html_raw(b, "<table class=\"mod-table mod-audit\">\n<thead><tr>"
		    "<th scope=\"col\">When</th><th scope=\"col\">Who</th>"
		    "<th scope=\"col\">Action</th><th scope=\"col\">Target"
		    "</th><th scope=\"col\">Change</th></tr></thead>\n"
		    "<tbody>\n");
	for (i = 0; i < ma->n; i++) {
		htmlf(b, "<tr id=\"a%lld\">", log[i].id);
		mod_td(b, "When");
		view_time(b, log[i].at);
		html_raw(b, "</td>");
		mod_td(b, "Who");
		html_text(b, log[i].actor);
		html_raw(b, "</td>");
		mod_td(b, "Action");
		html_text(b, log[i].action);
		html_raw(b, "</td>");
		mod_td(b, "Target");
		mod_target(v, b, &log[i]);
		/* Where readers see it, while they do (the card has it
		 * for any status). */
		if (log[i].article > 0 && log[i].shown) {
			struct buf p = BUF_INIT;
			long long id = 0;

			sscanf(log[i].target, "comment:%lld", &id);
			view_permalink(&p, id);
			html_raw(b, " <a class=\"mod-context\" href=\"");
			view_url(v, b, buf_str(&p));
			html_raw(b, "\">in context</a>");
			if (p.err)
				b->err = 1;
			buf_free(&p);
		}
		html_raw(b, "</td>");
		mod_td(b, "Change");
		if (log[i].before != NULL) {
			html_raw(b, "<del class=\"mod-before\">");
			html_text(b, log[i].before);
			html_raw(b, "</del>");
		}
		if (log[i].after != NULL) {
			html_raw(b, "<ins class=\"mod-after\">");
			html_text(b, log[i].after);
			html_raw(b, "</ins>");
		}
		html_raw(b, "</td></tr>\n");
	}
	if (ma->n > 0)
		html_raw(b, "</tbody>\n</table>\n");
	if (ma->next > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		view_url(v, b, "/mod/audit");
		html_attr(b, buf_str(&u));
		htmlf(b, "%sbefore=%lld\">Older entries</a></nav>\n",
		    u.len > 0 ? "&amp;" : "?", ma->next);
	}
	if (u.err)
		b->err = 1;
	buf_free(&u);
	mod_close(b);
}

/*
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line
 * break.  A field a spreadsheet would read as a formula (=, +, -, @, tab,
 * CR first) gets a leading apostrophe: the log holds readers' text.
 */
static void
csv_cell(struct buf *b, const char *s)
{
	const char	*p;

	if (s == NULL)
		return;
	buf_putc(b, '"');
	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		buf_putc(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

void
view_mod_audit_csv(struct buf *b, const struct audit_entry *v, size_t n,
    int header)
{
	struct tm	 tm;
	time_t		 t;
	size_t		 i;

	if (header)
		buf_puts(b, "id,time,actor,action,target,before,after,"
		    "address_hash\r\n");
	for (i = 0; i < n; i++) {
		t = (time_t)v[i].at;
		if (gmtime_r(&t, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		buf_printf(b, "%lld,%04d-%02d-%02dT%02d:%02d:%02dZ,", v[i].id,
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		csv_cell(b, v[i].actor);
		buf_putc(b, ',');
		csv_cell(b, v[i].action);
		buf_putc(b, ',');
		csv_cell(b, v[i].target);
		buf_putc(b, ',');
		csv_cell(b, v[i].before);
		buf_putc(b, ',');
		csv_cell(b, v[i].after);
		buf_putc(b, ',');
		csv_cell(b, v[i].addr_hash);
		buf_puts(b, "\r\n");
	}
}
