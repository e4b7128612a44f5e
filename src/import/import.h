/* import.h: comments from a WordPress (WXR), Disqus or Isso export, into the store */
#ifndef PALAVER_IMPORT_H
#define PALAVER_IMPORT_H

#include <stddef.h>

#include "core/arena.h"
#include "core/status.h"
#include "store/store.h"

struct buf;

/* Exports are refused above this size (once unpacked, for gzip): the
 * whole tree is held in memory (a few times the file's size) while it is
 * read. */
#define IMPORT_MAX_FILE		(512UL * 1024 * 1024)
/* A comment longer than this (as HTML, or as the Markdown made of it) is
 * left out with a warning: [moderation] limits do not apply to imports,
 * but no real comment is a mebibyte long. */
#define IMPORT_MAX_COMMENT	(1024 * 1024)
/* Warnings kept for the caller; more are only counted. */
#define IMPORT_MAX_WARNINGS	100

enum import_kind {
	IMPORT_WORDPRESS,
	IMPORT_DISQUS,
	IMPORT_ISSO,		/* an Isso database, or Isso's generic JSON */
	IMPORT__MAX
};

/* Why comments were left out: the summary counts them by reason. */
enum import_drop {
	DROP_NO_ID,		/* no id in the export */
	DROP_NO_LINK,		/* its post or thread has no usable link */
	DROP_NO_THREAD,		/* its thread is not in the export */
	DROP_TOO_BIG,		/* over IMPORT_MAX_COMMENT */
	DROP_TWICE,		/* its id appears twice */
	DROP_BAD_TEXT,		/* its text cannot be rendered */
	DROP_OTHER,		/* an earlier import gave its id to another */
	DROP__MAX
};

/* What an import does beyond the export itself. */
struct import_opts {
	int		 pingbacks;	/* pingbacks and trackbacks too */
	int		 keep_query;	/* thread keys keep the query */
	/* Called now and then while comments are stored (may be NULL). */
	void		(*progress)(void *arg, size_t done, size_t total);
	void		*arg;
};

/* An article (WordPress post or page, Disqus or Isso thread). */
struct import_article {
	const char	*uri;		/* its key: text_uri_normalize */
	const char	*link;		/* as the export gave it */
	const char	*title;		/* one line of plain text */
	long long	 created;	/* unix seconds, 0: unknown */
	int		 closed;	/* closed to new comments */
};

struct import_comment {
	const char	*id;		/* its id in the export */
	const char	*parent_id;	/* the parent's id in the export, or NULL */
	size_t		 parent;	/* index of the parent, or IMPORT_NONE */
	size_t		 article;	/* index into the document's articles */
	const char	*author;	/* one line, never empty */
	const char	*email;		/* NULL: none */
	const char	*website;	/* an http(s) URL, or NULL */
	const char	*body;		/* Markdown */
	size_t		 body_len;
	enum cstatus	 status;
	long long	 created;	/* unix seconds, 0: unknown (then held) */
	int		 pingback;	/* a pingback or trackback */
	long long	 up, down;	/* votes counted without voters
					 * (Isso's likes and dislikes) */
};

#define IMPORT_NONE	((size_t)-1)

/*
 * A parsed export.  Every string lives in the arena.  Comments whose
 * parent is not in the document (or is under another article) keep
 * parent_id but have parent IMPORT_NONE.
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
	size_t			 dropped[DROP__MAX];	/* the same by reason */
	long long		 likes;		/* Isso's likes and dislikes
						 * in the export */
	struct arena		 a;
};

/* What import_run did. */
struct import_result {
	size_t		 articles;	/* articles with comments in the export */
	size_t		 articles_new;	/* of which created */
	size_t		 closed;	/* of those, created closed */
	size_t		 comments;	/* comments added */
	size_t		 seen;		/* skipped: imported before */
	size_t		 pingbacks;	/* skipped: pingbacks, trackbacks */
	size_t		 reattached;	/* imported before at the top, now
					 * under their parent */
	long long	 counted;	/* votes without voters kept with the
					 * comments added (Isso's likes) */
};

/* import_kind_parse: "wordpress", "disqus" or "isso"; IMPORT__MAX
 * otherwise.  import_kind_name: the other way. */
enum import_kind	 import_kind_parse(const char *);
const char		*import_kind_name(enum import_kind);
/* import_drop_reason: why, in words ("over 1 MiB"). */
const char		*import_drop_reason(enum import_drop);

/*
 * import_parse: read an export of the given kind from len bytes (for
 * IMPORT_ISSO: Isso's generic JSON).  On success *out is a new document
 * (import_doc_free), with warnings about what was left out.  On failure
 * *out is NULL and err (always NUL-terminated, one line) says why in
 * words: ST_INPUT when the bytes are not XML or JSON (with the line of
 * the first error) or not an export of that kind, ST_TOOBIG over
 * IMPORT_MAX_FILE, ST_NOMEM.  The XML parser never expands entities,
 * never reads another file and never touches the network.  opts may be
 * NULL (the defaults: keys without the query).
 */
enum status	 import_parse(enum import_kind, const char *data, size_t len,
		    const struct import_opts *, struct import_doc **out,
		    char *err, size_t errsz);
/*
 * import_parse_file: the same from the file at path ("-": standard
 * input), which may be gzip-compressed (Disqus sends .xml.gz); for
 * IMPORT_ISSO an Isso SQLite database as well.  A regular file must be
 * at most IMPORT_MAX_FILE bytes, and so must what it unpacks to (else
 * ST_TOOBIG); ST_IO when it cannot be read, with the cause in err.
 */
enum status	 import_parse_file(enum import_kind, const char *path,
		    const struct import_opts *, struct import_doc **out,
		    char *err, size_t errsz);
/* import_doc_free: NULL ok. */
void		 import_doc_free(struct import_doc *);

/*
 * import_html_text (import_html.c): turn the HTML of an old comment into
 * text appended to out, through libxml2's HTML parser (every entity HTML
 * names, broken markup mended as browsers do).  With markdown set, the
 * result is Markdown for markup_render: paragraphs become blank lines,
 * <br> a line break, a link "[text](<url>)" (http and https only; a link
 * whose text is empty or a URL itself, as Disqus shortens them, is its
 * real target alone, so only that is linked, once), <em>, <strong>,
 * <code>, <pre>, <del>, <blockquote> and <li> their Markdown, other tags
 * go and the text of <script>, <style> and the like goes with them; the
 * text is escaped, so it never turns into markup of its own.  Without
 * markdown, one line of plain text (titles, names).  The output is valid
 * UTF-8 without control characters other than \n.  Returns ST_OK, or
 * ST_NOMEM when a buffer failed.
 */
enum status	 import_html_text(struct buf *out, const char *html,
		    size_t len, int markdown);

/*
 * import_run: add the document's comments to the store in one
 * transaction: articles are found by uri or created (closed when the
 * export says so), parents go in before their replies (a reply whose
 * parent is missing becomes a top-level comment, and joins its parent
 * when a later import brings it), comments imported before are skipped,
 * and so are pingbacks unless opts->pingbacks.  Warnings about single
 * comments go to doc's list.  On failure nothing is changed; err says
 * why.
 */
enum status	 import_run(struct store *, struct import_doc *,
		    const struct import_opts *, long long now,
		    struct import_result *, char *err, size_t errsz);

#endif
