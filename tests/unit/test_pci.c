// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI safety checks against a fake sysfs tree: a device that holds a
 * mounted filesystem, swap or the default route is refused, and a shared
 * IOMMU group is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "../ktap.h"

static char root[256];

static void mk(const char *rel)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", root, rel);
	if (system(cmd))
		exit(2);
}

static void ln(const char *target, const char *rel)
{
	char path[1024], abs_target[1024];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(abs_target, sizeof(abs_target), "%s/%s", root, target);
	if (symlink(abs_target, path))
		exit(2);
}

static void touch(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f)
		exit(2);
	fputs(text, f);
	fclose(f);
}

/* A device under devices/pci0000:00, in iommu group g, bound to drv. */
static void device(const char *addr, int g, const char *drv)
{
	char dev[256], rel[512], grp[128];

	snprintf(dev, sizeof(dev), "devices/pci0000:00/%s", addr);
	mk(dev);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s", addr);
	ln(dev, rel);
	snprintf(grp, sizeof(grp), "kernel/iommu_groups/%d/devices", g);
	mk(grp);
	snprintf(rel, sizeof(rel), "%s/%s", grp, addr);
	ln(dev, rel);
	snprintf(rel, sizeof(rel), "%s/iommu_group", dev);
	snprintf(grp, sizeof(grp), "kernel/iommu_groups/%d", g);
	ln(grp, rel);
	snprintf(rel, sizeof(rel), "%s/driver_override", dev);
	touch(rel, "(null)\n");
	if (drv) {
		snprintf(grp, sizeof(grp), "bus/pci/drivers/%s", drv);
		mk(grp);
		snprintf(rel, sizeof(rel), "%s/driver", dev);
		ln(grp, rel);
	}
}

