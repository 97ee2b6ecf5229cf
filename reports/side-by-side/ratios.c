// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/size.h"
#include "tcelab/stats.h"
#include "ratios.h"

const char *const cmp_base_names[CMP_NBASE] = { "io_uring", "libaio" };

static bool has_label(const struct json_value *m, const char *key, const char *value)
{
	const struct json_value *l = json_get(json_get(m, "labels"), key);

	return l && l->type == JSON_STRING && !strcmp(l->u.string.s, value);
}

/* The first metric called name (with the label key=value when key). */
static const struct json_value *find_metric(const struct json_value *doc, const char *name,
					    const char *key, const char *value)
{
	const struct json_value *metrics = json_get(doc, "metrics");

	for (size_t i = 0; metrics && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *n = json_path_string(m, "name");

		if (n && !strcmp(n, name) && (!key || has_label(m, key, value)))
			return m;
	}
	return NULL;
}

static double summary(const struct json_value *m, const char *member)
{
	char path[32];
	double x;

	snprintf(path, sizeof(path), "summary.%s", member);
	return json_path_number(m, path, &x) ? x : NAN;
}

static void first_error(const struct json_value *doc, struct cmp_entry *out)
{
	const struct json_value *errors = json_get(doc, "errors");

	if (errors && errors->type == JSON_ARRAY && errors->u.array.n &&
	    errors->u.array.items[0]->type == JSON_STRING)
		snprintf(out->error, sizeof(out->error), "%s", errors->u.array.items[0]->u.string.s);
}

static int from_nvme_perf(const struct json_value *doc, struct cmp_entry *out,
			  struct tl_error *e)
{
	const struct json_value *p = json_get(doc, "parameters");
	const struct json_value *lat = find_metric(doc, "latency_ns", "op", "all");
	const char *dma = json_path_string(p, "dma"), *workload = json_path_string(p, "workload");
	const char *device = json_path_string(p, "device");
	double qd, batch = 1, bs = 0, lba_count = 0, lba_size = 0;
	char size[24];

	if (!dma || !json_path_number(p, "qd", &qd))
		return tl_err(e, "nvme-perf result without parameters dma and qd");
	json_path_number(p, "map_batch", &batch);
	json_path_number(p, "bs", &bs);
	json_path_number(p, "lba_count", &lba_count);
	json_path_number(p, "lba_size", &lba_size);
	out->span_bytes = (uint64_t)(lba_count * lba_size);
	out->driver = CMP_USERSPACE;
	out->qd = (unsigned)qd;
	if (!strcmp(dma, "map-batch"))
		snprintf(out->mode, sizeof(out->mode), "map-batch=%.0f", batch);
	else
		snprintf(out->mode, sizeof(out->mode), "%s", dma);
	snprintf(out->workload, sizeof(out->workload), "%s %s", workload ? workload : "?",
		 size_format((uint64_t)bs, size, sizeof(size)));
	snprintf(out->device, sizeof(out->device), "%s", device ? device : "?");
	out->iops = summary(find_metric(doc, "iops", NULL, NULL), "median");
	out->p50_ns = summary(lat, "median");
	out->p99_ns = summary(lat, "p99");
	out->latency = "nvme-perf latency_ns";
	out->map_ns_per_io = summary(find_metric(doc, "map_ns_per_io", NULL, NULL), "median");
	out->unmap_ns_per_io = summary(find_metric(doc, "unmap_ns_per_io", NULL, NULL), "median");
	return 0;
}

