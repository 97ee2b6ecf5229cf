// SPDX-License-Identifier: GPL-2.0-only
/* The QEMU command line each machine's topology makes. */
#include <string.h>

#include "ktap.h"
#include "tcelab/strv.h"
#include "topology.h"

/* Index of the argument after which want follows, or -1. */
static int find_pair(const struct strv *argv, const char *opt, const char *value)
{
	for (size_t i = 0; i + 1 < argv->n; i++)
		if (strcmp(argv->v[i], opt) == 0 && strcmp(argv->v[i + 1], value) == 0)
			return (int)i;
	return -1;
}

static bool has(const struct strv *argv, const char *arg)
{
	for (size_t i = 0; i < argv->n; i++)
		if (strcmp(argv->v[i], arg) == 0)
			return true;
	return false;
}

static const struct lab_paths paths = {
	.kernel = "/img/vmlinux",
	.initrd = "/img/guest.cpio.gz",
	.backing = {
		[LAB_DUT] = "/tmp/d/dut.img",
		[LAB_FIO_DISK] = "/tmp/d/fio.img",
		[LAB_SHARE] = "/results/.staging-x,y",
	},
};

static void test_pseries(void)
{
	const struct lab_machine *m = lab_machine_find("pseries");
	struct strv argv = { 0 };

	topology_qemu_argv(m, "qemu-system-ppc64", &paths, &argv);
	report(strcmp(argv.v[0], "qemu-system-ppc64") == 0 && argv.v[argv.n] == NULL,
	       "pseries: qemu first, NULL-terminated");
	report(find_pair(&argv, "-M", "pseries,x-vof=on") >= 0 && find_pair(&argv, "-cpu", "POWER10") >= 0 &&
	       has(&argv, "-nodefaults") && find_pair(&argv, "-accel", "tcg,thread=multi") >= 0 &&
	       find_pair(&argv, "-serial", "mon:stdio") >= 0 && find_pair(&argv, "-smp", "2") >= 0 &&
	       find_pair(&argv, "-m", "2G") >= 0,
	       "pseries: machine, cpu, nodefaults, TCG on 2 cores, console on stdio");
	report(find_pair(&argv, "-kernel", "/img/vmlinux") >= 0 &&
	       find_pair(&argv, "-initrd", "/img/guest.cpio.gz") >= 0 &&
	       find_pair(&argv, "-append", "console=hvc0 quiet") >= 0, "pseries: kernel, initrd, command line");
	report(find_pair(&argv, "-device", "spapr-pci-host-bridge,index=1,id=phb1") >= 0 &&
	       find_pair(&argv, "-device", "nvme,serial=dut0,drive=dut0,bus=phb1.0") >= 0,
	       "pseries: the device under test alone on its own PHB");
	report(find_pair(&argv, "-device", "nvme,serial=fio0,drive=fio0,bus=pci.0,addr=0x2") >= 0 &&
	       find_pair(&argv, "-device", "virtio-9p-pci,fsdev=share0,mount_tag=tcelab,bus=pci.0,addr=0x3") >= 0 &&
	       find_pair(&argv, "-device", "e1000e,netdev=net0,romfile=,bus=pci.0,addr=0x4") >= 0,
	       "pseries: fio disk, share and NIC on pci.0 at 2, 3, 4");
	report(find_pair(&argv, "-drive", "file=/tmp/d/dut.img,if=none,id=dut0,format=raw") >= 0 &&
	       find_pair(&argv, "-netdev", "user,id=net0") >= 0, "pseries: backends");
	report(find_pair(&argv, "-fsdev", "local,id=share0,path=/results/.staging-x,,y,security_model=none") >= 0,
	       "a comma in a path is doubled for QEMU");
	report(strcmp(m->slots[LAB_DUT].guest_bdf, "0001:00:00.0") == 0 &&
	       strcmp(m->slots[LAB_FIO_DISK].guest_bdf, "0000:00:02.0") == 0, "pseries: guest addresses");
	strv_free(&argv);
}

