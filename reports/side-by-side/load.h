/* SPDX-License-Identifier: GPL-2.0-only */
/* A recorded run read back for the comparison: run.json, then each step's result. */
#ifndef SBS_LOAD_H
#define SBS_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "ratios.h"

struct tl_error;

#define SBS_MAX_PROBLEMS 32

/* One of the two NVMe functions, from run.json's machine.devices. */
struct sbs_device {
	char role[16];          /* dut | fio-disk */
	char model[32];         /* the QEMU device model: "nvme" */
	char bus[32];
	char guest_address[32];
	uint64_t disk_bytes;    /* 0: unknown */
};

struct sbs_run {
	char dir[4096];
	char id[64], status[16], failure[512];
	char environment[32], host_kind[32], kernel[128], tce_mode[32];
	struct sbs_device dut, fio_disk;
	struct cmp_entry entries[CMP_MAX];
	size_t nentries;
	char problems[SBS_MAX_PROBLEMS][320]; /* steps that could not be compared, and why */
	size_t nproblems;
};

/* Read the run folder dir. -1 with e set only when run.json cannot be read. */
int sbs_load(struct sbs_run *run, const char *dir, struct tl_error *e);

#endif
