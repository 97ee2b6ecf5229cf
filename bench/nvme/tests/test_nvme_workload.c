// SPDX-License-Identifier: GPL-2.0-only
/* Workload generator bounds and mix; the verify pattern and its checker. */
#include <string.h>

#include "pattern.h"
#include "registers.h"
#include "workload.h"
#include "ktap.h"

static uint8_t buf[8 * 4096];

int main(void)
{
	struct workload w;
	struct io_desc io;
	struct mismatch m;
	bool ok = true;
	unsigned reads = 0, n = 0;

	workload_init(&w, WL_RANDREAD, 0, 1000, 800, 8, 0, 42);
	for (int i = 0; i < 100000; i++) {
		ok &= workload_next(&w, &io) && io.opc == NVME_CMD_READ && io.nlb == 8;
		ok &= io.slba >= 1000 && io.slba + io.nlb <= 1800 && (io.slba - 1000) % 8 == 0;
	}
	report(ok, "randread: 100000 I/Os, all inside [1000, 1800), bs-aligned");

	workload_init(&w, WL_WRITE, 0, 10, 20, 8, 5, 0);
	ok = workload_next(&w, &io) && io.slba == 10 && io.nlb == 8 && io.opc == NVME_CMD_WRITE;
	ok &= workload_next(&w, &io) && io.slba == 18 && io.nlb == 8;
	ok &= workload_next(&w, &io) && io.slba == 26 && io.nlb == 4;
	ok &= workload_next(&w, &io) && io.slba == 10 && io.nlb == 8;
	ok &= workload_next(&w, &io) && !workload_next(&w, &io);
	report(ok, "sequential write: 10, 18, then a short I/O of 4 to the end, wrap; stops at --ios");

	workload_init(&w, WL_MIXED, 70, 0, 1 << 20, 1, 0, 7);
	for (int i = 0; i < 100000; i++) {
		workload_next(&w, &io);
		reads += io.opc == NVME_CMD_READ;
	}
	report(reads > 69000 && reads < 71000, "mixed 70: %u reads in 100000", reads);
	workload_init(&w, WL_MIXED, 0, 0, 64, 1, 0, 7);
	for (int i = 0; i < 1000; i++) {
		workload_next(&w, &io);
		n += io.opc == NVME_CMD_READ;
	}
	report(n == 0, "mixed 0: only writes");
	workload_init(&w, WL_RANDWRITE, 0, 5, 8, 8, 0, 1);
	ok = true;
	for (int i = 0; i < 100; i++)
		ok &= workload_next(&w, &io) && io.slba == 5;
	report(ok, "a range of exactly one I/O: always that one");

	pattern_fill(buf, 4096, 8, 512, 0x1234);
	report(!memcmp(buf, "TCELAB nvme-perf LBA 0000000000001000 seed 0000000000001234    \n", 64) &&
		       !memcmp(buf + 512, "TCELAB nvme-perf LBA 0000000000001001", 37),
	       "every block starts with its readable header");
	report(pattern_check(buf, 4096, 8, 512, 0x1234, &m), "a fresh pattern checks");
	report(!pattern_check(buf, 4096, 8, 512, 0x1235, &m) && m.lba == 4096 && m.offset == 58,
	       "another seed: mismatch at LBA 4096 offset %u (in the header's seed)", m.offset);
	report(!pattern_check(buf, 4097, 8, 512, 0x1234, &m) && m.lba == 4097,
	       "blocks read from the wrong LBA: mismatch");
	buf[3 * 512 + 200] ^= 1;
	report(!pattern_check(buf, 4096, 8, 512, 0x1234, &m) && m.lba == 4099 && m.offset == 200 &&
		       m.expected == (m.actual ^ 1),
	       "one flipped bit: LBA 4099 offset 200, expected and actual differ by that bit");
	pattern_fill(buf, 0, 8, 4096, 9);
	report(pattern_check(buf, 0, 8, 4096, 9, &m), "4 KiB blocks too");
	return report_summary();
}
