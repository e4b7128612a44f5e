/* jsonbody.c: a JSON request body, read into the route's fields */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/config.h"
#include "http/field.h"
#include "http/http.h"
#include "http/jsonbody.h"
#include "http/router.h"

int
jsonbody_is_json(const struct req *rq)
{
	const char	*ct = rq->content_type;

	return ct != NULL && strncasecmp(ct, "application/json", 16) == 0 &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ' ||
	    ct[16] == '\t');
}

/* A sentence for what jansson found wrong.  Its own text may quote the
 * bad bytes (not always valid UTF-8), so only the kind and position are
 * passed on. */
static const char *
load_error(struct arena *a, const json_error_t *e, size_t len)
{
	const char	*what;

	if (len == 0)
		return "The request body is empty; send a JSON object.";
	switch (json_error_code(e)) {
	case json_error_invalid_utf8:
		what = "it is not valid UTF-8";
		break;
	case json_error_premature_end_of_input:
		what = "it ends too early";
		break;
	case json_error_end_of_input_expected:
		what = "there is more after the object";
		break;
	case json_error_duplicate_key:
		what = "a key appears twice";
		break;
	case json_error_numeric_overflow:
		what = "a number is too large";
		break;
	case json_error_null_byte_in_key:
		what = "a key holds a NUL";
		break;
	case json_error_stack_overflow:
		what = "it nests too deeply";
		break;
	case json_error_out_of_memory:
		return NULL;
	default:
		what = "the syntax is wrong, or a \\u escape is not a valid "
		    "character";
		break;
	}
	return arena_printf(a, "The request body is not valid JSON: %s "
	    "(line %d, column %d).", what, e->line, e->column);
}

/* Answer 400 with msg naming field (may be NULL); ST_INPUT, or ST_NOMEM
 * when msg could not be made. */
static enum status
refuse400(struct req *rq, struct resp *r, const char *msg,
    const char *field)
{
	if (msg == NULL)
		return ST_NOMEM;
	http_error_field(rq, r, 400, msg, field);
	return ST_INPUT;
}

enum status
jsonbody_fields(struct req *rq, struct resp *r, const struct route_field *rf)
{
	const struct field_def	*d;
	json_error_t		 e;
	json_t			*o, *v;
	size_t			 i, max = (size_t)rq->site->cfg->max_comment;
	enum status		 st = ST_OK;
	char			 num[32];
	const char		*name;

	/*
	 * NULs inside strings are let through (and counted) so that the
	 * field check answers with the field's name, as it does for other
	 * control characters; nesting is capped by jansson itself.
	 */
	o = json_loadb(rq->body, rq->bodylen, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (o == NULL)
		return refuse400(rq, r, load_error(rq->arena, &e, rq->bodylen),
		    NULL);
	if (!json_is_object(o)) {
		st = refuse400(rq, r, "The request body must be a JSON object, "
		    "{\"body\": \"...\"}.", NULL);
		goto out;
	}
	for (i = 0; i < ROUTE_FIELDS && rf[i].src != 0 && st == ST_OK; i++) {
		if (rf[i].src != FS_BODY)
			continue;
		d = &fields[rf[i].f];
		name = d->json != NULL ? d->json : d->name;
		v = json_object_get(o, name);
		if (v == NULL || json_is_null(v))
			continue;
		if (json_is_string(v))
			st = field_check(rq->arena, rf[i].f,
			    json_string_value(v), json_string_length(v), max,
			    &rq->f[rf[i].f]);
		else if (json_is_integer(v) && (d->type == FT_ID ||
		    d->type == FT_WORD)) {
			/* As text, so the form's and the API's ids (and
			 * votes) meet the same check. */
			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(v));
			st = field_check(rq->arena, rf[i].f, num, strlen(num),
			    max, &rq->f[rf[i].f]);
		} else if (json_is_boolean(v) && rf[i].f == F_NOTIFY) {
			/* A yes-or-no field: true is its first word, false
			 * is as if it were absent. */
			if (json_is_true(v))
				st = field_check(rq->arena, rf[i].f,
				    d->words[0], strlen(d->words[0]), max,
				    &rq->f[rf[i].f]);
		} else if (d->type == FT_ID)
			st = refuse400(rq, r, arena_printf(rq->arena, "The "
			    "field \"%s\" must be a number, or null.", name),
			    name);
		else
			st = refuse400(rq, r, arena_printf(rq->arena, "The "
			    "field \"%s\" must be a string.", name), name);
	}
out:
	json_decref(o);
	return st;
}
