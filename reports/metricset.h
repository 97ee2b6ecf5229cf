/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One side of a comparison: the runs a selection picks from the store and
 * their metrics, grouped by workload, name and labels. A metric keeps one
 * observation per run: its raw samples where the result kept them, else
 * its summary.
 */
#ifndef REPORT_METRICSET_H
#define REPORT_METRICSET_H

#include <stdbool.h>
#include <stddef.h>

#include "selection.h"

struct store;
struct store_run;
struct tl_error;

struct ms_obs {
	size_t run; /* index into the side's runs */
	double n, min, median, mean, stddev, p99, p999, max;
	double *samples; /* NULL when the result kept none */
	size_t nsamples;
};

struct ms_metric {
	char *key; /* "workload\tname\tlabels": what matches across sides */
	char *workload, *name, *labels, *labels_text, *unit, *better;
	struct ms_obs *obs;
	size_t nobs, cap;
};

struct ms_side {
	const char *role; /* "base", "cand", ... for messages */
	char *selection;  /* its text */
	const struct store_run **runs;
	size_t nruns;
	struct ms_metric *metrics;
	size_t nmetrics, cap;
	size_t excluded_failed; /* observations left out: their workload failed */
};

/*
 * Load the runs sel picks from all (as store_runs gave them). Metrics of
 * failed workloads are left out unless include_failed. A metric recorded
 * in different units (or with a different `better`) within the side is an
 * error naming both runs.
 */
int ms_side_load(struct store *st, const struct store_run *all, size_t nall, const char *sel,
		 const char *role, bool include_failed, struct ms_side *side, struct tl_error *e);

/* The same for runs already picked (indices into all); metric filter from sel (may be NULL). */
int ms_side_load_runs(struct store *st, const struct store_run *all, const size_t *picked,
		      size_t npicked, const struct selection *sel, const char *role,
		      bool include_failed, struct ms_side *side, struct tl_error *e);

void ms_side_free(struct ms_side *side);

struct ms_metric *ms_find(const struct ms_side *side, const char *key);

/*
 * The values to compare, ascending, in a new array: every raw sample of
 * every run, or one value per run (its median) when per_run is asked or
 * some run kept only a summary of more than one sample. *used_per_run
 * says which.
 */
int ms_values(const struct ms_metric *m, bool per_run, double **out, size_t *n,
	      bool *used_per_run);

#endif
