// SPDX-License-Identifier: GPL-2.0-only
#include "report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metricset.h"
#include "selection.h"
#include "store.h"
#include "svg.h"
#include "tcelab/error.h"
#include "tcelab/result.h"
#include "tcelab/stats.h"
#include "units.h"

#define BASE_COLOR "#4c78a8"
#define CAND_COLOR "#f58518"
#define PLOT_WIDTH 560
#define MAX_RUN_ROWS 8 /* one selection: a row per run up to this many, else pooled */

static const char *const run_colors[] = { "#4c78a8", "#f58518", "#54a24b", "#e45756",
					  "#72b7b2", "#b279a2", "#9d755d", "#eeca3b" };

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
	"color:#1d1d1f;margin:0;background:#f4f5f7}"
	"main{max-width:1260px;margin:0 auto;padding:22px 30px 60px;background:#fff;"
	"box-shadow:0 0 0 1px #e4e6ea}"
	"h1{font-size:22px;margin:0 0 2px}h2{font-size:18px;margin:34px 0 10px;"
	"border-bottom:2px solid #e4e6ea;padding-bottom:4px}h3{font-size:15px;margin:24px 0 6px}"
	".sub{color:#5f6368;margin:0}"
	".banner{padding:10px 14px;border-radius:6px;margin:16px 0;font-weight:500}"
	".banner.emulated{background:#fff4d6;border:1px solid #f0c36d}"
	".banner.hardware{background:#e6f4ea;border:1px solid #8cc79b}"
	".banner.mixed,.banner.unknown{background:#fde2e1;border:1px solid #e8908b}"
	"table{border-collapse:collapse;font-size:12.5px}"
	"th,td{padding:3px 9px;border-bottom:1px solid #eceef1;text-align:left;white-space:nowrap}"
	"th{background:#f7f8fa;font-weight:600;position:sticky;top:0}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}"
	"td.labels{white-space:normal;min-width:300px;max-width:360px}"
	"tr.regressed td.v{color:#b3261e;font-weight:600}tr.improved td.v{color:#1e7b34;"
	"font-weight:600}tr.too-few td.v{color:#8a6d00}tr.same td.v{color:#5f6368}"
	"tr.wl td{background:#f7f8fa;font-weight:600;padding-top:8px}"
	".chips span{display:inline-block;padding:2px 11px;border-radius:12px;margin:2px 6px 2px 0;"
	"font-size:13px;border:1px solid #ddd}"
	".chips .regressed{background:#fde2e1;border-color:#e8908b}.chips .improved{background:#e6f4ea;"
	"border-color:#8cc79b}.chips .too-few{background:#fff4d6;border-color:#f0c36d}"
	".metric{border:1px solid #e4e6ea;border-radius:8px;padding:10px 14px 6px;margin:12px 0}"
	".metric h4{margin:0 0 2px;font-size:14px}.metric p{margin:0 0 6px;color:#3c4043;font-size:13px}"
	".labels{color:#5f6368;font-weight:400;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;"
	"font-size:12px}.plots{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:flex-start}"
	"code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}"
	".base{color:" BASE_COLOR ";font-weight:600}.cand{color:" CAND_COLOR ";font-weight:600}"
	".scroll{overflow-x:auto}.note{color:#5f6368;font-size:12.5px}"
	"a{color:#1a5fb4;text-decoration:none}a:hover{text-decoration:underline}"
	"footer{margin-top:40px;color:#5f6368;font-size:12px}";

static const char *verdict_class(enum verdict v)
{
	return v == V_IMPROVED ? "improved" : v == V_REGRESSED ? "regressed" : v == V_SAME ? "same" : "too-few";
}

static void banner(FILE *f, const struct ms_side *const *sides, size_t n)
{
	char text[1024];
	const char *cls;

	sides_banner(sides, n, text, sizeof(text));
	cls = strncmp(text, "Measured in the EMULATED", 24) == 0 ? "emulated"
	      : strncmp(text, "Measured on HARDWARE", 20) == 0   ? "hardware"
	      : strncmp(text, "MIXED", 5) == 0			 ? "mixed"
								 : "unknown";
	fprintf(f, "<div class=\"banner %s\">", cls);
	html_escape(f, text);
	fputs("</div>\n", f);
}

