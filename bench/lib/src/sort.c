// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/sort.h"
#include "tcelab/stats.h"

#define BITS 11
#define BUCKETS (1u << BITS)
#define PASSES 6 /* 6 x 11 >= 64 */

/* Order-preserving map of a double's bits to an unsigned key. */
static inline uint64_t key_of(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b & 0x8000000000000000ULL ? ~b : b | 0x8000000000000000ULL;
}

static inline double double_of(uint64_t k)
{
	uint64_t b = k & 0x8000000000000000ULL ? k & ~0x8000000000000000ULL : ~k;
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

int tl_sort_doubles(double *v, size_t n)
{
	uint64_t *a, *b;
	size_t (*count)[BUCKETS];

	if (n < 256) {
		for (size_t i = 1; i < n; i++) {
			double x = v[i];
			uint64_t kx = key_of(x);
			size_t j = i;

			while (j > 0 && key_of(v[j - 1]) > kx) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
		return 0;
	}
	a = malloc(n * sizeof(*a));
	b = malloc(n * sizeof(*b));
	count = calloc(PASSES, sizeof(*count));
	if (!a || !b || !count) {
		free(a);
		free(b);
		free(count);
		stats_sort(v, n);
		return -1;
	}
	/* one pass over the data for every digit's histogram */
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key_of(v[i]);

		a[i] = k;
		for (int p = 0; p < PASSES; p++)
			count[p][(k >> (p * BITS)) & (BUCKETS - 1)]++;
	}
	for (int p = 0; p < PASSES; p++) {
		size_t sum = 0, *c = count[p];
		uint64_t *t;
		int shift = p * BITS;

		if (c[(a[0] >> shift) & (BUCKETS - 1)] == n)
			continue; /* every key has this digit: nothing moves */
		for (size_t d = 0; d < BUCKETS; d++) {
			size_t here = c[d];

			c[d] = sum;
			sum += here;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i] >> shift) & (BUCKETS - 1)]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = double_of(a[i]);
	free(a);
	free(b);
	free(count);
	return 0;
}
