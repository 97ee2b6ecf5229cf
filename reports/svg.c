// SPDX-License-Identifier: GPL-2.0-only
#include "svg.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tcelab/stats.h"
#include "units.h"

#define FONT "font-family=\"system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif\""
#define AXIS_COLOR "#555"
#define GRID_COLOR "#e3e3e3"
#define STRIP_POINTS 300
#define CDF_POINTS 400

void html_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

struct axis {
	double lo, hi; /* in recorded units */
	bool log;
	double p0, p1; /* pixels */
	struct display_unit u;
	double step;   /* linear tick step */
};

static double nice(double x)
{
	double e = floor(log10(x)), f = x / pow(10, e);

	return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * pow(10, e);
}

static void axis_setup(struct axis *a, double vmin, double vmax, const char *unit, double p0,
		       double p1, bool allow_log)
{
	a->p0 = p0;
	a->p1 = p1;
	if (!isfinite(vmin) || !isfinite(vmax)) {
		vmin = 0;
		vmax = 1;
	}
	a->log = allow_log && vmin > 0 && vmax / vmin > 30;
	if (a->log) {
		a->lo = pow(10, floor(log10(vmin)));
		a->hi = pow(10, ceil(log10(vmax)));
		if (a->hi <= a->lo)
			a->hi = a->lo * 10;
		a->u = unit_for_display(unit, sqrt(vmin * vmax));
		return;
	}
	if (vmax == vmin) {
		double d = vmin != 0 ? fabs(vmin) * 0.05 : 1;

		vmin -= d;
		vmax += d;
	}
	a->step = nice((vmax - vmin) / 5);
	a->lo = floor(vmin / a->step) * a->step;
	a->hi = ceil(vmax / a->step) * a->step;
	a->u = unit_for_display(unit, fmax(fabs(vmin), fabs(vmax)));
}

static double ax(const struct axis *a, double v)
{
	double t;

	if (a->log)
		t = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : 0;
	else
		t = (v - a->lo) / (a->hi - a->lo);
	return a->p0 + t * (a->p1 - a->p0);
}

static const char *tick_label(const struct axis *a, double v, char *buf, size_t len)
{
	double step = a->step / a->u.divisor;
	int decimals = 0;

	if (a->log || !(step > 0))
		return value_format(v / a->u.divisor, buf, len);
	/* as many decimals as the step needs: 5.5, 6, 6.5 rather than 5.500 */
	while (decimals < 6 && fabs(step * pow(10, decimals) - round(step * pow(10, decimals))) > 1e-6)
		decimals++;
	snprintf(buf, len, "%.*f", decimals, v / a->u.divisor);
	return buf;
}

/* Ticks along x at height y (the axis line), gridlines up to y_top. */
static void x_axis(FILE *f, const struct axis *a, double y, double y_top)
{
	char buf[32];

	fprintf(f, "<g stroke=\"%s\" stroke-width=\"1\">", GRID_COLOR);
	if (a->log) {
		for (double d = a->lo; d <= a->hi * 1.0001; d *= 10)
			for (int m = 1; m < 10; m++) {
				double v = d * m;

				if (v > a->hi * 1.0001)
					break;
				fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"%s/>",
					ax(a, v), ax(a, v), y_top, y,
					m == 1 ? "" : " stroke-opacity=\"0.45\"");
			}
	} else {
		for (double v = a->lo; v <= a->hi + a->step / 2; v += a->step)
			fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", ax(a, v),
				ax(a, v), y_top, y);
	}
	fprintf(f, "</g><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", a->p0,
		a->p1, y, y, AXIS_COLOR);
	fprintf(f, "<g %s font-size=\"10.5\" fill=\"%s\" text-anchor=\"middle\">", FONT, AXIS_COLOR);
	if (a->log) {
		static const int labelled[] = { 1, 2, 5 };

		for (double d = a->lo; d <= a->hi * 1.0001; d *= 10)
			for (int k = 0; k < 3; k++) {
				double v = d * labelled[k];

				if (v > a->hi * 1.0001 || (k && a->hi / a->lo > 1e3))
					continue;
				fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", ax(a, v), y + 13,
					tick_label(a, v, buf, sizeof(buf)));
			}
	} else {
		for (double v = a->lo; v <= a->hi + a->step / 2; v += a->step)
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", ax(a, v), y + 13,
				tick_label(a, fabs(v) < a->step * 1e-9 ? 0 : v, buf, sizeof(buf)));
	}
	fprintf(f, "</g><text %s font-size=\"10.5\" fill=\"%s\" x=\"%.1f\" y=\"%.1f\" "
		   "text-anchor=\"end\">%s%s</text>",
		FONT, AXIS_COLOR, a->p1, y + 25, a->u.name, a->log ? " (log scale)" : "");
}

