/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VFIO through the group interface: a container, the device's group and
 * (optionally) the device fd, with the IOMMU backends the suite measures:
 *
 *   sPAPR TCE v1  one 32-bit default window; VFIO_IOMMU_ENABLE accounts
 *                 the whole window against RLIMIT_MEMLOCK; MAP_DMA pins.
 *   sPAPR TCE v2  memory is pre-registered (pinned once), windows can be
 *                 removed and created (DDW); what KVM's in-kernel TCE
 *                 acceleration for VFIO works with.
 *   type1         x86 and others: any IOVA, MAP_DMA pins.
 */
#ifndef TCELAB_VFIO_H
#define TCELAB_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcelab/pci.h"

struct tl_error;

enum vfio_iommu {
	VFIO_IOMMU_AUTO, /* v2, else v1, else type1v2, else type1 */
	VFIO_IOMMU_SPAPR_V1,
	VFIO_IOMMU_SPAPR_V2,
	VFIO_IOMMU_TYPE1,
};

struct vfio_window {
	uint64_t start, size;
	unsigned page_shift;
};

struct vfio_dev {
	char addr[PCI_ADDR_LEN];
	int group_id;
	int container_fd, group_fd, device_fd;
	enum vfio_iommu iommu;
	/* sPAPR: what VFIO_IOMMU_SPAPR_TCE_GET_INFO said */
	struct vfio_window dma32;  /* the default window */
	uint64_t ddw_page_sizes;   /* bit n set: 2^n IOMMU pages allowed in new windows */
	unsigned ddw_max_windows;
	unsigned ddw_levels;
	bool spapr_enabled;        /* v1: VFIO_IOMMU_ENABLE done */
};

const char *vfio_iommu_name(enum vfio_iommu iommu);
int vfio_iommu_parse(const char *name, enum vfio_iommu *iommu, struct tl_error *e);

/*
 * Open the container and the group of PCI device addr (already bound to
 * vfio-pci), check the group is viable, set the IOMMU and, for sPAPR,
 * read the window info (and enable, for v1). open_device: also get the
 * device fd. On failure everything opened is closed again.
 */
int vfio_open(struct vfio_dev *d, const char *addr, enum vfio_iommu iommu, bool open_device,
	      struct tl_error *e);
void vfio_close(struct vfio_dev *d);

int vfio_dma_map(struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size,
		 struct tl_error *e);
int vfio_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size, struct tl_error *e);

/* sPAPR v2: pin and account memory once, before mapping it. */
int vfio_spapr_register(struct vfio_dev *d, void *vaddr, uint64_t size, struct tl_error *e);
int vfio_spapr_unregister(struct vfio_dev *d, void *vaddr, uint64_t size, struct tl_error *e);

/* sPAPR v2: dynamic DMA windows. levels = 0 lets the kernel choose (1). */
int vfio_spapr_window_create(struct vfio_dev *d, unsigned page_shift, uint64_t size,
			     unsigned levels, uint64_t *start, struct tl_error *e);
int vfio_spapr_window_remove(struct vfio_dev *d, uint64_t start, struct tl_error *e);

#endif
