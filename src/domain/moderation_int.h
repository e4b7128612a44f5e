/* moderation_int.h: what the moderation files share; nothing else includes
 * it */
#ifndef PALAVER_MODERATION_INT_H
#define PALAVER_MODERATION_INT_H

#include "core/status.h"

#include "model/model.h"

struct actor;
struct config;
struct store;

/*
 * mod_audit: one row of the actor's current action (who->batch: 0 starts
 * one), in the same job as the change it records, so a change is never
 * kept without its row, nor a row without its change.
 */
enum status	 mod_audit(struct store *, struct actor *, const char *action,
		    const char *target, const char *before, const char *after);

/*
 * mod_set_status: comment id to `to` (*old: what it was), and when that is
 * a change, the outbox's event for it (mail, webhooks), in the caller's
 * job: every moderator's change of status goes through here.
 */
enum status	 mod_set_status(struct store *, const struct config *,
		    long long id, enum cstatus to, enum cstatus *old,
		    long long now);

#endif
