/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One nvme-perf session: the device, the controller and the memory that
 * setup.c brings up and tears down, and what the run produced.
 */
#ifndef NVME_SESSION_H
#define NVME_SESSION_H

#include <stdbool.h>

#include "tcelab/vfio.h"
#include "tcelab/vfio_device.h"
#include "dma.h"
#include "nvme.h"
#include "options.h"
#include "perf.h"

#define NVME_CLASS 0x010802u /* mass storage, non-volatile memory, NVMe */
#define IO_TIMEOUT_MS 30000u
#define MAX_ERRORS 8

struct tl_error;

/* Everything session_teardown() needs, whichever step failed. */
struct session {
	struct options o;
	struct vfio_dev dev;
	bool dev_open, bus_master, ctrl_up;
	struct vfio_region bar;
	struct nvme_ctrl ctrl;
	struct nvme_ns ns;
	struct dma_space space;
	struct dma_area ctl; /* queue rings, PRP lists, Identify page: mapped once */
	struct perf perf;
	bool outstanding;    /* commands may still be in flight */
	struct run_stats st;
	char verdict[256];   /* --verify: printed after the numbers */
	char *errors[MAX_ERRORS];
	size_t nerrors;
};

/*
 * From a PCI address to I/O queues ready to use: class check, bind,
 * VFIO, BAR0, reset, bus mastering, controller disable, admin queue,
 * enable, Identify, limits, I/O queue pairs. On failure, what was set up
 * stays recorded in s for session_teardown().
 */
int session_bring_up(struct session *s, struct tl_error *e);

/* Every exit path after parsing ends here, whatever was set up: delete
 * the queues, disable the controller, bus mastering off, unmap, close. */
void session_teardown(struct session *s);

#endif
