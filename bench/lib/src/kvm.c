// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "tcelab/error.h"
#include "tcelab/kvm.h"

/* The copies in kvm.h must match the uapi header this was built with. */
_Static_assert(TL_KVM_CAP_SPAPR_TCE == KVM_CAP_SPAPR_TCE, "KVM_CAP_SPAPR_TCE");
_Static_assert(TL_KVM_CAP_SPAPR_TCE_64 == KVM_CAP_SPAPR_TCE_64, "KVM_CAP_SPAPR_TCE_64");
_Static_assert(TL_KVM_CAP_SPAPR_TCE_VFIO == KVM_CAP_SPAPR_TCE_VFIO, "KVM_CAP_SPAPR_TCE_VFIO");
_Static_assert(TL_KVM_CAP_SPAPR_MULTITCE == KVM_CAP_SPAPR_MULTITCE, "KVM_CAP_SPAPR_MULTITCE");
_Static_assert(TL_KVM_CAP_PPC_ENABLE_HCALL == KVM_CAP_PPC_ENABLE_HCALL, "ENABLE_HCALL");
_Static_assert(TL_KVM_CAP_PPC_NESTED_HV == KVM_CAP_PPC_NESTED_HV, "KVM_CAP_PPC_NESTED_HV");
_Static_assert(TL_KVM_CAP_PPC_IRQ_XIVE == KVM_CAP_PPC_IRQ_XIVE, "KVM_CAP_PPC_IRQ_XIVE");
_Static_assert(TL_KVM_CAP_IRQ_XICS == KVM_CAP_IRQ_XICS, "KVM_CAP_IRQ_XICS");
_Static_assert(TL_KVM_CAP_PPC_MMU_RADIX == KVM_CAP_PPC_MMU_RADIX, "KVM_CAP_PPC_MMU_RADIX");
_Static_assert(TL_KVM_CAP_PPC_MMU_HASH_V3 == KVM_CAP_PPC_MMU_HASH_V3, "MMU_HASH_V3");
_Static_assert(TL_KVM_CAP_PPC_PAPR == KVM_CAP_PPC_PAPR, "KVM_CAP_PPC_PAPR");
_Static_assert(TL_KVM_DEV_TYPE_XICS == KVM_DEV_TYPE_XICS, "KVM_DEV_TYPE_XICS");
_Static_assert(TL_KVM_DEV_TYPE_VFIO == KVM_DEV_TYPE_VFIO, "KVM_DEV_TYPE_VFIO");
_Static_assert(TL_KVM_DEV_TYPE_XIVE == KVM_DEV_TYPE_XIVE, "KVM_DEV_TYPE_XIVE");

/* From arch/powerpc/include/uapi/asm/kvm.h (not in an x86 build's headers). */
struct tl_kvm_ppc_mmuv3_cfg {
	uint64_t flags;
	uint64_t process_table;
};
#define TL_KVM_PPC_MMUV3_RADIX 1
#define TL_KVM_PPC_MMUV3_GTSE 2
#define TL_KVM_PPC_CONFIGURE_V3_MMU _IOW(KVMIO, 0xaf, struct tl_kvm_ppc_mmuv3_cfg)
/* From arch/powerpc/include/uapi/asm/kvm.h as well. */
struct tl_kvm_create_spapr_tce_64 {
	uint64_t liobn;
	uint32_t page_shift;
	uint32_t flags;
	uint64_t offset; /* in pages */
	uint64_t size;   /* in pages */
};
#define TL_KVM_CREATE_SPAPR_TCE_64 _IOW(KVMIO, 0xa8, struct tl_kvm_create_spapr_tce_64)
/* KVM_REG_PPC | KVM_REG_SIZE_U64 | 0xb5 */
#define TL_KVM_REG_PPC_LPCR_64 (0x1000000000000000ull | 0x0030000000000000ull | 0xb5)
#if defined(__powerpc64__)
_Static_assert(TL_KVM_CREATE_SPAPR_TCE_64 == KVM_CREATE_SPAPR_TCE_64, "KVM_CREATE_SPAPR_TCE_64");
_Static_assert(TL_KVM_PPC_CONFIGURE_V3_MMU == KVM_PPC_CONFIGURE_V3_MMU, "CONFIGURE_V3_MMU");
_Static_assert(TL_KVM_REG_PPC_LPCR_64 == KVM_REG_PPC_LPCR_64, "KVM_REG_PPC_LPCR_64");
#endif

