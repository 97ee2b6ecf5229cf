// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-trend: a metric across runs, oldest first, with change points
 * found by E-divisive means (tcelab/changepoint.h): what changed since
 * last night, which run first showed it, and which commits lie between.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "metricset.h"
#include "selection.h"
#include "store.h"
#include "svg.h"
#include "tcelab/changepoint.h"
#include "tcelab/error.h"
#include "tcelab/result.h"
#include "tcelab/rng.h"
#include "tcelab/stats.h"
#include "units.h"

enum stat { ST_MEDIAN, ST_P99, ST_MEAN, ST_MIN };

struct opts {
	const char *db, *html;
	enum stat stat;
	bool changes_only;
	struct edivisive_options ed;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcelab trend [OPTION...] METRIC [SELECTION]\n"
		"A metric across the selected runs, oldest first, one value per run, with change\n"
		"points found by E-divisive means (Matteson & James 2014) and a permutation test: the\n"
		"first run after each shift, and the kernel commits between it and the run before.\n"
		"METRIC is [WORKLOAD/]NAME[{LABEL=VALUE,...}], e.g. map_ns_per_call{size=4K} or\n"
		"fio-randread-qd1/iops; each label set that matches is its own series. SELECTION as in\n"
		"tcelab compare (default: every run):\n%s\n"
		"  --db FILE          the store (default: $TCELAB_DB, else results/tcelab.db)\n"
		"  --stat median|p99|mean|min\n"
		"                     the value per run (default: median)\n"
		"  --alpha A          significance of a change point (default: 0.05)\n"
		"  --permutations N   per test (default: 199)\n"
		"  --min-size N       runs on each side of a change, at least 2 (default: 3)\n"
		"  --changes-only     print only the series with a change point\n"
		"  --html FILE        also write the series as plots in one HTML file\n"
		"  --help             show this help and exit\n\n"
		"Exit status: 0 done (with or without change points), 2 bad input.\n",
		selection_help);
}

static int fail(const struct tl_error *e)
{
	fprintf(stderr, "tcelab trend: %s\n", e->msg);
	return 2;
}

struct metric_pattern {
	char *workload, *name;
	char **labels; /* "key=value", NULL-terminated */
};

static int parse_metric(const char *text, struct metric_pattern *p, struct tl_error *e)
{
	char *s = strdup(text), *brace, *slash;

	memset(p, 0, sizeof(*p));
	if (!s)
		return tl_err(e, "out of memory");
	brace = strchr(s, '{');
	if (brace) {
		char *end = strrchr(brace, '}'), *tok, *save;
		size_t n = 0;

		if (!end || end[1]) {
			free(s);
			return tl_err(e, "metric '%s': labels go in {KEY=VALUE,...} at the end", text);
		}
		*end = '\0';
		*brace = '\0';
		p->labels = calloc(strlen(brace + 1) + 2, sizeof(*p->labels));
		for (tok = strtok_r(brace + 1, ", ", &save); tok && p->labels; tok = strtok_r(NULL, ", ", &save))
			p->labels[n++] = strdup(tok);
	}
	slash = strchr(s, '/');
	if (slash) {
		*slash = '\0';
		p->workload = strdup(s);
		p->name = strdup(slash + 1);
	} else {
		p->name = strdup(s);
	}
	free(s);
	if (!p->name || !p->name[0])
		return tl_err(e, "metric '%s': no name", text);
	return 0;
}

/* size=4K matches "size=4K" in the shown labels or "size":4096 in the canonical ones. */
static bool labels_match(char **want, const char *text, const char *canonical)
{
	for (size_t i = 0; want && want[i]; i++) {
		const char *eq = strchr(want[i], '=');
		char tok[256], js[256], jn[256];
		bool ok = false;

		snprintf(tok, sizeof(tok), " %s ", want[i]);
		{
			char padded[1024];

			snprintf(padded, sizeof(padded), " %s ", text);
			ok = strstr(padded, tok) != NULL;
		}
		if (!ok && eq) {
			snprintf(js, sizeof(js), "\"%.*s\":\"%s\"", (int)(eq - want[i]), want[i], eq + 1);
			snprintf(jn, sizeof(jn), "\"%.*s\":%s", (int)(eq - want[i]), want[i], eq + 1);
			ok = strstr(canonical, js) || (strstr(canonical, jn) &&
						      strchr(",}", strstr(canonical, jn)[strlen(jn)]));
		}
		if (!ok)
			return false;
	}
	return true;
}

