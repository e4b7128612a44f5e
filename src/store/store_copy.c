/* store_copy.c: a whole database into another, either engine to either: palaver migrate, and backups of PostgreSQL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/store.h"
#include "store/store_int.h"

/* A column's type: integer, real, text, blob. */
struct col {
	const char	*name;
	char		 type;
};

struct table {
	const char	*name;
	const char	*order;		/* parents before children */
	int		 ids;		/* an id column the engine hands out */
	const struct col *cols;
	/* Rows a new database has already (its secret, its site id, the
	 * sender's lease; once palaver init has run, the address key's
	 * fingerprint; once it has served, when its jobs are next due): the
	 * copy's replace them: the new database's rows of such a table are
	 * deleted, in the copy's transaction, before the copy's go in. */
	int		 replace;
};

/*
 * Every table and column of the schema (sql/sqlite/, sql/postgres/), in
 * an order where what a row refers to is there before it.  Not the
 * engines' own search indexes: SQLite's FTS5 index is made from the
 * comments as they go in, PostgreSQL's comments.search likewise.  A
 * migration that adds a table or a column adds it here: test_store's
 * copy test compares this list with the SQLite schema.
 */
static const struct col settings_cols[] = {
	{ "key", 't' }, { "value", 'b' }, { NULL, 0 },
};
static const struct col articles_cols[] = {
	{ "id", 'i' }, { "uri", 't' }, { "title", 't' }, { "body", 't' },
	{ "body_html", 't' }, { "created", 'i' }, { "closed", 'i' },
	{ "mode", 't' }, { "version", 'i' }, { "ncomments", 'i' },
	{ "title_proposed", 't' }, { "made_by", 't' }, { "kept_open", 'i' },
	{ "votes", 'i' }, { NULL, 0 },
};
static const struct col moderators_cols[] = {
	{ "id", 'i' }, { "name", 't' }, { "hash", 't' }, { "role", 't' },
	{ "created", 'i' }, { "last_login", 'i' }, { "email", 't' },
	{ "alerts", 't' }, { "digest_minutes", 'i' }, { "digest_last", 'i' },
	{ NULL, 0 },
};
static const struct col comments_cols[] = {
	{ "id", 'i' }, { "article", 'i' }, { "parent", 'i' }, { "root", 'i' },
	{ "depth", 'i' }, { "path", 'b' }, { "author", 't' }, { "email", 't' },
	{ "website", 't' }, { "body", 't' }, { "html", 't' },
	{ "status", 't' }, { "score", 'r' }, { "reasons", 't' },
	{ "created", 'i' }, { "edited", 'i' }, { "edited_by", 'i' },
	{ "addr_hash", 't' }, { "user_agent", 't' }, { "body_hash", 't' },
	{ "up", 'i' }, { "down", 'i' }, { "best", 'r' }, { NULL, 0 },
};
static const struct col sessions_cols[] = {
	{ "token_hash", 'b' }, { "moderator", 'i' }, { "created", 'i' },
	{ "seen", 'i' }, { "expires", 'i' }, { "csrf", 'b' }, { NULL, 0 },
};
static const struct col bans_cols[] = {
	{ "id", 'i' }, { "kind", 't' }, { "value", 't' }, { "reason", 't' },
	{ "created", 'i' }, { "expires", 'i' }, { "moderator", 'i' },
	{ NULL, 0 },
};
static const struct col audit_cols[] = {
	{ "id", 'i' }, { "at", 'i' }, { "moderator", 'i' }, { "actor", 't' },
	{ "action", 't' }, { "target", 't' }, { "before", 't' },
	{ "after", 't' }, { "addr_hash", 't' }, { "batch", 'i' }, { NULL, 0 },
};
static const struct col login_failures_cols[] = {
	{ "id", 'i' }, { "at", 'i' }, { "name", 't' }, { "addr_hash", 't' },
	{ "net_hash", 't' }, { NULL, 0 },
};
static const struct col post_log_cols[] = {
	{ "id", 'i' }, { "at", 'i' }, { "addr_hash", 't' },
	{ "net_hash", 't' }, { NULL, 0 },
};
static const struct col form_tokens_cols[] = {
	{ "hash", 'b' }, { "expires", 'i' }, { NULL, 0 },
};
static const struct col spam_checks_cols[] = {
	{ "comment", 'i' }, { "input", 't' }, { "created", 'i' }, { NULL, 0 },
};
static const struct col feedback_cols[] = {
	{ "id", 'i' }, { "comment", 'i' }, { "kind", 't' },
	{ "attempts", 'i' }, { "next_try", 'i' }, { "last_error", 't' },
	{ NULL, 0 },
};
static const struct col subscribers_cols[] = {
	{ "id", 'i' }, { "email", 't' }, { "created", 'i' },
	{ "confirmed", 'i' }, { "asked", 'i' }, { NULL, 0 },
};
static const struct col subscriptions_cols[] = {
	{ "subscriber", 'i' }, { "comment", 'i' }, { "article", 'i' },
	{ "created", 'i' }, { NULL, 0 },
};
static const struct col events_cols[] = {
	{ "id", 'i' }, { "kind", 't' }, { "at", 'i' }, { "subscriber", 'i' },
	{ "comment", 'i' }, { "article", 'i' }, { "uri", 't' },
	{ "title", 't' }, { "parent", 'i' }, { "author", 't' },
	{ "email", 't' }, { "body", 't' }, { "html", 't' }, { "status", 't' },
	{ "score", 'r' }, { "reasons", 't' }, { "created", 'i' }, { NULL, 0 },
};
static const struct col outbox_cols[] = {
	{ "id", 'i' }, { "kind", 't' }, { "target", 't' }, { "what", 't' },
	{ "payload", 't' }, { "comment", 'i' }, { "state", 't' },
	{ "attempts", 'i' }, { "next_try", 'i' }, { "created", 'i' },
	{ "done", 'i' }, { "last_error", 't' }, { NULL, 0 },
};
static const struct col leases_cols[] = {
	{ "name", 't' }, { "holder", 't' }, { "until", 'i' }, { NULL, 0 },
};
static const struct col jobs_cols[] = {
	{ "name", 't' }, { "due", 'i' }, { NULL, 0 },
};
static const struct col addr_key_cols[] = {
	{ "id", 'i' }, { "period", 'i' }, { "fingerprint", 't' }, { NULL, 0 },
};
static const struct col votes_cols[] = {
	{ "comment", 'i' }, { "voter", 't' }, { "addr_hash", 't' },
	{ "value", 'i' }, { "at", 'i' }, { NULL, 0 },
};
static const struct col vote_log_cols[] = {
	{ "id", 'i' }, { "at", 'i' }, { "addr_hash", 't' },
	{ "net_hash", 't' }, { NULL, 0 },
};
static const struct col reports_cols[] = {
	{ "id", 'i' }, { "comment", 'i' }, { "reason", 't' }, { "text", 't' },
	{ "created", 'i' }, { "addr_hash", 't' }, { "net_hash", 't' },
	{ "settled", 'i' }, { NULL, 0 },
};
static const struct col imported_cols[] = {
	{ "source", 't' }, { "source_id", 't' }, { "comment", 'i' },
	{ NULL, 0 },
};

