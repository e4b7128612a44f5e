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

#endif
