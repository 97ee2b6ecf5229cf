// SPDX-License-Identifier: GPL-2.0-only
/* Platform and running-kernel checks, and helpers the other checks share. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "checks.h"
#include "procinfo.h"

int run_command(const char *const argv[], char *out, size_t len)
{
	int pipefd[2], status;
	size_t n = 0;
	pid_t pid;

	if (len)
		out[0] = '\0';
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char buf[256];
		ssize_t got = read(pipefd[0], buf, sizeof(buf));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got && len && n + 1 < len; i++)
			out[n++] = buf[i] == '\n' ? ' ' : buf[i];
	}
	if (len)
		out[n] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char *new_kernel_log(struct vh_ctx *c)
{
	struct tl_error e;
	char *log, *all;
	size_t old, add;

	if (!c->have_kmsg)
		return NULL;
	log = kmsg_read_new(&c->kmsg, &e);
	if (!log)
		return NULL;
	/* failed hypercalls to the hypervisor below, for check_hcall_errors() */
	for (const char *line = log; *line;) {
		const char *eol = strchr(line, '\n');
		char msg[200];
		const char *semi = strchr(line, ';');

		if (semi && (!eol || semi < eol))
			line = semi + 1;
		snprintf(msg, sizeof(msg), "%.*s", (int)(eol ? eol - line : (long)strlen(line)), line);
		if (kmsg_is_hcall_error(msg)) {
			if (c->hcall_errors < 4)
				snprintf(c->hcall_error_lines[c->hcall_errors], sizeof(c->hcall_error_lines[0]),
					 "%s", msg);
			c->hcall_errors++;
			c->hcall_errors_emulated += kmsg_emulation_issue(msg) != NULL;
		}
		if (!eol)
			break;
		line = eol + 1;
	}
	/* keep the whole log for the device histories */
	old = c->boot_log ? strlen(c->boot_log) : 0;
	add = strlen(log);
	all = realloc(c->boot_log, old + add + 1);
	if (all) {
		memcpy(all + old, log, add + 1);
		c->boot_log = all;
	}
	return log;
}

void metric_add(struct vh_ctx *c, const char *name, const char *unit, const char *device,
		double value)
{
	struct vh_metric *m = NULL;
	double *grown;

	for (size_t i = 0; i < c->nmetrics; i++)
		if (!strcmp(c->metrics[i].name, name) && !strcmp(c->metrics[i].device, device))
			m = &c->metrics[i];
	if (!m) {
		if (c->nmetrics == VH_MAX_METRICS)
			return;
		m = &c->metrics[c->nmetrics++];
		memset(m, 0, sizeof(*m));
		snprintf(m->name, sizeof(m->name), "%s", name);
		snprintf(m->unit, sizeof(m->unit), "%s", unit);
		snprintf(m->device, sizeof(m->device), "%s", device);
	}
	grown = realloc(m->samples, (m->n + 1) * sizeof(double));
	if (!grown)
		return;
	m->samples = grown;
	m->samples[m->n++] = value;
}

const char *human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (u < 4 && bytes >= 1024 && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, units[u]);
	return buf;
}

void check_kernel_log(struct vh_ctx *c, const char *id, const char *what)
{
	struct kmsg_findings f;
	char *log;

	if (!c->have_kmsg) {
		check_skip(c->r, id, "/dev/kmsg is not readable", "kernel log during %s", what);
		return;
	}
	log = new_kernel_log(c);
	kmsg_findings_init(&f);
	kmsg_findings_scan(&f, log);
	free(log);
	if (!f.count) {
		check_pass(c->r, id, "no kernel warning, BUG or oops during %s", what);
		return;
	}
	check_fail(c->r, true, id, "%u kernel warning/BUG/oops message(s) during %s", f.count, what);
	for (unsigned i = 0; i < f.kept; i++) {
		const char *known = kmsg_known_issue(f.first[i]);

		check_detail(c->r, "kernel: %s", f.first[i]);
		if (known)
			check_detail(c->r, "  %s", known);
	}
}

void check_hcall_errors(struct vh_ctx *c)
{
	struct report *r = c->r;
	const char *why = NULL;

	if (!c->have_kmsg) {
		check_skip(r, "kernel.hcall-errors", "/dev/kmsg is not readable",
			   "hypercalls to the hypervisor below");
		return;
	}
	free(new_kernel_log(c));
	if (!c->hcall_errors) {
		check_pass(r, "kernel.hcall-errors", "no failed hypercall to the hypervisor below%s",
			   c->plat.kind == PLATFORM_PSERIES ? "" : " (bare metal: none to make)");
		return;
	}
	if (c->hcall_errors == c->hcall_errors_emulated)
		why = kmsg_emulation_issue(c->hcall_error_lines[0]);
	if (why)
		check_fail_emulated(r, true, "kernel.hcall-errors", why,
				    "%u hypercall(s) KVM made to the hypervisor below failed",
				    c->hcall_errors);
	else
		check_fail(r, true, "kernel.hcall-errors",
			   "%u hypercall(s) KVM made to the hypervisor below failed", c->hcall_errors);
	for (unsigned i = 0; i < c->hcall_errors && i < 4; i++)
		check_detail(r, "kernel: %s", c->hcall_error_lines[i]);
}