static const struct table tables[] = {
	{ "settings", "key", 0, settings_cols, 1 },
	{ "articles", "id", 1, articles_cols, 0 },
	{ "moderators", "id", 1, moderators_cols, 0 },
	/* A parent is always one level up: parents first. */
	{ "comments", "depth, id", 1, comments_cols, 0 },
	{ "sessions", "token_hash", 0, sessions_cols, 0 },
	{ "bans", "id", 1, bans_cols, 0 },
	{ "audit", "id", 1, audit_cols, 0 },
	{ "login_failures", "id", 1, login_failures_cols, 0 },
	{ "post_log", "id", 1, post_log_cols, 0 },
	{ "form_tokens", "hash", 0, form_tokens_cols, 0 },
	{ "spam_checks", "comment", 0, spam_checks_cols, 0 },
	{ "feedback", "id", 1, feedback_cols, 0 },
	{ "imported", "source, source_id", 0, imported_cols, 0 },
	{ "subscribers", "id", 1, subscribers_cols, 0 },
	{ "subscriptions", "subscriber, comment", 0, subscriptions_cols, 0 },
	{ "events", "id", 1, events_cols, 0 },
	{ "outbox", "id", 1, outbox_cols, 0 },
	{ "leases", "name", 0, leases_cols, 1 },
	/* What the hosts agree on (012-hosts.sql), which a database has
	 * before it holds anything of a site: the service runs palaver init
	 * before each start, which writes the fingerprint of its host's key
	 * (the site's replaces it: a host whose key file is not the site's
	 * is refused when it serves), and a palaver that served schedules
	 * its jobs. */
	{ "jobs", "name", 0, jobs_cols, 1 },
	{ "addr_key", "id", 0, addr_key_cols, 1 },
	{ "votes", "comment, voter", 0, votes_cols, 0 },
	{ "vote_log", "id", 1, vote_log_cols, 0 },
	{ "reports", "id", 1, reports_cols, 0 },
};

