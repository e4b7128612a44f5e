/* log.h: one-line messages to standard error */
#ifndef PALAVER_LOG_H
#define PALAVER_LOG_H

/* log_err, log_info: write "palaver[pid]: message\n" to stderr in one
 * write(2), so lines from threads and workers never interleave. */
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
/* log_quiet: 1 to drop info lines (tests of the CLI). */
void	log_quiet(int);

#endif
