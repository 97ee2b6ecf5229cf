// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-bench-lab: the wall time of a whole emulated-lab run (boot, plan,
 * results), repeated, so the default matrix's cost is measured rather than
 * guessed. Target (issue 2): under 10 minutes on 2 cores.
 *
 *   tcelab-bench-lab [--runs N] [--json FILE] [-- TCELAB-RUN-ARGS...]
 *
 * Each run goes to a scratch results folder, removed afterwards unless a
 * run failed.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"
#include "tcelab/result.h"
#include "tcelab/stats.h"
#include "tcelab/timing.h"

extern char **environ;

#define MAX_RUNS 20

/* tcelab-run beside this program. */
static void runner_path(char *out, size_t len, const char *argv0)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	self[n > 0 ? n : 0] = '\0';
	slash = strrchr(self, '/');
	if (n > 0 && slash) {
		*slash = '\0';
		snprintf(out, len, "%s/tcelab-run", self);
	} else {
		snprintf(out, len, "%s", argv0);
	}
}

/* One run: its exit status; its log goes to log_path. */
static int run_once(char *const *argv, const char *log_path)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		/* how many times to run the plan (default 3, at most 20) */
		{ "runs", required_argument, NULL, 'n' },
		/* also write the figures as a tcelab result */
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char runner[PATH_MAX], results[] = "/tmp/tcelab-bench-lab-XXXXXX", log[PATH_MAX + 16];
	char *child[64];
	double wall[MAX_RUNS];
	const char *json_path = NULL;
	struct stats_summary s;
	int runs = 3, c, nchild = 0, failed = 0;

	while ((c = getopt_long(argc, argv, "n:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			runs = atoi(optarg);
			if (runs < 1 || runs > MAX_RUNS) {
				fprintf(stderr, "tcelab-bench-lab: --runs: '%s' is not 1 to %d\n", optarg,
					MAX_RUNS);
				return 2;
			}
			break;
		case 'j': json_path = optarg; break;
		case 'h':
			printf("usage: tcelab-bench-lab [--runs N] [--json FILE] [-- TCELAB-RUN-ARGS...]\n");
			return 0;
		default: return 2;
		}
	}
	if (argc - optind > 50 || !mkdtemp(results)) {
		fprintf(stderr, "tcelab-bench-lab: too many arguments or no scratch folder\n");
		return 2;
	}
	runner_path(runner, sizeof(runner), "tcelab-run");
	child[nchild++] = runner;
	child[nchild++] = "--results";
	child[nchild++] = results;
	for (int i = optind; i < argc; i++)
		child[nchild++] = argv[i];
	child[nchild] = NULL;
	snprintf(log, sizeof(log), "%s/run.log", results);

	for (int i = 0; i < runs; i++) {
		double t0 = timing_monotonic_s();
		int rc = run_once(child, log);

		wall[i] = timing_monotonic_s() - t0;
		printf("run %d/%d: %.1f s%s\n", i + 1, runs, wall[i],
		       rc == 0 ? "" : " (FAILED: see the runner's log)");
		fflush(stdout);
		failed += rc != 0;
	}
	stats_summarize(wall, runs, &s);
	printf("lab wall time over %d runs: min %.1f s, median %.1f s, max %.1f s%s\n", runs, s.min,
	       s.median, s.max, failed ? " (some runs FAILED)" : "");

	if (json_path) {
		struct result_file rf;
		struct tl_error e;

		/* where: the host that ran QEMU */
		if (result_file_begin(&rf, json_path, "tcelab-bench-lab", "lab-wall-time", &e)) {
			fprintf(stderr, "tcelab-bench-lab: %s\n", e.msg);
			return 1;
		}
		jw_object_begin(&rf.w, "parameters");
		jw_array_begin(&rf.w, "runner_args");
		for (int i = 3; i < nchild; i++)
			jw_string(&rf.w, NULL, child[i]);
		jw_array_end(&rf.w);
		jw_object_end(&rf.w);
		result_metrics_begin(&rf.w);
		result_metric_begin(&rf.w, "lab_wall_time", "s", RESULT_LOWER_IS_BETTER);
		result_metric_samples(&rf.w, wall, runs, true);
		result_metric_end(&rf.w);
		result_metrics_end(&rf.w);
		if (result_file_end(&rf, failed ? (const char *const[]){ "a run failed" } : NULL,
				    failed ? 1 : 0, &e))
			fprintf(stderr, "tcelab-bench-lab: %s\n", e.msg);
	}
	if (failed) {
		/* keep what explains the failure */
		fprintf(stderr, "tcelab-bench-lab: failed runs are in %s (log: %s)\n", results, log);
		return 1;
	}
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", results);
		if (system(cmd))
			fprintf(stderr, "tcelab-bench-lab: could not remove %s\n", results);
	}
	return 0;
}