static void side_para(FILE *f, const struct ms_side *s, const char *cls)
{
	char sum[512];

	side_summary(s, sum, sizeof(sum));
	fprintf(f, "<p class=\"sub\"><span class=\"%s\">%s</span> <code>", cls, s->role);
	html_escape(f, s->selection[0] ? s->selection : "(all runs)");
	fputs("</code>: ", f);
	html_escape(f, sum);
	fputs("</p>\n", f);
}

/* ---- metric cards ---- */

/* Per-side summary percentiles for a CDF when there are no samples: the
 * median over the side's runs of each. */
static void summary_series(const struct ms_metric *m, struct svg_series *s)
{
	double v[5][64];
	size_t n = 0;

	for (size_t i = 0; i < m->nobs && n < 64; i++, n++) {
		v[0][n] = m->obs[i].min;
		v[1][n] = m->obs[i].median;
		v[2][n] = m->obs[i].p99;
		v[3][n] = m->obs[i].p999;
		v[4][n] = m->obs[i].max;
	}
	for (int k = 0; k < 5; k++)
		stats_sort(v[k], n);
	s->summary_only = true;
	s->min = stats_percentile_sorted(v[0], n, 50);
	s->p50 = stats_percentile_sorted(v[1], n, 50);
	s->p99 = stats_percentile_sorted(v[2], n, 50);
	s->p999 = stats_percentile_sorted(v[3], n, 50);
	s->max = stats_percentile_sorted(v[4], n, 50);
}

static bool is_latency(const struct ms_metric *m)
{
	return strcmp(m->unit, "ns") == 0;
}

static void metric_title(FILE *f, const struct ms_metric *m, const char *anchor)
{
	fprintf(f, "<section class=\"metric\" id=\"%s\"><h4>", anchor);
	html_escape(f, m->name);
	fputs(" <span class=\"labels\">", f);
	html_escape(f, m->labels_text);
	fputs("</span></h4>\n", f);
}

static void compare_card(FILE *f, const struct cmp_row *r, const char *anchor,
			 const char *bname, const char *cname)
{
	struct svg_series s[2] = {
		{ .name = bname, .color = BASE_COLOR }, { .name = cname, .color = CAND_COLOR },
	};
	double *x = NULL, *y = NULL;
	bool pr;
	char b[64], c[64], d[32], ci[96], p[16];

	metric_title(f, r->base, anchor);
	ms_values(r->base, r->per_run, &x, &s[0].n, &pr);
	ms_values(r->cand, r->per_run, &y, &s[1].n, &pr);
	s[0].v = x;
	s[1].v = y;
	fprintf(f, "<p><span class=\"base\">%s</span> %s, <span class=\"cand\">%s</span> %s: "
		   "<b>%s</b> (95%% CI %s), p %s, n %zu+%zu%s &mdash; <b class=\"%s\">",
		bname, fmt_value(r->med1, r->base->unit, r->med1, b, sizeof(b)), cname,
		fmt_value(r->med2, r->base->unit, r->med1, c, sizeof(c)),
		fmt_delta(r->delta, d, sizeof(d)), fmt_ci(r, ci, sizeof(ci)), fmt_p(r->p, p, sizeof(p)),
		r->n1, r->n2, r->per_run ? " (one value per run)" : "", verdict_class(r->verdict));
	html_escape(f, r->verdict == V_TOO_FEW ? r->why : verdict_name(r->verdict));
	fputs("</b></p>\n<div class=\"plots\">", f);
	if (x && y)
		svg_box_strip(f, r->base->unit, s, 2, PLOT_WIDTH);
	if (x && y && is_latency(r->base)) {
		if (r->per_run) { /* no samples: the CDF from each side's percentiles */
			summary_series(r->base, &s[0]);
			summary_series(r->cand, &s[1]);
		}
		svg_cdf(f, r->base->unit, s, 2, PLOT_WIDTH);
	}
	fputs("</div></section>\n", f);
	free(x);
	free(y);
}

static void table_head(FILE *f, const char *bname, const char *cname)
{
	fprintf(f, "<div class=\"scroll\"><table><thead><tr><th>metric</th><th>labels</th>"
		   "<th>%s</th><th>cv</th><th>%s</th><th>cv</th><th>delta</th><th>95%% CI</th>"
		   "<th>p</th><th>n</th><th>verdict</th></tr></thead><tbody>\n",
		bname, cname);
}

