/* stage.h: where a request's time goes, stage by stage, behind a debug switch */
#ifndef PALAVER_STAGE_H
#define PALAVER_STAGE_H

#include <stddef.h>

/*
 * The stages of a request, in the order a post passes them.  The request
 * thread marks its own; the group-commit writer times each batch and
 * hands the times to every job in it (stage_merge).
 */
enum stage {
	STAGE_DECODE,	/* request, route, body, form or JSON, field rules */
	STAGE_READS,	/* the handler's reads: article, poster, parent, bans */
	STAGE_RENDER,	/* Markdown to HTML */
	STAGE_SPAM,	/* the spam rules (and the hook, when set) */
	STAGE_QUEUE,	/* queued until the writer takes its batch */
	STAGE_LOCK,	/* the writer's turn on the database (flock) */
	STAGE_TX,	/* BEGIN and every job of the batch */
	STAGE_FTS,	/* full-text index maintenance before COMMIT */
	STAGE_COMMIT,	/* COMMIT: the WAL written and fsynced */
	STAGE_CKPT,	/* a WAL checkpoint inside the batch */
	STAGE_WAKE,	/* batch done until the poster runs again */
	STAGE_ANSWER,	/* after the write: redirect, response sent */
	STAGE__MAX
};

/* The times of one request (or one batch), in microseconds. */
struct stages {
	long long	 us[STAGE__MAX];
	long long	 last;		/* the clock at the last mark */
	long		 batch;		/* jobs in the batch it committed in */
	long		 pages;		/* pages that batch wrote to the WAL */
};

/* stage_enable: 1 to time stages (palaver serve: PALAVER_STAGES=1).  Set
 * before any thread starts; off by default, when marks cost one branch. */
void		 stage_enable(int);
int		 stage_enabled(void);
/* stage_now: the monotonic clock in microseconds. */
long long	 stage_now(void);
/* stage_begin: this thread starts a request: its times are zeroed and
 * the clock starts. */
void		 stage_begin(void);
/* stage_mark: the time since the last mark (or stage_begin) goes to
 * stage s of this thread's request. */
void		 stage_mark(enum stage s);
/* stage_pages: this thread's transaction wrote n pages to the WAL. */
void		 stage_pages(long n);
/* stage_merge: add a batch's times (from the writer) to this thread's
 * request; its clock restarts now. */
void		 stage_merge(const struct stages *);
/* stage_mine: this thread's times. */
struct stages	*stage_mine(void);
/* stage_format: this thread's times as " stages decode=12 ... batch=8
 * pages=40"
 * into buf (always NUL-terminated); "" when stages are off. */
void		 stage_format(char *buf, size_t len);

#endif
