// SPDX-License-Identifier: GPL-2.0-only
/*
 * The side-by-side comparison: entries from nvme-perf's and fio's result
 * documents, the ratios against each fio engine at the same QD, the cost
 * of mapping per I/O, and a run folder read back and printed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "load.h"
#include "print.h"
#include "ratios.h"
#include "ktap.h"

/* An nvme-perf result: IOPS, latency p50/p99 (ns), map/unmap per I/O (< 0: none). */
static char *nvme_doc(const char *dma, unsigned batch, unsigned qd, double iops, double p50,
		      double p99, double map, double unmap, const char *status)
{
	static char buf[4096];
	char extra[512] = "";

	if (map >= 0)
		snprintf(extra, sizeof(extra),
			 ",{\"name\":\"map_ns_per_io\",\"unit\":\"ns\",\"summary\":{\"n\":1,\"median\":%g}}"
			 ",{\"name\":\"unmap_ns_per_io\",\"unit\":\"ns\",\"summary\":{\"n\":1,\"median\":%g}}",
			 map, unmap);
	snprintf(buf, sizeof(buf),
		 "{\"schema\":\"tcelab-result/1\",\"tool\":\"nvme-perf\",\"status\":\"%s\","
		 "\"parameters\":{\"device\":\"0001:00:00.0\",\"workload\":\"randread\",\"bs\":4096,"
		 "\"qd\":%u,\"lba_size\":512,\"lba_count\":131072,\"dma\":\"%s\",\"map_batch\":%u},"
		 "\"metrics\":[{\"name\":\"iops\",\"unit\":\"ops/s\",\"summary\":{\"n\":1,\"median\":%g}},"
		 "{\"name\":\"latency_ns\",\"unit\":\"ns\",\"labels\":{\"op\":\"all\"},"
		 "\"summary\":{\"n\":100,\"median\":%g,\"p99\":%g}}%s],"
		 "\"errors\":[%s]}",
		 status, qd, dma, batch, iops, p50, p99, extra,
		 strcmp(status, "passed") ? "\"nvme-perf: it broke\"" : "");
	return buf;
}

static char *fio_doc(const char *engine, unsigned qd, double iops, double p50, double p99,
		     bool with_lat)
{
	static char buf[4096];
	char lat[256] = "";

	/* clat at half the total latency, so which one was taken shows */
	if (with_lat)
		snprintf(lat, sizeof(lat),
			 ",{\"name\":\"lat\",\"unit\":\"ns\",\"labels\":{\"direction\":\"read\"},"
			 "\"summary\":{\"n\":9,\"median\":%g,\"p99\":%g}}", p50, p99);
	snprintf(buf, sizeof(buf),
		 "{\"schema\":\"tcelab-result/1\",\"tool\":\"fio\",\"status\":\"passed\","
		 "\"parameters\":{\"global_options\":{\"ioengine\":\"%s\",\"iodepth\":\"%u\","
		 "\"rw\":\"randread\",\"bs\":\"4k\",\"size\":\"64m\",\"filename\":\"/dev/nvme0n1\"}},"
		 "\"metrics\":[{\"name\":\"iops\",\"unit\":\"ops/s\",\"labels\":{\"direction\":\"read\"},"
		 "\"summary\":{\"n\":1,\"median\":%g}},"
		 "{\"name\":\"clat\",\"unit\":\"ns\",\"labels\":{\"direction\":\"read\"},"
		 "\"summary\":{\"n\":9,\"median\":%g,\"p99\":%g}}%s],\"errors\":[]}",
		 engine, qd, iops, p50 / 2, p99 / 2, lat);
	return buf;
}

static int entry(const char *text, const char *step, struct cmp_entry *x, struct tl_error *e)
{
	struct json_value *v = json_parse(text, strlen(text), e);
	int r;

	if (!v)
		return -2;
	r = cmp_entry_from_result(v, step, x, e);
	json_free(v);
	return r;
}

static const struct cmp_row *row(const struct cmp_table *t, unsigned qd, const char *mode)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].g->m.qd == qd && !strcmp(t->rows[i].g->m.mode, mode))
			return &t->rows[i];
	return NULL;
}

