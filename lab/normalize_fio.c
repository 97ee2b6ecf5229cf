// SPDX-License-Identifier: GPL-2.0-only
/*
 * fio's JSON output (--output-format=json, fio 3.x) to the suite's
 * metrics: for each job and each direction (read, write, trim) that moved
 * data, its IOPS, bandwidth, bytes moved and completion latency as fio
 * summarized it (and its total latency when the job asked for
 * lat_percentiles); fio's error count per job where it counts them.
 */
#include <math.h>
#include <string.h>

#include "engines.h"
#include "json_emit.h"
#include "normalize.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

static const char *const directions[] = { "read", "write", "trim" };

static double number_or_nan(const struct json_value *v, const char *path)
{
	double x;

	return json_path_number(v, path, &x) ? x : NAN;
}

/* fio names its percentiles "99.900000": the key is the percent with six decimals. */
static double clat_percentile(const struct json_value *clat, const char *percent)
{
	const struct json_value *p = json_get(json_get(clat, "percentile"), percent);

	return p && p->type == JSON_NUMBER ? p->u.number : NAN;
}

static struct stats_summary clat_summary(const struct json_value *clat)
{
	double n = number_or_nan(clat, "N");

	return (struct stats_summary){
		.n = isnan(n) ? 0 : (size_t)n,
		.min = number_or_nan(clat, "min"),
		.max = number_or_nan(clat, "max"),
		.mean = number_or_nan(clat, "mean"),
		.stddev = number_or_nan(clat, "stddev"),
		.median = clat_percentile(clat, "50.000000"),
		.p99 = clat_percentile(clat, "99.000000"),
		.p999 = clat_percentile(clat, "99.900000"),
	};
}

static int write_direction(struct json_writer *w, const char *job, const char *dir,
			   const struct json_value *stats, struct tl_error *e)
{
	const struct label labels[] = { { "job", job }, { "direction", dir } };
	const struct json_value *clat = json_get(stats, "clat_ns");
	struct stats_summary latency;
	double io_bytes, iops, bw;

	if (!json_path_number(stats, "io_bytes", &io_bytes) ||
	    !json_path_number(stats, "iops", &iops) || !json_path_number(stats, "bw_bytes", &bw))
		return tl_err(e, "job '%s' %s: no io_bytes, iops or bw_bytes", job, dir);
	if (io_bytes <= 0)
		return 0;
	if (!clat || clat->type != JSON_OBJECT)
		return tl_err(e, "job '%s' %s: no clat_ns", job, dir);
	normalize_metric_value(w, "iops", "ops/s", RESULT_HIGHER_IS_BETTER, labels, 2, iops);
	normalize_metric_value(w, "bandwidth", "bytes/s", RESULT_HIGHER_IS_BETTER, labels, 2, bw);
	normalize_metric_value(w, "io_bytes", "bytes", RESULT_HIGHER_IS_BETTER, labels, 2, io_bytes);
	latency = clat_summary(clat);
	normalize_metric_summary(w, "clat", "ns", RESULT_LOWER_IS_BETTER, labels, 2, &latency);
	/* Submission + completion; fio has its percentiles only under lat_percentiles=1. */
	if (json_get(json_get(stats, "lat_ns"), "percentile")) {
		latency = clat_summary(json_get(stats, "lat_ns"));
		normalize_metric_summary(w, "lat", "ns", RESULT_LOWER_IS_BETTER, labels, 2, &latency);
	}
	return 0;
}

static int write_job(struct json_writer *w, const struct json_value *job, struct strv *errors,
		     struct tl_error *e)
{
	const char *name = json_path_string(job, "jobname");
	const struct label labels[] = { { "job", name } };
	double error, total_err = 0;

	if (!name || !json_path_number(job, "error", &error))
		return tl_err(e, "a job without jobname or error");
	for (size_t d = 0; d < sizeof(directions) / sizeof(directions[0]); d++) {
		const struct json_value *stats = json_get(job, directions[d]);

		if (stats && write_direction(w, name, directions[d], stats, e))
			return -1;
	}
	/* fio counts errors only under continue_on_error; else it stops at the first. */
	if (json_path_number(job, "total_err", &total_err))
		normalize_metric_value(w, "total_err", "count", RESULT_LOWER_IS_BETTER, labels, 1,
				       total_err);
	if (error != 0)
		strv_pushf(errors, "fio job '%s': error %.0f (%s)", name, error, strerror((int)error));
	else if (total_err > 0)
		strv_pushf(errors, "fio job '%s': %.0f I/O errors", name, total_err);
	return 0;
}

int normalize_fio(struct json_writer *w, const struct json_value *doc,
		  const struct plan_step *step, struct strv *errors, struct tl_error *e)
{
	const struct json_value *jobs = json_get(doc, "jobs");

	if (!jobs || jobs->type != JSON_ARRAY)
		return tl_err(e, "no \"jobs\" array: not fio's JSON output");
	if (jobs->u.array.n == 0)
		strv_push(errors, "fio ran no job");
	jw_object_begin(w, "parameters");
	normalize_write_args(w, step);
	jw_string(w, "job_file", step->args[0]);
	jw_string(w, "fio_version", json_path_string(doc, "fio version"));
	if (json_get(doc, "global options"))
		json_emit(w, "global_options", json_get(doc, "global options"));
	jw_object_end(w);
	result_metrics_begin(w);
	for (size_t i = 0; i < jobs->u.array.n; i++)
		if (write_job(w, jobs->u.array.items[i], errors, e))
			return -1;
	result_metrics_end(w);
	return 0;
}
