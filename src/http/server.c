/* server.c: the FastCGI responder: supervisor, workers, thread pools */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "auth/auth.h"
#include "http/cache.h"
#include "core/config.h"
#include "http/httpio.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/stage.h"
#include "http/router.h"
#include "http/server.h"
#include "domain/sender.h"
#include "domain/spam.h"
#include "store/store.h"
#include "domain/writer.h"

/* How long the supervisor waits for workers to finish at shutdown before
 * it kills them: in-flight requests take milliseconds, a spam hook at most
 * hook_timeout_ms. */
#define STOP_GRACE_SEC	30

struct worker_thread {
	pthread_t		 tid;
	atomic_int		 idle;	/* blocked waiting for a request */
	atomic_int		 done;
	int			 started;
};

static atomic_int	 stopping;
static int		 listen_fd = -1;
/* The web layer's router, given to server_run. */
static void		(*dispatch)(struct req *, struct resp *);

static long long
now_usec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
on_wake(int sig)
{
	(void)sig;	/* only here to interrupt a blocking call */
}

/* --- one worker thread --------------------------------------------------- */

struct thread_arg {
	const struct config	*cfg;
	struct worker_thread	*self;
	struct writer		*writer;
};

/* A body buffer this big or smaller is kept for the thread's next request:
 * a thread page grows one to 64 KiB, doubling from 256 bytes, each time
 * anew (nine reallocs, each a copy) when it is not kept. */
#define BODY_KEEP	(256 * 1024)

static void
serve_one(FCGX_Request *fr, struct ctx *ctx)
{
	struct req	 rq;
	struct resp	 r;
	long long	 t0 = now_usec();
	enum status	 st;
	char		 stages[256];

	stage_begin();
	memset(&r, 0, sizeof(r));
	r.status = 200;
	r.body = ctx->body;
	buf_reset(&r.body);
	memset(&ctx->body, 0, sizeof(ctx->body));
	st = http_req_init(&rq, fr, ctx);
	if (st == ST_NOMEM) {
		r.status = 500;
		r.ctype = "text/plain; charset=utf-8";
		buf_puts(&r.body, "Internal Server Error\n");
	} else if (st != ST_OK)
		http_error(&rq, &r, st == ST_TOOBIG ? 413 : 400,
		    _("The query string is malformed."));
	else
		dispatch(&rq, &r);
	if (http_resp_send(fr, &r, rq.method == M_HEAD || r.status == 304) ==
	    -1)
		log_info("%s %s: client went away", rq.method_str, rq.path);
	t0 = now_usec() - t0;
	metrics_request(rq.route, r.status, t0);
	stage_mark(STAGE_ANSWER);
	stage_format(stages, sizeof(stages));
	log_info("%s %s %d %lld%s", rq.method_str, rq.path, r.status, t0,
	    stages);
	buf_free(&r.head);
	if (r.body.cap <= BODY_KEEP)
		ctx->body = r.body;
	else
		buf_free(&r.body);
}

