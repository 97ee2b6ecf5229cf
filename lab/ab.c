// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-ab: the in-kernel versus userspace TCE A/B matrix in the nested lab
 * (docs/nested-lab.md). One tcelab-run per cell of {host kinds} x {TCE
 * modes}, repeated, cells interleaved (repetition r runs every cell before
 * repetition r + 1 starts, so a slow spell on a shared host spreads over
 * both modes), then one table: per cell the per-TCE cost of L2's DMA
 * mapping, fio's QD1 latency, the TCE path proof (its counts and verdict);
 * per host kind the userspace/in-kernel ratio and its spread over the
 * repetitions.
 *
 *   tcelab-ab [--hosts LIST] [--modes LIST] [--repeat N] [TCELAB-RUN-OPTION...]
 *
 * Every other option goes to each run as to tcelab-run (--modules,
 * --tce-switch, --proof, --image, --host-image, --results, --timeout...);
 * --plan defaults to bench/plans/ab.plan. Writes RESULTS/ab-ID/ab.json and
 * ab.txt (the table). Exit status 0 when every cell passed, its proof
 * included; 1 when any failed (the table says which); 2 for bad input.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>

#include "ab.h"
#include "clock.h"
#include "files.h"
#include "run.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json_writer.h"

#define MAX_HOSTS 4
#define MAX_MODES 2
#define MAX_REPEAT 10

struct ab_options {
	char *hosts[MAX_HOSTS];
	int nhosts;
	char *modes[MAX_MODES];
	int nmodes;
	int repeat;
	struct strv run_args; /* for options_parse: argv[0] first */
};

static int split_list(const char *text, char **out, int max, const char *what, struct tl_error *e)
{
	char *copy = xstrdup(text), *save, *tok;
	int n = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max) {
			free(copy);
			return tl_err(e, "%s: more than %d", what, max);
		}
		out[n++] = xstrdup(tok);
	}
	free(copy);
	if (n == 0)
		return tl_err(e, "%s: empty list", what);
	return n;
}

static void usage(FILE *f)
{
	fputs("usage: tcelab-ab [--hosts LIST] [--modes LIST] [--repeat N] [TCELAB-RUN-OPTION...]\n"
	      "The in-kernel vs userspace TCE A/B matrix in the nested lab: one run per cell,\n"
	      "repeated and interleaved, then the table (docs/nested-lab.md).\n\n"
	      "  --hosts LIST   nested machines (default nested-hv,nested-papr; also powernv9-kvm)\n"
	      "  --modes LIST   TCE modes (default in-kernel,userspace)\n"
	      "  --repeat N     repetitions of the whole matrix (default 1)\n"
	      "  Other options go to every run as to tcelab-run (tcelab-run --help); --plan\n"
	      "  defaults to bench/plans/ab.plan.\n",
	      f);
}

static int parse(struct ab_options *o, int argc, char **argv, struct tl_error *e)
{
	const char *hosts = "nested-hv,nested-papr", *modes = "in-kernel,userspace";

	*o = (struct ab_options){ .repeat = 1 };
	strv_push(&o->run_args, "tcelab-run");
	strv_push(&o->run_args, "--plan");
	strv_push(&o->run_args, TCELAB_SOURCE_DIR "/bench/plans/ab.plan");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(a, "--hosts") == 0 || strcmp(a, "--modes") == 0 ||
			   strcmp(a, "--repeat") == 0) {
			if (!v)
				return tl_err(e, "%s needs a value", a);
			if (a[2] == 'h')
				hosts = v;
			else if (a[2] == 'm')
				modes = v;
			else {
				char *end;
				long n = strtol(v, &end, 10);

				if (*end || n < 1 || n > MAX_REPEAT)
					return tl_err(e, "--repeat: '%s' is not 1 to %d", v, MAX_REPEAT);
				o->repeat = (int)n;
			}
			i++;
		} else if (strcmp(a, "--machine") == 0 || strcmp(a, "--tce-mode") == 0 ||
			   strcmp(a, "--name") == 0) {
			return tl_err(e, "%s is set per cell by tcelab-ab (use --hosts, --modes)", a);
		} else {
			strv_push(&o->run_args, a);
		}
	}
	o->nhosts = split_list(hosts, o->hosts, MAX_HOSTS, "--hosts", e);
	if (o->nhosts < 0)
		return -1;
	o->nmodes = split_list(modes, o->modes, MAX_MODES, "--modes", e);
	if (o->nmodes < 0)
		return -1;
	for (int h = 0; h < o->nhosts; h++) {
		const struct lab_machine *m = lab_machine_find(o->hosts[h]);

		if (!m || !m->nested)
			return tl_err(e, "--hosts: '%s' is not a nested machine (nested-hv, nested-papr, powernv9-kvm)",
				      o->hosts[h]);
	}
	return 0;
}

