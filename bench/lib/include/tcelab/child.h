/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Child processes a program starts (the lab runner's QEMU and iperf3
 * server, validate-host's smoke guest). Each runs in a process group of
 * its own, so that a Ctrl-C on the terminal reaches only the parent, which
 * then stops them in order; and each dies with the parent
 * (PR_SET_PDEATHSIG) should the parent itself be killed.
 */
#ifndef TCELAB_CHILD_H
#define TCELAB_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

struct tl_error;

struct child {
	const char *what; /* for messages: "QEMU", "iperf3 server" */
	pid_t pid;        /* 0: not running */
	int status;       /* wait status once reaped */
};

/*
 * Start argv[0] (searched in PATH) with stdin from /dev/null and stdout,
 * stderr on the given descriptors. A failing exec is reported here, not as
 * an exit status later.
 */
int child_start(struct child *c, const char *what, char *const argv[], int out_fd,
		int err_fd, struct tl_error *e);

/* Signal the child's process group. */
void child_signal(const struct child *c, int sig);

/* Reap without blocking; true once the child has exited (or never ran). */
bool child_exited(struct child *c);

/* Wait up to timeout_ms for the child to exit; true if it did. */
bool child_wait(struct child *c, int timeout_ms);

/* SIGTERM, then SIGKILL after grace_ms; always reaps. */
void child_stop(struct child *c, int grace_ms);

/* "exited with status 1", "killed by signal 9" into buf. */
const char *child_status_text(const struct child *c, char *buf, size_t len);

#endif
