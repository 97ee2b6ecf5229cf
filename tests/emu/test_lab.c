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
#include "../ktap.h"

static const char *runner, *plan, *bad_plan, *image;
static char results[PATH_MAX];

/* Run tcelab-run with extra arguments; its exit status, -1 if it died. */
static int run_lab(const char *plan_file, const char *extra)
{
	char cmd[PATH_MAX * 4];
	int status;

	snprintf(cmd, sizeof(cmd), "'%s' --plan '%s' --image '%s' --results '%s' %s", runner,
		 plan_file, image, results, extra);
	report_info("%s", cmd);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static struct json_value *load(const char *run_dir, const char *file)
{
	char path[PATH_MAX];
	struct tl_error e;
	struct json_value *v;

	snprintf(path, sizeof(path), "%s/%s", run_dir, file);
	v = json_parse_file(path, &e);
	if (!v)
		report_info("%s", e.msg);
	return v;
}

/* Does metric m carry label key with the string or number value? */
static bool has_label(const struct json_value *m, const char *key, const char *value)
{
	const struct json_value *l = json_get(json_get(m, "labels"), key);
	char buf[32];

	if (!l)
		return false;
	if (l->type == JSON_STRING)
		return !strcmp(l->u.string.s, value);
	snprintf(buf, sizeof(buf), "%.0f", l->u.number);
	return l->type == JSON_NUMBER && !strcmp(buf, value);
}

/* The median of the metric named name with up to two labels matching. */
static double median_of(const struct json_value *doc, const char *name, const char *k1,
			const char *v1, const char *k2, const char *v2)
{
	const struct json_value *metrics = json_get(doc, "metrics");
	double median = -1;

	for (size_t i = 0; metrics && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *n = json_path_string(m, "name");

		if (!n || strcmp(n, name) || (k1 && !has_label(m, k1, v1)) ||
		    (k2 && !has_label(m, k2, v2)))
			continue;
		json_path_number(m, "summary.median", &median);
		break;
	}
	return median;
}

static bool passed(const struct json_value *doc)
{
	const char *s = json_path_string(doc, "status");

	return s && !strcmp(s, "passed");
}

static void check_dma_map(const char *dir)
{
	struct json_value *d = load(dir, "dma-map-v1-pairs.result.json");
	double call4k, call16m, tce4k, tce16m;

	report(d && passed(d), "dma-map: passed");
	call4k = median_of(d, "map_ns_per_call", "size", "4096", "pattern", "pairs");
	call16m = median_of(d, "map_ns_per_call", "size", "16777216", "pattern", "pairs");
	tce4k = median_of(d, "map_ns_per_tce", "size", "4096", "pattern", "pairs");
	tce16m = median_of(d, "map_ns_per_tce", "size", "16777216", "pattern", "pairs");
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
	struct json_value *v = load(dir, "fio-verify.result.json");
	struct json_value *r = load(dir, "fio-randread-qd1.result.json");
	double wrote = median_of(v, "io_bytes", "job", "verify-pattern", "direction", "write");
	double read = median_of(v, "io_bytes", "job", "verify-pattern", "direction", "read");

	report(v && passed(v), "fio verify: passed (fio checks every block read against the pattern "
			       "it wrote)");
	report(wrote == 16 << 20 && read == 16 << 20,
	       "fio verify: wrote 16 MiB and read back 16 MiB (got %.0f and %.0f bytes)", wrote,
	       read);
	report(r && passed(r) && median_of(r, "iops", "direction", "read", NULL, NULL) > 0 &&
		       median_of(r, "clat", "direction", "read", NULL, NULL) > 0,
	       "fio randread QD1: IOPS and completion latency measured");
	json_free(v);
	json_free(r);
}

static void check_iperf3(const char *dir)
{
	struct json_value *d = load(dir, "iperf3-tcp.result.json");
	double bytes = median_of(d, "bytes", "direction", "received", NULL, NULL);

	report(d && passed(d) && bytes > 0, "iperf3: the host received %.0f bytes from the guest",
	       bytes);
	json_free(d);
}

static void latest(char *dir, size_t len);

/* Does the step's result carry an error line containing text? */
static bool step_error(const char *dir, const char *step, const char *text)
{
	char file[128];
	struct json_value *d;
	const struct json_value *errors;
	bool found = false;

	snprintf(file, sizeof(file), "%s.result.json", step);
	d = load(dir, file);
	errors = json_get(d, "errors");
	for (size_t i = 0; errors && i < errors->u.array.n; i++) {
		const struct json_value *line = errors->u.array.items[i];

		if (line->type == JSON_STRING && strstr(line->u.string.s, text))
			found = true;
	}
	if (!found)
		report_info("%s: no error line with '%s'", step, text);
	json_free(d);
	return found;
}

/* dma-map refuses what it must not touch, each with a line saying why. */
static void check_bad_devices(void)
{
	char dir[PATH_MAX];
	struct json_value *d;

	report(run_lab(bad_plan, "--name emu-bad-devices") == 1,
	       "a plan whose devices are refused exits 1");
	latest(dir, sizeof(dir));
	report(step_error(dir, "dma-map-missing", "no PCI device 0000:00:09.0"),
	       "a device that does not exist is named");
	report(step_error(dir, "dma-map-shared", "not viable"),
	       "a device in a shared IOMMU group is refused, naming the group");
	d = load(dir, "dma-map-dut.result.json");
	report(d && passed(d), "the device under test still maps after the refusals");
	json_free(d);
}

/* The run folder `latest` points to. */
static void latest(char *dir, size_t len)
{
	char link[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/latest", results);
	n = readlink(link, dir, len - 1);
	dir[n > 0 ? n : 0] = '\0';
	if (n > 0 && dir[0] != '/') {
		snprintf(link, sizeof(link), "%s/%s", results, dir);
		snprintf(dir, len, "%s", link);
	}
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
	runner = argv[1], plan = argv[2], bad_plan = argv[3], image = argv[4];
	if (stat(image, &st)) {
		report_skip("no guest image (./tcelab setup builds it)", "emulated lab run");
		return report_summary();
	}
	snprintf(results, sizeof(results), "/tmp/tcelab-emu-lab-XXXXXX");
	if (!mkdtemp(results))
		return 2;

	/* bad input first: nothing may be written */
	report(run_lab(plan, "--qemu /nonexistent/qemu-system-ppc64") == 2 && count_entries(results) == 0,
	       "a missing QEMU: exit 2, nothing written to the results folder");

	report(run_lab(plan, "--name emu-default") == 0, "the default plan passes in the emulated lab");
	latest(dir, sizeof(dir));
	run = load(dir, "run.json");
	report(run && passed(run) && json_path(run, "steps.6") != NULL,
	       "run.json: passed, with all 7 steps");
	report(run && !strcmp(json_path_string(run, "where.environment") ?: "", "emulated"),
	       "run.json: labelled emulated");
	json_free(run);
	check_dma_map(dir);
	check_fio(dir);
	check_iperf3(dir);

	check_bad_devices();

	/* a run that cannot finish in time: failed, killed, console kept */
	report(run_lab(plan, "--name emu-timeout --timeout 6") == 1, "a run past its timeout exits 1");
	latest(dir, sizeof(dir));
	run = load(dir, "run.json");
	report(run && !strcmp(json_path_string(run, "status") ?: "", "failed") &&
		       strstr(json_path_string(run, "failure") ?: "", "timed out"),
	       "run.json: failed, 'timed out' (%s)", run ? json_path_string(run, "failure") : "-");
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/console.log");
	report(stat(dir, &st) == 0 && st.st_size > 0, "the timed-out run kept its console log");
	json_free(run);

	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", results);
		if (system(cmd))
			report_info("could not remove %s", results);
	}
	return report_summary();
}
