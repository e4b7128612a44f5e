/* site.c: writes through the group commit, or each in a transaction of its own */
#include "store/store.h"
#include "domain/site.h"

enum status
site_write(struct site *site, writer_fn fn, void *arg)
{
	if (site->writer != NULL)
		return writer_run(site->writer, fn, arg);
	return store_tx_run(site->store, fn, arg);
}
