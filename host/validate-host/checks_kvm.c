// SPDX-License-Identifier: GPL-2.0-only
/* KVM and in-kernel interrupt controller checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "checks.h"
#include "procinfo.h"

/* What the suite's in-kernel TCE path needs, and why. */
static const struct {
	long cap;
	const char *id;
	const char *why; /* shown when it is 0 */
} required_caps[] = {
	{ TL_KVM_CAP_SPAPR_TCE, "kvm.cap.SPAPR_TCE",
	  "no in-kernel TCE tables: every guest TCE hypercall goes to QEMU" },
	{ TL_KVM_CAP_SPAPR_TCE_64, "kvm.cap.SPAPR_TCE_64",
	  "no 64-bit TCE tables: QEMU cannot create in-kernel tables for DDW windows" },
	{ TL_KVM_CAP_SPAPR_TCE_VFIO, "kvm.cap.SPAPR_TCE_VFIO",
	  "QEMU keeps passthrough devices' TCE tables in userspace (kvmppc_create_spapr_tce "
	  "with need_vfio)" },
	{ TL_KVM_CAP_SPAPR_MULTITCE, "kvm.cap.SPAPR_MULTITCE",
	  "QEMU will not offer H_PUT_TCE_INDIRECT/H_STUFF_TCE to guests" },
	{ TL_KVM_CAP_PPC_ENABLE_HCALL, "kvm.cap.PPC_ENABLE_HCALL",
	  "QEMU cannot move H_PUT_TCE_INDIRECT/H_STUFF_TCE into the kernel" },
};

static void record_caps(struct vh_ctx *c, int fd)
{
	for (size_t i = 0; i < sizeof(c->caps) / sizeof(c->caps[0]); i++)
		c->caps[i] = -1;
	for (const struct kvm_cap_name *n = kvm_ppc_caps; n->name; n++) {
		int v = kvm_check_extension(fd, n->cap);

		if (n->cap >= 0 && n->cap < 256)
			c->caps[n->cap] = v;
	}
}

static int cap(const struct vh_ctx *c, long n)
{
	return n >= 0 && n < 256 ? c->caps[n] : -1;
}

