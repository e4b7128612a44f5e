/* cli.c: the palaver command line: init, serve, article, user, backup, demo; the table of every command */
#include <errno.h>
#include <getopt.h>
#include <termios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "core/arena.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "cli/cli.h"
#include "cli/cli_port.h"
#include "core/config.h"
#include "core/log.h"
#include "render/markup.h"
#include "http/parse.h"
#include "core/utf8.h"
#include "http/server.h"
#include "store/store.h"

#define EX_FAIL		1
#define EX_USAGE	2
/* Article bodies come from the admin, but still have a limit: a page. */
#define MAX_ARTICLE_BODY (1024 * 1024)

struct cmd {
	const char	*name;
	const char	*sub;		/* NULL: no subcommand */
	const char	*usage;
	const char	*help;
	int		(*fn)(struct config *, int, char **);
	int		 needs_db;	/* migrate first */
};

static int	cmd_init(struct config *, int, char **);
static int	cmd_serve(struct config *, int, char **);
static int	cmd_article_add(struct config *, int, char **);
static int	cmd_article_list(struct config *, int, char **);
static int	cmd_article_set(struct config *, int, char **);
static int	cmd_backup(struct config *, int, char **);
static int	cmd_user_add(struct config *, int, char **);
static int	cmd_user_passwd(struct config *, int, char **);
static int	cmd_user_list(struct config *, int, char **);
static int	cmd_user_del(struct config *, int, char **);
static int	cmd_demo(struct config *, int, char **);

static const struct cmd cmds[] = {
	{ "init", NULL, "init [-c FILE]",
	    "Create the database, or migrate it to this version's schema.",
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
	    "List articles, newest first: id, comments, closed, uri, title.",
	    cmd_article_list, 1 },
	{ "article", "set",
	    "article set ID [--close | --open] [--mode pre|post|default] "
	    "[-c FILE]",
	    "Close an article to new comments or open it again, and set its\n"
	    "moderation mode (default: the configuration's [moderation] mode).",
	    cmd_article_set, 1 },
	{ "backup", NULL, "backup FILE [-c FILE]",
	    "Write an online, consistent copy of the database to FILE\n"
	    "(which must not exist).  Safe while palaver serves.",
	    cmd_backup, 1 },
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
	{ "import", "wordpress", CLI_IMPORT_WP_USAGE, CLI_IMPORT_WP_HELP,
	    cli_import, 1 },
	{ "import", "disqus", CLI_IMPORT_DSQ_USAGE, CLI_IMPORT_DSQ_HELP,
	    cli_import, 1 },
	{ "import", "isso", CLI_IMPORT_ISSO_USAGE, CLI_IMPORT_ISSO_HELP,
	    cli_import, 1 },
	{ "import", "palaver", CLI_IMPORT_PALAVER_USAGE,
	    CLI_IMPORT_PALAVER_HELP, cli_import, 1 },
	{ "export", NULL, CLI_EXPORT_USAGE, CLI_EXPORT_HELP, cli_export, 1 },
	{ "remap", NULL, CLI_REMAP_USAGE, CLI_REMAP_HELP, cli_remap, 1 },
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

static const struct cmd *find(const char *, const char *);

/* Options common to every command; the rest are the command's own. */
static const char *conf_opt;

static int
fail_usage(const struct cmd *c, const char *msg)
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
	st = store_migrate(cfg->db_path, secret, &from, &to);
	auth_wipe(secret, sizeof(secret));
	if (st != ST_OK) {
		fprintf(stderr, "palaver: %s: cannot prepare the database "
		    "(%s); see the message above\n", cfg->db_path,
		    status_str(st));
		return -1;
	}
	if (verbose && from != to)
		printf("%s: schema version %d -> %d\n", cfg->db_path, from, to);
	else if (verbose)
		printf("%s: schema version %d, up to date\n", cfg->db_path, to);
	return 0;
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
	return migrate(cfg, 0);
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

/* --- commands ------------------------------------------------------------ */

static int
cmd_init(struct config *cfg, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return migrate(cfg, 1) == 0 ? 0 : EX_FAIL;
}

static int
cmd_serve(struct config *cfg, int argc, char **argv)
{
	const char	*sock = NULL;
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
			return fail_usage(find("serve", NULL), "bad option");
		}
	if (optind != argc)
		return fail_usage(find("serve", NULL), "unexpected argument");
	return server_run(cfg, sock, prepare);
}

