// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bootstrap of the median difference: its draws against the exact
 * bootstrap distribution and against resampling the slow way, then the
 * coverage of its 95% interval (and of the Hodges–Lehmann one) on
 * synthetic data with a known shift, including none. Seeded: the same
 * numbers every run.
 */
#include <math.h>
#include <stdlib.h>

#include "ktap.h"
#include "tcelab/bootstrap.h"
#include "tcelab/ranktest.h"
#include "tcelab/rng.h"
#include "tcelab/stats.h"

/* P(Binomial(n, p) >= m), summed directly. */
static double binom_at_least(int n, double p, int m)
{
	double s = 0;

	for (int k = m; k <= n; k++) {
		double c = 1;

		for (int i = 0; i < k; i++)
			c = c * (n - i) / (i + 1);
		s += c * pow(p, k) * pow(1 - p, n - k);
	}
	return s;
}

/*
 * Odd n: the resample median is <= x_(k) exactly when at least (n+1)/2 of
 * the n draws are among the k smallest, so P(median* <= x_(k)) =
 * P(Bin(n, k/n) >= (n+1)/2) (Efron 1982, ch. 10). The fast draw must match.
 */
static void exact_odd(void)
{
	const int n = 7, draws = 200000;
	const double x[] = { 1, 2, 3, 4, 5, 6, 7 };
	int count[8] = { 0 };
	struct tl_rng rng;
	bool ok = true;

	tl_rng_seed(&rng, 11);
	for (int d = 0; d < draws; d++)
		count[(int)boot_median_draw(x, n, &rng)]++;
	for (int k = 1; k <= n; k++) {
		double p = binom_at_least(n, (double)k / n, 4) - binom_at_least(n, (double)(k - 1) / n, 4);
		double f = (double)count[k] / draws, se = sqrt(p * (1 - p) / draws);

		if (fabs(f - p) > 5 * se + 1e-12) {
			ok = false;
			report_info("x_(%d): %.5f drawn, %.5f exact", k, f, p);
		}
	}
	report(ok, "odd n: medians drawn match the exact bootstrap distribution (5 sd)");
}

/* Even n: against drawing n indices and taking the median of the resample. */
static void against_naive(void)
{
	const int n = 6, draws = 200000;
	const double x[] = { 1, 2, 4, 8, 16, 32 }; /* every pair mean distinct */
	double scratch[6];
	int fast[65] = { 0 }, slow[65] = { 0 };
	struct tl_rng a, b;
	bool ok = true;

	tl_rng_seed(&a, 5);
	tl_rng_seed(&b, 6);
	for (int d = 0; d < draws; d++) {
		fast[(int)(2 * boot_median_draw(x, n, &a))]++;
		slow[(int)(2 * boot_median_naive(x, n, &b, scratch))]++;
	}
	for (int v = 0; v < 65; v++) {
		double pf = (double)fast[v] / draws, ps = (double)slow[v] / draws;
		double se = sqrt((pf * (1 - pf) + ps * (1 - ps)) / draws);

		if (fabs(pf - ps) > 5 * se + 1e-12) {
			ok = false;
			report_info("median %g: %.5f fast, %.5f resampled", v / 2.0, pf, ps);
		}
	}
	report(ok, "even n: fast draws match resampling the slow way (5 sd)");
}

enum shape { NORMAL, LOGNORMAL };

static double draw(struct tl_rng *rng, enum shape s)
{
	return s == NORMAL ? 10 + 2 * tl_rng_normal(rng) : exp(tl_rng_normal(rng) * 0.5);
}

/*
 * Coverage: reps pairs of samples, y = x-distribution + shift, so the true
 * median difference is the shift. A 95% interval should hold it in about
 * 95% of the pairs; the bounds allow about 3.5 binomial sd (0.0069 at 1000
 * reps) plus the percentile bootstrap's known slight undercoverage for a
 * median at n = 30 (Efron & Tibshirani 1993, ch. 13).
 */
static void coverage(enum shape s, double shift, const char *what)
{
	const int reps = 1000, n = 30;
	int boot_in = 0, hl_in = 0, boot_excl0 = 0;
	struct tl_rng rng;

	tl_rng_seed(&rng, 1000 + (uint64_t)(shift * 10) + s);
	for (int r = 0; r < reps; r++) {
		double x[30], y[30];
		struct boot_result b;
		struct hl_result h;

		for (int i = 0; i < n; i++) {
			x[i] = draw(&rng, s);
			y[i] = draw(&rng, s) + shift;
		}
		stats_sort(x, n);
		stats_sort(y, n);
		boot_median_diff_sorted(x, n, y, n, 2000, 0.05, tl_rng_next(&rng), &b);
		hl_estimate_sorted(x, n, y, n, 0.05, &h);
		boot_in += b.diff_lo <= shift && shift <= b.diff_hi;
		boot_excl0 += b.diff_lo > 0 || b.diff_hi < 0;
		hl_in += h.lo <= shift && shift <= h.hi;
	}
	report(boot_in >= 0.915 * reps && boot_in <= 0.985 * reps,
	       "%s, shift %g: bootstrap 95%% interval covers it %d of %d times", what, shift, boot_in,
	       reps);
	report(hl_in >= 0.93 * reps && hl_in <= 0.985 * reps,
	       "%s, shift %g: Hodges–Lehmann 95%% interval covers it %d of %d times", what, shift,
	       hl_in, reps);
	if (shift == 0)
		report(boot_excl0 <= 0.085 * reps,
		       "%s, no shift: bootstrap interval excludes 0 in %d of %d (false alarms)", what,
		       boot_excl0, reps);
	else
		report_info("%s, shift %g: bootstrap interval excludes 0 in %d of %d (power)", what,
			    shift, boot_excl0, reps);
}

static void relative(void)
{
	/* y twice x: the relative interval must sit around +100% */
	double x[200], y[200];
	struct boot_result b;
	struct tl_rng rng;

	tl_rng_seed(&rng, 3);
	for (int i = 0; i < 200; i++) {
		x[i] = 100 + tl_rng_normal(&rng);
		y[i] = 200 + 2 * tl_rng_normal(&rng);
	}
	stats_sort(x, 200);
	stats_sort(y, 200);
	boot_median_diff_sorted(x, 200, y, 200, 5000, 0.05, 9, &b);
	report(b.rel_lo > 0.95 && b.rel_lo < 1.0 && b.rel_hi > 1.0 && b.rel_hi < 1.05 &&
	       b.diff_lo > 95 && b.diff_hi < 105,
	       "doubling: relative interval [%.3f, %.3f] around +100%%", b.rel_lo, b.rel_hi);
	report(boot_median_diff_sorted(x, 0, y, 200, 100, 0.05, 1, &b) == -1,
	       "an empty side is refused");
}

int main(void)
{
	exact_odd();
	against_naive();
	coverage(NORMAL, 0, "normal");
	coverage(NORMAL, 1.5, "normal");
	coverage(LOGNORMAL, 0, "lognormal");
	coverage(LOGNORMAL, 0.3, "lognormal");
	relative();
	return report_summary();
}