void check_kvm(struct vh_ctx *c)
{
	struct report *r = c->r;
	struct module_info m;
	struct tl_error e;
	int vm_fd = -1;
	struct tl_vcpu vcpu = { .fd = -1 };

	module_info_read("/sys", "kvm_hv", &m);
	if (!m.loaded && c->o->load_modules) {
		const char *argv[] = { "modprobe", "kvm_hv", NULL };
		char out[256];
		int rc = run_command(argv, out, sizeof(out));

		module_info_read("/sys", "kvm_hv", &m);
		if (!m.loaded) {
			check_fail(r, true, "kvm.kvm_hv", "modprobe kvm_hv failed (exit %d): %s", rc,
				   out[0] ? out : "no message");
			check_detail(r, "see dmesg; on a pseries LPAR, KVM HV needs the hypervisor to "
					"offer nested virtualization (PowerVM KVM-enabled LPAR, or "
					"QEMU cap-nested-hv/cap-nested-papr)");
		} else {
			check_pass(r, "kvm.kvm_hv", "kvm_hv loaded by --load-modules (build-id %.12s%s%s)",
				   m.build_id, m.taint[0] ? ", taint " : "", m.taint);
		}
	} else if (!m.loaded) {
		check_fail(r, true, "kvm.kvm_hv", "kvm_hv is not loaded: no KVM HV on this host");
		check_detail(r, "load it with 'modprobe kvm_hv' (or run with --load-modules to try); "
				"if that fails, dmesg says why");
	} else {
		check_pass(r, "kvm.kvm_hv", "kvm_hv is loaded (build-id %.12s%s%s)", m.build_id,
			   m.taint[0] ? ", taint " : "", m.taint);
	}
	c->kvm_hv_loaded = m.loaded;

	c->have_kvm = kvm_open(&c->kvm, NULL, &e) == 0;
	if (!c->have_kvm) {
		check_fail(r, true, "kvm.dev-kvm", "%s%s", e.msg,
			   errno == ENOENT ? " (the kvm module is not loaded)" : "");
		check_skip(r, "kvm.vm", "/dev/kvm does not open", "VM creation");
		check_skip(r, "kvm.vcpu", "/dev/kvm does not open", "vCPU creation");
		for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++)
			check_skip(r, required_caps[i].id, "/dev/kvm does not open", "capability");
		return;
	}
	check_pass(r, "kvm.dev-kvm", "/dev/kvm opens (API %d, kvm_run %d bytes)", 12, c->kvm.run_size);

	if (kvm_vm_create(&c->kvm, TL_KVM_VM_PPC_HV, &vm_fd, &e)) {
		check_fail(r, true, "kvm.vm", "%s%s", e.msg,
			   !c->kvm_hv_loaded ? " (no HV KVM: kvm_hv is not loaded)" : "");
		check_skip(r, "kvm.vcpu", "no VM", "vCPU creation");
	} else {
		c->can_create_vm = true;
		check_pass(r, "kvm.vm", "an HV VM can be created (KVM_CREATE_VM type KVM_VM_PPC_HV)");
		if (kvm_vcpu_create(&c->kvm, vm_fd, 0, &vcpu, &e) || kvm_vcpu_enable_papr(&vcpu, &e))
			check_fail(r, true, "kvm.vcpu", "%s", e.msg);
		else
			check_pass(r, "kvm.vcpu", "a vCPU can be created in PAPR mode");
	}

	/* the VM's answer is the one QEMU acts on; /dev/kvm's when there is no VM */
	record_caps(c, vm_fd >= 0 ? vm_fd : c->kvm.fd);
	c->caps_from = vm_fd >= 0 ? "VM" : "/dev/kvm";
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		int v = cap(c, required_caps[i].cap);
		const char *name = kvm_cap_name(required_caps[i].cap);

		if (v > 0) {
			check_pass(r, required_caps[i].id, "%s = %d", name, v);
			continue;
		}
		check_fail(r, true, required_caps[i].id, "%s = %d: %s", name, v, required_caps[i].why);
		if ((required_caps[i].cap == TL_KVM_CAP_SPAPR_TCE_VFIO && c->tce_vfio_accel == 0) ||
		    c->tce_accel == 0)
			check_detail(r, "hidden by the suite's TCE switch (see kernel.tce-switch)");
	}
	{
		int radix = cap(c, TL_KVM_CAP_PPC_MMU_RADIX), hash = cap(c, TL_KVM_CAP_PPC_MMU_HASH_V3);

		if (radix > 0 || hash > 0)
			check_pass(r, "kvm.cap.MMU", "guests can use: %s%s%s (MMU_RADIX = %d, MMU_HASH_V3 = %d)",
				   radix > 0 ? "radix" : "", radix > 0 && hash > 0 ? " and " : "",
				   hash > 0 ? "hash" : "", radix, hash);
		else if (vm_fd >= 0)
			check_fail(r, true, "kvm.cap.MMU",
				   "KVM offers neither radix nor hash (v3) guests (%d, %d)", radix, hash);
		else
			check_skip(r, "kvm.cap.MMU", "no VM to ask", "guest MMU modes");
		c->can_run_guest = vcpu.fd >= 0 && radix > 0;
	}
	check_pass(r, "kvm.cap.info",
		   "PPC_NESTED_HV = %d, PPC_IRQ_XIVE = %d, IRQ_XICS = %d, PPC_PAPR = %d, "
		   "NR_VCPUS = %d (from the %s)",
		   cap(c, TL_KVM_CAP_PPC_NESTED_HV), cap(c, TL_KVM_CAP_PPC_IRQ_XIVE),
		   cap(c, TL_KVM_CAP_IRQ_XICS), cap(c, TL_KVM_CAP_PPC_PAPR), cap(c, TL_KVM_CAP_NR_VCPUS),
		   c->caps_from);
	if (c->plat.kind == PLATFORM_PSERIES && vm_fd >= 0)
		check_detail(r, "KVM in an LPAR: PPC_NESTED_HV = %d suggests nested API %s",
			     cap(c, TL_KVM_CAP_PPC_NESTED_HV),
			     cap(c, TL_KVM_CAP_PPC_NESTED_HV) > 0 ?
				     "v1 (the hypervisor below is KVM with nested-HV)" :
				     "v2 (PAPR H_GUEST_* API: PowerVM, or QEMU cap-nested-papr)");

	/* the suite's counters: per-vCPU binary statistics */
	if (c->tce_patch && vcpu.fd >= 0) {
		int sfd = kvm_stats_fd(vcpu.fd, &e);
		uint64_t v;

		if (sfd < 0)
			check_fail(r, false, "kernel.tce-counters", "%s", e.msg);
		else if (kvm_stats_read(sfd, "tce_put_kernel", &v, &e) == 0)
			check_pass(r, "kernel.tce-counters",
				   "the suite's TCE hypercall counters are in the vCPU statistics "
				   "(tce_put_kernel and others)");
		else
			check_fail(r, false, "kernel.tce-counters",
				   "tce switch present but no tce_put_kernel statistic: kvm.ko and "
				   "kvm-hv.ko from different builds?");
		if (sfd >= 0)
			close(sfd);
	} else if (c->tce_patch) {
		check_skip(r, "kernel.tce-counters", "no vCPU to read statistics from",
			   "the suite's TCE counters");
	}
	kvm_vcpu_destroy(&vcpu);
	if (vm_fd >= 0)
		close(vm_fd);
}

