/* test_config.c: config_parse and config_load: defaults, every key, bad input */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define O(f)		offsetof(struct config, f)

enum vtype { V_STR, V_LONG, V_REAL, V_BOOL };

/* One key: where it lives, its default, and a legal other value. */
struct keyrow {
	const char	*section;
	const char	*name;
	enum vtype	 type;
	size_t		 off;
	const char	*def;		/* the default, as text */
	const char	*set;		/* another legal value */
};

/* Every key palaver knows, section by section (see conf/palaver.conf). */
static const struct keyrow keyrows[] = {
	{ "database", "path", V_STR, O(db_path), "var/palaver.db",
	    "/srv/palaver/db.sqlite" },
	{ "server", "socket", V_STR, O(socket), "var/palaver.sock",
	    "/run/palaver/fcgi.sock" },
	{ "server", "workers", V_LONG, O(workers), "2", "7" },
	{ "server", "threads", V_LONG, O(threads), "8", "3" },
	{ "server", "max_body", V_LONG, O(max_body), "65536", "1048576" },
	{ "server", "backlog", V_LONG, O(backlog), "0", "1024" },
	{ "server", "user", V_STR, O(user), "", "www-data" },
	{ "site", "name", V_STR, O(site_name), "palaver", "My Blog's talk" },
	{ "site", "base_url", V_STR, O(base_url), "",
	    "https://example.com/comments" },
	{ "site", "allowed_origins", V_STR, O(allowed_origins), "",
	    "https://a.example https://b.example" },
	{ "site", "timezone", V_STR, O(timezone), "", "Europe/Berlin" },
	{ "moderation", "mode", V_STR, O(mode), "post", "pre" },
	{ "moderation", "edit_window", V_LONG, O(edit_window), "900", "0" },
	{ "moderation", "max_depth", V_LONG, O(max_depth), "6", "64" },
	{ "moderation", "max_store_depth", V_LONG, O(max_store_depth), "200",
	    "1000000" },
	{ "moderation", "page_size", V_LONG, O(page_size), "50", "1" },
	{ "moderation", "auto_close_days", V_LONG, O(auto_close_days), "0",
	    "30" },
	{ "moderation", "max_comment", V_LONG, O(max_comment), "10000",
	    "500" },
	{ "moderation", "report_hold", V_LONG, O(report_hold), "3", "0" },
	{ "moderation", "reports_per_hour", V_LONG, O(reports_per_hour), "10",
	    "100000" },
	{ "spam", "hook", V_STR, O(hook), "", "/usr/local/bin/score" },
	{ "spam", "hook_env", V_STR, O(hook_env), "", "AKISMET_KEY AKISMET_BLOG" },
	{ "spam", "hook_timeout_ms", V_LONG, O(hook_timeout_ms), "2000",
	    "60000" },
	{ "spam", "hold", V_REAL, O(hold), "0.5", "0.25" },
	{ "spam", "reject", V_REAL, O(reject), "0.9", "1" },
	{ "spam", "min_submit_seconds", V_LONG, O(min_submit_seconds), "3",
	    "0" },
	{ "spam", "max_links", V_LONG, O(max_links), "3", "10" },
	{ "spam", "blocklist", V_STR, O(blocklist), "",
	    "conf/blocklist.txt" },
	{ "spam", "posts_per_minute", V_LONG, O(posts_per_minute), "5",
	    "100000" },
	{ "spam", "tell_spam", V_BOOL, O(tell_spam), "no", "yes" },
	{ "limits", "ipv6_network", V_LONG, O(ipv6_network), "64", "48" },
	{ "limits", "ipv4_network", V_LONG, O(ipv4_network), "32", "24" },
	/* "" is palaver.key beside the file config_load reads (below). */
	{ "privacy", "key_file", V_STR, O(key_file), "",
	    "/etc/palaver/keys" },
	{ "privacy", "addr_key_days", V_LONG, O(addr_key_days), "30", "7" },
	{ "privacy", "hook_input_days", V_LONG, O(hook_input_days), "30",
	    "1" },
	{ "votes", "enabled", V_LONG, O(votes), "1", "0" },
	{ "votes", "down", V_LONG, O(votes_down), "0", "1" },
	{ "votes", "per_minute", V_LONG, O(votes_per_minute), "30", "0" },
	/* transport needs from and base_url, urls a secret, and password
	 * and password_file exclude each other: those are set to their
	 * defaults here and checked together in test_mail.c. */
	{ "mail", "transport", V_STR, O(mail_transport), "", "" },
	{ "mail", "from", V_STR, O(mail_from), "", "Talk <talk@example.com>" },
	{ "mail", "sendmail", V_STR, O(mail_sendmail), "/usr/sbin/sendmail",
	    "/usr/lib/sendmail" },
	{ "mail", "user", V_STR, O(mail_user), "", "relay@example.com" },
	{ "mail", "password", V_STR, O(mail_password), "", "s3cret" },
	{ "mail", "password_file", V_STR, O(mail_password_file), "", "" },
	{ "mail", "starttls", V_STR, O(mail_starttls), "required",
	    "opportunistic" },
	{ "mail", "hourly_cap", V_LONG, O(mail_hourly_cap), "20", "100000" },
	{ "mail", "confirm_days", V_LONG, O(mail_confirm_days), "7", "365" },
	{ "mail", "action_hours", V_LONG, O(mail_action_hours), "72", "1" },
	{ "mail", "timeout", V_LONG, O(mail_timeout), "20", "300" },
	{ "mail", "retry_seconds", V_LONG, O(mail_retry_seconds), "60", "1" },
	{ "mail", "max_attempts", V_LONG, O(mail_max_attempts), "10", "100" },
	{ "mail", "keep_days", V_LONG, O(mail_keep_days), "30", "3650" },
	{ "webhooks", "urls", V_STR, O(hook_urls), "", "" },
	{ "webhooks", "secret", V_STR, O(hook_secret), "", "whsec" },
	{ "webhooks", "events", V_STR, O(hook_events),
	    "published held deleted reported", "held deleted" },
	{ "webhooks", "timeout", V_LONG, O(hook_timeout), "10", "1" },
	{ "webhooks", "retry_seconds", V_LONG, O(hook_retry_seconds), "30",
	    "86400" },
	{ "webhooks", "max_attempts", V_LONG, O(hook_max_attempts), "10",
	    "1" },
	{ "auth", "session_idle", V_LONG, O(session_idle), "3600", "60" },
	{ "auth", "session_max", V_LONG, O(session_max), "43200",
	    "31536000" },
	{ "auth", "login_attempts", V_LONG, O(login_attempts), "5", "1000" },
	{ "auth", "pwhash_ops", V_LONG, O(pwhash_ops), "2", "3" },
	{ "auth", "pwhash_mem", V_LONG, O(pwhash_mem), "67108864",
	    "268435456" },
	{ "metrics", "allow", V_STR, O(metrics_allow), "127.0.0.1 ::1",
	    "10.0.0.0/8, 2001:db8::/32 192.0.2.7" },
	{ "metrics", "token", V_STR, O(metrics_token), "",
	    "a-token-of-some-length" },
};

