// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double stats_percentile_sorted(const double *sorted, size_t n, double p)
{
	double rank, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	if (p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	/* type 7: rank = p/100 * (n - 1), interpolate between its neighbours */
	rank = p / 100.0 * (double)(n - 1);
	lo = (size_t)rank;
	frac = rank - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

int stats_summarize(const double *samples, size_t n, struct stats_summary *out)
{
	double *v, mean = 0, m2 = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n == 0) {
		out->min = out->max = out->mean = out->median = NAN;
		out->stddev = out->p99 = out->p999 = NAN;
		return 0;
	}
	v = malloc(n * sizeof(*v));
	if (!v)
		return -1;
	memcpy(v, samples, n * sizeof(*v));
	stats_sort(v, n);

	/* Welford: stable for the large, close values timings are */
	for (size_t i = 0; i < n; i++) {
		double d = v[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * (v[i] - mean);
	}
	out->min = v[0];
	out->max = v[n - 1];
	out->mean = mean;
	out->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0.0;
	out->median = stats_percentile_sorted(v, n, 50);
	out->p99 = stats_percentile_sorted(v, n, 99);
	out->p999 = stats_percentile_sorted(v, n, 99.9);
	free(v);
	return 0;
}
