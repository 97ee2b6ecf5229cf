// SPDX-License-Identifier: GPL-2.0-only
/* tcelab-report: one self-contained HTML file for people to read and link to. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "report_html.h"
#include "selection.h"
#include "store.h"
#include "tcelab/error.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcelab report --out FILE.html [OPTION...] SELECTION [SELECTION]\n"
		"Write one self-contained HTML file (inline SVG plots, nothing fetched when viewed).\n"
		"With two selections, BASE and CAND: the comparison tcelab compare prints, and per\n"
		"metric a strip/box plot of both sides and, for latencies, their CDFs. With one:\n"
		"each metric's distribution run by run. Both: where it was measured, the in-kernel vs\n"
		"userspace TCE comparison, and the runs' metadata. Selections as in tcelab compare:\n%s\n"
		"  --out FILE         the HTML file to write (required)\n"
		"  --db FILE          the store (default: $TCELAB_DB, else results/tcelab.db)\n"
		"  --title TEXT       the page's title\n"
		"  --ci bootstrap|hl  as in tcelab compare; also --per-run, --include-failed\n"
		"  --help             show this help and exit\n\n"
		"Exit status: 0 written, 2 bad input (nothing written).\n",
		selection_help);
}

static int fail(const struct tl_error *e)
{
	fprintf(stderr, "tcelab report: %s\n", e->msg);
	return 2;
}

int main(int argc, char **argv)
{
	const char *db = store_default_path(), *out = NULL, *title = NULL, *sel[2];
	struct cmp_options o;
	struct store_run *all = NULL;
	size_t nall = 0, nsel = 0;
	struct store *st;
	struct tl_error e;
	char *tmp = NULL, deftitle[512];
	FILE *f;
	int ret;

	cmp_defaults(&o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1]) {
			if (nsel == 2) {
				fprintf(stderr, "tcelab report: more than two selections: '%s'\n", a);
				return 2;
			}
			sel[nsel++] = a;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--per-run") == 0) {
			o.per_run = true;
		} else if (strcmp(a, "--include-failed") == 0) {
			o.include_failed = true;
		} else if (i + 1 < argc && strcmp(a, "--out") == 0) {
			out = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--db") == 0) {
			db = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--title") == 0) {
			title = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--ci") == 0) {
			i++;
			if (strcmp(argv[i], "hl") == 0)
				o.ci = CI_HODGES_LEHMANN;
			else if (strcmp(argv[i], "bootstrap") != 0) {
				fprintf(stderr, "tcelab report: --ci %s: not bootstrap or hl\n", argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "tcelab report: unknown option or missing value: '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (!out || nsel == 0) {
		fprintf(stderr, "tcelab report: give --out FILE.html and one or two selections (see --help)\n");
		return 2;
	}
	if (!title) {
		if (nsel == 2)
			snprintf(deftitle, sizeof(deftitle), "tcelab: %s vs %s", sel[0], sel[1]);
		else
			snprintf(deftitle, sizeof(deftitle), "tcelab: %s", sel[0][0] ? sel[0] : "all runs");
		title = deftitle;
	}
	if (store_open(db, STORE_READ, &st, &e))
		return fail(&e);
	if (store_runs(st, &all, &nall, &e)) {
		store_close(st);
		return fail(&e);
	}
	/* write beside the target, then rename: a failed report leaves no half file */
	if (asprintf(&tmp, "%s.tmp-%d", out, (int)getpid()) < 0 || !(f = fopen(tmp, "w"))) {
		tl_err_errno(&e, "%s", tmp ? tmp : out);
		store_runs_free(all, nall);
		store_close(st);
		free(tmp);
		return fail(&e);
	}
	ret = report_html(f, st, all, nall, sel, nsel, &o, title, &e);
	if (ret == 0 && (ferror(f) | fclose(f)) != 0)
		ret = tl_err_errno(&e, "%s", tmp);
	else if (ret != 0)
		fclose(f);
	if (ret == 0 && rename(tmp, out) != 0)
		ret = tl_err_errno(&e, "%s", out);
	if (ret != 0)
		unlink(tmp);
	free(tmp);
	store_runs_free(all, nall);
	store_close(st);
	if (ret)
		return fail(&e);
	printf("wrote %s\n", out);
	return 0;
}