static const char *
field_str(const struct config *c, const struct keyrow *k)
{
	return *(char *const *)(const void *)((const char *)c + k->off);
}

static long
field_long(const struct config *c, const struct keyrow *k)
{
	return *(const long *)(const void *)((const char *)c + k->off);
}

static double
field_real(const struct config *c, const struct keyrow *k)
{
	return *(const double *)(const void *)((const char *)c + k->off);
}

/* 1 when the key's field holds the value written as text. */
static int
field_is(const struct config *c, const struct keyrow *k, const char *text)
{
	switch (k->type) {
	case V_STR:
		return field_str(c, k) != NULL &&
		    strcmp(field_str(c, k), text) == 0;
	case V_LONG:
		return field_long(c, k) == strtol(text, NULL, 10);
	case V_REAL:
		return field_real(c, k) == strtod(text, NULL);
	case V_BOOL:
		return field_long(c, k) == (strcmp(text, "yes") == 0);
	}
	return 0;
}

static void
check_defaults(const struct config *c, const char *how)
{
	size_t	 i;

	for (i = 0; i < NITEMS(keyrows); i++)
		if (!field_is(c, &keyrows[i], keyrows[i].def)) {
			print_error("%s: [%s] %s is not its default %s\n", how,
			    keyrows[i].section, keyrows[i].name,
			    keyrows[i].def);
			fail();
		}
	assert_string_equal(c->base_path, "");
}

