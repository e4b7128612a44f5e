/* fuzz_json.c: libFuzzer target: JSON bodies in (json_comment_input) and out */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/json.h"
#include "domain/post.h"
#include "store/store.h"

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

static void
field_ok(const struct field *f)
{
	if (f->s == NULL ? f->n != 0 : f->s[f->n] != '\0')
		abort();
}

/* The input as a request body. */
static void
input(const char *s, size_t size)
{
	struct comment_input	 in;
	struct post_result	 res;
	struct buf		 b = BUF_INIT;
	const char		*tok, *field, *msg;
	json_t			*o;
	enum status		 st;

	st = json_comment_input(&A, s, size, &in, &tok, &field, &msg);
	if (st != ST_OK && st != ST_INPUT && st != ST_NOMEM)
		abort();
	if (st == ST_INPUT) {
		/* The message is a sentence the error serialiser takes. */
		if (msg == NULL || in.body.s != NULL || tok != NULL)
			abort();
		json_error(&b, msg, field);
		o = reparse(&b);
		if (strcmp(json_string_value(json_object_get(o, "error")),
		    msg) != 0)
			abort();
		json_decref(o);
		buf_free(&b);
		return;
	}
	if (st != ST_OK)
		return;
	field_ok(&in.author);
	field_ok(&in.email);
	field_ok(&in.website);
	field_ok(&in.body);
	field_ok(&in.parent);
	/* What was read goes back out as valid JSON, text unchanged (up
	 * to a NUL, where C strings end). */
	memset(&res, 0, sizeof(res));
	res.id = 1;
	res.author = in.author.s != NULL ? in.author.s : "";
	res.website = in.website.s;
	res.html = in.body.s != NULL ? in.body.s : "";
	if (tok != NULL)
		strncpy(res.token, tok, sizeof(res.token) - 1);
	json_posted(&b, &res, "1.token", 3);
	o = reparse(&b);
	if (strcmp(json_string_value(json_object_get(o, "author")),
	    res.author) != 0 ||
	    strcmp(json_string_value(json_object_get(o, "html")),
	    res.html) != 0)
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

/* The bytes as a thread page: depth and visibility of each row. */
static void
thread(const uint8_t *d, size_t size)
{
	struct article		 ar;
	struct thread_page	 pg;
	struct buf		 b = BUF_INIT;
	unsigned char		*shown;
	size_t			 i, nshown = 0;
	json_t			*o;

	memset(&ar, 0, sizeof(ar));
	memset(&pg, 0, sizeof(pg));
	ar.id = 1;
	ar.uri = "/a/";
	ar.title = "t";
	pg.n = size > 400 ? 400 : size;
	pg.v = arena_calloc(&A, pg.n + 1, sizeof(*pg.v));
	shown = arena_calloc(&A, pg.n + 1, 1);
	if (pg.v == NULL || shown == NULL)
		return;
	for (i = 0; i < pg.n; i++) {
		pg.v[i].id = (long long)i + 1;
		pg.v[i].depth = d[i] % 128;
		pg.v[i].author = "a";
		pg.v[i].html = "<p>x</p>";
		pg.v[i].status = (enum cstatus)(d[i] % CS__MAX);
		shown[i] = (unsigned char)((d[i] >> 5) % 3);
		nshown += shown[i] != JS_HIDDEN;
	}
	json_thread(&b, &ar, &pg, shown, "1.token", 3);
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
	text((const char *)data, size);
	thread(data, size);
	arena_reset(&A);
	return 0;
}
