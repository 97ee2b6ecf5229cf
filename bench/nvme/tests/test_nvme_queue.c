// SPDX-License-Identifier: GPL-2.0-only
/* Queue indices, full SQ, phase tag and its flip at each CQ wrap, doorbells. */
#include <string.h>

#include "io.h"
#include "queue.h"
#include "ktap.h"

#define ENTRIES 4

static struct nvme_sqe sq_ring[ENTRIES];
static struct nvme_cqe cq_ring[ENTRIES];
static uint32_t bar[0x1100 / 4];

/* The controller's side: post a completion at its CQ tail with its phase. */
struct fake_ctrl {
	uint16_t cq_tail;
	uint8_t phase;
};

static void post(struct fake_ctrl *f, uint16_t cid, uint16_t sqhd)
{
	struct nvme_cqe *c = &cq_ring[f->cq_tail];

	c->cid = htole16(cid);
	c->sqhd = htole16(sqhd);
	c->status = htole16(f->phase); /* success, phase tag */
	if (++f->cq_tail == ENTRIES) {
		f->cq_tail = 0;
		f->phase ^= 1;
	}
}

static unsigned reaped;
static uint16_t last_cid;

static void count(void *ctx, const struct nvme_cqe *cqe)
{
	(void)ctx;
	reaped++;
	last_cid = le16toh(cqe->cid);
}

int main(void)
{
	struct nvme_qpair qp;
	struct fake_ctrl f = { 0, 1 };
	bool ok = true;

	qpair_init(&qp, 1, ENTRIES, sq_ring, 0x1000, cq_ring, 0x2000, bar, 4);
	report(qp.sq.db == &bar[(0x1000 + 2 * 4) / 4] && qp.cq.db == &bar[(0x1000 + 3 * 4) / 4],
	       "queue 1, stride 4: SQ1TDBL at 0x1008, CQ1HDBL at 0x100c");
	qpair_init(&qp, 2, ENTRIES, sq_ring, 0x1000, cq_ring, 0x2000, bar, 16);
	report(qp.sq.db == &bar[(0x1000 + 4 * 16) / 4] && qp.cq.db == &bar[(0x1000 + 5 * 16) / 4],
	       "queue 2, CAP.DSTRD 2 (16 bytes): SQ2TDBL at 0x1040, CQ2HDBL at 0x1050");
	qpair_init(&qp, 1, ENTRIES, sq_ring, 0x1000, cq_ring, 0x2000, bar, 4);

	report(qp.cq.phase == 1 && cq_peek(&qp.cq) == NULL, "zeroed CQ: nothing new, phase 1 expected");
	for (int i = 0; i < ENTRIES - 1; i++)
		ok &= sq_push(&qp.sq) != NULL;
	report(ok && sq_full(&qp.sq) && sq_push(&qp.sq) == NULL && sq_used(&qp.sq) == 3,
	       "an SQ of 4 entries takes 3 commands, then is full");
	sq_ring_doorbell(&qp.sq);
	report(le32toh(*qp.sq.db) == 3, "SQ1TDBL written with tail 3");
	*qp.sq.db = 0xdead;
	sq_ring_doorbell(&qp.sq);
	report(*qp.sq.db == 0xdead, "no doorbell write when the tail has not moved");

	/* three rounds through the ring: the phase must flip at every wrap */
	ok = true;
	for (unsigned round = 0; round < 3 * ENTRIES; round++) {
		uint8_t phase_before = qp.cq.phase;

		post(&f, (uint16_t)round, (uint16_t)((round + 1) % ENTRIES));
		reaped = 0;
		ok &= nvme_reap(&qp, 8, count, NULL) == 1 && last_cid == round;
		ok &= qp.cq.head == (round + 1) % ENTRIES;
		ok &= qp.cq.phase == (qp.cq.head == 0 ? !phase_before : phase_before);
		ok &= le32toh(*qp.cq.db) == qp.cq.head;
		ok &= nvme_reap(&qp, 8, count, NULL) == 0; /* old entry, old phase: not new */
	}
	report(ok, "12 completions one at a time: each seen once, head and phase wrap, CQ1HDBL follows");

	/* a burst that wraps in the middle */
	post(&f, 100, 0);
	post(&f, 101, 0);
	post(&f, 102, 0);
	reaped = 0;
	report(nvme_reap(&qp, 8, count, NULL) == 3 && last_cid == 102 && qp.cq.head == 3,
	       "a burst of 3 reaped together");
	post(&f, 103, 0);
	post(&f, 104, 0);
	reaped = 0;
	report(nvme_reap(&qp, 1, count, NULL) == 1 && last_cid == 103 && qp.cq.head == 0 &&
		       qp.cq.phase == 1,
	       "max 1: takes one, wraps to head 0, phase flips (0 after 3 wraps, now 1)");
	report(nvme_reap(&qp, 8, count, NULL) == 1 && last_cid == 104 && qp.sq.head == 0,
	       "the rest after the wrap; SQ head follows SQHD");

	qp.sq.head = 2;
	qp.sq.tail = 1;
	report(sq_used(&qp.sq) == 3 && sq_full(&qp.sq), "SQ tail behind head (wrapped): 3 used, full");
	qp.sq.head = 1;
	report(sq_used(&qp.sq) == 0 && !sq_full(&qp.sq), "tail == head: empty");
	return report_summary();
}
