/* test_mail.c: RFC 5322 messages, signed links, webhook signatures, Atom
 * feeds and the [mail] and [webhooks] keys: rows of inputs and what they
 * must give, failures included */
#define _GNU_SOURCE	/* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "auth/auth.h"
#include "auth/links.h"
#include "render/feed.h"
#include "render/mailmsg.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* --- messages --------------------------------------------------------------- */

static struct mail_msg
msg(const char *from, const char *to, const char *subject, const char *text)
{
	struct mail_msg	 m;

	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = to;
	m.subject = subject;
	m.message_id = "<abc@example.org>";
	m.date = 1764500000;
	m.boundary = "palaver-boundary1";
	m.text = text;
	m.html = "<p>hi</p>";
	return m;
}

/* Every line ends CRLF, none longer than 78 but an unfoldable URL. */
static void
assert_lines(const char *s)
{
	const char	*p = s, *e;

	while (*p != '\0') {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_null(memchr(p, '\n', (size_t)(e - p)));
		assert_null(memchr(p, '\r', (size_t)(e - p)));
		if (memmem(p, (size_t)(e - p), "://", 3) == NULL)
			assert_true(e - p <= 78);
		p = e + 2;
	}
}

/* The header block: each line a header or a continuation. */
static void
assert_headers(const char *s, const char *const *names, size_t n)
{
	const char	*p = s, *e;
	size_t		 i;

	for (; (e = strstr(p, "\r\n")) != p; p = e + 2) {
		if (*p == ' ')
			continue;
		for (i = 0; i < n; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0 &&
			    p[strlen(names[i])] == ':')
				break;
		if (i == n)
			fail_msg("unexpected header line: %.*s", (int)(e - p), p);
	}
}

static const char *const hnames[] = { "From", "To", "Subject", "Date",
    "Message-ID", "MIME-Version", "Auto-Submitted", "X-Auto-Response-Suppress",
    "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Type" };

static void
test_msg_plain(void **state)
{
	struct buf	 b = BUF_INIT;
	struct mail_msg	 m = msg("Palaver <noreply@example.org>",
	    "ann@example.org", "A plain subject", "Hello\nworld\n");

	(void)state;
	assert_int_equal(mailmsg_write(&b, &m), 0);
	assert_non_null(strstr(b.p, "From: \"Palaver\"\r\n <noreply@example.org>\r\n"));
	assert_non_null(strstr(b.p, "To: <ann@example.org>\r\n"));
	assert_non_null(strstr(b.p, "Subject: A plain subject\r\n"));
	assert_non_null(strstr(b.p, "Date: Sun, 30 Nov 2025 10:53:20 +0000\r\n"));
	assert_non_null(strstr(b.p, "Auto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(b.p, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"palaver-boundary1\"\r\n"));
	assert_null(strstr(b.p, "List-Unsubscribe"));
	assert_non_null(strstr(b.p, "\r\n\r\nHello\r\nworld\r\n"));
	assert_non_null(strstr(b.p, "--palaver-boundary1--\r\n"));
	assert_lines(b.p);
	assert_headers(b.p, hnames, NITEMS(hnames));
	buf_free(&b);
}

/* Header text that is not plain ASCII, or that tries to start a header,
 * goes in encoded words. */
static const struct {
	const char	*subject;
	const char	*want;	/* in the message */
} subj_rows[] = {
	{ "Caf\xc3\xa9", "Subject: =?UTF-8?Q?Caf=C3=A9?=\r\n" },
	{ "a_b=c?d", "Subject: a_b=c?d\r\n" },
	{ "two words \xe2\x80\x94", "Subject: =?UTF-8?Q?two_words_=E2=80=94?=" },
	{ "x\r\nBcc: eve@example.org", "Subject: =?UTF-8?Q?x__Bcc=3A_eve=40" },
	{ "x\nTo: eve@example.org", "Subject: =?UTF-8?Q?x_To=3A_eve=40" },
	{ "bad \xff byte", "=EF=BF=BD" },
};

static void
test_msg_subjects(void **state)
{
	struct buf	 b = BUF_INIT;
	struct mail_msg	 m;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(subj_rows); i++) {
		buf_reset(&b);
		m = msg("noreply@example.org", "a@example.org",
		    subj_rows[i].subject, "t");
		assert_int_equal(mailmsg_write(&b, &m), 0);
		if (strstr(b.p, subj_rows[i].want) == NULL)
			fail_msg("row %zu: %s", i, b.p);
		assert_null(strstr(b.p, "\r\nBcc:"));
		assert_null(strstr(b.p, "\r\nTo: eve"));
		assert_lines(b.p);
		assert_headers(b.p, hnames, NITEMS(hnames));
	}
	buf_free(&b);
}

