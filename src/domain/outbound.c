/* outbound.c: delivering one message: SMTP and HTTPS POST through
 * libcurl, the only file that calls it.  The domain's background sender
 * is its one user, so it lives here, beside hook.c (the other way out of
 * the process), rather than in a layer of its own. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "domain/outbound.h"

struct outbound {
	CURL	*smtp;		/* each keeps its connection */
	CURL	*http;
};

/* The message as libcurl reads it. */
struct reader {
	const char	*p;
	size_t		 left;
};

int
outbound_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

struct outbound *
outbound_new(void)
{
	return calloc(1, sizeof(struct outbound));
}

void
outbound_free(struct outbound *o)
{
	if (o == NULL)
		return;
	if (o->smtp != NULL)
		curl_easy_cleanup(o->smtp);
	if (o->http != NULL)
		curl_easy_cleanup(o->http);
	free(o);
}

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct reader	*r = arg;
	size_t		 n = size * nitems;

	if (n > r->left)
		n = r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/* What the server answers is not kept: only its status matters. */
static size_t
discard_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

/* A handle of ours, reset for the next delivery (its connection kept). */
static CURL *
handle(CURL **h)
{
	if (*h == NULL)
		*h = curl_easy_init();
	else
		curl_easy_reset(*h);
	return *h;
}

static void	result(struct ob_res *, enum ob_result, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
result(struct ob_res *res, enum ob_result r, const char *fmt, ...)
{
	va_list	 ap;

	res->r = r;
	va_start(ap, fmt);
	if (vsnprintf(res->why, sizeof(res->why), fmt, ap) < 0)
		res->why[0] = '\0';
	va_end(ap);
}

void
outbound_smtp(struct outbound *o, const struct smtp_opts *opt,
    const char *from, const char *to, const char *msg, size_t len,
    struct ob_res *res)
{
	struct curl_slist	*rcpt = NULL;
	struct reader		 rd = { msg, len };
	char			 err[CURL_ERROR_SIZE], url[1024];
	char			 mfrom[512], mto[512];
	long			 code = 0, tls;
	CURL			*h;
	CURLcode		 rc;
	const char		*rest;

	memset(res, 0, sizeof(*res));
	err[0] = '\0';
	if ((h = handle(&o->smtp)) == NULL) {
		result(res, OB_TEMP, "out of memory");
		return;
	}
	/* The URL's path is the name libcurl says in EHLO. */
	rest = strstr(opt->url, "://");
	rest = rest != NULL ? strchr(rest + 3, '/') : NULL;
	if (snprintf(url, sizeof(url), "%s%s%s", opt->url, rest == NULL ?
	    "/" : "", rest == NULL ? opt->helo : "") >= (int)sizeof(url) ||
	    snprintf(mfrom, sizeof(mfrom), "<%s>", from) >=
	    (int)sizeof(mfrom) ||
	    snprintf(mto, sizeof(mto), "<%s>", to) >= (int)sizeof(mto) ||
	    (rcpt = curl_slist_append(NULL, mto)) == NULL) {
		result(res, OB_PERM, "an address too long to send to");
		return;
	}
	tls = strcmp(opt->starttls, "required") == 0 ? (long)CURLUSESSL_ALL :
	    strcmp(opt->starttls, "opportunistic") == 0 ?
	    (long)CURLUSESSL_TRY : (long)CURLUSESSL_NONE;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, opt->timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, opt->timeout < 10 ?
	    opt->timeout : 10L);
	curl_easy_setopt(h, CURLOPT_USE_SSL, tls);
	if (opt->user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, opt->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, opt->password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	if (rc == CURLE_OK) {
		result(res, OB_OK, "accepted (%ld)", code);
		return;
	}
	/* A 5xx for the message itself is for good; trouble reaching or
	 * logging in to the server is the configuration's, and passes. */
	result(res, code >= 500 && code <= 599 && rc != CURLE_LOGIN_DENIED &&
	    rc != CURLE_USE_SSL_FAILED ? OB_PERM : OB_TEMP,
	    "SMTP: %s (server said %ld)", err[0] != '\0' ? err :
	    curl_easy_strerror(rc), code);
}

void
outbound_post(struct outbound *o, const char *url, const char *const hdrs[],
    const char *body, size_t len, long timeout, struct ob_res *res)
{
	struct curl_slist	*sl = NULL, *n;
	char			 err[CURL_ERROR_SIZE];
	long			 code = 0;
	size_t			 i;
	CURL			*h;
	CURLcode		 rc;

	memset(res, 0, sizeof(*res));
	err[0] = '\0';
	if ((h = handle(&o->http)) == NULL) {
		result(res, OB_TEMP, "out of memory");
		return;
	}
	/* No "Expect: 100-continue" wait for bodies past 1 KB. */
	if ((sl = curl_slist_append(NULL, "Expect:")) == NULL) {
		result(res, OB_TEMP, "out of memory");
		return;
	}
	for (i = 0; hdrs[i] != NULL; i++) {
		if ((n = curl_slist_append(sl, hdrs[i])) == NULL) {
			curl_slist_free_all(sl);
			result(res, OB_TEMP, "out of memory");
			return;
		}
		sl = n;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout :
	    10L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "palaver-webhook/1");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, sl);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(sl);
	if (rc != CURLE_OK) {
		result(res, OB_TEMP, "HTTP: %s", err[0] != '\0' ? err :
		    curl_easy_strerror(rc));
		return;
	}
	if (code >= 200 && code <= 299)
		result(res, OB_OK, "HTTP %ld", code);
	else if (code >= 400 && code <= 499 && code != 408 && code != 425 &&
	    code != 429)
		result(res, OB_PERM, "HTTP: the receiver answered %ld", code);
	else
		result(res, OB_TEMP, "HTTP: the receiver answered %ld", code);
}
