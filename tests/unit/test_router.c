/* test_router.c: the router and its field tables: matching, methods, the
 * body a route reads, and every field checked before a handler runs */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/metrics.h"
#include "domain/reason.h"
#include "http/field.h"
#include "http/http.h"
#include "http/reasons.h"
#include "http/router.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static struct arena	 A;
static struct config	 cfg;
static struct site	 site;
/* What the stub handler saw. */
static struct req	*seen;
static int		 calls;

static enum status
stub(struct req *rq, struct resp *r)
{
	(void)r;
	seen = rq;
	calls++;
	return ST_OK;
}

static enum status
stub_fails(struct req *rq, struct resp *r)
{
	(void)rq;
	(void)r;
	calls++;
	return ST_NOTFOUND;
}

#define Q(f)	{ f, FS_QUERY, FR_OPTIONAL }
#define QR(f)	{ f, FS_QUERY, FR_REQUIRED }
#define QL(f)	{ f, FS_QUERY, FR_LAX }
#define B(f)	{ f, FS_BODY, FR_OPTIONAL }
#define BR(f)	{ f, FS_BODY, FR_REQUIRED }

static const struct route table[] = {
	{ M_GET, "/", stub, 0, { QL(F_BEFORE) } },
	{ M_GET, "/articles/{id}", stub, 0, { QL(F_ORDER), QL(F_AFTER) } },
	{ M_POST, "/articles/{id}/comments", stub, RF_FORM,
	    { BR(F_BODY), B(F_AUTHOR), B(F_EMAIL), B(F_PARENT) } },
	{ M_POST, "/own/{id}", stub, RF_FORM | RF_OWN,
	    { BR(F_BODY), B(F_AUTHOR) } },
	{ M_GET, "/api/things", stub, RF_JSON, { QR(F_URI), Q(F_ORDER),
	    Q(F_AFTER) } },
	{ M_POST | M_PUT, "/api/things/{id}/{word}", stub, RF_JSON | RF_BODY,
	    { BR(F_BODY), B(F_PARENT), B(F_TOKEN) } },
	{ M_GET, "/many", stub, RF_JSON, { QR(F_URIS) } },
	{ M_GET, "/fails", stub_fails, 0, { { 0 } } },
	{ M_GET, "/days", stub, 0, { Q(F_FROM), Q(F_TO) } },
	{ M_POST, "/posts", stub, RF_FORM | RF_OWN | RF_POSTS,
	    { BR(F_BODY), B(F_EMAIL) } },
};

static int
setup(void **state)
{
	char	 err[256];

	(void)state;
	if (config_parse(&cfg, "[moderation]\nmax_comment = 20\n", err,
	    sizeof(err)) != 0)
		return -1;
	site.cfg = &cfg;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	arena_free(&A);
	return 0;
}

/* A request as http_req_init would make it, without FastCGI: the body
 * is read from `body` by the router's own reader stand-in (the form is
 * parsed here, as the router does after reading). */
struct rq_case {
	enum method	 m;
	const char	*path;
	const char	*query;
	const char	*ctype;
	const char	*body;
};

static int
run(const struct rq_case *c, struct req *rq, struct resp *r)
{
	memset(rq, 0, sizeof(*rq));
	memset(r, 0, sizeof(*r));
	rq->site = &site;
	rq->arena = &A;
	rq->route = -1;		/* as http_req_init */
	rq->method = c->m;
	rq->method_str = "X";
	rq->path = c->path;
	rq->query = c->query != NULL ? c->query : "";
	rq->remote_addr = "192.0.2.1";
	rq->content_type = c->ctype;
	rq->content_length = -1;
	if (parse_urlencoded(&A, rq->query, strlen(rq->query), &rq->qs) !=
	    ST_OK)
		return -1;
	/* The router reads the body through FastCGI; here it is given. */
	if (c->body != NULL) {
		rq->body = c->body;
		rq->bodylen = strlen(c->body);
		rq->content_length = (long long)rq->bodylen;
	}
	seen = NULL;
	calls = 0;
	router_dispatch(table, NITEMS(table), rq, r);
	return 0;
}

static void
done(struct resp *r)
{
	buf_free(&r->head);
	buf_free(&r->body);
	arena_reset(&A);
}

/* --- matching ------------------------------------------------------------ */

