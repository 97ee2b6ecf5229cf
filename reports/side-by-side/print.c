// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <string.h>

#include "tcelab/json_writer.h"
#include "tcelab/size.h"
#include "print.h"

/* A ratio as "1.23x", "-" where there is none. */
static const char *ratio_text(double r, char *buf, size_t len)
{
	if (isnan(r))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2fx", r);
	return buf;
}

static const char *us_text(double ns, char *buf, size_t len)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", ns / 1e3);
	return buf;
}

static const char *signed_us_text(double ns, char *buf, size_t len)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f", ns / 1e3);
	return buf;
}

static void print_devices(FILE *f, const struct sbs_run *run)
{
	const struct sbs_device *d = &run->dut, *k = &run->fio_disk;
	char a[24], b[24];
	bool same = !strcmp(d->model, k->model) && strcmp(d->model, "unknown");

	fprintf(f, "Devices: %s, in one guest session:\n",
		same ? "the same QEMU NVMe model, two instances of it" : "two NVMe functions");
	fprintf(f, "  userspace  nvme-perf on %s (QEMU '%s' on bus %s, %s): vfio-pci, polled, "
		   "its own DMA mappings through VFIO\n",
		d->guest_address, d->model, d->bus,
		d->disk_bytes ? size_format(d->disk_bytes, a, sizeof(a)) : "size unknown");
	fprintf(f, "  kernel     fio on %s (QEMU '%s' on bus %s, %s): kernel nvme driver, "
		   "interrupts, DMA mapped by the guest kernel\n",
		k->guest_address, k->model, k->bus,
		k->disk_bytes ? size_format(k->disk_bytes, b, sizeof(b)) : "size unknown");
	fprintf(f, "  Not one device: each path has its own instance (another PCI host bridge, "
		   "another backing file); what differs is the driver path, not the device model.\n");
}

/* "nvme-perf 64M, fio 64M": the spans each side read. */
static void print_spans(FILE *f, const struct cmp_table *t)
{
	uint64_t span[2] = { 0, 0 };
	bool mixed[2] = { false, false };
	char a[24], b[24];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_entry *x = &t->rows[i].g->m;
		int k = x->driver == CMP_KERNEL;

		if (span[k] && x->span_bytes != span[k])
			mixed[k] = true;
		if (!span[k])
			span[k] = x->span_bytes;
	}
	fprintf(f, "  Read span: nvme-perf %s%s, fio %s%s from the start of each device.\n",
		span[0] ? size_format(span[0], a, sizeof(a)) : "unknown", mixed[0] ? " (varies)" : "",
		span[1] ? size_format(span[1], b, sizeof(b)) : "unknown", mixed[1] ? " (varies)" : "");
}

/* IOPS spread over the rounds: half the range, in % of the median. */
static const char *spread_text(const struct cmp_group *g, char *buf, size_t len)
{
	if (g->n < 2 || isnan(g->iops_min) || !(g->m.iops > 0))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%%", 50 * (g->iops_max - g->iops_min) / g->m.iops);
	return buf;
}

