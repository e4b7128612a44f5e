/* test_views.c: the views draw what they are given: nesting, placeholders,
 * the reader's own comments, refilled forms, escaping, the fragment */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/zone.h"
#include "model/model.h"
#include "render/views.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static struct buf	 B;

static int
teardown(void **state)
{
	(void)state;
	buf_free(&B);
	return 0;
}

static const struct view V = {
	.site = "Site <&>", .base = "/c", .embed = 0, .max_depth = 2,
	.form_token = "TOKEN", .now = 1700000000, .mod = NULL,
};

static const struct article AR = {
	.id = 7, .uri = "/p/\"q\"/", .title = "Title <b>", .created = 1700000000,
	.closed = 0, .version = 3, .ncomments = 5,
};

/* Five comments: 1 > 2 > 3 > 4 (deeper than max_depth), and 5 hidden with
 * a shown reply 6, so 5 is a placeholder. */
static struct comment	 rows[6];
static unsigned char	 shown[6] = { SHOWN_YES, SHOWN_YES, SHOWN_YES,
    SHOWN_YES, SHOWN_PLACEHOLDER, SHOWN_YES };
static long long	 parent[6] = { -1, 0, 1, 2, -1, 4 };
static long long	 mine[6] = { 0, 0, 0, 1700000900, 0, 0 };

static void
fill(void)
{
	static const char *const authors[] = { "Ann", "<script>x</script>",
	    "Cy", "Di", "Gone", "Ed" };
	size_t	 i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < NITEMS(rows); i++) {
		rows[i].id = (long long)i + 1;
		rows[i].article = 7;
		rows[i].parent = parent[i] >= 0 ? parent[i] + 1 : 0;
		rows[i].depth = parent[i] >= 0 ? rows[parent[i]].depth + 1 : 0;
		rows[i].author = authors[i];
		rows[i].body = "src";
		rows[i].html = "<p>safe</p>";
		rows[i].status = CS_APPROVED;
		rows[i].created = 1700000000;
	}
	rows[4].status = CS_DELETED;
	rows[3].status = CS_PENDING;
}

static const char *
article_page(const struct page_state *in, int embed)
{
	static struct thread_page	 pg;
	static struct thread_view	 tv;
	struct page_state		 ps = *in;
	struct view			 v = V;

	fill();
	pg.v = rows;
	pg.n = NITEMS(rows);
	pg.next = 0;
	tv.pg = &pg;
	tv.shown = shown;
	tv.parent = parent;
	tv.mine = mine;
	ps.tv = &tv;
	buf_reset(&B);
	v.embed = embed;
	if (embed) {
		v.base = "https://comments.example";
		view_embed(&v, &B, &AR, &ps);
	} else
		view_article(&v, &B, &AR, &ps);
	assert_false(B.err);
	return buf_str(&B);
}

static void
has(const char *page, const char *s)
{
	if (strstr(page, s) == NULL)
		fail_msg("missing: %s", s);
}

static void
hasnt(const char *page, const char *s)
{
	if (strstr(page, s) != NULL)
		fail_msg("present: %s", s);
}

static void
thread_shape(void **state)
{
	struct page_state	 ps;
	const char		*p;

	(void)state;
	memset(&ps, 0, sizeof(ps));
	p = article_page(&ps, 0);
	has(p, "<title>Title &lt;b&gt; \xe2\x80\x94 Site &lt;&amp;&gt;</title>");
	/* Escaped names, our own HTML as it was rendered. */
	has(p, "&lt;script&gt;x&lt;/script&gt;");
	hasnt(p, "<script>x");
	has(p, "<div class=\"body\"><p>safe</p></div>");
	/* 4 is deeper than max_depth 2: drawn at 2, "in reply to" 3. */
	has(p, "in-reply-to\" href=\"/c/c/3\">in reply to Cy</a>");
	/* The placeholder keeps the place, says nothing of its author. */
	has(p, "This comment was deleted.");
	hasnt(p, "Gone");
	/* 4 is the reader's own and pending: awaiting, with edit links. */
	has(p, "Awaiting moderation");
	has(p, "href=\"/c/articles/7?edit=4#c4\">Edit</a>");
	has(p, "action=\"/c/articles/7/comments/4/delete\"");
	/* The form carries the token it was given, and the honeypot. */
	has(p, "name=\"ts\" value=\"TOKEN\"");
	has(p, "name=\"hp\"");
	/* Every <ol> and <li> is closed. */
	{
		const char *q;
		int open = 0, close = 0;

		for (q = p; (q = strstr(q, "<ol")) != NULL; q++)
			open++;
		for (q = p; (q = strstr(q, "</ol>")) != NULL; q++)
			close++;
		assert_int_equal(open, close);
		/* "<li " and "<li>", not "<link". */
		for (open = close = 0, q = p; (q = strstr(q, "<li")) != NULL;
		    q++)
			open += q[3] == ' ' || q[3] == '>';
		for (q = p; (q = strstr(q, "</li>")) != NULL; q++)
			close++;
		assert_int_equal(open, close);
	}
}

