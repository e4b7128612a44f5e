/* views.h: the HTML pages, written through html.h: they show what they
 * are given and ask nothing of the database or the domain */
#ifndef PALAVER_VIEWS_H
#define PALAVER_VIEWS_H

#include <stddef.h>

#include "model/model.h"

struct buf;

/* The moderator a page is drawn for. */
struct view_mod {
	long long	 id;
	const char	*name;
	int		 admin;
	const char	*csrf;		/* every form carries it */
};

/*
 * What the moderator's last action did, told at the top of the page it
 * came back to: the action's audit rows (v, n), or that nothing changed.
 */
struct mod_notice {
	const struct audit_entry *v;	/* oldest first; NULL: none */
	size_t			 n;
	int			 unchanged;	/* nothing needed changing */
	int			 undo;		/* offer to undo it */
	const char		*back;		/* where the undo returns: the
						   page's own path */
};

/* What every page is drawn with, beyond its data. */
struct view {
	const char		*site;		/* [site] name */
	const char		*base;		/* put before our paths: the
						   base path, or the whole
						   base_url for the fragment */
	int			 embed;		/* the fragment for others */
	long			 max_depth;	/* [moderation] max_depth */
	long			 min_submit;	/* [spam] min_submit_seconds */
	const char		*form_token;	/* the anti-spam field */
	long long		 now;
	const struct view_mod	*mod;		/* logged in, or NULL */
	const char		*feed;		/* the page's Atom feed (a
						   path under base), or NULL */
	int			 notify;	/* mail is on: forms offer
						   replies by e-mail */
	const struct mod_notice	*notice;	/* moderators' pages: what
						   was just done, or NULL */
};

/* Shared by the page modules (views.c, views_thread.c, views_mod.c). */
/* view_page_open: doctype, head, site header; title may be NULL. */
void	view_page_open(const struct view *, struct buf *, const char *title);
void	view_page_close(struct buf *);
/* view_url: base path + path, attribute-escaped. */
void	view_url(const struct view *, struct buf *, const char *path);
/* view_time: a <time> element for unix seconds: datetime in UTC, the text
 * in the zone of zone_set ([site] timezone). */
void	view_time(struct buf *, long long);

/* view_login: the moderators' login form. */
void	view_login(const struct view *, struct buf *, const char *csrf,
	    const char *msg, const char *name);

/* --- the moderators' pages (views_mod*.c) --------------------------------
 * Each shows who is logged in (v->mod, which must be set), what was just
 * done (v->notice), and carries the session's CSRF token in every form.
 * Tables become stacked cards on a phone (palaver.css): each cell says
 * what it is in data-label. */
struct audit_entry;
struct audit_query;
struct ban;
struct moderator;
struct queue_item;

/*
 * view_permalink: comment id's public address (/c/{id}, which lands on
 * the page that holds it), unescaped into u.  The one place the
 * moderators' pages build it.
 */
void	view_permalink(struct buf *u, long long id);

/* One page of the queue and the query that chose it. */
struct mod_queue {
	int			 status;	/* enum cstatus: the tab */
	long long		 article;	/* 0: every article */
	const char		*q;		/* search words, or NULL */
	long long		 cursor;	/* this page's keyset cursor */
	long long		 next;		/* next page; 0: none */
	int			 select_all;	/* every box ticked */
	const long long		*counts;	/* comments per status */
	const struct queue_item	*v;
	size_t			 n;
};
/* view_mod_queue: the tabs, the search, the items with their actions and
 * edit forms, the bulk form (only the actions that fit the tab, none
 * chosen), select-all, paging and the keyboard help (mod.js). */
void	view_mod_queue(const struct view *, struct buf *,
	    const struct mod_queue *);
/* view_mod_comment: one comment's card, on a page of its own. */
void	view_mod_comment(const struct view *, struct buf *,
	    const struct queue_item *);
/* A ban asked for from a comment in the queue, as the form shows it. */
struct mod_ban_comment {
	const struct queue_item	*it;
	const char		*kind;		/* email or addr_hash */
	const char		*value;		/* what will be banned */
	const char		*days;		/* chosen: "" no end */
	const char		*reason;
	const char		*then;		/* spam, delete, keep */
	const char		*back;		/* where it returns */
	long			 key_days;	/* how long an address hash
						   lasts ([privacy]) */
	const char		*error;		/* or NULL */
};
/* view_mod_ban_comment: the form that asks how long, why, and what
 * becomes of the comment, saying what each choice does. */
void	view_mod_ban_comment(const struct view *, struct buf *,
	    const struct mod_ban_comment *);
/* A question before something that cannot be taken back. */
struct mod_confirm {
	const char		*title;		/* "Delete 3 comments?" */
	const char		*question;	/* what happens, in words */
	const char		*action;	/* where "yes" posts */
	const char		*yes;		/* its button */
	const char		*cancel;	/* where "no" goes: a path */
	const char *const	*names;		/* hidden fields sent again */
	const char *const	*values;
	size_t			 nfields;
	const char *const	*items;		/* what it applies to */
	size_t			 nitems;
};
/* view_mod_confirm: the question, "yes" (with confirm=yes) and "no". */
void	view_mod_confirm(const struct view *, struct buf *,
	    const struct mod_confirm *);
