// SPDX-License-Identifier: GPL-2.0-only
#include "tcelab/error.h"
#include "tce.h"

int tce_default_window_create(struct vfio_dev *d, struct tl_error *e)
{
	if (d->iommu != VFIO_IOMMU_SPAPR_V2)
		return 0; /* v1 keeps the platform's default window */
	if (!d->dma32.size)
		return tl_err(e, "%s: the platform gives no default DMA window", d->addr);
	if (vfio_dma_unmap(d, d->dma32.start, 1ull << d->dma32.page_shift, e))
		return tl_err_wrap(e, "creating the default DMA window");
	return 0;
}

void tce_table_for_window(struct tl_tce_table *t, uint64_t liobn, uint64_t start, uint64_t size,
			  unsigned shift)
{
	t->liobn = liobn;
	t->page_shift = shift;
	t->offset = start >> shift;
	t->size = size >> shift;
	t->fd = -1;
}

unsigned tce_pick_page_shift(uint64_t pgsizes, unsigned max_shift)
{
	for (unsigned s = max_shift; s >= 12 && s < 64; s--)
		if (pgsizes & (1ull << s))
			return s;
	return 0;
}

uint64_t tce_table_bytes(uint64_t window_size, unsigned shift)
{
	return (window_size >> shift) * 8;
}
