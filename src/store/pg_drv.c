/* pg_drv.c: the PostgreSQL engine through libpq: a connection per thread, statements prepared on first use, lost connections made again */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "core/arena.h"
#include "core/log.h"
#include "store/store.h"
#include "store/pg_int.h"

/* Each table's statements, how many, and the letter of their names. */
static const struct {
	const struct pg_sql	*sql;
	int			 n;
	char			 letter;
} tables[TB__MAX] = {
	[TB_CORE] = { pg_stmts, STMT__MAX, 'c' },
	[TB_MAIL] = { pg_mail_sql, MS__MAX, 'm' },
	[TB_DESK] = { pg_desk_sql, DSTMT__MAX, 'd' },
};

const char *
pg_sql_of(enum stable tb, int id)
{
	return tables[tb].sql[id].sql;
}

static struct pg_conn *
conn(struct store *s)
{
	return s->h;
}

static struct pg_stmt *
P(struct dbstmt *st)
{
	return (struct pg_stmt *)(void *)st;
}

PGconn *
pg_conn(struct store *s)
{
	return conn(s)->pg;
}

const char *
pg_sqlstate(const PGresult *r)
{
	const char	*st = r != NULL ? PQresultErrorField(r,
			    PG_DIAG_SQLSTATE) : NULL;

	return st != NULL ? st : "";
}

/* --- connecting ---------------------------------------------------------- */

/* libpq's message as one line: its lines joined, no trailing newline. */
static const char *
oneline(const char *m, char *out, size_t outsz)
{
	size_t	 i, k = 0;

	for (i = 0; m != NULL && m[i] != '\0' && k + 1 < outsz; i++) {
		if (m[i] == '\n' || m[i] == '\t') {
			if (k > 0 && out[k - 1] != ' ')
				out[k++] = ' ';
			continue;
		}
		out[k++] = m[i];
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return out;
}

/* Server notices (an empty search, say) are not for the log. */
static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/*
 * What palaver needs of the server, and what it will not run without:
 * acknowledged comments are durable only if commits wait for the disk.
 * A server whose synchronous_commit is off is overridden for palaver's
 * transactions (never the other way); fsync off cannot be, and is said.
 */
static int
session_setup(PGconn *pg, int *force_sync, const char *shown)
{
	static atomic_int	 warned;
	PGresult		*r;
	char			 line[512];
	int			 ok = 0;

	*force_sync = 0;
	if (PQserverVersion(pg) < 120000) {
		log_err("%s: PostgreSQL %d is too old: palaver needs 12 or "
		    "newer", shown, PQserverVersion(pg) / 10000);
		return -1;
	}
	r = PQexec(pg, "SELECT current_setting('synchronous_commit'), "
	    "current_setting('fsync')");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		ok = 1;
		*force_sync = strcmp(PQgetvalue(r, 0, 0), "off") == 0;
		if ((*force_sync || strcmp(PQgetvalue(r, 0, 1), "off") == 0) &&
		    atomic_exchange(&warned, 1) == 0)
			log_err("%s: the server has %s off: %s", shown,
			    *force_sync ? "synchronous_commit" : "fsync",
			    *force_sync ? "palaver turns it on for its own "
			    "transactions" : "a crash of the server can lose "
			    "acknowledged comments");
	} else
		log_err("%s: %s", shown, oneline(PQerrorMessage(pg), line,
		    sizeof(line)));
	PQclear(r);
	return ok ? 0 : -1;
}

PGconn *
pg_connect(const char *url, int *force_sync)
{
	/* Ours first: what the URL says (it is expanded at "dbname")
	 * comes later and wins, but the encoding is ours. */
	static const char *const keys[] = {
		"fallback_application_name", "connect_timeout",
		"keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "dbname", "client_encoding", NULL,
	};
	const char	*vals[] = {
		"palaver", "5", "10", "5", "3", "30000", url, "UTF8", NULL,
	};
	char		 shown[1024], line[512];
	PGconn		*pg;

	store_display(url, shown, sizeof(shown));
	pg = PQconnectdbParams(keys, vals, 1);
	if (pg == NULL) {
		log_err("%s: cannot connect: out of memory", shown);
		return NULL;
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		log_err("%s: cannot connect: %s", shown,
		    oneline(PQerrorMessage(pg), line, sizeof(line)));
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, quiet, NULL);
	if (session_setup(pg, force_sync, shown) == -1) {
		PQfinish(pg);
		return NULL;
	}
	return pg;
}

