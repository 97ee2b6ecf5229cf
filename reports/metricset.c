// SPDX-License-Identifier: GPL-2.0-only
#include "metricset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tcelab/error.h"
#include "tcelab/sort.h"
#include "tcelab/stats.h"

struct load_ctx {
	struct ms_side *side;
	const struct selection *sel;
	bool include_failed;
	struct tl_error *e;
};

struct ms_metric *ms_find(const struct ms_side *side, const char *key)
{
	for (size_t i = 0; i < side->nmetrics; i++)
		if (strcmp(side->metrics[i].key, key) == 0)
			return &side->metrics[i];
	return NULL;
}

static struct ms_metric *add_metric(struct ms_side *side, const struct store_metric *m,
				    const char *key)
{
	struct ms_metric *nm;

	if (side->nmetrics == side->cap) {
		size_t cap = side->cap ? 2 * side->cap : 64;
		struct ms_metric *g = realloc(side->metrics, cap * sizeof(*g));

		if (!g)
			return NULL;
		side->metrics = g;
		side->cap = cap;
	}
	nm = &side->metrics[side->nmetrics];
	memset(nm, 0, sizeof(*nm));
	nm->key = strdup(key);
	nm->workload = strdup(m->workload);
	nm->name = strdup(m->name);
	nm->labels = strdup(m->labels);
	nm->labels_text = strdup(m->labels_text);
	nm->unit = strdup(m->unit);
	nm->better = strdup(m->better);
	if (!nm->key || !nm->workload || !nm->name || !nm->labels || !nm->labels_text || !nm->unit ||
	    !nm->better)
		return NULL;
	side->nmetrics++;
	return nm;
}

static int on_metric(void *vctx, const struct store_metric *m)
{
	struct load_ctx *ctx = vctx;
	struct ms_side *side = ctx->side;
	struct ms_metric *mm;
	struct ms_obs *o;
	char *key;

	if (ctx->sel && !selection_match_metric(ctx->sel, m->workload, m->name))
		return 0;
	if (!ctx->include_failed && strcmp(m->result_status, "passed") != 0) {
		side->excluded_failed++;
		return 0;
	}
	if (asprintf(&key, "%s\t%s\t%s", m->workload, m->name, m->labels) < 0)
		return tl_err(ctx->e, "out of memory");
	mm = ms_find(side, key);
	if (!mm)
		mm = add_metric(side, m, key);
	free(key);
	if (!mm)
		return tl_err(ctx->e, "out of memory");
	if (strcmp(mm->unit, m->unit) != 0 || strcmp(mm->better, m->better) != 0) {
		bool unit = strcmp(mm->unit, m->unit) != 0;

		return tl_err(ctx->e,
			      "%s: metric %s/%s {%s}: mixed %s: '%s' in run %s, '%s' in run %s; "
			      "one metric's results must agree",
			      side->role, mm->workload, mm->name, mm->labels_text,
			      unit ? "units" : "directions (better)", unit ? mm->unit : mm->better,
			      side->runs[mm->obs[0].run]->run_id, unit ? m->unit : m->better,
			      side->runs[m->run]->run_id);
	}
	if (mm->nobs == mm->cap) {
		size_t cap = mm->cap ? 2 * mm->cap : 8;
		struct ms_obs *g = realloc(mm->obs, cap * sizeof(*g));

		if (!g)
			return tl_err(ctx->e, "out of memory");
		mm->obs = g;
		mm->cap = cap;
	}
	o = &mm->obs[mm->nobs++];
	*o = (struct ms_obs){ .run = m->run, .n = m->n, .min = m->min, .median = m->median,
			      .mean = m->mean, .stddev = m->stddev, .p99 = m->p99, .p999 = m->p999,
			      .max = m->max };
	if (m->samples) {
		o->samples = malloc((m->nsamples ? m->nsamples : 1) * sizeof(double));
		if (!o->samples)
			return tl_err(ctx->e, "out of memory");
		memcpy(o->samples, m->samples, m->nsamples * sizeof(double));
		o->nsamples = m->nsamples;
	}
	return 0;
}

