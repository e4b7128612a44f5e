/* mailmsg.c: an RFC 5322 message: headers, encoded words, a plain-text
 * part and an HTML alternative */
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "render/mailmsg.h"

/* RFC 5322: lines at most 998 characters, and SHOULD be at most 78; an
 * encoded word is at most 75 (RFC 2047), quoted-printable lines 76. */
#define LINE_MAX_HDR	78
#define WORD_MAX	75
#define QP_MAX		76

static const char hex[] = "0123456789ABCDEF";

int
mailmsg_ascii_addr(const char *s)
{
	const char	*at = strchr(s, '@');

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f ||
		    strchr("<>()[],;:\\\"", *s) != NULL)
			return 0;
	return 1;
}

const char *
mailmsg_addr(struct arena *a, const char *from)
{
	const char	*lt = strrchr(from, '<');
	size_t		 n;

	if (lt == NULL)
		return arena_strdup(a, from);
	n = strcspn(lt + 1, ">");
	return arena_strndup(a, lt + 1, n);
}

void
mailmsg_date(long long t, char out[40])
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t		 tt = (time_t)t;
	struct tm	 tm;
	size_t		 i;
	char		*p = out;
	int		 v[4];

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 1970) {
		memcpy(out, "Thu, 01 Jan 1970 00:00:00 +0000", 32);
		return;
	}
	/* By hand: strftime's names follow the locale. */
	memcpy(p, days + 3 * tm.tm_wday, 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	*p++ = (char)('0' + tm.tm_mday / 10);
	*p++ = (char)('0' + tm.tm_mday % 10);
	*p++ = ' ';
	memcpy(p, months + 3 * tm.tm_mon, 3);
	p += 3;
	*p++ = ' ';
	v[0] = tm.tm_year + 1900;
	*p++ = (char)('0' + v[0] / 1000);
	*p++ = (char)('0' + v[0] / 100 % 10);
	*p++ = (char)('0' + v[0] / 10 % 10);
	*p++ = (char)('0' + v[0] % 10);
	v[1] = tm.tm_hour;
	v[2] = tm.tm_min;
	v[3] = tm.tm_sec;
	for (i = 1; i < 4; i++) {
		*p++ = i == 1 ? ' ' : ':';
		*p++ = (char)('0' + v[i] / 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	memcpy(p, " +0000", 7);
}

/* Printable ASCII, no control character: may stand in a header as it is
 * (folded at spaces). */
static int
plain(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* Characters an encoded word in a phrase or unstructured text may carry
 * as they are (RFC 2047, 5.3); "_" stands for a space. */
static int
q_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '*' || c == '+' ||
	    c == '-' || c == '/';
}

/*
 * s as RFC 2047 "Q" encoded words, each at most WORD_MAX characters and
 * never splitting a character, separated by CRLF and a space.  `used`:
 * the characters already on the first line.  Bytes that are not UTF-8,
 * and control characters, become U+FFFD or a space first.
 */
static void
encoded_words(struct buf *b, const char *s, size_t used)
{
	static const char open[] = "=?UTF-8?Q?";
	struct buf	 clean = BUF_INIT;
	size_t		 i, n, l, w, room, line = used;
	uint32_t	 cp;
	const char	*p;

	utf8_repair(&clean, s, strlen(s), UTF8_REPLACEMENT);
	p = buf_str(&clean);
	n = clean.len;
	for (i = 0; i < n; ) {
		/* A word a line after the first. */
		if (i > 0) {
			buf_puts(b, "\r\n ");
			line = 1;
		}
		buf_puts(b, open);
		w = sizeof(open) - 1;
		room = line + WORD_MAX > LINE_MAX_HDR ? LINE_MAX_HDR - line :
		    WORD_MAX;
		room -= 2;	/* the closing "?=" */
		while (i < n) {
			unsigned char c = (unsigned char)p[i];
			size_t need;

			if ((l = utf8_decode(p + i, n - i, &cp)) == 0)
				l = 1;	/* cannot be: repaired above */
			need = (c == ' ' || (l == 1 && q_safe(c))) ? 1 : 3 * l;
			if (w + need > room)
				break;
			if (l == 1 && (c < ' ' || c == 0x7f))
				buf_putc(b, '_');
			else if (c == ' ')
				buf_putc(b, '_');
			else if (l == 1 && q_safe(c))
				buf_putc(b, (char)c);
			else
				for (size_t k = 0; k < l; k++) {
					unsigned char d = (unsigned char)p[i + k];

					buf_putc(b, '=');
					buf_putc(b, hex[d >> 4]);
					buf_putc(b, hex[d & 15]);
				}
			w += need;
			i += l;
		}
		buf_puts(b, "?=");
		line += w + 2;
		if (w == sizeof(open) - 1)
			break;	/* no room at all: a header name that long */
	}
	buf_free(&clean);
}

/* name: value, folded at spaces, or in encoded words when it is not
 * plain ASCII.  CR, LF and other controls never pass. */
static void
header(struct buf *b, const char *name, const char *value)
{
	size_t	 line, n;
	const char *p;

	buf_puts(b, name);
	buf_puts(b, ": ");
	line = strlen(name) + 2;
	if (!plain(value)) {
		encoded_words(b, value, line);
		buf_puts(b, "\r\n");
		return;
	}
	/* Fold before a space when the line would grow past 78. */
	for (p = value; *p != '\0'; p += n) {
		n = strcspn(p + 1, " ") + 1;
		if (line + n > LINE_MAX_HDR && p != value && *p == ' ') {
			buf_puts(b, "\r\n");
			line = 0;
		}
		buf_put(b, p, n);
		line += n;
	}
	buf_puts(b, "\r\n");
}

/* The display name of From: quoted when it has specials, encoded when
 * it is not ASCII. */
static void
from_header(struct buf *b, const char *from, const char *addr)
{
	const char	*lt = strrchr(from, '<');
	struct buf	 name = BUF_INIT;
	size_t		 n;

	buf_puts(b, "From: ");
	if (lt != NULL) {
		n = (size_t)(lt - from);
		while (n > 0 && from[n - 1] == ' ')
			n--;
		if (n >= 2 && from[0] == '"' && from[n - 1] == '"') {
			from++;
			n -= 2;
		}
		buf_put(&name, from, n);
	}
	if (name.len > 0 && !name.err) {
		if (plain(name.p)) {
			buf_putc(b, '"');
			for (const char *p = name.p; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(b, '\\');
				buf_putc(b, *p);
			}
			buf_putc(b, '"');
		} else
			encoded_words(b, name.p, 6);
		buf_puts(b, "\r\n ");
	}
	buf_putc(b, '<');
	buf_puts(b, addr);
	buf_puts(b, ">\r\n");
	buf_free(&name);
}

/*
 * s as quoted-printable (RFC 2045) with CRLF line ends: lines at most 76
 * characters with soft breaks, "=", controls and bytes above 126 encoded,
 * a space or tab before a line end encoded, and a "." or "F" at the start
 * of a line encoded too (a lone "." ends a message for some programs,
 * and "From " gets mangled by others).
 */
static void
qp(struct buf *b, const char *s)
{
	size_t	 line = 0, need;
	unsigned char c;
	char	 enc[3];
	int	 esc;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\r')
			continue;
		if (c == '\n') {
			buf_puts(b, "\r\n");
			line = 0;
			continue;
		}
		esc = c == '=' || c > 126 || (c < ' ' && c != '\t') ||
		    ((c == ' ' || c == '\t') && (s[1] == '\n' || s[1] == '\r' ||
		    s[1] == '\0')) || (line == 0 && (c == '.' || c == 'F'));
		need = esc ? 3 : 1;
		/* Room for the soft break's "=" too. */
		if (line + need > QP_MAX - 1) {
			buf_puts(b, "=\r\n");
			line = 0;
			if (c == '.' || c == 'F')
				esc = 1, need = 3;
		}
		if (esc) {
			enc[0] = '=';
			enc[1] = hex[c >> 4];
			enc[2] = hex[c & 15];
			buf_put(b, enc, 3);
		} else
			buf_putc(b, (char)c);
		line += need;
	}
	buf_puts(b, "\r\n");
}

static int
boundary_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n >= 8 && n <= 60 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

int
mailmsg_write(struct buf *b, const struct mail_msg *m)
{
	struct arena	 a = { NULL, 0 };
	const char	*from;
	char		 date[40];
	int		 rv = -1;

	if ((from = mailmsg_addr(&a, m->from)) == NULL ||
	    !mailmsg_ascii_addr(from) || !mailmsg_ascii_addr(m->to) ||
	    strpbrk(m->from, "\r\n") != NULL || !boundary_ok(m->boundary) ||
	    !plain(m->message_id) || (m->unsubscribe != NULL &&
	    !plain(m->unsubscribe)))
		goto out;
	from_header(b, m->from, from);
	buf_printf(b, "To: <%s>\r\n", m->to);
	header(b, "Subject", m->subject);
	mailmsg_date(m->date, date);
	buf_printf(b, "Date: %s\r\n", date);
	header(b, "Message-ID", m->message_id);
	buf_puts(b, "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n");
	if (m->unsubscribe != NULL) {
		/* A URL cannot be folded: this line may pass 78 (never
		 * 998: the URL is ours and short). */
		buf_puts(b, "List-Unsubscribe: <");
		buf_puts(b, m->unsubscribe);
		buf_puts(b, ">\r\nList-Unsubscribe-Post: "
		    "List-Unsubscribe=One-Click\r\n");
	}
	buf_printf(b, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n", m->boundary);
	buf_printf(b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	    m->boundary);
	qp(b, m->text);
	buf_printf(b, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	    m->boundary);
	qp(b, m->html);
	buf_printf(b, "--%s--\r\n", m->boundary);
	rv = b->err ? -1 : 0;
out:
	arena_free(&a);
	return rv;
}

void
mailmsg_crlf_to_lf(struct buf *out, const char *msg)
{
	const char	*p;
	size_t		 n;

	for (p = msg; *p != '\0'; p += n) {
		n = strcspn(p, "\r");
		buf_put(out, p, n);
		if (p[n] == '\r') {
			if (p[n + 1] != '\n')
				buf_putc(out, '\r');
			n++;
		}
	}
}
