/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * net-rate's measurements, both with sendmmsg/recvmmsg in batches:
 *  - tx: a stream of SINK datagrams for --time seconds, as fast as the
 *    guest sends them; the peer counts what arrived (and when), so both
 *    the rate sent and the rate delivered are known;
 *  - echo: bursts of --batch ECHO datagrams, each burst sent with one
 *    sendmmsg and its echoes reaped with recvmmsg before the next: round
 *    trips per second with a window of --batch.
 */
#ifndef NET_RATE_H
#define NET_RATE_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "udp.h"

struct tl_error;

struct rate_tx_result {
	uint64_t payload;
	uint32_t session;
	uint64_t sent, send_calls, send_retries; /* retries: ENOBUFS/EAGAIN */
	double secs;                             /* guest clock, first to last send */
	bool peer_known;                         /* the peer's counts came back */
	struct peer_counts peer;
	bool stopped;
};

struct rate_echo_result {
	uint64_t payload;
	uint32_t session;
	uint64_t sent, received, lost, late, bursts;
	double secs;
	bool stopped;
};

int rate_tx(int fd, const struct net_options *o, uint64_t payload, uint32_t session,
	    struct rate_tx_result *r, struct tl_error *e);
int rate_echo(int fd, const struct net_options *o, uint64_t payload, uint32_t session,
	      struct rate_echo_result *r, struct tl_error *e);

/* Derived figures (0 where the denominator is 0). */
double rate_tx_sent_pps(const struct rate_tx_result *r);
double rate_tx_delivered_pps(const struct rate_tx_result *r);
double rate_echo_pps(const struct rate_echo_result *r);

#endif
