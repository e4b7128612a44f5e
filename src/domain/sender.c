/* sender.c: the background sender: events into messages, moderators'
 * digests, and delivery with retries and back-off, by whichever worker
 * holds the site's sender lease */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "auth/auth.h"
#include "auth/links.h"
#include "store/store.h"
#include "render/json.h"
#include "render/mailbody.h"
#include "render/mailmsg.h"
#include "domain/hook.h"
#include "domain/outbound.h"
#include "domain/outbox.h"
#include "domain/sender.h"

/*
 * Exactly once, and how:
 *
 * - A change and its event commit together (outbox.c); an event becomes
 *   its messages and is deleted in one transaction here.  Nothing is
 *   lost, nothing is made twice.
 * - One process sends at a time: the lease in the database, renewed while
 *   the holder works, let go when it stops, taken over when it lapses or
 *   its holder (a process on this machine) is gone.
 * - A message is marked sent in the moment after the server took it.
 *   That commit skips the fsync (store_sync_fast): the row is in the WAL
 *   when the write returns, so a killed process has recorded it; only a
 *   power cut in the next moments could lose the record.  What is not
 *   marked sent is sent again, with the same Message-ID (or, for a
 *   webhook, the same event id), so the one case nobody can decide, a
 *   process killed between the server's "250" and that write, costs at
 *   most one copy the recipient can recognise, never a lost message.
 */

#define LEASE		"sender"
/* The lease outlives the longest delivery by this much. */
#define LEASE_SLACK	30
/* Events a round turns into messages; a round delivers one message,
 * so the thread looks at shutdown between any two deliveries. */
#define EVENTS_A_ROUND	50
/* Retries wait retry_seconds, twice that, ... at most this long. */
#define BACKOFF_MAX	(6 * 3600)
/* Held comments in one digest. */
#define DIGEST_MAX	50
#define PRUNE_EVERY	600

struct sender {
	const struct config	*cfg;
	struct outbound		*ob;
	char			 holder[160];
	char			 host[64];
	unsigned char		 secret[AUTH_SECRET_LEN];
	int			 have_secret;
	long long		 until;		/* our lease, 0: none */
	long long		 last_prune;
};

struct sender *
sender_new(const struct config *cfg)
{
	struct sender	*sd;
	char		 tag[AUTH_RANDOM_LEN];

	if ((sd = calloc(1, sizeof(*sd))) == NULL)
		return NULL;
	if ((sd->ob = outbound_new()) == NULL) {
		free(sd);
		return NULL;
	}
	sd->cfg = cfg;
	if (gethostname(sd->host, sizeof(sd->host)) == -1)
		sd->host[0] = '\0';
	sd->host[sizeof(sd->host) - 1] = '\0';
	sd->host[strcspn(sd->host, " ")] = '\0';
	auth_random_token(tag);
	/* host pid tag: a holder on this machine can be seen to be gone. */
	snprintf(sd->holder, sizeof(sd->holder), "%s %ld %.16s", sd->host,
	    (long)getpid(), tag);
	return sd;
}

void
sender_free(struct sender *sd, struct store *s)
{
	if (sd == NULL)
		return;
	if (s != NULL && sd->until > 0)
		store_lease_drop(s, LEASE, sd->holder);
	outbound_free(sd->ob);
	auth_wipe(sd->secret, sizeof(sd->secret));
	free(sd);
}

static long
lease_len(const struct config *cfg)
{
	return (cfg->mail_timeout > cfg->hook_timeout ? cfg->mail_timeout :
	    cfg->hook_timeout) + LEASE_SLACK;
}

