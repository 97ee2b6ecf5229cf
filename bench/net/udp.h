/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest side's UDP socket to the peer: connected, so that an ICMP
 * "port unreachable" comes back as ECONNREFUSED instead of silence, and
 * every wait for a reply is bounded by a timeout.
 */
#ifndef NET_UDP_H
#define NET_UDP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct tl_error;

/* A UDP socket connected to peer (text: for messages). */
int udp_open(const struct sockaddr_in *peer, const char *text, struct tl_error *e);

/* Send one datagram; a short send is an error. */
int udp_send(int fd, const void *buf, size_t len, const char *text, struct tl_error *e);

/* Wait up to timeout_ms for one datagram: 1 got one (*len set), 0 timed out,
 * -1 error (ECONNREFUSED: the peer's port is closed). */
int udp_recv(int fd, void *buf, size_t cap, size_t *len, int timeout_ms, const char *text,
	     struct tl_error *e);

/* Is the peer there? An ECHO up to tries times, each waiting timeout_ms
 * for its reply. 0, or -1 with e saying what happened (refused, or no
 * answer within tries x timeout_ms). */
int udp_probe(int fd, uint32_t session, int timeout_ms, int tries, const char *text,
	      struct tl_error *e);

/* Ask the peer's sink for a session's counts: datagrams, bytes, and ns
 * from the first to the last. Retries like udp_probe. */
struct peer_counts {
	uint64_t packets, bytes, span_ns;
};
int udp_peer_counts(int fd, uint32_t session, int timeout_ms, int tries, const char *text,
		    struct peer_counts *c, struct tl_error *e);

/* Milliseconds on CLOCK_MONOTONIC, for deadlines. */
int64_t udp_now_ms(void);

#endif