/*
 * The statement's SQL with $1..$n for its :names (the same name, the same
 * number), skipping quoted strings, identifiers and :: casts.
 */
int
pg_convert(struct pg_stmt *st, const char *sql)
{
	size_t	 n = strlen(sql), i, k, len;
	char	*out, *p;
	int	 j;

	/* "$24" is never longer than ":x" plus two. */
	if ((out = malloc(n * 2 + 1)) == NULL)
		return -1;
	st->sql = out;
	p = out;
	for (i = 0; i < n; ) {
		char c = sql[i];

		if (c == '\'' || c == '"') {
			k = i + 1;
			while (k < n && sql[k] != c)
				k++;
			k = k < n ? k + 1 : n;
			memcpy(p, sql + i, k - i);
			p += k - i;
			i = k;
			continue;
		}
		if (c == ':' && i + 1 < n && sql[i + 1] == ':') {
			*p++ = ':';
			*p++ = ':';
			i += 2;
			continue;
		}
		if (c != ':' || i + 1 >= n || !(sql[i + 1] == '_' ||
		    (sql[i + 1] >= 'a' && sql[i + 1] <= 'z'))) {
			*p++ = c;
			i++;
			continue;
		}
		for (len = 1; i + len < n && (sql[i + len] == '_' ||
		    (sql[i + len] >= 'a' && sql[i + len] <= 'z') ||
		    (sql[i + len] >= '0' && sql[i + len] <= '9')); len++)
			continue;
		for (j = 0; j < st->nparams; j++)
			if (strlen(st->names[j]) == len &&
			    memcmp(st->names[j], sql + i, len) == 0)
				break;
		if (j == st->nparams) {
			if (j == MAXP || (st->names[j] = strndup(sql + i,
			    len)) == NULL)
				return -1;
			st->nparams++;
		}
		p += sprintf(p, "$%d", j + 1);
		i += len;
	}
	*p = '\0';
	return 0;
}

static void
forget_prepared(struct pg_conn *c)
{
	int	 i, t;

	for (t = 0; t < TB__MAX; t++)
		for (i = 0; c->st[t] != NULL && i < tables[t].n; i++)
			c->st[t][i].prepared = 0;
}

static void
free_bytes(struct pg_stmt *st)
{
	int	 i;

	for (i = 0; i < st->nbytes; i++)
		free(st->bytes[i]);
	free(st->bytes);
	st->bytes = NULL;
	st->nbytes = 0;
}

void
pg_stmt_clear(struct pg_stmt *st)
{
	int	 i;

	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
	free_bytes(st);
	for (i = 0; i < st->nparams; i++) {
		st->b[i].kind = B_NULL;
		free(st->copy[i]);
		st->copy[i] = NULL;
	}
}

/* What pg_convert and the statement's use allocated; not st itself. */
void
pg_stmt_free(struct pg_stmt *st)
{
	int	 j;

	pg_stmt_clear(st);
	free(st->sql);
	free(st->declare);
	for (j = 0; j < st->nparams; j++)
		free(st->names[j]);
}

void
pg_close(struct store *s)
{
	struct pg_conn	*c = conn(s);
	int		 i, t;

	if (c == NULL)
		return;
	for (t = 0; t < TB__MAX; t++) {
		for (i = 0; c->st[t] != NULL && i < tables[t].n; i++)
			pg_stmt_free(&c->st[t][i]);
		free(c->st[t]);
	}
	if (c->pg != NULL)
		PQfinish(c->pg);
	free(c->url);
	free(c);
	s->h = NULL;
}

