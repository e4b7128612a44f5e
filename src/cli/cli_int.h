/* cli_int.h: what the command line's files share; nothing else includes it */
#ifndef PALAVER_CLI_INT_H
#define PALAVER_CLI_INT_H

#include <stddef.h>
#include <stdio.h>

#include "domain/site.h"

#define EX_FAIL		1
#define EX_USAGE	2

struct config;
struct refusal;

struct cmd {
	const char	*name;
	const char	*sub;		/* NULL: no subcommand */
	const char	*usage;
	const char	*help;
	int		(*fn)(struct config *, int, char **);
	int		 needs_db;	/* migrate first */
};

/* cli_find: the command name [sub]; NULL when there is none. */
const struct cmd	*cli_find(const char *name, const char *sub);
/* cli_usage: print "palaver: msg" and the command's usage to stderr;
 * returns EX_USAGE. */
int			 cli_usage(const struct cmd *, const char *msg);
/*
 * cli_site_open: the site the domain works on from the command line: the
 * configuration, a store, the server secret, no writer (each change
 * commits alone).  -1 after saying why.  cli_site_close: NULL-safe.
 */
int			 cli_site_open(const struct config *, struct site *);
void			 cli_site_close(struct site *);
struct actor;
/* cli_actor: the command line, as the audit log names it ("cli"). */
void			 cli_actor(struct actor *);
/* cli_refused: say a refusal on stderr as "palaver: ...". */
void			 cli_refused(const struct refusal *);
/* cli_read_file: the file at path, at most max bytes, malloc'd and
 * NUL-terminated; NULL after saying why. */
char			*cli_read_file(const char *path, size_t max,
			    size_t *len);

/* The commands, by file. */
int	cmd_article_add(struct config *, int, char **);
int	cmd_article_list(struct config *, int, char **);
int	cmd_article_set(struct config *, int, char **);
int	cmd_user_add(struct config *, int, char **);
int	cmd_user_passwd(struct config *, int, char **);
int	cmd_user_list(struct config *, int, char **);
int	cmd_user_del(struct config *, int, char **);
int	cmd_import(struct config *, int, char **);
int	cmd_export(struct config *, int, char **);
int	cmd_remap(struct config *, int, char **);
int	cmd_demo(struct config *, int, char **);
int	cmd_privacy_export(struct config *, int, char **);
int	cmd_privacy_erase(struct config *, int, char **);
/*
 * A progress line on standard error while a long import or export runs,
 * when standard error is a terminal (cli_port.c): cli_progress_on says
 * whether to pass cli_progress (with p as its argument) to the work,
 * cli_progress_off clears the line.
 */
struct cli_progress {
	const char	*file;
	const char	*what;		/* "comments", "records" */
	int		 shown;
};
int	cli_progress_on(struct cli_progress *p, const char *file,
	    const char *what);
void	cli_progress(void *p, size_t done, size_t total);
void	cli_progress_off(struct cli_progress *p);

/* article_add: the article, checked by the text rules; 0, EX_USAGE or
 * EX_FAIL after saying why.  *id receives its id. */
int	article_add(struct config *, const char *uri, const char *title,
	    const char *body, size_t blen, long long *id);

#endif