/* A holder "host pid tag" on this host whose process is gone. */
static int
holder_dead(const struct sender *sd, const char *h)
{
	size_t	 n = strlen(sd->host);
	long	 pid;
	char	*end;

	if (n == 0 || strncmp(h, sd->host, n) != 0 || h[n] != ' ')
		return 0;
	pid = strtol(h + n + 1, &end, 10);
	if (end == h + n + 1 || *end != ' ' || pid <= 1)
		return 0;
	return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

/* Hold the lease for the next delivery: 1 when we do. */
static int
lease(struct sender *sd, struct store *s, struct arena *a, long long now)
{
	const char	*holder;
	long long	 until = now + lease_len(sd->cfg), their;
	int		 got = 0;

	/* Renew only when half of it has gone: no write every round. */
	if (sd->until - now > lease_len(sd->cfg) / 2)
		return 1;
	if (store_lease_take(s, LEASE, sd->holder, now, until, &got) !=
	    ST_OK)
		return 0;
	if (!got && store_lease_get(s, a, LEASE, &holder, &their) == ST_OK &&
	    holder_dead(sd, holder)) {
		if (store_lease_steal(s, LEASE, holder, sd->holder, until,
		    &got) == ST_OK && got)
			log_info("sender: took over from %s, which is gone",
			    holder);
	}
	sd->until = got ? until : 0;
	return got;
}

/* --- making messages -------------------------------------------------- */

static const char *
url(struct arena *a, const struct config *cfg, const char *path)
{
	size_t	 n = strlen(cfg->base_url);

	while (n > 0 && cfg->base_url[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s%s", (int)n, cfg->base_url, path);
}

/* The URL of a signed link. */
static const char *
link_url(struct sender *sd, struct arena *a, const char *path,
    const struct link *l, const char *bound)
{
	char	 tok[AUTH_LINK_MAX];

	auth_link_make(sd->secret, l, bound, tok);
	return arena_printf(a, "%s?t=%s", url(a, sd->cfg, path), tok);
}

/* The whole message for `to`, in the arena; NULL when it cannot be
 * made. */
static const char *
message(struct sender *sd, struct arena *a, const char *to,
    struct mail_parts *p, const char *unsub)
{
	struct mail_msg	 m;
	struct buf	 b = BUF_INIT;
	char		 id[AUTH_RANDOM_LEN], bnd[AUTH_RANDOM_LEN];
	const char	*from, *at, *rv = NULL;

	if (p->subject.err || p->text.err || p->html.err)
		return NULL;
	if ((from = mailmsg_addr(a, sd->cfg->mail_from)) == NULL ||
	    (at = strrchr(from, '@')) == NULL)
		return NULL;
	auth_random_token(id);
	auth_random_token(bnd);
	memset(&m, 0, sizeof(m));
	m.from = sd->cfg->mail_from;
	m.to = to;
	m.subject = buf_str(&p->subject);
	/* Made once, kept in the outbox: a copy sent again after a crash
	 * has the same id. */
	m.message_id = arena_printf(a, "<%s@%s>", id, at + 1);
	m.boundary = arena_printf(a, "palaver-%s", bnd);
	m.date = (long long)time(NULL);
	m.unsubscribe = unsub;
	m.text = buf_str(&p->text);
	m.html = buf_str(&p->html);
	if (m.message_id != NULL && m.boundary != NULL &&
	    mailmsg_write(&b, &m) == 0)
		rv = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return rv;
}

static enum status
queue_mail(struct sender *sd, struct store *s, struct arena *a,
    const char *to, const char *what, long long comment,
    struct mail_parts *p, const char *unsub, long long now)
{
	const char	*msg = message(sd, a, to, p, unsub);

	mail_parts_free(p);
	if (msg == NULL) {
		log_err("sender: cannot make the %s message to %s", what, to);
		return ST_NOMEM;
	}
	return store_outbox_add(s, "mail", to, what, msg, comment, now);
}

static enum status
confirm(struct sender *sd, struct store *s, struct arena *a,
    const struct mail_event *e, long long now)
{
	const struct config	*cfg = sd->cfg;
	struct subscriber	 sb;
	struct mail_parts	 p;
	struct link		 l;
	const char		*u;
	enum status		 st;

	st = store_subscriber_get(s, a, e->subscriber, &sb);
	if (st == ST_NOTFOUND)
		return ST_OK;		/* erased meanwhile */
	if (st != ST_OK || sb.confirmed != 0)
		return st;
	memset(&l, 0, sizeof(l));
	l.kind = LINK_CONFIRM;
	l.a = sb.id;
	l.expires = now + cfg->mail_confirm_days * 86400;
	if ((u = link_url(sd, a, "/mail/confirm", &l, sb.email)) == NULL)
		return ST_NOMEM;
	memset(&p, 0, sizeof(p));
	mailbody_confirm(&p, cfg->site_name, u, cfg->mail_confirm_days);
	return queue_mail(sd, s, a, sb.email, "confirm", 0, &p, NULL, now);
}

/* A published reply: one message to each confirmed subscriber of the
 * comment it answers, never to its own author, never twice. */
static enum status
replies(struct sender *sd, struct store *s, struct arena *a,
    const struct mail_event *e, long long now)
{
	struct subscriber	*v;
	struct mail_reply	 r;
	struct mail_parts	 p;
	struct link		 l;
	size_t			 i, n;
	int			 sent;
	enum status		 st;

	if (e->parent == 0)
		return ST_OK;
	if ((st = store_reply_recipients(s, a, e->parent, &v, &n)) != ST_OK)
		return st;
	for (i = 0; i < n; i++) {
		if (e->email != NULL && strcasecmp(e->email, v[i].email) == 0)
			continue;
		if ((st = store_outbox_exists(s, v[i].email, "reply",
		    e->comment, &sent)) != ST_OK)
			return st;
		if (sent)
			continue;
		memset(&l, 0, sizeof(l));
		l.kind = LINK_UNSUB;
		l.a = v[i].id;
		l.b = e->article;
		memset(&r, 0, sizeof(r));
		r.title = e->title != NULL ? e->title : "";
		r.author = e->author != NULL ? e->author : "Anonymous";
		r.body = e->body != NULL ? e->body : "";
		r.html = e->html != NULL ? e->html : "";
		/* /c/ID: the page of the thread that holds it. */
		r.permalink = url(a, sd->cfg, arena_printf(a, "/c/%lld",
		    e->comment));
		r.unsub = link_url(sd, a, "/mail/unsubscribe", &l,
		    v[i].email);
		if (r.permalink == NULL || r.unsub == NULL)
			return ST_NOMEM;
		memset(&p, 0, sizeof(p));
		mailbody_reply(&p, sd->cfg->site_name, &r);
		if ((st = queue_mail(sd, s, a, v[i].email, "reply", e->comment,
		    &p, r.unsub, now)) != ST_OK)
			return st;
	}
	return ST_OK;
}

/* The links a moderator's message carries for one comment. */
static enum status
held_links(struct sender *sd, struct arena *a, const struct mod_alert *m,
    struct mail_held *h, long long now)
{
	const char	*u[3];
	struct link	 l;
	int		 i;

	for (i = 0; i < 3; i++) {
		memset(&l, 0, sizeof(l));
		l.kind = LINK_MOD;
		l.a = m->id;
		l.b = h->id;
		l.c = i + 1;	/* approve, spam, delete */
		l.expires = now + sd->cfg->mail_action_hours * 3600;
		if ((u[i] = link_url(sd, a, "/mail/moderate", &l,
		    m->email)) == NULL)
			return ST_NOMEM;
	}
	h->approve = u[0];
	h->spam = u[1];
	h->del = u[2];
	if ((h->queue = url(a, sd->cfg, "/mod/")) == NULL)
		return ST_NOMEM;
	return ST_OK;
}

/* A held comment: a message to each moderator who wants one each. */
static enum status
alerts(struct sender *sd, struct store *s, struct arena *a,
    const struct mail_event *e, long long now)
{
	struct mod_alert	*v;
	struct mail_held	 h;
	struct mail_parts	 p;
	size_t			 i, n;
	enum status		 st;

	if ((st = store_mod_alerts(s, a, "each", &v, &n)) != ST_OK)
		return st;
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.id = e->comment;
		h.title = e->title != NULL ? e->title : "";
		h.author = e->author != NULL ? e->author : "Anonymous";
		h.email = e->email;
		h.body = e->body != NULL ? e->body : "";
		h.html = e->html != NULL ? e->html : "";
		h.score = e->score;
		h.reasons = e->reasons;
		if ((st = held_links(sd, a, &v[i], &h, now)) != ST_OK)
			return st;
		memset(&p, 0, sizeof(p));
		mailbody_held(&p, sd->cfg->site_name, &h, 1, 0,
		    sd->cfg->mail_action_hours);
		if ((st = queue_mail(sd, s, a, v[i].email, "alert", e->comment,
		    &p, NULL, now)) != ST_OK)
			return st;
	}
	return ST_OK;
}

/* Is word one of the space-separated list? */
static int
listed(const char *list, const char *word)
{
	size_t	 n, w = strlen(word);

	for (;;) {
		list += strspn(list, " \t");
		if (*list == '\0')
			return 0;
		n = strcspn(list, " \t");
		if (n == w && strncmp(list, word, n) == 0)
			return 1;
		list += n;
	}
}

/* A webhook delivery of the event to each URL that wants it. */
static enum status
hooks(struct sender *sd, struct store *s, struct arena *a,
    const struct mail_event *e, long long now)
{
	const char	*list = sd->cfg->hook_urls, *body, *u;
	struct buf	 b = BUF_INIT;
	enum status	 st = ST_OK;
	size_t		 n;

	if (!listed(sd->cfg->hook_events, e->kind) ||
	    list[strspn(list, " \t")] == '\0')
		return ST_OK;
	st = json_webhook(&b, e->id, e);
	body = st == ST_OK ? arena_strndup(a, buf_str(&b), b.len) : NULL;
	buf_free(&b);
	if (body == NULL)
		return ST_NOMEM;
	for (;;) {
		list += strspn(list, " \t");
		if (*list == '\0')
			break;
		n = strcspn(list, " \t");
		if ((u = arena_strndup(a, list, n)) == NULL)
			return ST_NOMEM;
		if ((st = store_outbox_add(s, "webhook", u, e->kind, body,
		    e->comment, now)) != ST_OK)
			return st;
		list += n;
	}
	return ST_OK;
}

/* The oldest event into its messages, and gone, in one transaction. */
static int
expand_one(struct sender *sd, struct store *s, struct arena *a,
    long long now)
{
	struct mail_event	 e;
	int			 mail = outbox_mail_on(sd->cfg);
	enum status		 st;

	if ((st = store_tx_begin(s)) != ST_OK)
		return -1;
	if ((st = store_event_next(s, a, &e)) == ST_NOTFOUND) {
		store_tx_rollback(s);
		return 0;
	}
	if (st == ST_OK && strcmp(e.kind, "confirm") == 0) {
		if (mail)
			st = confirm(sd, s, a, &e, now);
	} else if (st == ST_OK) {
		st = hooks(sd, s, a, &e, now);
		if (st == ST_OK && mail && strcmp(e.kind, "published") == 0)
			st = replies(sd, s, a, &e, now);
		else if (st == ST_OK && mail && strcmp(e.kind, "held") == 0)
			st = alerts(sd, s, a, &e, now);
	}
	if (st == ST_OK)
		st = store_event_del(s, e.id);
	if (st == ST_OK)
		st = store_tx_commit(s);
	else
		store_tx_rollback(s);
	if (st != ST_OK) {
		log_err("sender: event %lld: %s; will try again", e.id,
		    status_str(st));
		return -1;
	}
	return 1;
}

/* Digests that are due: one message each, and the moderator's mark
 * moved, in one transaction. */
static int
digests(struct sender *sd, struct store *s, struct arena *a, long long now)
{
	struct mod_alert	*v;
	struct feed_entry	*c;
	struct mail_held	*h;
	struct mail_parts	 p;
	size_t			 i, k, n, nc;
	long long		 until;
	enum status		 st;
	int			 work = 0;

	if (store_mod_alerts(s, a, "digest", &v, &n) != ST_OK)
		return -1;
	for (i = 0; i < n; i++) {
		if (now - v[i].digest_last < v[i].digest_minutes * 60)
			continue;
		if ((st = store_tx_begin(s)) != ST_OK)
			return -1;
		st = store_pending_between(s, a, v[i].digest_last, now,
		    DIGEST_MAX, &c, &nc);
		until = now;
		/* More than fit: the next digest starts after the last. */
		if (st == ST_OK && nc == DIGEST_MAX)
			until = c[nc - 1].c.created;
		if (st == ST_OK && nc > 0) {
			if ((h = arena_calloc(a, nc, sizeof(*h))) == NULL)
				st = ST_NOMEM;
			for (k = 0; k < nc && st == ST_OK; k++) {
				h[k].id = c[k].c.id;
				h[k].title = c[k].title;
				h[k].author = c[k].c.author;
				h[k].email = c[k].c.email;
				h[k].body = c[k].c.body;
				h[k].html = c[k].c.html;
				h[k].score = c[k].c.score;
				h[k].reasons = c[k].c.reasons;
				st = held_links(sd, a, &v[i], &h[k], now);
			}
			if (st == ST_OK) {
				memset(&p, 0, sizeof(p));
				mailbody_held(&p, sd->cfg->site_name, h, nc, 1,
				    sd->cfg->mail_action_hours);
				st = queue_mail(sd, s, a, v[i].email, "digest",
				    0, &p, NULL, now);
			}
		}
		if (st == ST_OK)
			st = store_mod_digest_done(s, v[i].id, until);
		if (st == ST_OK)
			st = store_tx_commit(s);
		else
			store_tx_rollback(s);
		if (st != ST_OK) {
			log_err("sender: digest for %s: %s", v[i].name,
			    status_str(st));
			return -1;
		}
		work |= nc > 0;
	}
	return work;
}

/* --- delivering ----------------------------------------------------------- */

static void
deliver_sendmail(struct sender *sd, struct arena *a, const char *msg,
    struct ob_res *res)
{
	const char		*argv[] = { sd->cfg->mail_sendmail, "-t", "-i",
				    NULL };
	char			*env[] = { NULL };
	struct hook_result	 hr;
	struct buf		 lf = BUF_INIT;
	int			 code;

	(void)a;
	memset(res, 0, sizeof(*res));
	/* sendmail reads lines with the system's line ends. */
	mailmsg_crlf_to_lf(&lf, msg);
	if (lf.err) {
		buf_free(&lf);
		res->r = OB_TEMP;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	hook_run_argv(argv, env, buf_str(&lf), lf.len,
	    sd->cfg->mail_timeout * 1000, &hr);
	buf_free(&lf);
	/* Exit 0 is delivered, whatever it printed. */
	if (hr.outcome == HOOK_OK || hr.outcome == HOOK_GARBAGE) {
		res->r = OB_OK;
		snprintf(res->why, sizeof(res->why), "handed to %s",
		    sd->cfg->mail_sendmail);
		return;
	}
	code = hr.status >= 0 && WIFEXITED(hr.status) ?
	    WEXITSTATUS(hr.status) : -1;
	/* sysexits.h: bad data (65), no such user (67) or host (68) are
	 * for good; the rest (75, temporary failure, above all) passes. */
	res->r = code == 65 || code == 67 || code == 68 ? OB_PERM : OB_TEMP;
	/* The reason, cut to fit after the prefix. */
	snprintf(res->why, sizeof(res->why), "sendmail: %.200s", hr.reason);
}

static void
deliver_mail(struct sender *sd, struct arena *a, const struct outbox_msg *m,
    struct ob_res *res)
{
	const struct config	*cfg = sd->cfg;
	struct smtp_opts	 o;
	const char		*from;

	if (strcmp(cfg->mail_transport, "sendmail") == 0) {
		deliver_sendmail(sd, a, m->payload, res);
		return;
	}
	memset(&o, 0, sizeof(o));
	o.url = cfg->mail_transport;
	o.helo = "localhost";
	if (cfg->base_url[0] != '\0') {
		const char *h = strstr(cfg->base_url, "://") + 3;

		if ((o.helo = arena_strndup(a, h, strcspn(h, ":/"))) == NULL)
			o.helo = "localhost";
	}
	o.user = cfg->mail_user;
	o.password = cfg->mail_password;
	o.starttls = cfg->mail_starttls;
	o.timeout = cfg->mail_timeout;
	if ((from = mailmsg_addr(a, cfg->mail_from)) == NULL) {
		res->r = OB_TEMP;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	outbound_smtp(sd->ob, &o, from, m->target, m->payload,
	    strlen(m->payload), res);
}

static void
deliver_hook(struct sender *sd, struct arena *a, const struct outbox_msg *m,
    struct ob_res *res)
{
	const char	*hdrs[4];
	char		 sig[65];
	long long	 t = (long long)time(NULL);
	const char	*signed_ = arena_printf(a, "%lld.%s", t, m->payload);

	if (signed_ == NULL) {
		res->r = OB_TEMP;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	/* HMAC-SHA256 of "t.body" under the secret, signed afresh each
	 * try, so receivers may refuse old timestamps. */
	auth_hmac_sha256_hex(sd->cfg->hook_secret,
	    strlen(sd->cfg->hook_secret), signed_, strlen(signed_), sig);
	hdrs[0] = "Content-Type: application/json";
	hdrs[1] = arena_printf(a, "X-Palaver-Event: %s", m->what);
	hdrs[2] = arena_printf(a, "X-Palaver-Signature: t=%lld,v1=%s", t,
	    sig);
	hdrs[3] = NULL;
	if (hdrs[1] == NULL || hdrs[2] == NULL) {
		res->r = OB_TEMP;
		snprintf(res->why, sizeof(res->why), "out of memory");
		return;
	}
	outbound_post(sd->ob, m->target, hdrs, m->payload,
	    strlen(m->payload), sd->cfg->hook_timeout, res);
}

/* Record what became of message m after try number `tries`. */
static enum status
record(struct sender *sd, struct store *s, const struct outbox_msg *m,
    const struct ob_res *res, int tries, long long now)
{
	const struct config	*cfg = sd->cfg;
	long			 base, max;
	long long		 wait;
	enum status		 st;

	if (res->r == OB_OK) {
		/* At once, without waiting on the disk: see the top. */
		if ((st = store_sync_fast(s, 1)) != ST_OK)
			return st;
		st = store_outbox_done(s, m->id, "sent", tries, now, NULL);
		store_sync_fast(s, 0);
		return st;
	}
	base = strcmp(m->kind, "mail") == 0 ? cfg->mail_retry_seconds :
	    cfg->hook_retry_seconds;
	max = strcmp(m->kind, "mail") == 0 ? cfg->mail_max_attempts :
	    cfg->hook_max_attempts;
	if (res->r == OB_PERM || tries >= max) {
		log_err("sender: %s %lld to %s failed for good after %d "
		    "tries: %s", m->kind, m->id, m->target, tries, res->why);
		return store_outbox_done(s, m->id, "failed", tries, now,
		    res->why);
	}
	wait = (long long)base << (tries - 1 < 20 ? tries - 1 : 20);
	if (wait > BACKOFF_MAX)
		wait = BACKOFF_MAX;
	log_err("sender: %s %lld to %s: %s; trying again in %lld s", m->kind,
	    m->id, m->target, res->why, wait);
	return store_outbox_retry(s, m->id, tries, now + wait, res->why);
}

/* Deliver the next due message: 1 done, 0 none due, -1 trouble. */
static int
send_one(struct sender *sd, struct store *s, struct arena *a, long long now)
{
	const struct config	*cfg = sd->cfg;
	struct outbox_msg	 m;
	struct ob_res		 res;
	long long		 n = 0;
	int			 mail = outbox_mail_on(cfg), tries;
	enum status		 st;

	st = store_outbox_next(s, a, now, mail,
	    cfg->hook_urls[strspn(cfg->hook_urls, " \t")] != '\0', &m);
	if (st == ST_NOTFOUND)
		return 0;
	if (st != ST_OK)
		return -1;
	if (strcmp(m.kind, "mail") == 0) {
		/* A cap per address and hour, whatever asked for the
		 * messages: nobody's inbox is flooded through us. */
		if (store_outbox_sent_count(s, m.target, now - 3600, &n) !=
		    ST_OK)
			return -1;
		if (n >= cfg->mail_hourly_cap) {
			log_info("sender: mail %lld to %s dropped: %lld sent "
			    "in the last hour", m.id, m.target, n);
			return store_outbox_done(s, m.id, "dropped",
			    m.attempts, now, arena_printf(a, "over the hourly "
			    "cap of %ld messages to this address",
			    cfg->mail_hourly_cap)) == ST_OK ? 1 : -1;
		}
	} else if (!listed(cfg->hook_urls, m.target))
		return store_outbox_done(s, m.id, "dropped", m.attempts, now,
		    "no longer in [webhooks] urls") == ST_OK ? 1 : -1;
	tries = m.attempts + 1;
	if (strcmp(m.kind, "mail") == 0)
		deliver_mail(sd, a, &m, &res);
	else
		deliver_hook(sd, a, &m, &res);
	if (res.r == OB_OK)
		log_info("sender: %s %lld (%s) to %s: %s", m.kind, m.id,
		    m.what, m.target, res.why);
	now = (long long)time(NULL);
	return record(sd, s, &m, &res, tries, now) == ST_OK ? 1 : -1;
}

int
sender_run(struct sender *sd, struct store *s, struct arena *a)
{
	const struct config	*cfg = sd->cfg;
	long long		 now = (long long)time(NULL);
	int			 i, rv, work = 0;

	if (!outbox_wanted(cfg))
		return 0;
	if (!sd->have_secret) {
		if (store_secret(s, sd->secret) != ST_OK)
			return -1;
		sd->have_secret = 1;
	}
	if (!lease(sd, s, a, now))
		return 0;
	for (i = 0; i < EVENTS_A_ROUND; i++) {
		if ((rv = expand_one(sd, s, a, now)) <= 0) {
			if (rv < 0)
				return -1;
			break;
		}
		work = 1;
	}
	if (outbox_mail_on(cfg) && (rv = digests(sd, s, a, now)) != 0) {
		if (rv < 0)
			return -1;
		work = 1;
	}
	now = (long long)time(NULL);
	/* A delivery may take its whole timeout: hold the lease for at least
	 * that long first. */
	if (!lease(sd, s, a, now))
		return work;
	if ((rv = send_one(sd, s, a, now)) < 0)
		return -1;
	work |= rv;
	if (now - sd->last_prune >= PRUNE_EVERY) {
		sd->last_prune = now;
		if (store_outbox_prune(s, now - cfg->mail_keep_days * 86400) !=
		    ST_OK)
			return -1;
	}
	return work;
}