static void range(const struct svg_series *s, size_t ns, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].n) {
			*lo = fmin(*lo, s[i].v[0]);
			*hi = fmax(*hi, s[i].v[s[i].n - 1]);
		}
		if (s[i].summary_only) {
			if (isfinite(s[i].min))
				*lo = fmin(*lo, s[i].min);
			if (isfinite(s[i].max))
				*hi = fmax(*hi, s[i].max);
			else if (isfinite(s[i].p999))
				*hi = fmax(*hi, s[i].p999);
		}
	}
}

/* A deterministic jitter in [-0.5, 0.5). */
static double jitter(uint64_t k)
{
	k = (k + 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
	k ^= k >> 31;
	return (double)(k % 10000) / 10000.0 - 0.5;
}

struct box {
	double q1, md, q3, wl, wh; /* whiskers: the extreme values within 1.5 IQR */
};

static void box_of(const struct svg_series *r, struct box *b)
{
	double iqr;

	b->md = stats_percentile_sorted(r->v, r->n, 50);
	if (r->n < 5) {
		b->q1 = b->wl = r->v[0];
		b->q3 = b->wh = r->v[r->n - 1];
		return;
	}
	b->q1 = stats_percentile_sorted(r->v, r->n, 25);
	b->q3 = stats_percentile_sorted(r->v, r->n, 75);
	iqr = b->q3 - b->q1;
	b->wl = r->v[0];
	b->wh = r->v[r->n - 1];
	for (size_t k = 0; k < r->n; k++)
		if (r->v[k] >= b->q1 - 1.5 * iqr) {
			b->wl = r->v[k];
			break;
		}
	for (size_t k = r->n; k-- > 0;)
		if (r->v[k] <= b->q3 + 1.5 * iqr) {
			b->wh = r->v[k];
			break;
		}
}

/*
 * The axis spans the whiskers, not the outliers: one 65 µs first call
 * must not squash 256 calls of 4 µs into a pixel. Values beyond are drawn
 * at the edge and counted; the CDF beside shows the whole range.
 */
void svg_box_strip(FILE *f, const char *unit, const struct svg_series *s, size_t ns, int width)
{
	const double left = 112, right = 56, top = 10, row = 46;
	double height = top + row * (double)ns + 34, lo = INFINITY, hi = -INFINITY;
	struct axis a;

	for (size_t i = 0; i < ns; i++) {
		struct box b;

		if (!s[i].n)
			continue;
		box_of(&s[i], &b);
		lo = fmin(lo, b.wl);
		hi = fmax(hi, b.wh);
	}
	if (isfinite(lo) && hi > lo) {
		double pad = (hi - lo) * 0.04;

		lo = lo - pad > 0 || lo <= 0 ? lo - pad : lo / 1.05;
		hi += pad;
	}
	axis_setup(&a, lo, hi, unit, left, width - right, true);
	fprintf(f, "<svg class=\"plot box\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\">",
		width, height, width, height);
	x_axis(f, &a, top + row * (double)ns + 4, top);
	for (size_t i = 0; i < ns; i++) {
		const struct svg_series *r = &s[i];
		double yc = top + row * (double)i + row / 2;
		size_t m = r->n < STRIP_POINTS ? r->n : STRIP_POINTS, below = 0, above = 0;
		struct box b;
		char med[32];

		fprintf(f, "<text %s font-size=\"12\" font-weight=\"600\" fill=\"%s\" x=\"%.0f\" "
			   "y=\"%.1f\" text-anchor=\"end\">",
			FONT, r->color, left - 8, yc - 1);
		html_escape(f, r->name);
		fprintf(f, "</text><text %s font-size=\"10.5\" fill=\"%s\" x=\"%.0f\" y=\"%.1f\" "
			   "text-anchor=\"end\">n=%zu</text>",
			FONT, AXIS_COLOR, left - 8, yc + 12, r->n);
		if (r->n == 0)
			continue;
		box_of(r, &b);
		for (size_t k = 0; k < r->n; k++) {
			below += r->v[k] < a.lo;
			above += r->v[k] > a.hi;
		}
		/* every value when few, else evenly spaced quantiles: the shape stays */
		fprintf(f, "<path stroke=\"%s\" stroke-opacity=\"0.45\" stroke-width=\"4.5\" "
			   "stroke-linecap=\"round\" fill=\"none\" d=\"",
			r->color);
		for (size_t k = 0; k < m; k++) {
			size_t idx = m > 1 ? (size_t)llround((double)k * (double)(r->n - 1) / (double)(m - 1)) : 0;
			double v = fmin(fmax(r->v[idx], a.lo), a.hi);

			fprintf(f, "M%.1f %.1fh0", ax(&a, v), yc + jitter(k * 7919 + i) * 26);
		}
		fputs("\"/>", f);
		if (below)
			fprintf(f, "<text %s font-size=\"10\" fill=\"%s\" x=\"%.0f\" y=\"%.1f\" "
				   "text-anchor=\"start\">&#9664;%zu</text>",
				FONT, AXIS_COLOR, left + 2, yc - 13, below);
		if (above)
			fprintf(f, "<text %s font-size=\"10\" fill=\"%s\" x=\"%.0f\" y=\"%.1f\">%zu "
				   "beyond&#9654;</text>",
				FONT, AXIS_COLOR, width - right + 7, yc + 4, above);
		if (r->n >= 5)
			fprintf(f, "<g stroke=\"#222\" stroke-width=\"1.3\" fill=\"none\">"
				   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
				   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
				   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
				   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
				   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"20\" fill=\"%s\" "
				   "fill-opacity=\"0.15\"/></g>",
				ax(&a, b.wl), ax(&a, b.q1), yc, yc, ax(&a, b.q3), ax(&a, b.wh), yc, yc,
				ax(&a, b.wl), ax(&a, b.wl), yc - 6, yc + 6, ax(&a, b.wh), ax(&a, b.wh),
				yc - 6, yc + 6, ax(&a, b.q1), yc - 10, fmax(ax(&a, b.q3) - ax(&a, b.q1), 0.8),
				r->color);
		fprintf(f, "<line stroke=\"#111\" stroke-width=\"%s\" x1=\"%.1f\" x2=\"%.1f\" "
			   "y1=\"%.1f\" y2=\"%.1f\"><title>median %s %s</title></line>",
			r->n >= 5 ? "3" : "2", ax(&a, b.md), ax(&a, b.md), yc - 12, yc + 12,
			value_format(b.md / a.u.divisor, med, sizeof(med)), a.u.name);
	}
	fputs("</svg>", f);
}

/*
 * Latency CDF on a tail-expanded scale: the height is -log10(1 - F), so
 * the median, p90, p99 and p99.9 are evenly spaced and the tail, where
 * latency regressions hide, gets as much room as the body.
 */
static double tail_y(double F)
{
	return -log10(fmax(1 - F, 1e-6));
}

void svg_cdf(FILE *f, const char *unit, const struct svg_series *s, size_t ns, int width)
{
	const double left = 46, right = 18, top = 10, ph = 170;
	double lo, hi, ytop = 2;
	struct axis a;

	range(s, ns, &lo, &hi);
	for (size_t i = 0; i < ns; i++) /* the deepest percentile the data has */
		ytop = fmax(ytop, s[i].summary_only ? 3 : s[i].n ? ceil(tail_y(1 - 0.5 / (double)s[i].n) - 0.15) : 2);
	ytop = fmin(ytop, 4);
	axis_setup(&a, lo, hi, unit, left, width - right, true);
#define Y(F) (top + ph * (1 - tail_y(F) / ytop))
	fprintf(f, "<svg class=\"plot cdf\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\">",
		width, top + ph + 34, width, top + ph + 34);
	x_axis(f, &a, top + ph, top);
	{
		static const double ys[] = { 0.5, 0.9, 0.99, 0.999, 0.9999 };
		static const char *const yl[] = { "p50", "p90", "p99", "p99.9", "p99.99" };

		fprintf(f, "<text %s font-size=\"10.5\" fill=\"%s\" x=\"%.0f\" y=\"%.1f\" "
			   "text-anchor=\"end\">p0</text>",
			FONT, AXIS_COLOR, left - 5, top + ph + 3.5);
		for (size_t k = 0; k < sizeof(ys) / sizeof(ys[0]) && tail_y(ys[k]) <= ytop + 1e-9; k++)
			fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
				   "<text %s font-size=\"10.5\" fill=\"%s\" x=\"%.0f\" y=\"%.1f\" "
				   "text-anchor=\"end\">%s</text>",
				left, width - right, Y(ys[k]), Y(ys[k]), GRID_COLOR, FONT, AXIS_COLOR,
				left - 5, Y(ys[k]) + 3.5, yl[k]);
	}
	for (size_t i = 0; i < ns; i++) {
		const struct svg_series *r = &s[i];

		if (r->summary_only) {
			/* only percentiles: a dashed line through them, dots at each */
			const double px[] = { r->min, r->p50, r->p99, r->p999 };
			const double py[] = { 0, 0.5, 0.99, 0.999 };
			bool first = true;

			fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" "
				   "stroke-dasharray=\"5 3\" d=\"",
				r->color);
			for (int k = 0; k < 4; k++)
				if (isfinite(px[k])) {
					fprintf(f, "%s%.1f %.1f", first ? "M" : "L", ax(&a, px[k]), Y(py[k]));
					first = false;
				}
			fprintf(f, "\"/><path stroke=\"%s\" stroke-width=\"5\" stroke-linecap=\"round\" d=\"",
				r->color);
			for (int k = 0; k < 4; k++)
				if (isfinite(px[k]))
					fprintf(f, "M%.1f %.1fh0", ax(&a, px[k]), Y(py[k]));
			fputs("\"/>", f);
			continue;
		}
		if (r->n == 0)
			continue;
		{
			/* evenly spaced in the tail-expanded height, not in rank: the
			 * tail keeps its points however many samples there are */
			size_t last = (size_t)-1;

			fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" "
				   "stroke-linejoin=\"round\" d=\"M%.1f %.1f",
				r->color, ax(&a, r->v[0]), Y(0));
			for (size_t k = 0; k <= CDF_POINTS; k++) {
				double h = ytop * (double)k / CDF_POINTS;
				double F = 1 - pow(10, -h);
				size_t idx = (size_t)fmin(floor(F * (double)r->n), (double)(r->n - 1));

				if (idx == last)
					continue;
				last = idx;
				fprintf(f, "H%.1fV%.1f", ax(&a, r->v[idx]),
					Y(fmin((double)(idx + 1) / (double)r->n, 1 - pow(10, -ytop))));
			}
			fputs("\"/>", f);
		}
	}
	for (size_t i = 0; i < ns; i++) { /* legend, bottom right: where a CDF has no line */
		double y = top + ph - 10 - 15 * (double)(ns - 1 - i), x = width - right - 150;

		fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
			   "stroke-width=\"2.5\"%s/><text %s font-size=\"11\" x=\"%.0f\" y=\"%.1f\">",
			x, x + 18, y - 4, y - 4, s[i].color,
			s[i].summary_only ? " stroke-dasharray=\"5 3\"" : "", FONT, x + 23, y);
		html_escape(f, s[i].name);
		if (s[i].summary_only)
			fputs(" (from percentiles)", f);
		fputs("</text>", f);
	}
