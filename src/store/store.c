/* store.c: one storage interface over two engines: which one a database is, the helpers every part uses, settings, articles, transactions */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/vec.h"
#include "store/store.h"
#include "store/store_int.h"

/* --- engines ------------------------------------------------------------- */

/* From build/sql_gen.c: as many migrations for one engine as the other. */
extern const size_t nmigrations;

int
store_schema_version(void)
{
	return (int)nmigrations;
}

int
store_is_url(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0;
}

const struct driver *
store_engine(const char *db)
{
	return store_is_url(db) ? &pg_driver : &sqlite_driver;
}

const char *
store_display(const char *db, char *out, size_t outsz)
{
	const char	*auth, *at, *colon;
	size_t		 n;

	if (!store_is_url(db) || (auth = strstr(db, "://")) == NULL) {
		snprintf(out, outsz, "%s", db);
		return out;
	}
	auth += 3;
	/* postgresql://user:password@host/db: the password goes. */
	at = auth + strcspn(auth, "@/?");
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (*at != '@' || colon == NULL) {
		snprintf(out, outsz, "%s", db);
		return out;
	}
	n = (size_t)(colon - db);
	snprintf(out, outsz, "%.*s:***%s", (int)n, db, at);
	return out;
}

enum status
store_open(const char *db, struct store **out)
{
	struct store	*s;
	enum status	 rv;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ST_NOMEM;
	s->drv = store_engine(db);
	s->max_depth = sq_max_depth();
	if ((rv = s->drv->open(s, db)) != ST_OK) {
		store_close(s);
		return rv;
	}
	*out = s;
	return ST_OK;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	s->drv->close(s);
	free(s->bumps);
	free(s);
}

void
store_set_writer(struct store *s)
{
	s->drv->set_writer(s);
}

void
store_writer_turn(struct store *s)
{
	if (s->drv->turn != NULL)
		s->drv->turn(s);
}

int
store_checkpoints(struct store *s)
{
	return s->drv->checkpoint != NULL;
}

void
store_checkpoint_manual(struct store *s)
{
	if (s->drv->checkpoint_manual != NULL)
		s->drv->checkpoint_manual(s);
}

enum status
store_checkpoint(struct store *s, int restart, long *frames, long *copied)
{
	if (s->drv->checkpoint != NULL)
		return s->drv->checkpoint(s, restart, frames, copied);
	if (frames != NULL)
		*frames = 0;
	if (copied != NULL)
		*copied = 0;
	return ST_OK;
}

int
store_group_commit(const struct store *s)
{
	return s->drv->group_commit;
}

enum status
store_migrate(const char *db, const unsigned char fresh_secret[32],
    int *from, int *to)
{
	return store_engine(db)->migrate(db, fresh_secret, from, to);
}

enum status
store_backup(const char *db, const char *dest)
{
	return store_engine(db)->backup(db, dest);
}

void
store_set_auto_close(struct store *s, long days)
{
	s->auto_close = (long long)days * 86400;
}

/* --- helpers ------------------------------------------------------------ */

const char *
db_col_text(struct arena *a, struct dbstmt *st, int i, int *nomem)
{
	const char	*p, *r;
	size_t		 n;

	if ((p = db_col_blob(st, i, &n)) == NULL)
		return NULL;
	if ((r = arena_strndup(a, p, n)) == NULL)
		*nomem = 1;
	return r;
}

enum status
db_done(struct store *s, struct dbstmt *st, const char *what)
{
	enum step	 rc;

	while ((rc = db_step(st)) == STEP_ROW)
		continue;
	db_reset(st);
	if (rc != STEP_DONE)
		return db_fail(s, what);
	return ST_OK;
}

enum status
db_one_int(struct store *s, struct dbstmt *st, const char *what, long long *v)
{
	enum step	 rc = db_step(st);

	if (rc == STEP_ROW)
		*v = db_col_int(st, 0);
	db_reset(st);
	if (rc == STEP_DONE)
		return ST_NOTFOUND;
	if (rc != STEP_ROW)
		return db_fail(s, what);
	return ST_OK;
}

enum status
db_row(struct store *s, struct arena *a, struct dbstmt *st, const char *what,
    db_reader fn, void *out)
{
	enum step	 rc = db_step(st);
	int		 r = 0;

	if (rc == STEP_ROW)
		r = fn(a, st, out);
	db_reset(st);
	if (rc == STEP_DONE)
		return ST_NOTFOUND;
	if (rc != STEP_ROW)
		return db_fail(s, what);
	return r == 0 ? ST_OK : ST_NOMEM;
}

