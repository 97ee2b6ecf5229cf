// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-tce-lifetime: IOMMU ownership lifetime tests for KVM's in-kernel
 * sPAPR TCE tables with VFIO (issue 5, item 5), on a POWER KVM host.
 *
 * A VM with an in-kernel TCE table (KVM_CREATE_SPAPR_TCE_64) attached to a
 * VFIO group through the KVM-VFIO device, and a minimal guest whose vCPU
 * issues H_PUT_TCE on that table in a loop (host/common/guest.h), then:
 *
 *  a  attaching a group to the table must be refused while the group has
 *     no IOMMU behind it: (a1) a group in no container, (a2) a group in a
 *     container with no IOMMU set;
 *  b  while KVM holds the table and the guest keeps issuing H_PUT_TCE,
 *     take the IOMMU away from under it: (b1) VFIO_GROUP_UNSET_CONTAINER,
 *     (b2) close the group and the container, (b3) close the table,
 *     (b4) remove the DMA window the table is attached to. Each time: the
 *     host survives (the vCPU keeps running or exits cleanly), no memory
 *     stays locked (locked_vm back to where it was: a TCE left mapped
 *     keeps its page pre-registered and locked), the group can be used
 *     again, and the kernel log has no warning, BUG or oops;
 *  c  b1-b4 again, --loops times: locked_vm and MemFree stay put.
 *
 * KTAP on stdout (tests/ktap.h). Exit status: 0 all passed, 1 a test
 * failed, 2 bad input or not a POWER host.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/vfio.h>

#include "tcelab/error.h"
#include "tcelab/kvm.h"
#include "tcelab/pci.h"
#include "tcelab/vfio.h"
#include "guest.h"
#include "kmsg.h"
#include "procinfo.h"
#include "tce.h"
#include "ktap.h"

#define ME "tcelab-tce-lifetime"
#define LIOBN 0x80000000ull
#define GUEST_RAM (8ull << 20)

struct options {
	char device[PCI_ADDR_LEN];
	unsigned loops;
	unsigned run_ms;
	bool bind;
};

