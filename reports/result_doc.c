// SPDX-License-Identifier: GPL-2.0-only
#include "result_doc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_emit.h"
#include "sha256.h"
#include "tcelab/error.h"
#include "tcelab/json_writer.h"
#include "tcelab/size.h"

/* Files bigger than this are not results (the largest real ones are ~200 kB). */
#define DOC_MAX_BYTES (256u << 20)

static int read_all(const char *path, char **buf, size_t *len, struct tl_error *e)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b;

	*buf = NULL;
	if (!f)
		return tl_err_errno(e, "%s", path);
	b = malloc(cap);
	while (b) {
		size_t got = fread(b + n, 1, cap - n, f);

		n += got;
		if (n < cap)
			break;
		if (cap >= DOC_MAX_BYTES) {
			free(b);
			fclose(f);
			return tl_err(e, "%s: larger than %u MiB: not a result file", path,
				      DOC_MAX_BYTES >> 20);
		}
		cap *= 2;
		{
			char *g = realloc(b, cap);

			if (!g)
				free(b);
			b = g;
		}
	}
	if (!b) {
		fclose(f);
		return tl_err(e, "%s: out of memory", path);
	}
	if (ferror(f)) {
		free(b);
		fclose(f);
		return tl_err_errno(e, "%s: read", path);
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* ---- JSON to text ---- */

static char *json_compact(const struct json_value *v, struct tl_error *e)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct json_writer w;
	int bad;

	if (!f) {
		tl_err(e, "out of memory");
		return NULL;
	}
	jw_init(&w, f, false);
	json_emit(&w, NULL, v);
	bad = jw_finish(&w, e);
	fclose(f);
	if (bad) {
		free(out);
		return NULL;
	}
	return out;
}

static void put_label_value(struct json_writer *w, const char *key, const struct json_value *v)
{
	if (v->type == JSON_STRING)
		jw_string(w, key, v->u.string.s);
	else if (v->type == JSON_NUMBER && v->u.number == trunc(v->u.number) &&
		 fabs(v->u.number) < 9007199254740992.0)
		jw_int(w, key, (int64_t)v->u.number);
	else if (v->type == JSON_NUMBER)
		jw_double(w, key, v->u.number);
	else if (v->type == JSON_BOOL)
		jw_bool(w, key, v->u.boolean);
	else
		jw_null(w, key);
}

