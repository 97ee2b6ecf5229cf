/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM on POWER through its ioctl interface, for the host-side tools: open
 * /dev/kvm, query capabilities, create a VM (HV), vCPUs, in-kernel devices
 * (XIVE, XICS, the KVM-VFIO bridge), sPAPR TCE tables
 * (KVM_CREATE_SPAPR_TCE_64) and attach them to VFIO groups, enable
 * hypercalls in the kernel, read binary statistics.
 *
 * Everything compiles on any architecture (the unit tests run on x86);
 * the register helpers only work on ppc64 and fail with a clear message
 * elsewhere. Constants are those of Linux's uapi headers; the ppc-only
 * structures are copied here with a tl_ prefix so that an x86 build does
 * not need the ppc asm/kvm.h.
 */
#ifndef TCELAB_KVM_H
#define TCELAB_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_error;
struct kvm_run;

/* Capabilities the suite reads (linux/kvm.h numbers; stable ABI). */
#define TL_KVM_CAP_NR_VCPUS 9
#define TL_KVM_CAP_SPAPR_TCE 63
#define TL_KVM_CAP_PPC_PAPR 68
#define TL_KVM_CAP_PPC_RTAS 91
#define TL_KVM_CAP_IRQ_XICS 92
#define TL_KVM_CAP_SPAPR_MULTITCE 94
#define TL_KVM_CAP_PPC_ENABLE_HCALL 104
#define TL_KVM_CAP_SPAPR_TCE_64 125
#define TL_KVM_CAP_PPC_MMU_RADIX 134
#define TL_KVM_CAP_PPC_MMU_HASH_V3 135
#define TL_KVM_CAP_SPAPR_TCE_VFIO 142
#define TL_KVM_CAP_PPC_NESTED_HV 160
#define TL_KVM_CAP_PPC_IRQ_XIVE 169

/* KVM_CREATE_VM machine types on ppc (arch/powerpc/include/uapi/asm/kvm.h) */
#define TL_KVM_VM_PPC_DEFAULT 0
#define TL_KVM_VM_PPC_HV 1

/* Device types (enum kvm_device_type) */
#define TL_KVM_DEV_TYPE_XICS 3
#define TL_KVM_DEV_TYPE_VFIO 4
#define TL_KVM_DEV_TYPE_XIVE 9

/* sPAPR hypercalls the suite issues or handles (PAPR; asm/hvcall.h) */
#define TL_H_SUCCESS 0
#define TL_H_HARDWARE (-1)
#define TL_H_PARAMETER (-4)
#define TL_H_TOO_HARD 9999
#define TL_H_GET_TCE 0x1C
#define TL_H_PUT_TCE 0x20
#define TL_H_STUFF_TCE 0x138
#define TL_H_PUT_TCE_INDIRECT 0x13C

/* TCE permission bits in an H_PUT_TCE value */
#define TL_TCE_READ 0x1ull
#define TL_TCE_WRITE 0x2ull

/* A capability and its name, for reports. */
struct kvm_cap_name {
	long cap;
	const char *name; /* "KVM_CAP_SPAPR_TCE_VFIO" */
};

/* The ppc capabilities the suite reports, in report order; NULL-terminated. */
extern const struct kvm_cap_name kvm_ppc_caps[];

/* Name of a capability number ("KVM_CAP_42" style for unknown ones; static buffer). */
const char *kvm_cap_name(long cap);
/* Number of a capability by name, with or without the KVM_CAP_ prefix; -1 if unknown. */
long kvm_cap_by_name(const char *name);

/* /dev/kvm */
struct tl_kvm {
	int fd;
	int run_size; /* KVM_GET_VCPU_MMAP_SIZE */
};

/* Open /dev/kvm (path may be NULL for the default) and check the API version. */
int kvm_open(struct tl_kvm *k, const char *path, struct tl_error *e);
void kvm_close(struct tl_kvm *k);

/*
 * KVM_CHECK_EXTENSION on any KVM fd (/dev/kvm or a VM). Returns the value
 * (>= 0), or -1 with errno set when the ioctl itself failed.
 */
int kvm_check_extension(int fd, long cap);

/* KVM_CREATE_VM of a machine type (TL_KVM_VM_PPC_HV on POWER). */
int kvm_vm_create(struct tl_kvm *k, unsigned long type, int *vm_fd, struct tl_error *e);

/* KVM_SET_USER_MEMORY_REGION: size bytes of hva at guest physical gpa. */
int kvm_vm_set_memory(int vm_fd, unsigned slot, uint64_t gpa, void *hva, uint64_t size,
		      struct tl_error *e);

/* KVM_ENABLE_CAP on a VM or vCPU fd with up to 4 arguments. */
int kvm_enable_cap(int fd, long cap, const uint64_t *args, size_t nargs, struct tl_error *e);

/*
 * Let the kernel handle (on) or pass to userspace (off) one hypercall
 * (KVM_CAP_PPC_ENABLE_HCALL): H_PUT_TCE_INDIRECT and H_STUFF_TCE are off
 * until the VMM turns them on, as QEMU does.
 */
