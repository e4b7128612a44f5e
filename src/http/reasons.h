/* reasons.h: the one table from the domain's reasons to HTTP answers */
#ifndef PALAVER_REASONS_H
#define PALAVER_REASONS_H

#include "core/status.h"
#include "domain/reason.h"

struct arena;
struct refusal;
struct req;
struct resp;

/* reason_name: the reason as a word ("closed", "rate"), for /metrics. */
const char	*reason_name(enum reason);
/* reason_status: the HTTP status for a refusal (422 for a field, 413 for
 * a body over the limit, ...). */
int		 reason_status(const struct refusal *);
/* reason_message: the sentence a person reads, from the arena or static;
 * never NULL. */
const char	*reason_message(struct arena *, const struct refusal *);
/*
 * reason_trouble: when st is server trouble a reader can wait out (the
 * database failed or is busy, a disk is full, memory ran out), fill r
 * with RS_TRY_AGAIN and return 1; else 0.  The handlers then show the
 * form again with the text in it rather than an error page.
 */
int		 reason_trouble(enum status st, struct refusal *r);
/*
 * http_refused: answer the refusal as it is: its status, Retry-After
 * when it says, Cache-Control: no-store, and the message as the route
 * speaks (JSON {"error", "field"} under /api/, else an error page).
 */
void		 http_refused(struct req *, struct resp *,
		    const struct refusal *);

#endif