int main(void)
{
	const char *nvme = "0000:00:02.0", *nic = "0000:00:04.0", *dut = "0001:00:00.0";
	char addr[PCI_ADDR_LEN], drv[64], *override;
	struct tl_error e;
	int group;

	snprintf(root, sizeof(root), "/tmp/tcelab-test-pci-XXXXXX");
	if (!mkdtemp(root))
		return 2;
	mk("class/block");
	mk("class/net");
	mk("bus/pci/drivers/vfio-pci");
	mk("bus/pci/devices");
	touch("bus/pci/drivers_probe", "");
	device(nvme, 3, "nvme");
	device("0000:00:02.1", 3, "e1000e");
	device(nic, 4, "e1000e");
	device(dut, 7, NULL);
	mk("devices/pci0000:00/0000:00:02.0/nvme/nvme0/nvme0n1/nvme0n1p1");
	ln("devices/pci0000:00/0000:00:02.0/nvme/nvme0/nvme0n1", "class/block/nvme0n1");
	ln("devices/pci0000:00/0000:00:02.0/nvme/nvme0/nvme0n1/nvme0n1p1", "class/block/nvme0n1p1");
	/* native NVMe multipath: path node under the device, head elsewhere */
	device("0000:00:05.0", 5, "nvme");
	mk("devices/pci0000:00/0000:00:05.0/nvme/nvme1/nvme1c1n1");
	ln("devices/pci0000:00/0000:00:05.0/nvme/nvme1/nvme1c1n1", "class/block/nvme1c1n1");
	mk("devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1/nvme1n1p2");
	ln("devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1", "class/block/nvme1n1");
	ln("devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1/nvme1n1p2", "class/block/nvme1n1p2");
	mk("devices/pci0000:00/0000:00:04.0/net/eth0");
	ln("devices/pci0000:00/0000:00:04.0/net/eth0", "class/net/eth0");

	report(pci_addr_parse("0001:00:00.0", addr, &e) == 0 && !strcmp(addr, "0001:00:00.0"),
	       "long address");
	report(pci_addr_parse("00:02.0", addr, &e) == 0 && !strcmp(addr, "0000:00:02.0"),
	       "short address gets domain 0000");
	report(pci_addr_parse("0000:00:02", addr, &e) && strstr(e.msg, "not a PCI address"),
	       "missing function is refused");
	report(pci_addr_parse("0000:00:20.0", addr, &e) && strstr(e.msg, "out of range"),
	       "slot 0x20 is refused");

	report(pci_driver(root, nvme, drv, sizeof(drv), &e) == 0 && !strcmp(drv, "nvme"),
	       "driver name from the driver link");
	report(pci_driver(root, dut, drv, sizeof(drv), &e) == 0 && drv[0] == '\0',
	       "no driver gives an empty name");
	report(pci_driver(root, "0000:09:00.0", drv, sizeof(drv), &e) &&
		       strstr(e.msg, "no PCI device 0000:09:00.0"),
	       "a missing device is named");
	report(pci_iommu_group(root, nvme, &group, &e) == 0 && group == 3, "IOMMU group number");

	report(pci_check_not_in_use(root, nvme, "/dev/nvme0n1p1 /data ext4 rw 0 0\n", NULL, NULL,
				    &e) &&
		       strstr(e.msg, "/dev/nvme0n1p1") && strstr(e.msg, "mounted"),
	       "a mounted partition refuses the device and names the partition");
	report(pci_check_not_in_use(root, nvme, "/dev/sda1 / ext4 rw 0 0\n",
				    "Filename Type Size Used Priority\n/dev/nvme0n1 partition 1 0 -2\n",
				    NULL, &e) &&
		       strstr(e.msg, "swap"),
	       "swap on the device refuses it");
	report(pci_check_not_in_use(root, nvme, "/dev/sda1 / ext4 rw 0 0\n", "", NULL, &e) == 0,
	       "the same device with nothing mounted is free");
	report(pci_check_not_in_use(root, "0000:00:05.0", "/dev/nvme1n1 /data ext4 rw 0 0\n", "",
				    NULL, &e) &&
		       strstr(e.msg, "/dev/nvme1n1"),
	       "multipath: a mounted namespace head refuses the controller under it");
	report(pci_check_not_in_use(root, "0000:00:05.0", "/dev/nvme1n1p2 /data ext4 rw 0 0\n", "",
				    NULL, &e) &&
		       strstr(e.msg, "/dev/nvme1n1p2"),
	       "multipath: so does a mounted partition of the head");
	report(pci_check_not_in_use(root, "0000:00:05.0", "/dev/nvme0n1 /data ext4 rw 0 0\n", "",
				    NULL, &e) == 0,
	       "multipath: another controller's namespace does not");
	report(pci_check_not_in_use(root, nic, "", "",
				    "Iface\tDestination\tGateway\n"
				    "eth0\t00000000\t0202000A\n",
				    &e) &&
		       strstr(e.msg, "eth0") && strstr(e.msg, "default route"),
	       "the default-route interface refuses its NIC");
	report(pci_check_not_in_use(root, nic, "", "",
				    "Iface\tDestination\tGateway\neth0\t0002000A\t00000000\n", &e) == 0,
	       "a NIC with only a subnet route is free");

	report(pci_group_viable(root, nvme, &e) && strstr(e.msg, "0000:00:02.1") &&
		       strstr(e.msg, "e1000e") && strstr(e.msg, "not viable"),
	       "a group shared with a bound device is not viable, and says with what");
	report(pci_group_viable(root, dut, &e) == 0, "a device alone in its group is viable");

	{
		char path[512];

		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", root, dut);
		pci_bind_vfio(root, dut, &e);
		override = tl_read_file(path, NULL, &e);
		report(override && !strcmp(override, "vfio-pci"),
		       "binding writes driver_override before probing");
		free(override);
		report(strstr(e.msg, "no driver") != NULL,
		       "a probe that leaves the device unbound is an error (%s)", e.msg);
	}
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd))
			return 2;
	}
	return report_summary();
}