enum status
db_rows(struct store *s, struct arena *a, struct dbstmt *st, const char *what,
    size_t size, db_reader fn, void **vp, size_t *np)
{
	char		*v = NULL;
	size_t		 n = 0, cap = 0;
	enum step	 rc;
	int		 nomem = 0;

	*vp = NULL;
	*np = 0;
	while ((rc = db_step(st)) == STEP_ROW)
		if ((v = vec_grow(a, v, n, &cap, size)) == NULL ||
		    fn(a, st, v + size * n++) == -1) {
			nomem = 1;
			break;
		}
	db_reset(st);
	if (nomem)
		return ST_NOMEM;
	if (rc != STEP_DONE)
		return db_fail(s, what);
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
db_insert(struct store *s, struct dbstmt *st, const char *what, long long *id)
{
	enum step	 rc = db_step(st);
	long long	 v = 0;

	/* An engine may give the new id as a row (RETURNING id). */
	if (rc == STEP_ROW) {
		v = db_col_int(st, 0);
		while ((rc = db_step(st)) == STEP_ROW)
			continue;
	} else if (rc == STEP_DONE)
		v = db_last_id(s);
	db_reset(st);
	if (rc == STEP_CONFLICT)
		return ST_CONFLICT;
	if (rc != STEP_DONE)
		return db_fail(s, what);
	if (id != NULL)
		*id = v;
	return ST_OK;
}

static int
read_article(struct store *s, struct arena *a, struct dbstmt *st,
    struct article *ar)
{
	int	 nomem = 0;

	memset(ar, 0, sizeof(*ar));
	ar->id = db_col_int(st, 0);
	ar->uri = db_col_text(a, st, 1, &nomem);
	ar->title = db_col_text(a, st, 2, &nomem);
	ar->body_html = db_col_text(a, st, 3, &nomem);
	ar->created = db_col_int(st, 4);
	ar->closed = (int)db_col_int(st, 5);
	ar->mode = db_col_text(a, st, 6, &nomem);
	ar->version = db_col_int(st, 7);
	ar->ncomments = db_col_int(st, 8);
	ar->title_proposed = db_col_text(a, st, 9, &nomem);
	ar->by_reader = (int)db_col_int(st, 10);
	ar->kept_open = (int)db_col_int(st, 11);
	ar->votes = db_col_int(st, 12);
	/* [moderation] auto_close_days: old articles read as closed, unless
	 * a moderator reopened them. */
	ar->aged = s->auto_close > 0 && ar->created < (long long)time(NULL) -
	    s->auto_close;
	if (ar->aged && !ar->closed && !ar->kept_open)
		ar->closed = ar->auto_closed = 1;
	return nomem ? -1 : 0;
}

/* --- settings ------------------------------------------------------------ */

enum status
store_secret(struct store *s, unsigned char out[32])
{
	struct dbstmt	*st = db_get(s, STMT_SECRET);
	const void	*p;
	size_t		 n = 0;
	enum step	 rc;

	if ((rc = db_step(st)) == STEP_ROW &&
	    (p = db_col_blob(st, 0, &n)) != NULL && n == 32) {
		memcpy(out, p, 32);
		db_reset(st);
		return ST_OK;
	}
	db_reset(st);
	if (rc == STEP_ROW || rc == STEP_DONE) {
		log_err("database: the server secret is missing or damaged; "
		    "run palaver init");
		return ST_NOTFOUND;
	}
	return db_fail(s, "secret");
}

enum status
store_job_claim(struct store *s, const char *job, long long now,
    long long next, int *mine)
{
	struct dbstmt	*st = db_get(s, STMT_JOB_CLAIM);
	enum step	 rc;

	*mine = 0;
	db_text(st, ":name", job);
	db_int(st, ":next", next);
	db_int(st, ":now", now);
	if ((rc = db_step(st)) == STEP_ROW) {
		*mine = 1;
		while ((rc = db_step(st)) == STEP_ROW)
			continue;
	}
	db_reset(st);
	if (rc != STEP_DONE)
		return db_fail(s, "job claim");
	return ST_OK;
}

enum status
store_key_check_get(struct store *s, long long *period, char *fp,
    size_t fpsz)
{
	struct dbstmt	*st = db_get(s, STMT_KEY_GET);
	const char	*v;
	enum step	 rc;

	if ((rc = db_step(st)) == STEP_ROW) {
		*period = db_col_int(st, 0);
		v = db_col_str(st, 1);
		snprintf(fp, fpsz, "%s", v != NULL ? v : "");
	}
	db_reset(st);
	if (rc == STEP_DONE)
		return ST_NOTFOUND;
	if (rc != STEP_ROW)
		return db_fail(s, "address key");
	return ST_OK;
}

enum status
store_key_check_put(struct store *s, long long period, const char *fp)
{
	struct dbstmt	*st = db_get(s, STMT_KEY_PUT);

	db_int(st, ":period", period);
	db_text(st, ":fingerprint", fp);
	return db_done(s, st, "address key");
}

/* --- articles ------------------------------------------------------------ */

enum status
store_article_add(struct store *s, const char *uri, const char *title,
    const char *body, const char *body_html, long long now, long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_INSERT);

	db_text(st, ":uri", uri);
	db_text(st, ":title", title);
	db_text(st, ":body", body);
	db_text(st, ":body_html", body_html);
	db_int(st, ":created", now);
	return db_insert(s, st, "article add", id);
}

