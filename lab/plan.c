// SPDX-License-Identifier: GPL-2.0-only
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines.h"
#include "files.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/pci.h"

#define FIELD_SEPARATORS " \t\r"

bool plan_name_valid(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len <= PLAN_NAME_MAX &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

/* Arguments reach the guest engine through sh: refuse what sh would
 * expand or split rather than hope every engine quotes it right. */
static const char *arg_unsafe_char(const char *arg)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789-_.,=:/+%@";
	size_t ok = strspn(arg, safe);

	return arg[ok] ? arg + ok : NULL;
}

static int step_error(struct tl_error *e, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int step_error(struct tl_error *e, const char *path, int line, const char *fmt, ...)
{
	char what[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tl_err(e, "plan %s line %d: %s", path, line, what);
}

static const struct plan_step *find_step(const struct plan *plan, const char *name)
{
	for (size_t i = 0; i < plan->nsteps; i++)
		if (strcmp(plan->steps[i].name, name) == 0)
			return &plan->steps[i];
	return NULL;
}

/* Split one line into fields; a field starting with '#' ends the line. */
static void split_fields(char *line, struct strv *fields)
{
	char *save = NULL;

	for (char *f = strtok_r(line, FIELD_SEPARATORS, &save); f && *f != '#';
	     f = strtok_r(NULL, FIELD_SEPARATORS, &save))
		strv_push(fields, f);
}

static int check_fields(const struct plan *plan, const struct strv *fields, int line,
			struct tl_error *e)
{
	const char *path = plan->path;
	const struct plan_step *dup;
	const struct engine *engine;

	if (!plan_name_valid(fields->v[0]))
		return step_error(e, path, line, "invalid name '%s' (want [a-z0-9._-]+, at most %d characters)",
				  fields->v[0], PLAN_NAME_MAX);
	dup = find_step(plan, fields->v[0]);
	if (dup)
		return step_error(e, path, line, "duplicate name '%s' (first on line %d)",
				  fields->v[0], dup->line);
	if (fields->n < 2)
		return step_error(e, path, line, "'%s' has no engine (want: NAME ENGINE ARG...)",
				  fields->v[0]);
	engine = engine_find(fields->v[1]);
	if (!engine)
		return step_error(e, path, line, "unknown engine '%s' (known: %s)", fields->v[1],
				  engine_names());
	for (size_t i = 2; i < fields->n; i++) {
		const char *bad = arg_unsafe_char(fields->v[i]);

		if (bad)
			return step_error(e, path, line, "argument '%s' has '%c', which the guest shell would interpret",
					  fields->v[i], *bad);
	}
	if (engine->job_file_arg) {
		if (fields->n != 3)
			return step_error(e, path, line, "%s takes one argument, its job file: NAME %s JOBFILE",
					  engine->name, engine->name);
		if (strchr(fields->v[2], '/'))
			return step_error(e, path, line, "job file '%s' must be a file name in the jobs folder",
					  fields->v[2]);
	}
	return 0;
}

static void add_step(struct plan *plan, struct strv *fields, int line)
{
	struct plan_step *step;

	plan->steps = xrealloc(plan->steps, (plan->nsteps + 1) * sizeof(*plan->steps));
	step = &plan->steps[plan->nsteps++];
	step->name = xstrdup(fields->v[0]);
	step->engine = engine_find(fields->v[1]);
	step->line = line;
	step->nargs = 0;
	step->args = xcalloc(fields->n - 1, sizeof(*step->args));
	for (size_t i = 2; i < fields->n; i++)
		step->args[step->nargs++] = xstrdup(fields->v[i]);
}

int plan_parse(struct plan *plan, const char *path, const char *text, struct tl_error *e)
{
	char *copy = xstrdup(text);
	int line = 0, ret = 0;

	*plan = (struct plan){ .path = xstrdup(path) };
	/* strsep, not strtok: empty lines must still count for line numbers. */
	for (char *rest = copy, *l; (l = strsep(&rest, "\n")) && ret == 0;) {
		struct strv fields = { 0 };

		line++;
		split_fields(l, &fields);
		if (fields.n > 0) {
			ret = check_fields(plan, &fields, line, e);
			if (ret == 0)
				add_step(plan, &fields, line);
		}
		strv_free(&fields);
	}
	if (ret == 0 && plan->nsteps == 0)
		ret = tl_err(e, "plan %s: no workloads (want one a line: NAME ENGINE ARG...)", path);
	free(copy);
	if (ret)
		plan_free(plan);
	return ret;
}

int plan_load(struct plan *plan, const char *path, struct tl_error *e)
{
	char *text;
	int ret;

	*plan = (struct plan){ 0 };
	if (!path_is_file(path))
		return tl_err(e, "plan %s: no such file", path);
	text = tl_read_file(path, NULL, e);
	if (!text)
		return tl_err_wrap(e, "plan");
	ret = plan_parse(plan, path, text, e);
	free(text);
	return ret;
}

int plan_check_files(const struct plan *plan, const char *jobs_dir, struct tl_error *e)
{
	for (size_t i = 0; i < plan->nsteps; i++) {
		const struct plan_step *step = &plan->steps[i];
		char *job;
		bool found;

		if (!step->engine->job_file_arg)
			continue;
		job = xasprintf("%s/%s", jobs_dir, step->args[0]);
		found = path_is_file(job);
		free(job);
		if (!found)
			return step_error(e, plan->path, step->line, "%s job file '%s' not found in %s",
					  step->engine->name, step->args[0], jobs_dir);
	}
	return 0;
}

const struct plan_step *plan_iperf_step(const struct plan *plan)
{
	for (size_t i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].engine->needs_iperf_server)
			return &plan->steps[i];
	return NULL;
}

char *plan_step_line(const struct plan_step *step)
{
	struct strv fields = { 0 };
	char *line;

	strv_push(&fields, step->name);
	strv_push(&fields, step->engine->name);
	for (size_t i = 0; i < step->nargs; i++)
		strv_push(&fields, step->args[i]);
	line = strv_join(&fields, " ");
	strv_free(&fields);
	return line;
}

void plan_free(struct plan *plan)
{
	for (size_t i = 0; i < plan->nsteps; i++) {
		free(plan->steps[i].name);
		for (size_t a = 0; a < plan->steps[i].nargs; a++)
			free(plan->steps[i].args[a]);
		free(plan->steps[i].args);
	}
	free(plan->steps);
	free(plan->path);
	*plan = (struct plan){ 0 };
}
