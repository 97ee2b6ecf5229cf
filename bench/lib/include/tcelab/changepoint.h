/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Change points in a series by E-divisive means (Matteson & James 2014,
 * "A nonparametric approach for multiple change point analysis of
 * multivariate data", JASA 109:505), with alpha = 1, as performance-CI
 * systems use it (MongoDB's signal processing, Daly et al. 2020).
 *
 * The series is split where the divergence of the two sides,
 *   Q(X, Y) = m n / (m + n) * (2/(mn) Σ|x - y| - Σ_{i<k}|x_i - x_k| / C(m,2)
 *                                             - Σ_{j<k}|y_j - y_k| / C(n,2)),
 * is largest (each side at least min_size points, the split searched over
 * the whole current segment). The split is kept when a permutation test
 * finds it significant: the observations are shuffled within each of the
 * current segments and the largest Q found again, `permutations` times;
 * p = (1 + #{Q_perm >= Q}) / (1 + permutations). Accepted splits divide
 * their segment and the search goes on, hierarchically, until a split is
 * not significant.
 */
#ifndef TCELAB_CHANGEPOINT_H
#define TCELAB_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

struct edivisive_options {
	size_t min_size;     /* points on each side of a split, >= 2 (default 3) */
	size_t permutations; /* per test (default 199) */
	double alpha;        /* significance level (default 0.05) */
	uint64_t seed;
	size_t max_points;   /* stop after this many change points (0: no limit) */
};

struct changepoint {
	size_t index; /* the first point after the change */
	double q;     /* the divergence statistic */
	double p;     /* permutation p-value */
};

void edivisive_defaults(struct edivisive_options *o);

/*
 * Find change points in v[0 .. n). Returns how many were found (stored in
 * out, sorted by index, at most `cap`), or -1 when memory runs out.
 */
long edivisive(const double *v, size_t n, const struct edivisive_options *o,
	       struct changepoint *out, size_t cap);

#endif
