// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-perf, the suite's userspace NVMe driver, in the emulated lab: in
 * each DMA mode it writes a pattern and reads it back unchanged, and runs
 * a short random read; the map-per-I/O modes account their map cost.
 *
 * usage: test_nvme TCELAB_RUN PLAN IMAGE_DIR
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "labtest.h"
#include "../ktap.h"

static const char *const modes[] = { "premapped", "map-per-io", "map-batch" };

int main(int argc, char **argv)
{
	char dir[PATH_MAX], file[128];

	if (argc != 4) {
		fprintf(stderr, "usage: test_nvme TCELAB_RUN PLAN IMAGE_DIR\n");
		return 2;
	}
	if (!labtest_init(argv[1], argv[3])) {
		report_skip("no guest image (./tcelab setup builds it)", "nvme-perf in the lab");
		return report_summary();
	}
	report(labtest_run(argv[2], "--name emu-nvme-perf") == 0, "the nvme-perf plan passes");
	labtest_latest(dir, sizeof(dir));

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct json_value *v, *r;
		double ios, per_io;

		snprintf(file, sizeof(file), "verify-%s.result.json", modes[i]);
		v = labtest_load(dir, file);
		report(v && labtest_passed(v) &&
			       labtest_median(v, "verify_mismatches", NULL, NULL, NULL, NULL) == 0 &&
			       labtest_median(v, "io_errors", NULL, NULL, NULL, NULL) == 0,
		       "%s: the pattern written reads back unchanged", modes[i]);

		snprintf(file, sizeof(file), "randread-%s.result.json", modes[i]);
		r = labtest_load(dir, file);
		ios = labtest_median(r, "iops", NULL, NULL, NULL, NULL);
		per_io = labtest_median(r, "map_ns_per_io", NULL, NULL, NULL, NULL);
		report(r && labtest_passed(r) && ios > 0, "%s: random reads complete (%.0f IOPS)",
		       modes[i], ios);
		if (i == 0)
			report(per_io <= 0, "premapped: no mapping per I/O (got %.0f ns)", per_io);
		else
			report(per_io > 0, "%s: the map cost per I/O is measured (%.0f ns)", modes[i],
			       per_io);
		json_free(v);
		json_free(r);
	}
	{
		struct json_value *v1 = labtest_load(dir, "randread-v1.result.json");

		report(v1 && labtest_passed(v1) &&
			       labtest_median(v1, "iops", NULL, NULL, NULL, NULL) > 0,
		       "sPAPR TCE v1: random reads complete with map-per-io");
		json_free(v1);
	}
	labtest_cleanup();
	return report_summary();
}
