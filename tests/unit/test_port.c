/* test_port.c: palaver's export format line by line, the export and its restore (the same bytes back), merges, moving a reply under another comment */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/buf.h"
#include "import/port.h"
#include "import/port_int.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* --- lines --------------------------------------------------------------- */

#define COMMENT_LINE(extra) "{\"type\":\"comment\",\"id\":7,\"article\":2," \
	"\"parent\":null,\"author\":\"Ann\",\"email\":null,\"website\":null," \
	"\"body\":\"hi\",\"status\":\"approved\",\"score\":0.25," \
	"\"reasons\":\"\",\"created\":1500000000" extra "}"

static const struct {
	const char	*line;
	const char	*err;		/* NULL: parses */
} lines[] = {
	{ "{\"palaver\":\"export\",\"version\":1,\"schema\":7,\"site\":\"ab12\","
	    "\"comment_seq\":9,\"secrets\":false}", NULL },
	{ COMMENT_LINE(""), NULL },
	{ COMMENT_LINE(",\"future_field\":[1,2]"), NULL },
	{ "{\"type\":\"secret\",\"value\":\"00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff\"}", NULL },
	{ "{\"type\":\"account\",\"id\":1,\"name\":\"boss\",\"role\":\"admin\","
	    "\"created\":5,\"last_login\":null}", NULL },
	{ "{\"type\":\"end\",\"accounts\":0,\"articles\":0,\"comments\":0,"
	    "\"bans\":0,\"audit\":0,\"imported\":0}", NULL },
	/* Broken. */
	{ "", "not JSON" },
	{ "{\"type\":\"comment\"", "not JSON" },
	{ "[1,2]", "not a JSON object" },
	{ "{\"type\":\"pony\"}", "\"type\" is not a kind of record" },
	{ "{\"type\":7}", "\"type\" is not a kind of record" },
	{ "{\"type\":\"comment\",\"type\":\"ban\"}", "not JSON" },
	{ "{\"palaver\":\"import\",\"version\":1}", "\"palaver\" is not \"export\"" },
	{ "{\"palaver\":\"export\",\"version\":-1,\"schema\":1,\"site\":\"a\","
	    "\"comment_seq\":0,\"secrets\":false}", "\"version\" is not an integer" },
	{ "{\"palaver\":\"export\",\"version\":1,\"schema\":1,\"site\":\"xyz\","
	    "\"comment_seq\":0,\"secrets\":false}", "\"site\" is not a site id" },
	{ COMMENT_LINE(",\"id\":0"), "not JSON" },
	{ "{\"type\":\"comment\",\"id\":0,\"article\":2,\"parent\":null,"
	    "\"author\":\"Ann\",\"body\":\"hi\",\"status\":\"approved\","
	    "\"score\":0,\"reasons\":\"\",\"created\":1}",
	    "\"id\" is not an id" },
	{ "{\"type\":\"comment\",\"id\":1,\"article\":2,\"parent\":\"3\","
	    "\"author\":\"Ann\",\"body\":\"hi\",\"status\":\"approved\","
	    "\"score\":0,\"reasons\":\"\",\"created\":1}",
	    "\"parent\" is not an id" },
	{ "{\"type\":\"comment\",\"id\":1,\"article\":2,\"parent\":null,"
	    "\"author\":\"A\\u0000nn\",\"body\":\"hi\",\"status\":\"approved\","
	    "\"score\":0,\"reasons\":\"\",\"created\":1}", "not JSON: \\u0000" },
	{ "{\"type\":\"comment\",\"id\":1,\"article\":2,\"parent\":null,"
	    "\"author\":null,\"body\":\"hi\",\"status\":\"approved\","
	    "\"score\":0,\"reasons\":\"\",\"created\":1}",
	    "\"author\" may not be null" },
	{ "{\"type\":\"comment\",\"id\":1,\"article\":2,\"parent\":null,"
	    "\"author\":\"A\",\"body\":\"hi\",\"status\":\"shown\","
	    "\"score\":0,\"reasons\":\"\",\"created\":1}",
	    "\"status\" is not a status" },
	{ "{\"type\":\"comment\",\"id\":1,\"article\":2,\"parent\":null,"
	    "\"author\":\"A\",\"status\":\"approved\",\"score\":0,"
	    "\"reasons\":\"\",\"created\":1}", "\"body\" is missing" },
	{ "{\"type\":\"account\",\"id\":1,\"name\":\"two words\","
	    "\"role\":\"admin\",\"created\":5}", "\"name\" breaks the text rules" },
	{ "{\"type\":\"account\",\"id\":1,\"name\":\"x\",\"role\":\"root\","
	    "\"created\":5}", "\"role\" is not admin or moderator" },
	{ "{\"type\":\"secret\",\"value\":\"0011\"}", "\"value\" is not 64 hex" },
	{ "{\"type\":\"article\",\"id\":1,\"uri\":\"/a/\",\"title\":\"T\","
	    "\"body\":null,\"created\":1,\"closed\":\"no\",\"mode\":null,"
	    "\"version\":1}", "\"closed\" is not true or false" },
};

