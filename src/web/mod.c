/* mod.c: what the moderators' handlers share: who acts, where to return */
#include <string.h>
#include <time.h>

#include "domain/moderation.h"
#include "web/web.h"

enum status
mod_actor(struct req *rq, struct actor *a)
{
	memset(a, 0, sizeof(*a));
	a->mod = rq->sess->mod.id;
	a->name = rq->sess->mod.name;
	a->now = (long long)time(NULL);
	return (a->addr = http_addr_hash(rq)) == NULL ? ST_NOMEM : ST_OK;
}

/*
 * Where an action returns: the form's `back` when it is a path of ours
 * under /mod/ (http_redirect puts the base path in front), else dflt.
 * Refused: "//" (a scheme-relative address elsewhere), a backslash
 * (browsers read it as a slash), "/." (dot segments climbing out of
 * /mod/), and control characters, spaces or raw non-ASCII bytes, which
 * our own links never hold and which could bend the Location header.
 */
static const char *
back_path(const struct req *rq, const char *dflt)
{
	const char	*b = http_str(rq, F_BACK);
	size_t		 i;

	if (b == NULL || strncmp(b, "/mod/", 5) != 0 ||
	    strstr(b, "//") != NULL || strstr(b, "/.") != NULL)
		return dflt;
	for (i = 0; b[i] != '\0'; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c <= ' ' || c >= 0x7f || c == '\\')
			return dflt;
	}
	return b;
}

enum status
mod_back(struct req *rq, struct resp *r, const char *dflt)
{
	http_redirect(rq, r, back_path(rq, dflt));
	return ST_OK;
}