static void test_entries(void)
{
	struct cmp_entry x;
	struct tl_error e;
	int r;

	r = entry(nvme_doc("map-batch", 8, 32, 2000, 100000, 400000, 1500, 500, "passed"), "s", &x, &e);
	report(r == 0 && x.driver == CMP_USERSPACE && !strcmp(x.mode, "map-batch=8") && x.qd == 32 &&
		       x.iops == 2000 && x.p50_ns == 100000 && x.p99_ns == 400000 &&
		       x.map_ns_per_io == 1500 && x.unmap_ns_per_io == 500 && x.passed &&
		       !strcmp(x.workload, "randread 4K") && x.span_bytes == 64 << 20,
	       "nvme-perf: mode map-batch=8, QD, IOPS, p50/p99, map/unmap per I/O, span");
	r = entry(nvme_doc("premapped", 1, 1, 10, 1, 2, -1, -1, "failed"), "s", &x, &e);
	report(r == 0 && !x.passed && !strcmp(x.error, "nvme-perf: it broke") &&
		       isnan(x.map_ns_per_io),
	       "a failed step: its first error, no map figures for premapped");
	r = entry(fio_doc("libaio", 32, 3000, 200000, 600000, true), "f", &x, &e);
	report(r == 0 && x.driver == CMP_KERNEL && !strcmp(x.mode, "libaio") && x.qd == 32 &&
		       x.iops == 3000 && x.p99_ns == 600000 && !strcmp(x.latency, "fio lat") &&
		       x.span_bytes == 64 << 20 && !strcmp(x.device, "/dev/nvme0n1"),
	       "fio: engine and QD from the global options, fio's lat preferred over clat");
	r = entry(fio_doc("io_uring", 1, 3000, 200000, 600000, false), "f", &x, &e);
	report(r == 0 && x.p99_ns == 300000 && !strcmp(x.latency, "fio clat"),
	       "fio without lat_percentiles: clat, and it says so");
	r = entry("{\"tool\":\"fio\",\"parameters\":{},\"metrics\":[]}", "f", &x, &e);
	report(r == -1 && strstr(e.msg, "ioengine and iodepth"),
	       "a fio result that is not a side-by-side profile: named (%s)", e.msg);
	r = entry("{\"tool\":\"dma-map\",\"metrics\":[]}", "d", &x, &e);
	report(r == 1, "other tools are not compared");
}