static void
test_lines(void **state)
{
	struct arena		 a = { NULL, 0 };
	struct port_line	 l;
	char			 err[300];
	enum status		 st;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(lines); i++) {
		arena_reset(&a);
		st = port_parse_line(&a, lines[i].line, strlen(lines[i].line),
		    &l, err, sizeof(err));
		if (lines[i].err == NULL && st != ST_OK)
			fail_msg("row %zu: %s: %s", i, lines[i].line, err);
		if (lines[i].err != NULL && (st != ST_INPUT ||
		    strstr(err, lines[i].err) == NULL))
			fail_msg("row %zu: %s: %s (want %s)", i, lines[i].line,
			    err, lines[i].err);
	}
	arena_reset(&a);
	assert_int_equal(port_parse_line(&a, lines[1].line,
	    strlen(lines[1].line), &l, err, sizeof(err)), ST_OK);
	assert_int_equal(l.type, PREC_COMMENT);
	assert_int_equal(l.row.table, PORT_COMMENTS);
	assert_int_equal(l.row.id, 7);
	assert_int_equal(l.row.u.comment.parent, 0);
	assert_null(l.row.u.comment.email);
	assert_string_equal(l.row.u.comment.author, "Ann");
	assert_true(l.row.u.comment.score == 0.25);
	assert_int_equal(l.row.u.comment.status, CS_APPROVED);
	arena_free(&a);
}

/* What is written reads back the same, byte for byte when written
 * again; a hash is written only with secrets. */
