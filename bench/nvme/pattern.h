/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The --verify data: every logical block starts with a readable header,
 *
 *   "TCELAB nvme-perf LBA 000000000000abcd seed 0123456789abcdef    \n"
 *
 * (64 bytes of ASCII)
 *
 * so a block can be found and checked from the host with od or grep, and
 * the rest of the block is 64-bit words derived from (seed, LBA, word),
 * so a block read back from the wrong LBA, a stale run (another seed) or
 * a torn transfer all show as mismatches.
 */
#ifndef NVME_PATTERN_H
#define NVME_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

#define PATTERN_HEADER 64

struct mismatch {
	uint64_t lba;      /* first block that differs */
	uint32_t offset;   /* first differing byte in that block */
	uint8_t expected, actual;
};

/* Fill nlb blocks of lba_size (>= 512) bytes starting at slba. */
void pattern_fill(void *buf, uint64_t slba, uint32_t nlb, uint32_t lba_size, uint64_t seed);

/* Compare; false and *m filled at the first difference. */
bool pattern_check(const void *buf, uint64_t slba, uint32_t nlb, uint32_t lba_size,
		   uint64_t seed, struct mismatch *m);

#endif
