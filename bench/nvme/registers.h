/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NVMe controller registers, queue entries and opcodes, named as the NVM
 * Express Base Specification names them (2.0, section 3.1 and figures
 * of chapter 4/5). Only what nvme-perf uses.
 *
 * Registers and queue entries are little-endian; the accessors convert,
 * so the code reads the same on a big-endian host.
 */
#ifndef NVME_REGISTERS_H
#define NVME_REGISTERS_H

#include <endian.h>
#include <stdint.h>

/* Controller registers: offsets in BAR0 */
#define NVME_REG_CAP 0x00  /* Controller Capabilities, 64-bit */
#define NVME_REG_VS 0x08   /* Version */
#define NVME_REG_INTMS 0x0c
#define NVME_REG_INTMC 0x10
#define NVME_REG_CC 0x14   /* Controller Configuration */
#define NVME_REG_CSTS 0x1c /* Controller Status */
#define NVME_REG_AQA 0x24  /* Admin Queue Attributes */
#define NVME_REG_ASQ 0x28  /* Admin Submission Queue Base Address, 64-bit */
#define NVME_REG_ACQ 0x30  /* Admin Completion Queue Base Address, 64-bit */
#define NVME_REG_DBS 0x1000 /* first doorbell: SQ0TDBL */

/* CAP fields */
#define NVME_CAP_MQES(cap) ((unsigned)((cap) & 0xffff))         /* max entries - 1 */
#define NVME_CAP_CQR(cap) ((unsigned)(((cap) >> 16) & 1))       /* contiguous queues required */
#define NVME_CAP_TO(cap) ((unsigned)(((cap) >> 24) & 0xff))     /* ready timeout, 500 ms units */
#define NVME_CAP_DSTRD(cap) ((unsigned)(((cap) >> 32) & 0xf))   /* doorbell stride 2^(2+n) */
#define NVME_CAP_CSS(cap) ((unsigned)(((cap) >> 37) & 0xff))    /* command sets supported */
#define NVME_CAP_MPSMIN(cap) ((unsigned)(((cap) >> 48) & 0xf))  /* min page 2^(12+n) */
#define NVME_CAP_MPSMAX(cap) ((unsigned)(((cap) >> 52) & 0xf))
#define NVME_CAP_CSS_NVM 0x01

/* CC fields */
#define NVME_CC_EN (1u << 0)
#define NVME_CC_CSS_NVM (0u << 4)
#define NVME_CC_MPS(shift) ((uint32_t)((shift) - 12) << 7)
#define NVME_CC_AMS_RR (0u << 11)
#define NVME_CC_SHN_MASK (3u << 14)
#define NVME_CC_IOSQES(n) ((uint32_t)(n) << 16) /* log2 of the SQ entry size */
#define NVME_CC_IOCQES(n) ((uint32_t)(n) << 20)

/* CSTS fields */
#define NVME_CSTS_RDY (1u << 0)
#define NVME_CSTS_CFS (1u << 1) /* Controller Fatal Status */
#define NVME_CSTS_SHST(csts) (((csts) >> 2) & 3)

/* AQA: admin queue sizes, zero-based */
#define NVME_AQA(sq_entries, cq_entries) \
	((uint32_t)((sq_entries) - 1) | ((uint32_t)((cq_entries) - 1) << 16))

/* SQyTDBL / CQyHDBL offsets for queue y with a doorbell stride of dstrd bytes */
static inline uint32_t nvme_sq_tdbl(unsigned y, unsigned dstrd)
{
	return NVME_REG_DBS + (2 * y) * dstrd;
}

static inline uint32_t nvme_cq_hdbl(unsigned y, unsigned dstrd)
{
	return NVME_REG_DBS + (2 * y + 1) * dstrd;
}

/* Register access. Stores need a full barrier before them (queue entries
 * in memory must be visible before the doorbell): see nvme_mb(). */
static inline uint32_t nvme_read32(volatile void *bar, uint32_t off)
{
	return le32toh(*(volatile uint32_t *)((volatile uint8_t *)bar + off));
}

static inline void nvme_write32(volatile void *bar, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)((volatile uint8_t *)bar + off) = htole32(v);
}

/* 64-bit registers as two 32-bit accesses, low half first: every
 * controller must accept that, not every one 8-byte accesses. */
