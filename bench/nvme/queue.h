/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A submission/completion queue pair: rings in DMA memory, indices and
 * phase tag in host memory, doorbells in BAR0.
 *
 * The host owns the SQ tail and the CQ head. The SQ is full when the tail
 * is one behind the head (one entry always stays empty). A CQ entry is new
 * when its phase tag equals the phase the host expects; the expected phase
 * starts at 1 (the ring is zeroed) and flips each time the head wraps.
 */
#ifndef NVME_QUEUE_H
#define NVME_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "registers.h"

struct nvme_sq {
	struct nvme_sqe *ring;
	uint64_t iova;
	uint16_t entries;
	uint16_t tail;          /* next entry the host fills */
	uint16_t head;          /* last SQHD the controller reported */
	uint16_t db_tail;       /* tail as last written to SQyTDBL */
	volatile uint32_t *db;  /* SQyTDBL */
};

struct nvme_cq {
	struct nvme_cqe *ring;
	uint64_t iova;
	uint16_t entries;
	uint16_t head;          /* next entry to look at */
	uint8_t phase;          /* phase tag that marks a new entry */
	volatile uint32_t *db;  /* CQyHDBL */
};

struct nvme_qpair {
	uint16_t qid; /* 0: admin */
	struct nvme_sq sq;
	struct nvme_cq cq;
};

static inline uint16_t ring_next(uint16_t i, uint16_t entries)
{
	return (uint16_t)(i + 1 == entries ? 0 : i + 1);
}

/* Set up a pair over zeroed rings; db_base is BAR0, dstrd the doorbell stride. */
void qpair_init(struct nvme_qpair *qp, uint16_t qid, uint16_t entries, struct nvme_sqe *sq_ring,
		uint64_t sq_iova, struct nvme_cqe *cq_ring, uint64_t cq_iova,
		volatile void *db_base, unsigned dstrd);

/* Entries in flight from the host's view: tail - head modulo entries. */
uint16_t sq_used(const struct nvme_sq *sq);
bool sq_full(const struct nvme_sq *sq);

/* The entry at the tail, zeroed, and the tail advanced; NULL when full. */
struct nvme_sqe *sq_push(struct nvme_sq *sq);

/* Write SQyTDBL if the tail moved since the last write. */
void sq_ring_doorbell(struct nvme_sq *sq);

/* The CQE at the head if it is new (phase tag matches), else NULL. */
const struct nvme_cqe *cq_peek(const struct nvme_cq *cq);

/* Consume the head entry: advance, flipping the phase at the wrap. */
void cq_pop(struct nvme_cq *cq);

/* Tell the controller the new head (CQyHDBL). */
void cq_ring_doorbell(struct nvme_cq *cq);

#endif
