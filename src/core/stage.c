/* stage.c: where a request's time goes, stage by stage, behind a debug switch */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/stage.h"

static const char *const names[STAGE__MAX] = {
	[STAGE_DECODE] = "decode",
	[STAGE_READS] = "reads",
	[STAGE_RENDER] = "render",
	[STAGE_SPAM] = "spam",
	[STAGE_QUEUE] = "queue",
	[STAGE_LOCK] = "lock",
	[STAGE_TX] = "tx",
	[STAGE_FTS] = "fts",
	[STAGE_COMMIT] = "commit",
	[STAGE_CKPT] = "ckpt",
	[STAGE_WAKE] = "wake",
	[STAGE_ANSWER] = "answer",
};

/* Set before threads start, read-only after. */
static int			 enabled;
static _Thread_local struct stages mine;

void
stage_enable(int on)
{
	enabled = on;
}

int
stage_enabled(void)
{
	return enabled;
}

long long
stage_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
stage_begin(void)
{
	if (!enabled)
		return;
	memset(&mine, 0, sizeof(mine));
	mine.last = stage_now();
}

void
stage_mark(enum stage s)
{
	long long	 now;

	if (!enabled)
		return;
	now = stage_now();
	mine.us[s] += now - mine.last;
	mine.last = now;
}

void
stage_pages(long n)
{
	if (enabled)
		mine.pages += n;
}

void
stage_merge(const struct stages *b)
{
	int	 i;

	if (!enabled)
		return;
	for (i = 0; i < STAGE__MAX; i++)
		mine.us[i] += b->us[i];
	mine.batch = b->batch;
	mine.pages = b->pages;
	mine.last = stage_now();
}

struct stages *
stage_mine(void)
{
	return &mine;
}

void
stage_format(char *buf, size_t len)
{
	size_t	 n;
	int	 i, m;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!enabled)
		return;
	m = snprintf(buf, len, " stages");
	for (n = m > 0 ? (size_t)m : 0, i = 0; i < STAGE__MAX && n < len;
	    i++) {
		m = snprintf(buf + n, len - n, " %s=%lld", names[i],
		    mine.us[i]);
		if (m < 0)
			break;
		n += (size_t)m;
	}
	if (n < len)
		snprintf(buf + n, len - n, " batch=%ld pages=%ld", mine.batch,
		    mine.pages);
}