#undef Y
	fputs("</svg>", f);
}

void svg_trend(FILE *f, const char *unit, const double *values, size_t n, const size_t *cp,
	       size_t ncp, int width)
{
	const double left = 56, right = 18, top = 12, ph = 150;
	double lo = INFINITY, hi = -INFINITY;
	struct axis y;
	char buf[32];

	for (size_t i = 0; i < n; i++) {
		lo = fmin(lo, values[i]);
		hi = fmax(hi, values[i]);
	}
	/* y axis: the same machinery, turned on its side */
	axis_setup(&y, lo, hi, unit, top + ph, top, false);
	fprintf(f, "<svg class=\"plot trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\">",
		width, top + ph + 26, width, top + ph + 26);
	for (double v = y.lo; v <= y.hi + y.step / 2; v += y.step)
		fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
			   "<text %s font-size=\"10.5\" fill=\"%s\" x=\"%.0f\" y=\"%.1f\" "
			   "text-anchor=\"end\">%s</text>",
			left, width - right, ax(&y, v), ax(&y, v), GRID_COLOR, FONT, AXIS_COLOR, left - 5,
			ax(&y, v) + 3.5, value_format(v / y.u.divisor, buf, sizeof(buf)));
	fprintf(f, "<text %s font-size=\"10.5\" fill=\"%s\" x=\"%.0f\" y=\"%.0f\">%s</text>", FONT,
		AXIS_COLOR, left + 4, top + 10, y.u.name);
