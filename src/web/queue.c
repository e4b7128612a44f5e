/* queue.c: the queue and its actions, bans, articles, accounts, audit log */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/text.h"
#include "core/arena.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "web/handlers.h"
#include "render/markup.h"
#include "web/mod.h"
#include "http/parse.h"
#include "core/net.h"
#include "core/utf8.h"
#include "http/route.h"
#include "store/store.h"
#include "render/views.h"
#include "domain/writer.h"

/* Rows a page: enough to work through, few enough to read at once. */
#define QUEUE_PAGE	50
#define AUDIT_PAGE	50
#define ARTICLE_PAGE	50
/* Field caps, in characters.  Search words and ban reasons are a line;
 * names match the CLI's (cli.c). */
#define MAX_QUERY	200
#define MAX_REASON	200
#define MAX_BAN_VALUE	254
#define MAX_NAME	64
/* A `back` address is one of our own queue URLs: short. */
#define MAX_BACK	1024
/* Bans last at most ten years; "forever" is an empty field. */
#define BAN_MAX_DAYS	3650

/* --- shared helpers ------------------------------------------------------ */

/* Who acts, for the audit rows written inside each job. */
struct actor {
	long long	 mod;
	const char	*name;
	const char	*addr;
	long long	 now;
};

static enum status
actor_init(struct req *rq, struct actor *a)
{
	a->mod = rq->sess->mod.id;
	a->name = rq->sess->mod.name;
	a->now = (long long)time(NULL);
	return (a->addr = http_addr_hash(rq)) == NULL ? ST_NOMEM : ST_OK;
}

/*
 * Audit rows go in the same job as the change they record (rather than
 * through mod_audit's own job), so a change is never kept without its
 * row, nor a row without its change.
 */
static enum status
audit(struct store *s, const struct actor *a, const char *action,
    const char *target, const char *before, const char *after)
{
	return store_audit_add(s, a->mod, a->name, action, target, before,
	    after, a->addr, a->now);
}

static long long
qs_id(const struct req *rq, const char *key)
{
	const struct kv *kv = kv_find(&rq->qs, key);

	return kv != NULL ? text_id(kv->val, kv->vlen) : 0;
}

/*
 * Where an action returns: the form's `back` when it is a path of ours
 * under /mod/ (http_redirect puts the base path in front), else dflt.
 * Refused: "//" (a scheme-relative address elsewhere), a backslash
 * (browsers read it as a slash), "/." (dot segments climbing out of
 * /mod/), and control characters, spaces or raw non-ASCII bytes, which
 * our own links never hold and which could bend the Location header.
 */
static const char *
back_path(const struct req *rq, const char *dflt)
{
	const struct kv	*kv = kv_find(&rq->form, "back");
	size_t		 i;

	if (kv == NULL || kv->vlen > MAX_BACK || strlen(kv->val) != kv->vlen ||
	    strncmp(kv->val, "/mod/", 5) != 0 ||
	    strstr(kv->val, "//") != NULL || strstr(kv->val, "/.") != NULL)
		return dflt;
	for (i = 0; i < kv->vlen; i++) {
		unsigned char c = (unsigned char)kv->val[i];

		if (c <= ' ' || c >= 0x7f || c == '\\')
			return dflt;
	}
	return kv->val;
}

static enum status
go_back(struct req *rq, struct resp *r, const char *dflt)
{
	http_redirect(rq, r, back_path(rq, dflt));
	return ST_OK;
}

/*
 * A text field from the form, \r\n made \n and surrounding white space
 * trimmed, copied into the arena; *out is NULL when absent or empty.
 * ST_INPUT when it is not UTF-8 text, has a line break or tab where one
 * line is wanted (multi 0), or has more than max characters.
 */