/* ------------------------------------------------------------ platform -- */

static bool power_family_ok(const char *family)
{
	return !strcmp(family, "POWER8") || !strcmp(family, "POWER8E") ||
	       !strcmp(family, "POWER8NVL") || !strcmp(family, "POWER9") ||
	       !strcmp(family, "POWER10") || !strcmp(family, "POWER11");
}

void check_platform(struct vh_ctx *c)
{
	const struct platform *p = &c->plat;
	struct report *r = c->r;
	char sz[32];

	switch (p->kind) {
	case PLATFORM_POWERNV:
		check_pass(r, "platform.kind", "PowerNV: bare metal on OPAL firmware (%s)",
			   p->cpu.machine[0] ? p->cpu.machine : p->dt_model);
		break;
	case PLATFORM_PSERIES:
		check_pass(r, "platform.kind",
			   "pseries logical partition (%s): KVM guests run nested in the LPAR",
			   p->cpu.machine[0] ? p->cpu.machine : p->dt_model);
		break;
	default:
		check_fail(r, true, "platform.kind",
			   "neither PowerNV nor pseries (cpuinfo platform '%s'): no KVM HV here",
			   p->cpu.platform);
	}
	if (p->emulated)
		check_detail(r, "emulated by QEMU (model '%s'): checks known to differ from real "
				"hardware are marked XFAIL with the reason",
			     p->cpu.model[0] ? p->cpu.model : p->dt_model);

	if (p->kind != PLATFORM_PSERIES) {
		check_skip(r, "platform.lparcfg", "not a logical partition", "/proc/powerpc/lparcfg");
	} else if (!p->have_lparcfg) {
		char name[64] = "";

		check_fail(r, false, "platform.lparcfg",
			   "/proc/powerpc/lparcfg is missing: the kernel is built without "
			   "CONFIG_LPARCFG (so is Debian's ppc64el kernel)");
		if (dt_string("/", "ibm,partition-name", name, sizeof(name)))
			check_detail(r, "device tree: partition name '%s'", name);
	} else {
		const struct lparcfg *l = &p->lpar;

		check_pass(r, "platform.lparcfg",
			   "lparcfg %s: partition %ld%s%s, system type %s, %s processors, %ld active",
			   l->version, l->partition_id, l->partition_name[0] ? " " : "",
			   l->partition_name, l->system_type[0] ? l->system_type : "unknown",
			   l->shared_processor_mode == 1 ? "shared" :
			   l->shared_processor_mode == 0 ? "dedicated" : "unknown-mode",
			   l->partition_active_processors);
		if (l->partition_entitled_capacity >= 0)
			check_detail(r, "entitled capacity %ld.%02ld processors, %s, %u lparcfg fields",
				     l->partition_entitled_capacity / 100,
				     l->partition_entitled_capacity % 100,
				     l->capped == 1 ? "capped" : l->capped == 0 ? "uncapped" : "capping unknown",
				     l->fields);
	}

	if (!p->have_cpuinfo)
		check_fail(r, true, "platform.cpu", "/proc/cpuinfo has no cpu line");
	else if (!power_family_ok(p->cpu.cpu_family))
		check_fail(r, true, "platform.cpu", "%s: KVM HV needs POWER8 or later", p->cpu.cpu);
	else {
		check_pass(r, "platform.cpu", "%s, revision %s, %u threads", p->cpu.cpu,
			   p->cpu.revision[0] ? p->cpu.revision : "unknown", p->cpu.processors);
		if (p->cpu.architected)
			check_detail(r, "the partition runs in an architected (compatibility) CPU mode");
	}

	if (p->kind == PLATFORM_POWERNV) {
		if (p->firmware[0])
			check_pass(r, "platform.firmware", "%s", p->firmware);
		else
			check_fail(r, false, "platform.firmware",
				   "no skiboot version in the device tree (ibm,opal/firmware/version)");
	} else if (p->kind == PLATFORM_PSERIES) {
		if (p->firmware[0] && !strstr(p->firmware, "QEMU"))
			check_pass(r, "platform.firmware", "%s", p->firmware);
		else
			check_fail_emulated(r, false, "platform.firmware",
					    "QEMU's pseries firmware (VOF or SLOF) carries no PowerVM "
					    "firmware level",
					    "no system firmware level in the device tree "
					    "(openprom/ibm,fw-vernum_encoded)%s%s",
					    p->firmware[0] ? ": " : "", p->firmware);
	} else {
		check_skip(r, "platform.firmware", "unknown platform", "firmware version");
	}

	if (p->kind == PLATFORM_PSERIES)
		check_pass(r, "platform.hypervisor", "%s", p->hypervisor);
	else
		check_skip(r, "platform.hypervisor", "bare metal: no hypervisor below the host",
			   "hypervisor");

	if (!p->cpu.mmu[0])
		check_fail(r, false, "platform.mmu", "MMU mode unknown (no MMU line in /proc/cpuinfo)");
	else if (p->kind == PLATFORM_PSERIES && !p->radix)
		check_fail(r, true, "platform.mmu",
			   "%s: KVM in a logical partition (nested) needs the radix MMU", p->cpu.mmu);
	else
		check_pass(r, "platform.mmu", "%s%s", p->cpu.mmu,
			   p->radix ? " (guests can use radix or hash)" : " (guests use hash page tables)");

	check_pass(r, "platform.page-size", "%s base pages", human_size(p->page_size, sz, sizeof(sz)));
	if (p->page_size == 4096 && p->kind == PLATFORM_POWERNV)
		check_detail(r, "a 4 KiB-page host kernel: QEMU maps KVM's XIVE device with 64 KiB "
				"pages and falls back to its userspace XIVE (see irqchip.xive); most "
				"POWER distributions use 64 KiB pages");
	else if (p->page_size == 4096 && p->kind == PLATFORM_PSERIES)
		check_detail(r, "a 4 KiB-page host kernel in an LPAR: QEMU needs "
				"cap-hpt-max-page-size=4096 for guests, and a passthrough PHB's DMA "
				"window of at most 512 MiB (dma_win_size=0x20000000)");
}

