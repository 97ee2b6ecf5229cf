/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a run works with once the controller is up: I/O queue pairs, each
 * with qd slots (one command in flight per slot, CID = slot index), a data
 * buffer and a PRP list per slot, and the slots grouped for the DMA mode:
 * a group is mapped with one call and unmapped with one call once all its
 * I/Os have completed (groups of 1 for premapped and map-per-io).
 */
#ifndef NVME_PERF_H
#define NVME_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include "dma.h"
#include "histogram.h"
#include "nvme.h"
#include "pattern.h"
#include "queue.h"
#include "workload.h"

struct slot {
	bool busy;
	struct io_desc io;
	uint64_t t0;              /* ticks when the I/O was started, its map included */
	void *buf;                /* data buffer, slot_bytes */
	uint64_t iova;
	uint64_t *prp_list;       /* prp_pages pages */
	uint64_t prp_list_iova;
};

struct group {
	unsigned first, size;     /* slots [first, first + size) */
	unsigned inflight;
	uint64_t mapped_len;      /* bytes mapped from the first slot; 0: not mapped */
};

struct queue_ctx {
	struct nvme_qpair qp;
	bool created;             /* exists on the controller (must be deleted) */
	struct slot *slots;
	unsigned nslots;
	struct group *groups;
	unsigned ngroups;
	unsigned inflight;
	struct dma_area data;     /* nslots * slot_bytes, contiguous: groups map in one call */
};

struct perf {
	struct nvme_ctrl *ctrl;
	struct nvme_ns *ns;
	struct dma_space *space;
	struct queue_ctx *q;
	unsigned nq;
	enum dma_mode mode;
	unsigned batch;           /* slots per group */
	uint64_t bs;              /* bytes per full I/O */
	uint64_t slot_bytes;      /* bs rounded up to whole pages */
	uint64_t prp_pages;       /* PRP list pages per slot */
	uint64_t seed;            /* --verify pattern */
	unsigned io_timeout_ms;   /* no completion for this long: give up */
};

enum { OP_READ, OP_WRITE, OP_COUNT };

struct run_stats {
	struct histogram lat[OP_COUNT];   /* ns, start (map included) to completion, successes */
	struct histogram map_call, unmap_call; /* ns per VFIO call */
	uint64_t ios[OP_COUNT], bytes[OP_COUNT];
	double map_ns, unmap_ns;          /* totals */
	uint64_t map_calls, unmap_calls;
	uint64_t io_errors, map_errors, timeouts;
	uint64_t verify_mismatches;       /* I/Os whose data differed */
	struct mismatch first_mismatch;   /* the lowest LBA that differed */
	uint64_t ticks;                   /* elapsed, all phases */
	bool interrupted;
	char first_error[512];
};

void run_stats_init(struct run_stats *st);

/*
 * Run the workload until it runs out (its I/O count), time_s passes (0:
 * no limit), Ctrl-C, or the first error; then drain. pattern: fill writes
 * with the --verify pattern and check reads against it. Returns 0, or -1
 * with e set when the run could not finish cleanly (commands left
 * outstanding: the caller must disable the controller before unmapping).
 * Command errors and mismatches are counted in st and are not -1.
 */
int run_phase(struct perf *p, struct workload *w, double time_s, bool pattern,
	      struct run_stats *st, struct tl_error *e);

/* Unmap whatever groups are still mapped (after an error). */
void run_unmap_all(struct perf *p);

#endif
