/* net.c: client addresses: the prefixes bans and limits key on */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/net.h"

int
parse_addr_prefix(const char *s, char *out, size_t n)
{
	unsigned char	 b[16];
	char		 a[64], pre[INET6_ADDRSTRLEN];
	const char	*slash;
	size_t		 len;
	int		 r;

	if ((slash = strchr(s, '/')) != NULL) {
		if (strcmp(slash, "/24") != 0 && strcmp(slash, "/48") != 0)
			return -1;
		len = (size_t)(slash - s);
	} else
		len = strlen(s);
	if (len == 0 || len >= sizeof(a))
		return -1;
	memcpy(a, s, len);
	a[len] = '\0';
	if (inet_pton(AF_INET, a, b) == 1) {
		if (slash != NULL && strcmp(slash, "/24") != 0)
			return -1;
		r = snprintf(out, n, "%u.%u.%u.0/24", b[0], b[1], b[2]);
	} else if (inet_pton(AF_INET6, a, b) == 1) {
		if (slash != NULL && strcmp(slash, "/48") != 0)
			return -1;
		/* IPv4-mapped addresses are IPv4 readers. */
		if (memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
			r = snprintf(out, n, "%u.%u.%u.0/24", b[12], b[13],
			    b[14]);
		else {
			memset(b + 6, 0, 10);
			if (inet_ntop(AF_INET6, b, pre, sizeof(pre)) == NULL)
				return -1;
			r = snprintf(out, n, "%s/48", pre);
		}
	} else
		return -1;
	return r > 0 && (size_t)r < n ? 0 : -1;
}

int
net_prefix(const char *s, int v4bits, int v6bits, char *out, size_t n)
{
	unsigned char	 b[16];
	char		 a[INET6_ADDRSTRLEN];
	int		 bits, i, r;

	if (inet_pton(AF_INET6, s, b) == 1) {
		/* IPv4-mapped addresses are IPv4 readers. */
		if (memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
			memmove(b, b + 12, 4);
			goto v4;
		}
		if ((bits = v6bits) <= 0 || bits > 128)
			return -1;
		for (i = bits; i < 128; i++)
			b[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
		if (inet_ntop(AF_INET6, b, a, sizeof(a)) == NULL)
			return -1;
		r = snprintf(out, n, "%s/%d", a, bits);
		return r > 0 && (size_t)r < n ? 0 : -1;
	}
	if (inet_pton(AF_INET, s, b) != 1)
		return -1;
v4:
	if ((bits = v4bits) <= 0 || bits > 32)
		return -1;
	for (i = bits; i < 32; i++)
		b[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
	r = snprintf(out, n, "%u.%u.%u.%u/%d", b[0], b[1], b[2], b[3], bits);
	return r > 0 && (size_t)r < n ? 0 : -1;
}
