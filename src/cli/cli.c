/* cli.c: the palaver command line: the commands, help, init, serve and
 * backup */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/zone.h"
#include "core/log.h"
#include "auth/auth.h"
#include "auth/keyring.h"
#include "store/store.h"
#include "domain/outbound.h"
#include "domain/moderation.h"
#include "domain/reason.h"
#include "http/reasons.h"
#include "http/server.h"
#include "web/web.h"
#include "cli/cli.h"
#include "cli/cli_int.h"

static int	cmd_init(struct config *, int, char **);
static int	cmd_serve(struct config *, int, char **);
static int	cmd_backup(struct config *, int, char **);
static int	cmd_migrate(struct config *, int, char **);

static const struct cmd cmds[] = {
	{ "init", NULL, "init [--new-key] [-c FILE]",
	    "Create the database, or migrate it to this version's schema, and\n"
	    "the address key file ([privacy] key_file) when missing.  Several\n"
	    "hosts on one database must hold the same key file: a host whose\n"
	    "file differs from the one the others use is refused.  --new-key\n"
	    "makes this host's key the database's (then copy the file to\n"
	    "every other host).",
	    cmd_init, 0 },
	{ "serve", NULL, "serve [-c FILE] [-s SOCKET]",
	    "Run the FastCGI responder on SOCKET, on a socket passed by\n"
	    "systemd or spawn-fcgi (fd 3 or 0), or on [server] socket.\n"
	    "SIGTERM or SIGINT finish the requests in flight and exit 0.",
	    cmd_serve, 0 },
	{ "article", "add",
	    "article add --uri URI --title TITLE [--body-file FILE] "
	    "[--keep-query] [-c FILE]",
	    "Add an article.  URI is the key an embedding page uses (its\n"
	    "path, normalised as every key is: see README); the body\n"
	    "(Markdown) is shown on palaver's own article page.\n"
	    "Prints the new article's id.",
	    cmd_article_add, 1 },
	{ "article", "list", "article list [-c FILE]",
	    "List articles, newest first, tab-separated: id, comments, open\n"
	    "or closed (closed by age, [moderation] auto_close_days, too),\n"
	    "the moderation mode (pre, post or default), uri, title, and\n"
	    "the title a first comment's page proposed, if any.",
	    cmd_article_list, 1 },
	{ "article", "set",
	    "article set ID [--close | --open] [--mode pre|post|default] "
	    "[--title TITLE] [-c FILE]",
	    "Close an article to new comments or open it again, set its\n"
	    "moderation mode (default: the configuration's [moderation] mode)\n"
	    "and its title (a thread a first comment made shows its path\n"
	    "until it has one: the title its page proposed is in article list).\n"
	    "Reopened, an article closed by age stays open until closed again.\n"
	    "What changes is audited (actor cli); what is already so, not.",
	    cmd_article_set, 1 },
	{ "backup", NULL, "backup FILE [-c FILE]",
	    "Write an online, consistent copy of the database to FILE\n"
	    "(which must not exist), a SQLite database whichever the engine.\n"
	    "Safe while palaver serves.",
	    cmd_backup, 1 },
	{ "migrate", NULL, "migrate --to URL | --from URL [-c FILE]",
	    "Move the site between engines.  --to copies the configured\n"
	    "SQLite database into the PostgreSQL database at URL, which must\n"
	    "be empty (createdb -O ROLE NAME); --from copies the PostgreSQL\n"
	    "database at URL into the configured SQLite database, which must\n"
	    "be empty or missing.  All or nothing, in one transaction; the\n"
	    "row counts are compared before it commits.  Ids, threads,\n"
	    "statuses, accounts, sessions, bans, the audit log and the\n"
	    "server secret go as they are.  The source may serve meanwhile\n"
	    "(it is read in one snapshot), but what it takes after that is\n"
	    "not copied: stop palaver first, then point [database] at the\n"
	    "copy.",
	    cmd_migrate, 0 },
	{ "user", "add", "user add NAME [--role admin|moderator] [-c FILE]",
	    "Add a moderator account (role moderator unless --role admin).\n"
	    "The password is read from standard input when it is not a\n"
	    "terminal, else asked for twice without echo.  At least 12\n"
	    "characters, and not the name.",
	    cmd_user_add, 1 },
	{ "user", "passwd", "user passwd NAME [-c FILE]",
	    "Set a new password (read as for user add); the account's\n"
	    "sessions end.",
	    cmd_user_passwd, 1 },
	{ "user", "list", "user list [-c FILE]",
	    "List accounts: name, role, created, last login.",
	    cmd_user_list, 1 },
	{ "user", "del", "user del NAME [-c FILE]",
	    "Remove an account and end its sessions.",
	    cmd_user_del, 1 },
	{ "import", "wordpress",
	    "import wordpress FILE [--pingbacks] [--keep-query] [-c FILE]",
	    "Import the comments of a WordPress export (WXR, from Tools >\n"
	    "Export; gzip-compressed or not).  Each item with comments becomes\n"
	    "the article at the path of its link (reused when it exists;\n"
	    "closed when comments were closed); comments keep their threads,\n"
	    "authors, dates and status, and their HTML becomes Markdown.\n"
	    "Pingbacks and trackbacks are left out unless --pingbacks.  Keys\n"
	    "are the path alone unless --keep-query (for ?p=123 links).  All\n"
	    "or nothing, in one transaction; importing the same export again\n"
	    "adds only what is new, even after the site moved to another host.",
	    cmd_import, 1 },
	{ "import", "disqus",
	    "import disqus FILE [--keep-query] [-c FILE]",
	    "Import the comments of a Disqus export (XML, or the .xml.gz\n"
	    "Disqus sends).  Each thread with posts becomes the article at the\n"
	    "path of its link, as for WordPress; spam stays spam, deleted\n"
	    "posts stay deleted, closed threads stay closed.",
	    cmd_import, 1 },
	{ "import", "isso",
	    "import isso FILE [--keep-query] [-c FILE]",
	    "Import the comments of Isso: its SQLite database (comments.db,\n"
	    "read in place and never written), or a file in Isso's generic\n"
	    "JSON import format.  Modes 1, 2 and 4 become approved, pending and\n"
	    "deleted; votes are counted but not kept.",
	    cmd_import, 1 },
	{ "import", "palaver",
	    "import palaver FILE [-c FILE]",
	    "Read back what palaver export wrote (\"-\": standard input).  Into\n"
	    "an empty database it restores the site as it was, every id and\n"
	    "the audit log included; into one with data it adds the articles\n"
	    "and comments that are new, and accounts whose name is free.  All\n"
	    "or nothing.",
	    cmd_import, 1 },
	{ "export", NULL,
	    "export FILE [--with-secrets] [-c FILE]",
	    "Write the whole site to FILE (\"-\": standard output) as JSON\n"
	    "Lines: articles, comments with their Markdown, status, score and\n"
	    "reasons, bans, accounts, the audit log, what came from imports.\n"
	    "Password hashes and the server secret only with --with-secrets.\n"
	    "One consistent snapshot, safe while palaver serves; FILE is\n"
	    "replaced whole, with mode 0600.",
	    cmd_export, 1 },
	{ "remap", NULL,
	    "remap RULES [--dry-run] [--normalize [--keep-query]] [-c FILE]",
	    "Move threads to new addresses, by the rules in the file RULES:\n"
	    "one \"OLD NEW\" a line, or \"OLD* NEW*\" for every address that\n"
	    "starts with OLD; '#' starts a comment.  --normalize first makes\n"
	    "every key again by today's rule (see README), for keys older\n"
	    "palavers wrote (RULES may then be empty: /dev/null).  Threads\n"
	    "that land on one address become one.  All or nothing, and\n"
	    "audited; --dry-run says what would change and keeps nothing.",
	    cmd_remap, 1 },
	{ "privacy", "export", "privacy export --email ADDR [-c FILE]",
	    "Print, as JSON, everything kept for the e-mail address: its\n"
	    "comments (with their address hashes and user agents), its\n"
	    "subscription to replies and the mail palaver sent it.",
	    cmd_privacy_export, 1 },
	{ "privacy", "erase", "privacy erase --email ADDR [-c FILE]",
	    "Erase the e-mail address: its comments stay, anonymised (as\n"
	    "Anonymous, without e-mail, website, address hash or user\n"
	    "agent); its subscriptions and the record of mail to it go.\n"
	    "Audited, without the address.",
	    cmd_privacy_erase, 1 },
	{ "demo", NULL, "demo [-c FILE]",
	    "Add the demo article with a few nested comments, when the\n"
	    "database has no articles yet (make run does this).",
	    cmd_demo, 1 },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
usage_all(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: palaver COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  palaver %s\n", cmds[i].usage);
	fprintf(f, "\nThe configuration is -c FILE, else $PALAVER_CONF, else "
	    "conf/palaver.conf.\n'palaver help COMMAND' says more.\n");
}

static void
usage_cmd(FILE *f, const struct cmd *c)
{
	fprintf(f, "usage: palaver %s\n\n%s\n", c->usage, c->help);
}


/* Options common to every command; the rest are the command's own. */
static const char *conf_opt;

/* The database as messages name it: no password of a URL. */
static char	 db_shown[1024];

int
cli_usage(const struct cmd *c, const char *msg)
{
	fprintf(stderr, "palaver: %s\n", msg);
	usage_cmd(stderr, c);
	return EX_USAGE;
}

static int
migrate(const struct config *cfg, int verbose)
{
	unsigned char	 secret[AUTH_SECRET_LEN];
	int		 from = 0, to = 0;
	enum status	 st;

	auth_secret_new(secret);
	st = store_migrate(cfg->db, secret, &from, &to);
	auth_wipe(secret, sizeof(secret));
	if (st != ST_OK) {
		fprintf(stderr, "palaver: %s: cannot prepare the database "
		    "(%s); see the message above\n", db_shown,
		    status_str(st));
		return -1;
	}
	if (verbose && from != to)
		printf("%s: schema version %d -> %d\n", db_shown, from, to);
	else if (verbose)
		printf("%s: schema version %d, up to date\n", db_shown, to);
	return 0;
}

/*
 * The address keys' file (auth/keyring.h), made when missing.  Only init
 * and serve make it: they run as palaver's own user, so the file is
 * theirs, and readable by nobody else.
 */
static int
keys_open(const struct config *cfg)
{
	char	 err[512];

	if (cfg->key_file[0] == '\0')
		return 0;
	if (keyring_open(cfg->key_file, cfg->addr_key_days, 1, err,
	    sizeof(err)) == -1) {
		log_err("%s", err);
		return -1;
	}
	return 0;
}

/*
 * The hosts of one database must hash an address alike, so they must
 * hold the same key file (README: Several hosts).  The database keeps a
 * fingerprint of the key in use (keyring_check: it tells nothing of the
 * key) with its period; a host whose key gives another fingerprint for
 * that period is refused before it serves, since its rate limits and
 * bans by address would miss what the other hosts wrote.  A fingerprint
 * from before the key before cannot be checked (keys only go forward):
 * it is replaced, as the hashes it vouched for are expiring anyway.
 */
static int
keys_check(const struct config *cfg, int renew)
{
	struct store	*s = NULL;
	char		 mine[KEYRING_CHECK_LEN + 1], theirs[KEYRING_CHECK_LEN + 1];
	long long	 p = 0, period = keyring_period();
	enum status	 st;
	int		 rv = -1, known = -1;

	if (cfg->key_file[0] == '\0' || period < 0)
		return 0;
	if (store_open(cfg->db, &s) != ST_OK) {
		log_err("%s: cannot open the database", db_shown);
		return -1;
	}
	st = store_key_check_get(s, &p, theirs, sizeof(theirs));
	if (st != ST_OK && st != ST_NOTFOUND)
		goto out;
	if (st == ST_OK && !renew && strlen(theirs) == KEYRING_CHECK_LEN)
		known = keyring_known(p, theirs);
	if (known == 0) {
		log_err("%s: this host's address key is not the one the other "
		    "hosts of %s use: copy their key file here (the same file "
		    "on every host, mode 0600, owned by palaver's user), or run "
		    "palaver init --new-key to make this one the database's and "
		    "copy it to the others", cfg->key_file, db_shown);
		goto out;
	}
	/* Ours, or nobody's any more: noted, unless a later period's note
	 * of the same key is there already. */
	if (known == 1 && p > period) {
		rv = 0;
		goto out;
	}
	if (keyring_fingerprint(mine) == -1 ||
	    store_key_check_put(s, period, mine) != ST_OK)
		goto out;
	rv = 0;
out:
	store_close(s);
	return rv;
}

/* For serve: migrate once the server runs as its own user. */
static int
prepare(const struct config *cfg)
{
	/* The fragment's links and forms must reach palaver from the other
	 * sites' pages: they need palaver's full address. */
	if (cfg->allowed_origins[0] != '\0' && cfg->base_url[0] == '\0')
		log_err("warning: [site] allowed_origins is set but base_url "
		    "is not: the /embed fragment's links will be relative to "
		    "the embedding site; set base_url");
	if (migrate(cfg, 0) == -1 || keys_open(cfg) == -1 ||
	    keys_check(cfg, 0) == -1)
		return -1;
	return 0;
}

int
cli_site_open(const struct config *cfg, struct site *site)
{
	memset(site, 0, sizeof(*site));
	site->cfg = cfg;
	if (store_open(cfg->db, &site->store) != ST_OK) {
		fprintf(stderr, "palaver: %s: cannot open the database\n",
		    db_shown);
		return -1;
	}
	store_set_auto_close(site->store, cfg->auto_close_days);
	if (store_secret(site->store, site->secret) != ST_OK) {
		fprintf(stderr, "palaver: %s: no server secret; run palaver "
		    "init\n", db_shown);
		cli_site_close(site);
		return -1;
	}
	return 0;
}

void
cli_site_close(struct site *site)
{
	if (site == NULL)
		return;
	store_close(site->store);
	site->store = NULL;
	auth_wipe(site->secret, sizeof(site->secret));
}

void
cli_actor(struct actor *a)
{
	memset(a, 0, sizeof(*a));
	a->name = "cli";
	a->now = (long long)time(NULL);
}

void
cli_refused(const struct refusal *ref)
{
	struct arena	 a = { NULL, 0 };

	fprintf(stderr, "palaver: %s\n", reason_message(&a, ref));
	arena_free(&a);
}

char *
cli_read_file(const char *path, size_t max, size_t *lenp)
{
	struct buf	 b = BUF_INIT;
	char		 tmp[8192];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "palaver: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (b.len + n > max) {
			fprintf(stderr, "palaver: %s: larger than %zu bytes\n",
			    path, max);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
		buf_put(&b, tmp, n);
	}
	if (ferror(f) || b.err) {
		fprintf(stderr, "palaver: %s: read failed\n", path);
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	*lenp = b.len;
	return buf_steal(&b);
}

/* --- commands ------------------------------------------------------------ */

static int
cmd_init(struct config *cfg, int argc, char **argv)
{
	int	 ch, renew = 0;
	static const struct option opts[] = {
		{ "new-key", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'n':
			renew = 1;
			break;
		default:
			return cli_usage(cli_find("init", NULL), "bad option");
		}
	if (optind != argc)
		return cli_usage(cli_find("init", NULL), "unexpected argument");
	return migrate(cfg, 1) == 0 && keys_open(cfg) == 0 &&
	    keys_check(cfg, renew) == 0 ? 0 : EX_FAIL;
}

static int
cmd_serve(struct config *cfg, int argc, char **argv)
{
	const char	*sock = NULL;
	sigset_t	 set;
	char		 err[512];
	int		 ch;
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:", opts, NULL)) != -1)
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		default:
			return cli_usage(cli_find("serve", NULL), "bad option");
		}
	if (optind != argc)
		return cli_usage(cli_find("serve", NULL), "unexpected argument");
	/* As server_run does first: a SIGTERM while libcurl starts waits
	 * for the server to stop cleanly. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (config_mail_password(cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "palaver: %s\n", err);
		return EX_FAIL;
	}
	/* libcurl (mail and webhooks) starts once, before the socket, the
	 * workers and their threads. */
	if (outbound_global_init() == -1) {
		fprintf(stderr, "palaver: libcurl cannot start\n");
		return EX_FAIL;
	}
	return server_run(cfg, sock, prepare, web_dispatch);
}







static int
cmd_backup(struct config *cfg, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(cli_find("backup", NULL), "backup takes one FILE");
	if (store_backup(cfg->db, argv[1]) != ST_OK) {
		fprintf(stderr, "palaver: backup to %s failed\n", argv[1]);
		return EX_FAIL;
	}
	printf("%s\n", argv[1]);
	return 0;
}


static int
is_url(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0;
}

static int
cmd_migrate(struct config *cfg, int argc, char **argv)
{
	const struct cmd	*c = cli_find("migrate", NULL);
	unsigned char		 secret[AUTH_SECRET_LEN];
	const char		*to = NULL, *from = NULL, *url = NULL;
	char			 shown[1024], other[1024];
	long long		 rows = 0;
	enum status		 st;
	int			 ch, out;
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 't':
			to = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		default:
			return cli_usage(c, "bad option");
		}
	if (optind != argc || (to == NULL) == (from == NULL))
		return cli_usage(c, "give one of --to URL and --from URL");
	out = to != NULL;
	url = out ? to : from;
	if (!is_url(url))
		return cli_usage(c, "URL must be a PostgreSQL URI "
		    "(postgresql://...)");
	if (cfg->db_path[0] == '\0') {
		fprintf(stderr, "palaver: migrate moves between the configured "
		    "SQLite database ([database] path) and PostgreSQL; this "
		    "configuration names PostgreSQL ([database] url)\n");
		return EX_FAIL;
	}
	store_display(url, other, sizeof(other));
	/* Both sides at this binary's schema first. */
	if (migrate(cfg, 0) == -1)
		return EX_FAIL;
	auth_secret_new(secret);
	if (!out && (st = store_migrate(url, secret, NULL, NULL)) != ST_OK) {
		auth_wipe(secret, sizeof(secret));
		fprintf(stderr, "palaver: %s: cannot prepare the database (%s); "
		    "see the message above\n", other, status_str(st));
		return EX_FAIL;
	}
	st = out ? store_copy(cfg->db_path, url, secret, &rows) :
	    store_copy(url, cfg->db_path, secret, &rows);
	auth_wipe(secret, sizeof(secret));
	store_display(cfg->db_path, shown, sizeof(shown));
	if (st != ST_OK) {
		fprintf(stderr, "palaver: nothing was copied %s %s (%s); see the "
		    "message above\n", out ? "to" : "from", other,
		    status_str(st));
		return EX_FAIL;
	}
	printf("copied %lld rows from %s to %s\n", rows, out ? shown : other,
	    out ? other : shown);
	return 0;
}

