/* fuzz_json.c: libFuzzer target: JSON bodies in (jsonbody_fields, with
 * the routes' field checks: comments, votes and reports) and JSON
 * documents out */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/utf8.h"
#include "model/model.h"
#include "render/json.h"
#include "domain/authored.h"
#include "http/field.h"
#include "http/http.h"
#include "http/jsonbody.h"
#include "http/router.h"
#include "model/model.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	 A;

/* Parse what a serialiser wrote: it must always be one JSON object. */
static json_t *
reparse(const struct buf *b)
{
	json_t	*o;

	if (b->err)
		abort();
	o = json_loadb(buf_str(b), b->len, JSON_REJECT_DUPLICATES, NULL);
	if (o == NULL || !json_is_object(o))
		abort();
	return o;
}

/* The fields a comment's JSON body carries, as the API's route takes
 * them. */
static const struct route_field comment_fields[] = {
	{ F_BODY, FS_BODY, FR_REQUIRED }, { F_AUTHOR, FS_BODY, FR_OPTIONAL },
	{ F_EMAIL, FS_BODY, FR_OPTIONAL }, { F_WEBSITE, FS_BODY, FR_OPTIONAL },
	{ F_PARENT, FS_BODY, FR_OPTIONAL }, { F_TS, FS_BODY, FR_OPTIONAL },
	{ F_HP, FS_BODY, FR_OPTIONAL }, { F_TITLE, FS_BODY, FR_OPTIONAL },
	{ F_TOKEN, FS_BODY, FR_OPTIONAL }, { 0, 0, 0 },
};

/* A vote's and a report's: words that may come as JSON numbers. */
static const struct route_field vote_fields[] = {
	{ F_VOTE, FS_BODY, FR_REQUIRED }, { F_VOTER, FS_BODY, FR_OPTIONAL },
	{ F_WHY, FS_BODY, FR_OPTIONAL }, { F_TEXT, FS_BODY, FR_OPTIONAL },
	{ 0, 0, 0 },
};

/* A checked text field: NUL-terminated UTF-8 without controls. */
static void
field_ok(const struct fval *fv)
{
	if (fv->state == FV_OK && fv->s != NULL &&
	    !utf8_valid(fv->s, strlen(fv->s)))
		abort();
	if (fv->state == FV_BAD && fv->why.field == NULL)
		abort();
}

/* The input as a vote's or a report's body: a word's index is in its
 * list, and what is said back is JSON. */
static void
vote_input(const char *s, size_t size)
{
	static struct config	 cfg;
	struct site		 site;
	struct req		 rq;
	struct resp		 r;
	struct buf		 b = BUF_INIT;
	enum status		 st;
	json_t			*o;

	memset(&site, 0, sizeof(site));
	memset(&rq, 0, sizeof(rq));
	memset(&r, 0, sizeof(r));
	cfg.max_comment = 10000;
	site.cfg = &cfg;
	rq.site = &site;
	rq.arena = &A;
	rq.path = "/api/comments/1/vote";
	rq.body = s;
	rq.bodylen = size;
	st = jsonbody_fields(&rq, &r, vote_fields);
	if (st != ST_OK && st != ST_INPUT && st != ST_NOMEM)
		abort();
	if ((rq.f[F_VOTE].state == FV_OK && (rq.f[F_VOTE].n < 0 ||
	    rq.f[F_VOTE].n > 2)) || (rq.f[F_WHY].state == FV_OK &&
	    (rq.f[F_WHY].n < 0 || rq.f[F_WHY].n >= RR__MAX)))
		abort();
	field_ok(&rq.f[F_TEXT]);
	field_ok(&rq.f[F_VOTER]);
	buf_free(&r.body);
	buf_free(&r.head);
	json_vote(&b, rq.f[F_VOTE].n, 7, http_str(&rq, F_VOTER));
	o = reparse(&b);
	if (json_integer_value(json_object_get(o, "down")) != 7)
		abort();
	json_decref(o);
	buf_free(&b);
}