enum status
store_article_add_reader(struct store *s, const char *uri,
    const char *title_proposed, long long now, long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_INSERT_READER);

	db_text(st, ":uri", uri);
	db_text(st, ":title", title_proposed);
	db_int(st, ":created", now);
	return db_insert(s, st, "article add", id);
}

enum status
store_article_title(struct store *s, long long id, const char *title)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_TITLE);
	enum status	 rv;

	db_int(st, ":id", id);
	db_text(st, ":title", title);
	if ((rv = db_done(s, st, "article title")) != ST_OK)
		return rv;
	return db_changes(s) == 0 ? ST_NOTFOUND : ST_OK;
}

static enum status
article_one(struct store *s, struct dbstmt *st, struct arena *a,
    struct article *ar)
{
	enum step	 rc;
	int		 bad;

	if ((rc = db_step(st)) == STEP_DONE) {
		db_reset(st);
		return ST_NOTFOUND;
	}
	if (rc != STEP_ROW) {
		db_reset(st);
		return db_fail(s, "article get");
	}
	bad = read_article(s, a, st, ar);
	db_reset(st);
	return bad == 0 ? ST_OK : ST_NOMEM;
}

enum status
store_article_get(struct store *s, struct arena *a, long long id,
    struct article *ar)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_GET);

	db_int(st, ":id", id);
	return article_one(s, st, a, ar);
}

enum status
store_article_by_uri(struct store *s, struct arena *a, const char *uri,
    struct article *ar)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_BY_URI);
	const char	*q;
	char		*path;
	enum status	 rv;

	db_text(st, ":uri", uri);
	rv = article_one(s, st, a, ar);
	/* A key with a query (a site keyed so on import, --keep-query)
	 * when there is one, else the page's path alone. */
	if (rv != ST_NOTFOUND || (q = strchr(uri, '?')) == NULL)
		return rv;
	if ((path = arena_strndup(a, uri, (size_t)(q - uri))) == NULL)
		return ST_NOMEM;
	st = db_get(s, STMT_ARTICLE_BY_URI);
	db_text(st, ":uri", path);
	return article_one(s, st, a, ar);
}

enum status
store_article_id(struct store *s, const char *uri, long long *id)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_ID);

	db_text(st, ":uri", uri);
	return db_one_int(s, st, "article id", id);
}

enum status
store_article_list(struct store *s, struct arena *a, long long before_created,
    long long before_id, int limit, int all, struct article **vp, size_t *np)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_LIST);
	struct article	*v;
	size_t		 n = 0;
	enum step	 rc;

	*vp = NULL;
	*np = 0;
	if ((v = arena_calloc(a, (size_t)limit, sizeof(*v))) == NULL)
		return ST_NOMEM;
	db_int(st, ":before_created", before_created);
	db_int(st, ":before_id", before_id);
	db_int(st, ":all", all != 0);
	db_int(st, ":limit", limit);
	while ((rc = db_step(st)) == STEP_ROW && n < (size_t)limit)
		if (read_article(s, a, st, &v[n++]) == -1) {
			db_reset(st);
			return ST_NOMEM;
		}
	db_reset(st);
	if (rc != STEP_DONE && rc != STEP_ROW)
		return db_fail(s, "article list");
	*vp = v;
	*np = n;
	return ST_OK;
}

enum status
store_article_set(struct store *s, long long id, int closed, const char *mode)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_SET);
	enum status	 rv;

	db_int(st, ":id", id);
	if (closed >= 0)
		db_int(st, ":closed", closed);
	db_text(st, ":mode", mode);
	if ((rv = db_done(s, st, "article set")) != ST_OK)
		return rv;
	return db_changes(s) == 0 ? ST_NOTFOUND : ST_OK;
}

/* --- transactions -------------------------------------------------------- */