static void *
worker_thread(void *arg)
{
	struct thread_arg	*ta = arg;
	struct worker_thread	*self = ta->self;
	struct arena		 arena = { NULL, 0 };
	struct ctx		 ctx;
	FCGX_Request		 fr;
	int			 rc;

	/* Named for top -H, perf and make bench's CPU a thread. */
	prctl(PR_SET_NAME, "request");
	memset(&ctx, 0, sizeof(ctx));
	ctx.site.cfg = ta->cfg;
	ctx.arena = &arena;
	ctx.site.writer = ta->writer;
	/* The writer's checkpointer copies the WAL, never a commit here. */
	if (store_open(ta->cfg->db, &ctx.site.store) == ST_OK) {
		store_set_auto_close(ctx.site.store, ta->cfg->auto_close_days);
		store_checkpoint_manual(ctx.site.store);
	}
	if (ctx.site.store == NULL ||
	    store_secret(ctx.site.store, ctx.site.secret) != ST_OK) {
		log_err("worker thread: cannot open the database; exiting");
		store_close(ctx.site.store);
		/* Without its database the worker is useless: let the
		 * supervisor see it die and start a fresh one. */
		_exit(3);
	}
	FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!atomic_load(&stopping)) {
		atomic_store(&self->idle, 1);
		if (atomic_load(&stopping)) {
			atomic_store(&self->idle, 0);
			break;
		}
		rc = FCGX_Accept_r(&fr);
		atomic_store(&self->idle, 0);
		if (rc < 0) {
			/* EINVAL: the listening socket was shut down, by
			 * this worker or a sibling: the service stops. */
			if (atomic_load(&stopping) || rc == -EINVAL)
				break;
			if (rc == -EINTR || rc == -ECONNABORTED)
				continue;
			log_err("accept: %s", strerror(-rc));
			/* Do not spin on a persistent error. */
			usleep(100000);
			continue;
		}
		serve_one(&fr, &ctx);
		/*
		 * nginx sends nothing after the end of the request's stdin.
		 * Once that has been read (a GET's comes with its params),
		 * close at once: libfcgi's lingering close (shut down, then
		 * wait for nginx to hang up) costs every request a sleep and
		 * a wake-up.  A body left unread keeps the lingering close,
		 * which reads it away, so nginx is never reset mid-send.
		 */
		if (FCGX_GetChar(fr.in) == EOF && FCGX_GetError(fr.in) == 0)
			FCGX_Detach(&fr);
		FCGX_Finish_r(&fr);
		arena_reset(&arena);
	}
	FCGX_Free(&fr, 1);
	arena_free(&arena);
	store_close(ctx.site.store);
	buf_free(&ctx.body);
	auth_wipe(ctx.site.secret, sizeof(ctx.site.secret));
	atomic_store(&self->done, 1);
	return NULL;
}

/* --- the feedback thread ------------------------------------------------- */

/*
 * Moderators' corrections go to the spam hook from here, off the request
 * path: one thread a worker, its own connection, a look every few
 * seconds.  Rows are leased, so two workers never send the same one.
 */
#define FEEDBACK_EVERY_MS	2000

static pthread_mutex_t	 fb_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 fb_cv = PTHREAD_COND_INITIALIZER;