static char *
read_file(const char *path, size_t max, size_t *lenp)
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

static int
valid_text(const char *what, const char *s, size_t n, size_t max)
{
	if (n == 0) {
		fprintf(stderr, "palaver: %s is empty\n", what);
		return 0;
	}
	if (n > max) {
		fprintf(stderr, "palaver: %s is longer than %zu bytes\n", what,
		    max);
		return 0;
	}
	if (!utf8_check(s, n) || memchr(s, '\n', n) != NULL) {
		fprintf(stderr, "palaver: %s must be one line of UTF-8 "
		    "text\n", what);
		return 0;
	}
	return 1;
}

static int
article_add(struct config *cfg, const char *uri, const char *title,
    const char *body, size_t blen, long long *id)
{
	struct store	*s = NULL;
	struct buf	 html = BUF_INIT;
	enum status	 st;
	int		 rv = EX_FAIL;

	if (!valid_text("the uri", uri, strlen(uri), 1024) ||
	    !valid_text("the title", title, strlen(title), 512))
		return EX_USAGE;
	if (body != NULL) {
		if (!utf8_check(body, blen)) {
			fprintf(stderr, "palaver: the body is not UTF-8 text\n");
			return EX_FAIL;
		}
		if (markup_render(&html, body, blen, NULL) != ST_OK) {
			fprintf(stderr, "palaver: cannot render the body\n");
			goto out;
		}
	}
	if (open_store(cfg, &s) == -1)
		goto out;
	st = store_article_add(s, uri, title, body, body != NULL ?
	    buf_str(&html) : NULL, (long long)time(NULL), id);
	if (st == ST_CONFLICT) {
		fprintf(stderr, "palaver: an article with uri %s exists "
		    "already\n", uri);
		goto out;
	} else if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot add the article (%s)\n",
		    status_str(st));
		goto out;
	}
	rv = 0;
out:
	buf_free(&html);
	store_close(s);
	return rv;
}

static int
cmd_article_add(struct config *cfg, int argc, char **argv)
{
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
			return fail_usage(find("article", "add"), "bad option");
		}
	if (optind != argc)
		return fail_usage(find("article", "add"), "unexpected argument");
	if (uri == NULL || title == NULL)
		return fail_usage(find("article", "add"), "--uri and --title are required");
	/* The thread's key, as every other way in makes it. */
	if ((e = text_uri_normalize(&a, uri, strlen(uri), query ?
	    TEXT_URI_QUERY : 0, &key)) != TEXT_OK) {
		fprintf(stderr, "palaver: %s\n", text_error(&a, TEXT_URI, e, 0,
		    0));
		arena_free(&a);
		return EX_USAGE;
	}
	if (strcmp(key, uri) != 0)
		fprintf(stderr, "palaver: the article's key is %s\n", key);
	if (file != NULL &&
	    (body = read_file(file, MAX_ARTICLE_BODY, &blen)) == NULL)
		rv = EX_FAIL;
	else if ((rv = article_add(cfg, key, title, body, blen, &id)) == 0)
		printf("%lld\n", id);
	free(body);
	arena_free(&a);
	return rv;
}

