/* mailmsg.h: an RFC 5322 message: headers, encoded words, a plain-text
 * part and an HTML alternative */
#ifndef PALAVER_MAILMSG_H
#define PALAVER_MAILMSG_H

#include <stddef.h>

struct arena;
struct buf;

/* What one message says; strings are UTF-8 and borrowed. */
struct mail_msg {
	const char	*from;		/* "Name <addr>" or "addr" ([mail] from) */
	const char	*to;		/* one address, ASCII */
	const char	*subject;	/* one line */
	const char	*message_id;	/* "<...@...>" */
	long long	 date;		/* unix seconds */
	const char	*unsubscribe;	/* List-Unsubscribe URL, or NULL */
	const char	*boundary;	/* of the two parts, [A-Za-z0-9_-] */
	const char	*text;		/* text/plain, \n line ends */
	const char	*html;		/* text/html */
};

/*
 * mailmsg_write: the whole message into b, with CRLF line ends: From,
 * To, Subject, Date, Message-ID, MIME-Version, Auto-Submitted:
 * auto-generated, List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)
 * when there is an unsubscribe URL, and multipart/alternative of the
 * text and the HTML, each UTF-8 in quoted-printable.  Header text that
 * is not printable ASCII goes in RFC 2047 encoded words; nothing a
 * reader typed can start a header line.  No line is longer than 78
 * characters.  -1 when a field will not do (no address, a CR or LF in
 * the From or To, a bad boundary) or out of memory; b's err flag says
 * which.
 */
int		 mailmsg_write(struct buf *b, const struct mail_msg *m);
/* mailmsg_addr: the address of "Name <addr>" or "addr", in the arena;
 * NULL when out of memory. */
const char	*mailmsg_addr(struct arena *, const char *from);
/* mailmsg_date: the RFC 5322 date of t (UTC), e.g. "Tue, 01 Dec 2026
 * 10:00:00 +0000", into out. */
void		 mailmsg_date(long long t, char out[40]);
/* mailmsg_ascii_addr: 1 when s is an address mail can go to as it is:
 * printable ASCII without spaces or the characters that end one. */
int		 mailmsg_ascii_addr(const char *s);
/* mailmsg_crlf_to_lf: the message with LF line ends (for sendmail) into
 * out. */
void		 mailmsg_crlf_to_lf(struct buf *out, const char *msg);

#endif
