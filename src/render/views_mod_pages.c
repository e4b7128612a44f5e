/* views_mod_pages.c: the moderators' other pages: bans, articles, accounts
 * and the audit log (and its CSV), written through html.h */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "render/html.h"
#include "render/views.h"
#include "render/views_mod_int.h"

/* --- bans ------------------------------------------------------------------ */

/* The kinds of ban, as the form offers them and the list shows them. */
static const struct i18n_word ban_kinds[] = {
	{ "email", N_("e-mail address") },
	{ "addr_hash", N_("address hash") },
	{ "prefix", N_("address prefix (IPv4 /24, IPv6 /48)") },
};

static const char *
ban_kind_label(const char *kind)
{
	return i18n_label(ban_kinds, sizeof(ban_kinds) / sizeof(ban_kinds[0]),
	    kind);
}

void
view_mod_bans(const struct view *v, struct buf *b, const struct ban *bans,
    size_t n, const struct mod_ban_form *f, const char *msg)
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
	mod_form_error(b, msg);
	html_raw(b, "<p class=\"hint\">");
	html_text(b, _("A banned reader's comments go to the spam folder "
	    "without telling them."));
	html_raw(b, "</p>\n<form method=\"post\" action=\"");
	view_url(v, b, "/mod/bans");
	html_raw(b, "\">\n");
	mod_hidden(v, b, NULL);
	html_raw(b, "<p><label for=\"ban-kind\">");
	html_text(b, _("Ban by"));
	html_raw(b, "</label>\n<select id=\"ban-kind\" name=\"kind\">\n");
	for (i = 0; i < sizeof(ban_kinds) / sizeof(ban_kinds[0]); i++)
		mod_option(b, ban_kinds[i].key, _(ban_kinds[i].label),
		    f->kind);
	html_raw(b, "</select></p>\n");
	mod_input(b, "ban-value", "value", _("Value"), "text", f->value,
	    " required maxlength=\"254\"");
	mod_input(b, "ban-reason", "reason", _("Reason (for the other "
	    "moderators)"), "text", f->reason, " maxlength=\"200\"");
	mod_input(b, "ban-days", "days", _("Days (empty: no end)"), "number",
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
	html_raw(b, "<table class=\"mod-table mod-bans\">\n<thead><tr>");
	html_th(b, _("Kind"));
	html_th(b, _("Value"));
	html_th(b, _("Reason"));
	html_th(b, _("Since"));
	html_th(b, _("Until"));
	html_th(b, _("By"));
	html_th_hidden(b, _("Remove"));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr id=\"ban-%lld\">", bans[i].id);
		mod_td(b, _("Kind"));
		html_text(b, ban_kind_label(bans[i].kind));
		html_raw(b, "</td>");
		mod_td(b, _("Value"));
		html_raw(b, "<code>");
		html_text(b, bans[i].value);
		html_raw(b, "</code></td>");
		mod_td(b, _("Reason"));
		html_text(b, bans[i].reason);
		html_raw(b, "</td>");
		mod_td(b, _("Since"));
		view_time(b, bans[i].created);
		html_raw(b, "</td>");
		mod_td(b, _("Until"));
		mod_time_or_never(b, bans[i].expires);
		html_raw(b, "</td>");
		mod_td(b, _("By"));
		html_text(b, bans[i].by != NULL ? bans[i].by : "\xe2\x80\x94");
		html_raw(b, "</td><td class=\"mod-cell-actions\">");
		snprintf(path, sizeof(path), "/mod/bans/%lld/delete",
		    bans[i].id);
		mod_confirm_form(v, b, path, "/mod/bans", _("Remove"),
		    _("Yes, remove the ban"), _("Readers it matches may post "
		    "again at once."));
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

