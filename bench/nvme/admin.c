// SPDX-License-Identifier: GPL-2.0-only
/* Admin commands, one at a time on the admin queue, polled. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tcelab/error.h"
#include "io.h"
#include "nvme.h"
#include "registers.h"
#include "status.h"

struct admin_wait {
	uint16_t cid;
	bool done;
	struct nvme_cqe cqe;
};

static void admin_cqe(void *ctx, const struct nvme_cqe *cqe)
{
	struct admin_wait *w = ctx;

	if (le16toh(cqe->cid) == w->cid) {
		w->cqe = *cqe;
		w->done = true;
	}
}

int nvme_admin_cmd(struct nvme_ctrl *c, const struct nvme_sqe *cmd, const char *what,
		   struct nvme_cqe *out, struct tl_error *e)
{
	struct admin_wait w = { .cid = c->admin_cid++ };
	struct timespec start, now, pause = { 0, 10000 };
	struct nvme_sqe *sqe = sq_push(&c->admin.sq);
	uint16_t status;
	char st[160];

	if (!sqe)
		return tl_err(e, "%s: admin queue full, cannot submit %s", c->addr, what);
	*sqe = *cmd;
	sqe->cdw0 = htole32((le32toh(cmd->cdw0) & 0xffff) | ((uint32_t)w.cid << 16));
	sq_ring_doorbell(&c->admin.sq);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!w.done) {
		if (nvme_reap(&c->admin, NVME_ADMIN_ENTRIES, admin_cqe, &w))
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    NVME_ADMIN_TIMEOUT_MS)
			return tl_err(e, "%s: %s did not complete within %u s (CSTS 0x%x)", c->addr,
				      what, NVME_ADMIN_TIMEOUT_MS / 1000,
				      nvme_read32(c->bar, NVME_REG_CSTS));
		nanosleep(&pause, NULL);
	}
	status = le16toh(w.cqe.status);
	if (!NVME_STATUS_OK(status))
		return tl_err(e, "%s: %s failed: %s", c->addr, what,
			      nvme_status_format(status, st, sizeof(st)));
	if (out)
		*out = w.cqe;
	return 0;
}

/* An ASCII field of Identify data, trailing blanks dropped. */
static void id_string(const uint8_t *id, unsigned off, unsigned len, char *out)
{
	memcpy(out, id + off, len);
	out[len] = '\0';
	while (len && (out[len - 1] == ' ' || out[len - 1] == '\0'))
		out[--len] = '\0';
}

static uint32_t id_le32(const uint8_t *id, unsigned off)
{
	uint32_t v;

	memcpy(&v, id + off, sizeof(v));
	return le32toh(v);
}

static int identify(struct nvme_ctrl *c, uint8_t cns, uint32_t nsid, const char *what,
		    struct tl_error *e)
{
	struct nvme_sqe cmd = {
		.cdw0 = htole32(NVME_ADMIN_IDENTIFY),
		.nsid = htole32(nsid),
		.prp1 = htole64(c->id_iova), /* one page, page-aligned: PRP2 unused */
		.cdw10 = htole32(cns),
	};

	memset(c->id_buf, 0, NVME_PAGE);
	return nvme_admin_cmd(c, &cmd, what, NULL, e);
}

int nvme_identify_ctrl(struct nvme_ctrl *c, struct tl_error *e)
{
	const uint8_t *id = c->id_buf;
	uint16_t vid;

	if (identify(c, NVME_CNS_CONTROLLER, 0, "Identify Controller", e))
		return -1;
	memcpy(&vid, id + NVME_ID_CTRL_VID, 2);
	c->vid = le16toh(vid);
	id_string(id, NVME_ID_CTRL_SN, 20, c->sn);
	id_string(id, NVME_ID_CTRL_MN, 40, c->mn);
	id_string(id, NVME_ID_CTRL_FR, 8, c->fr);
	/* MDTS: 2^n units of the minimum page size; 0 = no limit */
	c->max_transfer = id[NVME_ID_CTRL_MDTS]
				  ? (4096ull << NVME_CAP_MPSMIN(c->cap)) << id[NVME_ID_CTRL_MDTS]
				  : UINT64_MAX;
	c->nn = id_le32(id, NVME_ID_CTRL_NN);
	c->vwc = id[NVME_ID_CTRL_VWC] & 1;
	return 0;
}

