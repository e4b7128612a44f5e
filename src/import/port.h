/* port.h: palaver's own export (JSON Lines, versioned) written and read back, and threads moved to new addresses (remap) */
#ifndef PALAVER_PORT_H
#define PALAVER_PORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"
#include "store/store.h"

struct arena;

/*
 * The format: one JSON object a line.  The first line is the header,
 * {"palaver": "export", "version": PORT_VERSION, "schema": N, "site":
 * ID, "comment_seq": N, "secrets": BOOL}; then the records, each with
 * its "type" first: "secret" (with secrets only), "account", "article",
 * "comment", "vote", "report", "ban", "audit", "imported", in that order
 * (votes and reports name comments, which are before them) and each
 * table in a fixed order (comments by article and thread, parents first;
 * votes by comment and voter; the rest by id); the last line is
 * {"type": "end", ...} with the count of each type, so a file cut short
 * is refused.  A reader refuses a version newer than its own; within a
 * version, fields are only ever added.
 *
 * Version 2 added the vote and report records, the comments' "up" and
 * "down" and the articles' "votes" counter; a version 1 file is read as
 * one without votes or reports (the new fields read as 0).
 */
#define PORT_VERSION	2
/* A line longer than this (a comment is at most 1 MiB of text, which
 * JSON escapes may make six times longer) is refused. */
#define PORT_MAX_LINE	(8UL * 1024 * 1024)

enum port_rec {
	PREC_HEADER,
	PREC_SECRET,
	PREC_ACCOUNT,
	PREC_ARTICLE,
	PREC_COMMENT,
	PREC_VOTE,
	PREC_REPORT,
	PREC_BAN,
	PREC_AUDIT,
	PREC_IMPORTED,
	PREC_END,
	PREC__MAX
};

/* One line, parsed. */
struct port_line {
	enum port_rec	 type;
	struct port_row	 row;		/* account ... imported */
	struct port_meta meta;		/* header (site, comment_seq), secret */
	long long	 version;	/* header */
	long long	 schema;	/* header */
	int		 secrets;	/* header */
	long long	 counts[PREC__MAX];	/* end */
};

struct port_opts {
	int		 with_secrets;	/* password hashes and the secret */
	/* Called now and then with the records so far (may be NULL). */
	void		(*progress)(void *arg, size_t done, size_t total);
	void		*arg;
};

/* What port_export or port_import did. */
struct port_result {
	size_t		 n[PREC__MAX];	/* records written or read */
	int		 restored;	/* into an empty database: as it was */
	size_t		 added;		/* comments added (a merge) */
	size_t		 votes_added;	/* votes with them (a merge) */
	size_t		 reports_added;	/* reports with them */
	size_t		 seen;		/* comments there already (a merge) */
	size_t		 no_password;	/* accounts that need one set */
	size_t		 accounts_kept;	/* names taken here already */
	size_t		 left_out;	/* audit entries, secret (a merge) */
};

/*
 * port_export: the whole site, one consistent snapshot, as JSON Lines to
 * out, in memory that does not grow with the site.  Password hashes and
 * the server secret only with opts->with_secrets.  On error (ST_IO when
 * writing failed) err says why; what was written is incomplete.
 */
enum status	 port_export(struct store *, FILE *out,
		    const struct port_opts *, struct port_result *,
		    char *err, size_t errsz);

/*
 * port_parse_line: one line of an export (n bytes, no newline), checked:
 * the type, each field's type and form, the text rules where they apply.
 * Strings go to the arena.  ST_INPUT with the reason in err.
 */
enum status	 port_parse_line(struct arena *, const char *line, size_t n,
		    struct port_line *, char *err, size_t errsz);

/*
 * port_import: read an export (path, "-" for standard input, gzip or
 * not) in one transaction.  Into an empty database it is a restore:
 * every id, date, status, vote, report and audit entry as it was, the
 * vote counts too, so exporting again gives the same file (the restore
 * itself is not audited, for that reason); accounts without a password
 * hash get one that matches no password.  Into a database with data it
 * is a merge: articles are found by uri, comments added with new ids
 * unless they came before (from this export, or from this very
 * database), each added comment with its vote counts, its votes and its
 * reports (a comment there already keeps its own, so importing a file
 * again adds nothing), accounts whose name is free are added, bans
 * added, and the audit log and the secret are left out.  All or nothing:
 * on error err names the line and the database is unchanged.
 */
enum status	 port_import(struct store *, const char *path,
		    const struct port_opts *, long long now,
		    struct port_result *, char *err, size_t errsz);

/* A line of a remap file: "OLD NEW", or "OLD* NEW*" for a prefix. */
struct remap_rule {
	const char	*from;		/* a normalised key, or its prefix */
	const char	*to;
	int		 prefix;
	size_t		 line;
	size_t		 used;		/* articles it moved */
};

/*
 * remap_parse: the rules in text[0..n): one a line, blank lines and
 * lines starting with '#' skipped; keys are normalised as thread keys
 * are (text_uri_normalize, the query kept).  *rules in the arena.
 * ST_INPUT with the line and the reason in err.
 */
enum status	 remap_parse(struct arena *, const char *text, size_t n,
		    struct remap_rule **rules, size_t *nrules, char *err,
		    size_t errsz);

/* What remap_run did. */
struct remap_result {
	size_t		 moved;		/* articles given a new uri */
	size_t		 merged;	/* articles merged into another */
	size_t		 unused;	/* rules that matched nothing */
};

/* remap_run's flags. */
#define REMAP_DRY_RUN	0x01	/* say what would change, keep nothing */
#define REMAP_NORMALIZE	0x02	/* every key made again by the rule of
				 * today (text_uri_normalize), first */
#define REMAP_QUERY	0x04	/* with REMAP_NORMALIZE: keep the query */

/*
 * remap_run: give every article the key the first matching rule makes
 * of it (an exact rule before prefixes, the longest prefix first; with
 * REMAP_NORMALIZE, of its key normalised first, which moves keys that
 * older palavers or other programs wrote: "/p/%e7?x=1" to "/p/%E7");
 * articles that land on one key become one (their threads join the
 * article that had the key, else the oldest), and every change is in the
 * audit log.  All or nothing, in one transaction; with REMAP_DRY_RUN
 * nothing is kept.  ST_INPUT when a rule makes a key that is not one
 * (err says which).
 */
enum status	 remap_run(struct store *, struct remap_rule *, size_t,
		    unsigned flags, long long now, struct remap_result *,
		    char *err, size_t errsz);

#endif
