/* feed.c: Atom feeds (RFC 4287) of approved comments, escaped by html.h */
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "render/feed.h"
#include "render/html.h"

/* s as XML character data: valid UTF-8, no control characters but tab
 * and line ends, the five escapes. */
static void
xml_text(struct buf *b, const char *s)
{
	struct buf	 t = BUF_INIT;
	size_t		 i;

	if (s == NULL)
		return;
	utf8_repair(&t, s, strlen(s), UTF8_REPLACEMENT);
	for (i = 0; i < t.len; i++)
		if ((unsigned char)t.p[i] < ' ' && t.p[i] != '\t' &&
		    t.p[i] != '\n' && t.p[i] != '\r')
			t.p[i] = ' ';
	if (!t.err)
		html_textn(b, buf_str(&t), t.len);
	else
		b->err = 1;
	buf_free(&t);
}

static void
xml_time(struct buf *b, long long t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)(t < 0 ? 0 : t);

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999)
		gmtime_r(&(time_t){ 0 }, &tm);
	htmlf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
permalink(struct buf *b, const struct feed_info *f, const struct comment *c)
{
	/* /c/ID: the page of the thread that holds it, whatever the
	 * thread's size. */
	xml_text(b, f->base);
	htmlf(b, "/c/%lld", c->id);
}

void
feed_write(struct buf *b, const struct feed_info *f,
    const struct feed_entry *v, size_t n)
{
	long long	 updated = f->updated;
	size_t		 i;

	for (i = 0; i < n; i++) {
		long long u = v[i].c.edited > v[i].c.created ? v[i].c.edited :
		    v[i].c.created;

		if (u > updated)
			updated = u;
	}
	html_raw(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
	xml_text(b, f->title);
	html_raw(b, "</title>\n<id>");
	xml_text(b, f->self);
	html_raw(b, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"");
	xml_text(b, f->self);
	html_raw(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" "
	    "href=\"");
	xml_text(b, f->alternate);
	html_raw(b, "\"/>\n<updated>");
	xml_time(b, updated);
	html_raw(b, "</updated>\n<generator>palaver</generator>\n");
	for (i = 0; i < n; i++) {
		const struct comment *c = &v[i].c;

		html_raw(b, "<entry>\n<title>");
		xml_text(b, c->author);
		html_raw(b, " on ");
		xml_text(b, v[i].title);
		html_raw(b, "</title>\n<id>");
		permalink(b, f, c);
		html_raw(b, "</id>\n<link rel=\"alternate\" type=\"text/html\" "
		    "href=\"");
		permalink(b, f, c);
		html_raw(b, "\"/>\n<author><name>");
		xml_text(b, c->author);
		html_raw(b, "</name>");
		if (c->website != NULL && text_url_ok(c->website)) {
			html_raw(b, "<uri>");
			xml_text(b, c->website);
			html_raw(b, "</uri>");
		}
		html_raw(b, "</author>\n<published>");
		xml_time(b, c->created);
		html_raw(b, "</published>\n<updated>");
		xml_time(b, c->edited > c->created ? c->edited : c->created);
		/* The HTML palaver rendered and sanitised at write time,
		 * escaped once more as the text of type="html". */
		html_raw(b, "</updated>\n<content type=\"html\">");
		xml_text(b, c->html);
		html_raw(b, "</content>\n</entry>\n");
	}
	html_raw(b, "</feed>\n");
}
