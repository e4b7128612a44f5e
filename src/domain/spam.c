/* spam.c: scoring new and edited comments: built-in rules and the hook */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "domain/hook.h"
#include "render/json.h"
#include "domain/comments.h"
#include "domain/site.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/net.h"
#include "domain/spam.h"
#include "store/store.h"

/*
 * The scores each rule gives.  One rule alone decides: the final score is
 * the highest, so a rule at or above [spam] reject (0.9 by default) sends
 * a comment to spam, one at or above hold (0.5) holds it.
 */
#define SCORE_HONEYPOT		1.0	/* people never fill it */
#define SCORE_BLOCKLIST		1.0
#define SCORE_REPLAY		0.95	/* a form sent twice */
#define SCORE_TOO_FAST		0.9	/* faster than anyone types */
#define SCORE_DUPLICATE		0.8	/* the same text again */
#define SCORE_NO_TOKEN		0.6	/* no form, or a forged one */
#define SCORE_STALE		0.6	/* a form older than a day */
#define SCORE_LINKS		0.6	/* more than max_links */

#define TOKEN_MAX_AGE		86400
#define DUPLICATE_WINDOW	86400

/* --- the blocklist ------------------------------------------------------- */

static int	addr_bytes(const char *, unsigned char[16]);

enum bkind { B_WORD, B_EMAIL, B_ADDR, B_PREFIX };

struct bentry {
	enum bkind	 kind;
	char		*text;		/* lower-case */
};

static pthread_rwlock_t	 block_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct bentry	*block;
static size_t		 nblock;

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

