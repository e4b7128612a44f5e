/* model.c: names of the comment statuses and report reasons, as stored and as shown */
#include <string.h>

#include "model/model.h"

static const char *const cstatus_names[CS__MAX] = {
	[CS_PENDING] = "pending",
	[CS_APPROVED] = "approved",
	[CS_SPAM] = "spam",
	[CS_DELETED] = "deleted",
};

const char *
cstatus_str(enum cstatus s)
{
	return (unsigned)s < CS__MAX ? cstatus_names[s] : "pending";
}

enum cstatus
cstatus_parse(const char *s)
{
	int	 i;

	for (i = 0; i < CS__MAX; i++)
		if (s != NULL && strcmp(s, cstatus_names[i]) == 0)
			return (enum cstatus)i;
	return CS__MAX;
}

static const char *const reason_names[RR__MAX] = {
	[RR_SPAM] = "spam",
	[RR_ABUSE] = "abuse",
	[RR_OFF_TOPIC] = "off-topic",
	[RR_OTHER] = "other",
};

const char *
report_reason_str(enum report_reason r)
{
	return (unsigned)r < RR__MAX ? reason_names[r] : "other";
}

enum report_reason
report_reason_parse(const char *s)
{
	int	 i;

	for (i = 0; i < RR__MAX; i++)
		if (s != NULL && strcmp(s, reason_names[i]) == 0)
			return (enum report_reason)i;
	return RR__MAX;
}
