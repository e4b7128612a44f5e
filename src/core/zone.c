/* zone.c: the time zone pages show times in ([site] timezone) */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/zone.h"

/* UTC needs neither the environment nor the C library's zone lock. */
static int	 local;

void
zone_set(const char *name)
{
	local = name != NULL && name[0] != '\0' && strcmp(name, "UTC") != 0;
	if (local) {
		setenv("TZ", name, 1);
		tzset();
	}
}

struct tm *
zone_tm(long long t, struct tm *out)
{
	time_t	 tt = (time_t)t;

	if (local)
		return localtime_r(&tt, out);
	if (gmtime_r(&tt, out) == NULL)
		return NULL;
	out->tm_zone = "UTC";	/* glibc says GMT */
	return out;
}
