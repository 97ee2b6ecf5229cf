// SPDX-License-Identifier: GPL-2.0-only
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "report.h"
#include "run.h"
#include "udp.h"

/* The first probe: this many tries of --timeout-ms. */
#define PROBE_TRIES 3
#define MAX_ERRORS 32

static struct net_run R;
static char *errors[MAX_ERRORS];

static void on_signal(int sig)
{
	(void)sig;
	net_stop = 1;
}

static void add_error(struct net_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_error(struct net_run *run, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", net_tool_name(run->o->tool), msg);
	if (run->nerrors < MAX_ERRORS)
		errors[run->nerrors++] = strdup(msg);
}

static uint32_t random_session(void)
{
	uint32_t s;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s))
		s = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	return s & ~0xffu; /* the low byte numbers the payloads */
}

/* One payload size: 0 to go on, -1 to stop (an error the next size would hit too). */
static int measure(struct net_run *run, int fd, size_t i, uint32_t session)
{
	const struct net_options *o = run->o;
	uint64_t payload = o->payloads[i];
	struct tl_error e;

	run->done = i + 1;
	if (o->tool == NET_LATENCY) {
		struct latency_result *r = &run->lat[i];

		if (latency_run(fd, o, payload, session + (uint32_t)i, r, &e)) {
			report_latency_human(stdout, o, r);
			add_error(run, "%s", e.msg);
			return -1;
		}
		report_latency_human(stdout, o, r);
		if (!r->replies && !r->stopped)
			add_error(run, "payload %llu: none of %llu requests was answered",
				  (unsigned long long)payload, (unsigned long long)r->sent);
		return 0;
	}
	if (o->modes & NET_MODE_TX) {
		struct rate_tx_result *t = &run->tx[i];

		if (rate_tx(fd, o, payload, session + 2 * (uint32_t)i, t, &e)) {
			add_error(run, "payload %llu tx: %s", (unsigned long long)payload, e.msg);
			return -1;
		}
		report_tx_human(stdout, o, t);
		if (t->sent && !t->peer.packets)
			add_error(run, "payload %llu tx: the peer received none of the %llu datagrams "
				       "sent", (unsigned long long)payload, (unsigned long long)t->sent);
	}
	if ((o->modes & NET_MODE_ECHO) && !net_stop) {
		struct rate_echo_result *x = &run->echo[i];

		if (rate_echo(fd, o, payload, session + 2 * (uint32_t)i + 1, x, &e)) {
			report_echo_human(stdout, o, x);
			add_error(run, "payload %llu echo: %s", (unsigned long long)payload, e.msg);
			return -1;
		}
		report_echo_human(stdout, o, x);
		if (x->sent && !x->received && !x->stopped)
			add_error(run, "payload %llu echo: none of %llu datagrams came back",
				  (unsigned long long)payload, (unsigned long long)x->sent);
	}
	return 0;
}

int net_main(enum net_tool tool, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };
	static struct net_options o;
	struct net_run *run = &R;
	struct tl_error e;
	uint32_t session;
	int fd = -1, status;

	if (net_parse_options(tool, argc, argv, &o, &e)) {
		fprintf(stderr, "%s: %s\n", net_tool_name(tool), e.msg);
		net_usage(tool, stderr);
		return 2;
	}
	run->o = &o;
	/* the first Ctrl-C ends the current measurement and reports; a second one kills */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	session = random_session();
	if (timing_init(&e)) {
		add_error(run, "%s", e.msg);
	} else if ((fd = udp_open(&o.peer, o.peer_text, &e)) < 0 ||
		   udp_probe(fd, session, (int)o.timeout_ms, PROBE_TRIES, o.peer_text, &e)) {
		add_error(run, "%s", e.msg);
	} else {
		printf("# %s: UDP peer %s answers; session 0x%08x, clock %s\n", net_tool_name(tool),
		       o.peer_text, session, timing_source());
		for (size_t i = 0; i < o.npayloads && !net_stop; i++)
			if (measure(run, fd, i, session))
				break;
		if (net_stop)
			add_error(run, "interrupted: the run stopped early");
	}
	if (fd >= 0)
		close(fd);
	run->errors = (const char *const *)errors;
	if (o.json_path && report_json(o.json_path, run, &e))
		add_error(run, "%s", e.msg);
	status = run->nerrors ? 1 : 0;
	for (size_t i = 0; i < run->done; i++)
		latency_free(&run->lat[i]);
	for (size_t i = 0; i < run->nerrors; i++)
		free(errors[i]);
	return status;
}
