/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A seeded pseudo-random generator for resampling and permutation tests:
 * xoshiro256** (Blackman & Vigna), seeded through splitmix64, so a given
 * seed gives the same stream on every machine and the statistics the
 * reports print are reproducible. Not for anything secret.
 */
#ifndef TCELAB_RNG_H
#define TCELAB_RNG_H

#include <stddef.h>
#include <stdint.h>

struct tl_rng {
	uint64_t s[4];
};

void tl_rng_seed(struct tl_rng *r, uint64_t seed);

/* A seed from a string (FNV-1a), e.g. a metric's name and labels, so each
 * metric gets its own stream whatever order metrics are visited in. */
uint64_t tl_rng_seed_of(const char *text);

uint64_t tl_rng_next(struct tl_rng *r);

/* Uniform in [0, 1), 53 random bits. */
double tl_rng_uniform(struct tl_rng *r);

/* Uniform in (0, 1): never 0, for logarithms. */
double tl_rng_uniform_pos(struct tl_rng *r);

/* Uniform integer in [0, n), unbiased; n > 0. */
uint64_t tl_rng_below(struct tl_rng *r, uint64_t n);

/* Standard normal (Marsaglia's polar method). */
double tl_rng_normal(struct tl_rng *r);

/* Gamma(shape, 1), shape > 0 (Marsaglia & Tsang 2000). */
double tl_rng_gamma(struct tl_rng *r, double shape);

/* Beta(a, b), a, b > 0, as X / (X + Y) of two gammas. */
double tl_rng_beta(struct tl_rng *r, double a, double b);

/* Shuffle n doubles in place (Fisher–Yates). */
void tl_rng_shuffle(struct tl_rng *r, double *v, size_t n);

#endif