static inline uint64_t nvme_read64(volatile void *bar, uint32_t off)
{
	uint64_t lo = nvme_read32(bar, off);

	return lo | (uint64_t)nvme_read32(bar, off + 4) << 32;
}

static inline void nvme_write64(volatile void *bar, uint32_t off, uint64_t v)
{
	nvme_write32(bar, off, (uint32_t)v);
	nvme_write32(bar, off + 4, (uint32_t)(v >> 32));
}

/* Order memory stores before an MMIO store (hwsync on POWER, mfence on x86). */
static inline void nvme_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Order the read of a CQE's phase tag before reading the rest of it. */
static inline void nvme_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* Submission queue entry: 64 bytes (CC.IOSQES = 6) */
struct nvme_sqe {
	uint32_t cdw0; /* OPC 7:0, FUSE 9:8, PSDT 15:14, CID 31:16 */
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr;
	uint64_t prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

/* Completion queue entry: 16 bytes (CC.IOCQES = 4) */
struct nvme_cqe {
	uint32_t dw0; /* command specific */
	uint32_t dw1;
	uint16_t sqhd; /* SQ head pointer */
	uint16_t sqid;
	uint16_t cid;
	uint16_t status; /* P (phase tag) bit 0, SC 8:1, SCT 11:9, CRD 13:12, M 14, DNR 15 */
};

_Static_assert(sizeof(struct nvme_sqe) == 64, "SQE is 64 bytes");
_Static_assert(sizeof(struct nvme_cqe) == 16, "CQE is 16 bytes");

#define NVME_SQES_LOG2 6
#define NVME_CQES_LOG2 4

#define NVME_SQE_CDW0(opc, cid) ((uint32_t)(opc) | ((uint32_t)(cid) << 16))

/* The status field of a CQE, phase tag included (host order) */
#define NVME_STATUS_P(st) ((st) & 1u)
#define NVME_STATUS_SC(st) (((st) >> 1) & 0xffu)
#define NVME_STATUS_SCT(st) (((st) >> 9) & 0x7u)
#define NVME_STATUS_M(st) (((st) >> 14) & 1u)
#define NVME_STATUS_DNR(st) (((st) >> 15) & 1u)
#define NVME_STATUS_OK(st) ((((st) >> 1) & 0x7ff) == 0) /* SCT = SC = 0 */

/* Admin command opcodes */
#define NVME_ADMIN_DELETE_SQ 0x00
#define NVME_ADMIN_CREATE_SQ 0x01
#define NVME_ADMIN_DELETE_CQ 0x04
#define NVME_ADMIN_CREATE_CQ 0x05
#define NVME_ADMIN_IDENTIFY 0x06
#define NVME_ADMIN_SET_FEATURES 0x09

/* NVM command set opcodes */
#define NVME_CMD_FLUSH 0x00
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ 0x02

/* Identify: CNS values and the fields read (byte offsets) */
#define NVME_CNS_NAMESPACE 0x00
#define NVME_CNS_CONTROLLER 0x01
#define NVME_ID_CTRL_VID 0
#define NVME_ID_CTRL_SN 4    /* 20 bytes, ASCII, space padded */
#define NVME_ID_CTRL_MN 24   /* 40 bytes */
#define NVME_ID_CTRL_FR 64   /* 8 bytes */
#define NVME_ID_CTRL_MDTS 77 /* max transfer: 2^n units of CAP.MPSMIN; 0 = no limit */
#define NVME_ID_CTRL_NN 516  /* number of namespaces */
#define NVME_ID_CTRL_VWC 525 /* volatile write cache present: bit 0 */
#define NVME_ID_NS_NSZE 0    /* size in logical blocks */
#define NVME_ID_NS_NLBAF 25  /* number of LBA formats, zero-based */
#define NVME_ID_NS_FLBAS 26  /* format in use: bits 3:0, 6:5 high bits; bit 4 extended LBA */
#define NVME_ID_NS_LBAF 128  /* LBA formats, 4 bytes each: MS 15:0, LBADS 23:16, RP 25:24 */

/* Features */
#define NVME_FEAT_NUM_QUEUES 0x07

/* Create I/O queue, CDW11 */
#define NVME_CREATE_PC (1u << 0) /* physically contiguous */

#endif