static double obs_value(const struct ms_obs *o, enum stat st)
{
	switch (st) {
	case ST_P99:
		return o->p99;
	case ST_MEAN:
		return o->mean;
	case ST_MIN:
		return o->min;
	default:
		return o->median;
	}
}

static const char *stat_name(enum stat st)
{
	return st == ST_P99 ? "p99" : st == ST_MEAN ? "mean" : st == ST_MIN ? "min" : "median";
}

static double median_of(const double *v, size_t n)
{
	double *c = malloc((n ? n : 1) * sizeof(*c)), m;

	if (!c)
		return NAN;
	memcpy(c, v, n * sizeof(*c));
	stats_sort(c, n);
	m = stats_percentile_sorted(c, n, 50);
	free(c);
	return m;
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static bool same(const char *a, const char *b)
{
	return strcmp(or_dash(a), or_dash(b)) == 0;
}

/* What else changed from run a to run b, "host_kind pseries-tcg -> powernv9-tcg; ...". */
static void what_changed(const struct store_run *a, const struct store_run *b, char *buf, size_t len)
{
	const struct {
		const char *name, *x, *y;
	} f[] = {
		{ "kernel", a->kernel, b->kernel },	      { "patch", a->patch, b->patch },
		{ "tce_mode", a->tce_mode, b->tce_mode },     { "host_kind", a->host_kind, b->host_kind },
		{ "environment", a->environment, b->environment }, { "machine", a->machine, b->machine },
		{ "name", a->name, b->name },
	};

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!same(f[i].x, f[i].y))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s %s -> %s", buf[0] ? "; " : "",
				 f[i].name, or_dash(f[i].x), or_dash(f[i].y));
}

struct series {
	const struct ms_metric *m;
	double *v;
	size_t *run; /* index into the side's runs */
	size_t n;
	struct changepoint cp[32];
	long ncp;
};

static void print_series(const struct series *s, const struct ms_side *side, const struct opts *o)
{
	const struct ms_metric *m = s->m;
	struct display_unit u = unit_for_display(m->unit, median_of(s->v, s->n));
	char buf[64];
	long g = 0;

	printf("%s %s%s%s: %s per run, %s, %zu run%s\n", m->workload, m->name, m->labels_text[0] ? " " : "",
	       m->labels_text, stat_name(o->stat), u.name, s->n, s->n == 1 ? "" : "s");
	printf("  %-20s  %-22s  %-28s  %-12s  %10s\n", "STARTED", "RUN", "KERNEL", "COMMIT", "VALUE");
	for (size_t i = 0; i < s->n; i++) {
		const struct store_run *r = side->runs[s->run[i]];

		if (g < s->ncp && s->cp[g].index == i) {
			printf("  ---- change point %ld (p=%.3f) ----\n", g + 1, s->cp[g].p);
			g++;
		}
		printf("  %-20s  %-22s  %-28s  %-12.12s  %10s\n", r->started, r->run_id, r->kernel,
		       or_dash(r->kernel_commit), value_format(s->v[i] / u.divisor, buf, sizeof(buf)));
	}
	if (s->n < 2 * o->ed.min_size) {
		printf("  n=%zu runs: too few for change-point detection (need >= %zu: %zu on each side "
		       "of a change)\n\n",
		       s->n, 2 * o->ed.min_size, o->ed.min_size);
		return;
	}
	if (s->ncp == 0) {
		printf("  no change point (E-divisive, %zu permutations, alpha %g, at least %zu runs "
		       "a side)\n\n",
		       o->ed.permutations, o->ed.alpha, o->ed.min_size);
		return;
	}
	for (long k = 0; k < s->ncp; k++) {
		size_t at = s->cp[k].index;
		size_t from = k ? s->cp[k - 1].index : 0, to = k + 1 < s->ncp ? s->cp[k + 1].index : s->n;
		double before = median_of(s->v + from, at - from), after = median_of(s->v + at, to - at);
		const struct store_run *a = side->runs[s->run[at - 1]], *b = side->runs[s->run[at]];
		char changed[512], x[32], y[32];

		what_changed(a, b, changed, sizeof(changed));
		printf("  change point %ld: %s -> %s %s (%+.1f%%, medians of the segments), p=%.3f; %s\n", k + 1,
		       value_format(before / u.divisor, x, sizeof(x)),
		       value_format(after / u.divisor, y, sizeof(y)), u.name,
		       before != 0 ? 100 * (after / before - 1) : NAN, s->cp[k].p,
		       (after > before) == (strcmp(m->better, "lower") == 0) ? "worse" : "better");
		printf("    first run after: %s (%s)\n    last run before: %s (%s)\n", b->run_id, b->started,
		       a->run_id, a->started);
		if (a->kernel_commit && b->kernel_commit && strcmp(a->kernel_commit, b->kernel_commit) != 0)
			printf("    commits between: %s..%s (git log --oneline %s..%s)\n", a->kernel_commit,
			       b->kernel_commit, a->kernel_commit, b->kernel_commit);
		else if (a->kernel_commit && b->kernel_commit)
			printf("    commits between: none, both at %s: not a kernel change\n", a->kernel_commit);
		else
			printf("    commits between: unknown (no kernel commit recorded for %s; tcelab "
			       "ingest --kernel-commit records it)\n",
			       !a->kernel_commit && !b->kernel_commit ? "either run" : !a->kernel_commit ? "the run before" : "the run after");
		printf("    also changed: %s\n", changed[0] ? changed : "nothing else recorded (same kernel, "
							       "patch, TCE mode, host kind)");
	}
	putchar('\n');
}

