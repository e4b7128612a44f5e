/* net.h: client addresses: the prefixes bans and limits key on */
#ifndef PALAVER_NET_H
#define PALAVER_NET_H

#include <stddef.h>

/*
 * parse_addr_prefix: the ban prefix of an address: "a.b.c.0/24" for IPv4,
 * "xxxx:xxxx:xxxx::/48" for IPv6 (canonical lower-case), written into out.
 * Accepts a bare address or one already written as that prefix.  Returns
 * 0, or -1 when s is neither.
 */
int		 parse_addr_prefix(const char *s, char *out, size_t n);

/*
 * net_prefix: the network of address s that limits count as one client:
 * its first v6bits bits for IPv6, v4bits for IPv4 (an IPv4-mapped IPv6
 * address is IPv4), as "2001:db8:1:2::/64" or "192.0.2.0/24" (the whole
 * address with /128 or /32).  Returns 0, or -1 when s is no address or
 * the length for its family is 0 (not counted by network).
 */
int		 net_prefix(const char *s, int v4bits, int v6bits, char *out,
		    size_t n);

/*
 * net_list_ok: 0 when list is addresses and networks ("127.0.0.1 ::1
 * 10.0.0.0/8 2001:db8::/32"), separated by spaces or commas (none at all
 * is a list too), else -1.
 */
int		 net_list_ok(const char *list);
/*
 * net_list_match: 1 when address addr is one of list's, or in one of its
 * networks (an IPv4-mapped IPv6 address counts as IPv4), else 0.
 * Entries that are neither are skipped.
 */
int		 net_list_match(const char *list, const char *addr);

#endif
