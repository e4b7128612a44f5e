/* web.h: the handlers, one a route, and what they share */
#ifndef PALAVER_WEB_H
#define PALAVER_WEB_H

#include "http/http.h"

struct actor;
struct refusal;

struct route;

/* web_dispatch: route one request through the table (routes.c). */
void		web_dispatch(struct req *, struct resp *);
/* web_routes: the table, and how many rows it has (for /metrics). */
size_t		web_routes(const struct route **);

/* Reader pages (pages.c, embed.c). */
enum status	h_index(struct req *, struct resp *);
enum status	h_article(struct req *, struct resp *);
enum status	h_comment_post(struct req *, struct resp *);
enum status	h_comment_edit(struct req *, struct resp *);
enum status	h_comment_delete(struct req *, struct resp *);
enum status	h_embed(struct req *, struct resp *);
enum status	h_embed_post(struct req *, struct resp *);
enum status	h_permalink(struct req *, struct resp *);
enum status	h_comment_vote(struct req *, struct resp *);
enum status	h_comment_report(struct req *, struct resp *);

/* The JSON API (api.c). */
enum status	h_api_comments_get(struct req *, struct resp *);
enum status	h_api_comments_post(struct req *, struct resp *);
enum status	h_api_comment_put(struct req *, struct resp *);
enum status	h_api_comment_delete(struct req *, struct resp *);
enum status	h_api_counts(struct req *, struct resp *);
enum status	h_api_vote(struct req *, struct resp *);
enum status	h_api_report(struct req *, struct resp *);
enum status	h_api_preview(struct req *, struct resp *);
enum status	h_api_preflight(struct req *, struct resp *);

/* Moderators (login.c, queue.c, bans.c, articles.c, users.c, audit.c). */
enum status	h_mod_login_get(struct req *, struct resp *);
enum status	h_mod_login_post(struct req *, struct resp *);
enum status	h_mod_logout(struct req *, struct resp *);
enum status	h_mod_queue(struct req *, struct resp *);
enum status	h_mod_comment(struct req *, struct resp *);
enum status	h_mod_comment_get(struct req *, struct resp *);
enum status	h_mod_bulk(struct req *, struct resp *);
enum status	h_mod_undo(struct req *, struct resp *);
enum status	h_mod_ban_form(struct req *, struct resp *);
enum status	h_mod_ban_comment(struct req *, struct resp *);
enum status	h_mod_bans_get(struct req *, struct resp *);
enum status	h_mod_bans_post(struct req *, struct resp *);
enum status	h_mod_ban_delete(struct req *, struct resp *);
enum status	h_mod_articles(struct req *, struct resp *);
enum status	h_mod_articles_post(struct req *, struct resp *);
enum status	h_mod_article_get(struct req *, struct resp *);
enum status	h_mod_article_set(struct req *, struct resp *);
enum status	h_mod_users_get(struct req *, struct resp *);
enum status	h_mod_users_post(struct req *, struct resp *);
enum status	h_mod_user(struct req *, struct resp *);
enum status	h_mod_audit(struct req *, struct resp *);
enum status	h_mod_audit_csv(struct req *, struct resp *);

/* Metrics for Prometheus (metrics.c). */
enum status	h_metrics(struct req *, struct resp *);

/* Feeds (feeds.c), the links in messages (mail.c), a moderator's own
 * account and the deliveries (account.c). */
enum status	h_feed(struct req *, struct resp *);
enum status	h_article_feed(struct req *, struct resp *);
enum status	h_mail_confirm(struct req *, struct resp *);
enum status	h_mail_unsub(struct req *, struct resp *);
enum status	h_mail_moderate(struct req *, struct resp *);
enum status	h_mod_account_get(struct req *, struct resp *);
enum status	h_mod_account_post(struct req *, struct resp *);
enum status	h_mod_deliveries(struct req *, struct resp *);

/* What the moderators' handlers share (mod.c). */
struct mod_confirm;
struct mod_notice;
struct view;
/* mod_actor: who acts: the logged-in moderator, from this address. */
enum status	mod_actor(struct req *, struct actor *);
/*
 * mod_back: 303 to where an action returns: the form's `back` when it is
 * a path of ours under /mod/, else dflt.
 */
enum status	mod_back(struct req *, struct resp *, const char *dflt);
/*
 * mod_done: the same after an action, telling the page what it did:
 * done=BATCH (who->batch), or note=unchanged when nothing changed.
 */
enum status	mod_done(struct req *, struct resp *, const char *dflt,
		    const struct actor *);
/*
 * mod_view: http_view for a moderator's page at `self` (its own path,
 * where an undo comes back), with the notice of the action the query
 * names (done=, note=), read when it is this moderator's.
 */
enum status	mod_view(struct req *, struct view *, const char *self);
/* mod_confirm_page: ask c's question instead of acting (200). */
enum status	mod_confirm_page(struct req *, struct resp *,
		    const struct mod_confirm *);

#endif
