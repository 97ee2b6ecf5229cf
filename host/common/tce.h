/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VFIO side of an in-kernel TCE table, as a VMM (QEMU) sets it up for
 * a passed-through device: an sPAPR TCE v2 container with the guest's
 * memory pre-registered, the default 32-bit DMA window and, with DDW, a
 * large 64-bit window; then KVM_CREATE_SPAPR_TCE_64 tables of the same
 * geometry that KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE attaches to the group.
 */
#ifndef TCELAB_HOST_TCE_H
#define TCELAB_HOST_TCE_H

#include <stdint.h>

#include "tcelab/kvm.h"
#include "tcelab/vfio.h"

struct tl_error;

/*
 * v2 creates the default window lazily, at the first map or unmap after
 * memory is pre-registered: unmap the window's first page to make it
 * exist (KVM can only attach to a window that exists). Needs
 * vfio_spapr_register() first.
 */
int tce_default_window_create(struct vfio_dev *d, struct tl_error *e);

/* An in-kernel table covering window (start, size bytes, 2^shift pages). */
void tce_table_for_window(struct tl_tce_table *t, uint64_t liobn, uint64_t start, uint64_t size,
			  unsigned shift);

/*
 * The largest IOMMU page shift allowed by pgsizes (VFIO DDW info mask)
 * that is <= max_shift; 0 when none.
 */
unsigned tce_pick_page_shift(uint64_t pgsizes, unsigned max_shift);

/* Bytes of a one-level TCE table for a window (8 bytes a TCE). */
uint64_t tce_table_bytes(uint64_t window_size, unsigned shift);

#endif
