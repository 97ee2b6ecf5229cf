// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>

#include "tcelab/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void tl_rng_seed(struct tl_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t tl_rng_seed_of(const char *text)
{
	uint64_t h = 0xCBF29CE484222325ULL;

	for (; *text; text++) {
		h ^= (unsigned char)*text;
		h *= 0x100000001B3ULL;
	}
	return h;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t tl_rng_next(struct tl_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double tl_rng_uniform(struct tl_rng *r)
{
	return (double)(tl_rng_next(r) >> 11) * 0x1.0p-53;
}

double tl_rng_uniform_pos(struct tl_rng *r)
{
	return ((double)(tl_rng_next(r) >> 12) + 0.5) * 0x1.0p-52;
}

uint64_t tl_rng_below(struct tl_rng *r, uint64_t n)
{
	/* Lemire's multiply-shift with rejection of the biased low band. */
	unsigned __int128 m = (unsigned __int128)tl_rng_next(r) * n;
	uint64_t low = (uint64_t)m;

	if (low < n) {
		uint64_t threshold = -n % n;

		while (low < threshold) {
			m = (unsigned __int128)tl_rng_next(r) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double tl_rng_normal(struct tl_rng *r)
{
	double u, v, s;

	do {
		u = 2.0 * tl_rng_uniform(r) - 1.0;
		v = 2.0 * tl_rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	return u * sqrt(-2.0 * log(s) / s);
}

double tl_rng_gamma(struct tl_rng *r, double shape)
{
	double d, c;

	if (shape < 1.0) /* boost: Gamma(a) = Gamma(a + 1) * U^(1/a) */
		return tl_rng_gamma(r, shape + 1.0) * pow(tl_rng_uniform_pos(r), 1.0 / shape);
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x, v, u;

		do {
			x = tl_rng_normal(r);
			v = 1.0 + c * x;
		} while (v <= 0.0);
		v = v * v * v;
		u = tl_rng_uniform_pos(r);
		if (u < 1.0 - 0.0331 * (x * x) * (x * x))
			return d * v;
		if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
			return d * v;
	}
}

double tl_rng_beta(struct tl_rng *r, double a, double b)
{
	double x = tl_rng_gamma(r, a), y = tl_rng_gamma(r, b);

	return x / (x + y);
}

void tl_rng_shuffle(struct tl_rng *r, double *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)tl_rng_below(r, i);
		double t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}
