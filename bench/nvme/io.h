/* SPDX-License-Identifier: GPL-2.0-only */
/* NVM commands (Read, Write, Flush) and reaping completions from a CQ. */
#ifndef NVME_IO_H
#define NVME_IO_H

#include <stdint.h>

#include "queue.h"

struct nvme_ctrl;
struct tl_error;

/* Fill an SQE for Read or Write: nlb blocks (1..65536) from slba. */
void nvme_build_rw(struct nvme_sqe *sqe, uint8_t opc, uint16_t cid, uint32_t nsid,
		   uint64_t slba, uint32_t nlb, uint64_t prp1, uint64_t prp2);

void nvme_build_flush(struct nvme_sqe *sqe, uint16_t cid, uint32_t nsid);

/*
 * Consume up to max new CQEs, calling fn for each (after SQHD is taken
 * into qp->sq.head), then write CQyHDBL once. Returns how many were
 * consumed.
 */
unsigned nvme_reap(struct nvme_qpair *qp, unsigned max,
		   void (*fn)(void *ctx, const struct nvme_cqe *cqe), void *ctx);

/*
 * Flush nsid through an idle I/O queue pair and wait for it (timeout_ms).
 * A failing status is an error naming the device and the status.
 */
int nvme_flush_sync(struct nvme_ctrl *c, struct nvme_qpair *qp, uint32_t nsid, uint16_t cid,
		    unsigned timeout_ms, struct tl_error *e);

#endif