static void *
feedback_thread(void *arg)
{
	const struct config	*cfg = arg;
	struct arena		 a = { NULL, 0 };
	struct store		*s = NULL;
	struct timespec		 ts;
	struct sender		*sd;
	long long		 last_upkeep = 0;

	prctl(PR_SET_NAME, "feedback");
	if (store_open(cfg->db, &s) != ST_OK ||
	    (sd = sender_new(cfg)) == NULL) {
		log_err("feedback: cannot open the database");
		store_close(s);
		return NULL;
	}
	store_checkpoint_manual(s);
	pthread_mutex_lock(&fb_mu);
	while (!atomic_load(&stopping)) {
		pthread_mutex_unlock(&fb_mu);
		while (!atomic_load(&stopping) &&
		    spam_feedback_once(cfg, s, &a) == 1)
			arena_reset(&a);
		spam_upkeep(cfg, s, (long long)time(NULL), &last_upkeep);
		arena_reset(&a);
		/* Mail and webhooks: one sender for the site (a lease). */
		while (!atomic_load(&stopping) && sender_run(sd, s, &a) == 1)
			arena_reset(&a);
		arena_reset(&a);
		pthread_mutex_lock(&fb_mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += FEEDBACK_EVERY_MS / 1000;
		if (!atomic_load(&stopping))
			pthread_cond_timedwait(&fb_cv, &fb_mu, &ts);
	}
	pthread_mutex_unlock(&fb_mu);
	sender_free(sd, s);
	arena_free(&a);
	store_close(s);
	return NULL;
}

/* --- one worker process -------------------------------------------------- */

static int
worker_main(const struct config *cfg)
{
	struct worker_thread	*th;
	struct thread_arg	*ta;
	struct writer		*w;
	struct sigaction	 sa;
	pthread_t		 fbt;
	int			 fb_started = 1;
	long			 ncpu;
	sigset_t		 set;
	long			 i, n = cfg->threads;
	int			 sig, alive;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	if (FCGX_Init() != 0) {
		log_err("worker: FCGX_Init failed");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;	/* no SA_RESTART: interrupt accept */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Threads inherit this mask: they see only SIGUSR1. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_SETMASK, &set, NULL);

	th = calloc((size_t)n, sizeof(*th));
	ta = calloc((size_t)n, sizeof(*ta));
	if (th == NULL || ta == NULL) {
		log_err("worker: out of memory");
		return 1;
	}
	if ((w = writer_new(cfg->db)) == NULL) {
		log_err("worker: cannot start the writer");
		free(th);
		free(ta);
		return 3;
	}
	/* Where batching does not pay, each thread writes on its own. */
	if (!writer_batches(w)) {
		writer_free(w);
		w = NULL;
	}
	/* Argon2id takes pwhash_mem a hash: at most a core's worth of hashes
	 * at once across the workers.  Hooks may take seconds: leave threads
	 * for readers while they run. */
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	auth_hash_slots((int)(ncpu > cfg->workers ? ncpu / cfg->workers : 1));
	/* ... and each below the readers' threads in priority. */
	auth_hash_nice(10);
	spam_hook_slots((int)(n > 2 ? n - n / 4 : 1));
	spam_blocklist_load(cfg->blocklist);
	/* Rendered pages for readers without cookies, by article version. */
	cache_init(256, 32 * 1024 * 1024);
	if (pthread_create(&fbt, NULL, feedback_thread, (void *)cfg) != 0) {
		log_err("worker: cannot start the feedback thread");
		fb_started = 0;
	}
	for (i = 0; i < n; i++) {
		ta[i].writer = w;
		ta[i].cfg = cfg;
		ta[i].self = &th[i];
		if (pthread_create(&th[i].tid, NULL, worker_thread,
		    &ta[i]) != 0) {
			log_err("worker: pthread_create failed");
			break;
		}
		th[i].started = 1;
	}
	/* This thread only waits for signals; keep SIGUSR1 away from it. */
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	sigdelset(&set, SIGUSR1);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			spam_blocklist_load(cfg->blocklist);
	}

	/* Stop taking requests; let the ones in flight finish. */
	atomic_store(&stopping, 1);
	FCGX_ShutdownPending();
	shutdown(listen_fd, SHUT_RDWR);
	do {
		alive = 0;
		for (i = 0; i < n; i++) {
			if (!th[i].started || atomic_load(&th[i].done))
				continue;
			alive++;
			/* Idle threads wait in accept or on a kept-alive
			 * connection: interrupt them.  Busy ones finish. */
			if (atomic_load(&th[i].idle))
				pthread_kill(th[i].tid, SIGUSR1);
		}
		if (alive > 0)
			usleep(10000);
	} while (alive > 0);
	for (i = 0; i < n; i++)
		if (th[i].started)
			pthread_join(th[i].tid, NULL);
	pthread_mutex_lock(&fb_mu);
	pthread_cond_broadcast(&fb_cv);
	pthread_mutex_unlock(&fb_mu);
	if (fb_started)
		pthread_join(fbt, NULL);
	writer_free(w);
	spam_blocklist_free();
	cache_free();
	free(th);
	free(ta);
	return 0;
}

/* --- the listening socket ------------------------------------------------ */

/*
 * The listen queue is where requests wait while every thread is busy.
 * When it is full, nginx's connect() fails at once (EAGAIN on a unix
 * socket) and the reader gets a 502, so it must hold every request nginx
 * may pass at once: conf/nginx.conf caps that with max_conns, below this.
 * [server] backlog = 0 takes the kernel's limit, net.core.somaxconn, up
 * to BACKLOG_AUTO_MAX: a longer queue only makes readers wait longer for
 * an answer that nginx had better refuse at once with a 503.  The kernel
 * cuts any larger value to somaxconn without a word; we say so.
 *
 * palaver does not shed load itself (answer 503 when its queue is long):
 * it cannot see the queue (FIONREAD on a listening unix socket is EINVAL;
 * only sock_diag over netlink tells, which the systemd unit's
 * RestrictAddressFamilies=AF_UNIX forbids), nor how long a request
 * waited (FastCGI carries no time), and a 503 costs an accept, a thread
 * and the request's parsing, about what a cached page costs.  nginx
 * refuses before any of that, and a request whose reader gave up while
 * it waited is closed by nginx and costs a thread one failed read.
 */
#define BACKLOG_AUTO_MAX	4096
#define SOMAXCONN_PATH		"/proc/sys/net/core/somaxconn"

