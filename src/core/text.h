/* text.h: every rule for text people type, with its limits, in one place */
#ifndef PALAVER_TEXT_H
#define PALAVER_TEXT_H

#include <stddef.h>

struct arena;

/*
 * The kinds of text palaver takes from people: the web forms, the API,
 * the command line and imports all check them here, so the rules cannot
 * drift apart.  Limits count characters (code points), never bytes,
 * except the password's upper bound (no reason to hash more).
 */
enum text_kind {
	TEXT_NAME,	/* a commenter's name: one line */
	TEXT_ACCOUNT,	/* a moderator's login name: one line, no spaces */
	TEXT_EMAIL,	/* an e-mail address */
	TEXT_WEBSITE,	/* an http(s) address with a host */
	TEXT_URI,	/* a new thread's key: a path that starts with "/" */
	TEXT_KEY,	/* a thread's key looked up: one line */
	TEXT_TITLE,	/* an article's title: one line */
	TEXT_BODY,	/* a comment or article body: lines of Markdown */
	TEXT_PASSWORD,	/* a moderator's password, taken as typed */
	TEXT_REASON,	/* a ban's or a report's reason: one line */
	TEXT_QUERY,	/* search words: one line */
	TEXT_BAN,	/* what a ban matches: one line */
	TEXT__MAX
};

/* What is wrong with a text, when something is. */
enum text_err {
	TEXT_OK = 0,
	TEXT_EMPTY,	/* nothing there once trimmed */
	TEXT_NOT_TEXT,	/* not UTF-8, or a NUL or control character */
	TEXT_NOT_LINE,	/* a line break or tab where one line is wanted */
	TEXT_TOO_SHORT,
	TEXT_TOO_LONG,
	TEXT_BAD_FORM,	/* not an address, URL or path of the kind wanted */
	TEXT_IS_NAME,	/* a password that is the account's name */
	TEXT_NOMEM,	/* out of memory: not the text's fault */
	TEXT_ERR__MAX
};

/* Limits, in characters. */
#define TEXT_NAME_MAX		64
#define TEXT_EMAIL_MAX		254
#define TEXT_WEBSITE_MAX	512
#define TEXT_URI_MAX		1024
#define TEXT_TITLE_MAX		200
#define TEXT_REASON_MAX		200
#define TEXT_QUERY_MAX		200
#define TEXT_BAN_MAX		254
#define TEXT_PASSWORD_MIN	12
#define TEXT_PASSWORD_MAX	1024	/* bytes */
/* A body's limit is the caller's ([moderation] max_comment for
 * comments); this is the ceiling for an article's body. */
#define TEXT_BODY_MAX		(1024 * 1024)

/* The rule of one kind. */
struct text_rule {
	const char	*label;		/* "name", "e-mail address", ... */
	size_t		 min, max;	/* characters; max 0: the caller's */
	unsigned	 flags;
#define TEXT_LINES	0x01		/* line breaks allowed */
#define TEXT_RAW	0x02		/* kept exactly as typed (no trim) */
#define TEXT_NOSPACE	0x04		/* no white space at all */
	int		(*form)(const char *);	/* NULL: any text */
};

extern const struct text_rule	text_rules[TEXT__MAX];

/*
 * text_take: check s[0..n) (which may hold NULs: they are refused) as
 * text of the kind, with at most max characters (0: the kind's own
 * limit), and copy it normalised into the arena: \r\n and a lone \r
 * become \n, white space at both ends goes (not for passwords).  *out is
 * the copy, or NULL with TEXT_EMPTY when nothing is left, and NULL on
 * every error.  *chars (may be NULL) receives the length in characters
 * of what was checked, also with TEXT_TOO_LONG.
 */
enum text_err	 text_take(struct arena *, enum text_kind, const char *s,
		    size_t n, size_t max, const char **out, size_t *chars);
/* text_check: the same checks on a NUL-terminated string, as it is (no
 * trimming): TEXT_OK or what is wrong. */
enum text_err	 text_check(enum text_kind, const char *s, size_t max);
/* text_password_ok: a new password: TEXT_OK, or what is wrong with it
 * (too short, not text, the same as the account name). */
enum text_err	 text_password_ok(const char *pw, size_t n,
		    const char *name);
/*
 * text_error: a sentence for a person saying what is wrong with a field
 * of this kind ("The name is too long (at most 64 characters).").  max as
 * given to text_take (0: the kind's own), chars what it counted.  Static
 * text or from the arena; never NULL.
 */
const char	*text_error(struct arena *, enum text_kind, enum text_err,
		    size_t max, size_t chars);
/* text_email_ok, text_url_ok, text_uri_ok: the forms, on their own. */
int		 text_email_ok(const char *);
int		 text_url_ok(const char *);
int		 text_uri_ok(const char *);
/*
 * text_id: a positive decimal id (1 to 2^53) without sign, space or
 * leading zeros.  Returns it, or 0 when s[0..n) is not one.
 */
long long	 text_id(const char *s, size_t n);

/* text_uri_normalize's flags. */
#define TEXT_URI_QUERY	0x01		/* keep the query (normalised too) */

/*
 * text_uri_normalize: the key of a thread, from what names its page: an
 * absolute URL ("https://host/path?q#f", any scheme followed by "//"), a
 * scheme-relative "//host/path" or a path "/path?q#f".  The one rule for
 * imports, the API, the widget and the command line: the scheme, host and
 * fragment go, and so does the query unless TEXT_URI_QUERY; the rest is
 * normalised as RFC 3986 (6.2.2) says: percent-encodings in upper case,
 * those of unreserved characters (A-Z a-z 0-9 - . _ ~) decoded, "." and
 * ".." segments removed, and every byte a URI may not hold as it is
 * (non-ASCII, space, " < > \ ^ ` { | } and a '%' that starts no
 * encoding) percent-encoded.  So "/p/%e7%ac%ac", "/p/" followed by
 * U+7B2C in UTF-8, and "https://host/p/%E7%AC%AC?lang=en#top" are all
 * "/p/%E7%AC%AC"; "https://host" is "/".  Applying it twice changes
 * nothing.
 * Returns TEXT_OK with *out in the arena, or (with *out NULL) TEXT_EMPTY,
 * TEXT_NOT_TEXT (not UTF-8, a NUL or a control character), TEXT_BAD_FORM
 * (neither a path nor an absolute URL), TEXT_TOO_LONG (the key would pass
 * TEXT_URI_MAX) or TEXT_NOMEM.
 */
enum text_err	 text_uri_normalize(struct arena *, const char *s, size_t n,
		    unsigned flags, const char **out);

/*
 * text_cut: how many bytes of the valid UTF-8 s[0..n) to keep so it fits
 * text of kind k (at most max characters; 0: the kind's own limit).  n
 * when it fits.  Otherwise the cut is clean: never inside a character,
 * never between a character and the marks that combine with it (accents,
 * joiners, variation selectors), and white space before it goes too.  The
 * caller says that it cut (the rule is the same everywhere: imports warn).
 */
size_t		 text_cut(enum text_kind k, const char *s, size_t n,
		    size_t max);

#endif
