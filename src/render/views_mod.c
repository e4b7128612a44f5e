/* views_mod.c: the moderators' pages, written through html.h */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "render/html.h"
#include "render/views.h"

void
view_login(const struct view *v, struct buf *b, const char *csrf, const char *msg,
    const char *name)
{
	view_page_open(v, b, _("Moderator login"));
	html_raw(b, "<section class=\"login\">\n<h1>");
	html_text(b, _("Moderator login"));
	html_raw(b, "</h1>\n");
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
	html_raw(b, "\">\n<p><label for=\"login-name\">");
	html_text(b, _("Name"));
	html_raw(b, "</label>\n<input id=\"login-name\" name=\"name\" autocomplete=\"username\" "
	    "required value=\"");
	if (name != NULL)
		html_attr(b, name);
	html_raw(b, "\"></p>\n<p><label for=\"login-password\">");
	html_text(b, _("Password"));
	html_raw(b, "</label>\n<input id=\"login-password\" name=\"password\" "
	    "type=\"password\" autocomplete=\"current-password\" required>"
	    "</p>\n<p><button type=\"submit\">");
	html_text(b, _("Log in"));
	html_raw(b, "</button></p>\n</form>\n</section>\n");
	view_page_close(b);
}

/* --- the moderators' pages ----------------------------------------------- */

static void	select_option(struct buf *, const char *, const char *,
		    const char *);

/* A table's column heading; one for screen readers only. */
static void
th(struct buf *b, const char *label)
{
	html_raw(b, "<th>");
	html_text(b, label);
	html_raw(b, "</th>");
}

static void
th_hidden(struct buf *b, const char *label)
{
	html_raw(b, "<th><span class=\"visually-hidden\">");
	html_text(b, label);
	html_raw(b, "</span></th>");
}

/* The kinds of ban, as the form offers them and the list shows them. */
static const struct {
	const char	*kind, *label;
} ban_kinds[] = {
	{ "email", N_("e-mail address") },
	{ "addr_hash", N_("address hash") },
	{ "prefix", N_("address prefix (IPv4 /24, IPv6 /48)") },
};

static const char *
ban_kind_label(const char *kind)
{
	size_t	 i;

	for (i = 0; i < sizeof(ban_kinds) / sizeof(ban_kinds[0]); i++)
		if (strcmp(ban_kinds[i].kind, kind) == 0)
			return _(ban_kinds[i].label);
	return kind;
}

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
	html_text(b, _(label));
	html_raw(b, "</button></form>");
}

/* Where a moderator can go, in the order the bar shows. */
static const struct {
	const char	*path;
	const char	*label;
	int		 admin;		/* shown to admins only */
} mod_links[] = {
	{ "/mod/", N_("Queue"), 0 },
	{ "/mod/bans", N_("Bans"), 0 },
	{ "/mod/articles", N_("Articles"), 0 },
	{ "/mod/audit", N_("Audit"), 0 },
	{ "/mod/users", N_("Users"), 1 },
	{ "/mod/deliveries", N_("Deliveries"), 1 },
	{ "/mod/account", N_("Account"), 0 },
};

/* The page head and the moderators' bar: who, where to go, log out. */
static void
mod_open(const struct view *v, struct buf *b, const char *title, const char *here)
{
	const struct view_mod	*m = v->mod;
	size_t			 i;

	view_page_open(v, b, title);
	html_raw(b, "<div class=\"mod\">\n<nav class=\"mod-nav\" "
	    "aria-label=\"");
	html_attr(b, _("Moderation"));
	html_raw(b, "\">\n<ul>\n");
	for (i = 0; i < sizeof(mod_links) / sizeof(mod_links[0]); i++) {
		if (mod_links[i].admin && !m->admin)
			continue;
		html_raw(b, "<li><a href=\"");
		view_url(v, b, mod_links[i].path);
		html_raw(b, "\"");
		if (strcmp(mod_links[i].path, here) == 0)
			html_raw(b, " aria-current=\"page\"");
		html_raw(b, ">");
		html_text(b, _(mod_links[i].label));
		html_raw(b, "</a></li>\n");
	}
	html_raw(b, "</ul>\n<div class=\"who\">");
	/* TRANSLATORS: "Logged in as NAME (admin)"; the name is bold. */
	view_strong_in(b, m->admin ? _("Logged in as %s (admin)") :
	    _("Logged in as %s (moderator)"), m->name, NULL);
	html_raw(b, " ");
	button_form(v, b, "/mod/logout", NULL, N_("Log out"), 1);
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
		html_text(b, _("never"));
}

