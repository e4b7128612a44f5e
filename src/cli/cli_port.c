/* cli_port.c: palaver import, export and remap on the command line: options, progress on a terminal, the summary */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_port.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "import/import.h"
#include "import/port.h"
#include "store/store.h"

#define EX_FAIL		1
#define EX_USAGE	2
/* A rules file is a few lines a thread at most. */
#define MAX_RULES_FILE	(64UL * 1024 * 1024)

static int
usage(const char *use, const char *help, const char *msg)
{
	fprintf(stderr, "palaver: %s\nusage: palaver %s\n\n%s\n", msg, use,
	    help);
	return EX_USAGE;
}

static int
open_store(const struct config *cfg, struct store **s)
{
	if (store_open(cfg->db_path, s) != ST_OK) {
		fprintf(stderr, "palaver: %s: cannot open the database\n",
		    cfg->db_path);
		return -1;
	}
	return 0;
}

/* --- progress on a terminal ---------------------------------------------- */

struct progress {
	const char	*file;
	const char	*what;
	int		 shown;
};

static void
progress(void *arg, size_t done, size_t total)
{
	struct progress	*p = arg;

	if (total > 0)
		fprintf(stderr, "\rpalaver: %s: %zu of %zu %s", p->file, done,
		    total, p->what);
	else
		fprintf(stderr, "\rpalaver: %s: %zu %s", p->file, done,
		    p->what);
	fflush(stderr);
	p->shown = 1;
}

/* 1 when standard error is a terminal, the progress line's place. */
static int
progress_on(struct progress *p, const char *file, const char *what)
{
	p->file = file;
	p->what = what;
	p->shown = 0;
	return isatty(STDERR_FILENO);
}

static void
progress_off(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
}

/* --- import -------------------------------------------------------------- */

static void
summary_drops(const char *file, const struct import_doc *d)
{
	const char	*sep = "";
	int		 i;

	if (d->nrefused == 0)
		return;
	fprintf(stderr, "palaver: %s: %zu comments left out:", file,
	    d->nrefused);
	for (i = 0; i < DROP__MAX; i++)
		if (d->dropped[i] > 0) {
			fprintf(stderr, "%s %zu %s", sep, d->dropped[i],
			    import_drop_reason((enum import_drop)i));
			sep = ",";
		}
	fprintf(stderr, " (see the warnings)\n");
}

static int
import_doc_cmd(struct config *cfg, enum import_kind kind, const char *file,
    struct import_opts *o)
{
	struct import_doc	*doc = NULL;
	struct import_result	 r;
	struct store		*s = NULL;
	struct progress		 pg;
	char			 err[512];
	size_t			 i;
	int			 rv = EX_FAIL;

	if (import_parse_file(kind, file, o, &doc, err, sizeof(err)) !=
	    ST_OK) {
		fprintf(stderr, "palaver: %s: %s\n", file, err);
		return EX_FAIL;
	}
	o->progress = progress_on(&pg, file, "comments") ? progress : NULL;
	o->arg = &pg;
	if (open_store(cfg, &s) == 0 && import_run(s, doc, o,
	    (long long)time(NULL), &r, err, sizeof(err)) == ST_OK)
		rv = 0;
	progress_off(&pg);
	for (i = 0; i < doc->nwarnings && i < IMPORT_MAX_WARNINGS; i++)
		fprintf(stderr, "palaver: %s: warning: %s\n", file,
		    doc->warnings[i]);
	if (doc->nwarnings > IMPORT_MAX_WARNINGS)
		fprintf(stderr, "palaver: %s: %zu more warnings\n", file,
		    doc->nwarnings - IMPORT_MAX_WARNINGS);
	if (rv == 0) {
		printf("imported %zu articles (%zu new), %zu comments (%zu "
		    "skipped as already imported, %zu pingbacks skipped)\n",
		    r.articles, r.articles_new, r.comments, r.seen,
		    r.pingbacks);
		if (r.reattached > 0)
			printf("%zu replies joined their parents, imported "
			    "since\n", r.reattached);
		if (r.closed > 0)
			printf("%zu new articles closed to comments, as they "
			    "were\n", r.closed);
		summary_drops(file, doc);
		if (doc->likes > 0)
			fprintf(stderr, "palaver: %s: %lld likes not kept: "
			    "palaver has no votes\n", file, doc->likes);
	} else if (s != NULL)
		fprintf(stderr, "palaver: %s: %s; nothing was imported\n",
		    file, err);
	store_close(s);
	import_doc_free(doc);
	return rv;
}

