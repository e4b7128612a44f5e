/* test_votes.c: readers' votes (one a reader, replaced, counted, ranked),
 * best-first pages and their cursors, reports and the hold, the limits */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "auth/auth.h"
#include "store/store.h"
#include "domain/authored.h"
#include "domain/comments.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "domain/site.h"
#include "domain/votes.h"
#include "domain/writer.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct fx {
	char		 dir[64];
	char		 db[96];
	struct config	 cfg;
	struct site	 site;
	struct arena	 a;
	long long	 art;
	long long	 ids[8];	/* top-level comments, oldest first */
	long long	 reply;		/* a reply to ids[0] */
};

static struct fx *
fx_new(const char *conf)
{
	struct fx	*f;
	struct comment	 c;
	unsigned char	 fresh[AUTH_SECRET_LEN];
	char		 err[256];
	size_t		 i;

	assert_non_null(f = calloc(1, sizeof(*f)));
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-test-votes-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/palaver.db", f->dir);
	assert_int_equal(config_parse(&f->cfg, conf, err, sizeof(err)), 0);
	auth_secret_new(fresh);
	assert_int_equal(store_migrate(f->db, fresh, NULL, NULL), ST_OK);
	assert_int_equal(store_open(f->db, &f->site.store), ST_OK);
	assert_int_equal(store_secret(f->site.store, f->site.secret), ST_OK);
	assert_non_null(f->site.writer = writer_new(f->db));
	f->site.cfg = &f->cfg;
	assert_int_equal(store_article_add(f->site.store, "/v/", "V", NULL,
	    NULL, 1, &f->art), ST_OK);
	for (i = 0; i <= NITEMS(f->ids); i++) {
		memset(&c, 0, sizeof(c));
		c.article = f->art;
		c.parent = i == NITEMS(f->ids) ? f->ids[0] : 0;
		c.author = "A";
		c.body = c.html = "x";
		c.status = CS_APPROVED;
		c.created = 1;
		assert_int_equal(store_comment_add(f->site.store, &c), ST_OK);
		if (i < NITEMS(f->ids))
			f->ids[i] = c.id;
		else
			f->reply = c.id;
	}
	return f;
}

