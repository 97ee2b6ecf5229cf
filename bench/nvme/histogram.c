// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <string.h>

#include "histogram.h"

void hist_init(struct histogram *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

unsigned hist_index(uint64_t v)
{
	unsigned shift;

	if (v < HIST_SUB)
		return (unsigned)v;
	shift = 63 - (unsigned)__builtin_clzll(v) - HIST_SUB_BITS;
	return ((shift + 1) << HIST_SUB_BITS) + (unsigned)(v >> shift) - HIST_SUB;
}

uint64_t hist_bucket_lo(unsigned idx)
{
	unsigned shift;

	if (idx < HIST_SUB)
		return idx;
	shift = (idx >> HIST_SUB_BITS) - 1;
	return ((uint64_t)(idx & (HIST_SUB - 1)) + HIST_SUB) << shift;
}

uint64_t hist_bucket_width(unsigned idx)
{
	return idx < HIST_SUB ? 1 : 1ull << ((idx >> HIST_SUB_BITS) - 1);
}

void hist_add(struct histogram *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	h->count++;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->sum += (double)v;
	h->sumsq += (double)v * (double)v;
}

void hist_merge(struct histogram *into, const struct histogram *from)
{
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	if (from->min < into->min)
		into->min = from->min;
	if (from->max > into->max)
		into->max = from->max;
	into->sum += from->sum;
	into->sumsq += from->sumsq;
}

double hist_percentile(const struct histogram *h, double p)
{
	uint64_t rank, seen = 0;
	double v = (double)h->max;

	if (h->count == 0)
		return NAN;
	rank = (uint64_t)(p / 100.0 * (double)(h->count - 1) + 0.5);
	if (rank == 0)
		return (double)h->min; /* the extremes are known exactly */
	if (rank == h->count - 1)
		return (double)h->max;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen > rank) {
			v = (double)hist_bucket_lo(i) + (double)(hist_bucket_width(i) - 1) / 2.0;
			break;
		}
	}
	if (v < (double)h->min)
		v = (double)h->min;
	if (v > (double)h->max)
		v = (double)h->max;
	return v;
}

void hist_summary(const struct histogram *h, struct stats_summary *s)
{
	double n = (double)h->count;

	s->n = h->count;
	if (h->count == 0) {
		s->min = s->max = s->mean = s->median = s->stddev = s->p99 = s->p999 = NAN;
		return;
	}
	s->min = (double)h->min;
	s->max = (double)h->max;
	s->mean = h->sum / n;
	s->stddev = h->count > 1 ? sqrt(fmax(0.0, (h->sumsq - n * s->mean * s->mean) / (n - 1)))
				 : NAN;
	s->median = hist_percentile(h, 50);
	s->p99 = hist_percentile(h, 99);
	s->p999 = hist_percentile(h, 99.9);
}
