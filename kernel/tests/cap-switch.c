// SPDX-License-Identifier: GPL-2.0-only
/*
 * cap-switch: KTAP test of tcelab's KVM series (kernel/patches) on a POWER
 * KVM host, real or emulated. Run as root on the host, after loading the
 * patched kvm.ko and kvm-hv.ko; mount debugfs for the debugfs checks.
 *
 *	cap-switch [--vfio-group /dev/vfio/N] [--no-guest]
 *
 * 1. A/B switch (patch 0001): toggles /sys/module/kvm/parameters/tce_accel
 *    and tce_vfio_accel and checks what KVM_CHECK_EXTENSION answers for
 *    KVM_CAP_SPAPR_TCE, _64, _VFIO (and that _MULTITCE does not change), on
 *    /dev/kvm and on a VM fd; in-kernel tables can still be created while
 *    hidden. The parameters are restored at the end.
 * 2. Counters (patch 0002): a minimal guest (five instructions in real mode)
 *    issues H_PUT_TCE, H_GET_TCE, H_STUFF_TCE and H_PUT_TCE_INDIRECT that
 *    KVM completes, fails (H_PARAMETER) or passes to this program (no table
 *    for the LIOBN, or the hcall not enabled); the tce_* counters must match,
 *    per vCPU through KVM_GET_STATS_FD and per VM in
 *    /sys/kernel/debug/kvm/PID-FD/.
 * 3. External interrupt delivery: a guest spinning with MSR[EE]=1 gets an
 *    interrupt raised with KVM_INTERRUPT (as QEMU does with its userspace
 *    interrupt controller) and must take it at 0x500. It passes on hardware,
 *    PowerVM and the other emulated hosts with any modules; under nested API
 *    v2 in QEMU TCG (-M pseries,cap-nested-papr=on) it fails with stock
 *    modules and passes with patch 0004 (series.emulated-lab).
 * 4. With --vfio-group (a group whose device is bound to vfio-pci): the group
 *    is added to a KVM-VFIO device and released without ever being attached
 *    to an in-kernel TCE table; the kernel log must show no WARNING from
 *    kvm_spapr_tce_release_vfio_group (patch 0003).
 *
 * A stock kvm.ko has no parameters and no counters: those checks are
 * skipped, and check 4 fails (the WARN is there), which makes it the
 * negative control. Output is KTAP; exit status 0 when nothing failed.
 *
 * Build: powerpc64le-linux-gnu-gcc -static -O2 -Wall -I tests \
 *		-o cap-switch kernel/tests/cap-switch.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "ktap.h"

#ifndef __powerpc64__
#error "cap-switch tests KVM on 64-bit POWER: build it with powerpc64le-linux-gnu-gcc"
#endif

/* uapi names that older userspace headers spell differently or lack. */
#ifndef KVM_DEV_VFIO_FILE
#define KVM_DEV_VFIO_FILE 1
#define KVM_DEV_VFIO_FILE_ADD 1
#define KVM_DEV_VFIO_FILE_DEL 2
#endif

#define H_SUCCESS 0
#define H_PARAMETER (-4)
#define H_GET_TCE 0x1c
#define H_PUT_TCE 0x20
#define H_STUFF_TCE 0x138
#define H_PUT_TCE_INDIRECT 0x13c
/* Above MAX_HCALL_OPCODE and unknown to KVM: always exits to us. */
#define H_MARKER 0x7ff0
#define H_MARKER_EXT 0x7ff1 /* from the guest's 0x500 handler */

#define MSR_SF (1ULL << 63)
#define MSR_EE (1ULL << 15)
#define MSR_ME (1ULL << 12)
#define MSR_RI (1ULL << 1)
#define MSR_LE (1ULL << 0)

#define MEM_SIZE (1UL << 20)
#define CODE 0x100
#define TCE_LIST 0x2000
#define LIOBN 0x1000	  /* has an in-kernel table */
#define LIOBN_USER 0x2000 /* has none: its hcalls go to userspace */
#define TABLE_PAGES 512	  /* 4 KiB pages: a 2 MiB window */
#define OUTSIDE ((uint64_t)TABLE_PAGES << 12)
#define TCE_RW 3
#define SPIN 0x200
#define LPCR_ILE (1ULL << 25)

static const char *param_dir = "/sys/module/kvm/parameters";

static int kvm_fd = -1;

/* --- module parameters -------------------------------------------------- */

