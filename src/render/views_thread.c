/* views_thread.c: a thread as readers see it: the nested comments with
 * their votes and actions, the forms (comment, reply, edit, report), the
 * notices, the orders and pages; on palaver's page and as the fragment */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/buf.h"
#include "render/html.h"
#include "render/views.h"

/* Every sentence this file shows, in one place. */
static const char *const notices[PS__MAX] = {
	[PS_NONE] = NULL,
	[PS_PUBLISHED] = "Your comment is published.",
	[PS_PENDING] = "Thank you: your comment is awaiting moderation, "
	    "and will appear once a moderator approves it.  Until then only "
	    "you can see it.",
	[PS_EDITED] = "Your changes are saved.",
	[PS_DELETED] = "Your comment is deleted.",
	[PS_SPAM] = "Your comment was taken for spam, so it is not "
	    "published; a moderator may still approve it.",
	[PS_VOTED] = "Your vote is counted.",
	[PS_REPORTED] = "Thank you: the moderators will look at this "
	    "comment.  Nobody else learns who reported it.",
};

static const char *const order_names[] = {
	"oldest first", "newest first", "best first",
};
static const char *const order_words[] = { "oldest", "newest", "best" };

/* A report's reasons, as the form offers them (enum report_reason). */
static const char *const report_labels[RR__MAX] = {
	[RR_SPAM] = "Spam or advertising",
	[RR_ABUSE] = "Abusive or hateful",
	[RR_OFF_TOPIC] = "Off-topic",
	[RR_OTHER] = "Something else",
};

#define S_GO_TO		"Go to it"
#define S_DELETED	"This comment was deleted."
#define S_HIDDEN	"This comment is not shown."
#define S_EDITED	"(edited)"
#define S_IN_REPLY_TO	"in reply to "
#define S_AWAITING	"Awaiting moderation"
#define S_REPLY		"Reply"
#define S_TO		" to "
#define S_EDIT		"Edit"
#define S_DELETE	"Delete"
#define S_WINDOW	"You can change this until "
#define S_REPORT	"Report"
#define S_REPORT_OF	" the comment by "
#define S_VOTE_UP	"Vote up"
#define S_VOTE_DOWN	"Vote down"
#define S_HIDE_REPLIES	"Hide replies"
#define S_SHOW_ONE	"Show 1 reply"
#define S_SHOW_N	"Show %lld replies"
#define S_ORDER		"Order:"
#define S_ORDER_LABEL	"Order"
#define S_MORE		"More comments"
#define S_EMPTY		"No comments yet."
#define S_CLOSED	"Comments are closed."
#define S_LEAVE		"Leave a comment"
#define S_BODY		"Your comment"
#define S_REPLY_BODY	"Your reply"
#define S_EDIT_BODY	"Edit your comment"
#define S_HONEYPOT	"Leave this field empty"
#define S_POST		"Post comment"
#define S_POST_REPLY	"Post reply"
#define S_SAVE		"Save"
#define S_PREVIEW	"Preview"
#define S_PREVIEW_H	"Preview: this is how it will look"
#define S_CANCEL	"Cancel"
#define S_HINT		"Markdown works: *emphasis*, **strong**, `code`, " \
			"[links](https://example.com), &gt; quotes."
#define S_REPORT_Q	"What is wrong with this comment?"
#define S_REPORT_TEXT	"Say more (optional)"
#define S_REPORT_SEND	"Send report"
#define S_REPORT_HINT	"Moderators see your report; nobody sees who " \
			"sent it."
#define S_NAME		"Name (optional)"
#define S_EMAIL		"E-mail (optional, never shown)"
#define S_WEBSITE	"Website (optional)"
#define S_NOTIFY	"E-mail me replies to this comment (at the address " \
			"above; the first time, a message asks you to " \
			"confirm)"

