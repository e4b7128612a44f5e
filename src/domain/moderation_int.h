/* moderation_int.h: what the moderation files share; nothing else includes
 * it */
#ifndef PALAVER_MODERATION_INT_H
#define PALAVER_MODERATION_INT_H

#include "core/status.h"

struct actor;
struct store;

/*
 * mod_audit: one row of the actor's current action (who->batch: 0 starts
 * one), in the same job as the change it records, so a change is never
 * kept without its row, nor a row without its change.
 */
enum status	 mod_audit(struct store *, struct actor *, const char *action,
		    const char *target, const char *before, const char *after);

#endif
