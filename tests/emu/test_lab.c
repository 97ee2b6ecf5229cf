// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boots the emulated lab with the default plan and checks that every
 * workload produced plausible output: dma-map's cost per call grows with
 * the mapping size while its cost per TCE does not, fio moved the bytes its
 * job asks for and read back the pattern it wrote, iperf3 moved bytes.
 * Then the failure paths: bad input leaves nothing behind, and a run that
 * hangs past its timeout is recorded as failed with its console log.
 *
 * usage: test_lab TCELAB_RUN PLAN BAD_DEVICES_PLAN IMAGE_DIR
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "labtest.h"
#include "../ktap.h"

static const char *plan, *bad_plan;

static void check_dma_map(const char *dir)
{
	struct json_value *d = labtest_load(dir, "dma-map-v1-pairs.result.json");
	double call4k, call16m, tce4k, tce16m;

	report(d && labtest_passed(d), "dma-map: passed");
	call4k = labtest_median(d, "map_ns_per_call", "size", "4096", "pattern", "pairs");
	call16m = labtest_median(d, "map_ns_per_call", "size", "16777216", "pattern", "pairs");
	tce4k = labtest_median(d, "map_ns_per_tce", "size", "4096", "pattern", "pairs");
	tce16m = labtest_median(d, "map_ns_per_tce", "size", "16777216", "pattern", "pairs");
	report_info("map per call 4K %.0f ns, 16M %.0f ns; per TCE 4K %.0f ns, 16M %.0f ns", call4k,
		    call16m, tce4k, tce16m);
	report(call4k > 0 && call16m > 100 * call4k,
	       "dma-map: a 16 MiB map costs far more per call than a 4 KiB one (4096 TCEs vs 1)");
	report(tce16m > 0 && tce16m <= tce4k,
	       "dma-map: per TCE, the fixed cost of a call is amortized at 16 MiB");
	report(strcmp(json_path_string(d, "where.environment") ?: "", "emulated") == 0 &&
		       strcmp(json_path_string(d, "where.tce_mode") ?: "", "emulated") == 0,
	       "dma-map: the result says it was measured in the emulated lab");
	json_free(d);
}

static void check_fio(const char *dir)
{
	struct json_value *v = labtest_load(dir, "fio-verify.result.json");
	struct json_value *r = labtest_load(dir, "fio-randread-qd1.result.json");
	double wrote = labtest_median(v, "io_bytes", "job", "verify-pattern", "direction", "write");
	double read = labtest_median(v, "io_bytes", "job", "verify-pattern", "direction", "read");

	report(v && labtest_passed(v), "fio verify: passed (fio checks every block read against the pattern "
			       "it wrote)");
	report(wrote == 16 << 20 && read == 16 << 20,
	       "fio verify: wrote 16 MiB and read back 16 MiB (got %.0f and %.0f bytes)", wrote,
	       read);
	report(r && labtest_passed(r) && labtest_median(r, "iops", "direction", "read", NULL, NULL) > 0 &&
		       labtest_median(r, "clat", "direction", "read", NULL, NULL) > 0,
	       "fio randread QD1: IOPS and completion latency measured");
	json_free(v);
	json_free(r);
}

static void check_iperf3(const char *dir)
{
	struct json_value *d = labtest_load(dir, "iperf3-tcp.result.json");
	double bytes = labtest_median(d, "bytes", "direction", "received", NULL, NULL);

	report(d && labtest_passed(d) && bytes > 0, "iperf3: the host received %.0f bytes from the guest",
	       bytes);
	json_free(d);
}

/* dma-map refuses what it must not touch, each with a line saying why. */
static void check_bad_devices(void)
{
	char dir[PATH_MAX];
	struct json_value *d;

	report(labtest_run(bad_plan, "--name emu-bad-devices") == 1,
	       "a plan whose devices are refused exits 1");
	labtest_latest(dir, sizeof(dir));
	report(labtest_step_error(dir, "dma-map-missing", "no PCI device 0000:00:09.0"),
	       "a device that does not exist is named");
	report(labtest_step_error(dir, "dma-map-shared", "not viable"),
	       "a device in a shared IOMMU group is refused, naming the group");
	d = labtest_load(dir, "dma-map-dut.result.json");
	report(d && labtest_passed(d), "the device under test still maps after the refusals");
	json_free(d);
}

static int count_entries(const char *path)
{
	char cmd[PATH_MAX + 32];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' 2>/dev/null | wc -l", path);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX];
	struct json_value *run;
	struct stat st;

	if (argc != 5) {
		fprintf(stderr, "usage: test_lab TCELAB_RUN PLAN BAD_DEVICES_PLAN IMAGE_DIR\n");
		return 2;
	}
	plan = argv[2], bad_plan = argv[3];
	if (!labtest_init(argv[1], argv[4])) {
		report_skip("no guest image (./tcelab setup builds it)", "emulated lab run");
		return report_summary();
	}

	/* bad input first: nothing may be written */
	report(labtest_run(plan, "--qemu /nonexistent/qemu-system-ppc64") == 2 &&
		       count_entries(labtest_results()) == 0,
	       "a missing QEMU: exit 2, nothing written to the results folder");

	report(labtest_run(plan, "--name emu-default") == 0,
	       "the default plan passes in the emulated lab");
	labtest_latest(dir, sizeof(dir));
	run = labtest_load(dir, "run.json");
	report(run && labtest_passed(run) && json_path(run, "steps.6") != NULL,
	       "run.json: passed, with all 7 steps");
	report(run && !strcmp(json_path_string(run, "where.environment") ?: "", "emulated"),
	       "run.json: labelled emulated");
	json_free(run);
	check_dma_map(dir);
	check_fio(dir);
	check_iperf3(dir);
	check_bad_devices();

	/* a run that cannot finish in time: failed, killed, console kept */
	report(labtest_run(plan, "--name emu-timeout --timeout 6") == 1,
	       "a run past its timeout exits 1");
	labtest_latest(dir, sizeof(dir));
	run = labtest_load(dir, "run.json");
	report(run && !strcmp(json_path_string(run, "status") ?: "", "failed") &&
		       strstr(json_path_string(run, "failure") ?: "", "timed out"),
	       "run.json: failed, 'timed out' (%s)", run ? json_path_string(run, "failure") : "-");
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/console.log");
	report(stat(dir, &st) == 0 && st.st_size > 0, "the timed-out run kept its console log");
	json_free(run);
	labtest_cleanup();
	return report_summary();
}
