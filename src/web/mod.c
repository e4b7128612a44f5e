/* mod.c: what the moderators' handlers share: who acts, where to return,
 * what was just done, asking first */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "store/store.h"
#include "render/views.h"
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

enum status
mod_done(struct req *rq, struct resp *r, const char *dflt,
    const struct actor *who)
{
	const char	*b = back_path(rq, dflt), *to;
	size_t		 n = strcspn(b, "#");

	/* The page it returns to tells what happened: the action's rows
	 * by their batch, or that nothing needed doing. */
	if (who->batch > 0)
		to = arena_printf(rq->arena, "%.*s%sdone=%lld%s", (int)n, b,
		    memchr(b, '?', n) != NULL ? "&" : "?", who->batch, b + n);
	else
		to = arena_printf(rq->arena, "%.*s%snote=unchanged%s", (int)n,
		    b, memchr(b, '?', n) != NULL ? "&" : "?", b + n);
	if (to == NULL)
		return ST_NOMEM;
	http_redirect(rq, r, to);
	return ST_OK;
}

enum status
mod_view(struct req *rq, struct view *vw, const char *self)
{
	struct mod_notice	*nt;
	struct audit_entry	*v = NULL;
	long long		 batch = http_id(rq, F_DONE);
	size_t			 i;
	enum status		 st;

	http_view(rq, vw, 0);
	if (batch == 0 && http_str(rq, F_NOTE) == NULL)
		return ST_OK;
	if ((nt = arena_calloc(rq->arena, 1, sizeof(*nt))) == NULL)
		return ST_NOMEM;
	nt->back = self;
	nt->unchanged = http_str(rq, F_NOTE) != NULL;
	/* Only the moderator's own action: another's batch reads as none. */
	if (batch > 0 && (st = store_audit_batch(rq->site->store, rq->arena,
	    batch, rq->sess->mod.id, &v, &nt->n)) != ST_OK)
		return st;
	nt->v = v;
	if (batch > 0 && nt->n == 0)
		return ST_OK;
	for (i = 0; i < nt->n; i++)
		if (moderate_undoable(nt->v[i].action))
			nt->undo = 1;
	vw->notice = nt;
	return ST_OK;
}

enum status
mod_confirm_page(struct req *rq, struct resp *r, const struct mod_confirm *c)
{
	struct view	 vw;

	http_view(rq, &vw, 0);
	view_mod_confirm(&vw, &r->body, c);
	return ST_OK;
}
