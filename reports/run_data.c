// SPDX-License-Identifier: GPL-2.0-only
#include "run_data.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/size.h"

static const char *string_or(const struct json_value *v, const char *path, const char *fallback)
{
	const char *s = json_path_string(v, path);

	return s ? s : fallback;
}

static double number_or_nan(const struct json_value *v, const char *path)
{
	double x;

	return json_path_number(v, path, &x) ? x : NAN;
}

/* A label value as the table shows it: sizes in their short form (4K). */
static void label_value(const char *key, const struct json_value *v, char *buf, size_t len)
{
	if (v->type == JSON_STRING) {
		snprintf(buf, len, "%s", v->u.string.s);
	} else if (v->type == JSON_NUMBER && strstr(key, "size") && v->u.number >= 1 &&
		   v->u.number == floor(v->u.number)) {
		size_format((uint64_t)v->u.number, buf, len);
	} else if (v->type == JSON_NUMBER) {
		snprintf(buf, len, "%g", v->u.number);
	} else if (v->type == JSON_BOOL) {
		snprintf(buf, len, "%s", v->u.boolean ? "true" : "false");
	} else {
		snprintf(buf, len, "?");
	}
}

static char *compact_labels(const struct json_value *labels)
{
	size_t cap = 1, n;
	char *out;

	if (!labels || labels->type != JSON_OBJECT)
		return strdup("");
	n = labels->u.object.n;
	for (size_t i = 0; i < n; i++)
		cap += strlen(labels->u.object.keys[i]) + 64 + 2;
	out = calloc(cap, 1);
	for (size_t i = 0; out && i < n; i++) {
		char value[64];

		label_value(labels->u.object.keys[i], labels->u.object.values[i], value, sizeof(value));
		sprintf(out + strlen(out), "%s%s=%s", i ? " " : "", labels->u.object.keys[i], value);
	}
	return out;
}

static int load_metrics(struct run_step *s, const struct json_value *metrics, struct tl_error *e)
{
	if (!metrics || metrics->type != JSON_ARRAY)
		return 0;
	s->metrics = calloc(metrics->u.array.n ? metrics->u.array.n : 1, sizeof(*s->metrics));
	if (!s->metrics)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		struct run_metric *rm = &s->metrics[s->nmetrics];

		rm->name = string_or(m, "name", "?");
		rm->unit = string_or(m, "unit", "");
		rm->labels = compact_labels(json_get(m, "labels"));
		if (!rm->labels)
			return tl_err(e, "out of memory");
		rm->n = number_or_nan(m, "summary.n");
		rm->median = number_or_nan(m, "summary.median");
		rm->p99 = number_or_nan(m, "summary.p99");
		s->nmetrics++;
	}
	return 0;
}

static int load_errors(struct run_step *s, const struct json_value *errors, struct tl_error *e)
{
	size_t n = errors && errors->type == JSON_ARRAY ? errors->u.array.n : 0;

	s->errors = calloc(n ? n : 1, sizeof(*s->errors));
	if (!s->errors)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (errors->u.array.items[i]->type == JSON_STRING)
			s->errors[s->nerrors++] = errors->u.array.items[i]->u.string.s;
	return 0;
}

static int load_step(struct run_step *s, const char *dir, const struct json_value *rec,
		     struct tl_error *e)
{
	const char *file = json_path_string(rec, "result");
	char *path;

	s->name = string_or(rec, "name", "?");
	s->engine = string_or(rec, "engine", "?");
	s->status = string_or(rec, "status", "failed");
	if (!file) {
		snprintf(s->load_error, sizeof(s->load_error), "run.json names no result file");
		return 0;
	}
	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return tl_err(e, "out of memory");
	s->result = json_parse_file(path, e);
	free(path);
	if (!s->result) {
		snprintf(s->load_error, sizeof(s->load_error), "%.*s", (int)sizeof(s->load_error) - 1, e->msg);
		s->status = "failed";
		return 0;
	}
	s->status = string_or(s->result, "status", s->status);
	if (load_errors(s, json_get(s->result, "errors"), e))
		return -1;
	return load_metrics(s, json_get(s->result, "metrics"), e);
}

static void copy_where(struct result_where *where, const struct json_value *w)
{
	result_where_from(where, NULL, NULL, NULL, NULL, NULL); /* all "unknown" */
	result_where_read(w, where);
}

int run_data_load(struct run_data *rd, const char *dir, struct tl_error *e)
{
	const struct json_value *steps;
	char *path;

	*rd = (struct run_data){ 0 };
	rd->dir = strdup(dir);
	if (!rd->dir || asprintf(&path, "%s/run.json", dir) < 0)
		return tl_err(e, "out of memory");
	rd->run = json_parse_file(path, e);
	free(path);
	if (!rd->run)
		return tl_err_wrap(e, "run %s", dir);
	rd->id = string_or(rd->run, "id", "?");
	rd->name = string_or(rd->run, "name", "");
	rd->status = string_or(rd->run, "status", "failed");
	rd->failure = json_path_string(rd->run, "failure");
	rd->started = string_or(rd->run, "started", "?");
	rd->wall_seconds = number_or_nan(rd->run, "wall_seconds");
	copy_where(&rd->where, json_get(rd->run, "where"));
	steps = json_get(rd->run, "steps");
	if (!steps || steps->type != JSON_ARRAY)
		return tl_err(e, "run %s: run.json has no steps array", dir);
	rd->steps = calloc(steps->u.array.n ? steps->u.array.n : 1, sizeof(*rd->steps));
	if (!rd->steps)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < steps->u.array.n; i++) {
		struct tl_error step_e;

		if (load_step(&rd->steps[rd->nsteps++], dir, steps->u.array.items[i], &step_e))
			return tl_err(e, "run %s: %s", dir, step_e.msg);
	}
	return 0;
}

void run_data_free(struct run_data *rd)
{
	for (size_t i = 0; i < rd->nsteps; i++) {
		struct run_step *s = &rd->steps[i];

		for (size_t m = 0; m < s->nmetrics; m++)
			free(s->metrics[m].labels);
		free(s->metrics);
		free(s->errors);
		json_free(s->result);
	}
	free(rd->steps);
	json_free(rd->run);
	free(rd->dir);
	*rd = (struct run_data){ 0 };
}
