// SPDX-License-Identifier: GPL-2.0-only
/*
 * net-latency: UDP request/response latency over the NIC, with the kernel
 * driver in the guest. One request in flight: send a datagram to
 * tcelab-udp-peer, wait for its echo, time the round trip with the
 * timebase; --count of them per payload size, after --warmup. Output: a
 * human line per size (replies, lost, min/p50/p99/p99.9/max) and the
 * result JSON (metric rtt in ns, from the samples with the library's
 * statistics; replies, lost, late). An unreachable peer is an error after
 * 3 x --timeout-ms, never a hang.
 */
#include "run.h"

int main(int argc, char **argv)
{
	return net_main(NET_LATENCY, argc, argv);
}
