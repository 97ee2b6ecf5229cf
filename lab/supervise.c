// SPDX-License-Identifier: GPL-2.0-only
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"
#include "progress.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

/* Time QEMU gets between SIGTERM and SIGKILL. */
#define STOP_GRACE_SECS 5.0

struct console_reader {
	FILE *log;
	struct progress *progress;
	char *line;
	size_t len, cap;
};

static void console_line_done(struct console_reader *r)
{
	r->line[r->len] = '\0';
	fprintf(r->log, "%s\n", r->line);
	progress_feed(r->progress, r->line, clock_now());
	r->len = 0;
}

static void console_bytes(struct console_reader *r, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			console_line_done(r);
			continue;
		}
		if (r->len + 2 > r->cap) {
			r->cap = r->cap ? 2 * r->cap : 256;
			r->line = xrealloc(r->line, r->cap);
		}
		r->line[r->len++] = buf[i];
	}
}

struct stopper {
	struct supervise_outcome *out;
	struct progress *progress;
	double kill_at; /* 0: not stopping */
	bool killed;
};

static void stop_qemu(struct stopper *s, double now, const char *why)
{
	if (s->kill_at == 0) {
		snprintf(s->out->failure, sizeof(s->out->failure), "%s", why);
		progress_abort(s->progress, why);
		child_signal(&s->out->qemu, SIGTERM);
		s->kill_at = now + STOP_GRACE_SECS;
	} else if (!s->killed) {
		/* Asked twice, or QEMU ignored SIGTERM: no more grace. */
		child_signal(&s->out->qemu, SIGKILL);
		s->killed = true;
	}
}

bool stop_signal_take(int stop_fd, char *why, size_t len)
{
	struct signalfd_siginfo si;

	if (read(stop_fd, &si, sizeof(si)) != sizeof(si))
		return false;
	snprintf(why, len, "interrupted (SIG%s)", sigabbrev_np(si.ssi_signo));
	return true;
}

/* Until the next thing to do: the run's deadline, or SIGKILL after the grace. */
static int poll_timeout_ms(const struct stopper *s, double deadline, double now)
{
	double until = s->kill_at == 0 ? deadline : s->killed ? now + 60 : s->kill_at;
	double ms = ceil((until - now) * 1000);

	return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

static int start_qemu(const struct supervise_config *cfg, struct child *qemu, int *console_fd,
		      struct tl_error *e)
{
	int cons[2], err_fd, ret;

	err_fd = open(cfg->stderr_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (err_fd < 0)
		return tl_err_errno(e, "cannot create %s", cfg->stderr_log);
	if (pipe2(cons, O_CLOEXEC) != 0) {
		close(err_fd);
		return tl_err_errno(e, "cannot make a pipe for the console");
	}
	ret = child_start(qemu, "QEMU", cfg->argv, cons[1], err_fd, e);
	close(cons[1]);
	close(err_fd);
	if (ret) {
		close(cons[0]);
		return ret;
	}
	*console_fd = cons[0];
	return 0;
}

int supervise_qemu(const struct supervise_config *cfg, struct progress *progress,
		   struct supervise_outcome *out, struct tl_error *e)
{
	struct console_reader reader = { .progress = progress };
	struct stopper stopper = { .out = out, .progress = progress };
	double deadline;
	char buf[4096], why[64];
	int console_fd = -1;

	*out = (struct supervise_outcome){ 0 };
	reader.log = fopen(cfg->console_log, "w");
	if (!reader.log)
		return tl_err_errno(e, "cannot create %s", cfg->console_log);
	/* Line by line, so `tail -f console.log` follows a run. */
	setvbuf(reader.log, NULL, _IOLBF, 0);
	if (start_qemu(cfg, &out->qemu, &console_fd, e)) {
		fclose(reader.log);
		return -1;
	}
	deadline = clock_now() + cfg->timeout_secs;
	/* Until QEMU closes its console, which it does by exiting. */
	for (;;) {
		struct pollfd fds[2] = { { console_fd, POLLIN, 0 }, { cfg->stop_fd, POLLIN, 0 } };
		double now = clock_now();
		ssize_t n;

		poll(fds, 2, poll_timeout_ms(&stopper, deadline, now));
		now = clock_now();
		if ((fds[1].revents & POLLIN) && stop_signal_take(cfg->stop_fd, why, sizeof(why)))
			stop_qemu(&stopper, now, why);
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(console_fd, buf, sizeof(buf));
			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
				break;
			if (n > 0)
				console_bytes(&reader, buf, n);
		}
		if (stopper.kill_at == 0 && now >= deadline) {
			snprintf(why, sizeof(why), "timed out after %d s", cfg->timeout_secs);
			stop_qemu(&stopper, now, why);
		} else if (stopper.kill_at && !stopper.killed && now >= stopper.kill_at) {
			stop_qemu(&stopper, now, NULL);
		}
	}
	if (reader.len)
		console_line_done(&reader);
	/* The console closed: QEMU is exiting. Give it the grace it has left. */
	if (!child_wait(&out->qemu, 1000 * STOP_GRACE_SECS)) {
		child_signal(&out->qemu, SIGKILL);
		child_wait(&out->qemu, -1);
	}
	close(console_fd);
	fclose(reader.log);
	free(reader.line);
	return 0;
}
