// SPDX-License-Identifier: GPL-2.0-only
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct scale {
	const char *unit; /* as recorded in results */
	double divisor;
	const char *shown;
};

/* Largest first within each unit. Rates in decimal (as networks and
 * disks quote them), amounts of bytes in binary (as sizes are given). */
static const struct scale scales[] = {
	{ "ns", 1e9, "s" },
	{ "ns", 1e6, "ms" },
	{ "ns", 1e3, "µs" },
	{ "ns", 1, "ns" },
	{ "bytes/s", 1e9, "GB/s" },
	{ "bytes/s", 1e6, "MB/s" },
	{ "bytes/s", 1e3, "kB/s" },
	{ "bytes/s", 1, "B/s" },
	{ "bits/s", 1e9, "Gbit/s" },
	{ "bits/s", 1e6, "Mbit/s" },
	{ "bits/s", 1e3, "kbit/s" },
	{ "bits/s", 1, "bit/s" },
	{ "bytes", 1024.0 * 1024 * 1024, "GiB" },
	{ "bytes", 1024.0 * 1024, "MiB" },
	{ "bytes", 1024.0, "KiB" },
	{ "bytes", 1, "B" },
};

#define NSCALES (sizeof(scales) / sizeof(scales[0]))

struct display_unit unit_for_display(const char *unit, double typical)
{
	const struct scale *smallest = NULL;

	for (size_t i = 0; i < NSCALES; i++) {
		if (strcmp(scales[i].unit, unit) != 0)
			continue;
		if (isfinite(typical) && fabs(typical) >= scales[i].divisor)
			return (struct display_unit){ scales[i].shown, scales[i].divisor };
		smallest = &scales[i];
	}
	if (smallest) /* below 1 of the smallest unit, or no typical value */
		return (struct display_unit){ smallest->shown, smallest->divisor };
	return (struct display_unit){ unit, 1 };
}

const char *value_format(double v, char *buf, size_t len)
{
	double a = fabs(v);

	if (isnan(v))
		snprintf(buf, len, "-");
	else if (a == floor(a) || a >= 1000)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 100)
		snprintf(buf, len, "%.1f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

size_t text_width(const char *s)
{
	size_t w = 0;

	/* Count the bytes that start a character: all but 10xxxxxx. */
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}