/* The query that keeps the reader on this page: cursor and order. */
static void
page_query(struct buf *b, const struct page_state *ps, const char *extra,
    long long v)
{
	char	 sep = '?';

	if (ps->after > 0) {
		htmlf(b, "%cafter=%lld", sep, ps->after);
		sep = '&';
	}
	if (ps->order > 0 && ps->order < ORDER__MAX) {
		htmlf(b, "%sorder=%s", sep == '&' ? "&amp;" : "?",
		    order_words[ps->order]);
		sep = '&';
	}
	if (extra != NULL)
		htmlf(b, "%s%s=%lld", sep == '&' ? "&amp;" : "?", extra, v);
}

static void
article_path(char *p, size_t n, const struct article *ar, const char *tail)
{
	snprintf(p, n, "/articles/%lld%s", ar->id, tail);
}

static void
field_value(struct buf *b, const char *v)
{
	if (v != NULL)
		html_attr(b, v);
}

/* A refused field is marked, and says where its message is. */
static void
invalid(struct buf *b, const struct page_state *ps, int mine,
    const char *field, const char *pre)
{
	if (mine && ps->error_field != NULL &&
	    strcmp(ps->error_field, field) == 0)
		htmlf(b, " aria-invalid=\"true\" aria-describedby=\"%s-error\"",
		    pre);
}

static void
form_error(struct buf *b, const struct page_state *ps, int mine,
    const char *pre)
{
	if (!mine || ps->error == NULL)
		return;
	htmlf(b, "<p class=\"form-error\" role=\"alert\" id=\"%s-error\">",
	    pre);
	html_text(b, ps->error);
	html_raw(b, "</p>\n");
}

/*
 * A comment form: new top-level comment (parent 0), reply (parent > 0) or
 * edit (edit_id > 0, prefilled with the source).  Labelled controls, the
 * error next to the form, and what the reader typed put back.  Its action
 * ends in the form's own anchor, so a refused form (answered in place,
 * not redirected) opens scrolled to it, message and all.
 */
