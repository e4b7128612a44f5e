/* config.c: read the INI configuration through inih, one table of keys */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "core/config.h"

enum ctype { C_STR, C_LONG, C_REAL, C_MODE, C_URL, C_BOOL };

enum ckey {
	CK_DB_PATH,
	CK_DB_URL,
	CK_SOCKET,
	CK_WORKERS,
	CK_THREADS,
	CK_MAX_BODY,
	CK_BACKLOG,
	CK_USER,
	CK_SITE_NAME,
	CK_BASE_URL,
	CK_ALLOWED_ORIGINS,
	CK_MODE,
	CK_EDIT_WINDOW,
	CK_MAX_DEPTH,
	CK_MAX_STORE_DEPTH,
	CK_PAGE_SIZE,
	CK_AUTO_CLOSE_DAYS,
	CK_MAX_COMMENT,
	CK_HOOK,
	CK_HOOK_ENV,
	CK_HOOK_TIMEOUT_MS,
	CK_HOLD,
	CK_REJECT,
	CK_MIN_SUBMIT_SECONDS,
	CK_MAX_LINKS,
	CK_BLOCKLIST,
	CK_POSTS_PER_MINUTE,
	CK_TELL_SPAM,
	CK_IPV6_NETWORK,
	CK_IPV4_NETWORK,
	CK_KEY_FILE,
	CK_ADDR_KEY_DAYS,
	CK_HOOK_INPUT_DAYS,
	CK_SESSION_IDLE,
	CK_SESSION_MAX,
	CK_LOGIN_ATTEMPTS,
	CK_PWHASH_OPS,
	CK_PWHASH_MEM,
	CK__MAX
};

struct ckeydef {
	const char	*section;
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	const char	*def;		/* default, as it would be written */
	double		 min;		/* numeric bounds, inclusive */
	double		 max;
};

#define O(f) offsetof(struct config, f)

/* [database] path when neither path nor url is set. */
#define DB_PATH_DEFAULT	"var/palaver.db"

