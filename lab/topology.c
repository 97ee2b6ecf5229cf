// SPDX-License-Identifier: GPL-2.0-only
#include "topology.h"

#include <stdlib.h>
#include <string.h>

#include "tcelab/strv.h"

#define MiB (1024ull * 1024)

/* The same for every machine: TCG on both host cores, console on stdio. */
static const char *const common_args[] = {
	"-serial", "mon:stdio", "-nographic",
	"-m", "2G", "-smp", "2",
	/* KVM does not work on the lab hosts: ask for TCG rather than let QEMU probe. */
	"-accel", "tcg,thread=multi",
	NULL
};

#define KERNEL_CMDLINE "console=hvc0 quiet"

const struct lab_device lab_devices[LAB_NROLES] = {
	[LAB_DUT] = {
		.role_name = "dut",
		.backend_opt = "-drive", .backend = "file=%s,if=none,id=dut0,format=raw",
		.frontend = "nvme,serial=dut0,drive=dut0",
		.disk_bytes = 64 * MiB, .disk_file = "dut.img",
	},
	[LAB_FIO_DISK] = {
		.role_name = "fio-disk",
		.backend_opt = "-drive", .backend = "file=%s,if=none,id=fio0,format=raw",
		.frontend = "nvme,serial=fio0,drive=fio0",
		.disk_bytes = 256 * MiB, .disk_file = "fio.img",
	},
	[LAB_SHARE] = {
		.role_name = "share",
		.backend_opt = "-fsdev", .backend = "local,id=share0,path=%s,security_model=none",
		.frontend = "virtio-9p-pci,fsdev=share0,mount_tag=tcelab",
	},
	[LAB_NIC] = {
		.role_name = "nic",
		.backend_opt = "-netdev", .backend = "user,id=net0",
		/* romfile=: no boot ROM wanted, and Debian ships it in another package. */
		.frontend = "e1000e,netdev=net0,romfile=",
	},
};

/*
 * pseries: each sPAPR PHB is one IOMMU group, so the device under test
 * gets a PHB of its own; the rest share the default PHB. -nodefaults and
 * the built-in VOF firmware cut a boot from about 10 s to 3 s.
 */
static const char *const pseries_extra[] = {
	"-nodefaults",
	"-device", "spapr-pci-host-bridge,index=1,id=phb1",
	NULL
};

/*
 * powernv9: six PHB4s, each with one root port (bus pcie.N) and so one
 * device and its own IOMMU group; the guest numbers PHB N as domain N with
 * the device on bus 1. No -nodefaults here: the PHBs and the BMC that
 * powers the machine off are default devices.
 */
static const char *const powernv9_extra[] = { NULL };

/*
 * Nested lab on pseries: the DUT and the fio disk each on a PHB of their
 * own (L1 passes both to L2 through VFIO: one IOMMU group each), the two
 * shares on the default PHB, no NIC (L2 gets none).
 */
static const char *const nested_pseries_extra[] = {
	"-nodefaults",
	"-device", "spapr-pci-host-bridge,index=1,id=phb1",
	"-device", "spapr-pci-host-bridge,index=2,id=phb2",
	NULL
};

#define NESTED_PSERIES_SLOTS \
	.slots = { \
		[LAB_DUT] = { "phb1.0", NULL, "0001:00:00.0" }, \
		[LAB_FIO_DISK] = { "phb2.0", NULL, "0002:00:00.0" }, \
		[LAB_SHARE] = { "pci.0", "0x3", "0000:00:03.0" }, \
		[LAB_NIC] = { NULL, NULL, NULL }, \
	}, \
	.nested = true, .host_share = { "pci.0", "0x5", "0000:00:05.0" }

