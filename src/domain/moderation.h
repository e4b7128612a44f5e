/* moderation.h: what moderators and admins decide, each decision audited
 * in the same transaction as the change it records */
#ifndef PALAVER_MODERATION_H
#define PALAVER_MODERATION_H

#include <stddef.h>

#include "core/status.h"
#include "model/model.h"

struct arena;
struct refusal;
struct site;

/* Bans last at most ten years; "forever" is no expiry. */
#define BAN_MAX_DAYS	3650

/* Who acts: a moderator (mod > 0) or the command line (mod 0). */
struct actor {
	long long	 mod;
	const char	*name;		/* "cli" for the command line */
	const char	*addr;		/* keyed address hash, or NULL */
	long long	 now;
};

/*
 * moderate_status: move comments to status `to`, recording `action` for
 * each one that changed (an id that is gone is skipped when
 * skip_missing, else ST_NOTFOUND and nothing changes).
 */
enum status	 moderate_status(struct site *, const struct actor *,
		    const long long *ids, size_t n, enum cstatus to,
		    const char *action, int skip_missing);
/* moderate_edit: a moderator's new body for comment id, re-rendered and
 * audited with the text before and after. */
enum status	 moderate_edit(struct site *, struct arena *,
		    const struct actor *, long long id, const char *body);
/*
 * moderate_ban: ban by `kind` (email, addr_hash, prefix) what `value`
 * makes of it (an e-mail in lower case, a hash, an address or prefix made
 * the prefix posts are matched by), for `days` (0: no end), with reason.
 * ST_INPUT with RS_BAN_VALUE or RS_BAN_DAYS when they will not do.
 */
enum status	 moderate_ban(struct site *, struct arena *,
		    const struct actor *, const char *kind, const char *value,
		    const char *reason, long long days, struct refusal *);
/* moderate_ban_hint: what a value of this kind of ban looks like, said
 * the way moderators read it. */
const char	*moderate_ban_hint(const char *kind);
/*
 * moderate_ban_comment: ban the e-mail (kind "email") or the address hash
 * (kind "addr_hash") of comment id, and move the comment to spam.
 * ST_INPUT with RS_NO_EMAIL or RS_NO_ADDR when it has none.
 */
enum status	 moderate_ban_comment(struct site *, struct arena *,
		    const struct actor *, long long id, const char *kind,
		    struct refusal *);
/* moderate_unban: lift ban id (ST_NOTFOUND when there is none). */
enum status	 moderate_unban(struct site *, struct arena *,
		    const struct actor *, long long id);
/* moderate_article: close (1) or reopen (0) article id, recording
 * `action`. */
enum status	 moderate_article(struct site *, const struct actor *,
		    long long id, int closed, const char *action);
/*
 * Accounts.  The password is checked by the text rules (at least 12
 * characters, not the name) and hashed here; the caller wipes it.
 * ST_INPUT with a RS_FIELD refusal for the password, RS_NAME_TAKEN,
 * RS_LAST_ADMIN.
 */
enum status	 moderate_user_add(struct site *, struct arena *,
		    const struct actor *, const char *name, const char *pw,
		    size_t n, int admin, struct refusal *);
enum status	 moderate_user_del(struct site *, struct arena *,
		    const struct actor *, long long id, struct refusal *);
enum status	 moderate_user_passwd(struct site *, struct arena *,
		    const struct actor *, long long id, const char *pw,
		    size_t n, struct refusal *);
/* moderate_audit: one line in the audit log, on its own. */
enum status	 moderate_audit(struct site *, const struct actor *,
		    const char *action, const char *target,
		    const char *before, const char *after);
/* moderate_password_hash: check and hash a new password for account
 * `name` into out (AUTH_HASH_MAX bytes); ST_INPUT with the refusal. */
enum status	 moderate_password_hash(struct site *, const char *name,
		    const char *pw, size_t n, char *out, struct refusal *);

#endif
