// SPDX-License-Identifier: GPL-2.0-only
/*
 * The I/O loop: one thread, every queue pair in turn; reap completions,
 * then refill idle groups (map, build commands, one doorbell write per
 * queue per pass). Polled: interrupts are off on every queue.
 */
#include <stdio.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "io.h"
#include "perf.h"
#include "prp.h"
#include "registers.h"
#include "status.h"

/* What the completion callback needs. */
struct reap_ctx {
	struct perf *p;
	struct queue_ctx *q;
	struct run_stats *st;
	bool pattern;
};

void run_stats_init(struct run_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (int op = 0; op < OP_COUNT; op++)
		hist_init(&st->lat[op]);
	hist_init(&st->map_call);
	hist_init(&st->unmap_call);
}

static void first_error(struct run_stats *st, const char *msg)
{
	if (!st->first_error[0])
		snprintf(st->first_error, sizeof(st->first_error), "%s", msg);
}

static bool mapping(const struct perf *p)
{
	return p->mode != DMA_PREMAPPED;
}

/* Timed VFIO map / unmap of a group's first len bytes. */
static int group_map(struct perf *p, struct queue_ctx *q, struct group *g, uint64_t len,
		     struct run_stats *st)
{
	struct tl_error e;
	uint64_t t0 = timing_ticks(), ns;
	int ret = dma_map_range(p->space, &q->data, g->first * p->slot_bytes, len, &e);

	ns = (uint64_t)timing_ns(timing_ticks() - t0);
	if (ret) {
		st->map_errors++;
		first_error(st, e.msg);
		return -1;
	}
	hist_add(&st->map_call, ns);
	st->map_ns += (double)ns;
	st->map_calls++;
	g->mapped_len = len;
	return 0;
}

static void group_unmap(struct perf *p, struct queue_ctx *q, struct group *g,
			struct run_stats *st)
{
	struct tl_error e;
	uint64_t t0 = timing_ticks(), ns;
	int ret = dma_unmap_range(p->space, &q->data, g->first * p->slot_bytes, g->mapped_len, &e);

	ns = (uint64_t)timing_ns(timing_ticks() - t0);
	if (ret) {
		st->map_errors++;
		first_error(st, e.msg);
		return; /* leave mapped_len: run_unmap_all tries again */
	}
	hist_add(&st->unmap_call, ns);
	st->unmap_ns += (double)ns;
	st->unmap_calls++;
	g->mapped_len = 0;
}

static void on_completion(void *ctx, const struct nvme_cqe *cqe)
{
	struct reap_ctx *r = ctx;
	struct queue_ctx *q = r->q;
	struct run_stats *st = r->st;
	uint16_t cid = le16toh(cqe->cid), status = le16toh(cqe->status);
	uint64_t now = timing_ticks();
	struct slot *s;
	struct group *g;
	int op;
	char msg[512], sts[160];

	if (cid >= q->nslots || !q->slots[cid].busy) {
		snprintf(msg, sizeof(msg), "%s: I/O queue %u: completion for CID %u, which is not "
			 "in flight", r->p->ctrl->addr, q->qp.qid, cid);
		st->io_errors++;
		first_error(st, msg);
		return;
	}
	s = &q->slots[cid];
	s->busy = false;
	q->inflight--;
	op = s->io.opc == NVME_CMD_READ ? OP_READ : OP_WRITE;
	if (!NVME_STATUS_OK(status)) {
		snprintf(msg, sizeof(msg), "%s: %s of LBA %llu+%u (NSID %u) on I/O queue %u, CID %u "
			 "failed: %s", r->p->ctrl->addr, nvme_io_opcode_name(s->io.opc),
			 (unsigned long long)s->io.slba, s->io.nlb, r->p->ns->nsid, q->qp.qid, cid,
			 nvme_status_format(status, sts, sizeof(sts)));
		st->io_errors++;
		first_error(st, msg);
	} else {
		struct mismatch m;

		hist_add(&st->lat[op], (uint64_t)timing_ns(now - s->t0)); /* successes only */
		st->ios[op]++;
		st->bytes[op] += (uint64_t)s->io.nlb * r->p->ns->lba_size;
		if (r->pattern && op == OP_READ &&
		    !pattern_check(s->buf, s->io.slba, s->io.nlb, r->p->ns->lba_size, r->p->seed,
				   &m)) {
			if (!st->verify_mismatches || m.lba < st->first_mismatch.lba)
				st->first_mismatch = m;
			st->verify_mismatches++;
		}
	}
	g = &q->groups[cid / r->p->batch];
	if (--g->inflight == 0 && g->mapped_len)
		group_unmap(r->p, q, g, st);
}

