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
#include "domain/votes.h"
#include "import/port.h"
#include "import/port_int.h"
#include "store/store.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* --- lines --------------------------------------------------------------- */

#define COMMENT_LINE(extra) "{\"type\":\"comment\",\"id\":7,\"article\":2," \
	"\"parent\":null,\"author\":\"Ann\",\"email\":null,\"website\":null," \
	"\"body\":\"hi\",\"status\":\"approved\",\"score\":0.25," \
	"\"reasons\":\"\",\"created\":1500000000" extra "}"

#define VOTE_LINE(value) "{\"type\":\"vote\",\"comment\":7,\"voter\":\"k1\"," \
	"\"addr_hash\":null,\"value\":" value ",\"at\":1500000001}"
#define REPORT_LINE(reason) "{\"type\":\"report\",\"id\":3,\"comment\":7," \
	"\"reason\":" reason ",\"text\":\"Rude\",\"created\":1500000002," \
	"\"addr_hash\":\"h\",\"net_hash\":null,\"settled\":false}"

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
	/* Version 2: votes, reports, counts. */
	{ "{\"palaver\":\"export\",\"version\":2,\"schema\":12,\"site\":\"ab\","
	    "\"comment_seq\":9,\"secrets\":false}", NULL },
	{ COMMENT_LINE(",\"up\":3,\"down\":0"), NULL },
	{ VOTE_LINE("1"), NULL },
	{ VOTE_LINE("-1"), NULL },
	{ REPORT_LINE("\"off-topic\""), NULL },
	{ "{\"type\":\"end\",\"accounts\":0,\"articles\":0,\"comments\":0,"
	    "\"votes\":2,\"reports\":1,\"bans\":0,\"audit\":0,"
	    "\"imported\":0}", NULL },
	/* Broken. */
	{ COMMENT_LINE(",\"up\":-1"), "\"up\" is not an integer of 0 or more" },
	{ COMMENT_LINE(",\"down\":null"), "\"down\" may not be null" },
	{ COMMENT_LINE(",\"up\":1.5"), "\"up\" is not an integer" },
	{ VOTE_LINE("2"), "\"value\" is not 1 or -1" },
	{ VOTE_LINE("0"), "\"value\" is not 1 or -1" },
	{ VOTE_LINE("\"1\""), "\"value\" is not 1 or -1" },
	{ VOTE_LINE("null"), "\"value\" may not be null" },
	{ "{\"type\":\"vote\",\"voter\":\"k\",\"addr_hash\":null,\"value\":1,"
	    "\"at\":5}", "\"comment\" is missing" },
	{ "{\"type\":\"vote\",\"comment\":0,\"voter\":\"k\",\"value\":1,"
	    "\"at\":5}", "\"comment\" is not an id" },
	{ "{\"type\":\"vote\",\"comment\":7,\"value\":1,\"at\":5}",
	    "\"voter\" is missing" },
	{ REPORT_LINE("\"rude\""), "\"reason\" is not a reason" },
	{ REPORT_LINE("\"Spam\""), "\"reason\" is not a reason" },
	{ REPORT_LINE("3"), "\"reason\" is not a reason" },
	{ "{\"type\":\"report\",\"id\":3,\"reason\":\"spam\",\"text\":\"\","
	    "\"created\":5,\"addr_hash\":null,\"net_hash\":null,"
	    "\"settled\":false}", "\"comment\" is missing" },
	{ "{\"type\":\"report\",\"id\":3,\"comment\":7,\"reason\":\"spam\","
	    "\"text\":\"\",\"created\":5,\"settled\":1}",
	    "\"settled\" is not true or false" },
	{ "{\"type\":\"end\",\"accounts\":0,\"articles\":0,\"comments\":0,"
	    "\"votes\":-2,\"bans\":0,\"audit\":0,\"imported\":0}",
	    "\"votes\" is not an integer" },
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
	/* A version 1 comment has no counts: none. */
	assert_int_equal(l.row.u.comment.up, 0);
	assert_int_equal(l.row.u.comment.down, 0);
	arena_reset(&a);
	assert_int_equal(port_parse_line(&a, VOTE_LINE("-1"),
	    strlen(VOTE_LINE("-1")), &l, err, sizeof(err)), ST_OK);
	assert_int_equal(l.type, PREC_VOTE);
	assert_int_equal(l.row.table, PORT_VOTES);
	assert_int_equal(l.row.u.vote.comment, 7);
	assert_string_equal(l.row.u.vote.voter, "k1");
	assert_null(l.row.u.vote.addr_hash);
	assert_int_equal(l.row.u.vote.value, -1);
	assert_int_equal(l.row.u.vote.at, 1500000001);
	arena_reset(&a);
	assert_int_equal(port_parse_line(&a, REPORT_LINE("\"abuse\""),
	    strlen(REPORT_LINE("\"abuse\"")), &l, err, sizeof(err)), ST_OK);
	assert_int_equal(l.type, PREC_REPORT);
	assert_int_equal(l.row.table, PORT_REPORTS);
	assert_int_equal(l.row.id, 3);
	assert_int_equal(l.row.u.report.comment, 7);
	assert_int_equal(l.row.u.report.reason, RR_ABUSE);
	assert_string_equal(l.row.u.report.text, "Rude");
	assert_string_equal(l.row.u.report.addr_hash, "h");
	assert_null(l.row.u.report.net_hash);
	assert_false(l.row.u.report.settled);
	arena_free(&a);
}

