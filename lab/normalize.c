// SPDX-License-Identifier: GPL-2.0-only
#include "normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "engines.h"
#include "files.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/pci.h"

static int read_rc(const char *out_dir, const char *name)
{
	char *path = xasprintf("%s/%s.rc", out_dir, name);
	char *word = file_first_word(path);
	char *end;
	long rc = -1;

	if (word) {
		rc = strtol(word, &end, 10);
		if (*end || rc < 0 || rc > 255)
			rc = -1;
	}
	free(word);
	free(path);
	return (int)rc;
}

static void push_rc_error(const struct normalize_context *ctx, int rc, struct strv *errors)
{
	const char *name = ctx->step->name;

	if (rc < 0 && ctx->began)
		strv_pushf(errors, "no exit status in out/%s.rc: the step did not finish", name);
	else if (rc < 0)
		strv_pushf(errors, "the step did not run (the guest never began it)");
	else if (rc == STEP_RC_TIMEOUT)
		strv_pushf(errors, "killed at the step timeout (%d s)", ctx->step_timeout);
	else if (rc != 0)
		strv_pushf(errors, "%s exited with status %d", ctx->step->engine->name, rc);
}

static void push_log_tail(const struct normalize_context *ctx, struct strv *errors)
{
	char *path = xasprintf("%s/%s.log", ctx->out_dir, ctx->step->name);
	struct strv tail = { 0 };

	file_tail(path, NORMALIZE_LOG_TAIL, &tail);
	for (size_t i = 0; i < tail.n; i++)
		strv_pushf(errors, "out/%s.log: %s", ctx->step->name, tail.v[i]);
	strv_free(&tail);
	free(path);
}

/* parameters and metrics when there is no usable output. */
static void write_no_output(struct json_writer *w, const struct plan_step *step)
{
	jw_object_begin(w, "parameters");
	normalize_write_args(w, step);
	jw_object_end(w);
	result_metrics_begin(w);
	result_metrics_end(w);
}

/* One whole result document into f; doc NULL: no usable output. */
static int render(FILE *f, const struct normalize_context *ctx,
		  const struct json_value *doc, struct strv *errors, struct tl_error *e)
{
	const struct engine *engine = ctx->step->engine;
	struct result_where where = *ctx->where;
	struct json_writer w;

	if (doc && engine->output_where)
		engine->output_where(doc, &where);
	jw_init(&w, f, true);
	result_begin(&w, engine->name, ctx->step->name, &where);
	if (!doc)
		write_no_output(&w, ctx->step);
	else if (engine->normalize(&w, doc, ctx->step, errors, e))
		return -1;
	if (errors->n)
		push_log_tail(ctx, errors);
	result_end(&w, errors->n ? "failed" : "passed", (const char *const *)errors->v, errors->n);
	return jw_finish(&w, e);
}

/* Render into memory, so a normalizer that gives up half-way leaves nothing behind. */
static char *render_to_string(const struct normalize_context *ctx,
			      const struct json_value *doc, struct strv *errors,
			      struct tl_error *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f) {
		tl_err_errno(e, "cannot render the result of %s", ctx->step->name);
		return NULL;
	}
	ret = render(f, ctx, doc, errors, e);
	fclose(f);
	if (ret) {
		free(text);
		return NULL;
	}
	return text;
}

/* Errors name out/NAME.json as the run folder has it, not the staging path. */
static struct json_value *read_output(const struct normalize_context *ctx, struct strv *errors)
{
	char *path = xasprintf("%s/%s.json", ctx->out_dir, ctx->step->name);
	struct json_value *doc = NULL;
	struct tl_error e;
	size_t len;
	char *text;

	if (!path_is_file(path)) {
		/* A step that did not run has nothing to show for it but that. */
		if (ctx->began)
			strv_pushf(errors, "no output: out/%s.json is missing", ctx->step->name);
	} else if (!(text = tl_read_file(path, &len, &e))) {
		strv_pushf(errors, "cannot read out/%s.json: %s", ctx->step->name, e.msg);
	} else {
		doc = json_parse(text, len, &e);
		if (!doc)
			strv_pushf(errors, "unreadable output out/%s.json: %s", ctx->step->name, e.msg);
		free(text);
	}
	free(path);
	return doc;
}

