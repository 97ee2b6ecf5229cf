// SPDX-License-Identifier: GPL-2.0-only
#include <endian.h>
#include <string.h>

#include "proto.h"

/* Layout: magic u32, version u16, type u16, session u32, reserved u32,
 * seq u64, a u64, b u64. */

static void put32(unsigned char *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static void put64(unsigned char *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

void netp_encode(const struct netp_header *h, void *buf)
{
	unsigned char *p = buf;

	put32(p, NETP_MAGIC);
	put32(p + 4, (uint32_t)NETP_VERSION << 16 | h->type);
	put32(p + 8, h->session);
	put32(p + 12, 0);
	put64(p + 16, h->seq);
	put64(p + 24, h->a);
	put64(p + 32, h->b);
}

int netp_decode(const void *buf, size_t len, struct netp_header *h)
{
	const unsigned char *p = buf;
	uint32_t vt;

	if (len < NETP_HEADER_LEN || get32(p) != NETP_MAGIC)
		return -1;
	vt = get32(p + 4);
	if (vt >> 16 != NETP_VERSION)
		return -1;
	h->type = (uint16_t)(vt & 0xffff);
	h->session = get32(p + 8);
	h->seq = get64(p + 16);
	h->a = get64(p + 24);
	h->b = get64(p + 32);
	return 0;
}
