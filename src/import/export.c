/* export.c: palaver export: the whole site as JSON Lines, one snapshot, in constant memory */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "import/port.h"
#include "import/port_int.h"
#include "store/store.h"

/* Every this many records the progress callback hears of it. */
#define PROGRESS_EVERY	1000

struct out {
	FILE				*f;
	const struct port_opts		*o;
	struct port_result		*r;
	size_t				 done;
	enum status			 st;
};

static int
put_row(void *arg, const struct port_row *row)
{
	struct out		*w = arg;
	struct port_line	 l;

	memset(&l, 0, sizeof(l));
	l.type = port_rec_of(row->table);
	l.row = *row;
	if ((w->st = port_write_line(w->f, &l, w->o != NULL &&
	    w->o->with_secrets)) != ST_OK)
		return -1;
	w->r->n[l.type]++;
	if (w->o != NULL && w->o->progress != NULL &&
	    ++w->done % PROGRESS_EVERY == 0)
		w->o->progress(w->o->arg, w->done, 0);
	return 0;
}

enum status
port_export(struct store *s, FILE *f, const struct port_opts *o,
    struct port_result *r, char *err, size_t errsz)
{
	struct port_line	 l;
	struct arena		 a = { NULL, 0 };
	struct out		 w;
	enum status		 st;
	int			 t, secrets = o != NULL && o->with_secrets;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	w.f = f;
	w.o = o;
	w.r = r;
	w.st = ST_OK;
	err[0] = '\0';
	if ((st = store_port_read_begin(s)) != ST_OK) {
		snprintf(err, errsz, "cannot read the database (%s)",
		    status_str(st));
		return st;
	}
	memset(&l, 0, sizeof(l));
	l.type = PREC_HEADER;
	l.version = PORT_VERSION;
	l.schema = store_schema_version();
	l.secrets = secrets;
	if ((st = store_port_meta(s, &l.meta)) != ST_OK ||
	    (st = port_write_line(f, &l, secrets)) != ST_OK)
		goto out;
	if (secrets) {
		l.type = PREC_SECRET;
		if ((st = port_write_line(f, &l, secrets)) != ST_OK)
			goto out;
		r->n[PREC_SECRET]++;
	}
	for (t = 0; t < PORT__MAX; t++)
		if ((st = store_port_each(s, (enum port_table)t, &a, put_row,
		    &w)) != ST_OK) {
			if (st == ST_INPUT)	/* put_row stopped */
				st = w.st;
			goto out;
		}
	memset(&l, 0, sizeof(l));
	l.type = PREC_END;
	memcpy(l.counts, r->n, sizeof(l.counts));
	if ((st = port_write_line(f, &l, secrets)) == ST_OK &&
	    fflush(f) == EOF)
		st = ST_IO;
out:
	auth_wipe(&l, sizeof(l));	/* the secret */
	store_port_read_end(s);
	arena_free(&a);
	if (st == ST_IO)
		snprintf(err, errsz, "cannot write the export");
	else if (st == ST_NOMEM)
		snprintf(err, errsz, "out of memory");
	else if (st != ST_OK)
		snprintf(err, errsz, "cannot read the database (%s)",
		    status_str(st));
	return st;
}
