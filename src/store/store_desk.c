/* store_desk.c: the moderators' desk's storage: the audit log searched and
 * told back by action, one comment as the queue shows it, bans by id, the
 * database's size */
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/vec.h"
#include "store/store.h"
#include "store/store_int.h"

/*
 * An audit row, with the article of a comment it names (so the log can
 * link to the comment where it is shown); a comment gone since leaves 0.
 */
#define AUDIT_COLS \
	"a.id, a.at, coalesce(a.moderator, 0), coalesce(a.batch, a.id), " \
	"a.actor, a.action, a.target, a.before, a.after, a.addr_hash, " \
	"coalesce(c.article, 0), coalesce(c.status = 'approved', 0)"
#define AUDIT_FROM \
	" FROM audit a LEFT JOIN comments c ON a.target LIKE 'comment:%' " \
	"AND c.id = CAST(substr(a.target, 9) AS INTEGER) "
/* Every filter; a NULL parameter leaves its filter out. */
#define AUDIT_WHERE \
	"WHERE (:before_id = 0 OR a.id < :before_id) " \
	"AND (:actor IS NULL OR a.actor = :actor) " \
	"AND (:action IS NULL OR a.action = :action) " \
	"AND (:target IS NULL OR a.target = :target) " \
	"AND (:since IS NULL OR a.at >= :since) " \
	"AND (:until IS NULL OR a.at < :until) "
#define AUDIT_ORDER	"ORDER BY a.id DESC LIMIT :limit"

const char *const sq_desk_sql[DSTMT__MAX] = {
	[DSTMT_AUDIT_LIST] = "SELECT " AUDIT_COLS AUDIT_FROM AUDIT_WHERE
	    AUDIT_ORDER,
	/*
	 * The same with the one filter that narrows most as a plain
	 * equality, so the planner walks its index (audit_actor,
	 * audit_action, audit_target of 010-desk.sql) from the newest end:
	 * behind "IS NULL OR" it cannot.
	 */
	[DSTMT_AUDIT_BY_ACTOR] = "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.actor = :lead "
	    AUDIT_ORDER,
	[DSTMT_AUDIT_BY_ACTION] = "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.action = :lead "
	    AUDIT_ORDER,
	[DSTMT_AUDIT_BY_TARGET] = "SELECT " AUDIT_COLS AUDIT_FROM
	    AUDIT_WHERE "AND a.target = :lead "
	    AUDIT_ORDER,
	/* One action's rows, for the moderator who took it only. */
	[DSTMT_AUDIT_BATCH] = "SELECT " AUDIT_COLS AUDIT_FROM
	    "WHERE (a.id = :batch OR a.batch = :batch) AND a.moderator = :mod "
	    "ORDER BY a.id",
	[DSTMT_QUEUE_ONE] = "SELECT " SQ_QUEUE_COLS SQ_QUEUE_FROM
	    "WHERE c.id = :id",
	[DSTMT_BAN_GET] = "SELECT b.id, b.kind, b.value, b.reason, b.created, "
	    "b.expires, m.name FROM bans b LEFT JOIN moderators m ON "
	    "m.id = b.moderator WHERE b.id = :id",
	[DSTMT_BAN_FIND] = "SELECT b.id, b.kind, b.value, b.reason, "
	    "b.created, b.expires, m.name FROM bans b LEFT JOIN moderators m "
	    "ON m.id = b.moderator WHERE b.kind = :kind AND b.value = :value",
	/* The page count times the page size: the file, WAL aside.  (In
	 * parentheses: clang takes two literals ending a table for a
	 * missing comma.) */
	[DSTMT_DB_BYTES] = ("SELECT p.page_count * s.page_size FROM "
	    "pragma_page_count() p, pragma_page_size() s"),
};

sqlite3_stmt *
sq_dget(struct store *s, enum dstmt id)
{
	sqlite3_reset(s->dst[id]);
	sqlite3_clear_bindings(s->dst[id]);
	return s->dst[id];
}

/* --- the audit log ------------------------------------------------------- */