static void compare_table(FILE *f, const struct comparison *c, const char *prefix)
{
	table_head(f, c->base.role, c->cand.role);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];
		char b[64], cd[64], cv1[16], cv2[16], d[32], ci[96], p[16];

		if (i == 0 || strcmp(r->base->workload, c->rows[i - 1].base->workload) != 0) {
			fputs("<tr class=\"wl\"><td colspan=\"11\">", f);
			html_escape(f, r->base->workload);
			fputs("</td></tr>\n", f);
		}
		fmt_cv(r->cv1, cv1, sizeof(cv1));
		fmt_cv(r->cv2, cv2, sizeof(cv2));
		fprintf(f, "<tr class=\"%s\"><td><a href=\"#%s-%zu\">", verdict_class(r->verdict), prefix, i);
		html_escape(f, r->base->name);
		fputs("</a></td><td class=\"labels\">", f);
		html_escape(f, r->base->labels_text);
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
			   "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
			   "</td><td class=\"num\">%s</td><td class=\"num\">%zu+%zu</td><td class=\"v\">",
			fmt_value(r->med1, r->base->unit, r->med1, b, sizeof(b)), cv1,
			fmt_value(r->med2, r->base->unit, r->med1, cd, sizeof(cd)), cv2,
			fmt_delta(r->delta, d, sizeof(d)), fmt_ci(r, ci, sizeof(ci)),
			fmt_p(r->p, p, sizeof(p)), r->n1, r->n2);
		html_escape(f, r->verdict == V_TOO_FEW ? "too few samples" : verdict_name(r->verdict));
		if (r->gate)
			fputs(" (fails the gate)", f);
		if (r->verdict != V_TOO_FEW && r->why[0]) {
			fputs(" <span class=\"note\">(", f);
			html_escape(f, r->why);
			fputs(")</span>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

static void chips(FILE *f, const struct comparison *c)
{
	fprintf(f, "<p class=\"chips\"><span class=\"regressed\">%zu regressed</span>"
		   "<span class=\"improved\">%zu improved</span><span>%zu no significant change</span>"
		   "<span class=\"too-few\">%zu too few samples</span></p>\n",
		c->count[V_REGRESSED], c->count[V_IMPROVED], c->count[V_SAME], c->count[V_TOO_FEW]);
}

static void method(FILE *f, const struct cmp_options *o)
{
	fprintf(f, "<p class=\"note\">delta: cand median / base median &minus; 1. 95%% CI: %s. "
		   "p: Mann&ndash;Whitney U, two-sided, exact when both n &le; 50, else the normal "
		   "approximation with tie and continuity correction. Verdict when p &lt; %g and the "
		   "interval excludes no change, its direction from the metric's <code>better</code>; "
		   "none with fewer than %zu values "
		   "per side. cv: sd / mean. n counts %s. Box: quartiles, whiskers at 1.5 IQR; every "
		   "dot a value (evenly spaced quantiles above %d).</p>\n",
		o->ci == CI_HODGES_LEHMANN ? "Hodges&ndash;Lehmann shift interval over the base median"
					   : "percentile bootstrap of the median ratio, seeded",
		o->alpha, o->min_n, o->per_run ? "runs (one median each)" : "raw samples pooled over a side's runs",
		300);
}

static void compare_cards(FILE *f, const struct comparison *c, const char *prefix)
{
	for (size_t i = 0; i < c->nrows; i++) {
		char anchor[64];

		if (i == 0 || strcmp(c->rows[i].base->workload, c->rows[i - 1].base->workload) != 0) {
			fputs("<h3>", f);
			html_escape(f, c->rows[i].base->workload);
			fputs("</h3>\n", f);
		}
		snprintf(anchor, sizeof(anchor), "%s-%zu", prefix, i);
		compare_card(f, &c->rows[i], anchor, c->base.role, c->cand.role);
	}
}

/* ---- one selection ---- */

/* 20261125T161508Z-ed1c reads 161508Z-ed1c in a plot's narrow margin */
static const char *short_id(const char *id)
{
	return strlen(id) > 9 && id[8] == 'T' ? id + 9 : id;
}

static void single(FILE *f, const struct ms_side *s, const struct cmp_options *o)
{
	bool by_run = s->nruns <= MAX_RUN_ROWS && s->nruns > 1;

	fprintf(f, "<h2>Metrics</h2><p class=\"note\">%s</p>\n",
		by_run ? "One row per run: run-to-run variation shows as rows that disagree."
		       : "Values pooled over the runs.");
	for (size_t i = 0; i < s->nmetrics; i++) {
		const struct ms_metric *m = &s->metrics[i];
		struct svg_series ser[MAX_RUN_ROWS];
		double *vals[MAX_RUN_ROWS] = { 0 }, *all = NULL;
		size_t nser = 0, nall;
		bool pr;
		char anchor[32], med[64];

		if (i == 0 || strcmp(m->workload, s->metrics[i - 1].workload) != 0) {
			fputs("<h3>", f);
			html_escape(f, m->workload);
			fputs("</h3>\n", f);
		}
		snprintf(anchor, sizeof(anchor), "m-%zu", i);
		metric_title(f, m, anchor);
		ms_values(m, o->per_run, &all, &nall, &pr);
		fprintf(f, "<p>median %s over %zu %s from %zu run%s</p><div class=\"plots\">",
			fmt_value(stats_percentile_sorted(all, nall, 50), m->unit,
				  stats_percentile_sorted(all, nall, 50), med, sizeof(med)),
			nall, pr ? "runs (one median each)" : "values", m->nobs, m->nobs == 1 ? "" : "s");
		if (by_run && !pr) {
			for (size_t k = 0; k < m->nobs && nser < MAX_RUN_ROWS; k++) {
				struct ms_metric one = *m;
				size_t n;

				one.obs = &m->obs[k];
				one.nobs = 1;
				ms_values(&one, false, &vals[nser], &n, &pr);
				ser[nser] = (struct svg_series){ .name = short_id(s->runs[m->obs[k].run]->run_id),
								 .color = run_colors[nser % 8],
								 .v = vals[nser], .n = n };
				nser++;
			}
		} else {
			ser[0] = (struct svg_series){ .name = "all runs", .color = BASE_COLOR, .v = all, .n = nall };
			nser = 1;
		}
		svg_box_strip(f, m->unit, ser, nser, PLOT_WIDTH);
		if (is_latency(m)) {
			if (pr) {
				ser[0] = (struct svg_series){ .name = "median run", .color = BASE_COLOR };
				summary_series(m, &ser[0]);
				nser = 1;
			}
			svg_cdf(f, m->unit, ser, nser, PLOT_WIDTH);
		}
		fputs("</div></section>\n", f);
		for (size_t k = 0; k < nser; k++)
			if (vals[k])
				free(vals[k]);
		free(all);
	}
}

/* ---- in-kernel vs userspace ---- */

static int tce_section_split(FILE *f, struct store *st, const struct store_run *all,
			     const size_t *picked, size_t npicked, const struct cmp_options *o,
			     struct tl_error *e);

/* "userspace" or "in-kernel" when every run of the side has that mode, else NULL. */
static const char *one_mode(const struct ms_side *s)
{
	const char *m = s->nruns ? s->runs[0]->tce_mode : NULL;

	for (size_t i = 0; m && i < s->nruns; i++)
		if (strcmp(s->runs[i]->tce_mode, m) != 0)
			m = NULL;
	return m && (strcmp(m, "userspace") == 0 || strcmp(m, "in-kernel") == 0) ? m : NULL;
}

static int tce_section(FILE *f, struct store *st, const struct store_run *all,
		       const size_t *picked, size_t npicked, const struct cmp_options *o,
		       const struct comparison *above, struct tl_error *e)
{
	if (above && one_mode(&above->base) && one_mode(&above->cand) &&
	    strcmp(one_mode(&above->base), one_mode(&above->cand)) != 0) {
		fprintf(f, "<h2 id=\"tce\">In-kernel vs userspace TCE</h2>\n<p>The comparison above "
			   "is this one: every base run has <b>%s</b> TCE, every candidate run "
			   "<b>%s</b>. With userspace TCE QEMU handles the guest's H_PUT_TCE "
			   "hypercalls; in-kernel, KVM does.</p>\n",
			one_mode(&above->base), one_mode(&above->cand));
		return 0;
	}
	return tce_section_split(f, st, all, picked, npicked, o, e);
}

static int tce_section_split(FILE *f, struct store *st, const struct store_run *all,
			     const size_t *picked, size_t npicked, const struct cmp_options *o,
			     struct tl_error *e)
{
	size_t *user = malloc((npicked + 1) * sizeof(*user)), *kern = malloc((npicked + 1) * sizeof(*kern));
	size_t nu = 0, nk = 0;
	char modes[256] = "";
	int ret = 0;

	if (!user || !kern) {
		free(user);
		free(kern);
		return tl_err(e, "out of memory");
	}
	for (size_t i = 0; i < npicked; i++) {
		const char *m = all[picked[i]].tce_mode;

		if (strcmp(m, "userspace") == 0)
			user[nu++] = picked[i];
		else if (strcmp(m, "in-kernel") == 0)
			kern[nk++] = picked[i];
		if (!strstr(modes, m) && strlen(modes) + strlen(m) + 3 < sizeof(modes))
			snprintf(modes + strlen(modes), sizeof(modes) - strlen(modes), "%s%s",
				 modes[0] ? ", " : "", m);
	}
	fputs("<h2 id=\"tce\">In-kernel vs userspace TCE</h2>\n", f);
	if (nu == 0 || nk == 0) {
		fputs("<p>No comparison: the selected runs' TCE mode", f);
		fprintf(f, "%s <b>", strchr(modes, ',') ? "s are" : " is");
		html_escape(f, modes);
		fprintf(f, "</b> (%zu userspace, %zu in-kernel). It needs runs of both, where KVM handles "
			   "the guest's H_PUT_TCE in the host kernel or leaves it to QEMU: the nested lab "
			   "or a POWER host. In the single-level emulated lab QEMU's TCG machine handles "
			   "the hypercalls itself (<code>emulated</code>).</p>\n",
			nu, nk);
	} else {
		struct ms_side us, ik;
		struct comparison c;

		if (ms_side_load_runs(st, all, user, nu, NULL, "userspace", o->include_failed, &us, e) ||
		    ms_side_load_runs(st, all, kern, nk, NULL, "in-kernel", o->include_failed, &ik, e)) {
			ret = -1;
		} else if (compare_sides(&us, &ik, o, &c, e)) {
			ret = -1;
			comparison_free(&c);
		} else {
			fprintf(f, "<p>Base: the %zu run%s with <b>userspace</b> TCE (QEMU handles the "
				   "hypercalls); cand: the %zu with <b>in-kernel</b> TCE (KVM does). "
				   "A negative delta in a cost is what in-kernel acceleration buys.</p>\n",
				nu, nu == 1 ? "" : "s", nk);
			chips(f, &c);
			compare_table(f, &c, "tce");
			compare_cards(f, &c, "tce");
			comparison_free(&c);
		}
		ms_side_free(&us);
		ms_side_free(&ik);
	}
	free(user);
	free(kern);
	return ret;
}

/* ---- runs ---- */

static void cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	html_escape(f, s && s[0] ? s : "-");
	fputs("</td>", f);
}

static void runs_table(FILE *f, const struct ms_side *const *sides, size_t n)
{
	fputs("<h2 id=\"runs\">Runs</h2><div class=\"scroll\"><table><thead><tr><th>side</th>"
	      "<th>run</th><th>started (UTC)</th><th>status</th><th>name</th><th>environment</th>"
	      "<th>host kind</th><th>lab machine</th><th>machine</th><th>cpu</th><th>kernel</th>"
	      "<th>commit</th><th>patch</th><th>TCE mode</th><th>device</th><th>LAVA job</th>"
	      "<th>wall</th><th>logs</th></tr></thead><tbody>\n",
	      f);
	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; i < sides[s]->nruns; i++) {
			const struct store_run *r = sides[s]->runs[i];
			char wall[32], status[96];

			snprintf(wall, sizeof(wall), isnan(r->wall_seconds) ? "-" : "%.0f s", r->wall_seconds);
			snprintf(status, sizeof(status), "%s%s", r->status,
				 r->nfailed ? " (workloads failed)" : "");
			fprintf(f, "<tr><td class=\"%s\">%s</td>", s == 0 ? "base" : "cand", sides[s]->role);
			cell(f, r->run_id);
			cell(f, r->started);
			cell(f, status);
			cell(f, r->name);
			cell(f, r->environment);
			cell(f, r->host_kind);
			cell(f, r->lab_machine);
			cell(f, r->machine);
			cell(f, r->cpu);
			cell(f, r->kernel);
			cell(f, r->kernel_commit);
			cell(f, r->patch);
			cell(f, r->tce_mode);
			cell(f, r->device);
			cell(f, r->lava_job);
			fprintf(f, "<td class=\"num\">%s</td><td><code>", wall);
			html_escape(f, r->logs);
			fputs("</code></td></tr>\n", f);
		}
	fputs("</tbody></table></div>\n", f);
}

