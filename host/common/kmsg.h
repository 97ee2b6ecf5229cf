/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log through /dev/kmsg: what a check did to the kernel shows
 * up there as warnings (WARN_ON: "WARNING: CPU: 0 PID: 1 at FILE:LINE
 * FUNC"), BUGs, oopses, lockups and list or refcount corruption. Tools
 * open the log at its end before a check, read what came after, and
 * classify each record.
 *
 * /dev/kmsg records look like "PRIO,SEQ,USEC,FLAGS;message" followed by
 * " KEY=value" continuation lines (SUBSYSTEM=pci, DEVICE=+pci:0001:00:00.0
 * for dev_printk() messages). Plain `dmesg` text ("[    1.234567] msg")
 * is accepted too, so fixtures can be either.
 */
#ifndef TCELAB_HOST_KMSG_H
#define TCELAB_HOST_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_error;

struct kmsg_record {
	int prio;          /* syslog level 0-7 (-1 when unknown) */
	uint64_t seq;
	const char *msg;   /* the message, NUL-terminated */
	const char *device; /* "+pci:0001:00:00.0" from DEVICE=, or "" */
};

/*
 * Split text (a sequence of /dev/kmsg records or dmesg lines) into
 * records; cb is called for each. The text is modified (NULs inserted).
 * Returns the number of records.
 */
size_t kmsg_parse(char *text, void (*cb)(const struct kmsg_record *r, void *ctx), void *ctx);

/* Kinds of trouble a message can announce. */
enum kmsg_trouble {
	KMSG_OK = 0,
	KMSG_WARNING,     /* WARNING: ... at FILE:LINE */
	KMSG_BUG,         /* kernel BUG at / BUG: */
	KMSG_OOPS,        /* Oops: */
	KMSG_LOCKUP,      /* soft/hard lockup, RCU stall, hung task */
	KMSG_CORRUPTION,  /* list_add/list_del corruption, refcount_t, bad page */
	KMSG_SANITIZER,   /* UBSAN, KASAN, KFENCE */
	KMSG_PANIC,       /* Kernel panic */
};

const char *kmsg_trouble_name(enum kmsg_trouble t);

/* Classify one message. */
enum kmsg_trouble kmsg_classify(const char *msg);

/* A summary of the trouble found in a stretch of log. */
#define KMSG_MAX_KEPT 8
struct kmsg_findings {
	unsigned count;                 /* records with trouble */
	unsigned by_kind[KMSG_PANIC + 1];
	char first[KMSG_MAX_KEPT][240]; /* the first few messages, verbatim */
	unsigned kept;
};

void kmsg_findings_init(struct kmsg_findings *f);
/* Add a message (classified here). */
void kmsg_findings_add(struct kmsg_findings *f, const char *msg);
/* Scan a text (as kmsg_parse) into f. */
void kmsg_findings_scan(struct kmsg_findings *f, char *text);

/*
 * A known, explained kernel issue matching a message: a short reason
 * (e.g. the WARN at virt/kvm/vfio.c in kvm_spapr_tce_release_vfio_group,
 * fixed by the suite's kernel patch 0003), or NULL.
 */
const char *kmsg_known_issue(const char *msg);

/*
 * A hypercall KVM made to the hypervisor below failed (KVM in an LPAR):
 * "KVM: TLB LPID invalidation hcall failed, rc=-2" and the like.
 */
bool kmsg_is_hcall_error(const char *msg);

/*
 * Why a message is known to come from the emulated lab and not from a
 * real host (QEMU's nested-PAPR L0 lacking a hypercall...), or NULL.
 */
const char *kmsg_emulation_issue(const char *msg);

/*
 * Evidence that the device at addr ("0001:00:00.0") was driven by a kernel
 * driver other than vfio-pci, or is in the pseries failed-DDW list, in a
 * log text. driver: the driver name seen ("nvme"), or "" when none; ddw:
 * a "failed DDW device list" message for the device was found.
 */
struct kmsg_device_history {
	char driver[32];
	bool failed_ddw;
	char ddw_line[240];
	/* "Refused to change power state from D0 to D3hot": the platform
	 * (OPAL's PHB4 for a device right under a root port) drops D-state
	 * changes */
	bool dstate_refused;
	char dstate_line[240];
};
void kmsg_device_history(char *text, const char *addr, struct kmsg_device_history *h);

/* Live log: a reader positioned at the end (records after now) or start. */
struct kmsg_reader {
	int fd;
};

/* Open /dev/kmsg at its end (at_end) or start. errno EACCES/ENOENT tell
 * why it is not readable. */
int kmsg_open(struct kmsg_reader *r, bool at_end, struct tl_error *e);
/* Everything after the reader's position, as one malloc'd text of records
 * separated by newlines (kmsg_parse format); advances the reader. */
char *kmsg_read_new(struct kmsg_reader *r, struct tl_error *e);
void kmsg_close(struct kmsg_reader *r);

#endif
