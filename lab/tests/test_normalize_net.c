// SPDX-License-Identifier: GPL-2.0-only
/*
 * The normalizers as the net and side-by-side work uses them (real-shaped
 * fixtures in data/): iperf3 UDP (end.sum_sent/sum_received of iperf3
 * 3.12, and the one end.sum of older ones), fio's total latency under
 * lat_percentiles=1, net-latency's own result carried over, and the
 * engines' need for the UDP peer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines.h"
#include "files.h"
#include "ktap.h"
#include "normalize_fixture.h"
#include "normalize.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json.h"
#include "udp_peer.h"

/* The metric with this name whose label key has value ("" key: any). */
static const struct json_value *metric(const struct json_value *doc, const char *name,
				       const char *key, const char *value)
{
	const struct json_value *metrics = json_get(doc, "metrics");

	for (size_t i = 0; metrics && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const struct json_value *l = json_get(json_get(m, "labels"), key);
		char buf[32] = "";

		if (l && l->type == JSON_STRING)
			snprintf(buf, sizeof(buf), "%s", l->u.string.s);
		else if (l && l->type == JSON_NUMBER)
			snprintf(buf, sizeof(buf), "%.0f", l->u.number);
		if (!strcmp(json_path_string(m, "name"), name) && (!*key || !strcmp(buf, value)))
			return m;
	}
	return NULL;
}

static void test_iperf3_udp(void)
{
	struct step_verdict v;
	struct json_value *doc;

	put_fixture("udp.json", "iperf3-udp.json");
	put("udp.rc", "0\n");
	doc = normalize("udp iperf3 -u -b 10M -t 1", true, &v);
	report(doc && v.passed, "iperf3 UDP: passed");
	report(doc && !strcmp(json_path_string(doc, "parameters.protocol"), "UDP") &&
		       near(num(metric(doc, "bandwidth", "direction", "sent"), "summary.median"),
			    10222818.620147629, 1e-12) &&
		       num(metric(doc, "bytes", "direction", "received"), "summary.median") == 1277952,
	       "iperf3 UDP: bandwidth and bytes of both sides");
	report(near(num(metric(doc, "jitter", "direction", "received"), "summary.median"),
		    3929.836076461597, 1e-9) &&
		       !strcmp(json_path_string(metric(doc, "jitter", "", ""), "unit"), "ns"),
	       "iperf3 UDP: the receiver's jitter, in ns");
	report(num(metric(doc, "packets", "direction", "received"), "summary.median") == 39 &&
		       num(metric(doc, "lost_packets", "direction", "received"), "summary.median") == 0 &&
		       !metric(doc, "retransmits", "", ""),
	       "iperf3 UDP: datagrams and lost datagrams, no retransmits");
	json_free(doc);

	put_fixture("old.json", "iperf3-udp-sum-only.json");
	put("old.rc", "0\n");
	doc = normalize("old iperf3 -u -t 1", true, &v);
	report(doc && v.passed &&
		       num(metric(doc, "bandwidth", "direction", "sum"), "summary.median") > 0 &&
		       num(metric(doc, "packets", "direction", "received"), "summary.median") == 39,
	       "iperf3 UDP with only end.sum (older iperf3): read from it");
	json_free(doc);

	put("none.json", "{\"start\": {}, \"end\": {}}");
	put("none.rc", "0\n");
	doc = normalize("none iperf3 -u", true, &v);
	report(doc && !v.passed && strstr(v.error, "no end.sum_sent, end.sum_received or end.sum"),
	       "no sum at all: failed, saying so (%s)", v.error);
	json_free(doc);
}

static void test_fio_lat(void)
{
	struct step_verdict v;
	struct json_value *doc;
	const struct json_value *lat, *clat;

	put_fixture("qd1.json", "fio-lat-percentiles.json");
	put("qd1.rc", "0\n");
	doc = normalize("qd1 fio qd1-latency-libaio.fio", true, &v);
	lat = metric(doc, "lat", "job", "qd1-latency-libaio");
	clat = metric(doc, "clat", "job", "qd1-latency-libaio");
	report(doc && v.passed && lat && clat, "fio with lat_percentiles=1: lat beside clat");
	report(num(lat, "summary.n") == 678462 && num(lat, "summary.min") == 1752 &&
		       num(lat, "summary.median") == 2040 && num(lat, "summary.p99") == 2256 &&
		       !strcmp(json_path_string(lat, "unit"), "ns"),
	       "fio lat: n, min, p50, p99 from lat_ns");
	report(num(clat, "summary.p99") == 588 && num(clat, "summary.p99") < num(lat, "summary.p99"),
	       "fio clat stays what it was, below lat");
	json_free(doc);
}

static void test_net_suite(void)
{
	struct step_verdict v;
	struct json_value *doc;
	const struct json_value *rtt;

	put_fixture("nl.json", "net-latency.json");
	put("nl.rc", "0\n");
	doc = normalize("nl net-latency --count 200", true, &v);
	rtt = metric(doc, "rtt", "payload", "1472");
	report(doc && v.passed && !strcmp(json_path_string(doc, "tool"), "net-latency") && rtt &&
		       num(rtt, "summary.n") == 200 &&
		       num(rtt, "summary.min") <= num(rtt, "summary.median") &&
		       num(rtt, "summary.median") <= num(rtt, "summary.p99"),
	       "net-latency's own result is carried over (rtt by payload)");
	json_free(doc);
}

static void test_engines(void)
{
	struct plan plan;
	struct tl_error e;

	report(engine_find("net-latency") && engine_find("net-latency")->needs_udp_peer &&
		       engine_find("net-rate") && engine_find("net-rate")->needs_udp_peer &&
		       !engine_find("iperf3")->needs_udp_peer,
	       "net-latency and net-rate need the UDP peer, iperf3 does not");
	if (plan_parse(&plan, "t.plan", "a iperf3 -t 1\nb net-rate --time 1\n", &e) == 0) {
		report(plan_udp_peer_step(&plan) && !strcmp(plan_udp_peer_step(&plan)->name, "b"),
		       "the plan's first step that needs the peer");
		plan_free(&plan);
	}
	if (plan_parse(&plan, "t.plan", "a iperf3 -t 1\n", &e) == 0) {
		char *path = (char *)1;

		report(!plan_udp_peer_step(&plan) && udp_peer_find(&plan, &path, &e) == 0 && !path,
		       "a plan without net steps needs no peer");
		plan_free(&plan);
	}
	if (plan_parse(&plan, "t.plan", "b net-latency\n", &e) == 0) {
		char *path = NULL;
		int ret = udp_peer_find(&plan, &path, &e);

		report(ret == 0 && path &&
			       strstr(path, "tcelab-udp-peer"),
		       "a plan with a net step finds the peer program (%s)", path ? path : e.msg);
		free(path);
		plan_free(&plan);
	}
}

int main(void)
{
	if (!mkdtemp(out_dir)) {
		report(false, "mkdtemp");
		return report_summary();
	}
	test_iperf3_udp();
	test_fio_lat();
	test_net_suite();
	test_engines();
	tree_remove(out_dir);
	return report_summary();
}