static void
refilled_form(void **state)
{
	struct form_values	 fv = { "", "Keep \"me\"", "a@b.c",
	    "https://x.example/?a=1&b=2", "my <text>", 0, NULL, NULL };
	struct page_state	 ps;
	const char		*p;

	(void)state;
	memset(&ps, 0, sizeof(ps));
	ps.form = &fv;
	ps.error = "The comment is too long <really>.";
	ps.error_field = "body";
	p = article_page(&ps, 0);
	has(p, "role=\"alert\" id=\"f-error\">The comment is too long "
	    "&lt;really&gt;.</p>");
	has(p, "aria-invalid=\"true\" aria-describedby=\"f-error\">my "
	    "&lt;text&gt;</textarea>");
	has(p, "value=\"Keep &quot;me&quot;\"");
	has(p, "value=\"https://x.example/?a=1&amp;b=2\"");
}

static void
reply_form_and_notice(void **state)
{
	struct page_state	 ps;
	const char		*p;

	(void)state;
	memset(&ps, 0, sizeof(ps));
	ps.reply_to = 2;
	ps.order = ORDER_NEWEST;
	ps.notice = PS_PENDING;
	ps.posted = 4;
	p = article_page(&ps, 0);
	has(p, "id=\"reply-2\"");
	has(p, "name=\"parent\" value=\"2\"");
	has(p, "awaiting moderation");
	has(p, "<a href=\"#c4\">Go to it</a>");
	/* Links keep the reader's order. */
	has(p, "?order=newest&amp;reply=1#reply-1");
}

static void
fragment(void **state)
{
	struct page_state	 ps;
	const char		*p;

	(void)state;
	memset(&ps, 0, sizeof(ps));
	p = article_page(&ps, 1);
	/* No page around it; absolute links; posts by uri. */
	hasnt(p, "<!DOCTYPE");
	has(p, "data-palaver-rendered=\"1\"");
	has(p, "action=\"https://comments.example/embed/comments?uri="
	    "%2Fp%2F%22q%22%2F#comment-form\"");
	has(p, "name=\"title\" value=\"Title &lt;b&gt;\"");
}