static enum status
text_field(const struct kvlist *l, struct arena *a, const char *key,
    size_t max, int multi, const char **out)
{
	const struct kv	*kv = kv_find(l, key);
	char		*p;
	size_t		 i, j, start;

	*out = NULL;
	if (kv == NULL || kv->vlen == 0)
		return ST_OK;
	if (memchr(kv->val, '\0', kv->vlen) != NULL ||
	    !utf8_check(kv->val, kv->vlen))
		return ST_INPUT;
	if ((p = arena_alloc(a, kv->vlen + 1)) == NULL)
		return ST_NOMEM;
	for (i = j = 0; i < kv->vlen; i++) {
		if (kv->val[i] == '\r') {
			p[j++] = '\n';
			if (i + 1 < kv->vlen && kv->val[i + 1] == '\n')
				i++;
		} else
			p[j++] = kv->val[i];
	}
	while (j > 0 && strchr(" \t\n", p[j - 1]) != NULL)
		j--;
	p[j] = '\0';
	start = strspn(p, " \t\n");
	if (!multi && strpbrk(p + start, "\n\t") != NULL)
		return ST_INPUT;
	if (utf8_len(p + start, j - start) > max)
		return ST_INPUT;
	if (j > start)
		*out = p + start;
	return ST_OK;
}

