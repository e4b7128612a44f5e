/* test_i18n.c: the site's language: choosing it (and refusing what cannot
 * be shown), digits and dates as the language writes them, and the mail
 * and the pages mail leads to, rendered in English and in German, share
 * no sentence beyond what the reader wrote */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "model/model.h"
#include "render/html.h"
#include "render/mailbody.h"
#include "render/views.h"
#include "render/views_mail.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static void
lang(const char *code)
{
	char	 err[512];

	if (i18n_init(code, NULL, err, sizeof(err)) != 0)
		fail_msg("i18n_init(%s): %s", code, err);
}

/* --- choosing the language ----------------------------------------------- */

static void
test_init_refusals(void **state)
{
	static const struct {
		const char	*code, *dir, *want;
	} rows[] = {
		{ "xx", NULL, "'xx' is not a language palaver has (en, de" },
		{ "", NULL, "is not a language" },
		{ "DE", NULL, "is not a language" },
		{ "de", "/nonexistent", "no catalog for it: /nonexistent/de/"
		    "LC_MESSAGES/palaver.mo is missing" },
	};
	char	 err[512];
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		err[0] = '\0';
		assert_int_equal(i18n_init(rows[i].code, rows[i].dir, err,
		    sizeof(err)), -1);
		if (strstr(err, rows[i].want) == NULL)
			fail_msg("%s: %s", rows[i].code, err);
		/* On error the language stays English. */
		assert_string_equal(i18n_code(), "en");
		assert_string_equal(_("Reply"), "Reply");
	}
	lang("de");
	assert_string_equal(i18n_code(), "de");
	assert_string_equal(_("Reply"), "Antworten");
	assert_string_equal(C_("role", "moderator"), "Moderator");
	assert_string_equal(NG_("%s comment", "%s comments", 1), "%s Kommentar");
	assert_string_equal(NG_("%s comment", "%s comments", 2),
	    "%s Kommentare");
	lang("en");
	assert_string_equal(_("Reply"), "Reply");
	assert_string_equal(C_("role", "moderator"), "moderator");
}

/* --- digits and dates ---------------------------------------------------- */

static void
test_numbers(void **state)
{
	static const struct {
		const char	*lang;
		long long	 v;
		const char	*want;
	} rows[] = {
		{ "en", 0, "0" }, { "en", 999, "999" }, { "en", 1000, "1,000" },
		{ "en", 1234567, "1,234,567" }, { "en", -12345, "-12,345" },
		{ "de", 999, "999" }, { "de", 1234, "1.234" },
		{ "de", 1234567, "1.234.567" },
		{ "de", -9223372036854775807LL - 1,
		    "-9.223.372.036.854.775.808" },
	};
	char	 s[32];
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		lang(rows[i].lang);
		assert_string_equal(i18n_num(s, sizeof(s), rows[i].v),
		    rows[i].want);
	}
	lang("de");
	assert_string_equal(i18n_real(s, sizeof(s), 0.85, 2), "0,85");
	/* Too small a buffer: cut, still a string. */
	assert_string_equal(i18n_num(s, 4, 1234567), "1.2");
	lang("en");
	assert_string_equal(i18n_real(s, sizeof(s), 0.85, 2), "0.85");
}

static void
test_dates(void **state)
{
	static const struct {
		const char	*lang;
		int		 y, mon, d, h, m;
		const char	*dt, *date;
	} rows[] = {
		{ "en", 2026, 10, 30, 14, 5, "30 Nov 2026, 14:05 UTC",
		    "30 November 2026" },
		{ "de", 2026, 10, 30, 14, 5, "30. November 2026, 14:05 UTC",
		    "30. November 2026" },
		{ "de", 2027, 2, 1, 0, 0, "1. M\xc3\xa4rz 2027, 00:00 UTC",
		    "1. M\xc3\xa4rz 2027" },
	};
	struct tm	 tm;
	char		 s[128];
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		lang(rows[i].lang);
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = rows[i].y - 1900;
		tm.tm_mon = rows[i].mon;
		tm.tm_mday = rows[i].d;
		tm.tm_hour = rows[i].h;
		tm.tm_min = rows[i].m;
		assert_string_equal(i18n_datetime(s, sizeof(s), &tm),
		    rows[i].dt);
		assert_string_equal(i18n_date(s, sizeof(s), &tm),
		    rows[i].date);
	}
	lang("de");
	assert_string_equal(i18n_months_line(1), "Jan Feb M\xc3\xa4r Apr Mai "
	    "Jun Jul Aug Sep Okt Nov Dez");
	assert_string_equal(i18n_months_line(0), "Januar Februar M\xc3\xa4rz "
	    "April Mai Juni Juli August September Oktober November Dezember");
	tm.tm_mon = 12;
	assert_string_equal(i18n_datetime(s, sizeof(s), &tm), "");
	lang("en");
}

/* --- nothing English left in German mail ----------------------------------- */

/* What the test writes: it may stand in both languages. */
static const char *const user_text[] = {
	"Zorkel Bumm", "Gruselbumm Artikel", "Wumms wumms blubb",
	"zorkel@example.org", "palaver",
};

static int
is_user_text(const char *s)
{
	size_t	 i;

	for (i = 0; i < NITEMS(user_text); i++)
		if (strstr(user_text[i], s) != NULL)
			return 1;
	return strstr(s, "://") != NULL;
}