static void
form(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps, long long parent, long long edit_id,
    const char *edit_body, int orphan)
{
	const struct form_values *fv = NULL;
	const char	*pre = edit_id ? "e" : parent ? "r" : "f";
	const char	*body = edit_body;
	char		 action[96], id[40], path[64];
	int		 mine;

	/* The refill belongs to the form that was sent; a reply whose
	 * comment is not on this page comes back in the main form. */
	mine = ps->form != NULL && ps->report_to == 0 && (orphan ||
	    (edit_id ? ps->edit_id == edit_id : ps->reply_to == parent &&
	    ps->edit_id == 0));
	if (mine) {
		fv = ps->form;
		body = fv->body;
	}
	if (edit_id)
		snprintf(id, sizeof(id), "edit-%lld", edit_id);
	else if (parent)
		snprintf(id, sizeof(id), "reply-%lld", parent);
	else
		snprintf(id, sizeof(id), "comment-form");
	if (edit_id)
		snprintf(action, sizeof(action),
		    "/articles/%lld/comments/%lld/edit#%s", ar->id, edit_id,
		    id);
	else
		snprintf(action, sizeof(action), "/articles/%lld/comments#%s",
		    ar->id, id);
	html_raw(b, "<form class=\"comment-form\" method=\"post\" action=\"");
	if (v->embed && !edit_id) {
		/* By uri: the thread may not exist until this comment. */
		view_url(v, b, "/embed/comments?uri=");
		html_url_arg(b, ar->uri);
		html_attrf(b, "#%s", id);
	} else
		view_url(v, b, action);
	htmlf(b, "\" id=\"%s\">\n", id);
	form_error(b, ps, mine, pre);
	if (!edit_id) {
		/* The anti-spam fields: when the form was served (signed:
		 * filled in per reader as the page goes out, so a cached page
		 * never hands two readers the same token), and a field
		 * people never see, so never fill. */
		html_raw(b, "<input type=\"hidden\" name=\"ts\" value=\"");
		html_attr(b, v->form_token);
		htmlf(b, "\">\n<p class=\"hp\" aria-hidden=\"true\">"
		    "<label for=\"%s-hp\">" S_HONEYPOT "</label> "
		    "<input id=\"%s-hp\" name=\"hp\" tabindex=\"-1\" "
		    "autocomplete=\"off\"></p>\n", pre, pre);
		if (v->embed) {
			html_raw(b, "<input type=\"hidden\" name=\"title\" "
			    "value=\"");
			html_attr(b, ar->title);
			html_raw(b, "\">\n");
		}
		html_raw(b, "<input type=\"hidden\" name=\"parent\" value=\"");
		if (parent)
			html_int(b, parent);
		else if (orphan && fv != NULL && fv->parent != NULL)
			html_attr(b, fv->parent);
		html_raw(b, "\">\n");
	}
	htmlf(b, "<p><label for=\"%s-body\">%s</label>\n"
	    "<textarea id=\"%s-body\" name=\"body\" rows=\"6\" required",
	    pre, edit_id ? S_EDIT_BODY : parent ? S_REPLY_BODY : S_BODY, pre);
	invalid(b, ps, mine, "body", pre);
	html_raw(b, ">");
	if (body != NULL)
		html_text(b, body);
	html_raw(b, "</textarea></p>\n");
	if (mine && ps->preview != NULL) {
		/* Rendered by the server's own renderer: exactly what would
		 * be published.  Sanitised by markup.c. */
		htmlf(b, "<section class=\"preview\" aria-labelledby=\""
		    "%s-preview-h\"><h4 id=\"%s-preview-h\">" S_PREVIEW_H
		    "</h4><div class=\"body\">", pre, pre);
		html_raw(b, ps->preview);
		html_raw(b, "</div></section>\n");
	}
	if (!edit_id) {
		static const struct {
			const char *name, *label, *type, *ac;
		} f[] = {
			{ "author", S_NAME, "text", "name" },
			{ "email", S_EMAIL, "email", "email" },
			{ "website", S_WEBSITE, "url", "url" },
		};
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			const char *val = fv == NULL ? NULL :
			    i == 0 ? fv->author : i == 1 ? fv->email :
			    fv->website;

			htmlf(b, "<p><label for=\"%s-%s\">%s</label>\n"
			    "<input id=\"%s-%s\" name=\"%s\" type=\"%s\" "
			    "autocomplete=\"%s\" value=\"", pre, f[i].name,
			    f[i].label, pre, f[i].name, f[i].name, f[i].type,
			    f[i].ac);
			field_value(b, val);
			html_raw(b, "\"");
			invalid(b, ps, mine, f[i].name, pre);
			html_raw(b, "></p>\n");
		}
		/* Replies by e-mail: only with an address, confirmed once
		 * by a message (double opt-in). */
		if (v->notify) {
			html_raw(b, "<p class=\"notify\"><label><input "
			    "type=\"checkbox\" name=\"notify\" value=\"1\"");
			if (fv != NULL && fv->notify)
				html_raw(b, " checked");
			html_raw(b, "> " S_NOTIFY "</label></p>\n");
		}
	}
	html_raw(b, "<p class=\"form-actions\"><button type=\"submit\">");
	html_raw(b, edit_id ? S_SAVE : parent ? S_POST_REPLY : S_POST);
	html_raw(b, "</button> <button type=\"submit\" name=\"preview\" "
	    "value=\"1\" class=\"secondary\">" S_PREVIEW "</button>");
	if (parent || edit_id) {
		article_path(path, sizeof(path), ar, "");
		html_raw(b, " <a href=\"");
		view_url(v, b, path);
		page_query(b, ps, NULL, 0);
		htmlf(b, "#c%lld\">" S_CANCEL "</a>", edit_id ? edit_id :
		    parent);
	}
	html_raw(b, "</p>\n<p class=\"hint\">" S_HINT "</p>\n</form>\n");
}

