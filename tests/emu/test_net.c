// SPDX-License-Identifier: GPL-2.0-only
/*
 * The NIC benchmarks in the emulated lab: net-latency's round trips came
 * back with percentiles in order, net-rate sent and delivered packets at a
 * rate above 0 and echoed bursts, iperf3 UDP reports the receiver's
 * datagrams and jitter; the runner started the UDP peer and stopped it.
 * Bad input: an unknown payload size and unreachable peers fail with a
 * clear line, in bounded time, not a hang.
 *
 * usage: test_net TCELAB_RUN PLAN IMAGE_DIR
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labtest.h"
#include "../ktap.h"

/* The metric called name with labels payload (and mode, side when given). */
static const struct json_value *metric(const struct json_value *doc, const char *name,
				       double payload, const char *mode, const char *side)
{
	const struct json_value *metrics = json_get(doc, "metrics");

	for (size_t i = 0; metrics && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *n = json_path_string(m, "name");
		const char *mo = json_path_string(m, "labels.mode");
		const char *si = json_path_string(m, "labels.side");
		double p = -1;

		json_path_number(m, "labels.payload", &p);
		if (n && !strcmp(n, name) && p == payload && (!mode || (mo && !strcmp(mo, mode))) &&
		    (!side || (si && !strcmp(si, side))))
			return m;
	}
	return NULL;
}

static double sum(const struct json_value *m, const char *member)
{
	char path[32];
	double x = NAN;

	snprintf(path, sizeof(path), "summary.%s", member);
	json_path_number(m, path, &x);
	return x;
}

static void check_latency(const char *dir)
{
	struct json_value *d = labtest_load(dir, "net-latency.result.json");
	static const double payloads[] = { 64, 1472 };

	report(d && labtest_passed(d), "net-latency: passed");
	report(d && !strcmp(json_path_string(d, "where.environment") ?: "", "emulated"),
	       "net-latency: measured in the emulated lab, says so");
	for (int i = 0; i < 2; i++) {
		const struct json_value *rtt = metric(d, "rtt", payloads[i], NULL, NULL);
		double replies = sum(metric(d, "replies", payloads[i], NULL, NULL), "median");
		double lost = sum(metric(d, "lost", payloads[i], NULL, NULL), "median");

		report(replies >= 180 && replies + lost == 200,
		       "payload %.0f: %.0f of 200 requests came back (%.0f lost)", payloads[i], replies,
		       lost);
		report(rtt && !strcmp(json_path_string(rtt, "unit") ?: "", "ns") &&
			       sum(rtt, "n") == replies && sum(rtt, "min") > 0 &&
			       sum(rtt, "min") <= sum(rtt, "median") &&
			       sum(rtt, "median") <= sum(rtt, "p99") &&
			       sum(rtt, "p99") <= sum(rtt, "p999") && sum(rtt, "p999") <= sum(rtt, "max"),
		       "payload %.0f: rtt in ns, min %.0f <= p50 %.0f <= p99 %.0f <= p99.9 <= max %.0f",
		       payloads[i], sum(rtt, "min"), sum(rtt, "median"), sum(rtt, "p99"),
		       sum(rtt, "max"));
	}
	json_free(d);
}

static void check_rate(const char *dir)
{
	struct json_value *d = labtest_load(dir, "net-rate.result.json");
	static const double payloads[] = { 64, 1472 };

	report(d && labtest_passed(d), "net-rate: passed");
	for (int i = 0; i < 2; i++) {
		double p = payloads[i];
		const struct json_value *sent = metric(d, "packet_rate", p, "tx", "sent");
		double tx = sum(sent, "median");
		double got = sum(metric(d, "packet_rate", p, "tx", "delivered"), "median");
		double n_sent = sum(metric(d, "packets", p, "tx", "sent"), "median");
		double n_got = sum(metric(d, "packets", p, "tx", "delivered"), "median");
		double echo = sum(metric(d, "packet_rate", p, "echo", "echoed"), "median");
		double bw = sum(metric(d, "bandwidth", p, "tx", "sent"), "median");

		report(sent && !strcmp(json_path_string(sent, "unit") ?: "", "packets/s") && tx > 0 &&
			       near(bw, tx * p, 1e-9),
		       "payload %.0f tx: %.0f packets/s sent (%.0f bytes/s)", p, tx, bw);
		report(got > 0 && n_got > 0 && n_got <= n_sent,
		       "payload %.0f tx: the peer got %.0f of %.0f (%.0f packets/s)", p, n_got, n_sent,
		       got);
		report(echo > 0, "payload %.0f echo: %.0f round trips/s", p, echo);
	}
	json_free(d);
}

