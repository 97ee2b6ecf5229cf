/* SPDX-License-Identifier: GPL-2.0-only */
/* validate-host's command line. */
#ifndef VALIDATE_HOST_OPTIONS_H
#define VALIDATE_HOST_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcelab/pci.h"

struct tl_error;

#define VH_MAX_DEVICES 8

enum vh_emulated { VH_EMULATED_AUTO, VH_EMULATED_YES, VH_EMULATED_NO };

struct vh_options {
	char devices[VH_MAX_DEVICES][PCI_ADDR_LEN];
	size_t ndevices;
	unsigned cycles;
	uint64_t guest_mem;
	uint64_t window_size;
	unsigned window_shift;    /* 0: the largest allowed up to 64 KiB */
	uint64_t leak_per_cycle;  /* bytes of MemFree a cycle may lose on average */
	unsigned guest_puts;      /* H_PUT_TCEs the minimal guest issues (0: no guest) */
	const char *json_path;
	const char *name;
	bool bind;
	bool load_modules;
	enum vh_emulated emulated;

	/* --boot-guest: the guest smoke */
	bool boot_guest;
	const char *guest_image;   /* DIR with vmlinux and guest.cpio.gz */
	const char *qemu;
	const char *guest_machine;
	unsigned guest_boots;
	unsigned guest_timeout;    /* seconds without console progress */
	uint64_t guest_dma_window;
	const char *guest_log;
};

/* Parse argv into o (defaults first). Returns 0, or -1 with e set. */
int vh_parse_options(int argc, char **argv, struct vh_options *o, struct tl_error *e);
void vh_usage(FILE *f);

#endif