static void test_ratios(void)
{
	static struct cmp_entry x[8];
	static struct cmp_table t;
	struct tl_error e;
	const struct cmp_row *r;
	int ok = 0;

	ok += !entry(fio_doc("io_uring", 1, 4000, 200000, 500000, true), "a", &x[0], &e);
	ok += !entry(fio_doc("libaio", 1, 2000, 400000, 1000000, true), "b", &x[1], &e);
	ok += !entry(nvme_doc("premapped", 1, 1, 8000, 100000, 250000, -1, -1, "passed"), "c", &x[2], &e);
	ok += !entry(nvme_doc("map-per-io", 1, 1, 2000, 400000, 2000000, 150000, 140000, "passed"), "d",
		     &x[3], &e);
	ok += !entry(nvme_doc("premapped", 1, 32, 30000, 1000000, 2000000, -1, -1, "passed"), "e", &x[4], &e);
	ok += !entry(nvme_doc("map-batch", 8, 32, 15000, 2000000, 3000000, 50000, 30000, "passed"), "f",
		     &x[5], &e);
	ok += !entry(fio_doc("io_uring", 32, 10000, 3000000, 6000000, true), "g", &x[6], &e);
	report(ok == 7, "seven entries read");
	cmp_compute(x, 7, &t);
	report(t.nrows == 7 && !strcmp(t.rows[0].g->m.step, "a") && !strcmp(t.rows[1].g->m.step, "b") &&
		       !strcmp(t.rows[2].g->m.step, "c") && !strcmp(t.rows[3].g->m.step, "d") &&
		       !strcmp(t.rows[4].g->m.step, "g") && !strcmp(t.rows[5].g->m.step, "e") &&
		       !strcmp(t.rows[6].g->m.step, "f") && t.rounds_min == 1 && t.rounds_max == 1,
	       "rows by QD, then fio io_uring, libaio, nvme-perf premapped, map-per-io, map-batch");
	r = row(&t, 1, "premapped");
	report(r && near(r->iops_vs[CMP_IO_URING], 2.0, 1e-12) &&
		       near(r->iops_vs[CMP_LIBAIO], 4.0, 1e-12) &&
		       near(r->p99_vs[CMP_IO_URING], 0.5, 1e-12) &&
		       near(r->p99_vs[CMP_LIBAIO], 0.25, 1e-12),
	       "QD1 premapped: IOPS 2x io_uring and 4x libaio, p99 0.5x and 0.25x");
	r = row(&t, 1, "map-per-io");
	report(r && near(r->iops_vs[CMP_IO_URING], 0.5, 1e-12) && near(r->p99_vs[CMP_LIBAIO], 2.0, 1e-12),
	       "QD1 map-per-io: IOPS 0.5x io_uring, p99 2x libaio");
	r = row(&t, 1, "libaio");
	report(r && near(r->iops_vs[CMP_IO_URING], 0.5, 1e-12) && near(r->iops_vs[CMP_LIBAIO], 1, 1e-12),
	       "fio rows are compared too: libaio 0.5x io_uring, 1x itself");
	r = row(&t, 32, "map-batch=8");
	report(r && near(r->iops_vs[CMP_IO_URING], 1.5, 1e-12) && isnan(r->iops_vs[CMP_LIBAIO]) &&
		       isnan(r->p99_vs[CMP_LIBAIO]),
	       "QD32 without a libaio run: that ratio is absent, not made up");
	report(t.ncosts == 2 && !strcmp(t.costs[0].g->m.step, "d") &&
		       near(t.costs[0].per_io_ns, 290000, 1e-12) &&
		       near(t.costs[0].p50_added_ns, 300000, 1e-12) &&
		       near(t.costs[0].iops_vs_premapped, 0.25, 1e-12),
	       "QD1 map-per-io: 290 us of map+unmap per I/O, p50 +300 us, IOPS 0.25x premapped");
	report(!strcmp(t.costs[1].g->m.step, "f") && near(t.costs[1].per_io_ns, 80000, 1e-12) &&
		       near(t.costs[1].iops_vs_premapped, 0.5, 1e-12),
	       "QD32 map-batch=8: 80 us per I/O, IOPS 0.5x premapped");
	report(isnan(cmp_ratio(1, 0)) && isnan(cmp_ratio(NAN, 1)) && isnan(cmp_ratio(1, -1)) &&
		       cmp_ratio(3, 2) == 1.5,
	       "a ratio needs a positive denominator and two numbers");
}

