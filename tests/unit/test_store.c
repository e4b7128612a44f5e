/* test_store.c: migrations, statements, articles, threads, backups, hardening */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "auth/auth.h"
#include "store/store.h"
/* White box, for the hardening tests only: the connection of a store. */
#include "store/sqlite_int.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* A fresh, migrated database in its own temporary directory. */
struct fx {
	char		 dir[64];
	char		 db[128];
	unsigned char	 secret[AUTH_SECRET_LEN];
	struct store	*s;
	struct arena	 a;
};

static void
fx_path(const struct fx *f, const char *name, char *out, size_t sz)
{
	int	 n = snprintf(out, sz, "%s/%s", f->dir, name);

	assert_true(n > 0 && (size_t)n < sz);
}

/* A directory and a database path, nothing created yet. */
static int
setup_empty(void **state)
{
	struct fx	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/palaver.db", f->dir);
	auth_secret_new(f->secret);
	*state = f;
	return 0;
}

static int
setup(void **state)
{
	struct fx	*f;
	int		 from = -1, to = -1;

	if (setup_empty(state) == -1)
		return -1;
	f = *state;
	if (store_migrate(f->db, f->secret, &from, &to) != ST_OK ||
	    from != 0 || to != store_schema_version())
		return -1;
	if (store_open(f->db, &f->s) != ST_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	if (f == NULL)
		return 0;
	store_close(f->s);
	arena_reset(&f->a);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* --- direct SQL, for what the store does not expose ---------------------- */

static char *
sql_text(const char *path, const char *sql)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	char		*v = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* --- migrations ------------------------------------------------------------- */

static const char *const tables[] = {
	"settings", "articles", "comments", "moderators", "sessions", "bans",
	"audit", "login_failures", "post_log",
};

static void
test_migrate_fresh(void **state)
{
	struct fx	*f = *state;
	unsigned char	 other[AUTH_SECRET_LEN], got[AUTH_SECRET_LEN];
	char		 sql[256], *mode;
	int		 from = -1, to = -1;
	size_t		 i;

	assert_true(store_schema_version() >= 1);
	assert_int_equal(access(f->db, F_OK), -1);
	assert_int_equal(store_migrate(f->db, f->secret, &from, &to), ST_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, store_schema_version());
	assert_int_equal(unit_sql_int(f->db, "PRAGMA user_version"),
	    store_schema_version());
	/* WAL is set in the file when the database is created. */
	assert_non_null(mode = sql_text(f->db, "PRAGMA journal_mode"));
	assert_string_equal(mode, "wal");
	free(mode);
	for (i = 0; i < NITEMS(tables); i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema "
		    "WHERE type = 'table' AND name = '%s'", tables[i]);
		if (unit_sql_int(f->db, sql) != 1)
			fail_msg("table %s is missing", tables[i]);
	}
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM settings "
	    "WHERE key = 'secret'"), 1);

	/* Twice is a no-op: from == to, and the secret stays. */
	auth_secret_new(other);
	from = to = -1;
	assert_int_equal(store_migrate(f->db, other, &from, &to), ST_OK);
	assert_int_equal(from, store_schema_version());
	assert_int_equal(to, store_schema_version());
	assert_int_equal(store_migrate(f->db, other, NULL, NULL), ST_OK);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM settings "
	    "WHERE key = 'secret'"), 1);
	assert_int_equal(store_open(f->db, &f->s), ST_OK);
	assert_int_equal(store_secret(f->s, got), ST_OK);
	assert_memory_equal(got, f->secret, AUTH_SECRET_LEN);
}

static void
test_migrate_newer(void **state)
{
	struct fx	*f = *state;
	int		 from = -1, to = -1;

	unit_sql_exec(f->db, "PRAGMA user_version = 999");
	assert_int_equal(store_migrate(f->db, f->secret, &from, &to),
	    ST_CONFLICT);
	assert_int_equal(from, 999);
	assert_int_equal(to, -1);
	/* Refused before anything was written. */
	assert_int_equal(unit_sql_int(f->db, "PRAGMA user_version"), 999);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
	    "sqlite_schema"), 0);
	/* One version ahead is refused as well. */
	unit_sql_exec(f->db, "PRAGMA user_version = 2000000");
	assert_int_equal(store_migrate(f->db, f->secret, NULL, NULL),
	    ST_CONFLICT);
}

struct openrow {
	const char	*name;		/* file in the fixture's directory */
	const char	*content;	/* NULL: do not create it */
	int		 sqlite;	/* 1: create it with sqlite3 */
	enum status	 want;
};

static const struct openrow open_rows[] = {
	{ "missing.db", NULL, 0, ST_DB },
	{ "text.db", "this is not a database, just some text\n", 0, ST_DB },
	{ "empty-sqlite.db", "CREATE TABLE t (x)", 1, ST_DB },
	{ "nodir/x.db", NULL, 0, ST_DB },
};

/* store_open prepares every statement: a migrated database is ST_OK,
 * anything else is refused with *out NULL. */
static void
test_open(void **state)
{
	struct fx	*f = *state;
	struct store	*s;
	char		 path[256];
	FILE		*fp;
	size_t		 i;

	for (i = 0; i < NITEMS(open_rows); i++) {
		const struct openrow *r = &open_rows[i];

		fx_path(f, r->name, path, sizeof(path));
		if (r->content != NULL && r->sqlite)
			unit_sql_exec(path, r->content);
		else if (r->content != NULL) {
			assert_non_null(fp = fopen(path, "w"));
			fputs(r->content, fp);
			fclose(fp);
		}
		s = (struct store *)1;
		if (store_open(path, &s) != r->want)
			fail_msg("open row %zu (%s)", i, r->name);
		assert_null(s);
	}
	store_close(NULL);

	/* The real thing, twice at once (one connection per thread). */
	assert_int_equal(store_migrate(f->db, f->secret, NULL, NULL), ST_OK);
	assert_int_equal(store_open(f->db, &f->s), ST_OK);
	assert_non_null(f->s);
	assert_int_equal(store_open(f->db, &s), ST_OK);
	assert_non_null(s);
	store_close(s);
}

static void
test_secret(void **state)
{
	struct fx	*f = *state;
	unsigned char	 a[AUTH_SECRET_LEN], b[AUTH_SECRET_LEN];
	unsigned char	 zero[AUTH_SECRET_LEN] = { 0 };
	struct store	*s;

	assert_int_equal(store_secret(f->s, a), ST_OK);
	assert_memory_equal(a, f->secret, AUTH_SECRET_LEN);
	assert_memory_not_equal(a, zero, AUTH_SECRET_LEN);
	assert_int_equal(unit_sql_int(f->db, "SELECT length(value) FROM "
	    "settings WHERE key = 'secret'"), AUTH_SECRET_LEN);
	/* It persists across re-opens. */
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(f->db, &s), ST_OK);
	assert_int_equal(store_secret(s, b), ST_OK);
	assert_memory_equal(a, b, AUTH_SECRET_LEN);
	/* Asking twice on one connection gives the same. */
	assert_int_equal(store_secret(s, b), ST_OK);
	assert_memory_equal(a, b, AUTH_SECRET_LEN);
	store_close(s);

	/* A damaged secret is reported, not used. */
	unit_sql_exec(f->db, "UPDATE settings SET value = x'00' "
	    "WHERE key = 'secret'");
	assert_int_equal(store_open(f->db, &f->s), ST_OK);
	assert_int_equal(store_secret(f->s, b), ST_NOTFOUND);
	unit_sql_exec(f->db, "DELETE FROM settings WHERE key = 'secret'");
	assert_int_equal(store_secret(f->s, b), ST_NOTFOUND);
}

