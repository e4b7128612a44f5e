/* json.h: JSON documents out, through jansson */
#ifndef PALAVER_JSON_H
#define PALAVER_JSON_H

#include <stddef.h>

#include "core/status.h"

struct arena;
struct article;
struct buf;
struct comment;
struct thread_view;

/*
 * Replies nest in the output to this depth; deeper ones are listed in the
 * replies of their ancestor at this depth (their "parent" still names the
 * real parent).  jansson dumps and frees recursively, so an unbounded
 * reply chain must not become unbounded recursion in a worker thread.
 */
#define JSON_MAX_NEST	100

/* json_error: {"error": msg, "field": field}, field omitted when NULL. */
void		 json_error(struct buf *, const char *msg,
		    const char *field);

/*
 * The serialisers below append one compact JSON document to the buffer
 * and return ST_OK, or ST_NOMEM (the buffer's err flag is then set).
 * Never the e-mail address, address hash or user agent.  Text that is
 * not valid UTF-8 (rows from an import, say) has each bad byte replaced
 * by U+FFFD rather than failing the whole document.
 */

/*
 * json_thread: one page of a thread as a reader sees it (tv), with a form
 * token (the anti-spam field a post sends back as "form_token") and
 * "submit_delay", the seconds a post should wait after it:
 * {"form_token", "submit_delay", "article": {"id", "uri", "title",
 * "closed", "version", "count"}, "comments": [tree], "next": cursor or
 * null, "total": approved count, "notify": whether mail is on (notify),
 * "votes": {"up", "down"} (what readers may vote: votes 0 none, 1 up, 2
 * up and down)}.  Each comment is {"id",
 * "parent", "author", "website", "html", "created", "edited", "status",
 * "up", "down", "replies"}; a placeholder has neither author nor text
 * nor votes.
 */
enum status	 json_thread(struct buf *, const struct article *,
		    const struct thread_view *tv, const char *form_token,
		    long submit_delay, int notify, int votes);
/* json_empty_thread: a thread that does not exist yet, with a form token:
 * {"form_token", "submit_delay", "article": null, "comments": [],
 * "next": null, "total": 0}. */
enum status	 json_empty_thread(struct buf *, const char *form_token,
		    long submit_delay, int notify);
/*
 * json_posted: comment c just stored, as in a thread (no replies yet),
 * plus "token" (its author token), "edit_until" (unix seconds) and a
 * fresh "form_token" for the reader's next comment.
 */
enum status	 json_posted(struct buf *, const struct comment *c,
		    const char *token, long long edit_until,
		    const char *form_token, long submit_delay);
/* json_edited: {"id": id, "html": html, "edited": true}. */
enum status	 json_edited(struct buf *, long long id, const char *html);
/* json_deleted: {"id": id, "deleted": true}. */
enum status	 json_deleted(struct buf *, long long id);
/* json_vote: {"up": up, "down": down}, and "voter" (a new voter token for
 * the widget to keep) unless NULL. */
enum status	 json_vote(struct buf *, long long up, long long down,
		    const char *voter);
/* json_reported: {"id": id, "reported": true}. */
enum status	 json_reported(struct buf *, long long id);
/* json_preview: {"html": html}. */
enum status	 json_preview(struct buf *, const char *html);
/*
 * json_counts: {"uri": count, ...} for the n pairs; a repeated uri
 * appears once.  ST_INPUT when a uri is not valid UTF-8 (nothing is
 * appended then).
 */
enum status	 json_counts(struct buf *, const char *const *uris,
		    const long long *counts, size_t n);

struct mail_event;
/*
 * json_webhook: a webhook delivery's body: {"event", "id" (the event's,
 * the same for every URL: receivers drop repeats by it), "at",
 * "comment": {"id", "parent", "article": {"id", "uri", "title"}, "uri"
 * (the article's), "author", "html", "status", "created"}}.
 */
enum status	 json_webhook(struct buf *, long long id,
		    const struct mail_event *);

struct feed_entry;
struct outbox_msg;
struct sub_row;
struct subscriber;
/*
 * json_privacy: what is kept for an address, for `palaver privacy
 * export` (indented, keys in order): {"email", "comments": [...],
 * "subscriber": {...} or null, "subscriptions": [...], "messages":
 * [...]}.
 */
enum status	 json_privacy(struct buf *, const char *email,
		    const struct feed_entry *, size_t,
		    const struct subscriber *, const struct sub_row *, size_t,
		    const struct outbox_msg *, size_t);

/* What the spam hook is told about a comment (NULL: unknown). */
struct hook_doc {
	const char	*author, *email, *website, *body;
	long long	 parent;		/* 0 at top level */
	const char	*uri, *title, *permalink;
	const char	*address, *user_agent, *referrer;
	const char	*site_url;
};

/*
 * json_hook_input: the object the spam hook reads on standard input:
 * {"comment": {"author", "email", "website", "body", "parent", "type"},
 *  "article": {"uri", "title", "permalink"},
 *  "request": {"address", "user_agent", "referrer"},
 *  "site": {"url", "lang", "charset"}}, as a string in the arena; NULL
 * when out of memory.
 */
const char	*json_hook_input(struct arena *, const struct hook_doc *);

#endif