const struct kvm_cap_name kvm_ppc_caps[] = {
	{ TL_KVM_CAP_SPAPR_TCE, "KVM_CAP_SPAPR_TCE" },
	{ TL_KVM_CAP_SPAPR_TCE_64, "KVM_CAP_SPAPR_TCE_64" },
	{ TL_KVM_CAP_SPAPR_TCE_VFIO, "KVM_CAP_SPAPR_TCE_VFIO" },
	{ TL_KVM_CAP_SPAPR_MULTITCE, "KVM_CAP_SPAPR_MULTITCE" },
	{ TL_KVM_CAP_PPC_ENABLE_HCALL, "KVM_CAP_PPC_ENABLE_HCALL" },
	{ TL_KVM_CAP_PPC_NESTED_HV, "KVM_CAP_PPC_NESTED_HV" },
	{ TL_KVM_CAP_PPC_IRQ_XIVE, "KVM_CAP_PPC_IRQ_XIVE" },
	{ TL_KVM_CAP_IRQ_XICS, "KVM_CAP_IRQ_XICS" },
	{ TL_KVM_CAP_PPC_MMU_RADIX, "KVM_CAP_PPC_MMU_RADIX" },
	{ TL_KVM_CAP_PPC_MMU_HASH_V3, "KVM_CAP_PPC_MMU_HASH_V3" },
	{ TL_KVM_CAP_PPC_PAPR, "KVM_CAP_PPC_PAPR" },
	{ TL_KVM_CAP_PPC_RTAS, "KVM_CAP_PPC_RTAS" },
	{ TL_KVM_CAP_NR_VCPUS, "KVM_CAP_NR_VCPUS" },
	{ 0, NULL },
};

const char *kvm_cap_name(long cap)
{
	static char buf[32];

	for (const struct kvm_cap_name *c = kvm_ppc_caps; c->name; c++)
		if (c->cap == cap)
			return c->name;
	snprintf(buf, sizeof(buf), "KVM_CAP_%ld", cap);
	return buf;
}

long kvm_cap_by_name(const char *name)
{
	if (!strncasecmp(name, "KVM_CAP_", 8))
		name += 8;
	for (const struct kvm_cap_name *c = kvm_ppc_caps; c->name; c++)
		if (!strcasecmp(c->name + 8, name))
			return c->cap;
	return -1;
}

int kvm_open(struct tl_kvm *k, const char *path, struct tl_error *e)
{
	int v;

	if (!path)
		path = "/dev/kvm";
	k->fd = open(path, O_RDWR | O_CLOEXEC);
	k->run_size = 0;
	if (k->fd < 0)
		return tl_err_errno(e, "%s", path);
	v = ioctl(k->fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		tl_err(e, "%s: KVM API version %d, expected %d", path, v, KVM_API_VERSION);
		close(k->fd);
		k->fd = -1;
		return -1;
	}
	k->run_size = ioctl(k->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (k->run_size <= 0) {
		tl_err_errno(e, "%s: KVM_GET_VCPU_MMAP_SIZE", path);
		close(k->fd);
		k->fd = -1;
		return -1;
	}
	return 0;
}

void kvm_close(struct tl_kvm *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

int kvm_check_extension(int fd, long cap)
{
	return ioctl(fd, KVM_CHECK_EXTENSION, cap);
}

int kvm_vm_create(struct tl_kvm *k, unsigned long type, int *vm_fd, struct tl_error *e)
{
	int fd;

	do
		fd = ioctl(k->fd, KVM_CREATE_VM, type);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return tl_err_errno(e, "KVM_CREATE_VM (type %lu)", type);
	*vm_fd = fd;
	return 0;
}

int kvm_vm_set_memory(int vm_fd, unsigned slot, uint64_t gpa, void *hva, uint64_t size,
		      struct tl_error *e)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r))
		return tl_err_errno(e, "KVM_SET_USER_MEMORY_REGION slot %u gpa 0x%llx size 0x%llx",
				    slot, (unsigned long long)gpa, (unsigned long long)size);
	return 0;
}

