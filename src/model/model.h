/* model.h: the things palaver keeps, as plain structs every layer shares */
#ifndef PALAVER_MODEL_H
#define PALAVER_MODEL_H

#include <stddef.h>

/*
 * Strings in these structs are borrowed: they live in the arena of
 * whoever filled the struct (a request's, or a CLI command's).
 */

struct article {
	long long	 id;
	const char	*uri;
	const char	*title;
	const char	*body_html;	/* NULL: none */
	long long	 created;
	int		 closed;	/* takes no comments: closed by a
					   moderator, or by age */
	int		 auto_closed;	/* closed by age alone
					   ([moderation] auto_close_days) */
	int		 aged;		/* old enough for auto_close_days */
	int		 kept_open;	/* reopened by a moderator: age does
					   not close it */
	const char	*mode;		/* NULL, "pre" or "post" */
	long long	 version;
	long long	 ncomments;	/* approved */
	const char	*title_proposed;	/* sent by a first comment's
						   page, for a moderator */
	int		 by_reader;	/* made by a first comment */
	long long	 votes;		/* bumped by every vote on its
					   comments (not the version) */
};

/*
 * A client as limits and bans know it: keyed hashes of its address and
 * of its network, under the current address key and the one before (the
 * keys rotate: auth/keyring.h), never the address itself.  A NULL hash is
 * not counted.
 */
struct addr_keys {
	const char	*addr;		/* the address, current key */
	const char	*addr_prev;	/* the address, previous key */
	const char	*net;		/* its network, current key */
	const char	*net_prev;	/* its network, previous key */
};

enum cstatus {
	CS_PENDING,
	CS_APPROVED,
	CS_SPAM,
	CS_DELETED,
	CS__MAX
};

struct comment {
	long long	 id;
	long long	 article;
	long long	 parent;	/* 0 at top level */
	long long	 root;
	int		 depth;
	const char	*author;
	const char	*email;		/* NULL: none */
	const char	*website;	/* NULL: none */
	const char	*body;
	const char	*html;
	enum cstatus	 status;
	double		 score;
	const char	*reasons;
	long long	 created;
	long long	 edited;	/* 0: never */
	const char	*addr_hash;
	const char	*user_agent;
	const char	*body_hash;	/* for the duplicate rule; may be NULL */
	long long	 up;		/* readers' votes */
	long long	 down;
};

/* The orders of a thread's top-level comments (?order=). */
enum thread_order {
	ORDER_OLDEST = 0,
	ORDER_NEWEST,
	ORDER_BEST,		/* Wilson lower bound of the votes */
	ORDER__MAX
};

/* Why a reader reports a comment. */
enum report_reason {
	RR_SPAM,
	RR_ABUSE,
	RR_OFF_TOPIC,
	RR_OTHER,
	RR__MAX
};

/* A reader's report of a comment, as moderators see it: never who. */
struct report {
	enum report_reason	 reason;
	const char		*text;		/* "" when none */
	long long		 created;
};

/* report_reason_str, report_reason_parse: "spam", "off-topic" etc.;
 * parse returns RR__MAX for an unknown name. */
const char	*report_reason_str(enum report_reason);
enum report_reason report_reason_parse(const char *);

/* One page of a thread: `v` in thread order (depth-first, roots in the
 * order asked for).  `next` is the keyset cursor for the following page,
 * 0 when this is the last. */
struct thread_page {
	struct comment	*v;
	size_t		 n;
	long long	 next;
};

/* What a reader sees of one row of a thread page. */
enum shown {
	SHOWN_NOT = 0,		/* left out */
	SHOWN_YES,		/* shown as it is */
	SHOWN_PLACEHOLDER,	/* "deleted": keeps the place of replies */
};

/*
 * A thread page as a reader sees it, by the rules every view shares:
 * approved comments; their own held or spam ones (shown as waiting: held
 * and spam look the same to their author); and a placeholder for a
 * hidden comment with shown replies, keeping the thread's shape.
 */
struct thread_view {
	const struct thread_page *pg;
	const unsigned char	*shown;		/* enum shown, per row */
	const long long		*parent;	/* parent's row, -1: none */
	const long long		*mine;		/* edit window's end, or 0 */
};

/* cstatus_str, cstatus_parse: "pending" etc.; parse returns
 * CS__MAX for an unknown name. */
const char	*cstatus_str(enum cstatus);
enum cstatus	 cstatus_parse(const char *);

struct moderator {
	long long	 id;
	const char	*name;
	const char	*hash;		/* Argon2id string; never shown */
	int		 admin;		/* role admin (else moderator) */
	long long	 created;
	long long	 last_login;	/* 0: never */
};

struct session {
	long long	 created;
	long long	 seen;
	long long	 expires;
	const char	*csrf;
	struct moderator mod;
};

/* A comment as the queue shows it: with where it belongs. */
struct queue_item {
	struct comment	 c;
	const char	*article_title;
	const char	*article_uri;
	const char	*parent_author;		/* NULL at top level */
	const char	*parent_html;		/* rendered at write time */
	enum cstatus	 parent_status;
	const struct report *reports;	/* open reports, oldest first */
	size_t		 nreports;
	const char	*context;		/* the thread page that holds
						   it, at #c{id} (any status:
						   web/pages.c page_holding) */
};

struct audit_entry {
	long long	 id;
	long long	 at;
	long long	 mod;		/* the moderator's id; 0: none (the
					   command line, a failed login) */
	long long	 batch;		/* the action's first row (its own id
					   when it is the first) */
	const char	*actor;
	const char	*action;
	const char	*target;	/* comment:ID, article:ID, ban:ID,
					   user:NAME, ... */
	const char	*before;	/* what it was, or NULL */
	const char	*after;		/* what it became, or NULL */
	const char	*addr_hash;
	long long	 article;	/* a comment target's article; 0: not
					   a comment, or gone */
	int		 shown;		/* a comment target readers see now */
};

/* What the audit log is searched by; NULL and 0 leave a filter out. */
struct audit_query {
	const char	*actor;
	const char	*action;
	const char	*target;
	long long	 since;		/* at >= since (unix seconds) */
	long long	 until;		/* at < until */
	long long	 before_id;	/* keyset: older than this row */
	int		 limit;
};

struct ban {
	long long	 id;
	const char	*kind;		/* email, addr_hash or prefix */
	const char	*value;
	const char	*reason;
	long long	 created;
	long long	 expires;	/* 0: never */
	const char	*by;		/* moderator name, NULL when gone */
};

#endif
