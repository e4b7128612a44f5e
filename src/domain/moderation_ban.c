/* moderation_ban.c: bans, made and lifted by moderators, from the bans
 * page or from a comment in the queue, each audited with what it was */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/net.h"
#include "auth/auth.h"
#include "store/store.h"
#include "domain/moderation.h"
#include "domain/moderation_int.h"
#include "domain/reason.h"
#include "domain/site.h"

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

const char *
moderate_ban_describe(struct arena *a, const char *kind, const char *value,
    long long expires, const char *reason)
{
	struct tm	 tm;
	time_t		 t = (time_t)expires;
	char		 until[96] = "no end";

	if (expires > 0 && gmtime_r(&t, &tm) != NULL)
		snprintf(until, sizeof(until), "until %04d-%02d-%02d %02d:%02d "
		    "UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min);
	return arena_printf(a, "%s:%s; %s; reason: %s", kind, value, until,
	    reason != NULL && *reason != '\0' ? reason : "(none given)");
}

struct ban_job {
	const struct config	*cfg;
	struct actor		*who;
	struct arena		*arena;
	const char		*kind;
	const char		*value;
	const char		*reason;
	long long		 expires;	/* 0: never */
	const char		*from;		/* "comment:ID", or NULL */
	long long		 comment;	/* and move it to `then` */
	enum cstatus		 then;		/* CS__MAX: leave it */
};

/* What the comment's change is called in the log, as from the queue. */
static const char *
status_action(enum cstatus to)
{
	return to == CS_APPROVED ? "approve" : to == CS_SPAM ? "spam" :
	    to == CS_DELETED ? "delete" : "pending";
}

static enum status
ban_job(struct store *s, void *arg)
{
	struct ban_job	*j = arg;
	struct ban	 old;
	const char	*before = NULL, *after, *target;
	enum cstatus	 was;
	long long	 id = 0;
	enum status	 st;

	/* The same kind and value again replaces the ban there was: the log
	 * says what it replaced. */
	st = store_ban_find(s, j->arena, j->kind, j->value, &old);
	if (st == ST_OK && (before = moderate_ban_describe(j->arena, old.kind,
	    old.value, old.expires, old.reason)) == NULL)
		return ST_NOMEM;
	if (st != ST_OK && st != ST_NOTFOUND)
		return st;
	if ((st = store_ban_add(s, j->kind, j->value, j->reason, j->who->now,
	    j->expires, j->who->mod, &id)) != ST_OK)
		return st;
	after = moderate_ban_describe(j->arena, j->kind, j->value, j->expires,
	    j->reason);
	if (after != NULL && j->from != NULL)
		after = arena_printf(j->arena, "%s; from %s", after, j->from);
	if (after == NULL ||
	    (target = arena_printf(j->arena, "ban:%lld", id)) == NULL)
		return ST_NOMEM;
	if ((st = mod_audit(s, j->who, "ban", target, before, after)) != ST_OK)
		return st;
	if (j->comment == 0 || j->then == CS__MAX)
		return ST_OK;
	if ((st = mod_set_status(s, j->cfg, j->comment, j->then, &was,
	    j->who->now)) != ST_OK)
		return st;
	if (was == j->then)
		return ST_OK;
	return mod_audit(s, j->who, status_action(j->then), j->from,
	    cstatus_str(was), cstatus_str(j->then));
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
		return "An e-mail ban needs an address with an @ in it.";
	if (strcmp(kind, "addr_hash") == 0)
		return "An address hash is 32 hexadecimal digits, as the queue "
		    "shows it.";
	return "A prefix is an IPv4 /24 such as 192.0.2.0/24 or an IPv6 /48 "
	    "such as 2001:db8:1::/48 (or an address in one).";
}

enum status
moderate_ban(struct site *site, struct arena *a, struct actor *who,
    const char *kind, const char *value, const char *reason, long long days,
    struct refusal *ref)
{
	struct ban_job	 j;

	who->batch = 0;
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
	j.arena = a;
	j.kind = kind;
	j.reason = reason;
	j.expires = days > 0 ? who->now + days * 86400 : 0;
	j.then = CS__MAX;
	return site_write(site, ban_job, &j);
}

enum status
moderate_ban_comment(struct site *site, struct arena *a, struct actor *who,
    long long id, const struct ban_request *br, struct refusal *ref)
{
	struct ban_job	 j;
	struct comment	 c;
	const char	*value;
	int		 email = strcmp(br->kind, "email") == 0;
	enum status	 st;

	who->batch = 0;
	memset(&j, 0, sizeof(j));
	memset(ref, 0, sizeof(*ref));
	if ((st = store_comment_get(site->store, a, id, &c)) != ST_OK)
		return st;
	if (!email && strcmp(br->kind, "addr_hash") != 0)
		return refuse(ref, RS_BAN_KIND, "kind");
	value = email ? c.email : c.addr_hash;
	if (value == NULL || *value == '\0')
		return refuse(ref, email ? RS_NO_EMAIL : RS_NO_ADDR, "kind");
	if (br->days < 0 || br->days > BAN_MAX_DAYS)
		return refuse(ref, RS_BAN_DAYS, "days");
	j.cfg = site->cfg;
	j.who = who;
	j.arena = a;
	j.kind = br->kind;
	/* E-mail bans match in lower case (store_ban_match). */
	if ((j.value = lower(a, value)) == NULL ||
	    (j.from = arena_printf(a, "comment:%lld", c.id)) == NULL)
		return ST_NOMEM;
	j.reason = br->reason;
	j.expires = br->days > 0 ? who->now + br->days * 86400 : 0;
	/* What becomes of the comment is the moderator's choice, said on
	 * the form; nothing happens to it unasked. */
	j.comment = c.id;
	j.then = br->then;
	return site_write(site, ban_job, &j);
}

struct unban_job {
	struct actor		*who;
	struct arena		*arena;
	long long		 id;
};

static enum status
unban_job(struct store *s, void *arg)
{
	struct unban_job *j = arg;
	struct ban	 b;
	const char	*before, *target;
	enum status	 st;

	/* Named in the log as it was, read where it is lifted. */
	if ((st = store_ban_get(s, j->arena, j->id, &b)) != ST_OK)
		return st;
	if ((before = moderate_ban_describe(j->arena, b.kind, b.value,
	    b.expires, b.reason)) == NULL ||
	    (target = arena_printf(j->arena, "ban:%lld", j->id)) == NULL)
		return ST_NOMEM;
	if ((st = store_ban_del(s, j->id)) != ST_OK)
		return st;
	return mod_audit(s, j->who, "unban", target, before, NULL);
}

enum status
moderate_unban(struct site *site, struct arena *a, struct actor *who,
    long long id)
{
	struct unban_job j;

	who->batch = 0;
	memset(&j, 0, sizeof(j));
	j.who = who;
	j.arena = a;
	j.id = id;
	return site_write(site, unban_job, &j);
}
