// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "latency.h" /* net_stop, NET_MAX_UNANSWERED */
#include "proto.h"
#include "rate.h"

/* After the first echo of a burst, how long to wait for the rest. */
#define BURST_IDLE_MS 200
/* After a tx stream, how long datagrams may still be on their way. */
#define DRAIN_MS 200

struct batch {
	unsigned n;
	unsigned char *buf; /* n x NETP_PAYLOAD_MAX */
	struct iovec *iov;
	struct mmsghdr *msg;
};

static int batch_alloc(struct batch *b, unsigned n, uint64_t payload, struct tl_error *e)
{
	b->n = n;
	b->buf = calloc(n, NETP_PAYLOAD_MAX);
	b->iov = calloc(n, sizeof(*b->iov));
	b->msg = calloc(n, sizeof(*b->msg));
	if (!b->buf || !b->iov || !b->msg)
		return tl_err(e, "out of memory for a batch of %u datagrams", n);
	for (unsigned i = 0; i < n; i++) {
		unsigned char *p = b->buf + (size_t)i * NETP_PAYLOAD_MAX;

		for (size_t k = NETP_HEADER_LEN; k < NETP_PAYLOAD_MAX; k++)
			p[k] = (unsigned char)(0x5a ^ k);
		b->iov[i] = (struct iovec){ p, payload };
		b->msg[i].msg_hdr.msg_iov = &b->iov[i];
		b->msg[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

static void batch_free(struct batch *b)
{
	free(b->buf);
	free(b->iov);
	free(b->msg);
}

static void batch_fill(struct batch *b, unsigned n, uint16_t type, uint32_t session,
		       uint64_t first_seq)
{
	for (unsigned i = 0; i < n; i++) {
		struct netp_header h = { .type = type, .session = session, .seq = first_seq + i };

		netp_encode(&h, b->iov[i].iov_base);
	}
}

/* sendmmsg all n (fewer only when stopped: *sent says); 0, or -1 with e
 * set. Calls and retries (a full queue) are counted. */
static int send_all(int fd, struct batch *b, unsigned n, const char *peer, unsigned *sent,
		    uint64_t *calls, uint64_t *retries, struct tl_error *e)
{
	unsigned done = 0;

	*sent = 0;
	while (done < n) {
		int k = sendmmsg(fd, b->msg + done, n - done, 0);

		if (k < 0) {
			if (errno == EINTR && !net_stop)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				(*retries)++;
				sched_yield();
				continue;
			}
			if (errno == ECONNREFUSED)
				return tl_err(e, "UDP peer %s: connection refused (ICMP port "
						 "unreachable) while sending: the peer went away",
					      peer);
			if (errno == EINTR)
				break;
			return tl_err_errno(e, "UDP peer %s: sendmmsg", peer);
		}
		(*calls)++;
		done += (unsigned)k;
		*sent = done;
	}
	return 0;
}

int rate_tx(int fd, const struct net_options *o, uint64_t payload, uint32_t session,
	    struct rate_tx_result *r, struct tl_error *e)
{
	uint64_t t0, t_end, seq = 0, last_packets = UINT64_MAX;
	struct batch b;
	int ret = 0;

	*r = (struct rate_tx_result){ .payload = payload, .session = session };
	if (batch_alloc(&b, o->batch, payload, e)) {
		batch_free(&b);
		return -1;
	}
	t0 = timing_ticks();
	t_end = t0 + (uint64_t)(o->time_s * (double)timing_hz());
	while (!net_stop && timing_ticks() < t_end) {
		unsigned sent;

		batch_fill(&b, b.n, NETP_SINK, session, seq);
		if (send_all(fd, &b, b.n, o->peer_text, &sent, &r->send_calls, &r->send_retries,
			     e)) {
			ret = -1;
			break;
		}
		r->sent += sent;
		seq += sent;
		if (sent < b.n)
			break;
	}
	r->secs = timing_ns(timing_ticks() - t0) / 1e9;
	r->stopped = net_stop != 0;
	batch_free(&b);
	if (ret)
		return ret;
	/* The peer's count, once it stops growing (datagrams still in the
	 * e1000e ring, in QEMU or in the host's socket buffer). */
	usleep(DRAIN_MS * 1000);
	for (int i = 0; i < 10; i++) {
		struct peer_counts c;

		if (udp_peer_counts(fd, session, (int)o->timeout_ms, 3, o->peer_text, &c, e))
			return -1;
		r->peer = c;
		r->peer_known = true;
		if (c.packets == last_packets)
			break;
		last_packets = c.packets;
		usleep(100 * 1000);
	}
	return 0;
}

/* Reap the echoes of burst [first, first + n): returns 0, or -1 with e. */
static int reap(int fd, const struct net_options *o, struct batch *in, uint32_t session,
		uint64_t first, unsigned n, struct rate_echo_result *r, struct tl_error *e)
{
	unsigned got = 0;
	int wait_ms = (int)o->timeout_ms;

	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int k = poll(&p, 1, wait_ms);

		if (k < 0 && errno == EINTR) {
			if (net_stop)
				break;
			continue;
		}
		if (k < 0)
			return tl_err_errno(e, "UDP peer %s: poll", o->peer_text);
		if (k == 0)
			break;
		k = recvmmsg(fd, in->msg, in->n, MSG_DONTWAIT, NULL);
		if (k < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ECONNREFUSED)
				return tl_err(e, "UDP peer %s: connection refused (ICMP port "
						 "unreachable): the peer went away", o->peer_text);
			return tl_err_errno(e, "UDP peer %s: recvmmsg", o->peer_text);
		}
		for (int i = 0; i < k; i++) {
			struct netp_header h;

			if (netp_decode(in->iov[i].iov_base, in->msg[i].msg_len, &h) ||
			    h.type != NETP_ECHO || h.session != session)
				continue;
			if (h.seq >= first && h.seq < first + n)
				got++;
			else if (h.seq < first)
				r->late++;
		}
		wait_ms = BURST_IDLE_MS < (int)o->timeout_ms ? BURST_IDLE_MS : (int)o->timeout_ms;
	}
	r->received += got;
	r->lost += n - got;
	return 0;
}