static int param_read(const char *name)
{
	char path[256], buf[8] = "";
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", param_dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

static int param_write(const char *name, int on)
{
	char path[256];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", param_dir, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/* --- capabilities ------------------------------------------------------- */

static int cap(int fd, long c)
{
	return ioctl(fd, KVM_CHECK_EXTENSION, c);
}

struct caps {
	int tce, tce64, vfio, multi;
};

static struct caps caps_of(int fd)
{
	struct caps c = {
		.tce = cap(fd, KVM_CAP_SPAPR_TCE),
		.tce64 = cap(fd, KVM_CAP_SPAPR_TCE_64),
		.vfio = cap(fd, KVM_CAP_SPAPR_TCE_VFIO),
		.multi = cap(fd, KVM_CAP_SPAPR_MULTITCE),
	};
	return c;
}

/* Set both parameters, then check both fds answer as expected. */
static void check_switch(int vm, int accel, int vfio_accel, int want_tce, int want_vfio)
{
	struct caps s, v;
	int set = param_write("tce_accel", accel) == 0 &&
		  param_write("tce_vfio_accel", vfio_accel) == 0 &&
		  param_read("tce_accel") == accel && param_read("tce_vfio_accel") == vfio_accel;

	s = caps_of(kvm_fd);
	v = caps_of(vm);
	report_info("tce_accel=%d tce_vfio_accel=%d: /dev/kvm TCE=%d TCE_64=%d TCE_VFIO=%d MULTITCE=%d;"
		    " VM TCE=%d TCE_64=%d TCE_VFIO=%d MULTITCE=%d",
		    accel, vfio_accel, s.tce, s.tce64, s.vfio, s.multi, v.tce, v.tce64, v.vfio,
		    v.multi);
	report(set && s.tce == want_tce && s.tce64 == want_tce && s.vfio == want_vfio &&
		       v.tce == want_tce && v.tce64 == want_tce && v.vfio == want_vfio &&
		       s.multi == 1 && v.multi == 1,
	       "tce_accel=%d tce_vfio_accel=%d: SPAPR_TCE(_64)=%d SPAPR_TCE_VFIO=%d, MULTITCE=1",
	       accel, vfio_accel, want_tce, want_vfio);
}

static int create_table(int vm, uint64_t liobn)
{
	struct kvm_create_spapr_tce_64 t = {
		.liobn = liobn,
		.page_shift = 12,
		.flags = 0,
		.offset = 0,
		.size = TABLE_PAGES,
	};

	return ioctl(vm, KVM_CREATE_SPAPR_TCE_64, &t);
}

static void test_switch(void)
{
	int accel0, vfio0, vm, tfd;
	struct caps c;

	accel0 = param_read("tce_accel");
	vfio0 = param_read("tce_vfio_accel");
	if (accel0 < 0 || vfio0 < 0) {
		c = caps_of(kvm_fd);
		report_info("/dev/kvm: TCE=%d TCE_64=%d TCE_VFIO=%d MULTITCE=%d", c.tce, c.tce64,
			    c.vfio, c.multi);
		report_skip("no tce_accel/tce_vfio_accel in /sys/module/kvm/parameters (stock kvm.ko?)",
			    "A/B switch parameters");
		return;
	}
	report(1, "parameters tce_accel=%c tce_vfio_accel=%c exist", accel0 ? 'Y' : 'N',
	       vfio0 ? 'Y' : 'N');

	vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (!report(vm >= 0, "KVM_CREATE_VM for the switch tests")) {
		report_info("KVM_CREATE_VM: %s", strerror(errno));
		return;
	}
	check_switch(vm, 1, 1, 1, 1);
	check_switch(vm, 1, 0, 1, 0);
	check_switch(vm, 0, 1, 0, 0);
	check_switch(vm, 0, 0, 0, 0);

	/* Hidden, not forbidden: userspace that asks anyway still gets a table. */
	tfd = create_table(vm, LIOBN);
	report(tfd >= 0, "KVM_CREATE_SPAPR_TCE_64 still works with tce_accel=0");
	if (tfd >= 0)
		close(tfd);

	check_switch(vm, 1, 1, 1, 1);
	param_write("tce_accel", accel0);
	param_write("tce_vfio_accel", vfio0);
	report(param_read("tce_accel") == accel0 && param_read("tce_vfio_accel") == vfio0,
	       "parameters restored");
	close(vm);
}

/* --- counters ----------------------------------------------------------- */

static const char *const kinds[] = { "put", "indirect", "stuff", "get" };
static const char *const outcomes[] = { "kernel", "user", "failed" };
#define NKINDS 4
#define NOUT 3

struct counts {
	uint64_t n[NKINDS][NOUT];
};

static int kind_of(unsigned long nr)
{
	switch (nr) {
	case H_PUT_TCE:
		return 0;
	case H_PUT_TCE_INDIRECT:
		return 1;
	case H_STUFF_TCE:
		return 2;
	case H_GET_TCE:
		return 3;
	}
	return -1;
}

/* The tce_* counters of one vCPU through KVM_GET_STATS_FD; -1 if absent. */
static int stats_read(int vcpu, struct counts *c)
{
	struct kvm_stats_header h;
	size_t dsz;
	char *descs;
	int fd, found = 0;

	memset(c, 0, sizeof(*c));
	fd = ioctl(vcpu, KVM_GET_STATS_FD, NULL);
	if (fd < 0)
		return -1;
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h)) {
		close(fd);
		return -1;
	}
	dsz = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = calloc(h.num_desc, dsz);
	if (!descs || pread(fd, descs, h.num_desc * dsz, h.desc_offset) != (ssize_t)(h.num_desc * dsz)) {
		free(descs);
		close(fd);
		return -1;
	}
	for (unsigned int i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(descs + i * dsz);

		for (int k = 0; k < NKINDS; k++)
			for (int o = 0; o < NOUT; o++) {
				char name[64];
				uint64_t v;

				snprintf(name, sizeof(name), "tce_%s_%s", kinds[k], outcomes[o]);
				if (strcmp(d->name, name))
					continue;
				if (pread(fd, &v, sizeof(v), h.data_offset + d->offset) != sizeof(v))
					continue;
				c->n[k][o] = v;
				found++;
			}
	}
	free(descs);
	close(fd);
	return found == NKINDS * NOUT ? 0 : -1;
}

