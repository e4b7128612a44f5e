/* fuzz_port.c: libFuzzer target: the lines of palaver's export (port_parse_line) and remap rules (remap_parse) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "core/utf8.h"
#include "import/port.h"
#include "import/port_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What parses writes back as one line of JSON that parses the same. */
static void
check_line(const struct port_line *l)
{
	struct port_line	 back;
	struct arena		 a = { NULL, 0 };
	char			*p = NULL, err[300];
	size_t			 n = 0;
	FILE			*f;

	if ((unsigned)l->type >= PREC__MAX)
		abort();
	if ((f = open_memstream(&p, &n)) == NULL)
		return;
	if (port_write_line(f, l, 1) != ST_OK) {
		fclose(f);
		free(p);
		return;
	}
	fclose(f);
	if (n == 0 || p[n - 1] != '\n' || memchr(p, '\n', n - 1) != NULL)
		abort();
	if (port_parse_line(&a, p, n - 1, &back, err, sizeof(err)) != ST_OK ||
	    back.type != l->type || back.row.id != l->row.id)
		abort();
	arena_free(&a);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		 a = { NULL, 0 };
	struct port_line	 l;
	struct remap_rule	*r;
	const char		*s = (const char *)data, *e = s + size, *nl;
	char			 err[300];
	size_t			 n, i;

	/* Each line alone, as port_import reads them. */
	for (; s < e; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL)
			nl = e;
		arena_reset(&a);
		err[0] = 'x';
		if (port_parse_line(&a, s, (size_t)(nl - s), &l, err,
		    sizeof(err)) == ST_OK)
			check_line(&l);
		else if (err[0] == '\0' || strlen(err) >= sizeof(err))
			abort();
	}
	/* The whole input as a rules file. */
	arena_reset(&a);
	if (remap_parse(&a, (const char *)data, size, &r, &n, err,
	    sizeof(err)) == ST_OK)
		for (i = 0; i < n; i++)
			if (text_check(TEXT_URI, r[i].from, 0) != TEXT_OK ||
			    text_check(TEXT_URI, r[i].to, 0) != TEXT_OK)
				abort();
	arena_free(&a);
	return 0;
}