static int
setup(void **state)
{
	*state = fx_new("[votes]\ndown = yes\nper_minute = 0\n"
	    "[moderation]\nreport_hold = 2\nreports_per_hour = 0\n");
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	if (f == NULL)
		return 0;
	writer_free(f->site.writer);
	store_close(f->site.store);
	config_free(&f->cfg);
	arena_free(&f->a);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* A reader at address addr (its keyed hash, here the text itself). */
static void
reader(struct poster *p, struct authored *own, const char *addr)
{
	memset(p, 0, sizeof(*p));
	memset(own, 0, sizeof(*own));
	p->own = own;
	p->addr = addr;
	p->addr_hash = addr;
	p->keys.addr = addr;
}

static void
counts(struct fx *f, long long id, long long up, long long down)
{
	struct comment	 c;

	assert_int_equal(store_comment_get(f->site.store, &f->a, id, &c),
	    ST_OK);
	assert_int_equal(c.up, up);
	assert_int_equal(c.down, down);
}

static void
cast(struct fx *f, long long id, int v, const char *voter, const char *addr,
    enum status want, enum reason why)
{
	struct poster	 p;
	struct authored	 own;
	struct refusal	 ref;
	long long	 up, down;

	reader(&p, &own, addr);
	assert_int_equal(votes_cast(&f->site, &f->a, id, v, voter, &p, &up,
	    &down, &ref), want);
	if (want == ST_INPUT)
		assert_int_equal(ref.why, why);
}

/* --- the rank ------------------------------------------------------------ */

static void
test_wilson(void **state)
{
	static const struct {
		long long	 up, down;
		double		 want;
	} rows[] = {
		/* From an independent reckoning (Python, z = 1.959964). */
		{ 0, 0, 0 },
		{ 1, 0, 0.206549 },
		{ 3, 0, 0.438503 },
		{ 5, 1, 0.436497 },
		{ 10, 0, 0.722467 },
		{ 40, 2, 0.842101 },
		{ 0, 5, 0 },
		{ 50, 50, 0.403832 },
		/* Nonsense counts are taken as none. */
		{ -3, -1, 0 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++)
		if (fabs(votes_wilson(rows[i].up, rows[i].down) -
		    rows[i].want) > 1e-5)
			fail_msg("wilson(%lld, %lld) = %f, want %f",
			    rows[i].up, rows[i].down,
			    votes_wilson(rows[i].up, rows[i].down), rows[i].want);
	/* More votes, as good a share: ranks higher. */
	assert_true(votes_wilson(40, 2) > votes_wilson(2, 0));
	assert_true(votes_wilson(3, 0) > votes_wilson(5, 1));
}

/* --- votes --------------------------------------------------------------- */

static void
test_vote_once(void **state)
{
	struct fx	*f = *state;
	struct article	 before, after;
	long long	 id = f->ids[3];

	assert_int_equal(store_article_get(f->site.store, &f->a, f->art,
	    &before), ST_OK);
	cast(f, id, 1, "voter-a", "addr-1", ST_OK, RS_OK);
	counts(f, id, 1, 0);
	/* Again: nothing changes. */
	cast(f, id, 1, "voter-a", "addr-1", ST_OK, RS_OK);
	counts(f, id, 1, 0);
	/* A change of mind replaces it. */
	cast(f, id, -1, "voter-a", "addr-2", ST_OK, RS_OK);
	counts(f, id, 0, 1);
	/* Another token from the address it voted from last: the same
	 * reader (cookies cleared). */
	cast(f, id, 1, "voter-b", "addr-2", ST_OK, RS_OK);
	counts(f, id, 1, 0);
	/* Two readers. */
	cast(f, id, 1, "voter-c", "addr-3", ST_OK, RS_OK);
	counts(f, id, 2, 0);
	/* Taken back. */
	cast(f, id, 0, "voter-c", "addr-9", ST_OK, RS_OK);
	counts(f, id, 1, 0);
	cast(f, id, 0, "voter-never", "addr-8", ST_OK, RS_OK);
	counts(f, id, 1, 0);
	/* Votes move the vote counter, never the version (the cache). */
	assert_int_equal(store_article_get(f->site.store, &f->a, f->art,
	    &after), ST_OK);
	assert_int_equal(after.version, before.version);
	assert_true(after.votes > before.votes);
	/* The rank follows the counts. */
	cast(f, f->ids[5], 1, "voter-d", "addr-4", ST_OK, RS_OK);
	cast(f, f->ids[5], 1, "voter-e", "addr-5", ST_OK, RS_OK);
	counts(f, f->ids[5], 2, 0);
}

static void
test_vote_refused(void **state)
{
	struct fx	*f = *state;
	struct comment	 c;

	cast(f, 99999999, 1, "v", "a", ST_INPUT, RS_GONE);
	assert_int_equal(store_comment_get(f->site.store, &f->a, f->ids[1],
	    &c), ST_OK);
	/* Held, spam, deleted: not votable. */
	assert_int_equal(store_tx_begin(f->site.store), ST_OK);
	assert_int_equal(store_comment_set_status(f->site.store, f->ids[1],
	    CS_PENDING, NULL), ST_OK);
	assert_int_equal(store_tx_commit(f->site.store), ST_OK);
	cast(f, f->ids[1], 1, "v", "a", ST_INPUT, RS_GONE);
	counts(f, f->ids[1], 0, 0);
}

static void
test_vote_config(void **state)
{
	struct fx	*f;

	(void)state;
	f = fx_new("[votes]\nper_minute = 2\n");
	/* Down votes are off by default. */
	cast(f, f->ids[0], -1, "v1", "a1", ST_INPUT, RS_DOWN_OFF);
	/* The limit counts by address, whatever the token. */
	cast(f, f->ids[0], 1, "v1", "a1", ST_OK, RS_OK);
	cast(f, f->ids[1], 1, "v2", "a1", ST_OK, RS_OK);
	cast(f, f->ids[2], 1, "v3", "a1", ST_INPUT, RS_VOTE_RATE);
	cast(f, f->ids[2], 1, "v3", "a2", ST_OK, RS_OK);
	/* The log goes after a day. */
	assert_int_equal(store_prune(f->site.store, (long long)time(NULL) +
	    86400 + 60, 30), ST_OK);
	cast(f, f->ids[3], 1, "v1", "a1", ST_OK, RS_OK);
	teardown((void **)&f);
	f = fx_new("[votes]\nenabled = no\n");
	cast(f, f->ids[0], 1, "v1", "a1", ST_INPUT, RS_VOTES_OFF);
	teardown((void **)&f);
}

static void
test_votes_reset(void **state)
{
	struct fx	*f = *state;
	struct actor	 who = { 1, "mia", NULL, 5, 0 };

	who.mod = 0;	/* no such account: the audit keeps the name */
	cast(f, f->ids[2], 1, "v1", "a1", ST_OK, RS_OK);
	cast(f, f->ids[2], -1, "v2", "a2", ST_OK, RS_OK);
	assert_int_equal(votes_reset(&f->site, &who, f->ids[2]), ST_OK);
	counts(f, f->ids[2], 0, 0);
	/* The voters may vote again, from nothing. */
	cast(f, f->ids[2], 1, "v1", "a1", ST_OK, RS_OK);
	counts(f, f->ids[2], 1, 0);
	assert_int_equal(votes_reset(&f->site, &who, 99999999), ST_NOTFOUND);
}

/* --- best first ---------------------------------------------------------- */

/* The roots of pages of `size`, best first, from the top. */
static size_t
best_pages(struct fx *f, int size, long long *out, size_t max)
{
	struct thread_page	 pg;
	long long		 after = 0;
	size_t			 n = 0, i;

	do {
		assert_int_equal(store_thread_page(f->site.store, &f->a,
		    f->art, after, ORDER_BEST, size, NULL, &pg), ST_OK);
		for (i = 0; i < pg.n; i++)
			if (pg.v[i].parent == 0) {
				assert_true(n < max);
				out[n++] = pg.v[i].id;
			} else	/* each root with its replies */
				assert_int_equal(pg.v[i].root, pg.v[i - 1].root);
		after = pg.next;
	} while (after > 0);
	return n;
}

static void
test_best_pages(void **state)
{
	struct fx	*f = *state;
	long long	 got[16], n, above;
	size_t		 i, k;
	/* ids[6] 3-0, ids[2] 5-1, ids[4] 1-0, ids[1] 1-0, the rest none. */
	const int	 plan[][2] = { { 6, 3 }, { 2, 5 }, { 4, 1 }, { 1, 1 } };
	const size_t	 want[] = { 6, 2, 1, 4, 0, 3, 5, 7 };
	char		 voter[16], addr[16];
	int		 size;

	for (i = 0, k = 0; i < NITEMS(plan); i++)
		for (int v = 0; v < plan[i][1]; v++, k++) {
			snprintf(voter, sizeof(voter), "v%zu", k);
			snprintf(addr, sizeof(addr), "a%zu", k);
			cast(f, f->ids[plan[i][0]], 1, voter, addr, ST_OK,
			    RS_OK);
		}
	cast(f, f->ids[2], -1, "down", "down", ST_OK, RS_OK);
	/* Every page size gives the same order, each root once. */
	for (size = 1; size <= 9; size++) {
		assert_int_equal(best_pages(f, size, got, NITEMS(got)),
		    NITEMS(want));
		for (i = 0; i < NITEMS(want); i++)
			if (got[i] != f->ids[want[i]])
				fail_msg("size %d, rank %zu: %lld, want %lld",
				    size, i, got[i], f->ids[want[i]]);
	}
	/* Where a root stands, and the cursor of the page it starts. */
	for (i = 0; i < NITEMS(want); i++) {
		assert_int_equal(store_roots_better(f->site.store, f->art,
		    f->ids[want[i]], 100, &n, &above), ST_OK);
		assert_int_equal(n, (long long)i);
		assert_int_equal(above, i == 0 ? 0 : f->ids[want[i - 1]]);
	}
	assert_int_equal(store_roots_better(f->site.store, f->art, f->reply,
	    100, &n, &above), ST_NOTFOUND);
	/* A cursor that is not a root of this article starts at the top. */
	assert_int_equal(best_pages(f, 100, got, NITEMS(got)), NITEMS(want));
	{
		struct thread_page pg;

		assert_int_equal(store_thread_page(f->site.store, &f->a,
		    f->art, f->reply, ORDER_BEST, 2, NULL, &pg), ST_OK);
		assert_int_equal(pg.v[0].id, f->ids[want[0]]);
	}
}

/* --- reports ------------------------------------------------------------- */

static void
file_report(struct fx *f, long long id, enum report_reason why,
    const char *text, const char *addr, enum status want, int held_want)
{
	struct poster	 p;
	struct authored	 own;
	struct refusal	 ref;
	int		 held = -1;

	reader(&p, &own, addr);
	assert_int_equal(reports_file(&f->site, &f->a, id, why, text, &p,
	    &held, &ref), want);
	if (want == ST_OK)
		assert_int_equal(held, held_want);
}

static void
test_reports(void **state)
{
	struct fx	*f = *state;
	struct comment	 c;
	struct report	*v;
	size_t		 n;
	long long	 id = f->ids[4];

	file_report(f, id, RR_SPAM, "buy", "r1", ST_OK, 0);
	/* The same address again: counted once, its latest words kept. */
	file_report(f, id, RR_ABUSE, "rude", "r1", ST_OK, 0);
	assert_int_equal(store_reports_open(f->site.store, &f->a, id, 10, &v,
	    &n), ST_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].reason, RR_ABUSE);
	assert_string_equal(v[0].text, "rude");
	/* report_hold = 2: the second address holds it. */
	file_report(f, id, RR_OTHER, NULL, "r2", ST_OK, 1);
	assert_int_equal(store_comment_get(f->site.store, &f->a, id, &c),
	    ST_OK);
	assert_int_equal(c.status, CS_PENDING);
	assert_int_equal(store_reports_open(f->site.store, &f->a, id, 10, &v,
	    &n), ST_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].text, "");
	/* Held: no more reports (nor votes) on it. */
	file_report(f, id, RR_SPAM, NULL, "r3", ST_INPUT, 0);
	/* A moderator decides: the reports are settled; it takes two new
	 * ones to hold it again. */
	assert_int_equal(store_tx_begin(f->site.store), ST_OK);
	assert_int_equal(store_comment_set_status(f->site.store, id,
	    CS_APPROVED, NULL), ST_OK);
	assert_int_equal(store_tx_commit(f->site.store), ST_OK);
	assert_int_equal(store_reports_open(f->site.store, &f->a, id, 10, &v,
	    &n), ST_OK);
	assert_int_equal(n, 0);
	file_report(f, id, RR_SPAM, NULL, "r1", ST_OK, 0);
	file_report(f, id, RR_SPAM, NULL, "r2", ST_OK, 1);
	/* A reason out of the list, an unknown comment. */
	file_report(f, f->ids[0], RR__MAX, NULL, "r9", ST_INPUT, 0);
	file_report(f, 99999999, RR_SPAM, NULL, "r9", ST_INPUT, 0);
}

