/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal sPAPR guest for KVM HV: one vCPU in real mode running a few
 * dozen instructions that issue H_PUT_TCE in a loop, so a host tool can
 * exercise the hypercall paths of an in-kernel TCE table without QEMU.
 *
 * Guest physical memory starts at 0. The program maps batch TCEs (ioba,
 * ioba + stride, ...) to one guest page, unmaps them again, then reports
 * with a private hypercall that exits to userspace, and starts over:
 *
 *   outer: for i in 0..batch-1: H_PUT_TCE(liobn, ioba + i*stride, tce)
 *          for i in 0..batch-1: H_PUT_TCE(liobn, ioba + i*stride, 0)
 *          hcall GUEST_HC_BATCH(count)            -> userspace
 *   a failed H_PUT_TCE: hcall GUEST_HC_FAILED(count, rc, ioba), then on
 *   every exception vector: hcall GUEST_HC_FAULT | vector (SRR0, SRR1)
 *
 * Hypercall numbers above MAX_HCALL_OPCODE are not KVM's: they leave the
 * kernel as KVM_EXIT_PAPR_HCALL. H_PUT_TCE itself reaches userspace only
 * when KVM does not handle it (no in-kernel table for the LIOBN, or
 * H_TOO_HARD); the host tool then answers it like a VMM would.
 *
 * The vCPU runs in 64-bit little-endian real mode (MSR SF|ME|RI|LE) of a
 * radix guest, which needs no page tables: partition-scoped translation
 * maps guest real addresses to the memslot.
 */
#ifndef TCELAB_HOST_GUEST_H
#define TCELAB_HOST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcelab/kvm.h"

struct tl_error;

#define GUEST_HC_BATCH 0x7e0001ul
#define GUEST_HC_FAILED 0x7e0002ul
#define GUEST_HC_FAULT 0x7f0000ul /* | vector offset */

#define GUEST_CODE_GPA 0x4000ull  /* program start */
#define GUEST_DATA_GPA 0x100000ull /* the page the TCEs map */
#define GUEST_MIN_RAM (2ull << 20)

/*
 * The program's code, for the registers below; returns the number of
 * 32-bit instructions written (0 when max is too small). Exposed for the
 * unit tests, which check encodings.
 */
size_t guest_code_put_tce(uint32_t *code, size_t max);
/* The exception-vector stub at offset vec (0x100..0xff0, 0x20 apart): 8 words. */
size_t guest_code_vector(uint32_t *code, size_t max, unsigned vec);

/* Instruction encoders (Power ISA), used by the generators. */
uint32_t ppc_addi(unsigned rt, unsigned ra, int16_t si);
uint32_t ppc_addis(unsigned rt, unsigned ra, int16_t si);
uint32_t ppc_ori(unsigned ra, unsigned rs, uint16_t ui);
uint32_t ppc_or(unsigned ra, unsigned rs, unsigned rb);
uint32_t ppc_add(unsigned rt, unsigned ra, unsigned rb);
uint32_t ppc_mfspr(unsigned rt, unsigned spr);
uint32_t ppc_mtspr(unsigned spr, unsigned rs);
uint32_t ppc_cmpdi(unsigned bf, unsigned ra, int16_t si);
uint32_t ppc_bc(unsigned bo, unsigned bi, int32_t rel);
uint32_t ppc_b(int32_t rel);
uint32_t ppc_sc(unsigned lev);

/* Registers the program reads (set by guest_start()). */
#define GUEST_R_LIOBN 14
#define GUEST_R_IOBA 15
#define GUEST_R_TCE 16
#define GUEST_R_BATCH 17
#define GUEST_R_COUNT 19
#define GUEST_R_CURSOR 23
#define GUEST_R_STRIDE 24

struct guest {
	struct tl_kvm *kvm;
	int vm_fd;
	bool own_vm;
	struct tl_vcpu vcpu;
	void *ram;
	uint64_t ram_size;
	bool lpcr_ile; /* interrupts taken little-endian (else vectors are garbage) */
};

/*
 * Create the guest in vm_fd (a fresh HV VM; radix is configured here):
 * guest RAM (ram_size bytes at GPA 0, mmap'ed here), one vCPU in PAPR
 * mode, the program and vectors written. Nothing runs yet.
 */
int guest_create(struct guest *g, struct tl_kvm *kvm, int vm_fd, uint64_t ram_size,
		 struct tl_error *e);
void guest_destroy(struct guest *g);

/* Point the vCPU at the program with these parameters; count restarts at 0. */
struct guest_params {
	uint64_t liobn;
	uint64_t ioba;   /* bus address of the first TCE */
	uint64_t stride; /* IOMMU page size */
	uint64_t batch;  /* TCEs mapped per round */
	uint64_t tce;    /* value to map: GUEST_DATA_GPA | read | write */
};
int guest_start(struct guest *g, const struct guest_params *p, struct tl_error *e);

/* What one KVM_RUN ended with. */
enum guest_exit_kind {
	GUEST_EXIT_BATCH,    /* a round finished: count = H_PUT_TCEs so far */
	GUEST_EXIT_FAILED,   /* an H_PUT_TCE returned rc != 0 */
	GUEST_EXIT_PUT_TCE,  /* H_PUT_TCE came to userspace: answer it */
	GUEST_EXIT_HCALL,    /* another hypercall came to userspace */
	GUEST_EXIT_FAULT,    /* the guest took an exception: vector, srr0, srr1 */
	GUEST_EXIT_INTR,     /* KVM_RUN interrupted by a signal (EINTR) */
	GUEST_EXIT_OTHER,    /* any other exit reason */
};

struct guest_exit {
	enum guest_exit_kind kind;
	uint32_t reason;     /* KVM_EXIT_* */
	uint64_t nr;         /* hypercall number */
	uint64_t args[4];    /* hypercall arguments r4..r7 */
	uint64_t count;      /* BATCH/FAILED: H_PUT_TCEs issued so far */
	int64_t rc;          /* FAILED: the return code */
	unsigned vector;     /* FAULT */
};

/*
 * KVM_RUN once. A hypercall exit must be answered with guest_answer()
 * before the next run (the private ones are answered H_SUCCESS here).
 * Returns 0, or -1 with e set when KVM_RUN failed other than by EINTR.
 */
int guest_run(struct guest *g, struct guest_exit *x, struct tl_error *e);
/* The return value the pending hypercall gives the guest (r3). */
void guest_answer(struct guest *g, int64_t rc);

/* Describe an exit for messages. */
void guest_exit_describe(const struct guest_exit *x, char *buf, size_t len);

#endif
