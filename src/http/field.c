/* field.c: every field a request may carry, its type and rule, checked at
 * the edge before any handler runs */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/vec.h"
#include "http/field.h"

static const char *const orders[] = { "oldest", "newest", NULL };
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
	[F_TOKEN] = { RAWF("token", TOKEN_MAX), .hint = N_("The field \"token\" "
	    "must be the string given when the comment was posted.") },
	[F_URI] = { TEXTF("uri", TEXT_KEY), .key = 1, .hint = N_("Say which thread: ?uri= "
	    "the path or the address of the article's page, text without "
	    "control characters.") },
	[F_ORDER] = { .name = "order", .type = FT_WORD, .words = orders,
	    .bad = RS_FIELD, .hint = N_("The order is \"oldest\" (the default) "
	    "or \"newest\".") },
	[F_AFTER] = { IDF("after"), .hint = N_("The cursor \"after\" must be the "
	    "\"next\" value of the previous page.") },
	[F_REPLY] = { IDF("reply") },
	[F_EDIT] = { IDF("edit") },
	[F_POSTED] = { IDF("posted") },
	[F_BEFORE] = { IDF("before") },
	[F_AT] = { IDF("at") },
	[F_NAME] = { TEXTF("name", TEXT_ACCOUNT) },
	[F_PASSWORD] = { RAWF("password", TEXT_PASSWORD_MAX), .hint = N_("Please "
	    "give a password of at most 1024 bytes.") },
	[F_CSRF] = { RAWF("csrf", 128) },
	[F_STATUS] = { .name = "status", .type = FT_WORD, .words = tabs,
	    .bad = RS_FIELD, .hint = N_("There is no such tab: status is "
	    "pending, spam, approved or deleted.") },
	[F_ARTICLE] = { IDF("article") },
	[F_Q] = { TEXTF("q", TEXT_QUERY), .hint = N_("Search for at most 200 "
	    "characters of text on one line.") },
	[F_CURSOR] = { IDF("cursor") },
	[F_BACK] = { RAWF("back", 1024) },
	[F_KIND] = { .name = "kind", .type = FT_WORD, .words = ban_kinds,
	    .bad = RS_BAN_KIND },
	[F_VALUE] = { TEXTF("value", TEXT_BAN) },
	[F_REASON] = { TEXTF("reason", TEXT_REASON), .hint = N_("The reason is "
	    "one line of at most 200 characters.") },
	[F_DAYS] = { .name = "days", .type = FT_ID, .bad = RS_BAN_DAYS },
	[F_ROLE] = { .name = "role", .type = FT_WORD, .words = roles,
	    .bad = RS_ROLE_BAD },
	[F_ACTION] = { .name = "action", .type = FT_WORD, .words = actions,
	    .bad = RS_ACTION_BAD },
	/* Our forms send only numbers here: anything else is malformed. */
	[F_ID] = { .name = "id", .type = FT_ID, .bad = RS_MALFORMED,
	    .many = 1 },
	[F_URIS] = { TEXTF("uri", TEXT_KEY), .many = 1, .hint = N_("Each uri must "
	    "be text, without control characters.") },
	[F_NOTIFY] = { .name = "notify", .type = FT_WORD, .words = yes,
	    .bad = RS_FIELD, .hint = N_("The field \"notify\" is 1 (a form) or "
	    "true (JSON) to have replies e-mailed.") },
	[F_T] = { RAWF("t", 256), .hint = N_("The link is incomplete: open it "
	    "from the message again.") },
	[F_SCOPE] = { .name = "scope", .type = FT_WORD, .words = scopes,
	    .bad = RS_MALFORMED },
	[F_ALERTS] = { .name = "alerts", .type = FT_WORD, .words = alert_kinds,
	    .bad = RS_FIELD, .hint = N_("Alerts are none, each or digest.") },
	[F_MINUTES] = { .name = "minutes", .type = FT_ID,
	    .bad = RS_DIGEST_MINUTES },
};

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
		out->why.msg = d->hint != NULL ? _(d->hint) : NULL;
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
	out->why.msg = fields[f].hint != NULL ? _(fields[f].hint) : NULL;
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
			out->why.msg = d->hint != NULL ? _(d->hint) : NULL;
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