/* A long subject of many characters is folded into words of at most 75,
 * never inside a character. */
static void
test_msg_long_subject(void **state)
{
	struct buf	 b = BUF_INIT, s = BUF_INIT;
	struct mail_msg	 m;
	const char	*p, *e;
	int		 i;

	(void)state;
	for (i = 0; i < 60; i++)
		buf_puts(&s, "\xc3\xbc w\xc3\xb6rd ");
	m = msg("noreply@example.org", "a@example.org", s.p, "t");
	assert_int_equal(mailmsg_write(&b, &m), 0);
	assert_lines(b.p);
	for (p = strstr(b.p, "=?UTF-8?Q?"); p != NULL;
	    p = strstr(e, "=?UTF-8?Q?")) {
		e = strstr(p, "?=");
		assert_non_null(e);
		e += 2;
		assert_true(e - p <= 75);
		/* A character's bytes stay in one word: no word ends
		 * after a lead byte. */
		assert_false(e - p >= 5 && strncmp(e - 5, "=C3?=", 5) == 0);
	}
	buf_free(&b);
	buf_free(&s);
}

static const struct {
	const char	*text;
	const char	*want;
} qp_rows[] = {
	{ "a=b", "a=3Db\r\n" },
	{ "caf\xc3\xa9", "caf=C3=A9\r\n" },
	{ "trailing \n", "trailing=20\r\n" },
	{ ".\nalone", "=2E\r\nalone\r\n" },
	{ "From me", "=46rom me\r\n" },
	{ "tab\tin", "tab\tin\r\n" },
	{ "\x01", "=01\r\n" },
};

static void
test_msg_qp(void **state)
{
	struct buf	 b = BUF_INIT, s = BUF_INIT;
	struct mail_msg	 m;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(qp_rows); i++) {
		buf_reset(&b);
		m = msg("noreply@example.org", "a@example.org", "s",
		    qp_rows[i].text);
		assert_int_equal(mailmsg_write(&b, &m), 0);
		if (strstr(b.p, qp_rows[i].want) == NULL)
			fail_msg("row %zu: %s", i, b.p);
	}
	/* A long line gets soft breaks, none longer than 76. */
	for (i = 0; i < 300; i++)
		buf_putc(&s, (char)('a' + i % 26));
	buf_reset(&b);
	m = msg("noreply@example.org", "a@example.org", "s", s.p);
	assert_int_equal(mailmsg_write(&b, &m), 0);
	assert_non_null(strstr(b.p, "=\r\n"));
	assert_lines(b.p);
	buf_free(&b);
	buf_free(&s);
}

static void
test_msg_refused(void **state)
{
	static const struct {
		const char *from, *to, *boundary;
	} rows[] = {
		{ "noreply", "a@example.org", "palaver-x1234567" },
		{ "noreply@example.org", "a@example.org\r\nBcc: e@x.org",
		    "palaver-x1234567" },
		{ "n@example.org\r\nBcc: e@x.org", "a@example.org",
		    "palaver-x1234567" },
		{ "noreply@example.org", "\xc3\xa4@example.org",
		    "palaver-x1234567" },
		{ "noreply@example.org", "a b@example.org",
		    "palaver-x1234567" },
		{ "noreply@example.org", "a@example.org", "short" },
		{ "noreply@example.org", "a@example.org", "has space 123" },
	};
	struct buf	 b = BUF_INIT;
	struct mail_msg	 m;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		buf_reset(&b);
		m = msg(rows[i].from, rows[i].to, "s", "t");
		m.boundary = rows[i].boundary;
		if (mailmsg_write(&b, &m) != -1)
			fail_msg("row %zu accepted", i);
	}
	buf_free(&b);
}

static void
test_msg_unsubscribe(void **state)
{
	struct buf	 b = BUF_INIT, lf = BUF_INIT;
	struct mail_msg	 m = msg("\"Q\xc3\xbc\" <n@example.org>",
	    "a@example.org", "s", "t");

	(void)state;
	m.unsubscribe = "https://example.org/mail/unsubscribe?t=u.1.2.0.0.x";
	assert_int_equal(mailmsg_write(&b, &m), 0);
	assert_non_null(strstr(b.p, "List-Unsubscribe: <https://example.org/"
	    "mail/unsubscribe?t=u.1.2.0.0.x>\r\nList-Unsubscribe-Post: "
	    "List-Unsubscribe=One-Click\r\n"));
	assert_non_null(strstr(b.p, "From: =?UTF-8?Q?Q=C3=BC?=\r\n "
	    "<n@example.org>\r\n"));
	mailmsg_crlf_to_lf(&lf, b.p);
	assert_null(strchr(lf.p, '\r'));
	assert_int_equal(lf.len + (size_t)(b.len - lf.len), b.len);
	buf_free(&b);
	buf_free(&lf);
}