int report_html(FILE *f, struct store *st, const struct store_run *all, size_t nall,
		const char *const *selections, size_t nsel, const struct cmp_options *o,
		const char *title, struct tl_error *e)
{
	static const char *const roles[2] = { "base", "cand" };
	struct ms_side sides[2];
	const struct ms_side *sp[2] = { &sides[0], &sides[1] };
	struct comparison c = { 0 };
	size_t *u = malloc((nall + 1) * sizeof(*u)), nu = 0;
	char now[40];
	time_t t = time(NULL);
	int ret = -1;

	memset(sides, 0, sizeof(sides));
	if (!u)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < nsel; i++)
		if (ms_side_load(st, all, nall, selections[i], nsel == 1 ? "runs" : roles[i],
				 o->include_failed, &sides[i], e))
			goto out;
	/* every run either selection picked, once, oldest first */
	for (size_t i = 0; i < nall; i++)
		for (size_t s = 0; s < nsel; s++) {
			bool in = false;

			for (size_t k = 0; k < sides[s].nruns && !in; k++)
				in = sides[s].runs[k] == &all[i];
			if (in) {
				u[nu++] = i;
				break;
			}
		}
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M UTC", gmtime(&t));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		   "<meta name=\"generator\" content=\"tcelab %s\"><title>",
		TCELAB_VERSION);
	html_escape(f, title);
	fprintf(f, "</title><style>%s</style></head><body><main>\n<h1>", css);
	html_escape(f, title);
	fprintf(f, "</h1><p class=\"sub\">tcelab %s report, made %s from the result store.</p>\n",
		TCELAB_VERSION, now);
	banner(f, sp, nsel);
	if (nsel == 2) {
		side_para(f, &sides[0], "base");
		side_para(f, &sides[1], "cand");
		{
			struct ms_side b = sides[0], k = sides[1];

			/* compare_sides takes the sides over; keep copies of what the
			 * runs table needs (the run pointers live in all) */
			memset(&sides[0], 0, sizeof(sides[0]));
			memset(&sides[1], 0, sizeof(sides[1]));
			if (compare_sides(&b, &k, o, &c, e))
				goto out;
		}
		sp[0] = &c.base;
		sp[1] = &c.cand;
		fputs("<h2 id=\"summary\">Base vs candidate</h2>\n", f);
		chips(f, &c);
		compare_table(f, &c, "m");
		method(f, o);
		if (tce_section(f, st, all, u, nu, o, &c, e))
			goto out;
		fputs("<h2 id=\"metrics\">Metrics</h2>\n", f);
		compare_cards(f, &c, "m");
	} else {
		side_para(f, &sides[0], "base");
		if (tce_section(f, st, all, u, nu, o, NULL, e))
			goto out;
		single(f, &sides[0], o);
	}
	runs_table(f, sp, nsel);
	fprintf(f, "<footer>Made by <code>tcelab report</code> (tcelab %s). Self-contained: no "
		   "scripts, fonts or images are fetched. Samples and runs are in the store; "
		   "<code>tcelab compare</code> prints the same table as text.</footer>\n"
		   "</main></body></html>\n",
		TCELAB_VERSION);
	ret = 0;
out:
	comparison_free(&c);
	ms_side_free(&sides[0]);
	ms_side_free(&sides[1]);
	free(u);
	return ret;
}
