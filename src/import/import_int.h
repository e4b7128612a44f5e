/* import_int.h: what the files of the import share (the document being built, the input); nothing outside src/import includes it */
#ifndef PALAVER_IMPORT_INT_H
#define PALAVER_IMPORT_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/text.h"
#include "import/import.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* A document being built from an export. */
struct build {
	struct import_doc	*d;
	struct buf		 tmp;	/* an element's text (import_xml.c) */
	struct buf		 conv;	/* converted text */
	size_t			 acap, ccap;
	unsigned		 uri_flags;	/* for text_uri_normalize */
	enum status		 st;	/* ST_NOMEM once anything failed */
};

/* --- the document (import.c) --------------------------------------------- */

/* import_build_init: a new, empty document of the kind in b; ST_NOMEM.
 * import_build_done: resolve parents and duplicates (see import_resolve)
 * and hand the document over (*out) or free it on failure; frees b's
 * buffers either way and returns b->st or what resolving said. */
enum status	 import_build_init(struct build *, enum import_kind,
		    const struct import_opts *);
enum status	 import_build_done(struct build *, enum status,
		    struct import_doc **out);

/* import_sanitize: what is not printable UTF-8 text in s becomes '?'
 * (messages quote the file, and go to a terminal). */
void		 import_sanitize(char *s);
/* import_warn: a warning for the summary (sanitized, one line). */
void		 import_warn(struct import_doc *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* import_drop: n comments left out for this reason (warned already). */
void		 import_drop(struct import_doc *, enum import_drop, size_t n);
/* import_keep: a copy of s[0..n) in the document's arena; NULL (and
 * b->st ST_NOMEM) when out of memory. */
const char	*import_keep(struct build *, const char *s, size_t n);
/* import_line: one line of plain text from HTML, of a kind of the
 * text-rules module (a name, a title), cut cleanly to its limit with a
 * warning that names `who`; NULL when empty. */
const char	*import_line(struct build *, const char *html, size_t n,
		    enum text_kind, const char *who);
/* import_plain: the same from plain text (Isso keeps names as typed):
 * white space folded, controls gone, bad UTF-8 repaired. */
const char	*import_plain(struct build *, const char *s, size_t n,
		    enum text_kind, const char *who);
/* import_email, import_website: the value when the text rules take it,
 * else NULL (an e-mail address that is not one is warned about). */
const char	*import_email(struct build *, const char *s, size_t n,
		    const char *who);
const char	*import_website(struct build *, const char *s, size_t n);
/* import_uri: the key of an article from its link (text_uri_normalize
 * with the document's flags), or NULL when the link is not usable. */
const char	*import_uri(struct build *, const char *link, size_t n);
/* import_add_article: a new article; its index, or IMPORT_NONE. */
size_t		 import_add_article(struct build *, const char *uri,
		    const char *link, const char *title, long long created,
		    int closed);
/* import_body_html, import_body_md: the comment's text from HTML, or
 * from Markdown kept as it is (Isso), into c->body; 0 when it is left
 * out (warned, counted) or memory ran out (b->st). */
int		 import_body_html(struct build *, struct import_comment *,
		    const char *html, size_t n);
int		 import_body_md(struct build *, struct import_comment *,
		    const char *md, size_t n);
/* import_add_comment: the comment joins the document.  One without a
 * readable date is held for a moderator (never approved as new) and
 * warned about. */
void		 import_add_comment(struct build *, struct import_comment *);
/* import_date: "2015-01-28 10:00:00" (WordPress, Isso) or ISO 8601
 * "2015-01-28T10:00:00.5+01:00" (Disqus) in unix seconds; 0 when it is
 * neither or before 1970. */
long long	 import_date(const char *);

/* --- the input (import_in.c) --------------------------------------------- */

/* A file or standard input, gzip-compressed or not, read once. */
struct import_in;

/*
 * import_in_open: path, or standard input for "-".  A regular file over
 * `max` bytes is ST_TOOBIG at once; reading stops (ST_TOOBIG) when more
 * than `max` bytes come out of it (after gunzip: a small bomb cannot
 * fill memory).  ST_IO with the cause in err.
 */
enum status	 import_in_open(const char *path, size_t max,
		    struct import_in **, char *err, size_t errsz);
/* import_in_peek: up to n of the first bytes (unpacked), not consumed;
 * returns how many there are. */
size_t		 import_in_peek(struct import_in *, void *, size_t n);
/* import_in_read: up to n bytes; returns how many, 0 at the end, -1 on
 * error (import_in_error says which). */
ssize_t		 import_in_read(struct import_in *, void *, size_t n);
/* import_in_line: the next line without its "\n" into b (reset first);
 * ST_OK, ST_NOTFOUND at the end, ST_TOOBIG over `max` bytes, else the
 * error. */
enum status	 import_in_line(struct import_in *, struct buf *, size_t max);
/* import_in_error: ST_OK, or what went wrong reading, in err. */
enum status	 import_in_error(const struct import_in *, char *err,
		    size_t errsz);
/* import_in_gzip: 1 when the input is gzip-compressed. */
int		 import_in_gzip(const struct import_in *);
/* import_in_close: NULL ok. */
void		 import_in_close(struct import_in *);

/* --- formats ------------------------------------------------------------- */

/* import_xml_parse (import_xml.c): WordPress or Disqus XML from memory
 * (data) or, when data is NULL, from in. */
enum status	 import_xml_parse(struct build *, const char *data,
		    size_t len, struct import_in *in, char *err,
		    size_t errsz);
/* import_isso_json, import_isso_db (import_isso.c): Isso's generic JSON
 * from memory, an Isso SQLite database from a file. */
enum status	 import_isso_json(struct build *, const char *data,
		    size_t len, char *err, size_t errsz);
enum status	 import_isso_db(struct build *, const char *path, char *err,
		    size_t errsz);

#endif
