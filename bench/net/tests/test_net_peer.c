// SPDX-License-Identifier: GPL-2.0-only
/* The wire format and tcelab-udp-peer's logic: echo, sink counts, stats, stray datagrams. */
#include <string.h>

#include "peer.h"
#include "proto.h"
#include "ktap.h"

static size_t datagram(unsigned char *buf, size_t len, uint16_t type, uint32_t session,
		       uint64_t seq)
{
	struct netp_header h = { .type = type, .session = session, .seq = seq };

	memset(buf, 0xa5, len);
	netp_encode(&h, buf);
	return len;
}

int main(void)
{
	static struct peer p;
	unsigned char in[2048], out[2048];
	struct netp_header h = { .type = NETP_STATS_REPLY, .session = 0x01020304,
				 .seq = 0x1122334455667788ull, .a = 7, .b = 9 }, d;
	size_t n;

	netp_encode(&h, in);
	report(in[0] == 0x7c && in[1] == 0xe1 && in[2] == 0xab && in[3] == 0x4e && in[5] == 1 &&
		       in[7] == NETP_STATS_REPLY && in[8] == 1 && in[11] == 4 && in[16] == 0x11 &&
		       in[23] == 0x88,
	       "the header is big-endian on the wire: magic, version, type, session, seq");
	report(netp_decode(in, NETP_HEADER_LEN, &d) == 0 && d.type == h.type &&
		       d.session == h.session && d.seq == h.seq && d.a == 7 && d.b == 9,
	       "decode gives back what was encoded");
	report(netp_decode(in, NETP_HEADER_LEN - 1, &d) == -1, "a short datagram is not ours");
	in[0] ^= 1;
	report(netp_decode(in, NETP_HEADER_LEN, &d) == -1, "bad magic is not ours");
	in[0] ^= 1;
	in[5] = 2;
	report(netp_decode(in, NETP_HEADER_LEN, &d) == -1, "another version is not ours");

	peer_init(&p);
	n = datagram(in, 1472, NETP_ECHO, 5, 3);
	report(peer_handle(&p, in, n, 0, out, sizeof(out)) == 1472 && !memcmp(in, out, 1472),
	       "ECHO comes back unchanged, all 1472 bytes");
	report(peer_handle(&p, in, n, 0, out, 100) == 0, "...but never beyond the reply buffer");

	for (uint64_t i = 0; i < 10; i++) {
		n = datagram(in, 100, NETP_SINK, 7, i);
		if (peer_handle(&p, in, n, 1000 + i * 50, out, sizeof(out)))
			report(false, "SINK got a reply");
	}
	n = datagram(in, 200, NETP_SINK, 8, 0);
	peer_handle(&p, in, n, 5000, out, sizeof(out));
	n = datagram(in, 64, NETP_STATS, 7, 0);
	report(peer_handle(&p, in, n, 9999, out, sizeof(out)) == NETP_PAYLOAD_MIN &&
		       netp_decode(out, NETP_PAYLOAD_MIN, &d) == 0 && d.type == NETP_STATS_REPLY &&
		       d.session == 7 && d.seq == 10 && d.a == 1000 && d.b == 450,
	       "STATS: 10 datagrams, 1000 bytes, 450 ns from first to last (got %llu, %llu, %llu)",
	       (unsigned long long)d.seq, (unsigned long long)d.a, (unsigned long long)d.b);
	n = datagram(in, 64, NETP_STATS, 8, 0);
	report(peer_handle(&p, in, n, 0, out, sizeof(out)) && netp_decode(out, 64, &d) == 0 &&
		       d.seq == 1 && d.a == 200 && d.b == 0,
	       "sessions are counted apart");
	n = datagram(in, 64, NETP_STATS, 99, 0);
	report(peer_handle(&p, in, n, 0, out, sizeof(out)) && netp_decode(out, 64, &d) == 0 &&
		       d.session == 99 && d.seq == 0 && d.a == 0,
	       "STATS of an unknown session: zero counts, not silence");

	for (uint32_t s = 100; s < 100 + PEER_SESSIONS; s++) {
		n = datagram(in, 64, NETP_SINK, s, 0);
		peer_handle(&p, in, n, 0, out, sizeof(out));
	}
	n = datagram(in, 64, NETP_STATS, 8, 0);
	report(peer_handle(&p, in, n, 0, out, sizeof(out)) && netp_decode(out, 64, &d) == 0 &&
		       d.seq == 0,
	       "beyond %d sessions the least recently used is forgotten", PEER_SESSIONS);

	memset(in, 0, 64);
	report(peer_handle(&p, in, 64, 0, out, sizeof(out)) == 0, "a stray datagram is ignored");
	n = datagram(in, 64, NETP_STATS_REPLY, 1, 0);
	report(peer_handle(&p, in, n, 0, out, sizeof(out)) == 0, "a reply type is not answered");
	report(p.echoed == 1 && p.sunk == 10 + 1 + PEER_SESSIONS && p.stats == 4 && p.ignored == 3,
	       "totals: echoed %llu, sunk %llu, stats %llu, ignored %llu",
	       (unsigned long long)p.echoed, (unsigned long long)p.sunk,
	       (unsigned long long)p.stats, (unsigned long long)p.ignored);
	return report_summary();
}
