/* net.c: client addresses: the prefixes bans and limits key on */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
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

/* An address as 16 bytes (IPv4 as its IPv4-mapped IPv6 form); -1 when s
 * is none.  *v4 says which it was. */
static int
addr16(const char *s, unsigned char b[16], int *v4)
{
	unsigned char	 four[4];

	if (inet_pton(AF_INET, s, four) == 1) {
		memcpy(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
		memcpy(b + 12, four, 4);
		*v4 = 1;
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) != 1)
		return -1;
	*v4 = memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0;
	return 0;
}

/* One entry "ADDR" or "ADDR/BITS" of n bytes, as 16 bytes and a length
 * in those 128 bits; -1 when it is not one. */
static int
net_entry(const char *s, size_t n, unsigned char b[16], int *bits)
{
	char		 a[INET6_ADDRSTRLEN + 8], *end;
	const char	*slash;
	long		 l;
	int		 v4;

	if (n == 0 || n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	slash = strchr(a, '/');
	if (slash != NULL)
		a[slash - a] = '\0';
	if (addr16(a, b, &v4) == -1)
		return -1;
	if (slash == NULL) {
		*bits = 128;
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	l = strtol(slash + 1, &end, 10);
	if (*end != '\0' || l < 0 || l > (v4 ? 32 : 128))
		return -1;
	*bits = (int)l + (v4 ? 96 : 0);
	return 0;
}

int
net_list_ok(const char *list)
{
	unsigned char	 b[16];
	size_t		 n;
	int		 bits;

	for (;;) {
		list += strspn(list, " \t,");
		if (*list == '\0')
			return 0;
		n = strcspn(list, " \t,");
		if (net_entry(list, n, b, &bits) == -1)
			return -1;
		list += n;
	}
}

int
net_list_match(const char *list, const char *addr)
{
	unsigned char	 a[16], b[16];
	size_t		 n;
	int		 bits, i, v4;

	if (addr16(addr, a, &v4) == -1)
		return 0;
	for (;;) {
		list += strspn(list, " \t,");
		if (*list == '\0')
			return 0;
		n = strcspn(list, " \t,");
		if (net_entry(list, n, b, &bits) == 0) {
			for (i = 0; i < bits; i++)
				if ((a[i / 8] ^ b[i / 8]) &
				    (0x80 >> (i % 8)))
					break;
			if (i == bits)
				return 1;
		}
		list += n;
	}
}
