/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Plots as inline SVG, drawn here so a report needs nothing at view time:
 * a strip and box plot of a few samples side by side, empirical CDFs, and
 * a time series with its change points. Values come in the recorded unit
 * and are shown in a scaled one (units.h).
 */
#ifndef REPORT_SVG_H
#define REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct svg_series {
	const char *name;  /* "base", "cand", a run id */
	const char *color; /* CSS colour */
	const double *v;   /* ascending */
	size_t n;
	/* for svg_cdf when there are no samples: summary percentiles */
	bool summary_only;
	double min, p50, p99, p999, max;
};

/* Strip (every value, jittered) and box (quartiles, whiskers at 1.5 IQR)
 * per series, one row each, on a shared axis. */
void svg_box_strip(FILE *f, const char *unit, const struct svg_series *s, size_t ns, int width);

/* Empirical CDFs on a shared axis (log when the values span more than 30x). */
void svg_cdf(FILE *f, const char *unit, const struct svg_series *s, size_t ns, int width);

/* A series over runs: values[i] at position i, change points (first index
 * after each) marked, segment medians drawn. */
void svg_trend(FILE *f, const char *unit, const double *values, size_t n, const size_t *cp,
	       size_t ncp, int width);

/* Text escaped for HTML and SVG. */
void html_escape(FILE *f, const char *s);

#endif