static int
cmd_article_list(struct config *cfg, int argc, char **argv)
{
	struct store	*s = NULL;
	struct arena	 a = { NULL, 0 };
	struct article	*v;
	size_t		 i, n;
	long long	 bc = 0, bi = 0;
	enum status	 st;

	(void)argv;
	if (argc > 1)
		return fail_usage(find("article", "list"), "unexpected argument");
	if (open_store(cfg, &s) == -1)
		return EX_FAIL;
	do {
		st = store_article_list(s, &a, bc, bi, 500, &v, &n);
		if (st != ST_OK)
			break;
		for (i = 0; i < n; i++)
			printf("%lld\t%lld\t%s\t%s\t%s\n", v[i].id,
			    v[i].ncomments, v[i].closed ? "closed" : "open",
			    v[i].uri, v[i].title);
		if (n > 0) {
			bc = v[n - 1].created;
			bi = v[n - 1].id;
		}
		arena_free(&a);
	} while (n == 500);
	store_close(s);
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot list articles (%s)\n",
		    status_str(st));
		return EX_FAIL;
	}
	return 0;
}

static int
cmd_article_set(struct config *cfg, int argc, char **argv)
{
	const struct cmd *me = find("article", "set");
	const char	*mode = NULL;
	struct store	*s = NULL;
	long long	 id;
	int		 ch, closed = -1;
	enum status	 st;
	static const struct option opts[] = {
		{ "close", no_argument, NULL, 'C' },
		{ "open", no_argument, NULL, 'O' },
		{ "mode", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'C': closed = 1; break;
		case 'O': closed = 0; break;
		case 'm': mode = optarg; break;
		default:
			return fail_usage(me, "bad option");
		}
	if (optind != argc - 1 || (id = text_id(argv[optind],
	    strlen(argv[optind]))) == 0)
		return fail_usage(me, "article set takes one article ID");
	if (mode != NULL && strcmp(mode, "pre") != 0 &&
	    strcmp(mode, "post") != 0 && strcmp(mode, "default") != 0)
		return fail_usage(me, "--mode is pre, post or default");
	if (closed == -1 && mode == NULL)
		return fail_usage(me, "nothing to set");
	if (open_store(cfg, &s) == -1)
		return EX_FAIL;
	st = store_article_set(s, id, closed, mode);
	store_close(s);
	if (st == ST_NOTFOUND) {
		fprintf(stderr, "palaver: no article %lld\n", id);
		return EX_FAIL;
	}
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot change article %lld (%s)\n", id,
		    status_str(st));
		return EX_FAIL;
	}
	return 0;
}

static int
cmd_backup(struct config *cfg, int argc, char **argv)
{
	if (argc != 2)
		return fail_usage(find("backup", NULL), "backup takes one FILE");
	if (store_backup(cfg->db_path, argv[1]) != ST_OK) {
		fprintf(stderr, "palaver: backup to %s failed\n", argv[1]);
		return EX_FAIL;
	}
	printf("%s\n", argv[1]);
	return 0;
}

/* --- accounts ------------------------------------------------------------ */

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

	fprintf(stderr, "%s", what);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(stdin, buf, n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/*
 * The new password for `name`: from standard input, or asked for twice on
 * a terminal.  Checked: UTF-8, 12 characters or more, not the name.
 */
static int
new_password(const char *name, char *pw, size_t n)
{
	char	 again[AUTH_PW_MAX + 2];
	size_t	 len;

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
		    "line, at most %d bytes)\n", AUTH_PW_MAX);
		return -1;
	}
	len = strlen(pw);
	if (!utf8_check(pw, len) || memchr(pw, '\t', len) != NULL) {
		fprintf(stderr, "palaver: the password must be UTF-8 text\n");
		return -1;
	}
	if (utf8_len(pw, len) < AUTH_PW_MIN) {
		fprintf(stderr, "palaver: the password must have at least %d "
		    "characters\n", AUTH_PW_MIN);
		return -1;
	}
	if (strcasecmp(pw, name) == 0) {
		fprintf(stderr, "palaver: the password must not be the "
		    "name\n");
		return -1;
	}
	return 0;
}

static int
hash_password(const struct config *cfg, const char *name, char *hash)
{
	char	 pw[AUTH_PW_MAX + 2];
	int	 rc;

	if (new_password(name, pw, sizeof(pw)) == -1) {
		auth_wipe(pw, sizeof(pw));
		return -1;
	}
	rc = auth_password_hash(pw, strlen(pw),
	    (unsigned long long)cfg->pwhash_ops, (size_t)cfg->pwhash_mem,
	    hash);
	auth_wipe(pw, sizeof(pw));
	if (rc == -1)
		fprintf(stderr, "palaver: cannot hash the password (out of "
		    "memory?)\n");
	return rc;
}

