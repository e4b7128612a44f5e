/* views.c: the HTML pages, written through html.h; no database here */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/zone.h"
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

/* A <time> element for unix seconds: the instant in UTC, shown in the
 * site's zone ([site] timezone; the script shows the reader's own). */
void
view_time(struct buf *b, long long t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm	 tm, utc;
	time_t		 tt = (time_t)t;

	/* By hand: strftime, twice a comment, showed in profiles. */
	if (gmtime_r(&tt, &utc) == NULL || utc.tm_year + 1900 < 0 ||
	    utc.tm_year + 1900 > 9999 || zone_tm(t, &tm) == NULL ||
	    tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return;
	htmlf(b, "<time datetime=\"%04d-%02d-%02dT%02d:%02d:%02dZ\">%d %.3s "
	    "%04d, %02d:%02d ", utc.tm_year + 1900, utc.tm_mon + 1,
	    utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, tm.tm_mday,
	    months + 3 * tm.tm_mon, tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
	html_text(b, tm.tm_zone != NULL ? tm.tm_zone : "UTC");
	html_raw(b, "</time>");
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

void
view_count(struct buf *b, long long n)
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
		view_count(b, ar[i].ncomments);
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