/* --- articles ----------------------------------------------------------------- */

static void
test_article_add_get(void **state)
{
	struct fx	*f = *state;
	struct article	 ar;
	long long	 id = 0, id2 = 0;

	assert_int_equal(store_article_add(f->s, "/2015/01/28/post/",
	    "A \"title\" <b>", "body *md*", "<p>body <em>md</em></p>", 1000,
	    &id), ST_OK);
	assert_true(id > 0);
	assert_int_equal(store_article_add(f->s, "/other/", "Other", NULL,
	    NULL, 2000, &id2), ST_OK);
	assert_true(id2 > id);
	/* id may be NULL. */
	assert_int_equal(store_article_add(f->s, "/third/", "Third", NULL,
	    NULL, 2000, NULL), ST_OK);

	assert_int_equal(store_article_get(f->s, &f->a, id, &ar), ST_OK);
	assert_int_equal(ar.id, id);
	assert_string_equal(ar.uri, "/2015/01/28/post/");
	assert_string_equal(ar.title, "A \"title\" <b>");
	assert_string_equal(ar.body_html, "<p>body <em>md</em></p>");
	assert_int_equal(ar.created, 1000);
	assert_int_equal(ar.closed, 0);
	assert_null(ar.mode);
	assert_int_equal(ar.version, 1);
	assert_int_equal(ar.ncomments, 0);

	assert_int_equal(store_article_by_uri(f->s, &f->a, "/other/", &ar),
	    ST_OK);
	assert_int_equal(ar.id, id2);
	assert_string_equal(ar.title, "Other");
	assert_null(ar.body_html);
	assert_int_equal(ar.created, 2000);
	arena_reset(&f->a);
}

struct nfrow {
	long long	 id;
	const char	*uri;
};

static const struct nfrow notfound_rows[] = {
	{ 0, "" },
	{ -1, "/Post/" },
	{ 999, "/post" },
	{ 1LL << 53, "/post/ " },
	{ INT64_MAX, "%2Fpost%2F" },
};

static void
test_article_notfound(void **state)
{
	struct fx	*f = *state;
	struct article	 ar;
	size_t		 i;

	assert_int_equal(store_article_add(f->s, "/post/", "P", NULL, NULL,
	    1, NULL), ST_OK);
	for (i = 0; i < NITEMS(notfound_rows); i++) {
		if (store_article_get(f->s, &f->a, notfound_rows[i].id, &ar) !=
		    ST_NOTFOUND)
			fail_msg("get row %zu (%lld)", i, notfound_rows[i].id);
		if (store_article_by_uri(f->s, &f->a, notfound_rows[i].uri,
		    &ar) != ST_NOTFOUND)
			fail_msg("by_uri row %zu (%s)", i,
			    notfound_rows[i].uri);
	}
	assert_int_equal(store_article_by_uri(f->s, &f->a, "/post/", &ar),
	    ST_OK);
	arena_reset(&f->a);
}

/* A uri is unique: adding it again is ST_CONFLICT, and changes nothing. */
static void
test_article_duplicate(void **state)
{
	struct fx	*f = *state;
	struct article	 ar;
	long long	 id = 0, id2 = -7;

	assert_int_equal(store_article_add(f->s, "/dup/", "First", NULL, NULL,
	    1, &id), ST_OK);
	assert_int_equal(store_article_add(f->s, "/dup/", "Second", NULL,
	    NULL, 2, &id2), ST_CONFLICT);
	assert_int_equal(id2, -7);
	assert_int_equal(store_article_by_uri(f->s, &f->a, "/dup/", &ar),
	    ST_OK);
	assert_int_equal(ar.id, id);
	assert_string_equal(ar.title, "First");
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM articles"),
	    1);
	/* The connection is still usable afterwards. */
	assert_int_equal(store_article_add(f->s, "/dup/2", "Third", NULL,
	    NULL, 3, NULL), ST_OK);
	arena_reset(&f->a);
}

/* Newest first by (created, id); ties broken by id; keyset pages. */
static const long long list_created[] = { 100, 200, 200, 300, 50, 200 };

static void
test_article_list(void **state)
{
	struct fx	*f = *state;
	struct article	*v;
	long long	 ids[NITEMS(list_created)], want[NITEMS(list_created)];
	long long	 bc, bi;
	size_t		 i, j, n, k, got;
	char		 uri[32];
	int		 limit;

	for (i = 0; i < NITEMS(list_created); i++) {
		snprintf(uri, sizeof(uri), "/a%zu/", i);
		assert_int_equal(store_article_add(f->s, uri, uri, NULL, NULL,
		    list_created[i], &ids[i]), ST_OK);
	}
	/* The expected order, by a plain selection sort. */
	for (i = 0; i < NITEMS(ids); i++)
		want[i] = i;
	for (i = 0; i < NITEMS(ids); i++)
		for (j = i + 1; j < NITEMS(ids); j++) {
			long long a = want[i], b = want[j];

			if (list_created[b] > list_created[a] ||
			    (list_created[b] == list_created[a] &&
			    ids[b] > ids[a])) {
				want[i] = b;
				want[j] = a;
			}
		}
	for (i = 0; i < NITEMS(ids); i++)
		want[i] = ids[want[i]];

	/* Every page size, walked to the end by the cursor. */
	for (limit = 1; limit <= (int)NITEMS(ids) + 1; limit++) {
		bc = bi = 0;
		got = 0;
		for (k = 0; k < NITEMS(ids) + 2; k++) {
			assert_int_equal(store_article_list(f->s, &f->a, bc, bi,
			    limit, 1, &v, &n), ST_OK);
			assert_true(n <= (size_t)limit);
			for (i = 0; i < n; i++) {
				if (got >= NITEMS(ids) || v[i].id != want[got])
					fail_msg("limit %d: item %zu is %lld",
					    limit, got, v[i].id);
				got++;
			}
			if (n < (size_t)limit)
				break;
			bc = v[n - 1].created;
			bi = v[n - 1].id;
		}
		assert_int_equal(got, NITEMS(ids));
		arena_reset(&f->a);
	}
	/* A cursor past the oldest gives an empty page. */
	assert_int_equal(store_article_list(f->s, &f->a, 50, want[5], 10, 1, &v,
	    &n), ST_OK);
	assert_int_equal(n, 0);
	arena_reset(&f->a);
}

/* --- comments --------------------------------------------------------------- */

/* store_thread_page for a reader who owns no comment (own = NULL). */
static enum status
page_of(struct store *s, struct arena *a, long long art, long long after,
    int newest, int limit, struct thread_page *pg)
{
	return store_thread_page(s, a, art, after, newest, limit, NULL, pg);
}

static enum status
add_comment(struct store *s, long long article, long long parent,
    enum cstatus status, long long created, struct comment *c)
{
	memset(c, 0, sizeof(*c));
	c->article = article;
	c->parent = parent;
	c->author = "Ann \"O\" <Nymous>";
	c->email = NULL;
	c->website = "https://example.com/";
	c->body = "body *x*";
	c->html = "<p>body <em>x</em></p>\n";
	c->status = status;
	c->score = 0.25;
	c->reasons = "first-post";
	c->created = created;
	c->addr_hash = "0123456789abcdef0123456789abcdef";
	c->user_agent = "test/1.0";
	return store_comment_add(s, c);
}

static long long
article(struct fx *f, const char *uri)
{
	long long	 id = 0;

	assert_int_equal(store_article_add(f->s, uri, uri, NULL, NULL, 1, &id),
	    ST_OK);
	return id;
}