int kvm_enable_cap(int fd, long cap, const uint64_t *args, size_t nargs, struct tl_error *e)
{
	struct kvm_enable_cap c = { .cap = (uint32_t)cap };

	for (size_t i = 0; i < nargs && i < 4; i++)
		c.args[i] = args[i];
	if (ioctl(fd, KVM_ENABLE_CAP, &c))
		return tl_err_errno(e, "KVM_ENABLE_CAP %s", kvm_cap_name(cap));
	return 0;
}

int kvm_enable_hcall(int vm_fd, unsigned long hcall, bool on, struct tl_error *e)
{
	uint64_t args[2] = { hcall, on };

	if (kvm_enable_cap(vm_fd, TL_KVM_CAP_PPC_ENABLE_HCALL, args, 2, e))
		return tl_err_wrap(e, "hcall 0x%lx %s", hcall, on ? "on" : "off");
	return 0;
}

int kvm_ppc_configure_radix(int vm_fd, struct tl_error *e)
{
	/* PATB_GR (guest radix) must match the flag; no process table yet
	 * (size 0): a guest in real mode needs none */
	struct tl_kvm_ppc_mmuv3_cfg cfg = {
		.flags = TL_KVM_PPC_MMUV3_RADIX | TL_KVM_PPC_MMUV3_GTSE,
		.process_table = 1ull << 63,
	};

	if (ioctl(vm_fd, TL_KVM_PPC_CONFIGURE_V3_MMU, &cfg))
		return tl_err_errno(e, "KVM_PPC_CONFIGURE_V3_MMU (radix)");
	return 0;
}

int kvm_vcpu_create(struct tl_kvm *k, int vm_fd, unsigned id, struct tl_vcpu *v,
		    struct tl_error *e)
{
	void *run;

	v->fd = ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	v->id = id;
	v->run = NULL;
	v->run_size = 0;
	if (v->fd < 0)
		return tl_err_errno(e, "KVM_CREATE_VCPU %u", id);
	run = mmap(NULL, (size_t)k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (run == MAP_FAILED) {
		tl_err_errno(e, "mmap of vCPU %u's kvm_run", id);
		close(v->fd);
		v->fd = -1;
		return -1;
	}
	v->run = run;
	v->run_size = (size_t)k->run_size;
	return 0;
}

void kvm_vcpu_destroy(struct tl_vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

int kvm_vcpu_enable_papr(struct tl_vcpu *v, struct tl_error *e)
{
	return kvm_enable_cap(v->fd, TL_KVM_CAP_PPC_PAPR, NULL, 0, e);
}

static const char *device_name(uint32_t type)
{
	switch (type) {
	case TL_KVM_DEV_TYPE_XICS: return "XICS";
	case TL_KVM_DEV_TYPE_XIVE: return "XIVE";
	case TL_KVM_DEV_TYPE_VFIO: return "KVM-VFIO";
	default: return "device";
	}
}

int kvm_create_device(int vm_fd, uint32_t type, bool test, int *dev_fd, struct tl_error *e)
{
	struct kvm_create_device d = { .type = type, .flags = test ? KVM_CREATE_DEVICE_TEST : 0 };

	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &d))
		return tl_err_errno(e, "KVM_CREATE_DEVICE %s (type %u)%s", device_name(type), type,
				    test ? " test" : "");
	if (!test)
		*dev_fd = (int)d.fd;
	return 0;
}

int kvm_vfio_create(int vm_fd, int *dev_fd, struct tl_error *e)
{
	return kvm_create_device(vm_fd, TL_KVM_DEV_TYPE_VFIO, false, dev_fd, e);
}

static int vfio_attr(int dev_fd, uint64_t attr, void *arg)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = attr,
		.addr = (uintptr_t)arg,
	};

	return ioctl(dev_fd, KVM_SET_DEVICE_ATTR, &a);
}