static void
matching(void **state)
{
	static const struct {
		enum method	 m;
		const char	*path;
		int		 status;
		int		 called;
	} rows[] = {
		{ M_GET, "/", 200, 1 },
		{ M_HEAD, "/", 200, 1 },
		{ M_GET, "/articles/12", 200, 1 },
		{ M_GET, "/articles/0", 404, 0 },
		{ M_GET, "/articles/012", 404, 0 },
		{ M_GET, "/articles/12/", 404, 0 },
		{ M_GET, "/articles/x", 404, 0 },
		{ M_GET, "/articles/99999999999999999", 404, 0 },
		{ M_DELETE, "/articles/12", 405, 0 },
		{ M_GET, "/nowhere", 404, 0 },
		{ M_GET, "/api/things/1/Edit", 404, 0 },
		{ M_DELETE, "/api/things/1/edit", 405, 0 },
		{ M_GET, "/fails", 404, 1 },
	};
	struct rq_case	 c;
	struct req	 rq;
	struct resp	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		memset(&c, 0, sizeof(c));
		c.m = rows[i].m;
		c.path = rows[i].path;
		assert_int_equal(run(&c, &rq, &r), 0);
		if (r.status != rows[i].status || calls != rows[i].called)
			fail_msg("%s: %d (called %d), want %d", rows[i].path,
			    r.status, calls, rows[i].status);
		if (r.status == 405)
			assert_non_null(strstr(buf_str(&r.head), "Allow: "));
		done(&r);
	}
}

/* --- fields -------------------------------------------------------------- */

struct frow {
	struct rq_case	 c;
	int		 status;	/* 200: the handler ran */
	enum field	 f;		/* checked value of this field */
	const char	*s;		/* its text, or NULL */
	long long	 n;		/* its id or word index */
	const char	*in_body;	/* in the answer, when refused */
};

#define FORM	"application/x-www-form-urlencoded"
#define JSON	"application/json"

