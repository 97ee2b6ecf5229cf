// SPDX-License-Identifier: GPL-2.0-only
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tcelab/bootstrap.h"
#include "tcelab/error.h"
#include "tcelab/ranktest.h"
#include "tcelab/rng.h"
#include "units.h"

void cmp_defaults(struct cmp_options *o)
{
	*o = (struct cmp_options){
		.alpha = 0.05, .min_n = 5, .resamples = 10000, .ci = CI_BOOTSTRAP,
		.per_run = false, .include_failed = false, .fail_pct = NAN,
	};
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_IMPROVED:
		return "improved";
	case V_REGRESSED:
		return "regressed";
	case V_SAME:
		return "no significant change";
	default:
		return "too few samples";
	}
}

static void mean_cv(const double *v, size_t n, double *cv)
{
	double mean = 0, m2 = 0;

	for (size_t i = 0; i < n; i++) {
		double d = v[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * (v[i] - mean);
	}
	*cv = n > 1 && mean != 0 ? sqrt(m2 / (double)(n - 1)) / fabs(mean) : NAN;
}

static double median_sorted(const double *v, size_t n)
{
	if (n == 0)
		return NAN;
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static int compare_metric(const struct ms_metric *b, const struct ms_metric *c,
			  const struct cmp_options *o, struct cmp_row *r, struct tl_error *e)
{
	double *x = NULL, *y = NULL;
	bool pr1, pr2;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	r->base = b;
	r->cand = c;
	r->ci_lo = r->ci_hi = r->ci_abs_lo = r->ci_abs_hi = r->shift = r->p = NAN;
	if (ms_values(b, o->per_run, &x, &r->n1, &pr1) || ms_values(c, o->per_run, &y, &r->n2, &pr2)) {
		free(x);
		return tl_err(e, "out of memory");
	}
	/* Both sides the same way: if one has only per-run values, so does the other. */
	if (pr1 != pr2) {
		free(x);
		free(y);
		ms_values(b, true, &x, &r->n1, &pr1);
		ms_values(c, true, &y, &r->n2, &pr2);
	}
	r->per_run = pr1 || pr2;
	r->med1 = median_sorted(x, r->n1);
	r->med2 = median_sorted(y, r->n2);
	mean_cv(x, r->n1, &r->cv1);
	mean_cv(y, r->n2, &r->cv2);
	r->diff = r->med2 - r->med1;
	r->delta = r->med1 != 0 ? r->med2 / r->med1 - 1 : NAN;
	if (r->n1 < o->min_n || r->n2 < o->min_n) {
		r->verdict = V_TOO_FEW;
		snprintf(r->why, sizeof(r->why),
			 "n=%zu+%zu: too few samples for a verdict (need >= %zu per side%s)", r->n1,
			 r->n2, o->min_n, r->per_run ? ", one per run" : "");
		goto out;
	}
	{
		struct mw_result mw;
		uint64_t seed = tl_rng_seed_of(b->key);

		if (mw_test_sorted(x, r->n1, y, r->n2, &mw)) {
			ret = tl_err(e, "out of memory");
			goto out;
		}
		r->p = mw.p;
		r->exact = mw.exact;
		if (o->ci == CI_HODGES_LEHMANN) {
			struct hl_result h;

			if (hl_estimate_sorted(x, r->n1, y, r->n2, o->alpha, &h)) {
				ret = tl_err(e, "out of memory");
				goto out;
			}
			r->shift = h.shift;
			r->ci_abs_lo = h.lo;
			r->ci_abs_hi = h.hi;
			if (r->med1 != 0) {
				r->ci_lo = h.lo / fabs(r->med1);
				r->ci_hi = h.hi / fabs(r->med1);
			}
		} else {
			struct boot_result br;
			uint64_t N = (uint64_t)r->n1 * r->n2;

			if (boot_median_diff_sorted(x, r->n1, y, r->n2, o->resamples, o->alpha, seed, &br)) {
				ret = tl_err(e, "out of memory");
				goto out;
			}
			r->ci_abs_lo = br.diff_lo;
			r->ci_abs_hi = br.diff_hi;
			r->ci_lo = br.rel_lo;
			r->ci_hi = br.rel_hi;
			/* the shift's sign for the verdict: one selection, cheap at any n */
			r->shift = N % 2 ? hl_diff_kth(x, r->n1, y, r->n2, (N + 1) / 2)
					 : (hl_diff_kth(x, r->n1, y, r->n2, N / 2) +
					    hl_diff_kth(x, r->n1, y, r->n2, N / 2 + 1)) / 2;
		}
		if (r->p >= o->alpha) {
			r->verdict = V_SAME;
		} else if (!isnan(r->ci_abs_lo) && r->ci_abs_lo <= 0 && r->ci_abs_hi >= 0) {
			/* the rank test and the interval disagree: say so, claim nothing */
			r->verdict = V_SAME;
			snprintf(r->why, sizeof(r->why), "p=%.3g, but the 95%% CI includes no change", r->p);
		} else {
			double dir = r->shift != 0 ? r->shift : r->diff;
			bool lower = strcmp(b->better, "lower") == 0;

			if (dir == 0) {
				r->verdict = V_SAME;
				snprintf(r->why, sizeof(r->why),
					 "p=%.3g but no shift in location (the spread differs)", r->p);
			} else {
				r->verdict = (dir < 0) == lower ? V_IMPROVED : V_REGRESSED;
			}
		}
		if (r->verdict == V_REGRESSED && !isnan(o->fail_pct) &&
		    (isnan(r->delta) || fabs(r->delta) * 100 >= o->fail_pct))
			r->gate = true;
	}
out:
	free(x);
	free(y);
	return ret;
}

int compare_sides(struct ms_side *base, struct ms_side *cand, const struct cmp_options *o,
		  struct comparison *c, struct tl_error *e)
{
	memset(c, 0, sizeof(*c));
	c->base = *base;
	c->cand = *cand;
	memset(base, 0, sizeof(*base));
	memset(cand, 0, sizeof(*cand));
	c->opt = *o;
	c->rows = calloc(c->base.nmetrics + 1, sizeof(*c->rows));
	c->only_base = calloc(c->base.nmetrics + 1, sizeof(*c->only_base));
	c->only_cand = calloc(c->cand.nmetrics + 1, sizeof(*c->only_cand));
	if (!c->rows || !c->only_base || !c->only_cand)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < c->base.nmetrics; i++) {
		const struct ms_metric *b = &c->base.metrics[i];
		const struct ms_metric *m = ms_find(&c->cand, b->key);

		if (!m) {
			c->only_base[c->nonly_base++] = b;
			continue;
		}
		if (strcmp(b->unit, m->unit) != 0 || strcmp(b->better, m->better) != 0) {
			bool unit = strcmp(b->unit, m->unit) != 0;

			return tl_err(e,
				      "metric %s/%s {%s}: mixed %s: '%s' in base (run %s), '%s' in cand "
				      "(run %s); one metric's results must agree",
				      b->workload, b->name, b->labels_text,
				      unit ? "units" : "directions (better)", unit ? b->unit : b->better,
				      c->base.runs[b->obs[0].run]->run_id, unit ? m->unit : m->better,
				      c->cand.runs[m->obs[0].run]->run_id);
		}
		if (compare_metric(b, m, o, &c->rows[c->nrows], e))
			return -1;
		c->count[c->rows[c->nrows].verdict]++;
		c->ngate += c->rows[c->nrows].gate;
		c->nrows++;
	}
	for (size_t i = 0; i < c->cand.nmetrics; i++)
		if (!ms_find(&c->base, c->cand.metrics[i].key))
			c->only_cand[c->nonly_cand++] = &c->cand.metrics[i];
	if (c->nrows == 0)
		return tl_err(e, "base and cand have no metric in common (base %zu metrics in %zu runs, "
				 "cand %zu in %zu runs)",
			      c->base.nmetrics, c->base.nruns, c->cand.nmetrics, c->cand.nruns);
	return 0;
}

void comparison_free(struct comparison *c)
{
	ms_side_free(&c->base);
	ms_side_free(&c->cand);
	free(c->rows);
	free(c->only_base);
	free(c->only_cand);
	memset(c, 0, sizeof(*c));
}

/* ---- cells ---- */

const char *fmt_delta(double d, char *buf, size_t len)
{
	if (isnan(d))
		snprintf(buf, len, "-");
	else if (fabs(d) < 0.1)
		snprintf(buf, len, "%+.2f%%", 100 * d);
	else
		snprintf(buf, len, "%+.1f%%", 100 * d);
	return buf;
}

const char *fmt_ci(const struct cmp_row *r, char *buf, size_t len)
{
	char a[32], b[32];

	if (!isnan(r->ci_lo))
		snprintf(buf, len, "[%s, %s]", fmt_delta(r->ci_lo, a, sizeof(a)),
			 fmt_delta(r->ci_hi, b, sizeof(b)));
	else if (!isnan(r->ci_abs_lo))
		snprintf(buf, len, "[%s, %s] %s", value_format(r->ci_abs_lo, a, sizeof(a)),
			 value_format(r->ci_abs_hi, b, sizeof(b)), r->base->unit);
	else
		snprintf(buf, len, "-");
	return buf;
}

const char *fmt_p(double p, char *buf, size_t len)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<0.001");
	else
		snprintf(buf, len, "%.3f", p);
	return buf;
}

