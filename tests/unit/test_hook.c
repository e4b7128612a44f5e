/* test_hook.c: hook_run against small hook scripts in tests/unit/hooks/ */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/hook.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define H(x)		"tests/unit/hooks/" x
#define MB		(1024 * 1024)
#define X10		"xxxxxxxxxx"
#define X40		X10 X10 X10 X10
#define E10		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" \
			"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
#define E40		E10 E10 E10 E10
#define NOTSCORE	"hook printed something that is not a score: "
#define PATHLANG	"/usr/local/bin:/usr/bin:/bin C.UTF-8"
/* Every hook that should finish at once must, even under ASan. */
#define QUICK_MS	3000
/* The limit rows that must time out are given. */
#define SHORT_MS	300

enum input {
	IN_NONE,	/* NULL, 0 */
	IN_LINE,	/* "hello world\n..." */
	IN_MB,		/* 1 MiB of every byte value, NULs included */
};

struct row {
	const char		*prog;
	const char		*arg;
	const char		*env[6];	/* NULL-terminated */
	enum input		 input;
	long			 timeout_ms;	/* 0: 5000 */
	enum hook_outcome	 want;
	double			 score;
	const char		*reason;
};

static const struct row rows[] = {
	/* Scores. */
	{ H("fine.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_OK, 0.2,
	    "looks fine" },
	{ H("one.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_OK, 1.0, "" },
	{ H("zero.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_OK, 0.0, "" },
	{ H("say.sh"), "0.7", { NULL }, IN_NONE, 0, HOOK_OK, 0.7, "" },
	{ H("say.sh"), "0.25\r\n", { NULL }, IN_NONE, 0, HOOK_OK, 0.25, "" },
	{ H("say.sh"), "  0.5 lead\n", { NULL }, IN_NONE, 0, HOOK_OK, 0.5,
	    "lead" },
	{ H("say.sh"), "0.5\tTabbed  reason \n", { NULL }, IN_NONE, 0,
	    HOOK_OK, 0.5, "Tabbed  reason" },
	{ H("say.sh"), ".5 dot\n", { NULL }, IN_NONE, 0, HOOK_OK, 0.5, "dot" },
	{ H("say.sh"), "1. x\n", { NULL }, IN_NONE, 0, HOOK_OK, 1.0, "x" },
	{ H("say.sh"), "1e-1 exp\n", { NULL }, IN_NONE, 0, HOOK_OK, 0.1,
	    "exp" },
	{ H("say.sh"), "1.000 \n", { NULL }, IN_NONE, 0, HOOK_OK, 1.0, "" },
	{ H("say.sh"), "0.9 first\n0.1 second\n", { NULL }, IN_NONE, 0,
	    HOOK_OK, 0.9, "first" },
	{ H("big_after.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_OK, 0.3,
	    "first" },

	/* Reasons are sanitised: controls, C1, bidi, bad UTF-8. */
	{ H("say.sh"), "0.4 a\tb\x01" "c\x1b[31md\x7f e \x01\n", { NULL },
	    IN_NONE, 0, HOOK_OK, 0.4, "a b c [31md  e" },
	{ H("say.sh"), "0.4 x\xc2\x85y\xe2\x80\xaez\xe2\x81\xa6!\r\n",
	    { NULL }, IN_NONE, 0, HOOK_OK, 0.4, "x y z !" },
	{ H("say.sh"), "0.4 \xff\xfeok \xc3\xa9 \xe2\x82\xac\n", { NULL },
	    IN_NONE, 0, HOOK_OK, 0.4, "??ok \xc3\xa9 \xe2\x82\xac" },
	{ H("say.sh"), "0.4 \xe2\x82\n", { NULL }, IN_NONE, 0, HOOK_OK, 0.4,
	    "??" },
	{ H("say.sh"), "0.4 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80\n",
	    { NULL }, IN_NONE, 0, HOOK_OK, 0.4, "??? ?? ????" },

	/* Not scores. */
	{ H("garbage.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "garbage" },
	{ H("nothing.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    "hook printed no score" },
	{ H("say.sh"), "", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    "hook printed no score" },
	{ H("say.sh"), "\n0.5\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    "hook printed no score" },
	{ H("say.sh"), " \t\r\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    "hook printed no score" },
	{ H("say.sh"), "1.5\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "1.5" },
	{ H("say.sh"), "-0.1\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "-0.1" },
	{ H("say.sh"), "-0\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "-0" },
	{ H("say.sh"), "+0.5\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "+0.5" },
	{ H("say.sh"), "nan\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "nan" },
	{ H("say.sh"), "inf\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "inf" },
	{ H("say.sh"), "0x1\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "0x1" },
	{ H("say.sh"), "0x0.8p0\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "0x0.8p0" },
	{ H("say.sh"), "0.5x\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "0.5x" },
	{ H("say.sh"), "0.5x looks fine\n", { NULL }, IN_NONE, 0,
	    HOOK_GARBAGE, 0, NOTSCORE "0.5x looks fine" },
	{ H("say.sh"), "0,5 comma\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "0,5 comma" },
	{ H("say.sh"), "1.0000001\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "1.0000001" },
	{ H("say.sh"), "1e1\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "1e1" },
	{ H("say.sh"), "1e\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "1e" },
	{ H("say.sh"), ".\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "." },
	{ H("say.sh"), "0.5.5\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "0.5.5" },
	{ H("say.sh"), "1e-99999 tiny\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE,
	    0, NOTSCORE "1e-99999 tiny" },
	{ H("say.sh"), "score: 0.5\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE "score: 0.5" },
	{ H("say.sh"), "bad\x1b[2Jscore\x07\n", { NULL }, IN_NONE, 0,
	    HOOK_GARBAGE, 0, NOTSCORE "bad [2Jscore" },
	{ H("say.sh"), X40 X10 X10 "\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE,
	    0, NOTSCORE X40 },
	{ H("say.sh"), E40 E10 "\n", { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE E40 },
	{ H("big_first.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_GARBAGE, 0,
	    NOTSCORE X40 },

	/* Failures. */
	{ H("exit3.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_FAILED, 0,
	    "hook exited with status 3" },
	{ H("segv.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_FAILED, 0,
	    "hook died of signal 11" },
	/* Blocked in every test thread, so this shows the mask is reset. */
	{ H("term_self.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_FAILED, 0,
	    "hook died of signal 15" },
	{ H("does-not-exist"), NULL, { NULL }, IN_NONE, 0, HOOK_FAILED, 0,
	    "hook could not start: No such file or directory" },
	{ "tests/unit/hooks", NULL, { NULL }, IN_NONE, 0, HOOK_FAILED, 0,
	    "hook could not start: Permission denied" },
	{ "", NULL, { NULL }, IN_NONE, 0, HOOK_FAILED, 0,
	    "hook could not start: no program named" },

	/* Deadlines. */
	{ H("sleep.sh"), NULL, { NULL }, IN_NONE, SHORT_MS, HOOK_TIMEOUT, 0,
	    "hook timed out after 300 ms" },
	{ H("trap_term.sh"), NULL, { NULL }, IN_NONE, SHORT_MS, HOOK_TIMEOUT,
	    0, "hook timed out after 300 ms" },
	{ H("close_stdout.sh"), NULL, { NULL }, IN_NONE, SHORT_MS,
	    HOOK_TIMEOUT, 0, "hook timed out after 300 ms" },
	{ H("flood.sh"), NULL, { NULL }, IN_NONE, SHORT_MS, HOOK_TIMEOUT, 0,
	    "hook timed out after 300 ms" },
	{ H("count.sh"), NULL, { "EXPECT=1048576", NULL }, IN_MB, -5,
	    HOOK_TIMEOUT, 0, "hook timed out after 0 ms" },

	/* Standard input arrives whole, or not at all without harm. */
	{ H("count.sh"), NULL, { "EXPECT=1048576", NULL }, IN_MB, 0, HOOK_OK,
	    0.5, "got 1048576" },
	{ H("count.sh"), NULL, { "EXPECT=0", NULL }, IN_NONE, 0, HOOK_OK, 0.5,
	    "got 0" },
	{ H("line.sh"), NULL, { NULL }, IN_LINE, 0, HOOK_OK, 0.1,
	    "hello world" },
	{ H("ignore_stdin.sh"), NULL, { NULL }, IN_MB, 0, HOOK_OK, 0.6,
	    "ignored" },

	/* Arguments, environment, signals. */
	{ H("arg.sh"), "submit-spam", { NULL }, IN_NONE, 0, HOOK_OK, 0.1,
	    "submit-spam" },
	{ H("arg.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_OK, 0.1, "" },
	{ H("arg.sh"), "two words; $(no shell)", { NULL }, IN_NONE, 0,
	    HOOK_OK, 0.1, "two words; $(no shell)" },
	{ H("env.sh"), NULL, { "FOO=bar", NULL }, IN_NONE, 0, HOOK_OK, 0.4,
	    "[bar] [] [] " PATHLANG },
	{ H("env.sh"), NULL, { NULL }, IN_NONE, 0, HOOK_OK, 0.4,
	    "[] [] [] " PATHLANG },
	{ H("env.sh"), NULL, { "PATH=/evil", "LANG=xx", "=nameless",
	    "noequals", "FOO=baz", NULL }, IN_NONE, 0, HOOK_OK, 0.4,
	    "[baz] [] [] " PATHLANG },
};

static char	*mb;		/* IN_MB */
static const char line_in[] = "hello world\nsecond line\n";

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
run_row(const struct row *r, struct hook_result *res, long long *ms)
{
	const char	*in = NULL;
	size_t		 len = 0;
	long long	 t0;

	if (r->input == IN_LINE) {
		in = line_in;
		len = sizeof(line_in) - 1;
	} else if (r->input == IN_MB) {
		in = mb;
		len = MB;
	}
	t0 = now_ms();
	hook_run(r->prog, r->arg, (char *const *)r->env, in, len,
	    r->timeout_ms != 0 ? r->timeout_ms : 5000, res);
	*ms = now_ms() - t0;
}

/* Compare a result with its row; print the row on a mismatch. */
static int
row_ok(size_t i, const struct hook_result *res)
{
	const struct row	*r = &rows[i];
	int			 ok;

	ok = res->outcome == r->want && strcmp(res->reason, r->reason) == 0 &&
	    strlen(res->reason) < sizeof(res->reason);
	if (r->want == HOOK_OK)
		ok = ok && res->score > r->score - 1e-9 &&
		    res->score < r->score + 1e-9 &&
		    WIFEXITED(res->status) && WEXITSTATUS(res->status) == 0;
	if (r->want == HOOK_TIMEOUT)
		ok = ok && WIFSIGNALED(res->status) &&
		    WTERMSIG(res->status) == SIGKILL;
	if (!ok)
		print_error("row %zu (%s %s): got %s %g \"%s\" status %d, "
		    "want %s %g \"%s\"\n", i, r->prog,
		    r->arg != NULL ? r->arg : "-",
		    hook_outcome_str(res->outcome), res->score, res->reason,
		    res->status, hook_outcome_str(r->want), r->score,
		    r->reason);
	return ok;
}

static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* --- every row, one at a time -------------------------------------------- */

static void
test_rows(void **state)
{
	struct hook_result	 res;
	long long		 ms;
	size_t			 i, bad = 0;
	int			 fds;

	(void)state;
	fds = count_fds();
	for (i = 0; i < NITEMS(rows); i++) {
		memset(&res, 0x5a, sizeof(res));
		run_row(&rows[i], &res, &ms);
		if (!row_ok(i, &res))
			bad++;
		if (rows[i].want == HOOK_TIMEOUT) {
			/* Killed at the deadline, not when the sleep ends. */
			if (ms < (rows[i].timeout_ms > 0 ?
			    rows[i].timeout_ms : 0) || ms > 2000) {
				print_error("row %zu: timed out after %lld "
				    "ms\n", i, ms);
				bad++;
			}
		} else if (ms > QUICK_MS) {
			print_error("row %zu: took %lld ms\n", i, ms);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	/* No descriptor (pipe, pidfd) left open, no child left unreaped. */
	assert_int_equal(count_fds(), fds);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* --- every row at once, from 16 threads ---------------------------------- */

#define NTHREADS	16
#define PASSES		2

struct shared {
	atomic_size_t		 next;
	struct hook_result	 res[PASSES * NITEMS(rows)];
};

static void *
rows_thread(void *arg)
{
	struct shared	*sh = arg;
	long long	 ms;
	size_t		 k;

	while ((k = atomic_fetch_add(&sh->next, 1)) < NITEMS(sh->res))
		run_row(&rows[k % NITEMS(rows)], &sh->res[k], &ms);
	return NULL;
}

static void
test_rows_parallel(void **state)
{
	struct shared	*sh;
	pthread_t	 th[NTHREADS];
	size_t		 i, bad = 0;
	long long	 t0, ms;

	(void)state;
	sh = calloc(1, sizeof(*sh));
	assert_non_null(sh);
	atomic_init(&sh->next, 0);
	t0 = now_ms();
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, rows_thread, sh),
		    0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	ms = now_ms() - t0;
	for (i = 0; i < NITEMS(sh->res); i++)
		if (!row_ok(i % NITEMS(rows), &sh->res[i]))
			bad++;
	free(sh);
	assert_int_equal(bad, 0);
	/* Serially the rows take about 3 s; at once, far less. */
	assert_true(ms < 10000);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

/* --- 8 slow hooks at once finish together -------------------------------- */

#define NSLEEPERS	8

static void *
sleeper_thread(void *arg)
{
	hook_run(H("sleep200.sh"), NULL, NULL, NULL, 0, 5000, arg);
	return NULL;
}

static void
test_sleepers_parallel(void **state)
{
	struct hook_result	 res[NSLEEPERS];
	pthread_t		 th[NSLEEPERS];
	long long		 t0, ms;
	size_t			 i;

	(void)state;
	t0 = now_ms();
	for (i = 0; i < NSLEEPERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, sleeper_thread,
		    &res[i]), 0);
	for (i = 0; i < NSLEEPERS; i++)
		pthread_join(th[i], NULL);
	ms = now_ms() - t0;
	for (i = 0; i < NSLEEPERS; i++) {
		assert_int_equal(res[i].outcome, HOOK_OK);
		assert_string_equal(res[i].reason, "slept");
	}
	/* One after another would be 1600 ms. */
	assert_true(ms >= 200);
	assert_true(ms < 1500);
}

/* --- palaver wakes its threads with SIGUSR1 (no SA_RESTART) -------------- */

static atomic_int	 wakes;

static void
on_wake(int sig)
{
	(void)sig;
	atomic_fetch_add(&wakes, 1);
}

struct woken {
	const struct row	*row;
	struct hook_result	 res;
	atomic_int		 done;
};

static void *
woken_thread(void *arg)
{
	struct woken	*w = arg;
	long long	 ms;

	run_row(w->row, &w->res, &ms);
	atomic_store(&w->done, 1);
	return NULL;
}

static void
test_interrupted(void **state)
{
	static const struct row	 slow = { H("sleep200.sh"), NULL,
	    { NULL }, IN_NONE, 0, HOOK_OK, 0.2, "slept" };
	static const struct row	 big = { H("count.sh"), NULL,
	    { "EXPECT=1048576", NULL }, IN_MB, 0, HOOK_OK, 0.5, "got 1048576" };
	const struct row	*which[] = { &slow, &big };
	struct woken		 w;
	pthread_t		 th;
	struct timespec		 tick = { 0, 2 * 1000 * 1000 };
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(which); i++) {
		memset(&w, 0, sizeof(w));
		w.row = which[i];
		atomic_init(&w.done, 0);
		atomic_store(&wakes, 0);
		assert_int_equal(pthread_create(&th, NULL, woken_thread, &w),
		    0);
		while (!atomic_load(&w.done)) {
			pthread_kill(th, SIGUSR1);
			nanosleep(&tick, NULL);
		}
		pthread_join(th, NULL);
		assert_true(atomic_load(&wakes) > 0);
		assert_int_equal(w.res.outcome, HOOK_OK);
		assert_string_equal(w.res.reason, which[i]->reason);
	}
}

/* --- reasons cut to fit, never inside a character ------------------------ */

static void
test_long_reason(void **state)
{
	static const struct {
		const char	*head;	/* before the repeated char */
		const char	*ch;
		size_t		 reps;
		size_t		 want;	/* bytes kept */
	} cuts[] = {
		{ "ab", "\xc3\xa9", 200, 254 },	/* é: 2 + 126 * 2 */
		{ "a", "\xc3\xa9", 200, 255 },		/* 1 + 127 * 2 */
		{ "", "\xe2\x82\xac", 100, 255 },	/* €: 85 * 3 */
		{ "a", "\xe2\x82\xac", 100, 253 },	/* 1 + 84 * 3 */
		{ "ab", "\xe2\x82\xac", 100, 254 },	/* 2 + 84 * 3 */
		{ "", "\xf0\x9f\x98\x80", 100, 252 },	/* 63 * 4 */
		{ "abc", "\xf0\x9f\x98\x80", 100, 255 },/* 3 + 63 * 4 */
		{ "", "x", 1000, 255 },
	};
	struct hook_result	 res;
	char			 arg[2048];
	size_t			 i, j, n, hl, cl;

	(void)state;
	for (i = 0; i < NITEMS(cuts); i++) {
		n = (size_t)snprintf(arg, sizeof(arg), "0.5 %s", cuts[i].head);
		cl = strlen(cuts[i].ch);
		for (j = 0; j < cuts[i].reps; j++, n += cl)
			memcpy(arg + n, cuts[i].ch, cl);
		memcpy(arg + n, "\n", 2);
		hook_run(H("say.sh"), arg, NULL, NULL, 0, 5000, &res);
		assert_int_equal(res.outcome, HOOK_OK);
		assert_int_equal(strlen(res.reason), cuts[i].want);
		/* The head, then whole characters only. */
		hl = strlen(cuts[i].head);
		assert_memory_equal(res.reason, cuts[i].head, hl);
		assert_int_equal((cuts[i].want - hl) % cl, 0);
		for (j = hl; j < cuts[i].want; j += cl)
			assert_memory_equal(res.reason + j, cuts[i].ch, cl);
	}
}

/* --- palaver's descriptors stay with palaver ----------------------------- */

static void
test_fds_not_inherited(void **state)
{
	struct hook_result	 res;
	struct rlimit		 rl;
	char			 fdsenv[64];
	char			*env[] = { fdsenv, NULL };
	int			 f, sv[2], p[2], hi;
	int			 want[4];
	size_t			 i;

	(void)state;
	/* Opened the way SQLite and libfcgi might: without O_CLOEXEC. */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	hi = rl.rlim_cur > 1000 ? 900 : (int)rl.rlim_cur - 1;
	f = open("tests/unit/test_hook.c", O_RDONLY);
	assert_true(f != -1);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	want[0] = dup2(f, 50);
	want[1] = dup2(sv[0], 300);
	want[2] = dup2(sv[1], 301);
	want[3] = dup2(p[1], hi);
	close(f);
	close(sv[0]);
	close(sv[1]);
	close(p[1]);
	snprintf(fdsenv, sizeof(fdsenv), "FDS=%d %d %d %d %d", want[0],
	    want[1], want[2], want[3], p[0]);
	for (i = 0; i < NITEMS(want); i++)
		assert_int_equal(fcntl(want[i], F_GETFD), 0);	/* !CLOEXEC */
	hook_run(H("fds.sh"), NULL, env, NULL, 0, 5000, &res);
	for (i = 0; i < NITEMS(want); i++)
		close(want[i]);
	close(p[0]);
	assert_int_equal(res.outcome, HOOK_OK);
	assert_string_equal(res.reason, "clean");
}

/* --- stderr is palaver's (its log) --------------------------------------- */

static void
test_stderr_inherited(void **state)
{
	struct hook_result	 res;
	char			 path[] = "/tmp/test_hook.XXXXXX", got[256];
	int			 fd, saved;
	ssize_t			 n;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd != -1);
	unlink(path);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	hook_run(H("stderr.sh"), NULL, NULL, NULL, 0, 5000, &res);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, got, sizeof(got) - 1, 0);
	close(fd);
	assert_true(n > 0);
	got[n] = '\0';
	assert_int_equal(res.outcome, HOOK_OK);
	assert_non_null(strstr(got, "hook-stderr-marker\n"));
}

/* --- the hook's signal state is a fresh process's ------------------------ */

static void
test_signals(void **state)
{
	struct hook_result	 res;
	unsigned long long	 blk, ign, internal;

	(void)state;
	/* The test threads ignore SIGPIPE, catch SIGUSR1 and block SIGTERM,
	 * SIGINT, SIGHUP and SIGCHLD (see main): none of it may show. */
	hook_run(H("sigs.sh"), NULL, NULL, NULL, 0, 5000, &res);
	assert_int_equal(res.outcome, HOOK_OK);
	assert_int_equal(sscanf(res.reason, "blk=%llx ign=%llx", &blk, &ign),
	    2);
	assert_int_equal(blk, 0);
	/*
	 * glibc's posix_spawn leaves its own two internal signals (32 and
	 * 33, below SIGRTMIN) ignored in the child on purpose, so that a
	 * cancellation aimed at the spawning thread cannot kill it; no
	 * public interface reaches them.  Every other signal is at its
	 * default.
	 */
	internal = 3ULL << 31;
	assert_int_equal(ign & ~internal, 0);
}

/* With SIGCHLD ignored the kernel reaps palaver's children itself: the
 * hook's status still comes, from its keeper, over a pipe. */
static void
test_sigchld_ignored(void **state)
{
	struct hook_result	 res;
	struct sigaction	 ign, old;

	(void)state;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGCHLD, &ign, &old);
	hook_run(H("fine.sh"), NULL, NULL, NULL, 0, 5000, &res);
	hook_run(H("exit3.sh"), NULL, NULL, NULL, 0, 5000, &res);
	assert_int_equal(res.outcome, HOOK_FAILED);
	assert_string_equal(res.reason, "hook exited with status 3");
	hook_run(H("fine.sh"), NULL, NULL, NULL, 0, 5000, &res);
	sigaction(SIGCHLD, &old, NULL);
	assert_int_equal(res.outcome, HOOK_OK);
	assert_string_equal(res.reason, "looks fine");
	assert_true(WIFEXITED(res.status) && WEXITSTATUS(res.status) == 0);
}

/* --- every process a hook starts dies with it ---------------------------- */

/*
 * Hooks that leave processes behind: in their process group, in a session
 * of their own (out of reach of a group kill), or daemonised by a double
 * fork (orphaned, so no longer below the hook at all).  Each writes the
 * pids of what it left, one file each, into $PIDDIR; when hook_run
 * returns, every one of them must be gone: killed and reaped, not even a
 * zombie.  The hooks that time out have written their pid files before
 * they sleep: the deadline leaves time for that even on a busy machine.
 */
#define ESC_MS		1000

static const struct escape {
	const char		*prog;
	long			 timeout_ms;
	enum hook_outcome	 want;
	const char		*reason;
	const char		*pids;		/* its pid files, one letter each */
} escapes[] = {
	/* Holds our stdout pipe open after the hook exits. */
	{ H("grandchild.sh"), QUICK_MS, HOOK_OK, "left a child", "a" },
	{ H("grandchild_sleep.sh"), ESC_MS, HOOK_TIMEOUT,
	    "hook timed out after 1000 ms", "a" },
	{ H("setsid_child.sh"), QUICK_MS, HOOK_OK, "left a session", "a" },
	{ H("setsid_stdout.sh"), QUICK_MS, HOOK_OK,
	    "left a session on stdout", "a" },
	{ H("setsid_sleep.sh"), ESC_MS, HOOK_TIMEOUT,
	    "hook timed out after 1000 ms", "a" },
	{ H("double_fork.sh"), QUICK_MS, HOOK_OK, "daemonised", "ab" },
	{ H("double_fork_sleep.sh"), ESC_MS, HOOK_TIMEOUT,
	    "hook timed out after 1000 ms", "ab" },
	/* A helper in its own session that the hook waits for lives until
	 * the hook is done (in parallel, whatever other hooks do). */
	{ H("setsid_helper.sh"), QUICK_MS, HOOK_OK, "from a helper", "a" },
};

/* Is pid still there (running, or a zombie nobody reaped)?  Says what it
 * is when it is. */
static int
lingers(int pid, const char *prog)
{
	char	 path[64], buf[256];
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	print_error("%s: pid %d is still there: %s", prog, pid, buf);
	return 1;
}

/* Run escapes[i] with its own $PIDDIR; 0 when all went as it should. */
static int
run_escape(size_t i)
{
	const struct escape	*e = &escapes[i % NITEMS(escapes)];
	struct hook_result	 res;
	char			 dir[] = "/tmp/test_hook.XXXXXX", env0[64];
	char			 path[96];
	char			*env[] = { env0, NULL };
	const char		*p;
	long long		 t0, ms;
	FILE			*f;
	int			 pid, bad = 0;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(env0, sizeof(env0), "PIDDIR=%s", dir);
	t0 = now_ms();
	hook_run(e->prog, NULL, env, NULL, 0, e->timeout_ms, &res);
	ms = now_ms() - t0;
	if (res.outcome != e->want || strcmp(res.reason, e->reason) != 0 ||
	    ms > e->timeout_ms + 1000 ||
	    (e->want == HOOK_TIMEOUT && ms < e->timeout_ms)) {
		print_error("%s: got %s \"%s\" after %lld ms, want %s \"%s\"\n",
		    e->prog, hook_outcome_str(res.outcome), res.reason, ms,
		    hook_outcome_str(e->want), e->reason);
		bad++;
	}
	for (p = e->pids; *p != '\0'; p++) {
		snprintf(path, sizeof(path), "%s/%c", dir, *p);
		if ((f = fopen(path, "r")) == NULL ||
		    fscanf(f, "%d", &pid) != 1) {
			print_error("%s: no pid in %s\n", e->prog, path);
			bad++;
		} else if (lingers(pid, e->prog))
			bad++;
		if (f != NULL)
			fclose(f);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/out", dir);
	unlink(path);
	if (rmdir(dir) == -1) {
		print_error("%s: %s: %s\n", e->prog, dir, strerror(errno));
		bad++;
	}
	return bad;
}

static void
test_descendants_killed(void **state)
{
	size_t	 i, bad = 0;
	int	 fds;

	(void)state;
	fds = count_fds();
	for (i = 0; i < NITEMS(escapes); i++)
		bad += (size_t)run_escape(i);
	assert_int_equal(bad, 0);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* All of them at once, several times over: what one hook's end kills is
 * its own, never another thread's hook or what that hook started. */
#define ESC_THREADS	8
#define ESC_RUNS	(3 * NITEMS(escapes))

struct esc_shared {
	atomic_size_t	 next;
	atomic_int	 bad;
};

static void *
escape_thread(void *arg)
{
	struct esc_shared	*sh = arg;
	size_t			 k;

	while ((k = atomic_fetch_add(&sh->next, 1)) < ESC_RUNS)
		atomic_fetch_add(&sh->bad, run_escape(k));
	return NULL;
}

static void
test_descendants_parallel(void **state)
{
	struct esc_shared	 sh;
	pthread_t		 th[ESC_THREADS];
	size_t			 i;
	int			 fds;

	(void)state;
	fds = count_fds();
	atomic_init(&sh.next, 0);
	atomic_init(&sh.bad, 0);
	for (i = 0; i < ESC_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, escape_thread,
		    &sh), 0);
	for (i = 0; i < ESC_THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&sh.bad), 0);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* --- files that cannot be run -------------------------------------------- */

static void
test_cannot_start(void **state)
{
	static const struct {
		const char	*name;
		const char	*text;
		mode_t		 mode;
		const char	*reason;
	} bad[] = {
		{ "noexec", "#!/bin/sh\necho 0.1\n", 0644,
		    "hook could not start: Permission denied" },
		{ "noshebang", "echo 0.1\n", 0755,
		    "hook could not start: Exec format error" },
		{ "badinterp", "#!/nonexistent/sh\necho 0.1\n", 0755,
		    "hook could not start: No such file or directory" },
	};
	struct hook_result	 res;
	char			 dir[] = "/tmp/test_hook.XXXXXX", path[96];
	FILE			*f;
	size_t			 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < NITEMS(bad); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[i].name);
		assert_non_null(f = fopen(path, "w"));
		fputs(bad[i].text, f);
		fclose(f);
		assert_int_equal(chmod(path, bad[i].mode), 0);
		memset(&res, 0x5a, sizeof(res));
		hook_run(path, NULL, NULL, NULL, 0, 5000, &res);
		assert_int_equal(res.outcome, HOOK_FAILED);
		assert_string_equal(res.reason, bad[i].reason);
		assert_int_equal(res.status, -1);
		unlink(path);
	}
	rmdir(dir);
}

static void
test_outcome_str(void **state)
{
	static const struct {
		enum hook_outcome	 o;
		const char		*want;
	} names[] = {
		{ HOOK_OK, "ok" },
		{ HOOK_TIMEOUT, "timeout" },
		{ HOOK_FAILED, "failed" },
		{ HOOK_GARBAGE, "garbage" },
		{ (enum hook_outcome)99, "unknown" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(names); i++)
		assert_string_equal(hook_outcome_str(names[i].o),
		    names[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_rows_parallel),
		cmocka_unit_test(test_sleepers_parallel),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_long_reason),
		cmocka_unit_test(test_fds_not_inherited),
		cmocka_unit_test(test_stderr_inherited),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_sigchld_ignored),
		cmocka_unit_test(test_descendants_killed),
		cmocka_unit_test(test_descendants_parallel),
		cmocka_unit_test(test_cannot_start),
		cmocka_unit_test(test_outcome_str),
	};
	struct sigaction	 sa;
	struct rlimit		 nocore = { 0, 0 };
	sigset_t		 set;
	size_t			 i;
	int			 rc;

	/* The signal state of a palaver worker thread: SIGPIPE ignored,
	 * SIGUSR1 caught without SA_RESTART, the rest blocked (and SIGCHLD,
	 * as the master blocks it before forking workers).  Every thread
	 * below inherits the mask. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* The SIGSEGV row must not leave a core file behind. */
	setrlimit(RLIMIT_CORE, &nocore);
	/* Must not reach any hook. */
	setenv("PALAVER_TEST_SECRET", "leaked", 1);
	setenv("HOME", "/leaked", 1);

	if ((mb = malloc(MB)) == NULL)
		return 1;
	for (i = 0; i < MB; i++)
		mb[i] = (char)(i * 7 % 251);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(mb);
	return rc;
}
