/* i18n.c: the site's language: gettext's catalog, month names, digits */
#include <langinfo.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

/*
 * Where `make` puts the catalogs (build/locale) or `make install` does
 * ($(PREFIX)/share/locale): the Makefile compiles this file with it.
 */
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/*
 * English is the msgids themselves and needs no locale.  Every other
 * language needs its glibc locale generated (a fresh Debian has only
 * C.UTF-8): LC_MESSAGES picks the catalog, and glibc's gettext ignores a
 * catalog (and $LANGUAGE) while LC_MESSAGES is "C".  conf/dev/deps.sh
 * generates these; README says how in production.
 */
static const struct i18n_lang langs[] = {
	{ "en", "C", "English" },
	{ "de", "de_DE.UTF-8", "Deutsch" },
};

#define NLANGS	(sizeof(langs) / sizeof(langs[0]))

/*
 * The process's language: set once by i18n_init before any thread
 * starts, read only afterwards.  The month names are copied out of the
 * locale so no locale_t lives past start-up.
 */
static const struct i18n_lang	*cur = &langs[0];
static char			 months[2][12][32] = {
	{ "January", "February", "March", "April", "May", "June", "July",
	    "August", "September", "October", "November", "December" },
	{ "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	    "Nov", "Dec" },
};
static char			 months_line[2][12 * 32 + 12] = {
	"January February March April May June July August September "
	    "October November December",
	"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
};
static char			 thousep[8] = ",";
static char			 radix[8] = ".";
static char			 localedir[4096] = LOCALEDIR;
/* Not a literal, so xgettext does not take it for a message. */
static const char		 header_msgid[] = "";

const struct i18n_lang *
i18n_langs(size_t *n)
{
	*n = NLANGS;
	return langs;
}

const struct i18n_lang *
i18n_find(const char *code)
{
	size_t	 i;

	for (i = 0; i < NLANGS; i++)
		if (strcmp(langs[i].code, code) == 0)
			return &langs[i];
	return NULL;
}

const char *
i18n_list(void)
{
	static char	 list[NLANGS * 8];
	size_t		 i, o = 0;

	/* Built once; "en, de, fr" is short enough for the buffer. */
	if (list[0] == '\0')
		for (i = 0; i < NLANGS; i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o,
			    "%s%s", i > 0 ? ", " : "", langs[i].code);
	return list;
}

static void
copy(char *dst, size_t n, const char *s)
{
	if (s == NULL || strlen(s) >= n)
		s = "";
	memcpy(dst, s, strlen(s) + 1);
}

/* Month names and the thousands separator from locale l. */
static void
from_locale(locale_t l, const char *sep)
{
	size_t	 o;
	int	 i, k;

	for (i = 0; i < 12; i++) {
		copy(months[0][i], sizeof(months[0][i]),
		    nl_langinfo_l(MON_1 + i, l));
		copy(months[1][i], sizeof(months[1][i]),
		    nl_langinfo_l(ABMON_1 + i, l));
	}
	copy(thousep, sizeof(thousep), sep != NULL ? sep :
	    nl_langinfo_l(THOUSEP, l));
	copy(radix, sizeof(radix), nl_langinfo_l(RADIXCHAR, l));
	/* 12 names of under 32 bytes and 11 spaces: always fits. */
	for (k = 0; k < 2; k++)
		for (i = 0, o = 0; i < 12; i++)
			o += (size_t)snprintf(months_line[k] + o,
			    sizeof(months_line[k]) - o, "%s%s", i > 0 ? " " :
			    "", months[k][i]);
	if (radix[0] == '\0')
		copy(radix, sizeof(radix), ".");
}

static int
english(void)
{
	locale_t	 l;

	/* "C" always exists; English groups digits with a comma. */
	if ((l = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		return -1;
	from_locale(l, ",");
	freelocale(l);
	cur = &langs[0];
	/* Back from another language (the unit tests switch). */
	setlocale(LC_MESSAGES, "C");
	return 0;
}

int
i18n_init(const char *code, const char *dir, char *err, size_t errsz)
{
	const struct i18n_lang	*lg;
	const char		*hdr;
	char			 want[32];
	locale_t		 l;

	if (dir == NULL)
		dir = LOCALEDIR;
	copy(localedir, sizeof(localedir), dir);
	if (english() == -1) {
		snprintf(err, errsz, "the C locale cannot be loaded");
		return -1;
	}
	if ((lg = i18n_find(code)) == NULL) {
		snprintf(err, errsz, "[site] language: '%s' is not a language "
		    "palaver has (%s)", code, i18n_list());
		return -1;
	}
	if (lg == &langs[0])
		return 0;
	if ((l = newlocale(LC_ALL_MASK, lg->locale, (locale_t)0)) ==
	    (locale_t)0) {
		snprintf(err, errsz, "[site] language = %s needs the locale "
		    "%s, which this system has not generated; as root: "
		    "sed -i 's/^# *%s/%s/' /etc/locale.gen && locale-gen "
		    "(Debian; or: apt-get install locales-all)", lg->code,
		    lg->locale, lg->locale, lg->locale);
		return -1;
	}
	/*
	 * gettext prefers $LANGUAGE over LC_MESSAGES: a LANGUAGE=en left in
	 * a service's environment would make the pages English again.
	 * Before any thread, so the environment is still ours to change.
	 */
	unsetenv("LANGUAGE");
	if (setlocale(LC_MESSAGES, lg->locale) == NULL) {
		freelocale(l);
		snprintf(err, errsz, "[site] language = %s: LC_MESSAGES "
		    "cannot be set to %s", lg->code, lg->locale);
		return -1;
	}
	/* UTF-8 whatever LC_CTYPE (still "C": an ASCII "C" would turn
	 * every umlaut into '?'). */
	if (bindtextdomain(I18N_DOMAIN, localedir) == NULL ||
	    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8") == NULL) {
		freelocale(l);
		setlocale(LC_MESSAGES, "C");
		snprintf(err, errsz, "[site] language = %s: out of memory",
		    lg->code);
		return -1;
	}
	/* The catalog's header (msgid "") names its language: no header,
	 * no catalog, and palaver would silently speak English. */
	hdr = dgettext(I18N_DOMAIN, header_msgid);
	snprintf(want, sizeof(want), "Language: %s\n", lg->code);
	if (hdr == NULL || strstr(hdr, want) == NULL) {
		freelocale(l);
		setlocale(LC_MESSAGES, "C");
		snprintf(err, errsz, "[site] language = %s: no catalog for it: "
		    "%s/%s/LC_MESSAGES/%s.mo is missing or not %s's (make "
		    "builds it into build/locale, make install installs it)",
		    lg->code, localedir, lg->code, I18N_DOMAIN, lg->code);
		return -1;
	}
	from_locale(l, NULL);
	freelocale(l);
	cur = lg;
	return 0;
}

const char *
i18n_code(void)
{
	return cur->code;
}

const char *
i18n_localedir(void)
{
	return localedir;
}

const char *
i18n_pgettext(const char *key, const char *msgid)
{
	const char	*t;

	t = dgettext(I18N_DOMAIN, key);
	return t == key ? msgid : t;
}

char *
i18n_num(char *dst, size_t n, long long v)
{
	char			 digits[24], out[64];
	unsigned long long	 u;
	size_t			 nd, i, o = 0, sl;

	sl = strlen(thousep);
	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	snprintf(digits, sizeof(digits), "%llu", u);
	nd = strlen(digits);
	if (v < 0)
		out[o++] = '-';
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0) {
			memcpy(out + o, thousep, sl);
			o += sl;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
	if (n > 0)
		snprintf(dst, n, "%s", out);
	return dst;
}

const char *
i18n_label(const struct i18n_word *w, size_t n, const char *key)
{
	size_t	 i;

	if (key == NULL)
		return "";
	for (i = 0; i < n; i++)
		if (strcmp(w[i].key, key) == 0)
			return _(w[i].label);
	return key;
}

const char *
i18n_months_line(int abbr)
{
	return months_line[abbr ? 1 : 0];
}

char *
i18n_real(char *dst, size_t n, double v, int digits)
{
	char	 s[64], *dot;

	/* printf's is the C locale's "." (LC_NUMERIC is never changed:
	 * the JSON and the config read numbers with it). */
	snprintf(s, sizeof(s), "%.*f", digits, v);
	if ((dot = strchr(s, '.')) != NULL) {
		*dot = '\0';
		snprintf(dst, n, "%s%s%s", s, radix, dot + 1);
	} else
		snprintf(dst, n, "%s", s);
	return dst;
}

const char *
i18n_month(int mon, int abbr)
{
	if (mon < 0 || mon > 11)
		return "";
	return months[abbr ? 1 : 0][mon];
}

/* pat with {d} {dd} {mon} {month} {y} {hh} {mm} {zone} filled from tm
 * ({zone}: its tm_zone, "UTC" without one). */
static char *
fill(char *dst, size_t n, const char *pat, const struct tm *tm)
{
	size_t		 o = 0, k;
	const char	*p, *v;
	char		 num[16];

	if (n == 0)
		return dst;
	dst[0] = '\0';
	if (tm->tm_year + 1900 < 0 || tm->tm_year + 1900 > 9999 ||
	    tm->tm_mon < 0 || tm->tm_mon > 11)
		return dst;
	for (p = pat; *p != '\0'; p++) {
		v = NULL;
		if (*p == '{') {
			k = strcspn(p + 1, "}");
			if (p[1 + k] != '}')
				k = 0;
#define IS(s)	(k == strlen(s) && strncmp(p + 1, s, k) == 0)
			if (IS("d"))
				snprintf(num, sizeof(num), "%d", tm->tm_mday);
			else if (IS("dd"))
				snprintf(num, sizeof(num), "%02d", tm->tm_mday);
			else if (IS("y"))
				snprintf(num, sizeof(num), "%04d",
				    tm->tm_year + 1900);
			else if (IS("hh"))
				snprintf(num, sizeof(num), "%02d", tm->tm_hour);
			else if (IS("mm"))
				snprintf(num, sizeof(num), "%02d", tm->tm_min);
			else if (IS("mon"))
				v = i18n_month(tm->tm_mon, 1);
			else if (IS("month"))
				v = i18n_month(tm->tm_mon, 0);
			else if (IS("zone"))
				v = tm->tm_zone != NULL ? tm->tm_zone : "UTC";
			else
				k = 0;
#undef IS
			if (k > 0) {
				if (v == NULL)
					v = num;
				p += k + 1;
			}
		}
		if (v == NULL) {
			if (o + 1 < n)
				dst[o++] = *p;
			continue;
		}
		for (; *v != '\0'; v++)
			if (o + 1 < n)
				dst[o++] = *v;
	}
	dst[o] = '\0';
	return dst;
}

char *
i18n_datetime(char *dst, size_t n, const struct tm *tm)
{
	/* TRANSLATORS: a date and time: {d} day, {dd} day of two digits,
	 * {mon} month abbreviated, {month} in full, {y} year, {hh}:{mm}
	 * hours and minutes, {zone} the time zone's abbreviation ("UTC",
	 * "CET"; [site] timezone). */
	return fill(dst, n, C_("date", "{d} {mon} {y}, {hh}:{mm} {zone}"), tm);
}

char *
i18n_date(char *dst, size_t n, const struct tm *tm)
{
	/* TRANSLATORS: a date: see "{d} {mon} {y}, {hh}:{mm} {zone}". */
	return fill(dst, n, C_("date", "{d} {month} {y}"), tm);
}