/* ----------------------------------------------------------- irqchip -- */

#define XIVE_TIMA_PAGE_OFFSET 0 /* KVM_XIVE_TIMA_PAGE_OFFSET */
#define XIVE_ESB_PAGE_OFFSET 4  /* KVM_XIVE_ESB_PAGE_OFFSET */

/* Create vCPU 0 and connect it to the interrupt controller, as QEMU does. */
static int connect_vcpu(struct vh_ctx *c, int vm_fd, int dev_fd, long cap,
			const char *what, struct tl_vcpu *vcpu, char *why, size_t len)
{
	uint64_t args[2] = { (uint64_t)dev_fd, 0 };
	struct tl_error e;

	if (kvm_vcpu_create(&c->kvm, vm_fd, 0, vcpu, &e) || kvm_vcpu_enable_papr(vcpu, &e)) {
		snprintf(why, len, "%s", e.msg);
		return -1;
	}
	if (kvm_enable_cap(vcpu->fd, cap, args, 2, &e)) {
		snprintf(why, len, "%s device created, connecting a vCPU fails: %s", what, e.msg);
		return -1;
	}
	return 0;
}

/*
 * What QEMU does in kvmppc_xive_connect() (hw/intc/spapr_xive_kvm.c):
 * create the device, mmap the source ESB pages at "page" 4 and the TIMA
 * at 0, both with a hard-coded 64 KiB page size, then connect each vCPU
 * (KVM_ENABLE_CAP KVM_CAP_PPC_IRQ_XIVE). Returns 0 when all worked.
 */
static int try_xive(struct vh_ctx *c, char *why, size_t len, bool *page_size_bug)
{
	struct tl_vcpu vcpu = { .fd = -1 };
	struct tl_error e;
	int vm_fd, dev_fd = -1, ret = -1;
	long host_page = (long)c->plat.page_size;
	void *m;

	*page_size_bug = false;
	if (kvm_vm_create(&c->kvm, TL_KVM_VM_PPC_HV, &vm_fd, &e)) {
		snprintf(why, len, "%s", e.msg);
		return -1;
	}
	if (kvm_create_device(vm_fd, TL_KVM_DEV_TYPE_XIVE, false, &dev_fd, &e)) {
		snprintf(why, len, "%s", e.msg);
		goto out;
	}
	/* QEMU: ESB pages at 4 << 16, 2 x 64 KiB per interrupt (one interrupt here) */
	m = mmap(NULL, 2 << 16, PROT_READ | PROT_WRITE, MAP_SHARED, dev_fd,
		 (off_t)XIVE_ESB_PAGE_OFFSET << 16);
	if (m == MAP_FAILED) {
		int err = errno;
		void *native = mmap(NULL, 2 * host_page, PROT_READ | PROT_WRITE, MAP_SHARED, dev_fd,
				    (off_t)XIVE_ESB_PAGE_OFFSET * host_page);

		*page_size_bug = native != MAP_FAILED && host_page != 65536;
		if (native != MAP_FAILED)
			munmap(native, 2 * host_page);
		snprintf(why, len,
			 "XIVE device created, but QEMU's mmap of its ESB pages (offset 4 x 64 KiB) "
			 "fails: %s%s",
			 strerror(err),
			 *page_size_bug ? "; the same mapping in host pages works: QEMU hard-codes "
					  "64 KiB pages (kvmppc_xive_mmap), this kernel uses 4 KiB" : "");
		goto out;
	}
	munmap(m, 2 << 16);
	m = mmap(NULL, 4 << 16, PROT_READ | PROT_WRITE, MAP_SHARED, dev_fd,
		 (off_t)XIVE_TIMA_PAGE_OFFSET << 16);
	if (m == MAP_FAILED) {
		snprintf(why, len, "XIVE device created, but QEMU's mmap of the TIMA (4 x 64 KiB) "
				   "fails: %s", strerror(errno));
		goto out;
	}
	munmap(m, 4 << 16);
	if (connect_vcpu(c, vm_fd, dev_fd, TL_KVM_CAP_PPC_IRQ_XIVE, "XIVE", &vcpu, why, len))
		goto out;
	ret = 0;
out:
	kvm_vcpu_destroy(&vcpu);
	if (dev_fd >= 0)
		close(dev_fd);
	close(vm_fd);
	return ret;
}

