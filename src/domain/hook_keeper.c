/* hook_keeper.c: the process a hook runs under, which outlives nothing it started */

/* For close_range (glibc 2.34), getdents64 (2.30) and ppoll. */
#define _GNU_SOURCE

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "domain/hook_keeper.h"

/*
 * Why a keeper, and how it works.
 *
 * A hook may start processes of its own, and none may outlive it: they
 * would run on under palaver's name, and one that holds the hook's stdout
 * keeps us from ever seeing EOF.  Killing the hook's process group misses
 * whatever called setsid(2) or setpgid(2), and a child daemonised by a
 * double fork is not even below the hook any more: the kernel gives an
 * orphan to its nearest ancestor that is a "child subreaper"
 * (PR_SET_CHILD_SUBREAPER), else to init.
 *
 * So each hook runs under a keeper: a forked copy of palaver that makes
 * itself a subreaper, starts the hook and waits.  Whatever the hook
 * starts, however it leaves its group, session or parent, stays below the
 * keeper and becomes the keeper's child once its parents are gone.  When
 * the hook has exited, or palaver says time is up (it closes the control
 * pipe, which its death does too), the keeper kills its children and
 * reaps one, over and over, until it has none: the dead hand their own
 * children to it, so nothing below it survives, and nothing else is ever
 * touched.  Then it reports the hook's wait status and exits; palaver
 * waits only for its own keeper, by pid, so threads never take each
 * other's.
 *
 * The other ways, and why not.  Making the worker process the subreaper
 * gives it the orphans of every thread's hooks at once, with nothing to
 * tell whose is whose (a session, a group or the environment are the
 * orphan's to change), and it would have to waitpid(-1), taking other
 * threads' statuses.  A PID namespace (unshare) kills all in it when its
 * first process dies, but needs user namespaces, which hardened systems
 * and palaver's own unit (RestrictNamespaces=yes) refuse.  A cgroup per
 * hook (cgroup.kill) needs a cgroup tree delegated to palaver: under
 * systemd Delegate=yes without ProtectControlGroups=yes, and without
 * systemd usually none at all.  systemd's KillMode=control-group kills
 * what is left only when the service stops.  A subreaper needs no
 * privilege, is allowed by @system-service, and works anywhere.
 *
 * The keeper is fork(2), not posix_spawn(3): it must run our code, not a
 * program.  A forked copy of a threaded process may only make
 * async-signal-safe calls (another thread may have held malloc's or
 * stdio's lock at the fork), so all from the fork to _exit below is plain
 * system calls on the stack: no malloc, stdio, snprintf or opendir.  The
 * keeper closes every descriptor but its own at once, so it holds no copy
 * of another thread's pipes nor of palaver's sockets and database.  The
 * copy costs page tables (about 1 ms more a hook for a 32 MB process
 * here), and the pages palaver writes while the hook runs are copied
 * once, as the keeper keeps the old ones until it exits.
 *
 * The keeper starts the hook with vfork and execve (it has one thread, so
 * vfork is safe, and page tables are not copied a second time), in a
 * process group of its own, with an empty signal mask and every signal
 * at its default, stdin and stdout on palaver's pipes, stderr palaver's,
 * and nothing else open.  An exec failure comes back as an errno over a
 * close-on-exec pipe, as posix_spawn reports it, and before keeper_start
 * returns.
 *
 * Finding the keeper's children: /proc/thread-self/children
 * (CONFIG_PROC_CHILDREN, which Debian's kernels have), else a scan of
 * /proc for processes whose parent is the keeper.  Without /proc, only
 * the hook's process group is killed, and a child in a session of its
 * own is left to whoever inherits it when the keeper exits.
 */

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* The keeper's reports, each one write(2) of one record (atomic, being
 * under PIPE_BUF). */
enum rep_kind {
	REP_STARTED,	/* value: the hook's pid */
	REP_FAILED,	/* value: the errno of the fork or exec */
	REP_ENDED,	/* value: the hook's wait status; all below is gone */
};

struct rep {
	int	 kind;
	int	 value;
};

/* What the keeper needs, all set up before the fork. */
struct kargs {
	const char	*prog;
	char *const	*argv;
	char *const	*envp;
	int		 in;		/* the hook's stdin */
	int		 out;		/* the hook's stdout */
	int		 ctl;		/* from palaver: EOF means time is up */
	int		 rep;		/* to palaver */
	int		 err[2];	/* from the hook: an exec failure */
};

/* Children killed a round, at most; the rest wait for the next. */
#define KIDS_MAX	256

