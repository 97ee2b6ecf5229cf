/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcelab-tce-shim.so (tce-shim.c): the numbers it knows, from the target's
 * <linux/kvm.h>. The ioctl number must come from there: _IO() encodes the
 * direction differently on powerpc (KVM_CHECK_EXTENSION is 0x2000ae03
 * there, 0xae03 on x86).
 */
#ifndef TCELAB_TCE_SHIM_H
#define TCELAB_TCE_SHIM_H

#include <linux/kvm.h>

#define TCE_SHIM_KVM_CHECK_EXTENSION ((unsigned long)KVM_CHECK_EXTENSION)
#define TCE_SHIM_CAP_SPAPR_TCE KVM_CAP_SPAPR_TCE
#define TCE_SHIM_CAP_SPAPR_MULTITCE KVM_CAP_SPAPR_MULTITCE
#define TCE_SHIM_CAP_SPAPR_TCE_64 KVM_CAP_SPAPR_TCE_64
#define TCE_SHIM_CAP_SPAPR_TCE_VFIO KVM_CAP_SPAPR_TCE_VFIO

/* "spapr_tce_vfio,63" into caps; the count, or -1 for a bad list. */
int tce_shim_parse(const char *text, long *caps, int max);

/* "spapr_tce_vfio" for 142, "other" for what it has no name for. */
const char *tce_shim_cap_name(long cap);

#endif