#define NTABLES	(sizeof(tables) / sizeof(tables[0]))

/* The statements below are made from these constant names only. */
#define SQL_MAX	2048

const char *const *
store_copy_tables(size_t *n)
{
	static const char	*names[NTABLES + 1];
	size_t			 i;

	for (i = 0; i < NTABLES; i++)
		names[i] = tables[i].name;
	*n = NTABLES;
	return names;
}

int
store_copy_has(const char *table, const char *column)
{
	size_t	 i;
	int	 k;

	for (i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].name, table) == 0)
			for (k = 0; tables[i].cols[k].name != NULL; k++)
				if (strcmp(tables[i].cols[k].name, column) == 0)
					return 1;
	return 0;
}

static int
build(char *out, const struct table *t, int insert)
{
	size_t	 n = 0;
	int	 k, w;

	w = snprintf(out, SQL_MAX, insert ? "INSERT INTO %s (" : "SELECT ",
	    t->name);
	n = (size_t)w;
	for (k = 0; t->cols[k].name != NULL && n < SQL_MAX; k++)
		n += (size_t)snprintf(out + n, SQL_MAX - n, "%s%s",
		    k > 0 ? ", " : "", t->cols[k].name);
	if (!insert)
		n += (size_t)snprintf(out + n, n < SQL_MAX ? SQL_MAX - n : 0,
		    " FROM %s ORDER BY %s", t->name, t->order);
	else {
		n += (size_t)snprintf(out + n, n < SQL_MAX ? SQL_MAX - n : 0,
		    ") VALUES (");
		for (k = 0; t->cols[k].name != NULL && n < SQL_MAX; k++)
			n += (size_t)snprintf(out + n, SQL_MAX - n, "%s:c%d",
			    k > 0 ? ", " : "", k);
		n += (size_t)snprintf(out + n, n < SQL_MAX ? SQL_MAX - n : 0,
		    ")");
	}
	return n < SQL_MAX ? 0 : -1;
}

/* "VERB FROM table", made ready on s. */
static struct dbstmt *
table_stmt(struct store *s, const char *verb, const char *table)
{
	char	 sql[SQL_MAX];

	snprintf(sql, sizeof(sql), "%s FROM %s", verb, table);
	return s->drv->adhoc(s, sql, 0);
}

/* count(*) of table. */
static enum status
count(struct store *s, const char *table, long long *n)
{
	struct dbstmt	*st;
	enum status	 rv;

	if ((st = table_stmt(s, "SELECT count(*)", table)) == NULL)
		return db_fail(s, table);
	rv = db_one_int(s, st, table, n);
	s->drv->adhoc_free(st);
	return rv;
}

/* Every row of table goes, in the open transaction. */
static enum status
clear(struct store *s, const char *table)
{
	struct dbstmt	*st;
	enum status	 rv;

	if ((st = table_stmt(s, "DELETE", table)) == NULL)
		return db_fail(s, table);
	rv = db_done(s, st, table);
	s->drv->adhoc_free(st);
	return rv;
}

/* One table: every row of `from` into `to`; *n rows. */
static enum status
copy_table(struct store *from, struct store *to, const struct table *t,
    long long *n)
{
	char		 sql[SQL_MAX], name[16];
	struct dbstmt	*src = NULL, *dst = NULL;
	const void	*p;
	size_t		 len;
	enum status	 rv = ST_DB;
	enum step	 rc;
	int		 k;

	*n = 0;
	if (build(sql, t, 0) == -1 ||
	    (src = from->drv->adhoc(from, sql, 1)) == NULL) {
		rv = db_fail(from, t->name);
		goto out;
	}
	if (build(sql, t, 1) == -1 ||
	    (dst = to->drv->adhoc(to, sql, 0)) == NULL) {
		rv = db_fail(to, t->name);
		goto out;
	}
	while ((rc = db_step(src)) == STEP_ROW) {
		for (k = 0; t->cols[k].name != NULL; k++) {
			snprintf(name, sizeof(name), ":c%d", k);
			if (db_null(src, k)) {
				db_text(dst, name, NULL);
				continue;
			}
			switch (t->cols[k].type) {
			case 'i':
				db_int(dst, name, db_col_int(src, k));
				break;
			case 'r':
				db_real(dst, name, db_col_real(src, k));
				break;
			default:
				if ((p = db_col_blob(src, k, &len)) == NULL) {
					log_err("copy: %s.%s: out of memory or "
					    "unreadable", t->name,
					    t->cols[k].name);
					goto out;
				}
				if (t->cols[k].type == 't')
					db_text(dst, name, p);
				else
					db_blob(dst, name, p, len);
				break;
			}
		}
		/* Borrowed values stay good until src steps again. */
		if ((rv = db_done(to, dst, t->name)) != ST_OK)
			goto out;
		rv = ST_DB;
		(*n)++;
	}
	if (rc != STEP_DONE) {
		rv = db_fail(from, t->name);
		goto out;
	}
	rv = ST_OK;
out:
	if (src != NULL)
		from->drv->adhoc_free(src);
	if (dst != NULL)
		to->drv->adhoc_free(dst);
	return rv;
}