/* The plan's rounds: entries of one configuration become one row of medians. */
static void test_rounds(void)
{
	static struct cmp_entry x[8];
	static struct cmp_table t;
	static const double iops[] = { 900, 3000, 1000 }, p99[] = { 5, 1, 3 };
	struct tl_error e;
	const struct cmp_row *r;
	char step[8];

	for (int i = 0; i < 3; i++) {
		snprintf(step, sizeof(step), "u%d", i);
		entry(fio_doc("io_uring", 1, 1000, 10, 100, true), step, &x[2 * i], &e);
		snprintf(step, sizeof(step), "p%d", i);
		entry(nvme_doc("map-per-io", 1, 1, iops[i], 1, p99[i], 10 * (i + 1), 1,
			       i == 2 ? "failed" : "passed"),
		      step, &x[2 * i + 1], &e);
	}
	cmp_compute(x, 6, &t);
	r = row(&t, 1, "map-per-io");
	report(t.ngroups == 2 && t.nrows == 2 && r && r->g->n == 3 && t.rounds_min == 3 &&
		       t.rounds_max == 3,
	       "3 rounds of 2 configurations: 2 rows of 3");
	report(r && r->g->m.iops == 1000 && r->g->iops_min == 900 && r->g->iops_max == 3000 &&
		       r->g->m.p99_ns == 3 && r->g->m.map_ns_per_io == 20,
	       "each figure is the median of the rounds; IOPS keeps its range");
	report(r && near(r->iops_vs[CMP_IO_URING], 1.0, 1e-12) && near(r->p99_vs[CMP_IO_URING], 0.03, 1e-12),
	       "ratios are of the medians");
	report(r && r->g->failed == 1 && !r->g->m.passed && strstr(r->g->m.error, "p2: nvme-perf: it broke"),
	       "a failed round is counted and named");
	report(cmp_median((double[]){ 3, NAN, 1 }, 3) == 2 && isnan(cmp_median((double[]){ NAN }, 1)),
	       "the median skips what was not measured");
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_run_folder(void)
{
	char dir[] = "/tmp/tcelab-test-sbs-XXXXXX", cmd[128];
	static struct sbs_run run;
	static struct cmp_table t;
	struct tl_error e;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (!mkdtemp(dir)) {
		report(false, "mkdtemp");
		return;
	}
	put(dir, "run.json",
	    "{\"id\":\"R1\",\"status\":\"failed\",\"failure\":\"1 of 4 steps failed: broken\","
	    "\"where\":{\"environment\":\"emulated\",\"host_kind\":\"pseries-tcg\",\"kernel\":\"6.12\","
	    "\"tce_mode\":\"emulated\"},"
	    "\"machine\":{\"devices\":[{\"role\":\"dut\",\"device\":\"nvme,serial=dut0,drive=dut0\","
	    "\"bus\":\"phb1.0\",\"guest_address\":\"0001:00:00.0\",\"disk_bytes\":67108864},"
	    "{\"role\":\"fio-disk\",\"device\":\"nvme,serial=fio0,drive=fio0\",\"bus\":\"pci.0\","
	    "\"guest_address\":\"0000:00:02.0\",\"disk_bytes\":268435456}]},"
	    "\"steps\":[{\"name\":\"u\",\"result\":\"u.result.json\"},"
	    "{\"name\":\"p\",\"result\":\"p.result.json\"},"
	    "{\"name\":\"broken\",\"result\":\"broken.result.json\"},"
	    "{\"name\":\"missing\",\"result\":\"missing.result.json\"}]}");
	put(dir, "u.result.json", fio_doc("io_uring", 1, 4000, 200000, 500000, true));
	put(dir, "p.result.json", nvme_doc("premapped", 1, 1, 8000, 100000, 250000, -1, -1, "passed"));
	put(dir, "broken.result.json", "{\"tool\":\"fio\",\"metrics\":[]}");
	report(sbs_load(&run, dir, &e) == 0 && run.nentries == 2 && !strcmp(run.id, "R1") &&
		       !strcmp(run.dut.model, "nvme") && !strcmp(run.fio_disk.model, "nvme") &&
		       run.dut.disk_bytes == 64 << 20 && !strcmp(run.fio_disk.bus, "pci.0"),
	       "a run folder: two entries, both devices QEMU's nvme model");
	report(run.nproblems == 2 && strstr(run.problems[0], "broken: fio result without") &&
		       strstr(run.problems[1], "missing:"),
	       "steps that cannot be compared are listed, saying why");
	cmp_compute(run.entries, run.nentries, &t);
	mem = open_memstream(&text, &len);
	sbs_print_text(mem, &run, &t);
	fclose(mem);
	report(text && strstr(text, "EMULATED") && strstr(text, "the same QEMU NVMe model, two instances") &&
		       strstr(text, "Not one device") && strstr(text, "2.00x") &&
		       strstr(text, "not compared: missing"),
	       "the text says emulated, same model but two instances, the ratio, what is missing");
	if (text && !strstr(text, "2.00x"))
		report_info("%s", text);
	free(text);
	text = NULL;
	mem = open_memstream(&text, &len);
	report(sbs_print_json(mem, &run, &t, &e) == 0, "JSON output writes");
	fclose(mem);
	{
		struct json_value *v = json_parse(text, len, &e);
		double ratio = 0;

		report(v && json_path_number(v, "rows.1.iops_vs_io_uring", &ratio) && ratio == 2 &&
			       !strcmp(json_path_string(v, "rows.1.mode"), "premapped") &&
			       json_get(json_path(v, "rows.1"), "iops_vs_libaio")->type == JSON_NULL,
		       "JSON: the ratio, null where there is no baseline");
		json_free(v);
	}
	free(text);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		report_info("could not remove %s", dir);
	report(sbs_load(&run, "/nonexistent-run", &e) == -1 && strstr(e.msg, "run.json"),
	       "no run.json: an error naming it");
}

int main(void)
{
	test_entries();
	test_ratios();
	test_rounds();
	test_run_folder();
	return report_summary();
}
