// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "tcelab/error.h"
#include "guest.h"

/* ------------------------------------------------------------ encoders -- */

uint32_t ppc_addi(unsigned rt, unsigned ra, int16_t si)
{
	return 14u << 26 | rt << 21 | ra << 16 | (uint16_t)si;
}

uint32_t ppc_addis(unsigned rt, unsigned ra, int16_t si)
{
	return 15u << 26 | rt << 21 | ra << 16 | (uint16_t)si;
}

uint32_t ppc_ori(unsigned ra, unsigned rs, uint16_t ui)
{
	return 24u << 26 | rs << 21 | ra << 16 | ui;
}

uint32_t ppc_or(unsigned ra, unsigned rs, unsigned rb)
{
	return 31u << 26 | rs << 21 | ra << 16 | rb << 11 | 444u << 1;
}

uint32_t ppc_add(unsigned rt, unsigned ra, unsigned rb)
{
	return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | 266u << 1;
}

static uint32_t spr_field(unsigned spr)
{
	return ((spr & 0x1f) << 5 | ((spr >> 5) & 0x1f)) << 11;
}

uint32_t ppc_mfspr(unsigned rt, unsigned spr)
{
	return 31u << 26 | rt << 21 | spr_field(spr) | 339u << 1;
}

uint32_t ppc_mtspr(unsigned spr, unsigned rs)
{
	return 31u << 26 | rs << 21 | spr_field(spr) | 467u << 1;
}

uint32_t ppc_cmpdi(unsigned bf, unsigned ra, int16_t si)
{
	return 11u << 26 | bf << 23 | 1u << 21 | ra << 16 | (uint16_t)si;
}

uint32_t ppc_bc(unsigned bo, unsigned bi, int32_t rel)
{
	return 16u << 26 | bo << 21 | bi << 16 | ((uint32_t)rel & 0xfffc);
}

uint32_t ppc_b(int32_t rel)
{
	return 18u << 26 | ((uint32_t)rel & 0x03fffffc);
}

uint32_t ppc_sc(unsigned lev)
{
	return 17u << 26 | (lev & 0x7f) << 5 | 2;
}

#define SPR_SRR0 26
#define SPR_SRR1 27
#define BO_TRUE 12   /* branch if the CR bit is set */
#define BO_FALSE 4   /* branch if the CR bit is clear */
#define CR0_EQ 2

/* -------------------------------------------------------------- program -- */

/* A tiny assembler: words, labels and branch fixups. */
struct asm_buf {
	uint32_t *code;
	size_t max, n;
	bool overflow;
};

static size_t emit(struct asm_buf *a, uint32_t insn)
{
	if (a->n < a->max)
		a->code[a->n] = insn;
	else
		a->overflow = true;
	return a->n++;
}

/* Patch a branch at word `at` to jump to word `to`. */
static void fix(struct asm_buf *a, size_t at, size_t to, bool conditional, unsigned bo, unsigned bi)
{
	int32_t rel = (int32_t)((int64_t)to - (int64_t)at) * 4;

	if (at < a->max)
		a->code[at] = conditional ? ppc_bc(bo, bi, rel) : ppc_b(rel);
}

#define R_LEFT 25 /* TCEs left in this half-round */

/* map or unmap `batch` TCEs; returns the index of the failure branch to patch */
static void emit_half(struct asm_buf *a, bool map, size_t *fail_branch, size_t *next_label)
{
	size_t loop;

	emit(a, ppc_or(R_LEFT, GUEST_R_BATCH, GUEST_R_BATCH));
	emit(a, ppc_or(GUEST_R_CURSOR, GUEST_R_IOBA, GUEST_R_IOBA));
	loop = emit(a, ppc_addi(3, 0, TL_H_PUT_TCE));
	emit(a, ppc_or(4, GUEST_R_LIOBN, GUEST_R_LIOBN));
	emit(a, ppc_or(5, GUEST_R_CURSOR, GUEST_R_CURSOR));
	if (map)
		emit(a, ppc_or(6, GUEST_R_TCE, GUEST_R_TCE));
	else
		emit(a, ppc_addi(6, 0, 0));
	emit(a, ppc_sc(1));
	emit(a, ppc_addi(GUEST_R_COUNT, GUEST_R_COUNT, 1));
	emit(a, ppc_cmpdi(0, 3, 0));
	*fail_branch = emit(a, 0); /* bne fail */
	*next_label = emit(a, ppc_add(GUEST_R_CURSOR, GUEST_R_CURSOR, GUEST_R_STRIDE));
	emit(a, ppc_addi(R_LEFT, R_LEFT, -1));
	emit(a, ppc_cmpdi(0, R_LEFT, 0));
	fix(a, emit(a, 0), loop, true, BO_FALSE, CR0_EQ); /* bne loop */
}