enum status
pg_open(struct store *s, const char *url)
{
	struct pg_conn	*c;
	struct pg_stmt	*st;
	int		 i, t;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ST_NOMEM;
	s->h = c;
	if ((c->url = strdup(url)) == NULL)
		return ST_NOMEM;
	for (t = 0; t < TB__MAX; t++) {
		if ((c->st[t] = calloc((size_t)tables[t].n,
		    sizeof(*c->st[t]))) == NULL)
			return ST_NOMEM;
		for (i = 0; i < tables[t].n; i++) {
			st = &c->st[t][i];
			st->base.drv = &pg_driver;
			st->base.s = s;
			st->flags = tables[t].sql[i].flags;
			st->row = -1;
			snprintf(st->name, sizeof(st->name), "%c%d",
			    tables[t].letter, i);
			if (tables[t].sql[i].sql == NULL ||
			    pg_convert(st, tables[t].sql[i].sql) == -1) {
				log_err("database: statement %c%d: missing, "
				    "or out of memory", tables[t].letter, i);
				return ST_NOMEM;
			}
		}
	}
	if ((c->pg = pg_connect(url, &c->force_sync)) == NULL)
		return ST_DB;
	return ST_OK;
}

/*
 * A connection that was lost (the server restarted, a failover) is made
 * again before the next statement, unless a transaction was open on it:
 * that one is gone, and its caller must hear so first (and roll back).
 * Attempts are spaced, so a server that is down costs each request one
 * quick failure, not a connection storm.
 */
int
pg_ready(struct store *s)
{
	struct pg_conn	*c = conn(s);
	char		 shown[1024], line[512];
	time_t		 now;

	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	c->lost = 1;
	c->state[0] = '\0';
	if (c->in_tx) {
		snprintf(c->err, sizeof(c->err), "the connection was lost in "
		    "a transaction");
		return -1;
	}
	now = time(NULL);
	if (c->last_try != 0 && now - c->last_try < RECONNECT_SEC) {
		snprintf(c->err, sizeof(c->err), "no connection (tried again "
		    "less than %d s ago)", RECONNECT_SEC);
		return -1;
	}
	store_display(c->url, shown, sizeof(shown));
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK ||
	    session_setup(c->pg, &c->force_sync, shown) == -1) {
		c->last_try = now;
		snprintf(c->err, sizeof(c->err), "cannot connect: %s",
		    oneline(PQerrorMessage(c->pg), line, sizeof(line)));
		return -1;
	}
	PQsetNoticeProcessor(c->pg, quiet, NULL);
	c->last_try = 0;
	c->lost = 0;
	forget_prepared(c);
	log_info("%s: connected again", shown);
	return 0;
}

/* Note why a result failed, for pg_fail(). */
void
pg_note(struct pg_conn *c, const PGresult *r)
{
	const char	*msg = r != NULL ? PQresultErrorMessage(r) : "";

	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(c->pg);
	oneline(msg, c->err, sizeof(c->err));
	snprintf(c->state, sizeof(c->state), "%s", pg_sqlstate(r));
	c->lost = PQstatus(c->pg) != CONNECTION_OK;
}

enum status
pg_fail(struct store *s, const char *what)
{
	struct pg_conn	*c = conn(s);
	const char	*st = c->state;

	log_err("database: %s: %s%s", what, c->err, c->lost ?
	    " (the connection to PostgreSQL was lost; it is made again "
	    "for the next request)" : "");
	/*
	 * Try again later: the server went away or is starting, a
	 * deadlock or serialization failure, a lock or statement timeout,
	 * too many connections.
	 */
	if (c->lost || strncmp(st, "08", 2) == 0 || strncmp(st, "57P", 3) ==
	    0 || strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 ||
	    strcmp(st, "55P03") == 0 || strcmp(st, "57014") == 0 ||
	    strcmp(st, "53300") == 0)
		return ST_BUSY;
	return ST_DB;
}

/* --- statements ---------------------------------------------------------- */

struct dbstmt *
pg_get(struct store *s, enum stable tb, int id)
{
	struct pg_stmt	*st = &conn(s)->st[tb][id];

	pg_stmt_clear(st);
	return &st->base;
}

