/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A recorded run read back from its folder (run.json and each step's
 * NAME.result.json) into plain structures for printing. The JSON trees
 * are kept too, for the combined --json output.
 */
#ifndef REPORT_RUN_DATA_H
#define REPORT_RUN_DATA_H

#include <stddef.h>

#include "tcelab/json.h"
#include "tcelab/result.h"

struct tl_error;

struct run_metric {
	const char *name;
	const char *unit;
	char *labels;        /* compact: "size=4K pattern=pairs iommu=spapr-v1" */
	double n, median, p99; /* NaN where the result has none */
};

struct run_step {
	const char *name;
	const char *engine;
	const char *status;  /* passed | failed */
	const char **errors; /* the result's error lines */
	size_t nerrors;
	struct run_metric *metrics;
	size_t nmetrics;
	struct json_value *result; /* NULL when the result file is unreadable */
	char load_error[256];      /* why it is unreadable */
};

struct run_data {
	char *dir;
	const char *id, *name, *status, *failure, *started;
	double wall_seconds;
	struct result_where where;
	struct run_step *steps;
	size_t nsteps;
	struct json_value *run; /* run.json */
};

/* Read a run folder. A missing or broken run.json is an error; a broken
 * step result is not: that step reads as failed, saying why. */
int run_data_load(struct run_data *rd, const char *dir, struct tl_error *e);

void run_data_free(struct run_data *rd);

#endif
