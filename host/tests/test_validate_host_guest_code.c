// SPDX-License-Identifier: GPL-2.0-only
/*
 * The minimal guest's machine code (host/common/guest.c): instruction
 * encodings checked against the Power ISA (and objdump of the same
 * instructions), and the program's shape: H_PUT_TCE issued with sc 1,
 * branches that land inside the program, the private report hypercalls.
 */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "../../tests/ktap.h"

/* Target word index of a relative branch at word i (b or bc), or -1. */
static long target(const uint32_t *code, size_t i)
{
	uint32_t w = code[i];
	int32_t rel;

	if (w >> 26 == 18) {
		rel = (int32_t)(w & 0x03fffffc);
		if (rel & 0x02000000)
			rel -= 0x04000000;
	} else if (w >> 26 == 16) {
		rel = (int32_t)(w & 0xfffc);
		if (rel & 0x8000)
			rel -= 0x10000;
	} else {
		return -1;
	}
	return (long)i + rel / 4;
}

int main(void)
{
	uint32_t code[256], vec[8];
	size_t n, nv;
	unsigned scs = 0, branches = 0, inside = 0, put_tce = 0;

	/* encodings (objdump -d of the same mnemonics) */
	report(ppc_addi(3, 0, 0x20) == 0x38600020, "li r3,0x20");
	report(ppc_addi(25, 25, -1) == 0x3b39ffff, "addi r25,r25,-1");
	report(ppc_addis(3, 0, 0x7e) == 0x3c60007e, "lis r3,0x7e");
	report(ppc_ori(3, 3, 1) == 0x60630001, "ori r3,r3,1");
	report(ppc_or(4, 14, 14) == 0x7dc47378, "mr r4,r14");
	report(ppc_add(23, 23, 24) == 0x7ef7c214, "add r23,r23,r24");
	report(ppc_mfspr(4, 26) == 0x7c9a02a6, "mfsrr0 r4");
	report(ppc_mfspr(5, 27) == 0x7cbb02a6, "mfsrr1 r5");
	report(ppc_mtspr(9, 17) == 0x7e2903a6, "mtctr r17");
	report(ppc_cmpdi(0, 3, 0) == 0x2c230000, "cmpdi r3,0");
	report(ppc_bc(4, 2, 8) == 0x40820008, "bne .+8");
	report(ppc_bc(4, 2, -8) == 0x4082fff8, "bne .-8");
	report(ppc_b(-4) == 0x4bfffffc, "b .-4");
	report(ppc_b(16) == 0x48000010, "b .+16");
	report(ppc_sc(1) == 0x44000022, "sc 1 (hypercall)");
	report(ppc_sc(0) == 0x44000002, "sc");

	n = guest_code_put_tce(code, 256);
	report(n > 20 && n < 100, "program is %zu instructions", n);
	report(guest_code_put_tce(code, 10) == 0, "too small a buffer is refused");
	n = guest_code_put_tce(code, 256);
	for (size_t i = 0; i < n; i++) {
		long t = target(code, i);

		if (code[i] == 0x44000022)
			scs++;
		if (code[i] == 0x38600020)
			put_tce++;
		if (t >= 0 || (code[i] >> 26 == 18) || (code[i] >> 26 == 16)) {
			branches++;
			inside += t >= 0 && (size_t)t < n;
		}
		if (code[i] == 0)
			report(false, "no unpatched branch placeholder at word %zu", i);
	}
	report(put_tce == 2, "H_PUT_TCE set up twice (map, unmap)");
	report(scs == 5, "5 hypercalls: 2 H_PUT_TCE, batch report, 2 failure reports (%u)", scs);
	report(branches == 7 && inside == branches, "every branch (%u) lands inside the program", branches);
	{
		bool batch = false, failed = false;

		for (size_t i = 0; i + 1 < n; i++) {
			if (code[i] == ppc_addis(3, 0, GUEST_HC_BATCH >> 16) &&
			    code[i + 1] == ppc_ori(3, 3, GUEST_HC_BATCH & 0xffff))
				batch = true;
			if (code[i] == ppc_addis(3, 0, GUEST_HC_FAILED >> 16) &&
			    code[i + 1] == ppc_ori(3, 3, GUEST_HC_FAILED & 0xffff))
				failed = true;
		}
		report(batch && failed, "the private report hypercalls are loaded into r3");
	}
	report(GUEST_HC_BATCH > 0x1000 && GUEST_HC_FAULT > 0x1000,
	       "private hypercall numbers are above every PAPR hcall (they leave KVM)");

	nv = guest_code_vector(vec, 8, 0x700);
	report(nv == 6 && nv * 4 <= 0x20, "a vector stub fits its 0x20 bytes");
	report(vec[0] == 0x3c60007f && vec[1] == 0x60630700, "vector stub reports 0x7f0700");
	report(vec[2] == 0x7c9a02a6 && vec[3] == 0x7cbb02a6 && vec[4] == 0x44000022,
	       "with SRR0 and SRR1, by sc 1");
	report(target(vec, 5) == 4, "and loops on the hypercall");
	report(GUEST_CODE_GPA >= 0x1000 && GUEST_DATA_GPA + 4096 <= GUEST_MIN_RAM,
	       "program above the vectors, data page inside the minimum RAM");
	return report_summary();
}