const char *fmt_value(double v, const char *unit, double typical, char *buf, size_t len)
{
	struct display_unit u = unit_for_display(unit, typical);
	char num[32];

	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s %s", value_format(v / u.divisor, num, sizeof(num)), u.name);
	return buf;
}

const char *fmt_cv(double cv, char *buf, size_t len)
{
	if (isnan(cv))
		snprintf(buf, len, "-");
	else if (cv < 0.1)
		snprintf(buf, len, "%.1f%%", 100 * cv);
	else
		snprintf(buf, len, "%.0f%%", 100 * cv);
	return buf;
}

/* ---- what was compared ---- */

/* The distinct values of one run field across sides, "a, b" (at most a few). */
static void distinct(const struct ms_side *const *sides, size_t nsides,
		     const char *(*get)(const struct store_run *), char *buf, size_t len)
{
	const char *seen[8];
	size_t nseen = 0, more = 0;

	buf[0] = '\0';
	for (size_t s = 0; s < nsides; s++)
		for (size_t i = 0; i < sides[s]->nruns; i++) {
			const char *v = get(sides[s]->runs[i]);
			bool dup = false;

			v = v ? v : "unknown";
			for (size_t k = 0; k < nseen && !dup; k++)
				dup = strcmp(seen[k], v) == 0;
			if (dup)
				continue;
			if (nseen < 8)
				seen[nseen++] = v;
			else
				more++;
		}
	for (size_t k = 0; k < nseen; k++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", k ? ", " : "", seen[k]);
	if (more)
		snprintf(buf + strlen(buf), len - strlen(buf), " and %zu more", more);
}

static const char *get_env(const struct store_run *r) { return r->environment; }
static const char *get_host(const struct store_run *r) { return r->host_kind; }
static const char *get_kernel(const struct store_run *r) { return r->kernel; }
static const char *get_mode(const struct store_run *r) { return r->tce_mode; }
static const char *get_machine(const struct store_run *r) { return r->machine; }

void sides_banner(const struct ms_side *const *sides, size_t nsides, char *buf, size_t len)
{
	char env[128], host[256], kernel[256], mode[128], machine[256];

	distinct(sides, nsides, get_env, env, sizeof(env));
	distinct(sides, nsides, get_host, host, sizeof(host));
	distinct(sides, nsides, get_kernel, kernel, sizeof(kernel));
	distinct(sides, nsides, get_mode, mode, sizeof(mode));
	distinct(sides, nsides, get_machine, machine, sizeof(machine));
	if (strcmp(env, "emulated") == 0)
		snprintf(buf, len,
			 "Measured in the EMULATED lab (QEMU TCG, %s, kernel %s, TCE mode: %s): "
			 "figures are functional and relative, not hardware performance.",
			 host, kernel, mode);
	else if (strcmp(env, "hardware") == 0)
		snprintf(buf, len, "Measured on HARDWARE (%s, %s, kernel %s, TCE mode: %s).", host,
			 machine, kernel, mode);
	else if (strstr(env, "emulated") && strstr(env, "hardware"))
		snprintf(buf, len,
			 "MIXED: some runs were measured in the EMULATED lab, some on HARDWARE (%s): "
			 "their figures are not comparable as performance.",
			 host);
	else
		snprintf(buf, len,
			 "Where some of this was measured is UNKNOWN (%s, kernel %s, TCE mode: %s): "
			 "compare its figures with nothing.",
			 host, kernel, mode);
}

void side_summary(const struct ms_side *s, char *buf, size_t len)
{
	const struct ms_side *one[1] = { s };
	char host[256], kernel[256], mode[128];
	const char *first = s->nruns ? s->runs[0]->started : "?";
	const char *last = s->nruns ? s->runs[s->nruns - 1]->started : "?";

	distinct(one, 1, get_host, host, sizeof(host));
	distinct(one, 1, get_kernel, kernel, sizeof(kernel));
	distinct(one, 1, get_mode, mode, sizeof(mode));
	snprintf(buf, len, "%zu run%s, kernel %s, TCE mode %s, %s, %.16s%s%.16s", s->nruns,
		 s->nruns == 1 ? "" : "s", kernel, mode, host, first, s->nruns > 1 ? " .. " : "",
		 s->nruns > 1 ? last : "");
	for (char *p = buf; *p; p++) /* 2026-11-25T16:15 reads better as 2026-11-25 16:15 */
		if (*p == 'T' && p > buf && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' && p[1] <= '9')
			*p = ' ';
}

/* What the sides differ in, "host_kind: pseries-tcg vs powernv9-tcg; ...". */
static void sides_differ(const struct comparison *c, char *buf, size_t len)
{
	static const struct {
		const char *name;
		const char *(*get)(const struct store_run *);
	} fields[] = { { "environment", get_env }, { "host_kind", get_host },
		       { "kernel", get_kernel }, { "tce_mode", get_mode } };

	buf[0] = '\0';
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		const struct ms_side *b[1] = { &c->base }, *k[1] = { &c->cand };
		char vb[256], vc[256];

		distinct(b, 1, fields[f].get, vb, sizeof(vb));
		distinct(k, 1, fields[f].get, vc, sizeof(vc));
		if (strcmp(vb, vc) != 0)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s: %s vs %s",
				 buf[0] ? "; " : "", fields[f].name, vb, vc);
	}
}