static int
read_audit(struct arena *a, sqlite3_stmt *st, struct audit_entry *e)
{
	int	 nomem = 0;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->mod = sqlite3_column_int64(st, 2);
	e->batch = sqlite3_column_int64(st, 3);
	e->actor = sq_col_text(a, st, 4, &nomem);
	e->action = sq_col_text(a, st, 5, &nomem);
	e->target = sq_col_text(a, st, 6, &nomem);
	e->before = sq_col_text(a, st, 7, &nomem);
	e->after = sq_col_text(a, st, 8, &nomem);
	e->addr_hash = sq_col_text(a, st, 9, &nomem);
	e->article = sqlite3_column_int64(st, 10);
	e->shown = sqlite3_column_int(st, 11);
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
audit_rows(struct store *s, struct arena *a, sqlite3_stmt *st,
    struct audit_entry **vp, size_t *np)
{
	struct audit_entry	*v = NULL;
	size_t			 n = 0, cap = 0;
	int			 rc, nomem = 0;

	*vp = NULL;
	*np = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = vec_grow(a, v, n, &cap, sizeof(*v))) == NULL) {
			nomem = 1;
			break;
		}
		if (read_audit(a, st, &v[n++]) == -1)
			nomem = 1;
	}
	sqlite3_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "audit list");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_audit_list(struct store *s, struct arena *a,
    const struct audit_query *q, struct audit_entry **vp, size_t *np)
{
	sqlite3_stmt	*st;
	const char	*lead = NULL;

	if (q->target != NULL) {
		st = sq_dget(s, DSTMT_AUDIT_BY_TARGET);
		lead = q->target;
	} else if (q->actor != NULL) {
		st = sq_dget(s, DSTMT_AUDIT_BY_ACTOR);
		lead = q->actor;
	} else if (q->action != NULL) {
		st = sq_dget(s, DSTMT_AUDIT_BY_ACTION);
		lead = q->action;
	} else
		st = sq_dget(s, DSTMT_AUDIT_LIST);
	if (lead != NULL)
		sq_bind_text(st, ":lead", lead);
	sq_bind_int(st, ":before_id", q->before_id);
	sq_bind_text(st, ":actor", q->actor);
	sq_bind_text(st, ":action", q->action);
	sq_bind_text(st, ":target", q->target);
	if (q->since > 0)
		sq_bind_int(st, ":since", q->since);
	if (q->until > 0)
		sq_bind_int(st, ":until", q->until);
	sq_bind_int(st, ":limit", q->limit);
	return audit_rows(s, a, st, vp, np);
}

enum status
store_audit_batch(struct store *s, struct arena *a, long long batch,
    long long mod, struct audit_entry **vp, size_t *np)
{
	sqlite3_stmt	*st = sq_dget(s, DSTMT_AUDIT_BATCH);

	sq_bind_int(st, ":batch", batch);
	sq_bind_int(st, ":mod", mod);
	return audit_rows(s, a, st, vp, np);
}

/* --- one comment, bans, the database ------------------------------------- */

enum status
store_queue_one(struct store *s, struct arena *a, long long id,
    struct queue_item *it)
{
	sqlite3_stmt	*st = sq_dget(s, DSTMT_QUEUE_ONE);
	int		 rc;

	sq_bind_int(st, ":id", id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND :
		    sq_fail(s, "queue item");
	}
	rc = sq_read_queue_item(a, st, it);
	sqlite3_reset(st);
	return rc == 0 ? ST_OK : ST_NOMEM;
}

static enum status
ban_one(struct store *s, struct arena *a, sqlite3_stmt *st, struct ban *b)
{
	int	 rc, nomem = 0;

	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ST_NOTFOUND : sq_fail(s, "ban get");
	}
	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(st, 0);
	b->kind = sq_col_text(a, st, 1, &nomem);
	b->value = sq_col_text(a, st, 2, &nomem);
	b->reason = sq_col_text(a, st, 3, &nomem);
	b->created = sqlite3_column_int64(st, 4);
	b->expires = sqlite3_column_int64(st, 5);
	b->by = sq_col_text(a, st, 6, &nomem);
	sqlite3_reset(st);
	if (b->reason == NULL)
		b->reason = "";
	return nomem || b->kind == NULL || b->value == NULL ? ST_NOMEM :
	    ST_OK;
}

enum status
store_ban_get(struct store *s, struct arena *a, long long id, struct ban *b)
{
	sqlite3_stmt	*st = sq_dget(s, DSTMT_BAN_GET);

	sq_bind_int(st, ":id", id);
	return ban_one(s, a, st, b);
}

enum status
store_ban_find(struct store *s, struct arena *a, const char *kind,
    const char *value, struct ban *b)
{
	sqlite3_stmt	*st = sq_dget(s, DSTMT_BAN_FIND);

	sq_bind_text(st, ":kind", kind);
	sq_bind_text(st, ":value", value);
	return ban_one(s, a, st, b);
}

enum status
store_db_bytes(struct store *s, long long *bytes)
{
	return sq_one_int(s, sq_dget(s, DSTMT_DB_BYTES), "database size",
	    bytes);
}
