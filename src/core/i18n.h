/* i18n.h: the message catalog (GNU gettext in glibc) and the site's language */
#ifndef PALAVER_I18N_H
#define PALAVER_I18N_H

#include <libintl.h>
#include <stddef.h>
#include <time.h>

/*
 * Every string a reader or a moderator sees is written through one of
 * these, and xgettext finds them by these names (Makefile: po/palaver.pot):
 *
 *   _("Reply")                      translated where it is used
 *   N_("Reply")                     only marked: a table's row, translated
 *                                   later with _(row.msg)
 *   NG_("%ld comment", "%ld comments", n)      by the language's plural
 *   C_("verb", "Post")              a msgid with a context, for the same
 *                                   English word with two meanings
 *   NN_("%zu ban", "%zu bans")      a plural in a table (two fields)
 *
 * Translations are text, never markup: write them with html_text (or a
 * format helper), so a translator's "&" or "<" is escaped like any other.
 * The language is the site's, one per process, chosen at start-up
 * (i18n_init) before any thread starts; gettext only reads after that.
 */
#define I18N_DOMAIN	"palaver"
#define _(s)		dgettext(I18N_DOMAIN, s)
#define N_(s)		(s)
#define NG_(s, p, n)	dngettext(I18N_DOMAIN, s, p, (unsigned long)(n))
#define C_(ctx, s)	i18n_pgettext(ctx "\004" s, s)
/* A table's singular and plural, marked: two initialisers, translated
 * later with dngettext(I18N_DOMAIN, row.one, row.many, n). */
#define NN_(s, p)	s, p

/* The languages palaver has catalogs for, and each one's locale. */
struct i18n_lang {
	const char	*code;		/* [site] language: "de" */
	const char	*locale;	/* glibc's: "de_DE.UTF-8" */
	const char	*name;		/* in its own words: "Deutsch" */
};

/* The table of languages, n rows; the first is English (no catalog). */
const struct i18n_lang	*i18n_langs(size_t *n);

/* The row for a [site] language value, or NULL for one palaver lacks. */
const struct i18n_lang	*i18n_find(const char *code);

/* The codes palaver has, for messages: "en, de". */
const char		*i18n_list(void);

/*
 * Chooses the language for this process: its locale's LC_MESSAGES (for
 * gettext) and its month names and digit grouping.  Call it once, before
 * any thread starts.  localedir NULL: the one palaver was built with.
 * Returns 0, or -1 with err saying what to fix: a language palaver has no
 * catalog for, a locale the system has not generated (and the commands
 * that generate it), a catalog file that is missing or not this
 * language's.  On error the language stays English.
 */
int		 i18n_init(const char *code, const char *localedir, char *err,
		    size_t errsz);

/* The language in use ("en" before i18n_init) and the catalog folder. */
const char	*i18n_code(void);
const char	*i18n_localedir(void);

/* pgettext: key is context "\004" msgid; msgid when not translated. */
const char	*i18n_pgettext(const char *key, const char *msgid)
		    __attribute__((format_arg(2)));

/*
 * v with the language's digit grouping ("12,345"; "12.345" in German),
 * into dst of n bytes (32 are always enough).  Returns dst.
 */
char		*i18n_num(char *dst, size_t n, long long v);

/* v with `digits` decimals and the language's decimal sign: 0,85. */
char		*i18n_real(char *dst, size_t n, double v, int digits);

/*
 * A word stored as a key (a ban's kind, an audit action, a delivery's
 * state) and its label, marked with N_().  i18n_label: the label of key
 * among the n of w, in the language; key itself when it is not there
 * ("" for NULL).
 */
struct i18n_word {
	const char	*key, *label;
};
const char	*i18n_label(const struct i18n_word *w, size_t n,
		    const char *key);

/* The months, space-separated, abbreviated ("Jan Feb ... Dec") or not. */
const char	*i18n_months_line(int abbr);

/* Month mon (0-11) of the language, full or abbreviated ("Nov"). */
const char	*i18n_month(int mon, int abbr);

/*
 * A date and time as the language writes them (the pattern is in the
 * catalog: "{d} {mon} {y}, {hh}:{mm} {zone}"; "{d}. {month} {y}, ..." in
 * German), into dst of n bytes (128 are always enough).  Returns dst,
 * or "" when tm does not fit.
 */
char		*i18n_datetime(char *dst, size_t n, const struct tm *tm);

/* The same without the time: "30 November 2026". */
char		*i18n_date(char *dst, size_t n, const struct tm *tm);

#endif
