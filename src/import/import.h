/* import.h: comments from a WordPress (WXR) or Disqus export, into the store */
#ifndef PALAVER_IMPORT_H
#define PALAVER_IMPORT_H

#include <stddef.h>

#include "core/arena.h"
#include "core/status.h"
#include "store/store.h"

struct buf;

/* Exports are refused above this size: the whole tree is held in memory
 * (a few times the file's size) while it is read. */
#define IMPORT_MAX_FILE		(512UL * 1024 * 1024)
/* A comment longer than this (as HTML, or as the Markdown made of it) is
 * skipped with a warning: [moderation] limits do not apply to imports,
 * but no real comment is a mebibyte long. */
#define IMPORT_MAX_COMMENT	(1024 * 1024)
/* Warnings kept for the caller; more are only counted. */
#define IMPORT_MAX_WARNINGS	100

enum import_kind {
	IMPORT_WORDPRESS,
	IMPORT_DISQUS,
	IMPORT__MAX
};

/* An article (WordPress post or page, Disqus thread) comments hang under. */
struct import_article {
	const char	*uri;		/* the path of its link: /2015/01/hi/ */
	const char	*title;		/* one line of plain text */
	long long	 created;	/* unix seconds, 0: unknown */
};

struct import_comment {
	const char	*id;		/* its id in the export */
	const char	*parent_id;	/* the parent's id in the export, or NULL */
	size_t		 parent;	/* index of the parent, or IMPORT_NONE */
	size_t		 article;	/* index into the document's articles */
	const char	*author;	/* one line, never empty */
	const char	*email;		/* NULL: none */
	const char	*website;	/* an http(s) URL, or NULL */
	const char	*body;		/* Markdown made from the export's HTML */
	size_t		 body_len;
	enum cstatus	 status;
	long long	 created;	/* unix seconds, 0: unknown */
	int		 pingback;	/* a pingback or trackback */
};

#define IMPORT_NONE	((size_t)-1)

/*
 * A parsed export.  Every string lives in the arena.  Comments whose
 * parent is not in the document (or is skipped) keep parent_id but have
 * parent IMPORT_NONE.
 */
struct import_doc {
	enum import_kind	 kind;
	const char		*source;	/* the key of its ids: see import.c */
	struct import_article	*articles;
	size_t			 narticles;
	struct import_comment	*comments;
	size_t			 ncomments;
	const char		*warnings[IMPORT_MAX_WARNINGS];
	size_t			 nwarnings;	/* may exceed the array */
	size_t			 nrefused;	/* comments left out, warned */
	struct arena		 a;
};

/* What import_run did. */
struct import_result {
	size_t		 articles;	/* articles with comments in the export */
	size_t		 articles_new;	/* of which created */
	size_t		 comments;	/* comments added */
	size_t		 seen;		/* skipped: imported before */
	size_t		 pingbacks;	/* skipped: pingbacks, trackbacks */
};

/* import_kind_parse: "wordpress" or "disqus"; IMPORT__MAX otherwise. */
enum import_kind	 import_kind_parse(const char *);

/*
 * import_parse: read an export of the given kind from len bytes.  On
 * success *out is a new document (import_doc_free), with warnings about
 * what was left out.  On failure *out is NULL and err (always
 * NUL-terminated) says why in words: ST_INPUT when the bytes are not XML
 * (with the line of the first error) or not an export of that kind,
 * ST_TOOBIG over IMPORT_MAX_FILE, ST_NOMEM.  The parser never expands
 * entities, never reads another file and never touches the network.
 */
enum status	 import_parse(enum import_kind, const char *data, size_t len,
		    struct import_doc **out, char *err, size_t errsz);
/* import_parse_file: the same, from the file at path (which must be a
 * regular file of at most IMPORT_MAX_FILE bytes; else ST_TOOBIG or ST_IO,
 * with the cause in err). */
enum status	 import_parse_file(enum import_kind, const char *path,
		    struct import_doc **out, char *err, size_t errsz);
/* import_doc_free: NULL ok. */
void		 import_doc_free(struct import_doc *);

/*
 * import_html_text (import_html.c): turn the HTML of an old comment into
 * text appended to out.  With markdown set, the result is Markdown for
 * markup_render: paragraphs become blank lines, <br> a line break, a link
 * "text (<url>)" (http and https only), <em>, <strong>, <code>, <pre>, <del>,
 * <blockquote> and <li> their Markdown, other tags go and the text of
 * <script>, <style> and the like goes with them; entities are decoded and
 * the text escaped, so it never turns into markup of its own.  Without
 * markdown, one line of plain text (titles, names).  The output is valid
 * UTF-8 without control characters other than \n.  Returns ST_OK, or
 * ST_NOMEM when the buffer failed.
 */
enum status	 import_html_text(struct buf *out, const char *html,
		    size_t len, int markdown);

/*
 * import_run: add the document's comments to the store in one
 * transaction: articles are found by uri or created, parents go in
 * before their replies (a reply whose parent is missing becomes a
 * top-level comment), comments imported before are skipped, and so are
 * pingbacks unless `pingbacks`.  Warnings about single comments go to
 * doc's list.  On failure nothing is changed; err says why.
 */
enum status	 import_run(struct store *, struct import_doc *,
		    int pingbacks, long long now, struct import_result *,
		    char *err, size_t errsz);

#endif
