/* log.c: one-line messages to standard error */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "core/log.h"

/* Read by every thread on every info line, set from any: atomic (relaxed:
 * it orders nothing else). */
static atomic_int quiet;

static void	vlog(const char *, va_list) __attribute__((format(printf, 1, 0)));

static void
vlog(const char *fmt, va_list ap)
{
	char	 line[1024];
	int	 n, m;

	n = snprintf(line, sizeof(line), "palaver[%d]: ", (int)getpid());
	if (n < 0)
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	/* Long messages are cut, never split. */
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

void
log_err(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (atomic_load_explicit(&quiet, memory_order_relaxed))
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void
log_quiet(int q)
{
	atomic_store_explicit(&quiet, q, memory_order_relaxed);
}
