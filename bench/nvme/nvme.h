/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One NVMe controller driven from userspace: its registers (controller.c),
 * its admin queue and admin commands (admin.c). I/O queue pairs are
 * created here and used by io.c and run.c.
 */
#ifndef NVME_NVME_H
#define NVME_NVME_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "queue.h"

struct tl_error;

#define NVME_PAGE 4096u          /* memory page size: CC.MPS = 0 */
#define NVME_ADMIN_ENTRIES 32u   /* admin SQ and CQ depth */
#define NVME_ADMIN_TIMEOUT_MS 30000u

/* Set by the SIGINT/SIGTERM handler: stop submitting, drain, clean up. */
extern volatile sig_atomic_t nvme_stop;

struct nvme_ctrl {
	const char *addr;           /* PCI address, for messages */
	volatile void *bar;         /* BAR0 */
	uint64_t bar_size;
	uint64_t cap;
	uint32_t vs;
	unsigned dstrd;             /* doorbell stride in bytes: 4 << CAP.DSTRD */
	unsigned timeout_ms;        /* CAP.TO in ms: the most CSTS.RDY may take */
	bool enabled;               /* CC.EN written as 1 by us */

	struct nvme_qpair admin;
	uint16_t admin_cid;
	void *id_buf;               /* one page for Identify data */
	uint64_t id_iova;

	/* Identify Controller */
	uint16_t vid;
	char sn[21], mn[41], fr[9];
	uint64_t max_transfer;      /* bytes per command (MDTS), UINT64_MAX if unlimited */
	uint32_t nn;                /* namespaces */
	bool vwc;                   /* volatile write cache: Flush matters */
};

struct nvme_ns {
	uint32_t nsid;
	uint64_t nsze;              /* logical blocks */
	uint32_t lba_size;          /* bytes */
	unsigned lbaf;              /* LBA format index in use */
};

/* controller.c */

/* Read CAP and VS and check the controller is one we can drive. */
int nvme_ctrl_init(struct nvme_ctrl *c, const char *addr, volatile void *bar, uint64_t bar_size,
		   struct tl_error *e);

/* CC.EN = 0 and wait for CSTS.RDY = 0 (CAP.TO). Safe to call when disabled. */
int nvme_ctrl_disable(struct nvme_ctrl *c, struct tl_error *e);

/* Program AQA/ASQ/ACQ from c->admin, set CC (EN, 4 KiB pages, 64/16-byte
 * entries) and wait for CSTS.RDY = 1. The controller must be disabled. */
int nvme_ctrl_enable(struct nvme_ctrl *c, struct tl_error *e);

/* Wait until CSTS.RDY == rdy, at most CAP.TO; errors say how long was waited. */
int nvme_ctrl_wait_ready(struct nvme_ctrl *c, bool rdy, struct tl_error *e);

/* admin.c */

/* Submit one admin command and poll for its completion; a status other
 * than success is an error naming the command (what) and the status. */
int nvme_admin_cmd(struct nvme_ctrl *c, const struct nvme_sqe *cmd, const char *what,
		   struct nvme_cqe *out, struct tl_error *e);

int nvme_identify_ctrl(struct nvme_ctrl *c, struct tl_error *e);
int nvme_identify_ns(struct nvme_ctrl *c, uint32_t nsid, struct nvme_ns *ns, struct tl_error *e);

/* Ask for n I/O queue pairs (Set Features, Number of Queues); *granted
 * is what the controller allocated (may be more or fewer). */
int nvme_set_num_queues(struct nvme_ctrl *c, unsigned n, unsigned *granted, struct tl_error *e);

/* Create I/O CQ then I/O SQ for qp (polled: interrupts disabled). */
int nvme_create_io_qpair(struct nvme_ctrl *c, struct nvme_qpair *qp, struct tl_error *e);

/* Delete I/O SQ then I/O CQ. */
int nvme_delete_io_qpair(struct nvme_ctrl *c, struct nvme_qpair *qp, struct tl_error *e);

#endif
