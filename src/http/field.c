/* field.c: every field a request may carry, its type and rule, checked at
 * the edge before any handler runs */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/vec.h"
#include "http/field.h"

/* In the order of enum thread_order. */
static const char *const orders[] = { "oldest", "newest", "best", NULL };
/* A vote's value is the word's index less one. */
static const char *const votes[] = { "-1", "0", "1", NULL };
/* In the order of enum report_reason. */
static const char *const whys[] = { "spam", "abuse", "off-topic", "other",
    NULL };
static const char *const tabs[] = { "pending", "approved", "spam",
    "deleted", NULL };
static const char *const ban_kinds[] = { "email", "addr_hash", "prefix",
    NULL };
static const char *const roles[] = { "moderator", "admin", NULL };
static const char *const actions[] = { "approve", "spam", "delete", NULL };
/* A checkbox sends its value, "on" when it has none; JSON sends true. */
static const char *const yes[] = { "1", "on", "true", NULL };
static const char *const scopes[] = { "thread", "all", NULL };
static const char *const alert_kinds[] = { "none", "each", "digest", NULL };
static const char *const notes[] = { "unchanged", NULL };
static const char *const confirmed[] = { "yes", NULL };
static const char *const all[] = { "all", NULL };
static const char *const thens[] = { "spam", "delete", "keep", NULL };
static const char *const modes[] = { "default", "pre", "post", NULL };

/* Opaque tokens: ours are under 100 bytes; a cookie holds 16 of them. */
#define TOKEN_MAX	2048

#define TEXTF(n, k)	.name = n, .type = FT_TEXT, .text = k
#define IDF(n)		.name = n, .type = FT_ID, .bad = RS_FIELD
#define RAWF(n, m)	.name = n, .type = FT_RAW, .max = m, .bad = RS_FIELD

