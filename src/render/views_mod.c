/* views_mod.c: the moderators' pages, written through html.h */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "render/html.h"
#include "render/views.h"

void
view_login(const struct view *v, struct buf *b, const char *csrf, const char *msg,
    const char *name)
{
	view_page_open(v, b, "Moderator login");
	html_raw(b, "<section class=\"login\">\n<h1>Moderator login</h1>\n");
	if (msg != NULL) {
		html_raw(b, "<p class=\"form-error\" role=\"alert\" "
		    "id=\"login-error\">");
		html_text(b, msg);
		html_raw(b, "</p>\n");
	}
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(v, b, "/mod/login");
	html_raw(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(b, csrf);
	html_raw(b, "\">\n<p><label for=\"login-name\">Name</label>\n"
	    "<input id=\"login-name\" name=\"name\" autocomplete=\"username\" "
	    "required value=\"");
	if (name != NULL)
		html_attr(b, name);
	html_raw(b, "\"></p>\n<p><label for=\"login-password\">Password</label>"
	    "\n<input id=\"login-password\" name=\"password\" type=\"password\" "
	    "autocomplete=\"current-password\" required></p>\n"
	    "<p><button type=\"submit\">Log in</button></p>\n</form>\n"
	    "</section>\n");
	view_page_close(b);
}

/* --- the moderators' pages ----------------------------------------------- */

/* The hidden fields every moderator form carries: the session's CSRF
 * token and, when given, where to come back to. */
static void
hidden(const struct view *v, struct buf *b, const char *back)
{
	html_raw(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(b, v->mod->csrf);
	html_raw(b, "\">\n");
	if (back != NULL) {
		html_raw(b, "<input type=\"hidden\" name=\"back\" value=\"");
		html_attr(b, back);
		html_raw(b, "\">\n");
	}
}

/* A form of one button that posts to path (an inline link-like one when
 * `inline` is set). */
static void
button_form(const struct view *v, struct buf *b, const char *path, const char *back,
    const char *label, int inline_)
{
	html_raw(b, inline_ ? "<form class=\"inline\" method=\"post\" "
	    "action=\"" : "<form class=\"mod-button\" method=\"post\" "
	    "action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	hidden(v, b, back);
	html_raw(b, "<button type=\"submit\">");
	html_raw(b, label);
	html_raw(b, "</button></form>");
}

/* Where a moderator can go, in the order the bar shows. */
static const struct {
	const char	*path;
	const char	*label;
	int		 admin;		/* shown to admins only */
} mod_links[] = {
	{ "/mod/", "Queue", 0 },
	{ "/mod/bans", "Bans", 0 },
	{ "/mod/articles", "Articles", 0 },
	{ "/mod/audit", "Audit", 0 },
	{ "/mod/users", "Users", 1 },
	{ "/mod/deliveries", "Deliveries", 1 },
	{ "/mod/account", "Account", 0 },
};

/* The page head and the moderators' bar: who, where to go, log out. */
static void
mod_open(const struct view *v, struct buf *b, const char *title, const char *here)
{
	const struct view_mod	*m = v->mod;
	size_t			 i;

	view_page_open(v, b, title);
	html_raw(b, "<div class=\"mod\">\n<nav class=\"mod-nav\" "
	    "aria-label=\"Moderation\">\n<ul>\n");
	for (i = 0; i < sizeof(mod_links) / sizeof(mod_links[0]); i++) {
		if (mod_links[i].admin && !m->admin)
			continue;
		html_raw(b, "<li><a href=\"");
		view_url(v, b, mod_links[i].path);
		html_raw(b, "\"");
		if (strcmp(mod_links[i].path, here) == 0)
			html_raw(b, " aria-current=\"page\"");
		html_raw(b, ">");
		html_raw(b, mod_links[i].label);
		html_raw(b, "</a></li>\n");
	}
	html_raw(b, "</ul>\n<div class=\"who\">Logged in as <strong>");
	html_text(b, m->name);
	html_raw(b, m->admin ? "</strong> (admin) " :
	    "</strong> (moderator) ");
	button_form(v, b, "/mod/logout", NULL, "Log out", 1);
	html_raw(b, "</div>\n</nav>\n<h1>");
	html_text(b, title);
	html_raw(b, "</h1>\n");
}

static void
mod_close(struct buf *b)
{
	html_raw(b, "</div>\n");
	view_page_close(b);
}

static void
form_error(struct buf *b, const char *msg)
{
	if (msg == NULL)
		return;
	html_raw(b, "<p class=\"form-error\" role=\"alert\" id=\"mod-error\">");
	html_text(b, msg);
	html_raw(b, "</p>\n");
}

/* A <time>, or "never" for 0. */
static void
time_or_never(struct buf *b, long long t)
{
	if (t > 0)
		view_time(b, t);
	else
		html_raw(b, "never");
}

/* --- the queue ----------------------------------------------------------- */

static const char *const tab_labels[CS__MAX] = {
	[CS_PENDING] = "Pending",
	[CS_APPROVED] = "Approved",
	[CS_SPAM] = "Spam",
	[CS_DELETED] = "Deleted",
};
/* The tabs in the order a moderator works them. */
static const enum cstatus tab_order[CS__MAX] = {
	CS_PENDING, CS_SPAM, CS_APPROVED, CS_DELETED
};

/*
 * The queue's address for a tab and a cursor, keeping the article filter
 * and the search: percent-encoded, unescaped (for view_url, html_attr or
 * a `back` field).
 */
static void
queue_href(struct buf *u, const struct mod_queue *mq, int status,
    long long cursor)
{
	buf_printf(u, "/mod/?status=%s", cstatus_str(status));
	if (mq->article > 0)
		buf_printf(u, "&article=%lld", mq->article);
	if (mq->q != NULL) {
		buf_puts(u, "&q=");
		html_url_arg(u, mq->q);
	}
	if (cursor > 0)
		buf_printf(u, "&cursor=%lld", cursor);
}

/* The per-item actions: one form, a button each (the status it is in
 * already is not offered).  data-key ties a button to mod.js's keys. */
static void
item_actions(const struct view *v, struct buf *b, const struct queue_item *it,
    const char *back)
{
	static const struct {
		const char	*word, *label, *key;
		enum cstatus	 is;
	} acts[] = {
		{ "approve", "Approve", "a", CS_APPROVED },
		{ "spam", "Spam", "s", CS_SPAM },
		{ "delete", "Delete", "d", CS_DELETED },
	};
	const struct comment	*c = &it->c;
	char			 path[80];
	size_t			 i;

	snprintf(path, sizeof(path), "/mod/comments/%lld/approve", c->id);
	html_raw(b, "<form class=\"mod-actions\" method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	hidden(v, b, back);
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (c->status == acts[i].is)
			continue;
		snprintf(path, sizeof(path), "/mod/comments/%lld/%s", c->id,
		    acts[i].word);
		html_raw(b, "<button type=\"submit\" formaction=\"");
		view_url(v, b, path);
		htmlf(b, "\" data-key=\"%s\" class=\"mod-%s\">%s"
		    "</button>\n", acts[i].key, acts[i].word, acts[i].label);
	}
	/* Votes a flood or a ring gave: taken back, audited. */
	if (c->up > 0 || c->down > 0) {
		snprintf(path, sizeof(path), "/mod/comments/%lld/unvote",
		    c->id);
		html_raw(b, "<button type=\"submit\" class=\"mod-unvote\" "
		    "formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\">Reset votes</button>\n");
	}
	snprintf(path, sizeof(path), "/mod/comments/%lld/ban", c->id);
	if (c->email != NULL && *c->email != '\0') {
		html_raw(b, "<button type=\"submit\" class=\"mod-ban\" "
		    "formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\" name=\"kind\" value=\"email\">Ban e-mail"
		    "</button>\n");
	}
	if (c->addr_hash != NULL && *c->addr_hash != '\0') {
		html_raw(b, "<button type=\"submit\" class=\"mod-ban\" "
		    "formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\" name=\"kind\" value=\"addr_hash\">Ban address"
		    "</button>\n");
	}
	html_raw(b, "</form>\n");
}

/* The moderator's edit: the Markdown source, re-rendered on save. */
static void
item_edit(const struct view *v, struct buf *b, const struct comment *c,
    const char *back)
{
	char	 path[80];

	snprintf(path, sizeof(path), "/mod/comments/%lld/edit", c->id);
	html_raw(b, "<details class=\"mod-edit\"><summary>Edit</summary>\n"
	    "<form method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	hidden(v, b, back);
	htmlf(b, "<p><label for=\"edit-%lld\">Markdown source</label>\n"
	    "<textarea id=\"edit-%lld\" name=\"body\" rows=\"8\" required>",
	    c->id, c->id);
	html_text(b, c->body);
	html_raw(b, "</textarea></p>\n<p><button type=\"submit\">Save edit"
	    "</button></p>\n</form>\n</details>\n");
}

/* Readers' open reports: what they said, never who. */
static void
item_reports(struct buf *b, const struct queue_item *it)
{
	size_t	 i;

	htmlf(b, "<dt>Reports</dt><dd>%zu open<ul class=\"mod-reports\">",
	    it->nreports);
	for (i = 0; i < it->nreports; i++) {
		html_raw(b, "<li>");
		html_text(b, report_reason_str(it->reports[i].reason));
		if (it->reports[i].text[0] != '\0') {
			html_raw(b, ": ");
			html_text(b, it->reports[i].text);
		}
		html_raw(b, " ");
		view_time(b, it->reports[i].created);
		html_raw(b, "</li>");
	}
	html_raw(b, "</ul></dd>\n");
}

static void
item(const struct view *v, struct buf *b, const struct mod_queue *mq,
    const struct queue_item *it, const char *back)
{
	const struct comment	*c = &it->c;
	struct buf		 u = BUF_INIT;
	char			 path[80];

	htmlf(b, "<li class=\"mod-item\" id=\"c%lld\" tabindex=\"-1\">\n"
	    "<article aria-labelledby=\"c%lld-h\">\n<header>\n"
	    "<input type=\"checkbox\" form=\"bulk\" name=\"id\" value=\"%lld\" "
	    "id=\"sel-%lld\">\n<label for=\"sel-%lld\" class=\"visually-"
	    "hidden\">Select comment %lld</label>\n<h2 id=\"c%lld-h\">"
	    "<a href=\"", c->id, c->id, c->id, c->id, c->id, c->id, c->id);
	/* In context: the page of the thread that holds it. */
	snprintf(path, sizeof(path), "/c/%lld", c->id);
	view_url(v, b, path);
	html_raw(b, "\">");
	html_text(b, it->article_title);
	html_raw(b, "</a></h2>\n");
	if (mq->article == 0) {
		buf_printf(&u, "/mod/?status=%s&article=%lld",
		    cstatus_str(mq->status), c->article);
		html_raw(b, "<a class=\"mod-only\" href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">only this article</a>\n");
	}
	buf_free(&u);
	html_raw(b, "</header>\n<dl class=\"mod-facts\">\n<dt>Author</dt><dd>");
	html_text(b, c->author);
	if (c->website != NULL) {
		html_raw(b, " <span class=\"mod-website\">");
		html_text(b, c->website);
		html_raw(b, "</span>");
	}
	html_raw(b, "</dd>\n<dt>E-mail</dt><dd>");
	if (c->email != NULL)
		html_text(b, c->email);
	else
		html_raw(b, "none");
	html_raw(b, "</dd>\n<dt>Address</dt><dd><code>");
	if (c->addr_hash != NULL)
		html_text(b, c->addr_hash);
	else
		html_raw(b, "unknown");
	htmlf(b, "</code></dd>\n<dt>Spam score</dt><dd>%.2f", c->score);
	if (c->reasons[0] != '\0') {
		html_raw(b, " <span class=\"mod-reasons\">");
		html_text(b, c->reasons);
		html_raw(b, "</span>");
	}
	html_raw(b, "</dd>\n<dt>Posted</dt><dd>");
	view_time(b, c->created);
	if (c->edited) {
		html_raw(b, " (edited ");
		view_time(b, c->edited);
		html_raw(b, ")");
	}
	html_raw(b, "</dd>\n");
	if (c->up > 0 || c->down > 0)
		htmlf(b, "<dt>Votes</dt><dd>%lld up, %lld down</dd>\n", c->up,
		    c->down);
	if (it->nreports > 0)
		item_reports(b, it);
	html_raw(b, "</dl>\n");
	if (it->parent_author != NULL) {
		html_raw(b, "<blockquote class=\"mod-parent\"><p>In reply to "
		    "<strong>");
		html_text(b, it->parent_author);
		html_raw(b, "</strong>");
		if (it->parent_status != CS_APPROVED) {
			html_raw(b, " (");
			html_raw(b, cstatus_str(it->parent_status));
			html_raw(b, ")");
		}
		html_raw(b, ":</p>\n<p class=\"mod-excerpt\">");
		html_text(b, it->parent_excerpt);
		html_raw(b, "</p></blockquote>\n");
	}
	html_raw(b, "<div class=\"body\">");
	/* Rendered and sanitised once, at write time, by markup.c. */
	html_raw(b, c->html);
	html_raw(b, "</div>\n");
	item_actions(v, b, it, back);
	item_edit(v, b, c, back);
	html_raw(b, "</article>\n</li>\n");
}

/* The keyboard help mod.js shows on "?"; hidden without script. */
static void
queue_keys(struct buf *b)
{
	static const struct {
		const char *key, *what;
	} keys[] = {
		{ "j", "next comment" },
		{ "k", "previous comment" },
		{ "x", "select or unselect it" },
		{ "a", "approve it" },
		{ "s", "mark it spam" },
		{ "d", "delete it" },
		{ "?", "show or hide this help" },
	};
	size_t	 i;

	html_raw(b, "<p class=\"mod-keyhint\" id=\"mod-keyhint\" hidden>Press "
	    "<kbd>?</kbd> for keyboard shortcuts.</p>\n<aside "
	    "class=\"mod-help\" id=\"mod-help\" aria-labelledby=\"mod-help-h\" "
	    "hidden>\n"
	    "<h2 id=\"mod-help-h\">Keyboard shortcuts</h2>\n<dl>\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		html_raw(b, "<dt><kbd>");
		html_text(b, keys[i].key);
		html_raw(b, "</kbd></dt><dd>");
		html_text(b, keys[i].what);
		html_raw(b, "</dd>\n");
	}
	html_raw(b, "</dl>\n</aside>\n");
}

void
view_mod_queue(const struct view *v, struct buf *b, const struct mod_queue *mq)
{
	struct buf	 self = BUF_INIT, u = BUF_INIT;
	size_t		 i;
	int		 t;

	queue_href(&self, mq, mq->status, mq->cursor);
	mod_open(v, b, "Moderation queue", "/mod/");
	queue_keys(b);
	if (mq->article > 0) {
		htmlf(b, "<p class=\"mod-filter\">Comments on article "
		    "%lld only. <a href=\"", mq->article);
		buf_printf(&u, "/mod/?status=%s",
		    cstatus_str(mq->status));
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">Show every article</a></p>\n");
	}
	html_raw(b, "<nav class=\"mod-tabs\" aria-label=\"Status\"><ul>\n");
	for (i = 0; i < CS__MAX; i++) {
		t = tab_order[i];
		buf_reset(&u);
		queue_href(&u, mq, t, 0);
		html_raw(b, "<li><a href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\"");
		if (t == mq->status)
			html_raw(b, " aria-current=\"page\"");
		html_raw(b, ">");
		html_raw(b, tab_labels[t]);
		htmlf(b, " <span class=\"mod-count\">(%lld)</span></a>"
		    "</li>\n", mq->counts[t]);
	}
	html_raw(b, "</ul></nav>\n<form class=\"mod-search\" method=\"get\" "
	    "action=\"");
	view_url(v, b, "/mod/");
	html_raw(b, "\" role=\"search\">\n<input type=\"hidden\" "
	    "name=\"status\" value=\"");
	html_raw(b, cstatus_str(mq->status));
	html_raw(b, "\">\n");
	if (mq->article > 0)
		htmlf(b, "<input type=\"hidden\" name=\"article\" "
		    "value=\"%lld\">\n", mq->article);
	html_raw(b, "<label for=\"mod-q\">Search text, names and e-mails"
	    "</label>\n<input id=\"mod-q\" type=\"search\" name=\"q\" "
	    "maxlength=\"200\" value=\"");
	if (mq->q != NULL)
		html_attr(b, mq->q);
	html_raw(b, "\">\n<button type=\"submit\">Search</button>\n</form>\n");

	if (mq->n == 0)
		html_raw(b, "<p class=\"empty\">Nothing here.</p>\n");
	else {
		/* Checkboxes join this form through their form="bulk"
		 * attribute: forms cannot nest, and each item has its own. */
		html_raw(b, "<form id=\"bulk\" class=\"mod-bulk\" "
		    "method=\"post\" action=\"");
		view_url(v, b, "/mod/comments/bulk");
		html_raw(b, "\">\n");
		hidden(v, b, buf_str(&self));
		html_raw(b, "<label for=\"bulk-action\">With the selected "
		    "comments:</label>\n<select id=\"bulk-action\" "
		    "name=\"action\">\n<option value=\"approve\">Approve"
		    "</option>\n<option value=\"spam\">Mark spam</option>\n"
		    "<option value=\"delete\">Delete</option>\n</select>\n"
		    "<button type=\"submit\">Apply</button>\n</form>\n"
		    "<ol class=\"mod-queue\">\n");
		for (i = 0; i < mq->n; i++)
			item(v, b, mq, &mq->v[i], buf_str(&self));
		html_raw(b, "</ol>\n");
	}
	if (mq->next > 0) {
		buf_reset(&u);
		queue_href(&u, mq, mq->status, mq->next);
		html_raw(b, "<nav class=\"pages\" aria-label=\"More comments\">"
		    "<a rel=\"next\" href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">Next page</a></nav>\n");
	}
	html_raw(b, "<script src=\"");
	view_url(v, b, "/static/mod.js");
	html_raw(b, "\" defer></script>\n");
	if (self.err || u.err)
		b->err = 1;
	buf_free(&self);
	buf_free(&u);
	mod_close(b);
}

/* --- bans ---------------------------------------------------------------- */

static void
select_option(struct buf *b, const char *value, const char *label,
    const char *chosen)
{
	html_raw(b, "<option value=\"");
	html_raw(b, value);
	html_raw(b, "\"");
	if (chosen != NULL && strcmp(chosen, value) == 0)
		html_raw(b, " selected");
	html_raw(b, ">");
	html_raw(b, label);
	html_raw(b, "</option>\n");
}

/* A labelled one-line input, refilled with what was typed. */
static void
input(struct buf *b, const char *id, const char *name, const char *label,
    const char *type, const char *value, const char *extra)
{
	htmlf(b, "<p><label for=\"%s\">%s</label>\n<input id=\"%s\" "
	    "name=\"%s\" type=\"%s\"%s value=\"", id, label, id, name, type,
	    extra);
	if (value != NULL)
		html_attr(b, value);
	html_raw(b, "\"></p>\n");
}

void
view_mod_bans(const struct view *v, struct buf *b, const struct ban *bans, size_t n,
    const struct mod_ban_form *f, const char *msg)
{
	static const struct mod_ban_form empty = { NULL, NULL, NULL, NULL };
	char	 path[64];
	size_t	 i;

	if (f == NULL)
		f = &empty;
	mod_open(v, b, "Bans", "/mod/bans");
	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"ban-h\">\n"
	    "<h2 id=\"ban-h\">Add a ban</h2>\n");
	form_error(b, msg);
	html_raw(b, "<p class=\"hint\">A banned reader's comments go to the "
	    "spam folder without telling them.</p>\n<form method=\"post\" "
	    "action=\"");
	view_url(v, b, "/mod/bans");
	html_raw(b, "\">\n");
	hidden(v, b, NULL);
	html_raw(b, "<p><label for=\"ban-kind\">Ban by</label>\n<select "
	    "id=\"ban-kind\" name=\"kind\">\n");
	select_option(b, "email", "e-mail address", f->kind);
	select_option(b, "addr_hash", "address hash", f->kind);
	select_option(b, "prefix", "address prefix (IPv4 /24, IPv6 /48)",
	    f->kind);
	html_raw(b, "</select></p>\n");
	input(b, "ban-value", "value", "Value", "text", f->value,
	    " required maxlength=\"254\"");
	input(b, "ban-reason", "reason", "Reason (for the other moderators)",
	    "text", f->reason, " maxlength=\"200\"");
	input(b, "ban-days", "days", "Days (empty: no end)", "number",
	    f->days, " min=\"1\" max=\"3650\"");
	html_raw(b, "<p><button type=\"submit\">Ban</button></p>\n</form>\n"
	    "</section>\n<h2>Bans in force</h2>\n");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">No bans.</p>\n");
		mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table\">\n<thead><tr><th>Kind</th>"
	    "<th>Value</th><th>Reason</th><th>Since</th><th>Until</th>"
	    "<th>By</th><th><span class=\"visually-hidden\">Remove</span></th>"
	    "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_raw(b, "<tr><td>");
		html_text(b, bans[i].kind);
		html_raw(b, "</td><td><code>");
		html_text(b, bans[i].value);
		html_raw(b, "</code></td><td>");
		html_text(b, bans[i].reason);
		html_raw(b, "</td><td>");
		view_time(b, bans[i].created);
		html_raw(b, "</td><td>");
		time_or_never(b, bans[i].expires);
		html_raw(b, "</td><td>");
		html_text(b, bans[i].by != NULL ? bans[i].by : "\xe2\x80\x94");
		html_raw(b, "</td><td>");
		snprintf(path, sizeof(path), "/mod/bans/%lld/delete", bans[i].id);
		button_form(v, b, path, "/mod/bans", "Remove", 0);
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n");
	mod_close(b);
}

/* --- articles ------------------------------------------------------------ */

void
view_mod_articles(const struct view *v, struct buf *b,
    const struct article *ar, size_t n, const char *self,
    long long next_created, long long next_id)
{
	char		 path[80];
	size_t		 i;

	mod_open(v, b, "Articles", "/mod/articles");
	if (n == 0)
		html_raw(b, "<p class=\"empty\">No articles yet.</p>\n");
	else
		html_raw(b, "<table class=\"mod-table\">\n<thead><tr>"
		    "<th>Article</th><th>Added</th><th>Comments</th>"
		    "<th>State</th><th><span class=\"visually-hidden\">"
		    "Actions</span></th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/articles/%lld", ar[i].id);
		html_raw(b, "<tr><td><a href=\"");
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, ar[i].title);
		html_raw(b, "</a><br><code class=\"mod-uri\">");
		html_text(b, ar[i].uri);
		html_raw(b, "</code></td><td>");
		view_time(b, ar[i].created);
		html_raw(b, "</td><td>");
		snprintf(path, sizeof(path), "/mod/?status=approved&article="
		    "%lld", ar[i].id);
		html_raw(b, "<a href=\"");
		view_url(v, b, path);
		htmlf(b, "\">%lld approved</a> \xc2\xb7 <a href=\"",
		    ar[i].ncomments);
		snprintf(path, sizeof(path), "/mod/?status=pending&article="
		    "%lld", ar[i].id);
		view_url(v, b, path);
		html_raw(b, "\">pending</a></td><td>");
		html_raw(b, ar[i].closed ? "closed" : "open");
		html_raw(b, "</td><td>");
		snprintf(path, sizeof(path), "/mod/articles/%lld/%s", ar[i].id,
		    ar[i].closed ? "open" : "close");
		button_form(v, b, path, self, ar[i].closed ?
		    "Open" : "Close", 0);
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

/* --- accounts ------------------------------------------------------------ */

void
view_mod_users(const struct view *v, struct buf *b, const struct moderator *mods,
    size_t n, const char *msg)
{
	char	 path[64], id[32];
	size_t	 i;

	mod_open(v, b, "Users", "/mod/users");
	form_error(b, msg);
	html_raw(b, "<table class=\"mod-table\">\n<thead><tr><th>Name</th>"
	    "<th>Role</th><th>Created</th><th>Last login</th><th>New password"
	    "</th><th><span class=\"visually-hidden\">Delete</span></th></tr>"
	    "</thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_raw(b, "<tr><td>");
		html_text(b, mods[i].name);
		html_raw(b, "</td><td>");
		html_raw(b, mods[i].admin ? "admin" : "moderator");
		html_raw(b, "</td><td>");
		view_time(b, mods[i].created);
		html_raw(b, "</td><td>");
		time_or_never(b, mods[i].last_login);
		html_raw(b, "</td><td>");
		snprintf(path, sizeof(path), "/mod/users/%lld/password",
		    mods[i].id);
		snprintf(id, sizeof(id), "pw-%lld", mods[i].id);
		html_raw(b, "<form class=\"mod-pw\" method=\"post\" action=\"");
		view_url(v, b, path);
		html_raw(b, "\">\n");
		hidden(v, b, NULL);
		htmlf(b, "<label for=\"%s\" class=\"visually-hidden\">"
		    "New password for ", id);
		html_text(b, mods[i].name);
		htmlf(b, "</label><input id=\"%s\" name=\"password\" "
		    "type=\"password\" autocomplete=\"new-password\" "
		    "minlength=\"12\" required>\n<button type=\"submit\">Set"
		    "</button></form></td><td>", id);
		if (mods[i].id != v->mod->id) {
			snprintf(path, sizeof(path), "/mod/users/%lld/delete",
			    mods[i].id);
			button_form(v, b, path, NULL, "Delete", 0);
		} else
			html_raw(b, "(you)");
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n<section class=\"mod-form\" "
	    "aria-labelledby=\"user-h\">\n<h2 id=\"user-h\">Add an account"
	    "</h2>\n<form method=\"post\" action=\"");
	view_url(v, b, "/mod/users");
	html_raw(b, "\">\n");
	hidden(v, b, NULL);
	input(b, "user-name", "name", "Name", "text", NULL,
	    " required maxlength=\"64\" autocomplete=\"off\"");
	html_raw(b, "<p><label for=\"user-role\">Role</label>\n<select "
	    "id=\"user-role\" name=\"role\">\n");
	select_option(b, "moderator", "moderator", "moderator");
	select_option(b, "admin", "admin", NULL);
	html_raw(b, "</select></p>\n");
	input(b, "user-password", "password", "Password (at least 12 "
	    "characters, not the name)", "password", NULL,
	    " required minlength=\"12\" autocomplete=\"new-password\"");
	html_raw(b, "<p><button type=\"submit\">Add</button></p>\n</form>\n"
	    "</section>\n");
	mod_close(b);
}

/* --- the audit log ------------------------------------------------------- */

void
view_mod_audit(const struct view *v, struct buf *b, const struct audit_entry *log,
    size_t n, long long next)
{
	size_t	 i;

	mod_open(v, b, "Audit log", "/mod/audit");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">Nothing yet.</p>\n");
		mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table mod-audit\">\n<thead><tr>"
	    "<th>When</th><th>Who</th><th>Action</th><th>Target</th>"
	    "<th>Change</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr id=\"a%lld\"><td>", log[i].id);
		view_time(b, log[i].at);
		html_raw(b, "</td><td>");
		html_text(b, log[i].actor);
		html_raw(b, "</td><td>");
		html_text(b, log[i].action);
		html_raw(b, "</td><td>");
		html_text(b, log[i].target);
		html_raw(b, "</td><td>");
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
	html_raw(b, "</tbody>\n</table>\n");
	if (next > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		view_url(v, b, "/mod/audit");
		htmlf(b, "?before=%lld\">Older entries</a></nav>\n", next);
	}
	mod_close(b);
}

/* For the moderators' pages of other files (views_mail.c). */
void
view_mod_open(const struct view *v, struct buf *b, const char *title,
    const char *here)
{
	mod_open(v, b, title, here);
}

void
view_mod_close(struct buf *b)
{
	mod_close(b);
}
