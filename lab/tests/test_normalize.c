// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a step's out/ files to its result: fio, iperf3 and dma-map output
 * (real-shaped fixtures in data/), and every way a step can fail.
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

/* Parse one plan line, normalize that step, return its result (or NULL). */

/* The metric with this name and direction label ("" for none), or NULL. */
static const struct json_value *metric(const struct json_value *doc, const char *name,
				       const char *direction)
{
	const struct json_value *metrics = json_get(doc, "metrics");

	for (size_t i = 0; metrics && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *d = json_path_string(m, "labels.direction");

		if (strcmp(json_path_string(m, "name"), name) == 0 && strcmp(d ? d : "", direction) == 0)
			return m;
	}
	return NULL;
}

static size_t count(const struct json_value *doc, const char *path)
{
	const struct json_value *a = json_path(doc, path);

	return a && a->type == JSON_ARRAY ? a->u.array.n : (size_t)-1;
}

static bool has_error(const struct json_value *doc, const char *text)
{
	const struct json_value *errors = json_get(doc, "errors");

	for (size_t i = 0; errors && i < errors->u.array.n; i++)
		if (strstr(errors->u.array.items[i]->u.string.s, text))
			return true;
	return false;
}

static bool status_is(const struct json_value *doc, const char *status)
{
	const char *s = json_path_string(doc, "status");

	return s && strcmp(s, status) == 0;
}

static void test_fio(void)
{
	struct step_verdict v;
	struct json_value *doc;
	const struct json_value *clat;

	put_fixture("qd1.json", "fio-randread.json");
	put("qd1.rc", "0\n");
	doc = normalize("qd1 fio randread-qd1.fio", true, &v);
	report(doc && v.passed && v.rc == 0 && status_is(doc, "passed"), "fio randread: passed");
	report(doc && strcmp(json_path_string(doc, "schema"), "tcelab-result/1") == 0 &&
	       strcmp(json_path_string(doc, "tool"), "fio") == 0 &&
	       strcmp(json_path_string(doc, "name"), "qd1") == 0, "fio: schema, tool, step name");
	report(doc && strcmp(json_path_string(doc, "where.host_kind"), "pseries-tcg") == 0 &&
	       strcmp(json_path_string(doc, "where.tce_mode"), "emulated") == 0,
	       "fio: where comes from the runner");
	report(doc && strcmp(json_path_string(doc, "parameters.job_file"), "randread-qd1.fio") == 0 &&
	       strcmp(json_path_string(doc, "parameters.fio_version"), "fio-3.33") == 0 &&
	       strcmp(json_path_string(doc, "parameters.global_options.ioengine"), "psync") == 0,
	       "fio: job file, fio version, global options");
	report(count(doc, "metrics") == 4, "fio: read only: iops, bandwidth, io_bytes, clat");
	report(near(num(metric(doc, "iops", "read"), "summary.median"), 14422.535211, 1e-9) &&
	       num(metric(doc, "iops", "read"), "summary.n") == 1, "fio: iops as one value");
	report(num(metric(doc, "bandwidth", "read"), "summary.median") == 59074704,
	       "fio: bandwidth in bytes/s (bw_bytes)");
	report(num(metric(doc, "io_bytes", "read"), "summary.median") == 4194304, "fio: io_bytes");
	clat = metric(doc, "clat", "read");
	report(clat && strcmp(json_path_string(clat, "unit"), "ns") == 0 &&
	       strcmp(json_path_string(clat, "better"), "lower") == 0 &&
	       num(clat, "summary.n") == 1024 && num(clat, "summary.min") == 41802 &&
	       num(clat, "summary.max") == 1146084 && near(num(clat, "summary.mean"), 67899.929687, 1e-9),
	       "fio: clat n, min, max, mean from clat_ns");
	report(num(clat, "summary.median") == 60672 && num(clat, "summary.p99") == 127488 &&
	       num(clat, "summary.p999") == 1089536,
	       "fio: clat median, p99, p99.9 from clat_ns.percentile");
	report(strcmp(json_path_string(clat, "labels.job"), "randread-qd1") == 0, "fio: job label");
	json_free(doc);

	put_fixture("vp.json", "fio-verify.json");
	put("vp.rc", "0\n");
	doc = normalize("vp fio verify-pattern.fio", true, &v);
	report(doc && v.passed && count(doc, "metrics") == 8 && metric(doc, "clat", "write") &&
	       metric(doc, "clat", "read") && !metric(doc, "iops", "trim"),
	       "fio verify: write and read, no trim (io_bytes 0)");
	json_free(doc);

	put_fixture("bad.json", "fio-verify-error.json");
	put("bad.rc", "0\n");
	put("bad.log", "fio: verify failed at offset 0\n");
	doc = normalize("bad fio verify-pattern.fio", true, &v);
	report(doc && !v.passed && status_is(doc, "failed") &&
	       has_error(doc, "fio job 'verify-bad': error 84"),
	       "fio error != 0: failed, saying which job and error");
	report(num(metric(doc, "total_err", ""), "summary.median") == 64, "fio: total_err when fio counts it");
	report(has_error(doc, "out/bad.log: fio: verify failed at offset 0"), "a failed step carries its log's tail");
	json_free(doc);
}