/* A forest, as parent indexes (-1: top level), in insertion order. */
static const int tree[] = {
	-1,	/* 0: root A */
	0,	/* 1 */
	1,	/* 2 */
	0,	/* 3 */
	-1,	/* 4: root B */
	4,	/* 5 */
	2,	/* 6 */
	-1,	/* 7: root C */
	3,	/* 8 */
	5,	/* 9 */
	-1,	/* 10: root D, no replies */
	6,	/* 11 */
	0,	/* 12 */
};
#define NTREE	NITEMS(tree)

/* Depth-first below node i, children in insertion order. */
static void
dfs(int i, size_t *order, size_t *n)
{
	size_t	 j;

	order[(*n)++] = (size_t)i;
	for (j = 0; j < NTREE; j++)
		if (tree[j] == i)
			dfs((int)j, order, n);
}

/* Thread order with roots oldest or newest first. */
static size_t
expect_order(int newest, size_t *order)
{
	size_t	 n = 0, i;

	for (i = 0; i < NTREE; i++) {
		size_t r = newest ? NTREE - 1 - i : i;

		if (tree[r] == -1)
			dfs((int)r, order, &n);
	}
	return n;
}

/* Insert the forest into art1, with comments of art2 between them so
 * ids interleave.  ids[] receives each node's id. */
static void
build_tree(struct fx *f, long long art1, long long art2, long long *ids)
{
	struct comment	 c, o;
	size_t		 i;

	for (i = 0; i < NTREE; i++) {
		assert_int_equal(add_comment(f->s, art1,
		    tree[i] < 0 ? 0 : ids[tree[i]], CS_APPROVED,
		    100 + (long long)i, &c), ST_OK);
		ids[i] = c.id;
		if (tree[i] < 0) {
			assert_int_equal(c.depth, 0);
			assert_int_equal(c.root, c.id);
		} else {
			size_t k = (size_t)tree[i];
			int d = 1;

			while (tree[k] >= 0) {
				k = (size_t)tree[k];
				d++;
			}
			assert_int_equal(c.depth, d);
			assert_int_equal(c.root, ids[k]);
		}
		/* Noise in the other article, as root and as reply. */
		assert_int_equal(add_comment(f->s, art2, 0, CS_APPROVED, 1, &o),
		    ST_OK);
		assert_int_equal(add_comment(f->s, art2, o.id, CS_APPROVED, 1,
		    &o), ST_OK);
	}
}

static void
check_page(const struct thread_page *pg, const long long *ids,
    const size_t *order, size_t n, long long article, const char *how)
{
	size_t	 i;

	if (pg->n != n)
		fail_msg("%s: %zu comments, want %zu", how, pg->n, n);
	for (i = 0; i < n; i++) {
		const struct comment *c = &pg->v[i];

		if (c->id != ids[order[i]])
			fail_msg("%s: position %zu is %lld, want %lld (node "
			    "%zu)", how, i, c->id, ids[order[i]], order[i]);
		assert_int_equal(c->article, article);
		assert_int_equal(c->parent, tree[order[i]] < 0 ? 0 :
		    ids[tree[order[i]]]);
	}
}

static void
test_thread_order(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	long long		 art1, art2, ids[NTREE];
	size_t			 order[NTREE], n;

	art1 = article(f, "/one/");
	art2 = article(f, "/two/");
	build_tree(f, art1, art2, ids);

	n = expect_order(0, order);
	assert_int_equal(n, NTREE);
	assert_int_equal(page_of(f->s, &f->a, art1, 0, 0, 100, &pg),
	    ST_OK);
	check_page(&pg, ids, order, n, art1, "oldest first");
	assert_int_equal(pg.next, 0);
	/* Spelled out once, so the helper is checked too. */
	{
		static const size_t want[NTREE] = { 0, 1, 2, 6, 11, 3, 8, 12,
		    4, 5, 9, 7, 10 };

		assert_memory_equal(order, want, sizeof(want));
	}

	n = expect_order(1, order);
	assert_int_equal(page_of(f->s, &f->a, art1, 0, 1, 100, &pg),
	    ST_OK);
	check_page(&pg, ids, order, n, art1, "newest first");
	assert_int_equal(pg.next, 0);

	/* Each reply comes right after its parent's earlier subtree. */
	{
		size_t i, j;

		for (i = 0; i < pg.n; i++) {
			if (pg.v[i].parent == 0)
				continue;
			for (j = i; j > 0 && pg.v[j - 1].id != pg.v[i].parent;
			    j--)
				assert_true(pg.v[j - 1].depth >= pg.v[i].depth);
			assert_true(j > 0);
		}
	}

	/* The other article holds only its own comments. */
	assert_int_equal(page_of(f->s, &f->a, art2, 0, 0, 100, &pg),
	    ST_OK);
	assert_int_equal(pg.n, 2 * NTREE);
	/* An article without comments, or none at all, is an empty page. */
	assert_int_equal(page_of(f->s, &f->a, article(f, "/none/"),
	    0, 0, 10, &pg), ST_OK);
	assert_int_equal(pg.n, 0);
	assert_int_equal(pg.next, 0);
	assert_int_equal(page_of(f->s, &f->a, 999, 0, 1, 10, &pg),
	    ST_OK);
	assert_int_equal(pg.n, 0);
	arena_reset(&f->a);
}

/* The row comes back as it went in (a pending reply under a root). */
static void
test_comment_fields(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct comment		 root, c;
	long long		 art = article(f, "/fields/");

	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 1, &root),
	    ST_OK);
	assert_int_equal(add_comment(f->s, art, root.id, CS_PENDING, 1234, &c),
	    ST_OK);
	assert_int_equal(page_of(f->s, &f->a, art, 0, 0, 10, &pg),
	    ST_OK);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.v[0].id, root.id);
	assert_int_equal(pg.v[0].status, CS_APPROVED);
	assert_int_equal(pg.v[1].id, c.id);
	assert_int_equal(pg.v[1].article, art);
	assert_int_equal(pg.v[1].parent, root.id);
	assert_int_equal(pg.v[1].root, root.id);
	assert_int_equal(pg.v[1].depth, 1);
	assert_string_equal(pg.v[1].author, "Ann \"O\" <Nymous>");
	assert_null(pg.v[1].email);
	assert_string_equal(pg.v[1].website, "https://example.com/");
	assert_string_equal(pg.v[1].body, "body *x*");
	assert_string_equal(pg.v[1].html, "<p>body <em>x</em></p>\n");
	assert_int_equal(pg.v[1].status, CS_PENDING);
	assert_true(pg.v[1].score == 0.25);
	assert_string_equal(pg.v[1].reasons, "first-post");
	assert_int_equal(pg.v[1].created, 1234);
	assert_int_equal(pg.v[1].edited, 0);
	assert_string_equal(pg.v[1].addr_hash,
	    "0123456789abcdef0123456789abcdef");
	assert_string_equal(pg.v[1].user_agent, "test/1.0");
	arena_reset(&f->a);
}

/* Top-level comments of every status, each with one approved reply. */
static const enum cstatus root_status[] = {
	CS_APPROVED, CS_PENDING, CS_APPROVED, CS_SPAM, CS_DELETED,
	CS_APPROVED, CS_PENDING, CS_SPAM, CS_APPROVED, CS_PENDING,
};

/*
 * Which comments a thread returns must not depend on the page size: the
 * pages for any limit, joined, are the same list as one big page.
 *
 * BUG (src/store.c, store_thread_page, since the roots queries
 * STMT_THREAD_ROOTS_ASC/DESC gained "AND status IN ('approved',
 * 'deleted')"): the roots are filtered by status but the range scan
 * STMT_THREAD_RANGE (path >= lo AND path < hi) is not, so a pending or
 * spam top-level comment, with its replies, is returned when it lies
 * between two shown roots on the same page and left out when it falls
 * at a page edge.  Also store.h still says "Every status is returned".
 * Left failing on purpose until store.c is fixed.
 */
