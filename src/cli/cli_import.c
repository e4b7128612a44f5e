/* cli_import.c: comments from other systems' exports and palaver's own, with their summary; and the demo */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "import/import.h"
#include "import/port.h"
#include "domain/comments.h"
#include "cli/cli_int.h"

/* "N comments left out: 3 on a post ..., 1 over 1 MiB" */
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

/* WordPress, Disqus, Isso: parsed whole, then stored in one go. */
static int
import_doc(struct config *cfg, enum import_kind kind, const char *file,
    struct import_opts *o)
{
	struct import_doc	*doc = NULL;
	struct import_result	 r;
	struct cli_progress	 pg;
	struct site		 site;
	char			 err[512];
	size_t			 i;
	int			 rv = EX_FAIL, open = 0;

	if (import_parse_file(kind, file, o, &doc, err, sizeof(err)) !=
	    ST_OK) {
		fprintf(stderr, "palaver: %s: %s\n", file, err);
		return EX_FAIL;
	}
	o->progress = cli_progress_on(&pg, file, "comments") ? cli_progress :
	    NULL;
	o->arg = &pg;
	if (cli_site_open(cfg, &site) == 0) {
		open = 1;
		if (import_run(site.store, doc, o, (long long)time(NULL), &r,
		    err, sizeof(err)) == ST_OK)
			rv = 0;
	}
	cli_progress_off(&pg);
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
		if (r.counted > 0)
			printf("%lld likes and dislikes kept as vote counts "
			    "(no voter behind them)\n", r.counted);
	} else if (open)
		fprintf(stderr, "palaver: %s: %s; nothing was imported\n",
		    file, err);
	if (open)
		cli_site_close(&site);
	import_doc_free(doc);
	return rv;
}

/* palaver's own export, read line by line into one transaction. */
static int
import_palaver(struct config *cfg, const char *file)
{
	struct port_result	 r;
	struct port_opts	 o;
	struct cli_progress	 pg;
	struct site		 site;
	char			 err[512];
	int			 rv = EX_FAIL;

	memset(&o, 0, sizeof(o));
	o.progress = cli_progress_on(&pg, file, "records") ? cli_progress :
	    NULL;
	o.arg = &pg;
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	if (port_import(site.store, file, &o, (long long)time(NULL), &r, err,
	    sizeof(err)) == ST_OK)
		rv = 0;
	cli_progress_off(&pg);
	cli_site_close(&site);
	if (rv != 0) {
		fprintf(stderr, "palaver: %s: %s; nothing was imported\n",
		    file, err);
		return rv;
	}
	if (r.restored)
		printf("restored %zu articles, %zu comments, %zu votes, %zu "
		    "reports, %zu accounts, %zu bans, %zu audit entries\n",
		    r.n[PREC_ARTICLE], r.n[PREC_COMMENT], r.n[PREC_VOTE],
		    r.n[PREC_REPORT], r.n[PREC_ACCOUNT], r.n[PREC_BAN],
		    r.n[PREC_AUDIT]);
	else
		printf("imported %zu comments (%zu there already) with %zu "
		    "votes and %zu reports from %zu articles\n", r.added,
		    r.seen, r.votes_added, r.reports_added,
		    r.n[PREC_ARTICLE]);
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
cmd_import(struct config *cfg, int argc, char **argv)
{
	const struct cmd	*me = cli_find("import", argv[0]);
	enum import_kind	 kind = import_kind_parse(argv[0]);
	struct import_opts	 o;
	int			 ch;
	static const struct option opts[] = {
		{ "pingbacks", no_argument, NULL, 'p' },
		{ "keep-query", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'p': o.pingbacks = 1; break;
		case 'q': o.keep_query = 1; break;
		default:
			return cli_usage(me, "bad option");
		}
	if (optind != argc - 1)
		return cli_usage(me, "import takes one FILE");
	if (o.pingbacks && kind != IMPORT_WORDPRESS)
		return cli_usage(me, "--pingbacks is for WordPress exports");
	if (strcmp(argv[0], "palaver") == 0) {
		if (o.keep_query)
			return cli_usage(me, "an export of palaver's has its "
			    "keys made already");
		return import_palaver(cfg, argv[optind]);
	}
	return import_doc(cfg, kind, argv[optind], &o);
}

/* --- the demo ------------------------------------------------------------ */

static const char demo_body[] =
    "This is a demonstration article, made by `make run` so there is\n"
    "something to look at.  Below it, readers have started talking.\n\n"
    "palaver keeps threads **nested at any depth**, renders comments\n"
    "from a safe subset of Markdown, and works with JavaScript off.\n";

struct demo_comment {
	int		 parent;	/* index into the table, -1: top */
	const char	*author;
	const char	*website;
	const char	*body;
};

static const struct demo_comment demo[] = {
	{ -1, "Ada Quill", NULL,
	    "First! Does the thread keep its shape when replies get deep?" },
	{ 0, "Bram Oduya", "https://example.org/",
	    "It does: every reply sits under the comment it answers." },
	{ 1, "Ada Quill", NULL,
	    "Good. And *Markdown* works, I see, with `inline code`." },
	{ 2, "Chen Ito", NULL,
	    "Links too, like [the project page](https://example.com/), "
	    "marked nofollow." },
	{ -1, "Dara Fenn", NULL,
	    "A second conversation.\n\n> Quoting works as well." },
	{ 4, "Anonymous", NULL,
	    "Plain <b>tags</b> show as text, never as markup." },
};

int
cmd_demo(struct config *cfg, int argc, char **argv)
{
	struct site	 site;
	struct arena	 a = { NULL, 0 };
	struct article	*v;
	struct comment	 c;
	long long	 aid, ids[sizeof(demo) / sizeof(demo[0])];
	size_t		 i, n;
	int		 rv = EX_FAIL, open = 0;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli_find("demo", NULL), "unexpected argument");
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	open = 1;
	if (store_article_list(site.store, &a, 0, 0, 1, 1, &v, &n) != ST_OK)
		goto out;
	if (n > 0) {
		printf("the database has articles already; no demo added\n");
		rv = 0;
		goto out;
	}
	if (article_add(cfg, "/demo/welcome/", "Welcome to palaver",
	    demo_body, sizeof(demo_body) - 1, &aid) != 0)
		goto out;
	for (i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.article = aid;
		c.parent = demo[i].parent >= 0 ? ids[demo[i].parent] : 0;
		c.author = demo[i].author;
		c.website = demo[i].website;
		c.body = demo[i].body;
		if ((c.html = comments_render(&a, c.body, NULL)) == NULL)
			goto out;
		c.status = CS_APPROVED;
		c.created = (long long)time(NULL) - 3600 + (long long)i * 300;
		if (store_comment_add(site.store, &c) != ST_OK)
			goto out;
		ids[i] = c.id;
	}
	printf("added the demo article %lld with %zu comments\n", aid, i);
	rv = 0;
out:
	if (rv != 0)
		fprintf(stderr, "palaver: cannot add the demo\n");
	arena_free(&a);
	if (open)
		cli_site_close(&site);
	return rv;
}
