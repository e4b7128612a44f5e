/* status.c: names for the status codes */
#include "core/status.h"

static const char *const names[ST__MAX] = {
	[ST_OK] = "ok",
	[ST_NOMEM] = "out of memory",
	[ST_DB] = "database error",
	[ST_BUSY] = "database busy",
	[ST_NOTFOUND] = "not found",
	[ST_INPUT] = "bad input",
	[ST_CONFLICT] = "conflict",
	[ST_FORBIDDEN] = "forbidden",
	[ST_TOOBIG] = "too big",
	[ST_IO] = "input/output error",
	[ST_LIMIT] = "rate limited",
};

const char *
status_str(enum status st)
{
	if ((unsigned)st >= ST__MAX)
		return "unknown status";
	return names[st];
}
