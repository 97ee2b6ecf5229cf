// SPDX-License-Identifier: GPL-2.0-only
#include <endian.h>

#include "tcelab/error.h"
#include "prp.h"

uint64_t prp_pages(uint64_t iova, uint64_t len, uint64_t page)
{
	uint64_t first = iova & ~(page - 1);
	uint64_t last = (iova + len - 1) & ~(page - 1);

	return (last - first) / page + 1;
}

uint64_t prp_list_entries(uint64_t iova, uint64_t len, uint64_t page)
{
	uint64_t n = prp_pages(iova, len, page);

	return n > 2 ? n - 1 : 0;
}

uint64_t prp_list_pages(uint64_t entries, uint64_t page)
{
	uint64_t per_page = page / 8;

	if (entries == 0)
		return 0;
	if (entries <= per_page)
		return 1;
	/* each page but the last gives one slot to the chain pointer */
	return (entries - 1 + per_page - 2) / (per_page - 1);
}

int prp_build(uint64_t iova, uint64_t len, uint64_t page, uint64_t *list, uint64_t list_iova,
	      uint64_t list_pages, uint64_t *prp1, uint64_t *prp2, struct tl_error *e)
{
	uint64_t per_page = page / 8, n, next, entries, slot = 0;

	if (len == 0 || page < 4096 || (page & (page - 1)) || (iova & 3))
		return tl_err(e, "PRP: bad transfer (iova 0x%llx, %llu bytes, page %llu)",
			      (unsigned long long)iova, (unsigned long long)len,
			      (unsigned long long)page);
	n = prp_pages(iova, len, page);
	*prp1 = iova;
	next = (iova & ~(page - 1)) + page; /* second page */
	if (n == 1) {
		*prp2 = 0;
		return 0;
	}
	if (n == 2) {
		*prp2 = next;
		return 0;
	}
	entries = n - 1;
	if (!list || prp_list_pages(entries, page) > list_pages)
		return tl_err(e, "PRP: %llu entries need %llu list pages, %llu available",
			      (unsigned long long)entries,
			      (unsigned long long)prp_list_pages(entries, page),
			      (unsigned long long)list_pages);
	if (list_iova & (page - 1))
		return tl_err(e, "PRP: list IOVA 0x%llx is not page-aligned",
			      (unsigned long long)list_iova);
	*prp2 = list_iova;
	for (uint64_t i = 0; i < entries; i++) {
		/* last slot of a list page, and more entries to come: chain */
		if (slot % per_page == per_page - 1 && entries - i > 1) {
			list[slot] = htole64(list_iova + (slot + 1) * 8);
			slot++;
		}
		list[slot++] = htole64(next);
		next += page;
	}
	return 0;
}
