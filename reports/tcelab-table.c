// SPDX-License-Identifier: GPL-2.0-only
/* tcelab-table: print recorded runs as tables, or as one JSON document. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_data.h"
#include "run_json.h"
#include "run_table.h"
#include "tcelab/error.h"

static void usage(FILE *f)
{
	fputs("usage: tcelab-table [--json] RUNDIR...\n"
	      "Print each recorded run (a folder tcelab-run made, e.g. results/latest) as a\n"
	      "table: where it was measured, one row per metric, failed steps with their errors.\n\n"
	      "  --json   print the runs and all their results as one JSON document instead\n"
	      "  --help   show this help and exit\n",
	      f);
}

static int fail(int status, const struct tl_error *e)
{
	fprintf(stderr, "tcelab table: %s\n", e->msg);
	return status;
}

int main(int argc, char **argv)
{
	struct run_data *runs;
	struct tl_error e;
	bool json = false;
	int first = 1, status = 0;
	size_t n = 0;

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[first], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			tl_err(&e, "unknown option '%s' (see --help)", argv[first]);
			return fail(2, &e);
		}
	}
	if (first == argc) {
		tl_err(&e, "no run folder given (see --help)");
		return fail(2, &e);
	}
	runs = calloc(argc - first, sizeof(*runs));
	if (!runs) {
		tl_err(&e, "out of memory");
		return fail(1, &e);
	}
	for (int i = first; i < argc && status == 0; i++, n++)
		if (run_data_load(&runs[n], argv[i], &e))
			status = fail(1, &e);
	if (status == 0 && json && run_json_print(stdout, runs, n, &e))
		status = fail(1, &e);
	for (size_t i = 0; status == 0 && !json && i < n; i++) {
		if (i)
			putchar('\n');
		run_table_print(stdout, &runs[i]);
	}
	for (size_t i = 0; i < n; i++)
		run_data_free(&runs[i]);
	free(runs);
	return status;
}
