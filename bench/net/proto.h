/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The datagrams between the guest's net benchmarks and tcelab-udp-peer,
 * the runner's UDP peer on the host. Every datagram starts with this
 * header, big-endian on the wire; the rest of the payload is filler up to
 * the size being measured. A session number (random per run and payload)
 * keeps stray datagrams of an earlier run from being counted.
 *
 *	ECHO         the peer sends the datagram back unchanged
 *	SINK         the peer counts it for its session, no reply
 *	STATS        the peer replies STATS_REPLY with the session's counts:
 *	             seq = datagrams, a = bytes, b = ns from first to last
 */
#ifndef NET_PROTO_H
#define NET_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define NETP_MAGIC 0x7ce1ab4eu
#define NETP_VERSION 1
#define NETP_HEADER_LEN 40

/* UDP payloads the tools send: 1472 fills a 1500-byte MTU (less 20 bytes
 * of IPv4 header and 8 of UDP header) without fragmenting. */
#define NETP_PAYLOAD_MIN 64
#define NETP_PAYLOAD_MAX 1472

enum netp_type {
	NETP_ECHO = 1,
	NETP_SINK = 2,
	NETP_STATS = 3,
	NETP_STATS_REPLY = 4,
};

struct netp_header {
	uint16_t type;
	uint32_t session;
	uint64_t seq;
	uint64_t a, b;
};

/* Write the header into the first NETP_HEADER_LEN bytes of buf. */
void netp_encode(const struct netp_header *h, void *buf);

/* Read a header; -1 when len is short or magic or version are not ours. */
int netp_decode(const void *buf, size_t len, struct netp_header *h);

#endif
