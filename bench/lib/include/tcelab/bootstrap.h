/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bootstrap confidence intervals for the difference of two medians,
 * candidate y minus base x, by the percentile method.
 *
 * The resampling is exact but needs no resample: drawing n values with
 * replacement from a sorted sample is drawing n uniforms V and taking
 * x_(ceil(n V)), and that map is monotone, so the resample's k-th smallest
 * value is x_(ceil(n V_(k))) where V_(k), the k-th of n uniforms, is
 * Beta(k, n - k + 1). The resample median therefore costs a Beta draw (two
 * for an even n: V_(k+1) = V_(k) + (1 - V_(k)) Beta(1, n - k)), whatever n
 * is, and a million samples per side cost what ten do once sorted.
 * boot_median_naive() resamples the slow way, for checking.
 */
#ifndef TCELAB_BOOTSTRAP_H
#define TCELAB_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include "tcelab/rng.h"

struct boot_result {
	double diff_lo, diff_hi; /* interval of median(y) - median(x) */
	double rel_lo, rel_hi;   /* interval of median(y) / median(x) - 1 (NaN if a median can be 0) */
	size_t resamples;
};

/* One bootstrap draw of the median of an ascending sample (n >= 1). */
double boot_median_draw(const double *sorted, size_t n, struct tl_rng *rng);

/* The same by drawing n indices and selecting the median (O(n)); scratch
 * holds n doubles. For tests. */
double boot_median_naive(const double *v, size_t n, struct tl_rng *rng, double *scratch);

/*
 * Percentile interval at level 1 - alpha from `resamples` draws, x and y
 * ascending and non-empty. Returns -1 on bad input or no memory.
 */
int boot_median_diff_sorted(const double *x, size_t n1, const double *y, size_t n2,
			    size_t resamples, double alpha, uint64_t seed,
			    struct boot_result *out);

#endif
