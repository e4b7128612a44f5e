/* status.h: the status codes every module returns */
#ifndef PALAVER_STATUS_H
#define PALAVER_STATUS_H

enum status {
	ST_OK = 0,
	ST_NOMEM,	/* an allocation failed */
	ST_DB,		/* the database failed (logged where it happened) */
	ST_BUSY,	/* the database stayed locked past the busy timeout */
	ST_NOTFOUND,	/* no such row */
	ST_INPUT,	/* the caller's input is malformed */
	ST_CONFLICT,	/* the row exists already, or the state forbids it */
	ST_FORBIDDEN,	/* not allowed */
	ST_TOOBIG,	/* input over a limit */
	ST_IO,		/* a system call failed (logged where it happened) */
	ST_LIMIT,	/* a rate limit was reached */
	ST__MAX
};

/* status_str: a short fixed English name for a status. */
const char	*status_str(enum status);

#endif
