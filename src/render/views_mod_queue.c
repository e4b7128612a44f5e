/* views_mod_queue.c: the moderation queue, one comment's card, and the
 * form that bans a comment's poster, written through html.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "render/html.h"
#include "render/views.h"
#include "render/views_mod_int.h"

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

/* --- one comment's card ---------------------------------------------------- */

/* The per-item actions: one form, a button each (the status it is in
 * already is not offered), delete behind a question.  data-key ties a
 * control to mod.js's keys.  Bans ask how and why on a page of their
 * own. */
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
	};
	const struct comment	*c = &it->c;
	struct buf		 u = BUF_INIT;
	char			 path[80];
	size_t			 i;

	snprintf(path, sizeof(path), "/mod/comments/%lld/approve", c->id);
	html_raw(b, "<form class=\"mod-actions\" method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, back);
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
	if (c->status != CS_DELETED) {
		snprintf(path, sizeof(path), "/mod/comments/%lld/delete",
		    c->id);
		html_raw(b, "<details class=\"mod-confirm\" data-key=\"d\">"
		    "<summary>");
		html_text(b, _("Delete\xe2\x80\xa6"));
		html_raw(b, "</summary>\n<p>");
		html_text(b, _("Hidden from readers, kept for the record; Undo "
		    "brings it back."));
		html_raw(b, "</p>\n<button type=\"submit\" formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\" name=\"confirm\" value=\"yes\" "
		    "class=\"mod-danger\">");
		html_text(b, _("Yes, delete it"));
		html_raw(b, "</button></details>\n");
	}
	/* Votes a flood or a ring gave: taken back, audited. */
	if (c->up > 0 || c->down > 0) {
		snprintf(path, sizeof(path), "/mod/comments/%lld/unvote",
		    c->id);
		html_raw(b, "<button type=\"submit\" class=\"mod-unvote\" "
		    "formaction=\"");
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, _("Reset votes"));
		html_raw(b, "</button>\n");
	}
	html_raw(b, "</form>\n");
	for (i = 0; i < 2; i++) {
		const char *kind = i == 0 ? "email" : "addr_hash";
		const char *have = i == 0 ? c->email : c->addr_hash;

		if (have == NULL || *have == '\0')
			continue;
		if (u.len == 0)
			html_raw(b, "<p class=\"mod-ban-links\">");
		buf_reset(&u);
		buf_printf(&u, "/mod/comments/%lld/ban?kind=%s", c->id, kind);
		if (back != NULL) {
			buf_puts(&u, "&back=");
			html_url_arg(&u, back);
		}
		html_raw(b, "<a class=\"mod-ban\" href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">");
		html_text(b, i == 0 ? _("Ban e-mail\xe2\x80\xa6") :
		    _("Ban address\xe2\x80\xa6"));
		html_raw(b, "</a>\n");
	}
	if (u.len > 0)
		html_raw(b, "</p>\n");
	if (u.err)
		b->err = 1;
	buf_free(&u);
}