static void
test_defaults(void **state)
{
	struct config	 c;
	char		 err[512] = "";

	(void)state;
	assert_int_equal(config_parse(&c, "", err, sizeof(err)), 0);
	/* The values the brief and the README promise, spelled out. */
	assert_int_equal(c.page_size, 50);
	assert_string_equal(c.mode, "post");
	assert_int_equal(c.max_depth, 6);
	assert_int_equal(c.edit_window, 900);
	assert_int_equal(c.posts_per_minute, 5);
	assert_true(c.hold == 0.5);
	assert_true(c.reject == 0.9);
	assert_int_equal(c.min_submit_seconds, 3);
	assert_int_equal(c.hook_timeout_ms, 2000);
	assert_int_equal(c.session_idle, 3600);
	assert_int_equal(c.session_max, 43200);
	assert_int_equal(c.login_attempts, 5);
	assert_int_equal(c.max_body, 65536);
	check_defaults(&c, "empty string");
	config_free(&c);

	/* Comments, blank lines and empty sections change nothing. */
	assert_int_equal(config_parse(&c, "; comment\n# another\n\n"
	    "[server]\n[spam]\n", err, sizeof(err)), 0);
	check_defaults(&c, "comments only");
	config_free(&c);

	/* A NULL path is the defaults too. */
	assert_int_equal(config_load(&c, NULL, err, sizeof(err)), 0);
	check_defaults(&c, "NULL path");
	config_free(&c);
}

/* The shipped file sets every key to its default (run from the root). */
static void
test_shipped_conf(void **state)
{
	struct config	 c, d;
	char		 err[512] = "";
	size_t		 i;

	(void)state;
	if (config_load(&c, "conf/palaver.conf", err, sizeof(err)) != 0)
		fail_msg("conf/palaver.conf: %s", err);
	assert_int_equal(config_parse(&d, "", err, sizeof(err)), 0);
	/* The one default made from where the file is. */
	assert_string_equal(c.key_file, "conf/palaver.key");
	free(c.key_file);
	assert_non_null(c.key_file = strdup(""));
	check_defaults(&c, "conf/palaver.conf");
	for (i = 0; i < NITEMS(keyrows); i++) {
		const struct keyrow *k = &keyrows[i];
		int same = k->type == V_STR ?
		    strcmp(field_str(&c, k), field_str(&d, k)) == 0 :
		    k->type == V_LONG ? field_long(&c, k) == field_long(&d, k) :
		    field_real(&c, k) == field_real(&d, k);

		if (!same)
			fail_msg("conf/palaver.conf: %s differs", k->name);
	}
	config_free(&c);
	config_free(&d);
}

/* The test's table has every key: the shipped file names no other. */
static void
test_table_complete(void **state)
{
	FILE	*f;
	char	 line[512], section[512] = "", *eq, *p;
	size_t	 i, n = 0;

	(void)state;
	assert_non_null(f = fopen("conf/palaver.conf", "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '[') {
			p = strchr(line, ']');
			assert_non_null(p);
			*p = '\0';
			snprintf(section, sizeof(section), "%s", line + 1);
			continue;
		}
		if (line[0] == ';' || line[0] == '#' ||
		    (eq = strchr(line, '=')) == NULL)
			continue;
		while (eq > line && eq[-1] == ' ')
			eq--;
		*eq = '\0';
		for (i = 0; i < NITEMS(keyrows); i++)
			if (strcmp(keyrows[i].section, section) == 0 &&
			    strcmp(keyrows[i].name, line) == 0)
				break;
		if (i == NITEMS(keyrows))
			fail_msg("[%s] %s is not in the test's table", section,
			    line);
		n++;
	}
	fclose(f);
	assert_int_equal(n, NITEMS(keyrows));
}