/* A vote and a report written read back the same, byte for byte. */
static void
test_write_read_readers(void **state)
{
	static const char	*want[] = {
		"{\"type\":\"vote\",\"comment\":9,\"voter\":\"k\\\"1\","
		    "\"addr_hash\":\"a1\",\"value\":-1,\"at\":77}\n",
		"{\"type\":\"report\",\"id\":4,\"comment\":9,"
		    "\"reason\":\"off-topic\",\"text\":\"not <b>here</b>\\n"
		    "really\",\"created\":78,\"addr_hash\":null,"
		    "\"net_hash\":\"n1\",\"settled\":true}\n",
		"{\"type\":\"end\",\"accounts\":0,\"articles\":0,"
		    "\"comments\":0,\"votes\":1,\"reports\":1,\"bans\":0,"
		    "\"audit\":0,\"imported\":0}\n",
	};
	struct port_line	 l[3], back;
	struct arena		 a = { NULL, 0 };
	char			*p, *q, *nl, err[300];
	size_t			 n, i;
	FILE			*f;

	(void)state;
	memset(l, 0, sizeof(l));
	l[0].type = PREC_VOTE;
	l[0].row.table = PORT_VOTES;
	l[0].row.u.vote.comment = 9;
	l[0].row.u.vote.voter = "k\"1";
	l[0].row.u.vote.addr_hash = "a1";
	l[0].row.u.vote.value = -1;
	l[0].row.u.vote.at = 77;
	l[1].type = PREC_REPORT;
	l[1].row.table = PORT_REPORTS;
	l[1].row.id = 4;
	l[1].row.u.report.comment = 9;
	l[1].row.u.report.reason = RR_OFF_TOPIC;
	l[1].row.u.report.text = "not <b>here</b>\nreally";
	l[1].row.u.report.created = 78;
	l[1].row.u.report.net_hash = "n1";
	l[1].row.u.report.settled = 1;
	l[2].type = PREC_END;
	l[2].counts[PREC_VOTE] = 1;
	l[2].counts[PREC_REPORT] = 1;
	for (i = 0; i < NITEMS(l); i++) {
		p = q = NULL;
		assert_non_null(f = open_memstream(&p, &n));
		assert_int_equal(port_write_line(f, &l[i], 0), ST_OK);
		fclose(f);
		assert_string_equal(p, want[i]);
		assert_non_null(nl = strchr(p, '\n'));
		arena_reset(&a);
		if (port_parse_line(&a, p, (size_t)(nl - p), &back, err,
		    sizeof(err)) != ST_OK)
			fail_msg("%s: %s", p, err);
		assert_int_equal(back.type, l[i].type);
		assert_non_null(f = open_memstream(&q, &n));
		assert_int_equal(port_write_line(f, &back, 0), ST_OK);
		fclose(f);
		assert_string_equal(q, p);
		free(p);
		free(q);
	}
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

/* A reader's vote, as votes_cast makes it (domain/votes.c). */
static void
vote(struct store *s, long long id, const char *voter, const char *addr,
    int value, long long at)
{
	struct addr_keys	 k = { addr, NULL, NULL, NULL };
	long long		 up, down, article;

	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_vote(s, id, voter, &k, value, at, &up, &down,
	    &article), ST_OK);
	assert_int_equal(store_comment_set_best(s, id, votes_wilson(up,
	    down)), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
}

static void
report(struct store *s, long long id, enum report_reason why,
    const char *text, const char *addr, const char *net, long long at)
{
	struct addr_keys	 k = { addr, NULL, net, NULL };
	long long		 open;
	int			 counted;

	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_report(s, id, why, text, &k, at, &counted,
	    &open), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
}

/* The rows of a query as one string (malloc'd): "a,b;c,d". */
static char *
sql_rows(const char *db, const char *sql)
{
	sqlite3		*h = NULL;
	sqlite3_stmt	*st = NULL;
	struct buf	 b = BUF_INIT;
	int		 i, n, rc;
	char		*r;

	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	n = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			buf_puts(&b, t != NULL ? (const char *)t : "NULL");
			buf_puts(&b, i + 1 < n ? "," : ";");
		}
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_false(b.err);
	assert_non_null(r = strdup(buf_str(&b)));
	buf_free(&b);
	return r;
}

