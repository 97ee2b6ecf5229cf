// SPDX-License-Identifier: GPL-2.0-only
#include <time.h>

#include "tcelab/error.h"
#include "io.h"
#include "nvme.h"
#include "registers.h"
#include "status.h"

void nvme_build_rw(struct nvme_sqe *sqe, uint8_t opc, uint16_t cid, uint32_t nsid,
		   uint64_t slba, uint32_t nlb, uint64_t prp1, uint64_t prp2)
{
	sqe->cdw0 = htole32(NVME_SQE_CDW0(opc, cid));
	sqe->nsid = htole32(nsid);
	sqe->prp1 = htole64(prp1);
	sqe->prp2 = htole64(prp2);
	sqe->cdw10 = htole32((uint32_t)slba); /* SLBA, low and high dwords */
	sqe->cdw11 = htole32((uint32_t)(slba >> 32));
	sqe->cdw12 = htole32((nlb - 1) & 0xffff); /* NLB is zero-based */
}

void nvme_build_flush(struct nvme_sqe *sqe, uint16_t cid, uint32_t nsid)
{
	sqe->cdw0 = htole32(NVME_SQE_CDW0(NVME_CMD_FLUSH, cid));
	sqe->nsid = htole32(nsid);
}

unsigned nvme_reap(struct nvme_qpair *qp, unsigned max,
		   void (*fn)(void *ctx, const struct nvme_cqe *cqe), void *ctx)
{
	const struct nvme_cqe *cqe;
	unsigned n = 0;

	while (n < max && (cqe = cq_peek(&qp->cq))) {
		qp->sq.head = le16toh(cqe->sqhd);
		fn(ctx, cqe);
		cq_pop(&qp->cq);
		n++;
	}
	if (n)
		cq_ring_doorbell(&qp->cq);
	return n;
}

struct one_cqe {
	struct nvme_cqe cqe;
	unsigned seen;
};

static void keep_cqe(void *ctx, const struct nvme_cqe *cqe)
{
	struct one_cqe *o = ctx;

	o->cqe = *cqe;
	o->seen++;
}

int nvme_flush_sync(struct nvme_ctrl *c, struct nvme_qpair *qp, uint32_t nsid, uint16_t cid,
		    unsigned timeout_ms, struct tl_error *e)
{
	struct timespec start, now;
	struct one_cqe o = { .seen = 0 };
	struct nvme_sqe *sqe = sq_push(&qp->sq);
	uint16_t status;
	char st[160];

	if (!sqe)
		return tl_err(e, "%s: I/O queue %u is full, cannot submit Flush", c->addr, qp->qid);
	nvme_build_flush(sqe, cid, nsid);
	sq_ring_doorbell(&qp->sq);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!nvme_reap(qp, 1, keep_cqe, &o)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    (long)timeout_ms)
			return tl_err(e, "%s: Flush on I/O queue %u did not complete within %u ms",
				      c->addr, qp->qid, timeout_ms);
	}
	status = le16toh(o.cqe.status);
	if (!NVME_STATUS_OK(status))
		return tl_err(e, "%s: Flush (NSID %u) on I/O queue %u failed: %s", c->addr, nsid,
			      qp->qid, nvme_status_format(status, st, sizeof(st)));
	return 0;
}
