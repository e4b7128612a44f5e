/* config.c: read the INI configuration through inih, one table of keys */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/net.h"

enum ctype { C_STR, C_LONG, C_REAL, C_MODE, C_URL, C_BOOL, C_STARTTLS,
    C_TRANSPORT, C_HOOKS, C_EVENTS, C_NETS, C_LANG, C_ZONE };

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
	CK_LANGUAGE,
	CK_TIMEZONE,
	CK_MODE,
	CK_EDIT_WINDOW,
	CK_MAX_DEPTH,
	CK_MAX_STORE_DEPTH,
	CK_PAGE_SIZE,
	CK_AUTO_CLOSE_DAYS,
	CK_MAX_COMMENT,
	CK_REPORT_HOLD,
	CK_REPORTS_PER_HOUR,
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
	CK_VOTES,
	CK_VOTES_DOWN,
	CK_VOTES_PER_MINUTE,
	CK_IPV6_NETWORK,
	CK_IPV4_NETWORK,
	CK_KEY_FILE,
	CK_ADDR_KEY_DAYS,
	CK_HOOK_INPUT_DAYS,
	CK_MAIL_TRANSPORT,
	CK_MAIL_FROM,
	CK_MAIL_SENDMAIL,
	CK_MAIL_USER,
	CK_MAIL_PASSWORD,
	CK_MAIL_PASSWORD_FILE,
	CK_MAIL_STARTTLS,
	CK_MAIL_HOURLY_CAP,
	CK_MAIL_CONFIRM_DAYS,
	CK_MAIL_ACTION_HOURS,
	CK_MAIL_TIMEOUT,
	CK_MAIL_RETRY_SECONDS,
	CK_MAIL_MAX_ATTEMPTS,
	CK_MAIL_KEEP_DAYS,
	CK_HOOK_URLS,
	CK_HOOK_SECRET,
	CK_HOOK_EVENTS,
	CK_HOOK_TIMEOUT,
	CK_HOOK_RETRY_SECONDS,
	CK_HOOK_MAX_ATTEMPTS,
	CK_SESSION_IDLE,
	CK_SESSION_MAX,
	CK_LOGIN_ATTEMPTS,
	CK_PWHASH_OPS,
	CK_PWHASH_MEM,
	CK_METRICS_ALLOW,
	CK_METRICS_TOKEN,
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
	/* 0: the kernel's somaxconn, at most 4096 (see server.c). */
	[CK_BACKLOG] = { "server", "backlog", C_LONG, O(backlog),
	    "0", 0, 65535 },
	[CK_USER] = { "server", "user", C_STR, O(user), "", 0, 0 },
	[CK_SITE_NAME] = { "site", "name", C_STR, O(site_name),
	    "palaver", 0, 0 },
	[CK_BASE_URL] = { "site", "base_url", C_URL, O(base_url),
	    "", 0, 0 },
	[CK_ALLOWED_ORIGINS] = { "site", "allowed_origins", C_STR,
	    O(allowed_origins), "", 0, 0 },
	/* Catalogs and locales: core/i18n.c (i18n_init at start-up). */
	[CK_LANGUAGE] = { "site", "language", C_LANG, O(language), "en", 0,
	    0 },
	/* "": UTC.  A name from the time zone database (tzdata). */
	[CK_TIMEZONE] = { "site", "timezone", C_ZONE, O(timezone), "", 0, 0 },
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
	/* 0: reports never hold a comment by themselves. */
	[CK_REPORT_HOLD] = { "moderation", "report_hold", C_LONG,
	    O(report_hold), "3", 0, 1000 },
	[CK_REPORTS_PER_HOUR] = { "moderation", "reports_per_hour", C_LONG,
	    O(reports_per_hour), "10", 0, 100000 },
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
	[CK_VOTES] = { "votes", "enabled", C_BOOL, O(votes), "yes", 0, 1 },
	[CK_VOTES_DOWN] = { "votes", "down", C_BOOL, O(votes_down), "no",
	    0, 1 },
	[CK_VOTES_PER_MINUTE] = { "votes", "per_minute", C_LONG,
	    O(votes_per_minute), "30", 0, 100000 },
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
	[CK_MAIL_TRANSPORT] = { "mail", "transport", C_TRANSPORT,
	    O(mail_transport), "", 0, 0 },
	[CK_MAIL_FROM] = { "mail", "from", C_STR, O(mail_from), "", 0, 0 },
	[CK_MAIL_SENDMAIL] = { "mail", "sendmail", C_STR, O(mail_sendmail),
	    "/usr/sbin/sendmail", 0, 0 },
	[CK_MAIL_USER] = { "mail", "user", C_STR, O(mail_user), "", 0, 0 },
	[CK_MAIL_PASSWORD] = { "mail", "password", C_STR, O(mail_password),
	    "", 0, 0 },
	[CK_MAIL_PASSWORD_FILE] = { "mail", "password_file", C_STR,
	    O(mail_password_file), "", 0, 0 },
	[CK_MAIL_STARTTLS] = { "mail", "starttls", C_STARTTLS, O(mail_starttls),
	    "required", 0, 0 },
	[CK_MAIL_HOURLY_CAP] = { "mail", "hourly_cap", C_LONG,
	    O(mail_hourly_cap), "20", 1, 100000 },
	[CK_MAIL_CONFIRM_DAYS] = { "mail", "confirm_days", C_LONG,
	    O(mail_confirm_days), "7", 1, 365 },
	[CK_MAIL_ACTION_HOURS] = { "mail", "action_hours", C_LONG,
	    O(mail_action_hours), "72", 1, 8760 },
	[CK_MAIL_TIMEOUT] = { "mail", "timeout", C_LONG, O(mail_timeout),
	    "20", 1, 300 },
	[CK_MAIL_RETRY_SECONDS] = { "mail", "retry_seconds", C_LONG,
	    O(mail_retry_seconds), "60", 1, 86400 },
	[CK_MAIL_MAX_ATTEMPTS] = { "mail", "max_attempts", C_LONG,
	    O(mail_max_attempts), "10", 1, 100 },
	[CK_MAIL_KEEP_DAYS] = { "mail", "keep_days", C_LONG,
	    O(mail_keep_days), "30", 1, 3650 },
	[CK_HOOK_URLS] = { "webhooks", "urls", C_HOOKS, O(hook_urls), "", 0,
	    0 },
	[CK_HOOK_SECRET] = { "webhooks", "secret", C_STR, O(hook_secret), "",
	    0, 0 },
	[CK_HOOK_EVENTS] = { "webhooks", "events", C_EVENTS, O(hook_events),
	    "published held deleted reported", 0, 0 },
	[CK_HOOK_TIMEOUT] = { "webhooks", "timeout", C_LONG, O(hook_timeout),
	    "10", 1, 300 },
	[CK_HOOK_RETRY_SECONDS] = { "webhooks", "retry_seconds", C_LONG,
	    O(hook_retry_seconds), "30", 1, 86400 },
	[CK_HOOK_MAX_ATTEMPTS] = { "webhooks", "max_attempts", C_LONG,
	    O(hook_max_attempts), "10", 1, 100 },
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
	/* Who may scrape /metrics: loopback, unless told. */
	[CK_METRICS_ALLOW] = { "metrics", "allow", C_NETS, O(metrics_allow),
	    "127.0.0.1 ::1", 0, 0 },
	[CK_METRICS_TOKEN] = { "metrics", "token", C_STR, O(metrics_token),
	    "", 0, 0 },
};