static void method_note(FILE *f, const struct comparison *c, const char *prefix)
{
	const struct cmp_options *o = &c->opt;

	fprintf(f, "%sdelta: cand median / base median - 1; 95%% CI: ", prefix);
	if (o->ci == CI_HODGES_LEHMANN)
		fprintf(f, "Hodges-Lehmann shift interval (distribution-free), over the base median");
	else
		fprintf(f, "bootstrap percentile interval of the median ratio (%zu resamples, seeded)",
			o->resamples);
	fprintf(f, ";\n%sp: Mann-Whitney U, two-sided (exact when both n <= %d, else normal with tie "
		   "and continuity correction);\n",
		prefix, MW_EXACT_LIMIT);
	fprintf(f, "%sverdict when p < %g and the CI excludes no change, its direction from the "
		   "metric's `better`; none below n = %zu per side; cv: sd / mean.\n",
		prefix, o->alpha, o->min_n);
	fprintf(f, "%sn counts %s; \"(per run)\" marks metrics with one value (a median) per run.\n",
		prefix, o->per_run ? "runs (--per-run)" : "raw samples pooled over a side's runs");
}

static void side_lines(FILE *f, const struct ms_side *s, const char *prefix, bool md)
{
	char sum[512];

	side_summary(s, sum, sizeof(sum));
	fprintf(f, "%s%s%s%s: '%s': %s\n%s  runs:", prefix, md ? "**" : "", s->role, md ? "**" : "",
		s->selection, sum, prefix);
	for (size_t i = 0; i < s->nruns; i++) {
		if (i == 8 && s->nruns > 10) {
			fprintf(f, " ... and %zu more", s->nruns - 8);
			break;
		}
		fprintf(f, " %s%s%s", md ? "`" : "", s->runs[i]->run_id, md ? "`" : "");
	}
	fputc('\n', f);
}

