/* hook.h: run an external program (the spam hook) safely, with a time limit */
#ifndef PALAVER_HOOK_H
#define PALAVER_HOOK_H

#include <stddef.h>

/* Output past this many bytes is read and ignored. */
#define HOOK_OUTPUT_MAX	4096

enum hook_outcome {
	HOOK_OK,	/* exited 0 and its first line was "SCORE [REASON]" */
	HOOK_TIMEOUT,	/* killed (with all it started) at the deadline */
	HOOK_FAILED,	/* could not start, crashed or exited non-zero */
	HOOK_GARBAGE,	/* exited 0 but the first line is not a score */
};

struct hook_result {
	enum hook_outcome outcome;
	double		 score;		/* 0..1 when HOOK_OK */
	char		 reason[256];	/* the hook's reason, or why it failed */
	int		 status;	/* the wait status, when it ran */
};

/*
 * hook_run: run `prog` (a path; no shell) with arguments `arg` (may be
 * NULL), a clean environment (PATH, LANG, plus each NAME=value from
 * `env`, a NULL-terminated array), `input` on standard input and
 * `timeout_ms` to finish.  The program runs in its own process group,
 * under a keeper process that is its subreaper (see hook_keeper.c): when
 * it exits, and at the deadline, everything it started is killed with
 * SIGKILL and reaped, including what left its group or session or was
 * daemonised.  Safe to call from many threads at once: each call kills
 * and waits for its own hook's processes only.  Costs a fork(2) of the
 * calling process (page tables, copy-on-write) besides the program's own
 * start.  Never fails: the result says what happened, and reason is
 * always a readable sentence.
 */
void	hook_run(const char *prog, const char *arg, char *const env[],
	    const char *input, size_t len, long timeout_ms,
	    struct hook_result *res);
/*
 * hook_run_argv: the same with the whole argument list: argv[0] is the
 * program (a path), NULL ends the list.  For programs that take more
 * than one argument (sendmail -t -i).
 */
void	hook_run_argv(const char *const argv[], char *const env[],
	    const char *input, size_t len, long timeout_ms,
	    struct hook_result *res);
/* hook_outcome_str: "ok", "timeout", ... */
const char *hook_outcome_str(enum hook_outcome);

#endif
