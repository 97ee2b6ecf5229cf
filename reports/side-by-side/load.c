// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "load.h"

static void copy(char *dst, size_t len, const struct json_value *v, const char *path)
{
	const char *s = json_path_string(v, path);

	snprintf(dst, len, "%s", s ? s : "unknown");
}

#define COPY(dst, v, path) copy(dst, sizeof(dst), v, path)

static void problem(struct sbs_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct sbs_run *run, const char *fmt, ...)
{
	va_list ap;

	if (run->nproblems == SBS_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(run->problems[run->nproblems++], sizeof(run->problems[0]), fmt, ap);
	va_end(ap);
}

static void device(const struct json_value *rj, const char *role, struct sbs_device *d)
{
	const struct json_value *devs = json_path(rj, "machine.devices");

	snprintf(d->role, sizeof(d->role), "%s", role);
	for (size_t i = 0; devs && devs->type == JSON_ARRAY && i < devs->u.array.n; i++) {
		const struct json_value *x = devs->u.array.items[i];
		const char *r = json_path_string(x, "role"), *model = json_path_string(x, "device");
		double bytes;

		if (!r || strcmp(r, role))
			continue;
		/* "nvme,serial=dut0,drive=dut0": the model is what comes before the comma */
		snprintf(d->model, sizeof(d->model), "%.*s", model ? (int)strcspn(model, ",") : 1,
			 model ? model : "?");
		COPY(d->bus, x, "bus");
		COPY(d->guest_address, x, "guest_address");
		if (json_path_number(x, "disk_bytes", &bytes))
			d->disk_bytes = (uint64_t)bytes;
		return;
	}
	snprintf(d->model, sizeof(d->model), "unknown");
}

static void load_step(struct sbs_run *run, const struct json_value *step)
{
	const char *name = json_path_string(step, "name"), *file = json_path_string(step, "result");
	char path[8192];
	struct json_value *doc;
	struct cmp_entry *x;
	struct tl_error e;
	int r;

	if (!name || !file) {
		problem(run, "run.json: a step without name or result");
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", run->dir, file);
	doc = json_parse_file(path, &e);
	if (!doc) {
		problem(run, "%s: %s", name, e.msg);
		return;
	}
	if (run->nentries == CMP_MAX) {
		json_free(doc);
		problem(run, "%s: more than %d steps to compare", name, CMP_MAX);
		return;
	}
	x = &run->entries[run->nentries];
	r = cmp_entry_from_result(doc, name, x, &e);
	if (r < 0)
		problem(run, "%s: %s", name, e.msg);
	else if (r == 0)
		run->nentries++;
	json_free(doc);
}

int sbs_load(struct sbs_run *run, const char *dir, struct tl_error *e)
{
	char path[8192];
	struct json_value *rj;
	const struct json_value *steps;
	const char *failure;

	memset(run, 0, sizeof(*run));
	snprintf(run->dir, sizeof(run->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	rj = json_parse_file(path, e);
	if (!rj)
		return -1;
	COPY(run->id, rj, "id");
	COPY(run->status, rj, "status");
	failure = json_path_string(rj, "failure");
	snprintf(run->failure, sizeof(run->failure), "%s", failure ? failure : "");
	COPY(run->environment, rj, "where.environment");
	COPY(run->host_kind, rj, "where.host_kind");
	COPY(run->kernel, rj, "where.kernel");
	COPY(run->tce_mode, rj, "where.tce_mode");
	device(rj, "dut", &run->dut);
	device(rj, "fio-disk", &run->fio_disk);
	steps = json_get(rj, "steps");
	for (size_t i = 0; steps && steps->type == JSON_ARRAY && i < steps->u.array.n; i++)
		load_step(run, steps->u.array.items[i]);
	json_free(rj);
	return 0;
}
