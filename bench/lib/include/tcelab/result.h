/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The suite's result JSON (docs/result-json.md): every tool writes one
 * document per workload with where it was measured, its parameters and
 * its metrics. This header writes the fixed parts; the tool writes its own
 * parameters and labels with the json_writer in between.
 *
 *	result_begin(w, "dma-map", name, &where);
 *	jw_object_begin(w, "parameters"); ... jw_object_end(w);
 *	result_metrics_begin(w);
 *	result_metric_begin(w, "map_ns_per_call", "ns", RESULT_LOWER_IS_BETTER);
 *	jw_object_begin(w, "labels"); ... jw_object_end(w);
 *	result_metric_samples(w, samples, n, true);
 *	result_metric_end(w);
 *	result_metrics_end(w);
 *	result_end(w, "passed", errors, nerrors);
 */
#ifndef TCELAB_RESULT_H
#define TCELAB_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "tcelab/json_writer.h"

#define RESULT_SCHEMA "tcelab-result/1"
#define TCELAB_VERSION "0.1.0"

enum result_direction { RESULT_LOWER_IS_BETTER, RESULT_HIGHER_IS_BETTER };

struct result_where {
	char environment[16]; /* emulated | hardware | unknown */
	char host_kind[32];   /* e.g. pseries-tcg, powernv, nested-hv, nested-papr, powervm, x86 */
	char machine[128];    /* /proc/cpuinfo "machine"/"model", or DMI on x86 */
	char cpu[64];
	char kernel[128];     /* uname -r */
	char tce_mode[16];    /* in-kernel | userspace | emulated | none | unknown */
};

/*
 * Fill from the TCELAB_ENVIRONMENT, TCELAB_HOST_KIND and TCELAB_TCE_MODE
 * variables where set (the runner knows what the guest cannot see), and
 * from uname() and /proc/cpuinfo. A QEMU-emulated machine says so in its
 * cpuinfo "model" line, which sets environment to "emulated".
 */
void result_where_detect(struct result_where *where);

/* Same, from given texts (for tests): cpuinfo may be NULL. */
void result_where_from(struct result_where *where, const char *cpuinfo, const char *kernel,
		       const char *env_environment, const char *env_host_kind,
		       const char *env_tce_mode);

void result_begin(struct json_writer *w, const char *tool, const char *name,
		  const struct result_where *where);
/* The "where" member alone (result_begin() writes it; run records too). */
void result_where_write(struct json_writer *w, const struct result_where *where);
/* Read a "where" object back: each member present as a string replaces
 * the field; the others keep what the caller put there. */
struct json_value;
void result_where_read(const struct json_value *w, struct result_where *where);
void result_metrics_begin(struct json_writer *w);
void result_metric_begin(struct json_writer *w, const char *metric, const char *unit,
			 enum result_direction direction);
/* Summary of the samples; the samples themselves too when keep_samples. */
void result_metric_samples(struct json_writer *w, const double *samples, size_t n,
			   bool keep_samples);
/* A summary computed elsewhere (e.g. percentiles a tool reported itself). */
struct stats_summary;
void result_metric_summary(struct json_writer *w, const struct stats_summary *s);
/* A single value measured once (no distribution): summary with n = 1. */
void result_metric_value(struct json_writer *w, double value);
void result_metric_end(struct json_writer *w);
void result_metrics_end(struct json_writer *w);
/* status: "passed" or "failed"; errors: one line each, may be NULL. */
void result_end(struct json_writer *w, const char *status, const char *const *errors,
		size_t nerrors);

/*
 * A result document written atomically: into PATH.tmp, renamed over PATH
 * only once complete, so a reader never sees half a file.
 *
 *	if (result_file_begin(&rf, path, "dma-map", name, e)) return -1;
 *	... parameters and metrics through &rf.w ...
 *	return result_file_end(&rf, errors, nerrors, e);
 */
struct result_file {
	char path[4096], tmp[4096 + 8];
	FILE *f;
	struct json_writer w;
};

/* Open PATH.tmp and write the document's head, with where detected here. */
int result_file_begin(struct result_file *rf, const char *path, const char *tool,
		      const char *name, struct tl_error *e);
/* Status "failed" when there are errors; finish, close and rename. */
int result_file_end(struct result_file *rf, const char *const *errors, size_t nerrors,
		    struct tl_error *e);

#endif
