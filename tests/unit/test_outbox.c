/* test_outbox.c: the mail and webhook storage: events copied in the
 * change's transaction, the outbox's order (one URL's deliveries in
 * order, held back by a retry), the sender's lease, subscriptions,
 * privacy erase */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "domain/outbox.h"

struct fx {
	char		 dir[64];
	char		 db[96];
	struct store	*s;
	struct arena	 a;
};

static int
setup(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (unit_scratch(f->dir, sizeof(f->dir), f->db, sizeof(f->db)) == -1 ||
	    store_open(f->db, &f->s) != ST_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->s);
	arena_free(&f->a);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* A comment on a new article; its id. */
static long long
comment(struct fx *f, const char *email)
{
	struct comment	 c;
	long long	 art;
	static int	 n;
	char		 uri[32];

	snprintf(uri, sizeof(uri), "/u/%d/", ++n);
	assert_int_equal(store_article_add(f->s, uri, "T", NULL, NULL, 1,
	    &art), ST_OK);
	memset(&c, 0, sizeof(c));
	c.article = art;
	c.author = "A";
	c.email = email;
	c.body = "b";
	c.html = "<p>b</p>\n";
	c.status = CS_APPROVED;
	c.created = 1;
	assert_int_equal(store_comment_add(f->s, &c), ST_OK);
	return c.id;
}

static void
test_events(void **state)
{
	struct fx		*f = *state;
	struct mail_event	 e;
	long long		 id = comment(f, "x@example.org");

	assert_int_equal(store_event_next(f->s, &f->a, &e), ST_NOTFOUND);
	assert_int_equal(store_event_comment(f->s, "published", id, 10),
	    ST_OK);
	assert_int_equal(store_event_comment(f->s, "deleted", id, 11), ST_OK);
	/* A comment that is gone notes nothing. */
	assert_int_equal(store_event_comment(f->s, "held", id + 99, 12), ST_OK);
	assert_int_equal(store_event_next(f->s, &f->a, &e), ST_OK);
	assert_string_equal(e.kind, "published");
	assert_string_equal(e.status, "approved");
	assert_string_equal(e.uri, "/u/1/");
	assert_string_equal(e.email, "x@example.org");
	assert_int_equal(e.comment, id);
	assert_int_equal(store_event_del(f->s, e.id), ST_OK);
	assert_int_equal(store_event_next(f->s, &f->a, &e), ST_OK);
	assert_string_equal(e.kind, "deleted");
	assert_string_equal(e.status, "deleted");
	assert_int_equal(store_event_del(f->s, e.id), ST_OK);
	assert_int_equal(store_event_next(f->s, &f->a, &e), ST_NOTFOUND);
}

static void
test_outbox_order(void **state)
{
	struct fx		*f = *state;
	struct outbox_msg	 m;
	long long		 n = 0;

	assert_int_equal(store_outbox_add(f->s, "webhook", "https://a/", "held",
	    "1", 0, 100), ST_OK);
	assert_int_equal(store_outbox_add(f->s, "webhook", "https://a/",
	    "deleted", "2", 0, 100), ST_OK);
	assert_int_equal(store_outbox_add(f->s, "webhook", "https://b/", "held",
	    "3", 0, 100), ST_OK);
	assert_int_equal(store_outbox_add(f->s, "mail", "m@example.org",
	    "reply", "4", 0, 100), ST_OK);
	/* Nothing is due before its time; nothing of a kind switched off. */
	assert_int_equal(store_outbox_next(f->s, &f->a, 99, 1, 1, &m),
	    ST_NOTFOUND);
	assert_int_equal(store_outbox_next(f->s, &f->a, 100, 0, 0, &m),
	    ST_NOTFOUND);
	assert_int_equal(store_outbox_next(f->s, &f->a, 100, 1, 1, &m), ST_OK);
	assert_string_equal(m.payload, "1");
	/* a's first waits for a retry: a's second waits behind it, b and
	 * the mail go on. */
	assert_int_equal(store_outbox_retry(f->s, m.id, 1, 200, "503"), ST_OK);
	assert_int_equal(store_outbox_next(f->s, &f->a, 150, 0, 1, &m), ST_OK);
	assert_string_equal(m.payload, "3");
	assert_int_equal(store_outbox_done(f->s, m.id, "sent", 1, 150, NULL),
	    ST_OK);
	assert_int_equal(store_outbox_next(f->s, &f->a, 150, 1, 1, &m), ST_OK);
	assert_string_equal(m.payload, "4");
	assert_int_equal(store_outbox_done(f->s, m.id, "sent", 1, 150, NULL),
	    ST_OK);
	assert_int_equal(store_outbox_next(f->s, &f->a, 150, 1, 1, &m),
	    ST_NOTFOUND);
	assert_int_equal(store_outbox_next(f->s, &f->a, 200, 1, 1, &m), ST_OK);
	assert_string_equal(m.payload, "1");
	assert_int_equal(m.attempts, 1);
	assert_string_equal(m.last_error, "503");
	assert_int_equal(store_outbox_done(f->s, m.id, "sent", 2, 200, NULL),
	    ST_OK);
	assert_int_equal(store_outbox_next(f->s, &f->a, 200, 1, 1, &m), ST_OK);
	assert_string_equal(m.payload, "2");
	/* The cap counts sent mail of the last hour. */
	assert_int_equal(store_outbox_sent_count(f->s, "m@example.org", 149,
	    &n), ST_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_outbox_sent_count(f->s, "m@example.org", 150,
	    &n), ST_OK);
	assert_int_equal(n, 0);
	/* Pruning forgets what was done before, never what waits. */
	assert_int_equal(store_outbox_prune(f->s, 1000), ST_OK);
	assert_int_equal(store_outbox_next(f->s, &f->a, 200, 1, 1, &m), ST_OK);
	assert_string_equal(m.payload, "2");
}

static void
test_lease(void **state)
{
	struct fx	*f = *state;
	const char	*holder;
	long long	 until;
	int		 got;

	assert_int_equal(store_lease_take(f->s, "sender", "A", 100, 130, &got),
	    ST_OK);
	assert_true(got);
	/* B waits while A holds it; A renews. */
	store_lease_take(f->s, "sender", "B", 110, 140, &got);
	assert_false(got);
	store_lease_take(f->s, "sender", "A", 120, 150, &got);
	assert_true(got);
	store_lease_take(f->s, "sender", "B", 149, 180, &got);
	assert_false(got);
	/* Lapsed: B has it. */
	store_lease_take(f->s, "sender", "B", 151, 180, &got);
	assert_true(got);
	assert_int_equal(store_lease_get(f->s, &f->a, "sender", &holder,
	    &until), ST_OK);
	assert_string_equal(holder, "B");
	assert_int_equal(until, 180);
	/* Taken from a dead holder only while that one holds it. */
	store_lease_steal(f->s, "sender", "A", "C", 200, &got);
	assert_false(got);
	store_lease_steal(f->s, "sender", "B", "C", 200, &got);
	assert_true(got);
	/* Let go: anyone at once; only the holder can. */
	assert_int_equal(store_lease_drop(f->s, "sender", "B"), ST_OK);
	store_lease_take(f->s, "sender", "D", 160, 190, &got);
	assert_false(got);
	assert_int_equal(store_lease_drop(f->s, "sender", "C"), ST_OK);
	store_lease_take(f->s, "sender", "D", 160, 190, &got);
	assert_true(got);
}

static void
test_subscriptions(void **state)
{
	struct fx		*f = *state;
	struct config		 cfg;
	struct subscriber	*v, sb;
	struct erase_counts	 c;
	struct mail_event	 e;
	struct comment		 cm;
	long long		 id = comment(f, "Sub@Example.org"), art, n = 0;
	size_t			 nv;
	char			 err[256];

	assert_int_equal(config_parse(&cfg, "[mail]\ntransport = sendmail\n"
	    "from = a@b.org\n[site]\nbase_url = https://x.example\n", err,
	    sizeof(err)), 0);
	assert_int_equal(store_comment_get(f->s, &f->a, id, &cm), ST_OK);
	art = cm.article;
	/* Asked twice the same day: one confirmation event. */
	assert_int_equal(outbox_subscribe(f->s, &cfg, "sub@example.org", id,
	    art, 0, 1000), ST_OK);
	assert_int_equal(outbox_subscribe(f->s, &cfg, "sub@example.org", id,
	    art, 0, 2000), ST_OK);
	assert_int_equal(store_event_next(f->s, &f->a, &e), ST_OK);
	assert_string_equal(e.kind, "confirm");
	assert_int_equal(store_event_del(f->s, e.id), ST_OK);
	assert_int_equal(store_event_next(f->s, &f->a, &e), ST_NOTFOUND);
	/* Unconfirmed: no recipient. */
	assert_int_equal(store_reply_recipients(f->s, &f->a, id, &v, &nv),
	    ST_OK);
	assert_int_equal(nv, 0);
	assert_int_equal(store_subscriber_by_email(f->s, &f->a,
	    "sub@example.org", &sb), ST_OK);
	assert_int_equal(store_subscriber_confirm(f->s, sb.id, 3000), ST_OK);
	assert_int_equal(store_reply_recipients(f->s, &f->a, id, &v, &nv),
	    ST_OK);
	assert_int_equal(nv, 1);
	/* Stop the thread: none; the address stays confirmed. */
	assert_int_equal(store_unsubscribe(f->s, sb.id, art, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_subscriber_get(f->s, &f->a, sb.id, &sb), ST_OK);
	assert_int_equal(sb.confirmed, 3000);
	/* Stop all: it must confirm again. */
	assert_int_equal(store_unsubscribe(f->s, sb.id, 0, NULL), ST_OK);
	assert_int_equal(store_subscriber_get(f->s, &f->a, sb.id, &sb), ST_OK);
	assert_int_equal(sb.confirmed, 0);
	/* Erase: the comment anonymised, the subscriber gone. */
	assert_int_equal(store_outbox_add(f->s, "mail", "sub@example.org",
	    "confirm", "m", 0, 1), ST_OK);
	assert_int_equal(store_privacy_erase(f->s, "sub@example.org", &c),
	    ST_OK);
	assert_int_equal(c.comments, 1);
	assert_int_equal(c.subscribers, 1);
	assert_int_equal(c.messages, 1);
	assert_int_equal(store_subscriber_get(f->s, &f->a, sb.id, &sb),
	    ST_NOTFOUND);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subscriptions, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
