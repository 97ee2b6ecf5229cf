// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-compare-engines: the side-by-side run. Runs the side-by-side plan
 * in the emulated lab (tcelab-run: one guest session, nvme-perf on the
 * device under test in each DMA mode, fio with io_uring and libaio on the
 * second NVMe, at QD1 and QD32), then prints the comparison: IOPS and p99
 * latency of each row against fio with each engine at the same QD, as
 * ratios, and the cost per I/O of mapping per I/O. --run compares a run
 * already recorded.
 *
 *	tcelab-compare-engines [--plan FILE] [--results DIR] [-- TCELAB-RUN-OPTION...]
 *	tcelab-compare-engines --run RUNDIR [--json]
 *
 * Exit status: 0 when every step compared passed, 1 when the run or a step
 * failed or nothing could be compared, 2 for bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "ratios.h"
#include "load.h"
#include "print.h"

#if !defined(TCELAB_SOURCE_DIR) || !defined(TCELAB_BINARY_DIR)
#error "TCELAB_SOURCE_DIR and TCELAB_BINARY_DIR must be set (CMakeLists.txt does)"
#endif

#define MAX_PASS 64

/* Every option, documented where it is defined. */
static const struct option long_options[] = {
	/* compare this recorded run folder instead of running the plan */
	{ "run", required_argument, NULL, 'r' },
	/* the plan to run (default: bench/plans/side-by-side.plan) */
	{ "plan", required_argument, NULL, 'p' },
	/* where tcelab-run records the run (default: results, as `tcelab run`) */
	{ "results", required_argument, NULL, 'R' },
	/* the runner (default: the build's lab/tcelab-run) */
	{ "runner", required_argument, NULL, 'x' },
	/* print the comparison as JSON (tcelab-compare-engines/1) instead of a table */
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tcelab-compare-engines [--plan FILE] [--results DIR] [--runner PATH] [--json]\n"
		   "                              [-- TCELAB-RUN-OPTION...]\n"
		   "       tcelab-compare-engines --run RUNDIR [--json]\n"
		   "Runs the side-by-side plan in the emulated lab (one guest session: nvme-perf in\n"
		   "each DMA mode on the device under test, fio with io_uring and libaio on the\n"
		   "kernel's NVMe, at QD1 and QD32) and prints the comparison with ratios.\n");
}

/* Where RESULTS/latest points, as a path; empty when it does not exist. */
static void latest(const char *results, char *dir, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/latest", results);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		dir[0] = '\0';
		return;
	}
	target[n] = '\0';
	if (target[0] == '/')
		snprintf(dir, len, "%s", target);
	else
		snprintf(dir, len, "%s/%s", results, target);
}

/* tcelab-run --plan PLAN --results RESULTS PASS...: its exit status, -1 when it could not run. */
static int run_lab(const char *runner, const char *plan, const char *results, char **pass,
		   int npass)
{
	char *argv[MAX_PASS + 8];
	int argc = 0, status;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_term;
	pid_t pid;

	argv[argc++] = (char *)runner;
	argv[argc++] = "--plan";
	argv[argc++] = (char *)plan;
	argv[argc++] = "--results";
	argv[argc++] = (char *)results;
	for (int i = 0; i < npass; i++)
		argv[argc++] = pass[i];
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("tcelab-compare-engines: fork");
		return -1;
	}
	if (pid == 0) {
		execv(runner, argv);
		fprintf(stderr, "tcelab-compare-engines: cannot run %s: %s\n", runner, strerror(errno));
		_exit(127);
	}
	/* Ctrl-C reaches the runner too (same process group), which stops QEMU
	 * and records the run as failed; we wait and compare what it recorded. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGTERM, &ign, &old_term);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("tcelab-compare-engines: waitpid");
			return -1;
		}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	const char *run_dir = NULL, *plan = TCELAB_SOURCE_DIR "/bench/plans/side-by-side.plan";
	const char *results = "results", *runner = TCELAB_BINARY_DIR "/lab/tcelab-run";
	static struct sbs_run run;
	static struct cmp_table table;
	char dir[PATH_MAX], before[PATH_MAX];
	bool json = false, all_passed = true;
	struct tl_error e;
	int c;

	while ((c = getopt_long(argc, argv, "+r:p:R:x:jh", long_options, NULL)) != -1) {
		switch (c) {
		case 'r': run_dir = optarg; break;
		case 'p': plan = optarg; break;
		case 'R': results = optarg; break;
		case 'x': runner = optarg; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (run_dir && optind < argc) {
		fprintf(stderr, "tcelab-compare-engines: --run compares a recorded run: tcelab-run "
				"options ('%s') do not apply\n", argv[optind]);
		return 2;
	}
	if (argc - optind > MAX_PASS) {
		fprintf(stderr, "tcelab-compare-engines: more than %d tcelab-run options\n", MAX_PASS);
		return 2;
	}
	if (run_dir) {
		snprintf(dir, sizeof(dir), "%s", run_dir);
	} else {
		int rc;

		latest(results, before, sizeof(before));
		rc = run_lab(runner, plan, results, argv + optind, argc - optind);
		if (rc == 2 || rc < 0)
			return 2; /* the runner said why */
		latest(results, dir, sizeof(dir));
		if (!dir[0] || !strcmp(dir, before)) {
			fprintf(stderr, "tcelab-compare-engines: tcelab-run recorded no run in %s\n",
				results);
			return 1;
		}
		printf("\n");
	}
	if (sbs_load(&run, dir, &e)) {
		fprintf(stderr, "tcelab-compare-engines: %s\n", e.msg);
		return run_dir ? 2 : 1;
	}
	cmp_compute(run.entries, run.nentries, &table);
	if (json) {
		if (sbs_print_json(stdout, &run, &table, &e)) {
			fprintf(stderr, "tcelab-compare-engines: %s\n", e.msg);
			return 1;
		}
	} else {
		sbs_print_text(stdout, &run, &table);
	}
	for (size_t i = 0; i < run.nentries; i++)
		all_passed = all_passed && run.entries[i].passed;
	return run.nentries && all_passed && !run.nproblems && !strcmp(run.status, "passed") ? 0 : 1;
}