/* Votes, reports, preview, notices beside a comment, folding, orders. */
static void
readers(void **state)
{
	struct form_values	 fv = { NULL, NULL, NULL, NULL, NULL, 0, "abuse",
	    "<b>rude</b>" };
	struct page_state	 ps;
	const char		*p;

	(void)state;
	memset(&ps, 0, sizeof(ps));
	p = article_page(&ps, 0);
	/* Votes off: no buttons, no best first. */
	hasnt(p, "class=\"vote\"");
	hasnt(p, "best first");
	hasnt(p, "class=\"report-form\"");
	/* The replies of 1 fold away; its summary counts what hangs under
	 * it (2, 3, 4 and the placeholder 5 are drawn). */
	has(p, "<details class=\"replies\" open><summary><span class=\"hide\">"
	    "Hide replies</span><span class=\"show\">Show ");
	has(p, "<a class=\"report\" href=\"/c/articles/7?report=1#report-1\">"
	    "Report<span class=\"visually-hidden\"> the comment by ");
	/* Not on one's own comment. */
	hasnt(p, "report=4#report-4");
	has(p, "name=\"preview\" value=\"1\" class=\"secondary\">Preview");

	memset(&ps, 0, sizeof(ps));
	ps.votes = ps.votes_down = 1;
	ps.order = ORDER_BEST;
	ps.report_to = 2;
	ps.form = &fv;
	ps.error = "Say <what>.";
	ps.error_field = "text";
	ps.notice = PS_VOTED;
	ps.notice_at = 2;
	p = article_page(&ps, 0);
	has(p, "<form class=\"vote\" method=\"post\" action=\"/c/articles/7/"
	    "comments/1/vote\"><input type=\"hidden\" name=\"order\" "
	    "value=\"best\"><button name=\"vote\" value=\"1\" class=\"up\">"
	    "<span class=\"visually-hidden\">Vote up</span> <span class=\"n\">0"
	    "</span></button>");
	has(p, "value=\"-1\" class=\"down\"><span class=\"visually-hidden\">"
	    "Vote down</span>");
	has(p, "aria-current=\"true\">best first</a>");
	/* The notice beside comment 2, not at the top. */
	has(p, "<li class=\"comment posted\" id=\"c2\">");
	has(p, "</header>\n<p class=\"notice\">Your vote is counted.</p>");
	has(p, "aria-live=\"polite\"></div>");
	/* The report form under 2, filled in as sent, the fault marked. */
	has(p, "action=\"/c/articles/7/comments/2/report#report-2\" "
	    "id=\"report-2\">\n<p class=\"form-error\" role=\"alert\" "
	    "id=\"p-error\">Say &lt;what&gt;.</p>");
	has(p, "value=\"abuse\" required checked>");
	has(p, "value=\"&lt;b&gt;rude&lt;/b&gt;\" aria-invalid=\"true\" "
	    "aria-describedby=\"p-error\">");
	/* The comment form is not the one refilled. */
	hasnt(p, "id=\"f-error\"");

	memset(&ps, 0, sizeof(ps));
	fv.body = "*hi*";
	ps.form = &fv;
	ps.preview = "<p><em>hi</em></p>";
	p = article_page(&ps, 0);
	has(p, "*hi*</textarea></p>\n<section class=\"preview\" "
	    "aria-labelledby=\"f-preview-h\"><h4 id=\"f-preview-h\">Preview: "
	    "this is how it will look</h4><div class=\"body\"><p><em>hi</em>"
	    "</p></div></section>");
}

