/* cli.h: the palaver command line */
#ifndef PALAVER_CLI_H
#define PALAVER_CLI_H

/* cli_main: run the command in argv; returns the exit status (0, 1 on
 * failure, 2 on a usage error). */
int	cli_main(int argc, char *argv[]);

#endif
