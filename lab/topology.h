/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The emulated lab's topology: which machine QEMU emulates and where each
 * device sits, on QEMU's buses and as the guest sees it. Kept as data in
 * topology.c; topology_qemu_argv() turns it into a command line.
 */
#ifndef LAB_TOPOLOGY_H
#define LAB_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

struct strv;

/* QEMU user networking's fixed plan: the guest is .15, the host's loopback
 * shows up as the gateway .2. */
#define LAB_GUEST_NET_ADDR "10.0.2.15/24"
#define LAB_GUEST_NET_GW "10.0.2.2"
#define LAB_HOST_FROM_GUEST "10.0.2.2"

/* Where-measured facts of every machine here: QEMU TCG emulates the whole
 * machine, including the TCE hypercalls (no KVM anywhere). */
#define LAB_ENVIRONMENT "emulated"
#define LAB_TCE_MODE "emulated"

/* What each device is for. */
enum lab_role {
	LAB_DUT,      /* device under test: alone in its IOMMU group, for VFIO */
	LAB_FIO_DISK, /* NVMe used through the kernel nvme driver by fio */
	LAB_SHARE,    /* virtio-9p share: the run's staging folder */
	LAB_NIC,      /* e1000e on QEMU user networking, for iperf3 */
	LAB_NROLES
};

/* A device's place: on the QEMU command line and as the guest sees it. */
struct lab_slot {
	const char *bus;       /* QEMU bus id */
	const char *addr;      /* slot on the bus, NULL: QEMU's choice */
	const char *guest_bdf; /* PCI address in the guest */
};

struct lab_machine {
	const char *name;      /* --machine */
	const char *host_kind; /* TCELAB_HOST_KIND and results' where.host_kind */
	const char *machine;   /* -M */
	const char *cpu;       /* -cpu, NULL: the machine's own */
	const char *const *extra_args; /* host bridges and such, NULL-terminated */
	struct lab_slot slots[LAB_NROLES]; /* bus NULL: no such device here */
	/*
	 * Nested lab (nested.h): the machine boots the L1 host image, which
	 * runs the plan in an L2 guest under KVM with the DUT and the fio disk
	 * passed through (each on a PHB of its own, as for VFIO in L1). The
	 * second, read-only share (tag tcelab-l1) sits at host_share.
	 */
	bool nested;
	struct lab_slot host_share;
};

/* A device independent of the machine: its QEMU backend and frontend. */
struct lab_device {
	const char *role_name;    /* for run.json */
	const char *backend_opt;  /* "-drive", "-fsdev", "-netdev" */
	const char *backend;      /* with one %s for the backing path, if any */
	const char *frontend;     /* -device, without the bus placement */
	uint64_t disk_bytes;      /* > 0: backed by a sparse disk image that size */
	const char *disk_file;    /* its name in the scratch folder */
};

extern const struct lab_device lab_devices[LAB_NROLES];

const struct lab_machine *lab_machine_find(const char *name);

/* "pseries, powernv9": for messages. */
const char *lab_machine_names(void);

/* Paths the command line needs. */
struct lab_paths {
	const char *kernel;
	const char *initrd;
	const char *backing[LAB_NROLES]; /* disk images, share folder; NULL where none */
	const char *host_share;          /* nested machines: the tcelab-l1 folder */
};

/* The whole QEMU command line, qemu first. */
void topology_qemu_argv(const struct lab_machine *m, const char *qemu,
			const struct lab_paths *paths, struct strv *argv);

#endif
