// SPDX-License-Identifier: GPL-2.0-only
/* E-divisive means on synthetic series whose change points are known. */
#include <math.h>
#include <string.h>

#include "ktap.h"
#include "tcelab/changepoint.h"
#include "tcelab/rng.h"

static long find(const double *v, size_t n, struct changepoint *cp, uint64_t seed)
{
	struct edivisive_options o;

	edivisive_defaults(&o);
	o.seed = seed;
	return edivisive(v, n, &o, cp, 16);
}

static void steps(void)
{
	double v[90];
	struct changepoint cp[16];
	struct tl_rng rng;
	long n;

	/* 0 .. 29 mean 0, 30 .. 59 mean 4, 60 .. 89 mean 0; sd 1 */
	tl_rng_seed(&rng, 21);
	for (int i = 0; i < 90; i++)
		v[i] = tl_rng_normal(&rng) + (i >= 30 && i < 60 ? 4 : 0);
	n = find(v, 90, cp, 1);
	report(n == 2 && cp[0].index == 30 && cp[1].index == 60 && cp[0].p <= 0.05 && cp[1].p <= 0.05,
	       "up at 30, down at 60: found %ld, at %zu and %zu", n, n > 0 ? cp[0].index : 0,
	       n > 1 ? cp[1].index : 0);

	/* one step of 1.5 sd at 25 of 50 */
	tl_rng_seed(&rng, 22);
	for (int i = 0; i < 50; i++)
		v[i] = tl_rng_normal(&rng) + (i >= 25 ? 1.5 : 0);
	n = find(v, 50, cp, 2);
	report(n == 1 && cp[0].index >= 24 && cp[0].index <= 26,
	       "a 1.5 sd step at 25 of 50: found %ld at %zu", n, n ? cp[0].index : 0);

	/* a nightly series with a regression in its last third, and noise
	 * like timings have: lognormal */
	tl_rng_seed(&rng, 23);
	for (int i = 0; i < 36; i++)
		v[i] = 4000 * exp(0.05 * tl_rng_normal(&rng)) * (i >= 24 ? 1.2 : 1);
	n = find(v, 36, cp, 3);
	report(n == 1 && cp[0].index == 24, "a +20%% regression at night 24 of 36: found %ld at %zu", n,
	       n ? cp[0].index : 0);

	/* a change in spread only: E-divisive sees distributions, not just means */
	tl_rng_seed(&rng, 24);
	for (int i = 0; i < 80; i++)
		v[i] = tl_rng_normal(&rng) * (i >= 40 ? 5 : 0.5);
	n = find(v, 80, cp, 4);
	report(n >= 1 && cp[0].index >= 38 && cp[0].index <= 42,
	       "variance grows tenfold at 40: found %ld, first at %zu", n, n ? cp[0].index : 0);
}

static void nothing(void)
{
	double v[60];
	struct changepoint cp[16];
	struct tl_rng rng;
	int with_points = 0;

	/* 40 series without a change: the permutation test holds its level */
	for (int s = 0; s < 40; s++) {
		tl_rng_seed(&rng, 100 + s);
		for (int i = 0; i < 60; i++)
			v[i] = tl_rng_normal(&rng);
		with_points += find(v, 60, cp, 500 + s) > 0;
	}
	report(with_points <= 6, "no change: %d of 40 series with a (false) change point at 0.05",
	       with_points);
	for (int i = 0; i < 60; i++)
		v[i] = 7;
	report(find(v, 60, cp, 1) == 0, "a constant series has none");
	report(find(v, 5, cp, 1) == 0, "5 points (less than two of min_size 3) have none");
}

int main(void)
{
	steps();
	nothing();
	return report_summary();
}