char *doc_labels_canonical(const struct json_value *labels)
{
	char *out = NULL;
	size_t len = 0, n = labels && labels->type == JSON_OBJECT ? labels->u.object.n : 0;
	FILE *f;
	struct json_writer w;
	struct tl_error e;
	size_t *order;

	if (n == 0)
		return strdup("{}");
	order = malloc(n * sizeof(*order));
	f = open_memstream(&out, &len);
	if (!order || !f) {
		free(order);
		if (f)
			fclose(f);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) { /* insertion sort by key: a handful of labels */
		size_t j = i;

		while (j > 0 && strcmp(labels->u.object.keys[order[j - 1]], labels->u.object.keys[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	jw_init(&w, f, false);
	jw_object_begin(&w, NULL);
	for (size_t i = 0; i < n; i++)
		put_label_value(&w, labels->u.object.keys[order[i]], labels->u.object.values[order[i]]);
	jw_object_end(&w);
	jw_finish(&w, &e);
	fclose(f);
	free(order);
	return out;
}

/* "size=4K page_size=4K": sizes short, in recorded order (as tcelab-table shows them). */
static char *labels_for_people(const struct json_value *labels)
{
	char *out = NULL;
	size_t len = 0, n = labels && labels->type == JSON_OBJECT ? labels->u.object.n : 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *key = labels->u.object.keys[i];
		const struct json_value *v = labels->u.object.values[i];
		char value[64];

		if (v->type == JSON_STRING)
			snprintf(value, sizeof(value), "%s", v->u.string.s);
		else if (v->type == JSON_NUMBER && strstr(key, "size") && v->u.number >= 1 &&
			 v->u.number < 1.8e19 && v->u.number == floor(v->u.number))
			size_format((uint64_t)v->u.number, value, sizeof(value));
		else if (v->type == JSON_NUMBER)
			snprintf(value, sizeof(value), "%g", v->u.number);
		else
			snprintf(value, sizeof(value), "%s", v->u.boolean ? "true" : "false");
		fprintf(f, "%s%s=%s", i ? " " : "", key, value);
	}
	fclose(f);
	return out;
}

/* ---- checks ---- */

static const char *get_string(const struct json_value *o, const char *key)
{
	const struct json_value *v = json_get(o, key);

	return v && v->type == JSON_STRING ? v->u.string.s : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int want_string(const struct json_value *o, const char *key, char **out, const char *where,
		       struct tl_error *e)
{
	const char *s = get_string(o, key);

	if (!s)
		return tl_err(e, "%s: '%s' is missing or not a string", where, key);
	*out = strdup(s);
	return *out ? 0 : tl_err(e, "out of memory");
}

static int fill_where(struct result_where *w, const struct json_value *v, const char *origin,
		      struct tl_error *e)
{
	if (!v || v->type != JSON_OBJECT)
		return tl_err(e, "%s: 'where' is missing or not an object", origin);
#define WHERE(field)                                                                               \
	do {                                                                                       \
		const struct json_value *m = json_get(v, #field);                                  \
		if (m && m->type != JSON_STRING)                                                   \
			return tl_err(e, "%s: where.%s is not a string", origin, #field);          \
		snprintf(w->field, sizeof(w->field), "%s", m ? m->u.string.s : "unknown");         \
	} while (0)
	WHERE(environment);
	WHERE(host_kind);
	WHERE(machine);
	WHERE(cpu);
	WHERE(kernel);
	WHERE(tce_mode);
#undef WHERE
	return 0;
}

static int summary_number(const struct json_value *summary, const char *key, double *out,
			  const char *where, struct tl_error *e)
{
	const struct json_value *v = json_get(summary, key);

	if (!v || v->type == JSON_NULL) {
		*out = NAN;
		return 0;
	}
	if (v->type != JSON_NUMBER)
		return tl_err(e, "%s: summary.%s is not a number", where, key);
	*out = v->u.number;
	return 0;
}

static int parse_metric(const struct json_value *m, struct doc_metric *dm, const char *where,
			struct tl_error *e)
{
	const struct json_value *labels = json_get(m, "labels"), *summary = json_get(m, "summary");
	const struct json_value *samples = json_get(m, "samples");

	if (m->type != JSON_OBJECT)
		return tl_err(e, "%s: not an object", where);
	if (want_string(m, "name", &dm->name, where, e) || want_string(m, "unit", &dm->unit, where, e) ||
	    want_string(m, "better", &dm->better, where, e))
		return -1;
	if (!dm->name[0])
		return tl_err(e, "%s: 'name' is empty", where);
	if (strcmp(dm->better, "lower") != 0 && strcmp(dm->better, "higher") != 0)
		return tl_err(e, "%s: 'better' is '%s', not 'lower' or 'higher'", where, dm->better);
	if (labels && labels->type != JSON_OBJECT)
		return tl_err(e, "%s: 'labels' is not an object", where);
	for (size_t i = 0; labels && i < labels->u.object.n; i++) {
		enum json_type t = labels->u.object.values[i]->type;

		if (t != JSON_STRING && t != JSON_NUMBER && t != JSON_BOOL)
			return tl_err(e, "%s: label '%s' is not a string, number or boolean", where,
				      labels->u.object.keys[i]);
	}
	dm->labels = doc_labels_canonical(labels);
	dm->labels_text = labels_for_people(labels);
	if (!dm->labels || !dm->labels_text)
		return tl_err(e, "out of memory");
	if (!summary || summary->type != JSON_OBJECT)
		return tl_err(e, "%s (%s): 'summary' is missing or not an object", where, dm->name);
	if (summary_number(summary, "n", &dm->n, where, e) || summary_number(summary, "min", &dm->min, where, e) ||
	    summary_number(summary, "median", &dm->median, where, e) ||
	    summary_number(summary, "mean", &dm->mean, where, e) ||
	    summary_number(summary, "stddev", &dm->stddev, where, e) ||
	    summary_number(summary, "p99", &dm->p99, where, e) ||
	    summary_number(summary, "p999", &dm->p999, where, e) ||
	    summary_number(summary, "max", &dm->max, where, e))
		return -1;
	if (!(dm->n >= 0) || dm->n != floor(dm->n) || dm->n > 1e12)
		return tl_err(e, "%s (%s): summary.n is not a count", where, dm->name);
	if (!samples)
		return 0;
	if (samples->type != JSON_ARRAY)
		return tl_err(e, "%s (%s): 'samples' is not an array", where, dm->name);
	if ((double)samples->u.array.n != dm->n)
		return tl_err(e, "%s (%s): %zu samples but summary.n is %.0f", where, dm->name,
			      samples->u.array.n, dm->n);
	dm->nsamples = samples->u.array.n;
	dm->samples = malloc((dm->nsamples ? dm->nsamples : 1) * sizeof(*dm->samples));
	if (!dm->samples)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < dm->nsamples; i++) {
		const struct json_value *s = samples->u.array.items[i];

		if (s->type != JSON_NUMBER || !isfinite(s->u.number))
			return tl_err(e, "%s (%s): samples[%zu] is not a number", where, dm->name, i);
		dm->samples[i] = s->u.number;
	}
	return 0;
}

static int parse_result_tree(const struct json_value *root, const char *origin,
			     struct doc_result *out, struct tl_error *e)
{
	const char *schema;
	const struct json_value *params, *metrics, *errors;

	if (root->type != JSON_OBJECT)
		return tl_err(e, "%s: not a JSON object", origin);
	schema = get_string(root, "schema");
	if (!schema || strcmp(schema, RESULT_SCHEMA) != 0)
		return tl_err(e, "%s: not a %s document (schema %s%s%s)", origin, RESULT_SCHEMA,
			      schema ? "'" : "", schema ? schema : "missing", schema ? "'" : "");
	if (want_string(root, "name", &out->workload, origin, e) ||
	    want_string(root, "tool", &out->tool, origin, e) ||
	    want_string(root, "status", &out->status, origin, e))
		return -1;
	out->started = dup_or_null(get_string(root, "started"));
	if (strcmp(out->status, "passed") != 0 && strcmp(out->status, "failed") != 0 &&
	    strcmp(out->status, "skipped") != 0)
		return tl_err(e, "%s: status '%s' is not passed, failed or skipped", origin, out->status);
	if (fill_where(&out->where, json_get(root, "where"), origin, e))
		return -1;
	params = json_get(root, "parameters");
	if (params && params->type != JSON_OBJECT)
		return tl_err(e, "%s: 'parameters' is not an object", origin);
	if (params) {
		const char *dev = get_string(params, "device");

		if (!dev)
			dev = json_path_string(params, "global_options.filename");
		out->device = dup_or_null(dev);
	}
	out->parameters = params ? json_compact(params, e) : strdup("{}");
	if (!out->parameters)
		return tl_err_wrap(e, "%s: parameters", origin);
	errors = json_get(root, "errors");
	if (!errors || errors->type != JSON_ARRAY)
		return tl_err(e, "%s: 'errors' is missing or not an array", origin);
	for (size_t i = 0; i < errors->u.array.n; i++)
		if (errors->u.array.items[i]->type != JSON_STRING)
			return tl_err(e, "%s: errors[%zu] is not a string", origin, i);
	out->errors = json_compact(errors, e);
	if (!out->errors)
		return -1;
	metrics = json_get(root, "metrics");
	if (!metrics || metrics->type != JSON_ARRAY)
		return tl_err(e, "%s: 'metrics' is missing or not an array", origin);
	out->metrics = calloc(metrics->u.array.n ? metrics->u.array.n : 1, sizeof(*out->metrics));
	if (!out->metrics)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < metrics->u.array.n; i++) {
		char where[256];

		snprintf(where, sizeof(where), "%s: metrics[%zu]", origin, i);
		out->nmetrics++;
		if (parse_metric(metrics->u.array.items[i], &out->metrics[i], where, e))
			return -1;
	}
	/* One metric per name and labels in a result: the store keys on them. */
	for (size_t i = 0; i < out->nmetrics; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(out->metrics[i].name, out->metrics[j].name) == 0 &&
			    strcmp(out->metrics[i].labels, out->metrics[j].labels) == 0)
				return tl_err(e, "%s: metrics[%zu] repeats metrics[%zu] (%s %s)", origin, i,
					      j, out->metrics[i].name, out->metrics[i].labels);
	return 0;
}

int doc_parse_result(const char *text, size_t len, const char *origin, struct doc_result *out,
		     struct tl_error *e)
{
	struct json_value *root;
	int ret;

	memset(out, 0, sizeof(*out));
	root = json_parse(text, len, e);
	if (!root)
		return tl_err_wrap(e, "%s", origin);
	ret = parse_result_tree(root, origin, out, e);
	json_free(root);
	if (ret)
		doc_result_free(out);
	return ret;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 80)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.' || *s == ':'))
			return false;
	return true;
}

/* The device under test as "DEVICE @ GUEST_ADDRESS". */
static char *dut_device(const struct json_value *run)
{
	const struct json_value *devs = json_path(run, "machine.devices");

	for (size_t i = 0; devs && devs->type == JSON_ARRAY && i < devs->u.array.n; i++) {
		const struct json_value *d = devs->u.array.items[i];
		const char *role = get_string(d, "role"), *dev = get_string(d, "device");
		const char *addr = get_string(d, "guest_address");
		char *out;

		if (role && dev && strcmp(role, "dut") == 0) {
			if (asprintf(&out, "%s%s%s", dev, addr ? " @ " : "", addr ? addr : "") < 0)
				return NULL;
			return out;
		}
	}
	return NULL;
}

static bool starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int parse_run_tree(const struct json_value *root, const char *origin, struct doc_run *out,
			  struct tl_error *e)
{
	const char *schema, *status, *failure;
	const struct json_value *steps, *v;
	bool unfinished = false;

	if (root->type != JSON_OBJECT)
		return tl_err(e, "%s: not a JSON object", origin);
	schema = get_string(root, "schema");
	if (!schema || strcmp(schema, "tcelab-run/1") != 0)
		return tl_err(e, "%s: not a tcelab-run/1 document (schema %s%s%s)", origin,
			      schema ? "'" : "", schema ? schema : "missing", schema ? "'" : "");
	if (want_string(root, "id", &out->run_id, origin, e))
		return -1;
	if (!valid_id(out->run_id))
		return tl_err(e, "%s: id '%.80s' is not a run id", origin, out->run_id);
	if (want_string(root, "started", &out->started, origin, e) ||
	    want_string(root, "status", &out->status, origin, e))
		return -1;
	out->name = strdup(get_string(root, "name") ? get_string(root, "name") : "");
	out->finished = dup_or_null(get_string(root, "finished"));
	failure = get_string(root, "failure");
	out->failure = dup_or_null(failure);
	v = json_get(root, "wall_seconds");
	out->wall_seconds = v && v->type == JSON_NUMBER ? v->u.number : NAN;
	if (fill_where(&out->where, json_get(root, "where"), origin, e))
		return -1;
	out->lab_machine = dup_or_null(json_path_string(root, "machine.name"));
	out->device = dut_device(root);
	out->kernel_commit = dup_or_null(get_string(root, "kernel_commit"));
	out->patch = dup_or_null(get_string(root, "patch"));
	out->lava_job = dup_or_null(get_string(root, "lava_job"));
	steps = json_get(root, "steps");
	if (!steps || steps->type != JSON_ARRAY)
		return tl_err(e, "%s: 'steps' is missing or not an array", origin);
	out->results = calloc(steps->u.array.n ? steps->u.array.n : 1, sizeof(*out->results));
	if (!out->results)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < steps->u.array.n; i++) {
		const struct json_value *s = steps->u.array.items[i], *rc = json_get(s, "rc");
		const char *name = get_string(s, "name"), *file = get_string(s, "result");

		if (s->type != JSON_OBJECT || !name)
			return tl_err(e, "%s: steps[%zu] has no name", origin, i);
		if (rc && rc->type != JSON_NUMBER && rc->type != JSON_NULL)
			return tl_err(e, "%s: steps[%zu].rc is neither a number nor null", origin, i);
		if (!rc || rc->type == JSON_NULL)
			unfinished = true;
		/* The runner names each result NAME.result.json beside run.json:
		 * nothing else is read, however run.json names it. */
		if (file && (strchr(file, '/') || strcmp(file, "..") == 0 || file[0] == '.'))
			return tl_err(e, "%s: steps[%zu].result '%s' is not a file in the run folder",
				      origin, i, file);
		out->results[i].workload = strdup(name);
		out->results[i].file = dup_or_null(file);
		out->nresults++;
	}
	status = out->status;
	if (strcmp(status, "passed") != 0 && strcmp(status, "failed") != 0)
		return tl_err(e, "%s: status '%s' is neither passed nor failed", origin, status);
	if (strcmp(status, "failed") == 0 &&
	    (unfinished || starts(failure, "timed out") || starts(failure, "interrupted") ||
	     starts(failure, "QEMU ") || starts(failure, "guest: "))) {
		free(out->status);
		out->status = strdup("incomplete");
	}
	return 0;
}

int doc_parse_run(const char *text, size_t len, const char *origin, struct doc_run *out,
		  struct tl_error *e)
{
	struct json_value *root;
	int ret;

	memset(out, 0, sizeof(*out));
	out->wall_seconds = NAN;
	root = json_parse(text, len, e);
	if (!root)
		return tl_err_wrap(e, "%s", origin);
	ret = parse_run_tree(root, origin, out, e);
	json_free(root);
	if (ret)
		doc_run_free(out);
	return ret;
}

int doc_load_run_dir(const char *dir, struct doc_run *out, struct tl_error *e)
{
	char *path = NULL, *text = NULL, real[PATH_MAX];
	size_t len;
	struct sha256 h;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (asprintf(&path, "%s/run.json", dir) < 0)
		return tl_err(e, "out of memory");
	if (read_all(path, &text, &len, e))
		goto out;
	if (doc_parse_run(text, len, path, out, e))
		goto out;
	sha256_init(&h);
	sha256_update(&h, "run.json", 9);
	sha256_update(&h, text, len);
	out->source = strdup("run-dir");
	out->logs = strdup(realpath(dir, real) ? real : dir);
	for (size_t i = 0; i < out->nresults; i++) {
		struct doc_result *r = &out->results[i];
		char *workload = r->workload, *file = r->file, *rpath;

		if (!file) /* the runner always writes one; a run.json without is not its */
			{
				tl_err(e, "%s: step '%s' names no result file", path, workload);
				goto out;
			}
		free(text);
		text = NULL;
		if (asprintf(&rpath, "%s/%s", dir, file) < 0) {
			tl_err(e, "out of memory");
			goto out;
		}
		if (read_all(rpath, &text, &len, e)) {
			free(rpath);
			goto out;
		}
		r->workload = NULL;
		r->file = NULL;
		if (doc_parse_result(text, len, rpath, r, e)) {
			r->workload = workload;
			r->file = file;
			free(rpath);
			goto out;
		}
		if (strcmp(r->workload, workload) != 0) {
			tl_err(e, "%s: its name '%s' is not its step's, '%s'", rpath, r->workload, workload);
			free(workload);
			free(file);
			free(rpath);
			goto out;
		}
		free(workload);
		r->file = file;
		free(rpath);
		sha256_update(&h, file, strlen(file) + 1);
		sha256_update(&h, text, len);
	}
	sha256_hex(&h, out->hash);
	ret = 0;
out:
	free(path);
	free(text);
	if (ret)
		doc_run_free(out);
	return ret;
}

/* A LAVA key as a run id: the collector's safe_key(), "lava-" before it. */
static char *lava_run_id(const char *key)
{
	char *id = malloc(strlen(key) + 6), *p;

	if (!id)
		return NULL;
	p = id + sprintf(id, "lava-");
	for (; *key && p - id < 80; key++)
		*p++ = (*key >= 'a' && *key <= 'z') || (*key >= 'A' && *key <= 'Z') ||
				       (*key >= '0' && *key <= '9') || *key == '.' || *key == '-'
			       ? *key
			       : '_';
	*p = '\0';
	return id;
}

static const char *meta(const struct json_value *root, const char *key)
{
	return get_string(json_get(root, "metadata"), key);
}

int doc_load_lava_dir(const char *dir, struct doc_run *out, struct tl_error *e)
{
	char *path = NULL, *text = NULL, real[PATH_MAX], num[32];
	const struct json_value *workloads, *failure, *v;
	const char *schema, *key, *state, *health, *started;
	struct json_value *root = NULL;
	bool all_passed = true;
	struct sha256 h;
	size_t len;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->wall_seconds = NAN;
	if (asprintf(&path, "%s/job.json", dir) < 0)
		return tl_err(e, "out of memory");
	if (read_all(path, &text, &len, e))
		goto out;
	if (!(root = json_parse(text, len, e))) {
		tl_err_wrap(e, "%s", path);
		goto out;
	}
	schema = get_string(root, "schema");
	if (root->type != JSON_OBJECT || !schema || strcmp(schema, "tcelab-lava-job/1") != 0) {
		tl_err(e, "%s: not a tcelab-lava-job/1 document", path);
		goto out;
	}
	key = get_string(root, "key");
	workloads = json_get(root, "workloads");
	if (!key || !key[0] || !workloads || workloads->type != JSON_ARRAY) {
		tl_err(e, "%s: 'key' or 'workloads' is missing", path);
		goto out;
	}
	v = json_get(root, "job_id");
	if (v && v->type == JSON_NUMBER)
		snprintf(num, sizeof(num), "%.0f", v->u.number);
	else
		snprintf(num, sizeof(num), "%.31s", v && v->type == JSON_STRING ? v->u.string.s : "");
	state = get_string(root, "state");
	health = get_string(root, "health");
	started = get_string(root, "started");
	if (!started)
		started = get_string(root, "collected");
	failure = json_get(root, "failure");
	out->run_id = lava_run_id(key);
	out->lava_job = strdup(num);
	out->name = strdup(get_string(root, "job_name") ? get_string(root, "job_name") : "lava");
	out->started = strdup(started ? started : "");
	out->source = strdup("lava");
	out->logs = strdup(realpath(dir, real) ? real : dir);
	out->device = dup_or_null(meta(root, "tcelab.device"));
	if (failure && failure->type == JSON_OBJECT) {
		const char *type = get_string(failure, "error_type"), *msg = get_string(failure, "error_msg");

		if (asprintf(&out->failure, "%s%s%s", type ? type : "", type ? ": " : "", msg ? msg : "") < 0)
			out->failure = NULL;
	}
	out->results = calloc(workloads->u.array.n ? workloads->u.array.n : 1, sizeof(*out->results));
	if (!out->run_id || !out->lava_job || !out->name || !out->started || !out->source ||
	    !out->logs || !out->results) {
		tl_err(e, "out of memory");
		goto out;
	}
	/* what identifies the content: the job's outcome and its results, not
	 * when it was collected */
	sha256_init(&h);
	sha256_update(&h, "lava", 5);
	sha256_update(&h, key, strlen(key) + 1);
	sha256_update(&h, state ? state : "", strlen(state ? state : "") + 1);
	sha256_update(&h, health ? health : "", strlen(health ? health : "") + 1);
	sha256_update(&h, out->failure ? out->failure : "", strlen(out->failure ? out->failure : "") + 1);
	for (size_t i = 0; i < workloads->u.array.n; i++) {
		const struct json_value *w = workloads->u.array.items[i];
		const char *name = get_string(w, "name"), *file = get_string(w, "result");
		struct doc_result *r = &out->results[out->nresults];
		char *rpath, *rtext;
		size_t rlen;

		if (!name || !file || strchr(file, '/') || file[0] == '.') {
			tl_err(e, "%s: workloads[%zu] has no name or no result file in the folder", path, i);
			goto out;
		}
		if (asprintf(&rpath, "%s/%s", dir, file) < 0) {
			tl_err(e, "out of memory");
			goto out;
		}
		if (read_all(rpath, &rtext, &rlen, e)) {
			free(rpath);
			goto out;
		}
		if (doc_parse_result(rtext, rlen, rpath, r, e)) {
			free(rtext);
			free(rpath);
			goto out;
		}
		out->nresults++;
		if (strcmp(r->workload, name) != 0) {
			tl_err(e, "%s: its name '%s' is not its workload's, '%s'", rpath, r->workload, name);
			free(rtext);
			free(rpath);
			goto out;
		}
		r->file = strdup(file);
		sha256_update(&h, file, strlen(file) + 1);
		sha256_update(&h, rtext, rlen);
		all_passed = all_passed && strcmp(r->status, "passed") == 0;
		if (out->nresults == 1)
			out->where = r->where;
		free(rtext);
		free(rpath);
	}
	sha256_hex(&h, out->hash);
	if (out->nresults == 0)
		memset(&out->where, 0, sizeof(out->where));
	if (!out->where.environment[0]) /* no result: the job's metadata says where */
		snprintf(out->where.environment, sizeof(out->where.environment), "%s",
			 meta(root, "tcelab.environment") ? meta(root, "tcelab.environment") : "unknown");
#define FROM_META(field, key)                                                                      \
	if (!out->where.field[0] || strcmp(out->where.field, "unknown") == 0)                      \
		snprintf(out->where.field, sizeof(out->where.field), "%s",                         \
			 meta(root, key) ? meta(root, key) : "unknown")
	FROM_META(host_kind, "tcelab.host_kind");
	FROM_META(kernel, "tcelab.kernel");
	FROM_META(tce_mode, "tcelab.tce_mode");
	FROM_META(machine, "tcelab.machine");
	FROM_META(cpu, "tcelab.cpu");
#undef FROM_META
	/* LAVA's health: Complete, or the job did not get through (incomplete),
	 * or it did and a workload failed */
	if (state && strcmp(state, "Finished") != 0)
		out->status = strdup("incomplete");
	else if (health && strcmp(health, "Complete") != 0)
		out->status = strdup("incomplete");
	else
		out->status = strdup(all_passed ? "passed" : "failed");
	ret = out->status ? 0 : tl_err(e, "out of memory");
out:
	json_free(root);
	free(path);
	free(text);
	if (ret)
		doc_run_free(out);
	return ret;
}

int doc_load_result_file(const char *path, struct doc_run *out, struct tl_error *e)
{
	char *text = NULL, real[PATH_MAX], *slash;
	size_t len;
	struct sha256 h;
	struct doc_result *r;

	memset(out, 0, sizeof(*out));
	out->wall_seconds = NAN;
	if (read_all(path, &text, &len, e))
		return -1;
	r = calloc(1, sizeof(*r));
	if (!r) {
		free(text);
		return tl_err(e, "out of memory");
	}
	out->results = r;
	if (doc_parse_result(text, len, path, r, e)) {
		free(text);
		doc_run_free(out);
		return -1;
	}
	out->nresults = 1;
	sha256_init(&h);
	sha256_update(&h, "result", 7);
	sha256_update(&h, text, len);
	sha256_hex(&h, out->hash);
	free(text);
	if (asprintf(&out->run_id, "result-%.16s", out->hash) < 0)
		out->run_id = NULL;
	out->name = strdup(r->workload);
	out->started = strdup(r->started ? r->started : "");
	out->status = strdup(r->status);
	out->source = strdup("result");
	out->where = r->where;
	out->device = dup_or_null(r->device);
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	slash = strrchr(real, '/');
	if (slash && slash != real)
		*slash = '\0';
	out->logs = strdup(real);
	r->file = strdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	if (!out->run_id || !out->name || !out->started || !out->status || !out->logs || !r->file) {
		doc_run_free(out);
		return tl_err(e, "out of memory");
	}
	return 0;
}

void doc_result_free(struct doc_result *r)
{
	for (size_t i = 0; i < r->nmetrics; i++) {
		struct doc_metric *m = &r->metrics[i];

		free(m->name);
		free(m->unit);
		free(m->better);
		free(m->labels);
		free(m->labels_text);
		free(m->samples);
	}
	free(r->metrics);
	free(r->workload);
	free(r->tool);
	free(r->status);
	free(r->started);
	free(r->file);
	free(r->parameters);
	free(r->errors);
	free(r->device);
	memset(r, 0, sizeof(*r));
}

void doc_run_free(struct doc_run *r)
{
	for (size_t i = 0; i < r->nresults; i++)
		doc_result_free(&r->results[i]);
	free(r->results);
	free(r->run_id);
	free(r->name);
	free(r->started);
	free(r->finished);
	free(r->status);
	free(r->failure);
	free(r->source);
	free(r->logs);
	free(r->lab_machine);
	free(r->device);
	free(r->kernel_commit);
	free(r->patch);
	free(r->lava_job);
	memset(r, 0, sizeof(*r));
}
