/* http.h: the request a handler sees and the response it builds */
#ifndef PALAVER_HTTP_H
#define PALAVER_HTTP_H

#include <stddef.h>

#include "core/buf.h"
#include "http/parse.h"
#include "core/status.h"

struct arena;
struct config;
struct store;
struct writer;
struct session;

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
	const struct config	*cfg;
	struct store		*store;
	struct writer		*writer;	/* shared by the process */
	unsigned char		 secret[32];
	struct arena		*arena;
};

/*
 * Everything parsed from one request.  Strings are copied into the arena
 * when the request is read (FastCGI's own die at FCGX_Finish_r) and live
 * until the response is written.
 */
struct req {
	struct ctx	*ctx;
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
	int		 https;
	struct session	*sess;		/* the moderator's, when logged in */
	const char	*sess_token;	/* its cookie value */
	int		 embed;		/* rendering the fragment for other sites */
	int		 tokens;	/* the page holds form-token markers */
	char		*form_token;	/* made once, by http_form_token */
	long long	 arg[2];	/* numeric path parameters, in order */
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
/* http_addr_hash: the keyed hash of the client's address (auth.c), in the
 * arena; NULL when out of memory. */
const char	*http_addr_hash(struct req *);
/* http_query_hash: FNV-1a of a query string, to tell pages apart in an
 * ETag. */
unsigned	 http_query_hash(const char *);
/* http_url: the base path followed by path, in the arena. */
const char	*http_url(const struct req *, const char *path);

#endif
