// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "kmsg.h"

/* Is line a /dev/kmsg header "PRIO,SEQ,USEC,FLAGS;"? Returns the message start. */
static char *kmsg_header(char *line, int *prio, uint64_t *seq)
{
	char *p = line, *semi;
	unsigned long long v;

	if (!isdigit((unsigned char)*p))
		return NULL;
	semi = strchr(line, ';');
	if (!semi)
		return NULL;
	for (char *q = line; q < semi; q++)
		if (!isdigit((unsigned char)*q) && *q != ',' && *q != '-' && *q != 'c' && *q != '+')
			return NULL;
	v = strtoull(p, &p, 10);
	if (*p != ',')
		return NULL;
	*prio = (int)(v & 7);
	*seq = strtoull(p + 1, NULL, 10);
	return semi + 1;
}

/* Strip a dmesg "[    1.234567] " prefix and a "<6>" level. */
static char *plain_message(char *line, int *prio)
{
	char *p = line;

	*prio = -1;
	if (p[0] == '<' && isdigit((unsigned char)p[1]) && p[2] == '>') {
		*prio = p[1] - '0';
		p += 3;
	}
	if (*p == '[') {
		char *close = strchr(p, ']');

		if (close) {
			p = close + 1;
			if (*p == ' ')
				p++;
		}
	}
	return p;
}

size_t kmsg_parse(char *text, void (*cb)(const struct kmsg_record *r, void *ctx), void *ctx)
{
	struct kmsg_record cur = { 0 };
	bool have = false;
	size_t n = 0;
	char *line = text;

	while (line && *line) {
		char *eol = strchr(line, '\n');
		char *msg;
		int prio;
		uint64_t seq = 0;

		if (eol)
			*eol = '\0';
		if (line[0] == ' ' && have) {
			/* continuation of a kmsg record: KEY=value */
			if (!strncmp(line + 1, "DEVICE=", 7))
				cur.device = line + 8;
		} else if (line[0]) {
			if (have) {
				cb(&cur, ctx);
				n++;
			}
			msg = kmsg_header(line, &prio, &seq);
			if (!msg)
				msg = plain_message(line, &prio);
			cur = (struct kmsg_record){ .prio = prio, .seq = seq, .msg = msg, .device = "" };
			have = true;
		}
		line = eol ? eol + 1 : NULL;
	}
	if (have) {
		cb(&cur, ctx);
		n++;
	}
	return n;
}

