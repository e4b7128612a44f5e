/* moderation.c: what moderators and admins decide, each decision audited
 * in the same transaction as the change it records */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/config.h"
#include "core/net.h"
#include "core/text.h"
#include "auth/auth.h"
#include "store/store.h"
#include "domain/comments.h"
#include "domain/moderation.h"
#include "domain/outbox.h"
#include "domain/reason.h"
#include "domain/site.h"

/*
 * Audit rows go in the same job as the change they record, so a change
 * is never kept without its row, nor a row without its change.
 */
static enum status
audit(struct store *s, const struct actor *a, const char *action,
    const char *target, const char *before, const char *after)
{
	return store_audit_add(s, a->mod, a->name, action, target, before,
	    after, a->addr, a->now);
}

/* A lower-case copy of s in the arena. */
static char *
lower(struct arena *a, const char *s)
{
	char	*p, *q;

	if ((p = arena_strdup(a, s)) == NULL)
		return NULL;
	for (q = p; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

/* --- comments ------------------------------------------------------------ */

struct status_job {
	const struct config	*cfg;
	const struct actor	*who;
	const long long		*ids;
	size_t			 n;
	enum cstatus		 to;
	const char		*action;
	int			 skip_missing;
};

static enum status
status_job(struct store *s, void *arg)
{
	struct status_job	*j = arg;
	enum cstatus		 old;
	char			 target[40];
	size_t			 i;
	enum status		 st;

	for (i = 0; i < j->n; i++) {
		st = store_comment_set_status(s, j->ids[i], j->to, &old);
		if (st == ST_NOTFOUND && j->skip_missing)
			continue;
		if (st != ST_OK)
			return st;
		if (old == j->to)
			continue;	/* no change, no record */
		if ((st = outbox_status(s, j->cfg, j->ids[i], old, j->to,
		    j->who->now)) != ST_OK)
			return st;
		snprintf(target, sizeof(target), "comment:%lld", j->ids[i]);
		if ((st = audit(s, j->who, j->action, target,
		    cstatus_str(old), cstatus_str(j->to))) != ST_OK)
			return st;
	}
	return ST_OK;
}

enum status
moderate_status(struct site *site, const struct actor *who,
    const long long *ids, size_t n, enum cstatus to, const char *action,
    int skip_missing)
{
	struct status_job	 j;

	j.cfg = site->cfg;
	j.who = who;
	j.ids = ids;
	j.n = n;
	j.to = to;
	j.action = action;
	j.skip_missing = skip_missing;
	return site_write(site, status_job, &j);
}

struct edit_job {
	const struct actor	*who;
	struct arena		*arena;	/* the caller's: it waits */
	long long		 id;
	const char		*body;
	const char		*html;
};

static enum status
edit_job(struct store *s, void *arg)
{
	struct edit_job	*j = arg;
	struct comment	 c;
	char		 target[40];
	enum status	 st;

	/* Read in the transaction: "before" is exactly what was replaced. */
	if ((st = store_comment_get(s, j->arena, j->id, &c)) != ST_OK ||
	    (st = store_comment_edit(s, j->id, j->body, j->html, j->who->now,
	    j->who->mod)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "comment:%lld", j->id);
	return audit(s, j->who, "edit", target, c.body, j->body);
}

enum status
moderate_edit(struct site *site, struct arena *a, const struct actor *who,
    long long id, const char *body)
{
	struct edit_job	 j;

	memset(&j, 0, sizeof(j));
	if ((j.html = comments_render(a, body, NULL)) == NULL)
		return ST_NOMEM;
	j.who = who;
	j.arena = a;
	j.id = id;
	j.body = body;
	return site_write(site, edit_job, &j);
}

/* --- bans ---------------------------------------------------------------- */

struct ban_job {
	const struct config	*cfg;
	const struct actor	*who;
	const char		*kind;
	const char		*value;
	const char		*target;	/* kind:value, for the audit */
	const char		*reason;
	long long		 expires;	/* 0: never */
	long long		 comment;	/* and move it to spam, or 0 */
};

static enum status
ban_job(struct store *s, void *arg)
{
	struct ban_job		*j = arg;
	struct status_job	 sj;
	enum status		 st;

	if ((st = store_ban_add(s, j->kind, j->value, j->reason, j->who->now,
	    j->expires, j->who->mod, NULL)) != ST_OK ||
	    (st = audit(s, j->who, "ban", j->target, NULL, j->reason)) !=
	    ST_OK)
		return st;
	if (j->comment == 0)
		return ST_OK;
	memset(&sj, 0, sizeof(sj));
	sj.cfg = j->cfg;
	sj.who = j->who;
	sj.ids = &j->comment;
	sj.n = 1;
	sj.to = CS_SPAM;
	sj.action = "spam";
	return status_job(s, &sj);
}

/*
 * What a ban of each kind matches, made from what was typed: the same
 * forms the posting side looks up (a lower-case e-mail, a hash, the
 * prefix core/net.c makes of an address), so a ban always matches.
 */
static const char *
ban_value(struct arena *a, const char *kind, const char *in)
{
	const char	*at;
	char		 p[64];

	if (strcmp(kind, "email") == 0) {
		at = strchr(in, '@');
		if (at == NULL || at == in || at[1] == '\0' ||
		    strpbrk(in, " <>\"") != NULL)
			return "";
		return lower(a, in);
	}
	if (strcmp(kind, "addr_hash") == 0) {
		if (strlen(in) != AUTH_ADDR_HASH_LEN ||
		    strspn(in, "0123456789abcdefABCDEF") != AUTH_ADDR_HASH_LEN)
			return "";
		return lower(a, in);
	}
	if (strcmp(kind, "prefix") == 0 &&
	    parse_addr_prefix(in, p, sizeof(p)) == 0)
		return arena_strdup(a, p);
	return "";
}

const char *
moderate_ban_hint(const char *kind)
{
	if (strcmp(kind, "email") == 0)
		return _("An e-mail ban needs an address with an @ in it.");
	if (strcmp(kind, "addr_hash") == 0)
		return _("An address hash is 32 hexadecimal digits, as the "
		    "queue shows it.");
	return _("A prefix is an IPv4 /24 such as 192.0.2.0/24 or an IPv6 /48 "
	    "such as 2001:db8:1::/48 (or an address in one).");
}

enum status
moderate_ban(struct site *site, struct arena *a, const struct actor *who,
    const char *kind, const char *value, const char *reason, long long days,
    struct refusal *ref)
{
	struct ban_job	 j;

	memset(&j, 0, sizeof(j));
	memset(ref, 0, sizeof(*ref));
	if ((j.value = ban_value(a, kind, value)) == NULL)
		return ST_NOMEM;
	if (*j.value == '\0') {
		refuse(ref, RS_BAN_VALUE, "value");
		ref->msg = moderate_ban_hint(kind);
		return ST_INPUT;
	}
	if (days < 0 || days > BAN_MAX_DAYS)
		return refuse(ref, RS_BAN_DAYS, "days");
	j.cfg = site->cfg;
	j.who = who;
	j.kind = kind;
	j.reason = reason;
	j.expires = days > 0 ? who->now + days * 86400 : 0;
	if ((j.target = arena_printf(a, "%s:%s", kind, j.value)) == NULL)
		return ST_NOMEM;
	return site_write(site, ban_job, &j);
}

enum status
moderate_ban_comment(struct site *site, struct arena *a,
    const struct actor *who, long long id, const char *kind,
    struct refusal *ref)
{
	struct ban_job	 j;
	struct comment	 c;
	const char	*value;
	enum status	 st;

	memset(&j, 0, sizeof(j));
	memset(ref, 0, sizeof(*ref));
	if ((st = store_comment_get(site->store, a, id, &c)) != ST_OK)
		return st;
	value = strcmp(kind, "email") == 0 ? c.email : c.addr_hash;
	if (value == NULL || *value == '\0')
		return refuse(ref, strcmp(kind, "email") == 0 ? RS_NO_EMAIL :
		    RS_NO_ADDR, "kind");
	j.cfg = site->cfg;
	j.who = who;
	j.kind = kind;
	/* E-mail bans match in lower case (store_ban_match). */
	if ((j.value = lower(a, value)) == NULL ||
	    (j.target = arena_printf(a, "%s:%s", kind, j.value)) == NULL ||
	    (j.reason = arena_printf(a, "comment:%lld", c.id)) == NULL)
		return ST_NOMEM;
	/* The comment that earned the ban goes to spam with it. */
	j.comment = c.id;
	return site_write(site, ban_job, &j);
}

struct unban_job {
	const struct actor	*who;
	long long		 id;
	const char		*target;
};

static enum status
unban_job(struct store *s, void *arg)
{
	struct unban_job *j = arg;
	enum status	 st;

	if ((st = store_ban_del(s, j->id)) != ST_OK)
		return st;
	return audit(s, j->who, "unban", j->target, NULL, NULL);
}

enum status
moderate_unban(struct site *site, struct arena *a, const struct actor *who,
    long long id)
{
	struct unban_job j;
	struct ban	*v;
	size_t		 i, n;
	enum status	 st;

	memset(&j, 0, sizeof(j));
	j.who = who;
	j.id = id;
	/* Name the ban in the audit as it was made: kind:value. */
	if ((st = store_ban_list(site->store, a, who->now, &v, &n)) != ST_OK)
		return st;
	for (i = 0; i < n && v[i].id != id; i++)
		continue;
	j.target = i < n ? arena_printf(a, "%s:%s", v[i].kind, v[i].value) :
	    arena_printf(a, "ban:%lld", id);
	if (j.target == NULL)
		return ST_NOMEM;
	return site_write(site, unban_job, &j);
}

/* --- articles ------------------------------------------------------------ */

struct article_job {
	const struct actor	*who;
	long long		 id;
	int			 closed;
	const char		*action;
};

static enum status
article_job(struct store *s, void *arg)
{
	struct article_job *j = arg;
	char		 target[40];
	enum status	 st;

	if ((st = store_article_set(s, j->id, j->closed, NULL)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "article:%lld", j->id);
	return audit(s, j->who, j->action, target, NULL, NULL);
}

enum status
moderate_article(struct site *site, const struct actor *who, long long id,
    int closed, const char *action)
{
	struct article_job j;

	j.who = who;
	j.id = id;
	j.closed = closed;
	j.action = action;
	return site_write(site, article_job, &j);
}

/* --- accounts ------------------------------------------------------------ */

enum status
moderate_password_hash(struct site *site, const char *name, const char *pw,
    size_t n, char *out, struct refusal *ref)
{
	const struct config	*cfg = site->cfg;
	enum text_err		 e;

	memset(ref, 0, sizeof(*ref));
	if ((e = text_password_ok(pw, n, name)) != TEXT_OK)
		return refuse_text(ref, "password", TEXT_PASSWORD, e, 0, 0);
	if (auth_password_hash(pw, n, (unsigned long long)cfg->pwhash_ops,
	    (size_t)cfg->pwhash_mem, out) == -1)
		return ST_NOMEM;
	return ST_OK;
}

struct user_job {
	const struct actor	*who;
	struct arena		*arena;
	long long		 id;		/* delete, password */
	const char		*name;		/* add; the others fill it */
	const char		*hash;		/* add, password */
	int			 admin;		/* add */
};

static enum status
user_add_job(struct store *s, void *arg)
{
	struct user_job	*j = arg;
	const char	*target;
	enum status	 st;

	if ((st = store_mod_add(s, j->name, j->hash, j->admin, j->who->now,
	    &j->id)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", j->name)) == NULL)
		return ST_NOMEM;
	return audit(s, j->who, "user-add", target, NULL,
	    j->admin ? "admin" : "moderator");
}

enum status
moderate_user_add(struct site *site, struct arena *a, const struct actor *who,
    const char *name, const char *pw, size_t n, int admin,
    struct refusal *ref)
{
	struct user_job	 j;
	char		 hash[AUTH_HASH_MAX];
	enum status	 st;

	memset(&j, 0, sizeof(j));
	if ((st = moderate_password_hash(site, name, pw, n, hash, ref)) !=
	    ST_OK)
		return st;
	j.who = who;
	j.arena = a;
	j.name = name;
	j.hash = hash;
	j.admin = admin;
	st = site_write(site, user_add_job, &j);
	auth_wipe(hash, sizeof(hash));
	if (st == ST_CONFLICT)
		return refuse(ref, RS_NAME_TAKEN, "name");
	return st;
}

/* Checked in the transaction, so two admins deleting each other at once
 * cannot leave none. */
static enum status
user_del_job(struct store *s, void *arg)
{
	struct user_job		*j = arg;
	struct moderator	 m;
	long long		 admins = 0;
	const char		*target;
	enum status		 st;

	if ((st = store_mod_by_id(s, j->arena, j->id, &m)) != ST_OK)
		return st;
	j->name = m.name;
	if (m.admin && ((st = store_mod_count_admins(s, &admins)) != ST_OK ||
	    admins <= 1))
		return st != ST_OK ? st : ST_CONFLICT;
	if ((st = store_mod_del(s, j->id)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", m.name)) == NULL)
		return ST_NOMEM;
	return audit(s, j->who, "user-del", target, NULL, NULL);
}

enum status
moderate_user_del(struct site *site, struct arena *a, const struct actor *who,
    long long id, struct refusal *ref)
{
	struct user_job	 j;
	enum status	 st;

	memset(ref, 0, sizeof(*ref));
	if (who->mod > 0 && id == who->mod)
		return refuse(ref, RS_SELF, NULL);
	memset(&j, 0, sizeof(j));
	j.who = who;
	j.arena = a;
	j.id = id;
	if ((st = site_write(site, user_del_job, &j)) == ST_CONFLICT)
		return refuse(ref, RS_LAST_ADMIN, NULL);
	return st;
}

static enum status
user_passwd_job(struct store *s, void *arg)
{
	struct user_job	*j = arg;
	const char	*target;
	enum status	 st;

	/* Their sessions end with the old password. */
	if ((st = store_mod_set_hash(s, j->id, j->hash, 0)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", j->name)) == NULL)
		return ST_NOMEM;
	return audit(s, j->who, "user-passwd", target, NULL, NULL);
}

enum status
moderate_user_passwd(struct site *site, struct arena *a,
    const struct actor *who, long long id, const char *pw, size_t n,
    struct refusal *ref)
{
	struct moderator m;
	struct user_job	 j;
	char		 hash[AUTH_HASH_MAX];
	enum status	 st;

	memset(&j, 0, sizeof(j));
	if ((st = store_mod_by_id(site->store, a, id, &m)) != ST_OK)
		return st;
	if ((st = moderate_password_hash(site, m.name, pw, n, hash, ref)) !=
	    ST_OK)
		return st;
	j.who = who;
	j.arena = a;
	j.id = id;
	j.name = m.name;
	j.hash = hash;
	st = site_write(site, user_passwd_job, &j);
	auth_wipe(hash, sizeof(hash));
	return st;
}

/* --- the audit log, on its own ------------------------------------------- */

struct audit_job {
	const struct actor	*who;
	const char		*action, *target, *before, *after;
};

static enum status
audit_job(struct store *s, void *arg)
{
	struct audit_job *j = arg;

	return audit(s, j->who, j->action, j->target, j->before, j->after);
}

enum status
moderate_audit(struct site *site, const struct actor *who, const char *action,
    const char *target, const char *before, const char *after)
{
	struct audit_job j;

	j.who = who;
	j.action = action;
	j.target = target;
	j.before = before;
	j.after = after;
	return site_write(site, audit_job, &j);
}
