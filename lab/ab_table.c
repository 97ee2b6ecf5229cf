// SPDX-License-Identifier: GPL-2.0-only
#include "ab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "guest_where.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"
#include "tcelab/pci.h"
#include "tcelab/stats.h"

const uint64_t ab_sizes[AB_NSIZES] = { 4096, 65536, 1048576 };

void ab_matrix_init(struct ab_matrix *mx, const char *const *hosts, int nhosts,
		    const char *const *modes, int nmodes, int repeat)
{
	size_t n = (size_t)nhosts * nmodes * repeat;

	*mx = (struct ab_matrix){ .hosts = hosts, .nhosts = nhosts, .modes = modes,
				  .nmodes = nmodes, .repeat = repeat };
	mx->runs = xcalloc(n, sizeof(*mx->runs));
	for (size_t i = 0; i < n; i++) {
		struct ab_cell_run *cr = &mx->runs[i];

		for (int s = 0; s < AB_NSIZES; s++)
			cr->v2.map[s] = cr->v2.unmap[s] = cr->v1.map[s] = cr->v1.unmap[s] = NAN;
		cr->fio_clat_mean_ns = cr->fio_iops = NAN;
	}
}

struct ab_cell_run *ab_matrix_run(struct ab_matrix *mx, int host, int mode, int rep)
{
	return &mx->runs[((size_t)host * mx->nmodes + mode) * mx->repeat + rep];
}

void ab_matrix_free(struct ab_matrix *mx)
{
	free(mx->runs);
	mx->runs = NULL;
}

static struct json_value *load_json(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct tl_error e;
	struct json_value *doc = path_is_file(path) ? json_parse_file(path, &e) : NULL;

	free(path);
	return doc;
}

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* dma-map's per-TCE medians by size, from its result document. */
static void load_dma(const struct json_value *doc, struct ab_dma *d)
{
	const struct json_value *metrics = json_get(doc, "metrics");

	for (size_t i = 0; metrics && metrics->type == JSON_ARRAY && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *name = json_path_string(m, "name");
		double size = 0, median = NAN;
		double *slot;

		if (!name || !json_path_number(m, "labels.size", &size) ||
		    !json_path_number(m, "summary.median", &median))
			continue;
		if (strcmp(name, "map_ns_per_tce") == 0)
			slot = d->map;
		else if (strcmp(name, "unmap_ns_per_tce") == 0)
			slot = d->unmap;
		else
			continue;
		for (int s = 0; s < AB_NSIZES; s++)
			if ((uint64_t)size == ab_sizes[s])
				slot[s] = median;
	}
}

static void load_fio(const struct json_value *doc, struct ab_cell_run *cr)
{
	const struct json_value *metrics = json_get(doc, "metrics");

	for (size_t i = 0; metrics && metrics->type == JSON_ARRAY && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *name = json_path_string(m, "name");
		const char *dir = json_path_string(m, "labels.direction");

		if (!name || !dir || strcmp(dir, "read") != 0)
			continue;
		if (strcmp(name, "clat") == 0)
			json_path_number(m, "summary.mean", &cr->fio_clat_mean_ns);
		else if (strcmp(name, "iops") == 0)
			json_path_number(m, "summary.median", &cr->fio_iops);
	}
}

static void load_steps(struct ab_cell_run *cr, const struct json_value *run)
{
	const struct json_value *steps = json_get(run, "steps");
	bool fio_done = false;

	for (size_t i = 0; steps && steps->type == JSON_ARRAY && i < steps->u.array.n; i++) {
		const struct json_value *s = steps->u.array.items[i];
		const char *engine = json_path_string(s, "engine");
		const char *status = json_path_string(s, "status");
		const char *file = json_path_string(s, "result");
		struct json_value *doc;

		if (!engine || !status || !file)
			continue;
		doc = load_json(cr->dir, file);
		if (doc && strcmp(engine, "dma-map") == 0) {
			const char *iommu = json_path_string(doc, "parameters.iommu");

			if (iommu && strcmp(iommu, "spapr-v2") == 0)
				load_dma(doc, &cr->v2);
			else if (iommu && strcmp(iommu, "spapr-v1") == 0)
				load_dma(doc, &cr->v1);
		} else if (strcmp(engine, "fio") == 0 && !fio_done) {
			fio_done = true;
			cr->fio_skipped = strcmp(status, "skipped") == 0;
			if (strcmp(status, "passed") == 0 && doc)
				load_fio(doc, cr);
			else
				copy_str(cr->fio_note, sizeof(cr->fio_note), json_path_string(s, "error"));
		}
		json_free(doc);
	}
}

