/* views_mod.c: what the moderators' pages share, written through html.h:
 * the login, the bar, the notice of what was just done, asking first */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "render/html.h"
#include "render/views.h"
#include "render/views_mod_int.h"

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

/* --- what every moderator page shares ------------------------------------ */

void
mod_hidden(const struct view *v, struct buf *b, const char *back)
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

void
mod_button_form(const struct view *v, struct buf *b, const char *path,
    const char *back, const char *label, const char *cls)
{
	html_raw(b, "<form class=\"");
	html_attr(b, cls);
	html_raw(b, "\" method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, back);
	html_raw(b, "<button type=\"submit\">");
	html_text(b, label);
	html_raw(b, "</button></form>");
}

void
mod_confirm_form(const struct view *v, struct buf *b, const char *path,
    const char *back, const char *label, const char *yes, const char *what)
{
	html_raw(b, "<details class=\"mod-confirm\"><summary>");
	html_text(b, label);
	html_raw(b, "\xe2\x80\xa6</summary>\n<form method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, back);
	html_raw(b, "<p>");
	html_text(b, what);
	html_raw(b, "</p>\n<button type=\"submit\" name=\"confirm\" "
	    "value=\"yes\" class=\"mod-danger\">");
	html_text(b, yes);
	html_raw(b, "</button></form></details>");
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

static void notice(const struct view *, struct buf *,
    const struct mod_notice *);

void
mod_open(const struct view *v, struct buf *b, const char *title,
    const char *here)
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
	mod_button_form(v, b, "/mod/logout", NULL, "Log out", "inline");
	html_raw(b, "</div>\n</nav>\n");
	if (v->notice != NULL)
		notice(v, b, v->notice);
	html_raw(b, "<h1>");
	html_text(b, title);
	html_raw(b, "</h1>\n");
}

void
mod_close(struct buf *b)
{
	html_raw(b, "</div>\n");
	view_page_close(b);
}

void
mod_form_error(struct buf *b, const char *msg)
{
	if (msg == NULL)
		return;
	html_raw(b, "<p class=\"form-error\" role=\"alert\" id=\"mod-error\">");
	html_text(b, msg);
	html_raw(b, "</p>\n");
}

void
mod_time_or_never(struct buf *b, long long t)
{
	if (t > 0)
		view_time(b, t);
	else
		html_raw(b, "never");
}

void
mod_input(struct buf *b, const char *id, const char *name, const char *label,
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
mod_option(struct buf *b, const char *value, const char *label,
    const char *chosen)
{
	html_raw(b, "<option value=\"");
	html_attr(b, value);
	html_raw(b, "\"");
	if (chosen != NULL && strcmp(chosen, value) == 0)
		html_raw(b, " selected");
	html_raw(b, ">");
	html_text(b, label);
	html_raw(b, "</option>\n");
}

void
mod_td(struct buf *b, const char *label)
{
	html_raw(b, "<td data-label=\"");
	html_attr(b, label);
	html_raw(b, "\">");
}

/* --- where things are ------------------------------------------------------ */

void
view_permalink(struct buf *u, long long id)
{
	buf_printf(u, "/c/%lld", id);
}

/* The id after "kind:" in a target, or 0. */
static long long
target_id(const char *target, const char *kind)
{
	size_t		 n = strlen(kind);
	long long	 id = 0;
	const char	*p;

	if (strncmp(target, kind, n) != 0 || target[n] != ':' ||
	    target[n + 1] == '0' || target[n + 1] == '\0')
		return 0;
	for (p = target + n + 1; *p >= '0' && *p <= '9' && id < 1LL << 53;
	    p++)
		id = id * 10 + (*p - '0');
	return *p == '\0' ? id : 0;
}

static void
link_open(const struct view *v, struct buf *b, const char *path)
{
	html_raw(b, "<a href=\"");
	view_url(v, b, path);
	html_raw(b, "\">");
}

void
mod_target(const struct view *v, struct buf *b, const struct audit_entry *e)
{
	struct buf	 u = BUF_INIT;
	long long	 id;

	if ((id = target_id(e->target, "comment")) > 0)
		buf_printf(&u, "/mod/comments/%lld", id);
	else if ((id = target_id(e->target, "article")) > 0)
		buf_printf(&u, "/mod/articles/%lld", id);
	else if ((id = target_id(e->target, "ban")) > 0)
		buf_printf(&u, "/mod/bans#ban-%lld", id);
	else if (strncmp(e->target, "user:", 5) == 0 && v->mod->admin) {
		buf_puts(&u, "/mod/users#user-");
		html_url_arg(&u, e->target + 5);
	}
	if (u.len > 0 && !u.err) {
		link_open(v, b, buf_str(&u));
		html_text(b, e->target);
		html_raw(b, "</a>");
	} else
		html_text(b, e->target);
	if (u.err)
		b->err = 1;
	buf_free(&u);
}

/* --- what was just done ---------------------------------------------------- */

/* How each action is told: one row ("Approved comment:42."), or many of
 * the same ("Approved 3 comments."). */
static const struct {
	const char	*action;
	const char	*pre, *post;	/* around the target */
	const char	*mpre, *mpost;	/* around how many */
	int		 after;		/* then say what it became */
} told[] = {
	{ "approve", "Approved ", ".", "Approved ", " comments.", 0 },
	{ "spam", "Marked ", " as spam.", "Marked ", " comments as spam.", 0 },
	{ "delete", "Deleted ", ".", "Deleted ", " comments.", 0 },
	{ "edit", "Saved your edit of ", ".", "Saved ", " edits.", 0 },
	{ "ban", "Banned ", ": ", "Made ", " bans.", 1 },
	{ "unban", "Lifted ", ".", "Lifted ", " bans.", 0 },
	{ "close", "Closed ", ".", "Closed ", " articles.", 0 },
	{ "open", "Opened ", "; it stays open until it is closed again.",
	    "Opened ", " articles.", 0 },
	{ "mode", "Moderation of ", " is now: ", "Changed ", " modes.", 1 },
	{ "title", "The title of ", " is now: ", "Changed ", " titles.", 1 },
	{ "article-add", "Added ", ".", "Added ", " articles.", 0 },
	{ "user-add", "Added the account ", ".", "Added ", " accounts.", 0 },
	{ "user-del", "Deleted the account ", ".", "Deleted ", " accounts.",
	    0 },
	{ "user-passwd", "Set a new password for ", ".", "Set ",
	    " passwords.", 0 },
};

/* One undo row: what came back. */
static void
undone(const struct view *v, struct buf *b, const struct audit_entry *e)
{
	html_raw(b, "Undone: ");
	mod_target(v, b, e);
	if (strncmp(e->target, "ban:", 4) == 0)
		html_raw(b, " is lifted.");
	else if (e->after != NULL && cstatus_parse(e->after) != CS__MAX) {
		html_raw(b, " is ");
		html_text(b, e->after);
		html_raw(b, " again.");
	} else
		html_raw(b, " has its text back.");
}

static void
notice(const struct view *v, struct buf *b, const struct mod_notice *nt)
{
	const struct audit_entry *e;
	size_t		 i, k, t;

	html_raw(b, "<div class=\"mod-notice\" role=\"status\" "
	    "id=\"mod-notice\">\n<p>");
	if (nt->unchanged || nt->n == 0)
		html_raw(b, "Nothing changed: it was that way already.");
	for (i = 0; i < nt->n; i = k) {
		e = &nt->v[i];
		for (k = i + 1; k < nt->n &&
		    strcmp(nt->v[k].action, e->action) == 0; k++)
			continue;
		for (t = 0; t < sizeof(told) / sizeof(told[0]); t++)
			if (strcmp(told[t].action, e->action) == 0)
				break;
		if (i > 0)
			html_raw(b, " ");
		if (strcmp(e->action, "undo") == 0) {
			if (k - i > 1) {
				htmlf(b, "Undone: %zu changes.", k - i);
				continue;
			}
			undone(v, b, e);
		} else if (t == sizeof(told) / sizeof(told[0])) {
			html_text(b, e->action);
			html_raw(b, " ");
			mod_target(v, b, e);
			html_raw(b, ".");
		} else if (k - i > 1)
			htmlf(b, "%s%zu%s", told[t].mpre, k - i, told[t].mpost);
		else {
			html_raw(b, told[t].pre);
			mod_target(v, b, e);
			html_raw(b, told[t].post);
			if (told[t].after && e->after != NULL) {
				html_text(b, e->after);
				html_raw(b, ".");
			}
		}
	}
	html_raw(b, "</p>\n");
	if (nt->undo && nt->n > 0) {
		html_raw(b, "<form class=\"inline\" method=\"post\" action=\"");
		view_url(v, b, "/mod/undo");
		htmlf(b, "\">\n<input type=\"hidden\" name=\"batch\" "
		    "value=\"%lld\">\n", nt->v[0].batch);
		mod_hidden(v, b, nt->back);
		html_raw(b, "<button type=\"submit\" class=\"mod-undo\">Undo"
		    "</button></form>\n");
	}
	html_raw(b, "</div>\n");
}

/* --- asking first ---------------------------------------------------------- */

void
view_mod_confirm(const struct view *v, struct buf *b,
    const struct mod_confirm *c)
{
	size_t	 i;

	mod_open(v, b, c->title, "");
	html_raw(b, "<section class=\"mod-ask\" aria-labelledby=\"mod-ask-q\">\n"
	    "<p id=\"mod-ask-q\">");
	html_text(b, c->question);
	html_raw(b, "</p>\n");
	if (c->nitems > 0) {
		html_raw(b, "<ul class=\"mod-ask-items\">\n");
		for (i = 0; i < c->nitems; i++) {
			html_raw(b, "<li>");
			html_text(b, c->items[i]);
			html_raw(b, "</li>\n");
		}
		html_raw(b, "</ul>\n");
	}
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(v, b, c->action);
	html_raw(b, "\">\n");
	mod_hidden(v, b, NULL);
	for (i = 0; i < c->nfields; i++) {
		html_raw(b, "<input type=\"hidden\" name=\"");
		html_attr(b, c->names[i]);
		html_raw(b, "\" value=\"");
		html_attr(b, c->values[i]);
		html_raw(b, "\">\n");
	}
	html_raw(b, "<p class=\"mod-ask-buttons\"><button type=\"submit\" "
	    "name=\"confirm\" value=\"yes\" class=\"mod-danger\">");
	html_text(b, c->yes);
	html_raw(b, "</button>\n<a href=\"");
	view_url(v, b, c->cancel);
	html_raw(b, "\">No, go back</a></p>\n</form>\n</section>\n");
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