/* The per-VM sums in debugfs: /sys/kernel/debug/kvm/PID-VMFD/tce_*. */
static int debugfs_read(int vm, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	for (int k = 0; k < NKINDS; k++)
		for (int o = 0; o < NOUT; o++) {
			char path[256], buf[32] = "";
			int fd, n;

			snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/tce_%s_%s",
				 (int)getpid(), vm, kinds[k], outcomes[o]);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				return -1;
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n <= 0)
				return -1;
			c->n[k][o] = strtoull(buf, NULL, 10);
		}
	return 0;
}

static void print_counts(const char *what, const struct counts *c)
{
	report_info("%s: put %llu/%llu/%llu indirect %llu/%llu/%llu stuff %llu/%llu/%llu"
		    " get %llu/%llu/%llu (kernel/user/failed)", what,
		    (unsigned long long)c->n[0][0], (unsigned long long)c->n[0][1],
		    (unsigned long long)c->n[0][2], (unsigned long long)c->n[1][0],
		    (unsigned long long)c->n[1][1], (unsigned long long)c->n[1][2],
		    (unsigned long long)c->n[2][0], (unsigned long long)c->n[2][1],
		    (unsigned long long)c->n[2][2], (unsigned long long)c->n[3][0],
		    (unsigned long long)c->n[3][1], (unsigned long long)c->n[3][2]);
}

struct guest {
	int vm, vcpu;
	struct kvm_run *run;
	uint8_t *mem;
	struct counts seen; /* what this program saw and KVM's return codes */
};

/*
 * Real-mode guest code at CODE, little-endian:
 *	CODE+0x0: sc 1			the TCE hcall; r3..r7 come from the
 *					marker exit's ret and args
 *	CODE+0x4: mr r4,r3		its return code, as the marker's arg 0
 *	CODE+0x8: li r3,H_MARKER
 *	CODE+0xc: sc 1			exits to us: one hcall done
 *	CODE+0x10: b CODE
 * On KVM_RUN after an hcall exit, KVM loads r3 from papr_hcall.ret and r4..r12
 * from papr_hcall.args, which is how each next hcall gets its arguments.
 */
static const uint32_t guest_code[] = {
	0x44000022, /* sc 1 */
	0x7c641b78, /* mr r4,r3 */
	0x38600000 | H_MARKER, /* li r3,H_MARKER */
	0x44000022, /* sc 1 */
	0x4bfffff0, /* b .-16 */
};

