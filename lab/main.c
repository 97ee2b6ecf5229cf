// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-run: boot the emulated POWER lab once on a plan of workloads and
 * record the run (docs/lab-protocol.md says how runner and guest talk).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>

#include "run.h"
#include "run_table.h"
#include "tcelab/error.h"

/*
 * SIGINT, SIGTERM and SIGHUP stop the run in order (QEMU, then the iperf3
 * server, then record it as failed): they are read from a signalfd, never
 * handled asynchronously.
 */
static int stop_signals_fd(struct tl_error *e)
{
	sigset_t stop;
	int fd;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0)
		return tl_err_errno(e, "cannot block signals");
	fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		return tl_err_errno(e, "cannot make a signalfd");
	/* A closed terminal must not kill the runner half-way through recording. */
	signal(SIGPIPE, SIG_IGN);
	return fd;
}

static int fail(int status, const struct tl_error *e)
{
	fprintf(stderr, "tcelab run: %s\n", e->msg);
	return status;
}

int main(int argc, char **argv)
{
	struct lab_options opts;
	struct lab_run run;
	struct tl_error e;
	int stop_fd, status;

	if (options_parse(&opts, argc, argv, &e))
		return fail(EXIT_BAD_INPUT, &e);
	if (opts.help) {
		options_usage(stdout);
		return 0;
	}
	stop_fd = stop_signals_fd(&e);
	if (stop_fd < 0)
		return fail(EXIT_RUN_FAILED, &e);
	if (lab_run_prepare(&run, &opts, &e)) {
		lab_run_free(&run);
		return fail(EXIT_BAD_INPUT, &e);
	}
	status = lab_run_execute(&run, stop_fd, &e);
	if (status < 0) {
		status = fail(EXIT_RUN_FAILED, &e);
	} else {
		putchar('\n');
		if (run_table_print_dir(stdout, run.dir.final, &e))
			fail(EXIT_RUN_FAILED, &e);
		printf("\nRecorded in %s\n", run.dir.final);
		fflush(stdout);
		if (run.failure[0])
			fprintf(stderr, "tcelab run: run %s failed: %s\n", run.dir.id, run.failure);
	}
	lab_run_free(&run);
	return status;
}
