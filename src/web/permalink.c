/* permalink.c: /c/{id}, the address of a comment that always lands on the
 * page that holds it */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "domain/authored.h"
#include "domain/comments.h"
#include "web/pages.h"
#include "web/web.h"

/*
 * GET /c/{id}[?order=newest|best]: 303 to the page of the thread that holds
 * the comment, at #c{id}, whatever the thread's size.  A comment readers
 * cannot see is not there (404), unless it is the reader's own or a
 * moderator asks.
 */
enum status
h_permalink(struct req *rq, struct resp *r)
{
	struct comment	 c;
	struct poster	 p;
	const char	*where;
	enum status	 st;

	if ((st = store_comment_get(rq->site->store, rq->arena, rq->arg[0],
	    &c)) != ST_OK)
		return st;
	/* Moderators are taken to where a held comment would stand. */
	if (c.status != CS_APPROVED && rq->sess == NULL) {
		if ((st = http_poster(rq, NULL, &p)) != ST_OK)
			return st;
		if (c.status == CS_DELETED || authored_has(p.own, c.id) == 0)
			return ST_NOTFOUND;
	}
	if ((where = page_holding(rq, &c, (int)http_id(rq, F_ORDER), NULL)) ==
	    NULL)
		return ST_NOMEM;
	http_header(r, "Cache-Control", "no-cache");
	http_redirect(rq, r, where);
	return ST_OK;
}
