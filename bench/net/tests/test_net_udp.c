// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest side's sockets against a peer on the loopback: round trips,
 * the tx stream and echo bursts against the peer's logic (in a child
 * process), and bad peers: one that never answers (a bounded timeout, not a
 * hang), a closed port (refused), a peer that dies mid-run.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/stats.h"
#include "tcelab/timing.h"
#include "latency.h"
#include "peer.h"
#include "rate.h"
#include "udp.h"
#include "ktap.h"

static int bound_socket(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	*a = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) ||
	    getsockname(fd, (struct sockaddr *)a, &len))
		return -1;
	return fd;
}

/* A child serving the peer's logic on fd until killed. */
static pid_t start_peer(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		static struct peer p;
		unsigned char in[2048], out[2048];

		peer_init(&p);
		for (;;) {
			struct sockaddr_in from;
			socklen_t flen = sizeof(from);
			ssize_t n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &flen);
			size_t r;

			if (n < 0)
				continue;
			r = peer_handle(&p, in, (size_t)n, (uint64_t)udp_now_ms() * 1000000, out,
					sizeof(out));
			if (r)
				sendto(fd, out, r, 0, (struct sockaddr *)&from, flen);
		}
	}
	return pid;
}

static void options_for(struct net_options *o, const struct sockaddr_in *a, unsigned timeout_ms)
{
	*o = (struct net_options){ .peer = *a, .count = 50, .warmup = 2, .time_s = 0.2,
				   .batch = 16, .modes = NET_MODE_TX | NET_MODE_ECHO,
				   .timeout_ms = timeout_ms };
	snprintf(o->peer_text, sizeof(o->peer_text), "127.0.0.1:%u", ntohs(a->sin_port));
}

static void test_good_peer(void)
{
	struct sockaddr_in a;
	struct net_options o;
	struct latency_result lr;
	struct rate_tx_result tx;
	struct rate_echo_result ex;
	struct stats_summary s;
	struct tl_error e;
	int sfd = bound_socket(&a), fd, ret;
	pid_t pid = start_peer(sfd);

	options_for(&o, &a, 1000);
	fd = udp_open(&o.peer, o.peer_text, &e);
	report(fd >= 0 && udp_probe(fd, 0x100, 1000, 3, o.peer_text, &e) == 0, "the peer answers the probe");
	for (int k = 0; k < 2; k++) {
		uint64_t payload = k ? 1472 : 64;

		ret = latency_run(fd, &o, payload, 0x200 + k, &lr, &e);
		report(ret == 0 && lr.sent == 50 &&
			       lr.replies == 50 && lr.lost == 0,
		       "payload %llu: 50 round trips, 50 replies", (unsigned long long)payload);
		stats_summarize(lr.rtt_ns, lr.replies, &s);
		report(s.min > 0 && s.min <= s.median && s.median <= s.p99 && s.p99 <= s.p999 &&
			       s.p999 <= s.max,
		       "payload %llu: rtt percentiles in order (min %.0f p50 %.0f p99 %.0f max %.0f ns)",
		       (unsigned long long)payload, s.min, s.median, s.p99, s.max);
		latency_free(&lr);
	}
	ret = rate_tx(fd, &o, 256, 0x300, &tx, &e);
	report(ret == 0 && tx.sent > 0 && tx.peer_known &&
		       tx.peer.packets > 0 && tx.peer.packets <= tx.sent &&
		       tx.peer.bytes == tx.peer.packets * 256 && rate_tx_sent_pps(&tx) > 0,
	       "tx: %llu sent in %llu sendmmsg calls, the peer counted %llu of 256 bytes each",
	       (unsigned long long)tx.sent, (unsigned long long)tx.send_calls,
	       (unsigned long long)tx.peer.packets);
	ret = rate_echo(fd, &o, 1472, 0x301, &ex, &e);
	report(ret == 0 && ex.received > 0 &&
		       ex.received + ex.lost == ex.sent && rate_echo_pps(&ex) > 0,
	       "echo: %llu of %llu came back in %llu bursts", (unsigned long long)ex.received,
	       (unsigned long long)ex.sent, (unsigned long long)ex.bursts);

	/* the peer dies: the next measurement ends with an error, in bounded time */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(sfd);
	{
		int64_t t0 = udp_now_ms();

		o.timeout_ms = 100;
		ret = latency_run(fd, &o, 64, 0x400, &lr, &e);
		report(ret == -1 && (strstr(e.msg, "refused") || strstr(e.msg, "stopped answering")) &&
			       udp_now_ms() - t0 < 3000,
		       "a peer gone mid-run: a clear error in %lld ms (%s)",
		       (long long)(udp_now_ms() - t0), e.msg);
		latency_free(&lr);
	}
	close(fd);
}

static void test_bad_peers(void)
{
	struct sockaddr_in a;
	struct net_options o;
	struct tl_error e;
	int sfd = bound_socket(&a), fd, ret;
	int64_t t0;

	/* bound but never read: nothing answers, nothing refuses */
	options_for(&o, &a, 100);
	fd = udp_open(&o.peer, o.peer_text, &e);
	t0 = udp_now_ms();
	ret = udp_probe(fd, 1, 100, 3, o.peer_text, &e);
	report(ret == -1 &&
		       strstr(e.msg, "no reply in 3 tries of 100 ms") && strstr(e.msg, o.peer_text),
	       "a silent peer: '%s'", e.msg);
	report(udp_now_ms() - t0 >= 290 && udp_now_ms() - t0 < 1500,
	       "...after 3 x 100 ms, not a hang (%lld ms)", (long long)(udp_now_ms() - t0));
	close(fd);
	close(sfd);

	/* the port is closed now: ICMP port unreachable */
	fd = udp_open(&o.peer, o.peer_text, &e);
	t0 = udp_now_ms();
	ret = udp_probe(fd, 1, 1000, 3, o.peer_text, &e);
	report(ret == -1 && strstr(e.msg, "refused") &&
		       strstr(e.msg, "tcelab-udp-peer"),
	       "a closed port: '%s'", e.msg);
	report(udp_now_ms() - t0 < 1000, "...at once (%lld ms)", (long long)(udp_now_ms() - t0));
	close(fd);
}

int main(void)
{
	struct tl_error e;

	signal(SIGPIPE, SIG_IGN);
	if (timing_init(&e)) {
		report(false, "timing_init: %s", e.msg);
		return report_summary();
	}
	test_good_peer();
	test_bad_peers();
	return report_summary();
}
