// SPDX-License-Identifier: GPL-2.0-only
/* tcelab-compare: did the candidate change anything against the base, beyond noise? */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "selection.h"
#include "store.h"
#include "tcelab/error.h"

static void usage(FILE *f)
{
	struct cmp_options d;

	cmp_defaults(&d);
	fprintf(f,
		"usage: tcelab compare [OPTION...] BASE CAND\n"
		"       tcelab compare --list [SELECTION]\n"
		"Compare the runs BASE selects with those CAND selects, metric by metric (matched by\n"
		"workload, name and labels): medians, the change with its 95%% confidence interval,\n"
		"Mann-Whitney's p, each side's noise (cv) and a verdict: improved, regressed or no\n"
		"significant change. A selection is KEY=VALUE terms joined by commas, e.g.\n"
		"kernel=6.12.95,tce_mode=in-kernel; keys:\n%s\n"
		"  --db FILE                 the store (default: $TCELAB_DB, else results/tcelab.db)\n"
		"  --format text|markdown|junit\n"
		"                            text for a terminal, markdown for a mailing-list reply,\n"
		"                            junit (XML) for CI (default: text)\n"
		"  --fail-on-regression PCT  exit 1 when a metric regressed significantly by PCT%% or more\n"
		"  --ci bootstrap|hl         the interval: bootstrap of the median ratio, or Hodges-Lehmann\n"
		"                            (default: bootstrap)\n"
		"  --per-run                 one value per run (its median), not the pooled samples\n"
		"  --include-failed          also metrics of workloads that failed\n"
		"  --alpha A                 significance level (default: %g)\n"
		"  --min-n N                 fewest values per side for a verdict (default: %zu)\n"
		"  --resamples N             bootstrap resamples (default: %zu)\n"
		"  --list                    list the runs a selection picks (all without one)\n"
		"  --help                    show this help and exit\n\n"
		"Exit status: 0 compared, 1 a regression failed --fail-on-regression, 2 bad input (no\n"
		"store, an empty selection, mixed units, nothing in common).\n",
		selection_help, d.alpha, d.min_n, d.resamples);
}

static int fail(int status, const struct tl_error *e)
{
	fprintf(stderr, "tcelab compare: %s\n", e->msg);
	return status;
}

static int list_runs(struct store *st, const char *seltext)
{
	struct store_run *all;
	size_t nall, *picked, n;
	struct selection sel;
	struct tl_error e;

	if (store_runs(st, &all, &nall, &e))
		return fail(2, &e);
	if (selection_parse(seltext, &sel, &e)) {
		store_runs_free(all, nall);
		return fail(2, &e);
	}
	if (selection_apply(&sel, all, nall, &picked, &n, &e)) {
		selection_free(&sel);
		store_runs_free(all, nall);
		free(picked);
		return fail(2, &e);
	}
	printf("%-24s %-20s %-10s %-11s %-13s %-30s %-10s %-12s %s\n", "RUN", "STARTED", "STATUS",
	       "ENVIRONMENT", "HOST", "KERNEL", "TCE MODE", "COMMIT", "NAME");
	for (size_t i = 0; i < n; i++) {
		const struct store_run *r = &all[picked[i]];

		printf("%-24s %-20s %-10s %-11s %-13s %-30s %-10s %-12.12s %s\n", r->run_id, r->started,
		       r->status, r->environment, r->host_kind, r->kernel, r->tce_mode,
		       r->kernel_commit ? r->kernel_commit : "-", r->name);
	}
	free(picked);
	selection_free(&sel);
	store_runs_free(all, nall);
	return 0;
}

static bool number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *s && !*end && isfinite(*out);
}

int main(int argc, char **argv)
{
	struct cmp_options o;
	const char *db = store_default_path(), *format = "text", *pos[2];
	struct ms_side base, cand;
	struct store_run *all = NULL;
	size_t nall = 0, npos = 0;
	struct comparison c;
	struct store *st;
	struct tl_error e;
	bool list = false;
	int status;

	cmp_defaults(&o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		double v;

		if (a[0] != '-' || !a[1]) {
			if (npos == 2) {
				fprintf(stderr, "tcelab compare: more than two selections: '%s' (see --help)\n", a);
				return 2;
			}
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--list") == 0) {
			list = true;
			continue;
		}
		if (strcmp(a, "--per-run") == 0) {
			o.per_run = true;
			continue;
		}
		if (strcmp(a, "--include-failed") == 0) {
			o.include_failed = true;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "tcelab compare: unknown option or missing value: '%s' (see --help)\n", a);
			return 2;
		}
		if (strcmp(a, "--db") == 0) {
			db = argv[++i];
		} else if (strcmp(a, "--format") == 0) {
			format = argv[++i];
			if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "junit")) {
				fprintf(stderr, "tcelab compare: --format %s: not text, markdown or junit\n", format);
				return 2;
			}
		} else if (strcmp(a, "--ci") == 0) {
			const char *m = argv[++i];

			if (strcmp(m, "bootstrap") == 0)
				o.ci = CI_BOOTSTRAP;
			else if (strcmp(m, "hl") == 0 || strcmp(m, "hodges-lehmann") == 0)
				o.ci = CI_HODGES_LEHMANN;
			else {
				fprintf(stderr, "tcelab compare: --ci %s: not bootstrap or hl\n", m);
				return 2;
			}
		} else if (strcmp(a, "--fail-on-regression") == 0 && number(argv[i + 1], &v) && v >= 0) {
			o.fail_pct = v;
			i++;
		} else if (strcmp(a, "--alpha") == 0 && number(argv[i + 1], &v) && v > 0 && v < 1) {
			o.alpha = v;
			i++;
		} else if (strcmp(a, "--min-n") == 0 && number(argv[i + 1], &v) && v >= 1) {
			o.min_n = (size_t)v;
			i++;
		} else if (strcmp(a, "--resamples") == 0 && number(argv[i + 1], &v) && v >= 100) {
			o.resamples = (size_t)v;
			i++;
		} else {
			fprintf(stderr, "tcelab compare: bad option or value: %s %s (see --help)\n", a,
				argv[i + 1]);
			return 2;
		}
	}
	if (store_open(db, STORE_READ, &st, &e))
		return fail(2, &e);
	if (list) {
		status = list_runs(st, npos ? pos[0] : "");
		store_close(st);
		return status;
	}
	if (npos != 2) {
		store_close(st);
		fprintf(stderr, "tcelab compare: give two selections, BASE and CAND (see --help)\n");
		return 2;
	}
	if (store_runs(st, &all, &nall, &e) ||
	    ms_side_load(st, all, nall, pos[0], "base", o.include_failed, &base, &e)) {
		store_close(st);
		store_runs_free(all, nall);
		return fail(2, &e);
	}
	if (ms_side_load(st, all, nall, pos[1], "cand", o.include_failed, &cand, &e)) {
		ms_side_free(&base);
		store_close(st);
		store_runs_free(all, nall);
		return fail(2, &e);
	}
	status = compare_sides(&base, &cand, &o, &c, &e) ? fail(2, &e) : 0;
	if (status == 0) {
		if (strcmp(format, "markdown") == 0)
			compare_print_markdown(stdout, &c);
		else if (strcmp(format, "junit") == 0)
			compare_print_junit(stdout, &c);
		else
			compare_print_text(stdout, &c);
		if (c.ngate)
			status = 1;
	}
	comparison_free(&c);
	ms_side_free(&base);
	ms_side_free(&cand);
	store_close(st);
	store_runs_free(all, nall);
	if (fflush(stdout) != 0) {
		perror("tcelab compare: stdout");
		return 2;
	}
	return status;
}
