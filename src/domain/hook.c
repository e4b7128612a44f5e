/* hook.c: run an external program (the spam hook) safely, with a time limit */

/*
 * For posix_spawn_file_actions_addclosefrom_np (glibc 2.34) and
 * strerrordesc_np (glibc 2.32), both declared only under _GNU_SOURCE.
 */
#define _GNU_SOURCE

#include <sys/types.h>
#include <sys/pidfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"
#include "domain/hook.h"

/*
 * How a hook runs, and why:
 *
 * - posix_spawn, never fork: the caller is one of many threads, and a
 *   forked copy of a threaded process may only call async-signal-safe
 *   functions.  glibc's posix_spawn is a vfork-style clone that execs at
 *   once, and it reports an exec failure (ENOENT, EACCES, ENOEXEC) as its
 *   return value, having reaped the failed child itself.
 * - The hook leads its own process group, so one kill(-pgid, SIGKILL)
 *   takes it and everything it started (unless that called setsid).
 * - Its signal mask is emptied: worker threads block SIGTERM, SIGINT and
 *   SIGHUP (and the master SIGCHLD), and a mask survives exec.  Signals
 *   palaver ignores (SIGPIPE) or catches (SIGUSR1) go back to default.
 *   (glibc itself leaves its two internal signals, 32 and 33, ignored in
 *   the child, on purpose and out of reach; nothing may use them.)
 * - Descriptors: stdin and stdout are pipes, stderr is palaver's own (the
 *   log).  Everything else is closed in the child by a closefrom(3) file
 *   action, which runs after the two dup2 actions and uses close_range(2).
 *   Not everything palaver holds is O_CLOEXEC (the listening socket it
 *   inherits as fd 0 or 3, libfcgi's connections), and adding a close
 *   action per descriptor found in /proc/self/fd would race with other
 *   threads opening descriptors between the scan and the spawn.  Our
 *   pipes are O_CLOEXEC from birth as well, so that no other exec in the
 *   process can carry one off either (a stray copy of a hook's stdin
 *   would keep it from ever reaching EOF).
 * - The parent's ends of the pipes are non-blocking and served by one
 *   poll() loop, so a hook that never reads its input, or never stops
 *   writing, cannot wedge us; the loop always ends at the deadline.
 * - The hook's exit is watched with a pidfd (Linux 5.3; a 10 ms tick
 *   otherwise) and seen with WNOWAIT: while the hook is an unreaped zombie
 *   its pid, and so its process group id, cannot be reused, and killing
 *   the group then reaches only what the hook left behind.  Leftovers are
 *   always killed: a hook may not leave processes running under palaver's
 *   name, nor hold our read end open with a background child.
 * - Only this hook's pid (and group) is ever waited for: other threads run
 *   other hooks at the same time, so never waitpid(-1).
 *
 * Nothing here logs: res->reason says what happened and the caller logs
 * it once, with the comment it was about.
 */

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define HOOK_ENV_PATH	"PATH=/usr/local/bin:/usr/bin:/bin"
#define HOOK_ENV_LANG	"LANG=C.UTF-8"
/* Without a pidfd, look for the hook's exit this often. */
#define EXIT_TICK_MS	10
/* Reads per trip round the loop, so a flood of output cannot keep us
 * from looking at the clock. */
#define READS_PER_POLL	16
/* How much of an unparseable line goes into the reason. */
#define GARBAGE_CHARS	40

static const char *const outcomes[] = {
	[HOOK_OK] = "ok",
	[HOOK_TIMEOUT] = "timeout",
	[HOOK_FAILED] = "failed",
	[HOOK_GARBAGE] = "garbage",
};

/* Signals that must be at their default in the hook. */
static const int default_sigs[] = {
	SIGPIPE,	/* palaver ignores it; a hook in a pipeline needs it */
	SIGTERM, SIGINT, SIGHUP,
	SIGUSR1,	/* palaver's wake-up signal */
	SIGCHLD,	/* if ignored, the hook could not wait for children */
};

enum pump {
	PUMP_DONE,	/* the hook exited and its stdout reached EOF */
	PUMP_DEADLINE,	/* time is up */
	PUMP_ERROR,	/* poll failed (errno) */
};

