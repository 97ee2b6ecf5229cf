// SPDX-License-Identifier: GPL-2.0-only
/* run.json: what one run was and how it went (schema "tcelab-run/1"). */
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "engines.h"
#include "nested.h"
#include "run.h"
#include "tcelab/error.h"
#include "tcelab/json_writer.h"

#define RUN_SCHEMA "tcelab-run/1"

static void write_topology(struct json_writer *w, const struct lab_machine *m)
{
	jw_object_begin(w, "machine");
	jw_string(w, "name", m->name);
	jw_string(w, "host_kind", m->host_kind);
	jw_string(w, "qemu_machine", m->machine);
	jw_string(w, "cpu", m->cpu);
	jw_array_begin(w, "devices");
	for (int role = 0; role < LAB_NROLES; role++) {
		const struct lab_device *dev = &lab_devices[role];
		const struct lab_slot *slot = &m->slots[role];

		jw_object_begin(w, NULL);
		jw_string(w, "role", dev->role_name);
		jw_string(w, "device", dev->frontend);
		jw_string(w, "bus", slot->bus);
		jw_string(w, "addr", slot->addr);
		jw_string(w, "guest_address", slot->guest_bdf);
		if (dev->disk_bytes)
			jw_uint(w, "disk_bytes", dev->disk_bytes);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void write_qemu(struct json_writer *w, const struct lab_run *run)
{
	char status[96];

	jw_object_begin(w, "qemu");
	jw_array_begin(w, "argv");
	for (size_t i = 0; i < run->qemu_argv.n; i++)
		jw_string(w, NULL, run->qemu_argv.v[i]);
	jw_array_end(w);
	jw_string(w, "exit", run->qemu_ran ? child_status_text(&run->qemu.qemu, status, sizeof(status))
					   : NULL);
	jw_object_end(w);
}

static void write_plan(struct json_writer *w, const struct lab_run *run)
{
	jw_object_begin(w, "plan");
	jw_string(w, "file", run->plan.path);
	jw_array_begin(w, "lines");
	for (size_t i = 0; i < run->plan.nsteps; i++) {
		char *line = plan_step_line(&run->plan.steps[i]);

		jw_string(w, NULL, line);
		free(line);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void write_steps(struct json_writer *w, const struct lab_run *run)
{
	jw_array_begin(w, "steps");
	for (size_t i = 0; i < run->plan.nsteps; i++) {
		const struct step_record *rec = &run->steps[i];

		jw_object_begin(w, NULL);
		jw_string(w, "name", rec->step->name);
		jw_string(w, "engine", rec->step->engine->name);
		if (rec->verdict.rc >= 0)
			jw_int(w, "rc", rec->verdict.rc);
		else
			jw_null(w, "rc");
		if (rec->secs >= 0)
			jw_int(w, "secs", rec->secs);
		else
			jw_null(w, "secs");
		jw_string(w, "status", rec->verdict.skipped ? "skipped" : rec->verdict.passed ? "passed" : "failed");
		jw_string(w, "result", rec->result_file);
		jw_string(w, "error", rec->verdict.passed && !rec->verdict.skipped ? NULL : rec->verdict.error);
		jw_object_end(w);
	}
	jw_array_end(w);
}

int run_record_write(const struct lab_run *run, const char *path, struct tl_error *e)
{
	char started[32], finished[32];
	struct json_writer w;
	FILE *f = fopen(path, "w");

	if (!f)
		return tl_err_errno(e, "cannot create %s", path);
	jw_init(&w, f, true);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", RUN_SCHEMA);
	jw_string(&w, "version", TCELAB_VERSION);
	jw_string(&w, "id", run->dir.id);
	jw_string(&w, "name", run->name);
	jw_string(&w, "started", clock_utc_iso8601(run->started, started, sizeof(started)));
	jw_string(&w, "finished", clock_utc_iso8601(run->finished, finished, sizeof(finished)));
	jw_double(&w, "wall_seconds", run->wall_seconds);
	jw_string(&w, "status", run->failure[0] ? "failed" : "passed");
	jw_string(&w, "failure", run->failure[0] ? run->failure : NULL);
	result_where_write(&w, &run->where);
	write_topology(&w, run->machine);
	write_qemu(&w, run);
	jw_object_begin(&w, "timeouts");
	jw_int(&w, "run_s", run->opts->timeout);
	jw_int(&w, "step_s", run->opts->step_timeout);
	jw_object_end(&w);
	jw_object_begin(&w, "image");
	jw_string(&w, "dir", run->opts->image);
	jw_string(&w, "sha256", run->image_sha256);
	jw_string(&w, "manifest", run->manifest ? "manifest.txt" : NULL);
	jw_object_end(&w);
	write_plan(&w, run);
	if (run->machine->nested)
		nested_record(&w, run->opts, &run->proof);
	jw_string(&w, "console_log", "console.log");
	write_steps(&w, run);
	jw_object_end(&w);
	if (jw_finish(&w, e)) {
		fclose(f);
		return tl_err_wrap(e, "%s", path);
	}
	if (fclose(f) != 0)
		return tl_err_errno(e, "cannot write %s", path);
	return 0;
}
