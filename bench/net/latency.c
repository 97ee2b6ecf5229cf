// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "latency.h"
#include "proto.h"
#include "udp.h"

volatile int net_stop;

/* One round trip of request seq: 1 answered (*ticks set), 0 lost, -1 error. */
static int round_trip(int fd, const struct net_options *o, unsigned char *buf, uint64_t payload,
		      uint32_t session, uint64_t seq, uint64_t *ticks, uint64_t *late,
		      struct tl_error *e)
{
	struct netp_header h = { .type = NETP_ECHO, .session = session, .seq = seq };
	unsigned char in[NETP_PAYLOAD_MAX + 64];
	int64_t deadline;
	uint64_t t0;

	netp_encode(&h, buf);
	deadline = udp_now_ms() + o->timeout_ms;
	t0 = timing_ticks();
	if (udp_send(fd, buf, payload, o->peer_text, e))
		return -1;
	for (;;) {
		int64_t left = deadline - udp_now_ms();
		struct netp_header r;
		size_t len;
		int got;

		if (left < 0)
			left = 0;
		got = udp_recv(fd, in, sizeof(in), &len, (int)left, o->peer_text, e);
		if (got <= 0)
			return got;
		if (netp_decode(in, len, &r) || r.type != NETP_ECHO || r.session != session)
			continue;
		if (r.seq == seq && len == payload) {
			*ticks = timing_ticks() - t0;
			return 1;
		}
		if (r.seq < seq)
			(*late)++;
	}
}

int latency_run(int fd, const struct net_options *o, uint64_t payload, uint32_t session,
		struct latency_result *r, struct tl_error *e)
{
	unsigned char *buf = calloc(1, NETP_PAYLOAD_MAX);
	uint64_t seq = 0, unanswered = 0, warm_late = 0;
	int ret = 0;

	*r = (struct latency_result){ .payload = payload, .session = session };
	r->rtt_ns = calloc(o->count, sizeof(*r->rtt_ns));
	if (!buf || !r->rtt_ns) {
		free(buf);
		return tl_err(e, "out of memory for %llu samples", (unsigned long long)o->count);
	}
	/* filler after the header: a recognizable byte pattern */
	for (size_t i = NETP_HEADER_LEN; i < NETP_PAYLOAD_MAX; i++)
		buf[i] = (unsigned char)(0x5a ^ i);
	for (uint64_t i = 0; i < o->warmup + o->count && !net_stop; i++, seq++) {
		bool measured = i >= o->warmup;
		uint64_t ticks = 0;
		int got = round_trip(fd, o, buf, payload, session, seq, &ticks,
				     measured ? &r->late : &warm_late, e);

		if (got < 0) {
			ret = -1;
			break;
		}
		if (measured)
			r->sent++;
		if (got == 0) {
			if (measured)
				r->lost++;
			if (++unanswered >= NET_MAX_UNANSWERED) {
				ret = tl_err(e, "UDP peer %s stopped answering: %d requests in a row "
						"without a reply within %u ms (payload %llu bytes, "
						"after %llu replies)",
					     o->peer_text, NET_MAX_UNANSWERED, o->timeout_ms,
					     (unsigned long long)payload,
					     (unsigned long long)r->replies);
				break;
			}
			continue;
		}
		unanswered = 0;
		if (measured)
			r->rtt_ns[r->replies++] = timing_ns(ticks);
	}
	r->stopped = net_stop != 0;
	free(buf);
	return ret;
}

void latency_free(struct latency_result *r)
{
	free(r->rtt_ns);
	r->rtt_ns = NULL;
}
