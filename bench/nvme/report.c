// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json_writer.h"
#include "tcelab/result.h"
#include "tcelab/size.h"
#include "tcelab/timing.h"
#include "report.h"

double report_seconds(const struct run_stats *st)
{
	return timing_ns(st->ticks) / 1e9;
}

uint64_t report_ios(const struct run_stats *st)
{
	return st->ios[OP_READ] + st->ios[OP_WRITE];
}

static uint64_t errors_total(const struct run_stats *st)
{
	return st->io_errors + st->map_errors + st->timeouts;
}

void report_human(FILE *f, const struct report_ctx *r, const struct run_stats *st)
{
	const struct options *o = r->o;
	struct histogram all;
	double secs = report_seconds(st), ios = (double)report_ios(st);
	char bs[24];

	hist_init(&all);
	hist_merge(&all, &st->lat[OP_READ]);
	hist_merge(&all, &st->lat[OP_WRITE]);
	fprintf(f, "%s %s %s %s", r->workload, o->device, r->iommu, dma_mode_name(o->dma));
	if (o->dma == DMA_MAP_BATCH)
		fprintf(f, "=%u", o->batch);
	fprintf(f, " bs=%s qd=%u queues=%u: %.0f IOPS, %.2f MiB/s",
		size_format(o->bs, bs, sizeof(bs)), o->qd, o->queues, secs > 0 ? ios / secs : 0,
		secs > 0 ? (double)(st->bytes[OP_READ] + st->bytes[OP_WRITE]) / secs / 1048576 : 0);
	if (all.count)
		fprintf(f, ", lat us p50 %.1f p99 %.1f p99.9 %.1f max %.1f",
			hist_percentile(&all, 50) / 1e3, hist_percentile(&all, 99) / 1e3,
			hist_percentile(&all, 99.9) / 1e3, (double)all.max / 1e3);
	if (o->dma != DMA_PREMAPPED && ios > 0)
		fprintf(f, ", map %.2f us/IO unmap %.2f us/IO (%llu+%llu calls)",
			st->map_ns / ios / 1e3, st->unmap_ns / ios / 1e3,
			(unsigned long long)st->map_calls, (unsigned long long)st->unmap_calls);
	fprintf(f, ", %.0f I/Os in %.2f s, %llu errors%s\n", ios, secs,
		(unsigned long long)errors_total(st), st->interrupted ? " (interrupted)" : "");
}

/* A metric whose summary comes from a histogram (log-linear, within
 * 1.6 %); no samples are kept. */
static void hist_metric(struct json_writer *w, const char *name, const char *op,
			const struct histogram *h)
{
	struct stats_summary s;

	if (!h->count)
		return;
	hist_summary(h, &s);
	result_metric_begin(w, name, "ns", RESULT_LOWER_IS_BETTER);
	if (op) {
		jw_object_begin(w, "labels");
		jw_string(w, "op", op);
		jw_object_end(w);
	}
	result_metric_summary(w, &s);
	result_metric_end(w);
}

static void value_metric(struct json_writer *w, const char *name, const char *unit,
			 enum result_direction dir, double v)
{
	result_metric_begin(w, name, unit, dir);
	result_metric_value(w, v);
	result_metric_end(w);
}

static void write_parameters(struct json_writer *w, const struct report_ctx *r)
{
	const struct options *o = r->o;
	const struct perf *p = r->p;

	jw_object_begin(w, "parameters");
	jw_string(w, "device", o->device);
	jw_string(w, "controller", p->ctrl->mn);
	jw_string(w, "firmware", p->ctrl->fr);
	jw_string(w, "workload", r->workload);
	if (o->workload == WL_MIXED && !o->verify)
		jw_uint(w, "rwmix_read", o->rwmix_read);
	jw_uint(w, "bs", o->bs);
	jw_uint(w, "qd", o->qd);
	jw_uint(w, "queues", o->queues);
	if (o->ios)
		jw_uint(w, "ios", o->ios);
	else if (!o->verify)
		jw_double(w, "time_s", o->time_s);
	jw_uint(w, "nsid", p->ns->nsid);
	jw_uint(w, "lba_size", p->ns->lba_size);
	jw_uint(w, "lba_start", o->lba_start);
	jw_uint(w, "lba_count", o->lba_count);
	jw_string(w, "iommu", r->iommu);
	jw_string(w, "dma", dma_mode_name(o->dma));
	jw_uint(w, "map_batch", p->batch);
	jw_string(w, "clock", timing_source());
	jw_uint(w, "clock_hz", timing_hz());
	if (o->verify) {
		char seed[24];

		snprintf(seed, sizeof(seed), "0x%016llx", (unsigned long long)p->seed);
		jw_string(w, "pattern_seed", seed); /* as in each block's header */
	}
	jw_object_end(w);
}

static void write_metrics(struct json_writer *w, const struct report_ctx *r,
			  const struct run_stats *st)
{
	double secs = report_seconds(st), ios = (double)report_ios(st);
	struct histogram all;

	hist_init(&all);
	hist_merge(&all, &st->lat[OP_READ]);
	hist_merge(&all, &st->lat[OP_WRITE]);
	result_metrics_begin(w);
	value_metric(w, "iops", "ops/s", RESULT_HIGHER_IS_BETTER, secs > 0 ? ios / secs : 0);
	value_metric(w, "bandwidth", "bytes/s", RESULT_HIGHER_IS_BETTER,
		     secs > 0 ? (double)(st->bytes[OP_READ] + st->bytes[OP_WRITE]) / secs : 0);
	hist_metric(w, "latency_ns", "all", &all);
	if (st->lat[OP_READ].count && st->lat[OP_WRITE].count) {
		hist_metric(w, "latency_ns", "read", &st->lat[OP_READ]);
		hist_metric(w, "latency_ns", "write", &st->lat[OP_WRITE]);
	}
	if (r->o->dma != DMA_PREMAPPED && ios > 0) {
		value_metric(w, "map_ns_per_io", "ns", RESULT_LOWER_IS_BETTER, st->map_ns / ios);
		value_metric(w, "unmap_ns_per_io", "ns", RESULT_LOWER_IS_BETTER, st->unmap_ns / ios);
		hist_metric(w, "map_ns_per_call", NULL, &st->map_call);
		hist_metric(w, "unmap_ns_per_call", NULL, &st->unmap_call);
	}
	value_metric(w, "io_errors", "count", RESULT_LOWER_IS_BETTER, (double)st->io_errors);
	value_metric(w, "map_errors", "count", RESULT_LOWER_IS_BETTER, (double)st->map_errors);
	value_metric(w, "timeouts", "count", RESULT_LOWER_IS_BETTER, (double)st->timeouts);
	if (r->o->verify)
		value_metric(w, "verify_mismatches", "count", RESULT_LOWER_IS_BETTER,
			     (double)st->verify_mismatches);
	result_metrics_end(w);
}

int report_json(const char *path, const struct report_ctx *r, const struct run_stats *st,
		struct tl_error *e)
{
	struct result_file rf;

	if (result_file_begin(&rf, path, "nvme-perf", r->o->name, e))
		return -1;
	write_parameters(&rf.w, r);
	write_metrics(&rf.w, r, st);
	return result_file_end(&rf, r->errors, r->nerrors, e);
}
