// SPDX-License-Identifier: GPL-2.0-only
/* A recorded run (data/run) as a table and as combined JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "run_data.h"
#include "run_json.h"
#include "run_table.h"
#include "tcelab/error.h"
#include "tcelab/json.h"

/* The printed line that contains all of the given words, or NULL. */
static const char *line_with(const char *text, const char *a, const char *b, const char *c)
{
	static char line[512];

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (strstr(line, a) && (!b || strstr(line, b)) && (!c || strstr(line, c)))
			return line;
		p += n + (p[n] == '\n');
	}
	return NULL;
}

static char *print_table(const struct run_data *rd)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	run_table_print(f, rd);
	fclose(f);
	return out;
}

static void test_table(const struct run_data *rd)
{
	char *out = print_table(rd);
	const char *l;

	report(strncmp(out, "Run 20261125T153000Z-ab12 (default): FAILED in 312 s, started 2026-11-25T15:30:00Z\n", 83) == 0,
	       "header: id, name, status, wall time");
	report(line_with(out, "Failure: 1 of 3 steps failed: fio-randread-qd1", NULL, NULL) != NULL,
	       "header: the failure");
	report(line_with(out, "Measured in the EMULATED lab (QEMU TCG, pseries-tcg, kernel 6.12.95+deb12-powerpc64le, "
			      "TCE mode: emulated): figures are functional and relative, not hardware performance.",
			 NULL, NULL) != NULL,
	       "banner: emulated, host kind, kernel, TCE mode");
	l = line_with(out, "dma-map-v1-pairs", "size=4K", NULL);
	report(l && strstr(l, "map_ns_per_call") && strstr(l, "pattern=pairs size=4K page_size=4K iommu=spapr-v1") &&
	       strstr(l, " 32 ") && strstr(l, "12.35") && strstr(l, "20.10") && strstr(l, "µs") && strstr(l, "passed"),
	       "dma-map row: labels compact, sizes short, ns shown in µs");
	l = line_with(out, "size=16M", NULL, NULL);
	report(l && strstr(l, "2.500") && strstr(l, "3.100") && strstr(l, " ms "), "16M row in ms");
	l = line_with(out, "iperf3-tcp", "bandwidth", NULL);
	report(l && strstr(l, "612") && strstr(l, "Mbit/s") && strstr(l, " - "), "iperf3 row: Mbit/s, no p99 for n=1");
	l = line_with(out, "fio-randread-qd1  ", "FAILED:", NULL);
	report(l && strstr(l, "FAILED: fio exited with status 1"), "failed step: a row with its error");
	l = line_with(out, "engine fio: TCELAB_FIO_DEV is empty", NULL, NULL);
	report(l && strncmp(l, "fio-randread-qd1", 16) != 0, "its further errors under it");
	report(line_with(out, "WORKLOAD", "METRIC", "STATUS") != NULL, "column headings");
	free(out);
}

static void test_json(const struct run_data *rd)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct json_value *doc;
	struct tl_error e;

	report(run_json_print(f, rd, 1, &e) == 0, "combined JSON written");
	fclose(f);
	doc = json_parse(out, len, &e);
	report(doc && strcmp(json_path_string(doc, "schema"), "tcelab-report/1") == 0 &&
	       strcmp(json_path_string(doc, "runs.0.run.id"), "20261125T153000Z-ab12") == 0 &&
	       json_path(doc, "runs.0.results")->u.array.n == 3 &&
	       strcmp(json_path_string(doc, "runs.0.results.1.status"), "failed") == 0,
	       "combined JSON: the run and its three results");
	double size;
	report(doc && json_path_number(doc, "runs.0.results.0.metrics.1.labels.size", &size) && size == 16777216,
	       "combined JSON: numbers come through as they were");
	json_free(doc);
	free(out);
}

static void test_missing(void)
{
	struct run_data rd;
	struct tl_error e;

	report(run_data_load(&rd, "/nonexistent-run", &e) == -1 && strstr(e.msg, "run /nonexistent-run: "),
	       "a folder without run.json: an error naming it");
	run_data_free(&rd);
}

int main(void)
{
	struct run_data rd;
	struct tl_error e;

	if (!report(run_data_load(&rd, TEST_RUN_DIR, &e) == 0, "the run folder loads")) {
		report_info("%s", e.msg);
		return report_summary();
	}
	test_table(&rd);
	test_json(&rd);
	run_data_free(&rd);
	test_missing();
	return report_summary();
}