/* The report form under comment c: a reason and a few words. */
static void
report_form(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps, const struct comment *c)
{
	const struct form_values *fv = ps->form;
	char		 path[96];
	int		 mine = fv != NULL && ps->report_to == c->id, i;

	snprintf(path, sizeof(path), "/articles/%lld/comments/%lld/report"
	    "#report-%lld", ar->id, c->id, c->id);
	html_raw(b, "<form class=\"report-form\" method=\"post\" action=\"");
	view_url(v, b, path);
	htmlf(b, "\" id=\"report-%lld\">\n", c->id);
	form_error(b, ps, mine, "p");
	htmlf(b, "<fieldset><legend>" S_REPORT_Q "</legend>\n");
	for (i = 0; i < RR__MAX; i++) {
		htmlf(b, "<p class=\"choice\"><input type=\"radio\" "
		    "name=\"reason\" id=\"p-%lld-%d\" value=\"%s\" required",
		    c->id, i, report_reason_str((enum report_reason)i));
		if (mine && fv->why != NULL && strcmp(fv->why,
		    report_reason_str((enum report_reason)i)) == 0)
			html_raw(b, " checked");
		invalid(b, ps, mine, "reason", "p");
		htmlf(b, "> <label for=\"p-%lld-%d\">%s</label></p>\n", c->id,
		    i, report_labels[i]);
	}
	htmlf(b, "</fieldset>\n<p><label for=\"p-%lld-text\">" S_REPORT_TEXT
	    "</label>\n<input id=\"p-%lld-text\" name=\"text\" type=\"text\" "
	    "maxlength=\"200\" value=\"", c->id, c->id);
	field_value(b, mine ? fv->text : NULL);
	html_raw(b, "\"");
	invalid(b, ps, mine, "text", "p");
	html_raw(b, "></p>\n<p class=\"form-actions\"><button type=\"submit\">"
	    S_REPORT_SEND "</button> <a href=\"");
	article_path(path, sizeof(path), ar, "");
	view_url(v, b, path);
	page_query(b, ps, NULL, 0);
	htmlf(b, "#c%lld\">" S_CANCEL "</a></p>\n<p class=\"hint\">"
	    S_REPORT_HINT "</p>\n</form>\n", c->id);
}

/* Up (and down) votes: buttons of a form that works without script. */
static void
vote_form(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps, const struct comment *c)
{
	char	 path[96];

	snprintf(path, sizeof(path), "/articles/%lld/comments/%lld/vote",
	    ar->id, c->id);
	/* Short: it is on every comment.  The arrows are the stylesheet's
	 * (not read out); the buttons' names are their hidden words. */
	html_raw(b, "<form class=\"vote\" method=\"post\" action=\"");
	view_url(v, b, path);
	html_raw(b, "\">");
	if (ps->order > 0 && ps->order < ORDER__MAX)
		htmlf(b, "<input type=\"hidden\" name=\"order\" value=\"%s\">",
		    order_words[ps->order]);
	htmlf(b, "<button name=\"vote\" value=\"1\" class=\"up\"><span "
	    "class=\"visually-hidden\">" S_VOTE_UP "</span> <span "
	    "class=\"n\">%lld</span></button>", c->up);
	/* Down votes taken before they were turned off still count. */
	if (ps->votes_down || c->down > 0)
		htmlf(b, "<button name=\"vote\" value=\"-1\" class=\"down\"%s>"
		    "<span class=\"visually-hidden\">" S_VOTE_DOWN "</span> "
		    "<span class=\"n\">%lld</span></button>", ps->votes_down ?
		    "" : " disabled", c->down);
	html_raw(b, "</form>");
}

/* What the page says happened, at the comment it is about. */
static void
notice_here(struct buf *b, const struct page_state *ps)
{
	html_raw(b, "<p class=\"notice\">");
	html_raw(b, notices[ps->notice]);
	html_raw(b, "</p>\n");
}

