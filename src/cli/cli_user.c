/* cli_user.c: moderator accounts from the command line */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/text.h"
#include "auth/auth.h"
#include "store/store.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "cli/cli_int.h"

/* One line from f without its line ending; -1 at EOF or when too long. */
static int
read_line(FILE *f, char *buf, size_t n)
{
	size_t	 len;

	if (fgets(buf, (int)n, f) == NULL)
		return -1;
	len = strlen(buf);
	if (len == n - 1 && buf[len - 1] != '\n')
		return -1;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

static int
prompt(const char *what, char *buf, size_t n)
{
	struct termios	 old, quiet;
	int		 rc;

	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	/* Echo off (and what was typed ahead flushed) before the prompt
	 * shows: an answer typed as soon as it shows is kept. */
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	fprintf(stderr, "%s", what);
	fflush(stderr);
	rc = read_line(stdin, buf, n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/*
 * The new password: from standard input, or asked for twice on a
 * terminal.  The text rules check it where it is used (the domain).
 */
static int
new_password(char *pw, size_t n)
{
	char	 again[TEXT_PASSWORD_MAX + 2];

	if (isatty(STDIN_FILENO)) {
		if (prompt("New password: ", pw, n) == -1 ||
		    prompt("Again: ", again, sizeof(again)) == -1) {
			fprintf(stderr, "palaver: no password read\n");
			return -1;
		}
		if (strcmp(pw, again) != 0) {
			auth_wipe(again, sizeof(again));
			fprintf(stderr, "palaver: the passwords differ\n");
			return -1;
		}
		auth_wipe(again, sizeof(again));
	} else if (read_line(stdin, pw, n) == -1) {
		fprintf(stderr, "palaver: no password on standard input (one "
		    "line, at most %d bytes)\n", TEXT_PASSWORD_MAX);
		return -1;
	}
	return 0;
}

static int
valid_name(const char *name)
{
	struct arena	 a = { NULL, 0 };
	enum text_err	 e;

	if ((e = text_check(TEXT_ACCOUNT, name, 0)) == TEXT_OK)
		return 1;
	fprintf(stderr, "palaver: %s\n", text_error(&a, TEXT_ACCOUNT, e, 0,
	    0));
	arena_free(&a);
	return 0;
}

int
cmd_user_add(struct config *cfg, int argc, char **argv)
{
	const struct cmd *me = cli_find("user", "add");
	const char	*role = "moderator", *name;
	char		 pw[TEXT_PASSWORD_MAX + 2];
	struct arena	 a = { NULL, 0 };
	struct site	 site;
	struct actor	 who;
	struct refusal	 ref;
	enum status	 st;
	int		 ch, rv = EX_FAIL;
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'r': role = optarg; break;
		default:
			return cli_usage(me, "bad option");
		}
	if (optind != argc - 1)
		return cli_usage(me, "user add takes one NAME");
	name = argv[optind];
	if (strcmp(role, "admin") != 0 && strcmp(role, "moderator") != 0)
		return cli_usage(me, "--role is admin or moderator");
	if (!valid_name(name))
		return EX_USAGE;
	if (new_password(pw, sizeof(pw)) == -1) {
		auth_wipe(pw, sizeof(pw));
		return EX_FAIL;
	}
	if (cli_site_open(cfg, &site) == -1) {
		auth_wipe(pw, sizeof(pw));
		return EX_FAIL;
	}
	cli_actor(&who);
	st = moderate_user_add(&site, &a, &who, name, pw, strlen(pw),
	    strcmp(role, "admin") == 0, &ref);
	auth_wipe(pw, sizeof(pw));
	if (st == ST_INPUT)
		cli_refused(&ref);
	else if (st != ST_OK)
		fprintf(stderr, "palaver: cannot add user %s (%s)\n", name,
		    status_str(st));
	else {
		printf("added %s %s\n", role, name);
		rv = 0;
	}
	cli_site_close(&site);
	arena_free(&a);
	return rv;
}

/* The account called name, on an open site. */
static int
user_find(struct site *site, struct arena *a, const char *name,
    struct moderator *m)
{
	enum status	 st;

	if ((st = store_mod_by_name(site->store, a, name, m)) != ST_OK) {
		fprintf(stderr, "palaver: %s\n", st == ST_NOTFOUND ?
		    "no such user" : status_str(st));
		return -1;
	}
	return 0;
}

int
cmd_user_passwd(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct moderator m;
	struct site	 site;
	struct actor	 who;
	struct refusal	 ref;
	char		 pw[TEXT_PASSWORD_MAX + 2];
	enum status	 st;
	int		 rv = EX_FAIL;

	if (argc != 2)
		return cli_usage(cli_find("user", "passwd"), "user passwd "
		    "takes one NAME");
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	if (user_find(&site, &a, argv[1], &m) == -1 ||
	    new_password(pw, sizeof(pw)) == -1)
		goto out;
	cli_actor(&who);
	st = moderate_user_passwd(&site, &a, &who, m.id, pw, strlen(pw),
	    &ref);
	if (st == ST_INPUT)
		cli_refused(&ref);
	else if (st != ST_OK)
		fprintf(stderr, "palaver: cannot set the password (%s)\n",
		    status_str(st));
	else {
		printf("password changed for %s\n", argv[1]);
		rv = 0;
	}
out:
	auth_wipe(pw, sizeof(pw));
	cli_site_close(&site);
	arena_free(&a);
	return rv;
}

static void
fmt_time(char *out, size_t n, long long t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, n, "never");
}

int
cmd_user_list(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct moderator *v;
	struct site	 site;
	char		 c[32], l[32];
	size_t		 i, n;
	enum status	 st;

	(void)argv;
	if (argc != 1)
		return cli_usage(cli_find("user", "list"), "unexpected "
		    "argument");
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	if ((st = store_mod_list(site.store, &a, &v, &n)) == ST_OK)
		for (i = 0; i < n; i++) {
			fmt_time(c, sizeof(c), v[i].created);
			fmt_time(l, sizeof(l), v[i].last_login);
			printf("%s\t%s\t%s\t%s\n", v[i].name, v[i].admin ?
			    "admin" : "moderator", c, l);
		}
	cli_site_close(&site);
	arena_free(&a);
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot list users (%s)\n",
		    status_str(st));
		return EX_FAIL;
	}
	return 0;
}

int
cmd_user_del(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct moderator m;
	struct site	 site;
	struct actor	 who;
	struct refusal	 ref;
	enum status	 st;
	int		 rv = EX_FAIL;

	if (argc != 2)
		return cli_usage(cli_find("user", "del"), "user del takes one "
		    "NAME");
	if (cli_site_open(cfg, &site) == -1)
		return EX_FAIL;
	if (user_find(&site, &a, argv[1], &m) == -1)
		goto out;
	cli_actor(&who);
	st = moderate_user_del(&site, &a, &who, m.id, &ref);
	if (st == ST_INPUT)
		cli_refused(&ref);
	else if (st != ST_OK)
		fprintf(stderr, "palaver: cannot remove %s (%s)\n", argv[1],
		    status_str(st));
	else {
		printf("removed %s\n", argv[1]);
		rv = 0;
	}
out:
	cli_site_close(&site);
	arena_free(&a);
	return rv;
}
