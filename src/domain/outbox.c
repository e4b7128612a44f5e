/* outbox.c: the changes that cause mail and webhooks, noted in the
 * transaction of the change (a transactional outbox): the background
 * sender (sender.c) turns each into messages later, off the request path,
 * and a change rolled back takes its note with it */
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "domain/outbox.h"

/* A confirmation goes to an address at most this often. */
#define CONFIRM_AGAIN	86400

int
outbox_mail_on(const struct config *cfg)
{
	return cfg->mail_transport[0] != '\0';
}

int
outbox_wanted(const struct config *cfg)
{
	return outbox_mail_on(cfg) ||
	    cfg->hook_urls[strspn(cfg->hook_urls, " \t")] != '\0';
}

enum status
outbox_status(struct store *s, const struct config *cfg, long long comment,
    enum cstatus from, enum cstatus to, long long now)
{
	const char	*kind;

	if (from == to || !outbox_wanted(cfg))
		return ST_OK;
	switch (to) {
	case CS_APPROVED:
		kind = "published";
		break;
	case CS_PENDING:
		kind = "held";
		break;
	case CS_DELETED:
		kind = "deleted";
		break;
	default:
		return ST_OK;
	}
	return store_event_comment(s, kind, comment, now);
}

enum status
outbox_removed(struct store *s, const struct config *cfg, long long comment,
    long long now)
{
	if (!outbox_wanted(cfg))
		return ST_OK;
	return store_event_comment(s, "deleted", comment, now);
}

enum status
outbox_reported(struct store *s, const struct config *cfg, long long comment,
    long long now)
{
	if (!outbox_wanted(cfg))
		return ST_OK;
	return store_event_comment(s, "reported", comment, now);
}

enum status
outbox_subscribe(struct store *s, const struct config *cfg, const char *email,
    long long comment, long long article, int quiet, long long now)
{
	struct arena		 a = { NULL, 0 };
	struct subscriber	 sb;
	enum status		 st;

	if (!outbox_mail_on(cfg))
		return ST_OK;
	if ((st = store_subscriber_add(s, email, now)) != ST_OK ||
	    (st = store_subscriber_by_email(s, &a, email, &sb)) != ST_OK ||
	    (st = store_subscription_add(s, sb.id, comment, article, now)) !=
	    ST_OK)
		goto out;
	/* Double opt-in: nothing but the question goes to an address until
	 * it answers, and the question at most once a day. */
	if (sb.confirmed == 0 && !quiet && (sb.asked == 0 ||
	    sb.asked <= now - CONFIRM_AGAIN) &&
	    (st = store_subscriber_asked(s, sb.id, now)) == ST_OK)
		st = store_event_confirm(s, sb.id, now);
out:
	arena_free(&a);
	return st;
}