/* Run until the marker; answer TCE hcalls passed to userspace with H_SUCCESS. */
static int guest_run(struct guest *g, int *to_user)
{
	*to_user = 0;
	for (int i = 0; i < 16; i++) {
		if (ioctl(g->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			report_info("KVM_RUN: %s", strerror(errno));
			return -1;
		}
		if (g->run->exit_reason != KVM_EXIT_PAPR_HCALL) {
			report_info("unexpected exit reason %u", g->run->exit_reason);
			return -1;
		}
		if (g->run->papr_hcall.nr == H_MARKER)
			return 0;
		if (kind_of(g->run->papr_hcall.nr) < 0) {
			report_info("unexpected hcall 0x%llx",
				    (unsigned long long)g->run->papr_hcall.nr);
			return -1;
		}
		(*to_user)++;
		g->run->papr_hcall.ret = H_SUCCESS; /* as QEMU would, for a valid call */
	}
	report_info("the guest never reached the marker");
	return -1;
}

/* One TCE hcall in the guest; returns its return code, or -9999 on a failure. */
static long guest_hcall(struct guest *g, unsigned long nr, uint64_t a0, uint64_t a1, uint64_t a2,
			uint64_t a3)
{
	int to_user;
	long ret;

	g->run->papr_hcall.ret = nr;
	memset(g->run->papr_hcall.args, 0, sizeof(g->run->papr_hcall.args));
	g->run->papr_hcall.args[0] = a0;
	g->run->papr_hcall.args[1] = a1;
	g->run->papr_hcall.args[2] = a2;
	g->run->papr_hcall.args[3] = a3;
	if (guest_run(g, &to_user))
		return -9999;
	ret = (long)g->run->papr_hcall.args[0];
	if (to_user)
		g->seen.n[kind_of(nr)][1]++;
	else if (ret == H_SUCCESS)
		g->seen.n[kind_of(nr)][0]++;
	else
		g->seen.n[kind_of(nr)][2]++;
	return ret;
}

/* Report a failed system call; returns -1 for the caller to pass on. */
static int sys_fail(const char *what)
{
	report_info("%s: %s", what, strerror(errno));
	return -1;
}

static int guest_setup(struct guest *g)
{
	struct kvm_userspace_memory_region region;
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct kvm_regs regs;
	int size;

	memset(g, 0, sizeof(*g));
	g->vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (g->vm < 0)
		return sys_fail("KVM_CREATE_VM");
	g->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->mem == MAP_FAILED)
		return sys_fail("mmap");
	memcpy(g->mem + CODE, guest_code, sizeof(guest_code));
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)g->mem,
	};
	if (ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &region))
		return sys_fail("KVM_SET_USER_MEMORY_REGION");
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		return sys_fail("KVM_CREATE_VCPU");
	if (ioctl(g->vcpu, KVM_ENABLE_CAP, &papr))
		return sys_fail("KVM_ENABLE_CAP(PPC_PAPR)");
	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	g->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED)
		return sys_fail("mmap(vcpu)");
	if (ioctl(g->vcpu, KVM_GET_REGS, &regs))
		return sys_fail("KVM_GET_REGS");
	regs.pc = CODE + 8; /* start at the marker: the first exit asks for work */
	regs.msr = MSR_SF | MSR_ME | MSR_RI | MSR_LE;
	if (ioctl(g->vcpu, KVM_SET_REGS, &regs))
		return sys_fail("KVM_SET_REGS");
	return 0;
}

static int enable_hcall(int vm, unsigned long nr)
{
	struct kvm_enable_cap c = { .cap = KVM_CAP_PPC_ENABLE_HCALL, .args = { nr, 1 } };

	return ioctl(vm, KVM_ENABLE_CAP, &c);
}

static void expect(const char *what, long got, long want)
{
	report(got == want, "%s: returns %ld", what, want);
	if (got != want)
		report_info("%s returned %ld", what, got);
}