/* Each key alone, then all of them at once. */
static void
test_every_key(void **state)
{
	struct config	 c;
	char		 err[512], text[4096];
	const char	*section = "";
	size_t		 i, j, o = 0;

	(void)state;
	for (i = 0; i < NITEMS(keyrows); i++) {
		const struct keyrow *k = &keyrows[i];

		snprintf(text, sizeof(text), "[%s]\n%s = %s\n", k->section,
		    k->name, k->set);
		err[0] = '\0';
		if (config_parse(&c, text, err, sizeof(err)) != 0)
			fail_msg("[%s] %s = %s: %s", k->section, k->name,
			    k->set, err);
		if (!field_is(&c, k, k->set))
			fail_msg("[%s] %s = %s did not set it", k->section,
			    k->name, k->set);
		/* And nothing else moved. */
		for (j = 0; j < NITEMS(keyrows); j++)
			if (j != i && !field_is(&c, &keyrows[j],
			    keyrows[j].def))
				fail_msg("setting %s changed %s", k->name,
				    keyrows[j].name);
		config_free(&c);
	}
	for (i = 0; i < NITEMS(keyrows); i++) {
		const struct keyrow *k = &keyrows[i];

		if (strcmp(section, k->section) != 0) {
			o += (size_t)snprintf(text + o, sizeof(text) - o,
			    "[%s]\n", k->section);
			section = k->section;
		}
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s=%s\n",
		    k->name, k->set);
		assert_true(o < sizeof(text));
	}
	if (config_parse(&c, text, err, sizeof(err)) != 0)
		fail_msg("all keys: %s", err);
	for (i = 0; i < NITEMS(keyrows); i++)
		if (!field_is(&c, &keyrows[i], keyrows[i].set))
			fail_msg("all keys: %s not set", keyrows[i].name);
	assert_string_equal(c.base_path, "/comments");
	/* A key set twice: the last one wins. */
	config_free(&c);
	assert_int_equal(config_parse(&c, "[moderation]\npage_size = 7\n"
	    "page_size = 9\n", err, sizeof(err)), 0);
	assert_int_equal(c.page_size, 9);
	config_free(&c);
}

/* Bounds are inclusive: the limits themselves are accepted. */
struct bound {
	const char	*text;
	size_t		 off;
	double		 want;
};

static const struct bound bounds[] = {
	{ "[server]\nworkers = 1", O(workers), 1 },
	{ "[server]\nworkers = 64", O(workers), 64 },
	{ "[server]\nmax_body = 1024", O(max_body), 1024 },
	{ "[server]\nmax_body = 16777216", O(max_body), 16777216 },
	{ "[moderation]\npage_size = 1000", O(page_size), 1000 },
	{ "[moderation]\npage_size = +7", O(page_size), 7 },
	{ "[moderation]\npage_size = 007", O(page_size), 7 },
	{ "[moderation]\nedit_window = 2592000", O(edit_window), 2592000 },
	{ "[spam]\nhold = 0\nreject = 0", O(hold), 0 },
	{ "[spam]\nhold = 1\nreject = 1", O(reject), 1 },
	{ "[spam]\nhold = 0.9\nreject = 0.9", O(hold), 0.9 },
	{ "[spam]\nhook_timeout_ms = 10", O(hook_timeout_ms), 10 },
	{ "[auth]\nsession_idle = 2592000", O(session_idle), 2592000 },
};