static void
test_thread_status_paging(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct comment		 c;
	long long		 art = article(f, "/status/"), after;
	long long		 all[2 * NITEMS(root_status)];
	long long		 got[2 * NITEMS(root_status)];
	size_t			 nall, ngot, i, pages;
	int			 newest, limit, nfail = 0;

	for (i = 0; i < NITEMS(root_status); i++) {
		assert_int_equal(add_comment(f->s, art, 0, root_status[i],
		    (long long)i, &c), ST_OK);
		assert_int_equal(add_comment(f->s, art, c.id, CS_APPROVED,
		    (long long)i, &c), ST_OK);
	}
	for (newest = 0; newest <= 1; newest++) {
		assert_int_equal(page_of(f->s, &f->a, art, 0, newest,
		    1000, &pg), ST_OK);
		assert_int_equal(pg.next, 0);
		nall = pg.n;
		for (i = 0; i < nall; i++)
			all[i] = pg.v[i].id;
		/* Whatever is left out, approved roots are all there. */
		assert_true(nall >= 2 * 4);
		for (limit = 1; limit <= (int)NITEMS(root_status); limit++) {
			after = 0;
			ngot = 0;
			for (pages = 0; pages <= NITEMS(root_status); pages++) {
				assert_int_equal(page_of(f->s, &f->a,
				    art, after, newest, limit, &pg), ST_OK);
				for (i = 0; i < pg.n && ngot < NITEMS(got);
				    i++)
					got[ngot++] = pg.v[i].id;
				if ((after = pg.next) == 0)
					break;
			}
			if (ngot != nall || memcmp(got, all, nall *
			    sizeof(*all)) != 0) {
				print_error("%s limit %d: %zu comments over "
				    "the pages, %zu in one page\n",
				    newest ? "newest" : "oldest", limit, ngot,
				    nall);
				nfail++;
			}
			arena_reset(&f->a);
		}
	}
	assert_int_equal(nfail, 0);
}

/* Replies ten deep: depth, root and parent right at every level. */
static void
test_deep_replies(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct comment		 c;
	long long		 art = article(f, "/deep/"), ids[11], parent = 0;
	int			 d;

	for (d = 0; d <= 10; d++) {
		assert_int_equal(add_comment(f->s, art, parent, CS_APPROVED,
		    d, &c), ST_OK);
		assert_int_equal(c.depth, d);
		assert_int_equal(c.root, d == 0 ? c.id : ids[0]);
		ids[d] = parent = c.id;
	}
	/* A sibling of the root, after it. */
	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 99, &c),
	    ST_OK);
	assert_int_equal(page_of(f->s, &f->a, art, 0, 0, 10, &pg),
	    ST_OK);
	assert_int_equal(pg.n, 12);
	for (d = 0; d <= 10; d++) {
		assert_int_equal(pg.v[d].id, ids[d]);
		assert_int_equal(pg.v[d].depth, d);
		assert_int_equal(pg.v[d].root, ids[0]);
		assert_int_equal(pg.v[d].parent, d == 0 ? 0 : ids[d - 1]);
	}
	assert_int_equal(pg.v[11].id, c.id);
	/* Newest first: the sibling, then the whole chain. */
	assert_int_equal(page_of(f->s, &f->a, art, 0, 1, 10, &pg),
	    ST_OK);
	assert_int_equal(pg.n, 12);
	assert_int_equal(pg.v[0].id, c.id);
	for (d = 0; d <= 10; d++)
		assert_int_equal(pg.v[d + 1].id, ids[d]);
	/* Deeper than any configured max_depth is still stored. */
	for (d = 11; d <= 70; d++) {
		assert_int_equal(add_comment(f->s, art, parent, CS_APPROVED,
		    d, &c), ST_OK);
		assert_int_equal(c.depth, d);
		parent = c.id;
	}
	arena_reset(&f->a);
}

struct badparent {
	const char	*what;
	int		 other;		/* 1: a comment of the other article */
	long long	 parent;	/* else this id */
};

static const struct badparent bad_parents[] = {
	{ "parent in another article", 1, 0 },
	{ "no such comment", 0, 999999 },
	{ "2^53", 0, 1LL << 53 },
	{ "INT64_MAX", 0, INT64_MAX },
};

/* A parent that is not in the article: ST_NOTFOUND, nothing changes. */
static void
test_bad_parent(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct article		 a1, a2, b1, b2;
	struct comment		 c, other;
	long long		 art1 = article(f, "/p1/"), art2;
	long long		 before;
	size_t			 i;

	art2 = article(f, "/p2/");
	assert_int_equal(add_comment(f->s, art1, 0, CS_APPROVED, 1, &c),
	    ST_OK);
	assert_int_equal(add_comment(f->s, art2, 0, CS_APPROVED, 1, &other),
	    ST_OK);
	for (i = 0; i < NITEMS(bad_parents); i++) {
		const struct badparent *r = &bad_parents[i];
		enum status st;

		assert_int_equal(store_article_get(f->s, &f->a, art1, &a1),
		    ST_OK);
		assert_int_equal(store_article_get(f->s, &f->a, art2, &a2),
		    ST_OK);
		before = unit_sql_int(f->db, "SELECT count(*) FROM comments");
		st = add_comment(f->s, art1, r->other ? other.id : r->parent,
		    CS_APPROVED, 2, &c);
		if (st != ST_NOTFOUND)
			fail_msg("%s: %s", r->what, status_str(st));
		assert_int_equal(c.id, 0);
		assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
		    "comments"), before);
		assert_int_equal(store_article_get(f->s, &f->a, art1, &b1),
		    ST_OK);
		assert_int_equal(store_article_get(f->s, &f->a, art2, &b2),
		    ST_OK);
		assert_int_equal(b1.version, a1.version);
		assert_int_equal(b1.ncomments, a1.ncomments);
		assert_int_equal(b2.version, a2.version);
		assert_int_equal(b2.ncomments, a2.ncomments);
	}
	assert_int_equal(page_of(f->s, &f->a, art1, 0, 0, 10, &pg),
	    ST_OK);
	assert_int_equal(pg.n, 1);
	/* The connection is not left inside a transaction. */
	assert_int_equal(add_comment(f->s, art1, pg.v[0].id, CS_APPROVED, 3,
	    &c), ST_OK);
	assert_int_equal(c.depth, 1);
	arena_reset(&f->a);
}

/* Pages of roots, each with all its replies, continued by `next`. */
static void
test_paging(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	long long		 art1, art2, ids[NTREE], after;
	size_t			 order[NTREE], n, got, pages, i;
	int			 newest, limit, nroots = 0;
	char			 how[64];

	art1 = article(f, "/paged/");
	art2 = article(f, "/noise/");
	build_tree(f, art1, art2, ids);
	for (i = 0; i < NTREE; i++)
		nroots += tree[i] == -1;

	for (newest = 0; newest <= 1; newest++) {
		n = expect_order(newest, order);
		for (limit = 1; limit <= nroots + 1; limit++) {
			after = 0;
			got = 0;
			for (pages = 0; pages < NTREE; pages++) {
				snprintf(how, sizeof(how), "%s limit %d page "
				    "%zu", newest ? "newest" : "oldest", limit,
				    pages);
				assert_int_equal(page_of(f->s, &f->a,
				    art1, after, newest, limit, &pg), ST_OK);
				if (got + pg.n > n)
					fail_msg("%s: too many", how);
				check_page(&pg, ids, order + got, pg.n, art1,
				    how);
				/* Whole roots only: the page ends where the
				 * next root starts. */
				assert_true(got + pg.n == n ||
				    tree[order[got + pg.n]] == -1);
				got += pg.n;
				if (pg.next == 0)
					break;
				/* next is the last root on this page. */
				for (i = pg.n; i > 0 && pg.v[i - 1].parent !=
				    0; i--)
					continue;
				assert_true(i > 0);
				assert_int_equal(pg.next, pg.v[i - 1].id);
				after = pg.next;
			}
			if (got != n)
				fail_msg("%s limit %d: %zu of %zu comments",
				    newest ? "newest" : "oldest", limit, got,
				    n);
			/* Exactly as many pages as it takes. */
			assert_int_equal(pages + 1,
			    (size_t)((nroots + limit - 1) / limit));
			arena_reset(&f->a);
		}
	}
}