static void test_counters(void)
{
	struct guest g;
	struct counts st, dbg, zero;
	int have_stats, have_debugfs, tfd, to_user;
	uint64_t *list;

	if (!report(guest_setup(&g) == 0, "guest VM and vCPU set up"))
		return;
	memset(&zero, 0, sizeof(zero));
	have_stats = stats_read(g.vcpu, &st) == 0;
	have_debugfs = debugfs_read(g.vm, &dbg) == 0;
	if (have_stats)
		report(!memcmp(&st, &zero, sizeof(st)), "KVM_GET_STATS_FD: 12 tce_* counters, all 0");
	else
		report_skip("no tce_* counters in the vCPU statistics (stock kvm.ko?)",
			    "KVM_GET_STATS_FD counters");
	if (have_debugfs)
		report(1, "debugfs: /sys/kernel/debug/kvm/%d-%d/tce_* present", (int)getpid(), g.vm);
	else if (access("/sys/kernel/debug/kvm", F_OK))
		report_skip("/sys/kernel/debug/kvm missing (mount -t debugfs none /sys/kernel/debug)",
			    "debugfs counters");
	else
		report_skip("no tce_* files in the VM's debugfs folder (stock kvm.ko?)",
			    "debugfs counters");

	tfd = create_table(g.vm, LIOBN);
	if (!report(tfd >= 0, "KVM_CREATE_SPAPR_TCE_64 (LIOBN 0x%x, %u pages)", LIOBN, TABLE_PAGES)) {
		report_info("KVM_CREATE_SPAPR_TCE_64: %s", strerror(errno));
		return;
	}
	alarm(120);
	if (!report(guest_run(&g, &to_user) == 0 && to_user == 0, "guest runs to its first marker"))
		return;

	expect("H_PUT_TCE in-kernel table", guest_hcall(&g, H_PUT_TCE, LIOBN, 0, 0x10000 | TCE_RW, 0),
	       H_SUCCESS);
	expect("H_PUT_TCE outside the window",
	       guest_hcall(&g, H_PUT_TCE, LIOBN, OUTSIDE, 0x10000 | TCE_RW, 0), H_PARAMETER);
	expect("H_PUT_TCE no in-kernel table",
	       guest_hcall(&g, H_PUT_TCE, LIOBN_USER, 0, 0x10000 | TCE_RW, 0), H_SUCCESS);
	expect("H_GET_TCE in-kernel table", guest_hcall(&g, H_GET_TCE, LIOBN, 0, 0, 0), H_SUCCESS);
	expect("H_GET_TCE outside the window", guest_hcall(&g, H_GET_TCE, LIOBN, OUTSIDE, 0, 0),
	       H_PARAMETER);
	expect("H_GET_TCE no in-kernel table", guest_hcall(&g, H_GET_TCE, LIOBN_USER, 0, 0, 0),
	       H_SUCCESS);

	/* H_STUFF_TCE and H_PUT_TCE_INDIRECT stay in userspace until enabled. */
	list = (uint64_t *)(g.mem + TCE_LIST);
	list[0] = __builtin_bswap64(0x30000 | TCE_RW); /* the list is big-endian */
	list[1] = __builtin_bswap64(0x40000 | TCE_RW);
	expect("H_STUFF_TCE not enabled", guest_hcall(&g, H_STUFF_TCE, LIOBN, 0, 0, 4), H_SUCCESS);
	expect("H_PUT_TCE_INDIRECT not enabled",
	       guest_hcall(&g, H_PUT_TCE_INDIRECT, LIOBN, 0, TCE_LIST, 2), H_SUCCESS);
	report(enable_hcall(g.vm, H_STUFF_TCE) == 0 && enable_hcall(g.vm, H_PUT_TCE_INDIRECT) == 0,
	       "KVM_CAP_PPC_ENABLE_HCALL for H_STUFF_TCE and H_PUT_TCE_INDIRECT");
	expect("H_STUFF_TCE in-kernel table", guest_hcall(&g, H_STUFF_TCE, LIOBN, 0, 0, 4),
	       H_SUCCESS);
	expect("H_STUFF_TCE outside the window",
	       guest_hcall(&g, H_STUFF_TCE, LIOBN, OUTSIDE, 0, 1), H_PARAMETER);
	expect("H_STUFF_TCE no in-kernel table", guest_hcall(&g, H_STUFF_TCE, LIOBN_USER, 0, 0, 1),
	       H_SUCCESS);
	expect("H_PUT_TCE_INDIRECT in-kernel table",
	       guest_hcall(&g, H_PUT_TCE_INDIRECT, LIOBN, 0, TCE_LIST, 2), H_SUCCESS);
	expect("H_PUT_TCE_INDIRECT misaligned list",
	       guest_hcall(&g, H_PUT_TCE_INDIRECT, LIOBN, 0, TCE_LIST + 8, 2), H_PARAMETER);
	expect("H_PUT_TCE_INDIRECT no in-kernel table",
	       guest_hcall(&g, H_PUT_TCE_INDIRECT, LIOBN_USER, 0, TCE_LIST, 2), H_SUCCESS);
	alarm(0);

	print_counts("seen by this program", &g.seen);
	if (have_stats && stats_read(g.vcpu, &st) == 0) {
		print_counts("KVM_GET_STATS_FD vCPU 0", &st);
		report(!memcmp(&st, &g.seen, sizeof(st)),
		       "KVM_GET_STATS_FD counters match the hcalls' outcomes");
	} else {
		report_skip("no counters", "KVM_GET_STATS_FD counters match the hcalls' outcomes");
	}
	if (have_debugfs && debugfs_read(g.vm, &dbg) == 0) {
		print_counts("debugfs per-VM sums", &dbg);
		report(!memcmp(&dbg, &g.seen, sizeof(dbg)), "debugfs counters match the hcalls' outcomes");
	} else {
		report_skip("no debugfs counters", "debugfs counters match the hcalls' outcomes");
	}
	close(tfd);
	close(g.vcpu);
	close(g.vm);
}

