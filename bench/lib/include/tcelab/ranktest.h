/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rank statistics for comparing two samples, base x and candidate y:
 *
 * - the Mann–Whitney U test (Wilcoxon rank-sum), two-sided, as benchstat
 *   and R's wilcox.test do it: exact for small samples (the permutation
 *   distribution of the rank sum, with ties handled through mid-ranks),
 *   else the normal approximation with the tie correction of the variance
 *   and a continuity correction of 1/2;
 * - the Hodges–Lehmann estimate of the shift y - x (the median of all
 *   n1 * n2 differences y_j - x_i) and its distribution-free confidence
 *   interval from the U distribution (Hollander & Wolfe; Lehmann 1975),
 *   found without listing the differences, so 1e6 per side is fine.
 *
 * Inputs must be free of NaN. The *_sorted variants want ascending input
 * and do not sort; the others sort a copy.
 */
#ifndef TCELAB_RANKTEST_H
#define TCELAB_RANKTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Both samples at most this size: exact p-value (benchstat's limit). */
#define MW_EXACT_LIMIT 50

struct mw_result {
	size_t n1, n2;
	double u1;   /* U of x: pairs with x_i > y_j, ties counting 1/2 */
	double u2;   /* n1 * n2 - u1 */
	double z;    /* normal score, continuity-corrected; NaN when exact */
	double p;    /* two-sided p-value */
	bool exact;  /* p from the exact permutation distribution */
	bool ties;   /* some value occurs more than once in the pooled sample */
};

/* Returns -1 when n1 or n2 is 0 or memory runs out. */
int mw_test(const double *x, size_t n1, const double *y, size_t n2, struct mw_result *out);
int mw_test_sorted(const double *x, size_t n1, const double *y, size_t n2,
		   struct mw_result *out);

/* The same with the method chosen: MW_AUTO is the above (exact when both
 * samples are at most MW_EXACT_LIMIT). */
enum mw_method { MW_AUTO, MW_EXACT, MW_NORMAL };
int mw_test_sorted_method(const double *x, size_t n1, const double *y, size_t n2,
			  enum mw_method method, struct mw_result *out);

/*
 * The exact null distribution of U for n1, n2 without ties: counts[u] for
 * u in 0 .. n1 * n2 (the caller provides n1 * n2 + 1 doubles), summing to
 * C(n1 + n2, n1). Returns -1 when memory runs out.
 */
int mw_null_counts(size_t n1, size_t n2, double *counts);

/* Standard normal distribution: Φ(z), 1 - Φ(z) (accurate in the upper
 * tail) and Φ⁻¹(p) for p in (0, 1). */
double stats_normal_cdf(double z);
double stats_normal_sf(double z);
double stats_normal_quantile(double p);

/*
 * The k-th smallest (k from 1) of the n1 * n2 differences y_j - x_i,
 * x and y ascending; O((n1 + n2) log) expected, the differences are not
 * stored. Deterministic (seeded internally). NaN if k is out of range or
 * memory runs out.
 */
double hl_diff_kth(const double *x, size_t n1, const double *y, size_t n2, uint64_t k);

struct hl_result {
	double shift;      /* median of y_j - x_i */
	double lo, hi;     /* confidence interval of the shift */
	double confidence; /* the level the interval achieves (>= the one asked, when exact) */
	bool exact;        /* interval from the exact U distribution */
};

/*
 * Hodges–Lehmann shift of y against x with a (1 - alpha) interval:
 * [d_(k), d_(n1 n2 + 1 - k)] of the ordered differences, k the largest
 * with P(U <= k - 1) <= alpha / 2 (exact up to MW_EXACT_LIMIT, else the
 * normal approximation with continuity correction). When even k = 1 is
 * too wide a level (tiny samples) the interval is the full range and
 * confidence says what it achieves. Returns -1 on empty input or no memory.
 */
int hl_estimate_sorted(const double *x, size_t n1, const double *y, size_t n2, double alpha,
		       struct hl_result *out);

#endif
