/* import_in.c: the file an import reads (or standard input), gzip unpacked on the way through zlib, with its size limit */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "core/buf.h"
#include "import/import_int.h"

#define IN_BUF	65536

struct import_in {
	gzFile		 gz;
	size_t		 max;		/* bytes that may come out */
	size_t		 total;		/* bytes that came out */
	int		 toobig;
	int		 error;		/* errno of a failed read */
	char		 gzmsg[128];	/* zlib's complaint, "" when none */
	int		 eof;
	char		 b[IN_BUF];	/* read ahead */
	size_t		 pos, len;
};

enum status
import_in_open(const char *path, size_t max, struct import_in **out,
    char *err, size_t errsz)
{
	struct import_in	*in;
	struct stat		 sb;
	int			 fd;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		snprintf(err, errsz, "%s", strerror(errno));
		return ST_IO;
	}
	if (fstat(fd, &sb) == -1 || S_ISDIR(sb.st_mode) ||
	    (strcmp(path, "-") != 0 && !S_ISREG(sb.st_mode))) {
		snprintf(err, errsz, "not a regular file");
		close(fd);
		return ST_IO;
	}
	if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > max) {
		snprintf(err, errsz, "larger than %zu MiB; split the export",
		    max >> 20);
		close(fd);
		return ST_TOOBIG;
	}
	if ((in = calloc(1, sizeof(*in))) == NULL) {
		snprintf(err, errsz, "out of memory");
		close(fd);
		return ST_NOMEM;
	}
	/* gzread passes data that is not gzip through as it is. */
	if ((in->gz = gzdopen(fd, "rb")) == NULL) {
		snprintf(err, errsz, "out of memory");
		close(fd);
		free(in);
		return ST_NOMEM;
	}
	gzbuffer(in->gz, IN_BUF);
	in->max = max;
	*out = in;
	return ST_OK;
}

/* Read more into the buffer, after what it holds; 0 at the end or on
 * error. */
static size_t
fill(struct import_in *in)
{
	const char	*msg;
	int		 n, zerr;

	if (in->eof || in->toobig || in->error || in->gzmsg[0] != '\0')
		return 0;
	if (in->pos > 0) {
		memmove(in->b, in->b + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->len == sizeof(in->b))
		return 0;
	do {
		errno = 0;
		n = gzread(in->gz, in->b + in->len,
		    (unsigned)(sizeof(in->b) - in->len));
	} while (n == -1 && errno == EINTR);
	if (n < 0) {
		/* Z_ERRNO: the read failed; else the gzip data is bad or
		 * cut short ("unexpected end of file"). */
		msg = gzerror(in->gz, &zerr);
		if (zerr == Z_ERRNO)
			in->error = errno != 0 ? errno : EIO;
		else
			snprintf(in->gzmsg, sizeof(in->gzmsg), "%s",
			    msg != NULL && *msg != '\0' ? msg : "bad data");
		return 0;
	}
	if (n == 0) {
		/* zlib reports gzip data cut short ("unexpected end of
		 * file", Z_BUF_ERROR) after a read that returns 0. */
		msg = gzerror(in->gz, &zerr);
		if (zerr != Z_OK) {
			snprintf(in->gzmsg, sizeof(in->gzmsg), "%s",
			    msg != NULL && *msg != '\0' ? msg : "bad data");
			return 0;
		}
		in->eof = 1;
		return 0;
	}
	if ((in->total += (size_t)n) > in->max) {
		in->toobig = 1;
		return 0;
	}
	in->len += (size_t)n;
	return (size_t)n;
}

size_t
import_in_peek(struct import_in *in, void *p, size_t n)
{
	while (in->len - in->pos < n && fill(in) > 0)
		continue;
	if (n > in->len - in->pos)
		n = in->len - in->pos;
	memcpy(p, in->b + in->pos, n);
	return n;
}

ssize_t
import_in_read(struct import_in *in, void *p, size_t n)
{
	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	if (in->pos == in->len) {
		in->pos = in->len = 0;
		fill(in);
	}
	if (in->pos == in->len)
		return in->toobig || in->error || in->gzmsg[0] != '\0' ? -1 :
		    0;
	if (n > in->len - in->pos)
		n = in->len - in->pos;
	memcpy(p, in->b + in->pos, n);
	in->pos += n;
	return (ssize_t)n;
}

enum status
import_in_line(struct import_in *in, struct buf *line, size_t max)
{
	const char	*nl;
	size_t		 k;

	buf_reset(line);
	for (;;) {
		if (in->pos == in->len) {
			in->pos = in->len = 0;
			if (fill(in) == 0) {
				if (in->toobig || in->error ||
				    in->gzmsg[0] != '\0')
					return ST_IO;
				/* The last line may lack its "\n". */
				return line->len > 0 ? ST_OK : ST_NOTFOUND;
			}
		}
		nl = memchr(in->b + in->pos, '\n', in->len - in->pos);
		k = nl != NULL ? (size_t)(nl - (in->b + in->pos)) :
		    in->len - in->pos;
		if (line->len + k > max)
			return ST_TOOBIG;
		if (buf_put(line, in->b + in->pos, k) == -1)
			return ST_NOMEM;
		in->pos += k;
		if (nl != NULL) {
			in->pos++;
			return ST_OK;
		}
	}
}

enum status
import_in_error(const struct import_in *in, char *err, size_t errsz)
{
	if (in->toobig) {
		snprintf(err, errsz, "larger than %zu MiB; split the export",
		    in->max >> 20);
		return ST_TOOBIG;
	}
	if (in->error != 0) {
		snprintf(err, errsz, "%s", strerror(in->error));
		return ST_IO;
	}
	if (in->gzmsg[0] != '\0') {
		snprintf(err, errsz, "not readable as gzip: %s", in->gzmsg);
		return ST_INPUT;
	}
	return ST_OK;
}

int
import_in_gzip(const struct import_in *in)
{
	return gzdirect(in->gz) == 0;
}

void
import_in_close(struct import_in *in)
{
	if (in == NULL)
		return;
	gzclose(in->gz);
	free(in);
}
