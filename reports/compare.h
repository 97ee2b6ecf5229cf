/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Base against candidate, per metric: medians, the change with a 95%
 * interval, Mann–Whitney's p, each side's noise and a verdict whose
 * direction comes from the metric's `better`. Printed as text (in the
 * manner of benchstat and ministat), Markdown, or JUnit XML for CI.
 */
#ifndef REPORT_COMPARE_H
#define REPORT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "metricset.h"

enum ci_method { CI_BOOTSTRAP, CI_HODGES_LEHMANN };

struct cmp_options {
	double alpha;        /* 0.05 */
	size_t min_n;        /* per side, for a verdict: 5 */
	size_t resamples;    /* bootstrap: 10000 */
	enum ci_method ci;
	bool per_run;        /* one value per run, not pooled samples */
	bool include_failed; /* metrics of failed workloads too */
	double fail_pct;     /* --fail-on-regression; NaN: not asked */
};

void cmp_defaults(struct cmp_options *o);

enum verdict { V_TOO_FEW, V_SAME, V_IMPROVED, V_REGRESSED };

struct cmp_row {
	const struct ms_metric *base, *cand;
	size_t n1, n2;
	bool per_run;
	double med1, med2, cv1, cv2; /* cv: sd / |mean| */
	double delta;                /* med2 / med1 - 1; NaN when med1 is 0 */
	double diff;                 /* med2 - med1 */
	double ci_lo, ci_hi;         /* of delta (relative); NaN when not computed */
	double ci_abs_lo, ci_abs_hi; /* of the difference, in the unit */
	double shift;                /* Hodges–Lehmann */
	double p;
	bool exact;
	enum verdict verdict;
	bool gate;  /* a regression at least fail_pct: fails --fail-on-regression */
	char why[160];
};

struct comparison {
	struct ms_side base, cand;
	struct cmp_row *rows;
	size_t nrows;
	const struct ms_metric **only_base, **only_cand;
	size_t nonly_base, nonly_cand;
	size_t count[4]; /* rows per verdict */
	size_t ngate;
	struct cmp_options opt;
};

/* Compare two loaded sides (taken over: freed by comparison_free). */
int compare_sides(struct ms_side *base, struct ms_side *cand, const struct cmp_options *o,
		  struct comparison *c, struct tl_error *e);

void comparison_free(struct comparison *c);

const char *verdict_name(enum verdict v);

void compare_print_text(FILE *f, const struct comparison *c);
void compare_print_markdown(FILE *f, const struct comparison *c);
void compare_print_junit(FILE *f, const struct comparison *c);

/* "Measured in the EMULATED lab ..." for a set of runs; buf gets one line. */
void sides_banner(const struct ms_side *const *sides, size_t nsides, char *buf, size_t len);

/* A side in one line: "3 runs, kernel K, TCE mode M, host H, 2026-11-25 16:15 .. 16:17". */
void side_summary(const struct ms_side *s, char *buf, size_t len);

/* Cells shared by the outputs. */
const char *fmt_delta(double d, char *buf, size_t len);
const char *fmt_ci(const struct cmp_row *r, char *buf, size_t len);
const char *fmt_p(double p, char *buf, size_t len);
const char *fmt_cv(double cv, char *buf, size_t len);
const char *fmt_value(double v, const char *unit, double typical, char *buf, size_t len);

#endif