static int
import_palaver_cmd(struct config *cfg, const char *file)
{
	struct port_result	 r;
	struct port_opts	 o;
	struct store		*s = NULL;
	struct progress		 pg;
	char			 err[512];
	int			 rv = EX_FAIL;

	memset(&o, 0, sizeof(o));
	o.progress = progress_on(&pg, file, "records") ? progress : NULL;
	o.arg = &pg;
	if (open_store(cfg, &s) == -1)
		return EX_FAIL;
	if (port_import(s, file, &o, (long long)time(NULL), &r, err,
	    sizeof(err)) == ST_OK)
		rv = 0;
	progress_off(&pg);
	store_close(s);
	if (rv != 0) {
		fprintf(stderr, "palaver: %s: %s; nothing was imported\n",
		    file, err);
		return rv;
	}
	if (r.restored)
		printf("restored %zu articles, %zu comments, %zu accounts, %zu "
		    "bans, %zu audit entries\n", r.n[PREC_ARTICLE],
		    r.n[PREC_COMMENT], r.n[PREC_ACCOUNT], r.n[PREC_BAN],
		    r.n[PREC_AUDIT]);
	else
		printf("imported %zu comments (%zu there already) from %zu "
		    "articles\n", r.added, r.seen, r.n[PREC_ARTICLE]);
	if (r.no_password > 0)
		fprintf(stderr, "palaver: %s: %zu accounts have no password "
		    "(the export had no secrets): palaver user passwd NAME\n",
		    file, r.no_password);
	if (r.accounts_kept > 0)
		fprintf(stderr, "palaver: %s: %zu accounts were here already "
		    "by name: kept as they are\n", file, r.accounts_kept);
	if (r.left_out > 0)
		fprintf(stderr, "palaver: %s: the audit log and the secret of "
		    "the export stay out of a database with data (%zu "
		    "records)\n", file, r.left_out);
	return 0;
}

int
cli_import(struct config *cfg, int argc, char **argv)
{
	struct import_opts	 o;
	enum import_kind	 kind = import_kind_parse(argv[0]);
	const char		*use, *help;
	int			 ch, palaver = strcmp(argv[0], "palaver") == 0;
	static const struct option opts[] = {
		{ "pingbacks", no_argument, NULL, 'p' },
		{ "keep-query", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};

	use = kind == IMPORT_WORDPRESS ? CLI_IMPORT_WP_USAGE :
	    kind == IMPORT_DISQUS ? CLI_IMPORT_DSQ_USAGE :
	    kind == IMPORT_ISSO ? CLI_IMPORT_ISSO_USAGE :
	    CLI_IMPORT_PALAVER_USAGE;
	help = kind == IMPORT_WORDPRESS ? CLI_IMPORT_WP_HELP :
	    kind == IMPORT_DISQUS ? CLI_IMPORT_DSQ_HELP :
	    kind == IMPORT_ISSO ? CLI_IMPORT_ISSO_HELP :
	    CLI_IMPORT_PALAVER_HELP;
	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'p': o.pingbacks = 1; break;
		case 'q': o.keep_query = 1; break;
		default:
			return usage(use, help, "bad option");
		}
	if (optind != argc - 1)
		return usage(use, help, "import takes one FILE");
	if (o.pingbacks && kind != IMPORT_WORDPRESS)
		return usage(use, help, "--pingbacks is for WordPress exports");
	if (palaver) {
		if (o.keep_query)
			return usage(use, help, "an export of palaver's has "
			    "its keys made already");
		return import_palaver_cmd(cfg, argv[optind]);
	}
	if (kind == IMPORT__MAX)
		return usage(use, help, "no such kind of export");
	return import_doc_cmd(cfg, kind, argv[optind], &o);
}

/* --- export -------------------------------------------------------------- */