/*
 * BUG (src/store.c, store_thread_page): with limit 0 the loop that
 * fetches "one more root than asked for" stores one root into
 * roots[0] (allocated for limit + 1 = 1), then sees nroots > limit and
 * sets pg->next = roots[nroots - 1] with nroots already 0, reading
 * roots[-1]: bytes before the arena block's data (its header padding, so
 * ASan does not see it).  The page is empty, but `next` is garbage.
 * A limit below 1 should give ST_INPUT, or an empty page with next 0.
 * Left failing on purpose until store.c is fixed.
 */
static void
test_paging_limit_zero(void **state)
{
	struct fx		*f = *state;
	struct thread_page	 pg;
	struct comment		 c;
	long long		 art = article(f, "/zero/");
	enum status		 st;

	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 1, &c), ST_OK);
	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 2, &c), ST_OK);
	st = page_of(f->s, &f->a, art, 0, 0, 0, &pg);
	assert_true(st == ST_OK || st == ST_INPUT);
	assert_int_equal(pg.n, 0);
	if (pg.next != 0)
		fail_msg("limit 0: next is %lld (read from roots[-1])",
		    pg.next);
	arena_reset(&f->a);
}

struct countrow {
	enum cstatus	 status;
	int		 counted;
};

static const struct countrow count_rows[] = {
	{ CS_APPROVED, 1 },
	{ CS_PENDING, 0 },
	{ CS_SPAM, 0 },
	{ CS_DELETED, 0 },
	{ CS_APPROVED, 1 },
	{ CS_PENDING, 0 },
	{ CS_APPROVED, 1 },
};

/* ncomments counts approved comments; version moves on every add.  The
 * first row is the top-level comment, the others reply to it. */
static void
test_counts(void **state)
{
	struct fx		*f = *state;
	struct article		 ar;
	struct comment		 c;
	struct thread_page	 pg;
	long long		 art = article(f, "/counts/"), version, count;
	long long		 root = 0;
	size_t			 i;

	assert_int_equal(store_article_get(f->s, &f->a, art, &ar), ST_OK);
	version = ar.version;
	count = ar.ncomments;
	assert_int_equal(count, 0);
	for (i = 0; i < NITEMS(count_rows); i++) {
		assert_int_equal(add_comment(f->s, art, i > 0 ? root : 0,
		    count_rows[i].status, (long long)i, &c), ST_OK);
		if (i == 0)
			root = c.id;
		assert_int_equal(store_article_get(f->s, &f->a, art, &ar),
		    ST_OK);
		assert_int_equal(ar.version, version + 1);
		assert_int_equal(ar.ncomments, count + count_rows[i].counted);
		version = ar.version;
		count = ar.ncomments;
	}
	/* Replies of every status come back from the thread query. */
	assert_int_equal(page_of(f->s, &f->a, art, 0, 0, 100, &pg),
	    ST_OK);
	assert_int_equal(pg.n, NITEMS(count_rows));
	for (i = 0; i < pg.n; i++) {
		size_t k;

		for (k = 0; k < NITEMS(count_rows); k++)
			if (pg.v[i].created == (long long)k)
				break;
		assert_true(k < NITEMS(count_rows));
		assert_int_equal(pg.v[i].status, count_rows[k].status);
	}
	arena_reset(&f->a);
}

struct csrow {
	enum cstatus	 st;
	const char	*name;
};

static const struct csrow cs_rows[] = {
	{ CS_PENDING, "pending" },
	{ CS_APPROVED, "approved" },
	{ CS_SPAM, "spam" },
	{ CS_DELETED, "deleted" },
};

static void
test_cstatus(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(cs_rows); i++) {
		assert_string_equal(cstatus_str(cs_rows[i].st),
		    cs_rows[i].name);
		assert_int_equal(cstatus_parse(cs_rows[i].name),
		    cs_rows[i].st);
	}
	assert_int_equal(cstatus_parse("Approved"), CS__MAX);
	assert_int_equal(cstatus_parse(""), CS__MAX);
	assert_int_equal(cstatus_parse("approved "), CS__MAX);
	assert_int_equal(cstatus_parse(NULL), CS__MAX);
	assert_string_equal(cstatus_str(CS__MAX), "pending");
}

/* --- backup ------------------------------------------------------------------ */

static void
test_backup(void **state)
{
	struct fx		*f = *state;
	struct store		*b = NULL;
	struct thread_page	 p1, p2;
	struct article		*v1, *v2;
	unsigned char		 s1[AUTH_SECRET_LEN], s2[AUTH_SECRET_LEN];
	long long		 art1, art2, ids[NTREE];
	size_t			 n1, n2, i;
	char			 dest[256], other[256], line[64], *check;
	FILE			*fp;

	art1 = article(f, "/b1/");
	art2 = article(f, "/b2/");
	build_tree(f, art1, art2, ids);

	fx_path(f, "backup.db", dest, sizeof(dest));
	assert_int_equal(store_backup(f->db, dest), ST_OK);
	assert_int_equal(unit_sql_int(dest, "PRAGMA user_version"),
	    store_schema_version());
	assert_int_equal(unit_sql_int(dest, "SELECT count(*) FROM comments"),
	    unit_sql_int(f->db, "SELECT count(*) FROM comments"));
	assert_int_equal(unit_sql_int(dest, "SELECT count(*) FROM articles"),
	    2);
	assert_non_null(check = sql_text(dest, "PRAGMA integrity_check"));
	assert_string_equal(check, "ok");
	free(check);

	/* The copy opens as a store and reads the same. */
	assert_int_equal(store_open(dest, &b), ST_OK);
	assert_int_equal(store_secret(f->s, s1), ST_OK);
	assert_int_equal(store_secret(b, s2), ST_OK);
	assert_memory_equal(s1, s2, AUTH_SECRET_LEN);
	assert_int_equal(store_article_list(f->s, &f->a, 0, 0, 10, 1, &v1, &n1),
	    ST_OK);
	assert_int_equal(store_article_list(b, &f->a, 0, 0, 10, 1, &v2, &n2),
	    ST_OK);
	assert_int_equal(n1, n2);
	for (i = 0; i < n1; i++) {
		assert_int_equal(v1[i].id, v2[i].id);
		assert_string_equal(v1[i].uri, v2[i].uri);
		assert_int_equal(v1[i].version, v2[i].version);
		assert_int_equal(v1[i].ncomments, v2[i].ncomments);
	}
	assert_int_equal(page_of(f->s, &f->a, art1, 0, 0, 100, &p1),
	    ST_OK);
	assert_int_equal(page_of(b, &f->a, art1, 0, 0, 100, &p2),
	    ST_OK);
	assert_int_equal(p1.n, p2.n);
	for (i = 0; i < p1.n; i++) {
		assert_int_equal(p1.v[i].id, p2.v[i].id);
		assert_int_equal(p1.v[i].depth, p2.v[i].depth);
		assert_string_equal(p1.v[i].html, p2.v[i].html);
	}
	store_close(b);

	/* The copy is a snapshot: later writes do not reach it. */
	article(f, "/b3/");
	assert_int_equal(unit_sql_int(dest, "SELECT count(*) FROM articles"),
	    2);

	/* An existing destination is refused and left as it was. */
	assert_int_equal(store_backup(f->db, dest), ST_CONFLICT);
	assert_int_equal(unit_sql_int(dest, "SELECT count(*) FROM articles"),
	    2);
	fx_path(f, "precious.txt", other, sizeof(other));
	assert_non_null(fp = fopen(other, "w"));
	fputs("keep me\n", fp);
	fclose(fp);
	assert_int_equal(store_backup(f->db, other), ST_CONFLICT);
	assert_non_null(fp = fopen(other, "r"));
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_string_equal(line, "keep me\n");

	/* A source that is not there, a destination that cannot be. */
	fx_path(f, "nothere.db", other, sizeof(other));
	fx_path(f, "backup2.db", dest, sizeof(dest));
	assert_int_not_equal(store_backup(other, dest), ST_OK);
	assert_int_equal(access(dest, F_OK), -1);
	fx_path(f, "no/such/dir.db", dest, sizeof(dest));
	assert_int_not_equal(store_backup(f->db, dest), ST_OK);
	arena_reset(&f->a);
}

