/* privacy.c: what palaver keeps for an e-mail address, shown and erased */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/json.h"
#include "store/store.h"
#include "domain/moderation.h"
#include "domain/privacy.h"
#include "domain/site.h"

/* Addresses are kept as typed in comments, lower-case elsewhere. */
static char *
lower(struct arena *a, const char *s)
{
	char	*p;
	size_t	 i;

	if ((p = arena_strdup(a, s)) == NULL)
		return NULL;
	for (i = 0; p[i] != '\0'; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] = (char)(p[i] - 'A' + 'a');
	return p;
}

enum status
privacy_export(struct site *site, struct arena *a, const char *email,
    struct buf *out)
{
	struct feed_entry	*c;
	struct subscriber	 sb, *sbp = NULL;
	struct sub_row		*sub = NULL;
	struct outbox_msg	*m;
	size_t			 nc, ns = 0, nm;
	const char		*e;
	enum status		 st;

	if ((e = lower(a, email)) == NULL)
		return ST_NOMEM;
	if ((st = store_privacy_comments(site->store, a, e, &c, &nc)) !=
	    ST_OK)
		return st;
	st = store_subscriber_by_email(site->store, a, e, &sb);
	if (st == ST_OK) {
		sbp = &sb;
		st = store_privacy_subscriptions(site->store, a, sb.id, &sub,
		    &ns);
	} else if (st == ST_NOTFOUND)
		st = ST_OK;
	if (st != ST_OK || (st = store_privacy_messages(site->store, a, e, &m,
	    &nm)) != ST_OK)
		return st;
	return json_privacy(out, e, c, nc, sbp, sub, ns, m, nm);
}

struct erase_job {
	const struct actor	*who;
	const char		*email;
	struct erase_counts	*c;
	struct arena		*a;
};

static enum status
erase_job(struct store *s, void *arg)
{
	struct erase_job	*j = arg;
	const char		*after;
	enum status		 st;

	if ((st = store_privacy_erase(s, j->email, j->c)) != ST_OK)
		return st;
	if ((after = arena_printf(j->a, "%lld comments anonymised, %lld "
	    "subscriber, %lld messages", j->c->comments, j->c->subscribers,
	    j->c->messages)) == NULL)
		return ST_NOMEM;
	return store_audit_add(s, j->who->mod, j->who->name, "privacy-erase",
	    "email:(erased)", NULL, after, j->who->addr, j->who->now);
}

enum status
privacy_erase(struct site *site, struct arena *a, const struct actor *who,
    const char *email, struct erase_counts *c)
{
	struct erase_job	 j;

	memset(c, 0, sizeof(*c));
	j.who = who;
	j.c = c;
	j.a = a;
	if ((j.email = lower(a, email)) == NULL)
		return ST_NOMEM;
	return site_write(site, erase_job, &j);
}
