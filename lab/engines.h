/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The workload engines a plan may name. Each guest engine
 * (guest-images/engines/ENGINE) has one entry here saying what the host
 * must provide for it and how its output becomes the suite's result; a new
 * engine is one line in engines.c plus its normalizer.
 */
#ifndef LAB_ENGINES_H
#define LAB_ENGINES_H

#include <stdbool.h>

#include "tcelab/json.h"
#include "tcelab/json_writer.h"
#include "tcelab/result.h"

struct plan_step;
struct strv;
struct tl_error;

/*
 * Write the members "parameters" and "metrics" of the step's result from
 * the engine's output doc, and push a line onto errors for everything the
 * output says failed (no errors: the step passed). Returns -1 with e set
 * when doc is not what the engine writes; the caller then discards what
 * was written.
 */
typedef int normalize_fn(struct json_writer *w, const struct json_value *doc,
			 const struct plan_step *step, struct strv *errors, struct tl_error *e);

/* Where the engine's output says it was measured, for engines that say. */
typedef void output_where_fn(const struct json_value *doc, struct result_where *where);

struct engine {
	const char *name;
	/* The step's one argument names a job file from --jobs (shipped in jobs/). */
	bool job_file_arg;
	/* The step talks to an iperf3 server on the host. */
	bool needs_iperf_server;
	/* The step talks to the UDP peer on the host (udp_peer.h). */
	bool needs_udp_peer;
	normalize_fn *normalize;
	output_where_fn *output_where; /* NULL: the runner's where is used */
};

const struct engine *engine_find(const char *name);

/* "dma-map, fio, iperf3": for error messages. */
const char *engine_names(void);

normalize_fn normalize_suite_result;
normalize_fn normalize_fio;
normalize_fn normalize_iperf3;
output_where_fn suite_output_where;

#endif