static void test_powernv9(void)
{
	const struct lab_machine *m = lab_machine_find("powernv9");
	struct strv argv = { 0 };

	topology_qemu_argv(m, "qemu", &paths, &argv);
	report(find_pair(&argv, "-M", "powernv9") >= 0 && !has(&argv, "-nodefaults") && !has(&argv, "-cpu"),
	       "powernv9: its default PHBs and BMC kept, its own CPU");
	report(find_pair(&argv, "-device", "nvme,serial=dut0,drive=dut0,bus=pcie.1") >= 0 &&
	       strcmp(m->slots[LAB_DUT].guest_bdf, "0001:01:00.0") == 0,
	       "powernv9: the device under test behind PHB 1's root port");
	report(strcmp(m->host_kind, "powernv9-tcg") == 0, "powernv9: host kind");
	strv_free(&argv);
}

static void test_nested(void)
{
	struct lab_paths np = paths;
	struct strv argv = { 0 };
	const struct lab_machine *m = lab_machine_find("nested-hv");

	np.host_share = "/tmp/d/l1";
	topology_qemu_argv(m, "qemu", &np, &argv);
	report(m->nested && find_pair(&argv, "-M", "pseries,x-vof=on,cap-nested-hv=on") >= 0 &&
	       find_pair(&argv, "-cpu", "POWER9") >= 0 && strcmp(m->host_kind, "nested-hv") == 0,
	       "nested-hv: nested API v1 on POWER9");
	report(find_pair(&argv, "-device", "nvme,serial=dut0,drive=dut0,bus=phb1.0") >= 0 &&
	       find_pair(&argv, "-device", "nvme,serial=fio0,drive=fio0,bus=phb2.0") >= 0 &&
	       find_pair(&argv, "-device", "spapr-pci-host-bridge,index=2,id=phb2") >= 0,
	       "nested-hv: DUT and fio disk each on a PHB of its own (each passed through to L2)");
	report(find_pair(&argv, "-netdev", "user,id=net0") < 0 && m->slots[LAB_NIC].bus == NULL,
	       "nested-hv: no NIC");
	report(find_pair(&argv, "-fsdev", "local,id=hostshare0,path=/tmp/d/l1,security_model=none,readonly=on") >= 0 &&
	       find_pair(&argv, "-device", "virtio-9p-pci,fsdev=hostshare0,mount_tag=tcelab-l1,bus=pci.0,addr=0x5") >= 0 &&
	       find_pair(&argv, "-device", "virtio-9p-pci,fsdev=share0,mount_tag=tcelab,bus=pci.0,addr=0x3") >= 0,
	       "nested-hv: the run's share and the read-only L1 share on the default PHB");
	strv_free(&argv);

	m = lab_machine_find("nested-papr");
	argv = (struct strv){ 0 };
	topology_qemu_argv(m, "qemu", &np, &argv);
	report(m->nested && find_pair(&argv, "-M", "pseries,x-vof=on,cap-nested-papr=on") >= 0 &&
	       find_pair(&argv, "-cpu", "POWER10") >= 0, "nested-papr: nested API v2 on POWER10");
	strv_free(&argv);

	m = lab_machine_find("powernv9-kvm");
	argv = (struct strv){ 0 };
	topology_qemu_argv(m, "qemu", &np, &argv);
	report(m->nested && find_pair(&argv, "-M", "powernv9") >= 0 &&
	       find_pair(&argv, "-device", "virtio-9p-pci,fsdev=hostshare0,mount_tag=tcelab-l1,bus=pcie.3") >= 0 &&
	       strcmp(m->slots[LAB_FIO_DISK].guest_bdf, "0002:01:00.0") == 0,
	       "powernv9-kvm: every device behind a root port of its own");
	strv_free(&argv);
	report(!lab_machine_find("pseries")->nested && !lab_machine_find("powernv9")->nested,
	       "single-level machines are not nested");
}

int main(void)
{
	test_pseries();
	test_powernv9();
	test_nested();
	report(lab_machine_find("x86") == NULL &&
	       strcmp(lab_machine_names(), "pseries, powernv9, nested-hv, nested-papr, powernv9-kvm") == 0,
	       "unknown machines are not found; the known are listed");
	return report_summary();
}
