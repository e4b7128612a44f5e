/* views.c: the HTML pages, written through html.h; no database here */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/arena.h"
#include "core/buf.h"
#include "render/html.h"
#include "render/views.h"

void
view_url(const struct view *v, struct buf *b, const char *path)
{
	html_attr(b, v->base);
	html_attr(b, path);
}

void
view_page_open(const struct view *v, struct buf *b, const char *title)
{
	html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	if (title != NULL) {
		html_text(b, title);
		html_raw(b, " \xe2\x80\x94 ");
	}
	html_text(b, v->site);
	html_raw(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	view_url(v, b, "/static/palaver.css");
	html_raw(b, "\">\n");
	if (v->feed != NULL) {
		html_raw(b, "<link rel=\"alternate\" type=\"application/atom+xml\" "
		    "title=\"");
		html_text(b, title != NULL ? title : v->site);
		html_raw(b, " \xe2\x80\x94 comments\" href=\"");
		view_url(v, b, v->feed);
		html_raw(b, "\">\n");
	}
	html_raw(b, "</head>\n<body class=\"pv-page\">\n<header class=\"site\"><a href=\"");
	view_url(v, b, "/");
	html_raw(b, "\">");
	html_text(b, v->site);
	html_raw(b, "</a></header>\n<main>\n");
}

void
view_page_close(struct buf *b)
{
	html_raw(b, "</main>\n<footer class=\"site\">Comments by "
	    "palaver</footer>\n</body>\n</html>\n");
}

/* A <time> element for unix seconds, in UTC. */
void
view_time(struct buf *b, long long t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	/* By hand: strftime, twice a comment, showed in profiles. */
	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 < 0 ||
	    tm.tm_year + 1900 > 9999)
		return;
	htmlf(b, "<time datetime=\"%04d-%02d-%02dT%02d:%02d:%02dZ\">%d %.3s "
	    "%04d, %02d:%02d UTC</time>", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_mday,
	    months + 3 * tm.tm_mon, tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

void
view_error(const struct view *v, struct buf *b, const char *title,
    const char *msg)
{
	view_page_open(v, b, title);
	html_raw(b, "<section class=\"error\">\n<h1>");
	html_text(b, title);
	html_raw(b, "</h1>\n<p>");
	html_text(b, msg);
	html_raw(b, "</p>\n<p><a href=\"");
	view_url(v, b, "/");
	html_raw(b, "\">All articles</a></p>\n</section>\n");
	view_page_close(b);
}

static void
count_text(struct buf *b, long long n)
{
	html_int(b, n);
	html_raw(b, n == 1 ? " comment" : " comments");
}

void
view_index(const struct view *v, struct buf *b, const struct article *ar,
    size_t n,
    long long next_created, long long next_id)
{
	size_t	 i;
	char	 path[64];

	view_page_open(v, b, "Articles");
	html_raw(b, "<h1>Articles</h1>\n");
	if (n == 0)
		html_raw(b, "<p class=\"empty\">No articles yet.</p>\n");
	else
		html_raw(b, "<ul class=\"articles\">\n");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/articles/%lld", ar[i].id);
		html_raw(b, "<li><a href=\"");
		view_url(v, b, path);
		html_raw(b, "\">");
		html_text(b, ar[i].title);
		html_raw(b, "</a> <span class=\"meta\">");
		view_time(b, ar[i].created);
		html_raw(b, " \xc2\xb7 ");
		count_text(b, ar[i].ncomments);
		if (ar[i].closed)
			html_raw(b, " \xc2\xb7 closed");
		html_raw(b, "</span></li>\n");
	}
	if (n > 0)
		html_raw(b, "</ul>\n");
	if (next_id > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		view_url(v, b, "/");
		htmlf(b, "?before=%lld&amp;at=%lld", next_id,
		    next_created);
		html_raw(b, "\">Older articles</a></nav>\n");
	}
	view_page_close(b);
}

/* The query that keeps the reader on this page: order and cursor. */
static void
page_query(struct buf *b, const struct page_state *ps, const char *extra,
    long long v)
{
	char	 sep = '?';

	if (ps->after > 0) {
		htmlf(b, "%cafter=%lld", sep, ps->after);
		sep = '&';
	}
	if (ps->newest) {
		htmlf(b, "%sorder=newest", sep == '&' ? "&amp;" : "?");
		sep = '&';
	}
	if (extra != NULL)
		htmlf(b, "%s%s=%lld", sep == '&' ? "&amp;" : "?", extra, v);
}

static void
field_value(struct buf *b, const char *v)
{
	if (v != NULL)
		html_attr(b, v);
}

/*
 * A comment form: new top-level comment (parent 0), reply (parent > 0) or
 * edit (edit_id > 0, prefilled with the source).  Labelled controls, the
 * error next to the form, and what the reader typed put back.
 */
static void
form(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps, long long parent, long long edit_id,
    const char *edit_body, int orphan)
{
	const struct form_values *fv = NULL;
	const char	*pre = edit_id ? "e" : parent ? "r" : "f";
	const char	*body = edit_body;
	char		 action[96];
	int		 mine;

	/* The refill belongs to the form that was sent; a reply whose
	 * comment is not on this page comes back in the main form. */
	mine = ps->form != NULL && (orphan || (edit_id ? ps->edit_id ==
	    edit_id : ps->reply_to == parent && ps->edit_id == 0));
	if (mine) {
		fv = ps->form;
		body = fv->body;
	}
	if (edit_id)
		snprintf(action, sizeof(action),
		    "/articles/%lld/comments/%lld/edit", ar->id, edit_id);
	else
		snprintf(action, sizeof(action), "/articles/%lld/comments",
		    ar->id);
	html_raw(b, "<form class=\"comment-form\" method=\"post\" action=\"");
	if (v->embed && !edit_id) {
		/* By uri: the thread may not exist until this comment. */
		view_url(v, b, "/embed/comments?uri=");
		html_url_arg(b, ar->uri);
	} else
		view_url(v, b, action);
	html_raw(b, "\" id=\"");
	html_raw(b, edit_id ? "edit-" : parent ? "reply-" : "comment-form");
	if (edit_id || parent)
		html_int(b, edit_id ? edit_id : parent);
	html_raw(b, "\">\n");
	if (mine && ps->error != NULL) {
		html_raw(b, "<p class=\"form-error\" role=\"alert\" id=\"");
		html_raw(b, pre);
		html_raw(b, "-error\">");
		html_text(b, ps->error);
		html_raw(b, "</p>\n");
	}
	if (!edit_id) {
		/* The anti-spam fields: when the form was served (signed:
		 * filled in per reader as the page goes out, so a cached page
		 * never hands two readers the same token), and a field
		 * people never see, so never fill. */
		html_raw(b, "<input type=\"hidden\" name=\"ts\" value=\"");
		html_attr(b, v->form_token);
		htmlf(b, "\">\n<p class=\"hp\" aria-hidden=\"true\">"
		    "<label for=\"%s-hp\">Leave this field empty</label> "
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
	    pre, edit_id ? "Edit your comment" : parent ? "Your reply" :
	    "Your comment", pre);
	if (mine && ps->error_field != NULL &&
	    strcmp(ps->error_field, "body") == 0)
		htmlf(b, " aria-invalid=\"true\" aria-describedby=\""
		    "%s-error\"", pre);
	html_raw(b, ">");
	if (body != NULL)
		html_text(b, body);
	html_raw(b, "</textarea></p>\n");
	if (!edit_id) {
		static const struct {
			const char *name, *label, *type, *ac;
		} f[] = {
			{ "author", "Name (optional)", "text", "name" },
			{ "email", "E-mail (optional, never shown)", "email",
			    "email" },
			{ "website", "Website (optional)", "url", "url" },
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
			if (mine && ps->error_field != NULL &&
			    strcmp(ps->error_field, f[i].name) == 0)
				htmlf(b, " aria-invalid=\"true\" "
				    "aria-describedby=\"%s-error\"", pre);
			html_raw(b, "></p>\n");
		}
		/* Replies by e-mail: only with an address, confirmed once
		 * by a message (double opt-in). */
		if (v->notify) {
			html_raw(b, "<p class=\"notify\"><label><input "
			    "type=\"checkbox\" name=\"notify\" value=\"1\"");
			if (fv != NULL && fv->notify)
				html_raw(b, " checked");
			html_raw(b, "> E-mail me replies to this comment (at "
			    "the address above; the first time, a message "
			    "asks you to confirm)</label></p>\n");
		}
	}
	html_raw(b, "<p class=\"form-actions\"><button type=\"submit\">");
	html_raw(b, edit_id ? "Save" : parent ? "Post reply" : "Post comment");
	html_raw(b, "</button>");
	if (parent || edit_id) {
		char path[64];

		snprintf(path, sizeof(path), "/articles/%lld", ar->id);
		html_raw(b, " <a href=\"");
		view_url(v, b, path);
		page_query(b, ps, NULL, 0);
		htmlf(b, "#c%lld\">Cancel</a>", edit_id ? edit_id :
		    parent);
	}
	html_raw(b, "</p>\n<p class=\"hint\">Markdown works: *emphasis*, "
	    "**strong**, `code`, [links](https://example.com), &gt; quotes."
	    "</p>\n</form>\n");
}

/* One comment, without closing its <li>: replies nest inside it. */
static void
comment_open(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps, const struct comment *c, int placeholder,
    const struct comment *parent, int flattened, long long mine)
{
	char		 path[96];

	html_raw(b, "<li class=\"comment");
	if ((c->status == CS_PENDING || c->status == CS_SPAM) && !placeholder)
		html_raw(b, " pending");
	html_raw(b, "\" id=\"c");
	html_int(b, c->id);
	html_raw(b, "\">\n<article aria-labelledby=\"c");
	html_int(b, c->id);
	html_raw(b, "-by\">\n");
	if (placeholder) {
		html_raw(b, "<p class=\"gone\" id=\"c");
		html_int(b, c->id);
		html_raw(b, "-by\">");
		html_raw(b, c->status == CS_DELETED ? "This comment was "
		    "deleted." : "This comment is not shown.");
		html_raw(b, "</p>\n</article>\n");
		return;
	}
	html_raw(b, "<header><span class=\"author\" role=\"heading\" "
	    "aria-level=\"");
	html_int(b, 3 + (c->depth > v->max_depth ? v->max_depth : c->depth));
	html_raw(b, "\" id=\"c");
	html_int(b, c->id);
	html_raw(b, "-by\">");
	if (c->website != NULL && text_url_ok(c->website)) {
		html_raw(b, "<a href=\"");
		html_attr(b, c->website);
		html_raw(b, "\" rel=\"nofollow ugc noopener\">");
		html_text(b, c->author);
		html_raw(b, "</a>");
	} else
		html_text(b, c->author);
	html_raw(b, "</span> <a class=\"permalink\" href=\"#c");
	html_int(b, c->id);
	html_raw(b, "\">");
	view_time(b, c->created);
	html_raw(b, "</a>");
	if (c->edited)
		html_raw(b, " <span class=\"edited\">(edited)</span>");
	if (flattened && parent != NULL) {
		html_raw(b, " <a class=\"in-reply-to\" href=\"#c");
		html_int(b, parent->id);
		html_raw(b, "\">in reply to ");
		html_text(b, parent->author);
		html_raw(b, "</a>");
	}
	if (c->status == CS_PENDING || c->status == CS_SPAM)
		html_raw(b, " <strong class=\"awaiting\">Awaiting "
		    "moderation</strong>");
	html_raw(b, "</header>\n");
	if (ps->edit_id == c->id && mine) {
		form(v, b, ar, ps, 0, c->id, c->body, 0);
		html_raw(b, "</article>\n");
		return;
	}
	html_raw(b, "<div class=\"body\">");
	/* Rendered and sanitised once, at write time, by markup.c. */
	html_raw(b, c->html);
	html_raw(b, "</div>\n<footer class=\"actions\">");
	if (!ar->closed && c->status == CS_APPROVED) {
		snprintf(path, sizeof(path), "/articles/%lld", ar->id);
		html_raw(b, "<a class=\"reply\" href=\"");
		view_url(v, b, path);
		page_query(b, ps, "reply", c->id);
		htmlf(b, "#reply-%lld\">Reply<span class=\"visually-"
		    "hidden\"> to ", c->id);
		html_text(b, c->author);
		html_raw(b, "</span></a>");
	}
	if (mine) {
		snprintf(path, sizeof(path), "/articles/%lld", ar->id);
		html_raw(b, " <a class=\"edit\" href=\"");
		view_url(v, b, path);
		page_query(b, ps, "edit", c->id);
		htmlf(b, "#c%lld\">Edit</a> ", c->id);
		snprintf(path, sizeof(path), "/articles/%lld/comments/%lld/"
		    "delete", ar->id, c->id);
		html_raw(b, "<form class=\"inline\" method=\"post\" action=\"");
		view_url(v, b, path);
		html_raw(b, "\"><button type=\"submit\">Delete</button></form>"
		    " <span class=\"window\">You can change this until ");
		view_time(b, mine);
		html_raw(b, ".</span>");
	}
	html_raw(b, "</footer>\n");
	if (ps->reply_to == c->id && !ar->closed && c->status == CS_APPROVED)
		form(v, b, ar, ps, c->id, 0, NULL, 0);
	html_raw(b, "</article>\n");
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
	size_t		 i, maxd;
	long		 cur = 0, d;
	int		 first = 1;

	maxd = (size_t)v->max_depth;
	html_raw(b, "<ol class=\"thread\">\n");
	for (i = 0; i < pg->n; i++) {
		const struct comment *c = &pg->v[i];

		if (tv->shown[i] == SHOWN_NOT)
			continue;
		d = c->depth > (int)maxd ? (long)maxd : c->depth;
		if (!first) {
			if (d > cur)
				html_raw(b, "<ol class=\"replies\">\n");
			else {
				html_raw(b, "</li>\n");
				for (; cur > d; cur--)
					html_raw(b, "</ol>\n</li>\n");
			}
		}
		first = 0;
		cur = d;
		comment_open(v, b, ar, ps, c, tv->shown[i] == SHOWN_PLACEHOLDER,
		    tv->parent[i] >= 0 ? &pg->v[tv->parent[i]] : NULL,
		    c->depth > (int)maxd, tv->mine[i]);
	}
	if (!first) {
		html_raw(b, "</li>\n");
		for (; cur > 0; cur--)
			html_raw(b, "</ol>\n</li>\n");
	}
	html_raw(b, "</ol>\n");
}

static void
notice(struct buf *b, const struct page_state *ps)
{
	static const char *const text[] = {
		[PS_NONE] = NULL,
		[PS_PUBLISHED] = "Your comment is published.",
		[PS_PENDING] = "Thank you: your comment is awaiting "
		    "moderation, and will appear once a moderator approves "
		    "it.  Until then only you can see it.",
		[PS_EDITED] = "Your changes are saved.",
		[PS_DELETED] = "Your comment is deleted.",
		[PS_SPAM] = "Your comment was taken for spam, so it is not "
		    "published; a moderator may still approve it.",
	};

	html_raw(b, "<div class=\"status\" role=\"status\" "
	    "aria-live=\"polite\">");
	if (text[ps->notice] != NULL) {
		html_raw(b, "<p class=\"notice\">");
		html_raw(b, text[ps->notice]);
		if (ps->posted > 0)
			htmlf(b, " <a href=\"#c%lld\">Go to it</a>",
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

/* The comments of an article: on its page, and as the embed fragment. */
static void
comments_section(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps)
{
	const struct thread_page *pg = ps->tv->pg;
	char	 path[64];

	snprintf(path, sizeof(path), "/articles/%lld", ar->id);
	html_raw(b, "<section class=\"palaver comments\" id=\"comments\" "
	    "aria-labelledby=\"comments-h\" data-palaver-uri=\"");
	html_attr(b, ar->uri);
	html_raw(b, "\" data-palaver-article=\"");
	html_int(b, ar->id);
	html_raw(b, "\" data-palaver-rendered=\"1\">\n<h2 id=\"comments-h\">");
	count_text(b, ar->ncomments);
	html_raw(b, "</h2>\n");
	notice(b, ps);
	if (ar->ncomments > 1 && ar->id > 0) {
		html_raw(b, "<nav class=\"order\" aria-label=\"Order\">"
		    "Order: <a href=\"");
		view_url(v, b, path);
		html_raw(b, "#comments\"");
		if (!ps->newest)
			html_raw(b, " aria-current=\"true\"");
		html_raw(b, ">oldest first</a> \xc2\xb7 <a href=\"");
		view_url(v, b, path);
		html_raw(b, "?order=newest#comments\"");
		if (ps->newest)
			html_raw(b, " aria-current=\"true\"");
		html_raw(b, ">newest first</a></nav>\n");
	}
	if (pg->n > 0)
		thread(v, b, ar, ps);
	else if (ps->after == 0)
		html_raw(b, "<p class=\"empty\">No comments yet.</p>\n");
	if (pg->next > 0) {
		html_raw(b, "<nav class=\"pages\" aria-label=\"More comments\">"
		    "<a rel=\"next\" href=\"");
		view_url(v, b, path);
		htmlf(b, "?after=%lld%s#comments", pg->next,
		    ps->newest ? "&amp;order=newest" : "");
		html_raw(b, "\">More comments</a></nav>\n");
	}
	if (ar->closed)
		html_raw(b, "<p class=\"closed\">Comments are closed.</p>\n");
	else {
		html_raw(b, "<h3 id=\"reply\">Leave a comment</h3>\n");
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
	view_page_close(b);
}

void
view_embed(const struct view *v, struct buf *b, const struct article *ar,
    const struct page_state *ps)
{
	comments_section(v, b, ar, ps);
}