/* ---- text ---- */

enum { C_METRIC, C_LABELS, C_BASE, C_CV1, C_CAND, C_CV2, C_DELTA, C_CI, C_P, C_N, C_VERDICT,
       NCOLS };

static const char *const heads[NCOLS] = { "metric", "labels", "base", "cv", "cand", "cv",
					  "delta", "95% CI", "p", "n", "verdict" };
static const bool right[NCOLS] = { [C_BASE] = 1, [C_CV1] = 1, [C_CAND] = 1, [C_CV2] = 1,
				   [C_DELTA] = 1, [C_P] = 1, [C_N] = 1 };

static void row_cells(const struct cmp_row *r, char cell[NCOLS][160])
{
	const struct ms_metric *m = r->base;

	snprintf(cell[C_METRIC], 160, "%s", m->name);
	snprintf(cell[C_LABELS], 160, "%s", m->labels_text);
	fmt_value(r->med1, m->unit, r->med1, cell[C_BASE], 160);
	fmt_value(r->med2, m->unit, r->med1, cell[C_CAND], 160);
	fmt_cv(r->cv1, cell[C_CV1], 160);
	fmt_cv(r->cv2, cell[C_CV2], 160);
	fmt_delta(r->delta, cell[C_DELTA], 160);
	fmt_ci(r, cell[C_CI], 160);
	fmt_p(r->p, cell[C_P], 160);
	snprintf(cell[C_N], 160, "%zu+%zu%s", r->n1, r->n2, r->per_run ? " (per run)" : "");
	if (r->verdict == V_TOO_FEW)
		snprintf(cell[C_VERDICT], 160, "%s", r->why);
	else
		snprintf(cell[C_VERDICT], 160, "%s%s%s", verdict_name(r->verdict),
			 r->gate ? " (fails the gate)" : "", r->why[0] ? " - " : "");
	if (r->verdict != V_TOO_FEW && r->why[0])
		snprintf(cell[C_VERDICT] + strlen(cell[C_VERDICT]), 160 - strlen(cell[C_VERDICT]), "%s",
			 r->why);
}

