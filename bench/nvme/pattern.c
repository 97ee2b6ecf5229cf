// SPDX-License-Identifier: GPL-2.0-only
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "pattern.h"

/* splitmix64 finalizer: every (seed, lba, word) gives an unrelated word */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void fill_block(uint8_t *b, uint64_t lba, uint32_t lba_size, uint64_t seed)
{
	char header[PATTERN_HEADER + 1];
	uint64_t base = mix(seed ^ mix(lba));

	snprintf(header, sizeof(header), "TCELAB nvme-perf LBA %016llx seed %016llx    \n",
		 (unsigned long long)lba, (unsigned long long)seed);
	memcpy(b, header, PATTERN_HEADER);
	for (uint32_t off = PATTERN_HEADER; off < lba_size; off += 8) {
		uint64_t w = htole64(mix(base + off));

		memcpy(b + off, &w, 8);
	}
}

void pattern_fill(void *buf, uint64_t slba, uint32_t nlb, uint32_t lba_size, uint64_t seed)
{
	for (uint32_t i = 0; i < nlb; i++)
		fill_block((uint8_t *)buf + (uint64_t)i * lba_size, slba + i, lba_size, seed);
}

bool pattern_check(const void *buf, uint64_t slba, uint32_t nlb, uint32_t lba_size,
		   uint64_t seed, struct mismatch *m)
{
	uint8_t want[65536];

	for (uint32_t i = 0; i < nlb; i++) {
		const uint8_t *got = (const uint8_t *)buf + (uint64_t)i * lba_size;

		fill_block(want, slba + i, lba_size, seed);
		if (!memcmp(got, want, lba_size))
			continue;
		for (uint32_t off = 0; off < lba_size; off++) {
			if (got[off] != want[off]) {
				*m = (struct mismatch){ slba + i, off, want[off], got[off] };
				return false;
			}
		}
	}
	return true;
}
