// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "queue.h"

void qpair_init(struct nvme_qpair *qp, uint16_t qid, uint16_t entries, struct nvme_sqe *sq_ring,
		uint64_t sq_iova, struct nvme_cqe *cq_ring, uint64_t cq_iova,
		volatile void *db_base, unsigned dstrd)
{
	memset(qp, 0, sizeof(*qp));
	qp->qid = qid;
	qp->sq.ring = sq_ring;
	qp->sq.iova = sq_iova;
	qp->sq.entries = entries;
	qp->sq.db = (volatile uint32_t *)((volatile uint8_t *)db_base + nvme_sq_tdbl(qid, dstrd));
	qp->cq.ring = cq_ring;
	qp->cq.iova = cq_iova;
	qp->cq.entries = entries;
	qp->cq.phase = 1;
	qp->cq.db = (volatile uint32_t *)((volatile uint8_t *)db_base + nvme_cq_hdbl(qid, dstrd));
	memset(sq_ring, 0, (size_t)entries * sizeof(*sq_ring));
	memset(cq_ring, 0, (size_t)entries * sizeof(*cq_ring));
}

uint16_t sq_used(const struct nvme_sq *sq)
{
	return (uint16_t)((sq->tail + sq->entries - sq->head) % sq->entries);
}

bool sq_full(const struct nvme_sq *sq)
{
	return ring_next(sq->tail, sq->entries) == sq->head;
}

struct nvme_sqe *sq_push(struct nvme_sq *sq)
{
	struct nvme_sqe *sqe;

	if (sq_full(sq))
		return NULL;
	sqe = &sq->ring[sq->tail];
	memset(sqe, 0, sizeof(*sqe));
	sq->tail = ring_next(sq->tail, sq->entries);
	return sqe;
}

void sq_ring_doorbell(struct nvme_sq *sq)
{
	if (sq->tail == sq->db_tail)
		return;
	nvme_mb(); /* the entries must reach memory before the controller looks */
	*sq->db = htole32(sq->tail);
	sq->db_tail = sq->tail;
}

const struct nvme_cqe *cq_peek(const struct nvme_cq *cq)
{
	const struct nvme_cqe *cqe = &cq->ring[cq->head];
	uint16_t status = le16toh(*(const volatile uint16_t *)&cqe->status);

	if (NVME_STATUS_P(status) != cq->phase)
		return NULL;
	nvme_rmb(); /* read the rest of the entry only after its phase tag */
	return cqe;
}

void cq_pop(struct nvme_cq *cq)
{
	cq->head = ring_next(cq->head, cq->entries);
	if (cq->head == 0)
		cq->phase ^= 1;
}

void cq_ring_doorbell(struct nvme_cq *cq)
{
	nvme_mb(); /* done reading the entries before the controller may reuse them */
	*cq->db = htole32(cq->head);
}