/* QEMU's xics_kvm_connect(): create the device, connect each vCPU. */
static int try_xics(struct vh_ctx *c, char *why, size_t len)
{
	struct tl_vcpu vcpu = { .fd = -1 };
	struct tl_error e;
	int vm_fd, dev_fd = -1, ret = -1;

	if (kvm_vm_create(&c->kvm, TL_KVM_VM_PPC_HV, &vm_fd, &e)) {
		snprintf(why, len, "%s", e.msg);
		return -1;
	}
	if (kvm_create_device(vm_fd, TL_KVM_DEV_TYPE_XICS, false, &dev_fd, &e)) {
		snprintf(why, len, "%s", e.msg);
		goto out;
	}
	if (connect_vcpu(c, vm_fd, dev_fd, TL_KVM_CAP_IRQ_XICS, "XICS", &vcpu, why, len))
		goto out;
	ret = 0;
out:
	kvm_vcpu_destroy(&vcpu);
	if (dev_fd >= 0)
		close(dev_fd);
	close(vm_fd);
	return ret;
}

void check_irqchip(struct vh_ctx *c)
{
	struct report *r = c->r;
	char why[400];
	bool xive = false, xics = false, page_bug = false;

	if (!c->can_create_vm) {
		check_skip(r, "irqchip.xive", "no VM can be created", "in-kernel XIVE");
		check_skip(r, "irqchip.xics", "no VM can be created", "in-kernel XICS");
		check_skip(r, "irqchip.in-kernel", "no VM can be created", "in-kernel interrupt controller");
		return;
	}

	if (cap(c, TL_KVM_CAP_PPC_IRQ_XIVE) <= 0) {
		snprintf(why, sizeof(why), "KVM_CAP_PPC_IRQ_XIVE = %d", cap(c, TL_KVM_CAP_PPC_IRQ_XIVE));
		if (c->plat.kind == PLATFORM_PSERIES)
			/* true on hardware too: nested KVM has no XIVE for its guests */
			check_fail(r, false, "irqchip.xive",
				   "no in-kernel XIVE: %s (KVM in an LPAR never has one; QEMU then "
				   "needs ic-mode=xics for an in-kernel controller)", why);
		else
			check_fail(r, false, "irqchip.xive", "no in-kernel XIVE: %s", why);
	} else if (try_xive(c, why, sizeof(why), &page_bug)) {
		check_fail(r, false, "irqchip.xive", "in-kernel XIVE unusable by QEMU: %s", why);
		if (page_bug)
			check_detail(r, "not an emulation artefact: any 4 KiB-page host kernel has it; "
					"QEMU then falls back to its userspace XIVE");
	} else {
		xive = true;
		check_pass(r, "irqchip.xive", "in-kernel XIVE: device created, ESB and TIMA mapped as "
					      "QEMU maps them, vCPU connected");
	}

	if (cap(c, TL_KVM_CAP_IRQ_XICS) <= 0) {
		check_fail(r, false, "irqchip.xics", "no in-kernel XICS: KVM_CAP_IRQ_XICS = %d",
			   cap(c, TL_KVM_CAP_IRQ_XICS));
	} else if (try_xics(c, why, sizeof(why))) {
		check_fail(r, false, "irqchip.xics", "in-kernel XICS unusable: %s", why);
	} else {
		xics = true;
		check_pass(r, "irqchip.xics", "in-kernel XICS: device created, vCPU connected%s",
			   c->plat.kind == PLATFORM_POWERNV ? " (XICS-on-XIVE)" : "");
	}

	if (xive || xics)
		check_pass(r, "irqchip.in-kernel", "QEMU can keep interrupts in the kernel: %s",
			   xive ? "ic-mode=xive (or dual)" : "ic-mode=xics,kernel-irqchip=on (not the default XIVE)");
	else
		check_fail(r, true, "irqchip.in-kernel",
			   "no in-kernel interrupt controller: QEMU falls back to its userspace one "
			   "('kernel_irqchip allowed but unavailable'), every I/O interrupt then "
			   "goes through QEMU");
	if (!xive && xics)
		check_detail(r, "QEMU's default (ic-mode=dual/xive) still falls back to userspace here: "
				"start guests with ic-mode=xics,kernel-irqchip=on");
}
