// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/ranktest.h"
#include "tcelab/rng.h"
#include "tcelab/sort.h"
#include "tcelab/stats.h"

/* ---- the normal distribution ---- */

double stats_normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

double stats_normal_sf(double z)
{
	return 0.5 * erfc(z / M_SQRT2);
}

/* Acklam's rational approximation (relative error 1.15e-9), then one
 * Halley step against erfc, which brings it to full double precision. */
double stats_normal_quantile(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
				    -2.759285104469687e+02, 1.383577518672690e+02,
				    -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
				    -1.556989798598866e+02, 6.680131188771972e+01,
				    -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
				    -2.400758277161838e+00, -2.549732539343734e+00,
				    4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
				    2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x, e, u;

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	e = stats_normal_cdf(x) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

/* ---- the exact distribution of the rank sum ---- */

/*
 * Permutation distribution of the doubled rank sum of a sample of n1 out
 * of the pooled N, given the tie groups (sizes, in rank order; doubled
 * mid-ranks are then integers). Dynamic programming over the groups: the
 * state is how many of sample 1 were chosen so far (k) and j = doubled
 * rank sum - k(k + 1), which is 2 U for k = n1. Counts are weighted by
 * binomial coefficients for choosing c of a group of t. Returns the
 * counts for k = n1, indexed by j = 2U, in a new array of *len doubles.
 */
static double *rank_sum_counts(const size_t *group, size_t ngroups, size_t n1, size_t N,
			       size_t *len)
{
	size_t width = 2 * n1 * (N - n1) + 1; /* j of k = n1 is 2U <= 2 n1 n2 */
	size_t jcap = 0, done = 0;
	double *dp, *binom = NULL;

	/* j can exceed 2 n1 n2 for k < n1; bound it for all k <= n1. */
	for (size_t k = 0; k <= n1; k++)
		if (2 * k * (N - k) + 1 > jcap)
			jcap = 2 * k * (N - k) + 1;
	if (jcap < width)
		jcap = width;
	dp = calloc((n1 + 1) * jcap, sizeof(*dp));
	if (!dp)
		return NULL;
	dp[0] = 1;
	for (size_t g = 0; g < ngroups; g++) {
		size_t t = group[g];
		size_t r2 = 2 * done + t + 1; /* doubled mid-rank: (done+1) + (done+t) */
		size_t kmax = done + t < n1 ? done + t : n1;
		double *nb = realloc(binom, (t + 1) * sizeof(*binom));

		if (!nb) {
			free(dp);
			free(binom);
			return NULL;
		}
		binom = nb;
		binom[0] = 1;
		for (size_t c = 1; c <= t; c++)
			binom[c] = binom[c - 1] * (double)(t - c + 1) / (double)c;
		for (size_t k = kmax; k >= 1; k--) {
			double *to = dp + k * jcap;

			for (size_t c = 1; c <= t && c <= k; c++) {
				size_t kf = k - c;
				const double *from = dp + kf * jcap;
				/* j' = j + kf(kf+1) + c r2 - k(k+1) */
				size_t add = kf * (kf + 1) + c * r2 - k * (k + 1);
				size_t jmax;

				if (kf > done)
					continue;
				jmax = 2 * kf * (done - kf); /* 2U of kf chosen among done */
				for (size_t j = 0; j <= jmax && j + add < jcap; j++)
					if (from[j] != 0)
						to[j + add] += binom[c] * from[j];
			}
		}
		done += t;
	}
	{
		double *out = malloc(width * sizeof(*out));

		if (out)
			memcpy(out, dp + n1 * jcap, width * sizeof(*out));
		free(dp);
		free(binom);
		*len = width;
		return out;
	}
}

int mw_null_counts(size_t n1, size_t n2, double *counts)
{
	size_t N = n1 + n2, len;
	size_t *group = malloc((N ? N : 1) * sizeof(*group));
	double *c2;

	if (!group)
		return -1;
	for (size_t i = 0; i < N; i++)
		group[i] = 1;
	c2 = rank_sum_counts(group, N, n1, N, &len);
	free(group);
	if (!c2)
		return -1;
	for (size_t u = 0; u <= n1 * n2; u++)
		counts[u] = c2[2 * u];
	free(c2);
	return 0;
}

/* ---- Mann–Whitney U ---- */

int mw_test_sorted(const double *x, size_t n1, const double *y, size_t n2,
		   struct mw_result *out)
{
	return mw_test_sorted_method(x, n1, y, n2, MW_AUTO, out);
}

int mw_test_sorted_method(const double *x, size_t n1, const double *y, size_t n2,
			  enum mw_method method, struct mw_result *out)
{
	size_t N = n1 + n2, i = 0, j = 0, rank = 0, ngroups = 0;
	double r1 = 0, tie_sum = 0;
	size_t *group = NULL;
	bool exact = method == MW_EXACT ||
		     (method == MW_AUTO && n1 <= MW_EXACT_LIMIT && n2 <= MW_EXACT_LIMIT);

	memset(out, 0, sizeof(*out));
	out->n1 = n1;
	out->n2 = n2;
	out->z = NAN;
	out->p = NAN;
	if (n1 == 0 || n2 == 0)
		return -1;
	if (exact && !(group = malloc(N * sizeof(*group))))
		return -1;
	/* Walk the merged order one group of equal values at a time. */
	while (i < n1 || j < n2) {
		double v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
		size_t cx = 0, cy = 0, t;
		double mid;

		while (i < n1 && x[i] == v)
			i++, cx++;
		while (j < n2 && y[j] == v)
			j++, cy++;
		t = cx + cy;
		mid = (double)rank + (double)(t + 1) / 2.0;
		r1 += (double)cx * mid;
		rank += t;
		if (t > 1) {
			out->ties = true;
			tie_sum += (double)t * (double)t * (double)t - (double)t;
		}
		if (group)
			group[ngroups++] = t;
	}
	out->u1 = r1 - (double)n1 * (double)(n1 + 1) / 2.0;
	out->u2 = (double)n1 * (double)n2 - out->u1;

	if (exact) {
		size_t len;
		double *counts = rank_sum_counts(group, ngroups, n1, N, &len);
		double total = 0, le = 0, ge = 0;
		size_t j2 = (size_t)llround(2 * out->u1);

		free(group);
		if (!counts)
			return -1;
		for (size_t k = 0; k < len; k++) {
			total += counts[k];
			if (k <= j2)
				le += counts[k];
			if (k >= j2)
				ge += counts[k];
		}
		free(counts);
		out->exact = true;
		out->p = fmin(1.0, 2.0 * fmin(le, ge) / total);
		return 0;
	}

	{
		double nn = (double)n1 * (double)n2, Nd = (double)N;
		double mu = nn / 2.0;
		double var = nn / 12.0 * ((Nd + 1.0) - tie_sum / (Nd * (Nd - 1.0)));
		double d = out->u1 - mu;
		double a = fmax(fabs(d) - 0.5, 0.0);

		if (var <= 0) { /* every value equal: nothing to tell apart */
			out->z = 0;
			out->p = 1;
			return 0;
		}
		out->z = (d < 0 ? -a : a) / sqrt(var);
		out->p = fmin(1.0, 2.0 * stats_normal_sf(a / sqrt(var)));
	}
	return 0;
}

static double *sorted_copy(const double *v, size_t n)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));

	if (c) {
		memcpy(c, v, n * sizeof(*c));
		tl_sort_doubles(c, n);
	}
	return c;
}