/* One run of a hook: everything the cleanup must undo. */
struct run {
	pid_t		 pid;		/* the hook, or -1 */
	int		 reaped;	/* pid has been waited for */
	int		 exited;	/* a zombie now, its group killed */
	int		 lost;		/* reaped elsewhere (SIGCHLD ignored) */
	int		 status;	/* the wait status, once reaped */
	int		 in;		/* our end of its stdin, or -1 */
	int		 out;		/* our end of its stdout, or -1 */
	int		 pidfd;		/* readable when it exits, or -1 */
	const char	*input;
	size_t		 len;
	size_t		 off;		/* input written so far */
	size_t		 have;		/* bytes of output kept */
	char		 buf[HOOK_OUTPUT_MAX];
};

static void	say(struct hook_result *, enum hook_outcome, const char *,
		    ...) __attribute__((format(printf, 3, 4)));

static void
say(struct hook_result *res, enum hook_outcome o, const char *fmt, ...)
{
	va_list	 ap;

	res->outcome = o;
	va_start(ap, fmt);
	/* Cut when too long: every part is short or was cut to fit. */
	if (vsnprintf(res->reason, sizeof(res->reason), fmt, ap) < 0)
		(void)snprintf(res->reason, sizeof(res->reason),
		    "hook: outcome %s", hook_outcome_str(o));
	va_end(ap);
}

static const char *
errstr(int e)
{
	const char	*s;

	/* strerrordesc_np, unlike strerror, needs no buffer: thread-safe. */
	if ((s = strerrordesc_np(e)) == NULL)
		s = "unknown error";
	return s;
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
close_fd(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

/* --- text: the hook's words, made safe to store and show ------------------ */


/* A character that must not reach a log line or a moderator's screen:
 * C0 and C1 controls, DEL, line and paragraph separators, and the bidi
 * overrides that can make text read differently from what it is. */
static int
is_unsafe(const unsigned char *s, size_t len)
{
	if (len == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	if (len == 2)
		return s[0] == 0xc2 && s[1] <= 0x9f;
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x80)
		return s[2] >= 0xa8 && s[2] <= 0xae;	/* U+2028..U+202E */
	if (len == 3 && s[0] == 0xe2 && s[1] == 0x81)
		return s[2] >= 0xa6 && s[2] <= 0xa9;	/* U+2066..U+2069 */
	return 0;
}

/*
 * Sanitise s[0..n) in place: unsafe characters become one space, bytes
 * that are not UTF-8 become '?', and spaces at either end go.  The text
 * only shrinks.  Returns the new length; s is then valid UTF-8.
 */
static size_t
clean(char *s, size_t n)
{
	unsigned char	*u = (unsigned char *)s;
	size_t		 i = 0, o = 0, l, start;
	uint32_t	 cp;

	while (i < n) {
		if ((l = utf8_decode(s + i, n - i, &cp)) == 0) {
			u[o++] = '?';
			i++;
		} else if (is_unsafe(u + i, l)) {
			u[o++] = ' ';
			i += l;
		} else {
			memmove(u + o, u + i, l);
			o += l;
			i += l;
		}
	}
	while (o > 0 && u[o - 1] == ' ')
		o--;
	for (start = 0; start < o && u[start] == ' '; start++)
		continue;
	memmove(u, u + start, o - start);
	return o - start;
}

/*
 * Copy valid UTF-8 s[0..n) into dst (size bytes, NUL-terminated), at most
 * maxchars characters, never cutting inside a character.
 */
static void
copy_cut(char *dst, size_t size, const char *s, size_t n, size_t maxchars)
{
	size_t	 i = utf8_prefix(s, n, maxchars);

	/* Never cut inside a character to fit dst either. */
	if (i > size - 1)
		for (i = size - 1; i > 0 &&
		    ((unsigned char)s[i] & 0xc0) == 0x80; i--)
			continue;
	memcpy(dst, s, i);
	dst[i] = '\0';
}

/* A plain decimal: digits with an optional point and exponent.  This is
 * what strtod must not be trusted with alone: it also takes "nan",
 * "inf", hex, signs and leading space. */
static int
is_decimal(const char *s, size_t n)
{
	size_t	 i = 0, digits = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (digits = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0)
			return 0;
	}
	return i == n;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Judge the first line of what a hook that exited 0 printed. */
static void
judge(struct hook_result *res, const char *out, size_t have)
{
	char		 line[HOOK_OUTPUT_MAX + 1];
	const char	*nl;
	char		*end, sep;
	size_t		 n, s, tok, r;
	double		 v;

	n = (nl = memchr(out, '\n', have)) != NULL ? (size_t)(nl - out) : have;
	memcpy(line, out, n);
	line[n] = '\0';
	while (n > 0 && is_blank(line[n - 1]))
		n--;
	for (s = 0; s < n && is_blank(line[s]); s++)
		continue;
	if (s == n) {
		say(res, HOOK_GARBAGE, "hook printed no score");
		return;
	}
	for (tok = s; tok < n && line[tok] != ' ' && line[tok] != '\t'; tok++)
		continue;
	if (is_decimal(line + s, tok - s)) {
		sep = line[tok];
		line[tok] = '\0';
		errno = 0;
		/* strtod reads the point by LC_NUMERIC: palaver keeps "C". */
		v = strtod(line + s, &end);
		if (end == line + tok && errno == 0 && v >= 0.0 && v <= 1.0) {
			res->outcome = HOOK_OK;
			res->score = v;
			r = tok < n ? tok + 1 : n;
			copy_cut(res->reason, sizeof(res->reason), line + r,
			    clean(line + r, n - r), SIZE_MAX);
			return;
		}
		line[tok] = sep;
	}
	n = clean(line + s, n - s);
	say(res, HOOK_GARBAGE, "hook printed something that is not a score: ");
	r = strlen(res->reason);
	copy_cut(res->reason + r, sizeof(res->reason) - r, line + s, n,
	    GARBAGE_CHARS);
}

/* --- processes ----------------------------------------------------------- */

/* Move a descriptor above 2, so the dup2 file actions onto 0 and 1 can
 * never clobber each other, whatever palaver has closed. */
static int
lift(int *fd)
{
	int	 nfd;

	if (*fd > STDERR_FILENO)
		return 0;
	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) == -1)
		return -1;
	close(*fd);
	*fd = nfd;
	return 0;
}