/* The same rows in both databases. */
static void
same_rows(const char *one, const char *two, const char *sql)
{
	char	*a = sql_rows(one, sql), *b = sql_rows(two, sql);

	if (strcmp(a, b) != 0)
		fail_msg("%s:\n%s\n---\n%s", sql, a, b);
	free(a);
	free(b);
}

#define VOTES_ROWS "SELECT comment, voter, addr_hash, value, at FROM votes " \
	"ORDER BY comment, voter"
#define REPORTS_ROWS "SELECT id, comment, reason, text, created, addr_hash, " \
	"net_hash, settled FROM reports ORDER BY id"
#define COUNTS_ROWS "SELECT id, up, down, printf('%.17g', best) FROM " \
	"comments ORDER BY id"
#define ARTICLE_VOTES_ROWS "SELECT id, votes, version FROM articles " \
	"ORDER BY id"

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
	/* Readers' votes: three up and one down on Ann's, a change of mind,
	 * a vote taken back (the article's counter moved, no row stays),
	 * one on Cy's. */
	vote(s, c1, "voter-b", "addr-b", 1, 1400);
	vote(s, c1, "voter-a", "addr-a", -1, 1401);
	vote(s, c1, "voter-a", "addr-a", 1, 1402);
	vote(s, c1, "voter-c", NULL, 1, 1403);
	vote(s, c1, "Voter-D", "addr-d", -1, 1404);
	vote(s, c3, "voter-a", "addr-a", 1, 1405);
	vote(s, c3, "voter-e", "addr-e", 1, 1406);
	vote(s, c3, "voter-e", "addr-e", 0, 1407);
	/* Reports: two open on Ann's, one settled on Bob's. */
	report(s, c1, RR_SPAM, "Sells \"watches\"", "addr-r1", "net-1", 1500);
	report(s, c1, RR_OFF_TOPIC, "", NULL, NULL, 1501);
	report(s, c2, RR_ABUSE, "Rude", "addr-r2", "net-2", 1502);
	assert_int_equal(store_tx_begin(s), ST_OK);
	assert_int_equal(store_reports_settle(s, c2), ST_OK);
	assert_int_equal(store_tx_commit(s), ST_OK);
}

/* Counts that no vote row stands behind, on Dee's comment (as an import
 * of another program's "likes" would leave them): they travel as they
 * are, and "best" follows them. */
