// SPDX-License-Identifier: GPL-2.0-only
#include "tcelab/child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tcelab/error.h"

/* In the child, between fork and exec: only async-signal-safe calls. */
static void exec_child(char *const argv[], int out_fd, int err_fd, int report_fd,
		       pid_t parent)
{
	sigset_t all;
	int null_fd, err;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the parent died before prctl took effect */
		_exit(127);
	/* The parent may block and ignore signals for its own handling; exec
	 * would pass both on. */
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
	execvp(argv[0], argv);
fail:
	err = errno;
	(void)!write(report_fd, &err, sizeof(err));
	_exit(127);
}

int child_start(struct child *c, const char *what, char *const argv[], int out_fd,
		int err_fd, struct tl_error *e)
{
	pid_t parent = getpid();
	int report[2], err = 0;
	ssize_t n;

	*c = (struct child){ .what = what };
	/* The exec error comes back on a close-on-exec pipe: EOF means exec worked. */
	if (pipe2(report, O_CLOEXEC) != 0)
		return tl_err_errno(e, "cannot start %s", what);
	c->pid = fork();
	if (c->pid < 0) {
		c->pid = 0;
		close(report[0]);
		close(report[1]);
		return tl_err_errno(e, "cannot start %s", what);
	}
	if (c->pid == 0)
		exec_child(argv, out_fd, err_fd, report[1], parent);
	/* Also here: a signal sent before the child's own setpgid must still find the group. */
	setpgid(c->pid, c->pid);
	close(report[1]);
	do
		n = read(report[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n > 0) {
		child_wait(c, -1);
		c->pid = 0;
		return tl_err(e, "cannot run %s (%s): %s", what, argv[0], strerror(err));
	}
	return 0;
}

void child_signal(const struct child *c, int sig)
{
	if (c->pid > 0)
		kill(-c->pid, sig);
}

static bool reap(struct child *c, int flags)
{
	pid_t r;

	if (c->pid <= 0)
		return true;
	do
		r = waitpid(c->pid, &c->status, flags);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	c->pid = 0; /* reaped, or not our child any more (ECHILD) */
	return true;
}

bool child_exited(struct child *c)
{
	return reap(c, WNOHANG);
}

bool child_wait(struct child *c, int timeout_ms)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };

	if (timeout_ms < 0)
		return reap(c, 0);
	/* Polling at 20 ms is simpler than a SIGCHLD dance and costs nothing here. */
	for (int waited = 0; ; waited += 20) {
		if (reap(c, WNOHANG))
			return true;
		if (waited >= timeout_ms)
			return false;
		nanosleep(&tick, NULL);
	}
}

void child_stop(struct child *c, int grace_ms)
{
	if (c->pid <= 0)
		return;
	child_signal(c, SIGTERM);
	if (!child_wait(c, grace_ms)) {
		child_signal(c, SIGKILL);
		child_wait(c, -1);
	}
}

const char *child_status_text(const struct child *c, char *buf, size_t len)
{
	if (WIFEXITED(c->status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(c->status),
			 strsignal(WTERMSIG(c->status)));
	else
		snprintf(buf, len, "ended with wait status %#x", c->status);
	return buf;
}
