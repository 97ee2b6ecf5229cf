// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest smoke (--boot-guest): a small KVM guest started with QEMU as a
 * lab starts one, an NVMe of the lab passed through on a PHB of its own.
 * The suite's guest image, in smoke mode, checks DMA data integrity with
 * the suite's own driver (nvme-perf --verify, each I/O mapped through the
 * guest's TCE table) and reboots; the host counts the boots. Every reboot
 * resets the guest's PHBs, so QEMU and KVM release and re-create its TCE
 * tables: the cycle that fails on some hosts ("Failed to create TCE64 table
 * for liobn"). Then the host's kernel log of the whole run is checked.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcelab/child.h"
#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "tcelab/strv.h"
#include "tcelab/timing.h"
#include "checks.h"
#include "guest_console.h"

/* The guest sees the device alone on PHB 1, slot 0. */
#define GUEST_DUT "0001:00:00.0"
#define NVME_CLASS_PREFIX "0x0108" /* mass storage, non-volatile memory */

/* The first --device that is an NVMe controller, or NULL. */
static const char *smoke_device(const struct vh_options *o)
{
	for (size_t i = 0; i < o->ndevices; i++) {
		char path[128], *cls;
		struct tl_error e;
		bool nvme;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", o->devices[i]);
		cls = tl_read_file(path, NULL, &e);
		nvme = cls && !strncmp(cls, NVME_CLASS_PREFIX, strlen(NVME_CLASS_PREFIX));
		free(cls);
		if (nvme)
			return o->devices[i];
	}
	return NULL;
}

/* QEMU as a lab starts a guest: KVM, the device on a PHB of its own, the
 * suite's guest image in smoke mode, the console on stdout. */
static void qemu_command(const struct vh_options *o, const char *addr, struct strv *q)
{
	static const char *const fixed[] = {
		"-accel", "kvm", "-cpu", "host", "-smp", "1", "-nodefaults",
		"-display", "none", "-serial", "stdio", NULL,
	};

	strv_push(q, o->qemu);
	strv_push_all(q, fixed);
	strv_push(q, "-M");
	strv_push(q, o->guest_machine);
	strv_push(q, "-m");
	strv_pushf(q, "%llum", (unsigned long long)(o->guest_mem >> 20));
	strv_push(q, "-kernel");
	strv_pushf(q, "%s/vmlinux", o->guest_image);
	strv_push(q, "-initrd");
	strv_pushf(q, "%s/guest.cpio.gz", o->guest_image);
	strv_push(q, "-append");
	strv_pushf(q, "console=hvc0 quiet tcelab.smoke=nvme tcelab.dut=" GUEST_DUT
		      " tcelab.step_timeout=%u", o->guest_timeout);
	strv_push(q, "-device");
	strv_pushf(q, "spapr-pci-host-bridge,index=1,id=phb1,dma_win_size=0x%llx",
		   (unsigned long long)o->guest_dma_window);
	strv_push(q, "-device");
	strv_pushf(q, "vfio-pci,host=%s,bus=phb1.0,addr=0", addr);
}

struct qemu_run {
	struct child qemu;
	int out;          /* the console, read end */
	int err;          /* QEMU's stderr, a file */
	FILE *log;        /* --guest-log */
	bool timed_out;
	char err_text[2048];
};

static int qemu_start(const struct strv *q, const char *log_path, struct qemu_run *run,
		      struct tl_error *e)
{
	char err_path[] = "/tmp/tcelab-validate-host-qemu.XXXXXX";
	int p[2] = { -1, -1 };

	memset(run, 0, sizeof(*run));
	run->err = mkstemp(err_path);
	if (run->err < 0)
		return tl_err_errno(e, "%s", err_path);
	unlink(err_path);
	if (log_path && !(run->log = fopen(log_path, "w"))) {
		tl_err_errno(e, "--guest-log %s", log_path);
		goto fail;
	}
	if (pipe2(p, O_CLOEXEC)) {
		tl_err_errno(e, "pipe");
		goto fail;
	}
	if (child_start(&run->qemu, "QEMU", q->v, p[1], run->err, e))
		goto fail;
	close(p[1]);
	run->out = p[0];
	return 0;
fail:
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	if (run->log)
		fclose(run->log);
	close(run->err);
	return -1;
}

static void qemu_stop(struct qemu_run *run)
{
	child_stop(&run->qemu, 10000);
	close(run->out);
	if (run->log)
		fclose(run->log);
	if (lseek(run->err, 0, SEEK_SET) == 0) {
		ssize_t n = read(run->err, run->err_text, sizeof(run->err_text) - 1);

		run->err_text[n > 0 ? n : 0] = '\0';
	}
	close(run->err);
}

/*
 * Read the console until every boot is in, one fails, QEMU ends, or a boot
 * takes longer than timeout_s (counted from the last boot's start or
 * result, so each boot has the whole timeout).
 */
static void qemu_watch(struct qemu_run *run, struct guest_console *g, double timeout_s)
{
	char line[1024];
	size_t len = 0;
	double t0 = timing_monotonic_s();

	while (!guest_console_done(g)) {
		struct pollfd pfd = { .fd = run->out, .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (timing_monotonic_s() - t0 - g->t_last > timeout_s) {
			run->timed_out = true;
			return;
		}
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = read(run->out, buf, sizeof(buf));
		if (n <= 0) {
			/* QEMU closed the console: it ended */
			child_wait(&run->qemu, -1);
			return;
		}
		if (run->log)
			fwrite(buf, 1, (size_t)n, run->log);
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || len == sizeof(line) - 1) {
				line[len] = '\0';
				guest_console_line(g, line, timing_monotonic_s() - t0);
				len = 0;
			}
			if (buf[i] != '\n')
				line[len++] = buf[i];
		}
	}
}

