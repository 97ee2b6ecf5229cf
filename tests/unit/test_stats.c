// SPDX-License-Identifier: GPL-2.0-only
/* Sample statistics against values worked out by hand. */
#include <math.h>
#include <stdlib.h>

#include "tcelab/stats.h"
#include "../ktap.h"

int main(void)
{
	const double classic[] = { 2, 4, 4, 4, 5, 5, 7, 9 }; /* mean 5, sum of squares 32 */
	const double shuffled[] = { 9, 2, 5, 4, 7, 4, 5, 4 };
	double ramp[1000], one = 42.0;
	struct stats_summary s;

	stats_summarize(classic, 8, &s);
	report(s.n == 8, "n counts the samples");
	report(s.mean == 5.0, "mean of the classic sample is 5 (got %g)", s.mean);
	report(near(s.stddev, sqrt(32.0 / 7.0), 1e-12), "stddev uses n - 1 (got %.15g)", s.stddev);
	report(s.median == 4.5, "median of an even sample averages the middle pair (got %g)",
	       s.median);
	report(s.min == 2 && s.max == 9, "min and max");

	stats_summarize(shuffled, 8, &s);
	report(s.median == 4.5 && s.mean == 5.0, "input order does not matter");
	report(shuffled[0] == 9 && shuffled[7] == 4, "input is left unsorted");

	for (int i = 0; i < 1000; i++)
		ramp[i] = 1000 - i; /* 1000 .. 1, descending */
	stats_summarize(ramp, 100 * 10, &s);
	report(near(s.p99, 990.01, 1e-12), "p99 of 1..1000 is 990.01, type 7 (got %.10g)", s.p99);
	report(near(s.p999, 999.001, 1e-12), "p99.9 of 1..1000 is 999.001 (got %.10g)", s.p999);
	report(s.median == 500.5, "median of 1..1000 is 500.5 (got %g)", s.median);

	for (int i = 0; i < 100; i++)
		ramp[i] = i + 1;
	report(near(stats_percentile_sorted(ramp, 100, 99), 99.01, 1e-12),
	       "p99 of 1..100 is 99.01");
	report(stats_percentile_sorted(ramp, 100, 0) == 1 &&
		       stats_percentile_sorted(ramp, 100, 100) == 100,
	       "p0 and p100 are min and max");

	stats_summarize(&one, 1, &s);
	report(s.n == 1 && s.median == 42 && s.p99 == 42 && s.stddev == 0,
	       "a single sample: every figure is that sample, stddev 0");

	stats_summarize(NULL, 0, &s);
	report(s.n == 0 && isnan(s.mean) && isnan(s.median) && isnan(s.p99),
	       "no samples: n = 0 and NaN, not zeros that look like a measurement");

	/* large close values: the naive sum-of-squares formula loses them */
	{
		double big[3] = { 1e9 + 4, 1e9 + 7, 1e9 + 13 };

		stats_summarize(big, 3, &s);
		report(near(s.stddev, sqrt(21.0), 1e-9), "stddev stays exact near 1e9 (got %.12g)",
		       s.stddev);
	}
	return report_summary();
}
