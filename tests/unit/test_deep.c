/* test_deep.c: deep threads: bounded storage, depth-first pages, max_store_depth, migration 006 */
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

#include <sqlite3.h>

#include "core/arena.h"
#include "auth/auth.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
/* The key keeps 8 levels of ancestry plus the comment: 9 ids of 8 bytes
 * (PATH_LEVELS in store_comment.c). */
#define KEY_MAX		72
#define CHAIN		10000

/* From build/sql_gen.c: the migrations, to make an old database. */
extern const char *const sqlite_migrations[];
extern const size_t nmigrations;

struct fx {
	char		 dir[64];
	char		 db[128];
	unsigned char	 secret[AUTH_SECRET_LEN];
	struct store	*s;
	struct arena	 a;
	long long	 art;
};

static int
setup_empty(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-deep-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/palaver.db", f->dir);
	auth_secret_new(f->secret);
	store_set_max_depth(STORE_MAX_DEPTH);
	*state = f;
	return 0;
}

/* A migrated database, a store on it (max_store_depth as set before). */
static void
open_fresh(struct fx *f)
{
	assert_int_equal(store_migrate(f->db, f->secret, NULL, NULL), ST_OK);
	assert_int_equal(store_open(f->db, &f->s), ST_OK);
	assert_int_equal(store_article_add(f->s, "/deep/", "Deep", NULL, NULL,
	    1, &f->art), ST_OK);
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_set_max_depth(STORE_MAX_DEPTH);
	store_close(f->s);
	arena_reset(&f->a);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static void
fill(struct comment *c, long long article, long long parent, const char *body)
{
	memset(c, 0, sizeof(*c));
	c->article = article;
	c->parent = parent;
	c->author = "Deep Diver";
	c->body = body;
	c->html = "<p>deep</p>\n";
	c->status = CS_APPROVED;
	c->reasons = "";
	c->created = 1;
}

/* One comment in its own transaction; its id. */
static long long
add(struct fx *f, long long parent, struct comment *out)
{
	struct comment	 c;

	fill(&c, f->art, parent, "deep");
	assert_int_equal(store_comment_add(f->s, &c), ST_OK);
	if (out != NULL)
		*out = c;
	return c.id;
}

static void
page(struct fx *f, int newest, struct thread_page *pg)
{
	assert_int_equal(store_thread_page(f->s, &f->a, f->art, 0, newest, 50,
	    NULL, pg), ST_OK);
}

/* --- the expected order, from parent links alone --------------------------- */

struct node {
	long long	 id;
	long long	 parent;	/* 0 at top level */
};

/* Depth-first from the nodes whose parent is `of`, replies by id (the
 * nodes are in id order). */
static void
expect(const struct node *v, size_t n, long long of, long long *out,
    size_t *k)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v[i].parent == of) {
			out[(*k)++] = v[i].id;
			expect(v, n, v[i].id, out, k);
		}
}

static void
check_order(const struct thread_page *pg, const long long *want, size_t n,
    const char *how)
{
	size_t	 i;

	if (pg->n != n)
		fail_msg("%s: %zu comments, want %zu", how, pg->n, n);
	for (i = 0; i < n; i++)
		if (pg->v[i].id != want[i])
			fail_msg("%s: position %zu is %lld, want %lld", how, i,
			    pg->v[i].id, want[i]);
}

/* --- tests ------------------------------------------------------------------ */

/*
 * A chain 10,000 deep, each reply answering the one before (issue 9: 832
 * MB with a full path a row): every row keeps its real depth and parent,
 * its key stays within 72 bytes, the database within a few MB, and the
 * page comes back as the chain, in one piece.
 */
static void
test_chain_storage(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct comment		 c;
	long long		 parent = 0, root = 0, bytes;
	char			 body[32];
	size_t			 i;
	clock_t			 t0;

	store_set_max_depth(1000000);
	open_fresh(f);
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	for (i = 0; i < CHAIN; i++) {
		snprintf(body, sizeof(body), "level %zu", i);
		fill(&c, f->art, parent, body);
		assert_int_equal(store_comment_insert(f->s, &c), ST_OK);
		assert_int_equal(c.depth, (int)i);
		assert_int_equal(c.parent, parent);
		if (i == 0)
			root = c.id;
		assert_int_equal(c.root, root);
		parent = c.id;
	}
	assert_int_equal(store_tx_commit(f->s), ST_OK);
	assert_int_equal(unit_sql_int(f->db, "SELECT max(length(path)) FROM "
	    "comments"), KEY_MAX);
	assert_int_equal(unit_sql_int(f->db, "SELECT max(depth) FROM comments"),
	    CHAIN - 1);
	bytes = unit_sql_int(f->db, "SELECT page_count * page_size FROM "
	    "pragma_page_count, pragma_page_size");
	print_message("# 10,000-deep chain: %lld bytes of database\n", bytes);
	assert_true(bytes > 0 && bytes < 5 * 1024 * 1024);

	t0 = clock();
	page(f, 0, &pg);
	print_message("# its page: %.0f ms of CPU\n",
	    (double)(clock() - t0) * 1000 / CLOCKS_PER_SEC);
	assert_int_equal(pg.n, CHAIN);
	assert_int_equal(pg.next, 0);
	for (i = 0; i < CHAIN; i++) {
		assert_int_equal(pg.v[i].id, root + (long long)i);
		assert_int_equal(pg.v[i].depth, (int)i);
		assert_int_equal(pg.v[i].parent, i == 0 ? 0 : root +
		    (long long)i - 1);
	}
	arena_reset(&f->a);
}

