/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Strict reading of what `tcelab ingest` stores: a run folder (run.json,
 * tcelab-run/1, and each step's NAME.result.json) or a lone result
 * (tcelab-result/1), checked against docs/result-json.md. Unlike the
 * lenient reader behind tcelab-table (run_data.h), anything malformed or
 * truncated is an error naming the file and what is wrong: a store must
 * not keep half a run.
 */
#ifndef REPORT_RESULT_DOC_H
#define REPORT_RESULT_DOC_H

#include <stddef.h>

#include "tcelab/json.h"
#include "tcelab/result.h"

struct tl_error;

struct doc_metric {
	char *name, *unit, *better;
	char *labels;      /* canonical JSON, keys sorted: {"page_size":4096,"size":4096}; "{}" */
	char *labels_text; /* for people, in recorded order: "size=4K page_size=4K" */
	double n, min, median, mean, stddev, p99, p999, max; /* NaN for null */
	double *samples;   /* NULL when the result kept none */
	size_t nsamples;
};

struct doc_result {
	char *workload; /* the result's name: the plan's step */
	char *tool, *status, *started, *file;
	char *parameters; /* compact JSON */
	char *errors;     /* JSON array of strings */
	char *device;     /* parameters.device or fio's filename, or NULL */
	struct result_where where;
	struct doc_metric *metrics;
	size_t nmetrics;
};

/* Run status as stored: a run that did not get through its plan (timed
 * out, interrupted, a step that never finished) is incomplete. */
struct doc_run {
	char *run_id, *name, *started, *finished, *status, *failure;
	char *source; /* "run-dir", "lava" or "result" */
	char *logs;   /* absolute folder of the run's logs, or of the lone result */
	char *lab_machine, *device;
	double wall_seconds;
	struct result_where where;
	char *kernel_commit, *patch, *lava_job; /* from the caller or run.json, else NULL */
	struct doc_result *results;
	size_t nresults;
	char hash[65]; /* SHA-256 of the input files' bytes */
};

/* Parse one tcelab-result/1 document; origin names it in errors. */
int doc_parse_result(const char *text, size_t len, const char *origin, struct doc_result *out,
		     struct tl_error *e);

/* Parse run.json (without its results); for the fuzzer and doc_load_run_dir. */
int doc_parse_run(const char *text, size_t len, const char *origin, struct doc_run *out,
		  struct tl_error *e);

/* A run folder, or a lone result file (its run id: "result-" and 16 hex
 * digits of its hash). */
int doc_load_run_dir(const char *dir, struct doc_run *out, struct tl_error *e);
int doc_load_result_file(const char *path, struct doc_run *out, struct tl_error *e);

/* A folder `tcelab lava collect` wrote: job.json (tcelab-lava-job/1) and
 * its NAME.result.json files; run id "lava-" and the job's key, the LAVA
 * job id kept, status from LAVA's state and health. */
int doc_load_lava_dir(const char *dir, struct doc_run *out, struct tl_error *e);

void doc_result_free(struct doc_result *r);
void doc_run_free(struct doc_run *r);

/* Canonical JSON of a labels object (or "{}" for NULL); malloc'd. */
char *doc_labels_canonical(const struct json_value *labels);

#endif
