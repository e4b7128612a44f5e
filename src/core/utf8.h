/* utf8.h: UTF-8 checks and counts */
#ifndef PALAVER_UTF8_H
#define PALAVER_UTF8_H

#include <stddef.h>

/* utf8_check: 1 when the n bytes are valid UTF-8 (no overlongs, no
 * surrogates) and hold no control characters except \n, \r and \t (the
 * caller normalises \r\n), else 0. */
int		 utf8_check(const char *, size_t);
/* utf8_len: the number of code points in valid UTF-8. */
size_t		 utf8_len(const char *, size_t);

#endif
