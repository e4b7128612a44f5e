/* cli_article.c: articles from the command line: add, list, set; changes
 * go through the domain, audited as the web's are, with the actor "cli" */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/store.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "cli/cli_int.h"

/* Check one argument by its text rule; 0 after saying what is wrong. */
static int
valid(enum text_kind k, const char *what, const char *s)
{
	struct arena	 a = { NULL, 0 };
	enum text_err	 e;

	if ((e = text_check(k, s, 0)) == TEXT_OK)
		return 1;
	fprintf(stderr, "palaver: %s: %s\n", what, text_error(&a, k, e, 0, 0));
	arena_free(&a);
	return 0;
}

int
article_add(struct config *cfg, const char *uri, const char *title,
    const char *body, size_t blen, long long *id)
{
	struct arena	 a = { NULL, 0 };
	struct site	 site;
	struct actor	 who;
	struct refusal	 ref;
	enum status	 st;
	int		 rv = EX_FAIL;

	if (!valid(TEXT_URI, "--uri", uri) ||
	    !valid(TEXT_TITLE, "--title", title))
		return EX_USAGE;
	if (body != NULL && (strlen(body) != blen ||
	    !utf8_check(body, blen))) {
		fprintf(stderr, "palaver: the body is not UTF-8 text\n");
		return EX_FAIL;
	}
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	cli_actor(&who);
	st = moderate_article_add(&site, &a, &who, uri, title, body, id, &ref);
	cli_site_close(&site);
	if (st == ST_INPUT && ref.why == RS_URI_TAKEN)
		fprintf(stderr, "palaver: an article with uri %s exists "
		    "already\n", uri);
	else if (st == ST_INPUT)
		cli_refused(&ref);
	else if (st != ST_OK)
		fprintf(stderr, "palaver: cannot add the article (%s)\n",
		    status_str(st));
	else
		rv = 0;
	arena_free(&a);
	return rv;
}

int
cmd_article_add(struct config *cfg, int argc, char **argv)
{
	const struct cmd *me = cli_find("article", "add");
	const char	*uri = NULL, *title = NULL, *file = NULL, *key;
	struct arena	 a = { NULL, 0 };
	char		*body = NULL;
	size_t		 blen = 0;
	long long	 id = 0;
	int		 ch, rv, query = 0;
	enum text_err	 e;
	static const struct option opts[] = {
		{ "uri", required_argument, NULL, 'u' },
		{ "title", required_argument, NULL, 't' },
		{ "body-file", required_argument, NULL, 'b' },
		{ "keep-query", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "u:t:b:", opts, NULL)) != -1)
		switch (ch) {
		case 'u': uri = optarg; break;
		case 't': title = optarg; break;
		case 'b': file = optarg; break;
		case 'q': query = 1; break;
		default:
			return cli_usage(me, "bad option");
		}
	if (optind != argc)
		return cli_usage(me, "unexpected argument");
	if (uri == NULL || title == NULL)
		return cli_usage(me, "--uri and --title are required");
	/* The thread's key, as every other way in makes it. */
	if ((e = text_uri_normalize(&a, uri, strlen(uri), query ?
	    TEXT_URI_QUERY : 0, &key)) != TEXT_OK) {
		fprintf(stderr, "palaver: --uri: %s\n", text_error(&a,
		    TEXT_URI, e, 0, 0));
		arena_free(&a);
		return EX_USAGE;
	}
	if (strcmp(key, uri) != 0)
		fprintf(stderr, "palaver: the article's key is %s\n", key);
	if (file != NULL &&
	    (body = cli_read_file(file, TEXT_BODY_MAX, &blen)) == NULL)
		rv = EX_FAIL;
	else if ((rv = article_add(cfg, key, title, body, blen, &id)) == 0)
		printf("%lld\n", id);
	free(body);
	arena_free(&a);
	return rv;
}

int
cmd_article_list(struct config *cfg, int argc, char **argv)
{
	struct site	 site;
	struct arena	 a = { NULL, 0 };
	struct article	*v;
	size_t		 i, n;
	long long	 bc = 0, bi = 0;
	enum status	 st;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli_find("article", "list"), "unexpected "
		    "argument");
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	do {
		st = store_article_list(site.store, &a, bc, bi, 500, 1, &v, &n);
		if (st != ST_OK)
			break;
		/* closed counts auto_close_days; the mode is the
		 * article's own, or "default" for [moderation] mode. */
		for (i = 0; i < n; i++)
			printf("%lld\t%lld\t%s\t%s\t%s\t%s%s%s\n", v[i].id,
			    v[i].ncomments, v[i].closed ? "closed" : "open",
			    v[i].mode != NULL ? v[i].mode : "default",
			    v[i].uri, v[i].title, v[i].title_proposed != NULL ?
			    "\t" : "", v[i].title_proposed != NULL ?
			    v[i].title_proposed : "");
		if (n > 0) {
			bc = v[n - 1].created;
			bi = v[n - 1].id;
		}
		arena_free(&a);
	} while (n == 500);
	cli_site_close(&site);
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot list articles (%s)\n",
		    status_str(st));
		return EX_FAIL;
	}
	return 0;
}

int
cmd_article_set(struct config *cfg, int argc, char **argv)
{
	const struct cmd *me = cli_find("article", "set");
	struct article_change ch;
	struct arena	 a = { NULL, 0 };
	const char	*mode = NULL, *title = NULL;
	struct site	 site;
	struct actor	 who;
	struct refusal	 ref;
	long long	 id;
	int		 c, closed = -1;
	enum status	 st = ST_OK;
	static const struct option opts[] = {
		{ "close", no_argument, NULL, 'C' },
		{ "open", no_argument, NULL, 'O' },
		{ "mode", required_argument, NULL, 'm' },
		{ "title", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (c) {
		case 'C': closed = 1; break;
		case 'O': closed = 0; break;
		case 'm': mode = optarg; break;
		case 't': title = optarg; break;
		default:
			return cli_usage(me, "bad option");
		}
	if (optind != argc - 1 || (id = text_id(argv[optind],
	    strlen(argv[optind]))) == 0)
		return cli_usage(me, "article set takes one article ID");
	if (mode != NULL && strcmp(mode, "pre") != 0 &&
	    strcmp(mode, "post") != 0 && strcmp(mode, "default") != 0)
		return cli_usage(me, "--mode is pre, post or default");
	if (closed == -1 && mode == NULL && title == NULL)
		return cli_usage(me, "nothing to set");
	if (title != NULL && !valid(TEXT_TITLE, "--title", title))
		return EX_USAGE;
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	memset(&ch, 0, sizeof(ch));
	ch.closed = closed;
	ch.mode = mode;
	ch.title = title;
	cli_actor(&who);
	st = moderate_article_set(&site, &a, &who, id, &ch, &ref);
	cli_site_close(&site);
	arena_free(&a);
	if (st == ST_INPUT) {
		cli_refused(&ref);
		return EX_FAIL;
	}
	if (st == ST_NOTFOUND) {
		fprintf(stderr, "palaver: no article %lld\n", id);
		return EX_FAIL;
	}
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot change article %lld (%s)\n",
		    id, status_str(st));
		return EX_FAIL;
	}
	return 0;
}