/*
 * Every piece of text in en (split at tags and line ends) with two words
 * or more that is not the test's own must be missing from de: a sentence
 * both languages show is one nobody translated.
 */
static void
no_english_in(const char *what, const char *en, const char *de)
{
	char	*copy, *p, *piece;
	int	 words, inword;
	size_t	 i;

	copy = strdup(en);
	assert_non_null(copy);
	for (p = copy; *p != '\0'; p++)
		if (*p == '<') {
			for (; *p != '\0' && *p != '>'; p++)
				*p = '\n';
			if (*p == '>')
				*p = '\n';
		}
	for (piece = strtok(copy, "\n\r"); piece != NULL;
	    piece = strtok(NULL, "\n\r")) {
		while (isspace((unsigned char)*piece))
			piece++;
		words = inword = 0;
		for (i = 0; piece[i] != '\0'; i++) {
			if (isalpha((unsigned char)piece[i])) {
				if (!inword)
					words++;
				inword = 1;
			} else
				inword = 0;
		}
		if (words < 2 || is_user_text(piece))
			continue;
		if (strstr(de, piece) != NULL)
			fail_msg("%s: \"%s\" is English in German too", what,
			    piece);
	}
	free(copy);
}

static void
mails(struct buf *out)
{
	static const struct mail_reply r = { "Gruselbumm Artikel",
	    "Zorkel Bumm", "Wumms wumms blubb", "<p>Wumms wumms blubb</p>",
	    "https://example.org/c/1", "https://example.org/u" };
	static const struct mail_held h[2] = {
		{ 7, "Gruselbumm Artikel", "Zorkel Bumm", "zorkel@example.org",
		    "Wumms wumms blubb", "<p>Wumms wumms blubb</p>", 0.5,
		    "0.50 hook: 1", "https://example.org/a",
		    "https://example.org/s", "https://example.org/d",
		    "https://example.org/q" },
		{ 8, "Gruselbumm Artikel", "Zorkel Bumm", NULL,
		    "Wumms wumms blubb", "<p>Wumms wumms blubb</p>", 0.25, "",
		    "https://example.org/a", "https://example.org/s",
		    "https://example.org/d", "https://example.org/q" },
	};
	struct mail_parts	 p;
	int			 k;

	for (k = 0; k < 4; k++) {
		memset(&p, 0, sizeof(p));
		if (k == 0)
			mailbody_confirm(&p, "palaver",
			    "https://example.org/c", 7);
		else if (k == 1)
			mailbody_reply(&p, "palaver", &r);
		else
			mailbody_held(&p, "palaver", h, k == 2 ? 1 : 2, k == 3,
			    72);
		buf_printf(out, "%s\n%s\n%s\n", buf_str(&p.subject),
		    buf_str(&p.text), buf_str(&p.html));
		mail_parts_free(&p);
	}
}

static void
mail_pages(struct buf *b)
{
	static const struct view v = { .site = "palaver", .base = "",
	    .max_depth = 6, .form_token = "tok" };
	struct comment		 c;
	struct mail_mod_page	 mp;
	static const char *const acts[] = { "approve", "spam", "delete" };
	enum mail_page		 st;
	size_t			 i;

	for (st = MP_ASK; st <= MP_HANDLED; st++) {
		view_mail_confirm(&v, b, st, "/mail/confirm?t=x",
		    "zorkel@example.org");
		view_mail_unsub(&v, b, st, "/mail/unsubscribe?t=x",
		    "/mail/unsubscribe?t=x&all=1", "Gruselbumm Artikel");
		memset(&c, 0, sizeof(c));
		c.id = 7;
		c.author = "Zorkel Bumm";
		c.html = "<p>Wumms wumms blubb</p>";
		c.reasons = "";
		c.score = 0.5;
		c.status = CS_APPROVED;
		for (i = 0; i < NITEMS(acts); i++) {
			mp.state = st;
			mp.post = "/mail/moderate?t=x";
			mp.action = acts[i];
			mp.who = "Zorkel Bumm";
			mp.c = st == MP_BAD ? NULL : &c;
			mp.title = "Gruselbumm Artikel";
			view_mail_moderate(&v, b, &mp);
		}
	}
}

static void
test_mail_german(void **state)
{
	struct buf	 en = BUF_INIT, de = BUF_INIT;

	(void)state;
	lang("en");
	mails(&en);
	lang("de");
	mails(&de);
	assert_false(en.err || de.err);
	assert_non_null(strstr(buf_str(&de), "Zorkel Bumm hat auf Ihren "
	    "Kommentar zu \xe2\x80\x9eGruselbumm Artikel\xe2\x80\x9c "
	    "geantwortet"));
	assert_non_null(strstr(buf_str(&de), "Der Link gilt 7 Tage."));
	assert_non_null(strstr(buf_str(&de), "<html lang=\"de\">"));
	assert_non_null(strstr(buf_str(&de), "Spam-Wert 0,50"));
	no_english_in("mail", buf_str(&en), buf_str(&de));
	buf_reset(&en);
	buf_reset(&de);
	lang("en");
	mail_pages(&en);
	lang("de");
	mail_pages(&de);
	assert_false(en.err || de.err);
	assert_non_null(strstr(buf_str(&de), "Antworten per E-Mail"));
	no_english_in("the pages mail leads to", buf_str(&en),
	    buf_str(&de));
	lang("en");
	buf_free(&en);
	buf_free(&de);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_refusals),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_mail_german),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
