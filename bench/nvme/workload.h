/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which I/O comes next: the operation and its LBAs, within the LBA range.
 * Random workloads pick bs-aligned positions in the range (as fio does);
 * sequential ones walk it from the start, wrap at the end, and shorten the
 * last I/O when the range is not a whole number of them.
 */
#ifndef NVME_WORKLOAD_H
#define NVME_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

struct tl_error;

enum workload_kind {
	WL_RANDREAD,
	WL_RANDWRITE,
	WL_READ,  /* sequential */
	WL_WRITE, /* sequential */
	WL_MIXED, /* random, --rwmix-read percent reads */
	WL_COUNT,
};

extern const char *const workload_names[WL_COUNT];

int workload_parse(const char *text, enum workload_kind *kind, struct tl_error *e);

struct io_desc {
	uint8_t opc; /* NVME_CMD_READ or NVME_CMD_WRITE */
	uint64_t slba;
	uint32_t nlb;
};

struct workload {
	enum workload_kind kind;
	unsigned rwmix_read;    /* percent, WL_MIXED only */
	uint64_t start, end;    /* LBA range [start, end) */
	uint32_t nlb;           /* blocks per I/O */
	uint64_t positions;     /* whole I/Os in the range (random) */
	uint64_t cursor;        /* next LBA (sequential) */
	uint64_t rng;
	uint64_t remaining;     /* I/Os left to hand out; UINT64_MAX: until stopped */
};

/* ios = 0: no count limit. count >= nlb (checked by the caller). */
void workload_init(struct workload *w, enum workload_kind kind, unsigned rwmix_read,
		   uint64_t start, uint64_t count, uint32_t nlb, uint64_t ios, uint64_t seed);

/* The next I/O; false when the count is used up. */
bool workload_next(struct workload *w, struct io_desc *io);

/* Does the workload write? (for Flush at the end) */
bool workload_writes(enum workload_kind kind);

#endif
