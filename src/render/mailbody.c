/* mailbody.c: what palaver's messages say: subject, plain text and HTML,
 * the HTML written through html.h like every page */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "render/html.h"
#include "render/mailbody.h"

void
mail_parts_free(struct mail_parts *p)
{
	if (p == NULL)
		return;
	buf_free(&p->subject);
	buf_free(&p->text);
	buf_free(&p->html);
}

static void
html_open(struct buf *h, const char *title)
{
	html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	html_text(h, title);
	html_raw(h, "</title>\n</head>\n<body style=\"font-family: sans-serif; "
	    "line-height: 1.5; max-width: 40em\">\n");
}

static void
html_close(struct buf *h, const char *site)
{
	html_raw(h, "<p style=\"color: #555; font-size: 90%\">\xe2\x80\x94 ");
	html_text(h, site);
	html_raw(h, "</p>\n</body>\n</html>\n");
}

/* A link as a paragraph of its own: text in the plain part, a link in
 * the HTML. */
static void
link(struct mail_parts *p, const char *label, const char *url)
{
	buf_printf(&p->text, "%s:\n%s\n\n", label, url);
	html_raw(&p->html, "<p><a href=\"");
	html_attr(&p->html, url);
	html_raw(&p->html, "\">");
	html_text(&p->html, label);
	html_raw(&p->html, "</a></p>\n");
}

void
mailbody_confirm(struct mail_parts *p, const char *site, const char *url,
    long days)
{
	buf_printf(&p->subject, "Confirm e-mail about replies from %s", site);
	html_open(&p->html, buf_str(&p->subject));
	/* The first link of each part confirms. */
	buf_printf(&p->text, "Someone, we hope you, asked %s to e-mail "
	    "replies to their comments to this address.  Nothing is sent "
	    "until you confirm:\n\n", site);
	html_raw(&p->html, "<p>Someone, we hope you, asked ");
	html_text(&p->html, site);
	html_raw(&p->html, " to e-mail replies to their comments to this "
	    "address.  Nothing is sent until you confirm:</p>\n");
	link(p, "Yes, e-mail me replies", url);
	buf_printf(&p->text, "The link works for %ld days.  If it was not "
	    "you, ignore this message: you will hear nothing more.\n", days);
	htmlf(&p->html, "<p>The link works for %ld days.  If it was not "
	    "you, ignore this message: you will hear nothing more.</p>\n",
	    days);
	html_close(&p->html, site);
}

void
mailbody_reply(struct mail_parts *p, const char *site,
    const struct mail_reply *r)
{
	buf_printf(&p->subject, "%s replied to your comment on \xe2\x80\x9c%s"
	    "\xe2\x80\x9d", r->author, r->title);
	html_open(&p->html, buf_str(&p->subject));
	buf_printf(&p->text, "%s replied to your comment on \xe2\x80\x9c%s"
	    "\xe2\x80\x9d:\n\n%s\n\n", r->author, r->title, r->body);
	html_raw(&p->html, "<p>");
	html_text(&p->html, r->author);
	html_raw(&p->html, " replied to your comment on \xe2\x80\x9c");
	html_text(&p->html, r->title);
	html_raw(&p->html, "\xe2\x80\x9d:</p>\n<blockquote>");
	/* Rendered and made safe when the reply was written (markup.c). */
	html_raw(&p->html, r->html);
	html_raw(&p->html, "</blockquote>\n");
	link(p, "Read it and reply", r->permalink);
	buf_printf(&p->text, "--\nYou get this because you asked %s for "
	    "replies to your comment.\n", site);
	html_raw(&p->html, "<hr>\n<p style=\"font-size: 90%\">You get this "
	    "because you asked for replies to your comment.</p>\n");
	link(p, "No more replies from this thread", r->unsub);
	html_close(&p->html, site);
}

static void
held_one(struct mail_parts *p, const struct mail_held *c)
{
	buf_printf(&p->text, "Comment %lld by %s%s%s%s on \xe2\x80\x9c%s"
	    "\xe2\x80\x9d, spam score %.2f:\n\n%s\n\n", c->id, c->author,
	    c->email != NULL ? " <" : "", c->email != NULL ? c->email : "",
	    c->email != NULL ? ">" : "", c->title, c->score, c->body);
	if (c->reasons != NULL && c->reasons[0] != '\0')
		buf_printf(&p->text, "Why it was held:\n%s\n\n", c->reasons);
	htmlf(&p->html, "<h2>Comment %lld</h2>\n<p>By <strong>", c->id);
	html_text(&p->html, c->author);
	html_raw(&p->html, "</strong>");
	if (c->email != NULL) {
		html_raw(&p->html, " &lt;");
		html_text(&p->html, c->email);
		html_raw(&p->html, "&gt;");
	}
	html_raw(&p->html, " on \xe2\x80\x9c");
	html_text(&p->html, c->title);
	htmlf(&p->html, "\xe2\x80\x9d, spam score %.2f</p>\n<blockquote>",
	    c->score);
	html_raw(&p->html, c->html);	/* rendered and safe (markup.c) */
	html_raw(&p->html, "</blockquote>\n");
	if (c->reasons != NULL && c->reasons[0] != '\0') {
		html_raw(&p->html, "<p>Why it was held:</p>\n<pre>");
		html_text(&p->html, c->reasons);
		html_raw(&p->html, "</pre>\n");
	}
	link(p, "Approve", c->approve);
	link(p, "Mark as spam", c->spam);
	link(p, "Delete", c->del);
}

void
mailbody_held(struct mail_parts *p, const char *site,
    const struct mail_held *v, size_t n, int digest, long hours)
{
	size_t	 i;

	if (!digest && n == 1)
		buf_printf(&p->subject, "Held for moderation: %s on "
		    "\xe2\x80\x9c%s\xe2\x80\x9d", v[0].author, v[0].title);
	else
		buf_printf(&p->subject, "%zu comment%s held for moderation "
		    "on %s", n, n == 1 ? "" : "s", site);
	html_open(&p->html, buf_str(&p->subject));
	for (i = 0; i < n; i++)
		held_one(p, &v[i]);
	buf_printf(&p->text, "Each link opens a page that asks before it "
	    "acts; it works for %ld hours, and not once the comment was "
	    "decided.\n\n", hours);
	htmlf(&p->html, "<p>Each link opens a page that asks before it "
	    "acts; it works for %ld hours, and not once the comment was "
	    "decided.</p>\n", hours);
	if (n > 0)
		link(p, "The moderation queue", v[0].queue);
	html_close(&p->html, site);
}