static const struct frow field_rows[] = {
	/* Lax query fields: a bad one is dropped, the page is served. */
	{ { M_GET, "/", "before=12", NULL, NULL }, 200, F_BEFORE, NULL, 12,
	    NULL },
	{ { M_GET, "/", "before=x", NULL, NULL }, 200, F_BEFORE, NULL, 0,
	    NULL },
	{ { M_GET, "/articles/3", "order=newest&after=7", NULL, NULL }, 200,
	    F_ORDER, "newest", 1, NULL },
	{ { M_GET, "/articles/3", "order=sideways", NULL, NULL }, 200,
	    F_ORDER, NULL, 0, NULL },
	/* Strict query fields: 400 naming what is wrong. */
	{ { M_GET, "/api/things", "uri=%2Fa%2F&order=sideways", NULL, NULL },
	    400, F_ORDER, NULL, 0, "\"field\":\"order\"" },
	{ { M_GET, "/api/things", "uri=%2Fa%2F&after=0", NULL, NULL }, 400,
	    F_AFTER, NULL, 0, "\"field\":\"after\"" },
	{ { M_GET, "/api/things", "", NULL, NULL }, 400, F_URI, NULL, 0,
	    "Say which thread" },
	{ { M_GET, "/api/things", "uri=a%00b", NULL, NULL }, 400, F_URI,
	    NULL, 0, "\"field\":\"uri\"" },
	{ { M_GET, "/api/things", "uri=%2Fa%2F", NULL, NULL }, 200, F_URI,
	    "/a/", 0, NULL },
	/* A form: the body first, checked by its rule, trimmed. */
	{ { M_POST, "/articles/3/comments", NULL, FORM,
	    "body=+hello%0D%0Athere+&author=Ann" }, 200, F_BODY,
	    "hello\nthere", 0, NULL },
	{ { M_POST, "/articles/3/comments", NULL, FORM, "author=Ann" }, 422,
	    F_BODY, NULL, 0, "Please write a comment." },
	{ { M_POST, "/articles/3/comments", NULL, FORM,
	    "body=123456789012345678901" }, 413, F_BODY, NULL, 0,
	    "21 characters long; the limit is 20" },
	{ { M_POST, "/articles/3/comments", NULL, FORM,
	    "body=x&email=not-an-address" }, 422, F_EMAIL, NULL, 0,
	    "does not look like an e-mail" },
	{ { M_POST, "/articles/3/comments", NULL, FORM,
	    "body=x&author=two%0Alines" }, 422, F_AUTHOR, NULL, 0,
	    "one line" },
	{ { M_POST, "/articles/3/comments", NULL, FORM, "body=x&parent=7" },
	    200, F_PARENT, NULL, 7, NULL },
	{ { M_POST, "/articles/3/comments", NULL, FORM, "body=x&parent=-7" },
	    422, F_PARENT, NULL, 0, "not a valid comment number" },
	{ { M_POST, "/articles/3/comments", NULL, FORM, "body=x&parent=" },
	    200, F_PARENT, NULL, 0, NULL },
	/* The first value of a field counts. */
	{ { M_POST, "/articles/3/comments", NULL, FORM,
	    "body=one&body=two" }, 200, F_BODY, "one", 0, NULL },
	{ { M_POST, "/articles/3/comments", NULL, "text/plain", "body=x" },
	    415, F_BODY, NULL, 0, "urlencoded" },
	/* RF_OWN: a bad field is the handler's to answer. */
	{ { M_POST, "/own/1", NULL, FORM, "author=Ann" }, 200, F_AUTHOR,
	    "Ann", 0, NULL },
	/* JSON: the same fields, types checked, integers for ids. */
	{ { M_POST, "/api/things/1/edit", NULL, JSON,
	    "{\"body\": \" hi \", \"parent\": 12}" }, 200, F_PARENT, NULL,
	    12, NULL },
	{ { M_PUT, "/api/things/1/edit", NULL, JSON, "{\"body\": \" hi \"}" },
	    200, F_BODY, "hi", 0, NULL },
	{ { M_POST, "/api/things/1/edit", NULL, JSON, "{\"body\": 5}" }, 400,
	    F_BODY, NULL, 0, "\"field\":\"body\"" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON,
	    "{\"body\": \"x\", \"parent\": 1.5}" }, 400, F_PARENT, NULL, 0,
	    "\"field\":\"parent\"" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON,
	    "{\"body\": \"x\", \"parent\": \"12abc\"}" }, 422, F_PARENT,
	    NULL, 0, "\"field\":\"parent\"" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON,
	    "{\"body\": \"x\", \"body\": \"y\"}" }, 400, F_BODY, NULL, 0,
	    "appears twice" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON, "[1]" }, 400, F_BODY,
	    NULL, 0, "JSON object" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON, "" }, 400, F_BODY,
	    NULL, 0, "empty" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON, "{}" }, 422, F_BODY,
	    NULL, 0, "\"field\":\"body\"" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON,
	    "{\"body\": \"x\", \"token\": 7}" }, 400, F_TOKEN, NULL, 0,
	    "\"field\":\"token\"" },
	{ { M_POST, "/api/things/1/edit", NULL, "text/plain", "{}" }, 415,
	    F_BODY, NULL, 0, "application/json" },
	{ { M_POST, "/api/things/1/edit", NULL, JSON,
	    "{\"body\": \"a\\u0000b\"}" }, 422, F_BODY, NULL, 0,
	    "control characters" },
	/* Days (the audit log's filters): a real day, to its first second
	 * in UTC. */
	{ { M_GET, "/days", "from=2026-11-30", NULL, NULL }, 200, F_FROM,
	    "2026-11-30", 1795996800, NULL },
	{ { M_GET, "/days", "from=2024-02-29", NULL, NULL }, 200, F_FROM,
	    "2024-02-29", 1709164800, NULL },
	{ { M_GET, "/days", "to=9999-12-31", NULL, NULL }, 200, F_TO,
	    "9999-12-31", 253402214400LL, NULL },
	{ { M_GET, "/days", "from=1970-01-01", NULL, NULL }, 200, F_FROM,
	    "1970-01-01", 0, NULL },
	{ { M_GET, "/days", "from=", NULL, NULL }, 200, F_FROM, NULL, 0,
	    NULL },
	{ { M_GET, "/days", "from=2026-02-29", NULL, NULL }, 400, F_FROM,
	    NULL, 0, "written 2026-11-30" },
	{ { M_GET, "/days", "from=2026-13-01", NULL, NULL }, 400, F_FROM,
	    NULL, 0, NULL },
	{ { M_GET, "/days", "from=2026-00-10", NULL, NULL }, 400, F_FROM,
	    NULL, 0, NULL },
	{ { M_GET, "/days", "from=2026-11-00", NULL, NULL }, 400, F_FROM,
	    NULL, 0, NULL },
	{ { M_GET, "/days", "from=1969-12-31", NULL, NULL }, 400, F_FROM,
	    NULL, 0, NULL },
	{ { M_GET, "/days", "to=2026-1-01", NULL, NULL }, 400, F_TO, NULL, 0,
	    NULL },
	{ { M_GET, "/days", "to=2026-11-30x", NULL, NULL }, 400, F_TO, NULL,
	    0, NULL },
	{ { M_GET, "/days", "to=+026-11-30", NULL, NULL }, 400, F_TO, NULL,
	    0, NULL },
	{ { M_GET, "/days", "to=2026%2011%2030", NULL, NULL }, 400, F_TO,
	    NULL, 0, NULL },
};

static void
fields_table(void **state)
{
	struct req	 rq;
	struct resp	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(field_rows); i++) {
		const struct frow *w = &field_rows[i];

		assert_int_equal(run(&w->c, &rq, &r), 0);
		if (r.status != w->status)
			fail_msg("row %zu (%s %s): status %d, want %d: %s", i,
			    w->c.path, w->c.query != NULL ? w->c.query :
			    w->c.body, r.status, w->status, buf_str(&r.body));
		if (w->status == 200) {
			assert_non_null(seen);
			if (w->s != NULL)
				assert_string_equal(http_str(seen, w->f), w->s);
			else if (seen->f[w->f].state == FV_OK &&
			    fields[w->f].type == FT_TEXT)
				fail_msg("row %zu: %s is set", i,
				    fields[w->f].name);
			if (w->n != 0)
				assert_int_equal(http_id(seen, w->f), w->n);
		} else {
			assert_int_equal(calls, 0);
			if (w->in_body != NULL &&
			    strstr(buf_str(&r.body), w->in_body) == NULL)
				fail_msg("row %zu: %s not in %s", i, w->in_body,
				    buf_str(&r.body));
		}
		done(&r);
	}
}