/* --- in the keeper and the hook: async-signal-safe calls only ----------- */

static void
on_chld(int sig)
{
	(void)sig;	/* only here to interrupt ppoll */
}

/* Close descriptors lo to hi, as close_range does where it exists. */
static void
close_span(unsigned int lo, unsigned int hi)
{
	struct rlimit	 rl;
	unsigned int	 max = 65536;

	if (close_range(lo, hi, 0) == 0)
		return;
	/* Before Linux 5.9: one at a time, up to the limit (or 65536). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < max)
		max = (unsigned int)rl.rlim_cur;
	if (max == 0)
		return;
	if (hi >= max)
		hi = max - 1;
	for (; lo <= hi; lo++)
		close((int)lo);
}

/* Close every descriptor but those in keep[0..n) (which this sorts). */
static void
close_others(int *keep, size_t n)
{
	unsigned int	 lo = 0;
	size_t		 i, j;
	int		 t;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			t = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (keep[i] < 0 || (unsigned int)keep[i] < lo)
			continue;
		if ((unsigned int)keep[i] > lo)
			close_span(lo, (unsigned int)keep[i] - 1);
		lo = (unsigned int)keep[i] + 1;
	}
	close_span(lo, ~0U);
}

static void
report(int fd, int kind, int value)
{
	struct rep	 r;
	ssize_t		 w;

	r.kind = kind;
	r.value = value;
	do
		w = write(fd, &r, sizeof(r));
	while (w == -1 && errno == EINTR);
}

/* Decimal digits of s[0..n) as a pid; 0 if they are not one. */
static pid_t
parse_pid(const char *s, size_t n)
{
	long	 v = 0;
	size_t	 i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0 && v <= 0x7fffffff ? (pid_t)v : 0;
}

/* The children listed in /proc/thread-self/children: their number, or
 * -1 when the file cannot be read. */
static int
children_file(pid_t *kids, int max)
{
	char	 buf[4096];
	ssize_t	 n, got = 0;
	size_t	 i, start;
	int	 fd, k = 0;

	if ((fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC)) ==
	    -1)
		return -1;
	while (got < (ssize_t)sizeof(buf) - 1) {
		n = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	/* A full buffer may end inside a pid: the next round has it. */
	if (got == (ssize_t)sizeof(buf) - 1)
		while (got > 0 && buf[got - 1] != ' ')
			got--;
	for (i = 0; i < (size_t)got && k < max; i++) {
		for (start = i; i < (size_t)got && buf[i] != ' '; i++)
			continue;
		if ((kids[k] = parse_pid(buf + start, i - start)) != 0)
			k++;
	}
	return k;
}

/* The children found by reading every /proc/PID/stat: their number, or
 * -1 when /proc cannot be read. */
