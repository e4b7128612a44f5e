/* handlers.h: one function a route; each fills in the response */
#ifndef PALAVER_HANDLERS_H
#define PALAVER_HANDLERS_H

#include "http.h"

/* Reader pages (pages.c). */
enum status	h_index(struct req *, struct resp *);
enum status	h_article(struct req *, struct resp *);

#endif
