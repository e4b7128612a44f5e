/* powerloss.h: a VFS shim that plays the operating system's page cache and can lose it, as a power cut does (test_powerloss.c) */
#ifndef PALAVER_POWERLOSS_H
#define PALAVER_POWERLOSS_H

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/*
 * The shim ("powerloss") wraps SQLite's default VFS.  Writes and
 * truncations of the main database, its WAL and its journal are kept in
 * memory, per file, in order; reads see them, as they would see the page
 * cache; they reach the real file only when SQLite syncs that file.
 * Writes, truncations and syncs are counted, and at the count armed with
 * pl_arm the power goes: that operation and every later one fails.  Once
 * every handle is closed, pl_settle throws away what was not synced, or
 * keeps a random part of it (disks write back in any order, each write
 * whole or not at all here, which SQLITE_IOCAP_POWERSAFE_OVERWRITE
 * allows).  Temporary files pass through untouched.  The -shm file is
 * the real VFS's: the caller deletes it, as a reboot loses it.
 *
 * Assertions are cmocka's: include it first.
 */

/* --- the shim ----------------------------------------------------------- */

enum opkind { OP_WRITE, OP_TRUNCATE };

/* A write or truncation the "disk" has not got yet. */
struct op {
	enum opkind	 kind;
	sqlite3_int64	 off;		/* OP_TRUNCATE: the new size */
	int		 len;
	unsigned char	*data;
	struct op	*next;
};

/* One file's page cache, shared by every handle on it. */
struct node {
	char		 path[512];
	int		 used;
	int		 isdb;		/* the main database (else WAL) */
	sqlite3_int64	 size;		/* as the page cache sees it */
	struct op	*head, *tail;
};

struct plfile {
	sqlite3_file	 base;
	sqlite3_file	*real;		/* right after this struct */
	struct node	*node;		/* NULL: temporary, passed through */
};

#define NNODES	8

static struct {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cutcv;
	sqlite3_vfs	*real;
	struct node	 nodes[NNODES];
	long		 ops;		/* writes, truncations, syncs */
	long		 cut_at;	/* 0: never */
	long		 dbops;		/* of them, on the main database */
	long		 cut_db_at;	/* 0: never */
	int		 cut;
	int		 cut_db;	/* the db file had unsynced writes */
	int		 cut_wal;	/* the WAL had */
} pl = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL,
    { { "", 0, 0, 0, NULL, NULL } }, 0, 0, 0, 0, 0, 0, 0 };

static void
ops_free(struct node *n)
{
	struct op	*o, *next;

	for (o = n->head; o != NULL; o = next) {
		next = o->next;
		free(o->data);
		free(o);
	}
	n->head = n->tail = NULL;
}

/* Count one operation on n; 1 when the power goes (now or before).
 * Holds mu. */
static int
tick(const struct node *n)
{
	size_t	 i;

	if (pl.cut)
		return 1;
	pl.ops++;
	if (n->isdb)
		pl.dbops++;
	if (pl.ops != pl.cut_at && (!n->isdb || pl.dbops != pl.cut_db_at))
		return 0;
	pl.cut = 1;
	for (i = 0; i < NNODES; i++)
		if (pl.nodes[i].used && pl.nodes[i].head != NULL) {
			if (pl.nodes[i].isdb)
				pl.cut_db = 1;
			else
				pl.cut_wal = 1;
		}
	pthread_cond_broadcast(&pl.cutcv);
	return 1;
}

static int
pl_close(sqlite3_file *f)
{
	struct plfile	*p = (struct plfile *)f;

	return p->real->pMethods->xClose(p->real);
}

/* What the page cache holds: the real file under the unsynced ops. */
static int
pl_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	struct plfile	*p = (struct plfile *)f;
	struct node	*n = p->node;
	struct op	*o;
	sqlite3_int64	 lo, hi, keep;
	int		 rc;

	if (n == NULL)
		return p->real->pMethods->xRead(p->real, buf, amt, off);
	pthread_mutex_lock(&pl.mu);
	if (pl.cut) {
		pthread_mutex_unlock(&pl.mu);
		return SQLITE_IOERR_READ;
	}
	rc = p->real->pMethods->xRead(p->real, buf, amt, off);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) {
		pthread_mutex_unlock(&pl.mu);
		return rc;
	}
	for (o = n->head; o != NULL; o = o->next) {
		/* A truncation zeroes from the new end on. */
		lo = o->off;
		hi = o->kind == OP_WRITE ? o->off + o->len : off + amt;
		if (lo < off)
			lo = off;
		if (hi > off + amt)
			hi = off + amt;
		if (lo >= hi)
			continue;
		if (o->kind == OP_WRITE)
			memcpy((char *)buf + (lo - off), o->data + (lo - o->off),
			    (size_t)(hi - lo));
		else
			memset((char *)buf + (lo - off), 0, (size_t)(hi - lo));
	}
	rc = SQLITE_OK;
	if (off + amt > n->size) {
		keep = n->size > off ? n->size - off : 0;
		memset((char *)buf + keep, 0, (size_t)(amt - keep));
		rc = SQLITE_IOERR_SHORT_READ;
	}
	pthread_mutex_unlock(&pl.mu);
	return rc;
}

