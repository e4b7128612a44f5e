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

/*
 * Who acts: a moderator (mod > 0) or the command line (mod 0).  Every
 * call below that changes something sets `batch` to the id of the first
 * audit row it wrote: the rows of one action share it, so the action can
 * be told back and undone as one (moderate_undo).  0: nothing changed,
 * and nothing was written to the log.
 */
struct actor {
	long long	 mod;
	const char	*name;		/* "cli" for the command line */
	const char	*addr;		/* keyed address hash, or NULL */
	long long	 now;
	long long	 batch;		/* out: see above */
};

/*
 * moderate_status: move comments to status `to`, recording `action` for
 * each one that changed (an id that is gone is skipped when
 * skip_missing, else ST_NOTFOUND and nothing changes).  A comment already
 * in that status is neither changed nor recorded.
 */
enum status	 moderate_status(struct site *, struct actor *,
		    const long long *ids, size_t n, enum cstatus to,
		    const char *action, int skip_missing);
/* moderate_edit: a moderator's new body for comment id, re-rendered and
 * audited with the text before and after (nothing when it is the same). */
enum status	 moderate_edit(struct site *, struct arena *,
		    struct actor *, long long id, const char *body);
/*
 * moderate_ban: ban by `kind` (email, addr_hash, prefix) what `value`
 * makes of it (an e-mail in lower case, a hash, an address or prefix made
 * the prefix posts are matched by), for `days` (0: no end), with reason
 * (may be NULL).  Audited as "ban" of ban:ID, with the ban it replaced
 * (the same kind and value) before and the ban after.  ST_INPUT with
 * RS_BAN_VALUE or RS_BAN_DAYS when they will not do.
 */
enum status	 moderate_ban(struct site *, struct arena *,
		    struct actor *, const char *kind, const char *value,
		    const char *reason, long long days, struct refusal *);
/* moderate_ban_hint: what a value of this kind of ban looks like, said
 * the way moderators read it. */
const char	*moderate_ban_hint(const char *kind);
/* What a ban from the queue asks, beside what to ban. */
struct ban_request {
	const char	*kind;		/* "email" or "addr_hash" */
	const char	*reason;	/* as typed; may be NULL */
	long long	 days;		/* 0: no end */
	enum cstatus	 then;		/* what the comment becomes; CS__MAX:
					   it stays as it is */
};
/*
 * moderate_ban_comment: ban the e-mail or the address hash of comment
 * id, as the moderator asked, and move the comment to br->then when that
 * is not where it is: one action (the ban, then the comment's change).
 * ST_INPUT with RS_NO_EMAIL or RS_NO_ADDR when it has none, RS_BAN_DAYS.
 */
enum status	 moderate_ban_comment(struct site *, struct arena *,
		    struct actor *, long long id, const struct ban_request *,
		    struct refusal *);
/* moderate_unban: lift ban id (ST_NOTFOUND when there is none), audited
 * with the ban before. */
enum status	 moderate_unban(struct site *, struct arena *,
		    struct actor *, long long id);
/* moderate_ban_describe: a ban as the audit log keeps it:
 * "email:x@example.org; until 2026-12-30 12:00 UTC; reason: ...". */
const char	*moderate_ban_describe(struct arena *, const char *kind,
		    const char *value, long long expires, const char *reason);
/*
 * moderate_undo: undo action `batch` of this moderator, newest row
 * first: a comment whose status (or text) is still what the action made
 * it gets back what it had, and a ban it made is lifted; each audited as
 * "undo".  What has changed since is left alone.  *undone and *left (may
 * be NULL) count both.  ST_NOTFOUND when the action is not the
 * moderator's, or has nothing an undo can restore.
 */
enum status	 moderate_undo(struct site *, struct arena *,
		    struct actor *, long long batch, size_t *undone,
		    size_t *left);
/* moderate_undoable: 1 when an audit row of this action is one that
 * moderate_undo restores. */
int		 moderate_undoable(const char *action);

/* --- articles (moderation_article.c) ------------------------------------- */

/* What a moderator changes of an article; each part may be left out. */
struct article_change {
	int		 closed;	/* 1: close, 0: open, -1: leave */
	const char	*mode;		/* "pre", "post", "default"; NULL */
	const char	*title;		/* a new title; NULL */
	int		 use_proposed;	/* the proposed title becomes it */
};
/*
 * moderate_article_set: change article id.  Only what differs from what
 * the article is (an auto-closed article counts as closed) is changed and
 * audited, each part as its own row ("close", "open", "mode", "title")
 * with before and after.  Reopened, an article stays open whatever its
 * age until it is closed again.  ST_NOTFOUND when there is no such
 * article; ST_INPUT with RS_NO_PROPOSED.
 */
enum status	 moderate_article_set(struct site *, struct arena *,
		    struct actor *, long long id,
		    const struct article_change *, struct refusal *);
/*
 * moderate_article_add: a new article at uri (a path), with title and
 * an optional Markdown body (may be NULL), audited as "article-add".
 * *id is its id.  ST_INPUT with RS_THREAD_BAD (not a path) or
 * RS_URI_TAKEN.
 */
enum status	 moderate_article_add(struct site *, struct arena *,
		    struct actor *, const char *uri, const char *title,
		    const char *body, long long *id, struct refusal *);
/* moderate_article_state: "open", "closed", or "closed by age". */
const char	*moderate_article_state(const struct article *);
/*
 * Accounts.  The password is checked by the text rules (at least 12
 * characters, not the name) and hashed here; the caller wipes it.
 * ST_INPUT with a RS_FIELD refusal for the password, RS_NAME_TAKEN,
 * RS_LAST_ADMIN.
 */
enum status	 moderate_user_add(struct site *, struct arena *,
		    struct actor *, const char *name, const char *pw,
		    size_t n, int admin, struct refusal *);
enum status	 moderate_user_del(struct site *, struct arena *,
		    struct actor *, long long id, struct refusal *);
enum status	 moderate_user_passwd(struct site *, struct arena *,
		    struct actor *, long long id, const char *pw,
		    size_t n, struct refusal *);
/* moderate_audit: one line in the audit log, on its own. */
enum status	 moderate_audit(struct site *, struct actor *,
		    const char *action, const char *target,
		    const char *before, const char *after);
/* moderate_password_hash: check and hash a new password for account
 * `name` into out (AUTH_HASH_MAX bytes); ST_INPUT with the refusal. */
enum status	 moderate_password_hash(struct site *, const char *name,
		    const char *pw, size_t n, char *out, struct refusal *);

#endif