static void check_iperf3_udp(const char *dir)
{
	struct json_value *d = labtest_load(dir, "iperf3-udp.result.json");

	report(d && labtest_passed(d) &&
		       labtest_median(d, "packets", "direction", "received", NULL, NULL) > 0 &&
		       labtest_median(d, "jitter", "direction", "received", NULL, NULL) >= 0 &&
		       labtest_median(d, "lost_packets", "direction", "received", NULL, NULL) >= 0,
	       "iperf3 UDP: the server received %.0f datagrams, %.0f lost, jitter %.0f ns",
	       labtest_median(d, "packets", "direction", "received", NULL, NULL),
	       labtest_median(d, "lost_packets", "direction", "received", NULL, NULL),
	       labtest_median(d, "jitter", "direction", "received", NULL, NULL));
	json_free(d);
}

/* The step's seconds from run.json; -1 unknown. */
static double step_secs(const struct json_value *run, const char *step)
{
	const struct json_value *steps = json_get(run, "steps");
	double secs = -1;

	for (size_t i = 0; steps && i < steps->u.array.n; i++)
		if (!strcmp(json_path_string(steps->u.array.items[i], "name") ?: "", step))
			json_path_number(steps->u.array.items[i], "secs", &secs);
	return secs;
}

static void check_bad_input(const char *dir)
{
	struct json_value *run = labtest_load(dir, "run.json");
	double secs;

	report(labtest_step_error(dir, "bad-payload", "'2000' is not a UDP payload size"),
	       "an unknown payload size fails, naming it and the sizes known");
	/* slirp drops the ICMP port unreachable: a timeout, where a real network refuses */
	secs = step_secs(run, "closed-port");
	report((labtest_step_error(dir, "closed-port", "no reply in 3 tries of 500 ms") ||
		labtest_step_error(dir, "closed-port", "refused")) &&
		       secs >= 0 && secs <= 10,
	       "a port nothing listens on: a clear error in %.0f s, not a hang", secs);
	secs = step_secs(run, "no-answer");
	report(labtest_step_error(dir, "no-answer", "UDP peer 10.0.2.99:9: no reply in 3 tries") &&
		       secs >= 0 && secs <= 10,
	       "an address nobody answers: a clear error in %.0f s, not a hang", secs);
	json_free(run);
}

/* The runner's peer: started, told to the guest, stopped (its exit line). */
static void check_peer(const char *dir)
{
	char path[PATH_MAX], line[512];
	bool listening = false, stopped = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/udp-peer.log", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		listening |= strstr(line, "listening on 127.0.0.1:") != NULL;
		stopped |= strstr(line, "after") && strstr(line, "echoed");
	}
	if (f)
		fclose(f);
	report(listening && stopped, "the runner started the UDP peer on 127.0.0.1 and stopped it");
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX];

	if (argc != 4) {
		fprintf(stderr, "usage: test_net TCELAB_RUN PLAN IMAGE_DIR\n");
		return 2;
	}
	if (!labtest_init(argv[1], argv[3])) {
		report_skip("no guest image (./tcelab setup builds it)", "net benchmarks in the lab");
		return report_summary();
	}
	report(labtest_run(argv[2], "--name emu-net") == 1,
	       "the net plan runs to the end and fails for its bad-input steps only");
	labtest_latest(dir, sizeof(dir));
	check_latency(dir);
	check_rate(dir);
	check_iperf3_udp(dir);
	check_bad_input(dir);
	check_peer(dir);
	labtest_cleanup();
	return report_summary();
}