/* The kernel's cap on listen queues, or -1 when it cannot be read. */
static long
somaxconn(void)
{
	FILE	*f;
	long	 v = -1;

	if ((f = fopen(SOMAXCONN_PATH, "re")) == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1 || v < 1)
		v = -1;
	fclose(f);
	return v;
}

/* The queue length to ask listen(2) for, from [server] backlog. */
static int
backlog_of(const struct config *cfg)
{
	long	 max = somaxconn(), want = cfg->backlog;

	if (want == 0)
		want = max > 0 && max < BACKLOG_AUTO_MAX ? max :
		    BACKLOG_AUTO_MAX;
	else if (max > 0 && want > max) {
		log_err("[server] backlog = %ld is above the kernel's "
		    "net.core.somaxconn (%ld): the queue holds %ld", want, max,
		    max);
		want = max;
	}
	return (int)want;
}

static int
is_listening_socket(int fd)
{
	int		 v = 0;
	socklen_t	 len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 &&
	    v != 0;
}

/* Bind a fresh unix socket at path, mode 0660.  A stale socket file left
 * by a crash is replaced; a live one is an error. */
static int
open_unix(const char *path, int backlog)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd, probe;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_err("%s: socket path too long (at most %zu bytes)", path,
		    sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) != -1) {
		if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			log_err("%s: another server is listening there", path);
			close(probe);
			return -1;
		}
		close(probe);
	}
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_err("socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_err("%s: bind: %s", path, strerror(errno));
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	chmod(path, 0660);
	if (listen(fd, backlog) == -1) {
		log_err("%s: listen: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* Started as root: give the socket to the user and become it for good. */
static int
drop_root(const struct config *cfg, const char *path)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return 0;
	if (cfg->user[0] == '\0') {
		log_err("refusing to serve as root: set [server] user, or "
		    "start palaver as its own user (see README: Deployment)");
		return -1;
	}
	if ((pw = getpwnam(cfg->user)) == NULL || pw->pw_uid == 0) {
		log_err("[server] user %s: no such unprivileged user",
		    cfg->user);
		return -1;
	}
	if (path != NULL && chown(path, pw->pw_uid, pw->pw_gid) == -1) {
		log_err("%s: chown: %s", path, strerror(errno));
		return -1;
	}
	if (setgroups(0, NULL) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1 || setuid(0) != -1) {
		log_err("cannot become user %s: %s", cfg->user,
		    strerror(errno));
		return -1;
	}
	log_info("running as user %s", cfg->user);
	return 0;
}

/* --- the supervisor ------------------------------------------------------ */

/*
 * A worker that cannot reach its database (exit 3: a PostgreSQL server
 * that is down, say) is replaced after a pause that grows, 1 s to 30 s,
 * while it keeps failing soon after it starts: the service comes back by
 * itself when the database does, without a fork and a log line every
 * tick meanwhile.  Any other death is replaced at once.
 */
#define BACKOFF_MAX	30

struct slot {
	time_t		 started;
	time_t		 not_before;
	int		 pause;
};

static void
backoff(struct slot *sl, int no_db)
{
	time_t	 now = time(NULL);

	if (!no_db || now - sl->started > BACKOFF_MAX)
		sl->pause = 0;
	else
		sl->pause = sl->pause == 0 ? 1 : sl->pause * 2 > BACKOFF_MAX ?
		    BACKOFF_MAX : sl->pause * 2;
	sl->not_before = now + sl->pause;
}

/* Worker `slot` (0 to workers - 1): it counts into its slot of the
 * shared metrics, whichever process held it before. */
static pid_t
spawn(const struct config *cfg, long slot)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		metrics_worker((int)slot);
		exit(worker_main(cfg));	/* exit: leak checks run */
	}
	return pid;
}

