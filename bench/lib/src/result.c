// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/parse.h"
#include "tcelab/pci.h"
#include "tcelab/result.h"
#include "tcelab/stats.h"

static void set(char *dst, size_t len, const char *value)
{
	snprintf(dst, len, "%s", value && *value ? value : "unknown");
}

void result_where_from(struct result_where *where, const char *cpuinfo, const char *kernel,
		       const char *env_environment, const char *env_host_kind,
		       const char *env_tce_mode)
{
	char model[128] = "", machine[128] = "", cpu[64] = "";

	memset(where, 0, sizeof(*where));
	if (cpuinfo) {
		text_field(cpuinfo, "model", model, sizeof(model));
		text_field(cpuinfo, "machine", machine, sizeof(machine));
		if (!text_field(cpuinfo, "cpu", cpu, sizeof(cpu)))
			text_field(cpuinfo, "model name", cpu, sizeof(cpu));
	}
	/* pseries: "machine : CHRP IBM pSeries (emulated by qemu)"; powernv:
	 * "model"; x86's "model" is a number, which names no machine */
	if (!machine[0] && model[0] && strspn(model, "0123456789") != strlen(model))
		snprintf(machine, sizeof(machine), "%s", model);
	set(where->machine, sizeof(where->machine), machine);
	set(where->cpu, sizeof(where->cpu), cpu);
	set(where->kernel, sizeof(where->kernel), kernel);
	if (env_environment && *env_environment)
		set(where->environment, sizeof(where->environment), env_environment);
	else if (strstr(machine, "emulated by qemu") || strstr(model, "emulated by qemu"))
		set(where->environment, sizeof(where->environment), "emulated");
	else
		set(where->environment, sizeof(where->environment), NULL);
	set(where->host_kind, sizeof(where->host_kind), env_host_kind);
	set(where->tce_mode, sizeof(where->tce_mode), env_tce_mode);
}

void result_where_detect(struct result_where *where)
{
	struct tl_error e;
	struct utsname u;
	char *cpuinfo = tl_read_file("/proc/cpuinfo", NULL, &e);

	if (uname(&u))
		strcpy(u.release, "");
	result_where_from(where, cpuinfo, u.release, getenv("TCELAB_ENVIRONMENT"),
			  getenv("TCELAB_HOST_KIND"), getenv("TCELAB_TCE_MODE"));
	free(cpuinfo);
	if (!strcmp(where->machine, "unknown")) {
		/* x86 and others: the firmware's product name */
		char *dmi = tl_read_file("/sys/class/dmi/id/product_name", NULL, &e);

		if (dmi) {
			dmi[strcspn(dmi, "\n")] = '\0';
			set(where->machine, sizeof(where->machine), dmi);
			free(dmi);
		}
	}
}

void result_begin(struct json_writer *w, const char *tool, const char *name,
		  const struct result_where *where)
{
	char started[32];
	time_t now = time(NULL);

	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	jw_object_begin(w, NULL);
	jw_string(w, "schema", RESULT_SCHEMA);
	jw_string(w, "tool", tool);
	jw_string(w, "version", TCELAB_VERSION);
	jw_string(w, "name", name);
	jw_string(w, "started", started);
	result_where_write(w, where);
}

void result_where_write(struct json_writer *w, const struct result_where *where)
{
	jw_object_begin(w, "where");
	jw_string(w, "environment", where->environment);
	jw_string(w, "host_kind", where->host_kind);
	jw_string(w, "machine", where->machine);
	jw_string(w, "cpu", where->cpu);
	jw_string(w, "kernel", where->kernel);
	jw_string(w, "tce_mode", where->tce_mode);
	jw_object_end(w);
}

static void read_field(const struct json_value *w, const char *key, char *field, size_t len)
{
	const char *value = json_path_string(w, key);

	if (value)
		snprintf(field, len, "%s", value);
}

void result_where_read(const struct json_value *w, struct result_where *where)
{
#define READ(key) read_field(w, #key, where->key, sizeof(where->key))
	READ(environment);
	READ(host_kind);
	READ(machine);
	READ(cpu);
	READ(kernel);
	READ(tce_mode);
#undef READ
}

void result_metrics_begin(struct json_writer *w)
{
	jw_array_begin(w, "metrics");
}

void result_metric_begin(struct json_writer *w, const char *metric, const char *unit,
			 enum result_direction direction)
{
	jw_object_begin(w, NULL);
	jw_string(w, "name", metric);
	jw_string(w, "unit", unit);
	jw_string(w, "better", direction == RESULT_HIGHER_IS_BETTER ? "higher" : "lower");
}

void result_metric_summary(struct json_writer *w, const struct stats_summary *s)
{
	jw_object_begin(w, "summary");
	jw_uint(w, "n", s->n);
	jw_double(w, "min", s->min);
	jw_double(w, "median", s->median);
	jw_double(w, "mean", s->mean);
	jw_double(w, "stddev", s->stddev);
	jw_double(w, "p99", s->p99);
	jw_double(w, "p999", s->p999);
	jw_double(w, "max", s->max);
	jw_object_end(w);
}

void result_metric_samples(struct json_writer *w, const double *samples, size_t n,
			   bool keep_samples)
{
	struct stats_summary s;

	stats_summarize(samples, n, &s);
	result_metric_summary(w, &s);
	if (!keep_samples)
		return;
	jw_array_begin(w, "samples");
	for (size_t i = 0; i < n; i++)
		jw_double(w, NULL, samples[i]);
	jw_array_end(w);
}

void result_metric_value(struct json_writer *w, double value)
{
	result_metric_samples(w, &value, 1, false);
}

void result_metric_end(struct json_writer *w)
{
	jw_object_end(w);
}

void result_metrics_end(struct json_writer *w)
{
	jw_array_end(w);
}

void result_end(struct json_writer *w, const char *status, const char *const *errors,
		size_t nerrors)
{
	jw_string(w, "status", status);
	jw_array_begin(w, "errors");
	for (size_t i = 0; i < nerrors; i++)
		jw_string(w, NULL, errors[i]);
	jw_array_end(w);
	jw_object_end(w);
}

int result_file_begin(struct result_file *rf, const char *path, const char *tool,
		      const char *name, struct tl_error *e)
{
	struct result_where where;

	snprintf(rf->path, sizeof(rf->path), "%s", path);
	snprintf(rf->tmp, sizeof(rf->tmp), "%s.tmp", path);
	rf->f = fopen(rf->tmp, "w");
	if (!rf->f)
		return tl_err_errno(e, "%s", rf->tmp);
	result_where_detect(&where);
	jw_init(&rf->w, rf->f, true);
	result_begin(&rf->w, tool, name, &where);
	return 0;
}

int result_file_end(struct result_file *rf, const char *const *errors, size_t nerrors,
		    struct tl_error *e)
{
	result_end(&rf->w, nerrors ? "failed" : "passed", errors, nerrors);
	if (jw_finish(&rf->w, e)) {
		fclose(rf->f);
		unlink(rf->tmp);
		return tl_err_wrap(e, "%s", rf->tmp);
	}
	if (fclose(rf->f)) {
		unlink(rf->tmp);
		return tl_err_errno(e, "%s", rf->tmp);
	}
	if (rename(rf->tmp, rf->path)) {
		tl_err_errno(e, "rename %s to %s", rf->tmp, rf->path);
		unlink(rf->tmp);
		return -1;
	}
	return 0;
}