/* --- hardening ------------------------------------------------------------- */

/* What SQLite's defensive mode refuses, each fine on a plain connection. */
static const char *const defensive_rows[] = {
	/* A write to a shadow table corrupts the full-text index. */
	"INSERT INTO comments_fts_data (id, block) VALUES (999999, x'00')",
	"DELETE FROM comments_fts_idx",
	/* Rewriting the schema from SQL. */
	"PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = "
	    "'CREATE TABLE post_log (x)' WHERE name = 'post_log'",
};

/* Run sql in a transaction rolled back after; whether it went through. */
static int
try_sql(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st = NULL;
	const char	*tail = sql;
	int		 ok = 1, rc;

	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	while (ok && tail != NULL && *tail != '\0') {
		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK) {
			ok = 0;
			break;
		}
		if (st == NULL)
			break;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			continue;
		if (rc != SQLITE_DONE)
			ok = 0;
		sqlite3_finalize(st);
		st = NULL;
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(db, "PRAGMA writable_schema=OFF", NULL, NULL, NULL);
	return ok;
}

/* Every connection palaver opens is defensive, with an untrusted schema. */
static void
test_defensive(void **state)
{
	struct fx	*f = *state;
	sqlite3		*plain = NULL;
	size_t		 i;
	int		 on = -1;
	char		*check;

	assert_int_equal(sqlite3_db_config(sq_db(f->s), SQLITE_DBCONFIG_DEFENSIVE,
	    -1, &on), SQLITE_OK);
	assert_int_equal(on, 1);
	assert_int_equal(sqlite3_db_config(sq_db(f->s),
	    SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on), SQLITE_OK);
	assert_int_equal(on, 0);

	assert_int_equal(sqlite3_open_v2(f->db, &plain, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	for (i = 0; i < NITEMS(defensive_rows); i++) {
		if (!try_sql(plain, defensive_rows[i]))
			fail_msg("a plain connection refused: %s",
			    defensive_rows[i]);
		if (try_sql(sq_db(f->s), defensive_rows[i]))
			fail_msg("palaver's connection allowed: %s",
			    defensive_rows[i]);
	}
	sqlite3_close(plain);
	assert_non_null(check = sql_text(f->db, "PRAGMA integrity_check"));
	assert_string_equal(check, "ok");
	free(check);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
	    "sqlite_schema WHERE sql LIKE 'CREATE TABLE post_log (x)%'"), 0);
}

/* Comment ids the moderation queue's search finds for words. */
static size_t
search(struct fx *f, const char *words, long long *ids, size_t max)
{
	struct queue_query	 q;
	struct queue_item	*v;
	size_t			 n, i;

	memset(&q, 0, sizeof(q));
	q.status = CS_APPROVED;
	q.q = words;
	q.limit = 100;
	assert_int_equal(store_queue(f->s, &f->a, &q, &v, &n), ST_OK);
	for (i = 0; i < n && i < max; i++)
		ids[i] = v[i].c.id;
	return n;
}

/*
 * With an untrusted schema a trigger may not write to FTS5 (before SQLite
 * 3.44): the triggers note changes and the store indexes them as it
 * commits.  Also what another program writes.
 */
static void
test_search_index(void **state)
{
	struct fx	*f = *state;
	struct comment	 c, d;
	long long	 art = article(f, "/search/"), ids[4];
	char		 sql[256], *check;

	c.id = 0;
	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 1, &c), ST_OK);
	assert_int_equal(search(f, "body", ids, 4), 1);
	assert_int_equal(ids[0], c.id);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
	    "fts_pending"), 0);

	/* An edit: the old words go, the new ones come. */
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_comment_edit(f->s, c.id, "zebra crossing",
	    "<p>zebra crossing</p>", 2, 0), ST_OK);
	assert_int_equal(store_tx_commit(f->s), ST_OK);
	assert_int_equal(search(f, "zebra", ids, 4), 1);
	assert_int_equal(search(f, "body", ids, 4), 0);

	/* Written by another program: indexed with palaver's next commit. */
	snprintf(sql, sizeof(sql), "INSERT INTO comments (article, root, path, "
	    "author, body, html, status, created) VALUES (%lld, 0, x'ff', "
	    "'Shell', 'giraffe', '<p>giraffe</p>', 'approved', 3)", art);
	unit_sql_exec(f->db, sql);
	assert_int_equal(search(f, "giraffe", ids, 4), 0);
	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 4, &d), ST_OK);
	assert_int_equal(search(f, "giraffe", ids, 4), 1);

	/* Taken back: out of the index. */
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_comment_remove(f->s, c.id), ST_OK);
	assert_int_equal(store_tx_commit(f->s), ST_OK);
	assert_int_equal(search(f, "zebra", ids, 4), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM "
	    "fts_pending"), 0);

	/* The index agrees with the table, word for word. */
	unit_sql_exec(f->db, "INSERT INTO comments_fts (comments_fts) "
	    "VALUES ('integrity-check')");
	assert_non_null(check = sql_text(f->db, "PRAGMA integrity_check"));
	assert_string_equal(check, "ok");
	free(check);
	arena_reset(&f->a);
}

/*
 * palaver migrate copies every table and column the schema has
 * (store_copy.c's list): a migration that adds one and not there fails
 * here.  Only the engines' own search indexes are left out.
 */
static void
test_copy_covers_schema(void **state)
{
	struct fx	*f = *state;
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	const char *const *names;
	size_t		 n, i, seen = 0;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT m.name, p.name FROM "
	    "sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = "
	    "'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE "
	    "'comments_fts%' AND m.name <> 'fts_pending'", -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *c = (const char *)sqlite3_column_text(st, 1);

		if (!store_copy_has(t, c))
			fail_msg("palaver migrate would leave out %s.%s "
			    "(src/store/store_copy.c)", t, c);
		seen++;
	}
	sqlite3_finalize(st);
	/* And nothing it names is missing from the schema. */
	names = store_copy_tables(&n);
	for (i = 0; i < n; i++) {
		char	 sql[128];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", names[i]);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	assert_true(seen > 50);
}

/*
 * A moderator's correction of the hook's verdict is queued for the hook;
 * taking it back before it is told (an undo) withdraws it, and nothing
 * is told in its place.
 */
static void
status_to(struct fx *f, long long id, enum cstatus to)
{
	assert_int_equal(store_tx_begin(f->s), ST_OK);
	assert_int_equal(store_comment_set_status(f->s, id, to, NULL), ST_OK);
	assert_int_equal(store_tx_commit(f->s), ST_OK);
}

