/* cli_port.h: the commands that move a site in and out: import, export, remap (cli_port.c), with their usage for cli.c's table */
#ifndef PALAVER_CLI_PORT_H
#define PALAVER_CLI_PORT_H

struct config;

#define CLI_IMPORT_WP_USAGE \
	"import wordpress FILE [--pingbacks] [--keep-query] [-c FILE]"
#define CLI_IMPORT_WP_HELP \
	"Import the comments of a WordPress export (WXR, from Tools >\n" \
	"Export; gzip-compressed or not).  Each item with comments becomes\n" \
	"the article at the path of its link (reused when it exists;\n" \
	"closed when comments were closed); comments keep their threads,\n" \
	"authors, dates and status, and their HTML becomes Markdown.\n" \
	"Pingbacks and trackbacks are left out unless --pingbacks.  Keys\n" \
	"are the path alone unless --keep-query (for ?p=123 links).  All\n" \
	"or nothing, in one transaction; importing the same export again\n" \
	"adds only what is new, even after the site moved to another host."
#define CLI_IMPORT_DSQ_USAGE	"import disqus FILE [--keep-query] [-c FILE]"
#define CLI_IMPORT_DSQ_HELP \
	"Import the comments of a Disqus export (XML, or the .xml.gz\n" \
	"Disqus sends).  Each thread with posts becomes the article at the\n" \
	"path of its link, as for WordPress; spam stays spam, deleted\n" \
	"posts stay deleted, closed threads stay closed."
#define CLI_IMPORT_ISSO_USAGE	"import isso FILE [--keep-query] [-c FILE]"
#define CLI_IMPORT_ISSO_HELP \
	"Import the comments of Isso: its SQLite database (comments.db,\n" \
	"read in place and never written), or a file in Isso's generic\n" \
	"JSON import format.  Modes 1, 2 and 4 become approved, pending and\n" \
	"deleted; votes are counted but not kept."
#define CLI_IMPORT_PALAVER_USAGE	"import palaver FILE [-c FILE]"
#define CLI_IMPORT_PALAVER_HELP \
	"Read back what palaver export wrote (\"-\": standard input).  Into\n" \
	"an empty database it restores the site as it was, every id and\n" \
	"the audit log included; into one with data it adds the articles\n" \
	"and comments that are new, and accounts whose name is free.  All\n" \
	"or nothing."
#define CLI_EXPORT_USAGE	"export FILE [--with-secrets] [-c FILE]"
#define CLI_EXPORT_HELP \
	"Write the whole site to FILE (\"-\": standard output) as JSON\n" \
	"Lines: articles, comments with their Markdown, status, score and\n" \
	"reasons, bans, accounts, the audit log, what came from imports.\n" \
	"Password hashes and the server secret only with --with-secrets.\n" \
	"One consistent snapshot, safe while palaver serves; FILE is\n" \
	"replaced whole, with mode 0600."
#define CLI_REMAP_USAGE		"remap RULES [--dry-run] [-c FILE]"
#define CLI_REMAP_HELP \
	"Move threads to new addresses, by the rules in the file RULES:\n" \
	"one \"OLD NEW\" a line, or \"OLD* NEW*\" for every address that\n" \
	"starts with OLD; '#' starts a comment.  Threads that land on one\n" \
	"address become one.  All or nothing, and audited; --dry-run says\n" \
	"what would change and keeps nothing."

/* The commands, for cli.c's table: argv[0] is the subcommand (import)
 * or the command; exit status 0, 1 (failed) or 2 (usage). */
int	cli_import(struct config *, int, char **);
int	cli_export(struct config *, int, char **);
int	cli_remap(struct config *, int, char **);

#endif