/* Readers' open reports: what they said, never who. */
static void
item_reports(struct buf *b, const struct queue_item *it)
{
	size_t	 i;

	html_raw(b, "<dt>");
	html_text(b, _("Reports"));
	html_raw(b, "</dt><dd>");
	view_count_in(b, NG_("%zu open", "%zu open", it->nreports),
	    (long long)it->nreports);
	html_raw(b, "<ul class=\"mod-reports\">");
	for (i = 0; i < it->nreports; i++) {
		html_raw(b, "<li>");
		html_text(b, view_report_word(it->reports[i].reason));
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
	mod_hidden(v, b, back);
	htmlf(b, "<p><label for=\"edit-%lld\">", c->id);
	html_text(b, _("Markdown source"));
	htmlf(b, "</label>\n<textarea id=\"edit-%lld\" name=\"body\" "
	    "rows=\"8\" required>", c->id);
	html_text(b, c->body);
	html_raw(b, "</textarea></p>\n<p><button type=\"submit\">");
	html_text(b, _("Save edit"));
	html_raw(b, "</button></p>\n</form>\n</details>\n");
}

/*
 * The spam score once, then why: each reason's own score ("0.60 no form
 * token") is said only when it is below the comment's, since the highest
 * is the score already shown.
 */
static void
item_score(struct buf *b, const struct comment *c)
{
	const char	*p = c->reasons, *nl, *sp;
	char		*end;
	double		 sc;
	size_t		 n;

	html_raw(b, "<dt>");
	html_text(b, _("Spam score"));
	html_raw(b, "</dt><dd><span class=\"mod-score\">");
	view_score(b, c->score);
	html_raw(b, "</span></dd>\n");
	if (*p == '\0')
		return;
	html_raw(b, "<dt>");
	html_text(b, _("Why"));
	html_raw(b, "</dt><dd><ul class=\"mod-reasons\">\n");
	for (; *p != '\0'; p = *nl == '\0' ? nl : nl + 1) {
		nl = p + strcspn(p, "\n");
		n = (size_t)(nl - p);
		sc = strtod(p, &end);
		sp = end > p && end < nl && *end == ' ' ? end + 1 : p;
		html_raw(b, "<li>");
		html_textn(b, sp, n - (size_t)(sp - p));
		if (sp != p && sc < c->score - 0.005) {
			html_raw(b, " <span class=\"mod-reason-score\">(");
			view_score(b, sc);
			html_raw(b, ")</span>");
		}
		html_raw(b, "</li>\n");
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
	    "<article aria-labelledby=\"c%lld-h\">\n<header>\n", c->id,
	    c->id);
	/* On the queue, a box for the bulk form. */
	if (mq != NULL) {
		htmlf(b, "<input type=\"checkbox\" form=\"bulk\" name=\"id\" "
		    "value=\"%lld\" id=\"sel-%lld\"%s>\n<label for=\"sel-%lld\" "
		    "class=\"visually-hidden\">", c->id, c->id,
		    mq->select_all ? " checked" : "", c->id);
		html_textf(b, _("Select comment %lld"), c->id);
		html_raw(b, "</label>\n");
	}
	htmlf(b, "<h2 id=\"c%lld-h\">", c->id);
	html_text(b, it->article_title);
	/* In context: the page that holds it, for a comment of any status
	 * (the public permalink finds only what readers see). */
	html_raw(b, "</h2>\n<a class=\"mod-context\" href=\"");
	if (it->context == NULL)
		view_permalink(&u, c->id);
	view_url(v, b, it->context != NULL ? it->context : buf_str(&u));
	html_raw(b, "\">");
	html_text(b, _("View in context"));
	html_raw(b, "</a>\n");
	snprintf(path, sizeof(path), "/mod/comments/%lld", c->id);
	html_raw(b, "<a class=\"mod-card\" href=\"");
	view_url(v, b, path);
	html_raw(b, "\">");
	html_textf(b, _("Comment %lld"), c->id);
	html_raw(b, "</a>\n");
	if (mq != NULL && mq->article == 0) {
		buf_reset(&u);
		buf_printf(&u, "/mod/?status=%s&article=%lld",
		    cstatus_str(mq->status), c->article);
		html_raw(b, "<a class=\"mod-only\" href=\"");
		view_url(v, b, buf_str(&u));
		html_raw(b, "\">");
		html_text(b, _("Only this article"));
		html_raw(b, "</a>\n");
	}
	html_raw(b, "</header>\n<dl class=\"mod-facts\">\n");
	if (mq == NULL || (int)c->status != mq->status) {
		html_raw(b, "<dt>");
		html_text(b, _("Status"));
		html_raw(b, "</dt><dd>");
		html_text(b, view_status_word((int)c->status));
		html_raw(b, "</dd>\n");
	}
	html_raw(b, "<dt>");
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
	html_raw(b, "</dt><dd>");
	if (c->addr_hash != NULL) {
		html_raw(b, "<code>");
		html_text(b, c->addr_hash);
		html_raw(b, "</code>");
	} else
		html_text(b, _("unknown"));
	html_raw(b, "</dd>\n");
	item_score(b, c);
	html_raw(b, "<dt>");
	html_text(b, _("Posted"));
	html_raw(b, "</dt><dd>");
	view_time(b, c->created);
	if (c->edited) {
		html_raw(b, " ");
		view_time_in(b, _("(edited %s)"), c->edited);
	}
	html_raw(b, "</dd>\n");
	if (c->up > 0 || c->down > 0) {
		html_raw(b, "<dt>");
		html_text(b, _("Votes"));
		html_raw(b, "</dt><dd>");
		/* TRANSLATORS: the votes a comment has, on the desk's card. */
		view_count_in(b, NG_("%lld up", "%lld up", c->up), c->up);
		html_raw(b, ", ");
		view_count_in(b, NG_("%lld down", "%lld down", c->down),
		    c->down);
		html_raw(b, "</dd>\n");
	}
	if (it->nreports > 0)
		item_reports(b, it);
	html_raw(b, "</dl>\n");
	if (it->parent_author != NULL) {
		htmlf(b, "<div class=\"mod-parent\">\n<p id=\"c%lld-p\">",
		    c->id);
		if (it->parent_status != CS_APPROVED)
			/* TRANSLATORS: "In reply to NAME (pending):" */
			view_strong_in(b, C_("queue", "In reply to %s (%s):"),
			    it->parent_author,
			    view_status_word((int)it->parent_status));
		else
			view_strong_in(b, C_("queue", "In reply to %s:"),
			    it->parent_author, NULL);
		/* Rendered and sanitised once, at write time, by markup.c;
		 * a long one scrolls in its own region. */
		htmlf(b, "</p>\n<blockquote class=\"body\" tabindex=\"0\" "
		    "aria-labelledby=\"c%lld-p\">", c->id);
		html_raw(b, it->parent_html != NULL ? it->parent_html : "");
		html_raw(b, "</blockquote>\n</div>\n");
	}
	html_raw(b, "<div class=\"body\">");
	/* Rendered and sanitised once, at write time, by markup.c. */
	html_raw(b, c->html);
	html_raw(b, "</div>\n");
	item_actions(v, b, it, back);
	item_edit(v, b, c, back);
	html_raw(b, "</article>\n</li>\n");
	if (u.err)
		b->err = 1;
	buf_free(&u);
}

/* --- the queue ------------------------------------------------------------- */

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
		{ "d", N_("delete it (asks first: Enter to confirm)") },
		{ "u", N_("undo the last action") },
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

/* The bulk form: what fits the tab (never what the comments are
 * already), nothing chosen, and select-all by a link that works without
 * script (mod.js ticks the boxes in place instead). */
static void
queue_bulk(const struct view *v, struct buf *b, const struct mod_queue *mq,
    const char *self)
{
	static const struct {
		const char	*word, *label;
		enum cstatus	 is;
	} acts[] = {
		{ "approve", N_("Approve"), CS_APPROVED },
		{ "spam", N_("Mark spam"), CS_SPAM },
		{ "delete", N_("Delete (asks first)"), CS_DELETED },
	};
	size_t	 i;

	/* Checkboxes join this form through their form="bulk" attribute:
	 * forms cannot nest, and each item has its own. */
	html_raw(b, "<form id=\"bulk\" class=\"mod-bulk\" method=\"post\" "
	    "action=\"");
	view_url(v, b, "/mod/comments/bulk");
	html_raw(b, "\">\n");
	mod_hidden(v, b, self);
	html_raw(b, "<a class=\"mod-selall\" href=\"");
	view_url(v, b, self);
	if (!mq->select_all) {
		html_attr(b, "&select=all");
		html_raw(b, "\" data-all=\"0\">");
		view_count_in(b, NG_("Select all %zu", "Select all %zu",
		    mq->n), (long long)mq->n);
		html_raw(b, "</a>\n");
	} else {
		html_raw(b, "\" data-all=\"1\">");
		html_text(b, _("Select none"));
		html_raw(b, "</a>\n");
	}
	html_raw(b, "<label for=\"bulk-action\">");
	html_text(b, _("With the selected comments:"));
	html_raw(b, "</label>\n<select id=\"bulk-action\" name=\"action\" "
	    "required>\n<option value=\"\" selected>");
	html_text(b, _("Choose an action\xe2\x80\xa6"));
	html_raw(b, "</option>\n");
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if ((int)acts[i].is != mq->status) {
			htmlf(b, "<option value=\"%s\">", acts[i].word);
			html_text(b, _(acts[i].label));
			html_raw(b, "</option>\n");
		}
	html_raw(b, "</select>\n<button type=\"submit\">");
	html_text(b, _("Apply"));
	html_raw(b, "</button>\n</form>\n");
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
		queue_bulk(v, b, mq, buf_str(&self));
		html_raw(b, "<ol class=\"mod-queue\">\n");
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

void
view_mod_comment(const struct view *v, struct buf *b,
    const struct queue_item *it)
{
	char	 title[128], self[64], path[96];

	snprintf(title, sizeof(title), _("Comment %lld"), it->c.id);
	snprintf(self, sizeof(self), "/mod/comments/%lld", it->c.id);
	mod_open(v, b, title, "");
	html_raw(b, "<ol class=\"mod-queue mod-one\">\n");
	item(v, b, NULL, it, self);
	html_raw(b, "</ol>\n<p class=\"mod-links\"><a href=\"");
	snprintf(path, sizeof(path), "/mod/?status=%s&article=%lld",
	    cstatus_str(it->c.status), it->c.article);
	view_url(v, b, path);
	html_raw(b, "\">");
	/* TRANSLATORS: %s is a tab: Pending, Spam, Approved, Deleted. */
	html_textf(b, _("The %s tab of this article"),
	    (unsigned)it->c.status < CS__MAX ? _(tab_labels[it->c.status]) :
	    "?");
	html_raw(b, "</a> \xc2\xb7 <a href=\"");
	snprintf(path, sizeof(path), "/mod/audit?target=comment%%3A%lld",
	    it->c.id);
	view_url(v, b, path);
	html_raw(b, "\">");
	html_text(b, _("Its history in the audit log"));
	html_raw(b, "</a></p>\n<script src=\"");
	view_url(v, b, "/static/mod.js");
	html_raw(b, "\" defer></script>\n");
	mod_close(b);
}

/* --- a ban from a comment ---------------------------------------------------- */

void
view_mod_ban_comment(const struct view *v, struct buf *b,
    const struct mod_ban_comment *f)
{
	static const struct {
		const char	*days, *label;
	} spans[] = {
		{ "1", N_("1 day") },
		{ "7", N_("7 days") },
		{ "30", N_("30 days") },
		{ "90", N_("90 days") },
		{ "365", N_("1 year") },
		{ "", N_("No end") },
	};
	const struct comment	*c = &f->it->c;
	int			 email = strcmp(f->kind, "email") == 0;
	char			 path[80];
	size_t			 i;

	mod_open(v, b, email ? _("Ban an e-mail address") :
	    _("Ban an address"), "");
	mod_form_error(b, f->error);
	html_raw(b, "<section class=\"mod-ban-from\" aria-labelledby=\"ban-c\">\n"
	    "<h2 id=\"ban-c\">");
	/* TRANSLATORS: Comment 12 by NAME on TITLE */
	html_textf(b, _("Comment %lld by %s on %s"), c->id, c->author,
	    f->it->article_title);
	html_raw(b, "</h2>\n<div class=\"body\">");
	html_raw(b, c->html);	/* rendered and sanitised at write time */
	html_raw(b, "</div>\n</section>\n<form class=\"mod-form\" "
	    "method=\"post\" action=\"");
	snprintf(path, sizeof(path), "/mod/comments/%lld/ban", c->id);
	view_url(v, b, path);
	html_raw(b, "\">\n");
	mod_hidden(v, b, f->back);
	html_raw(b, "<input type=\"hidden\" name=\"kind\" value=\"");
	html_attr(b, f->kind);
	html_raw(b, "\">\n<p>");
	if (email) {
		view_code_in(b, _("To be banned: the e-mail address %s. Comments "
		    "sent with it go to the spam folder, and the poster is not "
		    "told."), f->value);
	} else {
		char	 s[1024];

		snprintf(s, sizeof(s), _("To be banned: the poster's address, "
		    "by its keyed hash %%s. Comments from that address go to "
		    "the spam folder, and the poster is not told. Address keys "
		    "change every %ld days, so such a ban ends after %ld days "
		    "at most (a ban by network prefix, on the Bans page, does "
		    "not)."), f->key_days, 2 * f->key_days);
		view_code_in(b, s, f->value);
	}
	html_raw(b, "</p>\n<p><label for=\"ban-days\">");
	html_text(b, _("For how long"));
	html_raw(b, "</label>\n<select id=\"ban-days\" name=\"days\">\n");
	for (i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
		mod_option(b, spans[i].days, _(spans[i].label), f->days);
	html_raw(b, "</select></p>\n");
	mod_input(b, "ban-reason", "reason", _("Reason (for the other "
	    "moderators)"), "text", f->reason, " maxlength=\"200\"");
	html_raw(b, "<fieldset>\n<legend>");
	html_textf(b, _("What happens to comment %lld"), c->id);
	html_raw(b, "</legend>\n");
	for (i = 0; i < 3; i++) {
		static const char *const then[] = { "spam", "delete", "keep" };
		const char *label = i == 0 ? _("Move it to spam (kept, hidden "
		    "from readers)") : i == 1 ? _("Delete it (kept for the "
		    "record, hidden from readers)") : NULL;

		if (i == 0 && c->status == CS_SPAM)
			continue;
		if (i == 1 && c->status == CS_DELETED)
			continue;
		htmlf(b, "<p class=\"mod-radio\"><input type=\"radio\" "
		    "name=\"then\" id=\"then-%s\" value=\"%s\"%s>\n<label "
		    "for=\"then-%s\">", then[i], then[i],
		    strcmp(f->then, then[i]) == 0 ? " checked" : "", then[i]);
		if (label != NULL)
			html_text(b, label);
		else
			html_textf(b, _("Leave it as it is (%s)"),
			    view_status_word((int)c->status));
		html_raw(b, "</label></p>\n");
	}
	html_raw(b, "</fieldset>\n<p class=\"mod-ask-buttons\"><button "
	    "type=\"submit\" class=\"mod-danger\">");
	html_text(b, _("Ban"));
	html_raw(b, "</button>\n<a href=\"");
	view_url(v, b, f->back != NULL ? f->back : "/mod/");
	html_raw(b, "\">");
	html_text(b, _("Cancel"));
	html_raw(b, "</a></p>\n</form>\n");
	mod_close(b);
}
