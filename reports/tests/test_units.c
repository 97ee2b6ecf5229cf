// SPDX-License-Identifier: GPL-2.0-only
/* Units scaled for people, and table cells. */
#include <math.h>
#include <string.h>

#include "ktap.h"
#include "units.h"

static void expect_unit(const char *unit, double typical, const char *shown, double divisor)
{
	struct display_unit u = unit_for_display(unit, typical);

	report(strcmp(u.name, shown) == 0 && u.divisor == divisor, "%g %s shows in %s", typical, unit,
	       shown);
	if (strcmp(u.name, shown) != 0)
		report_info("got %s / %g", u.name, u.divisor);
}

static void expect_cell(double v, const char *want)
{
	char buf[32];

	value_format(v, buf, sizeof(buf));
	report(strcmp(buf, want) == 0, "%g reads \"%s\"", v, want);
	if (strcmp(buf, want) != 0)
		report_info("got \"%s\"", buf);
}

int main(void)
{
	expect_unit("ns", 850, "ns", 1);
	expect_unit("ns", 12345, "µs", 1e3);
	expect_unit("ns", 2.5e6, "ms", 1e6);
	expect_unit("ns", 3e9, "s", 1e9);
	expect_unit("ns", 0.5, "ns", 1);
	expect_unit("ns", NAN, "ns", 1);
	expect_unit("bytes/s", 59074704, "MB/s", 1e6);
	expect_unit("bytes/s", 1.3e9, "GB/s", 1e9);
	expect_unit("bytes/s", 512, "B/s", 1);
	expect_unit("bits/s", 13106518461.0, "Gbit/s", 1e9);
	expect_unit("bits/s", 612e6, "Mbit/s", 1e6);
	expect_unit("bytes", 4194304, "MiB", 1048576);
	expect_unit("bytes", 1638400000, "GiB", 1073741824);
	expect_unit("ops/s", 14422.5, "ops/s", 1);
	expect_unit("count", 0, "count", 1);

	expect_cell(14422.535, "14423");
	expect_cell(123.456, "123.5");
	expect_cell(12.345, "12.35");
	expect_cell(1.2345, "1.234");
	expect_cell(4, "4");
	expect_cell(0, "0");
	expect_cell(-2.5, "-2.500");
	expect_cell(NAN, "-");

	report(text_width("µs") == 2 && text_width("MB/s") == 4 && text_width("") == 0,
	       "µ is one column");
	return report_summary();
}