static void emit_fail(struct asm_buf *a, size_t branch, size_t back)
{
	size_t here = a->n;

	fix(a, branch, here, true, BO_FALSE, CR0_EQ);
	emit(a, ppc_or(5, 3, 3));                                /* r5 = rc */
	emit(a, ppc_or(6, GUEST_R_CURSOR, GUEST_R_CURSOR));      /* r6 = ioba */
	emit(a, ppc_or(4, GUEST_R_COUNT, GUEST_R_COUNT));        /* r4 = count */
	emit(a, ppc_addis(3, 0, (int16_t)(GUEST_HC_FAILED >> 16)));
	emit(a, ppc_ori(3, 3, GUEST_HC_FAILED & 0xffff));
	emit(a, ppc_sc(1));
	fix(a, emit(a, 0), back, false, 0, 0);                   /* b next */
}

size_t guest_code_put_tce(uint32_t *code, size_t max)
{
	struct asm_buf a = { code, max, 0, false };
	size_t outer, map_fail, map_next, unmap_fail, unmap_next;

	outer = a.n;
	emit_half(&a, true, &map_fail, &map_next);
	emit_half(&a, false, &unmap_fail, &unmap_next);
	emit(&a, ppc_addis(3, 0, (int16_t)(GUEST_HC_BATCH >> 16)));
	emit(&a, ppc_ori(3, 3, GUEST_HC_BATCH & 0xffff));
	emit(&a, ppc_or(4, GUEST_R_COUNT, GUEST_R_COUNT));
	emit(&a, ppc_sc(1));
	fix(&a, emit(&a, 0), outer, false, 0, 0); /* b outer */
	emit_fail(&a, map_fail, map_next);
	emit_fail(&a, unmap_fail, unmap_next);
	return a.overflow ? 0 : a.n;
}

size_t guest_code_vector(uint32_t *code, size_t max, unsigned vec)
{
	struct asm_buf a = { code, max, 0, false };
	size_t sc;

	emit(&a, ppc_addis(3, 0, (int16_t)(GUEST_HC_FAULT >> 16)));
	emit(&a, ppc_ori(3, 3, (uint16_t)vec));
	emit(&a, ppc_mfspr(4, SPR_SRR0));
	emit(&a, ppc_mfspr(5, SPR_SRR1));
	sc = emit(&a, ppc_sc(1));
	fix(&a, emit(&a, 0), sc, false, 0, 0); /* report again if resumed */
	return a.overflow ? 0 : a.n;
}

/* ---------------------------------------------------------------- guest -- */

static void write_words(void *ram, uint64_t gpa, const uint32_t *w, size_t n)
{
	/* the guest runs little-endian (MSR[LE]), so does this host */
	memcpy((char *)ram + gpa, w, n * sizeof(*w));
}

int guest_create(struct guest *g, struct tl_kvm *kvm, int vm_fd, uint64_t ram_size,
		 struct tl_error *e)
{
	uint32_t words[256];
	size_t n;
	uint64_t lpcr;
	struct tl_error ignored;

	memset(g, 0, sizeof(*g));
	g->kvm = kvm;
	g->vm_fd = vm_fd;
	g->vcpu.fd = -1;
	if (ram_size < GUEST_MIN_RAM)
		ram_size = GUEST_MIN_RAM;
	g->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED) {
		g->ram = NULL;
		return tl_err_errno(e, "guest RAM (%llu bytes)", (unsigned long long)ram_size);
	}
	g->ram_size = ram_size;

	/* the program, then a stub at every exception vector */
	n = guest_code_put_tce(words, sizeof(words) / sizeof(words[0]));
	if (!n) {
		guest_destroy(g);
		return tl_err(e, "guest program does not fit its buffer");
	}
	write_words(g->ram, GUEST_CODE_GPA, words, n);
	for (unsigned vec = 0x100; vec < 0x1000; vec += 0x20) {
		n = guest_code_vector(words, 8, vec);
		write_words(g->ram, vec, words, n);
	}

	if (kvm_ppc_configure_radix(vm_fd, e) ||
	    kvm_vm_set_memory(vm_fd, 0, 0, g->ram, ram_size, e) ||
	    kvm_vcpu_create(kvm, vm_fd, 0, &g->vcpu, e) || kvm_vcpu_enable_papr(&g->vcpu, e)) {
		tl_err_wrap(e, "minimal guest");
		guest_destroy(g);
		return -1;
	}
	/* Interrupts little-endian too; without it a fault loops in the guest
	 * (the run then ends by the caller's signal, not by a report). */
	if (!kvm_ppc_get_one_reg(&g->vcpu, kvm_ppc_reg_lpcr64(), &lpcr, &ignored) &&
	    !kvm_ppc_set_one_reg(&g->vcpu, kvm_ppc_reg_lpcr64(), lpcr | TL_LPCR_ILE, &ignored))
		g->lpcr_ile = true;
	return 0;
}