int mw_test(const double *x, size_t n1, const double *y, size_t n2, struct mw_result *out)
{
	double *sx = sorted_copy(x, n1), *sy = sorted_copy(y, n2);
	int ret = -1;

	if (sx && sy)
		ret = mw_test_sorted(sx, n1, sy, n2, out);
	free(sx);
	free(sy);
	return ret;
}

/* ---- the k-th of the pairwise differences ---- */

static void swap_d(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* v[k] after this is the k-th smallest (from 0); Hoare partitioning. */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, i, j;
		double pivot;

		if (v[mid] < v[lo])
			swap_d(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap_d(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap_d(&v[hi], &v[mid]);
		pivot = v[mid];
		i = lo;
		j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				swap_d(&v[i], &v[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/*
 * For each row i, how many j have y_j - x_i < p and <= p, for the two
 * pivots at once, over the whole row; rows are monotone in i (x
 * ascending), so each pointer walks y once. Then clamp to the row's live
 * candidates [L, R) and count the live ones below. One loop for all four
 * counts: the rows are read once.
 */
static void count_rows4(const double *x, size_t n1, const double *y, size_t n2, double plo,
			double phi, const size_t *L, const size_t *R, size_t *P[4], uint64_t c[4])
{
	size_t j0 = 0, j1 = 0, j2 = 0, j3 = 0;

	c[0] = c[1] = c[2] = c[3] = 0;
	for (size_t i = 0; i < n1; i++) {
		double xi = x[i];
		size_t lo = L[i], hi = R[i];

		while (j0 < n2 && y[j0] - xi < plo)
			j0++;
		if (j1 < j0)
			j1 = j0;
		while (j1 < n2 && y[j1] - xi <= plo)
			j1++;
		if (j2 < j1)
			j2 = j1;
		while (j2 < n2 && y[j2] - xi < phi)
			j2++;
		if (j3 < j2)
			j3 = j2;
		while (j3 < n2 && y[j3] - xi <= phi)
			j3++;
		P[0][i] = j0 < lo ? lo : j0 > hi ? hi : j0;
		P[1][i] = j1 < lo ? lo : j1 > hi ? hi : j1;
		P[2][i] = j2 < lo ? lo : j2 > hi ? hi : j2;
		P[3][i] = j3 < lo ? lo : j3 > hi ? hi : j3;
		c[0] += P[0][i] - lo;
		c[1] += P[1][i] - lo;
		c[2] += P[2][i] - lo;
		c[3] += P[3][i] - lo;
	}
}

#define HL_SAMPLE 16384

double hl_diff_kth(const double *x, size_t n1, const double *y, size_t n2, uint64_t k)
{
	uint64_t total = (uint64_t)n1 * n2, below = 0, end = total;
	uint64_t collect = (uint64_t)n1 + n2 + 8192;
	size_t *L = calloc(n1 ? n1 : 1, sizeof(*L)), *R = malloc((n1 ? n1 : 1) * sizeof(*R));
	size_t *P[4] = { 0 };
	uint64_t *cum = malloc((n1 ? n1 : 1) * sizeof(*cum));
	double *samp = malloc(HL_SAMPLE * sizeof(*samp)), result = NAN;
	struct tl_rng rng;

	for (int q = 0; q < 4; q++)
		P[q] = malloc((n1 ? n1 : 1) * sizeof(*P[q]));
	if (!L || !R || !cum || !samp || !P[0] || !P[1] || !P[2] || !P[3] || k < 1 || k > total)
		goto out;
	for (size_t i = 0; i < n1; i++)
		R[i] = n2;
	tl_rng_seed(&rng, 0x7ce1ab5eedULL);

	for (;;) {
		uint64_t live = end - below, acc = 0;
		uint64_t lt_lo, le_lo, lt_hi, le_hi;
		double pos, delta, plo, phi;
		long lo_i, hi_i;

		if (live <= collect) {
			double *buf = malloc((live ? live : 1) * sizeof(*buf));
			size_t m = 0;

			if (!buf)
				goto out;
			for (size_t i = 0; i < n1; i++)
				for (size_t j = L[i]; j < R[i]; j++)
					buf[m++] = y[j] - x[i];
			result = select_kth(buf, m, (size_t)(k - below - 1));
			free(buf);
			goto out;
		}
		for (size_t i = 0; i < n1; i++) {
			acc += R[i] - L[i];
			cum[i] = acc;
		}
		for (int s = 0; s < HL_SAMPLE; s++) {
			uint64_t r = tl_rng_below(&rng, live);
			size_t a = 0, b = n1 - 1;

			while (a < b) { /* first row whose cumulative count exceeds r */
				size_t m = a + (b - a) / 2;

				if (cum[m] > r)
					b = m;
				else
					a = m + 1;
			}
			samp[s] = y[L[a] + (size_t)(r - (a ? cum[a - 1] : 0))] - x[a];
		}
		tl_sort_doubles(samp, HL_SAMPLE);
		pos = (double)(k - below) / (double)live * HL_SAMPLE;
		delta = 2.5 * sqrt((double)HL_SAMPLE);
		lo_i = (long)floor(pos - delta);
		hi_i = (long)ceil(pos + delta);
		lo_i = lo_i < 0 ? 0 : lo_i > HL_SAMPLE - 1 ? HL_SAMPLE - 1 : lo_i;
		hi_i = hi_i < 0 ? 0 : hi_i > HL_SAMPLE - 1 ? HL_SAMPLE - 1 : hi_i;
		plo = samp[lo_i];
		phi = samp[hi_i];
		{
			uint64_t c[4];

			count_rows4(x, n1, y, n2, plo, phi, L, R, P, c);
			lt_lo = below + c[0];
			le_lo = below + c[1];
			lt_hi = below + c[2];
			le_hi = below + c[3];
		}
		if (k <= lt_lo) {
			memcpy(R, P[0], n1 * sizeof(*R));
			end = lt_lo;
		} else if (k <= le_lo) {
			result = plo;
			goto out;
		} else if (k <= lt_hi) {
			memcpy(L, P[1], n1 * sizeof(*L));
			memcpy(R, P[2], n1 * sizeof(*R));
			below = le_lo;
			end = lt_hi;
		} else if (k <= le_hi) {
			result = phi;
			goto out;
		} else {
			memcpy(L, P[3], n1 * sizeof(*L));
			below = le_hi;
		}
	}
out:
	free(L);
	free(R);
	free(cum);
	free(samp);
	for (int q = 0; q < 4; q++)
		free(P[q]);
	return result;
}

/* ---- Hodges–Lehmann ---- */

int hl_estimate_sorted(const double *x, size_t n1, const double *y, size_t n2, double alpha,
		       struct hl_result *out)
{
	uint64_t N = (uint64_t)n1 * n2, k;
	double p_tail; /* P(U <= k - 1) */

	memset(out, 0, sizeof(*out));
	out->shift = out->lo = out->hi = NAN;
	if (n1 == 0 || n2 == 0)
		return -1;
	if (N % 2)
		out->shift = hl_diff_kth(x, n1, y, n2, (N + 1) / 2);
	else
		out->shift = (hl_diff_kth(x, n1, y, n2, N / 2) +
			      hl_diff_kth(x, n1, y, n2, N / 2 + 1)) / 2.0;

	if (n1 <= MW_EXACT_LIMIT && n2 <= MW_EXACT_LIMIT) {
		double *counts = malloc((N + 1) * sizeof(*counts)), total = 0, cum = 0;

		if (!counts || mw_null_counts(n1, n2, counts)) {
			free(counts);
			return -1;
		}
		for (uint64_t u = 0; u <= N; u++)
			total += counts[u];
		/* largest k with P(U <= k - 1) <= alpha / 2 */
		k = 0;
		for (uint64_t u = 0; u <= N; u++) {
			if ((cum + counts[u]) / total > alpha / 2)
				break;
			cum += counts[u];
			k = u + 1;
		}
		/* cum is now the count of U <= k - 1 */
		if (k == 0) { /* even the full range cannot reach the level */
			k = 1;
			cum = counts[0];
		}
		p_tail = cum / total;
		free(counts);
		out->exact = true;
	} else {
		double mu = (double)N / 2.0;
		double sigma = sqrt((double)N * (double)(n1 + n2 + 1) / 12.0);
		double z = stats_normal_quantile(1 - alpha / 2);
		double kk = floor(mu + 0.5 - z * sigma);

		k = kk < 1 ? 1 : (uint64_t)kk;
		p_tail = stats_normal_cdf(((double)k - 1 + 0.5 - mu) / sigma);
	}
	if (k > (N + 1) / 2)
		k = (N + 1) / 2;
	out->lo = hl_diff_kth(x, n1, y, n2, k);
	out->hi = hl_diff_kth(x, n1, y, n2, N + 1 - k);
	out->confidence = 1 - 2 * p_tail;
	return 0;
}
