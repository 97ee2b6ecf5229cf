// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-udp-peer: the host's end of net-latency and net-rate. A UDP
 * echo (for ECHO datagrams) and sink (SINK datagrams, counted per session,
 * counts sent back on STATS) on one port, in one thread, in batches of
 * recvmmsg/sendmmsg. The lab runner starts it on 127.0.0.1 for plans with
 * a net step (QEMU user networking forwards the guest's 10.0.2.2:PORT
 * there) and stops it at the end; --lifetime bounds it should nobody do.
 *
 *	tcelab-udp-peer --port 40000 [--bind 127.0.0.1] [--lifetime 3600]
 *
 * Prints one line when listening and one when it stops, with its totals.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"
#include "proto.h"

#define BATCH 64
#define SOCKET_BUFFER (8 << 20)

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Every option, documented where it is defined. */
static const struct option long_options[] = {
	/* UDP port to listen on, 0 for one the kernel picks (printed) (required) */
	{ "port", required_argument, NULL, 'p' },
	/* IPv4 address to bind (default 127.0.0.1: QEMU user networking
	 * delivers the guest's datagrams to 10.0.2.2 there) */
	{ "bind", required_argument, NULL, 'b' },
	/* exit after this many seconds whatever happens, 1 to 86400
	 * (default 3600) */
	{ "lifetime", required_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tcelab-udp-peer --port N [--bind ADDR] [--lifetime SECS]\n");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long number(const char *text, const char *what, long min, long max)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (!*text || *end || v < min || v > max) {
		fprintf(stderr, "tcelab-udp-peer: %s: '%s' is not a number from %ld to %ld\n", what,
			text, min, max);
		exit(2);
	}
	return v;
}

static int open_socket(const char *bind_addr, long port, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd, size = SOCKET_BUFFER;

	*addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET, bind_addr, &addr->sin_addr) != 1) {
		fprintf(stderr, "tcelab-udp-peer: --bind: '%s' is not an IPv4 address\n", bind_addr);
		exit(2);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("tcelab-udp-peer: socket");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len)) {
		fprintf(stderr, "tcelab-udp-peer: cannot bind %s:%ld: %s\n", bind_addr, port,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/* One batch: receive what is there, answer what needs an answer. */
static void serve_batch(int fd, struct peer *p)
{
	static unsigned char in[BATCH][2048], out[BATCH][2048];
	static struct sockaddr_in from[BATCH];
	struct iovec iov[BATCH], oiov[BATCH];
	struct mmsghdr msg[BATCH], reply[BATCH];
	unsigned nreply = 0;
	uint64_t t;
	int n;

	for (int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ in[i], sizeof(in[i]) };
		msg[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &from[i],
							 .msg_namelen = sizeof(from[i]),
							 .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	n = recvmmsg(fd, msg, BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	t = now_ns();
	for (int i = 0; i < n; i++) {
		size_t len = peer_handle(p, in[i], msg[i].msg_len, t, out[nreply], sizeof(out[0]));

		if (!len)
			continue;
		oiov[nreply] = (struct iovec){ out[nreply], len };
		reply[nreply] = (struct mmsghdr){ .msg_hdr = { .msg_name = &from[i],
							       .msg_namelen = msg[i].msg_hdr.msg_namelen,
							       .msg_iov = &oiov[nreply],
							       .msg_iovlen = 1 } };
		nreply++;
	}
	for (unsigned done = 0; done < nreply;) {
		int k = sendmmsg(fd, reply + done, nreply - done, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break; /* the sender went away: nothing to do about it */
		done += (unsigned)k;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *bind_addr = "127.0.0.1";
	long port = -1, lifetime = 3600;
	struct sockaddr_in addr;
	struct peer *p = calloc(1, sizeof(*p));
	uint64_t start, end;
	size_t sessions = 0;
	char text[INET_ADDRSTRLEN];
	int fd, c;

	while ((c = getopt_long(argc, argv, "p:b:l:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'p': port = number(optarg, "--port", 0, 65535); break;
		case 'b': bind_addr = optarg; break;
		case 'l': lifetime = number(optarg, "--lifetime", 1, 86400); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || port < 0 || !p) {
		fprintf(stderr, "tcelab-udp-peer: %s\n",
			optind < argc ? "unexpected argument" : !p ? "out of memory" : "--port is required");
		usage(stderr);
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	peer_init(p);
	fd = open_socket(bind_addr, port, &addr);
	inet_ntop(AF_INET, &addr.sin_addr, text, sizeof(text));
	printf("tcelab-udp-peer: listening on %s:%u (UDP), lifetime %ld s\n", text,
	       ntohs(addr.sin_port), lifetime);
	fflush(stdout);
	start = now_ns();
	end = start + (uint64_t)lifetime * 1000000000u;
	while (!stop_signal && now_ns() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, 500) > 0)
			serve_batch(fd, p);
	}
	for (size_t i = 0; i < PEER_SESSIONS; i++)
		sessions += p->s[i].used != 0;
	printf("tcelab-udp-peer: %s after %.1f s: echoed %llu, sank %llu in %zu sessions, "
	       "answered %llu stats requests, ignored %llu\n",
	       stop_signal ? strsignal(stop_signal) : "lifetime over",
	       (double)(now_ns() - start) / 1e9, (unsigned long long)p->echoed,
	       (unsigned long long)p->sunk, sessions, (unsigned long long)p->stats,
	       (unsigned long long)p->ignored);
	close(fd);
	free(p);
	return 0;
}
