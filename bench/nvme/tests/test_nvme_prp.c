// SPDX-License-Identifier: GPL-2.0-only
/* PRP arithmetic: PRP1/PRP2 choice, list sizes, list chaining. */
#include <endian.h>
#include <string.h>

#include "tcelab/error.h"
#include "prp.h"
#include "ktap.h"

#define PG 4096ull

static uint64_t list[4 * 512];

/* Walk the list as a controller would and check it names pages 2..n in order. */
static bool list_ok(uint64_t iova, uint64_t len, uint64_t list_iova)
{
	uint64_t n = prp_pages(iova, len, PG), next = (iova & ~(PG - 1)) + PG;
	uint64_t *page = list, entries = n - 1;

	for (uint64_t i = 0, slot = 0; i < entries; i++, slot++) {
		uint64_t v;

		if (slot == 511 && entries - i > 1) { /* chain pointer */
			v = le64toh(page[slot]);
			if (v != list_iova + (uint64_t)(page - list + 512) * 8) {
				report_info("bad chain pointer 0x%llx", (unsigned long long)v);
				return false;
			}
			page += 512;
			slot = 0;
		}
		v = le64toh(page[slot]);
		if (v != next) {
			report_info("entry %llu: 0x%llx, want 0x%llx", (unsigned long long)i,
				    (unsigned long long)v, (unsigned long long)next);
			return false;
		}
		next += PG;
	}
	return true;
}

int main(void)
{
	struct tl_error e;
	uint64_t prp1, prp2, l = 0x800000;

	report(prp_pages(0x1000, 4096, PG) == 1, "one aligned page");
	report(prp_pages(0x1200, 4096, PG) == 2, "one page's worth, offset: two pages");
	report(prp_pages(0x1000, 4097, PG) == 2, "one byte over: two pages");
	report(prp_pages(0x1000, 128 << 10, PG) == 32, "128 KiB: 32 pages");
	report(prp_list_entries(0x1000, 8192, PG) == 0, "two pages need no list");
	report(prp_list_entries(0x1000, 12288, PG) == 2, "three pages: list of 2");
	report(prp_list_pages(0, PG) == 0 && prp_list_pages(1, PG) == 1 &&
		       prp_list_pages(512, PG) == 1,
	       "up to 512 entries fit one list page");
	report(prp_list_pages(513, PG) == 2 && prp_list_pages(1023, PG) == 2 &&
		       prp_list_pages(1024, PG) == 3,
	       "chained pages hold 511 entries + pointer (513, 1023 -> 2; 1024 -> 3)");

	report(prp_build(0x10000, 512, PG, NULL, 0, 0, &prp1, &prp2, &e) == 0 && prp1 == 0x10000 &&
		       prp2 == 0,
	       "512 bytes: PRP1 only, PRP2 = 0");
	report(prp_build(0x10000, 4096, PG, NULL, 0, 0, &prp1, &prp2, &e) == 0 && prp2 == 0,
	       "exactly one page: PRP2 = 0");
	report(prp_build(0x10000, 8192, PG, NULL, 0, 0, &prp1, &prp2, &e) == 0 && prp1 == 0x10000 &&
		       prp2 == 0x11000,
	       "two pages: PRP2 = second page");
	report(prp_build(0x10e00, 1024, PG, NULL, 0, 0, &prp1, &prp2, &e) == 0 && prp1 == 0x10e00 &&
		       prp2 == 0x11000,
	       "offset crossing a page boundary: PRP2 = next page, page-aligned");
	report(prp_build(0x10000, 12288, PG, NULL, 0, 0, &prp1, &prp2, &e) &&
		       strstr(e.msg, "list pages"),
	       "three pages without list space: error");

	memset(list, 0, sizeof(list));
	report(prp_build(0x20000, 128 << 10, PG, list, l, 1, &prp1, &prp2, &e) == 0 &&
		       prp1 == 0x20000 && prp2 == l && list_ok(0x20000, 128 << 10, l) &&
		       list[31] == 0,
	       "128 KiB: PRP2 -> list of 31 pages, nothing beyond");
	memset(list, 0, sizeof(list));
	report(prp_build(0x20200, 16384, PG, list, l, 1, &prp1, &prp2, &e) == 0 &&
		       prp1 == 0x20200 && list_ok(0x20200, 16384, l) &&
		       le64toh(list[0]) == 0x21000 && le64toh(list[3]) == 0x24000,
	       "offset start: 5 pages, list of 4 page-aligned entries");
	memset(list, 0, sizeof(list));
	report(prp_build(0, 2ull << 20, PG, list, l, 1, &prp1, &prp2, &e) == 0 &&
		       list_ok(0, 2ull << 20, l),
	       "2 MiB: 511 entries still fit one list page");
	memset(list, 0, sizeof(list));
	report(prp_build(0, (2ull << 20) + PG, PG, list, l, 1, &prp1, &prp2, &e) == 0 &&
		       list_ok(0, (2ull << 20) + PG, l),
	       "2 MiB + 4 KiB: 512 entries exactly fill one page, no chain");
	memset(list, 0, sizeof(list));
	report(prp_build(0, (2ull << 20) + 2 * PG, PG, list, l, 1, &prp1, &prp2, &e) &&
		       strstr(e.msg, "need 2"),
	       "513 entries in one list page: error naming the need");
	report(prp_build(0, (2ull << 20) + 2 * PG, PG, list, l, 2, &prp1, &prp2, &e) == 0 &&
		       list_ok(0, (2ull << 20) + 2 * PG, l) && le64toh(list[511]) == l + 4096 &&
		       le64toh(list[512]) == 2ull << 20,
	       "513 entries: last slot of page 1 chains to page 2, which holds 2 entries");
	memset(list, 0, sizeof(list));
	report(prp_build(0x1000, 4ull << 20, PG, list, l, 3, &prp1, &prp2, &e) == 0 &&
		       list_ok(0x1000, 4ull << 20, l),
	       "4 MiB: 1023 entries over two chained pages");
	report(prp_build(0x1000, 4096, PG, list, 0x800100, 1, &prp1, &prp2, &e) == 0,
	       "list alignment does not matter when no list is used");
	report(prp_build(0x1000, 16384, PG, list, 0x800100, 1, &prp1, &prp2, &e) &&
		       strstr(e.msg, "page-aligned"),
	       "an unaligned list is refused");
	report(prp_build(0x1002, 512, PG, NULL, 0, 0, &prp1, &prp2, &e) && strstr(e.msg, "bad"),
	       "PRP1 must be dword aligned");
	report(prp_build(0x1000, 0, PG, NULL, 0, 0, &prp1, &prp2, &e), "zero length is refused");
	return report_summary();
}
