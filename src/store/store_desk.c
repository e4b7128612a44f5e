/* store_desk.c: the moderators' desk's storage: the audit log searched and
 * told back by action, one comment as the queue shows it, bans by id, the
 * database's size */
#include <string.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- the audit log ------------------------------------------------------- */

static int
read_audit(struct arena *a, struct dbstmt *st, void *p)
{
	struct audit_entry	*e = p;
	int			 nomem = 0;

	memset(e, 0, sizeof(*e));
	e->id = db_col_int(st, 0);
	e->at = db_col_int(st, 1);
	e->mod = db_col_int(st, 2);
	e->batch = db_col_int(st, 3);
	e->actor = db_col_text(a, st, 4, &nomem);
	e->action = db_col_text(a, st, 5, &nomem);
	e->target = db_col_text(a, st, 6, &nomem);
	e->before = db_col_text(a, st, 7, &nomem);
	e->after = db_col_text(a, st, 8, &nomem);
	e->addr_hash = db_col_text(a, st, 9, &nomem);
	e->article = db_col_int(st, 10);
	e->shown = (int)db_col_int(st, 11);
	if (e->actor == NULL)
		e->actor = "";
	if (e->action == NULL)
		e->action = "";
	if (e->target == NULL)
		e->target = "";
	return nomem ? -1 : 0;
}

/* Step st to the end, keeping every row. */
static enum status
audit_rows(struct store *s, struct arena *a, struct dbstmt *st,
    struct audit_entry **vp, size_t *np)
{
	void		*v;
	enum status	 rv;

	rv = db_rows(s, a, st, "audit list", sizeof(**vp), read_audit, &v, np);
	*vp = v;
	return rv;
}

enum status
store_audit_list(struct store *s, struct arena *a,
    const struct audit_query *q, struct audit_entry **vp, size_t *np)
{
	struct dbstmt	*st;
	const char	*lead = NULL;

	if (q->target != NULL) {
		st = db_dget(s, DSTMT_AUDIT_BY_TARGET);
		lead = q->target;
	} else if (q->actor != NULL) {
		st = db_dget(s, DSTMT_AUDIT_BY_ACTOR);
		lead = q->actor;
	} else if (q->action != NULL) {
		st = db_dget(s, DSTMT_AUDIT_BY_ACTION);
		lead = q->action;
	} else
		st = db_dget(s, DSTMT_AUDIT_LIST);
	if (lead != NULL)
		db_text(st, ":lead", lead);
	db_int(st, ":before_id", q->before_id);
	db_text(st, ":actor", q->actor);
	db_text(st, ":action", q->action);
	db_text(st, ":target", q->target);
	if (q->since > 0)
		db_int(st, ":since", q->since);
	if (q->until > 0)
		db_int(st, ":until", q->until);
	db_int(st, ":limit", q->limit);
	return audit_rows(s, a, st, vp, np);
}

enum status
store_audit_batch(struct store *s, struct arena *a, long long batch,
    long long mod, struct audit_entry **vp, size_t *np)
{
	struct dbstmt	*st = db_dget(s, DSTMT_AUDIT_BATCH);

	db_int(st, ":batch", batch);
	db_int(st, ":mod", mod);
	return audit_rows(s, a, st, vp, np);
}

/* --- one comment, bans, the database ------------------------------------- */

enum status
store_queue_one(struct store *s, struct arena *a, long long id,
    struct queue_item *it)
{
	struct dbstmt	*st = db_dget(s, DSTMT_QUEUE_ONE);

	db_int(st, ":id", id);
	return db_row(s, a, st, "queue item", db_read_queue_item, it);
}

enum status
store_ban_get(struct store *s, struct arena *a, long long id, struct ban *b)
{
	struct dbstmt	*st = db_dget(s, DSTMT_BAN_GET);

	db_int(st, ":id", id);
	return db_row(s, a, st, "ban get", db_read_ban, b);
}

enum status
store_ban_find(struct store *s, struct arena *a, const char *kind,
    const char *value, struct ban *b)
{
	struct dbstmt	*st = db_dget(s, DSTMT_BAN_FIND);

	db_text(st, ":kind", kind);
	db_text(st, ":value", value);
	return db_row(s, a, st, "ban get", db_read_ban, b);
}

enum status
store_db_bytes(struct store *s, long long *bytes)
{
	return db_one_int(s, db_dget(s, DSTMT_DB_BYTES), "database size",
	    bytes);
}