/* The last non-empty line of text, into out. */
static void last_line(const char *text, char *out, size_t len)
{
	const char *end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	snprintf(out, len, "%.*s", (int)(end - start), start);
}

static void tail_detail(void *arg, const char *line)
{
	check_detail(arg, "console: %s", line);
}

static void stderr_details(struct report *r, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		if (n)
			check_detail(r, "qemu: %.*s", n, p);
		p += n + (nl != NULL);
	}
}

static void how_it_ended(const struct qemu_run *run, unsigned timeout_s, char *out, size_t len)
{
	char last[300], status[64];

	last_line(run->err_text, last, sizeof(last));
	if (run->timed_out)
		snprintf(out, len, "nothing new on the guest's console for %u s (QEMU stopped)",
			 timeout_s);
	else
		snprintf(out, len, "QEMU %s%s%s", child_status_text(&run->qemu, status, sizeof(status)),
			 last[0] ? ": " : "", last);
}

void check_guest(struct vh_ctx *c)
{
	const char *addr = smoke_device(c->o);
	char viable_id[128];
	const struct check *viable;

	if (!addr) {
		check_skip(c->r, "guest", "no NVMe among --device (the smoke checks DMA with nvme-perf)",
			   "guest smoke");
		return;
	}
	snprintf(viable_id, sizeof(viable_id), "dev.%s.group-viable", addr);
	viable = report_find(c->r, viable_id);
	if (!c->can_create_vm || (viable && viable->status != CHECK_PASS)) {
		check_skip(c->r, "guest", !c->can_create_vm ? "KVM cannot create a VM here (kvm.vm)"
							    : "the device's IOMMU group is not viable",
			   "guest smoke with %s", addr);
		return;
	}
	check_guest_device(c, addr);
}

void check_guest_device(struct vh_ctx *c, const char *addr)
{
	const struct vh_options *o = c->o;
	struct report *r = c->r;
	struct guest_console g;
	struct strv q = { 0 };
	struct qemu_run run;
	struct tl_error e;
	char id[128], ended[400], *cmdline;
	bool failed = false; /* an earlier boot failed: the smoke stopped there */

	report_comment(r, "guest smoke: %s passed through, %u boots", addr, o->guest_boots);

	qemu_command(o, addr, &q);
	cmdline = strv_join(&q, " ");
	guest_console_init(&g, o->guest_boots);
	if (qemu_start(&q, o->guest_log, &run, &e)) {
		check_fail(r, true, "guest.start", "%s", e.msg);
		goto out;
	}
	qemu_watch(&run, &g, o->guest_timeout);
	qemu_stop(&run);
	how_it_ended(&run, o->guest_timeout, ended, sizeof(ended));

	if (!g.nboots) {
		check_fail(r, true, "guest.start", "the guest did not boot: %s", ended);
		check_detail(r, "%s", cmdline);
		stderr_details(r, run.err_text);
		guest_console_tail(&g, tail_detail, r);
		check_kernel_log(c, "guest.kernel-log", "the guest smoke");
		goto out;
	}
	check_pass(r, "guest.start", "QEMU/KVM booted the guest with %s passed through (%s in it)",
		   addr, GUEST_DUT);
	check_detail(r, "%s", cmdline);

	/* QEMU's silent fallback changes every I/O measurement */
	if (strstr(run.err_text, "kernel_irqchip allowed but unavailable")) {
		check_fail(r, true, "guest.irqchip",
			   "QEMU fell back to a userspace interrupt controller for the guest");
		stderr_details(r, run.err_text);
	} else {
		check_pass(r, "guest.irqchip", "no fallback to a userspace interrupt controller");
	}

	for (unsigned i = 0; i < o->guest_boots; i++) {
		const struct guest_boot *b = &g.boots[i];
		char what[64];

		snprintf(id, sizeof(id), "guest.boot%u.dma-verify", i + 1);
		if (i == 0)
			snprintf(what, sizeof(what), "boot 1");
		else
			snprintf(what, sizeof(what), "boot %u (after reboot %u)", i + 1, i);
		if (failed) {
			check_skip(r, id, "an earlier boot failed", "%s", what);
			continue;
		}
		failed = true; /* until this boot passes */
		if (i >= g.nboots) {
			check_fail(r, true, id, "%s: the guest did not come back: %s", what, ended);
			stderr_details(r, run.err_text);
			guest_console_tail(&g, tail_detail, r);
			continue;
		}
		if (b->error) {
			check_fail(r, true, id, "%s: the guest's set-up failed: %s", what, b->verdict);
			guest_console_tail(&g, tail_detail, r);
			continue;
		}
		if (!b->verified) {
			check_fail(r, true, id, "%s: no verify result: %s", what, ended);
			guest_console_tail(&g, tail_detail, r);
			continue;
		}
		if (b->rc != 0) {
			check_fail(r, true, id, "%s: nvme-perf --verify exit %d: %s", what, b->rc,
				   b->verdict);
			guest_console_tail(&g, tail_detail, r);
			continue;
		}
		failed = false;
		check_pass(r, id, "%s: %s", what, b->verdict);
		/* from QEMU's start or the last verify (the reboot) to this one */
		metric_add(c, "guest-boot-to-verify", "s", addr,
			   b->t_end - (i ? g.boots[i - 1].t_end : 0));
	}
	check_kernel_log(c, "guest.kernel-log", "the guest smoke");
out:
	free(cmdline);
	strv_free(&q);
}
