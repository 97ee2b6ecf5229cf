/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI devices through sysfs: address checks, the safety checks that keep a
 * benchmark from taking away the disk or network the host lives on, and
 * binding to vfio-pci with driver_override so that no other driver probes
 * the device first (on POWER a device the nvme driver touched first is put
 * in the "failed DDW" list and VFIO mapping then fails with ENODEV).
 *
 * The sysfs root is a parameter so tests can run against a fake tree.
 */
#ifndef TCELAB_PCI_H
#define TCELAB_PCI_H

#include <stdbool.h>
#include <stddef.h>

struct tl_error;

#define PCI_ADDR_LEN 16 /* "dddd:bb:ss.f" + NUL */

/* Accept "dddd:bb:ss.f" or "bb:ss.f" (domain 0); normalize to the long form. */
int pci_addr_parse(const char *text, char out[PCI_ADDR_LEN], struct tl_error *e);

/* Name of the bound driver into drv ("" when none). */
int pci_driver(const char *sysfs, const char *addr, char *drv, size_t len, struct tl_error *e);

/* The device's IOMMU group number. */
int pci_iommu_group(const char *sysfs, const char *addr, int *group, struct tl_error *e);

/*
 * Refuse devices the host depends on: a block device under it (or a
 * partition of one) that is mounted, or holds swap, or a network interface
 * under it that carries the default route. mounts: /proc/mounts text,
 * swaps: /proc/swaps text, routes: /proc/net/route text (any may be NULL).
 * Returns 0 when the device is free, -1 with e naming what holds it.
 */
int pci_check_not_in_use(const char *sysfs, const char *addr, const char *mounts,
			 const char *swaps, const char *routes, struct tl_error *e);

/*
 * Every device in addr's IOMMU group must be bound to vfio-pci or to no
 * driver (VFIO's "viable" group), else its other members would be taken
 * from their drivers.
 */
int pci_group_viable(const char *sysfs, const char *addr, struct tl_error *e);

/*
 * Bind addr to vfio-pci: safety check, driver_override = vfio-pci, unbind
 * the current driver if any, then drivers_probe. Idempotent.
 */
int pci_bind_vfio(const char *sysfs, const char *addr, struct tl_error *e);

/* Read a whole small file into a malloc'd NUL-terminated buffer. */
char *tl_read_file(const char *path, size_t *len, struct tl_error *e);

#endif
