// SPDX-License-Identifier: GPL-2.0-only
#include "run_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run_data.h"
#include "units.h"

/* Error lines of a failed step shown under it; the rest are in its result file. */
#define ERRORS_SHOWN 4

enum column { COL_WORKLOAD, COL_METRIC, COL_LABELS, COL_N, COL_MEDIAN, COL_P99, COL_UNIT,
	      COL_STATUS, NCOLUMNS };

static const char *const headings[NCOLUMNS] = {
	"WORKLOAD", "METRIC", "LABELS", "N", "MEDIAN", "P99", "UNIT", "STATUS",
};

/* Numbers are right-aligned, text left. */
static const int right_aligned[NCOLUMNS] = { [COL_N] = 1, [COL_MEDIAN] = 1, [COL_P99] = 1 };

struct row {
	char cell[NCOLUMNS][160];
	const char *message; /* a failed step's error: printed after the workload, no columns */
	bool skipped;        /* the message is why the step was skipped, not an error */
};

struct table {
	struct row *rows;
	size_t n;
	size_t width[NCOLUMNS];
};

static struct row *add_row(struct table *t)
{
	struct row *grown = realloc(t->rows, (t->n + 1) * sizeof(*t->rows));

	if (!grown)
		return NULL;
	t->rows = grown;
	memset(&t->rows[t->n], 0, sizeof(*t->rows));
	return &t->rows[t->n++];
}

static void metric_row(struct row *r, const struct run_step *s, const struct run_metric *m)
{
	/* One unit per row, picked by the median, so median and p99 compare at a glance. */
	struct display_unit u = unit_for_display(m->unit, m->median);

	snprintf(r->cell[COL_WORKLOAD], sizeof(r->cell[0]), "%s", s->name);
	snprintf(r->cell[COL_METRIC], sizeof(r->cell[0]), "%s", m->name);
	snprintf(r->cell[COL_LABELS], sizeof(r->cell[0]), "%s", m->labels);
	value_format(m->n, r->cell[COL_N], sizeof(r->cell[0]));
	value_format(m->median / u.divisor, r->cell[COL_MEDIAN], sizeof(r->cell[0]));
	/* A p99 of one sample is the sample: show it once. */
	value_format(m->n > 1 ? m->p99 / u.divisor : NAN, r->cell[COL_P99], sizeof(r->cell[0]));
	snprintf(r->cell[COL_UNIT], sizeof(r->cell[0]), "%s", u.name);
	snprintf(r->cell[COL_STATUS], sizeof(r->cell[0]), "%s", s->status);
}

static int error_rows(struct table *t, const struct run_step *s)
{
	size_t shown = s->nerrors < ERRORS_SHOWN ? s->nerrors : ERRORS_SHOWN;
	struct row *r;

	if (s->load_error[0] || s->nerrors == 0) {
		if (!(r = add_row(t)))
			return -1;
		snprintf(r->cell[COL_WORKLOAD], sizeof(r->cell[0]), "%s", s->name);
		r->message = s->load_error[0] ? s->load_error : "failed (no error recorded)";
		return 0;
	}
	for (size_t i = 0; i < shown; i++) {
		if (!(r = add_row(t)))
			return -1;
		if (i == 0)
			snprintf(r->cell[COL_WORKLOAD], sizeof(r->cell[0]), "%s", s->name);
		r->message = s->errors[i];
		r->skipped = strcmp(s->status, "skipped") == 0;
	}
	if (s->nerrors > shown) {
		if (!(r = add_row(t)))
			return -1;
		r->message = "...";
	}
	return 0;
}