/* [site] timezone: the text in the zone, datetime in UTC. */
static void
times(void **state)
{
	static const struct {
		const char	*zone;
		long long	 t;
		const char	*want;
	} cases[] = {
		{ "", 1785592800, "<time datetime=\"2026-08-01T14:00:00Z\">"
		    "1 Aug 2026, 14:00 UTC</time>" },
		{ "Europe/Berlin", 1785592800, "<time datetime=\"2026-08-01T"
		    "14:00:00Z\">1 Aug 2026, 16:00 CEST</time>" },
		{ "Europe/Berlin", 1798812000, "<time datetime=\"2027-01-01T"
		    "14:00:00Z\">1 Jan 2027, 15:00 CET</time>" },
		{ "America/New_York", 1798812000, "<time datetime=\"2027-01-01"
		    "T14:00:00Z\">1 Jan 2027, 09:00 EST</time>" },
		{ "UTC", 0, "<time datetime=\"1970-01-01T00:00:00Z\">1 Jan "
		    "1970, 00:00 UTC</time>" },
		/* Out of range: nothing, rather than a wrong date. */
		{ "", 400000000000LL, "" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		zone_set(cases[i].zone);
		buf_reset(&B);
		view_time(&B, cases[i].t);
		assert_string_equal(buf_str(&B), cases[i].want);
	}
	zone_set("");
}

static void
moderator_pages(void **state)
{
	static const struct view_mod m = { 3, "boss <b>", 1, "CSRF\"" };
	struct ban	 bans[1];
	struct view	 v = V;
	const char	*p;

	(void)state;
	v.mod = &m;
	memset(bans, 0, sizeof(bans));
	bans[0].id = 9;
	bans[0].kind = "email";
	bans[0].value = "<x>@example.org";
	bans[0].reason = "spam";
	bans[0].created = 1700000000;
	bans[0].by = "boss";
	buf_reset(&B);
	view_mod_bans(&v, &B, bans, 1, NULL, "Bad & wrong");
	p = buf_str(&B);
	has(p, "Logged in as <strong>boss &lt;b&gt;</strong> (admin)");
	has(p, "name=\"csrf\" value=\"CSRF&quot;\"");
	has(p, "<code>&lt;x&gt;@example.org</code>");
	has(p, "action=\"/c/mod/bans/9/delete\"");
	has(p, "Bad &amp; wrong");
	buf_reset(&B);
	view_error(&v, &B, "Not Found", "Nothing <here>.");
	p = buf_str(&B);
	has(p, "<h1>Not Found</h1>");
	has(p, "Nothing &lt;here&gt;.");
}

/* What was just done, as the page tells it; asking first; a ban form;
 * the queue's card; the audit log's CSV. */
static void
desk_pages(void **state)
{
	static const struct view_mod m = { 3, "boss", 1, "CSRF" };
	static const struct view_mod mm = { 4, "mona", 0, "CSRF" };
	struct audit_entry	 ar[3];
	struct mod_notice	 nt;
	struct mod_confirm	 c;
	struct queue_item	 it;
	struct mod_queue	 mq;
	struct mod_ban_comment	 bf;
	long long		 counts[CS__MAX] = { 1, 0, 0, 0 };
	const char		*names[] = { "id", "action" };
	const char		*values[] = { "5", "delete\"" };
	const char		*items[] = { "Comment <5>" };
	struct view		 v = V;
	const char		*p;

	(void)state;
	v.mod = &m;
	memset(ar, 0, sizeof(ar));
	memset(&nt, 0, sizeof(nt));
	ar[0].id = ar[0].batch = 40;
	ar[0].action = "ban";
	ar[0].target = "ban:4";
	ar[0].after = "email:<x>@example.org; no end; reason: (none given)";
	ar[1].id = 41;
	ar[1].batch = 40;
	ar[1].action = "spam";
	ar[1].target = "comment:9";
	nt.v = ar;
	nt.n = 2;
	nt.undo = 1;
	nt.back = "/mod/?status=pending&q=a\"b";
	v.notice = &nt;
	buf_reset(&B);
	view_mod_bans(&v, &B, NULL, 0, NULL, NULL);
	p = buf_str(&B);
	has(p, "<div class=\"mod-notice\" role=\"status\" id=\"mod-notice\">\n"
	    "<p>Banned <a href=\"/c/mod/bans#ban-4\">ban:4</a>: email:&lt;x&gt;"
	    "@example.org; no end; reason: (none given). Marked <a "
	    "href=\"/c/mod/comments/9\">comment:9</a> as spam.</p>");
	has(p, "action=\"/c/mod/undo\">\n<input type=\"hidden\" "
	    "name=\"batch\" value=\"40\">");
	has(p, "name=\"back\" value=\"/mod/?status=pending&amp;q=a&quot;b\"");
	/* Many of one kind are counted; an undo is not undone in turn. */
	ar[0].action = ar[1].action = ar[2].action = "approve";
	ar[2].target = "comment:10";
	nt.n = 3;
	nt.undo = 0;
	buf_reset(&B);
	view_mod_bans(&v, &B, NULL, 0, NULL, NULL);
	p = buf_str(&B);
	has(p, "<p>Approved 3 comments.</p>");
	assert_null(strstr(p, "mod-undo"));
	ar[0].action = "undo";
	ar[0].target = "comment:9";
	ar[0].after = "pending";
	nt.n = 1;
	buf_reset(&B);
	view_mod_bans(&v, &B, NULL, 0, NULL, NULL);
	has(buf_str(&B), "<p>Undone: <a href=\"/c/mod/comments/9\">comment:9"
	    "</a> is pending again.</p>");
	/* Accounts link for admins only. */
	ar[0].action = "user-add";
	ar[0].target = "user:a b";
	buf_reset(&B);
	view_mod_bans(&v, &B, NULL, 0, NULL, NULL);
	has(buf_str(&B), "Added the account <a href=\"/c/mod/users#user-a%20b\">"
	    "user:a b</a>.");
	v.mod = &mm;
	buf_reset(&B);
	view_mod_bans(&v, &B, NULL, 0, NULL, NULL);
	has(buf_str(&B), "Added the account user:a b.");
	nt.n = 0;
	nt.unchanged = 1;
	buf_reset(&B);
	view_mod_bans(&v, &B, NULL, 0, NULL, NULL);
	has(buf_str(&B), "<p>Nothing changed: it was that way already.</p>");
	v.notice = NULL;
	v.mod = &m;

	memset(&c, 0, sizeof(c));
	c.title = "Delete 1 comment?";
	c.question = "Gone <for> good?";
	c.action = "/mod/comments/bulk";
	c.yes = "Yes";
	c.cancel = "/mod/?q=\"";
	c.names = names;
	c.values = values;
	c.nfields = 2;
	c.items = items;
	c.nitems = 1;
	buf_reset(&B);
	view_mod_confirm(&v, &B, &c);
	p = buf_str(&B);
	has(p, "<p id=\"mod-ask-q\">Gone &lt;for&gt; good?</p>");
	has(p, "<li>Comment &lt;5&gt;</li>");
	has(p, "<input type=\"hidden\" name=\"action\" value=\"delete&quot;\">");
	has(p, "name=\"confirm\" value=\"yes\" class=\"mod-danger\">Yes</button>");
	has(p, "<a href=\"/c/mod/?q=&quot;\">No, go back</a>");

	/* The card: the score once, reasons below it, the parent as HTML. */
	fill();
	memset(&it, 0, sizeof(it));
	it.c = rows[2];
	it.c.score = 0.9;
	it.c.reasons = "0.60 no <token>\n0.90 blocked word\nfree text";
	it.c.email = "a@example.org";
	it.article_title = "T <i>";
	it.parent_author = "P";
	it.parent_html = "<p>parent <em>html</em></p>";
	it.parent_status = CS_PENDING;
	it.context = "/articles/7?after=41#c3";
	memset(&mq, 0, sizeof(mq));
	mq.status = CS_PENDING;
	mq.counts = counts;
	mq.v = &it;
	mq.n = 1;
	mq.select_all = 1;
	buf_reset(&B);
	view_mod_queue(&v, &B, &mq);
	p = buf_str(&B);
	has(p, "<span class=\"mod-score\">0.90</span>");
	assert_null(strstr(strstr(p, "mod-score") + 30, "0.90"));
	has(p, "<li>no &lt;token&gt; <span class=\"mod-reason-score\">(0.60)"
	    "</span></li>\n<li>blocked word</li>\n<li>free text</li>");
	has(p, "In reply to <strong>P</strong> (pending):</p>");
	has(p, "<p>parent <em>html</em></p></blockquote>");
	has(p, "href=\"/c/articles/7?after=41#c3\">View in context</a>");
	has(p, "id=\"sel-3\" checked>");
	has(p, "data-all=\"1\">Select none</a>");
	has(p, "<option value=\"\" selected>Choose an action");
	assert_null(strstr(p, "<option value=\"approve\" selected"));
	has(p, "href=\"/c/mod/comments/3/ban?kind=email&amp;back=%2Fmod%2F%3F"
	    "status%3Dpending\">Ban e-mail");

	memset(&bf, 0, sizeof(bf));
	bf.it = &it;
	bf.kind = "addr_hash";
	bf.value = "\"><b>";
	bf.days = "";
	bf.reason = "r\"";
	bf.then = "keep";
	bf.back = "/mod/";
	bf.key_days = 30;
	buf_reset(&B);
	view_mod_ban_comment(&v, &B, &bf);
	p = buf_str(&B);
	has(p, "<code>&quot;&gt;&lt;b&gt;</code>");
	has(p, "ends after 60 days at most");
	has(p, "<option value=\"\" selected>No end</option>");
	has(p, "value=\"r&quot;\"");
	has(p, "id=\"then-keep\" value=\"keep\" checked>");

	/* CSV: quoted, quotes doubled, formulas defused, NULL empty. */
	memset(ar, 0, sizeof(ar));
	ar[0].id = 7;
	ar[0].at = 1700000000;
	ar[0].actor = "a,b";
	ar[0].action = "edit";
	ar[0].target = "comment:1";
	ar[0].before = "=SUM(A1)\n\"x\"";
	ar[0].after = "@cmd";
	buf_reset(&B);
	view_mod_audit_csv(&B, ar, 1, 1);
	assert_string_equal(buf_str(&B), "id,time,actor,action,target,before,"
	    "after,address_hash\r\n7,2023-11-14T22:13:20Z,\"a,b\",\"edit\","
	    "\"comment:1\",\"'=SUM(A1)\n\"\"x\"\"\",\"'@cmd\",\r\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(thread_shape, teardown),
		cmocka_unit_test_teardown(refilled_form, teardown),
		cmocka_unit_test_teardown(reply_form_and_notice, teardown),
		cmocka_unit_test_teardown(fragment, teardown),
		cmocka_unit_test_teardown(readers, teardown),
		cmocka_unit_test_teardown(times, teardown),
		cmocka_unit_test_teardown(moderator_pages, teardown),
		cmocka_unit_test_teardown(desk_pages, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