static void load_l1_env(struct ab_cell_run *cr)
{
	char *path = xasprintf("%s/out/l1/l1.env", cr->dir);
	struct tl_error ignored;
	char *text = tl_read_file(path, NULL, &ignored);
	const char *env = text ? text : "";

	if (!guest_env_value(env, "TCE_SWITCH", cr->tce_switch, sizeof(cr->tce_switch)))
		copy_str(cr->tce_switch, sizeof(cr->tce_switch), "?");
	if (!guest_env_value(env, "MODULES", cr->modules, sizeof(cr->modules)))
		copy_str(cr->modules, sizeof(cr->modules), "?");
	if (!guest_env_value(env, "L2_TRANSPORT", cr->transport, sizeof(cr->transport)))
		copy_str(cr->transport, sizeof(cr->transport), "?");
	if (!guest_env_value(env, "PASSES", cr->passes, sizeof(cr->passes)))
		copy_str(cr->passes, sizeof(cr->passes), "?");
	free(text);
	free(path);
}

void ab_cell_load(struct ab_cell_run *cr, const char *run_dir, const char *failure,
		  double wall_seconds)
{
	struct json_value *run;
	const struct json_value *checks;
	double n;

	cr->loaded = true;
	copy_str(cr->dir, sizeof(cr->dir), run_dir);
	copy_str(cr->failure, sizeof(cr->failure), failure);
	cr->wall_seconds = wall_seconds;
	load_l1_env(cr);
	cr->dmesg_warnings = -1;
	run = load_json(run_dir, "out/tce-proof.json");
	if (run && json_path_number(run, "dmesg.warnings", &n)) {
		cr->dmesg_warnings = (int)n;
		copy_str(cr->dmesg_first, sizeof(cr->dmesg_first), json_path_string(run, "dmesg.first.0"));
	}
	json_free(run);
	run = load_json(run_dir, "run.json");
	if (!run) {
		if (!cr->failure[0])
			copy_str(cr->failure, sizeof(cr->failure), "no readable run.json");
		return;
	}
	load_steps(cr, run);
	cr->proof_present = json_path(run, "nested.proof.status") != NULL;
	if (cr->proof_present) {
		const char *status = json_path_string(run, "nested.proof.status");

		cr->proof_pass = status && strcmp(status, "pass") == 0;
		copy_str(cr->proof_source, sizeof(cr->proof_source),
			 json_path_string(run, "nested.proof.source"));
		if (json_path_number(run, "nested.proof.total_calls", &n))
			cr->proof_total = (uint64_t)n;
		if (json_path_number(run, "nested.proof.user_calls", &n))
			cr->proof_user = (uint64_t)n;
		checks = json_path(run, "nested.proof.checks");
		for (size_t i = 0; checks && checks->type == JSON_ARRAY && i < checks->u.array.n; i++) {
			const struct json_value *c = checks->u.array.items[i];

			if (c->type == JSON_STRING && strncmp(c->u.string.s, "FAIL: ", 6) == 0) {
				copy_str(cr->proof_first_fail, sizeof(cr->proof_first_fail), c->u.string.s + 6);
				break;
			}
		}
	}
	json_free(run);
}

double ab_cell_median(const struct ab_matrix *mx, int host, int mode,
		      double (*get)(const struct ab_cell_run *), double *lo, double *hi)
{
	double v[16];
	size_t n = 0;
	struct stats_summary s;

	for (int r = 0; r < mx->repeat && n < 16; r++) {
		const struct ab_cell_run *cr = ab_matrix_run((struct ab_matrix *)mx, host, mode, r);
		double x = cr->loaded ? get(cr) : NAN;

		if (!isnan(x))
			v[n++] = x;
	}
	if (lo)
		*lo = NAN;
	if (hi)
		*hi = NAN;
	if (n == 0 || stats_summarize(v, n, &s))
		return NAN;
	if (lo)
		*lo = s.min;
	if (hi)
		*hi = s.max;
	return s.median;
}

