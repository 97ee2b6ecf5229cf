// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-validate-host: is this POWER host (bare-metal PowerNV on OPAL, or
 * a pseries LPAR with KVM) ready to run KVM guests with passed-through
 * devices, and if not, exactly why. One KTAP line per check, the suite's
 * result JSON with --json, exit status 0 (ready), 1 (a required check
 * failed) or 2 (bad input, not a POWER host, not root).
 *
 * It changes nothing on the host but what it is told to: the devices
 * named with --device are bound to vfio-pci (never one that carries a
 * mounted filesystem, swap or the default route), --load-modules loads
 * KVM and VFIO modules. Everything it creates (VMs, containers, windows,
 * TCE tables) is released before it exits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json_writer.h"
#include "tcelab/result.h"
#include "checks.h"
#include "options.h"
#include "platform.h"
#include "report.h"

#define ME "tcelab-validate-host"

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, ME ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static int write_json(const struct vh_ctx *c, const struct report *r, struct tl_error *e)
{
	const struct vh_options *o = c->o;
	struct result_where where;
	struct json_writer w;
	char tmp[4096];
	const char **errors = NULL;
	size_t nerrors = 0;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", o->json_path);
	f = fopen(tmp, "w");
	if (!f)
		return tl_err_errno(e, "%s", tmp);
	result_where_detect(&where);
	if (!strcmp(where.host_kind, "unknown"))
		snprintf(where.host_kind, sizeof(where.host_kind), "%s",
			 platform_kind_name(c->plat.kind));
	/* the path QEMU would pick for a passed-through device's TCE table */
	if (!strcmp(where.tce_mode, "unknown") && c->caps[TL_KVM_CAP_SPAPR_TCE_VFIO] >= 0)
		snprintf(where.tce_mode, sizeof(where.tce_mode), "%s",
			 c->caps[TL_KVM_CAP_SPAPR_TCE_VFIO] > 0 ? "in-kernel" : "userspace");
	if (c->plat.emulated && !strcmp(where.environment, "unknown"))
		snprintf(where.environment, sizeof(where.environment), "emulated");
	jw_init(&w, f, true);
	result_begin(&w, "validate-host", o->name, &where);
	jw_object_begin(&w, "parameters");
	jw_array_begin(&w, "devices");
	for (size_t i = 0; i < o->ndevices; i++)
		jw_string(&w, NULL, o->devices[i]);
	jw_array_end(&w);
	jw_uint(&w, "cycles", o->cycles);
	jw_uint(&w, "guest_mem", o->guest_mem);
	jw_uint(&w, "window_size", o->window_size);
	jw_uint(&w, "window_page_shift", o->window_shift);
	jw_uint(&w, "guest_puts", o->guest_puts);
	jw_bool(&w, "bind", o->bind);
	jw_bool(&w, "load_modules", o->load_modules);
	jw_bool(&w, "emulated", r->emulated);
	jw_bool(&w, "boot_guest", o->boot_guest);
	if (o->boot_guest) {
		jw_string(&w, "guest_image", o->guest_image);
		jw_string(&w, "guest_machine", o->guest_machine);
		jw_uint(&w, "guest_boots", o->guest_boots);
	}
	jw_object_end(&w);
	result_metrics_begin(&w);
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct vh_metric *m = &c->metrics[i];

		result_metric_begin(&w, m->name, m->unit, RESULT_LOWER_IS_BETTER);
		jw_object_begin(&w, "labels");
		jw_string(&w, "device", m->device);
		jw_object_end(&w);
		result_metric_samples(&w, m->samples, m->n, true);
		result_metric_end(&w);
	}
	result_metrics_end(&w);
	jw_object_begin(&w, "platform");
	jw_string(&w, "kind", platform_kind_name(c->plat.kind));
	jw_string(&w, "cpu", c->plat.cpu.cpu);
	jw_string(&w, "machine", c->plat.cpu.machine);
	jw_string(&w, "firmware", c->plat.firmware);
	jw_string(&w, "hypervisor", c->plat.hypervisor);
	jw_string(&w, "mmu", c->plat.cpu.mmu);
	jw_uint(&w, "page_size", c->plat.page_size);
	jw_object_end(&w);
	jw_object_begin(&w, "summary");
	jw_uint(&w, "passed", r->passed);
	jw_uint(&w, "failed", r->failed);
	jw_uint(&w, "required_failed", r->required_failed);
	jw_uint(&w, "skipped", r->skipped);
	jw_uint(&w, "xfail", r->xfailed);
	jw_object_end(&w);
	report_write_json(r, &w);
	/* errors: the required checks that failed, one line each */
	errors = calloc(r->n ? r->n : 1, sizeof(*errors));
	char (*lines)[512] = calloc(r->n ? r->n : 1, sizeof(*lines));

	for (size_t i = 0; errors && lines && i < r->n; i++)
		if (r->checks[i].status == CHECK_FAIL && r->checks[i].required) {
			snprintf(lines[nerrors], sizeof(lines[0]), "%s: %s", r->checks[i].id,
				 r->checks[i].summary);
			errors[nerrors] = lines[nerrors];
			nerrors++;
		}
	result_end(&w, r->required_failed ? "failed" : "passed", errors, nerrors);
	free(errors);
	free(lines);
	if (jw_finish(&w, e)) {
		fclose(f);
		unlink(tmp);
		return tl_err_wrap(e, "%s", tmp);
	}
	if (fclose(f) || rename(tmp, o->json_path))
		return tl_err_errno(e, "%s", o->json_path);
	return 0;
}