static int
pending(struct node *n, enum opkind kind, const void *data, int len,
    sqlite3_int64 off)
{
	struct op	*o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return SQLITE_NOMEM;
	o->kind = kind;
	o->off = off;
	o->len = len;
	if (len > 0) {
		if ((o->data = malloc((size_t)len)) == NULL) {
			free(o);
			return SQLITE_NOMEM;
		}
		memcpy(o->data, data, (size_t)len);
	}
	if (n->tail != NULL)
		n->tail->next = o;
	else
		n->head = o;
	n->tail = o;
	if (kind == OP_TRUNCATE)
		n->size = off;
	else if (off + len > n->size)
		n->size = off + len;
	return SQLITE_OK;
}

static int
pl_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	struct plfile	*p = (struct plfile *)f;
	int		 rc;

	if (p->node == NULL)
		return p->real->pMethods->xWrite(p->real, buf, amt, off);
	pthread_mutex_lock(&pl.mu);
	rc = tick(p->node) ? SQLITE_IOERR_WRITE : pending(p->node, OP_WRITE, buf, amt,
	    off);
	pthread_mutex_unlock(&pl.mu);
	return rc;
}

static int
pl_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct plfile	*p = (struct plfile *)f;
	int		 rc;

	if (p->node == NULL)
		return p->real->pMethods->xTruncate(p->real, size);
	pthread_mutex_lock(&pl.mu);
	rc = tick(p->node) ? SQLITE_IOERR_TRUNCATE : pending(p->node, OP_TRUNCATE,
	    NULL, 0, size);
	pthread_mutex_unlock(&pl.mu);
	return rc;
}

/* The file's unsynced ops reach the disk (the real file), in order.  No
 * real fsync: nothing here outlives the test, and it keeps it fast. */
static int
pl_sync(sqlite3_file *f, int flags)
{
	struct plfile	*p = (struct plfile *)f;
	struct node	*n = p->node;
	struct op	*o;
	int		 rc = SQLITE_OK;

	if (n == NULL)
		return p->real->pMethods->xSync(p->real, flags);
	pthread_mutex_lock(&pl.mu);
	if (tick(n)) {
		pthread_mutex_unlock(&pl.mu);
		return SQLITE_IOERR_FSYNC;
	}
	for (o = n->head; o != NULL && rc == SQLITE_OK; o = o->next)
		rc = o->kind == OP_WRITE ? p->real->pMethods->xWrite(p->real,
		    o->data, o->len, o->off) :
		    p->real->pMethods->xTruncate(p->real, o->off);
	ops_free(n);
	pthread_mutex_unlock(&pl.mu);
	return rc == SQLITE_OK ? SQLITE_OK : SQLITE_IOERR_FSYNC;
}

static int
pl_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct plfile	*p = (struct plfile *)f;

	if (p->node == NULL)
		return p->real->pMethods->xFileSize(p->real, size);
	pthread_mutex_lock(&pl.mu);
	*size = p->node->size;
	pthread_mutex_unlock(&pl.mu);
	return SQLITE_OK;
}

static int
pl_lock(sqlite3_file *f, int lock)
{
	return ((struct plfile *)f)->real->pMethods->xLock(
	    ((struct plfile *)f)->real, lock);
}

static int
pl_unlock(sqlite3_file *f, int lock)
{
	return ((struct plfile *)f)->real->pMethods->xUnlock(
	    ((struct plfile *)f)->real, lock);
}

static int
pl_reserved(sqlite3_file *f, int *out)
{
	return ((struct plfile *)f)->real->pMethods->xCheckReservedLock(
	    ((struct plfile *)f)->real, out);
}