/* -------------------------------------------------------------- kernel -- */

static int param_bool(const char *name)
{
	char path[256], v[16];

	snprintf(path, sizeof(path), "/sys/module/kvm/parameters/%s", name);
	if (!read_line(path, v, sizeof(v)))
		return -1;
	return v[0] == 'Y' || v[0] == 'y' || v[0] == '1';
}

void check_kernel(struct vh_ctx *c)
{
	static const char *const modules[] = { "kvm", "kvm_hv", "vfio", "vfio_iommu_spapr_tce",
						"vfio_pci_core", "vfio_pci" };
	struct report *r = c->r;
	struct utsname u;
	char version[256] = "", taint_text[16] = "", letters[32], desc[512];
	unsigned long taint = 0;

	uname(&u);
	read_line("/proc/version", version, sizeof(version));
	check_pass(r, "kernel.version", "%s %s", u.release, u.machine);
	check_detail(r, "%s", version);
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		struct module_info m;

		module_info_read("/sys", modules[i], &m);
		if (!m.loaded)
			check_detail(r, "module %s: not loaded", modules[i]);
		else
			check_detail(r, "module %s: build-id %s%s%s%s%s%s%s", modules[i],
				     m.build_id[0] ? m.build_id : "unknown",
				     m.srcversion[0] ? " srcversion " : "", m.srcversion,
				     m.version[0] ? " version " : "", m.version,
				     m.taint[0] ? " taint " : "", m.taint);
	}

	if (read_line("/proc/sys/kernel/tainted", taint_text, sizeof(taint_text)))
		taint = strtoul(taint_text, NULL, 10);
	taint_letters(taint, letters, sizeof(letters));
	taint_describe(taint, desc, sizeof(desc));
	if (taint & taint_trouble_mask())
		check_fail(r, false, "kernel.taint",
			   "tainted %lu (%s): something already went wrong on this boot", taint, letters);
	else
		check_pass(r, "kernel.taint", "%s", taint ? letters : "not tainted");
	if (taint)
		check_detail(r, "%s", desc);

	c->tce_accel = param_bool("tce_accel");
	c->tce_vfio_accel = param_bool("tce_vfio_accel");
	c->tce_patch = c->tce_accel >= 0 || c->tce_vfio_accel >= 0;
	if (c->tce_patch)
		check_pass(r, "kernel.tce-patch",
			   "the suite's KVM patch series is loaded (kvm parameters tce_accel=%s, "
			   "tce_vfio_accel=%s)",
			   c->tce_accel < 0 ? "absent" : c->tce_accel ? "Y" : "N",
			   c->tce_vfio_accel < 0 ? "absent" : c->tce_vfio_accel ? "Y" : "N");
	else
		check_skip(r, "kernel.tce-patch", "stock kvm module (no tce_accel parameter)",
			   "the suite's KVM patch series");

	if (!c->tce_patch)
		check_skip(r, "kernel.tce-switch", "the suite's patch series is not loaded",
			   "in-kernel TCE switch");
	else if (c->tce_accel == 0)
		check_fail(r, true, "kernel.tce-switch",
			   "TCE switch set to userspace for all tables (tce_accel=N): KVM hides "
			   "KVM_CAP_SPAPR_TCE, every TCE hypercall goes to QEMU");
	else if (c->tce_vfio_accel == 0)
		check_fail(r, true, "kernel.tce-switch",
			   "TCE switch set to userspace for VFIO (tce_vfio_accel=N): KVM hides "
			   "KVM_CAP_SPAPR_TCE_VFIO, QEMU keeps passthrough TCE tables in userspace");
	else
		check_pass(r, "kernel.tce-switch", "in-kernel: TCE tables, VFIO ones included, offered "
						  "to QEMU");
	if (c->tce_patch && (c->tce_accel == 0 || c->tce_vfio_accel == 0))
		check_detail(r, "set it back: echo Y > /sys/module/kvm/parameters/%s (acts on VMs "
				"started afterwards)",
			     c->tce_accel == 0 ? "tce_accel" : "tce_vfio_accel");
}