static void load_modules(struct report *r)
{
	static const char *const mods[] = { "vfio_iommu_spapr_tce", "vfio-pci" }; /* kvm_hv: check_kvm */

	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		const char *argv[] = { "modprobe", mods[i], NULL };
		char out[256];
		int rc = run_command(argv, out, sizeof(out));

		if (rc)
			report_comment(r, "--load-modules: modprobe %s: exit %d %s", mods[i], rc, out);
	}
}

int main(int argc, char **argv)
{
	struct vh_options o;
	struct vh_ctx c;
	struct report r;
	struct tl_error e;
	struct utsname u;
	struct stat st;
	bool emulated;
	int status;

	if (vh_parse_options(argc, argv, &o, &e))
		die("%s", e.msg);
	if (uname(&u))
		die("uname: %s", strerror(errno));
	if (strncmp(u.machine, "ppc64", 5))
		die("not running on POWER (this machine is %s): run it on the POWER host to validate",
		    u.machine);
	if (geteuid() != 0)
		die("%s", "needs root (it opens /dev/kvm, /dev/vfio, /dev/kmsg and binds devices): "
			  "run it with sudo");
	for (size_t i = 0; i < o.ndevices; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", o.devices[i]);
		if (stat(path, &st))
			die("no PCI device %s on this host (lspci -D lists them)", o.devices[i]);
	}
	if (o.boot_guest) {
		static const char *const files[] = { "vmlinux", "guest.cpio.gz" };

		for (size_t i = 0; i < 2; i++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", o.guest_image, files[i]);
			if (stat(path, &st))
				die("--guest-image: no %s (guest-images/build-guest-image --out DIR "
				    "makes vmlinux and guest.cpio.gz)", path);
		}
	}

	memset(&c, 0, sizeof(c));
	c.o = &o;
	c.r = &r;
	c.kvm.fd = -1;
	for (size_t i = 0; i < sizeof(c.caps) / sizeof(c.caps[0]); i++)
		c.caps[i] = -1; /* not asked */
	c.kmsg.fd = -1;
	platform_detect("/", (unsigned long)sysconf(_SC_PAGESIZE), &c.plat);
	emulated = o.emulated == VH_EMULATED_YES ||
		   (o.emulated == VH_EMULATED_AUTO && c.plat.emulated);
	c.plat.emulated = emulated;
	report_init(&r, stdout, emulated);
	report_comment(&r, ME " " TCELAB_VERSION ": %s host, kernel %s%s",
		       platform_kind_name(c.plat.kind), u.release,
		       emulated ? ", emulated by QEMU" : "");

	/* the whole kernel log so far (device histories), then follow it */
	if (kmsg_open(&c.kmsg, false, &e) == 0) {
		c.have_kmsg = true;
		c.boot_log = kmsg_read_new(&c.kmsg, &e);
	} else {
		report_comment(&r, "%s: kernel log checks are skipped", e.msg);
	}
	if (o.load_modules)
		load_modules(&r);

	check_platform(&c);
	check_kernel(&c);
	check_kvm(&c);
	check_irqchip(&c);
	check_kernel_log(&c, "kernel.log", "the platform, KVM and interrupt controller checks");
	if (!o.ndevices)
		check_skip(&r, "dev", "no --device given: the lab names the devices to check",
			   "IOMMU, VFIO and TCE table checks");
	for (size_t i = 0; i < o.ndevices; i++)
		check_device(&c, o.devices[i]);
	if (o.boot_guest)
		check_guest(&c);
	check_hcall_errors(&c);

	status = report_finish(&r);
	if (o.json_path && write_json(&c, &r, &e)) {
		fprintf(stderr, ME ": %s\n", e.msg);
		status = 2;
	}
	if (c.have_kvm)
		kvm_close(&c.kvm);
	if (c.have_kmsg)
		kmsg_close(&c.kmsg);
	free(c.boot_log);
	for (size_t i = 0; i < c.nmetrics; i++)
		free(c.metrics[i].samples);
	report_free(&r);
	return status;
}