static int from_fio(const struct json_value *doc, struct cmp_entry *out, struct tl_error *e)
{
	const struct json_value *g = json_path(doc, "parameters.global_options");
	const char *engine = json_path_string(g, "ioengine"), *depth = json_path_string(g, "iodepth");
	const char *rw = json_path_string(g, "rw"), *bs = json_path_string(g, "bs");
	const char *file = json_path_string(g, "filename"), *span = json_path_string(g, "size");
	struct tl_error ignored;
	uint64_t bs_bytes;
	char size[24];
	const struct json_value *lat = find_metric(doc, "lat", "direction", "read");
	char *end;
	long qd;

	if (!engine || !depth)
		return tl_err(e, "fio result without ioengine and iodepth in its global options: "
				 "not one of the side-by-side profiles (bench/fio/*-io_uring.fio, "
				 "*-libaio.fio)");
	qd = strtol(depth, &end, 10);
	if (*end || qd < 1)
		return tl_err(e, "fio iodepth '%s' is not a number", depth);
	out->driver = CMP_KERNEL;
	out->qd = (unsigned)qd;
	snprintf(out->mode, sizeof(out->mode), "%s", engine);
	/* "4k" as nvme-perf writes it: "4K" */
	if (bs && !size_parse(bs, &bs_bytes, "bs", &ignored))
		snprintf(out->workload, sizeof(out->workload), "%s %s", rw ? rw : "?",
			 size_format(bs_bytes, size, sizeof(size)));
	else
		snprintf(out->workload, sizeof(out->workload), "%s %s", rw ? rw : "?", bs ? bs : "?");
	snprintf(out->device, sizeof(out->device), "%s", file ? file : "?");
	if (!span || size_parse(span, &out->span_bytes, "size", &ignored))
		out->span_bytes = 0;
	out->iops = summary(find_metric(doc, "iops", "direction", "read"), "median");
	out->latency = "fio lat";
	if (!lat) { /* a job without lat_percentiles: completion latency only */
		lat = find_metric(doc, "clat", "direction", "read");
		out->latency = "fio clat";
	}
	out->p50_ns = summary(lat, "median");
	out->p99_ns = summary(lat, "p99");
	return 0;
}

int cmp_entry_from_result(const struct json_value *doc, const char *step, struct cmp_entry *out,
			  struct tl_error *e)
{
	const char *tool = json_path_string(doc, "tool"), *status = json_path_string(doc, "status");
	int ret;

	*out = (struct cmp_entry){ .iops = NAN, .p50_ns = NAN, .p99_ns = NAN,
				   .map_ns_per_io = NAN, .unmap_ns_per_io = NAN, .latency = "" };
	snprintf(out->step, sizeof(out->step), "%s", step);
	if (!tool)
		return tl_err(e, "not a result document (no tool)");
	if (!strcmp(tool, "nvme-perf"))
		ret = from_nvme_perf(doc, out, e);
	else if (!strcmp(tool, "fio"))
		ret = from_fio(doc, out, e);
	else
		return 1;
	out->passed = status && !strcmp(status, "passed");
	if (!out->passed)
		first_error(doc, out);
	return ret;
}

double cmp_ratio(double num, double den)
{
	if (isnan(num) || isnan(den) || den <= 0)
		return NAN;
	return num / den;
}

double cmp_median(const double *v, size_t n)
{
	double w[CMP_MAX];
	size_t k = 0;

	for (size_t i = 0; i < n && k < CMP_MAX; i++)
		if (!isnan(v[i]))
			w[k++] = v[i];
	if (!k)
		return NAN;
	stats_sort(w, k);
	return k % 2 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
}

/* Row order: QD, then fio io_uring, fio libaio, then nvme-perf by mode. */
static int rank(const struct cmp_entry *e)
{
	static const char *const order[] = { "io_uring", "libaio", "premapped", "map-per-io",
					     "map-batch" };

	for (int i = 0; i < 5; i++)
		if (!strncmp(e->mode, order[i], strlen(order[i])))
			return i;
	return 5;
}

static int by_order(const void *a, const void *b)
{
	const struct cmp_row *x = a, *y = b;

	if (x->g->m.qd != y->g->m.qd)
		return x->g->m.qd < y->g->m.qd ? -1 : 1;
	if (rank(&x->g->m) != rank(&y->g->m))
		return rank(&x->g->m) - rank(&y->g->m);
	return strcmp(x->g->m.mode, y->g->m.mode);
}

static bool same_config(const struct cmp_entry *a, const struct cmp_entry *b)
{
	return a->driver == b->driver && a->qd == b->qd && !strcmp(a->mode, b->mode) &&
	       !strcmp(a->workload, b->workload);
}

/* One figure's median over the group's entries: field at offset off. */
static double median_of(const struct cmp_entry *entries, size_t n, const struct cmp_entry *first,
			size_t off)
{
	double v[CMP_MAX];
	size_t k = 0;

	for (size_t i = 0; i < n && k < CMP_MAX; i++)
		if (same_config(&entries[i], first))
			v[k++] = *(const double *)((const char *)&entries[i] + off);
	return cmp_median(v, k);
}