void guest_destroy(struct guest *g)
{
	if (g->vcpu.fd >= 0)
		kvm_vcpu_destroy(&g->vcpu);
	if (g->ram)
		munmap(g->ram, g->ram_size);
	g->ram = NULL;
}

int guest_start(struct guest *g, const struct guest_params *p, struct tl_error *e)
{
	struct tl_ppc_regs r;

	if (kvm_ppc_get_regs(&g->vcpu, &r, e))
		return -1;
	r.pc = GUEST_CODE_GPA;
	r.msr = TL_MSR_SF | TL_MSR_ME | TL_MSR_RI | TL_MSR_LE;
	r.gpr[GUEST_R_LIOBN] = p->liobn;
	r.gpr[GUEST_R_IOBA] = p->ioba;
	r.gpr[GUEST_R_TCE] = p->tce;
	r.gpr[GUEST_R_BATCH] = p->batch ? p->batch : 1;
	r.gpr[GUEST_R_COUNT] = 0;
	r.gpr[GUEST_R_STRIDE] = p->stride;
	return kvm_ppc_set_regs(&g->vcpu, &r, e);
}

void guest_answer(struct guest *g, int64_t rc)
{
	g->vcpu.run->papr_hcall.ret = (uint64_t)rc;
}

int guest_run(struct guest *g, struct guest_exit *x, struct tl_error *e)
{
	struct kvm_run *run = g->vcpu.run;

	memset(x, 0, sizeof(*x));
	if (kvm_vcpu_run(&g->vcpu)) {
		if (errno == EINTR || errno == EAGAIN) {
			x->kind = GUEST_EXIT_INTR;
			x->reason = KVM_EXIT_INTR;
			return 0;
		}
		return tl_err_errno(e, "KVM_RUN");
	}
	x->reason = run->exit_reason;
	if (run->exit_reason == KVM_EXIT_INTR) {
		x->kind = GUEST_EXIT_INTR;
		return 0;
	}
	if (run->exit_reason != KVM_EXIT_PAPR_HCALL) {
		x->kind = GUEST_EXIT_OTHER;
		return 0;
	}
	x->nr = run->papr_hcall.nr;
	for (int i = 0; i < 4; i++)
		x->args[i] = run->papr_hcall.args[i];
	if (x->nr == GUEST_HC_BATCH) {
		x->kind = GUEST_EXIT_BATCH;
		x->count = x->args[0];
		guest_answer(g, TL_H_SUCCESS);
	} else if (x->nr == GUEST_HC_FAILED) {
		x->kind = GUEST_EXIT_FAILED;
		x->count = x->args[0];
		x->rc = (int64_t)x->args[1];
		guest_answer(g, TL_H_SUCCESS);
	} else if ((x->nr & ~0xffffull) == GUEST_HC_FAULT) {
		x->kind = GUEST_EXIT_FAULT;
		x->vector = (unsigned)(x->nr & 0xffff);
		guest_answer(g, TL_H_SUCCESS);
	} else if (x->nr == TL_H_PUT_TCE) {
		x->kind = GUEST_EXIT_PUT_TCE;
	} else {
		x->kind = GUEST_EXIT_HCALL;
	}
	return 0;
}

void guest_exit_describe(const struct guest_exit *x, char *buf, size_t len)
{
	switch (x->kind) {
	case GUEST_EXIT_BATCH:
		snprintf(buf, len, "round done after %llu H_PUT_TCE", (unsigned long long)x->count);
		break;
	case GUEST_EXIT_FAILED:
		snprintf(buf, len, "H_PUT_TCE ioba 0x%llx returned %lld",
			 (unsigned long long)x->args[2], (long long)x->rc);
		break;
	case GUEST_EXIT_PUT_TCE:
		snprintf(buf, len, "H_PUT_TCE(liobn 0x%llx, ioba 0x%llx, tce 0x%llx) exited to userspace",
			 (unsigned long long)x->args[0], (unsigned long long)x->args[1],
			 (unsigned long long)x->args[2]);
		break;
	case GUEST_EXIT_HCALL:
		snprintf(buf, len, "hypercall 0x%llx exited to userspace", (unsigned long long)x->nr);
		break;
	case GUEST_EXIT_FAULT:
		snprintf(buf, len, "guest exception at vector 0x%x, SRR0 0x%llx SRR1 0x%llx", x->vector,
			 (unsigned long long)x->args[0], (unsigned long long)x->args[1]);
		break;
	case GUEST_EXIT_INTR:
		snprintf(buf, len, "interrupted by a signal");
		break;
	case GUEST_EXIT_OTHER:
		snprintf(buf, len, "exit %s", kvm_exit_name(x->reason));
		break;
	}
}
