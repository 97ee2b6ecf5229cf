// SPDX-License-Identifier: GPL-2.0-only
/*
 * The suite's own tools (dma-map, nvme-perf) write the result schema
 * themselves: check that what they wrote is that (a result that does not parse as one must not pass for
 * one), then carry its parameters, metrics and errors over unchanged.
 */
#include <stdio.h>
#include <string.h>

#include "engines.h"
#include "json_emit.h"
#include "normalize.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

void suite_output_where(const struct json_value *doc, struct result_where *where)
{
	result_where_read(json_get(doc, "where"), where);
}

static bool has(const struct json_value *v, const char *key, enum json_type type)
{
	const struct json_value *m = json_get(v, key);

	return m && m->type == type;
}

static int check_metric(const struct json_value *m, size_t i, struct tl_error *e)
{
	if (!m || m->type != JSON_OBJECT || !has(m, "name", JSON_STRING) ||
	    !has(m, "unit", JSON_STRING) || !has(json_get(m, "summary"), "n", JSON_NUMBER))
		return tl_err(e, "metrics[%zu] lacks a name, unit or summary", i);
	return 0;
}

static int check_result(const struct json_value *doc, struct tl_error *e)
{
	const char *schema = json_path_string(doc, "schema");
	const char *status = json_path_string(doc, "status");
	const struct json_value *metrics = json_get(doc, "metrics");

	if (!schema || strcmp(schema, RESULT_SCHEMA) != 0)
		return tl_err(e, "schema is '%s', not '%s'", schema ? schema : "(none)", RESULT_SCHEMA);
	if (!has(doc, "where", JSON_OBJECT) || !metrics || metrics->type != JSON_ARRAY)
		return tl_err(e, "no \"where\" object or \"metrics\" array");
	if (!status || (strcmp(status, "passed") != 0 && strcmp(status, "failed") != 0))
		return tl_err(e, "status is '%s', not passed or failed", status ? status : "(none)");
	if (json_get(doc, "errors") && !has(doc, "errors", JSON_ARRAY))
		return tl_err(e, "\"errors\" is not an array");
	for (size_t i = 0; i < metrics->u.array.n; i++)
		if (check_metric(metrics->u.array.items[i], i, e))
			return -1;
	return 0;
}

static void take_errors(const struct json_value *doc, struct strv *errors)
{
	const struct json_value *list = json_get(doc, "errors");
	size_t before = errors->n;

	for (size_t i = 0; list && i < list->u.array.n; i++) {
		const struct json_value *line = list->u.array.items[i];

		strv_push(errors, line->type == JSON_STRING ? line->u.string.s : "(an error that is not a string)");
	}
	if (errors->n == before && strcmp(json_path_string(doc, "status"), "failed") == 0)
		strv_push(errors, "the tool reported failure without saying why");
}

int normalize_suite_result(struct json_writer *w, const struct json_value *doc,
			   const struct plan_step *step, struct strv *errors, struct tl_error *e)
{
	const struct json_value *parameters = json_get(doc, "parameters");

	if (check_result(doc, e))
		return -1;
	if (parameters) {
		json_emit(w, "parameters", parameters);
	} else {
		jw_object_begin(w, "parameters");
		normalize_write_args(w, step);
		jw_object_end(w);
	}
	json_emit(w, "metrics", json_get(doc, "metrics"));
	take_errors(doc, errors);
	return 0;
}