int
cli_export(struct config *cfg, int argc, char **argv)
{
	struct port_result	 r;
	struct port_opts	 o;
	struct store		*s = NULL;
	struct progress		 pg;
	const char		*file;
	char			 err[512], tmp[4096];
	FILE			*f = NULL;
	int			 ch, fd, rv = EX_FAIL, stdo;
	static const struct option opts[] = {
		{ "with-secrets", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 's': o.with_secrets = 1; break;
		default:
			return usage(CLI_EXPORT_USAGE, CLI_EXPORT_HELP,
			    "bad option");
		}
	if (optind != argc - 1)
		return usage(CLI_EXPORT_USAGE, CLI_EXPORT_HELP,
		    "export takes one FILE (- for standard output)");
	file = argv[optind];
	stdo = strcmp(file, "-") == 0;
	tmp[0] = '\0';
	if (stdo)
		f = stdout;
	else {
		/* Beside the file, then renamed: it is whole or not there. */
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file,
		    (long)getpid()) >= sizeof(tmp)) {
			fprintf(stderr, "palaver: %s: name too long\n", file);
			return EX_FAIL;
		}
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "palaver: %s: %s\n", tmp,
			    strerror(errno));
			if (fd != -1)
				close(fd);
			unlink(tmp);
			return EX_FAIL;
		}
	}
	o.progress = progress_on(&pg, file, "records") ? progress : NULL;
	o.arg = &pg;
	if (open_store(cfg, &s) == 0 && port_export(s, f, &o, &r, err,
	    sizeof(err)) == ST_OK)
		rv = 0;
	else if (s != NULL)
		fprintf(stderr, "palaver: %s: %s\n", file, err);
	progress_off(&pg);
	store_close(s);
	if (!stdo) {
		if ((fsync(fileno(f)) == -1 || fclose(f) == EOF) && rv == 0) {
			fprintf(stderr, "palaver: %s: %s\n", tmp,
			    strerror(errno));
			rv = EX_FAIL;
		}
		if (rv == 0 && rename(tmp, file) == -1) {
			fprintf(stderr, "palaver: %s: %s\n", file,
			    strerror(errno));
			rv = EX_FAIL;
		}
		if (rv != 0)
			unlink(tmp);
	} else if (fflush(stdout) == EOF && rv == 0) {
		fprintf(stderr, "palaver: -: %s\n", strerror(errno));
		rv = EX_FAIL;
	}
	if (rv == 0)
		fprintf(stdo ? stderr : stdout, "exported %zu articles, %zu "
		    "comments, %zu accounts, %zu bans, %zu audit entries%s\n",
		    r.n[PREC_ARTICLE], r.n[PREC_COMMENT], r.n[PREC_ACCOUNT],
		    r.n[PREC_BAN], r.n[PREC_AUDIT], o.with_secrets ?
		    ", with secrets" : "");
	return rv;
}

/* --- remap --------------------------------------------------------------- */

int
cli_remap(struct config *cfg, int argc, char **argv)
{
	struct remap_result	 r;
	struct remap_rule	*rules;
	struct arena		 a = { NULL, 0 };
	struct store		*s = NULL;
	struct buf		 text = BUF_INIT;
	FILE			*f;
	char			 err[512], chunk[8192];
	const char		*file;
	size_t			 n, nr, i;
	int			 ch, dry = 0, rv = EX_FAIL;
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "n", opts, NULL)) != -1)
		switch (ch) {
		case 'n': dry = 1; break;
		default:
			return usage(CLI_REMAP_USAGE, CLI_REMAP_HELP,
			    "bad option");
		}
	if (optind != argc - 1)
		return usage(CLI_REMAP_USAGE, CLI_REMAP_HELP,
		    "remap takes one RULES file");
	file = argv[optind];
	if ((f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r")) == NULL) {
		fprintf(stderr, "palaver: %s: %s\n", file, strerror(errno));
		return EX_FAIL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	    text.len + n <= MAX_RULES_FILE)
		buf_put(&text, chunk, n);
	if (ferror(f) || n > 0 || text.err) {
		fprintf(stderr, "palaver: %s: %s\n", file, n > 0 ?
		    "too large for a rules file" : "cannot read it");
		goto out;
	}
	if (remap_parse(&a, buf_str(&text), text.len, &rules, &nr, err,
	    sizeof(err)) != ST_OK) {
		fprintf(stderr, "palaver: %s: %s; nothing was changed\n",
		    file, err);
		goto out;
	}
	if (open_store(cfg, &s) == -1)
		goto out;
	if (remap_run(s, rules, nr, dry, (long long)time(NULL), &r, err,
	    sizeof(err)) != ST_OK) {
		fprintf(stderr, "palaver: %s: %s; nothing was changed\n",
		    file, err);
		goto out;
	}
	for (i = 0; i < nr; i++)
		if (rules[i].used == 0)
			fprintf(stderr, "palaver: %s: warning: line %zu matches "
			    "no thread\n", file, rules[i].line);
	printf("%s %zu threads to new addresses, %zu merged into others%s\n",
	    dry ? "would move" : "moved", r.moved, r.merged, dry ?
	    " (--dry-run: nothing was changed)" : "");
	rv = 0;
out:
	if (f != stdin)
		fclose(f);
	store_close(s);
	arena_free(&a);
	buf_free(&text);
	return rv;
}