int
server_run(const struct config *cfg, const char *sockopt,
    int (*prepare)(const struct config *),
    void (*dispatch_fn)(struct req *, struct resp *))
{
	const char	*path = NULL, *env;
	pid_t		*pids, pid;
	struct slot	*slots;
	sigset_t	 set;
	long		 i, n = cfg->workers, left;
	int		 sig, status, rc = 0, backlog;
	time_t		 deadline = 0;
	siginfo_t	 si;
	struct timespec	 tick = { 0, 200 * 1000 * 1000 };

	dispatch = dispatch_fn;
	/* Signals wait from the start: a SIGTERM while the database is
	 * migrated or the socket bound must stop us cleanly (below), not
	 * kill us half way by the default action. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* A debug switch: each request's log line says where its time went
	 * (README: Performance). */
	stage_enable((env = getenv("PALAVER_STAGES")) != NULL &&
	    strcmp(env, "1") == 0);
	if (sockopt != NULL)
		path = sockopt;
	else if ((env = getenv("LISTEN_FDS")) != NULL &&
	    strcmp(env, "1") == 0 && (env = getenv("LISTEN_PID")) != NULL &&
	    atol(env) == (long)getpid() && is_listening_socket(3)) {
		listen_fd = 3;
		log_info("serving on the socket systemd passed (fd 3)");
	} else if (is_listening_socket(0)) {
		listen_fd = 0;
		log_info("serving on the socket on standard input");
	} else
		path = cfg->socket;
	backlog = backlog_of(cfg);
	if (listen_fd == -1 &&
	    (listen_fd = open_unix(path, backlog)) == -1)
		return 1;
	/* An inherited socket gets our queue length too: listen(2) on a
	 * listening socket only changes it. */
	if (path == NULL && listen(listen_fd, backlog) == -1)
		log_err("listen: %s (the queue stays as inherited)",
		    strerror(errno));
	if (drop_root(cfg, path) == -1 || prepare(cfg) == -1) {
		if (path != NULL)
			unlink(path);
		return 1;
	}
	log_info("serving on %s with %ld workers of %ld threads, a queue "
	    "of %d", path != NULL ? path : "the inherited socket",
	    cfg->workers, cfg->threads, backlog);

	pids = calloc((size_t)n, sizeof(*pids));
	slots = calloc((size_t)n, sizeof(*slots));
	if (pids == NULL || slots == NULL) {
		log_err("out of memory");
		free(pids);
		free(slots);
		return 1;
	}
	/* Before the first fork: every worker shares the counts. */
	metrics_init((int)n);
	for (i = 0; i < n; i++) {
		pids[i] = spawn(cfg, i);
		slots[i].started = time(NULL);
	}

	for (;;) {
		sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			for (i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGHUP);
		/* Reap and replace; a tick also retries a failed fork. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (i = 0; i < n; i++)
				if (pids[i] == pid) {
					if (WIFSIGNALED(status))
						log_err("worker %d died of "
						    "signal %d; replacing it",
						    (int)pid, WTERMSIG(status));
					else
						log_err("worker %d exited "
						    "with %d; replacing it",
						    (int)pid,
						    WEXITSTATUS(status));
					pids[i] = -1;
					metrics_add(MC_WORKER_RESTARTS, 1);
					backoff(&slots[i], WIFEXITED(status) &&
					    WEXITSTATUS(status) == 3);
				}
		for (i = 0; i < n; i++)
			if (pids[i] == -1 && time(NULL) >= slots[i].not_before) {
				pids[i] = spawn(cfg, i);
				slots[i].started = time(NULL);
			}
	}

	log_info("stopping: finishing requests in flight");
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	deadline = time(NULL) + STOP_GRACE_SEC;
	for (;;) {
		for (left = 0, i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if ((pid = waitpid(pids[i], &status, WNOHANG)) ==
			    pids[i] || (pid == -1 && errno == ECHILD)) {
				if (pid > 0 && (!WIFEXITED(status) ||
				    WEXITSTATUS(status) != 0))
					log_err("worker %d ended badly (status "
					    "%d)", (int)pids[i], status);
				pids[i] = -1;
			} else
				left++;
		}
		if (left == 0)
			break;
		if (time(NULL) > deadline) {
			log_err("workers still busy after %d s: killing them",
			    STOP_GRACE_SEC);
			for (i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			rc = 1;
			deadline = time(NULL) + 5;
		}
		sigtimedwait(&set, &si, &tick);
	}
	free(pids);
	free(slots);
	metrics_free();
	if (path != NULL)
		unlink(path);
	close(listen_fd);
	log_info("stopped");
	return rc;
}