/* The same in words. */
static const char *
mode_words(const char *mode)
{
	if (mode == NULL || strcmp(mode, "default") == 0)
		return C_("mode", "the site's default");
	if (strcmp(mode, "pre") == 0)
		return C_("mode", "pre-moderation");
	if (strcmp(mode, "post") == 0)
		return C_("mode", "post-moderation");
	return mode;
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
	mod_open(v, b, _("Articles"), "/mod/articles");
	html_raw(b, "<details class=\"mod-form mod-new\"");
	if (msg != NULL || f->uri != NULL)
		html_raw(b, " open");
	html_raw(b, "><summary>");
	html_text(b, _("Add an article"));
	html_raw(b, "</summary>\n");
	mod_form_error(b, msg);
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(v, b, "/mod/articles");
	html_raw(b, "\">\n");
	mod_hidden(v, b, NULL);
	mod_input(b, "art-uri", "uri", _("Address (the path its page has, "
	    "e.g. /2026/11/hello/)"), "text", f->uri,
	    " required maxlength=\"1024\" autocomplete=\"off\"");
	mod_input(b, "art-title", "title", _("Title"), "text", f->title,
	    " required maxlength=\"200\"");
	html_raw(b, "<p><label for=\"art-body\">");
	html_text(b, _("Text (optional, Markdown; shown on palaver's own page "
	    "of it)"));
	html_raw(b, "</label>\n<textarea id=\"art-body\" name=\"body\" "
	    "rows=\"6\">");
	if (f->body != NULL)
		html_text(b, f->body);
	html_raw(b, "</textarea></p>\n<p><button type=\"submit\">");
	html_text(b, _("Add"));
	html_raw(b, "</button></p>\n</form>\n</details>\n");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("No articles yet."));
		html_raw(b, "</p>\n");
	} else {
		html_raw(b, "<table class=\"mod-table mod-articles\">\n<thead>"
		    "<tr>");
		html_th(b, _("Article"));
		html_th(b, _("Added"));
		html_th(b, _("Comments"));
		html_th(b, _("State"));
		html_th(b, _("Moderation"));
		html_th_hidden(b, _("Actions"));
		html_raw(b, "</tr></thead>\n<tbody>\n");
	}
	for (i = 0; i < n; i++) {
		htmlf(b, "<tr id=\"article-%lld\">", ar[i].id);
		mod_td(b, _("Article"));
		snprintf(path, sizeof(path), "/mod/articles/%lld", ar[i].id);
		html_raw(b, "<a href=\"");
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, ar[i].title);
		html_raw(b, "</a><br><code class=\"mod-uri\">");
		html_text(b, ar[i].uri);
		html_raw(b, "</code>");
		if (ar[i].title_proposed != NULL) {
			html_raw(b, "<br><span class=\"mod-proposed\">");
			html_text(b, _("a title is proposed"));
			html_raw(b, "</span>");
		}
		html_raw(b, "</td>");
		mod_td(b, _("Added"));
		view_time(b, ar[i].created);
		html_raw(b, "</td>");
		mod_td(b, _("Comments"));
		snprintf(path, sizeof(path), "/mod/?status=approved&article="
		    "%lld", ar[i].id);
		html_raw(b, "<a href=\"");
		view_url(v, b, path);
		html_raw(b, "\">");
		view_count_in(b, NG_("%lld approved", "%lld approved",
		    ar[i].ncomments), ar[i].ncomments);
		html_raw(b, "</a> \xc2\xb7 <a href=\"");
		snprintf(path, sizeof(path), "/mod/?status=pending&article="
		    "%lld", ar[i].id);
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, C_("comments", "pending"));
		html_raw(b, "</a></td>");
		mod_td(b, _("State"));
		html_text(b, ar[i].closed ? (ar[i].auto_closed ?
		    C_("article", "closed by age") : C_("article", "closed")) :
		    C_("article", "open"));
		html_raw(b, "</td>");
		mod_td(b, _("Moderation"));
		html_text(b, mode_words(ar[i].mode));
		html_raw(b, "</td><td class=\"mod-cell-actions\">");
		snprintf(path, sizeof(path), "/mod/articles/%lld/%s", ar[i].id,
		    ar[i].closed ? "open" : "close");
		mod_button_form(v, b, path, self, ar[i].closed ?
		    _("Open") : _("Close"), "mod-button");
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

