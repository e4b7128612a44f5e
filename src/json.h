/* json.h: JSON bodies in and out, through jansson */
#ifndef PALAVER_JSON_H
#define PALAVER_JSON_H

struct buf;

/* json_error: {"error": msg, "field": field} (field omitted when NULL). */
void	json_error(struct buf *, const char *msg, const char *field);

#endif
