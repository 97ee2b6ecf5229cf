// SPDX-License-Identifier: GPL-2.0-only
#include "run.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "engines.h"
#include "files.h"
#include "guest_where.h"
#include "nested.h"
#include "share.h"
#include "tcelab/error.h"

static void set_failure(struct lab_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The first failure is the one that explains the run; later ones follow from it. */
static void set_failure(struct lab_run *run, const char *fmt, ...)
{
	va_list ap;

	if (run->failure[0])
		return;
	va_start(ap, fmt);
	vsnprintf(run->failure, sizeof(run->failure), fmt, ap);
	va_end(ap);
}

static char *image_path(const struct lab_options *o, const char *name, struct tl_error *e)
{
	char *path = xasprintf("%s/%s", o->image, name);

	if (path_is_file(path))
		return path;
	free(path);
	if (e)
		tl_err(e, "image %s: no %s (build one: guest-images/build-guest-image --out %s)",
		       o->image, name, o->image);
	return NULL;
}

/* "default" for ".../default.plan". */
static char *plan_run_name(const char *plan_path)
{
	char *copy = xstrdup(plan_path);
	char *name = xstrdup(basename(copy));
	char *dot = strrchr(name, '.');

	if (dot && strcmp(dot, ".plan") == 0)
		*dot = '\0';
	free(copy);
	return name;
}

static int find_programs(struct lab_run *run, struct tl_error *e)
{
	const struct plan_step *needs_iperf = plan_iperf_step(&run->plan);

	run->qemu_path = program_find(run->opts->qemu);
	if (!run->qemu_path)
		return tl_err(e, "QEMU '%s' not found%s (--qemu)", run->opts->qemu,
			      strchr(run->opts->qemu, '/') ? " or not executable" : " in PATH");
	if (!needs_iperf)
		return 0;
	run->iperf3 = program_find("iperf3");
	if (!run->iperf3)
		return tl_err(e, "plan %s line %d: '%s' needs an iperf3 server on the host, and iperf3 is not in PATH",
			      run->plan.path, needs_iperf->line, needs_iperf->name);
	return 0;
}

int lab_run_prepare(struct lab_run *run, const struct lab_options *opts, struct tl_error *e)
{
	char *sha_file;

	*run = (struct lab_run){ .opts = opts, .machine = lab_machine_find(opts->machine) };
	if (plan_load(&run->plan, opts->plan, e) || plan_check_files(&run->plan, opts->jobs, e))
		return -1;
	if (!path_is_dir(opts->image))
		return tl_err(e, "image %s: no such folder (build one: guest-images/build-guest-image --out %s)",
			      opts->image, opts->image);
	if (run->machine->nested) {
		/* L0 boots the L1 host image; the guest image (L2) goes in by a share. */
		if (nested_check(opts, e))
			return -1;
		run->kernel = xasprintf("%s/vmlinux", opts->host_image);
		run->initrd = xasprintf("%s/host.cpio.zst", opts->host_image);
	} else {
		run->kernel = image_path(opts, "vmlinux", e);
		if (!run->kernel)
			return -1;
		run->initrd = image_path(opts, "guest.cpio.gz", e);
		if (!run->initrd)
			return -1;
	}
	if (find_programs(run, e) || udp_peer_find(&run->plan, &run->udp_peer_prog, e))
		return -1;
	if (access(opts->results, F_OK) == 0 && !path_is_dir(opts->results))
		return tl_err(e, "results %s: not a folder", opts->results);
	run->name = opts->name ? xstrdup(opts->name) : plan_run_name(opts->plan);
	run->manifest = image_path(opts, "manifest.txt", NULL);
	sha_file = xasprintf("%s/guest.cpio.gz.sha256", opts->image);
	run->image_sha256 = file_first_word(sha_file);
	free(sha_file);
	return 0;
}

static int start_guest(struct lab_run *run, int stop_fd, struct tl_error *e)
{
	struct share_settings share = {
		.machine = run->machine,
		.step_timeout = run->opts->step_timeout,
		.jobs_dir = run->opts->jobs,
		.opts = run->opts,
	};
	struct lab_paths paths = { .kernel = run->kernel, .initrd = run->initrd };
	char *console_log = run_dir_path(&run->dir, "console.log");
	char *qemu_log = run_dir_path(&run->dir, "qemu.log");
	struct supervise_config cfg = {
		.console_log = console_log,
		.stderr_log = qemu_log,
		.timeout_secs = run->opts->timeout,
		.stop_fd = stop_fd,
	};
	char why[64];
	int ret = -1;

	if (scratch_create(&run->scratch, e))
		goto out;
	if (run->iperf3) {
		char *log = run_dir_path(&run->dir, "iperf3-server.log");
		int failed = iperf_server_start(&run->iperf, run->iperf3, log, e);

		free(log);
		if (failed)
			goto out;
		share.iperf_port = run->iperf.port;
	}
	if (share_write(run->dir.staging, &run->plan, &share, e))
		goto out;
	if (run->machine->nested) {
		/* removed with the scratch folder */
		run->host_share = xasprintf("%s/l1", run->scratch.dir);
		if (nested_host_share(run->host_share, run->opts, e))
			goto out;
		paths.host_share = run->host_share;
	}
	if (run->udp_peer_prog) {
		char *log = run_dir_path(&run->dir, "udp-peer.log");
		/* bounded by itself too: a minute past the run's timeout */
		int failed = udp_peer_start(&run->udp_peer, run->udp_peer_prog, log,
					    run->opts->timeout + 60, e);

		free(log);
		if (failed || udp_peer_share_env(run->dir.staging, &run->udp_peer, e))
			goto out;
	}
	for (int role = 0; role < LAB_NROLES; role++)
		paths.backing[role] = role == LAB_SHARE ? run->dir.staging : run->scratch.disk[role];
	topology_qemu_argv(run->machine, run->qemu_path, &paths, &run->qemu_argv);
	cfg.argv = run->qemu_argv.v;
	/* Stopped while setting up: QEMU need not start at all. */
	if (stop_signal_take(stop_fd, why, sizeof(why))) {
		set_failure(run, "%s", why);
		ret = 0;
		goto out;
	}
	printf("booting the %s guest (run timeout %d s, step timeout %d s)\n",
	       run->machine->host_kind, run->opts->timeout, run->opts->step_timeout);
	fflush(stdout);
	progress_init(&run->progress, stdout, &run->plan, clock_now());
	ret = supervise_qemu(&cfg, &run->progress, &run->qemu, e);
	run->qemu_ran = ret == 0;
out:
	free(console_log);
	free(qemu_log);
	return ret;
}

static void boot(struct lab_run *run, int stop_fd)
{
	struct tl_error e;

	if (start_guest(run, stop_fd, &e))
		set_failure(run, "%s", e.msg);
	iperf_server_stop(&run->iperf);
	udp_peer_stop(&run->udp_peer);
	scratch_remove(&run->scratch);
}

static void collect_steps(struct lab_run *run)
{
	char *out_dir = run_dir_path(&run->dir, "out");
	char *guest_env = run_dir_path(&run->dir, "out/guest.env");

	guest_where(guest_env, run->machine, &run->where);
	if (run->machine->nested) {
		/* the mode asked for; the proof below says whether it held */
		snprintf(run->where.tce_mode, sizeof(run->where.tce_mode), "%s", run->opts->tce_mode);
		nested_proof_read(out_dir, run->opts->tce_mode, &run->proof);
	}
	run->steps = xcalloc(run->plan.nsteps, sizeof(*run->steps));
	for (size_t i = 0; i < run->plan.nsteps; i++) {
		struct step_record *rec = &run->steps[i];
		struct normalize_context ctx = {
			.step = &run->plan.steps[i],
			.out_dir = out_dir,
			.where = &run->where,
			.step_timeout = run->opts->step_timeout,
			.began = run->progress.seen && run->progress.seen[i].begun,
		};
		const struct step_seen *seen = run->progress.seen ? &run->progress.seen[i] : NULL;
		struct tl_error e;
		char *path;

		rec->step = ctx.step;
		rec->secs = seen && seen->ended ? seen->secs : -1;
		snprintf(rec->result_file, sizeof(rec->result_file), "%s.result.json", ctx.step->name);
		path = run_dir_path(&run->dir, rec->result_file);
		if (normalize_step(&ctx, path, &rec->verdict, &e)) {
			rec->verdict.passed = false;
			snprintf(rec->verdict.error, sizeof(rec->verdict.error), "%s", e.msg);
			set_failure(run, "cannot record step %s: %s", ctx.step->name, e.msg);
		}
		free(path);
	}
	free(out_dir);
	free(guest_env);
}

/* QEMU's last message, for a QEMU that ended before the guest was done. */
static char *qemu_last_words(const struct lab_run *run)
{
	char *log = run_dir_path(&run->dir, "qemu.log");
	struct strv tail = { 0 };
	char *words;

	file_tail(log, 1, &tail);
	words = xstrdup(tail.n ? tail.v[0] : "");
	strv_free(&tail);
	free(log);
	return words;
}

static void judge(struct lab_run *run)
{
	const struct progress *p = &run->progress;
	struct strv failed = { 0 };
	char status[96];

	if (!run->qemu_ran)
		return; /* the failure is already set */
	child_status_text(&run->qemu.qemu, status, sizeof(status));
	if (run->qemu.failure[0])
		set_failure(run, "%s", run->qemu.failure);
	if (p->guest_errors.n)
		set_failure(run, "guest: %s", p->guest_errors.v[0]);
	if (!p->plan_ended) {
		char *words = qemu_last_words(run);

		set_failure(run, "QEMU %s before the guest %s%s%s", status,
			    p->booted ? "finished the plan" : "booted", *words ? ": " : "", words);
		free(words);
	}
	if (run->machine->nested)
		nested_judge(&run->proof, run->opts->tce_mode, run->failure, sizeof(run->failure));
	for (size_t i = 0; i < run->plan.nsteps; i++)
		if (!run->steps[i].verdict.passed)
			strv_push(&failed, run->plan.steps[i].name);
	if (failed.n) {
		char *names = strv_join(&failed, ", ");

		set_failure(run, "%zu of %zu steps failed: %s", failed.n, run->plan.nsteps, names);
		free(names);
	}
	strv_free(&failed);
	if (!WIFEXITED(run->qemu.qemu.status) || WEXITSTATUS(run->qemu.qemu.status) != 0)
		set_failure(run, "QEMU %s", status);
}

static int record(struct lab_run *run, struct tl_error *e)
{
	char *path;
	int ret = 0;

	if (run->manifest) {
		path = run_dir_path(&run->dir, "manifest.txt");
		ret = file_copy(run->manifest, path, e);
		free(path);
	}
	if (ret == 0) {
		path = run_dir_path(&run->dir, "run.json");
		ret = run_record_write(run, path, e);
		free(path);
	}
	if (ret == 0)
		ret = run_dir_publish(&run->dir, e);
	return ret;
}

int lab_run_execute(struct lab_run *run, int stop_fd, struct tl_error *e)
{
	run->started = time(NULL);
	run->t0 = clock_now();
	if (run_dir_create(&run->dir, run->opts->results, run->started, e))
		return -1;
	printf("tcelab run %s: %zu step%s from %s\n", run->dir.id, run->plan.nsteps,
	       run->plan.nsteps == 1 ? "" : "s", run->plan.path);
	boot(run, stop_fd);
	collect_steps(run);
	judge(run);
	run->finished = time(NULL);
	run->wall_seconds = clock_now() - run->t0;
	if (record(run, e))
		return -1;
	return run->failure[0] ? EXIT_RUN_FAILED : EXIT_RUN_PASSED;
}

void lab_run_free(struct lab_run *run)
{
	plan_free(&run->plan);
	free(run->name);
	free(run->qemu_path);
	free(run->iperf3);
	free(run->udp_peer_prog);
	free(run->host_share);
	free(run->kernel);
	free(run->initrd);
	free(run->manifest);
	free(run->image_sha256);
	run_dir_free(&run->dir);
	strv_free(&run->qemu_argv);
	progress_free(&run->progress);
	free(run->steps);
}