static void
test_write_read(void **state)
{
	struct port_line	 l, back;
	struct arena		 a = { NULL, 0 };
	char			*p = NULL, err[300];
	size_t			 n = 0;
	FILE			*f;
	char			*again = NULL;
	size_t			 m = 0;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.type = PREC_COMMENT;
	l.row.table = PORT_COMMENTS;
	l.row.id = 42;
	l.row.u.comment.article = 3;
	l.row.u.comment.parent = 41;
	l.row.u.comment.author = "Zo\xc3\xab \"quoted\" \\ <b>";
	l.row.u.comment.body = "line one\nline two \xf0\x9f\x98\x80";
	l.row.u.comment.status = CS_SPAM;
	l.row.u.comment.score = 0.1;
	l.row.u.comment.reasons = "link count\nhook: 0.9";
	l.row.u.comment.created = 1500000000;
	l.row.u.comment.edited = 1500000001;
	l.row.u.comment.edited_by = 2;
	assert_non_null(f = open_memstream(&p, &n));
	assert_int_equal(port_write_line(f, &l, 0), ST_OK);
	fclose(f);
	assert_true(n > 0 && p[n - 1] == '\n');
	assert_int_equal(port_parse_line(&a, p, n - 1, &back, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(back.row.u.comment.parent, 41);
	assert_string_equal(back.row.u.comment.author, l.row.u.comment.author);
	assert_string_equal(back.row.u.comment.body, l.row.u.comment.body);
	assert_true(back.row.u.comment.score == 0.1);
	assert_int_equal(back.row.u.comment.edited_by, 2);
	assert_non_null(f = open_memstream(&again, &m));
	assert_int_equal(port_write_line(f, &back, 0), ST_OK);
	fclose(f);
	assert_int_equal(m, n);
	assert_memory_equal(again, p, n);
	free(p);
	free(again);
	/* Accounts: the hash with secrets only. */
	memset(&l, 0, sizeof(l));
	l.type = PREC_ACCOUNT;
	l.row.table = PORT_ACCOUNTS;
	l.row.id = 1;
	l.row.u.account.name = "boss";
	l.row.u.account.hash = "$argon2id$secret";
	p = NULL;
	assert_non_null(f = open_memstream(&p, &n));
	assert_int_equal(port_write_line(f, &l, 0), ST_OK);
	assert_int_equal(port_write_line(f, &l, 1), ST_OK);
	fclose(f);
	assert_non_null(strstr(p, "\"last_login\":null}\n{"));
	assert_int_equal(strstr(strstr(p, "\n"), "$argon2id$secret") != NULL, 1);
	assert_null(strstr(p, "$argon2id$secret\"}\n{"));
	free(p);
	arena_free(&a);
}

/* --- the database -------------------------------------------------------- */

struct fx {
	char		 dir[64];
	char		 db[2][128];
	struct store	*s[2];
};

static int
setup(void **state)
{
	struct fx	*f;
	unsigned char	 secret[AUTH_SECRET_LEN];
	int		 i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/palaver-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		char	 dir[64];

		memcpy(dir, f->dir, sizeof(dir));
		snprintf(f->db[i], sizeof(f->db[i]), "%s/%d.db", dir, i);
		auth_secret_new(secret);
		if (store_migrate(f->db[i], secret, NULL, NULL) != ST_OK ||
		    store_open(f->db[i], &f->s[i]) != ST_OK)
			return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->s[0]);
	store_close(f->s[1]);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* Rows whose root, depth or ordering key is not what their parent makes
 * of them (store_comment.c's rule: the parent's key, 8 levels at most,
 * then the id as 8 bytes big-endian). */
#define BAD_KEYS "SELECT count(*) FROM comments c LEFT JOIN comments p " \
	"ON p.id = c.parent WHERE hex(substr(c.path, -8)) != " \
	"printf('%016X', c.id) OR (p.id IS NULL AND (length(c.path) != 8 OR " \
	"c.depth != 0 OR c.root != c.id)) OR (p.id IS NOT NULL AND " \
	"(substr(c.path, 1, length(c.path) - 8) != substr(p.path, 1, " \
	"min(length(p.path), 64)) OR c.depth != p.depth + 1 OR " \
	"c.root != p.root))"

static long long
add_comment(struct store *s, long long article, long long parent,
    const char *author, enum cstatus status, long long created)
{
	struct comment	 c;

	memset(&c, 0, sizeof(c));
	c.article = article;
	c.parent = parent;
	c.author = author;
	c.body = "a *body*";
	c.html = "<p>a <em>body</em></p>\n";
	c.status = status;
	c.reasons = "";
	c.created = created;
	c.addr_hash = "abc";
	c.user_agent = "ua/1";
	assert_int_equal(store_comment_add(s, &c), ST_OK);
	return c.id;
}

/* A site with a bit of everything. */
static void
fill(struct store *s)
{
	long long	 a1, a2, a3, c1, c2, c3, m, deep;
	int		 i;

	assert_int_equal(store_mod_add(s, "boss", "$argon2id$x", 1, 100, &m),
	    ST_OK);
	assert_int_equal(store_article_add(s, "/one/", "One \"1\"", "# Body",
	    "<p>Body</p>", 200, &a1), ST_OK);
	assert_int_equal(store_article_add(s, "/two/", "Two", NULL, NULL, 300,
	    &a2), ST_OK);
	assert_int_equal(store_article_set(s, a2, 1, "pre"), ST_OK);
	/* A thread a reader's first comment made, its title proposed, and
	 * reopened by a moderator: it stays open whatever its age (010). */
	assert_int_equal(store_article_add_reader(s, "/reader/", "Proposed",
	    350, &a3), ST_OK);
	assert_int_equal(store_article_set(s, a3, 0, NULL), ST_OK);
	c1 = add_comment(s, a1, 0, "Ann", CS_APPROVED, 1000);
	c2 = add_comment(s, a1, c1, "Bob", CS_PENDING, 1001);
	c3 = add_comment(s, a1, c2, "Cy", CS_APPROVED, 1002);
	add_comment(s, a2, 0, "Dee", CS_SPAM, 1003);
	/* Deeper than the ordering key's 8 levels. */
	for (deep = c3, i = 0; i < 12; i++)
		deep = add_comment(s, a1, deep, "Deep", CS_APPROVED, 1010 + i);
	/* A removed comment: its id is never given again. */
	assert_int_equal(store_comment_remove(s, add_comment(s, a2, 0, "Gone",
	    CS_APPROVED, 1004)), ST_OK);
	assert_int_equal(store_comment_edit(s, c3, "edited", "<p>edited</p>",
	    1100, m), ST_OK);
	assert_int_equal(store_comment_set_score(s, c2, 0.7, "rule one\nrule "
	    "two", "h"), ST_OK);
	assert_int_equal(store_ban_add(s, "email", "x@example.org", "spam",
	    1200, 0, m, NULL), ST_OK);
	assert_int_equal(store_audit_add(s, m, "boss", "edit", "comment:3",
	    "before", "after", NULL, 1300), ST_OK);
	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_import_mark(s, "disqus", "555", c1), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
}

static char *
export(struct store *s, int secrets, size_t *n)
{
	struct port_result	 r;
	struct port_opts	 o = { .with_secrets = secrets };
	char			*p = NULL, err[300];
	FILE			*f;

	assert_non_null(f = open_memstream(&p, n));
	if (port_export(s, f, &o, &r, err, sizeof(err)) != ST_OK)
		fail_msg("export: %s", err);
	fclose(f);
	return p;
}

static void
to_file(const char *path, const char *p, size_t n)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* Export, restore into an empty database, export: the same bytes. */
static void
test_round_trip(void **state)
{
	struct fx		*f = *state;
	struct port_result	 r;
	char			*one, *two, path[160], err[300];
	size_t			 n1, n2;
	int			 secrets;

	fill(f->s[0]);
	for (secrets = 0; secrets <= 1; secrets++) {
		if (secrets) {
			store_close(f->s[1]);
			unlink(f->db[1]);
			assert_int_equal(store_migrate(f->db[1],
			    (const unsigned char *)"0123456789abcdef0123456789"
			    "abcdef", NULL, NULL), ST_OK);
			assert_int_equal(store_open(f->db[1], &f->s[1]),
			    ST_OK);
		}
		one = export(f->s[0], secrets, &n1);
		snprintf(path, sizeof(path), "%s/site.jsonl", f->dir);
		to_file(path, one, n1);
		if (port_import(f->s[1], path, NULL, 2000, &r, err,
		    sizeof(err)) != ST_OK)
			fail_msg("import: %s", err);
		assert_true(r.restored);
		assert_int_equal(r.n[PREC_COMMENT], 5 - 1 + 12);
		assert_int_equal(r.no_password, secrets ? 0 : 1);
		two = export(f->s[1], secrets, &n2);
		if (n1 != n2 || memcmp(one, two, n1) != 0)
			fail_msg("differ:\n%s\n---\n%s", one, two);
		free(one);
		free(two);
	}
	/* The export with secrets came back byte for byte, its secret line
	 * too: the secret is the old one.  What is derived is made again:
	 * counts, html, thread order. */
	assert_int_equal(unit_sql_int(f->db[1], "SELECT ncomments FROM "
	    "articles WHERE uri = '/one/'"), 2 + 12);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM comments "
	    "WHERE html = '<p>a <em>body</em></p>\n' OR html = "
	    "'<p>edited</p>\n'"), 4 + 12);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM articles "
	    "WHERE uri = '/reader/' AND made_by = 'reader' AND "
	    "title_proposed = 'Proposed' AND title = '/reader/' AND "
	    "kept_open = 1"), 1);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM articles "
	    "WHERE kept_open = 1"), 1);
	/* The rule BAD_KEYS checks is store_comment_insert's own. */
	assert_int_equal(unit_sql_int(f->db[0], BAD_KEYS), 0);
	assert_int_equal(unit_sql_int(f->db[1], BAD_KEYS), 0);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT max(depth) FROM "
	    "comments"), 14);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT depth FROM comments "
	    "WHERE author = 'Cy'"), 2);
	/* The next comment id is past every one ever used (5 was removed). */
	assert_int_equal(unit_sql_int(f->db[1], "SELECT seq FROM "
	    "sqlite_sequence WHERE name = 'comments'"), 5 + 12);
}

