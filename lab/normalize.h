/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From what a step left in out/ (NAME.rc, NAME.json, NAME.log) to its
 * NAME.result.json in the suite's result schema (docs/result-json.md).
 * Every step gets a result: one that did not run, failed, or left output
 * that cannot be read is a failed result saying so, with its log's tail.
 */
#ifndef LAB_NORMALIZE_H
#define LAB_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "tcelab/json_writer.h"
#include "tcelab/result.h"
#include "tcelab/stats.h"

struct plan_step;
struct tl_error;

/* Lines of a failed step's log kept in its result. */
#define NORMALIZE_LOG_TAIL 10

struct normalize_context {
	const struct plan_step *step;
	const char *out_dir;               /* the share's out/ */
	const struct result_where *where;  /* the runner's, for engines that write none */
	int step_timeout;                  /* seconds, for the message at rc 124 */
	bool began;                        /* the console showed the step begin */
};

struct step_verdict {
	bool passed;
	bool skipped;     /* out/NAME.skip: the host left it out, saying why (nested lab) */
	int rc;           /* -1: the step left no exit status */
	char error[512];  /* the first error, empty when passed */
};

/* Write the step's result to result_path. Returns -1 only when that
 * file cannot be written. */
int normalize_step(const struct normalize_context *ctx, const char *result_path,
		   struct step_verdict *verdict, struct tl_error *e);

/* For the engines' normalizers. */

struct label {
	const char *key;
	const char *value;
};

/* The "args" member: the step's arguments from the plan. */
void normalize_write_args(struct json_writer *w, const struct plan_step *step);

/* A metric measured once (n = 1). */
void normalize_metric_value(struct json_writer *w, const char *name, const char *unit,
			    enum result_direction better, const struct label *labels,
			    size_t nlabels, double value);

/* A metric whose summary the tool computed itself (fio's latencies). */
void normalize_metric_summary(struct json_writer *w, const char *name, const char *unit,
			      enum result_direction better, const struct label *labels,
			      size_t nlabels, const struct stats_summary *summary);

#endif
