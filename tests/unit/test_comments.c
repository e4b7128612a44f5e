/* test_comments.c: the domain's posting rules (domain/comments.c and
 * domain/authored.c) on a real database, through the group-commit writer,
 * with no HTTP anywhere */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

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
#include "domain/reason.h"
#include "domain/site.h"
#include "domain/writer.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct fx {
	char		 dir[64];
	char		 db[96];
	struct config	 cfg;
	struct site	 site;
	struct arena	 a;
	struct article	 ar;		/* /post/, open */
	struct article	 other;		/* /other/ */
};

static int
setup(void **state)
{
	struct fx	*f;
	unsigned char	 fresh[AUTH_SECRET_LEN];
	char		 err[256];
	long long	 id;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-test-comments-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/palaver.db", f->dir);
	if (config_parse(&f->cfg, "[spam]\nmin_submit_seconds = 0\n"
	    "posts_per_minute = 3\n[moderation]\nedit_window = 600\n", err,
	    sizeof(err)) != 0)
		return -1;
	auth_secret_new(fresh);
	if (store_migrate(f->db, fresh, NULL, NULL) != ST_OK ||
	    store_open(f->db, &f->site.store) != ST_OK ||
	    store_secret(f->site.store, f->site.secret) != ST_OK ||
	    (f->site.writer = writer_new(f->db)) == NULL)
		return -1;
	f->site.cfg = &f->cfg;
	if (store_article_add(f->site.store, "/post/", "A post", NULL, NULL,
	    (long long)time(NULL), &id) != ST_OK ||
	    store_article_get(f->site.store, &f->a, id, &f->ar) != ST_OK ||
	    store_article_add(f->site.store, "/other/", "Other", NULL, NULL,
	    (long long)time(NULL), &id) != ST_OK ||
	    store_article_get(f->site.store, &f->a, id, &f->other) != ST_OK)
		return -1;
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

/* A poster from address addr, owning the comments of tokens (may be
 * NULL: tokens joined by '~'). */
static void
poster(struct fx *f, struct poster *p, struct authored *own, const char *addr,
    const char *tokens)
{
	const char	*lists[1] = { tokens };

	memset(p, 0, sizeof(*p));
	authored_read(f->site.secret, &f->a, lists, 1, (long long)time(NULL),
	    own);
	p->own = own;
	p->addr = addr;
	p->addr_hash = addr;	/* any stable key will do here */
	p->keys.addr = addr;
}

static enum status
post(struct fx *f, const struct article *ar, long long parent,
    const char *body, const struct poster *p, struct posted *out,
    struct refusal *ref)
{
	struct comment_input	 in;

	memset(&in, 0, sizeof(in));
	in.parent = parent;
	in.body = body;
	return comments_post(&f->site, &f->a, ar, &in, p, out, ref);
}

static void
posting(void **state)
{
	struct fx	*f = *state;
	struct poster	 p;
	struct authored	 own;
	struct posted	 out;
	struct refusal	 ref;
	struct comment	 c;

	poster(f, &p, &own, "a1", NULL);
	assert_int_equal(post(f, &f->ar, 0, "Hello *there*", &p, &out, &ref),
	    ST_OK);
	assert_int_equal(out.c.status, CS_APPROVED);
	assert_string_equal(out.c.author, "Anonymous");
	assert_string_equal(out.c.html, "<p>Hello <em>there</em></p>\n");
	assert_true(out.expires > time(NULL) + 500);
	assert_int_equal(store_comment_get(f->site.store, &f->a, out.c.id, &c),
	    ST_OK);
	assert_int_equal(c.article, f->ar.id);
	assert_string_equal(c.body, "Hello *there*");
}

/* Each row: what is posted, and the reason it is refused (RS_OK: it is
 * not). */
static void
refusals(void **state)
{
	struct fx	*f = *state;
	struct poster	 p, mine;
	struct authored	 own, own2;
	struct posted	 root, held, out;
	struct refusal	 ref;
	struct article	 closed;
	char		 tokens[256];

	poster(f, &p, &own, "a2", NULL);
	assert_int_equal(post(f, &f->ar, 0, "root", &p, &root, &ref), ST_OK);
	/* A comment held for moderation: its author may answer it. */
	f->ar.mode = "pre";
	assert_int_equal(post(f, &f->ar, 0, "held", &p, &held, &ref), ST_OK);
	f->ar.mode = NULL;
	assert_int_equal(held.c.status, CS_PENDING);

	/* Another article's comment is no parent here. */
	assert_int_equal(post(f, &f->other, root.c.id, "x", &p, &out, &ref),
	    ST_INPUT);
	assert_int_equal(ref.why, RS_PARENT_GONE);
	assert_string_equal(ref.field, "parent");
	assert_int_equal(post(f, &f->ar, 99999999, "x", &p, &out, &ref),
	    ST_INPUT);
	assert_int_equal(ref.why, RS_PARENT_GONE);
	/* A held comment, not one's own. */
	assert_int_equal(post(f, &f->ar, held.c.id, "x", &p, &out, &ref),
	    ST_INPUT);
	assert_int_equal(ref.why, RS_PARENT_HIDDEN);
	/* One's own held comment. */
	snprintf(tokens, sizeof(tokens), "%s", held.token);
	poster(f, &mine, &own2, "a3", tokens);
	assert_int_equal(post(f, &f->ar, held.c.id, "reply to myself", &mine,
	    &out, &ref), ST_OK);
	/* A closed article takes nothing. */
	closed = f->ar;
	closed.closed = 1;
	assert_int_equal(post(f, &closed, 0, "x", &p, &out, &ref), ST_INPUT);
	assert_int_equal(ref.why, RS_CLOSED);
}

static void
rate_limit(void **state)
{
	struct fx	*f = *state;
	struct poster	 p;
	struct authored	 own;
	struct posted	 out;
	struct refusal	 ref;
	long long	 before, after;
	int		 i;

	poster(f, &p, &own, "busy", NULL);
	for (i = 0; i < 3; i++)
		assert_int_equal(post(f, &f->ar, 0, "again and again", &p,
		    &out, &ref), ST_OK);
	store_article_get(f->site.store, &f->a, f->ar.id, &f->ar);
	before = f->ar.version;
	assert_int_equal(post(f, &f->ar, 0, "one too many", &p, &out, &ref),
	    ST_INPUT);
	assert_int_equal(ref.why, RS_RATE);
	assert_int_equal(ref.limit, 3);
	assert_int_equal(ref.retry, 60);
	/* Nothing of the refused post was kept. */
	store_article_get(f->site.store, &f->a, f->ar.id, &f->ar);
	after = f->ar.version;
	assert_int_equal(before, after);
	/* Another address is not limited by it. */
	poster(f, &p, &own, "calm", NULL);
	assert_int_equal(post(f, &f->ar, 0, "fine", &p, &out, &ref), ST_OK);
}

static void
first_use(void **state)
{
	struct fx	*f = *state;
	struct poster	 p;
	struct authored	 own;
	struct posted	 out;
	struct refusal	 ref;
	struct article	 ar;

	assert_int_equal(comments_thread(&f->site, &f->a, "/new/", "New",
	    0, &ar, &ref), ST_INPUT);
	assert_int_equal(ref.why, RS_NO_THREAD);
	assert_int_equal(comments_thread(&f->site, &f->a, "no-slash", "T", 1,
	    &ar, &ref), ST_INPUT);
	assert_int_equal(ref.why, RS_THREAD_BAD);
	assert_int_equal(comments_thread(&f->site, &f->a, "/a b/", "T", 1, &ar,
	    &ref), ST_INPUT);
	assert_int_equal(comments_thread(&f->site, &f->a, "/new/", NULL, 1,
	    &ar, &ref), ST_OK);
	assert_int_equal(ar.id, 0);
	assert_string_equal(ar.title, "/new/");
	/* Made with its first comment. */
	poster(f, &p, &own, "a4", NULL);
	assert_int_equal(post(f, &ar, 0, "first", &p, &out, &ref), ST_OK);
	assert_true(out.c.article > 0);
	assert_int_equal(comments_thread(&f->site, &f->a, "/new/", NULL, 0,
	    &ar, &ref), ST_OK);
	assert_int_equal(ar.id, out.c.article);
	/* An existing thread is found whoever asks. */
	assert_int_equal(comments_thread(&f->site, &f->a, "/post/", NULL, 0,
	    &ar, &ref), ST_OK);
	assert_int_equal(ar.id, f->ar.id);
}

static void
edit_delete(void **state)
{
	struct fx	*f = *state;
	struct poster	 p, stranger;
	struct authored	 own, none;
	struct posted	 parent, child, leaf;
	struct refusal	 ref;
	struct comment	 c;
	char		 tokens[512];
	const char	*html;

	poster(f, &p, &own, "a5", NULL);
	assert_int_equal(post(f, &f->ar, 0, "parent", &p, &parent, &ref),
	    ST_OK);
	assert_int_equal(post(f, &f->ar, parent.c.id, "child", &p, &child,
	    &ref), ST_OK);
	assert_int_equal(post(f, &f->ar, 0, "leaf", &p, &leaf, &ref), ST_OK);
	snprintf(tokens, sizeof(tokens), "%s~%s", parent.token, leaf.token);
	poster(f, &p, &own, "a5", tokens);
	poster(f, &stranger, &none, "a6", NULL);

	assert_int_equal(comments_edit(&f->site, &f->a, leaf.c.id, "changed",
	    &stranger, &html, &ref), ST_INPUT);
	assert_int_equal(ref.why, RS_NOT_YOURS);
	assert_int_equal(comments_edit(&f->site, &f->a, 99999999, "changed",
	    &p, &html, &ref), ST_NOTFOUND);
	assert_int_equal(comments_edit(&f->site, &f->a, leaf.c.id,
	    "**changed**", &p, &html, &ref), ST_OK);
	assert_string_equal(html, "<p><strong>changed</strong></p>\n");
	assert_int_equal(store_comment_get(f->site.store, &f->a, leaf.c.id,
	    &c), ST_OK);
	assert_string_equal(c.body, "**changed**");
	assert_true(c.edited > 0);

	/* A leaf goes; a comment with replies stays as a placeholder. */
	assert_int_equal(comments_delete(&f->site, &f->a, leaf.c.id,
	    &stranger, &ref), ST_INPUT);
	assert_int_equal(comments_delete(&f->site, &f->a, leaf.c.id, &p,
	    &ref), ST_OK);
	assert_int_equal(store_comment_get(f->site.store, &f->a, leaf.c.id,
	    &c), ST_NOTFOUND);
	assert_int_equal(comments_delete(&f->site, &f->a, parent.c.id, &p,
	    &ref), ST_OK);
	assert_int_equal(store_comment_get(f->site.store, &f->a, parent.c.id,
	    &c), ST_OK);
	assert_int_equal(c.status, CS_DELETED);
	assert_string_equal(c.body, "");
	/* Deleted is final. */
	assert_int_equal(comments_edit(&f->site, &f->a, parent.c.id, "back",
	    &p, &html, &ref), ST_INPUT);
	assert_int_equal(ref.why, RS_NOT_YOURS);
}

/* --- what a reader sees -------------------------------------------------- */

static void
visibility(void **state)
{
	/* Rows: id, parent, status; who owns 4; what each reader sees. */
	static const struct {
		long long	 id, parent;
		enum cstatus	 status;
		unsigned char	 anon, owner;
	} rows[] = {
		{ 1, 0, CS_APPROVED, SHOWN_YES, SHOWN_YES },
		{ 2, 1, CS_SPAM, SHOWN_PLACEHOLDER, SHOWN_PLACEHOLDER },
		{ 3, 2, CS_APPROVED, SHOWN_YES, SHOWN_YES },
		{ 4, 1, CS_PENDING, SHOWN_NOT, SHOWN_YES },
		{ 5, 4, CS_APPROVED, SHOWN_YES, SHOWN_YES },
		{ 6, 0, CS_DELETED, SHOWN_NOT, SHOWN_NOT },
		{ 7, 0, CS_PENDING, SHOWN_NOT, SHOWN_NOT },
	};
	struct fx		*f = *state;
	struct comment		 v[NITEMS(rows)];
	struct thread_page	 pg;
	struct thread_view	 tv;
	struct authored		 own;
	long long		 ids[1] = { 4 }, exps[1] = { 12345 };
	size_t			 i;

	memset(v, 0, sizeof(v));
	for (i = 0; i < NITEMS(rows); i++) {
		v[i].id = rows[i].id;
		v[i].parent = rows[i].parent;
		v[i].status = rows[i].status;
	}
	pg.v = v;
	pg.n = NITEMS(rows);
	pg.next = 0;
	assert_int_equal(thread_view_make(&f->a, &pg, NULL, &tv), ST_OK);
	for (i = 0; i < NITEMS(rows); i++) {
		/* Row 4's reply is shown: 4 keeps its place for others. */
		unsigned char want = rows[i].id == 4 ? SHOWN_PLACEHOLDER :
		    rows[i].anon;

		if (tv.shown[i] != want)
			fail_msg("anonymous, row %zu: %d, want %d", i,
			    tv.shown[i], want);
		assert_int_equal(tv.mine[i], 0);
	}
	assert_int_equal(tv.parent[2], 1);
	assert_int_equal(tv.parent[4], 3);
	assert_int_equal(tv.parent[0], -1);
	memset(&own, 0, sizeof(own));
	own.ids = ids;
	own.expires = exps;
	own.n = 1;
	assert_int_equal(thread_view_make(&f->a, &pg, &own, &tv), ST_OK);
	for (i = 0; i < NITEMS(rows); i++)
		if (tv.shown[i] != rows[i].owner)
			fail_msg("owner, row %zu: %d, want %d", i, tv.shown[i],
			    rows[i].owner);
	assert_int_equal(tv.mine[3], 12345);
}

static void
tokens_and_cookie(void **state)
{
	struct fx	*f = *state;
	struct authored	 own;
	char		 t1[AUTH_TOKEN_MAX], t2[AUTH_TOKEN_MAX], list[400];
	const char	*lists[2], *ck;
	long long	 now = (long long)time(NULL);

	auth_author_token(f->site.secret, 11, now + 100, t1);
	auth_author_token(f->site.secret, 12, now - 1, t2);	/* expired */
	snprintf(list, sizeof(list), "garbage~%s~%s~", t2, t1);
	lists[0] = list;
	lists[1] = NULL;
	authored_read(f->site.secret, &f->a, lists, 2, now, &own);
	assert_int_equal(own.n, 1);
	assert_int_equal(authored_has(&own, 11), now + 100);
	assert_int_equal(authored_has(&own, 12), 0);
	assert_string_equal(own.json, "[11]");
	/* The cookie keeps the new token first and drops the dead. */
	ck = authored_cookie(f->site.secret, &f->a, list, 13, "NEW", now);
	assert_non_null(ck);
	assert_true(strncmp(ck, "NEW~", 4) == 0);
	assert_non_null(strstr(ck, t1));
	assert_null(strstr(ck, t2));
	assert_null(strstr(ck, "garbage"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(posting, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(first_use, setup, teardown),
		cmocka_unit_test_setup_teardown(edit_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(visibility, setup, teardown),
		cmocka_unit_test_setup_teardown(tokens_and_cookie, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