/* Into a database with data: a merge, and a second one adds nothing;
 * a file cut short changes nothing. */
static void
test_merge(void **state)
{
	struct fx		*f = *state;
	struct port_result	 r;
	char			*one, path[160], err[300];
	size_t			 n;
	long long		 a;

	fill(f->s[0]);
	assert_int_equal(store_article_add(f->s[1], "/one/", "Mine", NULL,
	    NULL, 5, &a), ST_OK);
	add_comment(f->s[1], a, 0, "Local", CS_APPROVED, 7);
	one = export(f->s[0], 0, &n);
	snprintf(path, sizeof(path), "%s/site.jsonl", f->dir);
	to_file(path, one, n);
	assert_int_equal(port_import(f->s[1], path, NULL, 2000, &r, err,
	    sizeof(err)), ST_OK);
	assert_false(r.restored);
	assert_int_equal(r.added, 4 + 12);
	assert_int_equal(r.left_out, 1);	/* the audit entry */
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM "
	    "articles"), 3);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT title FROM articles "
	    "WHERE uri = '/one/'") != -1, 1);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM "
	    "comments"), 5 + 12);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT ncomments FROM "
	    "articles WHERE uri = '/one/'"), 3 + 12);
	assert_int_equal(unit_sql_int(f->db[1], BAD_KEYS), 0);
	/* Threads keep their shape under new ids. */
	assert_int_equal(unit_sql_int(f->db[1], "SELECT depth FROM comments "
	    "WHERE author = 'Cy'"), 2);
	/* The marks of the export's own imports follow their comments. */
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM "
	    "imported i JOIN comments c ON c.id = i.comment WHERE "
	    "i.source = 'disqus' AND c.author = 'Ann'"), 1);
	assert_int_equal(port_import(f->s[1], path, NULL, 2000, &r, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(r.added, 0);
	assert_int_equal(r.seen, 4 + 12);
	/* Cut short: refused, nothing changes. */
	to_file(path, one, n - 40);
	assert_int_equal(port_import(f->s[1], path, NULL, 2000, &r, err,
	    sizeof(err)), ST_INPUT);
	assert_non_null(strstr(err, "line "));
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM "
	    "comments"), 5 + 12);
	free(one);
}