static int
valid_name(const char *name)
{
	size_t	 n = strlen(name);

	if (n == 0 || n > 64 || !utf8_check(name, n) ||
	    strpbrk(name, " \t\n\r") != NULL) {
		fprintf(stderr, "palaver: a name is 1 to 64 characters of "
		    "UTF-8 without spaces\n");
		return 0;
	}
	return 1;
}

static void
cli_audit(struct store *s, const char *action, const char *name)
{
	char	 target[96];

	snprintf(target, sizeof(target), "user:%s", name);
	store_audit_add(s, 0, "cli", action, target, NULL, NULL, NULL,
	    (long long)time(NULL));
}

static int
cmd_user_add(struct config *cfg, int argc, char **argv)
{
	const struct cmd *me = find("user", "add");
	const char	*role = "moderator", *name;
	char		 hash[AUTH_HASH_MAX];
	struct store	*s = NULL;
	enum status	 st;
	int		 ch;
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'r': role = optarg; break;
		default:
			return fail_usage(me, "bad option");
		}
	if (optind != argc - 1)
		return fail_usage(me, "user add takes one NAME");
	name = argv[optind];
	if (strcmp(role, "admin") != 0 && strcmp(role, "moderator") != 0)
		return fail_usage(me, "--role is admin or moderator");
	if (!valid_name(name))
		return EX_USAGE;
	if (hash_password(cfg, name, hash) == -1)
		return EX_FAIL;
	if (open_store(cfg, &s) == -1)
		return EX_FAIL;
	st = store_mod_add(s, name, hash, strcmp(role, "admin") == 0,
	    (long long)time(NULL), NULL);
	if (st == ST_OK)
		cli_audit(s, "user-add", name);
	store_close(s);
	if (st == ST_CONFLICT) {
		fprintf(stderr, "palaver: user %s exists already\n", name);
		return EX_FAIL;
	}
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot add user %s (%s)\n", name,
		    status_str(st));
		return EX_FAIL;
	}
	printf("added %s %s\n", role, name);
	return 0;
}

static int
user_find(struct config *cfg, struct arena *a, const char *name,
    struct store **s, struct moderator *m)
{
	enum status	 st;

	if (open_store(cfg, s) == -1)
		return -1;
	if ((st = store_mod_by_name(*s, a, name, m)) != ST_OK) {
		fprintf(stderr, "palaver: %s\n", st == ST_NOTFOUND ?
		    "no such user" : status_str(st));
		store_close(*s);
		*s = NULL;
		return -1;
	}
	return 0;
}

static int
cmd_user_passwd(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct moderator m;
	struct store	*s = NULL;
	char		 hash[AUTH_HASH_MAX];
	enum status	 st;

	if (argc != 2)
		return fail_usage(find("user", "passwd"), "user passwd takes "
		    "one NAME");
	if (user_find(cfg, &a, argv[1], &s, &m) == -1) {
		arena_free(&a);
		return EX_FAIL;
	}
	if (hash_password(cfg, argv[1], hash) == -1) {
		store_close(s);
		arena_free(&a);
		return EX_FAIL;
	}
	st = store_mod_set_hash(s, m.id, hash, 0);
	if (st == ST_OK)
		cli_audit(s, "user-passwd", argv[1]);
	store_close(s);
	arena_free(&a);
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot set the password (%s)\n",
		    status_str(st));
		return EX_FAIL;
	}
	printf("password changed for %s\n", argv[1]);
	return 0;
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

