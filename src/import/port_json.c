/* port_json.c: the lines of palaver's export, one table of fields a record type, read and written through jansson */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "import/import_int.h"
#include "import/port.h"
#include "import/port_int.h"

/* What a field holds, and how it is checked. */
enum ftype {
	F_TEXT,		/* a string (no NUL) */
	F_TEXT_NULL,	/* a string or null */
	F_ID,		/* an integer > 0 */
	F_REF,		/* an integer > 0, or null (stored as 0) */
	F_INT,		/* an integer >= 0 */
	F_COUNT,	/* an integer >= 0; missing (a field newer than
			 * the file's writer): 0 */
	F_VOTE,		/* 1 or -1, as an int */
	F_REASON,	/* a report's reason (enum report_reason) */
	F_BOOL,
	F_REAL,
	F_STATUS,	/* "pending", "approved", "spam" or "deleted" */
	F_ROLE,		/* "admin" or "moderator", as a flag */
	F_SITE,		/* hex, up to 63 digits (struct port_meta) */
	F_SECRET,	/* 64 hex digits: 32 bytes */
	F_CONST		/* the header's "palaver": "export" */
};

struct field {
	const char	*name;
	enum ftype	 type;
	size_t		 off;		/* in struct port_line */
	int		 kind;		/* a text rule to meet, or -1 */
};

#define L(m)		offsetof(struct port_line, m)
#define ROW(t, m)	L(row.u.t.m)

