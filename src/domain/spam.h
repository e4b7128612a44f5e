/* spam.h: scoring new and edited comments: built-in rules and the hook */
#ifndef PALAVER_SPAM_H
#define PALAVER_SPAM_H

#include <stddef.h>

#include "core/status.h"
#include "store/store.h"

struct arena;
struct article;
struct config;
struct poster;
struct site;

/* What is scored: the comment as it will be stored. */
struct spam_input {
	const struct article	*ar;
	long long		 parent;	/* 0 at top level */
	const char		*author;
	const char		*email;		/* may be NULL */
	const char		*website;	/* may be NULL */
	const char		*body;
	size_t			 nlinks;	/* links markup kept */
	const char		*form_token;	/* NULL: none sent */
	const char		*honeypot;	/* NULL or "": untouched */
	int			 no_hook;	/* decided already: no hook */
	int			 edit;		/* an edit: no form rules */
	long long		 self;		/* the comment edited, or 0 */
};

struct spam_verdict {
	double		 score;		/* the highest of every rule */
	const char	*reasons;	/* one a line; "" when none */
	int		 hold;		/* the hook failed: a moderator decides */
	const char	*body_hash;
	const char	*hook_input;	/* the JSON the hook read, or NULL */
	int		 token_ok;	/* a valid form token to mark used */
	unsigned char	 token_hash[32];	/* of the token with the
						   body: one submission */
	long long	 token_expires;
};

/*
 * spam_check: run the rules, cheapest first, then the hook when one is
 * configured, on what poster p sent.  Strings live in the arena.  ST_OK
 * with v filled, whatever the verdict; other statuses are server trouble.
 */
enum status	 spam_check(struct site *, struct arena *,
		    const struct poster *p, const struct spam_input *,
		    struct spam_verdict *v);
/*
 * spam_decide: the status a comment gets: spam from `reject`, pending
 * from `hold` (or when the hook failed, or in pre-moderation), approved
 * otherwise.
 */
enum cstatus	 spam_decide(const struct config *, int pre,
		    const struct spam_verdict *);
/*
 * spam_blocklist_load: (re)read [spam] blocklist for this process; keeps
 * the old list when the file cannot be read.  -1 then (logged).
 */
int		 spam_blocklist_load(const char *path);
/* spam_blocklist_free: at shutdown. */
void		 spam_blocklist_free(void);
/* spam_hook_slots: at most n hooks run at once in this process. */
void		 spam_hook_slots(int n);
/*
 * spam_feedback_once: tell the hook about one due moderator correction
 * (submit-spam / submit-ham), with retries and back-off.  Returns 1 when
 * it did some work, 0 when nothing was due, -1 on trouble.  For the
 * background thread of each worker, with its own connection: each
 * statement commits alone, off the request path.
 */
int		 spam_feedback_once(const struct config *, struct store *,
		    struct arena *);
/*
 * spam_upkeep: every ten minutes (by *last, the time of the previous
 * run), forget what is kept only for a while: post and login logs, used
 * form tokens, sessions, and the hook's inputs after [privacy]
 * hook_input_days (store_prune).  On a schedule, never by chance, and
 * once a turn however many workers and hosts share the database
 * (store_job_claim).  1 when it ran, 0 when not due or another ran it,
 * -1 on trouble.  For the background thread.
 */
int		 spam_upkeep(const struct config *, struct store *,
		    long long now, long long *last);

#endif