/* Start I/Os in the idle groups of q; false when the workload ran out. */
static bool refill(struct perf *p, struct queue_ctx *q, struct workload *w, bool pattern,
		   struct run_stats *st)
{
	uint32_t lba_size = p->ns->lba_size;
	bool more = true;

	for (unsigned gi = 0; gi < q->ngroups && more; gi++) {
		struct group *g = &q->groups[gi];
		struct io_desc io[g->size];
		unsigned n = 0;
		uint64_t t0;

		if (g->inflight || g->mapped_len)
			continue;
		while (n < g->size && (more = workload_next(w, &io[n])))
			n++;
		if (n == 0)
			break;
		t0 = timing_ticks();
		if (mapping(p) && group_map(p, q, g, n * p->slot_bytes, st))
			return false;
		for (unsigned i = 0; i < n; i++) {
			struct slot *s = &q->slots[g->first + i];
			uint64_t len = (uint64_t)io[i].nlb * lba_size, prp1, prp2;
			struct nvme_sqe *sqe;
			struct tl_error e;

			if (pattern && io[i].opc == NVME_CMD_WRITE)
				pattern_fill(s->buf, io[i].slba, io[i].nlb, lba_size, p->seed);
			else if (pattern)
				memset(s->buf, 0xa5, len); /* a read that moves nothing must not pass */
			if (prp_build(s->iova, len, NVME_PAGE, s->prp_list, s->prp_list_iova,
				      p->prp_pages, &prp1, &prp2, &e) ||
			    !(sqe = sq_push(&q->qp.sq))) {
				/* cannot happen with qd < entries; say so if it does */
				first_error(st, "internal: no SQ entry or PRP space for a slot");
				st->io_errors++;
				n = i; /* what was built still goes out and completes */
				more = false;
				break;
			}
			nvme_build_rw(sqe, io[i].opc, (uint16_t)(g->first + i), p->ns->nsid,
				      io[i].slba, io[i].nlb, prp1, prp2);
			s->io = io[i];
			s->t0 = t0;
			s->busy = true;
		}
		g->inflight = n;
		q->inflight += n;
		if (n == 0 && g->mapped_len)
			group_unmap(p, q, g, st);
	}
	sq_ring_doorbell(&q->qp.sq);
	return more;
}

int run_phase(struct perf *p, struct workload *w, double time_s, bool pattern,
	      struct run_stats *st, struct tl_error *e)
{
	uint64_t hz = timing_hz(), start = timing_ticks(), now = start, last = start;
	uint64_t deadline = time_s > 0 ? start + (uint64_t)(time_s * (double)hz) : UINT64_MAX;
	uint64_t timeout = (uint64_t)p->io_timeout_ms * hz / 1000;
	bool submitting = true;

	for (;;) {
		unsigned inflight = 0;

		for (unsigned i = 0; i < p->nq; i++) {
			struct reap_ctx r = { p, &p->q[i], st, pattern };

			if (nvme_reap(&p->q[i].qp, p->q[i].nslots, on_completion, &r))
				last = now;
		}
		if (nvme_stop) {
			st->interrupted = true;
			submitting = false;
		}
		/* the first failed command or map stops new submissions */
		if (now >= deadline || st->io_errors || st->map_errors)
			submitting = false;
		for (unsigned i = 0; i < p->nq && submitting; i++)
			submitting = refill(p, &p->q[i], w, pattern, st);
		for (unsigned i = 0; i < p->nq; i++)
			inflight += p->q[i].inflight;
		now = timing_ticks();
		if (!inflight) {
			if (!submitting)
				break;
			last = now;
		} else if (now - last > timeout) {
			st->timeouts++;
			st->ticks += now - start;
			tl_err(e, "%s: %u commands outstanding and no completion for %u s (CSTS 0x%x)",
			       p->ctrl->addr, inflight, p->io_timeout_ms / 1000,
			       nvme_read32(p->ctrl->bar, NVME_REG_CSTS));
			return -1;
		}
	}
	st->ticks += now - start;
	return 0;
}

void run_unmap_all(struct perf *p)
{
	for (unsigned i = 0; i < p->nq; i++) {
		struct queue_ctx *q = &p->q[i];

		for (unsigned g = 0; q->groups && g < q->ngroups; g++) {
			struct tl_error e;

			if (!q->groups[g].mapped_len)
				continue;
			if (dma_unmap_range(p->space, &q->data, q->groups[g].first * p->slot_bytes,
					    q->groups[g].mapped_len, &e))
				fprintf(stderr, "nvme-perf: %s\n", e.msg);
			q->groups[g].mapped_len = 0;
		}
	}
}
