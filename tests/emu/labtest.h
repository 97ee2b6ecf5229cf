/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the emu tests share: running tcelab-run into a scratch results
 * folder and reading back what a run recorded.
 */
#ifndef TCELAB_TESTS_LABTEST_H
#define TCELAB_TESTS_LABTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "tcelab/json.h"

/* Make the scratch results folder; false (and a skip) when no image. */
bool labtest_init(const char *runner, const char *image);
/* Remove the scratch folder. */
void labtest_cleanup(void);
const char *labtest_results(void);

/* tcelab-run --plan PLAN --image ... --results ... EXTRA: its exit status. */
int labtest_run(const char *plan, const char *extra);
/* The folder of the newest run (results/latest). */
void labtest_latest(char *dir, size_t len);

/* A JSON file of a run folder; NULL (and the reason as a diagnostic). */
struct json_value *labtest_load(const char *dir, const char *file);
bool labtest_passed(const struct json_value *doc);
/* Median of the first metric called name whose labels match (k = NULL: any). */
double labtest_median(const struct json_value *doc, const char *name, const char *k1,
		      const char *v1, const char *k2, const char *v2);
/* Does the step's result carry an error line containing text? */
bool labtest_step_error(const char *dir, const char *step, const char *text);

#endif