static void pad(FILE *f, const char *s, size_t w, bool r, bool last)
{
	size_t tw = text_width(s);

	if (r)
		fprintf(f, "%*s%s", (int)(w > tw ? w - tw : 0), "", s);
	else if (last)
		fputs(s, f);
	else
		fprintf(f, "%s%*s", s, (int)(w > tw ? w - tw : 0), "");
	if (!last)
		fputs("  ", f);
}

void compare_print_text(FILE *f, const struct comparison *c)
{
	const struct ms_side *sides[2] = { &c->base, &c->cand };
	char banner[1024], differ[1024];
	char(*cells)[NCOLS][160] = calloc(c->nrows + 1, sizeof(*cells));
	size_t w[NCOLS];

	if (!cells) {
		fputs("(out of memory)\n", f);
		return;
	}
	side_lines(f, &c->base, "", false);
	side_lines(f, &c->cand, "", false);
	sides_banner(sides, 2, banner, sizeof(banner));
	fprintf(f, "%s\n", banner);
	sides_differ(c, differ, sizeof(differ));
	if (differ[0])
		fprintf(f, "The sides differ in %s.\n", differ);
	fputc('\n', f);
	for (int k = 0; k < NCOLS; k++)
		w[k] = text_width(heads[k]);
	for (size_t i = 0; i < c->nrows; i++) {
		row_cells(&c->rows[i], cells[i]);
		for (int k = 0; k < NCOLS; k++)
			if (text_width(cells[i][k]) > w[k])
				w[k] = text_width(cells[i][k]);
	}
	for (size_t i = 0; i < c->nrows; i++) {
		const char *wl = c->rows[i].base->workload;

		if (i == 0 || strcmp(wl, c->rows[i - 1].base->workload) != 0) {
			if (i)
				fputc('\n', f);
			fprintf(f, "%s\n", wl);
			for (int k = 0; k < NCOLS; k++)
				pad(f, heads[k], w[k], right[k], k == NCOLS - 1);
			fputc('\n', f);
		}
		for (int k = 0; k < NCOLS; k++)
			pad(f, cells[i][k], w[k], right[k], k == NCOLS - 1);
		fputc('\n', f);
	}
	free(cells);
	fprintf(f, "\n%zu metrics: %zu improved, %zu regressed, %zu no significant change, %zu with "
		   "too few samples",
		c->nrows, c->count[V_IMPROVED], c->count[V_REGRESSED], c->count[V_SAME],
		c->count[V_TOO_FEW]);
	if (!isnan(c->opt.fail_pct))
		fprintf(f, "; %zu regression%s of %g%% or more (--fail-on-regression)", c->ngate,
			c->ngate == 1 ? "" : "s", c->opt.fail_pct);
	fputs(".\n", f);
	if (c->nonly_base || c->nonly_cand)
		fprintf(f, "Not compared: %zu metrics only in base, %zu only in cand%s\n", c->nonly_base,
			c->nonly_cand, c->nonly_base + c->nonly_cand <= 6 ? ":" : " (e.g.):");
	for (size_t i = 0; i < c->nonly_base && i < 3; i++)
		fprintf(f, "  base only: %s %s %s\n", c->only_base[i]->workload, c->only_base[i]->name,
			c->only_base[i]->labels_text);
	for (size_t i = 0; i < c->nonly_cand && i < 3; i++)
		fprintf(f, "  cand only: %s %s %s\n", c->only_cand[i]->workload, c->only_cand[i]->name,
			c->only_cand[i]->labels_text);
	if (c->base.excluded_failed || c->cand.excluded_failed)
		fprintf(f, "Left out: %zu base and %zu cand metric results of failed or skipped "
			   "workloads (--include-failed keeps them).\n",
			c->base.excluded_failed, c->cand.excluded_failed);
	method_note(f, c, "");
}