void
view_mod_article(const struct view *v, struct buf *b,
    const struct article *ar, const char *cfg_mode, const char *msg)
{
	char	 self[64], path[96], def[256];

	snprintf(self, sizeof(self), "/mod/articles/%lld", ar->id);
	mod_open(v, b, ar->title, "");
	mod_form_error(b, msg);
	html_raw(b, "<dl class=\"mod-facts\">\n<dt>");
	html_text(b, _("Address"));
	html_raw(b, "</dt><dd><code>");
	html_text(b, ar->uri);
	html_raw(b, "</code></dd>\n<dt>");
	html_text(b, _("Added"));
	html_raw(b, "</dt><dd>");
	view_time(b, ar->created);
	html_raw(b, "</dd>\n<dt>");
	html_text(b, _("Comments"));
	html_raw(b, "</dt><dd>");
	view_count_in(b, NG_("%lld approved", "%lld approved",
	    ar->ncomments), ar->ncomments);
	html_raw(b, "</dd>\n<dt>");
	html_text(b, _("State"));
	html_raw(b, "</dt><dd id=\"art-state\">");
	if (!ar->closed)
		html_text(b, ar->kept_open && ar->aged ? _("open (reopened: it "
		    "stays open until closed again)") : C_("article", "open"));
	else
		html_text(b, ar->auto_closed ? _("closed by age "
		    "(auto_close_days)") : C_("article", "closed"));
	html_raw(b, "</dd>\n</dl>\n<p class=\"mod-links\"><a href=\"");
	snprintf(path, sizeof(path), "/articles/%lld", ar->id);
	view_url(v, b, path);
	html_raw(b, "\">");
	html_text(b, _("Its page"));
	html_raw(b, "</a> \xc2\xb7 <a href=\"");
	snprintf(path, sizeof(path), "/mod/?status=pending&article=%lld",
	    ar->id);
	view_url(v, b, path);
	html_raw(b, "\">");
	html_text(b, _("Its pending comments"));
	html_raw(b, "</a> \xc2\xb7 <a href=\"");
	snprintf(path, sizeof(path), "/mod/audit?target=article%%3A%lld",
	    ar->id);
	view_url(v, b, path);
	html_raw(b, "\">");
	html_text(b, _("Its history"));
	html_raw(b, "</a></p>\n");

	html_raw(b, "<section class=\"mod-form\" aria-labelledby=\"art-open-h\">"
	    "\n<h2 id=\"art-open-h\">");
	html_text(b, _("New comments"));
	html_raw(b, "</h2>\n<p>");
	snprintf(path, sizeof(path), "/mod/articles/%lld/%s", ar->id,
	    ar->closed ? "open" : "close");
	html_text(b, ar->closed ? _("Closed: readers cannot comment.") :
	    _("Open: readers can comment."));
	html_raw(b, "</p>\n");
	mod_button_form(v, b, path, self, ar->closed ? _("Open it") :
	    _("Close it"), "mod-button");
	html_raw(b, "\n</section>\n<section class=\"mod-form\" "
	    "aria-labelledby=\"art-mode-h\">\n<h2 id=\"art-mode-h\">");
	html_text(b, _("Moderation"));
	html_raw(b, "</h2>\n<form method=\"post\" action=\"");
	snprintf(path, sizeof(path), "/mod/articles/%lld/mode", ar->id);
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, self);
	html_raw(b, "<p><label for=\"art-mode\">");
	html_text(b, _("New comments"));
	html_raw(b, "</label>\n<select id=\"art-mode\" name=\"mode\">\n");
	/* TRANSLATORS: %s is pre-moderation or post-moderation. */
	snprintf(def, sizeof(def), _("the site's default (%s)"),
	    mode_words(cfg_mode));
	mod_option(b, "default", def, mode_label(ar->mode));
	mod_option(b, "pre", _("pre: every comment waits for a moderator"),
	    ar->mode);
	mod_option(b, "post", _("post: published at once, unless held as "
	    "spam"), ar->mode);
	html_raw(b, "</select></p>\n<p><button type=\"submit\">");
	html_text(b, _("Save mode"));
	html_raw(b, "</button></p>\n</form>\n</section>\n<section "
	    "class=\"mod-form\" aria-labelledby=\"art-title-h\">\n"
	    "<h2 id=\"art-title-h\">");
	html_text(b, _("Title"));
	html_raw(b, "</h2>\n");
	if (ar->title_proposed != NULL) {
		html_raw(b, "<p class=\"mod-proposed\">");
		/* TRANSLATORS: the proposed title stands for %s, quoted. */
		view_q_in(b, _("Its page proposed: %s. Until a moderator takes "
		    "it or gives another, the article shows its address."),
		    ar->title_proposed);
		html_raw(b, "</p>\n");
		snprintf(path, sizeof(path), "/mod/articles/%lld/proposed",
		    ar->id);
		mod_button_form(v, b, path, self, _("Use the proposed title"),
		    "mod-button");
		html_raw(b, "\n");
	}
	html_raw(b, "<form method=\"post\" action=\"");
	snprintf(path, sizeof(path), "/mod/articles/%lld/title", ar->id);
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, self);
	mod_input(b, "art-title", "title", _("Title"), "text", ar->title,
	    " required maxlength=\"200\"");
	html_raw(b, "<p><button type=\"submit\">");
	html_text(b, _("Save title"));
	html_raw(b, "</button></p>\n</form>\n</section>\n");
	mod_close(b);
}

