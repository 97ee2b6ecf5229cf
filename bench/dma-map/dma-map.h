/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DMA_MAP_H
#define DMA_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "tcelab/vfio.h"

enum pattern {
	PATTERN_PAIRS, /* map then unmap the same buffer, again and again */
	PATTERN_BULK,  /* map N buffers, then unmap all N */
	PATTERN_CHURN, /* a ring of mapped buffers: unmap the oldest, map a new one */
	PATTERN_COUNT,
};

extern const char *const pattern_names[PATTERN_COUNT];

/* Where one pattern runs: a window of IOVA space and a buffer to map. */
struct map_target {
	struct vfio_dev *dev;
	uint64_t iova_base, iova_size;
	unsigned page_shift;
	void *buf; /* one buffer of at least `size`, mapped at several IOVAs */
};

/* Timings of one pattern at one size, in nanoseconds per call. */
struct map_samples {
	double *map_ns, *unmap_ns;
	size_t n;
};

/*
 * Run pattern p with mappings of `size` bytes: `iterations` timed map
 * calls and as many unmap calls; batch is N for bulk and the ring length
 * for churn (capped by the window). Returns 0, or -1 with e set.
 */
int run_pattern(enum pattern p, const struct map_target *t, uint64_t size, size_t iterations,
		size_t batch, struct map_samples *out, struct tl_error *e);

/* Untimed map/unmap pairs at the window's base. */
int warm_up(const struct map_target *t, uint64_t size, size_t count, struct tl_error *e);

void map_samples_free(struct map_samples *s);

#endif