/* ---- Markdown ---- */

static void md_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '*' || *s == '_' || *s == '`' || *s == '<' || *s == '[')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void compare_print_markdown(FILE *f, const struct comparison *c)
{
	const struct ms_side *sides[2] = { &c->base, &c->cand };
	char banner[1024], differ[1024], cell[NCOLS][160];

	fprintf(f, "### tcelab compare: `%s` (base) vs `%s` (cand)\n\n", c->base.selection,
		c->cand.selection);
	sides_banner(sides, 2, banner, sizeof(banner));
	fprintf(f, "> %s\n\n", banner);
	side_lines(f, &c->base, "- ", true);
	side_lines(f, &c->cand, "- ", true);
	sides_differ(c, differ, sizeof(differ));
	if (differ[0])
		fprintf(f, "- the sides differ in %s\n", differ);
	fprintf(f, "\n| workload | metric | labels | base | cv | cand | cv | delta | 95%% CI | p | n | "
		   "verdict |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];

		row_cells(r, cell);
		fputs("| ", f);
		md_escape(f, r->base->workload);
		for (int k = 0; k < NCOLS; k++) {
			fputs(" | ", f);
			if (k == C_VERDICT && (r->verdict == V_REGRESSED || r->verdict == V_IMPROVED))
				fputs("**", f);
			md_escape(f, cell[k]);
			if (k == C_VERDICT && (r->verdict == V_REGRESSED || r->verdict == V_IMPROVED))
				fputs("**", f);
		}
		fputs(" |\n", f);
	}
	fprintf(f, "\n%zu metrics: %zu improved, %zu regressed, %zu no significant change, %zu with "
		   "too few samples.\n\n",
		c->nrows, c->count[V_IMPROVED], c->count[V_REGRESSED], c->count[V_SAME],
		c->count[V_TOO_FEW]);
	method_note(f, c, "");
}