static int mode_index(const struct ab_matrix *mx, const char *mode)
{
	for (int m = 0; m < mx->nmodes; m++)
		if (strcmp(mx->modes[m], mode) == 0)
			return m;
	return -1;
}

double ab_ratio(const struct ab_matrix *mx, int host, double (*get)(const struct ab_cell_run *),
		double *lo, double *hi)
{
	int ink = mode_index(mx, "in-kernel"), usr = mode_index(mx, "userspace");
	double v[16];
	size_t n = 0;
	struct stats_summary s;

	*lo = *hi = NAN;
	if (ink < 0 || usr < 0)
		return NAN;
	/* Pair the runs of one repetition: they ran back to back. */
	for (int r = 0; r < mx->repeat && n < 16; r++) {
		const struct ab_cell_run *a = ab_matrix_run((struct ab_matrix *)mx, host, ink, r);
		const struct ab_cell_run *b = ab_matrix_run((struct ab_matrix *)mx, host, usr, r);
		double x = a->loaded ? get(a) : NAN, y = b->loaded ? get(b) : NAN;

		if (!isnan(x) && !isnan(y) && x > 0)
			v[n++] = y / x;
	}
	if (n == 0 || stats_summarize(v, n, &s))
		return NAN;
	*lo = s.min;
	*hi = s.max;
	return s.median;
}

/* Getters for the table's columns. */
static double v2_map_4k(const struct ab_cell_run *c) { return c->v2.map[0]; }
static double v2_map_64k(const struct ab_cell_run *c) { return c->v2.map[1]; }
static double v2_map_1m(const struct ab_cell_run *c) { return c->v2.map[2]; }
static double v2_unmap_1m(const struct ab_cell_run *c) { return c->v2.unmap[2]; }
static double v1_map_1m(const struct ab_cell_run *c) { return c->v1.map[2]; }
static double v1_unmap_1m(const struct ab_cell_run *c) { return c->v1.unmap[2]; }
static double fio_clat(const struct ab_cell_run *c) { return c->fio_clat_mean_ns; }
static double fio_iops(const struct ab_cell_run *c) { return c->fio_iops; }
static double wall(const struct ab_cell_run *c) { return c->wall_seconds; }

struct column {
	const char *head;
	double (*get)(const struct ab_cell_run *);
	double div; /* ns to us: 1000 */
	const char *json;
};

static const struct column columns[] = {
	{ "v2 map/TCE 4K", v2_map_4k, 1e3, "v2_map_ns_per_tce_4k" },
	{ "64K", v2_map_64k, 1e3, "v2_map_ns_per_tce_64k" },
	{ "1M", v2_map_1m, 1e3, "v2_map_ns_per_tce_1m" },
	{ "v2 unmap/TCE 1M", v2_unmap_1m, 1e3, "v2_unmap_ns_per_tce_1m" },
	{ "v1 map/TCE 1M", v1_map_1m, 1e3, "v1_map_ns_per_tce_1m" },
	{ "v1 unmap/TCE 1M", v1_unmap_1m, 1e3, "v1_unmap_ns_per_tce_1m" },
	{ "fio QD1 clat", fio_clat, 1e3, "fio_qd1_clat_mean_ns" },
	{ "fio IOPS", fio_iops, 1, "fio_qd1_iops" },
};

#define NCOLS (sizeof(columns) / sizeof(columns[0]))

static void fmt(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v >= 100)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
}

/* Cell verdict over its repetitions: FAIL if any run failed. */
static const struct ab_cell_run *first_failed(const struct ab_matrix *mx, int h, int m)
{
	for (int r = 0; r < mx->repeat; r++) {
		const struct ab_cell_run *cr = ab_matrix_run((struct ab_matrix *)mx, h, m, r);

		if (!cr->loaded || cr->failure[0] || !cr->proof_present || !cr->proof_pass)
			return cr;
	}
	return NULL;
}

