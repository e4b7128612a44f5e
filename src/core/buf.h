/* buf.h: a growable, always NUL-terminated byte buffer */
#ifndef PALAVER_BUF_H
#define PALAVER_BUF_H

#include <stddef.h>
#include <string.h>

/*
 * A buffer starts zeroed ("struct buf b = BUF_INIT;") and grows on demand.
 * When an allocation fails or a size would overflow, the buffer sets its
 * sticky `err` flag and ignores further writes, so a writer can emit a
 * whole page and check once at the end.  `p` is NULL until the first write;
 * use buf_str() for a string that is never NULL.
 */
struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

#define BUF_INIT { NULL, 0, 0, 0 }

/* buf_grow_put: buf_put's way when the buffer must grow (or has failed). */
int		 buf_grow_put(struct buf *, const void *, size_t);

/* buf_put: append n bytes.  Returns 0, or -1 (and sets err) on failure.
 * Inline for the usual case, room already there: a page is written in a
 * few thousand pieces. */
static inline int
buf_put(struct buf *b, const void *s, size_t n)
{
	if (b->cap - b->len > n && !b->err) {
		if (n > 0)
			memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
		return 0;
	}
	return buf_grow_put(b, s, n);
}
/* buf_puts: append a NUL-terminated string. */
int		 buf_puts(struct buf *, const char *);
/* buf_putc: append one byte. */
int		 buf_putc(struct buf *, char);
/* buf_printf: append formatted text. */
int		 buf_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* buf_reserve: make room for n more bytes without changing len. */
int		 buf_reserve(struct buf *, size_t);
/* buf_reset: empty the buffer, keep its memory, clear err. */
void		 buf_reset(struct buf *);
/* buf_free: release the memory; the buffer is BUF_INIT again.  NULL ok. */
void		 buf_free(struct buf *);
/* buf_str: the contents as a string; "" when empty.  Borrowed. */
const char	*buf_str(const struct buf *);
/* buf_steal: hand the malloc'd string to the caller (never NULL unless
 * out of memory); the buffer is BUF_INIT again. */
char		*buf_steal(struct buf *);

#endif