/* Every option, documented where it is defined. */
static const struct option long_options[] = {
	/* PCI address of the device whose IOMMU group is used (required);
	 * bound to vfio-pci unless it is in use by the host */
	{ "device", required_argument, NULL, 'd' },
	/* how many times the b tests are repeated for (c) (default 5) */
	{ "loops", required_argument, NULL, 'n' },
	/* how long the guest keeps issuing H_PUT_TCE after each action, in
	 * milliseconds (default 200) */
	{ "run-ms", required_argument, NULL, 'r' },
	/* the device is already bound to vfio-pci: do not touch its driver */
	{ "no-bind", no_argument, NULL, 'B' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: " ME " --device ADDR [--loops 5] [--run-ms 200] [--no-bind]\n");
}

static void die(const char *msg)
{
	fprintf(stderr, ME ": %s\n", msg);
	exit(2);
}

static int parse_options(int argc, char **argv, struct options *o, struct tl_error *e)
{
	int c;

	*o = (struct options){ .loops = 5, .run_ms = 200, .bind = true };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:n:r:Bh", long_options, NULL)) != -1) {
		char *end;
		unsigned long v;

		switch (c) {
		case 'd':
			if (pci_addr_parse(optarg, o->device, e))
				return -1;
			break;
		case 'n':
		case 'r':
			v = strtoul(optarg, &end, 10);
			if (*optarg == '-' || *end || v < 1 || v > 100000)
				return tl_err(e, "--%s: '%s' is not a number from 1 to 100000",
					      c == 'n' ? "loops" : "run-ms", optarg);
			if (c == 'n')
				o->loops = (unsigned)v;
			else
				o->run_ms = (unsigned)v;
			break;
		case 'B': o->bind = false; break;
		case 'h': usage(stdout); exit(0);
		default: return tl_err(e, "unknown option or missing value (see --help)");
		}
	}
	if (optind < argc)
		return tl_err(e, "unexpected argument '%s'", argv[optind]);
	if (!o->device[0])
		return tl_err(e, "--device ADDR is required");
	return 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ------------------------------------------------------------ kernel log -- */

static struct kmsg_reader klog = { -1 };

/* Report the trouble in the log since the last call as one test. */
static void log_check(const char *what)
{
	struct kmsg_findings f;
	struct tl_error e;
	char *text;

	if (klog.fd < 0) {
		report_skip("/dev/kmsg is not readable", "%s.kernel-log: no kernel warning, BUG or oops",
			    what);
		return;
	}
	text = kmsg_read_new(&klog, &e);
	kmsg_findings_init(&f);
	kmsg_findings_scan(&f, text);
	free(text);
	if (report(!f.count, "%s.kernel-log: no kernel warning, BUG or oops", what))
		return;
	for (unsigned i = 0; i < f.kept; i++) {
		const char *known = kmsg_known_issue(f.first[i]);

		report_info("kernel: %s", f.first[i]);
		if (known)
			report_info("  %s", known);
	}
}

static void log_skip_to_now(void)
{
	struct tl_error e;

	if (klog.fd >= 0)
		free(kmsg_read_new(&klog, &e));
}

/* ------------------------------------------------------------ the guest -- */

struct runner {
	struct guest *g;
	pthread_t thread;
	bool started;
	atomic_int stop;
	atomic_ullong count;      /* H_PUT_TCE issued, as the guest last reported */
	atomic_ullong batches;
	atomic_ullong user_puts;  /* H_PUT_TCE that reached userspace */
	atomic_ullong failed;     /* H_PUT_TCE that returned an error */
	atomic_llong last_rc;
	atomic_int fault;         /* vector of a guest exception, 0 if none */
	char error[256];          /* KVM_RUN failed, or an unexpected exit */
};

static void on_sigusr1(int sig)
{
	(void)sig;
}

static void *runner_main(void *p)
{
	struct runner *r = p;
	struct guest_exit x;
	struct tl_error e;
	char desc[200];

	while (!atomic_load(&r->stop)) {
		if (guest_run(r->g, &x, &e)) {
			snprintf(r->error, sizeof(r->error), "%s", e.msg);
			break;
		}
		switch (x.kind) {
		case GUEST_EXIT_BATCH:
			atomic_store(&r->count, x.count);
			atomic_fetch_add(&r->batches, 1);
			break;
		case GUEST_EXIT_FAILED:
			atomic_store(&r->count, x.count);
			atomic_fetch_add(&r->failed, 1);
			atomic_store(&r->last_rc, x.rc);
			break;
		case GUEST_EXIT_PUT_TCE:
			/* no in-kernel table behind the LIOBN any more; a VMM
			 * would map through VFIO, which has nothing left here */
			atomic_fetch_add(&r->user_puts, 1);
			guest_answer(r->g, TL_H_HARDWARE);
			break;
		case GUEST_EXIT_INTR:
			break;
		case GUEST_EXIT_FAULT:
			atomic_store(&r->fault, (int)x.vector);
			guest_exit_describe(&x, desc, sizeof(desc));
			snprintf(r->error, sizeof(r->error), "%s", desc);
			return NULL;
		default:
			guest_exit_describe(&x, desc, sizeof(desc));
			snprintf(r->error, sizeof(r->error), "unexpected: %s", desc);
			return NULL;
		}
	}
	return NULL;
}

static int runner_start(struct runner *r, struct guest *g, const struct guest_params *gp,
			struct tl_error *e)
{
	memset(r, 0, sizeof(*r));
	r->g = g;
	g->vcpu.run->immediate_exit = 0;
	if (guest_start(g, gp, e))
		return -1;
	if (pthread_create(&r->thread, NULL, runner_main, r))
		return tl_err(e, "pthread_create failed");
	r->started = true;
	return 0;
}

/* Wait until the guest reported n more rounds (or timeout); true if it did. */
static bool runner_wait_batches(struct runner *r, unsigned long long n, unsigned timeout_ms)
{
	unsigned long long start = atomic_load(&r->batches) + atomic_load(&r->failed) +
				   atomic_load(&r->user_puts);

	for (unsigned waited = 0; waited < timeout_ms; waited += 5) {
		if (atomic_load(&r->batches) + atomic_load(&r->failed) + atomic_load(&r->user_puts) >=
		    start + n)
			return true;
		if (r->error[0])
			return false;
		sleep_ms(5);
	}
	return false;
}

static void runner_stop(struct runner *r)
{
	if (!r->started)
		return;
	atomic_store(&r->stop, 1);
	r->g->vcpu.run->immediate_exit = 1;
	for (int i = 0; i < 200; i++) {
		/* the vCPU may be inside KVM_RUN: kick it out */
		pthread_kill(r->thread, SIGUSR1);
		if (pthread_tryjoin_np(r->thread, NULL) == 0) {
			r->started = false;
			break;
		}
		sleep_ms(5);
	}
	if (r->started) {
		pthread_join(r->thread, NULL);
		r->started = false;
	}
	r->g->vcpu.run->immediate_exit = 0;
}

/* ------------------------------------------------------------- fixtures -- */

struct world {
	struct tl_kvm *kvm;
	const char *addr;
	int vm_fd, kvm_vfio_fd;
	struct guest g;
	bool have_guest;
	struct vfio_dev d;       /* v2 container + group */
	bool registered, group_added, window_removed;
	int unregister_errno; /* VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY at teardown, -1 not tried */
	struct tl_tce_table t;
	struct runner run;
};

/* TCELAB_DEBUG=1: locked_vm at each teardown step, on stderr */
static void debug_lck(const char *step)
{
	struct mem_snapshot m;

	if (!getenv("TCELAB_DEBUG"))
		return;
	mem_snapshot_take(&m);
	fprintf(stderr, "# debug pid %d: %s: VmLck %llu KiB VmPin %llu KiB\n", (int)getpid(), step,
		(unsigned long long)m.vm_lck_kb, (unsigned long long)m.vm_pin_kb);
}

static void world_close(struct world *w)
{
	struct tl_error e;

	debug_lck("before teardown");
	runner_stop(&w->run);
	if (w->t.fd >= 0)
		close(w->t.fd);
	w->t.fd = -1;
	if (w->group_added && w->d.group_fd >= 0)
		kvm_vfio_group_del(w->kvm_vfio_fd, w->d.group_fd, &e);
	w->group_added = false;
	debug_lck("table closed, group deleted from KVM-VFIO");
	if (w->kvm_vfio_fd >= 0)
		close(w->kvm_vfio_fd);
	w->kvm_vfio_fd = -1;
	w->unregister_errno = -1;
	if (w->registered && w->d.container_fd >= 0)
		w->unregister_errno = vfio_spapr_unregister(&w->d, w->g.ram, w->g.ram_size, &e) ? errno : 0;
	w->registered = false;
	debug_lck("unregistered");
	vfio_close(&w->d);
	debug_lck("container and group closed");
	if (w->have_guest)
		guest_destroy(&w->g);
	w->have_guest = false;
	if (w->vm_fd >= 0)
		close(w->vm_fd);
	w->vm_fd = -1;
	debug_lck("VM closed");
}

/* VM + guest + v2 container with the guest RAM registered + default window
 * + KVM table attached; the guest running H_PUT_TCE on it. */
static int world_open(struct world *w, struct tl_kvm *kvm, const char *addr, struct tl_error *e)
{
	struct guest_params gp;

	memset(w, 0, sizeof(*w));
	w->kvm = kvm;
	w->addr = addr;
	w->vm_fd = w->kvm_vfio_fd = w->t.fd = -1;
	w->d.container_fd = w->d.group_fd = w->d.device_fd = -1;
	if (kvm_vm_create(kvm, TL_KVM_VM_PPC_HV, &w->vm_fd, e) ||
	    kvm_vfio_create(w->vm_fd, &w->kvm_vfio_fd, e))
		goto fail;
	if (guest_create(&w->g, kvm, w->vm_fd, GUEST_RAM, e))
		goto fail;
	w->have_guest = true;
	if (vfio_open(&w->d, addr, VFIO_IOMMU_SPAPR_V2, false, e))
		goto fail;
	if (vfio_spapr_register(&w->d, w->g.ram, w->g.ram_size, e))
		goto fail;
	w->registered = true;
	if (tce_default_window_create(&w->d, e))
		goto fail;
	tce_table_for_window(&w->t, LIOBN, w->d.dma32.start, w->d.dma32.size, 12);
	if (kvm_create_spapr_tce_64(w->vm_fd, &w->t, e))
		goto fail;
	if (kvm_vfio_group_add(w->kvm_vfio_fd, w->d.group_fd, e))
		goto fail;
	w->group_added = true;
	if (kvm_vfio_set_spapr_tce(w->kvm_vfio_fd, w->d.group_fd, w->t.fd, e))
		goto fail;
	gp = (struct guest_params){
		.liobn = LIOBN,
		.ioba = w->d.dma32.start,
		.stride = 4096,
		.batch = 16,
		.tce = GUEST_DATA_GPA | TL_TCE_READ | TL_TCE_WRITE,
	};
	if (runner_start(&w->run, &w->g, &gp, e))
		goto fail;
	return 0;
fail:
	world_close(w);
	return -1;
}

/* The group works again: a fresh v2 container, registration, default
 * window, one map and unmap through VFIO, unregistration. */
static bool group_reusable(const char *addr, char *why, size_t len)
{
	struct vfio_dev d;
	struct tl_error e;
	size_t sz = 1 << 20;
	void *buf = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ok = false;

	if (buf == MAP_FAILED) {
		snprintf(why, len, "mmap failed");
		return false;
	}
	memset(buf, 0, sz);
	if (vfio_open(&d, addr, VFIO_IOMMU_SPAPR_V2, false, &e)) {
		snprintf(why, len, "%s", e.msg);
		munmap(buf, sz);
		return false;
	}
	if (vfio_spapr_register(&d, buf, sz, &e) || tce_default_window_create(&d, &e) ||
	    vfio_dma_map(&d, buf, d.dma32.start, 4096, &e) ||
	    vfio_dma_unmap(&d, d.dma32.start, 4096, &e) || vfio_spapr_unregister(&d, buf, sz, &e))
		snprintf(why, len, "%s", e.msg);
	else
		ok = true;
	vfio_close(&d);
	munmap(buf, sz);
	return ok;
}

/* ---------------------------------------------------------------- tests -- */

static void test_a(struct tl_kvm *kvm, const char *addr)
{
	struct vfio_dev probe;
	struct tl_tce_table t;
	struct tl_error e;
	char path[64];
	int vm_fd = -1, dev_fd = -1, group_fd = -1, container_fd = -1, err;
	bool refused;

	/* the default window's geometry, from a v2 container opened once */
	if (vfio_open(&probe, addr, VFIO_IOMMU_SPAPR_V2, false, &e)) {
		report_skip(e.msg, "a1.refused: a group in no container is refused");
		report_skip(e.msg, "a2.refused: a group in a container without IOMMU is refused");
		return;
	}
	tce_table_for_window(&t, LIOBN, probe.dma32.start, probe.dma32.size, 12);
	snprintf(path, sizeof(path), "/dev/vfio/%d", probe.group_id);
	vfio_close(&probe);

	if (kvm_vm_create(kvm, TL_KVM_VM_PPC_HV, &vm_fd, &e) || kvm_vfio_create(vm_fd, &dev_fd, &e) ||
	    kvm_create_spapr_tce_64(vm_fd, &t, &e)) {
		report(false, "a.setup: VM, KVM-VFIO device and TCE table: %s", e.msg);
		goto out;
	}
	group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (group_fd < 0) {
		report(false, "a.setup: open %s: %s", path, strerror(errno));
		goto out;
	}

	/* a1: no container at all: the group's DMA still belongs to the host */
	if (kvm_vfio_group_add(dev_fd, group_fd, &e)) {
		report(false, "a1.refused: KVM_DEV_VFIO_GROUP_ADD: %s", e.msg);
		goto out;
	}
	refused = kvm_vfio_set_spapr_tce(dev_fd, group_fd, t.fd, &e) != 0;
	err = errno;
	if (!report(refused, "a1.refused: attaching a group in no container to an in-kernel TCE "
			     "table is refused%s%s", refused ? " with " : "", refused ? strerror(err) : ""))
		report_info("KVM accepted it: the table now references the host's own DMA window of "
			    "the device (kernel-owned, no VFIO container behind it)");
	kvm_vfio_group_del(dev_fd, group_fd, &e);

	/* a2: in a container, but VFIO_SET_IOMMU never done */
	container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container_fd < 0 || ioctl(group_fd, VFIO_GROUP_SET_CONTAINER, &container_fd)) {
		report(false, "a2.refused: VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
		goto out;
	}
	if (kvm_vfio_group_add(dev_fd, group_fd, &e)) {
		report(false, "a2.refused: KVM_DEV_VFIO_GROUP_ADD: %s", e.msg);
		goto out;
	}
	refused = kvm_vfio_set_spapr_tce(dev_fd, group_fd, t.fd, &e) != 0;
	err = errno;
	if (!report(refused, "a2.refused: attaching a group whose container has no IOMMU set is "
		    "refused%s%s",
		    refused ? " with " : "", refused ? strerror(err) : ""))
		report_info("KVM accepted a group no IOMMU driver owns");
	kvm_vfio_group_del(dev_fd, group_fd, &e);
	ioctl(group_fd, VFIO_GROUP_UNSET_CONTAINER);
out:
	if (t.fd >= 0)
		close(t.fd);
	if (group_fd >= 0)
		close(group_fd);
	if (container_fd >= 0)
		close(container_fd);
	if (dev_fd >= 0)
		close(dev_fd);
	if (vm_fd >= 0)
		close(vm_fd);
}

enum action { B1_UNSET_CONTAINER, B2_CLOSE_GROUP, B3_CLOSE_TABLE, B4_REMOVE_WINDOW, NACTIONS };

/*
 * After the action, may KVM still complete H_PUT_TCE in the kernel? Not
 * once the group has left its container (b1: the IOMMU belongs to the host
 * again), nor without the table (b3), nor into a removed window (b4). b2
 * is different: KVM-VFIO still holds the group file, the group its
 * container, so the IOMMU stays owned and mapping may go on.
 */
static const bool must_stop_mapping[] = { true, false, true, true };
/* The round in flight when the action happened may still complete. */
#define IN_FLIGHT 32

static const char *const action_ids[NACTIONS] = { "b1", "b2", "b3", "b4" };
static const char *const action_names[NACTIONS] = {
	"VFIO_GROUP_UNSET_CONTAINER",
	"close the group and its container",
	"close the in-kernel TCE table",
	"remove the DMA window under the attached table",
};

/* What one run of an action saw; verbose: one KTAP line per outcome. */
struct outcome {
	bool setup_ok, in_kernel_before, survived, unlocked, reusable;
	char why[400];
	char reuse_why[300];
	int unregister_errno;
	long long memfree_delta_kb; /* MemFree after the process ended minus before */
	int action_errno;
	unsigned long long after_ok, after_failed, after_user;
	unsigned long long after_success; /* H_PUT_TCE the kernel completed after the action */
	long long last_rc;
	uint64_t lck_before, lck_after;
};

static void do_action(struct world *w, enum action a, struct outcome *o)
{
	struct tl_error e;

	o->action_errno = 0;
	switch (a) {
	case B1_UNSET_CONTAINER:
		if (ioctl(w->d.group_fd, VFIO_GROUP_UNSET_CONTAINER))
			o->action_errno = errno;
		w->registered = false; /* the container lost its IOMMU with its last group */
		break;
	case B2_CLOSE_GROUP:
		/* KVM-VFIO keeps its own reference to the group file: the group is
		 * released only when the VM goes */
		close(w->d.group_fd);
		w->d.group_fd = -1;
		close(w->d.container_fd);
		w->d.container_fd = -1;
		w->registered = false;
		w->group_added = false; /* no fd left to delete it by */
		break;
	case B3_CLOSE_TABLE:
		close(w->t.fd);
		w->t.fd = -1;
		break;
	case B4_REMOVE_WINDOW:
		if (vfio_spapr_window_remove(&w->d, w->d.dma32.start, &e))
			o->action_errno = errno;
		w->window_removed = true;
		break;
	default:
		break;
	}
}

/* In the process that does the action (a fresh child: see run_action). */
static void child_action(const char *addr, enum action a, unsigned run_ms, struct outcome *o)
{
	struct mem_snapshot m0, m1;
	struct tl_kvm kvm_own, *kvm = &kvm_own;
	struct world w;
	struct tl_error e;
	unsigned long long ok0, f0, u0;

	if (kvm_open(kvm, NULL, &e)) {
		snprintf(o->why, sizeof(o->why), "setup: %s", e.msg);
		return;
	}
	mem_snapshot_take(&m0);
	o->lck_before = m0.vm_lck_kb;
	if (world_open(&w, kvm, addr, &e)) {
		snprintf(o->why, sizeof(o->why), "setup: %s", e.msg);
		return;
	}
	o->setup_ok = true;
	if (!runner_wait_batches(&w.run, 2, 20000)) {
		snprintf(o->why, sizeof(o->why), "the guest did not get going: %s",
			 w.run.error[0] ? w.run.error : "no report in 20 s");
		world_close(&w);
		return;
	}
	o->in_kernel_before = !atomic_load(&w.run.user_puts) && !atomic_load(&w.run.failed);
	ok0 = atomic_load(&w.run.count);
	f0 = atomic_load(&w.run.failed);
	u0 = atomic_load(&w.run.user_puts);

	debug_lck("world open, guest running");
	do_action(&w, a, o);
	debug_lck(action_names[a]);
	sleep_ms(run_ms);
	/* still alive: the vCPU keeps running (rounds, failures or exits) */
	runner_wait_batches(&w.run, 1, 2000);
	o->survived = !w.run.error[0];
	if (!o->survived)
		snprintf(o->why, sizeof(o->why), "guest after the action: %s", w.run.error);
	runner_stop(&w.run);
	o->after_failed = atomic_load(&w.run.failed) - f0;
	o->after_user = atomic_load(&w.run.user_puts) - u0;
	o->after_ok = atomic_load(&w.run.count) - ok0;
	o->after_success = o->after_ok > o->after_failed ? o->after_ok - o->after_failed : 0;
	o->last_rc = atomic_load(&w.run.last_rc);
	world_close(&w);
	o->unregister_errno = w.unregister_errno;

	sleep_ms(100); /* tables and groups are freed after RCU grace periods */
	mem_snapshot_take(&m1);
	o->lck_after = m1.vm_lck_kb;
	o->unlocked = m0.have_status && m1.have_status && m1.vm_lck_kb == m0.vm_lck_kb &&
		      m1.vm_pin_kb == m0.vm_pin_kb;
	kvm_close(kvm);
}

/*
 * Each action runs in a child process, as a VMM would: what it leaves
 * behind shows when its mm goes away (pre-registered memory still listed
 * then is never unpinned: destroy_context() warns), and one action's leak
 * does not spoil the next one's address space. Then, in this process: is
 * the group usable again, and did MemFree come back?
 */
static void run_action(const char *addr, enum action a, unsigned run_ms, struct outcome *o)
{
	struct mem_snapshot before, after;
	int pipefd[2], status;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	mem_snapshot_take(&before);
	if (pipe(pipefd)) {
		snprintf(o->why, sizeof(o->why), "pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(o->why, sizeof(o->why), "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_action(addr, a, run_ms, o);
		if (write(pipefd[1], o, sizeof(*o)) != (ssize_t)sizeof(*o))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], o, sizeof(*o)) != (ssize_t)sizeof(*o)) {
		memset(o, 0, sizeof(*o));
		o->setup_ok = true; /* it got somewhere and died */
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		o->survived = false;
		snprintf(o->why, sizeof(o->why), "the VMM process %s %d",
			 WIFSIGNALED(status) ? "was killed by signal" : "exited with",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	}
	sleep_ms(100);
	mem_snapshot_take(&after);
	o->memfree_delta_kb = (long long)after.mem_free_kb - (long long)before.mem_free_kb;
	o->reusable = group_reusable(addr, o->reuse_why, sizeof(o->reuse_why));
}

static void test_b(const char *addr, unsigned run_ms)
{
	for (int a = 0; a < NACTIONS; a++) {
		const char *id = action_ids[a], *name = action_names[a];
		struct outcome o;

		run_action(addr, (enum action)a, run_ms, &o);
		if (!o.setup_ok) {
			report(false, "%s.setup: %s: %s", id, name, o.why);
			log_check(id);
			continue;
		}
		if (a == 0)
			report(o.in_kernel_before, "b0.in-kernel: the guest's H_PUT_TCE on the attached "
						   "table are handled in the kernel before the action");
		report(o.survived, "%s.survive: %s while the guest issues H_PUT_TCE: host and vCPU "
				   "survive%s%s",
		       id, name, o.survived ? "" : ": ", o.survived ? "" : o.why);
		report_info("%s: action %s; afterwards %llu H_PUT_TCE completed in the guest's count, "
			    "%llu failed (last rc %lld), %llu came to userspace; unregistering the "
			    "guest memory at teardown: %s",
			    id, o.action_errno ? strerror(o.action_errno) : "succeeded", o.after_ok,
			    o.after_failed, o.last_rc, o.after_user,
			    o.unregister_errno < 0 ? "not possible (no container)" :
			    o.unregister_errno ? strerror(o.unregister_errno) : "ok");
		if (must_stop_mapping[a])
			report(o.after_success <= IN_FLIGHT,
			       "%s.stops-mapping: after '%s' the kernel stops mapping the guest's "
			       "TCEs into that IOMMU table (%llu completed afterwards)",
			       id, name, o.after_success);
		if (!report(o.unlocked, "%s.unlocked: no pre-registered memory stays locked after "
					"teardown (locked_vm %llu -> %llu KiB)",
			    id, (unsigned long long)o.lck_before, (unsigned long long)o.lck_after))
			report_info("a TCE left mapped keeps its pre-registered memory registered, "
				    "pinned and counted in locked_vm until the process exits, and then "
				    "the pages are never unpinned; MemFree changed %+lld KiB across the "
				    "VMM process", o.memfree_delta_kb);
		report(o.reusable, "%s.reusable: the group works again in a new container%s%s", id,
		       o.reusable ? "" : ": ", o.reusable ? "" : o.reuse_why);
		log_check(id);
	}
}


/*
 * a3: follow-up of a1 when KVM accepted the attach. The table then holds
 * the group's host-owned DMA table. Put the group in a v2 container (as a
 * VMM would next), register the guest memory and let the guest issue
 * H_PUT_TCE on that table: KVM must not map anything through the stale
 * table behind VFIO's back, and nothing may stay locked afterwards.
 */
struct a3_outcome {
	bool accepted, setup_ok, unlocked;
	unsigned long long successes, failed, user;
	uint64_t lck_before, lck_after;
	char why[300];
};

static void a3_child(const char *addr, unsigned run_ms, struct a3_outcome *o)
{
	struct mem_snapshot m0, m1;
	struct tl_kvm kvm;
	struct world w;
	struct vfio_dev probe;
	struct tl_error e;
	struct guest_params gp;
	char path[64];
	unsigned long type = VFIO_SPAPR_TCE_v2_IOMMU;
	unsigned long long c0 = 0, f0 = 0, u0 = 0;

	mem_snapshot_take(&m0);
	o->lck_before = m0.vm_lck_kb;
	if (kvm_open(&kvm, NULL, &e) || vfio_open(&probe, addr, VFIO_IOMMU_SPAPR_V2, false, &e)) {
		snprintf(o->why, sizeof(o->why), "%s", e.msg);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.vm_fd = w.kvm_vfio_fd = w.t.fd = -1;
	w.d = probe;
	snprintf(path, sizeof(path), "/dev/vfio/%d", probe.group_id);
	vfio_close(&probe);
	w.d.container_fd = w.d.device_fd = -1;
	w.d.spapr_enabled = false;
	w.d.group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (w.d.group_fd < 0 || kvm_vm_create(&kvm, TL_KVM_VM_PPC_HV, &w.vm_fd, &e) ||
	    kvm_vfio_create(w.vm_fd, &w.kvm_vfio_fd, &e) ||
	    guest_create(&w.g, &kvm, w.vm_fd, GUEST_RAM, &e)) {
		snprintf(o->why, sizeof(o->why), "setup: %s", w.d.group_fd < 0 ? strerror(errno) : e.msg);
		world_close(&w);
		return;
	}
	w.have_guest = true;
	tce_table_for_window(&w.t, LIOBN, w.d.dma32.start, w.d.dma32.size, 12);
	if (kvm_create_spapr_tce_64(w.vm_fd, &w.t, &e) ||
	    kvm_vfio_group_add(w.kvm_vfio_fd, w.d.group_fd, &e)) {
		snprintf(o->why, sizeof(o->why), "setup: %s", e.msg);
		world_close(&w);
		return;
	}
	w.group_added = true;
	/* as in a1: attach while the group is in no container */
	o->accepted = kvm_vfio_set_spapr_tce(w.kvm_vfio_fd, w.d.group_fd, w.t.fd, &e) == 0;
	if (!o->accepted) {
		world_close(&w);
		return;
	}
	/* then what a VMM does next: container, v2, memory, default window */
	w.d.container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (w.d.container_fd < 0 || ioctl(w.d.group_fd, VFIO_GROUP_SET_CONTAINER, &w.d.container_fd) ||
	    ioctl(w.d.container_fd, VFIO_SET_IOMMU, type)) {
		snprintf(o->why, sizeof(o->why), "container: %s", strerror(errno));
		world_close(&w);
		return;
	}
	w.d.iommu = VFIO_IOMMU_SPAPR_V2;
	if (vfio_spapr_register(&w.d, w.g.ram, w.g.ram_size, &e)) {
		snprintf(o->why, sizeof(o->why), "%s", e.msg);
		world_close(&w);
		return;
	}
	w.registered = true;
	if (tce_default_window_create(&w.d, &e)) {
		snprintf(o->why, sizeof(o->why), "%s", e.msg);
		world_close(&w);
		return;
	}
	o->setup_ok = true;
	gp = (struct guest_params){
		.liobn = LIOBN,
		.ioba = w.d.dma32.start,
		.stride = 4096,
		.batch = 16,
		.tce = GUEST_DATA_GPA | TL_TCE_READ | TL_TCE_WRITE,
	};
	if (runner_start(&w.run, &w.g, &gp, &e)) {
		snprintf(o->why, sizeof(o->why), "%s", e.msg);
		world_close(&w);
		return;
	}
	runner_wait_batches(&w.run, 1, 20000);
	sleep_ms(run_ms);
	runner_stop(&w.run);
	c0 = atomic_load(&w.run.count);
	f0 = atomic_load(&w.run.failed);
	u0 = atomic_load(&w.run.user_puts);
	o->failed = f0;
	o->user = u0;
	o->successes = c0 > f0 ? c0 - f0 : 0;
	if (w.run.error[0])
		snprintf(o->why, sizeof(o->why), "guest: %s", w.run.error);
	world_close(&w);
	kvm_close(&kvm);
	sleep_ms(100);
	mem_snapshot_take(&m1);
	o->lck_after = m1.vm_lck_kb;
	o->unlocked = m1.vm_lck_kb == m0.vm_lck_kb;
}

static void test_a3(const char *addr, unsigned run_ms)
{
	struct a3_outcome o = { 0 };
	int pipefd[2], status;
	pid_t pid;

	if (pipe(pipefd))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		a3_child(addr, run_ms, &o);
		_exit(write(pipefd[1], &o, sizeof(o)) == (ssize_t)sizeof(o) ? 0 : 3);
	}
	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], &o, sizeof(o)) != (ssize_t)sizeof(o))
		snprintf(o.why, sizeof(o.why), "the VMM process died");
	close(pipefd[0]);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (!o.accepted && !o.setup_ok && !o.why[0]) {
		report_skip("KVM refused the attach in a1: nothing stale to probe",
			    "a3.no-stale-mapping: no mapping through a table attached before the container");
		return;
	}
	if (!o.setup_ok) {
		report(false, "a3.no-stale-mapping: setup: %s", o.why);
		return;
	}
	report(o.successes <= IN_FLIGHT,
	       "a3.no-stale-mapping: once the group is in a v2 container, the guest's H_PUT_TCE on a "
	       "table attached before it do not map through the stale table (%llu completed in "
	       "the kernel, %llu failed, %llu to userspace)",
	       o.successes, o.failed, o.user);
	if (o.successes > IN_FLIGHT)
		report_info("KVM wrote those TCEs into the IOMMU table the host used before VFIO took "
			    "the group: VFIO's own table of the window knows nothing of them");
	report(o.unlocked, "a3.unlocked: no pre-registered memory stays locked after teardown "
			   "(locked_vm %llu -> %llu KiB)",
	       (unsigned long long)o.lck_before, (unsigned long long)o.lck_after);
	log_check("a3");
}