struct parse_ctx {
	struct config	*cfg;
	char		*err;
	size_t		 errsz;
	const char	*file;
	int		 failed;
	int		 path_seen;	/* [database] path was in the file */
};

/*
 * A time zone palaver can show times in: a name of the system's time
 * zone database ("Europe/Berlin", "UTC"), which must be there, since the
 * C library falls back to UTC without a word for a name it cannot find.
 */
static int
zone_check(const char *val, char *why, size_t whysz)
{
	const char	*dir = getenv("TZDIR");
	struct stat	 sb;
	char		 path[512];
	int		 n;

	if (val[0] == '/' || strstr(val, "..") != NULL ||
	    val[strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-")] != '\0') {
		snprintf(why, whysz, "'%s' is not a time zone name such as "
		    "Europe/Berlin or UTC", val);
		return -1;
	}
	n = snprintf(path, sizeof(path), "%s/%s", dir != NULL && *dir != '\0' ?
	    dir : "/usr/share/zoneinfo", val);
	if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &sb) != 0 ||
	    !S_ISREG(sb.st_mode) || access(path, R_OK) != 0) {
		snprintf(why, whysz, "no time zone '%s' in the time zone "
		    "database (install tzdata, or see timedatectl "
		    "list-timezones)", val);
		return -1;
	}
	return 0;
}

