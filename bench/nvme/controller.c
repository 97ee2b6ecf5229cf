// SPDX-License-Identifier: GPL-2.0-only
/* Controller registers: capabilities, disable, enable (NVMe base spec 3.5.1). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "nvme.h"
#include "registers.h"

volatile sig_atomic_t nvme_stop;

int nvme_ctrl_init(struct nvme_ctrl *c, const char *addr, volatile void *bar, uint64_t bar_size,
		   struct tl_error *e)
{
	memset(c, 0, sizeof(*c));
	c->addr = addr;
	c->bar = bar;
	c->bar_size = bar_size;
	if (bar_size < NVME_REG_DBS + 8)
		return tl_err(e, "%s: BAR0 is %llu bytes, too small for NVMe registers", addr,
			      (unsigned long long)bar_size);
	c->cap = nvme_read64(bar, NVME_REG_CAP);
	c->vs = nvme_read32(bar, NVME_REG_VS);
	if (c->cap == UINT64_MAX)
		return tl_err(e, "%s: CAP reads all ones: the device does not respond (removed, or "
				 "in error recovery?)", addr);
	c->dstrd = 4u << NVME_CAP_DSTRD(c->cap);
	/* CAP.TO = 0 would mean "no time at all": give it one unit */
	c->timeout_ms = (NVME_CAP_TO(c->cap) ? NVME_CAP_TO(c->cap) : 1) * 500u;
	if (!(NVME_CAP_CSS(c->cap) & NVME_CAP_CSS_NVM))
		return tl_err(e, "%s: controller does not support the NVM command set (CAP.CSS 0x%x)",
			      addr, NVME_CAP_CSS(c->cap));
	if (NVME_CAP_MPSMIN(c->cap) > 0)
		return tl_err(e, "%s: controller's smallest memory page is %u KiB (CAP.MPSMIN); "
				 "nvme-perf uses 4 KiB pages", addr, 4u << NVME_CAP_MPSMIN(c->cap));
	return 0;
}

int nvme_ctrl_wait_ready(struct nvme_ctrl *c, bool rdy, struct tl_error *e)
{
	double start = timing_monotonic_s(), limit = c->timeout_ms / 1000.0;
	struct timespec ms = { 0, 1000000 };

	for (;;) {
		uint32_t csts = nvme_read32(c->bar, NVME_REG_CSTS);

		if (csts == UINT32_MAX)
			return tl_err(e, "%s: CSTS reads all ones while waiting for CSTS.RDY = %d: the "
					 "device does not respond", c->addr, rdy);
		if (rdy && (csts & NVME_CSTS_CFS))
			return tl_err(e, "%s: controller fatal status (CSTS.CFS = 1, CSTS 0x%x) while "
					 "enabling", c->addr, csts);
		if (!!(csts & NVME_CSTS_RDY) == rdy)
			return 0;
		if (timing_monotonic_s() - start > limit)
			return tl_err(e, "%s: %s: CSTS.RDY still %d %.1f s after CC.EN = %d "
					 "(CAP.TO allows %.1f s; CSTS 0x%x)", c->addr,
				      rdy ? "controller not ready" : "controller did not stop", !rdy,
				      timing_monotonic_s() - start, rdy, limit, csts);
		/* only the enable wait gives up on Ctrl-C; disabling must finish */
		if (rdy && nvme_stop)
			return tl_err(e, "%s: interrupted while waiting for CSTS.RDY = 1", c->addr);
		nanosleep(&ms, NULL);
	}
}

int nvme_ctrl_disable(struct nvme_ctrl *c, struct tl_error *e)
{
	uint32_t cc = nvme_read32(c->bar, NVME_REG_CC);

	if (cc & NVME_CC_EN)
		nvme_write32(c->bar, NVME_REG_CC, cc & ~NVME_CC_EN);
	c->enabled = false;
	/* also when EN was already 0: RDY may still be on its way down */
	return nvme_ctrl_wait_ready(c, false, e);
}

int nvme_ctrl_enable(struct nvme_ctrl *c, struct tl_error *e)
{
	uint32_t cc = NVME_CC_EN | NVME_CC_CSS_NVM | NVME_CC_MPS(12) | NVME_CC_AMS_RR |
		      NVME_CC_IOSQES(NVME_SQES_LOG2) | NVME_CC_IOCQES(NVME_CQES_LOG2);

	nvme_write32(c->bar, NVME_REG_AQA, NVME_AQA(c->admin.sq.entries, c->admin.cq.entries));
	nvme_write64(c->bar, NVME_REG_ASQ, c->admin.sq.iova);
	nvme_write64(c->bar, NVME_REG_ACQ, c->admin.cq.iova);
	nvme_mb(); /* admin queue registers before CC.EN */
	nvme_write32(c->bar, NVME_REG_CC, cc);
	c->enabled = true;
	return nvme_ctrl_wait_ready(c, true, e);
}