static void print_rows(FILE *f, const struct cmp_table *t)
{
	unsigned qd = 0;

	/* "µ" is two bytes and one column: those headers get one byte more */
	fprintf(f, "%-4s %-22s %-12s %2s %8s %6s %9s %9s  %9s %9s  %9s %9s  %s\n", "QD", "DRIVER",
		"WORKLOAD", "N", "IOPS", "SPREAD", "p50 µs", "p99 µs", "IOPS/uring", "IOPS/aio",
		"p99/uring", "p99/aio", "STATUS");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_row *r = &t->rows[i];
		const struct cmp_group *g = r->g;
		const struct cmp_entry *x = &g->m;
		char who[48], b[7][24], status[320];

		if (i && x->qd != qd)
			fputc('\n', f);
		qd = x->qd;
		snprintf(who, sizeof(who), "%s %s", x->driver == CMP_KERNEL ? "fio" : "nvme-perf",
			 x->mode);
		if (g->failed)
			snprintf(status, sizeof(status), "FAILED %zu of %zu: %s", g->failed, g->n,
				 x->error);
		else
			snprintf(status, sizeof(status), "passed");
		fprintf(f, "%-4u %-22s %-12s %2zu %8.0f %6s %8s %8s  %10s %9s  %9s %9s  %s\n", x->qd,
			who, x->workload, g->n, isnan(x->iops) ? 0 : x->iops,
			spread_text(g, b[6], 24), us_text(x->p50_ns, b[0], 24),
			us_text(x->p99_ns, b[1], 24), ratio_text(r->iops_vs[CMP_IO_URING], b[2], 24),
			ratio_text(r->iops_vs[CMP_LIBAIO], b[3], 24),
			ratio_text(r->p99_vs[CMP_IO_URING], b[4], 24),
			ratio_text(r->p99_vs[CMP_LIBAIO], b[5], 24), status);
	}
}

static void print_costs(FILE *f, const struct cmp_table *t)
{
	if (!t->ncosts)
		return;
	fprintf(f, "\nMapping per I/O (nvme-perf, against premapped at the same QD):\n");
	for (size_t i = 0; i < t->ncosts; i++) {
		const struct cmp_map_cost *c = &t->costs[i];
		const struct cmp_entry *x = &c->g->m;
		char b[5][24];

		fprintf(f, "  QD%-3u %-12s map %s + unmap %s = %s µs per I/O; p50 %s µs, IOPS %s of "
			   "premapped\n",
			x->qd, x->mode, us_text(x->map_ns_per_io, b[0], 24),
			us_text(x->unmap_ns_per_io, b[1], 24), us_text(c->per_io_ns, b[2], 24),
			signed_us_text(c->p50_added_ns, b[3], 24),
			ratio_text(c->iops_vs_premapped, b[4], 24));
	}
}

void sbs_print_text(FILE *f, const struct sbs_run *run, const struct cmp_table *t)
{
	const char *lat = "";

	fprintf(f, "Side by side, run %s (%s%s%s): the userspace NVMe driver against the kernel "
		   "path\n",
		run->id, run->status, run->failure[0] ? ": " : "", run->failure);
	if (!strcmp(run->environment, "emulated"))
		fprintf(f, "Measured in the EMULATED lab (%s, kernel %s, TCE mode %s): relative costs of "
			   "the two paths under QEMU TCG, not hardware performance.\n",
			run->host_kind, run->kernel, run->tce_mode);
	else
		fprintf(f, "Measured on %s %s (kernel %s, TCE mode %s).\n", run->environment,
			run->host_kind, run->kernel, run->tce_mode);
	print_devices(f, run);
	print_spans(f, t);
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].g->m.driver == CMP_KERNEL)
			lat = t->rows[i].g->m.latency;
	fprintf(f, "Latency: nvme-perf from before an I/O's map call (if any) to its reaped "
		   "completion; fio: %s (%s).\n",
		*lat ? lat : "-",
		!strcmp(lat, "fio clat") ? "completion only: fio's submission time is not in it"
					 : "submission + completion");
	if (t->rounds_max > 1)
		fprintf(f, "Rounds: each row is the median of its N rounds (the plan interleaves them); "
			   "SPREAD is half the IOPS range over them, in %% of the median (±).\n");
	else
		fprintf(f, "Rounds: one each; on a shared host a single run is noisy (the plan's rounds "
			   "give a spread).\n");
	fprintf(f, "Ratios: of the medians, against fio with io_uring (uring) and libaio (aio) at "
		   "the same QD; IOPS above 1x and p99 below 1x favour the row.\n\n");
	print_rows(f, t);
	print_costs(f, t);
	for (size_t i = 0; i < run->nproblems; i++)
		fprintf(f, "%snot compared: %s\n", i ? "" : "\n", run->problems[i]);
}

