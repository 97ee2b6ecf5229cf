/* SPDX-License-Identifier: GPL-2.0-only */
/* nvme-perf's command line. */
#ifndef NVME_OPTIONS_H
#define NVME_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcelab/pci.h"
#include "tcelab/vfio.h"
#include "dma.h"
#include "workload.h"

struct options {
	char device[PCI_ADDR_LEN];
	enum workload_kind workload;
	unsigned rwmix_read;
	uint64_t bs;
	unsigned qd, queues;
	double time_s;        /* run length when ios == 0 */
	uint64_t ios;         /* I/O count; 0: run for time_s */
	uint32_t nsid;
	uint64_t lba_start;
	uint64_t lba_count;   /* 0: to the end of the namespace */
	enum vfio_iommu iommu;
	enum dma_mode dma;
	unsigned batch;       /* map-batch=N; 1 for map-per-io */
	bool verify;
	const char *json_path;
	const char *name;
	bool bind;
};

/* Parse argv into o (defaults first). Returns 0, or -1 with e set. Limits
 * that depend on the device (qd vs CAP.MQES, bs vs MDTS and the LBA size,
 * the LBA range vs the namespace) are checked once it is known. */
int parse_options(int argc, char **argv, struct options *o, struct tl_error *e);
void usage(FILE *f);

#endif
