/* cli_privacy.c: what is kept for an e-mail address: privacy export and
 * erase */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "domain/moderation.h"
#include "domain/privacy.h"
#include "cli/cli_int.h"

/* --email ADDR, the one option; NULL after saying what is wrong. */
static const char *
email_opt(const struct cmd *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*email = NULL;
	int		 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'e':
			email = optarg;
			break;
		default:
			cli_usage(c, "bad option");
			return NULL;
		}
	if (optind != argc || email == NULL) {
		cli_usage(c, "give the address: --email ADDR");
		return NULL;
	}
	if (text_check(TEXT_EMAIL, email, 0) != TEXT_OK) {
		cli_usage(c, "--email: not an e-mail address");
		return NULL;
	}
	return email;
}

int
cmd_privacy_export(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct buf	 out = BUF_INIT;
	struct site	 site;
	const char	*email;
	enum status	 st;
	int		 rv = EX_FAIL;

	if ((email = email_opt(cli_find("privacy", "export"), argc, argv)) ==
	    NULL)
		return EX_USAGE;
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	if ((st = privacy_export(&site, &a, email, &out)) != ST_OK)
		fprintf(stderr, "palaver: cannot export (%s)\n",
		    status_str(st));
	else if (fwrite(out.p, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)
		fprintf(stderr, "palaver: cannot write the export\n");
	else
		rv = 0;
	cli_site_close(&site);
	buf_free(&out);
	arena_free(&a);
	return rv;
}

int
cmd_privacy_erase(struct config *cfg, int argc, char **argv)
{
	struct arena		 a = { NULL, 0 };
	struct erase_counts	 c;
	struct actor		 who;
	struct site		 site;
	const char		*email;
	enum status		 st;
	int			 rv = EX_FAIL;

	if ((email = email_opt(cli_find("privacy", "erase"), argc, argv)) ==
	    NULL)
		return EX_USAGE;
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	memset(&who, 0, sizeof(who));
	who.name = "cli";
	who.now = (long long)time(NULL);
	if ((st = privacy_erase(&site, &a, &who, email, &c)) != ST_OK)
		fprintf(stderr, "palaver: cannot erase (%s)\n",
		    status_str(st));
	else {
		printf("erased %s: %lld comments anonymised, %lld "
		    "subscriber, %lld messages\n", email, c.comments,
		    c.subscribers, c.messages);
		rv = 0;
	}
	cli_site_close(&site);
	arena_free(&a);
	return rv;
}