/* --- the queue ----------------------------------------------------------- */

static const char *const tab_labels[CS__MAX] = {
	[CS_PENDING] = N_("Pending"),
	[CS_APPROVED] = N_("Approved"),
	[CS_SPAM] = N_("Spam"),
	[CS_DELETED] = N_("Deleted"),
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
		{ "approve", N_("Approve"), "a", CS_APPROVED },
		{ "spam", N_("Spam"), "s", CS_SPAM },
		{ "delete", N_("Delete"), "d", CS_DELETED },
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
		htmlf(b, "\" data-key=\"%s\" class=\"mod-%s\">",
		    acts[i].key, acts[i].word);
		html_text(b, _(acts[i].label));
		html_raw(b, "</button>\n");
	}
	snprintf(path, sizeof(path), "/mod/comments/%lld/ban", c->id);
	if (c->email != NULL && *c->email != '\0') {
		html_raw(b, "<button type=\"submit\" class=\"mod-ban\" "
		    "formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\" name=\"kind\" value=\"email\">");
		html_text(b, _("Ban e-mail"));
		html_raw(b, "</button>\n");
	}
	if (c->addr_hash != NULL && *c->addr_hash != '\0') {
		html_raw(b, "<button type=\"submit\" class=\"mod-ban\" "
		    "formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\" name=\"kind\" value=\"addr_hash\">");
		html_text(b, _("Ban address"));
		html_raw(b, "</button>\n");
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
	html_raw(b, "<details class=\"mod-edit\"><summary>");
	html_text(b, _("Edit"));
	html_raw(b, "</summary>\n<form method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	hidden(v, b, back);
	htmlf(b, "<p><label for=\"edit-%lld\">", c->id);
	html_text(b, _("Markdown source"));
	htmlf(b, "</label>\n<textarea id=\"edit-%lld\" name=\"body\" "
	    "rows=\"8\" required>", c->id);
	html_text(b, c->body);
	html_raw(b, "</textarea></p>\n<p><button type=\"submit\">");
	html_text(b, _("Save edit"));
	html_raw(b, "</button></p>\n</form>\n</details>\n");
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
	    "hidden\">", c->id, c->id, c->id, c->id, c->id);
	html_textf(b, _("Select comment %lld"), c->id);
	htmlf(b, "</label>\n<h2 id=\"c%lld-h\"><a href=\"", c->id);
	snprintf(path, sizeof(path), "/articles/%lld#c%lld", c->article,
	    c->id);
	view_url(v, b, path);
	html_raw(b, "\">");
	html_text(b, it->article_title);
	html_raw(b, "</a></h2>\n");
	if (mq->article == 0) {
		buf_printf(&u, "/mod/?status=%s&article=%lld",
		    cstatus_str(mq->status), c->article);
		html_raw(b, "<a class=\"mod-only\" href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">");
		html_text(b, _("only this article"));
		html_raw(b, "</a>\n");
	}
	buf_free(&u);
	html_raw(b, "</header>\n<dl class=\"mod-facts\">\n<dt>");
	html_text(b, _("Author"));
	html_raw(b, "</dt><dd>");
	html_text(b, c->author);
	if (c->website != NULL) {
		html_raw(b, " <span class=\"mod-website\">");
		html_text(b, c->website);
		html_raw(b, "</span>");
	}
	html_raw(b, "</dd>\n<dt>");
	html_text(b, _("E-mail"));
	html_raw(b, "</dt><dd>");
	if (c->email != NULL)
		html_text(b, c->email);
	else
		html_text(b, _("none"));
	html_raw(b, "</dd>\n<dt>");
	html_text(b, _("Address"));
	html_raw(b, "</dt><dd><code>");
	if (c->addr_hash != NULL)
		html_text(b, c->addr_hash);
	else
		html_text(b, _("unknown"));
	html_raw(b, "</code></dd>\n<dt>");
	html_text(b, _("Spam score"));
	html_raw(b, "</dt><dd>");
	view_score(b, c->score);
	if (c->reasons[0] != '\0') {
		html_raw(b, " <span class=\"mod-reasons\">");
		html_text(b, c->reasons);
		html_raw(b, "</span>");
	}
	html_raw(b, "</dd>\n<dt>");
	html_text(b, _("Posted"));
	html_raw(b, "</dt><dd>");
	view_time(b, c->created);
	if (c->edited) {
		html_raw(b, " ");
		view_time_in(b, _("(edited %s)"), c->edited);
	}
	html_raw(b, "</dd>\n</dl>\n");
	if (it->parent_author != NULL) {
		html_raw(b, "<blockquote class=\"mod-parent\"><p>");
		if (it->parent_status != CS_APPROVED &&
		    (unsigned)it->parent_status < CS__MAX)
			/* TRANSLATORS: "In reply to NAME (Pending):" */
			view_strong_in(b, C_("queue", "In reply to %s (%s):"),
			    it->parent_author, _(tab_labels[it->parent_status]));
		else
			view_strong_in(b, C_("queue", "In reply to %s:"),
			    it->parent_author, NULL);
		html_raw(b, "</p>\n<p class=\"mod-excerpt\">");
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
		{ "j", N_("next comment") },
		{ "k", N_("previous comment") },
		{ "x", N_("select or unselect it") },
		{ "a", N_("approve it") },
		{ "s", N_("mark it spam") },
		{ "d", N_("delete it") },
		{ "?", N_("show or hide this help") },
	};
	size_t	 i;

	html_raw(b, "<p class=\"mod-keyhint\" id=\"mod-keyhint\" hidden>");
	/* TRANSLATORS: %s is the key "?". */
	view_kbd_in(b, _("Press %s for keyboard shortcuts."), "?");
	html_raw(b, "</p>\n<aside class=\"mod-help\" id=\"mod-help\" "
	    "aria-labelledby=\"mod-help-h\" hidden>\n<h2 id=\"mod-help-h\">");
	html_text(b, _("Keyboard shortcuts"));
	html_raw(b, "</h2>\n<dl>\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		html_raw(b, "<dt><kbd>");
		html_text(b, keys[i].key);
		html_raw(b, "</kbd></dt><dd>");
		html_text(b, _(keys[i].what));
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
	mod_open(v, b, _("Moderation queue"), "/mod/");
	queue_keys(b);
	if (mq->article > 0) {
		html_raw(b, "<p class=\"mod-filter\">");
		html_textf(b, _("Comments on article %lld only."),
		    mq->article);
		html_raw(b, " <a href=\"");
		buf_printf(&u, "/mod/?status=%s",
		    cstatus_str(mq->status));
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">");
		html_text(b, _("Show every article"));
		html_raw(b, "</a></p>\n");
	}
	html_raw(b, "<nav class=\"mod-tabs\" aria-label=\"");
	html_attr(b, _("Status"));
	html_raw(b, "\"><ul>\n");
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
		html_text(b, _(tab_labels[t]));
		html_raw(b, " <span class=\"mod-count\">(");
		html_num(b, mq->counts[t]);
		html_raw(b, ")</span></a></li>\n");
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
	html_raw(b, "<label for=\"mod-q\">");
	html_text(b, _("Search text, names and e-mails"));
	html_raw(b, "</label>\n<input id=\"mod-q\" type=\"search\" "
	    "name=\"q\" maxlength=\"200\" value=\"");
	if (mq->q != NULL)
		html_attr(b, mq->q);
	html_raw(b, "\">\n<button type=\"submit\">");
	html_text(b, _("Search"));
	html_raw(b, "</button>\n</form>\n");

	if (mq->n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("Nothing here."));
		html_raw(b, "</p>\n");
	} else {
		/* Checkboxes join this form through their form="bulk"
		 * attribute: forms cannot nest, and each item has its own. */
		html_raw(b, "<form id=\"bulk\" class=\"mod-bulk\" "
		    "method=\"post\" action=\"");
		view_url(v, b, "/mod/comments/bulk");
		html_raw(b, "\">\n");
		hidden(v, b, buf_str(&self));
		html_raw(b, "<label for=\"bulk-action\">");
		html_text(b, _("With the selected comments:"));
		html_raw(b, "</label>\n<select id=\"bulk-action\" "
		    "name=\"action\">\n");
		select_option(b, "approve", _("Approve"), NULL);
		select_option(b, "spam", _("Mark spam"), NULL);
		select_option(b, "delete", _("Delete"), NULL);
		html_raw(b, "</select>\n<button type=\"submit\">");
		html_text(b, _("Apply"));
		html_raw(b, "</button>\n</form>\n<ol class=\"mod-queue\">\n");
		for (i = 0; i < mq->n; i++)
			item(v, b, mq, &mq->v[i], buf_str(&self));
		html_raw(b, "</ol>\n");
	}
	if (mq->next > 0) {
		buf_reset(&u);
		queue_href(&u, mq, mq->status, mq->next);
		html_raw(b, "<nav class=\"pages\" aria-label=\"");
		html_attr(b, _("More comments"));
		html_raw(b, "\"><a rel=\"next\" href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">");
		html_text(b, _("Next page"));
		html_raw(b, "</a></nav>\n");
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
	html_text(b, label);
	html_raw(b, "</option>\n");
}

/* A labelled one-line input, refilled with what was typed. */
static void
input(struct buf *b, const char *id, const char *name, const char *label,
    const char *type, const char *value, const char *extra)
{
	htmlf(b, "<p><label for=\"%s\">", id);
	html_text(b, label);
	htmlf(b, "</label>\n<input id=\"%s\" name=\"%s\" type=\"%s\"%s "
	    "value=\"", id, name, type, extra);
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
	mod_open(v, b, _("Bans"), "/mod/bans");
	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"ban-h\">\n"
	    "<h2 id=\"ban-h\">");
	html_text(b, _("Add a ban"));
	html_raw(b, "</h2>\n");
	form_error(b, msg);
	html_raw(b, "<p class=\"hint\">");
	html_text(b, _("A banned reader's comments go to the spam folder "
	    "without telling them."));
	html_raw(b, "</p>\n<form method=\"post\" action=\"");
	view_url(v, b, "/mod/bans");
	html_raw(b, "\">\n");
	hidden(v, b, NULL);
	html_raw(b, "<p><label for=\"ban-kind\">");
	html_text(b, _("Ban by"));
	html_raw(b, "</label>\n<select id=\"ban-kind\" name=\"kind\">\n");
	for (i = 0; i < sizeof(ban_kinds) / sizeof(ban_kinds[0]); i++)
		select_option(b, ban_kinds[i].kind, _(ban_kinds[i].label),
		    f->kind);
	html_raw(b, "</select></p>\n");
	input(b, "ban-value", "value", _("Value"), "text", f->value,
	    " required maxlength=\"254\"");
	input(b, "ban-reason", "reason", _("Reason (for the other moderators)"),
	    "text", f->reason, " maxlength=\"200\"");
	input(b, "ban-days", "days", _("Days (empty: no end)"), "number",
	    f->days, " min=\"1\" max=\"3650\"");
	html_raw(b, "<p><button type=\"submit\">");
	html_text(b, _("Ban"));
	html_raw(b, "</button></p>\n</form>\n</section>\n<h2>");
	html_text(b, _("Bans in force"));
	html_raw(b, "</h2>\n");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("No bans."));
		html_raw(b, "</p>\n");
		mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table\">\n<thead><tr>");
	th(b, _("Kind"));
	th(b, _("Value"));
	th(b, _("Reason"));
	th(b, _("Since"));
	th(b, _("Until"));
	th(b, _("By"));
	th_hidden(b, _("Remove"));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_raw(b, "<tr><td>");
		html_text(b, ban_kind_label(bans[i].kind));
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
		button_form(v, b, path, "/mod/bans", N_("Remove"), 0);
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

	mod_open(v, b, _("Articles"), "/mod/articles");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("No articles yet."));
		html_raw(b, "</p>\n");
	} else {
		html_raw(b, "<table class=\"mod-table\">\n<thead><tr>");
		th(b, _("Article"));
		th(b, _("Added"));
		th(b, _("Comments"));
		th(b, _("State"));
		th_hidden(b, _("Actions"));
		html_raw(b, "</tr></thead>\n<tbody>\n");
	}
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
		html_raw(b, "\">");
		{
			char	 num[32];

			html_textf(b, NG_("%s approved", "%s approved",
			    ar[i].ncomments), i18n_num(num, sizeof(num),
			    ar[i].ncomments));
		}
		html_raw(b, "</a> \xc2\xb7 <a href=\"");
		snprintf(path, sizeof(path), "/mod/?status=pending&article="
		    "%lld", ar[i].id);
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, C_("comments", "pending"));
		html_raw(b, "</a></td><td>");
		html_text(b, ar[i].closed ? C_("article", "closed") :
		    C_("article", "open"));
		html_raw(b, "</td><td>");
		snprintf(path, sizeof(path), "/mod/articles/%lld/%s", ar[i].id,
		    ar[i].closed ? "open" : "close");
		button_form(v, b, path, self, ar[i].closed ?
		    N_("Open") : N_("Close"), 0);
		html_raw(b, "</td></tr>\n");
	}
	if (n > 0)
		html_raw(b, "</tbody>\n</table>\n");
	if (next_id > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		view_url(v, b, "/mod/articles");
		htmlf(b, "?before=%lld&amp;at=%lld", next_id,
		    next_created);
		html_raw(b, "\">");
		html_text(b, _("Older articles"));
		html_raw(b, "</a></nav>\n");
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

	mod_open(v, b, _("Users"), "/mod/users");
	form_error(b, msg);
	html_raw(b, "<table class=\"mod-table\">\n<thead><tr>");
	th(b, _("Name"));
	th(b, _("Role"));
	th(b, _("Created"));
	th(b, _("Last login"));
	th(b, _("New password"));
	th_hidden(b, _("Delete"));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_raw(b, "<tr><td>");
		html_text(b, mods[i].name);
		html_raw(b, "</td><td>");
		html_text(b, mods[i].admin ? C_("role", "admin") :
		    C_("role", "moderator"));
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
		htmlf(b, "<label for=\"%s\" class=\"visually-hidden\">", id);
		html_textf(b, _("New password for %s"), mods[i].name);
		htmlf(b, "</label><input id=\"%s\" name=\"password\" "
		    "type=\"password\" autocomplete=\"new-password\" "
		    "minlength=\"12\" required>\n<button type=\"submit\">", id);
		/* TRANSLATORS: sets a new password. */
		html_text(b, C_("password", "Set"));
		html_raw(b, "</button></form></td><td>");
		if (mods[i].id != v->mod->id) {
			snprintf(path, sizeof(path), "/mod/users/%lld/delete",
			    mods[i].id);
			button_form(v, b, path, NULL, N_("Delete"), 0);
		} else
			html_text(b, _("(you)"));
		html_raw(b, "</td></tr>\n");
	}
	html_raw(b, "</tbody>\n</table>\n<section class=\"mod-form\" "
	    "aria-labelledby=\"user-h\">\n<h2 id=\"user-h\">");
	html_text(b, _("Add an account"));
	html_raw(b, "</h2>\n<form method=\"post\" action=\"");
	view_url(v, b, "/mod/users");
	html_raw(b, "\">\n");
	hidden(v, b, NULL);
	input(b, "user-name", "name", _("Name"), "text", NULL,
	    " required maxlength=\"64\" autocomplete=\"off\"");
	html_raw(b, "<p><label for=\"user-role\">");
	html_text(b, _("Role"));
	html_raw(b, "</label>\n<select id=\"user-role\" name=\"role\">\n");
	select_option(b, "moderator", C_("role", "moderator"), "moderator");
	select_option(b, "admin", C_("role", "admin"), NULL);
	html_raw(b, "</select></p>\n");
	input(b, "user-password", "password", _("Password (at least 12 "
	    "characters, not the name)"), "password", NULL,
	    " required minlength=\"12\" autocomplete=\"new-password\"");
	html_raw(b, "<p><button type=\"submit\">");
	html_text(b, _("Add"));
	html_raw(b, "</button></p>\n</form>\n</section>\n");
	mod_close(b);
}

