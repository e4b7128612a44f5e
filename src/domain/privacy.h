/* privacy.h: what palaver keeps for an e-mail address, shown and erased */
#ifndef PALAVER_PRIVACY_H
#define PALAVER_PRIVACY_H

#include "core/status.h"
#include "model/mail.h"

struct actor;
struct arena;
struct buf;
struct site;

/* privacy_export: everything kept for the address (any case), as JSON
 * (render/json.h's json_privacy), into out. */
enum status	 privacy_export(struct site *, struct arena *,
		    const char *email, struct buf *out);
/*
 * privacy_erase: the address out of everything: its comments stay,
 * anonymised (author "Anonymous", no e-mail, website, address hash or
 * user agent), its subscriptions and the mail to it go, and the spam
 * hook's inputs of its comments.  Audited (without the address: the
 * audit log must not keep what was erased).  *c: what changed.
 */
enum status	 privacy_erase(struct site *, struct arena *,
		    const struct actor *, const char *email,
		    struct erase_counts *c);

#endif
