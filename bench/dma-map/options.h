/* SPDX-License-Identifier: GPL-2.0-only */
/* dma-map's command line. */
#ifndef DMA_MAP_OPTIONS_H
#define DMA_MAP_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "tcelab/pci.h"
#include "tcelab/vfio.h"
#include "dma-map.h"

#define MAX_SIZES 32
#define MAX_SHIFTS 8

struct options {
	char device[PCI_ADDR_LEN];
	enum vfio_iommu iommu;
	uint64_t sizes[MAX_SIZES];
	size_t nsizes;
	unsigned page_shifts[MAX_SHIFTS];
	size_t nshifts;
	bool patterns[PATTERN_COUNT];
	size_t iterations;
	size_t warmup;
	size_t batch;
	const char *json_path;
	const char *name;
	bool bind;
	bool keep_samples;
};

/* Parse argv into o (defaults first). Returns 0, or -1 with e set. */
int parse_options(int argc, char **argv, struct options *o, struct tl_error *e);
void usage(FILE *f);

/* The largest of --sizes. */
uint64_t largest_size(const struct options *o);

#endif