static const struct lab_machine machines[] = {
	{
		.name = "pseries", .host_kind = "pseries-tcg",
		.machine = "pseries,x-vof=on", .cpu = "POWER10",
		.extra_args = pseries_extra,
		.slots = {
			[LAB_DUT] = { "phb1.0", NULL, "0001:00:00.0" },
			[LAB_FIO_DISK] = { "pci.0", "0x2", "0000:00:02.0" },
			[LAB_SHARE] = { "pci.0", "0x3", "0000:00:03.0" },
			[LAB_NIC] = { "pci.0", "0x4", "0000:00:04.0" },
		},
	},
	{
		.name = "powernv9", .host_kind = "powernv9-tcg",
		.machine = "powernv9", .cpu = NULL,
		.extra_args = powernv9_extra,
		.slots = {
			[LAB_DUT] = { "pcie.1", NULL, "0001:01:00.0" },
			[LAB_FIO_DISK] = { "pcie.0", NULL, "0000:01:00.0" },
			[LAB_SHARE] = { "pcie.2", NULL, "0002:01:00.0" },
			[LAB_NIC] = { "pcie.3", NULL, "0003:01:00.0" },
		},
	},
	/* OPAL-like KVM host: nested API v1 (cap-nested-hv), the fast one. */
	{
		.name = "nested-hv", .host_kind = "nested-hv",
		.machine = "pseries,x-vof=on,cap-nested-hv=on", .cpu = "POWER9",
		.extra_args = nested_pseries_extra,
		NESTED_PSERIES_SLOTS,
	},
	/* PowerVM-like KVM host: nested API v2 (cap-nested-papr). */
	{
		.name = "nested-papr", .host_kind = "nested-papr",
		.machine = "pseries,x-vof=on,cap-nested-papr=on", .cpu = "POWER10",
		.extra_args = nested_pseries_extra,
		NESTED_PSERIES_SLOTS,
	},
	/* Bare-metal OPAL KVM host (kvm-hv runs natively): the faithful and slow one. */
	{
		.name = "powernv9-kvm", .host_kind = "powernv9-kvm",
		.machine = "powernv9", .cpu = NULL,
		.extra_args = powernv9_extra,
		.slots = {
			[LAB_DUT] = { "pcie.1", NULL, "0001:01:00.0" },
			[LAB_FIO_DISK] = { "pcie.2", NULL, "0002:01:00.0" },
			[LAB_SHARE] = { "pcie.0", NULL, "0000:01:00.0" },
			[LAB_NIC] = { NULL, NULL, NULL },
		},
		.nested = true, .host_share = { "pcie.3", NULL, "0003:01:00.0" },
	},
};

#define NMACHINES (sizeof(machines) / sizeof(machines[0]))

const struct lab_machine *lab_machine_find(const char *name)
{
	for (size_t i = 0; i < NMACHINES; i++)
		if (strcmp(machines[i].name, name) == 0)
			return &machines[i];
	return NULL;
}

const char *lab_machine_names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0; i < NMACHINES; i++) {
			if (i)
				strcat(names, ", ");
			strcat(names, machines[i].name);
		}
	return names;
}

/* QEMU splits option values at commas; a literal comma is written twice. */
static char *qemu_opt_escape(const char *value)
{
	char *out = xcalloc(2 * strlen(value) + 1, 1), *p = out;

	for (; *value; value++) {
		if (*value == ',')
			*p++ = ',';
		*p++ = *value;
	}
	return out;
}

static void push_device(struct strv *argv, const struct lab_device *dev,
			const struct lab_slot *slot, const char *backing)
{
	char *escaped = backing ? qemu_opt_escape(backing) : NULL;

	strv_push(argv, dev->backend_opt);
	/* The format has a %s only where a backing path belongs. */
	strv_pushf(argv, dev->backend, escaped ? escaped : "");
	strv_push(argv, "-device");
	if (slot->addr)
		strv_pushf(argv, "%s,bus=%s,addr=%s", dev->frontend, slot->bus, slot->addr);
	else
		strv_pushf(argv, "%s,bus=%s", dev->frontend, slot->bus);
	free(escaped);
}

void topology_qemu_argv(const struct lab_machine *m, const char *qemu,
			const struct lab_paths *paths, struct strv *argv)
{
	strv_push(argv, qemu);
	strv_push(argv, "-M");
	strv_push(argv, m->machine);
	if (m->cpu) {
		strv_push(argv, "-cpu");
		strv_push(argv, m->cpu);
	}
	strv_push_all(argv, m->extra_args);
	strv_push_all(argv, common_args);
	strv_push(argv, "-kernel");
	strv_push(argv, paths->kernel);
	strv_push(argv, "-initrd");
	strv_push(argv, paths->initrd);
	strv_push(argv, "-append");
	strv_push(argv, KERNEL_CMDLINE);
	for (int role = 0; role < LAB_NROLES; role++)
		if (m->slots[role].bus)
			push_device(argv, &lab_devices[role], &m->slots[role], paths->backing[role]);
	if (m->nested) {
		char *escaped = qemu_opt_escape(paths->host_share ? paths->host_share : "");

		strv_push(argv, "-fsdev");
		strv_pushf(argv, "local,id=hostshare0,path=%s,security_model=none,readonly=on", escaped);
		strv_push(argv, "-device");
		if (m->host_share.addr)
			strv_pushf(argv, "virtio-9p-pci,fsdev=hostshare0,mount_tag=tcelab-l1,bus=%s,addr=%s",
				   m->host_share.bus, m->host_share.addr);
		else
			strv_pushf(argv, "virtio-9p-pci,fsdev=hostshare0,mount_tag=tcelab-l1,bus=%s",
				   m->host_share.bus);
		free(escaped);
	}
}
