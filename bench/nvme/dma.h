/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA memory for the device: host memory with an IOVA, mapped into the
 * IOMMU through the VFIO container.
 *
 *   sPAPR v2  memory is pre-registered (pinned and accounted) once when it
 *             is allocated; a map then only writes TCEs.
 *   sPAPR v1  every map pins and writes TCEs.
 *   type1     every map pins and writes IOMMU page tables.
 *
 * IOVAs come from a bump allocator: on sPAPR inside the default 32-bit
 * window, on type1 anywhere (above 4 GiB, clear of x86's MSI range).
 * Each area keeps its IOVA whether it is mapped or not, so map-per-io
 * maps the same buffer at the same place each time, as a kernel driver
 * with a fixed pool would.
 */
#ifndef NVME_DMA_H
#define NVME_DMA_H

#include <stdbool.h>
#include <stdint.h>

struct tl_error;
struct vfio_dev;

enum dma_mode {
	DMA_PREMAPPED,  /* data buffers mapped once at start */
	DMA_MAP_PER_IO, /* each I/O maps its buffer before submission, unmaps after completion */
	DMA_MAP_BATCH,  /* N buffers mapped per map call, unmapped together when all complete */
};

const char *dma_mode_name(enum dma_mode m);

struct dma_space {
	struct vfio_dev *dev;
	uint64_t base, end, next; /* IOVA space [base, end), next free */
};

struct dma_area {
	void *va;
	uint64_t iova, size;
	bool registered; /* sPAPR v2 pre-registration done */
	bool mapped;     /* the whole area is mapped (dma_area_map_all) */
};

/* The IOVA space of the device's container (after vfio_open). */
int dma_space_init(struct dma_space *s, struct vfio_dev *d, struct tl_error *e);

/* Zeroed, page-aligned memory of size bytes (rounded up to 4 KiB) with an
 * IOVA reserved for it; pre-registered on sPAPR v2. Not mapped yet. */
int dma_area_alloc(struct dma_space *s, uint64_t size, const char *what, struct dma_area *a,
		   struct tl_error *e);

/* Map or unmap [off, off + len) of the area at its IOVA: one VFIO call. */
int dma_map_range(struct dma_space *s, struct dma_area *a, uint64_t off, uint64_t len,
		  struct tl_error *e);
int dma_unmap_range(struct dma_space *s, struct dma_area *a, uint64_t off, uint64_t len,
		    struct tl_error *e);

int dma_area_map_all(struct dma_space *s, struct dma_area *a, struct tl_error *e);

/* Unmap (if mapped as a whole), unregister and free; errors are reported
 * to stderr and otherwise ignored: this runs on the way out. */
void dma_area_free(struct dma_space *s, struct dma_area *a);

#endif