/* --- external interrupt delivery ---------------------------------------- */

static void on_alarm(int sig)
{
	(void)sig; /* only there to make KVM_RUN return with EINTR */
}

static void put_code(uint8_t *mem, unsigned long at, const uint32_t *code, size_t n)
{
	memcpy(mem + at, code, n * sizeof(*code));
}

static void test_external_irq(void)
{
	/* Spin with MSR[EE]=1 until the external interrupt comes. */
	static const uint32_t spin[] = { 0x48000000 /* b . */ };
	/* 0x500: tell userspace, through an hcall that always exits. */
	static const uint32_t ext[] = {
		0x38600000 | H_MARKER_EXT, /* li r3,H_MARKER_EXT */
		0x44000022, /* sc 1 */
		0x48000000, /* b . */
	};
	/* 0x900: push the decrementer out and return, should it fire first. */
	static const uint32_t dec[] = {
		0x3c007fff, /* lis r0,0x7fff */
		0x7c1603a6, /* mtdec r0 */
		0x4c000024, /* rfid */
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	struct kvm_interrupt irq = { .irq = KVM_INTERRUPT_SET };
	uint64_t lpcr = 0;
	struct kvm_one_reg reg = { .id = KVM_REG_PPC_LPCR_64, .addr = (uintptr_t)&lpcr };
	struct kvm_regs regs;
	struct guest g;
	int got = 0, fail = 0;

	if (!report(guest_setup(&g) == 0, "guest VM and vCPU set up for the interrupt test"))
		return;
	put_code(g.mem, SPIN, spin, 1);
	put_code(g.mem, 0x500, ext, 3);
	put_code(g.mem, 0x900, dec, 3);
	/* Interrupts in little-endian (LPCR[ILE]), as the code is. */
	if (ioctl(g.vcpu, KVM_GET_ONE_REG, &reg) == 0) {
		lpcr |= LPCR_ILE;
		if (ioctl(g.vcpu, KVM_SET_ONE_REG, &reg))
			fail = 1;
	} else {
		fail = 1;
	}
	if (!report(!fail, "LPCR[ILE] set through KVM_SET_ONE_REG"))
		return;
	if (ioctl(g.vcpu, KVM_GET_REGS, &regs)) {
		report(0, "KVM_GET_REGS: %s", strerror(errno));
		return;
	}
	regs.pc = SPIN;
	regs.msr = MSR_SF | MSR_ME | MSR_RI | MSR_LE | MSR_EE;
	if (ioctl(g.vcpu, KVM_SET_REGS, &regs)) {
		report(0, "KVM_SET_REGS: %s", strerror(errno));
		return;
	}

	sigaction(SIGALRM, &sa, NULL);
	report(ioctl(g.vcpu, KVM_INTERRUPT, &irq) == 0, "KVM_INTERRUPT (external, level set)");
	alarm(20);
	for (int i = 0; i < 16 && !got && !fail; i++) {
		if (ioctl(g.vcpu, KVM_RUN, 0) < 0) {
			report_info("KVM_RUN: %s (no interrupt within 20 s)", strerror(errno));
			fail = 1;
		} else if (g.run->exit_reason == KVM_EXIT_PAPR_HCALL &&
			   g.run->papr_hcall.nr == H_MARKER_EXT) {
			got = 1;
		} else if (g.run->exit_reason != KVM_EXIT_INTR) {
			report_info("unexpected exit %u (hcall 0x%llx)", g.run->exit_reason,
				    (unsigned long long)g.run->papr_hcall.nr);
			fail = 1;
		}
	}
	alarm(0);
	if (got && ioctl(g.vcpu, KVM_GET_REGS, &regs) == 0)
		report_info("the 0x500 handler ran: its sc 1 left SRR0 0x%llx, SRR1 (its MSR) 0x%llx",
			    (unsigned long long)regs.srr0, (unsigned long long)regs.srr1);
	report(got, "external interrupt delivered to the guest at 0x500 (MSR[EE]=1)");
	irq.irq = KVM_INTERRUPT_UNSET;
	ioctl(g.vcpu, KVM_INTERRUPT, &irq);
	close(g.vcpu);
	close(g.vm);
}

/* --- VFIO group release without a TCE table ------------------------------ */

static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Scan the kernel log from fd's position for text; 1 if found. */
static int kmsg_find(int fd, const char *text)
{
	char rec[8192];
	ssize_t n;
	int found = 0;

	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE) /* overwritten records: go on */
				continue;
			break; /* EAGAIN: the end */
		}
		rec[n] = 0;
		if (strstr(rec, text)) {
			found = 1;
			report_info("kmsg: %.*s", (int)strcspn(rec, "\n"), rec);
		}
	}
	return found;
}