#define MEDIAN(field) median_of(entries, n, first, offsetof(struct cmp_entry, field))

static void group(const struct cmp_entry *entries, size_t n, struct cmp_table *t)
{
	for (size_t i = 0; i < n && t->ngroups < CMP_MAX; i++) {
		const struct cmp_entry *first = &entries[i];
		struct cmp_group *g = NULL;

		for (size_t k = 0; k < t->ngroups && !g; k++)
			if (same_config(&t->groups[k].m, first))
				g = &t->groups[k];
		if (g) /* counted with its first entry */
			continue;
		g = &t->groups[t->ngroups++];
		g->m = *first;
		g->m.passed = true;
		g->m.error[0] = '\0';
		g->iops_min = INFINITY;
		g->iops_max = -INFINITY;
		for (size_t k = i; k < n; k++) {
			const struct cmp_entry *x = &entries[k];

			if (!same_config(x, first))
				continue;
			g->n++;
			if (!x->passed && !g->failed++) {
				g->m.passed = false;
				snprintf(g->m.error, sizeof(g->m.error), "%s: %s", x->step, x->error);
			}
			if (!isnan(x->iops)) {
				g->iops_min = fmin(g->iops_min, x->iops);
				g->iops_max = fmax(g->iops_max, x->iops);
			}
		}
		if (isinf(g->iops_min))
			g->iops_min = g->iops_max = NAN;
		g->m.iops = MEDIAN(iops);
		g->m.p50_ns = MEDIAN(p50_ns);
		g->m.p99_ns = MEDIAN(p99_ns);
		g->m.map_ns_per_io = MEDIAN(map_ns_per_io);
		g->m.unmap_ns_per_io = MEDIAN(unmap_ns_per_io);
	}
}

/* The group of this driver and mode at this QD. */
static const struct cmp_group *find(const struct cmp_table *t, unsigned qd, enum cmp_driver driver,
				    const char *mode)
{
	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i].m.qd == qd && t->groups[i].m.driver == driver &&
		    !strcmp(t->groups[i].m.mode, mode))
			return &t->groups[i];
	return NULL;
}

void cmp_compute(const struct cmp_entry *entries, size_t n, struct cmp_table *t)
{
	memset(t, 0, sizeof(*t));
	group(entries, n, t);
	for (size_t i = 0; i < t->ngroups; i++) {
		const struct cmp_group *g = &t->groups[i];
		struct cmp_row *r = &t->rows[t->nrows++];

		r->g = g;
		for (int b = 0; b < CMP_NBASE; b++) {
			const struct cmp_group *base = find(t, g->m.qd, CMP_KERNEL, cmp_base_names[b]);

			r->iops_vs[b] = base ? cmp_ratio(g->m.iops, base->m.iops) : NAN;
			r->p99_vs[b] = base ? cmp_ratio(g->m.p99_ns, base->m.p99_ns) : NAN;
		}
		if (!i || g->n < t->rounds_min)
			t->rounds_min = g->n;
		if (g->n > t->rounds_max)
			t->rounds_max = g->n;
	}
	qsort(t->rows, t->nrows, sizeof(t->rows[0]), by_order);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_group *g = t->rows[i].g, *pre;
		const struct cmp_entry *x = &g->m;
		struct cmp_map_cost *c;

		if (x->driver != CMP_USERSPACE || !strcmp(x->mode, "premapped"))
			continue;
		pre = find(t, x->qd, CMP_USERSPACE, "premapped");
		c = &t->costs[t->ncosts++];
		c->g = g;
		c->per_io_ns = isnan(x->map_ns_per_io) || isnan(x->unmap_ns_per_io)
				       ? NAN
				       : x->map_ns_per_io + x->unmap_ns_per_io;
		c->p50_added_ns = pre && !isnan(x->p50_ns) && !isnan(pre->m.p50_ns)
					  ? x->p50_ns - pre->m.p50_ns
					  : NAN;
		c->iops_vs_premapped = pre ? cmp_ratio(x->iops, pre->m.iops) : NAN;
	}
}
