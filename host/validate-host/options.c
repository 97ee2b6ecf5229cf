// SPDX-License-Identifier: GPL-2.0-only
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"
#include "tcelab/size.h"
#include "options.h"

/* Every option, documented where it is defined. */
static const struct option long_options[] = {
	/* PCI address of a device the lab passes through to guests; its
	 * IOMMU group, VFIO and TCE tables are checked. Repeatable (up to 8).
	 * Without any, the device checks are skipped: nothing is touched that
	 * the lab did not name. */
	{ "device", required_argument, NULL, 'd' },
	/* create/attach/release cycles of the TCE tables per device, as every
	 * guest reboot does (default 20) */
	{ "cycles", required_argument, NULL, 'c' },
	/* guest memory the VMM will pre-register for sPAPR TCE v2, checked
	 * against RLIMIT_MEMLOCK (default 1G) */
	{ "guest-mem", required_argument, NULL, 'm' },
	/* size of the large 64-bit DMA window (default 1G) */
	{ "window-size", required_argument, NULL, 'W' },
	/* IOMMU page shift of the 64-bit window (default: the largest the
	 * platform allows up to 16, i.e. 64 KiB) */
	{ "window-page-shift", required_argument, NULL, 'p' },
	/* memory (MemFree) the TCE cycles may lose per cycle on average
	 * before it counts as a leak (default 64K); locked_vm must not move */
	{ "leak-threshold", required_argument, NULL, 'l' },
	/* H_PUT_TCE calls the minimal guest issues against the attached
	 * table to show which path handles them; 0 runs no guest (default 512) */
	{ "guest-puts", required_argument, NULL, 'g' },
	/* write the result JSON here (docs/result-json.md) */
	{ "json", required_argument, NULL, 'j' },
	/* name in the result (default validate-host) */
	{ "name", required_argument, NULL, 'N' },
	/* leave the devices' drivers alone: a device not bound to vfio-pci
	 * then fails its VFIO checks instead of being bound */
	{ "no-bind", no_argument, NULL, 'B' },
	/* modprobe kvm_hv, vfio-pci and vfio_iommu_spapr_tce first (default:
	 * only look; a missing module is a finding) */
	{ "load-modules", no_argument, NULL, 'L' },
	/* auto (default: from /proc/cpuinfo and the device tree), yes or no:
	 * whether checks known to differ in the emulated lab are XFAIL */
	{ "emulated", required_argument, NULL, 'E' },
	/* after the device checks, boot a guest with the first NVMe among
	 * --device passed through (QEMU, KVM, the suite's guest image): it
	 * verifies DMA data with nvme-perf --verify and reboots, --guest-boots
	 * times in all; needs --guest-image */
	{ "boot-guest", no_argument, NULL, 'G' },
	/* the suite's guest image: DIR/vmlinux and DIR/guest.cpio.gz
	 * (guest-images/build-guest-image --out DIR) */
	{ "guest-image", required_argument, NULL, 'I' },
	/* boots of the smoke guest: the first and the reboots (default 3) */
	{ "guest-boots", required_argument, NULL, 'b' },
	/* seconds a boot may go without its result before the guest counts
	 * as hung and is stopped (default 600) */
	{ "guest-timeout", required_argument, NULL, 't' },
	/* QEMU's -M for the guest (default pseries,x-vof=on; VOF boots the
	 * kernel without SLOF) */
	{ "guest-machine", required_argument, NULL, 'M' },
	/* DMA window of the guest's PHB for the device (default 64M: the
	 * guest clears its whole window at boot, one TCE at a time) */
	{ "guest-dma-window", required_argument, NULL, 'w' },
	/* keep the guest's whole console in FILE (the report keeps its tail) */
	{ "guest-log", required_argument, NULL, 'C' },
	/* the QEMU binary (default qemu-system-ppc64, from PATH) */
	{ "qemu", required_argument, NULL, 'Q' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

void vh_usage(FILE *f)
{
	fprintf(f,
		"usage: tcelab-validate-host [--device ADDR]... [--cycles 20] [--guest-mem 1G]\n"
		"                            [--window-size 1G] [--window-page-shift N]\n"
		"                            [--leak-threshold 64K] [--guest-puts 512]\n"
		"                            [--json FILE] [--name NAME] [--no-bind] [--load-modules]\n"
		"                            [--emulated auto|yes|no]\n"
		"                            [--boot-guest --guest-image DIR [--guest-boots 3]\n"
		"                             [--guest-timeout 600] [--guest-machine M]\n"
		"                             [--guest-dma-window 64M] [--guest-log FILE] [--qemu PATH]]\n"
		"Checks that this POWER host (PowerNV or pseries LPAR) is ready to run KVM guests\n"
		"with passed-through devices. KTAP on stdout; exit 0 ready, 1 a required check\n"
		"failed, 2 bad input or not a POWER host.\n");
}

int vh_parse_options(int argc, char **argv, struct vh_options *o, struct tl_error *e)
{
	int c;

	*o = (struct vh_options){
		.cycles = 20,
		.guest_mem = 1ull << 30,
		.window_size = 1ull << 30,
		.leak_per_cycle = 64 << 10,
		.guest_puts = 512,
		.name = "validate-host",
		.bind = true,
		.qemu = "qemu-system-ppc64",
		.guest_machine = "pseries,x-vof=on",
		.guest_boots = 3,
		.guest_timeout = 600,
		.guest_dma_window = 64ull << 20,
	};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:c:m:W:p:l:g:j:N:BLE:GI:b:t:M:w:C:Q:h", long_options, NULL)) != -1) {
		int ret = 0;

		switch (c) {
		case 'd':
			if (o->ndevices == VH_MAX_DEVICES)
				return tl_err(e, "--device: at most %d devices", VH_MAX_DEVICES);
			ret = pci_addr_parse(optarg, o->devices[o->ndevices], e);
			if (!ret) {
				for (size_t i = 0; i < o->ndevices; i++)
					if (!strcmp(o->devices[i], o->devices[o->ndevices]))
						return tl_err(e, "--device %s given twice", optarg);
				o->ndevices++;
			}
			break;
		case 'c': ret = parse_unsigned(optarg, "--cycles", 1, 100000, &o->cycles, e); break;
		case 'm': ret = size_parse(optarg, &o->guest_mem, "--guest-mem", e); break;
		case 'W': ret = size_parse(optarg, &o->window_size, "--window-size", e); break;
		case 'p': ret = parse_unsigned(optarg, "--window-page-shift", 12, 34, &o->window_shift, e); break;
		case 'l': ret = size_parse(optarg, &o->leak_per_cycle, "--leak-threshold", e); break;
		case 'g': ret = parse_unsigned(optarg, "--guest-puts", 0, 10000000, &o->guest_puts, e); break;
		case 'j': o->json_path = optarg; break;
		case 'N': o->name = optarg; break;
		case 'B': o->bind = false; break;
		case 'L': o->load_modules = true; break;
		case 'E':
			if (!strcmp(optarg, "auto"))
				o->emulated = VH_EMULATED_AUTO;
			else if (!strcmp(optarg, "yes"))
				o->emulated = VH_EMULATED_YES;
			else if (!strcmp(optarg, "no"))
				o->emulated = VH_EMULATED_NO;
			else
				ret = tl_err(e, "--emulated: '%s' is not auto, yes or no", optarg);
			break;
		case 'G': o->boot_guest = true; break;
		case 'I': o->guest_image = optarg; break;
		case 'b': ret = parse_unsigned(optarg, "--guest-boots", 1, 16, &o->guest_boots, e); break;
		case 't': ret = parse_unsigned(optarg, "--guest-timeout", 10, 86400, &o->guest_timeout, e); break;
		case 'M': o->guest_machine = optarg; break;
		case 'w': ret = size_parse(optarg, &o->guest_dma_window, "--guest-dma-window", e); break;
		case 'C': o->guest_log = optarg; break;
		case 'Q': o->qemu = optarg; break;
		case 'h': vh_usage(stdout); exit(0);
		case '?':
			if (optopt)
				return tl_err(e, "option -%c: unknown or missing its value (see --help)", optopt);
			return tl_err(e, "unknown option '%s' (see --help)", argv[optind - 1]);
		default: return tl_err(e, "unknown option (see --help)");
		}
		if (ret)
			return -1;
	}
	if (optind < argc)
		return tl_err(e, "unexpected argument '%s' (devices go with --device)", argv[optind]);
	if (o->window_size & (o->window_size - 1))
		return tl_err(e, "--window-size: %llu is not a power of two",
			      (unsigned long long)o->window_size);
	if (o->window_size < (1ull << 24))
		return tl_err(e, "--window-size: at least 16M (a 64-bit DMA window smaller than the "
				 "32-bit one tells nothing)");
	if (o->window_shift && (o->window_size >> o->window_shift) == 0)
		return tl_err(e, "--window-page-shift %u: larger than the window", o->window_shift);
	if (!o->guest_mem)
		return tl_err(e, "--guest-mem: must be more than 0");
	if (o->boot_guest && !o->guest_image)
		return tl_err(e, "--boot-guest needs --guest-image DIR (the suite's guest image: "
				 "vmlinux and guest.cpio.gz)");
	if (!o->boot_guest && o->guest_image)
		return tl_err(e, "--guest-image without --boot-guest: nothing would boot it");
	if (o->boot_guest && !o->ndevices)
		return tl_err(e, "--boot-guest needs the NVMe to pass through (--device ADDR)");
	if (o->guest_dma_window & (o->guest_dma_window - 1) || o->guest_dma_window < (1ull << 20))
		return tl_err(e, "--guest-dma-window: %llu is not a power of two of at least 1M",
			      (unsigned long long)o->guest_dma_window);
	return 0;
}
