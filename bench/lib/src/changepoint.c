// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/changepoint.h"
#include "tcelab/rng.h"

void edivisive_defaults(struct edivisive_options *o)
{
	*o = (struct edivisive_options){
		.min_size = 3, .permutations = 199, .alpha = 0.05, .seed = 1, .max_points = 0,
	};
}

/*
 * The best split of v[s .. e): its index and Q, or Q = -inf when the
 * segment is too short. O((e - s)^2): the three sums move with the split.
 */
static double best_split(const double *v, size_t s, size_t e, size_t min_size, size_t *at)
{
	double wl = 0, wr = 0, cross = 0, best = -INFINITY;
	size_t t0 = s + min_size;

	*at = 0;
	if (e - s < 2 * min_size)
		return best;
	for (size_t i = s; i < e; i++)
		for (size_t k = i + 1; k < e; k++) {
			double d = fabs(v[i] - v[k]);

			if (k < t0)
				wl += d;
			else if (i >= t0)
				wr += d;
			else
				cross += d;
		}
	for (size_t t = t0;; t++) {
		double m = (double)(t - s), n = (double)(e - t);
		double q = m * n / (m + n) *
			   (2 * cross / (m * n) - 2 * wl / (m * (m - 1)) - 2 * wr / (n * (n - 1)));

		if (q > best) {
			best = q;
			*at = t;
		}
		if (t + 1 > e - min_size)
			break;
		{ /* point t moves from the right side to the left */
			double a = 0, b = 0;

			for (size_t i = s; i < t; i++)
				a += fabs(v[i] - v[t]);
			for (size_t j = t + 1; j < e; j++)
				b += fabs(v[t] - v[j]);
			wl += a;
			wr -= b;
			cross += b - a;
		}
	}
	return best;
}

/* The largest Q over all segments between the sorted change points. */
static double best_over_segments(const double *v, size_t n, const size_t *cp, size_t ncp,
				 size_t min_size, size_t *at)
{
	double best = -INFINITY;

	*at = 0;
	for (size_t g = 0; g <= ncp; g++) {
		size_t s = g ? cp[g - 1] : 0, e = g < ncp ? cp[g] : n, t;
		double q = best_split(v, s, e, min_size, &t);

		if (q > best) {
			best = q;
			*at = t;
		}
	}
	return best;
}

static void insert_sorted(size_t *cp, size_t *ncp, size_t value)
{
	size_t i = *ncp;

	while (i > 0 && cp[i - 1] > value) {
		cp[i] = cp[i - 1];
		i--;
	}
	cp[i] = value;
	(*ncp)++;
}

long edivisive(const double *v, size_t n, const struct edivisive_options *o,
	       struct changepoint *out, size_t cap)
{
	size_t min_size = o->min_size < 2 ? 2 : o->min_size;
	size_t *cp = malloc((n + 1) * sizeof(*cp)), ncp = 0;
	double *perm = malloc((n ? n : 1) * sizeof(*perm));
	struct changepoint *found = malloc((n + 1) * sizeof(*found));
	struct tl_rng rng;
	long nfound = 0;

	if (!cp || !perm || !found) {
		free(cp);
		free(perm);
		free(found);
		return -1;
	}
	tl_rng_seed(&rng, o->seed);
	for (;;) {
		size_t at, dummy;
		size_t exceed = 0;
		double q = best_over_segments(v, n, cp, ncp, min_size, &at);

		if (!isfinite(q) || (o->max_points && (size_t)nfound >= o->max_points))
			break;
		memcpy(perm, v, n * sizeof(*perm));
		for (size_t r = 0; r < o->permutations; r++) {
			for (size_t g = 0; g <= ncp; g++) {
				size_t s = g ? cp[g - 1] : 0, e = g < ncp ? cp[g] : n;

				tl_rng_shuffle(&rng, perm + s, e - s);
			}
			if (best_over_segments(perm, n, cp, ncp, min_size, &dummy) >= q)
				exceed++;
		}
		{
			double p = (1.0 + (double)exceed) / (1.0 + (double)o->permutations);

			if (p > o->alpha)
				break;
			found[nfound++] = (struct changepoint){ .index = at, .q = q, .p = p };
			insert_sorted(cp, &ncp, at);
		}
	}
	/* in order of position */
	for (long i = 1; i < nfound; i++)
		for (long j = i; j > 0 && found[j - 1].index > found[j].index; j--) {
			struct changepoint t = found[j];

			found[j] = found[j - 1];
			found[j - 1] = t;
		}
	for (long i = 0; i < nfound && (size_t)i < cap; i++)
		out[i] = found[i];
	free(cp);
	free(perm);
	free(found);
	return nfound < (long)cap ? nfound : (long)cap;
}
