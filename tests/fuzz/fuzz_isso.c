/* fuzz_isso.c: libFuzzer target: Isso's generic JSON import format */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/utf8.h"
#include "import/import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_doc		*d = NULL;
	const struct import_comment	*c;
	char				 err[300];
	size_t				 i;

	if (import_parse(IMPORT_ISSO, (const char *)data, size, NULL, &d, err,
	    sizeof(err)) != ST_OK) {
		if (d != NULL || err[0] == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < d->narticles; i++)
		if (text_check(TEXT_URI, d->articles[i].uri, 0) != TEXT_OK ||
		    d->articles[i].title == NULL)
			abort();
	for (i = 0; i < d->ncomments; i++) {
		c = &d->comments[i];
		if (c->article >= d->narticles || c->author[0] == '\0' ||
		    text_check(TEXT_NAME, c->author, 0) != TEXT_OK ||
		    strlen(c->body) != c->body_len ||
		    !utf8_check(c->body, c->body_len) ||
		    memchr(c->body, '\r', c->body_len) != NULL ||
		    (c->email != NULL && text_check(TEXT_EMAIL, c->email, 0) !=
		    TEXT_OK) || (c->website != NULL && text_check(TEXT_WEBSITE,
		    c->website, 0) != TEXT_OK))
			abort();
		if (c->parent != IMPORT_NONE && (c->parent >= d->ncomments ||
		    d->comments[c->parent].article != c->article))
			abort();
	}
	import_doc_free(d);
	return 0;
}