static const struct ckeydef keys[CK__MAX] = {
	/* One of the two; path's default is filled in by finish(). */
	[CK_DB_PATH] = { "database", "path", C_STR, O(db_path), "", 0, 0 },
	[CK_DB_URL] = { "database", "url", C_STR, O(db_url), "", 0, 0 },
	[CK_SOCKET] = { "server", "socket", C_STR, O(socket),
	    "var/palaver.sock", 0, 0 },
	[CK_WORKERS] = { "server", "workers", C_LONG, O(workers),
	    "2", 1, 64 },
	[CK_THREADS] = { "server", "threads", C_LONG, O(threads),
	    "8", 1, 256 },
	[CK_MAX_BODY] = { "server", "max_body", C_LONG, O(max_body),
	    "65536", 1024, 16777216 },
	[CK_BACKLOG] = { "server", "backlog", C_LONG, O(backlog),
	    "256", 1, 65535 },
	[CK_USER] = { "server", "user", C_STR, O(user), "", 0, 0 },
	[CK_SITE_NAME] = { "site", "name", C_STR, O(site_name),
	    "palaver", 0, 0 },
	[CK_BASE_URL] = { "site", "base_url", C_URL, O(base_url),
	    "", 0, 0 },
	[CK_ALLOWED_ORIGINS] = { "site", "allowed_origins", C_STR,
	    O(allowed_origins), "", 0, 0 },
	[CK_MODE] = { "moderation", "mode", C_MODE, O(mode),
	    "post", 0, 0 },
	[CK_EDIT_WINDOW] = { "moderation", "edit_window", C_LONG,
	    O(edit_window), "900", 0, 86400 * 30 },
	[CK_MAX_DEPTH] = { "moderation", "max_depth", C_LONG, O(max_depth),
	    "6", 1, 64 },
	/* As STORE_MAX_DEPTH (store.h), which core cannot include. */
	[CK_MAX_STORE_DEPTH] = { "moderation", "max_store_depth", C_LONG,
	    O(max_store_depth), "200", 1, 1000000 },
	[CK_PAGE_SIZE] = { "moderation", "page_size", C_LONG, O(page_size),
	    "50", 1, 1000 },
	[CK_AUTO_CLOSE_DAYS] = { "moderation", "auto_close_days", C_LONG,
	    O(auto_close_days), "0", 0, 36500 },
	[CK_MAX_COMMENT] = { "moderation", "max_comment", C_LONG,
	    O(max_comment), "10000", 1, 1000000 },
	[CK_HOOK] = { "spam", "hook", C_STR, O(hook), "", 0, 0 },
	[CK_HOOK_ENV] = { "spam", "hook_env", C_STR, O(hook_env), "", 0, 0 },
	[CK_HOOK_TIMEOUT_MS] = { "spam", "hook_timeout_ms", C_LONG,
	    O(hook_timeout_ms), "2000", 10, 60000 },
	[CK_HOLD] = { "spam", "hold", C_REAL, O(hold), "0.5", 0, 1 },
	[CK_REJECT] = { "spam", "reject", C_REAL, O(reject), "0.9", 0, 1 },
	[CK_MIN_SUBMIT_SECONDS] = { "spam", "min_submit_seconds", C_LONG,
	    O(min_submit_seconds), "3", 0, 3600 },
	[CK_MAX_LINKS] = { "spam", "max_links", C_LONG, O(max_links),
	    "3", 0, 1000 },
	[CK_BLOCKLIST] = { "spam", "blocklist", C_STR, O(blocklist),
	    "", 0, 0 },
	[CK_POSTS_PER_MINUTE] = { "spam", "posts_per_minute", C_LONG,
	    O(posts_per_minute), "5", 0, 100000 },
	[CK_TELL_SPAM] = { "spam", "tell_spam", C_BOOL, O(tell_spam), "no",
	    0, 1 },
	/* Limits count an IPv6 /64 as one reader: one household. */
	[CK_IPV6_NETWORK] = { "limits", "ipv6_network", C_LONG,
	    O(ipv6_network), "64", 0, 128 },
	[CK_IPV4_NETWORK] = { "limits", "ipv4_network", C_LONG,
	    O(ipv4_network), "32", 0, 32 },
	/* "": palaver.key next to the configuration file. */
	[CK_KEY_FILE] = { "privacy", "key_file", C_STR, O(key_file), "", 0,
	    0 },
	[CK_ADDR_KEY_DAYS] = { "privacy", "addr_key_days", C_LONG,
	    O(addr_key_days), "30", 1, 3650 },
	[CK_HOOK_INPUT_DAYS] = { "privacy", "hook_input_days", C_LONG,
	    O(hook_input_days), "30", 0, 365 },
	[CK_SESSION_IDLE] = { "auth", "session_idle", C_LONG,
	    O(session_idle), "3600", 60, 86400 * 30 },
	[CK_SESSION_MAX] = { "auth", "session_max", C_LONG,
	    O(session_max), "43200", 60, 86400 * 365 },
	[CK_LOGIN_ATTEMPTS] = { "auth", "login_attempts", C_LONG,
	    O(login_attempts), "5", 1, 1000 },
	/* libsodium's INTERACTIVE limits: 0.15 s and 64 MiB a hash here. */
	[CK_PWHASH_OPS] = { "auth", "pwhash_ops", C_LONG, O(pwhash_ops),
	    "2", 1, 20 },
	[CK_PWHASH_MEM] = { "auth", "pwhash_mem", C_LONG, O(pwhash_mem),
	    "67108864", 8192, 1073741824 },
};

struct parse_ctx {
	struct config	*cfg;
	char		*err;
	size_t		 errsz;
	const char	*file;
	int		 failed;
	int		 path_seen;	/* [database] path was in the file */
};

