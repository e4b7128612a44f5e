/* port_int.h: what the export's writer and reader share (port_json.c); nothing outside src/import includes it */
#ifndef PALAVER_PORT_INT_H
#define PALAVER_PORT_INT_H

#include <stdio.h>

#include "import/port.h"

/* port_write_line: one record as a line of JSON to out (an account's
 * hash only with_secrets).  ST_IO when writing failed, ST_NOMEM. */
enum status	 port_write_line(FILE *out, const struct port_line *,
		    int with_secrets);
/* port_rec_of: the record type of a table's rows. */
enum port_rec	 port_rec_of(enum port_table);
/* port_rec_name: "comment" and so on; "header" for the header. */
const char	*port_rec_name(enum port_rec);

#endif
