/* cli_port.c: palaver export and remap on the command line, and the progress line long imports and exports show on a terminal */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "import/port.h"
#include "store/store.h"
#include "domain/site.h"
#include "cli/cli_int.h"

/* A rules file is a few lines a thread at most. */
#define MAX_RULES_FILE	(64UL * 1024 * 1024)

/* --- progress on a terminal ---------------------------------------------- */

void
cli_progress(void *arg, size_t done, size_t total)
{
	struct cli_progress	*p = arg;

	if (total > 0)
		fprintf(stderr, "\rpalaver: %s: %zu of %zu %s", p->file, done,
		    total, p->what);
	else
		fprintf(stderr, "\rpalaver: %s: %zu %s", p->file, done,
		    p->what);
	fflush(stderr);
	p->shown = 1;
}

int
cli_progress_on(struct cli_progress *p, const char *file, const char *what)
{
	p->file = file;
	p->what = what;
	p->shown = 0;
	return isatty(STDERR_FILENO);
}

void
cli_progress_off(struct cli_progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
}

/* --- export -------------------------------------------------------------- */

int
cmd_export(struct config *cfg, int argc, char **argv)
{
	const struct cmd	*me = cli_find("export", NULL);
	struct port_result	 r;
	struct port_opts	 o;
	struct site		 site;
	struct cli_progress	 pg;
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
			return cli_usage(me, "bad option");
		}
	if (optind != argc - 1)
		return cli_usage(me, "export takes one FILE (- for standard "
		    "output)");
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
	o.progress = cli_progress_on(&pg, file, "records") ? cli_progress :
	    NULL;
	o.arg = &pg;
	if (cli_site_open(cfg, &site) == 0) {
		if (port_export(site.store, f, &o, &r, err, sizeof(err)) ==
		    ST_OK)
			rv = 0;
		else
			fprintf(stderr, "palaver: %s: %s\n", file, err);
		cli_site_close(&site);
	}
	cli_progress_off(&pg);
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
		    "comments, %zu votes, %zu reports, %zu accounts, %zu "
		    "bans, %zu audit entries%s\n", r.n[PREC_ARTICLE],
		    r.n[PREC_COMMENT], r.n[PREC_VOTE], r.n[PREC_REPORT],
		    r.n[PREC_ACCOUNT], r.n[PREC_BAN], r.n[PREC_AUDIT],
		    o.with_secrets ? ", with secrets" : "");
	return rv;
}

/* --- remap --------------------------------------------------------------- */

int
cmd_remap(struct config *cfg, int argc, char **argv)
{
	const struct cmd	*me = cli_find("remap", NULL);
	struct remap_result	 r;
	struct remap_rule	*rules;
	struct arena		 a = { NULL, 0 };
	struct site		 site;
	struct buf		 text = BUF_INIT;
	FILE			*f;
	char			 err[512], chunk[8192];
	const char		*file;
	size_t			 n, nr, i;
	unsigned		 flags = 0;
	int			 ch, rv = EX_FAIL, open = 0;
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "normalize", no_argument, NULL, 'N' },
		{ "keep-query", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "n", opts, NULL)) != -1)
		switch (ch) {
		case 'n': flags |= REMAP_DRY_RUN; break;
		case 'N': flags |= REMAP_NORMALIZE; break;
		case 'q': flags |= REMAP_QUERY; break;
		default:
			return cli_usage(me, "bad option");
		}
	if (optind != argc - 1)
		return cli_usage(me, "remap takes one RULES file");
	if ((flags & REMAP_QUERY) && !(flags & REMAP_NORMALIZE))
		return cli_usage(me, "--keep-query goes with --normalize");
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
	if (cli_site_open(cfg, &site) == -1)
		goto out;
	open = 1;
	if (remap_run(site.store, rules, nr, flags, (long long)time(NULL), &r,
	    err, sizeof(err)) != ST_OK) {
		fprintf(stderr, "palaver: %s: %s; nothing was changed\n",
		    file, err);
		goto out;
	}
	for (i = 0; i < nr; i++)
		if (rules[i].used == 0)
			fprintf(stderr, "palaver: %s: warning: line %zu matches "
			    "no thread\n", file, rules[i].line);
	printf("%s %zu threads to new addresses, %zu merged into others%s\n",
	    (flags & REMAP_DRY_RUN) ? "would move" : "moved", r.moved,
	    r.merged, (flags & REMAP_DRY_RUN) ?
	    " (--dry-run: nothing was changed)" : "");
	rv = 0;
out:
	if (f != stdin)
		fclose(f);
	if (open)
		cli_site_close(&site);
	arena_free(&a);
	buf_free(&text);
	return rv;
}
