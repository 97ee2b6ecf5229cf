// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdlib.h>

#include "tcelab/bootstrap.h"
#include "tcelab/stats.h"

/* x_(ceil(n u)) from 1, as a 0-based index clamped to the sample. */
static size_t order_index(double u, size_t n)
{
	double r = ceil(u * (double)n);

	if (r < 1)
		return 0;
	if (r > (double)n)
		return n - 1;
	return (size_t)r - 1;
}

double boot_median_draw(const double *sorted, size_t n, struct tl_rng *rng)
{
	size_t k = (n + 1) / 2; /* the lower middle, from 1 */
	double v = tl_rng_beta(rng, (double)k, (double)(n - k + 1));

	if (n % 2)
		return sorted[order_index(v, n)];
	{
		/* the next order statistic: the least of the n - k uniforms above v */
		double w = v + (1 - v) * (1 - pow(tl_rng_uniform_pos(rng), 1.0 / (double)(n - k)));

		return (sorted[order_index(v, n)] + sorted[order_index(w, n)]) / 2.0;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double boot_median_naive(const double *v, size_t n, struct tl_rng *rng, double *scratch)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = v[tl_rng_below(rng, n)];
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	return stats_percentile_sorted(scratch, n, 50);
}

int boot_median_diff_sorted(const double *x, size_t n1, const double *y, size_t n2,
			    size_t resamples, double alpha, uint64_t seed,
			    struct boot_result *out)
{
	double *diff, *rel;
	struct tl_rng rng;
	size_t nrel = 0;
	double pl = 100 * alpha / 2, ph = 100 * (1 - alpha / 2);

	out->diff_lo = out->diff_hi = out->rel_lo = out->rel_hi = NAN;
	out->resamples = resamples;
	if (n1 == 0 || n2 == 0 || resamples < 2)
		return -1;
	diff = malloc(resamples * sizeof(*diff));
	rel = malloc(resamples * sizeof(*rel));
	if (!diff || !rel) {
		free(diff);
		free(rel);
		return -1;
	}
	tl_rng_seed(&rng, seed);
	for (size_t b = 0; b < resamples; b++) {
		double mx = boot_median_draw(x, n1, &rng);
		double my = boot_median_draw(y, n2, &rng);

		diff[b] = my - mx;
		if (mx != 0)
			rel[nrel++] = my / mx - 1;
	}
	stats_sort(diff, resamples);
	out->diff_lo = stats_percentile_sorted(diff, resamples, pl);
	out->diff_hi = stats_percentile_sorted(diff, resamples, ph);
	/* A ratio means something only when no resampled base median is 0. */
	if (nrel == resamples) {
		stats_sort(rel, nrel);
		out->rel_lo = stats_percentile_sorted(rel, nrel, pl);
		out->rel_hi = stats_percentile_sorted(rel, nrel, ph);
	}
	free(diff);
	free(rel);
	return 0;
}
