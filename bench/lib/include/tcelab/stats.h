/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sample statistics. Percentiles interpolate linearly between closest
 * ranks (Hyndman & Fan type 7, numpy's default), so p50 of an even-sized
 * sample is the mean of the two middle values.
 */
#ifndef TCELAB_STATS_H
#define TCELAB_STATS_H

#include <stddef.h>

struct stats_summary {
	size_t n;
	double min, max, mean, median, stddev; /* stddev: sample (n - 1) */
	double p99, p999;
};

/* Summarize n samples (not modified). n == 0 gives n = 0 and NaN fields.
 * Returns -1 only when a working copy cannot be allocated. */
int stats_summarize(const double *samples, size_t n, struct stats_summary *out);

/* p in [0, 100] of an ascending array; NaN for n == 0. */
double stats_percentile_sorted(const double *sorted, size_t n, double p);

/* Sort ascending in place. */
void stats_sort(double *v, size_t n);

#endif
