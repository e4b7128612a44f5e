/* json.c: JSON bodies in and out, through jansson */
#include <jansson.h>

#include "buf.h"
#include "json.h"

static int
dump_cb(const char *s, size_t n, void *arg)
{
	return buf_put(arg, s, n);
}

void
json_error(struct buf *b, const char *msg, const char *field)
{
	json_t	*o;

	o = json_pack("{s:s}", "error", msg);
	if (o != NULL && field != NULL)
		json_object_set_new(o, "field", json_string(field));
	if (o == NULL || json_dump_callback(o, dump_cb, b, JSON_COMPACT) != 0)
		b->err = 1;
	json_decref(o);
}
