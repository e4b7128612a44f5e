/* api.c: the JSON API: threads, posting, author edits, counts */
#include "handlers.h"

enum status
h_api_comments_get(struct req *rq, struct resp *r)
{
	(void)rq; (void)r;
	return ST_NOTFOUND;
}

enum status
h_api_comments_post(struct req *rq, struct resp *r)
{
	(void)rq; (void)r;
	return ST_NOTFOUND;
}

enum status
h_api_comment_put(struct req *rq, struct resp *r)
{
	(void)rq; (void)r;
	return ST_NOTFOUND;
}

enum status
h_api_comment_delete(struct req *rq, struct resp *r)
{
	(void)rq; (void)r;
	return ST_NOTFOUND;
}

enum status
h_api_counts(struct req *rq, struct resp *r)
{
	(void)rq; (void)r;
	return ST_NOTFOUND;
}
