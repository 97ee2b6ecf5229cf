/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The side-by-side comparison, apart from files and printing (so the unit
 * tests can drive it): one entry per measured step, taken from its result
 * document (nvme-perf's or fio's); entries of the same configuration
 * (driver, mode, QD: the plan's rounds) grouped into their medians; and
 * the ratios of each group against fio with io_uring and with libaio at
 * the same queue depth, plus the cost per I/O of mapping per I/O
 * (map-per-io, map-batch) against premapped.
 */
#ifndef SBS_RATIOS_H
#define SBS_RATIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcelab/json.h"

struct tl_error;

#define CMP_MAX 64

enum cmp_driver {
	CMP_USERSPACE, /* nvme-perf over VFIO */
	CMP_KERNEL,    /* fio through the kernel nvme driver */
};

/* The fio engines the others are compared against, in column order. */
enum { CMP_IO_URING, CMP_LIBAIO, CMP_NBASE };
extern const char *const cmp_base_names[CMP_NBASE];

struct cmp_entry {
	char step[72];
	enum cmp_driver driver;
	char mode[32];      /* premapped, map-per-io, map-batch=8; io_uring, libaio */
	unsigned qd;
	char workload[32];  /* "randread 4K" */
	bool passed;
	char error[256];    /* the result's first error when failed */
	double iops;        /* NAN: not measured */
	double p50_ns, p99_ns;
	const char *latency; /* which latency: "nvme-perf latency_ns", "fio lat", "fio clat" */
	double map_ns_per_io, unmap_ns_per_io; /* NAN where no mapping per I/O */
	char device[64];    /* nvme-perf: its PCI address; fio: the block device */
	uint64_t span_bytes; /* the part of the device read; 0: unknown */
};

/*
 * One result document (tcelab-result/1) into an entry. Returns 1 when the
 * result is neither nvme-perf's nor fio's (not compared), 0 done, -1 with
 * e set when it is one of them but lacks what the comparison needs.
 */
int cmp_entry_from_result(const struct json_value *doc, const char *step, struct cmp_entry *out,
			  struct tl_error *e);

/* num / den; NAN when either is not a number or den <= 0. */
double cmp_ratio(double num, double den);

/* The entries of one configuration: each figure the median over them
 * (NAN where none has it), IOPS also as its range. */
struct cmp_group {
	struct cmp_entry m; /* driver, mode, qd, workload, ... of the first; figures: medians */
	size_t n;           /* entries (rounds) */
	size_t failed;      /* of them failed; m.error is the first failure's */
	double iops_min, iops_max;
};

struct cmp_row {
	const struct cmp_group *g;
	double iops_vs[CMP_NBASE]; /* the group's IOPS / the fio engine's, same QD */
	double p99_vs[CMP_NBASE];  /* the group's p99 / the fio engine's, same QD */
};

struct cmp_map_cost {
	const struct cmp_group *g; /* a map-per-io or map-batch group */
	double per_io_ns;          /* map + unmap time per I/O */
	double p50_added_ns;       /* its p50 minus premapped's at the same QD */
	double iops_vs_premapped;
};

struct cmp_table {
	struct cmp_group groups[CMP_MAX];
	size_t ngroups;
	struct cmp_row rows[CMP_MAX]; /* by QD, then fio io_uring, libaio, nvme-perf modes */
	size_t nrows;
	struct cmp_map_cost costs[CMP_MAX];
	size_t ncosts;
	size_t rounds_min, rounds_max; /* entries per group */
};

/* Groups, rows and map costs for the n entries. */
void cmp_compute(const struct cmp_entry *entries, size_t n, struct cmp_table *t);

/* Median of the numbers among v[0..n) (NAN ones skipped); NAN when none. */
double cmp_median(const double *v, size_t n);

#endif