const struct field_def fields[F__MAX] = {
	[F_PARENT] = { .name = "parent", .type = FT_ID, .bad = RS_PARENT_BAD },
	[F_AUTHOR] = { TEXTF("author", TEXT_NAME) },
	[F_EMAIL] = { TEXTF("email", TEXT_EMAIL) },
	[F_WEBSITE] = { TEXTF("website", TEXT_WEBSITE) },
	[F_BODY] = { TEXTF("body", TEXT_BODY), .max = SIZE_MAX },
	[F_TS] = { RAWF("ts", 256), .json = "form_token" },
	[F_HP] = { RAWF("hp", 1024) },
	[F_TITLE] = { TEXTF("title", TEXT_TITLE) },
	[F_TOKEN] = { RAWF("token", TOKEN_MAX), .hint = "The field \"token\" "
	    "must be the string given when the comment was posted." },
	[F_URI] = { TEXTF("uri", TEXT_KEY), .key = 1, .hint = "Say which thread: ?uri= "
	    "the path or the address of the article's page, text without "
	    "control characters." },
	[F_ORDER] = { .name = "order", .type = FT_WORD, .words = orders,
	    .bad = RS_FIELD, .hint = "The order is \"oldest\" (the default), "
	    "\"newest\" or \"best\"." },
	[F_AFTER] = { IDF("after"), .hint = "The cursor \"after\" must be the "
	    "\"next\" value of the previous page." },
	[F_REPLY] = { IDF("reply") },
	[F_EDIT] = { IDF("edit") },
	[F_POSTED] = { IDF("posted") },
	[F_BEFORE] = { IDF("before") },
	[F_AT] = { IDF("at") },
	[F_NAME] = { TEXTF("name", TEXT_ACCOUNT) },
	[F_PASSWORD] = { RAWF("password", TEXT_PASSWORD_MAX), .hint = "Please "
	    "give a password of at most 1024 bytes." },
	[F_CSRF] = { RAWF("csrf", 128) },
	[F_STATUS] = { .name = "status", .type = FT_WORD, .words = tabs,
	    .bad = RS_FIELD, .hint = "There is no such tab: status is "
	    "pending, spam, approved or deleted." },
	[F_ARTICLE] = { IDF("article") },
	[F_Q] = { TEXTF("q", TEXT_QUERY), .hint = "Search for at most 200 "
	    "characters of text on one line." },
	[F_CURSOR] = { IDF("cursor") },
	[F_BACK] = { RAWF("back", 1024) },
	[F_KIND] = { .name = "kind", .type = FT_WORD, .words = ban_kinds,
	    .bad = RS_BAN_KIND },
	[F_VALUE] = { TEXTF("value", TEXT_BAN) },
	[F_REASON] = { TEXTF("reason", TEXT_REASON), .hint = "The reason is "
	    "one line of at most 200 characters." },
	[F_DAYS] = { .name = "days", .type = FT_ID, .bad = RS_BAN_DAYS },
	[F_ROLE] = { .name = "role", .type = FT_WORD, .words = roles,
	    .bad = RS_ROLE_BAD },
	[F_ACTION] = { .name = "action", .type = FT_WORD, .words = actions,
	    .bad = RS_ACTION_BAD },
	/* Our forms send only numbers here: anything else is malformed. */
	[F_ID] = { .name = "id", .type = FT_ID, .bad = RS_MALFORMED,
	    .many = 1 },
	[F_URIS] = { TEXTF("uri", TEXT_KEY), .many = 1, .hint = "Each uri must "
	    "be text, without control characters." },
	[F_VOTE] = { .name = "vote", .type = FT_WORD, .words = votes,
	    .bad = RS_VOTE_BAD },
	/* A random token of ours; anything else is taken as none. */
	[F_VOTER] = { RAWF("voter", 64) },
	[F_WHY] = { .name = "reason", .type = FT_WORD, .words = whys,
	    .bad = RS_REPORT_WHY },
	[F_TEXT] = { TEXTF("text", TEXT_REASON), .hint = "Say what is wrong "
	    "in one line of at most 200 characters." },
	[F_PREVIEW] = { RAWF("preview", 16) },
	[F_C] = { IDF("c"), .hint = "The comment \"c\" must be a comment "
	    "number." },
	[F_REPORT] = { IDF("report") },
	[F_VOTED] = { IDF("voted") },
	[F_REPORTED] = { IDF("reported") },
	[F_EDITED] = { IDF("edited") },
	[F_DELETED] = { IDF("deleted") },
	[F_NOTIFY] = { .name = "notify", .type = FT_WORD, .words = yes,
	    .bad = RS_FIELD, .hint = "The field \"notify\" is 1 (a form) or "
	    "true (JSON) to have replies e-mailed." },
	[F_T] = { RAWF("t", 256), .hint = "The link is incomplete: open it "
	    "from the message again." },
	[F_SCOPE] = { .name = "scope", .type = FT_WORD, .words = scopes,
	    .bad = RS_MALFORMED },
	[F_ALERTS] = { .name = "alerts", .type = FT_WORD, .words = alert_kinds,
	    .bad = RS_FIELD, .hint = "Alerts are none, each or digest." },
	[F_MINUTES] = { .name = "minutes", .type = FT_ID,
	    .bad = RS_DIGEST_MINUTES },
	[F_DONE] = { IDF("done") },
	[F_NOTE] = { .name = "note", .type = FT_WORD, .words = notes,
	    .bad = RS_FIELD },
	[F_CONFIRM] = { .name = "confirm", .type = FT_WORD, .words = confirmed,
	    .bad = RS_FIELD },
	[F_SELECT] = { .name = "select", .type = FT_WORD, .words = all,
	    .bad = RS_FIELD },
	[F_THEN] = { .name = "then", .type = FT_WORD, .words = thens,
	    .bad = RS_FIELD, .hint = "Choose what happens to the comment: "
	    "spam, delete or keep." },
	[F_BATCH] = { IDF("batch"), .hint = "Say which action to undo." },
	[F_MODE] = { .name = "mode", .type = FT_WORD, .words = modes,
	    .bad = RS_FIELD, .hint = "The moderation mode is default, pre or "
	    "post." },
	[F_NEW_URI] = { TEXTF("uri", TEXT_URI) },
	[F_ARTICLE_BODY] = { TEXTF("body", TEXT_BODY), .max = TEXT_BODY_MAX },
	[F_WHO] = { TEXTF("who", TEXT_QUERY), .hint = "Who is at most 200 "
	    "characters on one line." },
	[F_WHAT] = { TEXTF("what", TEXT_QUERY), .hint = "The action is at "
	    "most 200 characters on one line." },
	[F_TARGET] = { TEXTF("target", TEXT_QUERY), .hint = "The target is at "
	    "most 200 characters on one line, such as comment:42." },
	[F_FROM] = { .name = "from", .type = FT_DATE, .bad = RS_FIELD,
	    .hint = "A date is written 2026-11-30." },
	[F_TO] = { .name = "to", .type = FT_DATE, .bad = RS_FIELD,
	    .hint = "A date is written 2026-11-30." },
};

/* A day as YYYY-MM-DD (a real one, from 1970), to its first second in
 * UTC; -1 when it is not one. */
static long long
day_start(const char *s, size_t n)
{
	struct tm	 tm, back;
	time_t		 t;
	size_t		 i;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
	tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1)
		return -1;
	/* timegm normalises 2026-02-30 to March: such a day is refused. */
	back = tm;
	if ((t = timegm(&tm)) == (time_t)-1 || tm.tm_mday != back.tm_mday ||
	    tm.tm_mon != back.tm_mon)
		return -1;
	return (long long)t;
}