/* One line from f without its line ending; -1 at EOF or when too long. */


/*
 * The new password for `name`: from standard input, or asked for twice on
 * a terminal.  Checked: UTF-8, 12 characters or more, not the name.
 */














/* --- dispatch ------------------------------------------------------------ */

const struct cmd *
cli_find(const char *name, const char *sub)
{
	size_t	 i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0 && (cmds[i].sub == NULL ||
		    (sub != NULL && strcmp(cmds[i].sub, sub) == 0)))
			return &cmds[i];
	return NULL;
}

static int
help(int argc, char **argv)
{
	size_t			 i;
	int			 any = 0;

	if (argc < 1) {
		usage_all(stdout);
		return 0;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, argv[0]) == 0 && (argc < 2 ||
		    cmds[i].sub == NULL || strcmp(cmds[i].sub, argv[1]) == 0)) {
			if (any++)
				printf("\n");
			usage_cmd(stdout, &cmds[i]);
		}
	if (!any) {
		fprintf(stderr, "palaver: no command '%s'\n", argv[0]);
		usage_all(stderr);
		return EX_USAGE;
	}
	return 0;
}

/* Take -c FILE / --config FILE out of argv wherever it stands. */
static int
strip_conf(int *argc, char **argv)
{
	int	 i, j;

	for (i = j = 0; i < *argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0)) {
			if (i + 1 >= *argc)
				return -1;
			conf_opt = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--config=", 9) == 0) {
			conf_opt = argv[i] + 9;
			continue;
		}
		argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return 0;
}