static int
set_key(struct config *cfg, const struct ckeydef *k, const char *val,
    char *why, size_t whysz)
{
	char	**sp, *end, *copy;
	long	  l;
	double	  d;

	switch (k->type) {
	case C_LONG:
		errno = 0;
		l = strtol(val, &end, 10);
		if (*val == '\0' || *end != '\0' || errno != 0) {
			snprintf(why, whysz, "'%s' is not a whole number", val);
			return -1;
		}
		if (l < (long)k->min || l > (long)k->max) {
			snprintf(why, whysz, "%ld is out of range (%ld to %ld)",
			    l, (long)k->min, (long)k->max);
			return -1;
		}
		*(long *)(void *)((char *)cfg + k->off) = l;
		return 0;
	case C_REAL:
		errno = 0;
		d = strtod(val, &end);
		if (*val == '\0' || *end != '\0' || errno != 0 || d != d) {
			snprintf(why, whysz, "'%s' is not a number", val);
			return -1;
		}
		if (d < k->min || d > k->max) {
			snprintf(why, whysz, "%s is out of range (%g to %g)",
			    val, k->min, k->max);
			return -1;
		}
		*(double *)(void *)((char *)cfg + k->off) = d;
		return 0;
	case C_MODE:
		if (strcmp(val, "pre") != 0 && strcmp(val, "post") != 0) {
			snprintf(why, whysz, "'%s' is neither pre nor post",
			    val);
			return -1;
		}
		break;
	case C_URL:
		if (*val != '\0' && strncmp(val, "http://", 7) != 0 &&
		    strncmp(val, "https://", 8) != 0) {
			snprintf(why, whysz, "'%s' is not an http(s) URL", val);
			return -1;
		}
		break;
	case C_BOOL:
		if (strcmp(val, "yes") == 0 || strcmp(val, "true") == 0 ||
		    strcmp(val, "1") == 0)
			l = 1;
		else if (strcmp(val, "no") == 0 || strcmp(val, "false") == 0 ||
		    strcmp(val, "0") == 0)
			l = 0;
		else {
			snprintf(why, whysz, "'%s' is neither yes nor no", val);
			return -1;
		}
		*(long *)(void *)((char *)cfg + k->off) = l;
		return 0;
	case C_STR:
		break;
	}
	if ((copy = strdup(val)) == NULL) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	sp = (char **)(void *)((char *)cfg + k->off);
	free(*sp);
	*sp = copy;
	return 0;
}

static int
on_key(void *arg, const char *section, const char *name, const char *val)
{
	struct parse_ctx	*ctx = arg;
	char			 why[256];
	size_t			 i;

	/* Always 1: inih counts a 0 as a syntax error on the line. */
	if (ctx->failed)
		return 1;
	for (i = 0; i < CK__MAX; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			break;
	if (i == CK__MAX) {
		snprintf(ctx->err, ctx->errsz, "%s: unknown key '%s' in "
		    "section [%s]", ctx->file, name, section);
		ctx->failed = 1;
		return 1;
	}
	if (i == CK_DB_PATH)
		ctx->path_seen = 1;
	if (set_key(ctx->cfg, &keys[i], val, why, sizeof(why)) == -1) {
		snprintf(ctx->err, ctx->errsz, "%s: [%s] %s: %s", ctx->file,
		    section, name, why);
		ctx->failed = 1;
		return 1;
	}
	return 1;
}

static int
set_defaults(struct config *cfg, char *err, size_t errsz)
{
	char	 why[256];
	size_t	 i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CK__MAX; i++)
		if (set_key(cfg, &keys[i], keys[i].def, why,
		    sizeof(why)) == -1) {
			snprintf(err, errsz, "default for %s: %s",
			    keys[i].name, why);
			return -1;
		}
	return 0;
}