static void html_series(FILE *f, const struct series *s, const struct ms_side *side)
{
	size_t cps[32];

	for (long k = 0; k < s->ncp; k++)
		cps[k] = s->cp[k].index;
	fputs("<section><h3>", f);
	html_escape(f, s->m->workload);
	fputs(" ", f);
	html_escape(f, s->m->name);
	fputs(" <small>", f);
	html_escape(f, s->m->labels_text);
	fprintf(f, "</small></h3><p>%ld change point%s", s->ncp, s->ncp == 1 ? "" : "s");
	for (long k = 0; k < s->ncp; k++) {
		fputs(k ? ", " : ": first run after: ", f);
		html_escape(f, side->runs[s->run[s->cp[k].index]]->run_id);
		fprintf(f, " (p=%.3f)", s->cp[k].p);
	}
	fputs("</p>", f);
	svg_trend(f, s->m->unit, s->v, s->n, cps, (size_t)s->ncp, 900);
	fputs("</section>\n", f);
}

int main(int argc, char **argv)
{
	struct opts o = { .db = store_default_path() };
	const char *metric = NULL, *seltext = "";
	struct metric_pattern pat;
	struct selection sel;
	struct store_run *all = NULL;
	size_t nall = 0, *picked = NULL, npicked, nseries = 0, nwith = 0;
	struct ms_side side;
	struct series *series;
	struct store *st;
	struct tl_error e;
	FILE *html = NULL;

	edivisive_defaults(&o.ed);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (a[0] != '-' || !a[1]) {
			if (!metric)
				metric = a;
			else if (!seltext[0])
				seltext = a;
			else {
				fprintf(stderr, "tcelab trend: one metric and one selection: '%s'?\n", a);
				return 2;
			}
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--changes-only") == 0) {
			o.changes_only = true;
		} else if (i + 1 >= argc) {
			fprintf(stderr, "tcelab trend: unknown option or missing value: '%s'\n", a);
			return 2;
		} else if (strcmp(a, "--db") == 0) {
			o.db = argv[++i];
		} else if (strcmp(a, "--html") == 0) {
			o.html = argv[++i];
		} else if (strcmp(a, "--stat") == 0) {
			const char *v = argv[++i];

			o.stat = strcmp(v, "p99") == 0 ? ST_P99 : strcmp(v, "mean") == 0 ? ST_MEAN
				 : strcmp(v, "min") == 0 ? ST_MIN : ST_MEDIAN;
			if (o.stat == ST_MEDIAN && strcmp(v, "median") != 0) {
				fprintf(stderr, "tcelab trend: --stat %s: not median, p99, mean or min\n", v);
				return 2;
			}
		} else if (strcmp(a, "--alpha") == 0) {
			o.ed.alpha = strtod(argv[++i], &end);
			if (*end || !(o.ed.alpha > 0 && o.ed.alpha < 1)) {
				fprintf(stderr, "tcelab trend: --alpha %s: not in (0, 1)\n", argv[i]);
				return 2;
			}
		} else if (strcmp(a, "--permutations") == 0 || strcmp(a, "--min-size") == 0) {
			long v = strtol(argv[++i], &end, 10);

			if (*end || v < (strcmp(a, "--min-size") == 0 ? 2 : 19) || v > 100000) {
				fprintf(stderr, "tcelab trend: %s %s: out of range\n", a, argv[i]);
				return 2;
			}
			if (strcmp(a, "--min-size") == 0)
				o.ed.min_size = (size_t)v;
			else
				o.ed.permutations = (size_t)v;
		} else {
			fprintf(stderr, "tcelab trend: unknown option '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (!metric) {
		fprintf(stderr, "tcelab trend: which metric? (see --help)\n");
		return 2;
	}
	if (parse_metric(metric, &pat, &e) || selection_parse(seltext, &sel, &e))
		return fail(&e);
	if (store_open(o.db, STORE_READ, &st, &e))
		return fail(&e);
	if (store_runs(st, &all, &nall, &e) || selection_apply(&sel, all, nall, &picked, &npicked, &e)) {
		store_close(st);
		return fail(&e);
	}
	/* the metric name as a selection term: SQLite reads only that metric */
	{
		char **names = calloc(2, sizeof(char *));

		names[0] = strdup(pat.name);
		for (size_t i = 0; sel.metrics && sel.metrics[i]; i++)
			free(sel.metrics[i]);
		free(sel.metrics);
		sel.metrics = names;
	}
	if (ms_side_load_runs(st, all, picked, npicked, &sel, "runs", false, &side, &e)) {
		store_close(st);
		return fail(&e);
	}
	series = calloc(side.nmetrics + 1, sizeof(*series));
	for (size_t i = 0; i < side.nmetrics; i++) {
		const struct ms_metric *m = &side.metrics[i];
		struct series *s = &series[nseries];
		char key[64];

		if ((pat.workload && strcmp(pat.workload, m->workload) != 0) ||
		    !labels_match(pat.labels, m->labels_text, m->labels))
			continue;
		s->m = m;
		s->v = malloc((m->nobs + 1) * sizeof(double));
		s->run = malloc((m->nobs + 1) * sizeof(size_t));
		for (size_t k = 0; k < m->nobs; k++) /* obs are in run order: oldest first */
			if (isfinite(obs_value(&m->obs[k], o.stat))) {
				s->v[s->n] = obs_value(&m->obs[k], o.stat);
				s->run[s->n++] = m->obs[k].run;
			}
		snprintf(key, sizeof(key), "%016llx", (unsigned long long)tl_rng_seed_of(m->key));
		o.ed.seed = tl_rng_seed_of(key);
		s->ncp = s->n >= 2 * o.ed.min_size ? edivisive(s->v, s->n, &o.ed, s->cp, 32) : 0;
		if (s->ncp < 0) {
			tl_err(&e, "out of memory");
			return fail(&e);
		}
		nwith += s->ncp > 0;
		nseries++;
	}
	if (nseries == 0) {
		tl_err(&e, "no metric '%s' in the %zu selected runs%s", metric, npicked,
		       side.excluded_failed ? " (some were left out: their workload failed)" : "");
		return fail(&e);
	}
	if (o.html && !(html = fopen(o.html, "w"))) {
		tl_err_errno(&e, "%s", o.html);
		return fail(&e);
	}
	if (html) {
		const struct ms_side *sp[1] = { &side };
		char banner[1024];

		sides_banner(sp, 1, banner, sizeof(banner));
		fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tcelab "
		      "trend</title><style>body{font:14px/1.45 system-ui,sans-serif;max-width:980px;"
		      "margin:20px auto;color:#1d1d1f}h3{font-size:15px;margin:22px 0 2px}small{color:#666;"
		      "font-weight:400}.banner{background:#fff4d6;border:1px solid #f0c36d;padding:8px "
		      "12px;border-radius:6px}</style></head><body><h1>tcelab trend: ",
		      html);
		html_escape(html, metric);
		fputs("</h1><div class=\"banner\">", html);
		html_escape(html, banner);
		fputs("</div>\n", html);
	}
	for (size_t i = 0; i < nseries; i++) {
		if (o.changes_only && series[i].ncp == 0)
			continue;
		print_series(&series[i], &side, &o);
		if (html)
			html_series(html, &series[i], &side);
	}
	printf("%zu series of %s over %zu runs: %zu with a change point.\n", nseries, metric, npicked,
	       nwith);
	if (html) {
		fputs("</body></html>\n", html);
		if (fclose(html) != 0) {
			tl_err_errno(&e, "%s", o.html);
			return fail(&e);
		}
	}
	for (size_t i = 0; i < nseries; i++) {
		free(series[i].v);
		free(series[i].run);
	}
	free(series);
	ms_side_free(&side);
	selection_free(&sel);
	free(picked);
	store_runs_free(all, nall);
	store_close(st);
	return 0;
}
