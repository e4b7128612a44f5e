/* outbox.h: the changes that cause mail and webhooks, noted in the
 * transaction of the change (a transactional outbox) */
#ifndef PALAVER_OUTBOX_H
#define PALAVER_OUTBOX_H

#include "core/status.h"
#include "model/model.h"

struct config;
struct store;

/* outbox_wanted: mail or webhooks are configured (else nothing is
 * noted). */
int		 outbox_wanted(const struct config *);
/* outbox_mail_on: [mail] transport is set. */
int		 outbox_mail_on(const struct config *);

/*
 * outbox_status: comment id went from status `from` (CS__MAX: it is new)
 * to `to`: note "published" (to approved), "held" (to pending) or
 * "deleted", with a copy of the comment, in the caller's transaction.
 * Nothing for spam, and nothing when nothing is configured.
 */
enum status	 outbox_status(struct store *, const struct config *,
		    long long comment, enum cstatus from, enum cstatus to,
		    long long now);
/* outbox_removed: the author takes comment id back: "deleted", noted
 * before the row goes (call it first, in the same transaction). */
enum status	 outbox_removed(struct store *, const struct config *,
		    long long comment, long long now);
/*
 * outbox_reported: a reader reported comment id ("reported" webhooks).
 * The hook point for reports: call it in the transaction that stores
 * the report.
 */
enum status	 outbox_reported(struct store *, const struct config *,
		    long long comment, long long now);
/*
 * outbox_subscribe: the address (lower-case, ASCII) wants replies to
 * comment (of article).  A confirmation is noted when the address has
 * not confirmed and none went to it in the last day (or ever), unless
 * `quiet` (a comment taken for spam: no mail on its word).  In the
 * caller's transaction.
 */
enum status	 outbox_subscribe(struct store *, const struct config *,
		    const char *email, long long comment, long long article,
		    int quiet, long long now);

#endif