int ms_side_load_runs(struct store *st, const struct store_run *all, const size_t *picked,
		      size_t npicked, const struct selection *sel, const char *role,
		      bool include_failed, struct ms_side *side, struct tl_error *e)
{
	struct store_run *runs;
	struct load_ctx ctx = { side, sel, include_failed, e };
	const char *only = NULL;

	memset(side, 0, sizeof(*side));
	side->role = role;
	side->selection = strdup(sel && sel->text ? sel->text : "");
	side->runs = calloc(npicked ? npicked : 1, sizeof(*side->runs));
	runs = calloc(npicked ? npicked : 1, sizeof(*runs));
	if (!side->selection || !side->runs || !runs) {
		free(runs);
		return tl_err(e, "out of memory");
	}
	for (size_t i = 0; i < npicked; i++) {
		side->runs[i] = &all[picked[i]];
		runs[i] = all[picked[i]]; /* shallow: store_each_metric reads rowid only */
	}
	side->nruns = npicked;
	/* One metric name asked for: let SQLite filter. */
	if (sel && sel->metrics && sel->metrics[0] && !sel->metrics[1] &&
	    !strpbrk(sel->metrics[0], "*?["))
		only = sel->metrics[0];
	if (store_each_metric(st, runs, npicked, only, on_metric, &ctx, e)) {
		free(runs);
		return -1;
	}
	free(runs);
	return 0;
}

int ms_side_load(struct store *st, const struct store_run *all, size_t nall, const char *seltext,
		 const char *role, bool include_failed, struct ms_side *side, struct tl_error *e)
{
	struct selection sel;
	size_t *picked, npicked;
	int ret;

	memset(side, 0, sizeof(*side));
	if (selection_parse(seltext, &sel, e))
		return tl_err_wrap(e, "%s", role);
	if (selection_apply(&sel, all, nall, &picked, &npicked, e)) {
		selection_free(&sel);
		free(picked);
		return tl_err_wrap(e, "%s", role);
	}
	ret = ms_side_load_runs(st, all, picked, npicked, &sel, role, include_failed, side, e);
	free(picked);
	selection_free(&sel);
	return ret;
}

void ms_side_free(struct ms_side *side)
{
	for (size_t i = 0; i < side->nmetrics; i++) {
		struct ms_metric *m = &side->metrics[i];

		for (size_t o = 0; o < m->nobs; o++)
			free(m->obs[o].samples);
		free(m->obs);
		free(m->key);
		free(m->workload);
		free(m->name);
		free(m->labels);
		free(m->labels_text);
		free(m->unit);
		free(m->better);
	}
	free(side->metrics);
	free(side->runs);
	free(side->selection);
	memset(side, 0, sizeof(*side));
}

int ms_values(const struct ms_metric *m, bool per_run, double **out, size_t *n,
	      bool *used_per_run)
{
	size_t total = 0, k = 0;
	double *v;

	for (size_t i = 0; i < m->nobs; i++) {
		const struct ms_obs *o = &m->obs[i];

		if (!o->samples && o->n > 1)
			per_run = true;
		total += o->samples ? o->nsamples : 1;
	}
	*used_per_run = per_run;
	if (per_run)
		total = m->nobs;
	v = malloc((total ? total : 1) * sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < m->nobs; i++) {
		const struct ms_obs *o = &m->obs[i];

		if (per_run || !o->samples) {
			if (isfinite(o->median))
				v[k++] = o->median;
		} else {
			memcpy(v + k, o->samples, o->nsamples * sizeof(*v));
			k += o->nsamples;
		}
	}
	tl_sort_doubles(v, k);
	*out = v;
	*n = k;
	return 0;
}