/* --- accounts -------------------------------------------------------------- */

void
view_mod_users(const struct view *v, struct buf *b,
    const struct moderator *mods, size_t n, const char *msg)
{
	char	 path[64], id[32];
	size_t	 i;

	mod_open(v, b, _("Users"), "/mod/users");
	mod_form_error(b, msg);
	html_raw(b, "<table class=\"mod-table mod-users\">\n<thead><tr>");
	html_th(b, _("Name"));
	html_th(b, _("Role"));
	html_th(b, _("Created"));
	html_th(b, _("Last login"));
	html_th(b, _("New password"));
	html_th_hidden(b, _("Delete"));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_raw(b, "<tr id=\"user-");
		html_attr(b, mods[i].name);
		html_raw(b, "\">");
		mod_td(b, _("Name"));
		html_text(b, mods[i].name);
		html_raw(b, "</td>");
		mod_td(b, _("Role"));
		html_text(b, mods[i].admin ? C_("role", "admin") :
		    C_("role", "moderator"));
		html_raw(b, "</td>");
		mod_td(b, _("Created"));
		view_time(b, mods[i].created);
		html_raw(b, "</td>");
		mod_td(b, _("Last login"));
		mod_time_or_never(b, mods[i].last_login);
		html_raw(b, "</td>");
		mod_td(b, _("New password"));
		snprintf(path, sizeof(path), "/mod/users/%lld/password",
		    mods[i].id);
		snprintf(id, sizeof(id), "pw-%lld", mods[i].id);
		html_raw(b, "<form class=\"mod-pw\" method=\"post\" action=\"");
		view_url(v, b, path);
		html_raw(b, "\">\n");
		mod_hidden(v, b, NULL);
		htmlf(b, "<label for=\"%s\" class=\"visually-hidden\">", id);
		html_textf(b, _("New password for %s"), mods[i].name);
		htmlf(b, "</label><input id=\"%s\" name=\"password\" "
		    "type=\"password\" autocomplete=\"new-password\" "
		    "minlength=\"12\" required>\n<button type=\"submit\">", id);
		/* TRANSLATORS: sets a new password. */
		html_text(b, C_("password", "Set"));
		html_raw(b, "</button></form></td><td class=\"mod-cell-actions\">");
		if (mods[i].id != v->mod->id) {
			snprintf(path, sizeof(path), "/mod/users/%lld/delete",
			    mods[i].id);
			mod_confirm_form(v, b, path, NULL, _("Delete"),
			    _("Yes, delete the account"), _("Their sessions "
			    "end now; what they did stays in the audit log."));
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
	mod_hidden(v, b, NULL);
	mod_input(b, "user-name", "name", _("Name"), "text", NULL,
	    " required maxlength=\"64\" autocomplete=\"off\"");
	html_raw(b, "<p><label for=\"user-role\">");
	html_text(b, _("Role"));
	html_raw(b, "</label>\n<select id=\"user-role\" name=\"role\">\n");
	mod_option(b, "moderator", C_("role", "moderator"), "moderator");
	mod_option(b, "admin", C_("role", "admin"), NULL);
	html_raw(b, "</select></p>\n");
	mod_input(b, "user-password", "password", _("Password (at least 12 "
	    "characters, not the name)"), "password", NULL,
	    " required minlength=\"12\" autocomplete=\"new-password\"");
	html_raw(b, "<p><button type=\"submit\">");
	html_text(b, _("Add"));
	html_raw(b, "</button></p>\n</form>\n</section>\n");
	mod_close(b);
}

/* --- the audit log --------------------------------------------------------- */

/* Every action the log holds, for the filter's choices, in words. */
static const struct i18n_word audit_actions[] = {
	{ "approve", N_("approve") }, { "spam", N_("spam") },
	{ "delete", N_("delete") }, { "edit", N_("edit") },
	{ "undo", N_("undo") }, { "ban", N_("ban") }, { "unban", N_("unban") },
	{ "article-add", N_("add an article") }, { "close", N_("close") },
	{ "open", N_("open") }, { "mode", N_("moderation mode") },
	{ "title", N_("title") }, { "login", N_("login") },
	{ "login-failed", N_("failed login") },
	{ "login-throttled", N_("throttled login") },
	{ "logout", N_("logout") }, { "user-add", N_("add an account") },
	{ "user-del", N_("delete an account") },
	{ "user-passwd", N_("new password") }, { "import", N_("import") },
	{ "report", N_("a reader's report") },
	{ "votes-reset", N_("reset votes") },
};

/* An action of the log in words; one this palaver does not know as
 * it is. */
static const char *
action_words(const char *action)
{
	return i18n_label(audit_actions,
	    sizeof(audit_actions) / sizeof(audit_actions[0]), action);
}

/* A reader's report as the log holds it, "REASON" or "REASON: TEXT"
 * (domain/votes.c): the reason in words, the reader's text as it is. */
static void
report_change(struct buf *b, const char *s)
{
	const char	*colon = strstr(s, ": ");
	char		 word[32];
	size_t		 n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	enum report_reason why;

	if (n >= sizeof(word)) {
		html_text(b, s);
		return;
	}
	memcpy(word, s, n);
	word[n] = '\0';
	if ((why = report_reason_parse(word)) == RR__MAX) {
		html_text(b, s);
		return;
	}
	html_text(b, view_report_word((int)why));
	if (colon != NULL)
		html_text(b, colon);
}

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
	html_raw(b, "\" role=\"search\" aria-label=\"");
	html_attr(b, _("Filter the log"));
	html_raw(b, "\">\n");
	mod_input(b, "f-who", "who", _("Who"), "text", q->actor,
	    " maxlength=\"200\"");
	html_raw(b, "<p><label for=\"f-what\">");
	html_text(b, _("Action"));
	html_raw(b, "</label>\n<select id=\"f-what\" name=\"what\">\n");
	mod_option(b, "", C_("action", "any"), q->action != NULL ?
	    q->action : "");
	for (i = 0; i < sizeof(audit_actions) / sizeof(audit_actions[0]); i++)
		mod_option(b, audit_actions[i].key,
		    _(audit_actions[i].label), q->action);
	html_raw(b, "</select></p>\n");
	/* TRANSLATORS: comment:42 is how the log names a target: keep it. */
	mod_input(b, "f-target", "target", _("Target (e.g. comment:42)"),
	    "text", q->target, " maxlength=\"200\"");
	mod_input(b, "f-from", "from", _("From (UTC)"), "date", ma->from, "");
	mod_input(b, "f-to", "to", _("To (UTC, inclusive)"), "date", ma->to,
	    "");
	html_raw(b, "<p class=\"mod-filter-buttons\"><button type=\"submit\">");
	html_text(b, _("Filter"));
	html_raw(b, "</button>\n<a href=\"");
	view_url(v, b, "/mod/audit");
	html_raw(b, "\">");
	html_text(b, _("Clear"));
	html_raw(b, "</a></p>\n</form>\n");
}

