/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A log-linear histogram of nanosecond values (in the manner of
 * HdrHistogram): each power of two is split into 2^HIST_SUB_BITS equal
 * buckets, so any value is known to within 1/64 (1.6 %) over the whole
 * uint64_t range, in fixed memory, however long the run. Count, min, max,
 * sum and sum of squares are exact.
 */
#ifndef NVME_HISTOGRAM_H
#define NVME_HISTOGRAM_H

#include <stdint.h>

#include "tcelab/stats.h"

#define HIST_SUB_BITS 6
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS ((64 - HIST_SUB_BITS + 1) * HIST_SUB)

struct histogram {
	uint64_t count, min, max;
	double sum, sumsq;
	uint64_t bucket[HIST_BUCKETS];
};

void hist_init(struct histogram *h);
void hist_add(struct histogram *h, uint64_t v);
void hist_merge(struct histogram *into, const struct histogram *from);

/* Bucket index of v, and the range [lo, lo + width) a bucket covers. */
unsigned hist_index(uint64_t v);
uint64_t hist_bucket_lo(unsigned idx);
uint64_t hist_bucket_width(unsigned idx);

/* p in [0, 100]: the value at rank p/100 * (count - 1), as the middle of
 * its bucket, clamped to [min, max] (so p0 and p100 are exact). NaN when empty. */
double hist_percentile(const struct histogram *h, double p);

/* The suite's summary (tcelab/stats.h) from the histogram. */
void hist_summary(const struct histogram *h, struct stats_summary *s);

#endif
