/* views_mod_int.h: what the moderators' page files share; nothing else
 * includes it */
#ifndef PALAVER_VIEWS_MOD_INT_H
#define PALAVER_VIEWS_MOD_INT_H

struct audit_entry;
struct buf;
struct view;

/* The hidden fields every moderator form carries: the session's CSRF
 * token and, when given, where to come back to. */
void	mod_hidden(const struct view *, struct buf *, const char *back);
/* A form of one button that posts to path; `cls` its class. */
void	mod_button_form(const struct view *, struct buf *, const char *path,
	    const char *back, const char *label, const char *cls);
/*
 * A destructive button that asks first, without script: "label…" opens
 * a disclosure holding the real button ("yes", with confirm=yes); a post
 * without confirm=yes gets a page that asks instead.
 */
void	mod_confirm_form(const struct view *, struct buf *, const char *path,
	    const char *back, const char *label, const char *yes,
	    const char *what);
/* The page head, the moderators' bar (here: the current path) and the
 * notice of what was just done; mod_close ends the page. */
void	mod_open(const struct view *, struct buf *, const char *title,
	    const char *here);
void	mod_close(struct buf *);
/* A refusal at the top of a form, or nothing for NULL. */
void	mod_form_error(struct buf *, const char *msg);
/* A <time>, or "never" for 0. */
void	mod_time_or_never(struct buf *, long long);
/* A labelled one-line input, refilled with what was typed. */
void	mod_input(struct buf *, const char *id, const char *name,
	    const char *label, const char *type, const char *value,
	    const char *extra);
/* An <option>, selected when it is `chosen`. */
void	mod_option(struct buf *, const char *value, const char *label,
	    const char *chosen);
/* An audit row's target, linked to what it names when it names a thing
 * that has a page ("comment:42" to its card). */
void	mod_target(const struct view *, struct buf *,
	    const struct audit_entry *);
/* A table cell opening with its label for the stacked phone layout. */
void	mod_td(struct buf *, const char *label);

#endif