/* ---- JUnit ---- */

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '&')
			fputs("&amp;", f);
		else if (ch == '<')
			fputs("&lt;", f);
		else if (ch == '>')
			fputs("&gt;", f);
		else if (ch == '"')
			fputs("&quot;", f);
		else if (ch < 0x20 && ch != '\n' && ch != '\t')
			fputc(' ', f);
		else
			fputc(ch, f);
	}
}

void compare_print_junit(FILE *f, const struct comparison *c)
{
	const struct ms_side *sides[2] = { &c->base, &c->cand };
	char banner[1024], cell[NCOLS][160];
	size_t fails = 0;

	/* Without --fail-on-regression every significant regression is a failure here
	 * (the exit status stays 0); with it, those of at least that size. */
	for (size_t i = 0; i < c->nrows; i++)
		fails += isnan(c->opt.fail_pct) ? c->rows[i].verdict == V_REGRESSED : c->rows[i].gate;
	sides_banner(sides, 2, banner, sizeof(banner));
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"tcelab compare\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		c->nrows, fails, c->count[V_TOO_FEW]);
	fprintf(f, "  <testsuite name=\"");
	xml_escape(f, c->base.selection);
	fputs(" vs ", f);
	xml_escape(f, c->cand.selection);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", c->nrows, fails,
		c->count[V_TOO_FEW]);
	fputs("    <properties>\n      <property name=\"where\" value=\"", f);
	xml_escape(f, banner);
	fputs("\"/>\n", f);
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sides[s]->nruns; i++) {
			fprintf(f, "      <property name=\"%s.run\" value=\"", sides[s]->role);
			xml_escape(f, sides[s]->runs[i]->run_id);
			fputs("\"/>\n", f);
		}
	fputs("    </properties>\n", f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];
		bool fail = isnan(c->opt.fail_pct) ? r->verdict == V_REGRESSED : r->gate;
		char msg[512];

		row_cells(r, cell);
		fputs("    <testcase classname=\"", f);
		xml_escape(f, r->base->workload);
		fputs("\" name=\"", f);
		xml_escape(f, r->base->name);
		if (r->base->labels_text[0]) {
			fputs(" {", f);
			xml_escape(f, r->base->labels_text);
			fputs("}", f);
		}
		fputs("\" time=\"0\">", f);
		snprintf(msg, sizeof(msg), "%s: %s -> %s (%s, 95%% CI %s, p %s, n %s)",
			 verdict_name(r->verdict), cell[C_BASE], cell[C_CAND], cell[C_DELTA], cell[C_CI],
			 cell[C_P], cell[C_N]);
		if (r->verdict == V_TOO_FEW) {
			fputs("<skipped message=\"", f);
			xml_escape(f, r->why);
			fputs("\"/>", f);
		} else if (fail) {
			fputs("\n      <failure type=\"regression\" message=\"", f);
			xml_escape(f, msg);
			fputs("\">", f);
			xml_escape(f, msg);
			fputs("</failure>\n    ", f);
		} else {
			fputs("<system-out>", f);
			xml_escape(f, msg);
			fputs("</system-out>", f);
		}
		fputs("</testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
}