static int
children_scan(pid_t *kids, int max)
{
	char		 dents[4096], path[64], stat[512];
	struct dirent64	*d;
	const char	*p, *name, *ppid;
	pid_t		 me = getpid();
	ssize_t		 n, r, off;
	size_t		 len, i;
	int		 dir, fd, k = 0;

	if ((dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	while (k < max && (n = getdents64(dir, dents, sizeof(dents))) > 0) {
		for (off = 0; off < n && k < max; off += d->d_reclen) {
			d = (struct dirent64 *)(void *)(dents + off);
			name = d->d_name;
			len = strlen(name);
			if (parse_pid(name, len) == 0 ||
			    len + sizeof("/proc//stat") > sizeof(path))
				continue;
			memcpy(path, "/proc/", 6);
			memcpy(path + 6, name, len);
			memcpy(path + 6 + len, "/stat", sizeof("/stat"));
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			r = read(fd, stat, sizeof(stat) - 1);
			close(fd);
			if (r <= 0)
				continue;
			/* "PID (COMM) STATE PPID ...": COMM may hold
			 * anything, so look after its last ')'. */
			for (p = NULL, i = 0; i < (size_t)r; i++)
				if (stat[i] == ')')
					p = stat + i;
			if (p == NULL || p + 4 >= stat + r)
				continue;
			ppid = p + 4;	/* past ") S " */
			for (i = 0; ppid + i < stat + r && ppid[i] != ' '; i++)
				continue;
			if (parse_pid(ppid, i) == me)
				kids[k++] = parse_pid(name, len);
		}
	}
	close(dir);
	return k;
}

/*
 * Kill everything below the keeper and reap it all: kill every child,
 * reap one, and again, until there are no children.  The dead pass their
 * own children to us (we are their subreaper), so each round reaches
 * further down; a fork racing with us only adds a child to the next
 * round.  The hook's group goes first, in one call, while the hook is
 * not reaped (its unreaped pid keeps the group's id from being reused).
 */
static void
kill_all(pid_t hook, int *status, int *ended)
{
	pid_t	 kids[KIDS_MAX], w;
	int	 n, i, st, blind = 0;

	if (!*ended)
		kill(-hook, SIGKILL);
	for (;;) {
		if ((n = children_file(kids, KIDS_MAX)) == -1 &&
		    (n = children_scan(kids, KIDS_MAX)) == -1)
			blind = 1;
		for (i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		/* Blind, only the dead can be reaped: do not wait on
		 * something we cannot kill. */
		if ((w = waitpid(-1, &st, blind ? WNOHANG : 0)) == -1 &&
		    errno == EINTR)
			continue;
		if (w <= 0)
			break;	/* ECHILD: nobody is left */
		if (w == hook) {
			*status = st;
			*ended = 1;
		}
	}
	/* Blind, the hook itself must still be reaped. */
	while (!*ended && (w = waitpid(hook, &st, 0)) != -1)
		if (w == hook) {
			*status = st;
			*ended = 1;
		}
}

/* In the hook, from the keeper's fork: become the program. */
static void __attribute__((noreturn))
exec_hook(const struct kargs *a)
{
	struct sigaction	 dfl;
	sigset_t		 none;
	int			 keep[4], s, e;

	setpgid(0, 0);
	if (dup2(a->in, STDIN_FILENO) == -1 ||
	    dup2(a->out, STDOUT_FILENO) == -1)
		goto fail;
	keep[0] = STDIN_FILENO;
	keep[1] = STDOUT_FILENO;
	keep[2] = STDERR_FILENO;
	keep[3] = a->err[1];
	close_others(keep, NITEMS(keep));
	/* Caught signals go back to their default at exec; ignored ones
	 * (SIGPIPE in palaver, SIGCHLD, whatever palaver was started with)
	 * would stay ignored.  The C library refuses its own few. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(a->prog, a->argv, a->envp);
fail:
	e = errno;
	while (write(a->err[1], &e, sizeof(e)) == -1 && errno == EINTR)
		continue;
	_exit(127);
}

/*
 * Start the hook: vfork, since the keeper is a single thread and the
 * hook's side only makes system calls until execve or _exit, so no page
 * tables are copied a second time.  A function of its own, so that no
 * variable of the keeper's lives across the vfork.  Returns the hook's
 * pid, or -1 with errno set.
 */
static pid_t __attribute__((noinline))
start_hook(const struct kargs *a)
{
	pid_t	 pid;

	if ((pid = vfork()) == 0)
		exec_hook(a);
	return pid;
}

/* The keeper, from palaver's fork. */
static void __attribute__((noreturn))
keeper_main(const struct kargs *a)
{
	struct sigaction	 sa;
	struct pollfd		 pfd;
	sigset_t		 all, wake;
	pid_t			 hook, w;
	ssize_t			 n;
	int			 keep[7], e = 0, st, status = 0, ended = 0;

	keep[0] = STDERR_FILENO;
	keep[1] = a->in;
	keep[2] = a->out;
	keep[3] = a->ctl;
	keep[4] = a->rep;
	keep[5] = a->err[0];
	keep[6] = a->err[1];
	close_others(keep, NITEMS(keep));
	/* Nothing but SIGCHLD, and that only in ppoll below; a report to a
	 * palaver that is gone is not worth dying of. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1 ||
	    (hook = start_hook(a)) == -1) {
		report(a->rep, REP_FAILED, errno);
		_exit(1);
	}
	close(a->in);
	close(a->out);
	close(a->err[1]);
	/* EOF: exec'd (the pipe is close-on-exec); else its errno. */
	do
		n = read(a->err[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close(a->err[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(hook, &st, 0) == -1 && errno == EINTR)
			continue;
		report(a->rep, REP_FAILED, e);
		_exit(0);
	}
	report(a->rep, REP_STARTED, hook);

	/* Until the hook exits, or palaver closes the control pipe. */
	sigfillset(&wake);
	sigdelset(&wake, SIGCHLD);
	pfd.fd = a->ctl;
	pfd.events = POLLIN;
	for (;;) {
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			if (w == hook) {
				status = st;
				ended = 1;
			}
		if (ended)
			break;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, &wake) > 0)
			break;
	}
	kill_all(hook, &status, &ended);
	report(a->rep, REP_ENDED, status);
	_exit(0);
}

/* --- in palaver ----------------------------------------------------------- */

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

int
keeper_pipe(int fds[2])
{
	int	 i, nfd, e;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		fds[0] = fds[1] = -1;
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (fds[i] > STDERR_FILENO)
			continue;
		if ((nfd = fcntl(fds[i], F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) ==
		    -1) {
			e = errno;
			close_fd(&fds[0]);
			close_fd(&fds[1]);
			errno = e;
			return -1;
		}
		close(fds[i]);
		fds[i] = nfd;
	}
	return 0;
}

/* Read one report: 1, 0 when there is none yet (non-blocking), -1 at EOF
 * (the keeper is gone) or on an error. */
static int
read_rep(int fd, struct rep *r)
{
	ssize_t	 n;

	do
		n = read(fd, r, sizeof(*r));
	while (n == -1 && errno == EINTR);
	if (n == (ssize_t)sizeof(*r))
		return 1;
	if (n == -1 && errno == EAGAIN)
		return 0;
	return -1;
}

/* Wait until a report can be read (EINTR: palaver wakes its threads). */
static int
read_rep_wait(int fd, struct rep *r)
{
	struct pollfd	 pfd;
	int		 rc;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while ((rc = read_rep(fd, r)) == 0)
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR &&
		    errno != EAGAIN)
			return -1;
	return rc;
}

static void
reap(struct keeper *k)
{
	/* ECHILD: SIGCHLD is ignored and the kernel reaped it. */
	while (k->pid > 0 && waitpid(k->pid, NULL, 0) == -1 &&
	    errno == EINTR)
		continue;
	k->pid = -1;
}

int
keeper_start(struct keeper *k, const char *prog, char *const argv[],
    char *const envp[], int child_in, int child_out)
{
	struct kargs	 a;
	struct rep	 r;
	int		 ctl[2] = { -1, -1 }, rep[2] = { -1, -1 };
	int		 err[2] = { -1, -1 }, rc, fl;

	memset(k, 0, sizeof(*k));
	k->pid = k->hook = -1;
	k->ctl = k->rep = -1;
	if (keeper_pipe(ctl) == -1 || keeper_pipe(rep) == -1 ||
	    keeper_pipe(err) == -1) {
		rc = errno;
		goto fail;
	}
	a.prog = prog;
	a.argv = argv;
	a.envp = envp;
	a.in = child_in;
	a.out = child_out;
	a.ctl = ctl[0];
	a.rep = rep[1];
	a.err[0] = err[0];
	a.err[1] = err[1];
	if ((k->pid = fork()) == -1) {
		rc = errno;
		goto fail;
	}
	if (k->pid == 0)
		keeper_main(&a);
	close_fd(&ctl[0]);
	close_fd(&rep[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	k->ctl = ctl[1];
	k->rep = rep[0];
	ctl[1] = rep[0] = -1;
	switch (read_rep_wait(k->rep, &r)) {
	case 1:
		if (r.kind == REP_STARTED) {
			k->hook = r.value;
			if ((fl = fcntl(k->rep, F_GETFL)) != -1 &&
			    fcntl(k->rep, F_SETFL, fl | O_NONBLOCK) != -1)
				return 0;
			rc = errno;
			keeper_stop(k);
			return rc;
		}
		rc = r.kind == REP_FAILED && r.value > 0 ? r.value : -1;
		break;
	default:
		rc = -1;
		break;
	}
	close_fd(&k->ctl);
	close_fd(&k->rep);
	reap(k);
	return rc;
fail:
	close_fd(&ctl[0]);
	close_fd(&ctl[1]);
	close_fd(&rep[0]);
	close_fd(&rep[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	k->pid = -1;
	return rc;
}

void
keeper_check(struct keeper *k)
{
	struct rep	 r;
	int		 rc;

	if (k->ended || k->lost || k->rep == -1)
		return;
	if ((rc = read_rep(k->rep, &r)) == 0)
		return;
	if (rc == 1 && r.kind == REP_ENDED) {
		k->ended = 1;
		k->status = r.value;
	} else
		k->lost = 1;
	close_fd(&k->rep);
}

void
keeper_stop(struct keeper *k)
{
	struct rep	 r;

	if (k->pid <= 0)
		return;
	close_fd(&k->ctl);	/* time is up, if it was not already over */
	if (!k->ended && !k->lost && k->rep != -1) {
		if (read_rep_wait(k->rep, &r) == 1 && r.kind == REP_ENDED) {
			k->ended = 1;
			k->status = r.value;
		} else
			k->lost = 1;
	}
	close_fd(&k->rep);
	reap(k);
}