static int
cmd_user_list(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct moderator *v;
	struct store	*s = NULL;
	char		 c[32], l[32];
	size_t		 i, n;
	enum status	 st;

	(void)argv;
	if (argc != 1)
		return fail_usage(find("user", "list"), "unexpected argument");
	if (open_store(cfg, &s) == -1)
		return EX_FAIL;
	if ((st = store_mod_list(s, &a, &v, &n)) == ST_OK)
		for (i = 0; i < n; i++) {
			fmt_time(c, sizeof(c), v[i].created);
			fmt_time(l, sizeof(l), v[i].last_login);
			printf("%s\t%s\t%s\t%s\n", v[i].name, v[i].admin ?
			    "admin" : "moderator", c, l);
		}
	store_close(s);
	arena_free(&a);
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot list users (%s)\n",
		    status_str(st));
		return EX_FAIL;
	}
	return 0;
}

static int
cmd_user_del(struct config *cfg, int argc, char **argv)
{
	struct arena	 a = { NULL, 0 };
	struct moderator m;
	struct store	*s = NULL;
	enum status	 st;

	if (argc != 2)
		return fail_usage(find("user", "del"), "user del takes one "
		    "NAME");
	if (user_find(cfg, &a, argv[1], &s, &m) == -1) {
		arena_free(&a);
		return EX_FAIL;
	}
	st = store_mod_del(s, m.id);
	if (st == ST_OK)
		cli_audit(s, "user-del", argv[1]);
	store_close(s);
	arena_free(&a);
	if (st != ST_OK) {
		fprintf(stderr, "palaver: cannot remove %s (%s)\n", argv[1],
		    status_str(st));
		return EX_FAIL;
	}
	printf("removed %s\n", argv[1]);
	return 0;
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

static int
cmd_demo(struct config *cfg, int argc, char **argv)
{
	struct store	*s = NULL;
	struct arena	 a = { NULL, 0 };
	struct article	*v;
	struct comment	 c;
	struct buf	 html = BUF_INIT;
	long long	 aid, ids[sizeof(demo) / sizeof(demo[0])];
	size_t		 i, n;
	int		 rv = EX_FAIL;

	(void)argv;
	if (argc > 1)
		return fail_usage(find("demo", NULL), "unexpected argument");
	if (open_store(cfg, &s) == -1)
		return EX_FAIL;
	if (store_article_list(s, &a, 0, 0, 1, &v, &n) != ST_OK)
		goto out;
	if (n > 0) {
		printf("the database has articles already; no demo added\n");
		rv = 0;
		goto out;
	}
	store_close(s);
	s = NULL;
	if (article_add(cfg, "/demo/welcome/", "Welcome to palaver",
	    demo_body, sizeof(demo_body) - 1, &aid) != 0)
		goto out;
	if (open_store(cfg, &s) == -1)
		goto out;
	for (i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		buf_reset(&html);
		if (markup_render(&html, demo[i].body, strlen(demo[i].body),
		    NULL) != ST_OK)
			goto out;
		memset(&c, 0, sizeof(c));
		c.article = aid;
		c.parent = demo[i].parent >= 0 ? ids[demo[i].parent] : 0;
		c.author = demo[i].author;
		c.website = demo[i].website;
		c.body = demo[i].body;
		c.html = buf_str(&html);
		c.status = CS_APPROVED;
		c.created = (long long)time(NULL) - 3600 + (long long)i * 300;
		if (store_comment_add(s, &c) != ST_OK)
			goto out;
		ids[i] = c.id;
	}
	printf("added the demo article %lld with %zu comments\n", aid, i);
	rv = 0;
out:
	if (rv != 0)
		fprintf(stderr, "palaver: cannot add the demo\n");
	buf_free(&html);
	arena_free(&a);
	store_close(s);
	return rv;
}

/* --- dispatch ------------------------------------------------------------ */

static const struct cmd *
find(const char *name, const char *sub)
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
	c = find(argv[1], argc > 2 ? argv[2] : NULL);
	if (c == NULL) {
		if (find(argv[1], "") == NULL && help(1, argv + 1) != 0)
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
	rv = 0;
	if (c->needs_db && migrate(&cfg, 0) == -1)
		rv = EX_FAIL;
	if (rv == 0)
		rv = c->fn(&cfg, argc - skip, argv + skip);
	config_free(&cfg);
	return rv;
}
