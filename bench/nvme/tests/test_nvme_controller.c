// SPDX-License-Identifier: GPL-2.0-only
/*
 * The controller code against a BAR0 in plain memory: a controller that
 * never becomes ready (timeout from CAP.TO), one that reports fatal
 * status, registers programmed for enable, and an admin command that
 * completes with an error status.
 */
#include <string.h>

#include "tcelab/error.h"
#include "nvme.h"
#include "registers.h"
#include "ktap.h"

static uint32_t bar[0x2000 / 4];
static struct nvme_sqe asq[NVME_ADMIN_ENTRIES];
static struct nvme_cqe acq[NVME_ADMIN_ENTRIES];
static uint8_t id_page[NVME_PAGE];

/* CAP: MQES 63, CQR, TO 1 (500 ms), DSTRD 0, CSS NVM, MPSMIN 0 */
static const uint64_t cap_ok = 63 | 1ull << 16 | 1ull << 24 | 1ull << 37;

static void set_cap(uint64_t cap)
{
	memset(bar, 0, sizeof(bar));
	nvme_write64(bar, NVME_REG_CAP, cap);
	nvme_write32(bar, NVME_REG_VS, 0x00010400);
}

int main(void)
{
	struct nvme_ctrl c;
	struct nvme_ns ns;
	struct tl_error e;
	uint16_t status;

	set_cap(cap_ok);
	report(nvme_ctrl_init(&c, "0001:00:00.0", bar, sizeof(bar), &e) == 0 && c.dstrd == 4 &&
		       c.timeout_ms == 500 && NVME_CAP_MQES(c.cap) == 63 && c.vs == 0x10400,
	       "CAP decoded: stride 4, CAP.TO 500 ms, MQES 63");
	set_cap(cap_ok & ~(1ull << 37));
	report(nvme_ctrl_init(&c, "0001:00:00.0", bar, sizeof(bar), &e) &&
		       strstr(e.msg, "NVM command set"),
	       "no NVM command set: refused");
	set_cap(cap_ok | 1ull << 48);
	report(nvme_ctrl_init(&c, "0001:00:00.0", bar, sizeof(bar), &e) && strstr(e.msg, "MPSMIN"),
	       "8 KiB minimum page: refused");
	set_cap(UINT64_MAX);
	report(nvme_ctrl_init(&c, "0001:00:00.0", bar, sizeof(bar), &e) && strstr(e.msg, "all ones"),
	       "CAP all ones (device gone): refused");
	set_cap(cap_ok);
	report(nvme_ctrl_init(&c, "0001:00:00.0", bar, 0x800, &e) && strstr(e.msg, "too small"),
	       "BAR0 too small: refused");

	set_cap(cap_ok);
	nvme_ctrl_init(&c, "0001:00:00.0", bar, sizeof(bar), &e);
	report(nvme_ctrl_disable(&c, &e) == 0, "disable when already disabled and not ready: at once");
	nvme_write32(bar, NVME_REG_CC, NVME_CC_EN);
	nvme_write32(bar, NVME_REG_CSTS, NVME_CSTS_RDY);
	report(nvme_ctrl_disable(&c, &e) && strstr(e.msg, "0001:00:00.0: controller did not stop") &&
		       !(nvme_read32(bar, NVME_REG_CC) & NVME_CC_EN),
	       "CSTS.RDY stuck at 1: CC.EN cleared, then %s", e.msg);

	set_cap(cap_ok);
	nvme_ctrl_init(&c, "0001:00:00.0", bar, sizeof(bar), &e);
	qpair_init(&c.admin, 0, NVME_ADMIN_ENTRIES, asq, 0x10000, acq, 0x11000, bar, c.dstrd);
	report(nvme_ctrl_enable(&c, &e) && strstr(e.msg, "0001:00:00.0: controller not ready") &&
		       strstr(e.msg, "CAP.TO allows 0.5 s"),
	       "CSTS.RDY never 1: %s", e.msg);
	report(nvme_read32(bar, NVME_REG_AQA) == (31 | 31 << 16) &&
		       nvme_read64(bar, NVME_REG_ASQ) == 0x10000 &&
		       nvme_read64(bar, NVME_REG_ACQ) == 0x11000 &&
		       nvme_read32(bar, NVME_REG_CC) == 0x00460001,
	       "AQA, ASQ, ACQ programmed; CC = EN, NVM, 4 KiB pages, IOSQES 6, IOCQES 4");
	nvme_write32(bar, NVME_REG_CSTS, NVME_CSTS_CFS);
	report(nvme_ctrl_enable(&c, &e) && strstr(e.msg, "CSTS.CFS"), "fatal status: %s", e.msg);
	nvme_write32(bar, NVME_REG_CSTS, UINT32_MAX);
	report(nvme_ctrl_enable(&c, &e) && strstr(e.msg, "does not respond"),
	       "CSTS all ones: %s", e.msg);
	nvme_write32(bar, NVME_REG_CSTS, NVME_CSTS_RDY);
	report(nvme_ctrl_enable(&c, &e) == 0, "CSTS.RDY 1: enabled");

	/* an admin command whose completion (CID 0, phase 1) carries an error */
	c.id_buf = id_page;
	c.id_iova = 0x12000;
	c.nn = 1;
	c.admin_cid = 0;
	status = (uint16_t)(1 | 0x0b << 1 | 1u << 15); /* P, SC 0x0b, DNR */
	acq[0] = (struct nvme_cqe){ .cid = htole16(0), .sqhd = htole16(1), .status = htole16(status) };
	report(nvme_identify_ns(&c, 1, &ns, &e) &&
		       !strcmp(e.msg, "0001:00:00.0: Identify Namespace 1 failed: SCT 0x0 (Generic "
				      "Command Status), SC 0x0b (Invalid Namespace or Format), DNR"),
	       "error completion: %s", e.msg);
	report((le32toh(asq[0].cdw0) & 0xff) == NVME_ADMIN_IDENTIFY && le32toh(asq[0].nsid) == 1 &&
		       le32toh(asq[0].cdw10) == NVME_CNS_NAMESPACE &&
		       le64toh(asq[0].prp1) == 0x12000 && le32toh(*(uint32_t *)((uint8_t *)bar + 0x1000)) == 1,
	       "the SQE: Identify, NSID 1, CNS 0, PRP1 = the Identify page; SQ0TDBL = 1");
	report(nvme_identify_ns(&c, 2, &ns, &e) && strstr(e.msg, "namespace 2 out of bounds") &&
		       strstr(e.msg, "1 to 1"),
	       "NSID beyond NN, before any command: %s", e.msg);
	return report_summary();
}
