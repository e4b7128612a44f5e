/* maillinks.c: what the links in palaver's messages do: confirm an
 * address, stop replies, a moderator's one-click decision */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "auth/links.h"
#include "store/store.h"
#include "render/mailmsg.h"
#include "domain/maillinks.h"
#include "domain/moderation.h"
#include "domain/outbox.h"
#include "domain/reason.h"
#include "domain/site.h"

/* The token's fields when it is of this kind, before its MAC is known
 * good (that needs the address the ids name). */
static int
parse(const char *tok, enum link_kind kind, struct link *l)
{
	return tok != NULL && auth_link_parse(tok, strlen(tok), l) &&
	    l->kind == kind;
}

static int
good(const struct site *site, const char *tok, const char *bound)
{
	return auth_link_check(site->secret, tok, strlen(tok), bound,
	    (long long)time(NULL));
}

/* --- confirming an address ------------------------------------------------ */

struct confirm_job {
	long long	 id;
	long long	 now;
};

static enum status
confirm_job(struct store *s, void *arg)
{
	struct confirm_job *j = arg;

	return store_subscriber_confirm(s, j->id, j->now);
}

enum status
mail_confirm(struct site *site, struct arena *a, const char *tok, int act,
    const char **email)
{
	struct subscriber	 sb;
	struct confirm_job	 j;
	struct link		 l;
	enum status		 st;

	*email = NULL;
	if (!parse(tok, LINK_CONFIRM, &l))
		return ST_FORBIDDEN;
	st = store_subscriber_get(site->store, a, l.a, &sb);
	if (st == ST_NOTFOUND || (st == ST_OK && !good(site, tok, sb.email)))
		return ST_FORBIDDEN;
	if (st != ST_OK)
		return st;
	*email = sb.email;
	if (!act)
		return ST_OK;
	j.id = sb.id;
	j.now = (long long)time(NULL);
	st = site_write(site, confirm_job, &j);
	return st == ST_NOTFOUND ? ST_FORBIDDEN : st;
}

/* --- stopping replies ----------------------------------------------------- */

struct unsub_job {
	long long	 id;
	long long	 article;	/* 0: all */
	const char	*email;
	long long	 now;
};

static enum status
unsub_job(struct store *s, void *arg)
{
	struct unsub_job *j = arg;
	enum status	 st;

	if ((st = store_unsubscribe(s, j->id, j->article, NULL)) != ST_OK)
		return st;
	return store_outbox_drop_replies(s, j->email, j->article, j->now);
}

enum status
mail_unsubscribe(struct site *site, struct arena *a, const char *tok,
    int act, int all, const char **title)
{
	struct subscriber	 sb;
	struct article		 ar;
	struct unsub_job	 j;
	struct link		 l;
	enum status		 st;

	*title = NULL;
	if (!parse(tok, LINK_UNSUB, &l))
		return ST_FORBIDDEN;
	st = store_subscriber_get(site->store, a, l.a, &sb);
	if (st == ST_NOTFOUND || (st == ST_OK && !good(site, tok, sb.email)))
		return ST_FORBIDDEN;
	if (st != ST_OK)
		return st;
	st = store_article_get(site->store, a, l.b, &ar);
	if (st == ST_OK)
		*title = ar.title;
	else if (st == ST_NOTFOUND)
		*title = "a thread that is gone";
	else
		return st;
	if (!act)
		return ST_OK;
	j.id = sb.id;
	j.article = all ? 0 : l.b;
	j.email = sb.email;
	j.now = (long long)time(NULL);
	return site_write(site, unsub_job, &j);
}

/* --- a moderator's decision ----------------------------------------------- */

static const struct {
	const char	*word;
	enum cstatus	 to;
} actions[] = {
	{ NULL, CS__MAX },
	{ "approve", CS_APPROVED },
	{ "spam", CS_SPAM },
	{ "delete", CS_DELETED },
};

struct mod_job {
	const struct config	*cfg;
	struct mail_action	*out;
	enum cstatus		 to;
	const char		*addr;
	long long		 now;
	struct arena		*arena;
};

/* The check and the decision in one transaction: a comment decided
 * meanwhile (by anyone) is left alone. */
