/* SPDX-License-Identifier: GPL-2.0-only */
/* net-latency's measurement: UDP request/response round trips, one at a time. */
#ifndef NET_LATENCY_H
#define NET_LATENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"

struct tl_error;

/* Requests in a row without a reply that end a run. */
#define NET_MAX_UNANSWERED 5

struct latency_result {
	uint64_t payload;
	uint32_t session;
	uint64_t sent;    /* measured requests sent */
	uint64_t replies; /* answered in time: one sample each */
	uint64_t lost;    /* no reply within --timeout-ms */
	uint64_t late;    /* replies that came after their request timed out */
	double *rtt_ns;   /* replies samples, in order; malloc'd */
	bool stopped;     /* interrupted */
};

/* --warmup unmeasured, then --count measured round trips of one payload
 * size. Returns 0, or -1 with e set (the peer stopped answering, or a
 * socket error); r keeps what was measured until then. */
int latency_run(int fd, const struct net_options *o, uint64_t payload, uint32_t session,
		struct latency_result *r, struct tl_error *e);

void latency_free(struct latency_result *r);

/* Set by the signal handler: finish the current payload early. */
extern volatile int net_stop;

#endif
