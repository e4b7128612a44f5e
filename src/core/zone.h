/* zone.h: the time zone pages show times in ([site] timezone) */
#ifndef PALAVER_ZONE_H
#define PALAVER_ZONE_H

#include <time.h>

/*
 * zone_set: show times in the zone `name` (a name of the time zone
 * database, checked by config.c), or in UTC for NULL or "".  Process-wide
 * (it sets TZ): call it at start-up, before any thread.
 */
void	zone_set(const char *name);
/* zone_tm: the broken-down time of t in that zone (tm_zone names it);
 * NULL when t cannot be shown. */
struct tm *zone_tm(long long t, struct tm *out);

#endif