/* The lab options of one cell: the shared ones, then this cell's. */
static int cell_options(const struct ab_options *o, const char *host, const char *mode,
			char *name, struct lab_options *lo, struct strv *argv, struct tl_error *e)
{
	*argv = (struct strv){ 0 };
	for (size_t i = 0; i < o->run_args.n; i++)
		strv_push(argv, o->run_args.v[i]);
	strv_push(argv, "--machine");
	strv_push(argv, host);
	strv_push(argv, "--tce-mode");
	strv_push(argv, mode);
	strv_push(argv, "--name");
	strv_push(argv, name);
	return options_parse(lo, (int)argv->n, argv->v, e);
}

static int stop_fd_make(void)
{
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
}

int main(int argc, char **argv)
{
	struct ab_options o;
	struct ab_matrix mx = { 0 };
	struct tl_error e;
	char id[64], *dir;
	time_t started = time(NULL);
	double t0 = clock_now();
	int stop_fd, status = 0;
	const char *results;

	if (parse(&o, argc, argv, &e)) {
		fprintf(stderr, "tcelab ab: %s\n", e.msg);
		return 2;
	}
	stop_fd = stop_fd_make();
	if (stop_fd < 0) {
		perror("tcelab ab: signalfd");
		return 1;
	}
	/* Check every cell's options before the first boot. */
	for (int h = 0; h < o.nhosts; h++)
		for (int m = 0; m < o.nmodes; m++) {
			struct lab_options lo;
			struct strv args;
			struct lab_run run = { 0 };
			int bad;

			bad = cell_options(&o, o.hosts[h], o.modes[m], "ab-check", &lo, &args, &e) ||
			      lab_run_prepare(&run, &lo, &e);
			lab_run_free(&run);
			strv_free(&args);
			if (bad) {
				fprintf(stderr, "tcelab ab: %s %s: %s\n", o.hosts[h], o.modes[m], e.msg);
				return 2;
			}
		}
	ab_matrix_init(&mx, (const char *const *)o.hosts, o.nhosts, (const char *const *)o.modes,
		       o.nmodes, o.repeat);
	printf("tcelab ab: %d host kind(s) x %d mode(s) x %d repetition(s) = %d runs\n", o.nhosts,
	       o.nmodes, o.repeat, o.nhosts * o.nmodes * o.repeat);
	results = NULL;
	for (int r = 0; r < o.repeat; r++)
		for (int h = 0; h < o.nhosts; h++)
			for (int m = 0; m < o.nmodes; m++) {
				struct ab_cell_run *cr = ab_matrix_run(&mx, h, m, r);
				struct lab_options lo;
				struct lab_run run = { 0 };
				struct strv args;
				char name[64];
				int rc;

				snprintf(name, sizeof(name), "ab-%s-%s-%d", o.hosts[h], o.modes[m], r + 1);
				printf("\n== %s: %s, TCE %s, repetition %d of %d\n", name, o.hosts[h], o.modes[m],
				       r + 1, o.repeat);
				fflush(stdout);
				if (cell_options(&o, o.hosts[h], o.modes[m], name, &lo, &args, &e) ||
				    lab_run_prepare(&run, &lo, &e)) {
					snprintf(cr->failure, sizeof(cr->failure), "%s", e.msg);
					lab_run_free(&run);
					strv_free(&args);
					status = 1;
					continue;
				}
				results = results ? results : xstrdup(lo.results);
				rc = lab_run_execute(&run, stop_fd, &e);
				if (rc < 0) {
					snprintf(cr->failure, sizeof(cr->failure), "%s", e.msg);
					status = 1;
				} else {
					ab_cell_load(cr, run.dir.final, run.failure, run.wall_seconds);
					printf("%s: %s in %.0f s (%s)\n", name, run.failure[0] ? "FAILED" : "passed",
					       run.wall_seconds, run.dir.final);
					if (run.failure[0]) {
						printf("  %s\n", run.failure);
						status = 1;
					}
				}
				lab_run_free(&run);
				strv_free(&args);
				if (stop_signal_take(stop_fd, id, sizeof(id))) {
					fprintf(stderr, "tcelab ab: %s: stopping the matrix\n", id);
					r = o.repeat;
					h = o.nhosts;
					break;
				}
			}
	mx.wall_seconds = clock_now() - t0;
	putchar('\n');
	ab_table_print(stdout, &mx);
	if (results) {
		struct tm tm;

		gmtime_r(&started, &tm);
		strftime(id, sizeof(id), "ab-%Y%m%dT%H%M%SZ", &tm);
		dir = xasprintf("%s/%s", results, id);
		if (mkdir(dir, 0755) == 0 && ab_write(dir, &mx, &e) == 0)
			printf("\nRecorded in %s (ab.json, ab.txt)\n", dir);
		else
			fprintf(stderr, "tcelab ab: cannot record the matrix in %s: %s\n", dir, e.msg);
		free(dir);
	}
	printf("Matrix wall time: %.0f s (%.1f min)\n", mx.wall_seconds, mx.wall_seconds / 60);
	ab_matrix_free(&mx);
	return status;
}
