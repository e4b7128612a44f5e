/* keyring.c: the keys of the address hashes, kept in a file outside the
 * database and rotated on a schedule */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/keyring.h"

/* A key line: period, a space, 64 hex digits, a newline. */
#define LINE_MAX_LEN	96

static pthread_rwlock_t	 lock = PTHREAD_RWLOCK_INITIALIZER;
static char		*kpath;		/* NULL: keys set directly */
static long		 kdays = 30;
static int		 loaded;
static long long	 period;	/* of cur */
static long long	 prev_period;	/* of prev */
static unsigned char	 cur[AUTH_SECRET_LEN], prev[AUTH_SECRET_LEN];
static int		 have_prev;

static long long
period_of(long long now)
{
	return now / 86400 / kdays;
}

/*
 * The key of the period after `from`'s: a keyed hash of the period's
 * number under the key before.  Every host that holds the same key file
 * comes to the same key at the same time without talking to the others
 * (a database used by several hosts needs them to hash an address
 * alike), and the step is one way: from a key nobody can go back to the
 * keys before it, so an old hash stays unlinkable once its key is gone.
 */
static void
ratchet(unsigned char k[AUTH_SECRET_LEN], long long to_period)
{
	char		 msg[64];
	unsigned char	 out[AUTH_SECRET_LEN];
	int		 n;

	n = snprintf(msg, sizeof(msg), "palaver address key %lld", to_period);
	crypto_generichash(out, sizeof(out), (const unsigned char *)msg,
	    (size_t)n, k, AUTH_SECRET_LEN);
	memcpy(k, out, sizeof(out));
	sodium_memzero(out, sizeof(out));
}

/* The key for period `want` from key k of period `have` (have <= want). */
static void
forward(unsigned char k[AUTH_SECRET_LEN], long long have, long long want)
{
	while (have < want)
		ratchet(k, ++have);
}

/* Parse the file's text: the two newest keys.  -1 when there is none. */
static int
parse(const char *text, long long *p, unsigned char *k,
    long long *pp, unsigned char *kp, int *hp)
{
	const char	*line = text;
	long long	 best = -1, second = -1, v;
	unsigned char	 key[AUTH_SECRET_LEN];
	char		*end;
	size_t		 hexlen;

	*hp = 0;
	while (*line != '\0') {
		v = strtoll(line, &end, 10);
		if (end != line && *end == ' ' && v >= 0 &&
		    sodium_hex2bin(key, sizeof(key), end + 1,
		    strcspn(end + 1, "\n"), NULL, &hexlen, NULL) == 0 &&
		    hexlen == sizeof(key)) {
			if (v > best) {
				if (best >= 0) {
					second = best;
					*pp = best;
					memcpy(kp, k, AUTH_SECRET_LEN);
					*hp = 1;
				}
				best = v;
				memcpy(k, key, sizeof(key));
			} else if (v > second && v < best) {
				second = v;
				*pp = v;
				memcpy(kp, key, sizeof(key));
				*hp = 1;
			}
		}
		line += strcspn(line, "\n");
		if (*line == '\n')
			line++;
	}
	sodium_memzero(key, sizeof(key));
	if (best < 0)
		return -1;
	*p = best;
	return 0;
}