static void test_vfio_release(const char *group_path)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_VFIO };
	struct kvm_device_attr attr = { .group = KVM_DEV_VFIO_FILE };
	int vm, group, kmsg, warned;
	int32_t gfd;

	group = open(group_path, O_RDWR);
	if (!report(group >= 0, "open VFIO group %s", group_path)) {
		report_info("open %s: %s", group_path, strerror(errno));
		return;
	}
	kmsg = kmsg_open_at_end();
	vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (!report(vm >= 0 && ioctl(vm, KVM_CREATE_DEVICE, &dev) == 0, "KVM-VFIO device created")) {
		close(group);
		return;
	}
	gfd = group;
	attr.addr = (uintptr_t)&gfd;
	attr.attr = KVM_DEV_VFIO_FILE_ADD;
	report(ioctl(dev.fd, KVM_SET_DEVICE_ATTR, &attr) == 0, "KVM_DEV_VFIO_FILE_ADD");
	attr.attr = KVM_DEV_VFIO_FILE_DEL;
	report(ioctl(dev.fd, KVM_SET_DEVICE_ATTR, &attr) == 0,
	       "KVM_DEV_VFIO_FILE_DEL of a group never attached to a TCE table");
	attr.attr = KVM_DEV_VFIO_FILE_ADD;
	report(ioctl(dev.fd, KVM_SET_DEVICE_ATTR, &attr) == 0, "KVM_DEV_VFIO_FILE_ADD again");
	close(dev.fd); /* kvm_vfio_release() */
	close(vm);
	close(group);
	if (kmsg < 0) {
		report_skip("cannot read /dev/kmsg", "no WARNING from kvm_spapr_tce_release_vfio_group");
		return;
	}
	usleep(100000);
	warned = kmsg_find(kmsg, "kvm_spapr_tce_release_vfio_group");
	close(kmsg);
	report(!warned, "no WARNING from kvm_spapr_tce_release_vfio_group on FILE_DEL and release");
}

int main(int argc, char **argv)
{
	const char *group = NULL;
	int guest = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--vfio-group") && i + 1 < argc) {
			group = argv[++i];
		} else if (!strcmp(argv[i], "--no-guest")) {
			guest = 0;
		} else {
			fprintf(stderr, "usage: %s [--vfio-group /dev/vfio/N] [--no-guest]\n", argv[0]);
			return 2;
		}
	}

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (!report(kvm_fd >= 0, "open /dev/kvm")) {
		report_info("/dev/kvm: %s (modprobe kvm-hv?)", strerror(errno));
		return report_summary();
	}
	test_switch();
	if (guest) {
		test_counters();
		test_external_irq();
	} else {
		report_skip("--no-guest", "TCE hcall counters");
		report_skip("--no-guest", "external interrupt delivery");
	}
	if (group)
		test_vfio_release(group);
	else
		report_skip("no --vfio-group", "VFIO group release without a TCE table");
	return report_summary();
}