int kvm_vfio_group_add(int dev_fd, int group_fd, struct tl_error *e)
{
	int32_t fd = group_fd;

	if (vfio_attr(dev_fd, KVM_DEV_VFIO_GROUP_ADD, &fd))
		return tl_err_errno(e, "KVM-VFIO: KVM_DEV_VFIO_GROUP_ADD");
	return 0;
}

int kvm_vfio_group_del(int dev_fd, int group_fd, struct tl_error *e)
{
	int32_t fd = group_fd;

	if (vfio_attr(dev_fd, KVM_DEV_VFIO_GROUP_DEL, &fd))
		return tl_err_errno(e, "KVM-VFIO: KVM_DEV_VFIO_GROUP_DEL");
	return 0;
}

int kvm_vfio_set_spapr_tce(int dev_fd, int group_fd, int table_fd, struct tl_error *e)
{
	struct kvm_vfio_spapr_tce p = { .groupfd = group_fd, .tablefd = table_fd };

	if (vfio_attr(dev_fd, KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE, &p))
		return tl_err_errno(e, "KVM-VFIO: KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE");
	return 0;
}

int kvm_create_spapr_tce_64(int vm_fd, struct tl_tce_table *t, struct tl_error *e)
{
	struct tl_kvm_create_spapr_tce_64 a = {
		.liobn = t->liobn,
		.page_shift = t->page_shift,
		.flags = 0,
		.offset = t->offset,
		.size = t->size,
	};
	int fd = ioctl(vm_fd, TL_KVM_CREATE_SPAPR_TCE_64, &a);

	if (fd < 0)
		return tl_err_errno(e, "KVM_CREATE_SPAPR_TCE_64 liobn 0x%llx page 2^%u offset 0x%llx "
				       "size 0x%llx pages",
				    (unsigned long long)t->liobn, t->page_shift,
				    (unsigned long long)t->offset, (unsigned long long)t->size);
	t->fd = fd;
	return 0;
}

int kvm_stats_fd(int fd, struct tl_error *e)
{
	int s = ioctl(fd, KVM_GET_STATS_FD, NULL);

	if (s < 0)
		return tl_err_errno(e, "KVM_GET_STATS_FD");
	return s;
}

int kvm_stats_read(int stats_fd, const char *name, uint64_t *value, struct tl_error *e)
{
	struct kvm_stats_header h;
	size_t dsize;
	char *descs;
	int ret = 1;

	if (pread(stats_fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return tl_err_errno(e, "KVM stats: header");
	dsize = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = calloc(h.num_desc, dsize);
	if (!descs)
		return tl_err(e, "KVM stats: out of memory");
	if (pread(stats_fd, descs, dsize * h.num_desc, h.desc_offset) !=
	    (ssize_t)(dsize * h.num_desc)) {
		free(descs);
		return tl_err_errno(e, "KVM stats: descriptors");
	}
	for (uint32_t i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(descs + i * dsize);

		if (strncmp(d->name, name, h.name_size))
			continue;
		if (pread(stats_fd, value, sizeof(*value), h.data_offset + d->offset) !=
		    (ssize_t)sizeof(*value))
			ret = tl_err_errno(e, "KVM stats: value of %s", name);
		else
			ret = 0;
		break;
	}
	free(descs);
	return ret;
}

#if defined(__powerpc64__)
int kvm_ppc_get_regs(struct tl_vcpu *v, struct tl_ppc_regs *r, struct tl_error *e)
{
	struct kvm_regs k;

	if (ioctl(v->fd, KVM_GET_REGS, &k))
		return tl_err_errno(e, "KVM_GET_REGS vCPU %u", v->id);
	r->pc = k.pc;
	r->msr = k.msr;
	r->lr = k.lr;
	r->ctr = k.ctr;
	r->cr = k.cr;
	r->xer = k.xer;
	memcpy(r->gpr, k.gpr, sizeof(r->gpr));
	return 0;
}

int kvm_ppc_set_regs(struct tl_vcpu *v, const struct tl_ppc_regs *r, struct tl_error *e)
{
	struct kvm_regs k;

	/* keep what we do not set (SRRs, SPRGs, PID) */
	if (ioctl(v->fd, KVM_GET_REGS, &k))
		return tl_err_errno(e, "KVM_GET_REGS vCPU %u", v->id);
	k.pc = r->pc;
	k.msr = r->msr;
	k.lr = r->lr;
	k.ctr = r->ctr;
	k.cr = r->cr;
	k.xer = r->xer;
	memcpy(k.gpr, r->gpr, sizeof(k.gpr));
	if (ioctl(v->fd, KVM_SET_REGS, &k))
		return tl_err_errno(e, "KVM_SET_REGS vCPU %u", v->id);
	return 0;
}

int kvm_ppc_get_one_reg(struct tl_vcpu *v, uint64_t id, uint64_t *value, struct tl_error *e)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)value };

	if (ioctl(v->fd, KVM_GET_ONE_REG, &r))
		return tl_err_errno(e, "KVM_GET_ONE_REG 0x%llx", (unsigned long long)id);
	return 0;
}