static int
read_all(int fd, char *buf, size_t n)
{
	ssize_t	 r;
	size_t	 got = 0;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	while (got < n - 1 && (r = read(fd, buf + got, n - 1 - got)) > 0)
		got += (size_t)r;
	if (r == -1)
		return -1;
	buf[got] = '\0';
	return 0;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t	 w;
	size_t	 done = 0;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	while (done < n) {
		if ((w = write(fd, buf + done, n - done)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)w;
	}
	if (ftruncate(fd, (off_t)n) == -1 || fsync(fd) == -1)
		return -1;
	return 0;
}

/*
 * Read the file (locked) and, when its newest key is older than the
 * period of `now` and rotate is set, write a fresh key for now's period
 * keeping the newest as the one before.  Under the write lock.
 */
static int
load(long long now, int rotate, char *err, size_t errsz)
{
	char		 text[4 * LINE_MAX_LEN], hex[2 * AUTH_SECRET_LEN + 1];
	unsigned char	 k[AUTH_SECRET_LEN], kp[AUTH_SECRET_LEN];
	long long	 p = 0, pp = 0, want = period_of(now);
	int		 fd, hp = 0, rv = -1, n;

	if ((fd = open(kpath, (rotate ? O_RDWR : O_RDONLY) | O_CLOEXEC)) ==
	    -1) {
		snprintf(err, errsz, "%s: %s", kpath, strerror(errno));
		return -1;
	}
	if (flock(fd, rotate ? LOCK_EX : LOCK_SH) == -1 ||
	    read_all(fd, text, sizeof(text)) == -1) {
		snprintf(err, errsz, "%s: %s", kpath, strerror(errno));
		goto out;
	}
	if (parse(text, &p, k, &pp, kp, &hp) == -1 || p < want) {
		if (!rotate) {
			snprintf(err, errsz, "%s: no key for now", kpath);
			goto out;
		}
		/* A new key, the newest one's next (a fresh one when there
		 * is none); the newest one becomes the one before. */
		if (parse(text, &p, kp, &pp, k, &hp) == 0) {
			hp = 1;
			memcpy(k, kp, sizeof(k));
			forward(k, p, want);
		} else {
			hp = 0;
			randombytes_buf(k, sizeof(k));
		}
		pp = p;
		p = want;
		n = 0;
		sodium_bin2hex(hex, sizeof(hex), k, sizeof(k));
		n = snprintf(text, sizeof(text), "%lld %s\n", p, hex);
		if (hp) {
			sodium_bin2hex(hex, sizeof(hex), kp, sizeof(kp));
			n += snprintf(text + n, sizeof(text) - (size_t)n,
			    "%lld %s\n", pp, hex);
		}
		if (n <= 0 || (size_t)n >= sizeof(text) ||
		    write_all(fd, text, (size_t)n) == -1) {
			snprintf(err, errsz, "%s: cannot write: %s", kpath,
			    strerror(errno));
			goto out;
		}
	}
	period = p;
	prev_period = pp;
	memcpy(cur, k, sizeof(cur));
	have_prev = hp;
	if (hp)
		memcpy(prev, kp, sizeof(prev));
	loaded = 1;
	rv = 0;
out:
	sodium_memzero(text, sizeof(text));
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(k, sizeof(k));
	sodium_memzero(kp, sizeof(kp));
	close(fd);
	return rv;
}

int
keyring_open(const char *path, long days, int create, char *err,
    size_t errsz)
{
	int	 fd, rv;
	mode_t	 old;

	keyring_close();
	pthread_rwlock_wrlock(&lock);
	kdays = days > 0 ? days : 1;
	if ((kpath = strdup(path)) == NULL) {
		snprintf(err, errsz, "out of memory");
		pthread_rwlock_unlock(&lock);
		return -1;
	}
	if (create) {
		/* Made 0600 from the start, never readable by others. */
		old = umask(0077);
		fd = open(kpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		umask(old);
		if (fd == -1) {
			snprintf(err, errsz, "%s: cannot create the address key "
			    "file: %s (make the directory writable, or create "
			    "the file empty with mode 0600 for palaver's user, "
			    "or set [privacy] key_file)", kpath,
			    strerror(errno));
			pthread_rwlock_unlock(&lock);
			return -1;
		}
		close(fd);
	}
	rv = load(time(NULL), create, err, errsz);
	pthread_rwlock_unlock(&lock);
	return rv;
}

void
keyring_close(void)
{
	pthread_rwlock_wrlock(&lock);
	free(kpath);
	kpath = NULL;
	loaded = 0;
	have_prev = 0;
	sodium_memzero(cur, sizeof(cur));
	sodium_memzero(prev, sizeof(prev));
	pthread_rwlock_unlock(&lock);
}

void
keyring_set(const unsigned char k[AUTH_SECRET_LEN], const unsigned char *kp)
{
	pthread_rwlock_wrlock(&lock);
	free(kpath);
	kpath = NULL;
	memcpy(cur, k, sizeof(cur));
	have_prev = kp != NULL;
	if (kp != NULL)
		memcpy(prev, kp, sizeof(prev));
	loaded = 1;
	pthread_rwlock_unlock(&lock);
}

/* The fingerprint of key k: a keyed hash of a constant, which says
 * nothing of the key. */
static void
fingerprint(const unsigned char k[AUTH_SECRET_LEN],
    char out[KEYRING_CHECK_LEN + 1])
{
	static const char	 what[] = "palaver address key check";
	unsigned char		 h[KEYRING_CHECK_LEN / 2];

	crypto_generichash(h, sizeof(h), (const unsigned char *)what,
	    sizeof(what) - 1, k, AUTH_SECRET_LEN);
	sodium_bin2hex(out, KEYRING_CHECK_LEN + 1, h, sizeof(h));
}

int
keyring_fingerprint(char out[KEYRING_CHECK_LEN + 1])
{
	int	 rv = -1;

	pthread_rwlock_rdlock(&lock);
	if (loaded) {
		fingerprint(cur, out);
		rv = 0;
	}
	pthread_rwlock_unlock(&lock);
	return rv;
}

int
keyring_known(long long when, const char *fp)
{
	unsigned char	 k[AUTH_SECRET_LEN];
	char		 mine[KEYRING_CHECK_LEN + 1];
	int		 rv = 0;

	pthread_rwlock_rdlock(&lock);
	if (!loaded) {
		pthread_rwlock_unlock(&lock);
		return -1;
	}
	memcpy(k, cur, sizeof(k));
	if (when > period)	/* what this key becomes by then */
		forward(k, period, when);
	fingerprint(k, mine);
	if (sodium_memcmp(mine, fp, KEYRING_CHECK_LEN) == 0)
		rv = 1;
	fingerprint(cur, mine);
	if (sodium_memcmp(mine, fp, KEYRING_CHECK_LEN) == 0)
		rv = 1;
	if (have_prev) {
		fingerprint(prev, mine);
		if (sodium_memcmp(mine, fp, KEYRING_CHECK_LEN) == 0)
			rv = 1;
	}
	/* Older than any key kept here: nobody can tell any more. */
	if (rv == 0 && when < (have_prev ? prev_period : period))
		rv = -1;
	pthread_rwlock_unlock(&lock);
	sodium_memzero(k, sizeof(k));
	return rv;
}

long long
keyring_period(void)
{
	long long	 p;

	pthread_rwlock_rdlock(&lock);
	p = loaded ? period : -1;
	pthread_rwlock_unlock(&lock);
	return p;
}

int
keyring_keys(long long now, unsigned char c[AUTH_SECRET_LEN],
    unsigned char p[AUTH_SECRET_LEN], int *hp)
{
	char	 err[256];
	int	 stale;

	pthread_rwlock_rdlock(&lock);
	stale = loaded && kpath != NULL && period < period_of(now);
	pthread_rwlock_unlock(&lock);
	if (stale) {
		/* Whoever sees it first rotates; the file's lock keeps the
		 * processes to one new key.  A failure keeps the old key. */
		pthread_rwlock_wrlock(&lock);
		if (period < period_of(now) && load(now, 1, err, sizeof(err)) ==
		    -1)
			fprintf(stderr, "palaver: address keys: %s\n", err);
		pthread_rwlock_unlock(&lock);
	}
	pthread_rwlock_rdlock(&lock);
	if (!loaded) {
		pthread_rwlock_unlock(&lock);
		return -1;
	}
	memcpy(c, cur, AUTH_SECRET_LEN);
	*hp = have_prev;
	if (have_prev)
		memcpy(p, prev, AUTH_SECRET_LEN);
	pthread_rwlock_unlock(&lock);
	return 0;
}