static int build(struct table *t, const struct run_data *rd)
{
	for (size_t i = 0; i < rd->nsteps; i++) {
		const struct run_step *s = &rd->steps[i];

		for (size_t m = 0; m < s->nmetrics; m++) {
			struct row *r = add_row(t);

			if (!r)
				return -1;
			metric_row(r, s, &s->metrics[m]);
		}
		if (strcmp(s->status, "passed") != 0 && error_rows(t, s))
			return -1;
	}
	for (int c = 0; c < NCOLUMNS; c++) {
		t->width[c] = text_width(headings[c]);
		for (size_t i = 0; i < t->n; i++)
			if (!t->rows[i].message || c == COL_WORKLOAD)
				if (text_width(t->rows[i].cell[c]) > t->width[c])
					t->width[c] = text_width(t->rows[i].cell[c]);
	}
	return 0;
}

static void print_cell(FILE *f, const char *text, size_t width, int right, int last)
{
	size_t pad = width - text_width(text);

	if (right)
		fprintf(f, "%*s%s", (int)pad, "", text);
	else if (last)
		fputs(text, f);
	else
		fprintf(f, "%s%*s", text, (int)pad, "");
	if (!last)
		fputs("  ", f);
}

static void print_row(FILE *f, const struct table *t, const char *const cells[NCOLUMNS])
{
	for (int c = 0; c < NCOLUMNS; c++)
		print_cell(f, cells[c], t->width[c], right_aligned[c], c == NCOLUMNS - 1);
	fputc('\n', f);
}

static void print_rows(FILE *f, const struct table *t)
{
	const char *cells[NCOLUMNS];

	print_row(f, t, headings);
	for (size_t i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];

		if (r->message) {
			/* The first error line of a step says FAILED; the others line up under it. */
			print_cell(f, r->cell[COL_WORKLOAD], t->width[COL_WORKLOAD], 0, 0);
			fprintf(f, "%s%s\n",
				!r->cell[COL_WORKLOAD][0] ? "        " : r->skipped ? "SKIPPED: " : "FAILED: ",
				r->message);
			continue;
		}
		for (int c = 0; c < NCOLUMNS; c++)
			cells[c] = r->cell[c];
		print_row(f, t, cells);
	}
}

void run_table_banner(const struct run_data *rd, char *buf, size_t len)
{
	const struct result_where *w = &rd->where;

	if (strcmp(w->environment, "emulated") == 0)
		snprintf(buf, len,
			 "Measured in the EMULATED lab (QEMU TCG, %s, kernel %s, TCE mode: %s): "
			 "figures are functional and relative, not hardware performance.",
			 w->host_kind, w->kernel, w->tce_mode);
	else if (strcmp(w->environment, "hardware") == 0)
		snprintf(buf, len, "Measured on HARDWARE (%s, %s, kernel %s, TCE mode: %s).",
			 w->host_kind, w->machine, w->kernel, w->tce_mode);
	else
		snprintf(buf, len,
			 "Where this was measured is UNKNOWN (%s, kernel %s, TCE mode: %s): "
			 "compare its figures with nothing.",
			 w->host_kind, w->kernel, w->tce_mode);
}

static void print_header(FILE *f, const struct run_data *rd)
{
	char banner[512];

	fprintf(f, "Run %s", rd->id);
	if (rd->name[0])
		fprintf(f, " (%s)", rd->name);
	fprintf(f, ": %s", strcmp(rd->status, "passed") == 0 ? "PASSED" : "FAILED");
	if (isfinite(rd->wall_seconds))
		fprintf(f, " in %.0f s", rd->wall_seconds);
	fprintf(f, ", started %s\n", rd->started);
	if (rd->failure)
		fprintf(f, "Failure: %s\n", rd->failure);
	run_table_banner(rd, banner, sizeof(banner));
	fprintf(f, "%s\n\n", banner);
}

void run_table_print(FILE *f, const struct run_data *rd)
{
	struct table t = { 0 };

	print_header(f, rd);
	if (build(&t, rd) == 0)
		print_rows(f, &t);
	else
		fputs("(out of memory while building the table)\n", f);
	free(t.rows);
}

int run_table_print_dir(FILE *f, const char *dir, struct tl_error *e)
{
	struct run_data rd;
	int ret = run_data_load(&rd, dir, e);

	if (ret == 0)
		run_table_print(f, &rd);
	run_data_free(&rd);
	return ret;
}