static enum status
mod_job(struct store *s, void *arg)
{
	struct mod_job	*j = arg;
	struct comment	 c;
	enum cstatus	 old;
	char		 target[40];
	enum status	 st;

	if ((st = store_comment_get(s, j->arena, j->out->c.id, &c)) != ST_OK)
		return st;
	if (c.status != CS_PENDING)
		return ST_CONFLICT;
	if ((st = store_comment_set_status(s, c.id, j->to, &old)) != ST_OK ||
	    (st = outbox_status(s, j->cfg, c.id, old, j->to, j->now)) !=
	    ST_OK)
		return st;
	snprintf(target, sizeof(target), "comment:%lld", c.id);
	return store_audit_add(s, j->out->mod, j->out->who, j->out->action,
	    target, cstatus_str(old), cstatus_str(j->to), j->addr, j->now);
}

enum status
mail_moderate(struct site *site, struct arena *a, const char *tok, int act,
    const char *addr_hash, struct mail_action *out)
{
	struct mod_alert	 m;
	struct article		 ar;
	struct mod_job		 j;
	struct link		 l;
	enum status		 st;

	memset(out, 0, sizeof(*out));
	if (!parse(tok, LINK_MOD, &l) || l.c < 1 || l.c > 3)
		return ST_FORBIDDEN;
	/* The account and the address the link went to must still be. */
	st = store_mod_alert_get(site->store, a, l.a, &m);
	if (st == ST_NOTFOUND || (st == ST_OK && (m.email == NULL ||
	    !good(site, tok, m.email))))
		return ST_FORBIDDEN;
	if (st != ST_OK)
		return st;
	st = store_comment_get(site->store, a, l.b, &out->c);
	if (st == ST_NOTFOUND)
		return ST_FORBIDDEN;
	if (st != ST_OK)
		return st;
	out->action = actions[l.c].word;
	out->mod = m.id;
	out->who = m.name;
	if ((st = store_article_get(site->store, a, out->c.article, &ar)) !=
	    ST_OK)
		return st;
	out->title = ar.title;
	out->handled = out->c.status != CS_PENDING;
	if (!act || out->handled)
		return ST_OK;
	memset(&j, 0, sizeof(j));
	j.cfg = site->cfg;
	j.out = out;
	j.to = actions[l.c].to;
	j.addr = addr_hash;
	j.now = (long long)time(NULL);
	j.arena = a;
	st = site_write(site, mod_job, &j);
	if (st == ST_CONFLICT) {
		/* Decided between the page and the button. */
		out->handled = 1;
		st = store_comment_get(site->store, a, out->c.id, &out->c);
		return st == ST_NOTFOUND ? ST_FORBIDDEN : st;
	}
	if (st == ST_OK)
		out->c.status = j.to;
	return st;
}

/* --- a moderator's alerts ------------------------------------------------- */

struct alerts_job {
	const struct actor	*who;
	const char		*email;
	const char		*alerts;
	long long		 minutes;
	const char		*target;
	const char		*after;
};

static enum status
alerts_job(struct store *s, void *arg)
{
	struct alerts_job *j = arg;
	enum status	 st;

	if ((st = store_mod_alert_set(s, j->who->mod, j->email, j->alerts,
	    j->minutes, j->who->now)) != ST_OK)
		return st;
	return store_audit_add(s, j->who->mod, j->who->name, "alerts",
	    j->target, NULL, j->after, j->who->addr, j->who->now);
}

enum status
mail_alerts_set(struct site *site, struct arena *a, const struct actor *who,
    const char *email, const char *alerts, long long minutes,
    struct refusal *ref)
{
	struct alerts_job	 j;
	char			*e = NULL;
	size_t			 i;

	memset(ref, 0, sizeof(*ref));
	if (email != NULL) {
		if (!mailmsg_ascii_addr(email))
			return refuse(ref, RS_NOTIFY_EMAIL, "email");
		if ((e = arena_strdup(a, email)) == NULL)
			return ST_NOMEM;
		for (i = 0; e[i] != '\0'; i++)
			if (e[i] >= 'A' && e[i] <= 'Z')
				e[i] = (char)(e[i] - 'A' + 'a');
	}
	if (strcmp(alerts, "none") != 0 && e == NULL)
		return refuse(ref, RS_ALERTS_NO_EMAIL, "email");
	if (minutes < 5 || minutes > 10080)
		return refuse(ref, RS_DIGEST_MINUTES, "minutes");
	memset(&j, 0, sizeof(j));
	j.who = who;
	j.email = e;
	j.alerts = alerts;
	j.minutes = minutes;
	j.target = arena_printf(a, "user:%s", who->name);
	j.after = arena_printf(a, "%s%s%s", alerts, e != NULL ? " to " : "",
	    e != NULL ? e : "");
	if (j.target == NULL || j.after == NULL)
		return ST_NOMEM;
	return site_write(site, alerts_job, &j);
}