/* Size hints, chunk sizes and memory maps would reach the real file
 * around the page cache: refused (they are only hints to SQLite). */
static int
pl_fcntl(sqlite3_file *f, int op, void *arg)
{
	struct plfile	*p = (struct plfile *)f;

	if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE ||
	    op == SQLITE_FCNTL_MMAP_SIZE)
		return SQLITE_NOTFOUND;
	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int
pl_sector(sqlite3_file *f)
{
	return ((struct plfile *)f)->real->pMethods->xSectorSize(
	    ((struct plfile *)f)->real);
}

static int
pl_caps(sqlite3_file *f)
{
	return ((struct plfile *)f)->real->pMethods->xDeviceCharacteristics(
	    ((struct plfile *)f)->real);
}

/* The WAL index lives in shared memory: the real VFS's, lost at the cut
 * by deleting the -shm file before anything opens the database again. */
static int
pl_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	struct plfile	*p = (struct plfile *)f;

	return p->real->pMethods->xShmMap(p->real, pg, pgsz, extend, pp);
}

static int
pl_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	struct plfile	*p = (struct plfile *)f;

	return p->real->pMethods->xShmLock(p->real, offset, n, flags);
}

static void
pl_shm_barrier(sqlite3_file *f)
{
	struct plfile	*p = (struct plfile *)f;

	p->real->pMethods->xShmBarrier(p->real);
}

static int
pl_shm_unmap(sqlite3_file *f, int del)
{
	struct plfile	*p = (struct plfile *)f;

	return p->real->pMethods->xShmUnmap(p->real, del);
}

/* Version 2: no xFetch, so SQLite never maps a file around the cache. */
static const sqlite3_io_methods pl_io = {
	.iVersion = 2,
	.xClose = pl_close,
	.xRead = pl_read,
	.xWrite = pl_write,
	.xTruncate = pl_truncate,
	.xSync = pl_sync,
	.xFileSize = pl_size,
	.xLock = pl_lock,
	.xUnlock = pl_unlock,
	.xCheckReservedLock = pl_reserved,
	.xFileControl = pl_fcntl,
	.xSectorSize = pl_sector,
	.xDeviceCharacteristics = pl_caps,
	.xShmMap = pl_shm_map,
	.xShmLock = pl_shm_lock,
	.xShmBarrier = pl_shm_barrier,
	.xShmUnmap = pl_shm_unmap,
};

static struct node *
node_of(const char *path, sqlite3_file *real, int isdb)
{
	struct node	*n, *free_node = NULL;
	size_t		 i;

	for (i = 0; i < NNODES; i++) {
		n = &pl.nodes[i];
		if (n->used && strcmp(n->path, path) == 0)
			return n;
		if (!n->used && free_node == NULL)
			free_node = n;
	}
	if ((n = free_node) == NULL || strlen(path) >= sizeof(n->path))
		return NULL;
	memset(n, 0, sizeof(*n));
	snprintf(n->path, sizeof(n->path), "%s", path);
	if (real->pMethods->xFileSize(real, &n->size) != SQLITE_OK)
		return NULL;
	n->used = 1;
	n->isdb = isdb;
	return n;
}

static int
pl_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out)
{
	struct plfile	*p = (struct plfile *)f;
	int		 rc, kept = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL |
			    SQLITE_OPEN_MAIN_JOURNAL;

	(void)vfs;
	memset(p, 0, sizeof(*p));
	p->real = (sqlite3_file *)&p[1];
	pthread_mutex_lock(&pl.mu);
	if (pl.cut) {
		pthread_mutex_unlock(&pl.mu);
		return SQLITE_CANTOPEN;
	}
	rc = pl.real->xOpen(pl.real, name, p->real, flags, out);
	if (rc == SQLITE_OK && name != NULL && (flags & kept) &&
	    (p->node = node_of(name, p->real, (flags & SQLITE_OPEN_MAIN_DB) !=
	    0)) == NULL) {
		p->real->pMethods->xClose(p->real);
		rc = SQLITE_CANTOPEN;
	}
	pthread_mutex_unlock(&pl.mu);
	if (rc == SQLITE_OK)
		p->base.pMethods = &pl_io;
	return rc;
}

