// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "proto.h"
#include "udp.h"

/* Receive buffers for bursts: a slow guest must not drop what it asked for. */
#define SOCKET_BUFFER (4 << 20)

int64_t udp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int refused(const char *text, struct tl_error *e)
{
	return tl_err(e, "UDP peer %s: connection refused (ICMP port unreachable): nothing "
			 "listens on that port; is tcelab-udp-peer running there? (the lab "
			 "runner starts it for net-latency and net-rate steps)", text);
}

int udp_open(const struct sockaddr_in *peer, const char *text, struct tl_error *e)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), size = SOCKET_BUFFER;

	if (fd < 0)
		return tl_err_errno(e, "UDP socket");
	/* Best effort: the kernel caps it at rmem_max/wmem_max. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (connect(fd, (const struct sockaddr *)peer, sizeof(*peer))) {
		tl_err_errno(e, "UDP peer %s: connect", text);
		close(fd);
		return -1;
	}
	return fd;
}

int udp_send(int fd, const void *buf, size_t len, const char *text, struct tl_error *e)
{
	ssize_t n;

	do
		n = send(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == ECONNREFUSED)
		return refused(text, e);
	if (n < 0)
		return tl_err_errno(e, "UDP peer %s: send", text);
	if ((size_t)n != len)
		return tl_err(e, "UDP peer %s: sent %zd of %zu bytes", text, n, len);
	return 0;
}

int udp_recv(int fd, void *buf, size_t cap, size_t *len, int timeout_ms, const char *text,
	     struct tl_error *e)
{
	int64_t deadline = udp_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - udp_now_ms();
		ssize_t n;
		int r;

		if (left < 0)
			left = 0;
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return tl_err_errno(e, "UDP peer %s: poll", text);
		if (r == 0)
			return 0;
		n = recv(fd, buf, cap, MSG_DONTWAIT);
		if (n >= 0) {
			*len = (size_t)n;
			return 1;
		}
		if (errno == EAGAIN || errno == EINTR)
			continue;
		if (errno == ECONNREFUSED)
			return refused(text, e);
		return tl_err_errno(e, "UDP peer %s: recv", text);
	}
}

/* Send req, wait for a reply of type want in the same session and seq. */
static int ask(int fd, const struct netp_header *req, uint16_t want, int timeout_ms, int tries,
	       const char *text, struct netp_header *reply, struct tl_error *e)
{
	unsigned char buf[NETP_PAYLOAD_MIN], in[2048];

	memset(buf, 0, sizeof(buf));
	netp_encode(req, buf);
	for (int t = 0; t < tries; t++) {
		int64_t deadline = udp_now_ms() + timeout_ms;

		if (udp_send(fd, buf, sizeof(buf), text, e))
			return -1;
		for (;;) {
			int64_t left = deadline - udp_now_ms();
			size_t len = 0;
			int r;

			if (left <= 0)
				break;
			r = udp_recv(fd, in, sizeof(in), &len, (int)left, text, e);
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			if (netp_decode(in, len, reply) == 0 && reply->type == want &&
			    reply->session == req->session && (want != NETP_ECHO || reply->seq == req->seq))
				return 0;
			/* a late reply to something earlier: keep waiting */
		}
	}
	return tl_err(e, "UDP peer %s: no reply in %d tries of %d ms: the peer is unreachable, "
			 "not running, or not tcelab-udp-peer", text, tries, timeout_ms);
}

int udp_probe(int fd, uint32_t session, int timeout_ms, int tries, const char *text,
	      struct tl_error *e)
{
	struct netp_header req = { .type = NETP_ECHO, .session = session, .seq = UINT64_MAX }, rep;

	return ask(fd, &req, NETP_ECHO, timeout_ms, tries, text, &rep, e);
}

int udp_peer_counts(int fd, uint32_t session, int timeout_ms, int tries, const char *text,
		    struct peer_counts *c, struct tl_error *e)
{
	struct netp_header req = { .type = NETP_STATS, .session = session }, rep;

	if (ask(fd, &req, NETP_STATS_REPLY, timeout_ms, tries, text, &rep, e))
		return -1;
	c->packets = rep.seq;
	c->bytes = rep.a;
	c->span_ns = rep.b;
	return 0;
}