static void
own_sees_bad(void **state)
{
	struct rq_case	 c = { M_POST, "/own/1", NULL, FORM,
	    "body=&author=two%0Alines" };
	struct req	 rq;
	struct resp	 r;

	(void)state;
	assert_int_equal(run(&c, &rq, &r), 0);
	assert_int_equal(calls, 1);
	/* The first bad field in the route's order is the one told. */
	assert_int_equal(rq.bad, F_BODY);
	assert_int_equal(rq.f[F_BODY].state, FV_BAD);
	assert_int_equal(rq.f[F_BODY].why.why, RS_FIELD);
	assert_int_equal(rq.f[F_AUTHOR].state, FV_BAD);
	/* What was typed is kept to refill the form. */
	assert_string_equal(http_raw(&rq, F_AUTHOR), "two\nlines");
	assert_int_equal(reason_status(&rq.f[F_BODY].why), 422);
	done(&r);
}

static void
many_values(void **state)
{
	struct rq_case	 c = { M_GET, "/many", "uri=%2Fa%2F&uri=%2Fb%2F&x=1&"
	    "uri=%2Fc%2F", NULL, NULL };
	struct req	 rq;
	struct resp	 r;

	(void)state;
	assert_int_equal(run(&c, &rq, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(rq.f[F_URIS].count, 3);
	assert_string_equal(rq.f[F_URIS].v[0], "/a/");
	assert_string_equal(rq.f[F_URIS].v[2], "/c/");
	done(&r);
	c.query = "uri=%2Fa%2F&uri=%01";
	assert_int_equal(run(&c, &rq, &r), 0);
	assert_int_equal(r.status, 400);
	done(&r);
}

/* A posting route's bad field is counted as a refused post, once, and
 * the request knows its route row (for /metrics). */
static void
posts_counted(void **state)
{
	struct rq_case		 c = { M_POST, "/posts", NULL, FORM,
	    "email=nope" };
	struct metrics_totals	*t0, *t1;
	struct req		 rq;
	struct resp		 r;

	(void)state;
	t0 = calloc(1, sizeof(*t0));
	t1 = calloc(1, sizeof(*t1));
	assert_non_null(t0);
	assert_non_null(t1);
	metrics_read(t0);
	assert_int_equal(run(&c, &rq, &r), 0);
	assert_int_equal(rq.route, (int)NITEMS(table) - 1);
	done(&r);
	c.body = "body=fine";
	assert_int_equal(run(&c, &rq, &r), 0);
	done(&r);
	metrics_read(t1);
	assert_int_equal(t1->refused[RS_FIELD] - t0->refused[RS_FIELD], 1);
	c.m = M_GET;
	c.path = "/nowhere";
	assert_int_equal(run(&c, &rq, &r), 0);
	assert_int_equal(rq.route, -1);
	done(&r);
	free(t0);
	free(t1);
}

/* Every reason has a status, a sentence and a name of its own. */
static void
reasons_table(void **state)
{
	struct refusal	 ref;
	const char	*name;
	int		 i, k, code;

	(void)state;
	for (i = RS_FIELD; i < RS__MAX; i++) {
		name = reason_name((enum reason)i);
		if (strlen(name) == 0 || strspn(name,
		    "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
			fail_msg("reason %d: name \"%s\"", i, name);
		for (k = RS_FIELD; k < i; k++)
			if (strcmp(name, reason_name((enum reason)k)) == 0)
				fail_msg("reasons %d and %d: both %s", k, i,
				    name);
		refuse(&ref, (enum reason)i, NULL);
		ref.kind = TEXT_NAME;
		ref.text = TEXT_TOO_LONG;
		code = reason_status(&ref);
		if (code < 400 || code > 599)
			fail_msg("reason %d: status %d", i, code);
		if (strlen(reason_message(&A, &ref)) < 10)
			fail_msg("reason %d: no sentence", i);
	}
	refuse_text(&ref, "body", TEXT_BODY, TEXT_TOO_LONG, 5, 9);
	assert_int_equal(reason_status(&ref), 413);
	arena_reset(&A);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matching),
		cmocka_unit_test(fields_table),
		cmocka_unit_test(own_sees_bad),
		cmocka_unit_test(many_values),
		cmocka_unit_test(posts_counted),
		cmocka_unit_test(reasons_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
