/* cli_import.c: comments from other systems' exports, and the demo */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include "import/import.h"
#include "domain/comments.h"
#include "cli/cli_int.h"

int
cmd_import(struct config *cfg, int argc, char **argv)
{
	const struct cmd	*me = cli_find("import", argv[0]);
	enum import_kind	 kind = import_kind_parse(argv[0]);
	struct import_doc	*doc = NULL;
	struct import_result	 r;
	struct site		 site;
	const char		*file;
	char			 err[512];
	size_t			 i;
	int			 ch, pingbacks = 0, rv = EX_FAIL, open = 0;
	static const struct option opts[] = {
		{ "pingbacks", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'p': pingbacks = 1; break;
		default:
			return cli_usage(me, "bad option");
		}
	if (optind != argc - 1)
		return cli_usage(me, "import takes one FILE");
	if (pingbacks && kind != IMPORT_WORDPRESS)
		return cli_usage(me, "--pingbacks is for WordPress exports");
	file = argv[optind];
	if (import_parse_file(kind, file, &doc, err, sizeof(err)) != ST_OK) {
		fprintf(stderr, "palaver: %s: %s\n", file, err);
		return EX_FAIL;
	}
	if (cli_site_open(cfg, &site) == 0) {
		open = 1;
		if (import_run(site.store, doc, pingbacks,
		    (long long)time(NULL), &r, err, sizeof(err)) == ST_OK)
			rv = 0;
	}
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
		if (doc->nrefused > 0)
			fprintf(stderr, "palaver: %s: %zu comments left out "
			    "(see the warnings)\n", file, doc->nrefused);
	} else if (open)
		fprintf(stderr, "palaver: %s: %s; nothing was imported\n",
		    file, err);
	if (open)
		cli_site_close(&site);
	import_doc_free(doc);
	return rv;
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