static int
param(struct pg_stmt *st, const char *name)
{
	int	 i;

	for (i = 0; i < st->nparams; i++)
		if (strcmp(st->names[i], name) == 0)
			return i;
	return -1;
}

int
pg_has(struct dbstmt *st, const char *name)
{
	return param(P(st), name) >= 0;
}

static struct bound *
slot(struct dbstmt *st, const char *name)
{
	int	 i = param(P(st), name);

	if (i < 0) {
		log_err("database: no parameter %s in: %s", name,
		    P(st)->sql);
		abort();	/* a programming error, caught by the tests */
	}
	return &P(st)->b[i];
}

void
pg_bind_int(struct dbstmt *st, const char *name, long long v)
{
	struct bound	*b = slot(st, name);

	b->kind = B_INT;
	snprintf(b->num, sizeof(b->num), "%lld", v);
}

void
pg_bind_real(struct dbstmt *st, const char *name, double v)
{
	struct bound	*b = slot(st, name);

	b->kind = B_REAL;
	snprintf(b->num, sizeof(b->num), "%.17g", v);
}

void
pg_bind_text(struct dbstmt *st, const char *name, const char *v)
{
	struct bound	*b = slot(st, name);

	b->kind = v != NULL ? B_TEXT : B_NULL;
	b->p = v;
	b->len = v != NULL ? strlen(v) : 0;
}

void
pg_bind_blob(struct dbstmt *st, const char *name, const void *v, size_t n)
{
	struct bound	*b = slot(st, name);

	b->kind = v != NULL ? B_BLOB : B_NULL;
	b->p = v;
	b->len = n;
}

static int
prepare(struct store *s, struct pg_stmt *st)
{
	struct pg_conn	*c = conn(s);
	PGresult	*r;
	int		 i, n;

	r = PQprepare(c->pg, st->name, st->sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_note(c, r);
		if (!c->lost)
			log_err("database: cannot prepare (%s): %s", st->sql,
			    c->err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	/* The parameters' types: a bytea is sent as raw bytes. */
	r = PQdescribePrepared(c->pg, st->name);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_note(c, r);
		PQclear(r);
		return -1;
	}
	n = PQnparams(r);
	for (i = 0; i < n && i < MAXP; i++)
		st->types[i] = PQparamtype(r, i);
	PQclear(r);
	st->prepared = 1;
	return 0;
}

static enum step
run(struct store *s, struct pg_stmt *st)
{
	struct pg_conn	*c = conn(s);
	const char	*vals[MAXP];
	int		 lens[MAXP], fmts[MAXP], i;
	ExecStatusType	 rs;
	const char	*tuples;

	c->changes = 0;
	if (pg_ready(s) == -1)
		return STEP_ERROR;
	/* A scan opens its cursor first (in the caller's transaction). */
	if (st->declare != NULL && !st->declared) {
		PGresult *r = PQexec(c->pg, st->declare);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_note(c, r);
			PQclear(r);
			return STEP_ERROR;
		}
		PQclear(r);
		st->declared = 1;
	}
	if (!st->prepared && prepare(s, st) == -1)
		return STEP_ERROR;
	for (i = 0; i < st->nparams; i++) {
		struct bound *b = &st->b[i];

		vals[i] = NULL;
		lens[i] = 0;
		fmts[i] = 0;
		switch (b->kind) {
		case B_NULL:
			break;
		case B_INT:
		case B_REAL:
			vals[i] = b->num;
			break;
		case B_TEXT:
		case B_BLOB:
			if (st->types[i] == BYTEAOID) {
				vals[i] = b->p;
				lens[i] = (int)b->len;
				fmts[i] = 1;
			} else if (b->kind == B_BLOB) {
				if ((st->copy[i] = strndup(b->p, b->len)) ==
				    NULL) {
					snprintf(c->err, sizeof(c->err),
					    "out of memory");
					return STEP_ERROR;
				}
				vals[i] = st->copy[i];
			} else
				vals[i] = b->p;
			break;
		}
	}
	if (st->flags & PG_CUSTOM_PLAN)
		st->res = PQexecParams(c->pg, st->sql, st->nparams, st->types,
		    vals, lens, fmts, 0);
	else
		st->res = PQexecPrepared(c->pg, st->name, st->nparams, vals,
		    lens, fmts, 0);
	rs = PQresultStatus(st->res);
	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
		pg_note(c, st->res);
		/* A constraint refused it, as SQLite's STEP_CONFLICT. */
		return strncmp(c->state, "23", 2) == 0 ? STEP_CONFLICT :
		    STEP_ERROR;
	}
	tuples = PQcmdTuples(st->res);
	c->changes = tuples != NULL && *tuples != '\0' ? atoll(tuples) : 0;
	st->nrows = rs == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
	if ((st->flags & PG_NONE_CONFLICT) && c->changes == 0)
		return STEP_CONFLICT;
	st->row = 0;
	return st->nrows > 0 ? STEP_ROW : STEP_DONE;
}

