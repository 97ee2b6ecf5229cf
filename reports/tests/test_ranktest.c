// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mann–Whitney U and Hodges–Lehmann against values computed elsewhere.
 * Where a value says "scipy" it was computed with SciPy 1.10.1
 * (scipy.stats.mannwhitneyu, Debian bookworm's python3-scipy); "by
 * enumeration" means a separate Python script listing every assignment of
 * ranks (itertools.combinations) and counting, not this code.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "ktap.h"
#include "tcelab/ranktest.h"
#include "tcelab/rng.h"
#include "tcelab/stats.h"

static void sort_copy(const double *in, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = in[i];
	stats_sort(out, n);
}

static void check_mw(const char *what, const double *x, size_t n1, const double *y, size_t n2,
		     enum mw_method method, double want_u, double want_p, bool want_exact)
{
	double sx[128], sy[128];
	struct mw_result r;

	sort_copy(x, n1, sx);
	sort_copy(y, n2, sy);
	mw_test_sorted_method(sx, n1, sy, n2, method, &r);
	report(r.u1 == want_u && near(r.p, want_p, 1e-9) && r.exact == want_exact,
	       "%s: U = %g, p = %.10g (%s)", what, want_u, want_p, want_exact ? "exact" : "normal");
	if (r.u1 != want_u || !near(r.p, want_p, 1e-9))
		report_info("got U = %g, p = %.17g, exact %d", r.u1, r.p, r.exact);
}

static void textbook(void)
{
	/*
	 * SciPy's documented example (scipy.stats.mannwhitneyu, from Conover's
	 * "Practical Nonparametric Statistics"): ages of male and female
	 * patients. U of the males 17; exact two-sided p 1/9 =
	 * 0.1111111111111111; asymptotic (continuity-corrected) p
	 * 0.11134688653314041.
	 */
	const double males[] = { 19, 22, 16, 29, 24 }, females[] = { 20, 11, 17, 12 };
	/*
	 * Hollander & Wolfe (1973), p. 69f, permeability constants of the
	 * human chorioamnion at term (x) and at 12 to 26 weeks (y), the
	 * example of R's ?wilcox.test: W = 35, one-sided p 0.1272 ("greater"),
	 * so two-sided exact 0.2544122544122544 (scipy); asymptotic
	 * 0.24462360512698333 (scipy).
	 */
	const double hw_x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	const double hw_y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	/*
	 * With ties: U = 10; exact conditional p (mid-ranks, two-sided as R:
	 * 2 min(P(W <= w), P(W >= w))) 0.039160839160839164 by enumeration of
	 * all C(15, 7) = 6435 assignments; asymptotic with tie correction
	 * 0.03971608699701135 (scipy).
	 */
	const double ta[] = { 1, 2, 2, 3, 3, 3, 5 }, tb[] = { 2, 3, 4, 4, 5, 6, 6, 7 };
	/* Larger with many ties (numpy default_rng(7) integers; > 50: normal):
	 * U = 1906, p 0.3653057515958854 (scipy, tie and continuity corrected). */
	const double big_a[] = { 18, 12, 13, 17, 11, 15, 16, 4, 1, 6, 5, 17, 18, 0, 9, 16, 2, 15, 2, 9,
				 16, 6, 6, 5, 14, 5, 19, 8, 9, 10, 11, 11, 10, 19, 16, 15, 14, 12, 6, 19,
				 9, 4, 16, 3, 17, 12, 2, 0, 8, 0, 2, 10, 19, 9, 16, 18, 16, 12, 8, 10 };
	const double big_b[] = { 7, 11, 9, 6, 21, 2, 3, 5, 21, 15, 19, 6, 16, 9, 11, 2, 14, 18, 15, 5,
				 12, 7, 21, 19, 5, 12, 20, 18, 16, 14, 2, 16, 11, 3, 6, 12, 16, 12, 14, 19,
				 15, 9, 14, 13, 4, 3, 15, 9, 13, 8, 6, 5, 9, 18, 10, 9, 13, 21, 9, 13,
				 10, 14, 10, 14, 12, 15, 21, 5, 13, 10 };

	check_mw("Conover males/females", males, 5, females, 4, MW_AUTO, 17, 0.1111111111111111, true);
	check_mw("Conover males/females", males, 5, females, 4, MW_NORMAL, 17, 0.11134688653314041,
		 false);
	check_mw("Hollander & Wolfe permeability", hw_x, 10, hw_y, 5, MW_AUTO, 35, 0.2544122544122544,
		 true);
	check_mw("Hollander & Wolfe permeability", hw_x, 10, hw_y, 5, MW_NORMAL, 35,
		 0.24462360512698333, false);
	check_mw("ties, exact conditional", ta, 7, tb, 8, MW_AUTO, 10, 0.039160839160839164, true);
	check_mw("ties, normal with tie correction", ta, 7, tb, 8, MW_NORMAL, 10, 0.03971608699701135,
		 false);
	check_mw("60 + 70 with ties (normal above the exact limit)", big_a, 60, big_b, 70, MW_AUTO,
		 1906, 0.3653057515958854, false);
	/* swapping the samples swaps U, keeps p */
	check_mw("samples swapped", females, 4, males, 5, MW_AUTO, 3, 0.1111111111111111, true);
}

static void null_distribution(void)
{
	/* n1 = n2 = 3: the textbook table (e.g. Mann & Whitney 1947, table I):
	 * U = 0..9 with counts 1 1 2 3 3 3 3 2 1 1, C(6, 3) = 20 in all. */
	const double want[] = { 1, 1, 2, 3, 3, 3, 3, 2, 1, 1 };
	double c[10], big[401], sum = 0;
	bool ok = mw_null_counts(3, 3, c) == 0;

	for (int u = 0; u < 10; u++)
		ok = ok && c[u] == want[u];
	report(ok, "exact null distribution of U for 3 + 3 matches the table");
	/* 20 + 20: the counts sum to C(40, 20) = 137846528820 and are symmetric */
	mw_null_counts(20, 20, big);
	ok = true;
	for (int u = 0; u <= 400; u++) {
		sum += big[u];
		ok = ok && big[u] == big[400 - u];
	}
	report(ok && sum == 137846528820.0, "20 + 20: symmetric, sums to C(40, 20)");
}

/* Under the null the test rejects at about its level, no more. */
static void calibration(void)
{
	struct tl_rng rng;
	int reject_exact = 0, reject_normal = 0;
	const int reps = 2000;

	tl_rng_seed(&rng, 42);
	for (int r = 0; r < reps; r++) {
		double x[120], y[120];
		struct mw_result m;

		for (int i = 0; i < 20; i++) {
			x[i] = tl_rng_normal(&rng);
			y[i] = tl_rng_normal(&rng);
		}
		stats_sort(x, 20);
		stats_sort(y, 20);
		mw_test_sorted(x, 20, y, 20, &m);
		reject_exact += m.p < 0.05;
		for (int i = 0; i < 120; i++) {
			x[i] = tl_rng_normal(&rng);
			y[i] = tl_rng_normal(&rng);
		}
		stats_sort(x, 120);
		stats_sort(y, 120);
		mw_test_sorted(x, 120, y, 120, &m);
		reject_normal += m.p < 0.05;
	}
	/* binomial sd at 2000 draws of p = 0.05 is 0.0049: allow about 3 sd */
	report(reject_exact <= 0.065 * reps && reject_exact >= 0.03 * reps,
	       "no shift, 20 + 20 exact: rejects %d of %d at 0.05", reject_exact, reps);
	report(reject_normal <= 0.065 * reps && reject_normal >= 0.035 * reps,
	       "no shift, 120 + 120 normal: rejects %d of %d at 0.05", reject_normal, reps);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* hl_diff_kth against listing and sorting every difference. */
static void kth_by_listing(size_t n1, size_t n2, bool ties, uint64_t seed)
{
	double *x = malloc(n1 * sizeof(*x)), *y = malloc(n2 * sizeof(*y));
	double *all = malloc(n1 * n2 * sizeof(*all));
	uint64_t N = (uint64_t)n1 * n2;
	uint64_t ks[] = { 1, 2, N / 7 + 1, N / 2, N / 2 + 1, N - N / 9, N - 1, N };
	struct tl_rng rng;
	bool ok = true;

	tl_rng_seed(&rng, seed);
	for (size_t i = 0; i < n1; i++)
		x[i] = ties ? (double)tl_rng_below(&rng, 30) : tl_rng_normal(&rng) * 3;
	for (size_t j = 0; j < n2; j++)
		y[j] = ties ? (double)tl_rng_below(&rng, 30) + 2 : exp(tl_rng_normal(&rng));
	stats_sort(x, n1);
	stats_sort(y, n2);
	for (size_t i = 0, m = 0; i < n1; i++)
		for (size_t j = 0; j < n2; j++)
			all[m++] = y[j] - x[i];
	qsort(all, N, sizeof(*all), cmp);
	for (size_t q = 0; q < sizeof(ks) / sizeof(ks[0]); q++) {
		double got = hl_diff_kth(x, n1, y, n2, ks[q]);

		if (got != all[ks[q] - 1]) {
			ok = false;
			report_info("k = %llu: got %.17g, want %.17g", (unsigned long long)ks[q], got,
				    all[ks[q] - 1]);
		}
	}
	report(ok, "k-th difference of %zu x %zu%s equals listing and sorting all %llu", n1, n2,
	       ties ? " (heavy ties)" : "", (unsigned long long)N);
	report(isnan(hl_diff_kth(x, n1, y, n2, 0)) && isnan(hl_diff_kth(x, n1, y, n2, N + 1)),
	       "k out of range is NaN");
	free(x);
	free(y);
	free(all);
}

static void hodges_lehmann(void)
{
	/* Hollander & Wolfe's data again. R: wilcox.test(x, y, conf.int = TRUE)
	 * gives the location difference x - y as 0.305; here y - x: -0.305.
	 * The 95% interval by enumeration of the exact U distribution: k = 9,
	 * [d_(9), d_(42)] = [-0.76, 0.15], achieved level 0.9600399600399601. */
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct hl_result h;

	stats_sort(x, 10);
	stats_sort(y, 5);
	hl_estimate_sorted(x, 10, y, 5, 0.05, &h);
	report(near(h.shift, -0.305, 1e-12) && near(h.lo, -0.76, 1e-12) && near(h.hi, 0.15, 1e-12) &&
	       near(h.confidence, 0.9600399600399601, 1e-12) && h.exact,
	       "Hodges–Lehmann shift -0.305, 95%% interval [-0.76, 0.15] at level 0.96004");
	report_info("got %.17g [%.17g, %.17g] level %.17g", h.shift, h.lo, h.hi, h.confidence);

	/* 3 + 3 cannot reach 95%: the widest interval, at level 1 - 2/20 = 0.9 */
	{
		double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };

		hl_estimate_sorted(a, 3, b, 3, 0.05, &h);
		report(h.lo == 1 && h.hi == 5 && near(h.confidence, 0.9, 1e-12) && h.shift == 3,
		       "3 + 3: full range [1, 5], level 0.9 reported as such");
	}
}

int main(void)
{
	textbook();
	null_distribution();
	calibration();
	kth_by_listing(7, 5, false, 1);
	kth_by_listing(40, 33, true, 2);
	kth_by_listing(1500, 1200, false, 3); /* beyond the collect limit: sampling pivots */
	kth_by_listing(1300, 1100, true, 4);
	hodges_lehmann();
	{
		double v = stats_normal_quantile(0.975);

		report(near(v, 1.959963984540054, 1e-14), "normal quantile 0.975 = 1.959963984540054");
		report(near(stats_normal_quantile(1e-10), -6.361340902404056, 1e-12),
		       "normal quantile 1e-10 = -6.361340902404056 (scipy.stats.norm.ppf)");
	}
	return report_summary();
}