static void
test_bounds(void **state)
{
	struct config	 c;
	char		 err[512];
	size_t		 i;
	double		 got;

	(void)state;
	for (i = 0; i < NITEMS(bounds); i++) {
		err[0] = '\0';
		if (config_parse(&c, bounds[i].text, err, sizeof(err)) != 0)
			fail_msg("bound row %zu: %s", i, err);
		if (bounds[i].off == O(hold) || bounds[i].off == O(reject))
			got = *(double *)(void *)((char *)&c + bounds[i].off);
		else
			got = (double)*(long *)(void *)((char *)&c +
			    bounds[i].off);
		if (got != bounds[i].want)
			fail_msg("bound row %zu: %g, want %g", i, got,
			    bounds[i].want);
		config_free(&c);
	}
}

/* Input that must be refused, and a word the message must contain. */
struct badrow {
	const char	*text;
	const char	*names;
};

static const struct badrow bad_rows[] = {
	/* Unknown keys and sections. */
	{ "[moderation]\nnosuch = 1\n", "nosuch" },
	{ "[nosuch]\npath = x\n", "path" },
	{ "[nosuch]\npath = x\n", "nosuch" },
	{ "[server]\npage_size = 5\n", "page_size" },
	{ "[Server]\nworkers = 2\n", "workers" },
	{ "[server]\nWorkers = 2\n", "Workers" },
	{ "workers = 2\n", "workers" },
	/* Not numbers. */
	{ "[moderation]\npage_size = abc\n", "page_size" },
	{ "[moderation]\npage_size = 50x\n", "page_size" },
	{ "[moderation]\npage_size = 5.5\n", "page_size" },
	{ "[moderation]\npage_size = 1e2\n", "page_size" },
	{ "[moderation]\npage_size = 0x10\n", "page_size" },
	{ "[moderation]\npage_size = \n", "page_size" },
	{ "[moderation]\npage_size = 5 0\n", "page_size" },
	{ "[moderation]\npage_size = 99999999999999999999999\n",
	    "page_size" },
	{ "[spam]\nhold = abc\n", "hold" },
	{ "[spam]\nhold = 0.5x\n", "hold" },
	{ "[spam]\nhold = \n", "hold" },
	{ "[spam]\nhold = nan\n", "hold" },
	{ "[spam]\nreject = 1e999\n", "reject" },
	/* Out of range, on either side. */
	{ "[moderation]\npage_size = 0\n", "page_size" },
	{ "[moderation]\npage_size = -1\n", "page_size" },
	{ "[moderation]\npage_size = 1001\n", "page_size" },
	{ "[moderation]\nmax_depth = 0\n", "max_depth" },
	{ "[moderation]\nmax_depth = 65\n", "max_depth" },
	{ "[moderation]\nmax_store_depth = 0\n", "max_store_depth" },
	{ "[moderation]\nmax_store_depth = 1000001\n", "max_store_depth" },
	{ "[moderation]\nedit_window = -1\n", "edit_window" },
	{ "[server]\nworkers = 0\n", "workers" },
	{ "[server]\nworkers = 65\n", "workers" },
	{ "[server]\nthreads = 257\n", "threads" },
	{ "[server]\nmax_body = 1023\n", "max_body" },
	{ "[server]\nmax_body = 16777217\n", "max_body" },
	{ "[server]\nbacklog = 65536\n", "backlog" },
	{ "[server]\nbacklog = -1\n", "backlog" },
	{ "[spam]\nhook_timeout_ms = 9\n", "hook_timeout_ms" },
	{ "[spam]\nhold = 1.5\n", "hold" },
	{ "[spam]\nhold = -0.1\n", "hold" },
	{ "[spam]\nreject = 1.01\n", "reject" },
	{ "[spam]\nreject = inf\n", "reject" },
	{ "[spam]\nposts_per_minute = -5\n", "posts_per_minute" },
	{ "[auth]\nsession_idle = 59\n", "session_idle" },
	{ "[auth]\nlogin_attempts = 0\n", "login_attempts" },
	/* Addresses and networks; tokens long enough to guess hard. */
	{ "[metrics]\nallow = localhost\n", "allow" },
	{ "[metrics]\nallow = 127.0.0.1/33\n", "allow" },
	{ "[metrics]\nallow = ::1/129\n", "allow" },
	{ "[metrics]\nallow = 10.0.0.0/x\n", "allow" },
	{ "[metrics]\nallow = 10.0.0.0/\n", "allow" },
	{ "[metrics]\nallow = 127.0.0.1 300.1.1.1\n", "allow" },
	{ "[metrics]\ntoken = short\n", "token" },
	{ "[metrics]\ntoken = has a space in it, long\n", "token" },
	/* Words from a fixed list. */
	{ "[moderation]\nmode = maybe\n", "mode" },
	{ "[moderation]\nmode = \n", "mode" },
	{ "[moderation]\nmode = PRE\n", "mode" },
	{ "[moderation]\nmode = pre post\n", "mode" },
	/* Across keys. */
	{ "[spam]\nhold = 0.95\n", "hold" },
	{ "[spam]\nreject = 0.1\n", "reject" },
	{ "[spam]\nhold = 0.8\nreject = 0.7\n", "hold" },
	{ "[database]\npath =\n", "path" },
	/* Time zones: names of the database, nothing else. */
	{ "[site]\ntimezone = Mars/Olympus\n", "timezone" },
	{ "[site]\ntimezone = Europe\n", "timezone" },
	{ "[site]\ntimezone = ../../etc/passwd\n", "timezone" },
	{ "[site]\ntimezone = /usr/share/zoneinfo/UTC\n", "timezone" },
	{ "[site]\ntimezone = Europe/Berlin x\n", "timezone" },
	{ "[site]\ntimezone = Europe\\Berlin\n", "timezone" },
	/* Votes and reports. */
	{ "[votes]\nenabled = maybe\n", "enabled" },
	{ "[votes]\nper_minute = -1\n", "per_minute" },
	{ "[moderation]\nreport_hold = -1\n", "report_hold" },
	/* URLs. */
	{ "[site]\nbase_url = ftp://example.com/\n", "base_url" },
	{ "[site]\nbase_url = example.com\n", "base_url" },
	{ "[site]\nbase_url = //example.com\n", "base_url" },
	{ "[site]\nbase_url = javascript:alert(1)\n", "base_url" },
	{ "[site]\nbase_url = http:/example.com\n", "base_url" },
	/* A good key does not hide a bad one after it. */
	{ "[server]\nworkers = 4\n[moderation]\npage_size = 0\n",
	    "page_size" },
	/* Syntax errors name the line. */
	{ "[server]\nworkers = 2\nthis is not a key\n", ":3:" },
	{ "[server\n", ":1:" },
	{ "[server]\nworkers = 2\n[spam\n", ":3:" },
	{ "\n\n\n\n[site]\nno equals sign here\n", ":6:" },
};