/*
 * An address of the scheme a or b with a host (an optional port and
 * path), no credentials (they have keys of their own), nothing that is
 * not printable ASCII.  n bytes of s.
 */
static int
host_urln(const char *s, size_t n, const char *a, const char *b)
{
	size_t	 i, skip, host;

	if (n > strlen(a) && strncmp(s, a, strlen(a)) == 0)
		skip = strlen(a);
	else if (b != NULL && n > strlen(b) && strncmp(s, b, strlen(b)) == 0)
		skip = strlen(b);
	else
		return 0;
	for (i = skip; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '"' || s[i] == '<' || s[i] == '>' || s[i] == '\\')
			return 0;
	host = strcspn(s + skip, "/?#");
	if (host > n - skip)
		host = n - skip;
	return host > 0 && s[skip] != ':' && memchr(s + skip, '@', host) ==
	    NULL;
}

static int
host_url(const char *s, const char *a, const char *b)
{
	return host_urln(s, strlen(s), a, b);
}

/* Webhook URLs: http(s), separated by spaces. */
static int
url_list(const char *s)
{
	size_t	 n;

	for (;;) {
		s += strspn(s, " \t");
		if (*s == '\0')
			return 1;
		n = strcspn(s, " \t");
		if (!host_urln(s, n, "http://", "https://"))
			return 0;
		s += n;
	}
}

static int
event_list(const char *s)
{
	static const char *const ev[] = { "published", "held", "deleted",
	    "reported" };
	size_t	 n, i;

	for (;;) {
		s += strspn(s, " \t");
		if (*s == '\0')
			return 1;
		n = strcspn(s, " \t");
		for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
			if (strlen(ev[i]) == n && strncmp(ev[i], s, n) == 0)
				break;
		if (i == sizeof(ev) / sizeof(ev[0]))
			return 0;
		s += n;
	}
}

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
	case C_ZONE:
		if (*val != '\0' && zone_check(val, why, whysz) == -1)
			return -1;
		break;
	case C_STARTTLS:
		if (strcmp(val, "required") != 0 &&
		    strcmp(val, "opportunistic") != 0 && strcmp(val, "off") != 0) {
			snprintf(why, whysz, "'%s' is none of required, "
			    "opportunistic, off", val);
			return -1;
		}
		break;
	case C_TRANSPORT:
		if (*val != '\0' && strcmp(val, "sendmail") != 0 &&
		    !host_url(val, "smtp://", "smtps://")) {
			snprintf(why, whysz, "'%s' is none of smtp://HOST[:PORT], "
			    "smtps://HOST[:PORT] and sendmail", val);
			return -1;
		}
		break;
	case C_HOOKS:
		if (!url_list(val)) {
			snprintf(why, whysz, "'%s' is not a list of http(s) URLs "
			    "separated by spaces", val);
			return -1;
		}
		break;
	case C_EVENTS:
		if (!event_list(val)) {
			snprintf(why, whysz, "'%s' names an event other than "
			    "published, held, deleted and reported", val);
			return -1;
		}
		break;
	case C_LANG:
		if (i18n_find(val) == NULL) {
			snprintf(why, whysz, "'%s' is not a language palaver "
			    "has (%s)", val, i18n_list());
			return -1;
		}
		break;
	case C_NETS:
		if (net_list_ok(val) == -1) {
			snprintf(why, whysz, "'%s' is not a list of addresses "
			    "and networks (such as 127.0.0.1 ::1 10.0.0.0/8)",
			    val);
			return -1;
		}
		break;
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

