/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcelab-udp-peer's logic, apart from its sockets (so the unit tests can
 * drive it): what to do with one datagram, and the sink's counts per
 * session.
 */
#ifndef NET_PEER_H
#define NET_PEER_H

#include <stddef.h>
#include <stdint.h>

/* Sessions counted at once; the least recently used one is forgotten. */
#define PEER_SESSIONS 64

struct peer_session {
	uint32_t id;
	uint64_t packets, bytes;
	uint64_t first_ns, last_ns;
	uint64_t used; /* LRU stamp; 0: free */
};

struct peer {
	struct peer_session s[PEER_SESSIONS];
	uint64_t stamp;
	uint64_t echoed, sunk, stats, ignored; /* totals, for the exit line */
};

void peer_init(struct peer *p);

/*
 * One datagram in (len bytes at in, arrived at now_ns). Returns the
 * length of the reply written to out (cap bytes), 0 for none. An ECHO is
 * copied back unchanged; anything not ours is ignored.
 */
size_t peer_handle(struct peer *p, const void *in, size_t len, uint64_t now_ns, void *out,
		   size_t cap);

#endif