/* Checks across keys, and values derived from others. */
static int
finish(struct config *cfg, const char *file, int path_seen, char *err,
    size_t errsz)
{
	const char	*p;
	size_t		 n;

	if (cfg->hold > cfg->reject) {
		snprintf(err, errsz, "%s: [spam] hold (%g) is above reject "
		    "(%g)", file, cfg->hold, cfg->reject);
		return -1;
	}
	/* [database]: a SQLite file or a PostgreSQL URI, never both. */
	if (cfg->db_path[0] != '\0' && cfg->db_url[0] != '\0') {
		snprintf(err, errsz, "%s: [database] has both path and url: "
		    "set path for SQLite or url for PostgreSQL, not both",
		    file);
		return -1;
	}
	if (cfg->db_url[0] != '\0' &&
	    strncmp(cfg->db_url, "postgresql://", 13) != 0 &&
	    strncmp(cfg->db_url, "postgres://", 11) != 0) {
		snprintf(err, errsz, "%s: [database] url: not a PostgreSQL URI "
		    "(postgresql://[user[:password]@][host][:port]/dbname"
		    "[?param=value...])", file);
		return -1;
	}
	if (cfg->db_path[0] != '\0' &&
	    (strncmp(cfg->db_path, "postgresql://", 13) == 0 ||
	    strncmp(cfg->db_path, "postgres://", 11) == 0)) {
		snprintf(err, errsz, "%s: [database] path is a URI: a "
		    "PostgreSQL database goes in url", file);
		return -1;
	}
	if (cfg->db_url[0] == '\0' && cfg->db_path[0] == '\0' && path_seen) {
		snprintf(err, errsz, "%s: [database] path is empty (or set url "
		    "for PostgreSQL)", file);
		return -1;
	}
	if (cfg->db_url[0] == '\0' && cfg->db_path[0] == '\0') {
		free(cfg->db_path);
		if ((cfg->db_path = strdup(DB_PATH_DEFAULT)) == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
	}
	cfg->db = cfg->db_url[0] != '\0' ? cfg->db_url : cfg->db_path;
	/* The address keys live beside the configuration. */
	if (cfg->key_file[0] == '\0' && file != NULL && file[0] != '(') {
		const char *slash = strrchr(file, '/');
		size_t dir = slash != NULL ? (size_t)(slash - file) + 1 : 0;
		char *k;

		if ((k = malloc(dir + sizeof("palaver.key"))) != NULL) {
			memcpy(k, file, dir);
			memcpy(k + dir, "palaver.key", sizeof("palaver.key"));
		}
		if (k == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		free(cfg->key_file);
		cfg->key_file = k;
	}
	/* The path part of base_url is where nginx mounts us. */
	p = cfg->base_url;
	if (*p != '\0') {
		p = strstr(p, "://") + 3;
		p += strcspn(p, "/");
	}
	n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	free(cfg->base_path);
	if ((cfg->base_path = strndup(p, n)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

static int
load(struct config *cfg, const char *file, const char *text, char *err,
    size_t errsz)
{
	struct parse_ctx	 ctx;
	int			 rc;

	if (set_defaults(cfg, err, errsz) == -1)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	ctx.err = err;
	ctx.errsz = errsz;
	ctx.file = file;
	if (text != NULL)
		rc = ini_parse_string(text, on_key, &ctx);
	else if (file != NULL)
		rc = ini_parse(file, on_key, &ctx);
	else
		rc = 0;
	/* inih goes on after a bad line; report the line first, since a key
	 * error after it may only be its echo. */
	if (rc > 0) {
		snprintf(err, errsz, "%s:%d: syntax error (expected "
		    "[section] or key = value)", file, rc);
		return -1;
	}
	if (ctx.failed)
		return -1;
	if (rc == -1) {
		snprintf(err, errsz, "%s: cannot open: %s", file,
		    strerror(errno));
		return -1;
	} else if (rc == -2) {
		snprintf(err, errsz, "%s: out of memory", file);
		return -1;
	}
	return finish(cfg, file != NULL ? file : "(defaults)", ctx.path_seen,
	    err, errsz);
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errsz)
{
	return load(cfg, path, NULL, err, errsz);
}

int
config_parse(struct config *cfg, const char *text, char *err, size_t errsz)
{
	return load(cfg, "(string)", text, err, errsz);
}

long
config_max_body(const struct config *cfg)
{
	long	 need = cfg->max_comment * 12 + 16384;

	return cfg->max_body > need ? cfg->max_body : need;
}

const char *
config_path(const char *opt)
{
	const char	*env;

	if (opt != NULL)
		return opt;
	if ((env = getenv("PALAVER_CONF")) != NULL && *env != '\0')
		return env;
	return "conf/palaver.conf";
}

void
config_free(struct config *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	for (i = 0; i < CK__MAX; i++)
		if (keys[i].type == C_STR || keys[i].type == C_MODE ||
		    keys[i].type == C_URL)
			free(*(char **)(void *)((char *)cfg + keys[i].off));
	free(cfg->base_path);
	memset(cfg, 0, sizeof(*cfg));
}
