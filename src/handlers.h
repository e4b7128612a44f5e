/* handlers.h: one function a route; each fills in the response */
#ifndef PALAVER_HANDLERS_H
#define PALAVER_HANDLERS_H

#include "http.h"

/* Reader pages (pages.c). */
enum status	h_index(struct req *, struct resp *);
enum status	h_article(struct req *, struct resp *);
enum status	h_comment_post(struct req *, struct resp *);
enum status	h_comment_edit(struct req *, struct resp *);
enum status	h_comment_delete(struct req *, struct resp *);

/* Moderators (mod.c, queue.c). */
enum status	h_mod_login_get(struct req *, struct resp *);
enum status	h_mod_login_post(struct req *, struct resp *);
enum status	h_mod_logout(struct req *, struct resp *);

/* The JSON API (api.c). */
enum status	h_api_comments_get(struct req *, struct resp *);
enum status	h_api_comments_post(struct req *, struct resp *);
enum status	h_api_comment_put(struct req *, struct resp *);
enum status	h_api_comment_delete(struct req *, struct resp *);
enum status	h_api_counts(struct req *, struct resp *);

#endif