void ab_table_print(FILE *f, const struct ab_matrix *mx)
{
	char buf[32];

	fprintf(f, "In-kernel vs userspace TCE handling, nested lab (EMULATED: QEMU TCG at L0; figures are\n"
		   "relative, not hardware performance). Per-TCE costs in us, L2's clock; medians of %d run(s).\n\n",
		mx->repeat);
	fprintf(f, "%-12s %-10s %-7s", "HOST", "MODE", "SWITCH");
	for (size_t c = 0; c < NCOLS; c++)
		fprintf(f, " %*s", c == 0 ? 13 : (int)(strlen(columns[c].head) > 7 ? strlen(columns[c].head) : 7),
			columns[c].head);
	fprintf(f, "  %-34s %-7s %4s %6s\n", "PROOF: source, TCE hcalls, to user", "VERDICT", "WARN",
		"WALL s");
	for (int h = 0; h < mx->nhosts; h++)
		for (int m = 0; m < mx->nmodes; m++) {
			const struct ab_cell_run *cr0 = ab_matrix_run((struct ab_matrix *)mx, h, m, 0);
			const struct ab_cell_run *bad = first_failed(mx, h, m);
			char proof[64];

			fprintf(f, "%-12s %-10s %-7s", mx->hosts[h], mx->modes[m],
				cr0->loaded ? cr0->tce_switch : "-");
			for (size_t c = 0; c < NCOLS; c++) {
				fmt(buf, sizeof(buf), ab_cell_median(mx, h, m, columns[c].get, NULL, NULL) /
							  columns[c].div);
				if (columns[c].get == fio_clat && cr0->fio_skipped)
					snprintf(buf, sizeof(buf), "skipped");
				fprintf(f, " %*s",
					c == 0 ? 13 : (int)(strlen(columns[c].head) > 7 ? strlen(columns[c].head) : 7),
					buf);
			}
			if (cr0->proof_present)
				snprintf(proof, sizeof(proof), "%s, %llu, %llu", cr0->proof_source,
					 (unsigned long long)cr0->proof_total, (unsigned long long)cr0->proof_user);
			else
				snprintf(proof, sizeof(proof), "none");
			if (cr0->dmesg_warnings >= 0)
				snprintf(buf, sizeof(buf), "%d", cr0->dmesg_warnings);
			else
				snprintf(buf, sizeof(buf), "-");
			fprintf(f, "  %-34s %-7s %4s %6.0f\n", proof, bad ? "FAIL" : "pass", buf,
				ab_cell_median(mx, h, m, wall, NULL, NULL));
		}

	fprintf(f, "\nuserspace / in-kernel (per repetition, paired; median [min, max]):\n");
	for (int h = 0; h < mx->nhosts; h++) {
		fprintf(f, "  %-12s", mx->hosts[h]);
		for (size_t c = 0; c < NCOLS; c++) {
			double lo, hi, r;

			if (columns[c].get == fio_iops)
				continue;
			r = ab_ratio(mx, h, columns[c].get, &lo, &hi);
			if (isnan(r))
				continue;
			if (mx->repeat > 1)
				fprintf(f, "  %s %.2fx [%.2f, %.2f]", columns[c].head, r, lo, hi);
			else
				fprintf(f, "  %s %.2fx", columns[c].head, r);
		}
		fputc('\n', f);
	}

	for (int h = 0; h < mx->nhosts; h++)
		for (int m = 0; m < mx->nmodes; m++)
			for (int r = 0; r < mx->repeat; r++) {
				const struct ab_cell_run *cr = ab_matrix_run((struct ab_matrix *)mx, h, m, r);

				if (cr->dmesg_warnings > 0 && r == 0)
					fprintf(f, "\n%s %s: L1 dmesg: %s", mx->hosts[h], mx->modes[m],
						cr->dmesg_first);
				if (cr->fio_skipped && r == 0)
					fprintf(f, "\n%s %s: fio %s", mx->hosts[h], mx->modes[m],
						cr->fio_note);
				if (!cr->loaded)
					fprintf(f, "\n%s %s #%d: FAILED before recording: %s", mx->hosts[h],
						mx->modes[m], r + 1, cr->failure);
				else if (cr->failure[0])
					fprintf(f, "\n%s %s #%d: FAILED: %s", mx->hosts[h], mx->modes[m], r + 1,
						cr->failure);
				else if (!cr->proof_pass)
					fprintf(f, "\n%s %s #%d: proof: %s", mx->hosts[h], mx->modes[m], r + 1,
						cr->proof_first_fail);
			}
	fprintf(f, "\n");
}