/*
 * Branches below the eighth level, added in an order where id order is
 * not thread order: the page is still depth-first, replies oldest first,
 * with the other thread's block before or after as asked.
 */
static void
test_deep_branches(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct node		 v[64];
	long long		 chain[12], want[64], other;
	size_t			 n = 0, k, i;

	open_fresh(f);
	/* A chain 12 deep, then replies that go back up and down it. */
	for (i = 0; i < NITEMS(chain); i++) {
		chain[i] = add(f, i == 0 ? 0 : chain[i - 1], NULL);
		v[n++] = (struct node){ chain[i], i == 0 ? 0 : chain[i - 1] };
	}
	other = add(f, 0, NULL);
	v[n++] = (struct node){ other, 0 };
	{
		/* (index into v of the parent) in insertion order */
		static const size_t under[] = { 8, 10, 7, 9, 8, 11, 13, 14,
		    3, 15, 12, 6, 17, 8, 20, 12 };

		for (i = 0; i < NITEMS(under); i++) {
			long long p = v[under[i]].id;

			v[n] = (struct node){ add(f, p, NULL), p };
			n++;
		}
	}
	v[n] = (struct node){ add(f, other, NULL), other };
	n++;

	k = 0;
	expect(v, n, 0, want, &k);
	assert_int_equal(k, n);
	page(f, 0, &pg);
	check_order(&pg, want, n, "oldest first");
	/* Each row's depth is its parent's plus one. */
	for (i = 1; i < pg.n; i++)
		if (pg.v[i].parent != 0) {
			size_t j = i;

			while (j > 0 && pg.v[j - 1].id != pg.v[i].parent)
				j--;
			assert_true(j > 0);
			assert_int_equal(pg.v[i].depth, pg.v[j - 1].depth + 1);
		}

	/* Newest first: the other thread, then the deep one, each in
	 * thread order. */
	page(f, 1, &pg);
	k = 0;
	want[k++] = other;
	expect(v, n, other, want, &k);
	want[k++] = chain[0];
	expect(v, n, chain[0], want, &k);
	check_order(&pg, want, n, "newest first");
	arena_reset(&f->a);
}

/*
 * max_store_depth 3: a reply to a comment at depth 3 is stored beside
 * it, under the same parent, at depth 3; replies higher up are not
 * touched.
 */
static void
test_max_store_depth(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct comment		 c;
	long long		 id[8];
	size_t			 i;

	store_set_max_depth(3);
	open_fresh(f);
	for (i = 0; i < 7; i++) {
		id[i] = add(f, i == 0 ? 0 : id[i - 1], &c);
		assert_int_equal(c.depth, i < 3 ? (int)i : 3);
		/* 0..3 answer the one before; 4..6 go beside 3 and each
		 * other, under 2. */
		assert_int_equal(c.parent, i == 0 ? 0 : i <= 3 ? id[i - 1] :
		    id[2]);
	}
	id[7] = add(f, id[1], &c);
	assert_int_equal(c.depth, 2);
	assert_int_equal(c.parent, id[1]);
	assert_int_equal(unit_sql_int(f->db, "SELECT max(depth) FROM "
	    "comments"), 3);

	page(f, 0, &pg);
	{
		const long long want[] = { id[0], id[1], id[2], id[3], id[4],
		    id[5], id[6], id[7] };

		check_order(&pg, want, NITEMS(want), "capped");
	}
	/* A parent that is not there is still refused. */
	fill(&c, f->art, 999999, "x");
	assert_int_equal(store_comment_add(f->s, &c), ST_NOTFOUND);
	arena_reset(&f->a);
}

/* 8 bytes big-endian, as the old key had them. */
static void
put64(unsigned char *p, long long v)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

/*
 * A database of schema version 5 with full paths (a chain 30 deep and
 * branches) migrates: keys are cut to 72 bytes, shallow ones are left as
 * they were, the page reads in the same order, the search still finds
 * the comments, and the file is sound.
 */