/* What was typed into the ban form, shown again with msg (may be NULL). */
struct mod_ban_form {
	const char	*kind;
	const char	*value;
	const char	*reason;
	const char	*days;
};
/* view_mod_bans: the live bans with remove buttons, and the form to add
 * one (f and msg may be NULL). */
void	view_mod_bans(const struct view *, struct buf *, const struct ban *,
	    size_t, const struct mod_ban_form *f, const char *msg);
/* What was typed into the new-article form. */
struct mod_article_form {
	const char	*uri;
	const char	*title;
	const char	*body;
};
/* view_mod_articles: the form to add an article (f and msg may be NULL),
 * then articles with their state, mode and counts, each linking to its
 * page; a link to older ones when next_id is set. */
void	view_mod_articles(const struct view *, struct buf *,
	    const struct article *, size_t, const char *self,
	    long long next_created, long long next_id,
	    const struct mod_article_form *f, const char *msg);
/* view_mod_article: one article's settings: open or closed, moderation
 * mode (cfg_mode: what "default" is), title and the proposed one. */
void	view_mod_article(const struct view *, struct buf *,
	    const struct article *, const char *cfg_mode, const char *msg);
/* view_mod_users: the accounts (never their hashes) and the forms to
 * add, reset and delete; msg (may be NULL) says what was refused. */
void	view_mod_users(const struct view *, struct buf *,
	    const struct moderator *, size_t, const char *msg);
/* A page of the audit log and the filters that chose it. */
struct mod_audit {
	const struct audit_query *q;
	const char		*from, *to;	/* the dates as typed */
	const struct audit_entry *v;
	size_t			 n;
	long long		 next;		/* older rows; 0: none */
};
/* view_mod_audit: the filters, a page of the log (targets linked to what
 * they name), paging that keeps the filters, CSV export for admins. */
void	view_mod_audit(const struct view *, struct buf *,
	    const struct mod_audit *);
/* view_mod_audit_csv: the rows as CSV (RFC 4180, a header line first). */
void	view_mod_audit_csv(struct buf *, const struct audit_entry *, size_t,
	    int header);

/* view_mod_open, view_mod_close: a moderators' page with their bar
 * (`here`: the path of the bar's link to mark), for other files. */
void	view_mod_open(const struct view *, struct buf *, const char *title,
	    const char *here);
void	view_mod_close(struct buf *);

/* view_error: a whole page saying what went wrong: title (the status's
 * name) and msg. */
void	view_error(const struct view *, struct buf *, const char *title,
	    const char *msg);
/* view_index: the list of articles, with a link to older ones when
 * next_created/next_id are set. */
void	view_index(const struct view *, struct buf *, const struct article *,
	    size_t, long long next_created, long long next_id);
/* What the reader typed, to show again in a form. */
struct form_values {
	const char	*parent;
	const char	*author;
	const char	*email;
	const char	*website;
	const char	*body;
	int		 notify;	/* the box was ticked */
	const char	*why;		/* a report's reason, as sent */
	const char	*text;		/* a report's words */
};

/* What a page says happened, beside the comment it is about (or at the
 * top of the thread when that is not on the page). */
enum page_notice {
	PS_NONE, PS_PUBLISHED, PS_PENDING, PS_EDITED, PS_DELETED, PS_SPAM,
	PS_VOTED, PS_REPORTED, PS__MAX
};

/* Everything about one article page beyond the data. */
struct page_state {
	int			 order;		/* enum thread_order */
	long long		 after;		/* the page's cursor */
	const struct thread_view *tv;		/* the page's rows, as the
						   reader sees them */
	long long		 reply_to;	/* show the reply form there */
	long long		 edit_id;	/* show the edit form there */
	long long		 report_to;	/* show the report form there */
	long long		 posted;	/* say what became of it */
	enum page_notice	 notice;
	long long		 notice_at;	/* the comment it is about */
	const struct form_values *form;		/* refill, or NULL */
	const char		*error;		/* for the form, or NULL */
	const char		*error_field;
	const char		*preview;	/* the form's text as it will
						   be published, or NULL */
	int			 votes;		/* [votes] enabled */
	int			 votes_down;	/* [votes] down */
};

/* view_article: the article, its page of comments nested, the forms and
 * the paging links (views_thread.c). */
void	view_article(const struct view *, struct buf *, const struct article *,
	    const struct page_state *);
/* view_embed: the comments section alone, an HTML fragment for other
 * sites' pages (nginx SSI, a static-site build): absolute links, forms
 * that post by uri.  An article with id 0 is a thread not yet begun. */
void	view_embed(const struct view *, struct buf *, const struct article *,
	    const struct page_state *);
/* view_count: "N comments", as the list of articles and a thread's
 * heading say it. */
void	view_count(struct buf *, long long n);

#endif
