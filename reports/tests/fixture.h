/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synthetic run folders for the store's tests, written the way the lab
 * writes them: results through tcelab/result.h, run.json in tcelab-run/1.
 * Header-only: each test is one program.
 */
#ifndef REPORT_TESTS_FIXTURE_H
#define REPORT_TESTS_FIXTURE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tcelab/error.h"
#include "tcelab/json_writer.h"
#include "tcelab/result.h"
#include "tcelab/rng.h"

struct fx_metric {
	const char *name, *unit, *better;
	const char *label_key, *label_value; /* one string label, or NULL */
	size_t n;         /* samples drawn: center * exp(sd * N(0,1)) + shift */
	double center, sd, shift;
	bool keep;        /* keep the raw samples (else a summary only) */
};

struct fx_run {
	const char *id, *started, *status; /* status: passed | failed */
	const char *kernel, *tce_mode, *environment, *host_kind;
	const char *workload;              /* one step */
	const struct fx_metric *metrics;
	size_t nmetrics;
	uint64_t seed;
	bool unfinished;                   /* the step has no exit status: incomplete */
};

static inline void fx_mkdir(const char *path)
{
	mkdir(path, 0755);
}

/* root/ID/run.json and root/ID/WORKLOAD.result.json; returns root/ID (malloc'd). */
static inline char *fx_write_run(const char *root, const struct fx_run *r)
{
	struct result_where where = { 0 };
	struct json_writer w;
	struct tl_error e;
	struct tl_rng rng;
	char *dir, *path;
	FILE *f;

	if (asprintf(&dir, "%s/%s", root, r->id) < 0)
		abort();
	fx_mkdir(root);
	fx_mkdir(dir);
	snprintf(where.environment, sizeof(where.environment), "%s", r->environment ? r->environment : "emulated");
	snprintf(where.host_kind, sizeof(where.host_kind), "%s", r->host_kind ? r->host_kind : "pseries-tcg");
	if (r->environment && strcmp(r->environment, "hardware") == 0) {
		snprintf(where.machine, sizeof(where.machine), "PowerNV 9006-22P");
		snprintf(where.cpu, sizeof(where.cpu), "POWER9, altivec supported");
	} else {
		snprintf(where.machine, sizeof(where.machine), "CHRP IBM pSeries (emulated by qemu)");
		snprintf(where.cpu, sizeof(where.cpu), "POWER10 (architected), altivec supported");
	}
	snprintf(where.kernel, sizeof(where.kernel), "%s", r->kernel ? r->kernel : "6.12.95+deb12-powerpc64le");
	snprintf(where.tce_mode, sizeof(where.tce_mode), "%s", r->tce_mode ? r->tce_mode : "emulated");

	if (asprintf(&path, "%s/%s.result.json", dir, r->workload) < 0 || !(f = fopen(path, "w")))
		abort();
	tl_rng_seed(&rng, r->seed);
	jw_init(&w, f, true);
	result_begin(&w, "dma-map", r->workload, &where);
	jw_object_begin(&w, "parameters");
	jw_string(&w, "device", "0001:00:00.0");
	jw_object_end(&w);
	result_metrics_begin(&w);
	for (size_t m = 0; m < r->nmetrics; m++) {
		const struct fx_metric *fm = &r->metrics[m];
		double *v = malloc((fm->n ? fm->n : 1) * sizeof(*v));

		for (size_t i = 0; i < fm->n; i++)
			v[i] = fm->center * exp(fm->sd * tl_rng_normal(&rng)) + fm->shift;
		result_metric_begin(&w, fm->name, fm->unit,
				    strcmp(fm->better, "lower") == 0 ? RESULT_LOWER_IS_BETTER
								     : RESULT_HIGHER_IS_BETTER);
		if (fm->label_key) {
			jw_object_begin(&w, "labels");
			jw_string(&w, fm->label_key, fm->label_value);
			jw_object_end(&w);
		}
		if (fm->n == 1 && !fm->keep)
			result_metric_value(&w, v[0]);
		else
			result_metric_samples(&w, v, fm->n, fm->keep);
		result_metric_end(&w);
		free(v);
	}
	result_metrics_end(&w);
	{
		const char *err[] = { "dma-map exited with status 1" };

		result_end(&w, r->status, strcmp(r->status, "passed") ? err : NULL,
			   strcmp(r->status, "passed") ? 1 : 0);
	}
	if (jw_finish(&w, &e))
		abort();
	fclose(f);
	free(path);

	if (asprintf(&path, "%s/run.json", dir) < 0 || !(f = fopen(path, "w")))
		abort();
	jw_init(&w, f, true);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", "tcelab-run/1");
	jw_string(&w, "version", TCELAB_VERSION);
	jw_string(&w, "id", r->id);
	jw_string(&w, "name", "fixture");
	jw_string(&w, "started", r->started);
	jw_string(&w, "finished", r->started);
	jw_double(&w, "wall_seconds", 30.5);
	jw_string(&w, "status", r->status);
	if (strcmp(r->status, "passed") == 0)
		jw_null(&w, "failure");
	else
		jw_string(&w, "failure", r->unfinished ? "timed out after 900 s" : "1 of 1 steps failed");
	jw_object_begin(&w, "where");
	jw_string(&w, "environment", where.environment);
	jw_string(&w, "host_kind", where.host_kind);
	jw_string(&w, "machine", where.machine);
	jw_string(&w, "cpu", where.cpu);
	jw_string(&w, "kernel", where.kernel);
	jw_string(&w, "tce_mode", where.tce_mode);
	jw_object_end(&w);
	jw_object_begin(&w, "machine");
	jw_string(&w, "name", "pseries");
	jw_array_begin(&w, "devices");
	jw_object_begin(&w, NULL);
	jw_string(&w, "role", "dut");
	jw_string(&w, "device", "nvme,serial=dut0,drive=dut0");
	jw_string(&w, "guest_address", "0001:00:00.0");
	jw_object_end(&w);
	jw_array_end(&w);
	jw_object_end(&w);
	jw_array_begin(&w, "steps");
	jw_object_begin(&w, NULL);
	jw_string(&w, "name", r->workload);
	jw_string(&w, "engine", "dma-map");
	if (r->unfinished)
		jw_null(&w, "rc");
	else
		jw_int(&w, "rc", strcmp(r->status, "passed") ? 1 : 0);
	jw_int(&w, "secs", 3);
	jw_string(&w, "status", r->status);
	if (asprintf(&path, "%s.result.json", r->workload) < 0)
		abort();
	jw_string(&w, "result", path);
	free(path);
	jw_null(&w, "error");
	jw_object_end(&w);
	jw_array_end(&w);
	jw_object_end(&w);
	if (jw_finish(&w, &e))
		abort();
	fclose(f);
	return dir;
}

/* Whole file in memory (NUL-terminated), or NULL. */
static inline char *fx_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4097 > cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static inline void fx_spit(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	fwrite(text, 1, len, f);
	fclose(f);
}

#endif
