// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "tcelab/error.h"
#include "tcelab/vfio.h"
#include "dma.h"

#define IOVA_ALIGN 4096ull
/* Leave the first 64 KiB of a window unused: an IOVA of 0 looks like a
 * missing PRP to anyone reading traces (and to some devices). */
#define IOVA_GUARD 0x10000ull

const char *dma_mode_name(enum dma_mode m)
{
	switch (m) {
	case DMA_PREMAPPED: return "premapped";
	case DMA_MAP_PER_IO: return "map-per-io";
	case DMA_MAP_BATCH: return "map-batch";
	}
	return "?";
}

int dma_space_init(struct dma_space *s, struct vfio_dev *d, struct tl_error *e)
{
	memset(s, 0, sizeof(*s));
	s->dev = d;
	if (d->iommu == VFIO_IOMMU_TYPE1) {
		s->base = 1ull << 32; /* any IOVA; above 4 GiB stays clear of 0xfee00000 (MSI) */
		s->end = 1ull << 39;  /* within any x86 IOMMU's address width */
	} else {
		if (d->dma32.size <= IOVA_GUARD)
			return tl_err(e, "%s: the default DMA window is only %llu bytes", d->addr,
				      (unsigned long long)d->dma32.size);
		s->base = d->dma32.start + IOVA_GUARD;
		s->end = d->dma32.start + d->dma32.size;
	}
	s->next = s->base;
	return 0;
}

int dma_area_alloc(struct dma_space *s, uint64_t size, const char *what, struct dma_area *a,
		   struct tl_error *e)
{
	void *p;

	memset(a, 0, sizeof(*a));
	size = (size + IOVA_ALIGN - 1) & ~(IOVA_ALIGN - 1);
	if (size > s->end - s->next)
		return tl_err(e, "%s: %s needs %llu KiB of IOVA space, the DMA window "
				 "[0x%llx, 0x%llx) has %llu KiB left (lower --qd, --queues or --bs)",
			      s->dev->addr, what, (unsigned long long)size >> 10,
			      (unsigned long long)s->base, (unsigned long long)s->end,
			      (unsigned long long)(s->end - s->next) >> 10);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		 -1, 0);
	if (p == MAP_FAILED)
		return tl_err_errno(e, "%s: cannot allocate %llu KiB for %s", s->dev->addr,
				    (unsigned long long)size >> 10, what);
	a->va = p;
	a->size = size;
	a->iova = s->next;
	if (s->dev->iommu == VFIO_IOMMU_SPAPR_V2) {
		if (vfio_spapr_register(s->dev, p, size, e)) {
			munmap(p, size);
			a->va = NULL;
			return tl_err_wrap(e, "pre-registering %s", what);
		}
		a->registered = true;
	}
	s->next += size;
	return 0;
}

int dma_map_range(struct dma_space *s, struct dma_area *a, uint64_t off, uint64_t len,
		  struct tl_error *e)
{
	char was[sizeof(e->msg)];

	if (!vfio_dma_map(s->dev, (char *)a->va + off, a->iova + off, len, e))
		return 0;
	/* what this looks like when the kernel nvme driver had the device first */
	if (errno == ENODEV && s->dev->iommu != VFIO_IOMMU_TYPE1) {
		memcpy(was, e->msg, sizeof(was));
		tl_err(e, "%s (a device another driver had before vfio-pci can be in the kernel's "
			  "\"failed DDW device list\": see dmesg; bind vfio-pci before any other "
			  "driver probes it)", was);
	}
	return -1;
}

int dma_unmap_range(struct dma_space *s, struct dma_area *a, uint64_t off, uint64_t len,
		    struct tl_error *e)
{
	return vfio_dma_unmap(s->dev, a->iova + off, len, e);
}

int dma_area_map_all(struct dma_space *s, struct dma_area *a, struct tl_error *e)
{
	if (dma_map_range(s, a, 0, a->size, e))
		return -1;
	a->mapped = true;
	return 0;
}

void dma_area_free(struct dma_space *s, struct dma_area *a)
{
	struct tl_error e;

	if (!a->va)
		return;
	if (a->mapped && dma_unmap_range(s, a, 0, a->size, &e))
		fprintf(stderr, "nvme-perf: %s\n", e.msg);
	if (a->registered && vfio_spapr_unregister(s->dev, a->va, a->size, &e))
		fprintf(stderr, "nvme-perf: %s\n", e.msg);
	munmap(a->va, a->size);
	memset(a, 0, sizeof(*a));
}
