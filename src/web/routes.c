/* routes.c: the route table: every path, what it needs, and its fields */
#include "core/metrics.h"
#include "http/router.h"
#include "web/web.h"

enum route_id {
	R_INDEX,
	R_ARTICLE,
	R_COMMENT_POST,
	R_COMMENT_EDIT,
	R_COMMENT_DELETE,
	R_PERMALINK,
	R_COMMENT_VOTE,
	R_COMMENT_REPORT,
	R_EMBED,
	R_EMBED_POST,
	R_API_COMMENTS_GET,
	R_API_COMMENTS_POST,
	R_API_COMMENT_PUT,
	R_API_COMMENT_DELETE,
	R_API_COUNTS,
	R_API_VOTE,
	R_API_REPORT,
	R_API_PREVIEW,
	R_API_PREFLIGHT_COMMENTS,
	R_API_PREFLIGHT_COMMENT,
	R_API_PREFLIGHT_COUNTS,
	R_API_PREFLIGHT_ACT,
	R_API_PREFLIGHT_PREVIEW,
	R_MOD_LOGIN_GET,
	R_MOD_LOGIN_POST,
	R_MOD_LOGOUT,
	R_MOD_QUEUE,
	R_MOD_BULK,
	R_MOD_UNDO,
	R_MOD_COMMENT_GET,
	R_MOD_BAN_FORM,
	R_MOD_BAN_COMMENT,
	R_MOD_COMMENT,
	R_MOD_BANS_GET,
	R_MOD_BANS_POST,
	R_MOD_BAN_DELETE,
	R_MOD_ARTICLES,
	R_MOD_ARTICLES_POST,
	R_MOD_ARTICLE_GET,
	R_MOD_ARTICLE_SET,
	R_MOD_USERS_GET,
	R_MOD_USERS_POST,
	R_MOD_USER,
	R_MOD_AUDIT,
	R_FEED,
	R_ARTICLE_FEED,
	R_MAIL_CONFIRM_GET,
	R_MAIL_CONFIRM_POST,
	R_MAIL_UNSUB_GET,
	R_MAIL_UNSUB_POST,
	R_MAIL_MODERATE_GET,
	R_MAIL_MODERATE_POST,
	R_MOD_ACCOUNT_GET,
	R_MOD_ACCOUNT_POST,
	R_MOD_DELIVERIES,
	R_MOD_AUDIT_CSV,
	R_METRICS,
	R__MAX
};

/* Shorthands for the field lists: where from, and how much needed. */
#define Q(f)	{ f, FS_QUERY, FR_OPTIONAL }
#define QR(f)	{ f, FS_QUERY, FR_REQUIRED }
#define QL(f)	{ f, FS_QUERY, FR_LAX }
#define B(f)	{ f, FS_BODY, FR_OPTIONAL }
#define BR(f)	{ f, FS_BODY, FR_REQUIRED }

/* What a moderator's page may tell: the action just taken. */
#define NOTICE_FIELDS	QL(F_DONE), QL(F_NOTE)
/* The audit log's filters. */
#define AUDIT_FIELDS	Q(F_WHO), Q(F_WHAT), Q(F_TARGET), Q(F_FROM), Q(F_TO)

/* A comment as readers send it: the body first, as it is what they care
 * about most, so its fault is the one told. */
#define COMMENT_FIELDS	BR(F_BODY), B(F_AUTHOR), B(F_EMAIL), B(F_WEBSITE), \
			B(F_PARENT), B(F_TS), B(F_HP), B(F_NOTIFY)
/* What an article page's query may say: order, page, which form is open,
 * and what just happened. */
#define PAGE_FIELDS	QL(F_ORDER), QL(F_AFTER), QL(F_REPLY), QL(F_EDIT), \
			QL(F_REPORT), QL(F_POSTED), QL(F_VOTED), \
			QL(F_REPORTED), QL(F_EDITED), QL(F_DELETED)

/* /metrics counts requests by row: the table must fit its counts. */
_Static_assert(R__MAX < METRICS_ROUTES, "every route has its count");