static void
test_addr(void **state)
{
	struct arena	 a = { NULL, 0 };

	(void)state;
	assert_string_equal(mailmsg_addr(&a, "Name <x@y.org>"), "x@y.org");
	assert_string_equal(mailmsg_addr(&a, "x@y.org"), "x@y.org");
	assert_true(mailmsg_ascii_addr("a.b+c@d-e.org"));
	assert_false(mailmsg_ascii_addr("a@b@c"));
	assert_false(mailmsg_ascii_addr("@b.org"));
	assert_false(mailmsg_ascii_addr("a@"));
	assert_false(mailmsg_ascii_addr("a<b@c.org"));
	assert_false(mailmsg_ascii_addr("\xc3\xa4@b.org"));
	arena_free(&a);
}

/* --- signed links ------------------------------------------------------------- */

static const unsigned char K[AUTH_SECRET_LEN] = "0123456789abcdef0123456789abcde";

static void
test_links(void **state)
{
	struct link	 l = { LINK_MOD, 3, 45, 1, 2000000000 }, p;
	char		 tok[AUTH_LINK_MAX], bad[AUTH_LINK_MAX];
	size_t		 n;

	(void)state;
	auth_link_make(K, &l, "mo@example.org", tok);
	n = strlen(tok);
	assert_true(auth_link_parse(tok, n, &p));
	assert_int_equal(p.kind, LINK_MOD);
	assert_int_equal(p.a, 3);
	assert_int_equal(p.b, 45);
	assert_int_equal(p.c, 1);
	assert_int_equal(p.expires, 2000000000);
	assert_true(auth_link_check(K, tok, n, "mo@example.org", 1900000000));
	/* Expired, bound elsewhere, another key. */
	assert_false(auth_link_check(K, tok, n, "mo@example.org", 2000000001));
	assert_false(auth_link_check(K, tok, n, "eve@example.org", 1900000000));
	assert_false(auth_link_check((const unsigned char *)
	    "another key another key another", tok, n, "mo@example.org", 1));
	/* Any change to any part. */
	for (size_t i = 0; i < n; i++) {
		memcpy(bad, tok, n + 1);
		bad[i] = bad[i] == '1' ? '2' : '1';
		assert_false(auth_link_check(K, bad, n, "mo@example.org", 1));
	}
	assert_false(auth_link_check(K, tok, n - 1, "mo@example.org", 1));
	/* Never expiring: 0. */
	l.kind = LINK_UNSUB;
	l.expires = 0;
	auth_link_make(K, &l, "x@example.org", tok);
	assert_true(auth_link_check(K, tok, strlen(tok), "x@example.org",
	    4000000000LL));
}

static void
test_link_parse_bad(void **state)
{
	static const char *const rows[] = { "", "m", "m.", "x.1.2.3.4.mac",
	    "m.1.2.3.mac", "m.01.2.3.4.mac", "m.1.2.3.4", "m.-1.2.3.4.mac",
	    "m.1.2.3.1234567890123456.mac", "m.1 .2.3.4.mac" };
	struct link	 l;
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++)
		if (auth_link_parse(rows[i], strlen(rows[i]), &l))
			fail_msg("row %zu parsed: %s", i, rows[i]);
	assert_true(auth_link_parse("c.0.0.0.0.x", 11, &l));
}

/* RFC 4231, test case 2. */
static void
test_hmac(void **state)
{
	char	 hex[65];

	(void)state;
	auth_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28,
	    hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f08"
	    "9d2739839dec58b964ec3843");
}

/* --- feeds ------------------------------------------------------------------ */

static void
test_feed(void **state)
{
	struct feed_entry	 e[2];
	struct feed_info	 fi = { "Comments on <A&B>",
				    "https://x.org/feed", "https://x.org/",
				    "https://x.org", 0 };
	struct buf		 b = BUF_INIT;

	(void)state;
	memset(e, 0, sizeof(e));
	e[0].c.id = 7;
	e[0].c.article = 2;
	e[0].c.author = "Eve \"<script>\"";
	e[0].c.html = "<p>a &amp; b\x01</p>";
	e[0].c.website = "javascript:alert(1)";
	e[0].c.created = 1764500000;
	e[0].title = "T\xff";
	e[1].c.id = 8;
	e[1].c.article = 2;
	e[1].c.author = "Ann";
	e[1].c.html = "";
	e[1].c.website = "https://ann.example/";
	e[1].c.created = 1764400000;
	e[1].c.edited = 1764600000;
	e[1].title = "T";
	feed_write(&b, &fi, e, 2);
	assert_false(b.err);
	assert_non_null(strstr(b.p, "<title>Comments on &lt;A&amp;B&gt;</title>"));
	assert_non_null(strstr(b.p, "<updated>2025-12-01T14:40:00Z</updated>\n"
	    "<generator>"));
	assert_non_null(strstr(b.p, "<name>Eve &quot;&lt;script&gt;&quot;</name></author>"));
	assert_null(strstr(b.p, "javascript"));
	assert_non_null(strstr(b.p, "<uri>https://ann.example/</uri>"));
	assert_non_null(strstr(b.p, "<content type=\"html\">&lt;p&gt;a &amp;amp; b &lt;/p&gt;</content>"));
	assert_non_null(strstr(b.p, "<id>https://x.org/c/7</id>"));
	assert_non_null(strstr(b.p, "T\xef\xbf\xbd"));
	buf_free(&b);
}

