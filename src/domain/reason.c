/* reason.c: filling in a refusal */
#include <string.h>

#include "domain/reason.h"

enum status
refuse(struct refusal *r, enum reason why, const char *field)
{
	memset(r, 0, sizeof(*r));
	r->why = why;
	r->field = field;
	return ST_INPUT;
}

enum status
refuse_text(struct refusal *r, const char *field, enum text_kind kind,
    enum text_err e, size_t max, size_t chars)
{
	if (e == TEXT_NOMEM)
		return ST_NOMEM;
	refuse(r, RS_FIELD, field);
	r->kind = kind;
	r->text = e;
	r->max = max;
	r->chars = chars;
	return ST_INPUT;
}