int
spam_blocklist_load(const char *path)
{
	struct bentry	*v = NULL, *nv;
	size_t		 n = 0, cap = 0, len, i, lcap = 0;
	char		*line = NULL, pre[64];
	unsigned char	 b[16];
	FILE		*f;

	if (path == NULL || *path == '\0')
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		log_err("blocklist %s: %s; keeping the previous list", path,
		    strerror(errno));
		return -1;
	}
	/* getline: a long line is one entry, never several. */
	while (getline(&line, &lcap, f) != -1) {
		char *p = line;

		len = strcspn(p, "\r\n");
		p[len] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		len = strlen(p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			p[--len] = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		lower(p);
		if (strchr(p, '/') != NULL && parse_addr_prefix(p, pre,
		    sizeof(pre)) == 0) {
			v[n].kind = B_PREFIX;
			p = pre;
		} else if (inet_pton(AF_INET, p, b) == 1 ||
		    inet_pton(AF_INET6, p, b) == 1)
			v[n].kind = B_ADDR;
		else if (strchr(p, '@') != NULL && strchr(p, ' ') == NULL &&
		    strstr(p, "://") == NULL)
			v[n].kind = B_EMAIL;
		else
			v[n].kind = B_WORD;
		if ((v[n].text = strdup(p)) == NULL)
			goto nomem;
		n++;
	}
	if (ferror(f)) {
		log_err("blocklist %s: %s; keeping the previous list", path,
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	free(line);
	pthread_rwlock_wrlock(&block_lock);
	for (i = 0; i < nblock; i++)
		free(block[i].text);
	free(block);
	block = v;
	nblock = n;
	pthread_rwlock_unlock(&block_lock);
	log_info("blocklist %s: %zu entries", path, n);
	return 0;
nomem:
	log_err("blocklist %s: out of memory; keeping the previous list",
	    path);
fail:
	fclose(f);
	free(line);
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	return -1;
}

/* Two addresses are the same whatever their spelling (an IPv4 client may
 * arrive as ::ffff:a.b.c.d). */
static int
same_addr(const char *a, const char *b)
{
	unsigned char	 x[16], y[16];

	if (!addr_bytes(a, x) || !addr_bytes(b, y))
		return 0;
	return memcmp(x, y, 16) == 0;
}

void
spam_blocklist_free(void)
{
	size_t	 i;

	pthread_rwlock_wrlock(&block_lock);
	for (i = 0; i < nblock; i++)
		free(block[i].text);
	free(block);
	block = NULL;
	nblock = 0;
	pthread_rwlock_unlock(&block_lock);
}

/* An address as 16 bytes, IPv4 as IPv4-mapped IPv6; 0 if it is none. */
static int
addr_bytes(const char *s, unsigned char out[16])
{
	unsigned char	 v4[4];

	if (inet_pton(AF_INET6, s, out) == 1)
		return 1;
	if (inet_pton(AF_INET, s, v4) != 1)
		return 0;
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, v4, 4);
	return 1;
}

/* The first entry that matches, as a reason, or NULL. */
static const char *
blocked(struct arena *a, const char *addr, const struct spam_input *in)
{
	struct buf	 hay = BUF_INIT;
	const char	*why = NULL;
	char		*email = NULL, pre[64];
	int		 have_pre;
	size_t		 i;

	pthread_rwlock_rdlock(&block_lock);
	if (nblock == 0)
		goto out;
	/* Words and URLs may stand anywhere a reader typed. */
	buf_puts(&hay, in->author);
	buf_putc(&hay, '\n');
	buf_puts(&hay, in->website != NULL ? in->website : "");
	buf_putc(&hay, '\n');
	buf_puts(&hay, in->body);
	if (hay.err)
		goto out;
	lower(hay.p);
	if (in->email != NULL && (email = strdup(in->email)) != NULL)
		lower(email);
	have_pre = parse_addr_prefix(addr, pre, sizeof(pre)) == 0;
	for (i = 0; i < nblock && why == NULL; i++) {
		const struct bentry *e = &block[i];
		int hit = 0;

		switch (e->kind) {
		case B_WORD:
			hit = strstr(hay.p, e->text) != NULL;
			break;
		case B_EMAIL:
			hit = email != NULL && strcmp(email, e->text) == 0;
			break;
		case B_ADDR:
			hit = same_addr(addr, e->text);
			break;
		case B_PREFIX:
			hit = have_pre && strcmp(pre, e->text) == 0;
			break;
		}
		if (hit)
			why = arena_printf(a, e->kind == B_WORD ?
			    _("blocklist: text \"%s\"") : e->kind == B_EMAIL ?
			    _("blocklist: e-mail \"%s\"") :
			    _("blocklist: address \"%s\""), e->text);
	}
out:
	pthread_rwlock_unlock(&block_lock);
	free(email);
	buf_free(&hay);
	return why;
}

/* --- the hook ------------------------------------------------------------ */

/*
 * At most `hook_max` hooks run at once in this process, so slow hooks
 * leave threads for readers.  A counter under a statically initialised
 * mutex: ready before any thread runs, whoever calls first.
 */
static pthread_mutex_t	 hook_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 hook_cv = PTHREAD_COND_INITIALIZER;
static int		 hook_max = 1, hook_busy;

void
spam_hook_slots(int n)
{
	pthread_mutex_lock(&hook_mu);
	hook_max = n > 0 ? n : 1;
	pthread_cond_broadcast(&hook_cv);
	pthread_mutex_unlock(&hook_mu);
}

static void
hook_slot_take(void)
{
	pthread_mutex_lock(&hook_mu);
	while (hook_busy >= hook_max)
		pthread_cond_wait(&hook_cv, &hook_mu);
	hook_busy++;
	pthread_mutex_unlock(&hook_mu);
}

static void
hook_slot_give(void)
{
	pthread_mutex_lock(&hook_mu);
	hook_busy--;
	pthread_cond_signal(&hook_cv);
	pthread_mutex_unlock(&hook_mu);
}

/* NAME=value for each name in [spam] hook_env found in our environment. */
static char **
hook_env(struct arena *a, const char *names)
{
	char		**env;
	const char	 *p, *v;
	char		 *name;
	size_t		  n = 0, cap = 1, len;

	for (p = names; *p != '\0'; p++)
		cap += *p == ' ' || *p == '\t';
	if ((env = arena_calloc(a, cap + 1, sizeof(*env))) == NULL)
		return NULL;
	for (p = names; *p != '\0'; p += len) {
		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		if ((name = arena_strndup(a, p, len)) == NULL)
			return NULL;
		if ((v = getenv(name)) != NULL && n < cap)
			env[n++] = arena_printf(a, "%s=%s", name, v);
	}
	return env;
}

_Static_assert(HOOK_GARBAGE < METRICS_HOOK_OUTCOMES,
    "every hook outcome has its count");

/* Microseconds since some fixed moment, for timing the hook. */
static long long
usec_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Run the hook, counted for /metrics by kind (0: a check, 1: a
 * correction), outcome and time. */
static void
hook_counted(const struct config *cfg, int kind, const char *arg,
    char *const env[], const char *input, long timeout_ms,
    struct hook_result *res)
{
	long long	 t0 = usec_now();

	hook_run(cfg->hook, arg, env, input, strlen(input), timeout_ms, res);
	metrics_hook(kind, (int)res->outcome, usec_now() - t0);
}

static void
run_hook(const struct config *cfg, struct arena *a, const char *arg,
    const char *input, struct hook_result *res)
{
	char			**env;

	if ((env = hook_env(a, cfg->hook_env)) == NULL) {
		memset(res, 0, sizeof(*res));
		res->outcome = HOOK_FAILED;
		snprintf(res->reason, sizeof(res->reason), "out of memory");
		return;
	}
	hook_slot_take();
	hook_counted(cfg, 0, arg, env, input, cfg->hook_timeout_ms, res);
	hook_slot_give();
}

/* --- the rules ----------------------------------------------------------- */

struct scorer {
	double		 score;
	struct buf	 reasons;
};

static void
add(struct scorer *sc, double score, const char *reason)
{
	if (reason == NULL)
		return;
	if (score > sc->score)
		sc->score = score;
	if (sc->reasons.len > 0)
		buf_putc(&sc->reasons, '\n');
	buf_printf(&sc->reasons, "%.2f %s", score, reason);
}

/* Lower-case, white space folded: the same text typed again matches. */
static const char *
body_hash(struct arena *a, const char *body)
{
	struct buf	 b = BUF_INIT;
	char		*h;
	int		 space = 0;

	for (; *body != '\0'; body++) {
		unsigned char c = (unsigned char)*body;

		if (isspace(c)) {
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, (char)tolower(c));
	}
	if (b.err || (h = arena_alloc(a, 33)) == NULL) {
		buf_free(&b);
		return NULL;
	}
	auth_text_hash(buf_str(&b), b.len, h);
	buf_free(&b);
	return h;
}

static void
form_rules(struct site *site, struct arena *a, const struct spam_input *in,
    struct spam_verdict *v, struct scorer *sc, long long now)
{
	const struct config *cfg = site->cfg;
	long long	 t;

	if (cfg->min_submit_seconds == 0)
		return;
	if (in->form_token == NULL || !auth_form_token_check(site->secret,
	    in->form_token, strlen(in->form_token), &t)) {
		add(sc, SCORE_NO_TOKEN, _("no valid form token (not sent from "
		    "our form)"));
		return;
	}
	if (now - t < cfg->min_submit_seconds)
		add(sc, SCORE_TOO_FAST, arena_printf(a, _("sent %lld s "
		    "after the form was served (under %ld s)"), now - t,
		    cfg->min_submit_seconds));
	else if (now - t > TOKEN_MAX_AGE)
		add(sc, SCORE_STALE, _("the form was served more than a day "
		    "ago"));
	else {
		/*
		 * Marked used when the comment is stored.  A form may be
		 * shared (a cached page, a fragment built into a static
		 * site): what may not come twice is the same submission, the
		 * token with the same text.
		 */
		struct buf sub = BUF_INIT;

		buf_puts(&sub, in->form_token);
		buf_putc(&sub, '\n');
		buf_puts(&sub, v->body_hash);
		if (!sub.err) {
			v->token_ok = 1;
			auth_token_hash(sub.p, sub.len, v->token_hash);
		}
		buf_free(&sub);
		v->token_expires = t + TOKEN_MAX_AGE;
	}
}

/* The object the hook reads, as the documented protocol has it. */
static const char *
hook_input(struct site *site, struct arena *a, const struct poster *p,
    const struct spam_input *in)
{
	const struct config	*cfg = site->cfg;
	const struct article	*ar = in->ar;
	struct hook_doc		 d;

	memset(&d, 0, sizeof(d));
	/* Embedded threads live at their page on the embedding site (the
	 * uri is its path); hosted ones here. */
	if (p->page_origin != NULL)
		d.permalink = arena_printf(a, "%s%s", p->page_origin, ar->uri);
	else if (cfg->base_url[0] != '\0' && ar->id > 0)
		d.permalink = arena_printf(a, "%s/articles/%lld",
		    cfg->base_url, ar->id);
	else
		d.permalink = ar->uri;
	if (d.permalink == NULL)
		return NULL;
	d.author = in->author;
	d.email = in->email;
	d.website = in->website;
	d.body = in->body;
	d.parent = in->parent;
	d.uri = ar->uri;
	d.title = ar->title;
	d.address = p->addr;
	d.user_agent = p->user_agent;
	d.referrer = p->referer;
	d.site_url = cfg->base_url;
	return json_hook_input(a, &d);
}

enum status
spam_check(struct site *site, struct arena *a, const struct poster *p,
    const struct spam_input *in, struct spam_verdict *v)
{
	const struct config	*cfg = site->cfg;
	struct scorer		 sc;
	struct hook_result	 hr;
	long long		 now = (long long)time(NULL), dup = 0;
	const char		*why;
	enum status		 st;

	memset(v, 0, sizeof(*v));
	memset(&sc, 0, sizeof(sc));
	v->reasons = "";

	/* The text as typed again would be: for replays and duplicates. */
	if ((v->body_hash = body_hash(a, in->body)) == NULL) {
		buf_free(&sc.reasons);
		return ST_NOMEM;
	}
	/* Cheapest first: the fields the form carries. */
	if (!in->edit) {
		if (in->honeypot != NULL && in->honeypot[0] != '\0')
			add(&sc, SCORE_HONEYPOT, _("the hidden field people "
			    "never fill was filled"));
		form_rules(site, a, in, v, &sc, now);
	}
	if (cfg->max_links >= 0 && in->nlinks > (size_t)cfg->max_links)
		add(&sc, SCORE_LINKS, arena_printf(a, _("%zu links "
		    "(more than %ld)"), in->nlinks, cfg->max_links));
	if ((why = blocked(a, p->addr, in)) != NULL)
		add(&sc, SCORE_BLOCKLIST, why);

	/* Then what needs the database. */
	if ((st = store_duplicate(site->store, v->body_hash,
	    now - DUPLICATE_WINDOW, &dup)) != ST_OK) {
		buf_free(&sc.reasons);
		return st;
	}
	if (dup > 0 && dup != in->self)
		add(&sc, SCORE_DUPLICATE, arena_printf(a, _("the same "
		    "text as comment %lld, posted in the last day"), dup));

	/* Last and dearest: the hook, unless the rules have decided. */
	if (cfg->hook[0] != '\0' && sc.score < cfg->reject && !in->no_hook) {
		v->hook_input = hook_input(site, a, p, in);
		if (v->hook_input == NULL) {
			buf_free(&sc.reasons);
			return ST_NOMEM;
		}
		run_hook(cfg, a, "check", v->hook_input, &hr);
		if (hr.outcome == HOOK_OK)
			add(&sc, hr.score, arena_printf(a, _("hook: %s"),
			    hr.reason[0] != '\0' ? hr.reason :
			    _("(no reason)")));
		else {
			/* Never lost, never published: held. */
			v->hold = 1;
			add(&sc, 0, arena_printf(a, _("%s; held for a "
			    "moderator"), hr.reason));
			log_err("spam hook %s: %s", cfg->hook, hr.reason);
		}
	}
	v->score = sc.score;
	if (sc.reasons.len > 0 &&
	    (v->reasons = arena_strdup(a, buf_str(&sc.reasons))) == NULL) {
		buf_free(&sc.reasons);
		return ST_NOMEM;
	}
	buf_free(&sc.reasons);
	return ST_OK;
}

enum cstatus
spam_decide(const struct config *cfg, int pre, const struct spam_verdict *v)
{
	if (v->score >= cfg->reject)
		return CS_SPAM;
	if (v->score >= cfg->hold || v->hold || pre)
		return CS_PENDING;
	return CS_APPROVED;
}

/* --- feedback ------------------------------------------------------------ */

#define FEEDBACK_LEASE		300
#define FEEDBACK_TRIES		8

int
spam_feedback_once(const struct config *cfg, struct store *s,
    struct arena *a)
{
	struct feedback		 f;
	struct hook_result	 hr;
	long long		 now = (long long)time(NULL);
	enum status		 st;
	char			**env;
	int			 rv = 1;

	st = store_feedback_claim(s, a, now, now + FEEDBACK_LEASE, &f);
	if (st == ST_NOTFOUND)
		return 0;
	if (st != ST_OK)
		return -1;
	if (cfg->hook[0] == '\0' || f.input == NULL) {
		/* Nobody to tell, or nothing to tell it. */
		if (store_feedback_done(s, f.id) != ST_OK ||
		    store_spam_check_done(s, f.comment) != ST_OK)
			return -1;
		return 1;
	}
	if ((env = hook_env(a, cfg->hook_env)) == NULL)
		return -1;
	hook_counted(cfg, 1, f.kind, env, f.input, cfg->hook_timeout_ms * 5,
	    &hr);
	if (hr.outcome != HOOK_FAILED && hr.outcome != HOOK_TIMEOUT) {
		/* Exit 0 is delivered; what it printed does not matter. */
		st = store_feedback_done(s, f.id);
		log_info("spam hook %s comment %lld: delivered", f.kind,
		    f.comment);
	} else if (f.attempts >= FEEDBACK_TRIES) {
		st = store_feedback_done(s, f.id);
		log_err("spam hook %s comment %lld: giving up after %d tries: "
		    "%s", f.kind, f.comment, f.attempts, hr.reason);
	} else {
		/* Back off: 1, 2, 4 ... minutes. */
		st = store_feedback_retry(s, f.id, now + (60LL <<
		    (f.attempts - 1)), hr.reason);
		log_err("spam hook %s comment %lld: %s; will retry", f.kind,
		    f.comment, hr.reason);
	}
	/* Told (or given up on): the input the hook read is kept no
	 * longer.  Each statement commits alone, so one left behind by a
	 * crash here goes with the scheduled prune. */
	if (st == ST_OK && hr.outcome != HOOK_FAILED &&
	    hr.outcome != HOOK_TIMEOUT)
		st = store_spam_check_done(s, f.comment);
	else if (st == ST_OK && f.attempts >= FEEDBACK_TRIES)
		st = store_spam_check_done(s, f.comment);
	if (st != ST_OK)
		rv = -1;
	return rv;
}

/* --- upkeep -------------------------------------------------------------- */

/* What is kept for a while goes this often (store_prune). */
#define UPKEEP_EVERY	600

int
spam_upkeep(const struct config *cfg, struct store *s, long long now,
    long long *last)
{
	int	 mine = 0;

	if (now - *last < UPKEEP_EVERY)
		return 0;
	*last = now;
	/* Every worker of every host asks; one of them prunes a turn. */
	if (store_job_claim(s, "prune", now, now + UPKEEP_EVERY, &mine) !=
	    ST_OK)
		return -1;
	if (!mine)
		return 0;
	if (store_prune(s, now, cfg->hook_input_days) != ST_OK)
		return -1;
	return 1;
}