/* --- configuration ---------------------------------------------------------- */

static const struct {
	const char	*text;
	int		 ok;
	const char	*err;
} conf_rows[] = {
	{ "", 1, NULL },
	{ "[mail]\ntransport = smtp://mail.example.org:587\nfrom = a@b.org\n"
	    "[site]\nbase_url = https://c.example.org\n", 1, NULL },
	{ "[mail]\ntransport = smtps://mail.example.org\nfrom = A <a@b.org>\n"
	    "[site]\nbase_url = https://c.example.org\n", 1, NULL },
	{ "[mail]\ntransport = sendmail\nfrom = a@b.org\n"
	    "[site]\nbase_url = https://c.example.org\n", 1, NULL },
	{ "[mail]\ntransport = smtp://mail.example.org\nfrom = a@b.org\n",
	    0, "base_url" },
	{ "[mail]\ntransport = smtp://mail.example.org\n[site]\nbase_url = "
	    "https://c.example.org\n", 0, "from" },
	{ "[mail]\ntransport = http://mail.example.org\n", 0, "transport" },
	{ "[mail]\ntransport = smtp://user:pw@mail.example.org\n", 0,
	    "transport" },
	{ "[mail]\ntransport = smtp://\n", 0, "transport" },
	{ "[mail]\nstarttls = maybe\n", 0, "starttls" },
	{ "[mail]\nhourly_cap = 0\n", 0, "hourly_cap" },
	{ "[mail]\npassword = x\npassword_file = /y\n", 0, "both" },
	{ "[webhooks]\nurls = https://h.example/a http://i.example:8080/b\n"
	    "secret = s\n", 1, NULL },
	{ "[webhooks]\nurls = https://h.example/a\n", 0, "secret" },
	{ "[webhooks]\nurls = ftp://h.example/\nsecret = s\n", 0, "urls" },
	{ "[webhooks]\nevents = published spam\n", 0, "events" },
	{ "[webhooks]\nevents = held\n", 1, NULL },
};

static void
test_config(void **state)
{
	struct config	 cfg;
	char		 err[512];
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < NITEMS(conf_rows); i++) {
		err[0] = '\0';
		rc = config_parse(&cfg, conf_rows[i].text, err, sizeof(err));
		if ((rc == 0) != conf_rows[i].ok)
			fail_msg("row %zu: %d %s", i, rc, err);
		if (!conf_rows[i].ok && strstr(err, conf_rows[i].err) == NULL)
			fail_msg("row %zu: %s", i, err);
		config_free(&cfg);
	}
	config_parse(&cfg, "", err, sizeof(err));
	assert_string_equal(cfg.mail_starttls, "required");
	assert_string_equal(cfg.mail_sendmail, "/usr/sbin/sendmail");
	assert_string_equal(cfg.hook_events, "published held deleted reported");
	assert_int_equal(cfg.mail_hourly_cap, 20);
	config_free(&cfg);
}

static void
test_password_file(void **state)
{
	struct config	 cfg;
	char		 err[512], path[] = "/tmp/palaver-pw-XXXXXX";
	int		 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, "s3cret\nnot this\n", 16), 16);
	close(fd);
	assert_int_equal(config_parse(&cfg, "", err, sizeof(err)), 0);
	free(cfg.mail_password_file);
	cfg.mail_password_file = strdup(path);
	assert_int_equal(config_mail_password(&cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.mail_password, "s3cret");
	unlink(path);
	assert_int_equal(config_mail_password(&cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "password_file"));
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_plain),
		cmocka_unit_test(test_msg_subjects),
		cmocka_unit_test(test_msg_long_subject),
		cmocka_unit_test(test_msg_qp),
		cmocka_unit_test(test_msg_refused),
		cmocka_unit_test(test_msg_unsubscribe),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_link_parse_bad),
		cmocka_unit_test(test_hmac),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_password_file),
	};

	if (auth_init() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