static enum status
bump_now(struct store *s, long long article, long long n, long long delta)
{
	struct dbstmt	*st = db_get(s, STMT_ARTICLE_BUMP);

	db_int(st, ":n", n);
	db_int(st, ":delta", delta);
	db_int(st, ":id", article);
	return db_done(s, st, "article bump");
}

enum status
db_bump(struct store *s, long long article, long long delta)
{
	struct bump	*b;
	size_t		 i;

	if (!s->in_tx)
		return bump_now(s, article, 1, delta);
	/* Entries from before the savepoint stay as they were: undoing the
	 * job drops exactly what it added. */
	for (i = s->bmark; i < s->nbumps; i++)
		if (s->bumps[i].article == article) {
			s->bumps[i].n++;
			s->bumps[i].delta += delta;
			return ST_OK;
		}
	if (s->nbumps == s->bcap) {
		size_t n = s->bcap ? s->bcap * 2 : 8;

		if ((b = reallocarray(s->bumps, n, sizeof(*b))) == NULL)
			return ST_NOMEM;
		s->bumps = b;
		s->bcap = n;
	}
	s->bumps[s->nbumps].article = article;
	s->bumps[s->nbumps].n = 1;
	s->bumps[s->nbumps].delta = delta;
	s->nbumps++;
	return ST_OK;
}

static int
bump_cmp(const void *a, const void *b)
{
	const struct bump	*x = a, *y = b;

	return x->article < y->article ? -1 : x->article > y->article;
}

static enum status
bumps_apply(struct store *s)
{
	enum status	 rv;
	long long	 n, delta;
	size_t		 i, j;

	if (s->nbumps == 0)
		return ST_OK;
	qsort(s->bumps, s->nbumps, sizeof(*s->bumps), bump_cmp);
	for (i = 0; i < s->nbumps; i = j) {
		n = delta = 0;
		for (j = i; j < s->nbumps && s->bumps[j].article ==
		    s->bumps[i].article; j++) {
			n += s->bumps[j].n;
			delta += s->bumps[j].delta;
		}
		if ((rv = bump_now(s, s->bumps[i].article, n, delta)) != ST_OK)
			return rv;
	}
	s->nbumps = s->bmark = 0;
	return ST_OK;
}

enum status
store_tx_begin(struct store *s)
{
	enum status	 rv;

	if ((rv = s->drv->begin(s)) != ST_OK)
		return rv;
	s->in_tx = 1;
	s->nbumps = s->bmark = 0;
	return ST_OK;
}

enum status
store_tx_commit(struct store *s)
{
	enum status	 rv;

	/* Still in the transaction while the counters are written. */
	if ((rv = bumps_apply(s)) != ST_OK) {
		store_tx_rollback(s);
		return rv;
	}
	s->in_tx = 0;
	return s->drv->commit(s);
}

void
store_tx_rollback(struct store *s)
{
	s->in_tx = 0;
	s->nbumps = s->bmark = 0;
	s->drv->rollback(s);
}

enum status
store_tx_run(struct store *s, store_fn fn, void *arg)
{
	enum status	 st;

	if ((st = store_tx_begin(s)) != ST_OK)
		return st;
	if ((st = fn(s, arg)) != ST_OK) {
		store_tx_rollback(s);
		return st;
	}
	return store_tx_commit(s);
}

/* The writer's savepoints: one level, around each job of a batch. */
enum status
store_savepoint(struct store *s)
{
	s->bmark = s->nbumps;
	return db_done(s, db_get(s, STMT_SAVEPOINT), "savepoint");
}

void
store_savepoint_release(struct store *s)
{
	db_done(s, db_get(s, STMT_RELEASE), "release");
}

void
store_savepoint_rollback(struct store *s)
{
	/* A job undone takes back the counts it changed. */
	s->nbumps = s->bmark;
	db_done(s, db_get(s, STMT_ROLLBACK_TO), "rollback to");
	db_done(s, db_get(s, STMT_RELEASE), "release");
}

/* --- imports --------------------------------------------------------------- */

enum status
store_import_seen(struct store *s, const char *source, const char *source_id,
    long long *comment)
{
	struct dbstmt	*st = db_get(s, STMT_IMPORT_SEEN);

	db_text(st, ":source", source);
	db_text(st, ":source_id", source_id);
	return db_one_int(s, st, "import seen", comment);
}

enum status
store_import_mark(struct store *s, const char *source, const char *source_id,
    long long comment)
{
	struct dbstmt	*st = db_get(s, STMT_IMPORT_MARK);

	db_text(st, ":source", source);
	db_text(st, ":source_id", source_id);
	db_int(st, ":comment", comment);
	return db_insert(s, st, "import mark", NULL);
}