static void write_cell_run(struct json_writer *w, const struct ab_cell_run *cr)
{
	jw_object_begin(w, NULL);
	jw_string(w, "run", cr->loaded ? cr->dir : NULL);
	jw_string(w, "status", cr->loaded && !cr->failure[0] ? "passed" : "failed");
	jw_string(w, "failure", cr->failure[0] ? cr->failure : NULL);
	jw_double(w, "wall_seconds", cr->wall_seconds);
	jw_string(w, "tce_switch", cr->tce_switch);
	jw_string(w, "modules", cr->modules);
	jw_string(w, "l2_transport", cr->transport);
	jw_string(w, "passes", cr->passes);
	for (size_t c = 0; c < NCOLS; c++)
		jw_double(w, columns[c].json, columns[c].get(cr));
	jw_bool(w, "fio_skipped", cr->fio_skipped);
	jw_string(w, "fio_note", cr->fio_note[0] ? cr->fio_note : NULL);
	jw_int(w, "l1_dmesg_warnings", cr->dmesg_warnings);
	jw_string(w, "l1_dmesg_first", cr->dmesg_first[0] ? cr->dmesg_first : NULL);
	jw_object_begin(w, "proof");
	jw_bool(w, "present", cr->proof_present);
	jw_string(w, "status", cr->proof_present ? (cr->proof_pass ? "pass" : "fail") : NULL);
	jw_string(w, "source", cr->proof_source);
	jw_uint(w, "tce_hcalls", cr->proof_total);
	jw_uint(w, "to_userspace", cr->proof_user);
	jw_string(w, "first_failure", cr->proof_first_fail[0] ? cr->proof_first_fail : NULL);
	jw_object_end(w);
	jw_object_end(w);
}

static int write_json(const char *path, const struct ab_matrix *mx, struct tl_error *e)
{
	FILE *f = fopen(path, "w");
	struct json_writer w;

	if (!f)
		return tl_err_errno(e, "cannot create %s", path);
	jw_init(&w, f, true);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", "tcelab-ab/1");
	jw_string(&w, "environment", "emulated");
	jw_int(&w, "repeat", mx->repeat);
	jw_double(&w, "wall_seconds", mx->wall_seconds);
	jw_array_begin(&w, "cells");
	for (int h = 0; h < mx->nhosts; h++)
		for (int m = 0; m < mx->nmodes; m++) {
			jw_object_begin(&w, NULL);
			jw_string(&w, "host_kind", mx->hosts[h]);
			jw_string(&w, "tce_mode", mx->modes[m]);
			jw_string(&w, "verdict", first_failed(mx, h, m) ? "fail" : "pass");
			jw_object_begin(&w, "median");
			for (size_t c = 0; c < NCOLS; c++)
				jw_double(&w, columns[c].json, ab_cell_median(mx, h, m, columns[c].get, NULL, NULL));
			jw_object_end(&w);
			jw_array_begin(&w, "runs");
			for (int r = 0; r < mx->repeat; r++)
				write_cell_run(&w, ab_matrix_run((struct ab_matrix *)mx, h, m, r));
			jw_array_end(&w);
			jw_object_end(&w);
		}
	jw_array_end(&w);
	jw_array_begin(&w, "ratios");
	for (int h = 0; h < mx->nhosts; h++) {
		jw_object_begin(&w, NULL);
		jw_string(&w, "host_kind", mx->hosts[h]);
		jw_string(&w, "what", "userspace / in-kernel, per repetition");
		for (size_t c = 0; c < NCOLS; c++) {
			double lo, hi, r = ab_ratio(mx, h, columns[c].get, &lo, &hi);

			jw_object_begin(&w, columns[c].json);
			jw_double(&w, "median", r);
			jw_double(&w, "min", lo);
			jw_double(&w, "max", hi);
			jw_object_end(&w);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	if (jw_finish(&w, e)) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : tl_err_errno(e, "cannot write %s", path);
}

int ab_write(const char *dir, const struct ab_matrix *mx, struct tl_error *e)
{
	char *path = xasprintf("%s/ab.json", dir);
	int ret = write_json(path, mx, e);
	FILE *f;

	free(path);
	if (ret)
		return ret;
	path = xasprintf("%s/ab.txt", dir);
	f = fopen(path, "w");
	if (!f) {
		ret = tl_err_errno(e, "cannot create %s", path);
	} else {
		ab_table_print(f, mx);
		if (fclose(f) != 0)
			ret = tl_err_errno(e, "cannot write %s", path);
	}
	free(path);
	return ret;
}