/* One comment, without closing its <li>: replies nest inside it. */
static void
comment_open(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps, const struct comment *c, int placeholder,
    const struct comment *parent, int flattened, long long mine)
{
	char		 path[96];
	int		 here = ps->notice != PS_NONE && ps->notice_at == c->id;
	int		 live = !ar->closed && c->status == CS_APPROVED;

	html_raw(b, "<li class=\"comment");
	if ((c->status == CS_PENDING || c->status == CS_SPAM) && !placeholder)
		html_raw(b, " pending");
	if (here && !placeholder)
		html_raw(b, " posted");
	htmlf(b, "\" id=\"c%lld\">\n<article aria-labelledby=\"c%lld-by\">\n",
	    c->id, c->id);
	if (placeholder) {
		htmlf(b, "<p class=\"gone\" id=\"c%lld-by\">%s</p>\n",
		    c->id, c->status == CS_DELETED ? S_DELETED : S_HIDDEN);
		if (here)
			notice_here(b, ps);
		html_raw(b, "</article>\n");
		return;
	}
	html_raw(b, "<header><span class=\"author\" role=\"heading\" "
	    "aria-level=\"");
	html_int(b, 3 + (c->depth > v->max_depth ? v->max_depth : c->depth));
	htmlf(b, "\" id=\"c%lld-by\">", c->id);
	if (c->website != NULL && text_url_ok(c->website)) {
		html_raw(b, "<a href=\"");
		html_attr(b, c->website);
		html_raw(b, "\" rel=\"nofollow ugc noopener\">");
		html_text(b, c->author);
		html_raw(b, "</a>");
	} else
		html_text(b, c->author);
	htmlf(b, "</span> <a class=\"permalink\" href=\"#c%lld\">", c->id);
	view_time(b, c->created);
	html_raw(b, "</a>");
	if (c->edited)
		html_raw(b, " <span class=\"edited\">" S_EDITED "</span>");
	if (flattened && parent != NULL) {
		/* The permalink lands wherever the parent is, any page. */
		snprintf(path, sizeof(path), "/c/%lld", parent->id);
		html_raw(b, " <a class=\"in-reply-to\" href=\"");
		view_url(v, b, path);
		html_raw(b, "\">" S_IN_REPLY_TO);
		html_text(b, parent->author);
		html_raw(b, "</a>");
	}
	if (c->status == CS_PENDING || c->status == CS_SPAM)
		html_raw(b, " <strong class=\"awaiting\">" S_AWAITING
		    "</strong>");
	html_raw(b, "</header>\n");
	if (here)
		notice_here(b, ps);
	if (ps->edit_id == c->id && mine) {
		form(v, b, ar, ps, 0, c->id, c->body, 0);
		html_raw(b, "</article>\n");
		return;
	}
	html_raw(b, "<div class=\"body\">");
	/* Rendered and sanitised once, at write time, by markup.c. */
	html_raw(b, c->html);
	html_raw(b, "</div>\n<footer class=\"actions\">");
	article_path(path, sizeof(path), ar, "");
	if (ps->votes && c->status == CS_APPROVED && ar->id > 0)
		vote_form(v, b, ar, ps, c);
	if (live) {
		html_raw(b, "<a class=\"reply\" href=\"");
		view_url(v, b, path);
		page_query(b, ps, "reply", c->id);
		htmlf(b, "#reply-%lld\">" S_REPLY "<span class=\"visually-"
		    "hidden\">" S_TO, c->id);
		html_text(b, c->author);
		html_raw(b, "</span></a>");
	}
	if (c->status == CS_APPROVED && ar->id > 0 && !mine) {
		html_raw(b, " <a class=\"report\" href=\"");
		view_url(v, b, path);
		page_query(b, ps, "report", c->id);
		htmlf(b, "#report-%lld\">" S_REPORT "<span class=\"visually-"
		    "hidden\">" S_REPORT_OF, c->id);
		html_text(b, c->author);
		html_raw(b, "</span></a>");
	}
	if (mine) {
		html_raw(b, " <a class=\"edit\" href=\"");
		view_url(v, b, path);
		page_query(b, ps, "edit", c->id);
		htmlf(b, "#c%lld\">" S_EDIT "</a> ", c->id);
		snprintf(path, sizeof(path), "/articles/%lld/comments/%lld/"
		    "delete", ar->id, c->id);
		html_raw(b, "<form class=\"inline\" method=\"post\" action=\"");
		view_url(v, b, path);
		html_raw(b, "\"><button type=\"submit\">" S_DELETE
		    "</button></form> <span class=\"window\">" S_WINDOW);
		view_time(b, mine);
		html_raw(b, ".</span>");
	}
	html_raw(b, "</footer>\n");
	if (ps->reply_to == c->id && live)
		form(v, b, ar, ps, c->id, 0, NULL, 0);
	if (ps->report_to == c->id && c->status == CS_APPROVED && !mine &&
	    ar->id > 0)
		report_form(v, b, ar, ps, c);
	html_raw(b, "</article>\n");
}

