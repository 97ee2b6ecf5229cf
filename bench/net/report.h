/* SPDX-License-Identifier: GPL-2.0-only */
/* The net tools' output: a human line per payload and the result JSON. */
#ifndef NET_REPORT_H
#define NET_REPORT_H

#include <stdio.h>

#include "latency.h"
#include "options.h"
#include "rate.h"

struct tl_error;

/* Everything one run measured; arrays are indexed like o->payloads. */
struct net_run {
	const struct net_options *o;
	size_t done;                          /* payload sizes measured (fully or partly) */
	struct latency_result lat[NET_MAX_PAYLOADS];
	struct rate_tx_result tx[NET_MAX_PAYLOADS];
	struct rate_echo_result echo[NET_MAX_PAYLOADS];
	const char *const *errors;
	size_t nerrors;
};

/* "net-latency 10.0.2.2:40000 payload=64: 1000 of 1000 replies, 0 lost, rtt us min ... p50 ..." */
void report_latency_human(FILE *f, const struct net_options *o, const struct latency_result *r);
/* "net-rate 10.0.2.2:40000 payload=64 tx: sent 12345 pkt/s (0.79 MB/s), delivered ..." */
void report_tx_human(FILE *f, const struct net_options *o, const struct rate_tx_result *r);
void report_echo_human(FILE *f, const struct net_options *o, const struct rate_echo_result *r);

/* The result JSON, written beside and renamed into place. */
int report_json(const char *path, const struct net_run *run, struct tl_error *e);

#endif
