/* store_import.c: the storage side of imports: which source ids are in */
#include <sqlite3.h>

#include "store.h"
#include "store_int.h"

enum status
store_import_seen(struct store *s, const char *source, const char *source_id,
    long long *comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_IMPORT_SEEN);

	sq_bind_text(st, ":source", source);
	sq_bind_text(st, ":source_id", source_id);
	return sq_one_int(s, st, "import seen", comment);
}

enum status
store_import_mark(struct store *s, const char *source, const char *source_id,
    long long comment)
{
	sqlite3_stmt	*st = sq_get(s, STMT_IMPORT_MARK);
	int		 rc;

	sq_bind_text(st, ":source", source);
	sq_bind_text(st, ":source_id", source_id);
	sq_bind_int(st, ":comment", comment);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ST_CONFLICT;
	if (rc != SQLITE_DONE)
		return sq_fail(s, "import mark");
	return ST_OK;
}

void
store_import_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sq_done(s, sq_get(s, STMT_ROLLBACK), "rollback");
}