int nvme_identify_ns(struct nvme_ctrl *c, uint32_t nsid, struct nvme_ns *ns, struct tl_error *e)
{
	const uint8_t *id = c->id_buf;
	char what[64];
	uint64_t nsze;
	uint32_t lbaf;
	unsigned flbas, nlbaf, ms, lbads;

	if (nsid == 0 || nsid > c->nn)
		return tl_err(e, "%s: namespace %u out of bounds: the controller has namespaces 1 to "
				 "%u (Identify Controller NN)", c->addr, nsid, c->nn);
	snprintf(what, sizeof(what), "Identify Namespace %u", nsid);
	if (identify(c, NVME_CNS_NAMESPACE, nsid, what, e))
		return -1;
	memcpy(&nsze, id + NVME_ID_NS_NSZE, 8);
	nsze = le64toh(nsze);
	if (nsze == 0)
		return tl_err(e, "%s: namespace %u is not active (Identify Namespace NSZE = 0)",
			      c->addr, nsid);
	flbas = id[NVME_ID_NS_FLBAS];
	nlbaf = id[NVME_ID_NS_NLBAF];
	/* bits 6:5 extend the index only when there are more than 16 formats */
	ns->lbaf = (flbas & 0xf) | (nlbaf >= 16 ? ((flbas >> 5) & 3) << 4 : 0);
	lbaf = id_le32(id, NVME_ID_NS_LBAF + 4 * ns->lbaf);
	ms = lbaf & 0xffff;
	lbads = (lbaf >> 16) & 0xff;
	if (lbads < 9 || lbads > 16)
		return tl_err(e, "%s: namespace %u: odd LBA data size 2^%u (LBA format %u)", c->addr,
			      nsid, lbads, ns->lbaf);
	if (ms)
		return tl_err(e, "%s: namespace %u has %u bytes of metadata per block (LBA format "
				 "%u); nvme-perf does not handle metadata", c->addr, nsid, ms,
			      ns->lbaf);
	ns->nsid = nsid;
	ns->nsze = nsze;
	ns->lba_size = 1u << lbads;
	return 0;
}

int nvme_set_num_queues(struct nvme_ctrl *c, unsigned n, unsigned *granted, struct tl_error *e)
{
	struct nvme_sqe cmd = {
		.cdw0 = htole32(NVME_ADMIN_SET_FEATURES),
		.cdw10 = htole32(NVME_FEAT_NUM_QUEUES),
		.cdw11 = htole32((n - 1) | ((n - 1) << 16)), /* NSQR, NCQR: zero-based */
	};
	struct nvme_cqe cqe;
	unsigned nsqa, ncqa;

	if (nvme_admin_cmd(c, &cmd, "Set Features (Number of Queues)", &cqe, e))
		return -1;
	nsqa = (le32toh(cqe.dw0) & 0xffff) + 1;
	ncqa = (le32toh(cqe.dw0) >> 16) + 1;
	*granted = nsqa < ncqa ? nsqa : ncqa;
	return 0;
}

int nvme_create_io_qpair(struct nvme_ctrl *c, struct nvme_qpair *qp, struct tl_error *e)
{
	uint32_t size_qid = ((uint32_t)(qp->sq.entries - 1) << 16) | qp->qid; /* QSIZE zero-based */
	struct nvme_sqe cq = {
		.cdw0 = htole32(NVME_ADMIN_CREATE_CQ),
		.prp1 = htole64(qp->cq.iova),
		.cdw10 = htole32(size_qid),
		.cdw11 = htole32(NVME_CREATE_PC), /* IEN = 0: polled */
	};
	struct nvme_sqe sq = {
		.cdw0 = htole32(NVME_ADMIN_CREATE_SQ),
		.prp1 = htole64(qp->sq.iova),
		.cdw10 = htole32(size_qid),
		.cdw11 = htole32(((uint32_t)qp->qid << 16) | NVME_CREATE_PC), /* CQID */
	};
	char what[64];

	if ((uint64_t)nvme_cq_hdbl(qp->qid, c->dstrd) + 4 > c->bar_size)
		return tl_err(e, "%s: the doorbells of queue %u lie beyond BAR0 (%llu bytes)", c->addr,
			      qp->qid, (unsigned long long)c->bar_size);
	snprintf(what, sizeof(what), "Create I/O Completion Queue %u (%u entries)", qp->qid,
		 qp->cq.entries);
	if (nvme_admin_cmd(c, &cq, what, NULL, e))
		return -1;
	snprintf(what, sizeof(what), "Create I/O Submission Queue %u (%u entries)", qp->qid,
		 qp->sq.entries);
	return nvme_admin_cmd(c, &sq, what, NULL, e);
}

int nvme_delete_io_qpair(struct nvme_ctrl *c, struct nvme_qpair *qp, struct tl_error *e)
{
	struct nvme_sqe sq = { .cdw0 = htole32(NVME_ADMIN_DELETE_SQ), .cdw10 = htole32(qp->qid) };
	struct nvme_sqe cq = { .cdw0 = htole32(NVME_ADMIN_DELETE_CQ), .cdw10 = htole32(qp->qid) };
	char what[64];

	snprintf(what, sizeof(what), "Delete I/O Submission Queue %u", qp->qid);
	if (nvme_admin_cmd(c, &sq, what, NULL, e))
		return -1;
	snprintf(what, sizeof(what), "Delete I/O Completion Queue %u", qp->qid);
	return nvme_admin_cmd(c, &cq, what, NULL, e);
}