/* The two pipes, O_CLOEXEC, ours non-blocking (the hook's stay blocking:
 * O_NONBLOCK belongs to each end's open file description). */
static int
pipes(int in[2], int out[2])
{
	int	 i, fl;

	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		if (lift(&in[i]) == -1 || lift(&out[i]) == -1)
			return -1;
	if ((fl = fcntl(in[1], F_GETFL)) == -1 ||
	    fcntl(in[1], F_SETFL, fl | O_NONBLOCK) == -1 ||
	    (fl = fcntl(out[0], F_GETFL)) == -1 ||
	    fcntl(out[0], F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	return 0;
}

/* PATH, LANG, then the caller's NAME=value strings (ones without a name
 * or that would override PATH or LANG are left out).  The array is ours,
 * the strings are borrowed.  NULL when out of memory. */
static char **
env_new(char *const env[])
{
	char	**envp;
	size_t	  n = 0, i, j = 0;
	const char *eq;

	while (env != NULL && env[n] != NULL)
		n++;
	if (n > SIZE_MAX / sizeof(*envp) - 3)
		return NULL;
	if ((envp = calloc(n + 3, sizeof(*envp))) == NULL)
		return NULL;
	/* posix_spawn takes char *const[] but never writes to it. */
	envp[j++] = (char *)HOOK_ENV_PATH;
	envp[j++] = (char *)HOOK_ENV_LANG;
	for (i = 0; i < n; i++) {
		if ((eq = strchr(env[i], '=')) == NULL || eq == env[i] ||
		    strncmp(env[i], "PATH=", 5) == 0 ||
		    strncmp(env[i], "LANG=", 5) == 0)
			continue;
		envp[j++] = env[i];
	}
	envp[j] = NULL;
	return envp;
}

/* Start prog with child_in and child_out as its stdin and stdout.
 * Returns 0 and sets r->pid, or an errno value. */
static int
spawn(struct run *r, const char *const argv[], char *const envp[],
    int child_in, int child_out)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 at;
	sigset_t			 none, dfl;
	int				 fa_ok = 0, at_ok = 0, rc;
	size_t				 i;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (i = 0; i < NITEMS(default_sigs); i++)
		sigaddset(&dfl, default_sigs[i]);

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		goto out;
	fa_ok = 1;
	if ((rc = posix_spawnattr_init(&at)) != 0)
		goto out;
	at_ok = 1;
	if ((rc = posix_spawn_file_actions_adddup2(&fa, child_in,
	    STDIN_FILENO)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, child_out,
	    STDOUT_FILENO)) != 0 ||
	    (rc = posix_spawn_file_actions_addclosefrom_np(&fa,
	    STDERR_FILENO + 1)) != 0)
		goto out;
	if ((rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) != 0 ||
	    (rc = posix_spawnattr_setpgroup(&at, 0)) != 0 ||
	    (rc = posix_spawnattr_setsigmask(&at, &none)) != 0 ||
	    (rc = posix_spawnattr_setsigdefault(&at, &dfl)) != 0)
		goto out;
	/* posix_spawn takes char *const[] but never writes to it. */
	if ((rc = posix_spawn(&r->pid, argv[0], &fa, &at,
	    (char *const *)(uintptr_t)argv, envp)) != 0)
		r->pid = -1;
out:
	if (at_ok)
		posix_spawnattr_destroy(&at);
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Write what the hook's stdin takes now; close it when all is written or
 * the hook stopped reading (EPIPE: not a failure by itself). */
static void
feed(struct run *r)
{
	ssize_t	 w;

	while (r->off < r->len) {
		if ((w = write(r->in, r->input + r->off, r->len - r->off)) > 0)
			r->off += (size_t)w;
		else if (w == -1 && errno == EINTR)
			continue;
		else if (w == -1 && errno == EAGAIN)
			return;
		else
			break;
	}
	close_fd(&r->in);
}

/* Read what the hook printed: the first HOOK_OUTPUT_MAX bytes are kept,
 * the rest read and dropped so the hook never blocks on a full pipe. */
static void
drain(struct run *r)
{
	char	 junk[4096];
	ssize_t	 n;
	int	 i;

	for (i = 0; i < READS_PER_POLL; i++) {
		if (r->have < sizeof(r->buf))
			n = read(r->out, r->buf + r->have,
			    sizeof(r->buf) - r->have);
		else
			n = read(r->out, junk, sizeof(junk));
		if (n > 0) {
			if (r->have < sizeof(r->buf))
				r->have += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		close_fd(&r->out);	/* EOF, or an error that is as good */
		return;
	}
}

/* Has the hook exited?  If so, leave it a zombie (its pid keeps the group
 * id from being reused) and kill what it left behind in its group. */
static void
check_exit(struct run *r)
{
	siginfo_t	 si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)r->pid, &si,
	    WEXITED | WNOHANG | WNOWAIT) == -1) {
		if (errno == EINTR)
			return;
		/* ECHILD: reaped behind our back (SIGCHLD set to SIG_IGN).
		 * Its group id may be anyone's now: do not kill it. */
		r->exited = r->reaped = r->lost = 1;
	} else if (si.si_pid != r->pid)
		return;
	else {
		r->exited = 1;
		kill(-r->pid, SIGKILL);
	}
	close_fd(&r->pidfd);
	close_fd(&r->in);
}