int kvm_enable_hcall(int vm_fd, unsigned long hcall, bool on, struct tl_error *e);

/* Radix MMU for the VM (KVM_PPC_CONFIGURE_V3_MMU, radix + GTSE, no process table). */
int kvm_ppc_configure_radix(int vm_fd, struct tl_error *e);

/* A vCPU with its mmap'ed struct kvm_run. */
struct tl_vcpu {
	int fd;
	unsigned id;
	struct kvm_run *run;
	size_t run_size;
};

/* KVM_CREATE_VCPU, then mmap its kvm_run. */
int kvm_vcpu_create(struct tl_kvm *k, int vm_fd, unsigned id, struct tl_vcpu *v,
		    struct tl_error *e);
void kvm_vcpu_destroy(struct tl_vcpu *v);

/* PAPR mode for a vCPU (KVM_CAP_PPC_PAPR): HV KVM runs nothing else. */
int kvm_vcpu_enable_papr(struct tl_vcpu *v, struct tl_error *e);

/*
 * KVM_CREATE_DEVICE. test: only ask whether the type could be created
 * (KVM_CREATE_DEVICE_TEST), *dev_fd is then left alone. On failure errno
 * says why (ENODEV: no such device in this kernel, EEXIST, ENXIO...).
 */
int kvm_create_device(int vm_fd, uint32_t type, bool test, int *dev_fd, struct tl_error *e);

/* The KVM-VFIO bridge: group files and their sPAPR TCE tables. */
int kvm_vfio_create(int vm_fd, int *dev_fd, struct tl_error *e);
int kvm_vfio_group_add(int dev_fd, int group_fd, struct tl_error *e);
int kvm_vfio_group_del(int dev_fd, int group_fd, struct tl_error *e);
/* KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: attach the group to the in-kernel table. */
int kvm_vfio_set_spapr_tce(int dev_fd, int group_fd, int table_fd, struct tl_error *e);

/* An in-kernel sPAPR TCE table: a LIOBN's window of size IOMMU pages of
 * 2^page_shift bytes, starting at bus page offset. */
struct tl_tce_table {
	uint64_t liobn;
	unsigned page_shift;
	uint64_t offset; /* in IOMMU pages */
	uint64_t size;   /* in IOMMU pages */
	int fd;
};

/* KVM_CREATE_SPAPR_TCE_64 with t's parameters; sets t->fd. */
int kvm_create_spapr_tce_64(int vm_fd, struct tl_tce_table *t, struct tl_error *e);

/*
 * Binary statistics (KVM_GET_STATS_FD on a VM or vCPU fd): the value of
 * the named statistic (first element). Returns 0, 1 when no statistic of
 * that name exists, -1 on errors.
 */
int kvm_stats_fd(int fd, struct tl_error *e);
int kvm_stats_read(int stats_fd, const char *name, uint64_t *value, struct tl_error *e);

/* ppc64 registers a minimal guest needs. */
struct tl_ppc_regs {
	uint64_t pc, msr, lr, ctr, cr, xer;
	uint64_t gpr[32];
};

/* MSR bits (Power ISA) */
#define TL_MSR_SF (1ull << 63)
#define TL_MSR_HV (1ull << 60)
#define TL_MSR_EE (1ull << 15)
#define TL_MSR_PR (1ull << 14)
#define TL_MSR_ME (1ull << 12)
#define TL_MSR_IR (1ull << 5)
#define TL_MSR_DR (1ull << 4)
#define TL_MSR_RI (1ull << 1)
#define TL_MSR_LE (1ull << 0)

/* LPCR[ILE]: the guest takes interrupts little-endian. */
#define TL_LPCR_ILE (1ull << 25)

/* KVM_GET_REGS / KVM_SET_REGS (ppc64 only). */
int kvm_ppc_get_regs(struct tl_vcpu *v, struct tl_ppc_regs *r, struct tl_error *e);
int kvm_ppc_set_regs(struct tl_vcpu *v, const struct tl_ppc_regs *r, struct tl_error *e);
/* One 64-bit register by ONE_REG id. */
int kvm_ppc_get_one_reg(struct tl_vcpu *v, uint64_t id, uint64_t *value, struct tl_error *e);
int kvm_ppc_set_one_reg(struct tl_vcpu *v, uint64_t id, uint64_t value, struct tl_error *e);
/* ONE_REG id of the 64-bit LPCR (KVM_REG_PPC_LPCR_64). */
uint64_t kvm_ppc_reg_lpcr64(void);

/* KVM_RUN once. Returns 0 (see v->run->exit_reason), or -1 with errno
 * (EINTR when a signal interrupted the guest). */
int kvm_vcpu_run(struct tl_vcpu *v);

/* Name of a KVM_EXIT_* reason for messages. */
const char *kvm_exit_name(uint32_t reason);

#endif