/* A lower-case copy of s in the arena. */
static char *
lower(struct arena *a, const char *s)
{
	char	*p, *q;

	if ((p = arena_strdup(a, s)) == NULL)
		return NULL;
	for (q = p; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

/* --- the queue ----------------------------------------------------------- */

enum status
h_mod_queue(struct req *rq, struct resp *r)
{
	struct mod_queue	 mq;
	struct queue_query	 qq;
	struct queue_item	*v;
	long long		 counts[CS__MAX];
	const char		*tab, *q;
	size_t			 n;
	enum status		 st;

	memset(&qq, 0, sizeof(qq));
	memset(&mq, 0, sizeof(mq));
	tab = kv_get(&rq->qs, "status");
	qq.status = tab == NULL || *tab == '\0' ? CS_PENDING :
	    cstatus_parse(tab);
	if (qq.status == CS__MAX) {
		route_error(rq, r, 400, "There is no such tab: status is "
		    "pending, spam, approved or deleted.");
		return ST_OK;
	}
	if (text_field(&rq->qs, rq->arena, "q", MAX_QUERY, 0, &q) != ST_OK) {
		route_error(rq, r, 400, "Search for at most 200 characters of "
		    "text on one line.");
		return ST_OK;
	}
	qq.article = qs_id(rq, "article");
	qq.q = q;
	qq.cursor = qs_id(rq, "cursor");
	/* The pending tab is a to-do list, worked oldest first; the others
	 * are records, looked up newest first. */
	qq.oldest_first = qq.status == CS_PENDING;
	qq.limit = QUEUE_PAGE + 1;
	if ((st = store_queue(rq->ctx->store, rq->arena, &qq, &v, &n)) !=
	    ST_OK ||
	    (st = store_queue_counts(rq->ctx->store, qq.article, counts)) !=
	    ST_OK)
		return st;
	if (n > QUEUE_PAGE) {
		n = QUEUE_PAGE;
		mq.next = v[n - 1].c.id;
	}
	mq.status = qq.status;
	mq.article = qq.article;
	mq.q = q;
	mq.cursor = qq.cursor;
	mq.counts = counts;
	mq.v = v;
	mq.n = n;
	view_mod_queue(rq, &r->body, &mq);
	return ST_OK;
}

/* --- decisions on comments ----------------------------------------------- */

/* Status changes for one comment or many, each audited. */
struct status_job {
	struct actor	 who;
	const long long	*ids;
	size_t		 n;
	enum cstatus	 to;
	const char	*action;
	int		 skip_missing;	/* bulk: gone is no error */
};

static enum status
status_job(struct store *s, void *arg)
{
	struct status_job	*j = arg;
	enum cstatus		 old;
	char			 target[40];
	size_t			 i;
	enum status		 st;

	for (i = 0; i < j->n; i++) {
		st = store_comment_set_status(s, j->ids[i], j->to, &old);
		if (st == ST_NOTFOUND && j->skip_missing)
			continue;
		if (st != ST_OK)
			return st;
		if (old == j->to)
			continue;	/* no change, no record */
		snprintf(target, sizeof(target), "comment:%lld", j->ids[i]);
		if ((st = audit(s, &j->who, j->action, target,
		    cstatus_str(old), cstatus_str(j->to))) != ST_OK)
			return st;
	}
	return ST_OK;
}

struct edit_job {
	struct actor	 who;
	struct arena	*arena;	/* the request's: its thread waits */
	long long	 id;
	const char	*body;
	const char	*html;
};

static enum status
edit_job(struct store *s, void *arg)
{
	struct edit_job	*j = arg;
	struct comment	 c;
	char		 target[40];
	enum status	 st;

	/* Read in the transaction: "before" is exactly what was replaced. */
	if ((st = store_comment_get(s, j->arena, j->id, &c)) != ST_OK ||
	    (st = store_comment_edit(s, j->id, j->body, j->html, j->who.now,
	    j->who.mod)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "comment:%lld", j->id);
	return audit(s, &j->who, "edit", target, c.body, j->body);
}

struct ban_job {
	struct actor	 who;
	const char	*kind;
	const char	*value;
	const char	*target;	/* kind:value, for the audit */
	const char	*reason;
	long long	 expires;	/* 0: never */
	long long	 comment;	/* and move this one to spam, or 0 */
};

static enum status
ban_job(struct store *s, void *arg)
{
	struct ban_job		*j = arg;
	struct status_job	 sj;
	enum status		 st;

	if ((st = store_ban_add(s, j->kind, j->value, j->reason, j->who.now,
	    j->expires, j->who.mod, NULL)) != ST_OK ||
	    (st = audit(s, &j->who, "ban", j->target, NULL, j->reason)) !=
	    ST_OK)
		return st;
	if (j->comment == 0)
		return ST_OK;
	memset(&sj, 0, sizeof(sj));
	sj.who = j->who;
	sj.ids = &j->comment;
	sj.n = 1;
	sj.to = CS_SPAM;
	sj.action = "spam";
	return status_job(s, &sj);
}

struct act_def;
static enum status	act_status(struct req *, struct resp *,
			    const struct act_def *);
static enum status	act_edit(struct req *, struct resp *,
			    const struct act_def *);
static enum status	act_ban(struct req *, struct resp *,
			    const struct act_def *);

enum act {
	ACT_APPROVE,
	ACT_SPAM,
	ACT_DELETE,
	ACT_EDIT,
	ACT_BAN,
	ACT__MAX
};

/* What /mod/comments/{id}/{word} and the bulk form may do. */
static const struct act_def {
	const char	*word;		/* in path, form and audit */
	enum cstatus	 to;		/* CS__MAX: no status */
	int		 bulk;		/* offered for many at once */
	enum status	(*fn)(struct req *, struct resp *,
			    const struct act_def *);
} acts[ACT__MAX] = {
	[ACT_APPROVE] = { "approve", CS_APPROVED, 1, act_status },
	[ACT_SPAM] = { "spam", CS_SPAM, 1, act_status },
	/* Kept for the record, hidden from readers. */
	[ACT_DELETE] = { "delete", CS_DELETED, 1, act_status },
	[ACT_EDIT] = { "edit", CS__MAX, 0, act_edit },
	[ACT_BAN] = { "ban", CS_SPAM, 0, act_ban },
};

static const struct act_def *
act_find(const char *word)
{
	size_t	 i;

	for (i = 0; word != NULL && i < ACT__MAX; i++)
		if (strcmp(acts[i].word, word) == 0)
			return &acts[i];
	return NULL;
}

static enum status
act_status(struct req *rq, struct resp *r, const struct act_def *a)
{
	struct status_job	 j;
	enum status		 st;

	memset(&j, 0, sizeof(j));
	if ((st = actor_init(rq, &j.who)) != ST_OK)
		return st;
	j.ids = &rq->arg[0];
	j.n = 1;
	j.to = a->to;
	j.action = a->word;
	if ((st = writer_run(rq->ctx->writer, status_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/");
}

static enum status
act_edit(struct req *rq, struct resp *r, const struct act_def *a)
{
	struct edit_job	 j;
	struct buf	 html = BUF_INIT;
	size_t		 max = (size_t)rq->ctx->cfg->max_comment;
	enum status	 st;

	(void)a;
	memset(&j, 0, sizeof(j));
	st = text_field(&rq->form, rq->arena, "body", max, 1, &j.body);
	if (st == ST_NOMEM)
		return st;
	if (st != ST_OK || j.body == NULL) {
		route_error(rq, r, 422, arena_printf(rq->arena, "The comment "
		    "must be text of 1 to %zu characters; nothing was "
		    "changed.", max));
		return ST_OK;
	}
	if ((st = markup_render(&html, j.body, strlen(j.body), NULL)) !=
	    ST_OK || html.err) {
		buf_free(&html);
		return st != ST_OK ? st : ST_NOMEM;
	}
	j.html = arena_strndup(rq->arena, buf_str(&html), html.len);
	buf_free(&html);
	if (j.html == NULL || (st = actor_init(rq, &j.who)) != ST_OK)
		return ST_NOMEM;
	j.arena = rq->arena;
	j.id = rq->arg[0];
	if ((st = writer_run(rq->ctx->writer, edit_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/");
}

static enum status
act_ban(struct req *rq, struct resp *r, const struct act_def *a)
{
	struct ban_job	 j;
	struct comment	 c;
	const char	*kind = kv_get(&rq->form, "kind"), *value;
	enum status	 st;

	(void)a;
	memset(&j, 0, sizeof(j));
	if (kind == NULL || (strcmp(kind, "email") != 0 &&
	    strcmp(kind, "addr_hash") != 0)) {
		route_error(rq, r, 422, "Ban the comment's e-mail (kind=email) "
		    "or its address (kind=addr_hash).");
		return ST_OK;
	}
	if ((st = store_comment_get(rq->ctx->store, rq->arena, rq->arg[0],
	    &c)) != ST_OK)
		return st;
	value = strcmp(kind, "email") == 0 ? c.email : c.addr_hash;
	if (value == NULL || *value == '\0') {
		route_error(rq, r, 422, strcmp(kind, "email") == 0 ?
		    "This comment has no e-mail address to ban." :
		    "This comment has no address to ban.");
		return ST_OK;
	}
	j.kind = kind;
	/* E-mail bans match in lower case (store_ban_match). */
	if ((j.value = lower(rq->arena, value)) == NULL ||
	    (j.target = arena_printf(rq->arena, "%s:%s", kind, j.value)) ==
	    NULL ||
	    (j.reason = arena_printf(rq->arena, "comment:%lld", c.id)) ==
	    NULL || (st = actor_init(rq, &j.who)) != ST_OK)
		return ST_NOMEM;
	/* The comment that earned the ban goes to spam with it. */
	j.comment = c.id;
	if ((st = writer_run(rq->ctx->writer, ban_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/");
}

enum status
h_mod_comment(struct req *rq, struct resp *r)
{
	const struct act_def *a = act_find(rq->word);

	if (a == NULL)
		return ST_NOTFOUND;
	return a->fn(rq, r, a);
}

enum status
h_mod_bulk(struct req *rq, struct resp *r)
{
	const struct act_def	*a = act_find(kv_get(&rq->form, "action"));
	struct status_job	 j;
	long long		*ids;
	size_t			 i, n = 0;
	enum status		 st;

	if (a == NULL || !a->bulk) {
		route_error(rq, r, 422, "Choose what to do with the selected "
		    "comments: approve, spam or delete.");
		return ST_OK;
	}
	if ((ids = arena_calloc(rq->arena, rq->form.n + 1, sizeof(*ids))) ==
	    NULL)
		return ST_NOMEM;
	/* The key repeats (id=1&id=2), so kv_get would see only one. */
	for (i = 0; i < rq->form.n; i++) {
		const struct kv *kv = &rq->form.v[i];

		if (strcmp(kv->key, "id") != 0)
			continue;
		if ((ids[n++] = text_id(kv->val, kv->vlen)) == 0)
			return ST_INPUT;
	}
	if (n == 0) {
		route_error(rq, r, 422, "Select at least one comment first; "
		    "nothing was changed.");
		return ST_OK;
	}
	memset(&j, 0, sizeof(j));
	if ((st = actor_init(rq, &j.who)) != ST_OK)
		return st;
	j.ids = ids;
	j.n = n;
	j.to = a->to;
	j.action = a->word;
	j.skip_missing = 1;
	if ((st = writer_run(rq->ctx->writer, status_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/");
}

/* --- bans ---------------------------------------------------------------- */

static enum status	norm_email(struct arena *, const char *,
			    const char **);
static enum status	norm_addr_hash(struct arena *, const char *,
			    const char **);
static enum status	norm_prefix(struct arena *, const char *,
			    const char **);

enum ban_kind {
	BK_EMAIL,
	BK_ADDR_HASH,
	BK_PREFIX,
	BK__MAX
};

/* The kinds of ban, each with what makes its value one. */
static const struct ban_kind_def {
	const char	*name;
	enum status	(*norm)(struct arena *, const char *, const char **);
	const char	*err;
} ban_kinds[BK__MAX] = {
	[BK_EMAIL] = { "email", norm_email, "An e-mail ban needs an "
	    "address with an @ in it." },
	[BK_ADDR_HASH] = { "addr_hash", norm_addr_hash, "An address hash "
	    "is 32 hexadecimal digits, as the queue shows it." },
	[BK_PREFIX] = { "prefix", norm_prefix, "A prefix is an IPv4 /24 "
	    "such as 192.0.2.0/24 or an IPv6 /48 such as 2001:db8:1::/48 (or "
	    "an address in one)." },
};

static enum status
norm_email(struct arena *a, const char *in, const char **out)
{
	const char	*at = strchr(in, '@');

	if (at == NULL || at == in || at[1] == '\0' ||
	    strpbrk(in, " <>\"") != NULL)
		return ST_INPUT;
	return (*out = lower(a, in)) == NULL ? ST_NOMEM : ST_OK;
}

static enum status
norm_addr_hash(struct arena *a, const char *in, const char **out)
{
	if (strlen(in) != AUTH_ADDR_HASH_LEN ||
	    strspn(in, "0123456789abcdefABCDEF") != AUTH_ADDR_HASH_LEN)
		return ST_INPUT;
	return (*out = lower(a, in)) == NULL ? ST_NOMEM : ST_OK;
}

/*
 * An address or prefix made the prefix post.c looks up ("a.b.c.0/24",
 * "x:x:x::/48"): the same function both sides, so a ban written here
 * always matches what a poster's address becomes there.
 */
static enum status
norm_prefix(struct arena *a, const char *in, const char **out)
{
	char	 p[64];

	if (parse_addr_prefix(in, p, sizeof(p)) == -1)
		return ST_INPUT;
	return (*out = arena_strdup(a, p)) == NULL ? ST_NOMEM : ST_OK;
}

static enum status
bans_page(struct req *rq, struct resp *r, int code,
    const struct mod_ban_form *f, const char *msg)
{
	struct ban	*v;
	size_t		 n;
	enum status	 st;

	if ((st = store_ban_list(rq->ctx->store, rq->arena,
	    (long long)time(NULL), &v, &n)) != ST_OK)
		return st;
	r->status = code;
	view_mod_bans(rq, &r->body, v, n, f, msg);
	return ST_OK;
}

enum status
h_mod_bans_get(struct req *rq, struct resp *r)
{
	return bans_page(rq, r, 200, NULL, NULL);
}

enum status
h_mod_bans_post(struct req *rq, struct resp *r)
{
	const struct ban_kind_def	*k = NULL;
	struct mod_ban_form		 f;
	struct ban_job			 j;
	const char			*value, *days;
	long long			 d = 0;
	size_t				 i;
	enum status			 st;

	memset(&j, 0, sizeof(j));
	f.kind = kv_get(&rq->form, "kind");
	f.value = kv_get(&rq->form, "value");
	f.reason = kv_get(&rq->form, "reason");
	f.days = kv_get(&rq->form, "days");
	for (i = 0; f.kind != NULL && i < BK__MAX; i++)
		if (strcmp(ban_kinds[i].name, f.kind) == 0)
			k = &ban_kinds[i];
	if (k == NULL)
		return bans_page(rq, r, 422, &f, "Choose what to ban: an "
		    "e-mail, an address hash or an address prefix.");
	if ((st = text_field(&rq->form, rq->arena, "value", MAX_BAN_VALUE, 0,
	    &value)) == ST_NOMEM)
		return st;
	if (st != ST_OK || value == NULL)
		return bans_page(rq, r, 422, &f, k->err);
	if ((st = k->norm(rq->arena, value, &j.value)) == ST_NOMEM)
		return st;
	if (st != ST_OK)
		return bans_page(rq, r, 422, &f, k->err);
	if ((st = text_field(&rq->form, rq->arena, "reason", MAX_REASON, 0,
	    &j.reason)) == ST_NOMEM)
		return st;
	if (st != ST_OK)
		return bans_page(rq, r, 422, &f, "The reason is one line of "
		    "at most 200 characters.");
	if ((st = text_field(&rq->form, rq->arena, "days", 8, 0, &days)) ==
	    ST_NOMEM)
		return st;
	if (st != ST_OK || (days != NULL && ((d = text_id(days,
	    strlen(days))) == 0 || d > BAN_MAX_DAYS)))
		return bans_page(rq, r, 422, &f, "Days is a whole number from "
		    "1 to 3650, or empty for a ban without end.");
	if ((st = actor_init(rq, &j.who)) != ST_OK)
		return st;
	j.kind = k->name;
	j.expires = d > 0 ? j.who.now + d * 86400 : 0;
	if ((j.target = arena_printf(rq->arena, "%s:%s", j.kind, j.value)) ==
	    NULL)
		return ST_NOMEM;
	if ((st = writer_run(rq->ctx->writer, ban_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/bans");
}

struct unban_job {
	struct actor	 who;
	long long	 id;
	const char	*target;
};

static enum status
unban_job(struct store *s, void *arg)
{
	struct unban_job *j = arg;
	enum status	 st;

	if ((st = store_ban_del(s, j->id)) != ST_OK)
		return st;
	return audit(s, &j->who, "unban", j->target, NULL, NULL);
}

enum status
h_mod_ban_delete(struct req *rq, struct resp *r)
{
	struct unban_job j;
	struct ban	*v;
	size_t		 i, n;
	enum status	 st;

	memset(&j, 0, sizeof(j));
	j.id = rq->arg[0];
	/* Name the ban in the audit as it was made: kind:value. */
	if ((st = store_ban_list(rq->ctx->store, rq->arena,
	    (long long)time(NULL), &v, &n)) != ST_OK)
		return st;
	for (i = 0; i < n && v[i].id != j.id; i++)
		continue;
	j.target = i < n ? arena_printf(rq->arena, "%s:%s", v[i].kind,
	    v[i].value) : arena_printf(rq->arena, "ban:%lld", j.id);
	if (j.target == NULL || (st = actor_init(rq, &j.who)) != ST_OK)
		return ST_NOMEM;
	if ((st = writer_run(rq->ctx->writer, unban_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/bans");
}

/* --- articles ------------------------------------------------------------ */

enum status
h_mod_articles(struct req *rq, struct resp *r)
{
	struct article	*v;
	size_t		 n;
	long long	 next_id = 0, next_at = 0;
	enum status	 st;

	if ((st = store_article_list(rq->ctx->store, rq->arena,
	    qs_id(rq, "at"), qs_id(rq, "before"), ARTICLE_PAGE + 1, &v,
	    &n)) != ST_OK)
		return st;
	if (n > ARTICLE_PAGE) {
		n = ARTICLE_PAGE;
		next_id = v[n - 1].id;
		next_at = v[n - 1].created;
	}
	view_mod_articles(rq, &r->body, v, n, next_at, next_id);
	return ST_OK;
}

/* /mod/articles/{id}/{word}: what a word does to the article. */
static const struct {
	const char	*word;
	int		 closed;
} article_acts[] = {
	{ "close", 1 },
	{ "open", 0 },
};

struct article_job {
	struct actor	 who;
	long long	 id;
	int		 closed;
	const char	*action;
};

static enum status
article_job(struct store *s, void *arg)
{
	struct article_job *j = arg;
	char		 target[40];
	enum status	 st;

	if ((st = store_article_set(s, j->id, j->closed, NULL)) != ST_OK)
		return st;
	snprintf(target, sizeof(target), "article:%lld", j->id);
	return audit(s, &j->who, j->action, target, NULL, NULL);
}

enum status
h_mod_article_set(struct req *rq, struct resp *r)
{
	struct article_job	 j;
	size_t			 i;
	enum status		 st;

	memset(&j, 0, sizeof(j));
	for (i = 0; i < sizeof(article_acts) / sizeof(article_acts[0]); i++)
		if (strcmp(article_acts[i].word, rq->word) == 0)
			break;
	if (i == sizeof(article_acts) / sizeof(article_acts[0]))
		return ST_NOTFOUND;
	if ((st = actor_init(rq, &j.who)) != ST_OK)
		return st;
	j.id = rq->arg[0];
	j.closed = article_acts[i].closed;
	j.action = article_acts[i].word;
	if ((st = writer_run(rq->ctx->writer, article_job, &j)) != ST_OK)
		return st;
	return go_back(rq, r, "/mod/articles");
}

/* --- accounts (admins only: the route rows say RF_ADMIN) ----------------- */

static enum status
users_page(struct req *rq, struct resp *r, int code, const char *msg)
{
	struct moderator	*v;
	size_t			 n;
	enum status		 st;

	if ((st = store_mod_list(rq->ctx->store, rq->arena, &v, &n)) !=
	    ST_OK)
		return st;
	r->status = code;
	view_mod_users(rq, &r->body, v, n, msg);
	return ST_OK;
}

enum status
h_mod_users_get(struct req *rq, struct resp *r)
{
	return users_page(rq, r, 200, NULL);
}

/* The CLI's rules (cli.c): UTF-8, at least AUTH_PW_MIN characters, not
 * the name.  NULL when the password will do, else why not. */
static const char *
password_problem(const struct kv *pw, const char *name)
{
	if (pw == NULL || pw->vlen == 0)
		return "Please give a password.";
	if (pw->vlen > AUTH_PW_MAX || memchr(pw->val, '\0', pw->vlen) !=
	    NULL || !utf8_check(pw->val, pw->vlen) ||
	    strpbrk(pw->val, "\t\r\n") != NULL)
		return "The password must be one line of text, at most 1024 "
		    "bytes.";
	if (utf8_len(pw->val, pw->vlen) < AUTH_PW_MIN)
		return "The password must have at least 12 characters.";
	if (strcasecmp(pw->val, name) == 0)
		return "The password must not be the name.";
	return NULL;
}

/*
 * Hash the form's password field when it will do (else *why says what is
 * wrong), then wipe it from the request, decoded and raw, either way: the
 * handler reads the other fields before this.
 */
static enum status
password_hash(struct req *rq, const char *name, char out[AUTH_HASH_MAX],
    const char **why)
{
	const struct config	*cfg = rq->ctx->cfg;
	const struct kv		*pw = kv_find(&rq->form, "password");
	int			 rc = 0;

	if ((*why = password_problem(pw, name)) == NULL)
		rc = auth_password_hash(pw->val, pw->vlen,
		    (unsigned long long)cfg->pwhash_ops,
		    (size_t)cfg->pwhash_mem, out);
	if (pw != NULL)
		auth_wipe((void *)(uintptr_t)pw->val, pw->vlen);
	if (rq->body != NULL)
		auth_wipe((void *)(uintptr_t)rq->body, rq->bodylen);
	return rc == -1 ? ST_NOMEM : ST_OK;
}

struct user_job {
	struct actor	 who;
	struct arena	*arena;
	long long	 id;		/* delete, password */
	const char	*name;		/* add; the others fill it */
	const char	*hash;		/* add, password */
	int		 admin;		/* add */
};

static enum status
user_add_job(struct store *s, void *arg)
{
	struct user_job	*j = arg;
	const char	*target;
	enum status	 st;

	if ((st = store_mod_add(s, j->name, j->hash, j->admin, j->who.now,
	    &j->id)) != ST_OK)
		return st;
	target = arena_printf(j->arena, "user:%s", j->name);
	if (target == NULL)
		return ST_NOMEM;
	return audit(s, &j->who, "user-add", target, NULL,
	    j->admin ? "admin" : "moderator");
}

/* Checked in the transaction, so two admins deleting each other at once
 * cannot leave none. */
static enum status
user_del_job(struct store *s, void *arg)
{
	struct user_job		*j = arg;
	struct moderator	 m;
	long long		 admins = 0;
	const char		*target;
	enum status		 st;

	if ((st = store_mod_by_id(s, j->arena, j->id, &m)) != ST_OK)
		return st;
	j->name = m.name;
	if (m.admin && ((st = store_mod_count_admins(s, &admins)) != ST_OK ||
	    admins <= 1))
		return st != ST_OK ? st : ST_CONFLICT;
	if ((st = store_mod_del(s, j->id)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", m.name)) == NULL)
		return ST_NOMEM;
	return audit(s, &j->who, "user-del", target, NULL, NULL);
}

static enum status
user_passwd_job(struct store *s, void *arg)
{
	struct user_job	*j = arg;
	const char	*target;
	enum status	 st;

	/* Their sessions end with the old password. */
	if ((st = store_mod_set_hash(s, j->id, j->hash, 0)) != ST_OK)
		return st;
	if ((target = arena_printf(j->arena, "user:%s", j->name)) == NULL)
		return ST_NOMEM;
	return audit(s, &j->who, "user-passwd", target, NULL, NULL);
}

enum status
h_mod_users_post(struct req *rq, struct resp *r)
{
	struct user_job	 j;
	char		 hash[AUTH_HASH_MAX];
	const char	*role = kv_get(&rq->form, "role"), *why;
	enum status	 st;

	memset(&j, 0, sizeof(j));
	st = text_field(&rq->form, rq->arena, "name", MAX_NAME, 0, &j.name);
	if (st == ST_NOMEM)
		return st;
	if (st != ST_OK || j.name == NULL || strpbrk(j.name, " ") != NULL)
		return users_page(rq, r, 422, "A name is 1 to 64 characters "
		    "without spaces.");
	if (role == NULL || (strcmp(role, "admin") != 0 &&
	    strcmp(role, "moderator") != 0))
		return users_page(rq, r, 422, "The role is admin or "
		    "moderator.");
	j.admin = strcmp(role, "admin") == 0;
	if ((st = password_hash(rq, j.name, hash, &why)) != ST_OK)
		return st;
	if (why != NULL)
		return users_page(rq, r, 422, why);
	if ((st = actor_init(rq, &j.who)) != ST_OK)
		return st;
	j.arena = rq->arena;
	j.hash = hash;
	st = writer_run(rq->ctx->writer, user_add_job, &j);
	auth_wipe(hash, sizeof(hash));
	if (st == ST_CONFLICT)
		return users_page(rq, r, 409, "There is an account with that "
		    "name already.");
	if (st != ST_OK)
		return st;
	http_redirect(rq, r, "/mod/users");
	return ST_OK;
}

static enum status
user_delete(struct req *rq, struct resp *r, struct user_job *j)
{
	enum status	 st;

	if (j->id == rq->sess->mod.id)
		return users_page(rq, r, 403, "You cannot delete your own "
		    "account; another admin can.");
	if ((st = writer_run(rq->ctx->writer, user_del_job, j)) ==
	    ST_CONFLICT)
		return users_page(rq, r, 409, "That is the last admin; make "
		    "another admin first.");
	if (st != ST_OK)
		return st;
	http_redirect(rq, r, "/mod/users");
	return ST_OK;
}

static enum status
user_password(struct req *rq, struct resp *r, struct user_job *j)
{
	struct moderator m;
	char		 hash[AUTH_HASH_MAX];
	const char	*why;
	enum status	 st;

	if ((st = store_mod_by_id(rq->ctx->store, rq->arena, j->id, &m)) !=
	    ST_OK)
		return st;
	if ((st = password_hash(rq, m.name, hash, &why)) != ST_OK)
		return st;
	if (why != NULL)
		return users_page(rq, r, 422, why);
	j->name = m.name;
	j->hash = hash;
	st = writer_run(rq->ctx->writer, user_passwd_job, j);
	auth_wipe(hash, sizeof(hash));
	if (st != ST_OK)
		return st;
	/* Your own new password ended your session too: to the login. */
	http_redirect(rq, r, "/mod/users");
	return ST_OK;
}

enum status
h_mod_user(struct req *rq, struct resp *r)
{
	struct user_job	 j;
	enum status	 st;

	memset(&j, 0, sizeof(j));
	if ((st = actor_init(rq, &j.who)) != ST_OK)
		return st;
	j.arena = rq->arena;
	j.id = rq->arg[0];
	if (strcmp(rq->word, "delete") == 0)
		return user_delete(rq, r, &j);
	if (strcmp(rq->word, "password") == 0)
		return user_password(rq, r, &j);
	return ST_NOTFOUND;
}

/* --- the audit log ------------------------------------------------------- */

enum status
h_mod_audit(struct req *rq, struct resp *r)
{
	struct audit_entry	*v;
	size_t			 n;
	long long		 next = 0;
	enum status		 st;

	if ((st = store_audit_list(rq->ctx->store, rq->arena,
	    qs_id(rq, "before"), AUDIT_PAGE + 1, &v, &n)) != ST_OK)
		return st;
	if (n > AUDIT_PAGE) {
		n = AUDIT_PAGE;
		next = v[n - 1].id;
	}
	view_mod_audit(rq, &r->body, v, n, next);
	return ST_OK;
}
