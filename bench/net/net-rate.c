// SPDX-License-Identifier: GPL-2.0-only
/*
 * net-rate: small-packet rate over the NIC, with the kernel driver in the
 * guest, in batches of --batch datagrams per sendmmsg/recvmmsg call. Per
 * payload size: tx, a stream to tcelab-udp-peer's sink for --time seconds
 * (rate sent by the guest, rate delivered as the peer counted it, lost);
 * echo, bursts of --batch echoed back (round trips per second). Result
 * JSON: packet_rate (packets/s), bandwidth (payload bytes/s), packets and
 * lost (count), labelled payload, mode and side.
 */
#include "run.h"

int main(int argc, char **argv)
{
	return net_main(NET_RATE, argc, argv);
}