enum step
pg_step(struct dbstmt *base)
{
	struct pg_stmt	*st = P(base);

	free_bytes(st);
	if (st->res == NULL)
		return run(base->s, st);
	if (st->row < 0)
		return STEP_DONE;
	if (++st->row < st->nrows)
		return STEP_ROW;
	/* A scan's batch is over: the next one, until one comes short. */
	if (st->declare != NULL && st->nrows == SCAN_ROWS) {
		PQclear(st->res);
		st->res = NULL;
		return run(base->s, st);
	}
	st->row = st->nrows;
	return STEP_DONE;
}

void
pg_reset(struct dbstmt *st)
{
	pg_stmt_clear(P(st));
}

int
pg_col_null(struct dbstmt *base, int i)
{
	struct pg_stmt	*st = P(base);

	return st->res == NULL || st->row < 0 || st->row >= st->nrows ||
	    PQgetisnull(st->res, st->row, i);
}

static const char *
value(struct dbstmt *base, int i)
{
	struct pg_stmt	*st = P(base);

	if (pg_col_null(base, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

long long
pg_col_int(struct dbstmt *st, int i)
{
	const char	*v = value(st, i);

	if (v == NULL)
		return 0;
	if (v[0] == 't' || v[0] == 'f')	/* a boolean */
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

double
pg_col_real(struct dbstmt *st, int i)
{
	const char	*v = value(st, i);

	return v != NULL ? strtod(v, NULL) : 0;
}

/* Text as it is; a bytea as its bytes, NUL-terminated. */
const void *
pg_col_bytes(struct dbstmt *base, int i, size_t *len)
{
	struct pg_stmt	*st = P(base);
	const char	*v = value(base, i);
	unsigned char	*u;
	size_t		 k = 0;

	if (len != NULL)
		*len = 0;
	if (v == NULL)
		return NULL;
	if (PQftype(st->res, i) != BYTEAOID) {
		if (len != NULL)
			*len = (size_t)PQgetlength(st->res, st->row, i);
		return v;
	}
	/* One buffer a column: a row's blobs are all good until the next
	 * step, as SQLite's are. */
	if (st->bytes == NULL) {
		st->nbytes = PQnfields(st->res);
		if ((st->bytes = calloc((size_t)st->nbytes,
		    sizeof(*st->bytes))) == NULL)
			return NULL;
	}
	if (i < 0 || i >= st->nbytes)
		return NULL;
	free(st->bytes[i]);
	st->bytes[i] = NULL;
	/* libpq decodes both of bytea's text forms (hex and escape). */
	if ((u = PQunescapeBytea((const unsigned char *)v, &k)) == NULL)
		return NULL;
	if ((st->bytes[i] = malloc(k + 1)) != NULL) {
		memcpy(st->bytes[i], u, k);
		st->bytes[i][k] = '\0';
	}
	PQfreemem(u);
	if (st->bytes[i] == NULL)
		return NULL;
	if (len != NULL)
		*len = k;
	return st->bytes[i];
}

long long
pg_changes(struct store *s)
{
	return conn(s)->changes;
}

/* Every INSERT whose id is wanted says RETURNING id (db_insert). */
long long
pg_last_id(struct store *s)
{
	(void)s;
	return 0;
}