static long long
queued(struct fx *f, long long id, const char *kind)
{
	char	 sql[160];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM feedback WHERE "
	    "comment = %lld AND kind = '%s'", id, kind);
	return unit_sql_int(f->db, sql);
}

static void
test_feedback_withdrawn(void **state)
{
	struct fx	*f = *state;
	struct comment	 ham, spam, held;
	long long	 art = article(f, "/feedback/");

	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 1, &ham),
	    ST_OK);
	assert_int_equal(add_comment(f->s, art, 0, CS_SPAM, 2, &spam), ST_OK);
	assert_int_equal(add_comment(f->s, art, 0, CS_PENDING, 3, &held),
	    ST_OK);
	assert_int_equal(store_spam_check_add(f->s, ham.id, "{}", 1), ST_OK);
	assert_int_equal(store_spam_check_add(f->s, spam.id, "{}", 1), ST_OK);
	assert_int_equal(store_spam_check_add(f->s, held.id, "{}", 1), ST_OK);

	/* Published, marked spam, undone: nothing for the hook. */
	status_to(f, ham.id, CS_SPAM);
	assert_int_equal(queued(f, ham.id, "submit-spam"), 1);
	status_to(f, ham.id, CS_APPROVED);
	assert_int_equal(queued(f, ham.id, "submit-spam"), 0);
	assert_int_equal(queued(f, ham.id, "submit-ham"), 0);

	/* The hook's spam, approved, undone: nothing either. */
	status_to(f, spam.id, CS_APPROVED);
	assert_int_equal(queued(f, spam.id, "submit-ham"), 1);
	status_to(f, spam.id, CS_SPAM);
	assert_int_equal(queued(f, spam.id, "submit-ham"), 0);
	assert_int_equal(queued(f, spam.id, "submit-spam"), 0);

	/* Held, marked spam, back to the queue: withdrawn. */
	status_to(f, held.id, CS_SPAM);
	status_to(f, held.id, CS_PENDING);
	assert_int_equal(queued(f, held.id, "submit-spam"), 0);

	/* A correction already told stays told: approved after that, the
	 * hook hears ham. */
	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 4, &held),
	    ST_OK);
	assert_int_equal(store_spam_check_add(f->s, held.id, "{}", 1), ST_OK);
	status_to(f, held.id, CS_SPAM);
	unit_sql_exec(f->db, "DELETE FROM feedback");
	status_to(f, held.id, CS_APPROVED);
	assert_int_equal(queued(f, held.id, "submit-ham"), 1);

	/* One a sender has taken (tried once) may have been told: it stays,
	 * and the opposite correction follows it. */
	unit_sql_exec(f->db, "DELETE FROM feedback");
	status_to(f, held.id, CS_SPAM);
	unit_sql_exec(f->db, "UPDATE feedback SET attempts = 1");
	status_to(f, held.id, CS_APPROVED);
	assert_int_equal(queued(f, held.id, "submit-spam"), 1);
	assert_int_equal(queued(f, held.id, "submit-ham"), 1);
}

/*
 * The rows a database has before it holds a site (its settings, the
 * address key's fingerprint palaver init writes, the jobs a palaver that
 * served scheduled) are the copy's afterwards, even where the site had
 * none of them; anything of a site there refuses the copy.
 */
static void
test_copy_replaces_own(void **state)
{
	struct fx	*f = *state;
	unsigned char	 fresh[AUTH_SECRET_LEN];
	char		 to[160];
	long long	 rows = -1;

	fx_path(f, "to.db", to, sizeof(to));
	auth_secret_new(fresh);
	assert_int_equal(store_migrate(to, fresh, NULL, NULL), ST_OK);
	unit_sql_exec(f->db, "DELETE FROM jobs; DELETE FROM addr_key");
	unit_sql_exec(to, "INSERT INTO jobs (name, due) VALUES ('prune', 1), "
	    "('close', 2); INSERT INTO addr_key (id, period, fingerprint) "
	    "VALUES (1, 7, 'another host'); INSERT INTO settings (key, value) "
	    "VALUES ('only-there', 'x')");
	assert_int_equal(store_copy(f->db, to, fresh, &rows), ST_OK);
	assert_true(rows > 0);
	assert_int_equal(unit_sql_int(to, "SELECT count(*) FROM jobs"), 0);
	assert_int_equal(unit_sql_int(to, "SELECT count(*) FROM addr_key"), 0);
	assert_int_equal(unit_sql_int(to, "SELECT count(*) FROM settings "
	    "WHERE key = 'only-there'"), 0);
	assert_int_equal(unit_sql_int(to, "SELECT count(*) FROM settings"),
	    unit_sql_int(f->db, "SELECT count(*) FROM settings"));

	/* A site's row there: refused, and nothing changes. */
	fx_path(f, "to2.db", to, sizeof(to));
	assert_int_equal(store_migrate(to, fresh, NULL, NULL), ST_OK);
	unit_sql_exec(to, "INSERT INTO jobs (name, due) VALUES ('prune', 1); "
	    "INSERT INTO articles (uri, title, created) VALUES ('/x/', 'x', 1)");
	log_quiet(1);
	assert_int_equal(store_copy(f->db, to, fresh, NULL), ST_CONFLICT);
	log_quiet(0);
	assert_int_equal(unit_sql_int(to, "SELECT count(*) FROM jobs"), 1);
}

/* --- the desk (store_desk.c) ---------------------------------------------- */

static void
audit_row(struct fx *f, long long mod, const char *actor,
    const char *action, const char *target, long long at, long long *batch)
{
	struct audit_entry	 e;

	memset(&e, 0, sizeof(e));
	e.at = at;
	e.mod = mod;
	e.actor = actor;
	e.action = action;
	e.target = target;
	e.before = "pending";
	e.after = "approved";
	assert_int_equal(store_audit_add_batch(f->s, &e, batch), ST_OK);
}

/* One action's rows share the first one's id; the log is searched by
 * who, what, target and time, newest first; a comment target knows its
 * article. */
