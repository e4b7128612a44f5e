/* json.h: JSON bodies in and out, through jansson */
#ifndef PALAVER_JSON_H
#define PALAVER_JSON_H

#include <stddef.h>

#include "core/status.h"

struct arena;
struct article;
struct buf;
struct comment_input;
struct post_result;
struct req;
struct spam_input;
struct thread_page;

/*
 * Replies nest in the output to this depth; deeper ones are listed in the
 * replies of their ancestor at this depth (their "parent" still names the
 * real parent).  jansson dumps and frees recursively, so an unbounded
 * reply chain must not become unbounded recursion in a worker thread.
 */
#define JSON_MAX_NEST	100

/*
 * What json_thread does with one row of a thread page: leave it out, show
 * it as it is, or show a placeholder ("deleted", no author or text) that
 * keeps the place of shown replies under it.
 */
enum json_show {
	JS_HIDDEN = 0,
	JS_SHOWN,
	JS_PLACEHOLDER,
};

/* json_error: {"error": msg, "field": field}, field omitted when NULL. */
void		 json_error(struct buf *, const char *msg,
		    const char *field);

/*
 * json_comment_input: parse a request body holding one JSON object with
 * the optional fields author, email, website, body and token (strings or
 * null) and parent (an integer, null or a decimal string).  Unknown
 * fields are ignored; duplicate keys are refused.  On ST_OK, out holds
 * the fields copied into the arena with their byte length (a field may
 * hold NULs: post.c refuses those), an integer parent as its decimal
 * text, and *token the token or NULL.  On ST_INPUT (malformed JSON, not
 * an object, a field of the wrong type, a token with a NUL) *errmsg says
 * why in a sentence and *errfield names the field (NULL for the whole
 * body); out is then empty.  ST_NOMEM when the arena fails.
 */
enum status	 json_comment_input(struct arena *, const char *body,
		    size_t len, struct comment_input *out,
		    const char **token, const char **errfield,
		    const char **errmsg);

/*
 * The serialisers below append one compact JSON document to the buffer
 * and return ST_OK, or ST_NOMEM (the buffer's err flag is then set).
 * Never the e-mail address, address hash or user agent.  Text that is
 * not valid UTF-8 (rows from an import, say) has each bad byte replaced
 * by U+FFFD rather than failing the whole document.
 */

/*
 * json_thread: one page of a thread, with a fresh form token (the
 * anti-spam field a post sends back as "form_token") and "submit_delay",
 * the seconds a post should wait after it ([spam] min_submit_seconds):
 * {"form_token", "submit_delay", "article": {"id", "uri", "title", "closed", "version", "count"},
 *  "comments": [tree], "next": cursor or null, "total": approved count}.
 * shown[i] (enum json_show) decides the fate of pg->v[i]; every shown
 * row's parent must be shown or a placeholder (rows come depth-first).
 * Each comment is {"id", "parent", "author", "website", "html",
 * "created", "edited", "status", "replies"}.
 */
enum status	 json_thread(struct buf *, const struct article *,
		    const struct thread_page *, const unsigned char *shown,
		    const char *form_token, long submit_delay);
/* json_empty_thread: a thread that does not exist yet, with a form token:
 * {"form_token", "article": null, "comments": [], "next": null,
 * "total": 0}. */
enum status	 json_empty_thread(struct buf *, const char *form_token,
		    long submit_delay);
/*
 * json_posted: a comment just stored, as in a thread (no replies yet),
 * plus "token" (the author token), "edit_until" (unix seconds) and a
 * fresh "form_token" for the reader's next comment.
 */
enum status	 json_posted(struct buf *, const struct post_result *,
		    const char *form_token, long submit_delay);
/* json_edited: {"id": id, "html": html, "edited": true}. */
enum status	 json_edited(struct buf *, long long id, const char *html);
/* json_deleted: {"id": id, "deleted": true}. */
enum status	 json_deleted(struct buf *, long long id);
/*
 * json_counts: {"uri": count, ...} for the n pairs; a repeated uri
 * appears once.  ST_INPUT when a uri is not valid UTF-8 (nothing is
 * appended then).
 */
enum status	 json_counts(struct buf *, const char *const *uris,
		    const long long *counts, size_t n);

/*
 * json_hook_input: the object the spam hook reads on standard input:
 * {"comment": {"author", "email", "website", "body", "parent", "type"},
 *  "article": {"uri", "title", "permalink"},
 *  "request": {"address", "user_agent", "referrer"},
 *  "site": {"url", "lang", "charset"}}, as a string in the arena; NULL
 * when out of memory.
 */
const char	*json_hook_input(struct req *, const struct spam_input *);

#endif