/* The input as a request body. */
static void
input(const char *s, size_t size)
{
	static struct config	 cfg;
	struct site		 site;
	struct req		 rq;
	struct resp		 r;
	struct comment		 c;
	struct buf		 b = BUF_INIT;
	json_t			*o, *e;
	enum status		 st;
	size_t			 i;

	memset(&site, 0, sizeof(site));
	memset(&rq, 0, sizeof(rq));
	memset(&r, 0, sizeof(r));
	cfg.max_comment = 10000;
	site.cfg = &cfg;
	rq.site = &site;
	rq.arena = &A;
	rq.path = "/api/comments";
	rq.body = s;
	rq.bodylen = size;
	st = jsonbody_fields(&rq, &r, comment_fields);
	if (st != ST_OK && st != ST_INPUT && st != ST_NOMEM)
		abort();
	if (st == ST_INPUT) {
		/* Answered: 400 with a sentence in a JSON error. */
		if (r.status != 400)
			abort();
		o = reparse(&r.body);
		e = json_object_get(o, "error");
		if (!json_is_string(e) || json_string_length(e) < 10)
			abort();
		json_decref(o);
		buf_free(&r.body);
		buf_free(&r.head);
		return;
	}
	buf_free(&r.body);
	buf_free(&r.head);
	if (st != ST_OK)
		return;
	for (i = 0; i < F__MAX; i++)
		field_ok(&rq.f[i]);
	/* What was read goes back out as valid JSON, text unchanged. */
	memset(&c, 0, sizeof(c));
	c.id = 1;
	c.author = rq.f[F_AUTHOR].state == FV_OK ? rq.f[F_AUTHOR].s : "";
	c.website = rq.f[F_WEBSITE].state == FV_OK ? rq.f[F_WEBSITE].s : NULL;
	c.html = rq.f[F_BODY].state == FV_OK ? rq.f[F_BODY].s : "";
	json_posted(&b, &c, rq.f[F_TOKEN].state == FV_OK ? rq.f[F_TOKEN].s :
	    "1.token", 1, "1.token", 3);
	o = reparse(&b);
	if (strcmp(json_string_value(json_object_get(o, "author")),
	    c.author) != 0 ||
	    strcmp(json_string_value(json_object_get(o, "html")), c.html) != 0)
		abort();
	json_decref(o);
	buf_free(&b);
}

/* Any bytes as stored text: replaced where not UTF-8, never failing. */
static void
text(const char *s, size_t size)
{
	struct buf	 b = BUF_INIT;
	char		*z;
	json_t		*o, *e, *v;

	if ((z = arena_strndup(&A, s, size)) == NULL)
		return;
	json_error(&b, z, z);
	o = reparse(&b);
	e = json_object_get(o, "error");
	if (!json_is_string(e) || json_string_length(e) < strlen(z))
		abort();
	/* Valid text passes unchanged. */
	v = json_string(z);
	if (v != NULL && strcmp(json_string_value(e), z) != 0)
		abort();
	json_decref(v);
	json_decref(o);
	buf_free(&b);
}

/* Count comments in a tree and check its nesting depth. */
static size_t
count(json_t *v, int depth)
{
	size_t	 i, n = 0;

	if (!json_is_array(v) || depth > JSON_MAX_NEST + 1)
		abort();
	for (i = 0; i < json_array_size(v); i++)
		n += 1 + count(json_object_get(json_array_get(v, i),
		    "replies"), depth + 1);
	return n;
}

/* The bytes as a thread page: each row's parent (an earlier row, or
 * none) and status, shown as a reader would see them. */
static void
thread(const uint8_t *d, size_t size)
{
	struct article		 ar;
	struct thread_page	 pg;
	struct thread_view	 tv;
	struct buf		 b = BUF_INIT;
	size_t			 i, nshown = 0;
	json_t			*o;

	memset(&ar, 0, sizeof(ar));
	memset(&pg, 0, sizeof(pg));
	ar.id = 1;
	ar.uri = "/a/";
	ar.title = "t";
	pg.n = size > 400 ? 400 : size;
	if ((pg.v = arena_calloc(&A, pg.n + 1, sizeof(*pg.v))) == NULL)
		return;
	for (i = 0; i < pg.n; i++) {
		pg.v[i].id = (long long)i + 1;
		/* A parent among the rows before, or at the top. */
		pg.v[i].parent = i > 0 && d[i] & 1 ? (long long)(d[i] %
		    i) + 1 : 0;
		pg.v[i].depth = pg.v[i].parent > 0 ?
		    pg.v[pg.v[i].parent - 1].depth + 1 : 0;
		pg.v[i].author = "a";
		pg.v[i].html = "<p>x</p>";
		pg.v[i].status = (enum cstatus)((d[i] >> 1) % CS__MAX);
	}
	if (thread_view_make(&A, &pg, NULL, &tv) != ST_OK)
		return;
	for (i = 0; i < pg.n; i++)
		nshown += tv.shown[i] != SHOWN_NOT;
	json_thread(&b, &ar, &tv, "1.token", 3, 1, size > 0 ? d[0] % 3 : 0);
	o = reparse(&b);
	if (count(json_object_get(o, "comments"), 0) != nshown)
		abort();
	json_decref(o);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input((const char *)data, size);
	vote_input((const char *)data, size);
	text((const char *)data, size);
	thread(data, size);
	arena_reset(&A);
	return 0;
}