static void num(struct json_writer *w, const char *key, double v)
{
	if (isnan(v))
		jw_null(w, key);
	else
		jw_double(w, key, v);
}

static void json_device(struct json_writer *w, const char *key, const struct sbs_device *d)
{
	jw_object_begin(w, key);
	jw_string(w, "model", d->model);
	jw_string(w, "bus", d->bus);
	jw_string(w, "guest_address", d->guest_address);
	jw_uint(w, "disk_bytes", d->disk_bytes);
	jw_object_end(w);
}

int sbs_print_json(FILE *f, const struct sbs_run *run, const struct cmp_table *t,
		   struct tl_error *e)
{
	struct json_writer w;

	jw_init(&w, f, true);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", "tcelab-compare-engines/1");
	jw_string(&w, "run", run->id);
	jw_string(&w, "run_dir", run->dir);
	jw_string(&w, "run_status", run->status);
	jw_object_begin(&w, "where");
	jw_string(&w, "environment", run->environment);
	jw_string(&w, "host_kind", run->host_kind);
	jw_string(&w, "kernel", run->kernel);
	jw_string(&w, "tce_mode", run->tce_mode);
	jw_object_end(&w);
	jw_object_begin(&w, "devices");
	json_device(&w, "userspace", &run->dut);
	json_device(&w, "kernel", &run->fio_disk);
	jw_object_end(&w);
	jw_array_begin(&w, "rows");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_row *r = &t->rows[i];
		const struct cmp_entry *x = &r->g->m;

		jw_object_begin(&w, NULL);
		jw_string(&w, "first_step", x->step);
		jw_uint(&w, "rounds", r->g->n);
		jw_uint(&w, "failed", r->g->failed);
		jw_string(&w, "driver", x->driver == CMP_KERNEL ? "kernel" : "userspace");
		jw_string(&w, "tool", x->driver == CMP_KERNEL ? "fio" : "nvme-perf");
		jw_string(&w, "mode", x->mode);
		jw_uint(&w, "qd", x->qd);
		jw_string(&w, "workload", x->workload);
		jw_string(&w, "device", x->device);
		num(&w, "iops", x->iops);
		num(&w, "iops_min", r->g->iops_min);
		num(&w, "iops_max", r->g->iops_max);
		num(&w, "p50_ns", x->p50_ns);
		num(&w, "p99_ns", x->p99_ns);
		jw_string(&w, "latency", x->latency);
		for (int b = 0; b < CMP_NBASE; b++) {
			char key[32];

			snprintf(key, sizeof(key), "iops_vs_%s", cmp_base_names[b]);
			num(&w, key, r->iops_vs[b]);
			snprintf(key, sizeof(key), "p99_vs_%s", cmp_base_names[b]);
			num(&w, key, r->p99_vs[b]);
		}
		jw_string(&w, "status", r->g->failed ? "failed" : "passed");
		if (x->error[0])
			jw_string(&w, "error", x->error);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_array_begin(&w, "map_cost");
	for (size_t i = 0; i < t->ncosts; i++) {
		const struct cmp_map_cost *c = &t->costs[i];

		jw_object_begin(&w, NULL);
		jw_string(&w, "mode", c->g->m.mode);
		jw_uint(&w, "qd", c->g->m.qd);
		num(&w, "map_ns_per_io", c->g->m.map_ns_per_io);
		num(&w, "unmap_ns_per_io", c->g->m.unmap_ns_per_io);
		num(&w, "per_io_ns", c->per_io_ns);
		num(&w, "p50_added_ns", c->p50_added_ns);
		num(&w, "iops_vs_premapped", c->iops_vs_premapped);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_array_begin(&w, "not_compared");
	for (size_t i = 0; i < run->nproblems; i++)
		jw_string(&w, NULL, run->problems[i]);
	jw_array_end(&w);
	jw_object_end(&w);
	if (jw_finish(&w, e))
		return -1;
	fputc('\n', f);
	return 0;
}