/* Feed the hook and read it until it has exited and its stdout is at EOF,
 * or until the deadline. */
static enum pump
pump(struct run *r, long long deadline)
{
	struct pollfd	 pfd[3];
	nfds_t		 n;
	long long	 left;
	int		 wait_ms, i_in, i_out, i_pid;

	for (;;) {
		if (r->exited && r->out == -1)
			return PUMP_DONE;
		if ((left = deadline - now_ms()) <= 0)
			return PUMP_DEADLINE;
		wait_ms = left > INT_MAX ? INT_MAX : (int)left;
		n = 0;
		i_in = i_out = i_pid = -1;
		if (r->in != -1) {
			pfd[n].fd = r->in;
			pfd[n].events = POLLOUT;
			i_in = (int)n++;
		}
		if (r->out != -1) {
			pfd[n].fd = r->out;
			pfd[n].events = POLLIN;
			i_out = (int)n++;
		}
		if (!r->exited && r->pidfd != -1) {
			pfd[n].fd = r->pidfd;
			pfd[n].events = POLLIN;
			i_pid = (int)n++;
		} else if (!r->exited && wait_ms > EXIT_TICK_MS)
			wait_ms = EXIT_TICK_MS;
		if (poll(pfd, n, wait_ms) == -1) {
			/* EINTR: palaver wakes its threads with SIGUSR1. */
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return PUMP_ERROR;
		}
		if (i_in != -1 && pfd[i_in].revents != 0)
			feed(r);
		if (i_out != -1 && pfd[i_out].revents != 0)
			drain(r);
		if (!r->exited && (i_pid == -1 || pfd[i_pid].revents != 0))
			check_exit(r);
	}
}

/* Kill the hook's group if it is still running, reap the hook, and reap
 * any of its group that became our children. */
