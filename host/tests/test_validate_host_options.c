// SPDX-License-Identifier: GPL-2.0-only
/* validate-host's command line: defaults, every option, and bad input. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tcelab/error.h"
#include "options.h"
#include "../../tests/ktap.h"

static int parse(struct vh_options *o, struct tl_error *e, ...)
{
	char *argv[32] = { "tcelab-validate-host" };
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, e);
	while ((a = va_arg(ap, char *)) && argc < 31)
		argv[argc++] = a;
	va_end(ap);
	e->msg[0] = '\0';
	return vh_parse_options(argc, argv, o, e);
}

int main(void)
{
	struct vh_options o;
	struct tl_error e;

	report(parse(&o, &e, NULL) == 0, "no options: valid (no device: device checks skipped)");
	report(o.ndevices == 0 && o.cycles == 20 && o.guest_mem == 1ull << 30 &&
		       o.window_size == 1ull << 30 && o.window_shift == 0 && o.guest_puts == 512 &&
		       o.bind && !o.load_modules && o.emulated == VH_EMULATED_AUTO && !o.json_path &&
		       !strcmp(o.name, "validate-host") && o.leak_per_cycle == 64 << 10,
	       "defaults");

	report(parse(&o, &e, "--device", "0001:00:00.0", "--device", "01:00.0", NULL) == 0 &&
		       o.ndevices == 2 && !strcmp(o.devices[0], "0001:00:00.0") &&
		       !strcmp(o.devices[1], "0000:01:00.0"),
	       "--device repeats, short form gets domain 0000");
	report(parse(&o, &e, "--device", "0001:00:00.0", "--device", "1:0:0.0", NULL) == -1 &&
		       strstr(e.msg, "given twice"),
	       "the same device twice is refused (%s)", e.msg);
	report(parse(&o, &e, "--device", "nvme0", NULL) == -1 && strstr(e.msg, "not a PCI address"),
	       "a device that is not an address is refused (%s)", e.msg);
	report(parse(&o, &e, "-d", "0000:00:20.0", NULL) == -1 && strstr(e.msg, "out of range"),
	       "slot out of range is refused");
	report(parse(&o, &e, "-d", "0:1:0.0", "-d", "0:2:0.0", "-d", "0:3:0.0", "-d", "0:4:0.0", "-d",
		     "0:5:0.0", "-d", "0:6:0.0", "-d", "0:7:0.0", "-d", "0:8:0.0", "-d", "0:9:0.0",
		     NULL) == -1 &&
		       strstr(e.msg, "at most 8"),
	       "more than 8 devices is refused");

	report(parse(&o, &e, "--cycles", "5", "--guest-mem", "4G", "--window-size", "256M",
		     "--window-page-shift", "16", "--leak-threshold", "1M", "--guest-puts", "0",
		     "--json", "/tmp/x.json", "--name", "lab-a", "--no-bind", "--load-modules",
		     "--emulated", "no", NULL) == 0 &&
		       o.cycles == 5 && o.guest_mem == 4ull << 30 && o.window_size == 256ull << 20 &&
		       o.window_shift == 16 && o.leak_per_cycle == 1 << 20 && o.guest_puts == 0 &&
		       !strcmp(o.json_path, "/tmp/x.json") && !strcmp(o.name, "lab-a") && !o.bind &&
		       o.load_modules && o.emulated == VH_EMULATED_NO,
	       "every option");
	report(parse(&o, &e, "--emulated", "yes", NULL) == 0 && o.emulated == VH_EMULATED_YES,
	       "--emulated yes");
	report(parse(&o, &e, "--emulated", "maybe", NULL) == -1 && strstr(e.msg, "auto, yes or no"),
	       "--emulated maybe is refused");
	report(parse(&o, &e, "--cycles", "0", NULL) == -1 && strstr(e.msg, "--cycles"),
	       "--cycles 0 is refused (%s)", e.msg);
	report(parse(&o, &e, "--cycles", "-3", NULL) == -1, "negative cycles are refused");
	report(parse(&o, &e, "--cycles", "10x", NULL) == -1, "trailing garbage is refused");
	report(parse(&o, &e, "--window-size", "768M", NULL) == -1 && strstr(e.msg, "power of two"),
	       "a window size that is not a power of two is refused");
	report(parse(&o, &e, "--window-size", "1M", NULL) == -1 && strstr(e.msg, "at least 16M"),
	       "a tiny window is refused");
	report(parse(&o, &e, "--window-page-shift", "11", NULL) == -1, "page shift below 12 is refused");
	report(parse(&o, &e, "--window-size", "16M", "--window-page-shift", "30", NULL) == -1 &&
		       strstr(e.msg, "larger than the window"),
	       "a page larger than the window is refused");
	report(parse(&o, &e, "--guest-mem", "lots", NULL) == -1 && strstr(e.msg, "--guest-mem"),
	       "a bad size names its option (%s)", e.msg);
	report(parse(&o, &e, "--bogus", NULL) == -1 && strstr(e.msg, "unknown option"),
	       "unknown option (%s)", e.msg);
	report(parse(&o, &e, "--cycles", NULL) == -1, "missing value");
	report(parse(&o, &e, "0001:00:00.0", NULL) == -1 && strstr(e.msg, "--device"),
	       "a bare address says to use --device (%s)", e.msg);

	/* the guest smoke */
	report(parse(&o, &e, NULL) == 0 && !o.boot_guest && !o.guest_image &&
		       !strcmp(o.qemu, "qemu-system-ppc64") &&
		       !strcmp(o.guest_machine, "pseries,x-vof=on") && o.guest_boots == 3 &&
		       o.guest_timeout == 600 && o.guest_dma_window == 64ull << 20 && !o.guest_log,
	       "guest smoke defaults: off, 3 boots, 600 s, 64M window");
	report(parse(&o, &e, "-d", "1:0:0.0", "--boot-guest", "--guest-image", "/img",
		     "--guest-boots", "5", "--guest-timeout", "60", "--guest-machine", "pseries",
		     "--guest-dma-window", "256M", "--guest-log", "/tmp/c.log", "--qemu",
		     "/opt/q/qemu-system-ppc64", NULL) == 0 &&
		       o.boot_guest && !strcmp(o.guest_image, "/img") && o.guest_boots == 5 &&
		       o.guest_timeout == 60 && !strcmp(o.guest_machine, "pseries") &&
		       o.guest_dma_window == 256ull << 20 && !strcmp(o.guest_log, "/tmp/c.log") &&
		       !strcmp(o.qemu, "/opt/q/qemu-system-ppc64"),
	       "every guest smoke option");
	report(parse(&o, &e, "-d", "1:0:0.0", "--boot-guest", NULL) == -1 &&
		       strstr(e.msg, "--boot-guest needs --guest-image"),
	       "--boot-guest without an image is refused (%s)", e.msg);
	report(parse(&o, &e, "--boot-guest", "--guest-image", "/img", NULL) == -1 &&
		       strstr(e.msg, "--device"),
	       "--boot-guest without a device is refused (%s)", e.msg);
	report(parse(&o, &e, "--guest-image", "/img", NULL) == -1 &&
		       strstr(e.msg, "without --boot-guest"),
	       "--guest-image alone is refused (%s)", e.msg);
	report(parse(&o, &e, "--guest-boots", "0", NULL) == -1 && strstr(e.msg, "--guest-boots"),
	       "--guest-boots 0 is refused (%s)", e.msg);
	report(parse(&o, &e, "--guest-timeout", "5", NULL) == -1 && strstr(e.msg, "--guest-timeout"),
	       "a guest timeout under 10 s is refused (%s)", e.msg);
	report(parse(&o, &e, "--guest-dma-window", "3M", NULL) == -1 &&
		       strstr(e.msg, "--guest-dma-window"),
	       "a guest DMA window that is not a power of two is refused (%s)", e.msg);
	return report_summary();
}
