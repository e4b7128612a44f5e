/* field.h: every field a request may carry, its type and rule, checked at
 * the edge before any handler runs */
#ifndef PALAVER_FIELD_H
#define PALAVER_FIELD_H

#include <stddef.h>

#include "core/text.h"
#include "domain/reason.h"

/* Every field of every route: its name in a query, a form or a JSON body. */
enum field {
	F_PARENT,	/* the comment replied to */
	F_AUTHOR,
	F_EMAIL,
	F_WEBSITE,
	F_BODY,
	F_TS,		/* the anti-spam form token ("form_token" in JSON) */
	F_HP,		/* the honeypot */
	F_TITLE,	/* a new thread's title */
	F_TOKEN,	/* author tokens, in an API body */
	F_URI,		/* a thread by its key */
	F_ORDER,	/* oldest, newest */
	F_AFTER,	/* keyset cursor of thread pages */
	F_REPLY,	/* show the reply form under this comment */
	F_EDIT,		/* show the edit form of this comment */
	F_POSTED,	/* say what became of this comment */
	F_BEFORE,	/* keyset cursors of lists */
	F_AT,
	F_NAME,		/* a moderator's login name */
	F_PASSWORD,
	F_CSRF,
	F_STATUS,	/* the queue's tab */
	F_ARTICLE,	/* the queue's article filter */
	F_Q,		/* the queue's search words */
	F_CURSOR,	/* the queue's keyset cursor */
	F_BACK,		/* where a moderator's action returns to */
	F_KIND,		/* what a ban matches */
	F_VALUE,	/* the ban's value */
	F_REASON,	/* the ban's reason */
	F_DAYS,		/* how long a ban lasts */
	F_ROLE,		/* admin or moderator */
	F_ACTION,	/* a bulk action */
	F_ID,		/* comments for a bulk action (repeated) */
	F_URIS,		/* threads whose counts are asked (repeated uri) */
	F_VOTE,		/* a reader's vote: "1", "-1", "0" (n: 2, 0, 1) */
	F_VOTER,	/* the widget's voter token */
	F_WHY,		/* a report's reason (n: enum report_reason) */
	F_TEXT,		/* a report's words */
	F_PREVIEW,	/* the form's Preview button: show, do not post */
	F_C,		/* the comment a thread's page must hold */
	F_REPORT,	/* show the report form under this comment */
	F_VOTED,	/* say the vote on this comment was counted */
	F_REPORTED,	/* say the report of this comment was sent */
	F_EDITED,	/* say the changes to this comment are saved */
	F_DELETED,	/* say this comment was deleted */
	F_NOTIFY,	/* e-mail me replies (a checkbox; JSON true) */
	F_T,		/* a mailed link's signed token */
	F_SCOPE,	/* what an unsubscribe link stops: thread, all */
	F_ALERTS,	/* a moderator's alerts: none, each, digest */
	F_MINUTES,	/* how often a digest may come */
	F_DONE,		/* the action a moderator's page tells of */
	F_NOTE,		/* what else it tells: "unchanged" */
	F_CONFIRM,	/* "yes": a destructive action was confirmed */
	F_SELECT,	/* "all": the queue with every box ticked */
	F_THEN,		/* what a ban does to its comment */
	F_BATCH,	/* the action to undo */
	F_MODE,		/* an article's moderation mode */
	F_NEW_URI,	/* a new article's address */
	F_ARTICLE_BODY,	/* a new article's text */
	F_WHO,		/* the audit log's filters: actor, */
	F_WHAT,		/* action, */
	F_TARGET,	/* target, */
	F_FROM,		/* first day, */
	F_TO,		/* last day */
	F__MAX
};

enum ftype {
	FT_TEXT,	/* text by its rule (core/text.h), cleaned */
	FT_ID,		/* a positive id */
	FT_WORD,	/* one of a fixed list of words */
	FT_RAW,		/* opaque bytes without NUL (tokens), at most max */
	FT_DATE,	/* a day, YYYY-MM-DD (UTC): n is its first second */
};

struct field_def {
	const char		*name;		/* in queries and forms */
	const char		*json;		/* in JSON bodies, when other */
	enum ftype		 type;
	enum text_kind		 text;		/* FT_TEXT */
	size_t			 max;		/* FT_TEXT (0: the rule's own;
						   SIZE_MAX: max_comment),
						   FT_RAW (bytes) */
	const char *const	*words;		/* FT_WORD, NULL-terminated */
	enum reason		 bad;		/* FT_ID, FT_WORD, FT_RAW: why
						   a bad value is refused */
	int			 many;		/* may repeat: every value */
	int			 key;		/* FT_TEXT: a thread's key, made
						   by text_uri_normalize with
						   its query */
	const char		*hint;		/* said when it is missing, or
						   bad and not text */
};

extern const struct field_def	fields[F__MAX];

/* Where a route takes a field from. */
enum fsrc {
	FS_QUERY = 1,
	FS_BODY,	/* the urlencoded form, or the JSON object */
};

/* How much a route needs a field. */
enum fneed {
	FR_OPTIONAL = 0,	/* may be absent; refused when bad */
	FR_REQUIRED,		/* refused when absent or bad */
	FR_LAX,			/* may be absent; ignored when bad (a page's
				   view options: a bad one is no reason to
				   refuse the page) */
};

/* One field a route takes. */
struct route_field {
	enum field	 f;
	enum fsrc	 src;
	enum fneed	 need;
};

/* A field's value once checked. */
enum fstate {
	FV_ABSENT = 0,	/* not sent, or sent empty */
	FV_OK,
	FV_BAD,
};

struct fval {
	enum fstate	 state;
	const char	*s;	/* FT_TEXT, FT_RAW, FT_WORD: the value */
	long long	 n;	/* FT_ID: the id; FT_WORD: the word's index */
	const char	*raw;	/* as sent, NUL-free (to refill a form) */
	const char	**v;	/* many: every good value, in order */
	long long	*ids;	/* many FT_ID: the ids */
	size_t		 count;	/* many: how many */
	size_t		 cap;	/* many: room in v and ids */
	struct refusal	 why;	/* FV_BAD: what is wrong */
};

struct arena;
struct kv;

/*
 * field_check: check one value sent for field f (val[0..n), may hold
 * NULs) into *out (merging repeats for `many` fields).  `max_comment` is
 * the body limit ([moderation] max_comment).  Returns ST_OK (the value
 * may still be FV_BAD) or ST_NOMEM.
 */
enum status	 field_check(struct arena *, enum field f, const char *val,
		    size_t n, size_t max_comment, struct fval *out);
/* field_missing: mark a required field that was not sent as bad, with
 * its hint (or what its text rule says of an empty one). */
void		 field_missing(enum field f, struct fval *out);

#endif