static void
finish(struct run *r)
{
	pid_t	 w;

	if (!r->exited && kill(-r->pid, SIGKILL) == -1 && errno != ESRCH)
		kill(r->pid, SIGKILL);
	while (!r->reaped) {
		if ((w = waitpid(r->pid, &r->status, 0)) == r->pid)
			r->reaped = 1;
		else if (w == -1 && errno != EINTR) {
			r->reaped = r->lost = 1;
			break;
		}
	}
	/*
	 * A process the hook started becomes ours only if palaver is a
	 * child subreaper; the group was killed, so this collects the ones
	 * already dead.  (Its id could name a new group only once every
	 * member is gone and the pid space has wrapped.)
	 */
	if (!r->lost)
		while (waitpid(-r->pid, NULL, WNOHANG) > 0)
			continue;
}

void
hook_run(const char *prog, const char *arg, char *const env[],
    const char *input, size_t len, long timeout_ms, struct hook_result *res)
{
	const char	*argv[3];

	argv[0] = prog;
	argv[1] = arg;		/* NULL ends the list early */
	argv[2] = NULL;
	hook_run_argv(argv, env, input, len, timeout_ms, res);
}

void
hook_run_argv(const char *const argv[], char *const env[], const char *input,
    size_t len, long timeout_ms, struct hook_result *res)
{
	const char	*prog = argv[0];
	struct run	 r;
	char		**envp = NULL;
	int		 in[2] = { -1, -1 }, out[2] = { -1, -1 }, rc;
	long long	 deadline;
	long		 limit;
	enum pump	 how;

	/* The clock starts now; a day is more than any hook may take. */
	limit = timeout_ms < 0 ? 0 : timeout_ms > 86400000L ? 86400000L :
	    timeout_ms;
	deadline = now_ms() + limit;
	memset(res, 0, sizeof(*res));
	res->status = -1;
	memset(&r, 0, sizeof(r));
	r.pid = -1;
	r.in = r.out = r.pidfd = -1;
	r.input = input;
	r.len = input != NULL ? len : 0;

	if (prog == NULL || *prog == '\0') {
		say(res, HOOK_FAILED, "hook could not start: no program named");
		goto out;
	}
	if ((envp = env_new(env)) == NULL) {
		say(res, HOOK_FAILED, "hook could not start: %s",
		    errstr(ENOMEM));
		goto out;
	}
	if (pipes(in, out) == -1) {
		say(res, HOOK_FAILED, "hook could not start: %s",
		    errstr(errno));
		goto out;
	}
	if ((rc = spawn(&r, argv, envp, in[0], out[1])) != 0) {
		say(res, HOOK_FAILED, "hook could not start: %s", errstr(rc));
		goto out;
	}
	/* Only the hook may hold these, or EOF would never come. */
	close_fd(&in[0]);
	close_fd(&out[1]);
	r.in = in[1];
	r.out = out[0];
	in[1] = out[0] = -1;
	r.pidfd = pidfd_open(r.pid, 0);	/* -1: watch with a tick */

	how = pump(&r, deadline);
	if (how == PUMP_ERROR)
		rc = errno;
	finish(&r);
	if (!r.lost)
		res->status = r.status;

	if (how == PUMP_DEADLINE)
		say(res, HOOK_TIMEOUT, "hook timed out after %ld ms", limit);
	else if (how == PUMP_ERROR)
		say(res, HOOK_FAILED, "hook could not be watched: %s",
		    errstr(rc));
	else if (r.lost)
		say(res, HOOK_FAILED, "hook's exit status was lost "
		    "(is SIGCHLD ignored?)");
	else if (WIFSIGNALED(r.status))
		say(res, HOOK_FAILED, "hook died of signal %d",
		    WTERMSIG(r.status));
	else if (!WIFEXITED(r.status))
		say(res, HOOK_FAILED, "hook ended with wait status %d",
		    r.status);
	else if (WEXITSTATUS(r.status) != 0)
		say(res, HOOK_FAILED, "hook exited with status %d",
		    WEXITSTATUS(r.status));
	else
		judge(res, r.buf, r.have);
out:
	close_fd(&r.pidfd);
	close_fd(&r.in);
	close_fd(&r.out);
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	free(envp);
}

const char *
hook_outcome_str(enum hook_outcome o)
{
	if ((size_t)o >= NITEMS(outcomes) || outcomes[o] == NULL)
		return "unknown";
	return outcomes[o];
}