/* --- the audit log ------------------------------------------------------- */

void
view_mod_audit(const struct view *v, struct buf *b, const struct audit_entry *log,
    size_t n, long long next)
{
	size_t	 i;

	mod_open(v, b, _("Audit log"), "/mod/audit");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("Nothing yet."));
		html_raw(b, "</p>\n");
		mod_close(b);
		return;
	}
	html_raw(b, "<table class=\"mod-table mod-audit\">\n<thead><tr>");
	th(b, _("When"));
	th(b, _("Who"));
	th(b, _("Action"));
	th(b, _("Target"));
	th(b, _("Change"));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr id=\"a%lld\"><td>", log[i].id);
		view_time(b, log[i].at);
		html_raw(b, "</td><td>");
		/* The command line acts as "cli" (README, Command line). */
		if (strcmp(log[i].actor, "cli") == 0)
			html_text(b, _("the command line"));
		else
			html_text(b, log[i].actor);
		/* The log's own words (machine names, kept as written):
		 * code, not prose. */
		html_raw(b, "</td><td><code>");
		html_text(b, log[i].action);
		html_raw(b, "</code></td><td><code>");
		html_text(b, log[i].target);
		html_raw(b, "</code></td><td>");
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
		htmlf(b, "?before=%lld\">", next);
		html_text(b, _("Older entries"));
		html_raw(b, "</a></nav>\n");
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
