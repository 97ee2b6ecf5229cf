/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One run of the lab: check the inputs (lab_run_prepare), then boot the
 * guest on the plan and record what happened (lab_run_execute).
 */
#ifndef LAB_RUN_H
#define LAB_RUN_H

#include <stdbool.h>
#include <time.h>

#include "iperf_server.h"
#include "nested.h"
#include "normalize.h"
#include "options.h"
#include "plan.h"
#include "progress.h"
#include "run_dir.h"
#include "scratch.h"
#include "tcelab/strv.h"
#include "supervise.h"
#include "tcelab/result.h"
#include "topology.h"
#include "udp_peer.h"

/* Exit statuses of tcelab-run. */
enum {
	EXIT_RUN_PASSED = 0,
	EXIT_RUN_FAILED = 1,
	EXIT_BAD_INPUT = 2,
};

struct step_record {
	const struct plan_step *step;
	struct step_verdict verdict;
	int secs;              /* from the console, -1 unknown */
	char result_file[PLAN_NAME_MAX + 16];
};

struct lab_run {
	const struct lab_options *opts;
	const struct lab_machine *machine;
	struct plan plan;
	char *name;
	char *qemu_path;    /* resolved */
	char *iperf3;       /* resolved path; NULL when no step needs it */
	char *udp_peer_prog; /* tcelab-udp-peer; NULL when no step needs it */
	char *kernel, *initrd;
	char *manifest;     /* the image's manifest.txt, NULL when missing */
	char *image_sha256; /* from guest.cpio.gz.sha256, NULL when missing */

	time_t started, finished;
	double t0, wall_seconds;
	struct run_dir dir;
	struct scratch scratch;
	struct iperf_server iperf;
	struct udp_peer udp_peer;
	struct strv qemu_argv;
	struct progress progress;
	struct supervise_outcome qemu;
	bool qemu_ran;
	struct result_where where;
	struct step_record *steps; /* one per plan step */
	char *host_share;          /* nested machines: the tcelab-l1 folder */
	struct nested_proof proof; /* nested machines: L1's proof, judged again */
	char failure[512];         /* empty: passed */
};

/* Check everything the run needs, creating nothing. */
int lab_run_prepare(struct lab_run *run, const struct lab_options *opts, struct tl_error *e);

/*
 * Boot, run, record. stop_fd is a signalfd for the signals that stop the
 * run. Returns EXIT_RUN_PASSED or EXIT_RUN_FAILED (run->failure says why),
 * or -1 with e set when the run could not be recorded at all.
 */
int lab_run_execute(struct lab_run *run, int stop_fd, struct tl_error *e);

void lab_run_free(struct lab_run *run);

/* run.json (run_record.c). */
int run_record_write(const struct lab_run *run, const char *path, struct tl_error *e);

#endif