/* The replies under a comment open in a <details>, so a reader folds a
 * subthread away without script (its summary says how many). */
static void
replies_open(struct buf *b, long long n)
{
	html_raw(b, "<details class=\"replies\" open><summary>"
	    "<span class=\"hide\">" S_HIDE_REPLIES "</span><span class=\""
	    "show\">");
	if (n == 1)
		html_raw(b, S_SHOW_ONE);
	else
		htmlf(b, S_SHOW_N, n);
	html_raw(b, "</span></summary>\n<ol class=\"replies\">\n");
}

/*
 * The comments of a page as nested lists.  Rows come depth-first; a
 * comment that is not approved is left out (unless it is the reader's own
 * and pending), except that a placeholder keeps the thread's shape where
 * replies under it are shown.  Levels past max_depth are drawn at
 * max_depth with an "in reply to" link.
 */
static void
thread(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps)
{
	const struct thread_view *tv = ps->tv;
	const struct thread_page *pg = tv->pg;
	size_t		 i, maxd, prev = 0;
	long		 cur = 0, d;
	long long	*under = NULL, p;
	int		 first = 1;

	/* How many shown rows hang under each row: parents come first.
	 * (Out of memory, the summaries say 0.) */
	if (pg->n > 0 && (under = calloc(pg->n, sizeof(*under))) != NULL)
		for (i = pg->n; i > 0; i--)
			if (tv->shown[i - 1] != SHOWN_NOT &&
			    (p = tv->parent[i - 1]) >= 0)
				under[p] += under[i - 1] + 1;
	maxd = (size_t)v->max_depth;
	html_raw(b, "<ol class=\"thread\">\n");
	for (i = 0; i < pg->n; i++) {
		const struct comment *c = &pg->v[i];

		if (tv->shown[i] == SHOWN_NOT)
			continue;
		d = c->depth > (int)maxd ? (long)maxd : c->depth;
		if (!first) {
			if (d > cur)
				replies_open(b, under != NULL ? under[prev] :
				    0);
			else {
				html_raw(b, "</li>\n");
				for (; cur > d; cur--)
					html_raw(b, "</ol></details>\n</li>\n");
			}
		}
		first = 0;
		cur = d;
		prev = i;
		comment_open(v, b, ar, ps, c, tv->shown[i] == SHOWN_PLACEHOLDER,
		    tv->parent[i] >= 0 ? &pg->v[tv->parent[i]] : NULL,
		    c->depth > (int)maxd, tv->mine[i]);
	}
	if (!first) {
		html_raw(b, "</li>\n");
		for (; cur > 0; cur--)
			html_raw(b, "</ol></details>\n</li>\n");
	}
	html_raw(b, "</ol>\n");
	free(under);
}

/* Whether comment id is drawn on this page. */
static int
on_page(const struct page_state *ps, long long id)
{
	const struct thread_page *pg = ps->tv->pg;
	size_t	 i;

	for (i = 0; i < pg->n; i++)
		if (pg->v[i].id == id)
			return ps->tv->shown[i] != SHOWN_NOT;
	return 0;
}

/* The live region at the top: what happened, when it is not said beside
 * a comment of this page. */
static void
notice_top(struct buf *b, const struct page_state *ps)
{
	html_raw(b, "<div class=\"status\" role=\"status\" "
	    "aria-live=\"polite\">");
	if (notices[ps->notice] != NULL && (ps->notice_at == 0 ||
	    !on_page(ps, ps->notice_at))) {
		html_raw(b, "<p class=\"notice\">");
		html_raw(b, notices[ps->notice]);
		if (ps->posted > 0)
			htmlf(b, " <a href=\"#c%lld\">" S_GO_TO "</a>",
			    ps->posted);
		html_raw(b, "</p>");
	}
	html_raw(b, "</div>\n");
}

/* Whether the comment being replied to carries its reply form here. */
static int
reply_target_shown(const struct thread_page *pg, const struct page_state *ps)
{
	size_t	 i;

	for (i = 0; i < pg->n; i++)
		if (pg->v[i].id == ps->reply_to)
			return pg->v[i].status == CS_APPROVED;
	return 0;
}

