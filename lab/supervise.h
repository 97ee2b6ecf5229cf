/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One boot of the guest: start QEMU with its console on a pipe, log every
 * console line, feed the markers to the progress display, and stop QEMU
 * at the run's timeout or when the runner is told to stop.
 */
#ifndef LAB_SUPERVISE_H
#define LAB_SUPERVISE_H

#include <stdbool.h>
#include <stddef.h>

#include "tcelab/child.h"

struct progress;
struct tl_error;

struct supervise_config {
	char *const *argv;       /* QEMU's command line */
	const char *console_log; /* every console line goes here */
	const char *stderr_log;  /* QEMU's own messages */
	int timeout_secs;        /* for the whole boot */
	int stop_fd;             /* signalfd: SIGINT/SIGTERM mean stop */
};

struct supervise_outcome {
	struct child qemu;  /* reaped: .status is QEMU's wait status */
	char failure[128];  /* why the runner stopped QEMU; empty if it ended by itself */
};

/* Returns -1 only when QEMU could not be started (e says why). */
int supervise_qemu(const struct supervise_config *cfg, struct progress *progress,
		   struct supervise_outcome *out, struct tl_error *e);

/*
 * Take a pending stop signal from the (non-blocking) signalfd; true with
 * why = "interrupted (SIGINT)" if there was one.
 */
bool stop_signal_take(int stop_fd, char *why, size_t len);

#endif
