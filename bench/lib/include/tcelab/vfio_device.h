/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device side of VFIO, for drivers in userspace: on a struct vfio_dev
 * opened with open_device = true, map a BAR, read and write config space,
 * turn bus mastering on and off, and reset the function.
 *
 * Config space is little-endian (PCI); the 16/32-bit helpers convert.
 */
#ifndef TCELAB_VFIO_DEVICE_H
#define TCELAB_VFIO_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcelab/vfio.h"

struct tl_error;

/* Config space offsets and bits the suite uses (from the PCI spec). */
#define PCI_CFG_VENDOR_ID 0x00
#define PCI_CFG_COMMAND 0x04
#define PCI_CFG_CLASS_REVISION 0x08 /* revision 7:0, class code 31:8 */
#define PCI_CFG_COMMAND_MEMORY 0x0002
#define PCI_CFG_COMMAND_MASTER 0x0004
#define PCI_CFG_COMMAND_INTX_DISABLE 0x0400

struct vfio_region {
	unsigned index;    /* VFIO_PCI_BAR0_REGION_INDEX, ... */
	uint64_t size;
	uint64_t offset;   /* where the region starts in the device fd */
	uint32_t flags;    /* VFIO_REGION_INFO_FLAG_* */
	void *map;         /* after vfio_device_map_bar(), else NULL */
};

/* VFIO_DEVICE_GET_REGION_INFO for one region. */
int vfio_device_region(struct vfio_dev *d, unsigned index, struct vfio_region *r,
		       struct tl_error *e);

/* Region info of BAR bar and an mmap of the whole of it (read/write). */
int vfio_device_map_bar(struct vfio_dev *d, unsigned bar, struct vfio_region *r,
			struct tl_error *e);
void vfio_device_unmap_bar(struct vfio_region *r);

/* Config space by byte offset; short reads and writes are errors. */
int vfio_device_config_read(struct vfio_dev *d, unsigned offset, void *buf, size_t len,
			    struct tl_error *e);
int vfio_device_config_write(struct vfio_dev *d, unsigned offset, const void *buf, size_t len,
			     struct tl_error *e);
int vfio_device_config_read16(struct vfio_dev *d, unsigned offset, uint16_t *v,
			      struct tl_error *e);
int vfio_device_config_read32(struct vfio_dev *d, unsigned offset, uint32_t *v,
			      struct tl_error *e);
int vfio_device_config_write16(struct vfio_dev *d, unsigned offset, uint16_t v,
			       struct tl_error *e);

/* The 24-bit class code (base class, subclass, programming interface). */
int vfio_device_class(struct vfio_dev *d, uint32_t *class_code, struct tl_error *e);

/*
 * Bus mastering (PCI_COMMAND.MASTER) on or off. Turning it on also sets
 * MEMORY, so the BAR decodes, and INTX_DISABLE: a polled driver wants no
 * legacy interrupt.
 */
int vfio_device_bus_master(struct vfio_dev *d, bool on, struct tl_error *e);

/*
 * VFIO_DEVICE_RESET (function-level or similar reset) when the device
 * offers one (VFIO_DEVICE_FLAGS_RESET). *done says whether it ran; a
 * device without a reset is not an error.
 */
int vfio_device_reset(struct vfio_dev *d, bool *done, struct tl_error *e);

#endif
