/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical Region Page entries for one transfer (NVMe base spec 4.1.1):
 *
 *   fits in the first memory page      PRP1 = address, PRP2 unused (0)
 *   spans exactly two pages            PRP1 = address, PRP2 = second page
 *   more                               PRP1 = address, PRP2 = PRP list:
 *                                      the addresses of pages 2..n, 8 bytes
 *                                      each; when they do not fit in one list
 *                                      page, the last entry of a full list
 *                                      page points to the next list page.
 *
 * Only PRP1 may carry an offset into its page; every other entry is
 * page-aligned. "Addresses" here are IOVAs: what the device sees.
 */
#ifndef NVME_PRP_H
#define NVME_PRP_H

#include <stdint.h>

struct tl_error;

/* Memory pages of size page touched by [iova, iova + len). len > 0. */
uint64_t prp_pages(uint64_t iova, uint64_t len, uint64_t page);

/* PRP list entries for the transfer: pages beyond the first, when more than two. */
uint64_t prp_list_entries(uint64_t iova, uint64_t len, uint64_t page);

/* List pages holding n entries, counting the chain pointers. */
uint64_t prp_list_pages(uint64_t entries, uint64_t page);

/*
 * Compute PRP1 and PRP2 and fill the list: list points at list_pages
 * page-aligned pages of host memory whose IOVA is list_iova (contiguous).
 * list may be NULL when no list is needed. iova must be 4-byte aligned
 * (the spec's dword alignment of PRP1). Returns 0, or -1 with e set when
 * the list space is too small or the arguments are invalid.
 */
int prp_build(uint64_t iova, uint64_t len, uint64_t page, uint64_t *list, uint64_t list_iova,
	      uint64_t list_pages, uint64_t *prp1, uint64_t *prp2, struct tl_error *e);

#endif