static void test_iperf3(void)
{
	struct step_verdict v;
	struct json_value *doc;

	put_fixture("tcp.json", "iperf3-tcp.json");
	put("tcp.rc", "0\n");
	doc = normalize("tcp iperf3 -t 1", true, &v);
	report(doc && v.passed && count(doc, "metrics") == 5, "iperf3: passed, 5 metrics");
	report(near(num(metric(doc, "bandwidth", "sent"), "summary.median"), 13106518461.040028, 1e-12) &&
	       near(num(metric(doc, "bandwidth", "received"), "summary.median"), 13099549862.88008, 1e-12),
	       "iperf3: sent and received bits/s");
	report(num(metric(doc, "bytes", "sent"), "summary.median") == 1638400000 &&
	       num(metric(doc, "retransmits", "sent"), "summary.median") == 0 &&
	       !metric(doc, "retransmits", "received"),
	       "iperf3: bytes, retransmits of the sender");
	report(doc && strcmp(json_path_string(doc, "parameters.protocol"), "TCP") == 0 &&
	       num(doc, "parameters.duration_s") == 1 && strcmp(json_path_string(doc, "parameters.args.1"), "1") == 0,
	       "iperf3: parameters from start.test_start and the plan");
	json_free(doc);

	put_fixture("refused.json", "iperf3-error.json");
	put("refused.rc", "1\n");
	doc = normalize("refused iperf3 -t 1", true, &v);
	report(doc && !v.passed && v.rc == 1 && count(doc, "metrics") == 0 &&
	       has_error(doc, "iperf3 exited with status 1") &&
	       has_error(doc, "iperf3: unable to connect to server: Connection refused"),
	       "iperf3 error key: failed with its message");
	json_free(doc);
}

static void test_dma_map(void)
{
	struct step_verdict v;
	struct json_value *doc;

	put_fixture("dm.json", "dma-map.json");
	put("dm.rc", "0\n");
	doc = normalize("dm dma-map --iommu=spapr-v1", true, &v);
	report(doc && v.passed && count(doc, "metrics") == 3 &&
	       strcmp(json_path_string(doc, "metrics.0.name"), "map_ns_per_call") == 0 &&
	       num(doc, "metrics.0.labels.size") == 4096 && num(doc, "metrics.0.summary.p99") == 13957.5,
	       "dma-map: its metrics carried over");
	report(doc && strcmp(json_path_string(doc, "name"), "dm") == 0 &&
	       strcmp(json_path_string(doc, "where.cpu"), "POWER10 (architected), altivec supported") == 0 &&
	       strcmp(json_path_string(doc, "parameters.clock"), "timebase") == 0,
	       "dma-map: the step's name, dma-map's own where and parameters");
	json_free(doc);

	put("nometrics.json", "{\"schema\": \"tcelab-result/1\", \"where\": {}, \"status\": \"passed\"}");
	put("nometrics.rc", "0\n");
	doc = normalize("nometrics dma-map", true, &v);
	report(doc && !v.passed && has_error(doc, "unusable output in out/nometrics.json: no \"where\" object or \"metrics\" array"),
	       "dma-map output without metrics: failed");
	json_free(doc);

	put("failed.json", "{\"schema\": \"tcelab-result/1\", \"where\": {}, \"metrics\": [],"
			   " \"status\": \"failed\", \"errors\": [\"VFIO_IOMMU_MAP_DMA: ENODEV\"]}");
	put("failed.rc", "1\n");
	doc = normalize("failed dma-map", true, &v);
	report(doc && !v.passed && has_error(doc, "dma-map exited with status 1") &&
	       has_error(doc, "VFIO_IOMMU_MAP_DMA: ENODEV"), "dma-map's own errors kept");
	json_free(doc);
}

static void test_failures(void)
{
	struct step_verdict v;
	struct json_value *doc;

	put("crashed.rc", "139\n");
	put("crashed.log", "line 1\nline 2\n");
	doc = normalize("crashed fio x.fio", true, &v);
	report(doc && !v.passed && v.rc == 139 && strcmp(v.error, "fio exited with status 139") == 0 &&
	       has_error(doc, "no output: out/crashed.json is missing") &&
	       has_error(doc, "out/crashed.log: line 2") && count(doc, "metrics") == 0 &&
	       strcmp(json_path_string(doc, "parameters.args.0"), "x.fio") == 0,
	       "rc != 0 and no output: failed, with the log, args kept");
	json_free(doc);

	put("slow.rc", "124\n");
	doc = normalize("slow dma-map", true, &v);
	report(doc && !v.passed && strcmp(v.error, "killed at the step timeout (300 s)") == 0,
	       "rc 124: killed at the step timeout");
	json_free(doc);

	doc = normalize("cut dma-map", true, &v);
	report(doc && !v.passed && v.rc == -1 &&
	       strcmp(v.error, "no exit status in out/cut.rc: the step did not finish") == 0,
	       "begun, no rc: did not finish");
	json_free(doc);

	doc = normalize("never dma-map", false, &v);
	report(doc && !v.passed && count(doc, "errors") == 1 &&
	       strcmp(v.error, "the step did not run (the guest never began it)") == 0,
	       "never begun: did not run, nothing else to say");
	json_free(doc);

	put("trunc.json", "{\"jobs\": [");
	put("trunc.rc", "0\n");
	doc = normalize("trunc fio x.fio", true, &v);
	report(doc && !v.passed && strstr(v.error, "unreadable output out/trunc.json: line 1") == v.error,
	       "malformed output: failed, with where the parse stopped");
	json_free(doc);

	put_fixture("wrong.json", "iperf3-tcp.json");
	put("wrong.rc", "0\n");
	doc = normalize("wrong fio x.fio", true, &v);
	report(doc && !v.passed && count(doc, "metrics") == 0 &&
	       strcmp(v.error, "unusable output in out/wrong.json: no \"jobs\" array: not fio's JSON output") == 0,
	       "another tool's output under fio: failed, nothing half-written");
	json_free(doc);
}

int main(void)
{
	if (!mkdtemp(out_dir)) {
		report(false, "mkdtemp %s", out_dir);
		return report_summary();
	}
	test_fio();
	test_iperf3();
	test_dma_map();
	test_failures();
	tree_remove(out_dir);
	return report_summary();
}