static const struct route routes[R__MAX] = {
	[R_INDEX] = { M_GET, "/", h_index, 0,
	    { QL(F_BEFORE), QL(F_AT) } },
	[R_ARTICLE] = { M_GET, "/articles/{id}", h_article, RF_CACHE,
	    { PAGE_FIELDS } },
	/* preview: the form's Preview button (shown, not posted). */
	[R_COMMENT_POST] = { M_POST, "/articles/{id}/comments", h_comment_post,
	    RF_FORM | RF_OWN | RF_ORIGIN | RF_POSTS,
	    { COMMENT_FIELDS, B(F_PREVIEW) } },
	[R_COMMENT_EDIT] = { M_POST, "/articles/{id}/comments/{id}/edit",
	    h_comment_edit, RF_FORM | RF_OWN | RF_ORIGIN,
	    { BR(F_BODY), B(F_PREVIEW) } },
	/* Votes and reports come from the fragment's forms too (an allowed
	 * origin), and land on palaver's own page. */
	[R_COMMENT_VOTE] = { M_POST, "/articles/{id}/comments/{id}/vote",
	    h_comment_vote, RF_FORM | RF_ORIGIN_EMBED,
	    { BR(F_VOTE), B(F_ORDER) } },
	/* The report form comes back filled in with what was wrong. */
	[R_COMMENT_REPORT] = { M_POST, "/articles/{id}/comments/{id}/report",
	    h_comment_report, RF_FORM | RF_OWN | RF_ORIGIN_EMBED,
	    { BR(F_WHY), B(F_TEXT) } },
	[R_COMMENT_DELETE] = { M_POST, "/articles/{id}/comments/{id}/delete",
	    h_comment_delete, RF_FORM | RF_ORIGIN, { { 0 } } },
	/* A moderator's session: the queue's "in context" of held ones. */
	[R_PERMALINK] = { M_GET, "/c/{id}", h_permalink, RF_SESSION,
	    { QL(F_ORDER) } },
	[R_EMBED] = { M_GET, "/embed", h_embed, RF_CACHE,
	    { QR(F_URI), QL(F_TITLE), QL(F_ORDER), QL(F_AFTER), QL(F_C) } },
	[R_EMBED_POST] = { M_POST, "/embed/comments", h_embed_post,
	    RF_FORM | RF_OWN | RF_ORIGIN_EMBED | RF_POSTS,
	    { QR(F_URI), COMMENT_FIELDS, B(F_TITLE), B(F_PREVIEW) } },
	[R_API_COMMENTS_GET] = { M_GET, "/api/comments", h_api_comments_get,
	    RF_JSON | RF_CORS | RF_CACHE,
	    { QR(F_URI), Q(F_ORDER), Q(F_AFTER), Q(F_TOKEN), Q(F_C) } },
	[R_API_COMMENTS_POST] = { M_POST, "/api/comments",
	    h_api_comments_post, RF_JSON | RF_BODY | RF_CORS | RF_POSTS,
	    { QR(F_URI), COMMENT_FIELDS, B(F_TITLE), B(F_TOKEN) } },
	[R_API_COMMENT_PUT] = { M_PUT, "/api/comments/{id}",
	    h_api_comment_put, RF_JSON | RF_BODY | RF_CORS,
	    { BR(F_BODY), B(F_TOKEN) } },
	[R_API_COMMENT_DELETE] = { M_DELETE, "/api/comments/{id}",
	    h_api_comment_delete, RF_JSON | RF_BODY | RF_CORS,
	    { B(F_TOKEN) } },
	[R_API_COUNTS] = { M_GET, "/api/counts", h_api_counts,
	    RF_JSON | RF_CORS, { QR(F_URIS) } },
	[R_API_VOTE] = { M_POST, "/api/comments/{id}/vote", h_api_vote,
	    RF_JSON | RF_BODY | RF_CORS, { BR(F_VOTE), B(F_VOTER) } },
	[R_API_REPORT] = { M_POST, "/api/comments/{id}/report", h_api_report,
	    RF_JSON | RF_BODY | RF_CORS, { BR(F_WHY), B(F_TEXT) } },
	[R_API_PREVIEW] = { M_POST, "/api/preview", h_api_preview,
	    RF_JSON | RF_BODY | RF_CORS, { BR(F_BODY) } },
	[R_API_PREFLIGHT_COMMENTS] = { M_OPTIONS, "/api/comments",
	    h_api_preflight, RF_JSON | RF_CORS, { { 0 } } },
	[R_API_PREFLIGHT_COMMENT] = { M_OPTIONS, "/api/comments/{id}",
	    h_api_preflight, RF_JSON | RF_CORS, { { 0 } } },
	[R_API_PREFLIGHT_COUNTS] = { M_OPTIONS, "/api/counts",
	    h_api_preflight, RF_JSON | RF_CORS, { { 0 } } },
	[R_API_PREFLIGHT_ACT] = { M_OPTIONS, "/api/comments/{id}/{word}",
	    h_api_preflight, RF_JSON | RF_CORS, { { 0 } } },
	[R_API_PREFLIGHT_PREVIEW] = { M_OPTIONS, "/api/preview",
	    h_api_preflight, RF_JSON | RF_CORS, { { 0 } } },
	[R_MOD_LOGIN_GET] = { M_GET, "/mod/login", h_mod_login_get,
	    RF_SESSION, { { 0 } } },
	/* The login form answers its own faults: the page again, with the
	 * name kept. */
	[R_MOD_LOGIN_POST] = { M_POST, "/mod/login", h_mod_login_post,
	    RF_FORM | RF_OWN, { B(F_CSRF), B(F_NAME), B(F_PASSWORD) } },
	[R_MOD_LOGOUT] = { M_POST, "/mod/logout", h_mod_logout,
	    RF_FORM | RF_MOD | RF_CSRF, { { 0 } } },
	[R_MOD_QUEUE] = { M_GET, "/mod/", h_mod_queue, RF_MOD,
	    { Q(F_STATUS), QL(F_ARTICLE), Q(F_Q), QL(F_CURSOR), QL(F_SELECT),
	    NOTICE_FIELDS } },
	/* Delete asks first (confirm=yes): the handler answers. */
	[R_MOD_BULK] = { M_POST, "/mod/comments/bulk", h_mod_bulk,
	    RF_FORM | RF_MOD | RF_CSRF,
	    { BR(F_ACTION), B(F_ID), B(F_BACK), B(F_CONFIRM) } },
	[R_MOD_UNDO] = { M_POST, "/mod/undo", h_mod_undo,
	    RF_FORM | RF_MOD | RF_CSRF, { BR(F_BATCH), B(F_BACK) } },
	[R_MOD_COMMENT_GET] = { M_GET, "/mod/comments/{id}", h_mod_comment_get,
	    RF_MOD, { NOTICE_FIELDS } },
	/* A ban from the queue asks how long, why, and what becomes of the
	 * comment; the form comes back with what was wrong. */
	[R_MOD_BAN_FORM] = { M_GET, "/mod/comments/{id}/ban", h_mod_ban_form,
	    RF_MOD, { QR(F_KIND), Q(F_BACK) } },
	[R_MOD_BAN_COMMENT] = { M_POST, "/mod/comments/{id}/ban",
	    h_mod_ban_comment, RF_FORM | RF_MOD | RF_CSRF | RF_OWN,
	    { BR(F_KIND), BR(F_THEN), B(F_DAYS), B(F_REASON), B(F_BACK) } },
	/* approve, spam, delete (confirm), edit (body), unvote: each
	 * action answers for the fields it takes. */
	[R_MOD_COMMENT] = { M_POST, "/mod/comments/{id}/{word}", h_mod_comment,
	    RF_FORM | RF_MOD | RF_CSRF | RF_OWN,
	    { B(F_BACK), B(F_BODY), B(F_CONFIRM) } },
	[R_MOD_BANS_GET] = { M_GET, "/mod/bans", h_mod_bans_get, RF_MOD,
	    { NOTICE_FIELDS } },
	/* The ban form comes back filled in with what was wrong. */
	[R_MOD_BANS_POST] = { M_POST, "/mod/bans", h_mod_bans_post,
	    RF_FORM | RF_MOD | RF_CSRF | RF_OWN,
	    { BR(F_KIND), BR(F_VALUE), B(F_REASON), B(F_DAYS) } },
	[R_MOD_BAN_DELETE] = { M_POST, "/mod/bans/{id}/delete",
	    h_mod_ban_delete, RF_FORM | RF_MOD | RF_CSRF,
	    { B(F_CONFIRM), B(F_BACK) } },
	[R_MOD_ARTICLES] = { M_GET, "/mod/articles", h_mod_articles, RF_MOD,
	    { QL(F_BEFORE), QL(F_AT), NOTICE_FIELDS } },
	/* The new-article form comes back filled in with what was wrong. */
	[R_MOD_ARTICLES_POST] = { M_POST, "/mod/articles",
	    h_mod_articles_post, RF_FORM | RF_MOD | RF_CSRF | RF_OWN,
	    { BR(F_NEW_URI), BR(F_TITLE), B(F_ARTICLE_BODY) } },
	[R_MOD_ARTICLE_GET] = { M_GET, "/mod/articles/{id}", h_mod_article_get,
	    RF_MOD, { NOTICE_FIELDS } },
	/* close, open, mode (mode), title (title), proposed */
	[R_MOD_ARTICLE_SET] = { M_POST, "/mod/articles/{id}/{word}",
	    h_mod_article_set, RF_FORM | RF_MOD | RF_CSRF | RF_OWN,
	    { B(F_BACK), B(F_MODE), B(F_TITLE) } },
	[R_MOD_USERS_GET] = { M_GET, "/mod/users", h_mod_users_get,
	    RF_MOD | RF_ADMIN, { NOTICE_FIELDS } },
	[R_MOD_USERS_POST] = { M_POST, "/mod/users", h_mod_users_post,
	    RF_FORM | RF_MOD | RF_CSRF | RF_ADMIN | RF_OWN,
	    { BR(F_NAME), BR(F_ROLE), BR(F_PASSWORD) } },
	/* delete (confirm), password */
	[R_MOD_USER] = { M_POST, "/mod/users/{id}/{word}", h_mod_user,
	    RF_FORM | RF_MOD | RF_CSRF | RF_ADMIN | RF_OWN,
	    { B(F_PASSWORD), B(F_CONFIRM) } },
	[R_MOD_AUDIT] = { M_GET, "/mod/audit", h_mod_audit, RF_MOD,
	    { QL(F_BEFORE), AUDIT_FIELDS } },
	[R_MOD_AUDIT_CSV] = { M_GET, "/mod/audit.csv", h_mod_audit_csv,
	    RF_MOD | RF_ADMIN, { AUDIT_FIELDS } },
	/* Prometheus; who may scrape is the handler's ([metrics]). */
	[R_METRICS] = { M_GET, "/metrics", h_metrics, 0, { { 0 } } },
	/* Atom: the site's newest comments, or a thread's by uri. */
	[R_FEED] = { M_GET, "/feed", h_feed, 0, { Q(F_URI) } },
	[R_ARTICLE_FEED] = { M_GET, "/articles/{id}/feed", h_article_feed, 0,
	    { { 0 } } },
	/*
	 * The links in messages: a GET shows what the button will do (mail
	 * scanners follow links; they must not act), the button POSTs.  The
	 * signed token is the authority; an unsubscribe POST comes from a
	 * mail provider too (RFC 8058: "List-Unsubscribe=One-Click", as a
	 * form or multipart, which is not read), so it checks no Origin.
	 */
	[R_MAIL_CONFIRM_GET] = { M_GET, "/mail/confirm", h_mail_confirm, 0,
	    { QR(F_T) } },
	[R_MAIL_CONFIRM_POST] = { M_POST, "/mail/confirm", h_mail_confirm,
	    RF_ORIGIN, { QR(F_T) } },
	[R_MAIL_UNSUB_GET] = { M_GET, "/mail/unsubscribe", h_mail_unsub, 0,
	    { QR(F_T), Q(F_SCOPE) } },
	[R_MAIL_UNSUB_POST] = { M_POST, "/mail/unsubscribe", h_mail_unsub, 0,
	    { QR(F_T), Q(F_SCOPE) } },
	[R_MAIL_MODERATE_GET] = { M_GET, "/mail/moderate", h_mail_moderate, 0,
	    { QR(F_T) } },
	[R_MAIL_MODERATE_POST] = { M_POST, "/mail/moderate", h_mail_moderate,
	    RF_ORIGIN, { QR(F_T) } },
	[R_MOD_ACCOUNT_GET] = { M_GET, "/mod/account", h_mod_account_get,
	    RF_MOD, { { 0 } } },
	[R_MOD_ACCOUNT_POST] = { M_POST, "/mod/account", h_mod_account_post,
	    RF_FORM | RF_MOD | RF_CSRF | RF_OWN,
	    { B(F_EMAIL), BR(F_ALERTS), B(F_MINUTES) } },
	[R_MOD_DELIVERIES] = { M_GET, "/mod/deliveries", h_mod_deliveries,
	    RF_MOD | RF_ADMIN, { { 0 } } },
};

void
web_dispatch(struct req *rq, struct resp *r)
{
	router_dispatch(routes, R__MAX, rq, r);
}

size_t
web_routes(const struct route **v)
{
	*v = routes;
	return R__MAX;
}
