// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-bench-compare: how long one metric's comparison takes with a
 * million samples per side, step by step, as tcelab compare does it (sort
 * both sides, Mann–Whitney U, bootstrap interval of the median ratio, the
 * Hodges–Lehmann shift for the verdict's sign), then the Hodges–Lehmann
 * interval that --ci hl adds. Target: under 1 s on the lab's build hosts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tcelab/bootstrap.h"
#include "tcelab/ranktest.h"
#include "tcelab/rng.h"
#include "tcelab/sort.h"
#include "tcelab/stats.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t resamples = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
	int reps = argc > 3 ? atoi(argv[3]) : 3;
	double *x = malloc(n * sizeof(*x)), *y = malloc(n * sizeof(*y));
	double best[6] = { INFINITY, INFINITY, INFINITY, INFINITY, INFINITY, INFINITY };
	static const char *const step[6] = { "sort both sides", "Mann-Whitney U (normal, ties)",
					     "bootstrap CI of the median ratio", "Hodges-Lehmann shift",
					     "total, as tcelab compare", "Hodges-Lehmann 95% CI (--ci hl)" };
	struct tl_rng rng;

	if (!x || !y || n < 10 || reps < 1) {
		fprintf(stderr, "usage: tcelab-bench-compare [N_PER_SIDE [RESAMPLES [REPEATS]]]\n");
		return 2;
	}
	printf("comparing %zu samples per side (lognormal latencies around 4 us, the candidate 0.5%% "
	       "slower, timings rounded to 1 ns so there are ties), %zu bootstrap resamples; best "
	       "of %d\n",
	       n, resamples, reps);
	for (int r = 0; r < reps; r++) {
		struct mw_result mw;
		struct boot_result br;
		struct hl_result hl;
		double t0, t1, t2, t3, t4, t5;
		uint64_t N = (uint64_t)n * n;
		volatile double shift;

		tl_rng_seed(&rng, 7);
		for (size_t i = 0; i < n; i++) {
			x[i] = round(4000 * exp(0.1 * tl_rng_normal(&rng)));
			y[i] = round(4020 * exp(0.1 * tl_rng_normal(&rng)));
		}
		t0 = now();
		tl_sort_doubles(x, n);
		tl_sort_doubles(y, n);
		t1 = now();
		mw_test_sorted(x, n, y, n, &mw);
		t2 = now();
		boot_median_diff_sorted(x, n, y, n, resamples, 0.05, 1, &br);
		t3 = now();
		shift = N % 2 ? hl_diff_kth(x, n, y, n, (N + 1) / 2)
			      : (hl_diff_kth(x, n, y, n, N / 2) + hl_diff_kth(x, n, y, n, N / 2 + 1)) / 2;
		t4 = now();
		hl_estimate_sorted(x, n, y, n, 0.05, &hl);
		t5 = now();
		best[0] = fmin(best[0], t1 - t0);
		best[1] = fmin(best[1], t2 - t1);
		best[2] = fmin(best[2], t3 - t2);
		best[3] = fmin(best[3], t4 - t3);
		best[4] = fmin(best[4], t4 - t0);
		best[5] = fmin(best[5], t5 - t4);
		if (r == 0)
			printf("  p = %.3g (z = %.2f), median ratio 95%% CI [%+.3f%%, %+.3f%%], "
			       "Hodges-Lehmann shift %.1f ns [%.1f, %.1f]\n",
			       mw.p, mw.z, 100 * br.rel_lo, 100 * br.rel_hi, (double)shift, hl.lo, hl.hi);
	}
	for (int k = 0; k < 6; k++)
		printf("  %-34s %8.1f ms\n", step[k], 1e3 * best[k]);
	printf("%s: %.0f ms for %zu + %zu samples (target < 1000 ms)\n",
	       best[4] < 1.0 ? "PASS" : "SLOW", 1e3 * best[4], n, n);
	free(x);
	free(y);
	return best[4] < 1.0 ? 0 : 1;
}