/*
 * A step the guest's host left out on purpose (the nested lab's L1: no
 * interrupts in L2, no NIC in L2) writes out/NAME.skip with the reason
 * instead of running it: the result says "skipped" and why.
 */
static char *read_skip(const struct normalize_context *ctx)
{
	char *path = xasprintf("%s/%s.skip", ctx->out_dir, ctx->step->name);
	char *text = NULL, *nl;
	struct tl_error ignored;

	if (path_is_file(path))
		text = tl_read_file(path, NULL, &ignored);
	free(path);
	if (text && (nl = strchr(text, '\n')))
		*nl = '\0';
	return text;
}

static int write_skipped(const struct normalize_context *ctx, const char *result_path,
			 const char *why, struct tl_error *e)
{
	const char *const reason[1] = { why };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct json_writer w;
	int ret;

	if (!f)
		return tl_err_errno(e, "cannot render the result of %s", ctx->step->name);
	jw_init(&w, f, true);
	result_begin(&w, ctx->step->engine->name, ctx->step->name, ctx->where);
	write_no_output(&w, ctx->step);
	result_end(&w, "skipped", reason, 1);
	ret = jw_finish(&w, e);
	fclose(f);
	if (ret == 0)
		ret = file_write(result_path, text, e);
	free(text);
	return ret;
}

int normalize_step(const struct normalize_context *ctx, const char *result_path,
		   struct step_verdict *verdict, struct tl_error *e)
{
	struct strv errors = { 0 };
	struct json_value *doc;
	struct tl_error why;
	char *text;
	int ret;

	*verdict = (struct step_verdict){ .rc = read_rc(ctx->out_dir, ctx->step->name) };
	if (verdict->rc < 0) {
		char *skip = read_skip(ctx);

		if (skip) {
			verdict->passed = verdict->skipped = true;
			snprintf(verdict->error, sizeof(verdict->error), "skipped: %s", skip);
			ret = write_skipped(ctx, result_path, skip, e);
			free(skip);
			return ret;
		}
	}
	push_rc_error(ctx, verdict->rc, &errors);
	doc = read_output(ctx, &errors);
	text = render_to_string(ctx, doc, &errors, &why);
	if (!text) {
		/* The engine's normalizer refused the output: say why, drop the rest. */
		strv_free(&errors);
		push_rc_error(ctx, verdict->rc, &errors);
		strv_pushf(&errors, "unusable output in out/%s.json: %s", ctx->step->name, why.msg);
		text = render_to_string(ctx, NULL, &errors, &why);
	}
	json_free(doc);
	if (!text) {
		strv_free(&errors);
		return tl_err(e, "%s: %s", result_path, why.msg);
	}
	verdict->passed = errors.n == 0;
	if (errors.n)
		snprintf(verdict->error, sizeof(verdict->error), "%s", errors.v[0]);
	ret = file_write(result_path, text, e);
	free(text);
	strv_free(&errors);
	return ret;
}

void normalize_write_args(struct json_writer *w, const struct plan_step *step)
{
	jw_array_begin(w, "args");
	for (size_t i = 0; i < step->nargs; i++)
		jw_string(w, NULL, step->args[i]);
	jw_array_end(w);
}

static void write_labels(struct json_writer *w, const struct label *labels, size_t n)
{
	jw_object_begin(w, "labels");
	for (size_t i = 0; i < n; i++)
		jw_string(w, labels[i].key, labels[i].value);
	jw_object_end(w);
}

void normalize_metric_value(struct json_writer *w, const char *name, const char *unit,
			    enum result_direction better, const struct label *labels,
			    size_t nlabels, double value)
{
	result_metric_begin(w, name, unit, better);
	write_labels(w, labels, nlabels);
	result_metric_value(w, value);
	result_metric_end(w);
}

void normalize_metric_summary(struct json_writer *w, const char *name, const char *unit,
			      enum result_direction better, const struct label *labels,
			      size_t nlabels, const struct stats_summary *s)
{
	result_metric_begin(w, name, unit, better);
	write_labels(w, labels, nlabels);
	result_metric_summary(w, s);
	result_metric_end(w);
}
