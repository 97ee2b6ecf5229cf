/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * validate-host's checks, in the order they run: platform, running
 * kernel, KVM, interrupt controller, then each configured device (VFIO,
 * TCE tables, the minimal guest's H_PUT_TCE path, create/attach/release
 * cycles, leaks, kernel log), then with --boot-guest a real guest. Each group reads what earlier groups found
 * from the context.
 */
#ifndef VALIDATE_HOST_CHECKS_H
#define VALIDATE_HOST_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcelab/kvm.h"
#include "kmsg.h"
#include "options.h"
#include "platform.h"
#include "report.h"

/* Metrics for the result JSON: one series per (name, device). */
#define VH_MAX_METRICS 32
struct vh_metric {
	char name[48];
	char unit[8];
	char device[PCI_ADDR_LEN];
	double *samples;
	size_t n;
};

struct vh_ctx {
	const struct vh_options *o;
	struct report *r;
	struct platform plat;

	/* kernel */
	bool tce_patch;      /* the suite's switch parameters exist */
	int tce_accel;       /* -1 absent, 0 N, 1 Y */
	int tce_vfio_accel;

	/* KVM */
	bool kvm_hv_loaded;
	bool have_kvm;
	struct tl_kvm kvm;
	bool can_create_vm;
	bool can_run_guest;  /* vCPU + radix: the minimal guest can run */
	int caps[256];       /* by capability number; -1 unknown */
	const char *caps_from; /* "VM" or "/dev/kvm" */

	/* kernel log */
	struct kmsg_reader kmsg;
	bool have_kmsg;
	char *boot_log;      /* everything in the log when we started */
	/* hypercalls KVM made to the hypervisor below that failed, seen while
	 * the checks ran (the first few kept) */
	unsigned hcall_errors, hcall_errors_emulated;
	char hcall_error_lines[4][200];

	struct vh_metric metrics[VH_MAX_METRICS];
	size_t nmetrics;
};

void check_platform(struct vh_ctx *c);
void check_kernel(struct vh_ctx *c);
void check_kvm(struct vh_ctx *c);
void check_irqchip(struct vh_ctx *c);
void check_device(struct vh_ctx *c, const char *addr);
/* --boot-guest: a guest with an NVMe passed through, DMA verified at every
 * boot (checks_guest.c). */
void check_guest(struct vh_ctx *c);
/* The smoke itself with the device addr (check_guest picked it). */
void check_guest_device(struct vh_ctx *c, const char *addr);
/* Failed hypercalls to the hypervisor below during all the checks. */
void check_hcall_errors(struct vh_ctx *c);
/* New kernel log trouble since the last look, as one check. */
void check_kernel_log(struct vh_ctx *c, const char *id, const char *what);

/* Helpers shared by the check files. */
/* Run argv, capture up to len bytes of its output; returns its exit status or -1. */
int run_command(const char *const argv[], char *out, size_t len);
/* The kernel log since the last call (NULL when /dev/kmsg is not readable). */
char *new_kernel_log(struct vh_ctx *c);
/* Add a sample to metric (name, device), creating it. */
void metric_add(struct vh_ctx *c, const char *name, const char *unit, const char *device,
		double value);
/* "4 KiB", "1 GiB"... */
const char *human_size(uint64_t bytes, char *buf, size_t len);

#endif
