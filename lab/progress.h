/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Follows the guest's console markers: prints progress on the terminal
 * and keeps what the console said about each step for the verdict.
 */
#ifndef LAB_PROGRESS_H
#define LAB_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "tcelab/strv.h"

struct plan;

struct step_seen {
	bool begun, ended;
	int rc, secs; /* from the end marker */
};

struct progress {
	FILE *out;
	const struct plan *plan;
	struct step_seen *seen; /* one per plan step */
	bool booted, plan_ended;
	char kernel[256];       /* from TCELAB-BOOT */
	bool line_open;         /* a "[i/n] name ... " awaits its verdict */
	double started;         /* monotonic seconds at QEMU start */
	struct strv guest_errors; /* TCELAB-ERROR texts */
};

void progress_init(struct progress *p, FILE *out, const struct plan *plan, double now);

/* One console line (without its line end). */
void progress_feed(struct progress *p, const char *line, double now);

/* The run ended before the guest finished: close an open step line. */
void progress_abort(struct progress *p, const char *why);

void progress_free(struct progress *p);

#endif