/* The address in "Name <addr>" or "addr": ASCII, one @, no spaces. */
static int
from_ok(const char *from)
{
	const char	*lt = strrchr(from, '<'), *a = from, *at;
	size_t		 n, i;

	if (lt != NULL) {
		a = lt + 1;
		n = strcspn(a, ">");
		if (a[n] != '>' || a[n + 1] != '\0')
			return 0;
	} else
		n = strlen(a);
	if ((at = memchr(a, '@', n)) == NULL || at == a || at == a + n - 1 ||
	    memchr(at + 1, '@', n - (size_t)(at + 1 - a)) != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)a[i] <= ' ' || (unsigned char)a[i] >= 0x7f ||
		    strchr("<>()[],;:\\\"", a[i]) != NULL)
			return 0;
	for (i = 0; from[i] != '\0'; i++)
		if (from[i] == '\r' || from[i] == '\n')
			return 0;
	return 1;
}

/* [mail] and [webhooks]: what one key needs of another. */
static int
mail_finish(struct config *cfg, const char *file, char *err, size_t errsz)
{
	if (cfg->mail_transport[0] != '\0' && !from_ok(cfg->mail_from)) {
		snprintf(err, errsz, "%s: [mail] from must be an address, "
		    "alone or as Name <address>, when transport is set", file);
		return -1;
	}
	/* Every link a message carries is absolute, under base_url. */
	if (cfg->mail_transport[0] != '\0' && cfg->base_url[0] == '\0') {
		snprintf(err, errsz, "%s: [mail] transport needs [site] "
		    "base_url: the links in messages are absolute", file);
		return -1;
	}
	if (cfg->mail_transport[0] != '\0' && cfg->mail_sendmail[0] != '/') {
		snprintf(err, errsz, "%s: [mail] sendmail must be an absolute "
		    "path", file);
		return -1;
	}
	if (cfg->mail_password[0] != '\0' &&
	    cfg->mail_password_file[0] != '\0') {
		snprintf(err, errsz, "%s: [mail] password and password_file "
		    "are both set; keep one", file);
		return -1;
	}
	if (cfg->hook_urls[strspn(cfg->hook_urls, " \t")] != '\0' &&
	    cfg->hook_secret[0] == '\0') {
		snprintf(err, errsz, "%s: [webhooks] secret is needed to sign "
		    "deliveries when urls is set", file);
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
	/* A bearer token is a password: long, and one word on the line. */
	if (cfg->metrics_token[0] != '\0' &&
	    (strlen(cfg->metrics_token) < 16 ||
	    strpbrk(cfg->metrics_token, " \t") != NULL)) {
		snprintf(err, errsz, "%s: [metrics] token: at least 16 "
		    "characters, without spaces", file);
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
	if (mail_finish(cfg, file, err, errsz) == -1)
		return -1;
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

int
config_mail_password(struct config *cfg, char *err, size_t errsz)
{
	char	 pw[1024];
	FILE	*f;
	size_t	 n;

	if (cfg->mail_password_file[0] == '\0')
		return 0;
	if ((f = fopen(cfg->mail_password_file, "re")) == NULL) {
		snprintf(err, errsz, "[mail] password_file %s: %s",
		    cfg->mail_password_file, strerror(errno));
		return -1;
	}
	n = fread(pw, 1, sizeof(pw) - 1, f);
	fclose(f);
	pw[n] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	free(cfg->mail_password);
	cfg->mail_password = strdup(pw);
	explicit_bzero(pw, sizeof(pw));
	if (cfg->mail_password == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
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
		if (keys[i].type != C_LONG && keys[i].type != C_REAL &&
		    keys[i].type != C_BOOL) {
			char **sp = (char **)(void *)((char *)cfg +
			    keys[i].off);

			/* The SMTP password, read from its file too. */
			if (i == CK_MAIL_PASSWORD && *sp != NULL)
				explicit_bzero(*sp, strlen(*sp));
			free(*sp);
		}
	free(cfg->base_path);
	memset(cfg, 0, sizeof(*cfg));
}