static const struct field header_fields[] = {
	{ "palaver", F_CONST, 0, -1 },
	{ "version", F_INT, L(version), -1 },
	{ "schema", F_INT, L(schema), -1 },
	{ "site", F_SITE, L(meta.site), -1 },
	{ "comment_seq", F_INT, L(meta.comment_seq), -1 },
	{ "secrets", F_BOOL, L(secrets), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field secret_fields[] = {
	{ "value", F_SECRET, L(meta.secret), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field account_fields[] = {
	{ "id", F_ID, L(row.id), -1 },
	{ "name", F_TEXT, ROW(account, name), TEXT_ACCOUNT },
	{ "role", F_ROLE, ROW(account, admin), -1 },
	{ "created", F_INT, ROW(account, created), -1 },
	{ "last_login", F_REF, ROW(account, last_login), -1 },
	/* Only with secrets; a line without it is an account without. */
	{ "hash", F_TEXT_NULL, ROW(account, hash), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field article_fields[] = {
	{ "id", F_ID, L(row.id), -1 },
	/* Kept as they are: older palavers took any line as a uri or a
	 * title from the command line. */
	{ "uri", F_TEXT, ROW(article, uri), -1 },
	{ "title", F_TEXT, ROW(article, title), -1 },
	{ "body", F_TEXT_NULL, ROW(article, body), -1 },
	{ "created", F_INT, ROW(article, created), -1 },
	{ "closed", F_BOOL, ROW(article, closed), -1 },
	{ "mode", F_TEXT_NULL, ROW(article, mode), -1 },
	{ "version", F_INT, ROW(article, version), -1 },
	{ "title_proposed", F_TEXT_NULL, ROW(article, title_proposed), -1 },
	{ "made_by", F_TEXT_NULL, ROW(article, made_by), -1 },
	/* A reopening that outlives auto_close_days (010); none: 0. */
	{ "kept_open", F_REF, ROW(article, kept_open), -1 },
	/* Version 2: the counter votes move (the page cache's key). */
	{ "votes", F_COUNT, ROW(article, votes), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field comment_fields[] = {
	{ "id", F_ID, L(row.id), -1 },
	{ "article", F_ID, ROW(comment, article), -1 },
	{ "parent", F_REF, ROW(comment, parent), -1 },
	{ "author", F_TEXT, ROW(comment, author), -1 },
	{ "email", F_TEXT_NULL, ROW(comment, email), -1 },
	{ "website", F_TEXT_NULL, ROW(comment, website), -1 },
	{ "body", F_TEXT, ROW(comment, body), -1 },
	{ "status", F_STATUS, ROW(comment, status), -1 },
	{ "score", F_REAL, ROW(comment, score), -1 },
	{ "reasons", F_TEXT, ROW(comment, reasons), -1 },
	{ "created", F_INT, ROW(comment, created), -1 },
	{ "edited", F_REF, ROW(comment, edited), -1 },
	{ "edited_by", F_REF, ROW(comment, edited_by), -1 },
	{ "addr_hash", F_TEXT_NULL, ROW(comment, addr_hash), -1 },
	{ "user_agent", F_TEXT_NULL, ROW(comment, user_agent), -1 },
	{ "body_hash", F_TEXT_NULL, ROW(comment, body_hash), -1 },
	/* Version 2: the counts as they stand, not made again from the
	 * vote records: they are what readers saw ("best" follows). */
	{ "up", F_COUNT, ROW(comment, up), -1 },
	{ "down", F_COUNT, ROW(comment, down), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field vote_fields[] = {
	{ "comment", F_ID, ROW(vote, comment), -1 },
	{ "voter", F_TEXT, ROW(vote, voter), -1 },
	{ "addr_hash", F_TEXT_NULL, ROW(vote, addr_hash), -1 },
	{ "value", F_VOTE, ROW(vote, value), -1 },
	{ "at", F_INT, ROW(vote, at), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field report_fields[] = {
	{ "id", F_ID, L(row.id), -1 },
	{ "comment", F_ID, ROW(report, comment), -1 },
	{ "reason", F_REASON, ROW(report, reason), -1 },
	{ "text", F_TEXT, ROW(report, text), -1 },
	{ "created", F_INT, ROW(report, created), -1 },
	{ "addr_hash", F_TEXT_NULL, ROW(report, addr_hash), -1 },
	{ "net_hash", F_TEXT_NULL, ROW(report, net_hash), -1 },
	{ "settled", F_BOOL, ROW(report, settled), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field ban_fields[] = {
	{ "id", F_ID, L(row.id), -1 },
	{ "kind", F_TEXT, ROW(ban, kind), -1 },
	{ "value", F_TEXT, ROW(ban, value), -1 },
	{ "reason", F_TEXT, ROW(ban, reason), -1 },
	{ "created", F_INT, ROW(ban, created), -1 },
	{ "expires", F_REF, ROW(ban, expires), -1 },
	{ "moderator", F_REF, ROW(ban, moderator), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field audit_fields[] = {
	{ "id", F_ID, L(row.id), -1 },
	{ "at", F_INT, ROW(audit, at), -1 },
	{ "moderator", F_REF, ROW(audit, moderator), -1 },
	{ "actor", F_TEXT, ROW(audit, actor), -1 },
	{ "action", F_TEXT, ROW(audit, action), -1 },
	{ "target", F_TEXT, ROW(audit, target), -1 },
	{ "before", F_TEXT_NULL, ROW(audit, before), -1 },
	{ "after", F_TEXT_NULL, ROW(audit, after), -1 },
	{ "addr_hash", F_TEXT_NULL, ROW(audit, addr_hash), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field imported_fields[] = {
	{ "source", F_TEXT, ROW(imported, source), -1 },
	{ "source_id", F_TEXT, ROW(imported, source_id), -1 },
	{ "comment", F_ID, ROW(imported, comment), -1 },
	{ NULL, 0, 0, 0 },
};

static const struct field end_fields[] = {
	{ "accounts", F_INT, L(counts[PREC_ACCOUNT]), -1 },
	{ "articles", F_INT, L(counts[PREC_ARTICLE]), -1 },
	{ "comments", F_INT, L(counts[PREC_COMMENT]), -1 },
	{ "votes", F_COUNT, L(counts[PREC_VOTE]), -1 },
	{ "reports", F_COUNT, L(counts[PREC_REPORT]), -1 },
	{ "bans", F_INT, L(counts[PREC_BAN]), -1 },
	{ "audit", F_INT, L(counts[PREC_AUDIT]), -1 },
	{ "imported", F_INT, L(counts[PREC_IMPORTED]), -1 },
	{ NULL, 0, 0, 0 },
};

/* Every record type: its "type" and its fields, in the order written. */
static const struct {
	const char		*name;
	const struct field	*fields;
	enum port_table		 table;	/* PORT__MAX: none */
} recs[PREC__MAX] = {
	[PREC_HEADER] = { NULL, header_fields, PORT__MAX },
	[PREC_SECRET] = { "secret", secret_fields, PORT__MAX },
	[PREC_ACCOUNT] = { "account", account_fields, PORT_ACCOUNTS },
	[PREC_ARTICLE] = { "article", article_fields, PORT_ARTICLES },
	[PREC_COMMENT] = { "comment", comment_fields, PORT_COMMENTS },
	[PREC_VOTE] = { "vote", vote_fields, PORT_VOTES },
	[PREC_REPORT] = { "report", report_fields, PORT_REPORTS },
	[PREC_BAN] = { "ban", ban_fields, PORT_BANS },
	[PREC_AUDIT] = { "audit", audit_fields, PORT_AUDIT },
	[PREC_IMPORTED] = { "imported", imported_fields, PORT_IMPORTED },
	[PREC_END] = { "end", end_fields, PORT__MAX },
};

enum port_rec
port_rec_of(enum port_table t)
{
	int	 i;

	for (i = 0; i < PREC__MAX; i++)
		if (recs[i].table == t && recs[i].table != PORT__MAX)
			return (enum port_rec)i;
	return PREC__MAX;
}

const char *
port_rec_name(enum port_rec r)
{
	return (unsigned)r < PREC__MAX && recs[r].name != NULL ?
	    recs[r].name : "header";
}

/* --- writing ------------------------------------------------------------- */

static const char	 hexd[] = "0123456789abcdef";

/* A string as JSON; text that is not UTF-8 (no row should hold any) has
 * its bad bytes replaced, so the line stays JSON. */
static json_t *
jstr(const char *s)
{
	struct buf	 b = BUF_INIT;
	json_t		*j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	utf8_repair(&b, s, strlen(s), UTF8_REPLACEMENT);
	j = b.err ? NULL : json_string(buf_str(&b));
	buf_free(&b);
	return j;
}

static json_t *
jfield(const struct field *f, const struct port_line *l)
{
	const char	*p = (const char *)l + f->off;
	const char	*s;
	long long	 v;
	char		 hex[65];
	size_t		 i;

	switch (f->type) {
	case F_CONST:
		return json_string("export");
	case F_TEXT:
	case F_TEXT_NULL:
		memcpy(&s, p, sizeof(s));
		return f->type == F_TEXT && s == NULL ? json_string("") :
		    jstr(s);
	case F_ID:
	case F_INT:
	case F_COUNT:
		memcpy(&v, p, sizeof(v));
		return json_integer(v);
	case F_VOTE:
		return json_integer(*(const int *)(const void *)p < 0 ? -1 : 1);
	case F_REASON:
		return json_string(report_reason_str(*(const enum report_reason
		    *)(const void *)p));
	case F_REF:
		memcpy(&v, p, sizeof(v));
		return v != 0 ? json_integer(v) : json_null();
	case F_BOOL:
		return json_boolean(*(const int *)(const void *)p);
	case F_REAL:
		return json_real(*(const double *)(const void *)p);
	case F_STATUS:
		return json_string(cstatus_str(*(const enum cstatus *)
		    (const void *)p));
	case F_ROLE:
		return json_string(*(const int *)(const void *)p ? "admin" :
		    "moderator");
	case F_SITE:
		return json_string(p);
	case F_SECRET:
		for (i = 0; i < 32; i++) {
			hex[2 * i] = hexd[(unsigned char)p[i] >> 4];
			hex[2 * i + 1] = hexd[(unsigned char)p[i] & 15];
		}
		hex[64] = '\0';
		return json_string(hex);
	}
	return NULL;
}

enum status
port_write_line(FILE *out, const struct port_line *l, int with_secrets)
{
	const struct field	*f;
	json_t			*o, *v;
	int			 rc;

	if ((unsigned)l->type >= PREC__MAX || (o = json_object()) == NULL)
		return ST_NOMEM;
	if (recs[l->type].name != NULL && json_object_set_new(o, "type",
	    json_string(recs[l->type].name)) == -1)
		goto nomem;
	for (f = recs[l->type].fields; f->name != NULL; f++) {
		/* An account's hash is a secret. */
		if (f->off == ROW(account, hash) && l->type == PREC_ACCOUNT &&
		    !with_secrets)
			continue;
		if ((v = jfield(f, l)) == NULL ||
		    json_object_set_new(o, f->name, v) == -1)
			goto nomem;
	}
	rc = json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(17));
	json_decref(o);
	if (rc == -1 || putc('\n', out) == EOF)
		return ST_IO;
	return ST_OK;
nomem:
	json_decref(o);
	return ST_NOMEM;
}

/* --- reading ------------------------------------------------------------- */

static enum status
bad(char *err, size_t errsz, const char *field, const char *what)
{
	snprintf(err, errsz, "\"%s\" %s", field, what);
	return ST_INPUT;
}

static int
unhex(int c)
{
	const char	*p = c != '\0' ? strchr(hexd, c) : NULL;

	return p != NULL ? (int)(p - hexd) : -1;
}

static enum status
take_field(struct arena *a, const struct field *f, json_t *v,
    struct port_line *l, char *err, size_t errsz)
{
	char		*p = (char *)l + f->off;
	const char	*s;
	char		*copy;
	long long	 n;
	size_t		 len, i;
	int		 admin;
	enum cstatus	 cs;
	enum report_reason rr;

	if (v == NULL && f->type != F_TEXT_NULL && f->type != F_REF &&
	    f->type != F_COUNT)
		return bad(err, errsz, f->name, "is missing");
	if (v == NULL || json_is_null(v)) {
		if (f->type == F_TEXT_NULL || f->type == F_REF ||
		    (f->type == F_COUNT && v == NULL))
			return ST_OK;	/* zeroed already */
		return bad(err, errsz, f->name, "may not be null");
	}
	switch (f->type) {
	case F_CONST:
		if (!json_is_string(v) || strcmp(json_string_value(v),
		    "export") != 0)
			return bad(err, errsz, f->name, "is not \"export\"");
		return ST_OK;
	case F_TEXT:
	case F_TEXT_NULL:
		if (!json_is_string(v))
			return bad(err, errsz, f->name, "is not a string");
		s = json_string_value(v);
		len = json_string_length(v);
		if (memchr(s, '\0', len) != NULL)
			return bad(err, errsz, f->name, "holds a NUL");
		if (f->kind >= 0 && text_check((enum text_kind)f->kind, s,
		    0) != TEXT_OK)
			return bad(err, errsz, f->name, "breaks the text "
			    "rules");
		if ((copy = arena_strndup(a, s, len)) == NULL)
			return ST_NOMEM;
		memcpy(p, &copy, sizeof(copy));
		return ST_OK;
	case F_ID:
	case F_REF:
	case F_INT:
	case F_COUNT:
		if (!json_is_integer(v) || (n = json_integer_value(v)) < 0 ||
		    (n == 0 && f->type != F_INT && f->type != F_COUNT))
			return bad(err, errsz, f->name, f->type == F_INT ||
			    f->type == F_COUNT ?
			    "is not an integer of 0 or more" :
			    "is not an id (an integer from 1)");
		memcpy(p, &n, sizeof(n));
		return ST_OK;
	case F_VOTE:
		if (!json_is_integer(v) || (json_integer_value(v) != 1 &&
		    json_integer_value(v) != -1))
			return bad(err, errsz, f->name, "is not 1 or -1");
		*(int *)(void *)p = (int)json_integer_value(v);
		return ST_OK;
	case F_REASON:
		if (!json_is_string(v) || (rr = report_reason_parse(
		    json_string_value(v))) == RR__MAX)
			return bad(err, errsz, f->name, "is not a reason "
			    "(spam, abuse, off-topic or other)");
		*(enum report_reason *)(void *)p = rr;
		return ST_OK;
	case F_BOOL:
		if (!json_is_boolean(v))
			return bad(err, errsz, f->name, "is not true or false");
		*(int *)(void *)p = json_is_true(v);
		return ST_OK;
	case F_REAL:
		if (!json_is_number(v))
			return bad(err, errsz, f->name, "is not a number");
		*(double *)(void *)p = json_number_value(v);
		return ST_OK;
	case F_STATUS:
		if (!json_is_string(v) || (cs = cstatus_parse(
		    json_string_value(v))) == CS__MAX)
			return bad(err, errsz, f->name, "is not a status");
		*(enum cstatus *)(void *)p = cs;
		return ST_OK;
	case F_ROLE:
		if (!json_is_string(v) || ((admin = strcmp(
		    json_string_value(v), "admin") == 0) == 0 &&
		    strcmp(json_string_value(v), "moderator") != 0))
			return bad(err, errsz, f->name, "is not admin or "
			    "moderator");
		*(int *)(void *)p = admin;
		return ST_OK;
	case F_SITE:
		if (!json_is_string(v) || (len = json_string_length(v)) == 0 ||
		    len >= sizeof(l->meta.site))
			return bad(err, errsz, f->name, "is not a site id");
		s = json_string_value(v);
		for (i = 0; i < len; i++)
			if (unhex(s[i]) < 0)
				return bad(err, errsz, f->name, "is not a "
				    "site id");
		memcpy(p, s, len + 1);
		return ST_OK;
	case F_SECRET:
		if (!json_is_string(v) || json_string_length(v) != 64)
			return bad(err, errsz, f->name, "is not 64 hex digits");
		s = json_string_value(v);
		for (i = 0; i < 32; i++) {
			if (unhex(s[2 * i]) < 0 || unhex(s[2 * i + 1]) < 0)
				return bad(err, errsz, f->name, "is not 64 hex "
				    "digits");
			p[i] = (char)(unhex(s[2 * i]) << 4 |
			    unhex(s[2 * i + 1]));
		}
		return ST_OK;
	}
	return ST_INPUT;
}

enum status
port_parse_line(struct arena *a, const char *line, size_t n,
    struct port_line *l, char *err, size_t errsz)
{
	const struct field	*f;
	json_error_t		 je;
	json_t			*o, *t;
	const char		*type;
	enum status		 st = ST_INPUT;
	int			 i;

	memset(l, 0, sizeof(*l));
	err[0] = '\0';
	if ((o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		snprintf(err, errsz, "not JSON: %.150s", je.text);
		return ST_INPUT;
	}
	if (!json_is_object(o)) {
		snprintf(err, errsz, "not a JSON object");
		goto out;
	}
	if ((t = json_object_get(o, "type")) == NULL) {
		l->type = PREC_HEADER;
	} else {
		type = json_is_string(t) ? json_string_value(t) : "";
		for (i = 0; i < PREC__MAX; i++)
			if (recs[i].name != NULL &&
			    strcmp(recs[i].name, type) == 0)
				break;
		if (i == PREC__MAX) {
			snprintf(err, errsz, "\"type\" is not a kind of "
			    "record this palaver knows");
			goto out;
		}
		l->type = (enum port_rec)i;
	}
	if (recs[l->type].table != PORT__MAX)
		l->row.table = recs[l->type].table;
	for (f = recs[l->type].fields; f->name != NULL; f++)
		if ((st = take_field(a, f, json_object_get(o, f->name), l, err,
		    errsz)) != ST_OK)
			goto out;
	st = ST_OK;
out:
	if (st != ST_OK && err[0] == '\0')
		snprintf(err, errsz, "out of memory");
	import_sanitize(err);
	json_decref(o);
	return st;
}