void
view_mod_audit(const struct view *v, struct buf *b, const struct mod_audit *ma)
{
	const struct audit_entry *log = ma->v;
	struct buf	 u = BUF_INIT;
	size_t		 i;

	mod_open(v, b, _("Audit log"), "/mod/audit");
	audit_filters(v, b, ma);
	audit_query(&u, ma);
	if (v->mod->admin) {
		html_raw(b, "<p class=\"mod-links\"><a href=\"");
		view_url(v, b, "/mod/audit.csv");
		html_attr(b, buf_str(&u));
		html_raw(b, "\" download>");
		html_text(b, _("Export these entries as CSV"));
		html_raw(b, "</a></p>\n");
	}
	if (ma->n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("Nothing matches."));
		html_raw(b, "</p>\n");
	} else {
		html_raw(b, "<table class=\"mod-table mod-audit\">\n<thead>"
		    "<tr>");
		html_th(b, _("When"));
		html_th(b, _("Who"));
		html_th(b, _("Action"));
		html_th(b, _("Target"));
		html_th(b, _("Change"));
		html_raw(b, "</tr></thead>\n<tbody>\n");
	}
	for (i = 0; i < ma->n; i++) {
		htmlf(b, "<tr id=\"a%lld\">", log[i].id);
		mod_td(b, _("When"));
		view_time(b, log[i].at);
		html_raw(b, "</td>");
		mod_td(b, _("Who"));
		/* The command line acts as "cli" (README, Command line),
		 * a reader's report as "reader" (never who). */
		html_text(b, strcmp(log[i].actor, "cli") == 0 ?
		    _("the command line") : strcmp(log[i].actor, "reader") ==
		    0 ? _("a reader") : log[i].actor);
		html_raw(b, "</td>");
		mod_td(b, _("Action"));
		html_text(b, action_words(log[i].action));
		html_raw(b, "</td>");
		mod_td(b, _("Target"));
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
			html_raw(b, "\">");
			html_text(b, _("in context"));
			html_raw(b, "</a>");
			if (p.err)
				b->err = 1;
			buf_free(&p);
		}
		html_raw(b, "</td>");
		mod_td(b, _("Change"));
		if (log[i].before != NULL) {
			html_raw(b, "<del class=\"mod-before\">");
			mod_change(b, log[i].before);
			html_raw(b, "</del>");
		}
		if (log[i].after != NULL) {
			html_raw(b, "<ins class=\"mod-after\">");
			if (strcmp(log[i].action, "report") == 0)
				report_change(b, log[i].after);
			else
				mod_change(b, log[i].after);
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
		htmlf(b, "%sbefore=%lld\">", u.len > 0 ? "&amp;" : "?",
		    ma->next);
		html_text(b, _("Older entries"));
		html_raw(b, "</a></nav>\n");
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
