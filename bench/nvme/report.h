/* SPDX-License-Identifier: GPL-2.0-only */
/* nvme-perf's output: one human line and the result JSON. */
#ifndef NVME_REPORT_H
#define NVME_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "options.h"
#include "perf.h"

struct tl_error;

/* What the outputs say about where and how the run happened. */
struct report_ctx {
	const struct options *o;
	const struct perf *p;
	const char *iommu;         /* the backend actually used */
	const char *workload;      /* workload name, or "verify" */
	const char *const *errors; /* one line each */
	size_t nerrors;
};

/* "randread 0001:00:00.0 spapr-v2 premapped bs=4K qd=32 q=1: 1234 IOPS, ..." */
void report_human(FILE *f, const struct report_ctx *r, const struct run_stats *st);

/* The result JSON, written beside and renamed into place. */
int report_json(const char *path, const struct report_ctx *r, const struct run_stats *st,
		struct tl_error *e);

/* Overall figures. */
double report_seconds(const struct run_stats *st);
uint64_t report_ios(const struct run_stats *st);

#endif