int rate_echo(int fd, const struct net_options *o, uint64_t payload, uint32_t session,
	      struct rate_echo_result *r, struct tl_error *e)
{
	uint64_t t0, t_end, seq = 0, calls = 0, retries = 0;
	struct batch out = { 0 }, in = { 0 };
	unsigned silent = 0;
	int ret = 0;

	*r = (struct rate_echo_result){ .payload = payload, .session = session };
	if (batch_alloc(&out, o->batch, payload, e) ||
	    batch_alloc(&in, o->batch, NETP_PAYLOAD_MAX, e)) {
		batch_free(&out);
		batch_free(&in);
		return -1;
	}
	t0 = timing_ticks();
	t_end = t0 + (uint64_t)(o->time_s * (double)timing_hz());
	while (!net_stop && timing_ticks() < t_end) {
		uint64_t before = r->received;
		unsigned sent;

		batch_fill(&out, out.n, NETP_ECHO, session, seq);
		if (send_all(fd, &out, out.n, o->peer_text, &sent, &calls, &retries, e) ||
		    reap(fd, o, &in, session, seq, sent, r, e)) {
			ret = -1;
			break;
		}
		r->sent += sent;
		r->bursts++;
		seq += out.n;
		if (sent < out.n)
			break;
		silent = r->received == before ? silent + 1 : 0;
		if (silent >= NET_MAX_UNANSWERED) {
			ret = tl_err(e, "UDP peer %s stopped answering: %d bursts of %u in a row "
					"without any echo within %u ms (payload %llu bytes)",
				     o->peer_text, NET_MAX_UNANSWERED, out.n, o->timeout_ms,
				     (unsigned long long)payload);
			break;
		}
	}
	r->secs = timing_ns(timing_ticks() - t0) / 1e9;
	r->stopped = net_stop != 0;
	batch_free(&out);
	batch_free(&in);
	return ret;
}

double rate_tx_sent_pps(const struct rate_tx_result *r)
{
	return r->secs > 0 ? (double)r->sent / r->secs : 0;
}

/* The peer's own clock from first to last arrival: n datagrams span n - 1
 * gaps. Fewer than 2: no rate. */
double rate_tx_delivered_pps(const struct rate_tx_result *r)
{
	if (!r->peer_known || r->peer.packets < 2 || !r->peer.span_ns)
		return 0;
	return (double)(r->peer.packets - 1) / ((double)r->peer.span_ns / 1e9);
}

double rate_echo_pps(const struct rate_echo_result *r)
{
	return r->secs > 0 ? (double)r->received / r->secs : 0;
}
