/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runs as one JSON document, for tools:
 *	{"schema": "tcelab-report/1",
 *	 "runs": [{"run": <run.json>, "results": [<NAME.result.json>, ...]}, ...]}
 * A result that cannot be read is null in "results".
 */
#ifndef REPORT_RUN_JSON_H
#define REPORT_RUN_JSON_H

#include <stddef.h>
#include <stdio.h>

struct run_data;
struct tl_error;

#define REPORT_SCHEMA "tcelab-report/1"

int run_json_print(FILE *f, const struct run_data *runs, size_t nruns, struct tl_error *e);

#endif
