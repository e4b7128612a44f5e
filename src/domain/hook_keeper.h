/* hook_keeper.h: the process a hook runs under, which outlives nothing it started */
#ifndef PALAVER_HOOK_KEEPER_H
#define PALAVER_HOOK_KEEPER_H

#include <sys/types.h>

/* One hook under its keeper (see hook_keeper.c for why and how). */
struct keeper {
	pid_t	 pid;		/* the keeper, our child; -1 when none */
	pid_t	 hook;		/* the hook, the keeper's child */
	int	 ctl;		/* ours; closing it says "kill everything" */
	int	 rep;		/* ours, non-blocking: the keeper's reports */
	int	 ended;		/* the hook's end has been reported */
	int	 lost;		/* the keeper died without reporting it */
	int	 status;	/* the hook's wait status, once ended */
};

/*
 * keeper_pipe: pipe2(O_CLOEXEC) with both ends above stderr, so that
 * making them a child's stdin or stdout never clobbers another.  Returns
 * 0, or -1 with errno set and nothing left open.
 */
int	keeper_pipe(int fds[2]);

/*
 * keeper_start: fork a keeper that runs `prog` (a path) with `argv` and
 * `envp`, `child_in` as its stdin and `child_out` as its stdout, stderr
 * ours, nothing else open, in a process group of its own, with every
 * signal unblocked and at its default.  Returns once the program has
 * been exec'd: 0, with k->pid, k->hook, k->ctl and k->rep set.  Else
 * nothing runs any more and nothing is left open: an errno value (the
 * fork or the exec failed), or -1 if the keeper died first.  Safe to
 * call from many threads at once.
 */
int	keeper_start(struct keeper *k, const char *prog, char *const argv[],
	    char *const envp[], int child_in, int child_out);

/*
 * keeper_check: has the hook ended?  Call when k->rep is readable.  The
 * keeper reports it once the hook has exited and everything it started
 * is dead and reaped: then k->ended and k->status are set, or k->lost if
 * the keeper died without a word.  Never blocks.
 */
void	keeper_check(struct keeper *k);

/*
 * keeper_stop: have everything still running under the keeper killed
 * (SIGKILL) and reaped, collect the hook's status (k->ended, k->status;
 * or k->lost), reap the keeper and close our ends.  Blocks until then,
 * which is at once unless a process cannot die.  A keeper with no pid is
 * left alone.
 */
void	keeper_stop(struct keeper *k);

#endif
