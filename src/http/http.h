/* http.h: the request a handler sees and the response it builds */
#ifndef PALAVER_HTTP_H
#define PALAVER_HTTP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"
#include "domain/site.h"
#include "http/field.h"
#include "http/parse.h"

struct arena;
struct session;
struct site;

enum method {
	M_GET = 1 << 0,
	M_HEAD = 1 << 1,
	M_POST = 1 << 2,
	M_OPTIONS = 1 << 3,
	M_PUT = 1 << 4,
	M_DELETE = 1 << 5,
	M_OTHER = 1 << 6,
};

/* What one worker thread owns for its whole life. */
struct ctx {
	struct site	 site;
	struct arena	*arena;
};

/*
 * Everything parsed from one request.  Strings are copied into the arena
 * when the request is read (FastCGI's own die at FCGX_Finish_r) and live
 * until the response is written.
 */
struct req {
	struct site	*site;		/* the thread's: config, store, writer */
	struct arena	*arena;
	enum method	 method;
	const char	*method_str;
	const char	*path;		/* routed path, base path removed */
	const char	*query;		/* raw query string, "" when none */
	struct kvlist	 qs;		/* decoded query */
	struct kvlist	 cookies;
	struct kvlist	 form;		/* decoded urlencoded body */
	const char	*body;		/* raw body once read, NUL-terminated */
	size_t		 bodylen;
	long long	 content_length;	/* -1: none given */
	const char	*content_type;
	const char	*remote_addr;
	const char	*user_agent;
	const char	*referer;
	const char	*origin;
	const char	*if_none_match;
	const char	*sec_fetch_site;
	const char	*host;		/* Host header, for Origin checks */
	const char	*server_port;	/* the port nginx took the request on */
	const char	*token;		/* X-Palaver-Token: an author token */
	const char	*authorization;	/* Authorization (/metrics' token) */
	int		 https;
	struct session	*sess;		/* the moderator's, when logged in */
	const char	*sess_token;	/* its cookie value */
	struct fval	 f[F__MAX];	/* the route's fields, checked */
	enum field	 bad;		/* the first bad field, F__MAX: none */
	const struct addr_keys *keys;	/* http_addr_keys, once made */
	const char	*cache_key;	/* kept under this key (cache.c) */
	char		 cache_kind;	/* 'a', 'e', 'j' */
	long long	 cache_votes;	/* the article's vote counter then */
	char		*form_token;	/* made once, by http_form_token */
	long long	 arg[2];	/* numeric path parameters, in order */
	int		 route;		/* the route table's row, -1: none
					   (counted by /metrics) */
	const char	*word;		/* a word path parameter (actions) */
	void		*in;		/* the FastCGI input stream */
};

struct resp {
	int		 status;
	const char	*ctype;		/* NULL: text/html; charset=utf-8 */
	struct buf	 head;		/* extra header lines, each "K: V\r\n" */
	struct buf	 body;
};

/* http_status_text: "Not Found" for 404, etc. */
const char	*http_status_text(int);
/*
 * http_header: add a response header.  Values with CR or LF are refused
 * (logged, header dropped), so no user text can split a response.
 */
void		 http_header(struct resp *, const char *name, const char *val);
void		 http_headerf(struct resp *, const char *name,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * http_error: an error response in the form the route speaks (an HTML
 * page, or JSON {"error": ...} under /api/), with msg in words.
 * http_error_field names the field at fault in JSON (may be NULL).
 */
void	http_error(struct req *, struct resp *, int code, const char *msg);
void	http_error_field(struct req *, struct resp *, int code,
	    const char *msg, const char *field);
/* http_redirect: 303 See Other to a path below the base path. */
void		 http_redirect(struct req *, struct resp *, const char *path);
/*
 * http_body_read: read the request body, at most `cap` bytes.  ST_TOOBIG
 * when CONTENT_LENGTH (or what arrives) passes the cap, without reading
 * past it; ST_INPUT when the body is shorter than CONTENT_LENGTH claims
 * (truncated) or the stream failed.
 */
enum status	 http_body_read(struct req *, size_t cap);
/* http_etag_match: 1 when If-None-Match names the quoted etag (or *). */
int		 http_etag_match(const struct req *, const char *etag);
/*
 * http_origin_allowed: 1 when the request's Origin header is one of
 * [site] allowed_origins (the sites that embed the widget), else 0.
 */
int		 http_origin_allowed(const struct req *);
/* http_form_token: this reader's fresh anti-spam form token, made at the
 * first call; "" when out of memory. */
const char	*http_form_token(struct req *);
/* http_page_token: what a page being written puts in its form-token
 * field: a marker when the page is to be kept in the cache (cache.c puts
 * each reader's own token there as it goes out), else the token. */
const char	*http_page_token(struct req *);
/* http_addr_keys: the keyed hashes of the client's address and network
 * (auth/keyring.h), made once a request, in the arena; NULL when out of
 * memory. */
const struct addr_keys *http_addr_keys(struct req *);
/* http_addr_hash: the first of them, the address under the current key. */
const char	*http_addr_hash(struct req *);
/* http_query_hash: FNV-1a of a query string, to tell pages apart in an
 * ETag. */
unsigned	 http_query_hash(const char *);
/* http_url: the base path followed by path, in the arena. */
const char	*http_url(const struct req *, const char *path);

/* The checked value of a field of the route: NULL, or 0, unless FV_OK. */
const char	*http_str(const struct req *, enum field);
long long	 http_id(const struct req *, enum field);
/* http_raw: the field as it was sent (to refill a form), or NULL; never
 * kept for tokens and passwords. */
const char	*http_raw(const struct req *, enum field);
/* http_wipe: overwrite every copy of field f (a password) the request
 * holds: its checked value, the decoded form and the raw body. */
void		 http_wipe(struct req *, enum field);

struct poster;
struct view;
/*
 * http_poster: what the request says about the reader, for the domain:
 * address, its keyed hash and network, user agent, referrer, the allowed
 * embedding site it came from, and their own comments by the author
 * tokens in the cookie and in tok (NULL, or tokens joined by '~').
 * ST_NOMEM when the arena fails.
 */
enum status	 http_poster(struct req *, const char *tok, struct poster *);
/*
 * http_view: what every page is drawn with: the site's name, where links
 * point (absolute under [site] base_url for the embed fragment), the
 * moderator logged in, the form token, now.
 */
void		 http_view(struct req *, struct view *, int embed);
/* http_author_cookie: Set-Cookie with the reader's author tokens, the
 * one for comment id (token tok) first. */
void		 http_author_cookie(struct req *, struct resp *, long long id,
		    const char *tok);
/* The author cookie's name. */
#define HTTP_AUTHOR_COOKIE	"palaver_author"
/* The voter cookie's name: a random token that says nothing but "the same
 * reader", so that they vote once a comment. */
#define HTTP_VOTER_COOKIE	"palaver_voter"
/*
 * http_voter: the reader's voter: their token from the voter cookie, else
 * `sent` (the widget's, from localStorage), else a new one, which is then
 * set in the cookie (a year, HttpOnly) and given in *token for the widget
 * to keep (else *token is NULL).  *hash is what the database keeps: the
 * token's keyed hash under the server secret.  ST_NOMEM when the arena
 * fails.
 */
enum status	 http_voter(struct req *, struct resp *, const char *sent,
		    const char **hash, const char **token);

#endif
