/* SPDX-License-Identifier: GPL-2.0-only */
/* Numbers for people: a unit scaled to the value, and table cells. */
#ifndef REPORT_UNITS_H
#define REPORT_UNITS_H

#include <stddef.h>

struct display_unit {
	const char *name; /* "µs", "MB/s", or the unit as recorded */
	double divisor;   /* recorded value / divisor = shown value */
};

/*
 * The unit to show values recorded in unit: the largest one in which
 * typical is at least 1, so 12345 ns reads 12.35 µs and 1.3e9 bytes/s
 * 1.300 GB/s. Units without a scale come back as they are.
 */
struct display_unit unit_for_display(const char *unit, double typical);

/* A value for a table cell: about four significant digits, integers
 * without decimals, "-" for NaN. */
const char *value_format(double v, char *buf, size_t len);

/* Columns a UTF-8 string takes on a terminal (µ is one column, two bytes). */
size_t text_width(const char *s);

#endif
