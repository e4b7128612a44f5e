/* hook.c: run an external program (the spam hook) safely, with a time limit */

/* For strerrordesc_np (glibc 2.32), declared only under _GNU_SOURCE. */
#define _GNU_SOURCE

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"
#include "domain/hook.h"
#include "domain/hook_keeper.h"

/*
 * How a hook runs, and why:
 *
 * - Under a keeper (hook_keeper.c): a process of ours that starts the
 *   hook and is its subreaper, so that everything the hook starts stays
 *   below it, even in a session of its own or daemonised by a double
 *   fork.  When the hook has exited, or at the deadline, the keeper kills
 *   and reaps all of it, and reports the hook's wait status over a pipe.
 *   Leftovers are always killed: a hook may not leave processes running
 *   under palaver's name, nor hold our read end open with a background
 *   child.  We wait only for our own keeper, by pid: other threads run
 *   other hooks at the same time, so never waitpid(-1).  The status
 *   comes over the pipe, so it survives SIGCHLD being ignored.
 * - The hook leads its own process group, has an empty signal mask
 *   (worker threads block SIGTERM, SIGINT and SIGHUP, the master SIGCHLD,
 *   and a mask survives exec) and every signal at its default (palaver
 *   ignores SIGPIPE and catches SIGUSR1).
 * - Descriptors: stdin and stdout are pipes, stderr is palaver's own (the
 *   log), everything else is closed before the exec.  Not everything
 *   palaver holds is O_CLOEXEC (the listening socket it inherits as fd 0
 *   or 3, libfcgi's connections).  Our pipes are O_CLOEXEC from birth as
 *   well, so that no other exec in the process can carry one off (a stray
 *   copy of a hook's stdin would keep it from ever reaching EOF).
 * - The parent's ends of the pipes are non-blocking and served by one
 *   poll() loop, with the keeper's report pipe, so a hook that never
 *   reads its input, or never stops writing, cannot wedge us; the loop
 *   always ends at the deadline.
 *
 * Nothing here logs: res->reason says what happened and the caller logs
 * it once, with the comment it was about.
 */

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define HOOK_ENV_PATH	"PATH=/usr/local/bin:/usr/bin:/bin"
#define HOOK_ENV_LANG	"LANG=C.UTF-8"
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

enum pump {
	PUMP_DONE,	/* the hook exited and its stdout reached EOF */
	PUMP_DEADLINE,	/* time is up */
	PUMP_ERROR,	/* poll failed (errno) */
};

/* One run of a hook: everything the cleanup must undo. */
struct run {
	struct keeper	 k;		/* the keeper; k.pid -1 when none */
	int		 in;		/* our end of its stdin, or -1 */
	int		 out;		/* our end of its stdout, or -1 */
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

/* The two pipes (O_CLOEXEC, above stderr), ours non-blocking (the hook's
 * stay blocking: O_NONBLOCK belongs to each end's open file
 * description). */
static int
pipes(int in[2], int out[2])
{
	int	 fl;

	if (keeper_pipe(in) == -1 || keeper_pipe(out) == -1)
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
	/* execve takes char *const[] but never writes to it. */
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

/* Feed the hook and read it until it has exited (with all it started)
 * and its stdout is at EOF, or until the deadline. */
static enum pump
pump(struct run *r, long long deadline)
{
	struct pollfd	 pfd[3];
	nfds_t		 n;
	long long	 left;
	int		 wait_ms, i_in, i_out, i_rep, ended;

	for (;;) {
		ended = r->k.ended || r->k.lost;
		if (ended && r->out == -1)
			return PUMP_DONE;
		if ((left = deadline - now_ms()) <= 0)
			return PUMP_DEADLINE;
		wait_ms = left > INT_MAX ? INT_MAX : (int)left;
		n = 0;
		i_in = i_out = i_rep = -1;
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
		if (!ended) {
			pfd[n].fd = r->k.rep;
			pfd[n].events = POLLIN;
			i_rep = (int)n++;
		}
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
		if (i_rep != -1 && pfd[i_rep].revents != 0) {
			keeper_check(&r->k);
			/* Gone: it reads nothing more. */
			if (r->k.ended || r->k.lost)
				close_fd(&r->in);
		}
	}
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
	r.k.pid = -1;
	r.in = r.out = -1;
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
	/* execve takes char *const[] but never writes to it. */
	if ((rc = keeper_start(&r.k, prog, (char *const *)(uintptr_t)argv,
	    envp, in[0], out[1])) != 0) {
		if (rc == -1)
			say(res, HOOK_FAILED, "hook could not start: its "
			    "keeper process died");
		else
			say(res, HOOK_FAILED, "hook could not start: %s",
			    errstr(rc));
		goto out;
	}
	/* Only the hook may hold these, or EOF would never come. */
	close_fd(&in[0]);
	close_fd(&out[1]);
	r.in = in[1];
	r.out = out[0];
	in[1] = out[0] = -1;

	how = pump(&r, deadline);
	if (how == PUMP_ERROR)
		rc = errno;
	/* At the deadline, this kills it all; else it has ended. */
	keeper_stop(&r.k);
	if (r.k.ended)
		res->status = r.k.status;

	if (how == PUMP_DEADLINE)
		say(res, HOOK_TIMEOUT, "hook timed out after %ld ms", limit);
	else if (how == PUMP_ERROR)
		say(res, HOOK_FAILED, "hook could not be watched: %s",
		    errstr(rc));
	else if (!r.k.ended)
		say(res, HOOK_FAILED, "hook's exit status was lost (its "
		    "keeper process died)");
	else if (WIFSIGNALED(r.k.status))
		say(res, HOOK_FAILED, "hook died of signal %d",
		    WTERMSIG(r.k.status));
	else if (!WIFEXITED(r.k.status))
		say(res, HOOK_FAILED, "hook ended with wait status %d",
		    r.k.status);
	else if (WEXITSTATUS(r.k.status) != 0)
		say(res, HOOK_FAILED, "hook exited with status %d",
		    WEXITSTATUS(r.k.status));
	else
		judge(res, r.buf, r.have);
out:
	keeper_stop(&r.k);
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
