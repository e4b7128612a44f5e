/* handlers.h: one function a route; each fills in the response */
#ifndef PALAVER_HANDLERS_H
#define PALAVER_HANDLERS_H

#include "http/http.h"

/* Reader pages (pages.c). */
enum status	h_index(struct req *, struct resp *);
enum status	h_article(struct req *, struct resp *);
enum status	h_comment_post(struct req *, struct resp *);
enum status	h_comment_edit(struct req *, struct resp *);
enum status	h_comment_delete(struct req *, struct resp *);
enum status	h_embed(struct req *, struct resp *);
enum status	h_embed_post(struct req *, struct resp *);

/* Moderators (mod.c, queue.c). */
enum status	h_mod_login_get(struct req *, struct resp *);
enum status	h_mod_login_post(struct req *, struct resp *);
enum status	h_mod_logout(struct req *, struct resp *);
enum status	h_mod_queue(struct req *, struct resp *);
enum status	h_mod_comment(struct req *, struct resp *);
enum status	h_mod_bulk(struct req *, struct resp *);
enum status	h_mod_bans_get(struct req *, struct resp *);
enum status	h_mod_bans_post(struct req *, struct resp *);
enum status	h_mod_ban_delete(struct req *, struct resp *);
enum status	h_mod_articles(struct req *, struct resp *);
enum status	h_mod_article_set(struct req *, struct resp *);
enum status	h_mod_users_get(struct req *, struct resp *);
enum status	h_mod_users_post(struct req *, struct resp *);
enum status	h_mod_user(struct req *, struct resp *);
enum status	h_mod_audit(struct req *, struct resp *);

/* The JSON API (api.c). */
enum status	h_api_comments_get(struct req *, struct resp *);
enum status	h_api_comments_post(struct req *, struct resp *);
enum status	h_api_comment_put(struct req *, struct resp *);
enum status	h_api_comment_delete(struct req *, struct resp *);
enum status	h_api_counts(struct req *, struct resp *);
enum status	h_api_preflight(struct req *, struct resp *);

#endif
