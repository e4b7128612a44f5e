/* site.h: what the domain works with: the settings, a store, the writer */
#ifndef PALAVER_SITE_H
#define PALAVER_SITE_H

#include "core/status.h"
#include "auth/auth.h"
#include "domain/writer.h"

struct config;
struct store;

/*
 * One per worker thread (or CLI command): the configuration, this
 * thread's own database connection, the process's group-commit writer
 * (NULL in the CLI, and where batching does not pay: writes then commit
 * alone, on the thread's connection) and the server secret.
 * Nothing in it knows about HTTP.
 */
struct site {
	const struct config	*cfg;
	struct store		*store;
	struct writer		*writer;
	unsigned char		 secret[AUTH_SECRET_LEN];
};

/*
 * site_write: run fn(store, arg) in a transaction: the writer's next
 * group commit when the site has one, else a transaction of its own on
 * the site's store.  Durable when it returns ST_OK;
 * when fn fails, nothing of it is kept.
 */
enum status	 site_write(struct site *, writer_fn fn, void *arg);

#endif
