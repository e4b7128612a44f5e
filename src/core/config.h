/* config.h: the INI configuration, its keys, defaults and limits */
#ifndef PALAVER_CONFIG_H
#define PALAVER_CONFIG_H

#include <stddef.h>

struct config {
	/* [database] */
	char	*db_path;	/* SQLite: the file ("" with url) */
	char	*db_url;	/* PostgreSQL: a libpq URI ("" with path) */
	const char *db;		/* the one set: what the store opens */
	/* [server] */
	char	*socket;
	long	 workers;
	long	 threads;
	long	 max_body;	/* see config_max_body */
	long	 backlog;	/* 0: from net.core.somaxconn */
	char	*user;		/* drop to this user when started as root */
	/* [site] */
	char	*site_name;
	char	*base_url;
	char	*base_path;	/* derived from base_url: "" or "/comments" */
	char	*allowed_origins;
	char	*language;	/* "en", "de": core/i18n.h */
	char	*timezone;	/* pages show times in it; "": UTC */
	/* [moderation] */
	char	*mode;		/* "pre" or "post" */
	long	 edit_window;
	long	 max_depth;
	long	 max_store_depth;
	long	 page_size;
	long	 auto_close_days;
	long	 max_comment;
	long	 report_hold;	/* open reports that hold a comment; 0: none */
	long	 reports_per_hour;	/* reports a client may file */
	/* [spam] */
	char	*hook;
	char	*hook_env;	/* variables passed to the hook */
	long	 hook_timeout_ms;
	double	 hold;
	double	 reject;
	long	 min_submit_seconds;
	long	 max_links;
	char	*blocklist;
	long	 posts_per_minute;
	long	 tell_spam;	/* say "spam" to the poster, not "waiting" */
	/* [votes] */
	long	 votes;		/* readers may vote */
	long	 votes_down;	/* and vote down */
	long	 votes_per_minute;	/* votes a client may cast; 0: any */
	/* [limits] */
	long	 ipv6_network;	/* prefix length limits count by; 0: none */
	long	 ipv4_network;	/* the same for IPv4; 32: the address */
	/* [privacy] */
	char	*key_file;	/* the address-hash keys (auth/keyring.c) */
	long	 addr_key_days;	/* a key's life */
	long	 hook_input_days;	/* the hook's input kept at most */
	/* [mail] */
	char	*mail_transport;	/* smtp://, smtps://, sendmail, "" */
	char	*mail_from;		/* "Name <addr>" or "addr" */
	char	*mail_sendmail;		/* the program transport=sendmail runs */
	char	*mail_user;		/* SMTP login, "" for none */
	char	*mail_password;		/* its password, or ... */
	char	*mail_password_file;	/* ... the file that holds it */
	char	*mail_starttls;		/* required, opportunistic, off */
	long	 mail_hourly_cap;	/* messages an address gets an hour */
	long	 mail_confirm_days;	/* a confirmation link's life */
	long	 mail_action_hours;	/* a moderator's one-click link's */
	long	 mail_timeout;		/* seconds a delivery may take */
	long	 mail_retry_seconds;	/* first back-off, doubled each time */
	long	 mail_max_attempts;	/* then it has failed for good */
	long	 mail_keep_days;	/* sent and failed records kept */
	/* [webhooks] */
	char	*hook_urls;		/* space-separated */
	char	*hook_secret;
	char	*hook_events;		/* published held deleted reported */
	long	 hook_timeout;
	long	 hook_retry_seconds;
	long	 hook_max_attempts;
	/* [auth] */
	long	 session_idle;
	long	 session_max;
	long	 login_attempts;
	long	 pwhash_ops;
	long	 pwhash_mem;
	/* [metrics] */
	char	*metrics_allow;	/* addresses and networks that may scrape */
	char	*metrics_token;	/* or a bearer token; "" none */
};

/*
 * config_load: fill `cfg` with defaults, then read the INI file at `path`
 * over them.  Returns 0, or -1 with a message in `err` naming the file and
 * the key and what is wrong with it, or the line of a syntax error (the caller prints it and exits 1).  On error
 * cfg still holds defaults and must be freed.  A NULL path loads defaults.
 */
int	config_load(struct config *cfg, const char *path, char *err, size_t);
/* config_parse: the same from a string in memory (for tests). */
int	config_parse(struct config *cfg, const char *text, char *err, size_t);
/*
 * config_mail_password: read [mail] password_file (its first line) into
 * mail_password.  Only `serve` needs it, and reads it before it drops
 * root, so the file may be readable by root alone.  -1 with a message in
 * err when it cannot be read.
 */
int	config_mail_password(struct config *cfg, char *err, size_t);
/* config_path: the file to read: `opt` (-c), else $PALAVER_CONF, else
 * conf/palaver.conf.  Borrowed. */
const char *config_path(const char *opt);
/*
 * config_max_body: the largest request body taken: [server] max_body, or
 * more when that is needed for any comment within [moderation]
 * max_comment characters to fit as a form sends it (4 bytes a character,
 * 3 a byte percent-encoded, and room for the other fields).
 */
long	config_max_body(const struct config *);
/* config_free: release the strings.  NULL ok. */
void	config_free(struct config *);

#endif