int
cli_main(int argc, char *argv[])
{
	const struct cmd	*c;
	struct config		 cfg;
	char			 err[512];
	int			 i, rv, skip;

	if (strip_conf(&argc, argv) == -1) {
		fprintf(stderr, "palaver: -c needs a FILE\n");
		return EX_USAGE;
	}
	if (argc < 2) {
		usage_all(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return help(0, NULL);
	if (strcmp(argv[1], "help") == 0)
		return help(argc - 2, argv + 2);
	c = cli_find(argv[1], argc > 2 ? argv[2] : NULL);
	if (c == NULL) {
		if (cli_find(argv[1], "") == NULL && help(1, argv + 1) != 0)
			return EX_USAGE;
		fprintf(stderr, "palaver: %s needs a subcommand\n", argv[1]);
		return EX_USAGE;
	}
	skip = c->sub != NULL ? 2 : 1;
	for (i = 1 + skip; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage_cmd(stdout, c);
			return 0;
		}
	if (auth_init() == -1) {
		fprintf(stderr, "palaver: libsodium cannot start\n");
		return EX_FAIL;
	}
	if (config_load(&cfg, config_path(conf_opt), err, sizeof(err)) == -1) {
		fprintf(stderr, "palaver: %s\n", err);
		config_free(&cfg);
		return EX_FAIL;
	}
	/* The language before any thread (serve's workers fork from here
	 * and inherit it): a missing locale or catalog stops palaver here,
	 * not at the first page in English. */
	if (i18n_init(cfg.language, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "palaver: %s\n", err);
		config_free(&cfg);
		return EX_FAIL;
	}
	/* Before any store is opened (serve's workers fork from here). */
	store_init();
	store_set_max_depth(cfg.max_store_depth);
	store_display(cfg.db, db_shown, sizeof(db_shown));
	zone_set(cfg.timezone);
	rv = 0;
	if (c->needs_db && migrate(&cfg, 0) == -1)
		rv = EX_FAIL;
	if (rv == 0)
		rv = c->fn(&cfg, argc - skip, argv + skip);
	config_free(&cfg);
	return rv;
}
