/* jsonbody.h: a JSON request body, read into the route's fields */
#ifndef PALAVER_JSONBODY_H
#define PALAVER_JSONBODY_H

#include "core/status.h"

struct req;
struct resp;
struct route_field;

/* jsonbody_is_json: 1 when Content-Type says application/json (any case,
 * with or without parameters). */
int		 jsonbody_is_json(const struct req *);
/*
 * jsonbody_fields: parse the request body as one JSON object and check
 * each of the route's body fields from it (strings; integers for ids;
 * null is absent; unknown keys are ignored; duplicate keys refused).
 * ST_OK; ST_INPUT after answering 400 (not JSON, not an object, a field
 * of the wrong type, naming it); ST_NOMEM.
 */
enum status	 jsonbody_fields(struct req *, struct resp *,
		    const struct route_field *);

#endif
