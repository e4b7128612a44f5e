/* views_mod.c: what the moderators' pages share, written through html.h:
 * the login, the bar, the notice of what was just done, asking first */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "render/html.h"
#include "render/views.h"
#include "render/views_mod_int.h"

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
	{ "/mod/", N_("Queue"), 0 },
	{ "/mod/bans", N_("Bans"), 0 },
	{ "/mod/articles", N_("Articles"), 0 },
	{ "/mod/audit", N_("Audit"), 0 },
	{ "/mod/users", N_("Users"), 1 },
	{ "/mod/deliveries", N_("Deliveries"), 1 },
	{ "/mod/account", N_("Account"), 0 },
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
	mod_button_form(v, b, "/mod/logout", NULL, _("Log out"), "inline");
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
		html_text(b, _("never"));
}

void
mod_input(struct buf *b, const char *id, const char *name, const char *label,
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

/*
 * How each action is told: one row ("Approved comment:42."; %1$s the
 * target, a link, %2$s what it became), or many of the same ("Approved 3
 * comments.", by the language's plural).
 */
static const struct {
	const char	*action;
	const char	*one;
	const char	*many, *many_pl;
} told[] = {
	{ "approve", N_("Approved %s."),
	    NN_("Approved %zu comment.", "Approved %zu comments.") },
	{ "spam", N_("Marked %s as spam."),
	    NN_("Marked %zu comment as spam.", "Marked %zu comments as "
	    "spam.") },
	{ "delete", N_("Deleted %s."),
	    NN_("Deleted %zu comment.", "Deleted %zu comments.") },
	{ "edit", N_("Saved your edit of %s."),
	    NN_("Saved %zu edit.", "Saved %zu edits.") },
	{ "ban", N_("Banned %s: %s."),
	    NN_("Made %zu ban.", "Made %zu bans.") },
	{ "unban", N_("Lifted %s."),
	    NN_("Lifted %zu ban.", "Lifted %zu bans.") },
	{ "close", N_("Closed %s."),
	    NN_("Closed %zu article.", "Closed %zu articles.") },
	{ "open", N_("Opened %s; it stays open until it is closed again."),
	    NN_("Opened %zu article.", "Opened %zu articles.") },
	{ "mode", N_("Moderation of %s is now: %s."),
	    NN_("Changed %zu mode.", "Changed %zu modes.") },
	{ "title", N_("The title of %s is now: %s."),
	    NN_("Changed %zu title.", "Changed %zu titles.") },
	{ "article-add", N_("Added %s."),
	    NN_("Added %zu article.", "Added %zu articles.") },
	{ "user-add", N_("Added the account %s."),
	    NN_("Added %zu account.", "Added %zu accounts.") },
	{ "user-del", N_("Deleted the account %s."),
	    NN_("Deleted %zu account.", "Deleted %zu accounts.") },
	{ "user-passwd", N_("Set a new password for %s."),
	    NN_("Set %zu password.", "Set %zu passwords.") },
};

/* One word the log keeps (a status, an article's state, a mode), in
 * words, or NULL. */
static const char *
log_word(const char *w)
{
	enum cstatus	 st;

	if ((st = cstatus_parse(w)) != CS__MAX)
		return view_status_word((int)st);
	if (strcmp(w, "open") == 0)
		return C_("article", "open");
	if (strcmp(w, "closed") == 0)
		return C_("article", "closed");
	if (strcmp(w, "closed by age") == 0)
		return C_("article", "closed by age");
	if (strcmp(w, "pre") == 0)
		return C_("mode", "pre-moderation");
	if (strcmp(w, "post") == 0)
		return C_("mode", "post-moderation");
	if (strcmp(w, "default") == 0)
		return C_("mode", "the site's default");
	return NULL;
}

void
mod_change(struct buf *b, const char *s)
{
	const char	*w, *semi, *why;
	char		 date[64];
	size_t		 n;

	if ((w = log_word(s)) != NULL) {
		html_text(b, w);
		return;
	}
	/* A ban: "KIND:VALUE; no end|until DATE; reason: TEXT", as
	 * moderate_ban_describe writes it. */
	if ((strncmp(s, "email:", 6) != 0 && strncmp(s, "addr_hash:", 10) != 0 &&
	    strncmp(s, "prefix:", 7) != 0) || (semi = strstr(s, "; ")) == NULL ||
	    (why = strstr(semi, "; reason: ")) == NULL) {
		html_text(b, s);
		return;
	}
	html_textn(b, s, (size_t)(semi - s));
	html_raw(b, "; ");
	n = (size_t)(why - semi) - 2;
	if (n == 6 && strncmp(semi + 2, "no end", 6) == 0)
		html_text(b, _("no end"));
	else if (n > 6 && n - 6 < sizeof(date) &&
	    strncmp(semi + 2, "until ", 6) == 0) {
		memcpy(date, semi + 8, n - 6);
		date[n - 6] = '\0';
		html_textf(b, _("until %s"), date);
	} else
		html_textn(b, semi + 2, n);
	html_raw(b, "; ");
	why += strlen("; reason: ");
	html_textf(b, _("reason: %s"), strcmp(why, "(none given)") == 0 ?
	    _("(none given)") : why);
}

/*
 * fmt, a translated sentence, with %s (or %1$s) the row's target (a
 * link) and a second %s (or %2$s) s2, escaped like the rest.
 */
static void
say(const struct view *v, struct buf *b, const char *fmt,
    const struct audit_entry *e, const char *s2)
{
	const char	*p;
	int		 k, seq = 0;
	size_t		 n;

	for (p = fmt; *p != '\0'; ) {
		k = 0;
		if (p[0] == '%' && p[1] == 's') {
			k = ++seq;
			p += 2;
		} else if (p[0] == '%' && (p[1] == '1' || p[1] == '2') &&
		    p[2] == '$' && p[3] == 's') {
			k = p[1] - '0';
			p += 4;
		}
		if (k == 1)
			mod_target(v, b, e);
		else if (k == 2)
			mod_change(b, s2 != NULL ? s2 : "");
		else {
			n = strcspn(p + 1, "%") + 1;
			html_textn(b, p, n);
			p += n;
		}
	}
}

/* One undo row: what came back. */
static void
undone(const struct view *v, struct buf *b, const struct audit_entry *e)
{
	if (strncmp(e->target, "ban:", 4) == 0)
		say(v, b, _("Undone: %s is lifted."), e, NULL);
	else if (e->after != NULL && cstatus_parse(e->after) != CS__MAX)
		say(v, b, _("Undone: %s is %s again."), e, e->after);
	else
		say(v, b, _("Undone: %s has its text back."), e, NULL);
}

static void
notice(const struct view *v, struct buf *b, const struct mod_notice *nt)
{
	const struct audit_entry *e;
	size_t		 i, k, t;

	html_raw(b, "<div class=\"mod-notice\" role=\"status\" "
	    "id=\"mod-notice\">\n<p>");
	if (nt->unchanged || nt->n == 0)
		html_text(b, _("Nothing changed: it was that way already."));
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
				html_textf(b, NG_("Undone: %zu change.",
				    "Undone: %zu changes.", k - i), k - i);
				continue;
			}
			undone(v, b, e);
		} else if (t == sizeof(told) / sizeof(told[0])) {
			html_text(b, e->action);
			html_raw(b, " ");
			mod_target(v, b, e);
			html_raw(b, ".");
		} else if (k - i > 1)
			view_count_in(b, dngettext(I18N_DOMAIN, told[t].many,
			    told[t].many_pl, (unsigned long)(k - i)),
			    (long long)(k - i));
		else
			say(v, b, _(told[t].one), e, e->after != NULL ?
			    e->after : "");
	}
	html_raw(b, "</p>\n");
	if (nt->undo && nt->n > 0) {
		html_raw(b, "<form class=\"inline\" method=\"post\" action=\"");
		view_url(v, b, "/mod/undo");
		htmlf(b, "\">\n<input type=\"hidden\" name=\"batch\" "
		    "value=\"%lld\">\n", nt->v[0].batch);
		mod_hidden(v, b, nt->back);
		html_raw(b, "<button type=\"submit\" class=\"mod-undo\">");
		html_text(b, _("Undo"));
		html_raw(b, "</button></form>\n");
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
	html_raw(b, "\">");
	html_text(b, _("No, go back"));
	html_raw(b, "</a></p>\n</form>\n</section>\n");
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
