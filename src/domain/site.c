/* site.c: writes through the group commit, or alone from the CLI */
#include "store/store.h"
#include "domain/site.h"

enum status
site_write(struct site *site, writer_fn fn, void *arg)
{
	enum status	 st;

	if (site->writer != NULL)
		return writer_run(site->writer, fn, arg);
	if ((st = store_tx_begin(site->store)) != ST_OK)
		return st;
	if ((st = fn(site->store, arg)) != ST_OK) {
		store_tx_rollback(site->store);
		return st;
	}
	return store_tx_commit(site->store);
}
