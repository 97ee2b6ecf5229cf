// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "tcelab/error.h"
#include "registers.h"
#include "workload.h"

const char *const workload_names[WL_COUNT] = {
	[WL_RANDREAD] = "randread", [WL_RANDWRITE] = "randwrite", [WL_READ] = "read",
	[WL_WRITE] = "write",       [WL_MIXED] = "mixed",
};

int workload_parse(const char *text, enum workload_kind *kind, struct tl_error *e)
{
	for (int k = 0; k < WL_COUNT; k++) {
		if (!strcmp(text, workload_names[k])) {
			*kind = (enum workload_kind)k;
			return 0;
		}
	}
	return tl_err(e, "--workload: unknown workload '%s' (known: randread, randwrite, read, "
			 "write, mixed)", text);
}

bool workload_writes(enum workload_kind kind)
{
	return kind == WL_RANDWRITE || kind == WL_WRITE || kind == WL_MIXED;
}

/* xorshift64*: fast, good enough to spread I/Os, reproducible from a seed */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

void workload_init(struct workload *w, enum workload_kind kind, unsigned rwmix_read,
		   uint64_t start, uint64_t count, uint32_t nlb, uint64_t ios, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->rwmix_read = rwmix_read;
	w->start = start;
	w->end = start + count;
	w->nlb = nlb;
	w->positions = count / nlb;
	w->cursor = start;
	w->rng = seed ? seed : 0x9e3779b97f4a7c15ull; /* xorshift must not start at 0 */
	w->remaining = ios ? ios : UINT64_MAX;
}

bool workload_next(struct workload *w, struct io_desc *io)
{
	bool seq = w->kind == WL_READ || w->kind == WL_WRITE;

	if (w->remaining == 0)
		return false;
	if (w->remaining != UINT64_MAX)
		w->remaining--;
	switch (w->kind) {
	case WL_RANDREAD:
	case WL_READ: io->opc = NVME_CMD_READ; break;
	case WL_RANDWRITE:
	case WL_WRITE: io->opc = NVME_CMD_WRITE; break;
	default:
		io->opc = rng_next(&w->rng) % 100 < w->rwmix_read ? NVME_CMD_READ : NVME_CMD_WRITE;
		break;
	}
	if (seq) {
		io->slba = w->cursor;
		io->nlb = w->end - w->cursor < w->nlb ? (uint32_t)(w->end - w->cursor) : w->nlb;
		w->cursor += io->nlb;
		if (w->cursor == w->end)
			w->cursor = w->start;
	} else {
		io->slba = w->start + rng_next(&w->rng) % w->positions * w->nlb;
		io->nlb = w->nlb;
	}
	return true;
}