static int
pl_delete(sqlite3_vfs *vfs, const char *name, int syncdir)
{
	size_t	 i;
	int	 rc;

	(void)vfs;
	pthread_mutex_lock(&pl.mu);
	if (pl.cut) {
		pthread_mutex_unlock(&pl.mu);
		return SQLITE_IOERR_DELETE;
	}
	for (i = 0; i < NNODES; i++)
		if (pl.nodes[i].used && strcmp(pl.nodes[i].path, name) == 0) {
			ops_free(&pl.nodes[i]);
			pl.nodes[i].used = 0;
		}
	rc = pl.real->xDelete(pl.real, name, syncdir);
	pthread_mutex_unlock(&pl.mu);
	return rc;
}

static int
pl_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return pl.real->xAccess(pl.real, name, flags, out);
}

static int
pl_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return pl.real->xFullPathname(pl.real, name, n, out);
}

static int
pl_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return pl.real->xRandomness(pl.real, n, out);
}

static int
pl_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return pl.real->xSleep(pl.real, us);
}

static int
pl_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return pl.real->xCurrentTime(pl.real, out);
}

static int
pl_lasterror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return pl.real->xGetLastError(pl.real, n, out);
}

static int
pl_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return pl.real->xCurrentTimeInt64(pl.real, out);
}

/* szOsFile and mxPathname are the real VFS's, set at registration. */
static sqlite3_vfs pl_vfs = {
	.iVersion = 2,
	.zName = "powerloss",
	.xOpen = pl_open,
	.xDelete = pl_delete,
	.xAccess = pl_access,
	.xFullPathname = pl_fullpath,
	.xRandomness = pl_random,
	.xSleep = pl_sleep,
	.xCurrentTime = pl_time,
	.xGetLastError = pl_lasterror,
	.xCurrentTimeInt64 = pl_time64,
};

static void
pl_register(void)
{
	assert_non_null(pl.real = sqlite3_vfs_find(NULL));
	assert_true(pl.real->iVersion >= 2);
	pl_vfs.szOsFile = (int)sizeof(struct plfile) + pl.real->szOsFile;
	pl_vfs.mxPathname = pl.real->mxPathname;
	assert_int_equal(sqlite3_vfs_register(&pl_vfs, 0), SQLITE_OK);
}

/* Arm the cut at operation `at`, or at the main database's operation
 * `db_at` (its writes and syncs come in checkpoints); 0: not so. */
static void
pl_arm(long at, long db_at)
{
	pthread_mutex_lock(&pl.mu);
	pl.ops = pl.dbops = 0;
	pl.cut_at = at;
	pl.cut_db_at = db_at;
	pl.cut = pl.cut_db = pl.cut_wal = 0;
	pthread_mutex_unlock(&pl.mu);
}

static int
pl_wait_cut(int seconds)
{
	struct timespec	 ts;
	int		 cut;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	pthread_mutex_lock(&pl.mu);
	while (!pl.cut && pthread_cond_timedwait(&pl.cutcv, &pl.mu, &ts) == 0)
		continue;
	cut = pl.cut;
	pthread_mutex_unlock(&pl.mu);
	return cut;
}

static int
pl_is_cut(void)
{
	int	 cut;

	pthread_mutex_lock(&pl.mu);
	cut = pl.cut;
	pthread_mutex_unlock(&pl.mu);
	return cut;
}

/*
 * After the cut, once every handle is closed: the disk keeps what was
 * synced and, when torn, a random part of the rest, each write whole or
 * not at all.  Returns how many unsynced writes were kept.
 */
static long
pl_settle(int torn, uint64_t (*coin)(void))
{
	struct op	*o;
	size_t		 i;
	long		 kept = 0;
	int		 fd;

	pthread_mutex_lock(&pl.mu);
	for (i = 0; i < NNODES; i++) {
		struct node *n = &pl.nodes[i];

		if (!n->used)
			continue;
		if (torn && n->head != NULL && (fd = open(n->path,
		    O_RDWR)) != -1) {
			for (o = n->head; o != NULL; o = o->next) {
				if (coin() % 2 == 0)
					continue;
				kept++;
				if (o->kind == OP_TRUNCATE)
					assert_int_equal(ftruncate(fd,
					    (off_t)o->off), 0);
				else
					assert_int_equal(pwrite(fd, o->data,
					    (size_t)o->len, (off_t)o->off),
					    o->len);
			}
			close(fd);
		}
		ops_free(n);
		n->used = 0;
	}
	pl.cut_at = pl.cut_db_at = 0;
	pl.cut = 0;
	pthread_mutex_unlock(&pl.mu);
	return kept;
}

#endif