/* A top-level comment and its replies move under another comment. */
static void
test_move(void **state)
{
	struct fx	*f = *state;
	struct store	*s = f->s[0];
	long long	 a, b, c1, c2, c3, c4, other, deep;
	int		 i;

	assert_int_equal(store_article_add(s, "/m/", "M", NULL, NULL, 1, &a),
	    ST_OK);
	assert_int_equal(store_article_add(s, "/o/", "O", NULL, NULL, 1, &b),
	    ST_OK);
	c1 = add_comment(s, a, 0, "one", CS_APPROVED, 10);
	c2 = add_comment(s, a, c1, "two", CS_APPROVED, 11);
	c3 = add_comment(s, a, 0, "three", CS_APPROVED, 12);
	c4 = add_comment(s, a, c3, "four", CS_APPROVED, 13);
	other = add_comment(s, b, 0, "other", CS_APPROVED, 14);
	/* A chain under "four" deeper than the key's 8 levels. */
	for (deep = c4, i = 0; i < 10; i++)
		deep = add_comment(s, a, deep, "deep", CS_APPROVED, 20 + i);
	assert_int_equal(store_tx_begin(s), ST_OK);
	/* Under its own reply: a loop.  Across articles: not found. */
	assert_int_equal(store_port_comment_move(s, c3, c4), ST_CONFLICT);
	assert_int_equal(store_port_comment_move(s, c3, c3), ST_CONFLICT);
	assert_int_equal(store_port_comment_move(s, c3, other), ST_NOTFOUND);
	assert_int_equal(store_port_comment_move(s, c3, 999), ST_NOTFOUND);
	assert_int_equal(store_port_comment_move(s, c3, c2), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT parent FROM comments "
	    "WHERE author = 'three'"), c2);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT depth FROM comments "
	    "WHERE author = 'four'"), 3);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT count(*) FROM comments "
	    "WHERE root = " "(SELECT id FROM comments WHERE author = 'one')"),
	    4 + 10);
	/* Thread order: one, two, three, four, then the chain. */
	assert_int_equal(unit_sql_int(f->db[0], "SELECT "
	    "group_concat(author, ',') LIKE 'one,two,three,four,deep,%' FROM "
	    "(SELECT author FROM comments WHERE article = (SELECT id FROM "
	    "articles WHERE uri = '/m/') ORDER BY path)"), 1);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT max(depth) FROM "
	    "comments"), 13);
	assert_int_equal(unit_sql_int(f->db[0], BAD_KEYS), 0);
	(void)other;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_write_read),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
