/* views.c: the HTML pages, written through html.h; no database here */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/zone.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
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
	html_raw(b, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(b, i18n_code());
	html_raw(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
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
		/* TRANSLATORS: the title of a page's Atom feed. */
		html_textf(b, _("%s \xe2\x80\x94 comments"),
		    title != NULL ? title : v->site);
		html_raw(b, "\" href=\"");
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
	html_raw(b, "</main>\n<footer class=\"site\">");
	html_text(b, _("Comments by palaver"));
	html_raw(b, "</footer>\n</body>\n</html>\n");
}

/* A <time> element for unix seconds: the instant in UTC, shown in the
 * site's zone ([site] timezone; the script shows the reader's own). */
void
view_time(struct buf *b, long long t)
{
	struct tm	 tm, utc;
	time_t		 tt = (time_t)t;
	char		 s[128];

	/* By hand (i18n_datetime): strftime, twice a comment, showed in
	 * profiles. */
	if (gmtime_r(&tt, &utc) == NULL || utc.tm_year + 1900 < 0 ||
	    utc.tm_year + 1900 > 9999 || zone_tm(t, &tm) == NULL ||
	    tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return;
	htmlf(b, "<time datetime=\"%04d-%02d-%02dT%02d:%02d:%02dZ\">",
	    utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
	    utc.tm_min, utc.tm_sec);
	html_text(b, i18n_datetime(s, sizeof(s), &tm));
	html_raw(b, "</time>");
}

void
view_time_in(struct buf *b, const char *fmt, long long t)
{
	const char	*p;

	/* msgfmt --check keeps the translation's %s: one, no other. */
	if ((p = strstr(fmt, "%s")) == NULL) {
		html_text(b, fmt);
		return;
	}
	html_textn(b, fmt, (size_t)(p - fmt));
	view_time(b, t);
	html_text(b, p + 2);
}

/*
 * fmt, a translated sentence, with its %s (or %1$s, %2$s: a translation
 * may reorder them) filled: the first with s1 inside <tag> (no tag:
 * plain), the second with s2, both escaped like the rest.
 */
static void
fill_in(struct buf *b, const char *fmt, const char *tag, const char *s1,
    const char *s2)
{
	const char	*p, *arg;
	int		 k, seq = 0;

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
		if (k == 0) {
			size_t n = strcspn(p + 1, "%") + 1;

			html_textn(b, p, n);
			p += n;
			continue;
		}
		arg = k == 1 ? s1 : s2;
		if (arg == NULL)
			continue;
		if (k == 1 && tag != NULL)
			htmlf(b, "<%s>", tag);
		html_text(b, arg);
		if (k == 1 && tag != NULL)
			htmlf(b, "</%s>", tag);
	}
}

void
view_strong_in(struct buf *b, const char *fmt, const char *s1,
    const char *s2)
{
	fill_in(b, fmt, "strong", s1, s2);
}

void
view_kbd_in(struct buf *b, const char *fmt, const char *key)
{
	fill_in(b, fmt, "kbd", key, NULL);
}

void
view_q_in(struct buf *b, const char *fmt, const char *s)
{
	fill_in(b, fmt, "q", s, NULL);
}

void
view_code_in(struct buf *b, const char *fmt, const char *s)
{
	fill_in(b, fmt, "code", s, NULL);
}

void
view_score(struct buf *b, double score)
{
	char	 s[32];

	html_text(b, i18n_real(s, sizeof(s), score, 2));
}

void
view_count_in(struct buf *b, const char *fmt, long long n)
{
	static const char *const conv[] = { "%zu", "%lld", "%ld", "%d",
	    "%1$zu", "%1$lld", "%1$ld", "%1$d" };
	const char	*p, *best = NULL;
	size_t		 i, len = 0;

	for (i = 0; i < sizeof(conv) / sizeof(conv[0]); i++)
		if ((p = strstr(fmt, conv[i])) != NULL &&
		    (best == NULL || p < best)) {
			best = p;
			len = strlen(conv[i]);
		}
	if (best == NULL) {
		html_text(b, fmt);
		return;
	}
	html_textn(b, fmt, (size_t)(best - fmt));
	html_num(b, n);
	html_text(b, best + len);
}

const char *
view_status_word(int st)
{
	switch (st) {
	case CS_PENDING:
		return C_("status", "pending");
	case CS_APPROVED:
		return C_("status", "approved");
	case CS_SPAM:
		return C_("status", "spam");
	case CS_DELETED:
		return C_("status", "deleted");
	default:
		return "?";
	}
}

const char *
view_report_word(int why)
{
	switch (why) {
	case RR_SPAM:
		return C_("report", "spam");
	case RR_ABUSE:
		return C_("report", "abuse");
	case RR_OFF_TOPIC:
		return C_("report", "off-topic");
	case RR_OTHER:
		return C_("report", "other");
	default:
		return "?";
	}
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
	html_raw(b, "\">");
	html_text(b, _("All articles"));
	html_raw(b, "</a></p>\n</section>\n");
	view_page_close(b);
}

void
view_count(struct buf *b, long long n)
{
	char	 num[32];

	html_textf(b, NG_("%s comment", "%s comments", n),
	    i18n_num(num, sizeof(num), n));
}

void
view_index(const struct view *v, struct buf *b, const struct article *ar,
    size_t n,
    long long next_created, long long next_id)
{
	size_t	 i;
	char	 path[64];

	view_page_open(v, b, _("Articles"));
	html_raw(b, "<h1>");
	html_text(b, _("Articles"));
	html_raw(b, "</h1>\n");
	if (n == 0) {
		html_raw(b, "<p class=\"empty\">");
		html_text(b, _("No articles yet."));
		html_raw(b, "</p>\n");
	}
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
		view_count(b, ar[i].ncomments);
		if (ar[i].closed) {
			html_raw(b, " \xc2\xb7 ");
			/* TRANSLATORS: an article closed to comments. */
			html_text(b, _("closed"));
		}
		html_raw(b, "</span></li>\n");
	}
	if (n > 0)
		html_raw(b, "</ul>\n");
	if (next_id > 0) {
		html_raw(b, "<nav class=\"pages\"><a rel=\"next\" href=\"");
		view_url(v, b, "/");
		htmlf(b, "?before=%lld&amp;at=%lld", next_id,
		    next_created);
		html_raw(b, "\">");
		html_text(b, _("Older articles"));
		html_raw(b, "</a></nav>\n");
	}
	view_page_close(b);
}