const char *kmsg_trouble_name(enum kmsg_trouble t)
{
	static const char *const names[] = {
		[KMSG_OK] = "ok",
		[KMSG_WARNING] = "WARNING",
		[KMSG_BUG] = "BUG",
		[KMSG_OOPS] = "Oops",
		[KMSG_LOCKUP] = "lockup/stall",
		[KMSG_CORRUPTION] = "corruption",
		[KMSG_SANITIZER] = "sanitizer",
		[KMSG_PANIC] = "panic",
	};

	return t <= KMSG_PANIC ? names[t] : "?";
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

enum kmsg_trouble kmsg_classify(const char *msg)
{
	while (*msg == ' ')
		msg++;
	if (starts(msg, "Kernel panic"))
		return KMSG_PANIC;
	/*
	 * WARN_ON(): "WARNING: CPU: 0 PID: 1 at FILE:LINE FUNC" ("WARNING: at"
	 * in old kernels); lockdep and RCU checks: "WARNING: possible circular
	 * locking dependency", "WARNING: suspicious RCU usage"... Not any
	 * pr_warn() that starts with the word ("WARNING: nvram corruption").
	 */
	if (starts(msg, "WARNING: CPU:") || starts(msg, "WARNING: at ") ||
	    starts(msg, "WARNING: possible") || starts(msg, "WARNING: suspicious") ||
	    starts(msg, "WARNING: inconsistent lock") || starts(msg, "WARNING: bad unlock") ||
	    starts(msg, "WARNING: lock held") || starts(msg, "WARNING: held lock"))
		return KMSG_WARNING;
	if (starts(msg, "Oops:") || strstr(msg, "Oops: Kernel access") || starts(msg, "Oops "))
		return KMSG_OOPS;
	if (strstr(msg, "soft lockup") || strstr(msg, "hard LOCKUP") ||
	    strstr(msg, "rcu_sched self-detected stall") || strstr(msg, "detected stalls on CPUs") ||
	    strstr(msg, "rcu: INFO:") || (strstr(msg, "task ") && strstr(msg, "blocked for more than")))
		return KMSG_LOCKUP;
	if (starts(msg, "BUG: KASAN") || starts(msg, "BUG: KFENCE") || starts(msg, "UBSAN:") ||
	    starts(msg, "BUG: KCSAN"))
		return KMSG_SANITIZER;
	if (strstr(msg, "kernel BUG at") || starts(msg, "BUG:"))
		return KMSG_BUG;
	if (strstr(msg, "list_add corruption") || strstr(msg, "list_del corruption") ||
	    starts(msg, "refcount_t:") || starts(msg, "BUG: Bad page") || strstr(msg, "Bad page state") ||
	    strstr(msg, "Bad page map"))
		return KMSG_CORRUPTION;
	return KMSG_OK;
}

void kmsg_findings_init(struct kmsg_findings *f)
{
	memset(f, 0, sizeof(*f));
}

void kmsg_findings_add(struct kmsg_findings *f, const char *msg)
{
	enum kmsg_trouble t = kmsg_classify(msg);

	if (t == KMSG_OK)
		return;
	f->count++;
	f->by_kind[t]++;
	if (f->kept < KMSG_MAX_KEPT)
		snprintf(f->first[f->kept++], sizeof(f->first[0]), "%s", msg);
}

static void findings_cb(const struct kmsg_record *r, void *ctx)
{
	kmsg_findings_add(ctx, r->msg);
}

void kmsg_findings_scan(struct kmsg_findings *f, char *text)
{
	if (text)
		kmsg_parse(text, findings_cb, f);
}

const char *kmsg_known_issue(const char *msg)
{
	if (strstr(msg, "kvm_spapr_tce_release_vfio_group"))
		return "known Linux 6.1+ bug: KVM-VFIO releases a VFIO group that was never attached "
		       "to an in-kernel TCE table with WARN_ON_ONCE(!kvf->iommu_group) "
		       "(virt/kvm/vfio.c); harmless, fixed by the suite's kernel patch 0003";
	return NULL;
}

bool kmsg_is_hcall_error(const char *msg)
{
	return (strstr(msg, "KVM") && strstr(msg, "hcall failed")) ||
	       (strstr(msg, "KVM-NESTEDv2") && strstr(msg, "couldn't")) ||
	       strstr(msg, "Guest Run VCPU hcall failed") || strstr(msg, "Create Guest hcall failed");
}

const char *kmsg_emulation_issue(const char *msg)
{
	if (strstr(msg, "invalidation hcall failed, rc=-2"))
		return "QEMU's nested-PAPR L0 (cap-nested-papr) offers a nested-v2 L1 neither "
		       "H_TLB_INVALIDATE nor H_RPT_INVALIDATE (rc -2 is H_FUNCTION; kvmhv_flush_lpid); "
		       "a PowerVM that runs KVM guests offers H_RPT_INVALIDATE (not verified here)";
	if (strstr(msg, "couldn't register the L2 VPA"))
		return "QEMU's nested-PAPR L0 rejects the VPA guest-state element with H_P3";
	return NULL;
}

struct history_ctx {
	const char *addr;
	struct kmsg_device_history *h;
};

/* "DRIVER ADDR: ..." with DRIVER a driver (not the bus name "pci"). */
static void driver_of_line(const char *msg, const char *addr, char *drv, size_t len)
{
	size_t alen = strlen(addr);
	const char *sp = strchr(msg, ' ');

	if (!sp || (size_t)(sp - msg) >= len || strncmp(sp + 1, addr, alen) || sp[1 + alen] != ':')
		return;
	snprintf(drv, len, "%.*s", (int)(sp - msg), msg);
}

static void history_cb(const struct kmsg_record *r, void *p)
{
	struct history_ctx *c = p;
	char drv[32] = "";

	if (strstr(r->msg, c->addr) && strstr(r->msg, "failed DDW")) {
		c->h->failed_ddw = true;
		if (!c->h->ddw_line[0])
			snprintf(c->h->ddw_line, sizeof(c->h->ddw_line), "%s", r->msg);
	}
	if (strstr(r->msg, c->addr) && strstr(r->msg, "Refused to change power state")) {
		c->h->dstate_refused = true;
		if (!c->h->dstate_line[0])
			snprintf(c->h->dstate_line, sizeof(c->h->dstate_line), "%s", r->msg);
	}
	driver_of_line(r->msg, c->addr, drv, sizeof(drv));
	/* "nvme nvme0: pci function 0001:00:00.0" */
	if (!drv[0] && !strncmp(r->msg, "nvme ", 5) && strstr(r->msg, "pci function ") &&
	    strstr(r->msg, c->addr))
		snprintf(drv, sizeof(drv), "nvme");
	if (drv[0] && strcmp(drv, "pci") && strcmp(drv, "vfio-pci") && strcmp(drv, "pci-stub") &&
	    !c->h->driver[0])
		snprintf(c->h->driver, sizeof(c->h->driver), "%s", drv);
}

void kmsg_device_history(char *text, const char *addr, struct kmsg_device_history *h)
{
	struct history_ctx c = { addr, h };

	memset(h, 0, sizeof(*h));
	if (text)
		kmsg_parse(text, history_cb, &c);
}

int kmsg_open(struct kmsg_reader *r, bool at_end, struct tl_error *e)
{
	r->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fd < 0)
		return tl_err_errno(e, "/dev/kmsg");
	if (at_end && lseek(r->fd, 0, SEEK_END) < 0) {
		tl_err_errno(e, "/dev/kmsg: seek to end");
		close(r->fd);
		r->fd = -1;
		return -1;
	}
	return 0;
}

char *kmsg_read_new(struct kmsg_reader *r, struct tl_error *e)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	if (!buf) {
		tl_err(e, "/dev/kmsg: out of memory");
		return NULL;
	}
	for (;;) {
		ssize_t got;

		if (cap - n < 8192 + 2) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				tl_err(e, "/dev/kmsg: out of memory");
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
		/* one record per read(); EAGAIN at the end */
		got = read(r->fd, buf + n, cap - n - 2);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				continue; /* overwritten records: go on with the next */
			if (errno == EAGAIN)
				break;
			tl_err_errno(e, "/dev/kmsg: read");
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (buf[n - 1] != '\n')
			buf[n++] = '\n';
	}
	buf[n] = '\0';
	return buf;
}

void kmsg_close(struct kmsg_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}
