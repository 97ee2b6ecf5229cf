// SPDX-License-Identifier: GPL-2.0-only
/* The log-linear latency histogram: buckets, error bound, percentiles. */
#include <math.h>
#include <stdlib.h>

#include "histogram.h"
#include "ktap.h"

static struct histogram h, h2;

int main(void)
{
	bool ok = true;
	struct stats_summary s;

	for (uint64_t v = 0; v < 100000; v++) {
		unsigned i = hist_index(v);

		ok &= hist_bucket_lo(i) <= v && v < hist_bucket_lo(i) + hist_bucket_width(i);
	}
	report(ok, "0..99999 each fall inside their bucket");
	ok = true;
	for (unsigned shift = 0; shift < 64; shift++) {
		uint64_t v = 1ull << shift, w = v | (v >> 1) | 3;

		ok &= hist_index(v) < HIST_BUCKETS && hist_index(w) < HIST_BUCKETS;
		ok &= hist_bucket_lo(hist_index(v)) <= v;
	}
	report(ok && hist_index(UINT64_MAX) == HIST_BUCKETS - 1, "the whole uint64_t range fits");
	ok = true;
	for (unsigned i = 1; i < HIST_BUCKETS; i++)
		ok &= hist_bucket_lo(i) == hist_bucket_lo(i - 1) + hist_bucket_width(i - 1);
	report(ok, "buckets are contiguous");
	ok = true;
	for (unsigned i = HIST_SUB; i < HIST_BUCKETS; i++)
		ok &= (double)hist_bucket_width(i) / (double)hist_bucket_lo(i) <= 1.0 / HIST_SUB;
	report(ok, "bucket width at most 1/64 of its value");

	hist_init(&h);
	report(isnan(hist_percentile(&h, 50)), "empty: NaN");
	for (uint64_t v = 1; v <= 10000; v++)
		hist_add(&h, v * 1000); /* 1 us .. 10 ms, uniform */
	hist_summary(&h, &s);
	report(s.n == 10000 && s.min == 1000 && s.max == 1e7, "count, exact min and max");
	report(near(s.mean, 5000500, 1e-9), "exact mean %.0f", s.mean);
	report(near(s.stddev, 2886895.7, 1e-4), "stddev from sums %.1f", s.stddev);
	report(near(s.median, 5000500, 0.016), "p50 %.0f within 1.6 %% of 5000500", s.median);
	report(near(s.p99, 9900010, 0.016), "p99 %.0f within 1.6 %% of 9900010", s.p99);
	report(near(s.p999, 9990001, 0.016), "p99.9 %.0f within 1.6 %%", s.p999);
	report(hist_percentile(&h, 0) == 1000 && hist_percentile(&h, 100) == 1e7,
	       "p0 and p100 are min and max exactly");

	hist_init(&h2);
	for (int i = 0; i < 990; i++)
		hist_add(&h2, 20000);
	for (int i = 0; i < 10; i++)
		hist_add(&h2, 5000000);
	report(near(hist_percentile(&h2, 50), 20000, 0.016) &&
		       near(hist_percentile(&h2, 99.9), 5000000, 0.016),
	       "a 1 %% tail shows at p99.9, not at p50");
	hist_merge(&h, &h2);
	report(h.count == 11000 && h.min == 1000 && h.max == 1e7, "merge adds counts, keeps min/max");
	return report_summary();
}