static enum status
copy_all(struct store *from, struct store *to, const char *shown_to,
    long long *total)
{
	long long	 n, have, want, seq;
	enum status	 rv;
	size_t		 i;

	*total = 0;
	/* The new database must hold nothing yet but what every new one
	 * has (its secret and site id, the sender's lease, the address key's
	 * fingerprint, its jobs' times). */
	for (i = 0; i < NTABLES; i++) {
		if (tables[i].replace)
			continue;
		if ((rv = count(to, tables[i].name, &have)) != ST_OK)
			return rv;
		if (have > 0) {
			log_err("%s: %s already has %lld rows: palaver migrate "
			    "copies into an empty database only", shown_to,
			    tables[i].name, have);
			return ST_CONFLICT;
		}
	}
	for (i = 0; i < NTABLES; i++) {
		const struct table *t = &tables[i];

		if ((t->replace && (rv = clear(to, t->name)) != ST_OK) ||
		    (rv = copy_table(from, to, t, &n)) != ST_OK)
			return rv;
		/* Counted again on both sides: the same snapshot there,
		 * this transaction here. */
		if ((rv = count(from, t->name, &want)) != ST_OK ||
		    (rv = count(to, t->name, &have)) != ST_OK)
			return rv;
		/* (What the new database had of its own was replaced, not
		 * added to.) */
		if (have != want || n != want) {
			log_err("copy: %s: %lld rows read, %lld written, %lld "
			    "there: nothing is kept", t->name, want, n, have);
			return ST_DB;
		}
		if (t->ids && ((rv = from->drv->seq_get(from, t->name,
		    &seq)) != ST_OK || (rv = to->drv->seq_set(to, t->name,
		    seq)) != ST_OK))
			return rv;
		*total += n;
	}
	return ST_OK;
}

enum status
db_seq_fix(struct store *s)
{
	enum status	 rv;
	long long	 seq;
	size_t		 i;

	for (i = 0; i < NTABLES; i++)
		if (tables[i].ids && ((rv = s->drv->seq_get(s, tables[i].name,
		    &seq)) != ST_OK || (rv = s->drv->seq_set(s,
		    tables[i].name, seq)) != ST_OK))
			return rv;
	return ST_OK;
}

enum status
store_copy(const char *from, const char *to,
    const unsigned char fresh_secret[32], long long *rows)
{
	struct store	*src = NULL, *dst = NULL;
	char		 shown[1024];
	long long	 total = 0;
	enum status	 rv;
	int		 tx = 0;

	store_display(to, shown, sizeof(shown));
	if ((rv = store_migrate(to, fresh_secret, NULL, NULL)) != ST_OK)
		return rv;
	if ((rv = store_open(from, &src)) != ST_OK ||
	    (rv = store_open(to, &dst)) != ST_OK)
		goto out;
	if ((rv = src->drv->begin_read(src)) != ST_OK)
		goto out;
	if ((rv = store_tx_begin(dst)) != ST_OK)
		goto out;
	tx = 1;
	if ((rv = copy_all(src, dst, shown, &total)) != ST_OK)
		goto out;
	rv = store_tx_commit(dst);
	tx = 0;
	if (rv == ST_OK && rows != NULL)
		*rows = total;
out:
	if (tx)
		store_tx_rollback(dst);
	if (src != NULL)
		store_tx_rollback(src);
	store_close(src);
	store_close(dst);
	return rv;
}