static void
test_bad(void **state)
{
	struct config	 c;
	char		 err[512];
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < NITEMS(bad_rows); i++) {
		memset(err, 0, sizeof(err));
		rc = config_parse(&c, bad_rows[i].text, err, sizeof(err));
		if (rc != -1 || strstr(err, bad_rows[i].names) == NULL) {
			print_error("bad row %zu: rc %d, err \"%s\", want it "
			    "to name \"%s\"\n", i, rc, err, bad_rows[i].names);
			config_free(&c);
			fail();
		}
		/* The file is named too. */
		assert_non_null(strstr(err, "(string)"));
		/* On error cfg must still be freed (leaks are checked). */
		config_free(&c);
	}
}

/*
 * BUG (src/config.c, load() and on_key()): a syntax error followed by a
 * key line is reported as that key, not as the syntax error.  inih goes
 * on after the bad line ("[server" without ']'), calls on_key for
 * "workers" in section "", on_key sets ctx.failed, and load() returns
 * that message before it looks at inih's line number: the user reads
 * "unknown key 'workers' in section []" and never learns of line 1.
 * config.h promises a message naming the line.  This test fails until
 * config.c reports the first error by line; it is left failing on purpose.
 */
static const struct badrow masked_rows[] = {
	{ "[server\nworkers = 2\n", ":1:" },
	{ "[moderation]\npage_size 50\nmode = maybe\n", ":2:" },
};

