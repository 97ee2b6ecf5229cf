/* SPDX-License-Identifier: GPL-2.0-only */
/* The command lines of net-latency and net-rate (one parser: most options are shared). */
#ifndef NET_OPTIONS_H
#define NET_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct tl_error;

#define NET_MAX_PAYLOADS 16

enum net_tool { NET_LATENCY, NET_RATE };

/* net-rate's modes, a bit each. */
enum net_mode { NET_MODE_TX = 1, NET_MODE_ECHO = 2 };

struct net_options {
	enum net_tool tool;
	struct sockaddr_in peer;
	char peer_text[32];  /* "10.0.2.2:40000" */
	uint64_t payloads[NET_MAX_PAYLOADS];
	size_t npayloads;
	uint64_t count;      /* latency: requests per payload */
	uint64_t warmup;     /* latency: unmeasured requests first */
	double time_s;       /* rate: seconds per payload and mode */
	unsigned batch;      /* rate: datagrams per sendmmsg/recvmmsg */
	unsigned modes;      /* rate: enum net_mode bits */
	unsigned timeout_ms; /* how long to wait for a reply */
	bool samples;
	const char *json_path;
	const char *name;
};

const char *net_tool_name(enum net_tool tool);

/* Parse argv into o (defaults first). Returns 0, or -1 with e set. */
int net_parse_options(enum net_tool tool, int argc, char **argv, struct net_options *o,
		      struct tl_error *e);
void net_usage(enum net_tool tool, FILE *f);

/* "64,1472": sizes from NETP_PAYLOAD_MIN to NETP_PAYLOAD_MAX (for tests too). */
int net_parse_payloads(const char *text, struct net_options *o, struct tl_error *e);

/* "10.0.2.2:40000" (IPv4 only: the guest has no resolver). */
int net_parse_peer(const char *text, struct net_options *o, struct tl_error *e);

#endif
