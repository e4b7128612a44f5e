/* strings.h: the widget's strings (www/embed.js), from the catalog */
#ifndef PALAVER_STRINGS_H
#define PALAVER_STRINGS_H

#include <stddef.h>

struct buf;

/* One of the widget's strings: its name (data-string-NAME) and text. */
struct wstring {
	const char	*name;
	const char	*text;
};

/*
 * The widget's strings in the site's language, n of them in out (which
 * holds STRINGS_MAX), the month names included.
 * Returns n.  The texts are the catalog's (or the locale's): never freed.
 */
#define STRINGS_MAX	100
size_t		 strings_widget(struct wstring *out);

#endif