int kvm_ppc_set_one_reg(struct tl_vcpu *v, uint64_t id, uint64_t value, struct tl_error *e)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&value };

	if (ioctl(v->fd, KVM_SET_ONE_REG, &r))
		return tl_err_errno(e, "KVM_SET_ONE_REG 0x%llx", (unsigned long long)id);
	return 0;
}
#else
int kvm_ppc_get_regs(struct tl_vcpu *v, struct tl_ppc_regs *r, struct tl_error *e)
{
	(void)v;
	(void)r;
	return tl_err(e, "KVM_GET_REGS: ppc64 registers only exist on POWER");
}

int kvm_ppc_set_regs(struct tl_vcpu *v, const struct tl_ppc_regs *r, struct tl_error *e)
{
	(void)v;
	(void)r;
	return tl_err(e, "KVM_SET_REGS: ppc64 registers only exist on POWER");
}

int kvm_ppc_get_one_reg(struct tl_vcpu *v, uint64_t id, uint64_t *value, struct tl_error *e)
{
	(void)v;
	(void)id;
	(void)value;
	return tl_err(e, "KVM_GET_ONE_REG: ppc64 registers only exist on POWER");
}

int kvm_ppc_set_one_reg(struct tl_vcpu *v, uint64_t id, uint64_t value, struct tl_error *e)
{
	(void)v;
	(void)id;
	(void)value;
	return tl_err(e, "KVM_SET_ONE_REG: ppc64 registers only exist on POWER");
}
#endif

uint64_t kvm_ppc_reg_lpcr64(void)
{
	return TL_KVM_REG_PPC_LPCR_64;
}

int kvm_vcpu_run(struct tl_vcpu *v)
{
	return ioctl(v->fd, KVM_RUN, 0);
}

const char *kvm_exit_name(uint32_t reason)
{
	static char buf[24];

	switch (reason) {
	case KVM_EXIT_UNKNOWN: return "KVM_EXIT_UNKNOWN";
	case KVM_EXIT_EXCEPTION: return "KVM_EXIT_EXCEPTION";
	case KVM_EXIT_IO: return "KVM_EXIT_IO";
	case KVM_EXIT_HYPERCALL: return "KVM_EXIT_HYPERCALL";
	case KVM_EXIT_DEBUG: return "KVM_EXIT_DEBUG";
	case KVM_EXIT_HLT: return "KVM_EXIT_HLT";
	case KVM_EXIT_MMIO: return "KVM_EXIT_MMIO";
	case KVM_EXIT_SHUTDOWN: return "KVM_EXIT_SHUTDOWN";
	case KVM_EXIT_FAIL_ENTRY: return "KVM_EXIT_FAIL_ENTRY";
	case KVM_EXIT_INTR: return "KVM_EXIT_INTR";
	case KVM_EXIT_INTERNAL_ERROR: return "KVM_EXIT_INTERNAL_ERROR";
	case KVM_EXIT_OSI: return "KVM_EXIT_OSI";
	case KVM_EXIT_PAPR_HCALL: return "KVM_EXIT_PAPR_HCALL";
	case KVM_EXIT_EPR: return "KVM_EXIT_EPR";
	case KVM_EXIT_SYSTEM_EVENT: return "KVM_EXIT_SYSTEM_EVENT";
	default:
		snprintf(buf, sizeof(buf), "KVM_EXIT_%u", reason);
		return buf;
	}
}
