/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's iperf3 server for plans with an iperf3 step. QEMU's user
 * networking maps the guest's 10.0.2.2 to the host's loopback, so the
 * server listens on 127.0.0.1 only, on a port free at start.
 */
#ifndef LAB_IPERF_SERVER_H
#define LAB_IPERF_SERVER_H

#include "tcelab/child.h"

struct tl_error;

struct iperf_server {
	struct child child;
	int port;
};

/* Start "iperf3 -s" with its output in log_path; returns once it listens. */
int iperf_server_start(struct iperf_server *s, const char *iperf3, const char *log_path,
		       struct tl_error *e);

void iperf_server_stop(struct iperf_server *s);

#endif
