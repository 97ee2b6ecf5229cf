// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-device checks: driver and safety, IOMMU group and viability, sPAPR
 * TCE v1 and v2, default window, DDW, RLIMIT_MEMLOCK; then, as QEMU does
 * for a passed-through device, in-kernel TCE tables for the default and a
 * large 64-bit window attached through the KVM-VFIO device, the minimal
 * guest's H_PUT_TCE against them, the create/attach/release cycle
 * repeated, and what it left behind (locked_vm, MemFree, kernel log).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "tcelab/timing.h"
#include "tcelab/vfio.h"
#include "checks.h"
#include "guest.h"
#include "procinfo.h"
#include "tce.h"

#define LIOBN_DEFAULT 0x80000000ull  /* QEMU's first PHB window LIOBNs look alike */
#define LIOBN_WINDOW64 0x80000001ull
#define GUEST_RAM (16ull << 20)

static char *dup_text(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void id_of(char *out, size_t len, const char *addr, const char *what)
{
	snprintf(out, len, "dev.%s.%s", addr, what);
}

/* The devices of an IOMMU group with their drivers: "0001:00:00.0 (vfio-pci), ..." */
static void group_members(int group, char *out, size_t len)
{
	char path[128], drv[64];
	struct dirent *d;
	struct tl_error e;
	size_t used = 0;
	DIR *dir;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", group);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		int w;

		if (d->d_name[0] == '.')
			continue;
		if (pci_driver("/sys", d->d_name, drv, sizeof(drv), &e))
			snprintf(drv, sizeof(drv), "?");
		w = snprintf(out + used, len - used, "%s%s (%s)", used ? ", " : "", d->d_name,
			     drv[0] ? drv : "no driver");
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	closedir(dir);
}

static bool has_cap_ipc_lock(void)
{
	struct tl_error e;
	char *status = tl_read_file("/proc/self/status", NULL, &e);
	const char *p = status ? strstr(status, "CapEff:") : NULL;
	unsigned long long caps = 0;

	if (p)
		caps = strtoull(p + 7, NULL, 16);
	free(status);
	return caps & (1ull << 14); /* CAP_IPC_LOCK */
}

static void page_sizes_text(uint64_t mask, char *out, size_t len)
{
	size_t used = 0;
	char sz[32];

	out[0] = '\0';
	for (unsigned s = 12; s < 64; s++)
		if (mask & (1ull << s)) {
			int w = snprintf(out + used, len - used, "%s%s", used ? ", " : "",
					 human_size(1ull << s, sz, sizeof(sz)));

			if (w < 0 || (size_t)w >= len - used)
				return;
			used += (size_t)w;
		}
}

/* ------------------------------------------------------- TCE session -- */

struct session {
	struct vfio_dev d;
	int vm_fd, kvm_vfio_fd;
	struct guest g;
	bool have_guest;
	void *ram; /* guest RAM (the guest's, or our own when no guest runs) */
	uint64_t ram_size;
	bool own_ram, registered, group_added;
	unsigned win_shift;
	unsigned win_levels;
};

static void session_close(struct session *s)
{
	struct tl_error e;

	if (s->group_added)
		kvm_vfio_group_del(s->kvm_vfio_fd, s->d.group_fd, &e);
	s->group_added = false;
	if (s->kvm_vfio_fd >= 0)
		close(s->kvm_vfio_fd);
	s->kvm_vfio_fd = -1;
	if (s->registered)
		vfio_spapr_unregister(&s->d, s->ram, s->ram_size, &e);
	s->registered = false;
	if (s->have_guest)
		guest_destroy(&s->g);
	s->have_guest = false;
	if (s->own_ram && s->ram)
		munmap(s->ram, s->ram_size);
	s->ram = NULL;
	if (s->vm_fd >= 0)
		close(s->vm_fd);
	s->vm_fd = -1;
	vfio_close(&s->d);
}

/* VM, KVM-VFIO device, guest RAM, v2 container with RAM registered and
 * the default window created, group added to KVM-VFIO. */
static int session_open(struct vh_ctx *c, struct session *s, const char *addr, struct tl_error *e)
{
	memset(s, 0, sizeof(*s));
	s->vm_fd = s->kvm_vfio_fd = -1;
	s->d.container_fd = s->d.group_fd = s->d.device_fd = -1;
	if (kvm_vm_create(&c->kvm, TL_KVM_VM_PPC_HV, &s->vm_fd, e))
		return -1;
	if (kvm_vfio_create(s->vm_fd, &s->kvm_vfio_fd, e))
		goto fail;
	if (c->can_run_guest && c->o->guest_puts) {
		if (guest_create(&s->g, &c->kvm, s->vm_fd, GUEST_RAM, e))
			goto fail;
		s->have_guest = true;
		s->ram = s->g.ram;
		s->ram_size = s->g.ram_size;
	} else {
		s->ram = mmap(NULL, GUEST_RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1, 0);
		if (s->ram == MAP_FAILED) {
			s->ram = NULL;
			tl_err_errno(e, "guest RAM");
			goto fail;
		}
		s->own_ram = true;
		s->ram_size = GUEST_RAM;
		/* touch it: pre-registration pins pages */
		memset(s->ram, 0, s->ram_size);
	}
	if (vfio_open(&s->d, addr, VFIO_IOMMU_SPAPR_V2, false, e))
		goto fail;
	if (vfio_spapr_register(&s->d, s->ram, s->ram_size, e))
		goto fail;
	s->registered = true;
	if (tce_default_window_create(&s->d, e))
		goto fail;
	if (kvm_vfio_group_add(s->kvm_vfio_fd, s->d.group_fd, e))
		goto fail;
	s->group_added = true;
	return 0;
fail:
	session_close(s);
	return -1;
}

/* One create/attach/release cycle's state. */
struct cycle {
	struct tl_tce_table a, b;
	uint64_t win_start;
	bool window;
};

static void cycle_release(struct session *s, struct cycle *cy)
{
	struct tl_error e;

	if (cy->b.fd >= 0)
		close(cy->b.fd);
	cy->b.fd = -1;
	if (cy->window)
		vfio_spapr_window_remove(&s->d, cy->win_start, &e);
	cy->window = false;
	if (cy->a.fd >= 0)
		close(cy->a.fd);
	cy->a.fd = -1;
}

/* Steps of a cycle; a failure says which. */
enum cycle_step { STEP_TABLE_A, STEP_ATTACH_A, STEP_WINDOW, STEP_TABLE_B, STEP_ATTACH_B, STEP_DONE };

static enum cycle_step cycle_run(struct vh_ctx *c, struct session *s, struct cycle *cy,
				 bool want_window, int *err, struct tl_error *e)
{
	(void)c;
	cy->a.fd = cy->b.fd = -1;
	cy->window = false;
	tce_table_for_window(&cy->a, LIOBN_DEFAULT, s->d.dma32.start, s->d.dma32.size, 12);
	if (kvm_create_spapr_tce_64(s->vm_fd, &cy->a, e))
		goto fail_a;
	if (kvm_vfio_set_spapr_tce(s->kvm_vfio_fd, s->d.group_fd, cy->a.fd, e)) {
		*err = errno;
		return STEP_ATTACH_A;
	}
	if (!want_window)
		return STEP_DONE;
	if (vfio_spapr_window_create(&s->d, s->win_shift, c->o->window_size, s->win_levels,
				     &cy->win_start, e)) {
		*err = errno;
		return STEP_WINDOW;
	}
	cy->window = true;
	tce_table_for_window(&cy->b, LIOBN_WINDOW64, cy->win_start, c->o->window_size, s->win_shift);
	if (kvm_create_spapr_tce_64(s->vm_fd, &cy->b, e)) {
		*err = errno;
		return STEP_TABLE_B;
	}
	if (kvm_vfio_set_spapr_tce(s->kvm_vfio_fd, s->d.group_fd, cy->b.fd, e)) {
		*err = errno;
		return STEP_ATTACH_B;
	}
	return STEP_DONE;
fail_a:
	*err = errno;
	return STEP_TABLE_A;
}

static volatile sig_atomic_t alarm_fired;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

/* The minimal guest issues H_PUT_TCE on the default window's table. */
static void guest_path(struct vh_ctx *c, struct session *s, const char *addr)
{
	struct report *r = c->r;
	char id[128], desc[200];
	struct guest_params gp = {
		.liobn = LIOBN_DEFAULT,
		.ioba = s->d.dma32.start,
		.stride = 4096,
		.batch = 16,
		.tce = GUEST_DATA_GPA | TL_TCE_READ | TL_TCE_WRITE,
	};
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	uint64_t count = 0, user_puts = 0, failed = 0, count0 = 0;
	struct guest_exit x = { 0 };
	struct tl_error e;
	bool stop = false, fault = false;
	double t0 = 0, t1;
	bool warm = false;
	int64_t first_rc = 0;

	id_of(id, sizeof(id), addr, "tce.guest-h-put-tce");
	if (!s->have_guest) {
		check_skip(r, id,
			   !c->o->guest_puts ? "--guest-puts 0" :
			   "the minimal guest needs a radix-capable KVM and a vCPU",
			   "H_PUT_TCE from a guest on the attached table");
		return;
	}
	if (guest_start(&s->g, &gp, &e)) {
		check_fail(r, true, id, "%s", e.msg);
		return;
	}
	sigaction(SIGALRM, &sa, &old);
	alarm_fired = 0;
	alarm(30);
	/* timed from the first round's end: the first calls fault in memory */
	while (!stop && count < count0 + c->o->guest_puts) {
		if (guest_run(&s->g, &x, &e)) {
			guest_exit_describe(&x, desc, sizeof(desc));
			check_fail(r, true, id, "%s", e.msg);
			alarm(0);
			sigaction(SIGALRM, &old, NULL);
			return;
		}
		switch (x.kind) {
		case GUEST_EXIT_BATCH:
			count = x.count;
			if (!warm) {
				warm = true;
				count0 = count;
				t0 = timing_monotonic_s() * 1e9;
			}
			break;
		case GUEST_EXIT_FAILED:
			if (!failed++)
				first_rc = x.rc;
			count = x.count;
			break;
		case GUEST_EXIT_PUT_TCE:
			/* a VMM would handle it in userspace; we only count it */
			user_puts++;
			guest_answer(&s->g, TL_H_SUCCESS);
			break;
		case GUEST_EXIT_INTR:
			if (alarm_fired)
				stop = true;
			break;
		case GUEST_EXIT_FAULT:
			fault = true;
			stop = true;
			break;
		default:
			stop = true;
			break;
		}
	}
	t1 = timing_monotonic_s() * 1e9;
	alarm(0);
	sigaction(SIGALRM, &old, NULL);

	if (fault || (stop && x.kind != GUEST_EXIT_INTR)) {
		guest_exit_describe(&x, desc, sizeof(desc));
		check_fail(r, true, id, "the minimal guest stopped: %s", desc);
		return;
	}
	if (alarm_fired && count < count0 + c->o->guest_puts) {
		check_fail(r, true, id, "the guest issued only %llu of %u H_PUT_TCE in 30 s",
			   (unsigned long long)count, c->o->guest_puts + (unsigned)count0);
		return;
	}
	if (user_puts)
		check_fail(r, true, id,
			   "%llu of %llu H_PUT_TCE went to userspace: the attached table is not "
			   "handled in the kernel",
			   (unsigned long long)user_puts, (unsigned long long)count + user_puts);
	else if (failed)
		check_fail(r, true, id, "%llu of %llu H_PUT_TCE failed in the kernel (first rc %lld)",
			   (unsigned long long)failed, (unsigned long long)count, (long long)first_rc);
	else
		check_pass(r, id,
			   "%llu H_PUT_TCE (map and unmap, VFIO-backed) handled in the kernel, none "
			   "exited to userspace, %.1f us each (wall clock, an exit every 32%s)",
			   (unsigned long long)count, (t1 - t0) / (double)(count - count0) / 1e3,
			   c->plat.emulated ? "; emulated: not a performance figure" : "");
	if (count > count0 && !user_puts)
		metric_add(c, "h_put_tce_ns", "ns", addr, (t1 - t0) / (double)(count - count0));
	if (c->tce_patch) {
		int sfd = kvm_stats_fd(s->g.vcpu.fd, &e);
		uint64_t k = 0, u = 0, f = 0;

		if (sfd >= 0 && !kvm_stats_read(sfd, "tce_put_kernel", &k, &e) &&
		    !kvm_stats_read(sfd, "tce_put_user", &u, &e) &&
		    !kvm_stats_read(sfd, "tce_put_failed", &f, &e))
			check_detail(r, "the suite's counters agree: tce_put_kernel %llu, tce_put_user "
					"%llu, tce_put_failed %llu",
				     (unsigned long long)k, (unsigned long long)u,
				     (unsigned long long)f);
		if (sfd >= 0)
			close(sfd);
	}
}

static const char *step_name(enum cycle_step s)
{
	switch (s) {
	case STEP_TABLE_A: return "KVM_CREATE_SPAPR_TCE_64 (default window)";
	case STEP_ATTACH_A: return "attach to the default window's table";
	case STEP_WINDOW: return "VFIO_IOMMU_SPAPR_TCE_CREATE (64-bit window)";
	case STEP_TABLE_B: return "KVM_CREATE_SPAPR_TCE_64 (64-bit window)";
	case STEP_ATTACH_B: return "attach to the 64-bit window's table";
	default: return "done";
	}
}

/* ------------------------------------------------------------- device -- */

void check_device(struct vh_ctx *c, const char *addr)
{
	struct report *r = c->r;
	char id[128], drv[64], before[64] = "", members[512], pg[128], sz[32], sz2[32];
	struct vfio_dev v1, v2;
	struct tl_error e;
	int group = -1, win_errno = 0;
	bool v2_ok = false, ddw = false;
	struct mem_snapshot m0 = { 0 }, m1 = { 0 }, m2 = { 0 }, m3 = { 0 };
	struct session s;
	struct cycle cy;
	enum cycle_step step;
	struct kmsg_device_history hist;
	char *log;

	report_comment(r, "device %s", addr);

	/* driver and safety */
	id_of(id, sizeof(id), addr, "driver");
	if (pci_driver("/sys", addr, before, sizeof(before), &e)) {
		check_fail(r, true, id, "%s", e.msg);
		return;
	}
	if (!strcmp(before, "vfio-pci")) {
		check_pass(r, id, "bound to vfio-pci");
	} else if (!c->o->bind) {
		check_fail(r, true, id, "bound to %s, not vfio-pci (--no-bind: left alone)",
			   before[0] ? before : "no driver");
	} else if (pci_bind_vfio("/sys", addr, &e)) {
		check_fail(r, true, id, "%s", e.msg);
		if (strstr(e.msg, "refusing"))
			check_detail(r, "the host depends on this device: it is never unbound");
	} else {
		check_pass(r, id, "bound to vfio-pci (was %s)", before[0] ? before : "no driver");
	}
	pci_driver("/sys", addr, drv, sizeof(drv), &e);

	/* group */
	id_of(id, sizeof(id), addr, "iommu-group");
	if (pci_iommu_group("/sys", addr, &group, &e)) {
		check_fail(r, true, id, "%s", e.msg);
		return;
	}
	group_members(group, members, sizeof(members));
	check_pass(r, id, "IOMMU group %d: %s", group, members);

	id_of(id, sizeof(id), addr, "group-viable");
	if (pci_group_viable("/sys", addr, &e)) {
		check_fail(r, true, id, "%s", e.msg);
		id_of(id, sizeof(id), addr, "vfio");
		check_skip(r, id, "the IOMMU group is not viable", "sPAPR TCE v1/v2, windows, TCE tables");
		goto history;
	}
	check_pass(r, id, "every device in group %d is bound to vfio-pci or to no driver", group);
	if (strcmp(drv, "vfio-pci")) {
		id_of(id, sizeof(id), addr, "vfio");
		check_skip(r, id, "the device is not bound to vfio-pci", "VFIO and TCE checks");
		goto history;
	}

	/* sPAPR TCE v1 */
	id_of(id, sizeof(id), addr, "spapr-v1");
	if (vfio_open(&v1, addr, VFIO_IOMMU_SPAPR_V1, false, &e)) {
		check_fail(r, false, id, "%s", e.msg);
	} else {
		check_pass(r, id, "sPAPR TCE v1 IOMMU: container, group and VFIO_IOMMU_ENABLE work "
				  "(default window 0x%llx + %s)",
			   (unsigned long long)v1.dma32.start, human_size(v1.dma32.size, sz, sizeof(sz)));
		vfio_close(&v1);
	}

	/* sPAPR TCE v2, default window, DDW */
	id_of(id, sizeof(id), addr, "spapr-v2");
	if (vfio_open(&v2, addr, VFIO_IOMMU_SPAPR_V2, false, &e)) {
		check_fail(r, true, id, "%s", e.msg);
		check_detail(r, "KVM's in-kernel TCE acceleration for VFIO works with v2 only");
	} else {
		v2_ok = true;
		check_pass(r, id, "sPAPR TCE v2 IOMMU (pre-registration, DDW)");
		id_of(id, sizeof(id), addr, "default-window");
		if (v2.dma32.size)
			check_pass(r, id, "default 32-bit DMA window: bus 0x%llx, %s, 4 KiB IOMMU pages",
				   (unsigned long long)v2.dma32.start,
				   human_size(v2.dma32.size, sz, sizeof(sz)));
		else
			check_fail(r, true, id, "the platform gives no default DMA window");
		id_of(id, sizeof(id), addr, "ddw");
		page_sizes_text(v2.ddw_page_sizes, pg, sizeof(pg));
		ddw = v2.ddw_max_windows >= 1 && v2.ddw_page_sizes;
		if (ddw)
			check_pass(r, id, "dynamic DMA windows offered: up to %u windows, %u levels, "
					  "IOMMU pages %s",
				   v2.ddw_max_windows, v2.ddw_levels, pg);
		else
			check_fail(r, false, id, "no dynamic DMA windows: guests get only the default "
						 "window");
		vfio_close(&v2);
	}

	/* RLIMIT_MEMLOCK */
	id_of(id, sizeof(id), addr, "memlock");
	{
		struct rlimit rl;
		uint64_t need = c->o->guest_mem + (v2_ok ? tce_table_bytes(c->o->window_size, 12) : 0);

		getrlimit(RLIMIT_MEMLOCK, &rl);
		if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
			check_pass(r, id, "RLIMIT_MEMLOCK %s covers %s of guest memory and its TCE tables",
				   rl.rlim_cur == RLIM_INFINITY ? "unlimited" :
				   human_size(rl.rlim_cur, sz, sizeof(sz)),
				   human_size(c->o->guest_mem, sz2, sizeof(sz2)));
		else if (has_cap_ipc_lock())
			check_pass(r, id, "RLIMIT_MEMLOCK %s is below the %s v2 pre-registration needs, "
					  "but this process has CAP_IPC_LOCK (as QEMU run by root has)",
				   human_size(rl.rlim_cur, sz, sizeof(sz)), human_size(need, sz2, sizeof(sz2)));
		else
			check_fail(r, true, id, "RLIMIT_MEMLOCK %s < %s: pre-registering the guest's "
						"memory (sPAPR TCE v2) will fail with ENOMEM",
				   human_size(rl.rlim_cur, sz, sizeof(sz)), human_size(need, sz2, sizeof(sz2)));
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
			check_detail(r, "raise it for the VMM (ulimit -l, LimitMEMLOCK=, libvirt's "
					"<memtune><hard_limit>) to at least the guest memory plus ~%s",
				     human_size(tce_table_bytes(c->o->window_size, 12), sz, sizeof(sz)));
	}

	/* TCE tables */
	if (!v2_ok || !c->can_create_vm) {
		id_of(id, sizeof(id), addr, "tce");
		check_skip(r, id, !v2_ok ? "no sPAPR TCE v2" : "no KVM VM can be created",
			   "in-kernel TCE tables attached to the group");
		goto history;
	}
	mem_snapshot_take(&m0);
	id_of(id, sizeof(id), addr, "tce.setup");
	if (session_open(c, &s, addr, &e)) {
		check_fail(r, true, id, "%s", e.msg);
		goto history;
	}
	s.win_shift = c->o->window_shift ? c->o->window_shift :
					   tce_pick_page_shift(s.d.ddw_page_sizes, 16);
	s.win_levels = 1;
	if (c->plat.kind == PLATFORM_POWERNV && tce_table_bytes(c->o->window_size, s.win_shift) > (1u << 20))
		s.win_levels = 2;
	check_pass(r, id, "VM, KVM-VFIO device, v2 container with %s of guest memory pre-registered, "
			  "default window created",
		   human_size(s.ram_size, sz, sizeof(sz)));

	/* cycle 0, step by step */
	step = cycle_run(c, &s, &cy, ddw && s.win_shift, &win_errno, &e);
	id_of(id, sizeof(id), addr, "tce.default-table");
	if (step <= STEP_ATTACH_A) {
		check_fail(r, true, id, "%s: %s", step_name(step), e.msg);
	} else {
		check_pass(r, id, "in-kernel table for the default window (liobn 0x%llx, %llu TCEs) "
				  "attached to group %d",
			   (unsigned long long)cy.a.liobn, (unsigned long long)cy.a.size, group);
	}
	id_of(id, sizeof(id), addr, "tce.window64");
	if (step <= STEP_ATTACH_A)
		check_skip(r, id, "the default window's table failed", "64-bit DMA window");
	else if (!ddw || !s.win_shift)
		check_skip(r, id, !ddw ? "no DDW" : "no allowed IOMMU page size up to 64 KiB",
			   "64-bit DMA window");
	else if (step == STEP_WINDOW)
		check_fail(r, true, id, "%s", e.msg);
	else {
		check_pass(r, id, "64-bit window created: bus 0x%llx, %s, %s IOMMU pages, %u level(s)",
			   (unsigned long long)cy.win_start, human_size(c->o->window_size, sz, sizeof(sz)),
			   human_size(1ull << s.win_shift, sz2, sizeof(sz2)), s.win_levels);
		id_of(id, sizeof(id), addr, "tce.window64-table");
		if (step != STEP_DONE)
			check_fail(r, true, id, "%s: %s", step_name(step), e.msg);
		else
			check_pass(r, id, "in-kernel table for the 64-bit window (liobn 0x%llx, %llu TCEs) "
					  "attached",
				   (unsigned long long)cy.b.liobn, (unsigned long long)cy.b.size);
	}
	if (step > STEP_ATTACH_A)
		guest_path(c, &s, addr);
	cycle_release(&s, &cy);

	/* more cycles */
	id_of(id, sizeof(id), addr, "tce.cycles");
	if (step != STEP_DONE && !(step == STEP_WINDOW && (!ddw || !s.win_shift))) {
		check_skip(r, id, "the first cycle failed", "create/attach/release cycles");
	} else {
		bool window = ddw && s.win_shift;
		unsigned done = 1;
		double t0;

		mem_snapshot_take(&m1);
		for (; done < c->o->cycles; done++) {
			t0 = timing_monotonic_s() * 1e9;
			step = cycle_run(c, &s, &cy, window, &win_errno, &e);
			cycle_release(&s, &cy);
			if (step != STEP_DONE)
				break;
			metric_add(c, "tce_cycle_us", "us", addr, (timing_monotonic_s() * 1e9 - t0) / 1e3);
		}
		mem_snapshot_take(&m2);
		if (done < c->o->cycles)
			check_fail(r, true, id, "cycle %u of %u failed at %s: %s", done + 1, c->o->cycles,
				   step_name(step), e.msg);
		else
			check_pass(r, id, "%u create/attach/release cycles of %s (what every guest "
					  "reboot does)",
				   c->o->cycles, window ? "both tables" : "the default window's table");
		if (m1.have_status && m2.have_status && m2.vm_lck_kb != m1.vm_lck_kb)
			check_detail(r, "locked_vm moved during the cycles: %llu -> %llu KiB",
				     (unsigned long long)m1.vm_lck_kb, (unsigned long long)m2.vm_lck_kb);
	}
	session_close(&s);
	usleep(200000); /* tables are freed after an RCU grace period */
	mem_snapshot_take(&m3);

	id_of(id, sizeof(id), addr, "tce.locked-vm");
	if (!m0.have_status || !m3.have_status)
		check_skip(r, id, "no VmLck in /proc/self/status", "locked_vm after release");
	else if (m3.vm_lck_kb != m0.vm_lck_kb || m3.vm_pin_kb != m0.vm_pin_kb)
		check_fail(r, true, id, "locked_vm %llu -> %llu KiB, pinned_vm %llu -> %llu KiB after "
					"everything was released: pages stay locked",
			   (unsigned long long)m0.vm_lck_kb, (unsigned long long)m3.vm_lck_kb,
			   (unsigned long long)m0.vm_pin_kb, (unsigned long long)m3.vm_pin_kb);
	else
		check_pass(r, id, "locked_vm back to %llu KiB, pinned_vm %llu KiB after release",
			   (unsigned long long)m3.vm_lck_kb, (unsigned long long)m3.vm_pin_kb);

	id_of(id, sizeof(id), addr, "tce.meminfo");
	if (!m1.have_meminfo || !m2.have_meminfo || c->o->cycles < 2) {
		check_skip(r, id, c->o->cycles < 2 ? "fewer than 2 cycles" : "no /proc/meminfo",
			   "MemFree drift over the cycles");
	} else {
		unsigned n = c->o->cycles - 1;
		double lost = (double)m1.mem_free_kb - (double)m2.mem_free_kb;
		double per = lost / n;
		double noise = (double)(m1.memfree_noise_kb + m2.memfree_noise_kb);

		metric_add(c, "memfree_loss_kib_per_cycle", "KiB", addr, per);
		if (per * 1024 > (double)c->o->leak_per_cycle && lost > noise)
			check_fail(r, false, id,
				   "MemFree fell %.1f KiB per cycle over %u cycles (threshold %s), "
				   "%.0f KiB in all, beyond MemFree's noise of %.0f KiB: a leak, or "
				   "other activity on the host",
				   per, n, human_size(c->o->leak_per_cycle, sz, sizeof(sz)), lost, noise);
		else if (per * 1024 > (double)c->o->leak_per_cycle)
			check_pass(r, id, "MemFree fell %.0f KiB over %u cycles: within its noise of "
					  "%.0f KiB (more --cycles resolve a leak of %s per cycle)",
				   lost, n, noise, human_size(c->o->leak_per_cycle, sz, sizeof(sz)));
		else
			check_pass(r, id, "MemFree changed %+.1f KiB per cycle over %u cycles (threshold %s)",
				   -per, n, human_size(c->o->leak_per_cycle, sz, sizeof(sz)));
		check_detail(r, "MemFree %llu -> %llu -> %llu KiB (start, after cycle 1, after cycle %u), "
				"%llu KiB after release; between the two it may be off by %.0f KiB with "
				"nothing leaked (per-CPU free lists, vmstat batching: /proc/zoneinfo)",
			     (unsigned long long)m0.mem_free_kb, (unsigned long long)m1.mem_free_kb,
			     (unsigned long long)m2.mem_free_kb, c->o->cycles,
			     (unsigned long long)m3.mem_free_kb, noise);
	}

history:
	/* the failed-DDW state: a kernel driver had the device before vfio-pci */
	id_of(id, sizeof(id), addr, "failed-ddw");
	log = new_kernel_log(c);
	{
		char *all = dup_text(c->boot_log);

		kmsg_device_history(all, addr, &hist);
		free(all);
	}
	{
		struct kmsg_findings f;
		char *copy = dup_text(log);
		char kid[128];

		if (hist.failed_ddw || win_errno == ENODEV) {
			check_fail(r, true, id, "the device is in the failed-DDW state%s%s%s",
				   hist.driver[0] ? ": the " : "", hist.driver,
				   hist.driver[0] ? " driver had it before vfio-pci" : "");
			if (hist.ddw_line[0])
				check_detail(r, "kernel: %s", hist.ddw_line);
			if (win_errno == ENODEV)
				check_detail(r, "creating the 64-bit window failed with ENODEV");
			check_detail(r, "bind it to vfio-pci before any driver probes it "
					"(driver_override at boot, or keep its driver out of the "
					"initramfs), then reboot: the list is cleared only at boot");
		} else if (c->plat.kind == PLATFORM_POWERNV && !hist.driver[0]) {
			check_skip(r, id, "PowerNV keeps no failed-DDW list and no other driver had the "
					  "device", "failed-DDW state");
		} else if (hist.driver[0]) {
			check_pass(r, id, "not in the failed-DDW state, although the %s driver had the "
					  "device before vfio-pci",
				   hist.driver);
		} else {
			check_pass(r, id, "not in the failed-DDW state; no other driver had the device "
					  "(per the kernel log)");
		}

		/* D-state changes the platform refused (boot log or these checks) */
		id_of(id, sizeof(id), addr, "power-state");
		if (log) {
			struct kmsg_device_history now;
			char *all = dup_text(log);

			kmsg_device_history(all, addr, &now);
			free(all);
			if (now.dstate_refused && !hist.dstate_refused) {
				hist.dstate_refused = true;
				snprintf(hist.dstate_line, sizeof(hist.dstate_line), "%s",
					 now.dstate_line);
			}
		}
		if (!c->have_kmsg) {
			check_skip(r, id, "/dev/kmsg is not readable", "D-state changes");
		} else if (hist.dstate_refused) {
			check_fail(r, false, id, "the platform refuses the device's D-state changes: a "
						 "guest whose vfio-pci idles it in D3hot reads zeros from it "
						 "under QEMU 10 or later");
			check_detail(r, "kernel: %s", hist.dstate_line);
			check_detail(r, "QEMU unmaps the BARs of a device it believes in D3 (pci_update_"
					"mappings); the guest reads back D0 from the device and never "
					"wakes it; on PowerNV, OPAL's PHB4 drops PM writes for a device "
					"right under a root port");
			check_detail(r, "guests: load vfio_pci with disable_idle_d3=1 (the suite's guest "
					"image does), or use their kernel driver");
		} else {
			check_pass(r, id, "no refused D-state change in the kernel log");
		}

		/* the kernel log of this device's checks */
		snprintf(kid, sizeof(kid), "dev.%s.kernel-log", addr);
		kmsg_findings_init(&f);
		kmsg_findings_scan(&f, copy);
		free(copy);
		if (!c->have_kmsg)
			check_skip(r, kid, "/dev/kmsg is not readable", "kernel log during the device checks");
		else if (!f.count)
			check_pass(r, kid, "no kernel warning, BUG or oops during the device checks");
		else {
			check_fail(r, true, kid, "%u kernel warning/BUG/oops message(s) during the device "
						 "checks", f.count);
			for (unsigned i = 0; i < f.kept; i++) {
				const char *known = kmsg_known_issue(f.first[i]);

				check_detail(r, "kernel: %s", f.first[i]);
				if (known)
					check_detail(r, "  %s", known);
			}
		}
	}
	free(log);
}