static void
test_bad_syntax_masked(void **state)
{
	struct config	 c;
	char		 err[512];
	size_t		 i, nfail = 0;
	int		 rc;

	(void)state;
	for (i = 0; i < NITEMS(masked_rows); i++) {
		memset(err, 0, sizeof(err));
		rc = config_parse(&c, masked_rows[i].text, err, sizeof(err));
		config_free(&c);
		if (rc != -1 || strstr(err, masked_rows[i].names) == NULL) {
			print_error("masked row %zu: rc %d, err \"%s\", want "
			    "it to name line \"%s\"\n", i, rc, err,
			    masked_rows[i].names);
			nfail++;
		}
	}
	assert_int_equal(nfail, 0);
}

/* The error buffer is never overrun, even when tiny. */
static void
test_small_err(void **state)
{
	struct config	 c;
	char		 err[8];

	(void)state;
	memset(err, 'X', sizeof(err));
	assert_int_equal(config_parse(&c, "[moderation]\nnosuch_long_key = 1\n",
	    err, 5), -1);
	assert_int_equal(err[4], '\0');
	assert_int_equal(err[5], 'X');
	config_free(&c);
}

static void
test_load_errors(void **state)
{
	struct config	 c;
	char		 err[512] = "";

	(void)state;
	assert_int_equal(config_load(&c, "/nonexistent/palaver.conf", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/palaver.conf"));
	config_free(&c);
	config_free(NULL);
}

struct pathrow {
	const char	*url;
	const char	*path;
};

static const struct pathrow path_rows[] = {
	{ "", "" },
	{ "https://example.com", "" },
	{ "https://example.com/", "" },
	{ "https://example.com//", "" },
	{ "http://example.com/comments", "/comments" },
	{ "https://example.com/comments/", "/comments" },
	{ "https://example.com/comments//", "/comments" },
	{ "https://example.com/a/b/", "/a/b" },
	{ "https://example.com:8443/c", "/c" },
	{ "http://127.0.0.1:8080/talk/", "/talk" },
};

static void
test_base_path(void **state)
{
	struct config	 c;
	char		 err[512], text[512];
	size_t		 i;

	(void)state;
	for (i = 0; i < NITEMS(path_rows); i++) {
		snprintf(text, sizeof(text), "[site]\nbase_url = %s\n",
		    path_rows[i].url);
		if (config_parse(&c, text, err, sizeof(err)) != 0)
			fail_msg("base_url %s: %s", path_rows[i].url, err);
		if (strcmp(c.base_path, path_rows[i].path) != 0)
			fail_msg("base_url %s: base_path \"%s\", want \"%s\"",
			    path_rows[i].url, c.base_path, path_rows[i].path);
		assert_string_equal(c.base_url, path_rows[i].url);
		config_free(&c);
	}
}

struct pathenv {
	const char	*opt;
	const char	*env;		/* NULL: unset */
	const char	*want;
};

static const struct pathenv env_rows[] = {
	{ "x.conf", "y.conf", "x.conf" },
	{ NULL, "y.conf", "y.conf" },
	{ NULL, "", "conf/palaver.conf" },
	{ NULL, NULL, "conf/palaver.conf" },
};

static void
test_config_path(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(env_rows); i++) {
		if (env_rows[i].env != NULL)
			setenv("PALAVER_CONF", env_rows[i].env, 1);
		else
			unsetenv("PALAVER_CONF");
		assert_string_equal(config_path(env_rows[i].opt),
		    env_rows[i].want);
	}
	unsetenv("PALAVER_CONF");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_shipped_conf),
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_syntax_masked),
		cmocka_unit_test(test_small_err),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_base_path),
		cmocka_unit_test(test_config_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