static void
likes(const char *db)
{
	char	 sql[200];

	snprintf(sql, sizeof(sql), "UPDATE comments SET up = 7, down = 2, "
	    "best = %.17g WHERE author = 'Dee'", votes_wilson(7, 2));
	unit_sql_exec(db, sql);
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
	likes(f->db[0]);
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
		assert_int_equal(r.n[PREC_VOTE], 5);
		assert_int_equal(r.n[PREC_REPORT], 3);
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
	/* Votes, reports (their ids too), the counts and the rank as they
	 * were, and the articles' vote counters (the page cache's key). */
	same_rows(f->db[0], f->db[1], VOTES_ROWS);
	same_rows(f->db[0], f->db[1], REPORTS_ROWS);
	same_rows(f->db[0], f->db[1], COUNTS_ROWS);
	same_rows(f->db[0], f->db[1], ARTICLE_VOTES_ROWS);
	same_rows(f->db[0], f->db[1], "SELECT id FROM comments WHERE parent "
	    "IS NULL ORDER BY article, best DESC, id");
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM votes"),
	    5);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT up * 10 + down FROM "
	    "comments WHERE author = 'Ann'"), 31);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT up * 10 + down FROM "
	    "comments WHERE author = 'Dee'"), 72);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT best > 0.1 FROM "
	    "comments WHERE author = 'Dee'"), 1);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT votes FROM articles "
	    "WHERE uri = '/one/'"), 8);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM reports "
	    "WHERE settled = 0"), 2);
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

/* What the merge of fill's site into one with "Local" leaves. */
static void
merged(const char *db)
{
	assert_int_equal(unit_sql_int(db, "SELECT count(*) FROM votes"),
	    5 + 1);
	assert_int_equal(unit_sql_int(db, "SELECT count(*) FROM votes v JOIN "
	    "comments c ON c.id = v.comment WHERE c.author = 'Ann'"), 4);
	assert_int_equal(unit_sql_int(db, "SELECT count(*) FROM votes v JOIN "
	    "comments c ON c.id = v.comment WHERE c.author = 'Local'"), 1);
	assert_int_equal(unit_sql_int(db, "SELECT up * 10 + down FROM "
	    "comments WHERE author = 'Ann'"), 31);
	assert_int_equal(unit_sql_int(db, "SELECT up * 10 + down FROM "
	    "comments WHERE author = 'Cy'"), 10);
	assert_int_equal(unit_sql_int(db, "SELECT up * 10 + down FROM "
	    "comments WHERE author = 'Dee'"), 72);
	assert_int_equal(unit_sql_int(db, "SELECT count(*) FROM comments "
	    "WHERE author IN ('Ann', 'Dee', 'Local') AND best > 0"), 3);
	assert_int_equal(unit_sql_int(db, "SELECT votes FROM articles "
	    "WHERE uri = '/one/'"), 1 + 5);
	assert_int_equal(unit_sql_int(db, "SELECT count(*) FROM reports r "
	    "JOIN comments c ON c.id = r.comment WHERE (c.author = 'Ann' AND "
	    "r.settled = 0) OR (c.author = 'Bob' AND r.settled = 1 AND "
	    "r.reason = 'abuse' AND r.text = 'Rude')"), 3);
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
	long long		 a, local;

	fill(f->s[0]);
	likes(f->db[0]);
	assert_int_equal(store_article_add(f->s[1], "/one/", "Mine", NULL,
	    NULL, 5, &a), ST_OK);
	local = add_comment(f->s[1], a, 0, "Local", CS_APPROVED, 7);
	vote(f->s[1], local, "voter-a", "addr-a", 1, 8);
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
	/* The added comments came with their votes, reports and counts;
	 * the vote here stays; the article's counter moved once a vote. */
	assert_int_equal(r.votes_added, 5);
	assert_int_equal(r.reports_added, 3);
	merged(f->db[1]);
	assert_int_equal(port_import(f->s[1], path, NULL, 2000, &r, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(r.added, 0);
	assert_int_equal(r.seen, 4 + 12);
	/* Again: nothing more. */
	assert_int_equal(r.votes_added, 0);
	assert_int_equal(r.reports_added, 0);
	merged(f->db[1]);
	/* Into the database it came from: all of it is there already. */
	assert_int_equal(port_import(f->s[0], path, NULL, 2000, &r, err,
	    sizeof(err)), ST_OK);
	assert_int_equal(r.added + r.votes_added + r.reports_added, 0);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT count(*) FROM votes"),
	    5);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT count(*) FROM "
	    "reports"), 3);
	assert_int_equal(unit_sql_int(f->db[0], "SELECT votes FROM articles "
	    "WHERE uri = '/one/'"), 8);
	/* Cut short: refused, nothing changes. */
	to_file(path, one, n - 40);
	assert_int_equal(port_import(f->s[1], path, NULL, 2000, &r, err,
	    sizeof(err)), ST_INPUT);
	assert_non_null(strstr(err, "line "));
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM "
	    "comments"), 5 + 12);
	free(one);
}