static void
test_migrate_paths(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct node		 v[40];
	sqlite3			*db = NULL;
	sqlite3_stmt		*st = NULL;
	struct queue_query	 q;
	struct queue_item	*qi;
	unsigned char		 path[40][40 * 8];
	size_t			 plen[40], n = 0, i, k, qn;
	long long		 want[40];
	int			 from = 0, to = 0, depth[40];
	char			*msg = NULL;

	/* Version 5, by hand, as palaver before this change left it. */
	assert_true(nmigrations >= 6);
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL,
	    NULL), SQLITE_OK);
	for (i = 0; i < 5; i++)
		if (sqlite3_exec(db, sqlite_migrations[i], NULL, NULL, &msg) !=
		    SQLITE_OK)
			fail_msg("migration %zu: %s", i + 1, msg);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=5; "
	    "INSERT INTO articles (id, uri, title, created) "
	    "VALUES (1, '/old/', 'Old', 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO comments (id, "
	    "article, parent, root, depth, path, author, body, html, status, "
	    "created) VALUES (?1, 1, nullif(?2, 0), ?3, ?4, ?5, 'Old Timer', "
	    "'word' || ?1, '<p>old</p>', 'approved', 1)", -1, &st, NULL),
	    SQLITE_OK);
	for (i = 0; i < 40; i++) {
		long long id = (long long)i + 1, p;

		/* 0..29 a chain; then replies to 20, 9, 25, 9, 12, ... */
		p = i == 0 ? 0 : i < 30 ? id - 1 : (long long)((i * 7) % 30) +
		    1;
		v[n++] = (struct node){ id, p };
		if (p == 0) {
			depth[i] = 0;
			plen[i] = 0;
		} else {
			depth[i] = depth[p - 1] + 1;
			memcpy(path[i], path[p - 1], plen[p - 1]);
			plen[i] = plen[p - 1];
		}
		put64(path[i] + plen[i], id);
		plen[i] += 8;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, p);
		sqlite3_bind_int64(st, 3, 1);
		sqlite3_bind_int(st, 4, depth[i]);
		sqlite3_bind_blob(st, 5, path[i], (int)plen[i], SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db, "UPDATE articles SET ncomments = 40",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(unit_sql_int(f->db, "SELECT max(length(path)) FROM "
	    "comments"), 30 * 8);

	assert_int_equal(store_migrate(f->db, f->secret, &from, &to), ST_OK);
	assert_int_equal(from, 5);
	assert_int_equal(to, (int)nmigrations);
	assert_int_equal(unit_sql_int(f->db, "SELECT max(length(path)) FROM "
	    "comments"), KEY_MAX);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments "
	    "WHERE depth < 8 AND length(path) != 8 * (depth + 1)"), 0);
	/* Deeper than 7: the first 64 bytes are the parent's (its
	 * ancestor's at depth 7), the last 8 its own id. */
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM comments c "
	    "WHERE depth >= 8 AND (length(path) != 72 OR "
	    "hex(substr(path, 65)) != printf('%016X', id) OR "
	    "substr(path, 1, 64) != (SELECT substr(p.path, 1, 64) FROM "
	    "comments p WHERE p.id = c.parent))"), 0);
	assert_true(unit_sql_int(f->db, "SELECT count(*) FROM comments "
	    "WHERE depth >= 8") > 20);

	assert_int_equal(store_open(f->db, &f->s), ST_OK);
	f->art = 1;
	k = 0;
	expect(v, n, 0, want, &k);
	page(f, 0, &pg);
	check_order(&pg, want, n, "migrated");

	/* The old triggers' index still answers, and new writes join it. */
	memset(&q, 0, sizeof(q));
	q.status = CS_APPROVED;
	q.q = "word33";
	q.limit = 10;
	assert_int_equal(store_queue(f->s, &f->a, &q, &qi, &qn), ST_OK);
	assert_int_equal(qn, 1);
	assert_int_equal(qi[0].c.id, 33);
	add(f, 33, NULL);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
	    "comments_fts WHERE comments_fts MATCH 'deep'"), 1);
	{
		sqlite3	*chk = NULL;
		char	 *m = NULL;

		assert_int_equal(sqlite3_open_v2(f->db, &chk,
		    SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
		if (sqlite3_exec(chk, "INSERT INTO comments_fts (comments_fts) "
		    "VALUES ('integrity-check')", NULL, NULL, &m) != SQLITE_OK)
			fail_msg("search index: %s", m);
		sqlite3_close(chk);
	}
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
	arena_reset(&f->a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chain_storage,
		    setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_deep_branches,
		    setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_max_store_depth,
		    setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_paths,
		    setup_empty, teardown),
	};

	if (auth_init() == -1) {
		fprintf(stderr, "test_deep: libsodium will not start\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