static void
test_audit_desk(void **state)
{
	struct fx		*f = *state;
	struct audit_entry	*v;
	struct audit_query	 q;
	struct comment		 c;
	char			 target[40];
	long long		 art = article(f, "/audit/"), b1 = 0, b2 = 0;
	long long		 m1 = 0, m2 = 0;
	size_t			 n;

	assert_int_equal(store_mod_add(f->s, "boss", "h", 1, 1, &m1), ST_OK);
	assert_int_equal(store_mod_add(f->s, "mona", "h", 0, 1, &m2), ST_OK);
	assert_int_equal(m1, 1);
	assert_int_equal(m2, 2);
	assert_int_equal(add_comment(f->s, art, 0, CS_PENDING, 1, &c), ST_OK);
	snprintf(target, sizeof(target), "comment:%lld", c.id);
	audit_row(f, 1, "boss", "approve", target, 100, &b1);
	assert_true(b1 > 0);
	audit_row(f, 1, "boss", "approve", "comment:999", 100, &b1);
	audit_row(f, 2, "mona", "spam", target, 200, &b2);
	assert_true(b2 > b1);
	/* The batch, for its moderator only. */
	assert_int_equal(store_audit_batch(f->s, &f->a, b1, 1, &v, &n), ST_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, b1);
	assert_int_equal(v[0].batch, b1);
	assert_int_equal(v[1].batch, b1);
	assert_int_equal(v[0].mod, 1);
	assert_int_equal(v[0].article, art);
	assert_int_equal(v[1].article, 0);	/* no such comment */
	assert_int_equal(store_audit_batch(f->s, &f->a, b1, 2, &v, &n), ST_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_audit_batch(f->s, &f->a, b2, 2, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	/* Filters, alone and together. */
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 3);
	assert_true(v[0].id > v[1].id && v[1].id > v[2].id);
	q.actor = "boss";
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 2);
	q.target = target;
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].action, "approve");
	q.actor = NULL;
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 2);
	q.action = "spam";
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].actor, "mona");
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	q.since = 150;
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	q.since = 0;
	q.until = 200;
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 2);
	q.until = 0;
	q.before_id = b2;
	q.limit = 1;
	assert_int_equal(store_audit_list(f->s, &f->a, &q, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_true(v[0].id < b2);
	arena_reset(&f->a);
}

/* A ban made again is the same row; it is found by id and by value. */
static void
test_ban_desk(void **state)
{
	struct fx	*f = *state;
	struct ban	 b;
	long long	 id1 = 0, id2 = 0, bytes = 0;

	assert_int_equal(store_ban_add(f->s, "email", "x@example.org", "one",
	    10, 0, 0, &id1), ST_OK);
	assert_int_equal(store_ban_add(f->s, "email", "x@example.org", "two",
	    20, 99, 0, &id2), ST_OK);
	assert_int_equal(id1, id2);
	assert_int_equal(store_ban_get(f->s, &f->a, id1, &b), ST_OK);
	assert_string_equal(b.reason, "two");
	assert_int_equal(b.expires, 99);
	assert_int_equal(store_ban_find(f->s, &f->a, "email", "x@example.org",
	    &b), ST_OK);
	assert_int_equal(b.id, id1);
	assert_int_equal(store_ban_find(f->s, &f->a, "prefix", "x@example.org",
	    &b), ST_NOTFOUND);
	assert_int_equal(store_ban_get(f->s, &f->a, id1 + 1, &b), ST_NOTFOUND);
	assert_int_equal(store_db_bytes(f->s, &bytes), ST_OK);
	assert_true(bytes > 0 && bytes % 512 == 0);
	arena_reset(&f->a);
}

/* Auto-closed by age, reopened it stays open; closed again, age counts. */
static void
test_article_kept_open(void **state)
{
	struct fx	*f = *state;
	struct article	 ar;
	struct queue_item it;
	struct comment	 p, c;
	long long	 art = article(f, "/aged/");

	store_set_auto_close(f->s, 1);
	assert_int_equal(store_article_get(f->s, &f->a, art, &ar), ST_OK);
	assert_true(ar.closed && ar.auto_closed && ar.aged && !ar.kept_open);
	assert_int_equal(store_article_set(f->s, art, 0, NULL), ST_OK);
	assert_int_equal(store_article_get(f->s, &f->a, art, &ar), ST_OK);
	assert_true(!ar.closed && !ar.auto_closed && ar.aged && ar.kept_open);
	assert_int_equal(store_article_set(f->s, art, -1, "pre"), ST_OK);
	assert_int_equal(store_article_get(f->s, &f->a, art, &ar), ST_OK);
	assert_true(!ar.closed && ar.kept_open);
	assert_string_equal(ar.mode, "pre");
	assert_int_equal(store_article_set(f->s, art, 1, NULL), ST_OK);
	assert_int_equal(store_article_get(f->s, &f->a, art, &ar), ST_OK);
	assert_true(ar.closed && !ar.auto_closed && !ar.kept_open);
	store_set_auto_close(f->s, 0);
	/* One comment as the queue shows it, its parent rendered. */
	assert_int_equal(add_comment(f->s, art, 0, CS_APPROVED, 1, &p), ST_OK);
	assert_int_equal(add_comment(f->s, art, p.id, CS_PENDING, 2, &c),
	    ST_OK);
	assert_int_equal(store_queue_one(f->s, &f->a, c.id, &it), ST_OK);
	assert_int_equal(it.c.id, c.id);
	assert_string_equal(it.article_title, "/aged/");
	assert_string_equal(it.parent_html, "<p>body <em>x</em></p>\n");
	assert_int_equal(it.parent_status, CS_APPROVED);
	assert_int_equal(store_queue_one(f->s, &f->a, c.id + 100, &it),
	    ST_NOTFOUND);
	arena_reset(&f->a);
}

/*
 * Checkpoints by hand (the writer's checkpointer): a manual connection's
 * commits leave the WAL alone; a PASSIVE checkpoint copies all of it when
 * no reader is behind, and the next commit starts the WAL over; a RESTART
 * waits for a reader still on the old WAL only briefly (its caller holds
 * the writers' turn), then says busy; once the reader is gone it works.
 */
#define CKPT_ARTICLES	300

static void
test_checkpoints(void **state)
{
	struct fx	*f = *state;
	struct store	*c = NULL;
	sqlite3		*rd = NULL;
	char		*body, uri[32];
	long		 frames = -1, copied = -1;
	long long	 id, t0;
	struct timespec	 ts;
	int		 i;

	store_checkpoint_manual(f->s);
	assert_int_equal(store_open(f->db, &c), ST_OK);
	assert_non_null(body = malloc(12 * 1024 + 1));
	memset(body, 'w', 12 * 1024);
	body[12 * 1024] = '\0';
	for (i = 0; i < CKPT_ARTICLES; i++) {
		snprintf(uri, sizeof(uri), "/ckpt/%d/", i);
		assert_int_equal(store_article_add(f->s, uri, "t", body, NULL,
		    1, &id), ST_OK);
	}
	/* Four pages or more a commit, none copied by a commit. */
	assert_int_equal(store_checkpoint(c, 0, &frames, &copied), ST_OK);
	assert_true(frames >= 4 * CKPT_ARTICLES);
	assert_int_equal(copied, frames);
	/* All copied: the next commit writes from the WAL's start. */
	assert_int_equal(store_article_add(f->s, "/ckpt/next/", "t", NULL,
	    NULL, 1, &id), ST_OK);
	assert_int_equal(store_checkpoint(c, 0, &frames, &copied), ST_OK);
	assert_true(frames > 0 && frames < 10);

	/* A reader on the old WAL: RESTART gives up within its wait. */
	assert_int_equal(store_article_add(f->s, "/ckpt/more/", "t", body,
	    NULL, 1, &id), ST_OK);
	assert_int_equal(sqlite3_open_v2(f->db, &rd, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM "
	    "articles", NULL, NULL, NULL), SQLITE_OK);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	assert_int_equal(store_checkpoint(c, 1, &frames, &copied), ST_BUSY);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	assert_true((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
	    t0 < 1000);
	assert_int_equal(sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(rd);
	assert_int_equal(store_checkpoint(c, 1, &frames, &copied), ST_OK);
	assert_int_equal(store_article_add(f->s, "/ckpt/last/", "t", NULL,
	    NULL, 1, &id), ST_OK);
	assert_int_equal(store_checkpoint(c, 0, &frames, &copied), ST_OK);
	assert_true(frames > 0 && frames < 10);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM articles "
	    "WHERE uri LIKE '/ckpt/%'"), CKPT_ARTICLES + 3);
	store_close(c);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_fresh,
		    setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_newer,
		    setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_open, setup_empty,
		    teardown),
		cmocka_unit_test_setup_teardown(test_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_article_add_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_article_notfound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_article_duplicate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_article_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_thread_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_comment_fields, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deep_replies, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_parent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging_limit_zero, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_thread_status_paging,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test(test_cstatus),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defensive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_audit_desk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ban_desk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_article_kept_open, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_feedback_withdrawn, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_copy_replaces_own, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_copy_covers_schema, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search_index, setup,
		    teardown),
	};

	if (auth_init() == -1) {
		fprintf(stderr, "test_store: libsodium will not start\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
