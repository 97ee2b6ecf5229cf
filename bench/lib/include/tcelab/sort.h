/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sorting doubles fast, for rank statistics on large samples: an LSD radix
 * sort on the IEEE-754 bits (11-bit digits; digits all keys share are
 * skipped), O(n), about ten times qsort at a million values. Ascending,
 * -0 before +0, NaNs last. Small inputs go to insertion sort.
 */
#ifndef TCELAB_SORT_H
#define TCELAB_SORT_H

#include <stddef.h>

/* Sort v in place; returns -1 (v sorted by qsort instead) when the
 * scratch buffer cannot be allocated. */
int tl_sort_doubles(double *v, size_t n);

#endif