/* Oldest, newest and (with votes) best first: the current one marked. */
static void
order_nav(const struct view *v, struct buf *b, const struct page_state *ps,
    const char *path)
{
	int	 o;

	html_raw(b, "<nav class=\"order\" aria-label=\"" S_ORDER_LABEL "\">"
	    S_ORDER);
	for (o = 0; o < ORDER__MAX; o++) {
		if (o == ORDER_BEST && !ps->votes)
			continue;
		html_raw(b, o > 0 ? " \xc2\xb7 <a href=\"" : " <a href=\"");
		view_url(v, b, path);
		if (o > 0)
			htmlf(b, "?order=%s", order_words[o]);
		html_raw(b, "#comments\"");
		if (ps->order == o)
			html_raw(b, " aria-current=\"true\"");
		htmlf(b, ">%s</a>", order_names[o]);
	}
	html_raw(b, "</nav>\n");
}

/* The comments of an article: on its page, and as the embed fragment. */
static void
comments_section(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps)
{
	const struct thread_page *pg = ps->tv->pg;
	char		 path[64];

	article_path(path, sizeof(path), ar, "");
	html_raw(b, "<section class=\"palaver comments\" id=\"comments\" "
	    "aria-labelledby=\"comments-h\" data-palaver-uri=\"");
	html_attr(b, ar->uri);
	html_raw(b, "\" data-palaver-article=\"");
	html_int(b, ar->id);
	htmlf(b, "\" data-palaver-votes=\"%s\" data-palaver-rendered=\"1\">\n"
	    "<h2 id=\"comments-h\">", ps->votes_down ? "updown" : ps->votes ?
	    "up" : "off");
	view_count(b, ar->ncomments);
	html_raw(b, "</h2>\n");
	notice_top(b, ps);
	if (ar->ncomments > 1 && ar->id > 0)
		order_nav(v, b, ps, path);
	if (pg->n > 0)
		thread(v, b, ar, ps);
	else if (ps->after == 0)
		html_raw(b, "<p class=\"empty\">" S_EMPTY "</p>\n");
	if (pg->next > 0) {
		html_raw(b, "<nav class=\"pages\" aria-label=\"" S_MORE "\">"
		    "<a rel=\"next\" href=\"");
		view_url(v, b, path);
		htmlf(b, "?after=%lld", pg->next);
		if (ps->order > 0 && ps->order < ORDER__MAX)
			htmlf(b, "&amp;order=%s", order_words[ps->order]);
		html_raw(b, "#comments\">" S_MORE "</a></nav>\n");
	}
	if (ar->closed)
		html_raw(b, "<p class=\"closed\">" S_CLOSED "</p>\n");
	else {
		html_raw(b, "<h3 id=\"reply\">" S_LEAVE "</h3>\n");
		form(v, b, ar, ps, 0, 0, NULL, ps->reply_to > 0 &&
		    !reply_target_shown(pg, ps));
	}
	html_raw(b, "</section>\n");
}

void
view_article(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps)
{
	view_page_open(v, b, ar->title);
	html_raw(b, "<article class=\"post\">\n<h1>");
	html_text(b, ar->title);
	html_raw(b, "</h1>\n<p class=\"meta\">");
	view_time(b, ar->created);
	html_raw(b, "</p>\n");
	if (ar->body_html != NULL) {
		html_raw(b, "<div class=\"body\">");
		html_raw(b, ar->body_html);	/* rendered by markup.c */
		html_raw(b, "</div>\n");
	}
	html_raw(b, "</article>\n");
	comments_section(v, b, ar, ps);
	/* The same script as the widget enhances the page: replies and
	 * votes without a reload, preview, local times.  Everything works
	 * without it. */
	html_raw(b, "<script src=\"");
	view_url(v, b, "/static/embed.js");
	htmlf(b, "\" data-min-submit=\"%ld\" defer></script>\n",
	    v->min_submit);
	view_page_close(b);
}

void
view_embed(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps)
{
	comments_section(v, b, ar, ps);
}
