/* fuzz_mail.c: libFuzzer target: what readers type goes into messages and
 * feeds: a message stays well-formed RFC 5322 (no header a reader can
 * start, CRLF lines within 998), a feed stays well-formed XML */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/buf.h"
#include "render/feed.h"
#include "render/mailmsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const names[] = { "From", "To", "Subject", "Date",
    "Message-ID", "MIME-Version", "Auto-Submitted",
    "X-Auto-Response-Suppress", "List-Unsubscribe", "List-Unsubscribe-Post",
    "Content-Type" };

/* The input as NUL-separated fields, the missing ones empty. */
static void
fields(const uint8_t *data, size_t size, char **f, size_t n, char *copy)
{
	size_t	 i, k = 0;

	memcpy(copy, data, size);
	copy[size] = '\0';
	f[k++] = copy;
	for (i = 0; i < size && k < n; i++)
		if (copy[i] == '\0')
			f[k++] = copy + i + 1;
	while (k < n)
		f[k++] = copy + size;
}

static void
check_message(const char *s)
{
	const char	*p = s, *e;
	int		 head = 1;
	size_t		 i;

	while (*p != '\0') {
		if ((e = strstr(p, "\r\n")) == NULL)
			abort();
		if (memchr(p, '\n', (size_t)(e - p)) != NULL ||
		    memchr(p, '\r', (size_t)(e - p)) != NULL ||
		    e - p > 998)
			abort();
		if (head && e == p)
			head = 0;
		else if (head && *p != ' ') {
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (strncmp(p, names[i], strlen(names[i])) ==
				    0 && p[strlen(names[i])] == ':')
					break;
			if (i == sizeof(names) / sizeof(names[0]))
				abort();
		}
		p = e + 2;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_msg		 m;
	struct feed_entry	 e;
	struct feed_info	 fi;
	struct buf		 b = BUF_INIT;
	char			*f[6], *copy;
	xmlDocPtr		 doc;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	fields(data, size, f, 6, copy);
	memset(&m, 0, sizeof(m));
	m.from = f[0];
	m.to = f[1][0] != '\0' ? f[1] : "a@example.org";
	m.subject = f[2];
	m.text = f[3];
	m.html = f[4];
	m.unsubscribe = f[5][0] != '\0' ? f[5] : NULL;
	m.message_id = "<x@example.org>";
	m.boundary = "palaver-fuzz-boundary";
	m.date = (long long)size * 1000003;
	if (mailmsg_write(&b, &m) == 0)
		check_message(buf_str(&b));
	buf_reset(&b);

	memset(&e, 0, sizeof(e));
	e.c.id = 1;
	e.c.article = 2;
	e.c.author = f[0];
	e.c.website = f[1];
	e.title = f[2];
	e.c.html = f[3];
	e.c.created = (long long)size;
	memset(&fi, 0, sizeof(fi));
	fi.title = f[4];
	fi.self = "https://x.example/feed";
	fi.alternate = "https://x.example/";
	fi.base = "https://x.example";
	feed_write(&b, &fi, &e, 1);
	if (b.err)
		abort();
	doc = xmlReadMemory(buf_str(&b), (int)b.len, "feed.xml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		abort();
	xmlFreeDoc(doc);
	buf_free(&b);
	free(copy);
	return 0;
}
