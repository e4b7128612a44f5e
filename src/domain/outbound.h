/* outbound.h: delivering one message: SMTP and HTTPS POST through
 * libcurl (the only file that calls it) */
#ifndef PALAVER_OUTBOUND_H
#define PALAVER_OUTBOUND_H

#include <stddef.h>

struct outbound;

enum ob_result {
	OB_OK,		/* the server took it */
	OB_TEMP,	/* try again later */
	OB_PERM,	/* the server refused it for good */
};

/* What became of a delivery, and why in words (for the log, and for
 * admins on /mod/deliveries). */
struct ob_res {
	enum ob_result	 r;
	char		 why[256];
};

/* How to reach the mail server ([mail]). */
struct smtp_opts {
	const char	*url;		/* smtp://HOST[:PORT] or smtps:// */
	const char	*helo;		/* the name we give in EHLO */
	const char	*user;		/* "" for none */
	const char	*password;
	const char	*starttls;	/* required, opportunistic, off */
	long		 timeout;	/* seconds */
};

/* outbound_global_init: libcurl's start-up; once, before any thread.
 * -1 when it cannot. */
int	outbound_global_init(void);
/* outbound_new: a handle whose connections are kept from one delivery to
 * the next.  NULL when out of memory.  outbound_free: NULL ok. */
struct outbound	*outbound_new(void);
void	outbound_free(struct outbound *);
/*
 * outbound_smtp: send msg (CRLF lines) from envelope address `from` to
 * `to`.  OB_PERM when the server answered 5xx for the message (a refused
 * recipient, say); connections, TLS and logins that fail are OB_TEMP,
 * since fixing the configuration delivers them.
 */
void	outbound_smtp(struct outbound *, const struct smtp_opts *,
	    const char *from, const char *to, const char *msg, size_t len,
	    struct ob_res *);
/*
 * outbound_post: POST body to url with the given header lines ("Name:
 * value", NULL-terminated), within timeout seconds, without following
 * redirects.  OB_OK on 2xx; OB_PERM on a 4xx other than 408, 425 and 429;
 * else OB_TEMP.
 */
void	outbound_post(struct outbound *, const char *url,
	    const char *const headers[], const char *body, size_t len,
	    long timeout, struct ob_res *);

#endif