static void test_c(const char *addr, unsigned loops, unsigned run_ms)
{
	struct mem_snapshot m1, m2;
	unsigned died[NACTIONS] = { 0 }, locked[NACTIONS] = { 0 }, unusable[NACTIONS] = { 0 };
	unsigned mapping[NACTIONS] = { 0 };
	unsigned failed_setup = 0, bad = 0;
	char what[64];

	for (unsigned i = 0; i < loops; i++) {
		for (int a = 0; a < NACTIONS; a++) {
			struct outcome o;

			run_action(addr, (enum action)a, run_ms, &o);
			if (!o.setup_ok) {
				failed_setup++;
				continue;
			}
			died[a] += !o.survived;
			mapping[a] += must_stop_mapping[a] && o.after_success > IN_FLIGHT;
			locked[a] += !o.unlocked;
			unusable[a] += !o.reusable;
		}
		if (i == 0)
			mem_snapshot_take(&m1);
	}
	mem_snapshot_take(&m2);
	for (int a = 0; a < NACTIONS; a++) {
		bad += died[a] + locked[a] + unusable[a] + mapping[a];
		report_info("%s (%s), %u times: %u died, %u kept mapping, %u left memory locked, "
			    "%u left the group unusable",
			    action_ids[a], action_names[a], loops, died[a], mapping[a], locked[a],
			    unusable[a]);
	}
	report(!bad && !failed_setup, "c.loops: %u loops of b1-b4: every one survived, stopped mapping, "
				      "unlocked and left the group usable (%u failed setup)",
	       loops, failed_setup);
	if (loops > 1 && m1.have_meminfo && m2.have_meminfo) {
		double per = ((double)m1.mem_free_kb - (double)m2.mem_free_kb) / (loops - 1);

		report(per < 1024, "c.memfree: MemFree does not drain across the VMM processes (%+.1f KiB per "
				   "loop after the first, threshold 1024)", -per);
	} else {
		report_skip("needs 2 loops and /proc/meminfo", "c.memfree: MemFree does not drain");
	}
	snprintf(what, sizeof(what), "c");
	log_check(what);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct options o;
	struct tl_error e;
	struct utsname u;
	struct tl_kvm kvm;
	char drv[64];
	struct stat st;
	char path[128];

	if (parse_options(argc, argv, &o, &e))
		die(e.msg);
	uname(&u);
	if (strncmp(u.machine, "ppc64", 5)) {
		snprintf(e.msg, sizeof(e.msg),
			 "not running on POWER (this machine is %s): these tests need a POWER KVM host",
			 u.machine);
		die(e.msg);
	}
	if (geteuid())
		die("needs root (/dev/kvm, /dev/vfio, /dev/kmsg)");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", o.device);
	if (stat(path, &st)) {
		snprintf(e.msg, sizeof(e.msg), "no PCI device %s on this host", o.device);
		die(e.msg);
	}
	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: KVM_RUN returns EINTR */
	if (kmsg_open(&klog, true, &e))
		klog.fd = -1;

	if (o.bind && pci_bind_vfio("/sys", o.device, &e)) {
		report_skip(e.msg, "setup.ready: device bound to vfio-pci");
		return report_summary();
	}
	if (pci_driver("/sys", o.device, drv, sizeof(drv), &e) || strcmp(drv, "vfio-pci")) {
		report_skip("the device is not bound to vfio-pci", "setup.ready");
		return report_summary();
	}
	if (pci_group_viable("/sys", o.device, &e)) {
		report_skip(e.msg, "setup.ready: IOMMU group viable");
		return report_summary();
	}
	if (kvm_open(&kvm, NULL, &e)) {
		report_skip(e.msg, "setup.ready: /dev/kvm");
		return report_summary();
	}
	if (kvm_check_extension(kvm.fd, TL_KVM_CAP_SPAPR_TCE_VFIO) <= 0 ||
	    kvm_check_extension(kvm.fd, TL_KVM_CAP_PPC_MMU_RADIX) <= 0) {
		report_skip("needs KVM_CAP_SPAPR_TCE_VFIO and radix guests",
			    "setup.ready: in-kernel TCE tables for VFIO");
		return report_summary();
	}
	report(true, "setup.ready: %s bound to vfio-pci, group viable, KVM with SPAPR_TCE_VFIO and radix "
		     "guests (%u loops, %u ms per action)", o.device, o.loops, o.run_ms);
	log_skip_to_now();

	test_a(&kvm, o.device);
	log_check("a");
	test_a3(o.device, o.run_ms);
	test_b(o.device, o.run_ms);
	test_c(o.device, o.loops, o.run_ms);

	kvm_close(&kvm);
	kmsg_close(&klog);
	return report_summary();
}