static void
test_report_limits(void **state)
{
	struct fx	*f;

	(void)state;
	f = fx_new("[moderation]\nreports_per_hour = 2\nreport_hold = 0\n");
	file_report(f, f->ids[0], RR_SPAM, NULL, "r1", ST_OK, 0);
	file_report(f, f->ids[1], RR_SPAM, NULL, "r1", ST_OK, 0);
	file_report(f, f->ids[2], RR_SPAM, NULL, "r1", ST_INPUT, 0);
	/* report_hold = 0: any number of reports holds nothing. */
	file_report(f, f->ids[0], RR_SPAM, NULL, "r2", ST_OK, 0);
	file_report(f, f->ids[0], RR_SPAM, NULL, "r3", ST_OK, 0);
	file_report(f, f->ids[0], RR_SPAM, NULL, "r4", ST_OK, 0);
	teardown((void **)&f);
}

static void
test_report_names(void **state)
{
	static const char *const names[] = { "spam", "abuse", "off-topic",
	    "other" };
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(names); i++) {
		assert_string_equal(report_reason_str((enum report_reason)i),
		    names[i]);
		assert_int_equal(report_reason_parse(names[i]), i);
	}
	assert_int_equal(report_reason_parse("Spam"), RR__MAX);
	assert_int_equal(report_reason_parse(""), RR__MAX);
	assert_int_equal(report_reason_parse(NULL), RR__MAX);
	assert_string_equal(report_reason_str(RR__MAX), "other");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson),
		cmocka_unit_test_setup_teardown(test_vote_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vote_refused, setup,
		    teardown),
		cmocka_unit_test(test_vote_config),
		cmocka_unit_test_setup_teardown(test_votes_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_best_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
		cmocka_unit_test(test_report_limits),
		cmocka_unit_test(test_report_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