#define XPOS(i) (n > 1 ? left + 8 + (double)(i) * (width - right - left - 16) / (double)(n - 1) \
		       : (left + width - right) / 2)
	/* segment medians */
	for (size_t g = 0; g <= ncp; g++) {
		size_t s = g ? cp[g - 1] : 0, e = g < ncp ? cp[g] : n;
		double seg[4096], md;
		size_t m = e - s < 4096 ? e - s : 4096;

		if (m == 0)
			continue;
		memcpy(seg, values + s, m * sizeof(double));
		stats_sort(seg, m);
		md = stats_percentile_sorted(seg, m, 50);
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#4c78a8\" "
			   "stroke-width=\"2\" stroke-opacity=\"0.6\"/>",
			XPOS(s) - 4, XPOS(e - 1) + 4, ax(&y, md), ax(&y, md));
	}
	for (size_t g = 0; g < ncp; g++) {
		double x = (XPOS(cp[g] - 1) + XPOS(cp[g])) / 2;

		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#e45756\" "
			   "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
			x, x, top, top + ph);
	}
	fprintf(f, "<path stroke=\"#333\" stroke-width=\"1\" fill=\"none\" d=\"");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%.1f %.1f", i ? "L" : "M", XPOS(i), ax(&y, values[i]));
	fprintf(f, "\"/><path stroke=\"#333\" stroke-width=\"5\" stroke-linecap=\"round\" d=\"");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "M%.1f %.1fh0", XPOS(i), ax(&y, values[i]));
	fprintf(f, "\"/><text %s font-size=\"10.5\" fill=\"%s\" x=\"%.0f\" y=\"%.0f\">runs, oldest "
		   "first (%zu)</text></svg>",
		FONT, AXIS_COLOR, left + 4, top + ph + 18, n);
#undef XPOS
}
