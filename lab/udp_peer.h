/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's UDP peer (bench/net's tcelab-udp-peer) for plans with a
 * net-latency or net-rate step, like the iperf3 server for iperf3 steps:
 * started on 127.0.0.1 on a port free at start (QEMU user networking
 * forwards the guest's 10.0.2.2:PORT there), told to the guest as
 * TCELAB_UDP_PEER and TCELAB_UDP_PEER_PORT in env, stopped after the run;
 * its --lifetime bounds it should the runner be killed.
 */
#ifndef LAB_UDP_PEER_H
#define LAB_UDP_PEER_H

#include "tcelab/child.h"

struct plan;
struct plan_step;
struct tl_error;

struct udp_peer {
	struct child child;
	int port; /* 0: not started */
};

/* The first step that needs the peer, or NULL. */
const struct plan_step *plan_udp_peer_step(const struct plan *plan);

/* The peer program for a plan that needs it: beside the build's other
 * tools, else in PATH. *path NULL when the plan needs none; -1 with e set
 * when it needs one and there is none. */
int udp_peer_find(const struct plan *plan, char **path, struct tl_error *e);

/* Start it with its output in log_path; returns once it listens.
 * lifetime_s: it exits by itself after that long. */
int udp_peer_start(struct udp_peer *p, const char *program, const char *log_path, int lifetime_s,
		   struct tl_error *e);

/* Append TCELAB_UDP_PEER and TCELAB_UDP_PEER_PORT to the share's env. */
int udp_peer_share_env(const char *share_dir, const struct udp_peer *p, struct tl_error *e);

void udp_peer_stop(struct udp_peer *p);

#endif
