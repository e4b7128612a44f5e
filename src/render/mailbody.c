/* mailbody.c: what palaver's messages say: subject, plain text and HTML,
 * the HTML written through html.h like every page */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
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
	html_raw(h, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(h, i18n_code());
	html_raw(h, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
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

/* A paragraph in both parts: a translated sentence with its arguments,
 * a blank line after it in the plain part, escaped in the HTML. */
static void
para(struct mail_parts *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
para(struct mail_parts *p, const char *fmt, ...)
{
	va_list		 ap;
	char		 line[4096];
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		p->text.err = p->html.err = 1;
		return;
	}
	buf_printf(&p->text, "%s\n\n", line);
	html_raw(&p->html, "<p>");
	html_text(&p->html, line);
	html_raw(&p->html, "</p>\n");
}

void
mailbody_confirm(struct mail_parts *p, const char *site, const char *url,
    long days)
{
	buf_printf(&p->subject, _("Confirm e-mail about replies from %s"),
	    site);
	html_open(&p->html, buf_str(&p->subject));
	/* The first link of each part confirms. */
	para(p, _("Someone, we hope you, asked %s to e-mail replies to their "
	    "comments to this address.  Nothing is sent until you confirm:"),
	    site);
	link(p, _("Yes, e-mail me replies"), url);
	para(p, NG_("The link works for %ld day.  If it was not you, ignore "
	    "this message: you will hear nothing more.", "The link works for "
	    "%ld days.  If it was not you, ignore this message: you will hear "
	    "nothing more.", days), days);
	html_close(&p->html, site);
}

void
mailbody_reply(struct mail_parts *p, const char *site,
    const struct mail_reply *r)
{
	buf_printf(&p->subject, _("%s replied to your comment on "
	    "\xe2\x80\x9c%s\xe2\x80\x9d"), r->author, r->title);
	html_open(&p->html, buf_str(&p->subject));
	para(p, _("%s replied to your comment on \xe2\x80\x9c%s"
	    "\xe2\x80\x9d:"), r->author, r->title);
	buf_printf(&p->text, "%s\n\n", r->body);
	html_raw(&p->html, "<blockquote>");
	/* Rendered and made safe when the reply was written (markup.c). */
	html_raw(&p->html, r->html);
	html_raw(&p->html, "</blockquote>\n");
	link(p, _("Read it and reply"), r->permalink);
	buf_printf(&p->text, "--\n");
	buf_printf(&p->text, _("You get this because you asked %s for "
	    "replies to your comment."), site);
	buf_printf(&p->text, "\n");
	html_raw(&p->html, "<hr>\n<p style=\"font-size: 90%\">");
	html_text(&p->html, _("You get this because you asked for replies to "
	    "your comment."));
	html_raw(&p->html, "</p>\n");
	link(p, _("No more replies from this thread"), r->unsub);
	html_close(&p->html, site);
}

static void
held_one(struct mail_parts *p, const struct mail_held *c)
{
	char	 who[512], score[32];

	if (c->email != NULL)
		snprintf(who, sizeof(who), "%s <%s>", c->author, c->email);
	else
		snprintf(who, sizeof(who), "%s", c->author);
	i18n_real(score, sizeof(score), c->score, 2);
	/* TRANSLATORS: Comment 12 by NAME <EMAIL> on "TITLE", spam score
	 * 0.85: */
	buf_printf(&p->text, _("Comment %lld by %s on \xe2\x80\x9c%s"
	    "\xe2\x80\x9d, spam score %s:"), c->id, who, c->title, score);
	buf_printf(&p->text, "\n\n%s\n\n", c->body);
	if (c->reasons != NULL && c->reasons[0] != '\0')
		buf_printf(&p->text, "%s\n%s\n\n", _("Why it was held:"),
		    c->reasons);
	html_raw(&p->html, "<h2>");
	html_textf(&p->html, _("Comment %lld"), c->id);
	html_raw(&p->html, "</h2>\n<p>");
	html_textf(&p->html, _("By %s on \xe2\x80\x9c%s\xe2\x80\x9d, spam "
	    "score"), who, c->title);
	html_raw(&p->html, " ");
	html_text(&p->html, score);
	html_raw(&p->html, "</p>\n<blockquote>");
	html_raw(&p->html, c->html);	/* rendered and safe (markup.c) */
	html_raw(&p->html, "</blockquote>\n");
	if (c->reasons != NULL && c->reasons[0] != '\0') {
		html_raw(&p->html, "<p>");
		html_text(&p->html, _("Why it was held:"));
		html_raw(&p->html, "</p>\n<pre>");
		html_text(&p->html, c->reasons);
		html_raw(&p->html, "</pre>\n");
	}
	link(p, _("Approve"), c->approve);
	link(p, _("Mark as spam"), c->spam);
	link(p, _("Delete"), c->del);
}

void
mailbody_held(struct mail_parts *p, const char *site,
    const struct mail_held *v, size_t n, int digest, long hours)
{
	size_t	 i;

	if (!digest && n == 1)
		buf_printf(&p->subject, _("Held for moderation: %s on "
		    "\xe2\x80\x9c%s\xe2\x80\x9d"), v[0].author, v[0].title);
	else
		buf_printf(&p->subject, NG_("%zu comment held for moderation "
		    "on %s", "%zu comments held for moderation on %s", n), n,
		    site);
	html_open(&p->html, buf_str(&p->subject));
	for (i = 0; i < n; i++)
		held_one(p, &v[i]);
	para(p, NG_("Each link opens a page that asks before it acts; it "
	    "works for %ld hour, and not once the comment was decided.",
	    "Each link opens a page that asks before it acts; it works for "
	    "%ld hours, and not once the comment was decided.", hours), hours);
	if (n > 0)
		link(p, _("The moderation queue"), v[0].queue);
	html_close(&p->html, site);
}