#define V_HEAD(v) "{\"palaver\":\"export\",\"version\":" #v ",\"schema\":7," \
	"\"site\":\"ab12\",\"comment_seq\":9,\"secrets\":false}\n" \
	"{\"type\":\"article\",\"id\":1,\"uri\":\"/v/\",\"title\":\"T\"," \
	"\"body\":null,\"created\":1,\"closed\":false,\"mode\":null," \
	"\"version\":3}\n{\"type\":\"comment\",\"id\":4,\"article\":1," \
	"\"parent\":null,\"author\":\"Ann\",\"email\":null,\"website\":null," \
	"\"body\":\"hi\",\"status\":\"approved\",\"score\":0," \
	"\"reasons\":\"\",\"created\":5}\n"
#define V_END(votes) "{\"type\":\"end\",\"accounts\":0,\"articles\":1," \
	"\"comments\":1,\"votes\":" #votes ",\"bans\":0,\"audit\":0," \
	"\"imported\":0}\n"
#define V_VOTE(comment, voter) "{\"type\":\"vote\",\"comment\":" \
	#comment ",\"voter\":\"" voter "\",\"addr_hash\":null,\"value\":1," \
	"\"at\":6}\n"

/* Version 1 is read (no votes, no counts), a newer one refused; a vote
 * names a comment before it, once. */
static void
test_versions(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;		/* NULL: imports */
	} files[] = {
		/* Into the empty database: refused, it stays empty. */
		{ V_HEAD(3) V_END(0), "written by a newer palaver (format "
		    "version 3; this one reads up to 2)" },
		{ V_HEAD(2) V_VOTE(5, "k") V_END(1), "line 4: the vote is "
		    "there already, or names what is not" },
		{ V_HEAD(2) V_VOTE(4, "k") V_VOTE(4, "k") V_END(2), "line 5: "
		    "the vote is there already" },
		{ V_HEAD(2) V_VOTE(4, "k") V_END(0), "the end line counts 0 "
		    "vote records, the file holds 1" },
		{ V_HEAD(1) "{\"type\":\"end\",\"accounts\":0,\"articles\":1,"
		    "\"comments\":1,\"bans\":0,\"audit\":0,\"imported\":0}\n",
		    NULL },
		/* Now a merge. */
		{ V_HEAD(2) V_VOTE(5, "k") V_END(1), "line 4: its comment is "
		    "not before it" },
		{ V_HEAD(2) V_VOTE(4, "k") V_END(1), NULL },
	};
	struct fx		*f = *state;
	struct port_result	 r;
	char			 path[160], err[300];
	size_t			 i;
	enum status		 st;

	snprintf(path, sizeof(path), "%s/v.jsonl", f->dir);
	for (i = 0; i < NITEMS(files); i++) {
		to_file(path, files[i].text, strlen(files[i].text));
		st = port_import(f->s[1], path, NULL, 2000, &r, err,
		    sizeof(err));
		if (files[i].err == NULL && st != ST_OK)
			fail_msg("file %zu: %s", i, err);
		/* ST_INPUT, or ST_CONFLICT for a row the database refused. */
		if (files[i].err != NULL && ((st != ST_INPUT &&
		    st != ST_CONFLICT) || strstr(err, files[i].err) == NULL))
			fail_msg("file %zu: %s (want %s)", i, err,
			    files[i].err);
		if (i < 4)
			assert_int_equal(unit_sql_int(f->db[1], "SELECT "
			    "count(*) FROM comments"), 0);
	}
	/* The version 1 file was a restore (its comment has no votes); the
	 * last, a merge of the same comment (seen: its vote stays out). */
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM "
	    "comments WHERE id = 4 AND up = 0 AND down = 0 AND best = 0"), 1);
	assert_int_equal(unit_sql_int(f->db[1], "SELECT count(*) FROM votes"),
	    0);
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
		cmocka_unit_test(test_write_read_readers),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_move, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