void
field_missing(enum field f, struct fval *out)
{
	const struct field_def	*d = &fields[f];

	out->state = FV_BAD;
	if (d->type == FT_TEXT)
		refuse_text(&out->why, d->name, d->text, TEXT_EMPTY, 0, 0);
	else
		refuse(&out->why, d->bad, d->name);
	if (d->hint != NULL)
		out->why.msg = d->hint;
	else if (d->type != FT_TEXT)
		out->why.kind = TEXT__MAX;
}

/* The bad value of a field that is not text. */
static void
bad(struct fval *out, enum field f)
{
	out->state = FV_BAD;
	refuse(&out->why, fields[f].bad, fields[f].name);
	/* Numbers, words and tokens: the field's hint says what it takes;
	 * RS_FIELD has no text rule to say it. */
	out->why.kind = TEXT__MAX;
	out->why.text = TEXT_BAD_FORM;
	out->why.msg = fields[f].hint;
}

/* Keep one good value of a field that may repeat. */
static enum status
keep(struct arena *a, struct fval *out, const char *s, long long id)
{
	size_t	 cap = out->cap;

	if ((out->v = vec_grow(a, out->v, out->count, &cap,
	    sizeof(*out->v))) == NULL ||
	    (out->ids = vec_grow(a, out->ids, out->count, &out->cap,
	    sizeof(*out->ids))) == NULL)
		return ST_NOMEM;
	out->v[out->count] = s;
	out->ids[out->count++] = id;
	return ST_OK;
}

enum status
field_check(struct arena *a, enum field f, const char *val, size_t n,
    size_t max_comment, struct fval *out)
{
	const struct field_def	*d = &fields[f];
	const char		*s = NULL;
	long long		 id = 0;
	size_t			 i, chars = 0, max;
	enum text_err		 e;

	if (out->state == FV_BAD)
		return ST_OK;	/* the first fault is the one told */
	if (!d->many && out->state == FV_OK)
		return ST_OK;	/* the first value counts, as kv_get */
	/* What was typed, to show again; never a token or password. */
	if (d->type != FT_RAW && out->raw == NULL &&
	    memchr(val, '\0', n) == NULL &&
	    (out->raw = arena_strndup(a, val, n)) == NULL)
		return ST_NOMEM;
	switch (d->type) {
	case FT_TEXT:
		max = d->max == SIZE_MAX ? max_comment : d->max;
		e = text_take(a, d->text, val, n, max, &s, &chars);
		if (e == TEXT_NOMEM)
			return ST_NOMEM;
		if (e == TEXT_EMPTY)
			return ST_OK;
		/* One key whatever names the page: /p/./x, /p/%78 and
		 * https://host/p/x are /p/x (README, "Thread keys"). */
		if (e == TEXT_OK && d->key)
			e = text_uri_normalize(a, s, strlen(s), TEXT_URI_QUERY,
			    &s);
		if (e == TEXT_NOMEM)
			return ST_NOMEM;
		if (e != TEXT_OK) {
			out->state = FV_BAD;
			refuse_text(&out->why, d->name, d->text, e, max, chars);
			out->why.msg = d->hint;
			return ST_OK;
		}
		break;
	case FT_ID:
		if (n == 0)
			return ST_OK;
		if ((id = text_id(val, n)) == 0) {
			bad(out, f);
			return ST_OK;
		}
		break;
	case FT_WORD:
		if (n == 0)
			return ST_OK;
		for (i = 0; d->words[i] != NULL; i++)
			if (strlen(d->words[i]) == n &&
			    memcmp(d->words[i], val, n) == 0)
				break;
		if (d->words[i] == NULL) {
			bad(out, f);
			return ST_OK;
		}
		s = d->words[i];
		id = (long long)i;
		break;
	case FT_DATE:
		if (n == 0)
			return ST_OK;
		if ((id = day_start(val, n)) < 0) {
			bad(out, f);
			return ST_OK;
		}
		s = arena_strndup(a, val, n);
		if (s == NULL)
			return ST_NOMEM;
		break;
	case FT_RAW:
		if (n == 0)
			return ST_OK;
		if (n > d->max || memchr(val, '\0', n) != NULL) {
			bad(out, f);
			return ST_OK;
		}
		if ((s = arena_strndup(a, val, n)) == NULL)
			return ST_NOMEM;
		break;
	}
	out->state = FV_OK;
	if (d->many)
		return keep(a, out, s, id);
	out->s = s;
	out->n = id;
	return ST_OK;
}
