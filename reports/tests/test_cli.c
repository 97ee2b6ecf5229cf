// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab ingest, compare, trend and report as programs: exit statuses,
 * what they print, and that bad input leaves the store as it was.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "ktap.h"

static char tmp[256], db[300];

/* Run a shell command; its stdout and stderr in *out, its exit status returned. */
static int run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(char **out, const char *fmt, ...)
{
	char *cmd, *text = NULL;
	size_t len = 0, cap = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	{
		char *full;

		if (asprintf(&full, "%s 2>&1", cmd) < 0)
			abort();
		free(cmd);
		cmd = full;
	}
	p = popen(cmd, "r");
	for (;;) {
		size_t got;

		if (len + 4097 > cap)
			text = realloc(text, cap = cap ? 2 * cap : 65536);
		got = fread(text + len, 1, cap - len - 1, p);
		len += got;
		if (!got)
			break;
	}
	text[len] = '\0';
	st = pclose(p);
	free(cmd);
	if (out)
		*out = text;
	else
		free(text);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *make(const char *id, const char *started, const char *kernel, const char *mode,
		  double center, double shift, const char *unit, uint64_t seed)
{
	struct fx_metric m[2] = {
		{ "map_ns_per_call", unit, "lower", "size", "4K", 48, center, 0.03, shift, true },
		{ "iops", "ops/s", "higher", "job", "randread", 1, 3900, 0.01, 0, false },
	};
	struct fx_run r = { .id = id, .started = started, .status = "passed", .kernel = kernel,
			    .tce_mode = mode, .workload = "dma-map-v1", .metrics = m, .nmetrics = 2,
			    .seed = seed };

	return fx_write_run(tmp, &r);
}

static void ingest_and_compare(void)
{
	char *out, *dir, *before, *after, *bad;
	size_t blen, alen;
	int st;

	for (int i = 0; i < 3; i++) {
		char id[64], at[64];

		snprintf(id, sizeof(id), "20261202T0%d0000Z-base", i);
		snprintf(at, sizeof(at), "2026-12-02T0%d:00:00Z", i);
		free(make(id, at, "6.12.95+deb12-powerpc64le", "userspace", 4000, 0, "ns", 10 + i));
		snprintf(id, sizeof(id), "20261203T0%d0000Z-cand", i);
		snprintf(at, sizeof(at), "2026-12-03T0%d:00:00Z", i);
		free(make(id, at, "6.12.96+deb12-powerpc64le", "in-kernel", 4000, -400, "ns", 20 + i));
	}
	st = run(&out, "%s --db %s %s", TCELAB_INGEST, db, tmp);
	report(st == 0 && strstr(out, "stored") && !strstr(out, "unchanged"),
	       "ingest a folder of run folders: exit 0, all stored");
	free(out);
	before = fx_slurp(db, &blen);
	st = run(&out, "%s --db %s %s", TCELAB_INGEST, db, tmp);
	after = fx_slurp(db, &alen);
	report(st == 0 && strstr(out, "unchanged (already stored)") && !strstr(out, "\nstored") &&
		       blen == alen && memcmp(before, after, blen) == 0,
	       "again: exit 0, every run unchanged, the file byte for byte the same");
	free(out);
	free(after);

	/* a truncated result: exit 1, nothing written */
	dir = make("20261204T000000Z-trnc", "2026-12-04T00:00:00Z", "6.12.97+deb12-powerpc64le",
		   "userspace", 4000, 0, "ns", 30);
	{
		char *path, *text;
		size_t len;

		if (asprintf(&path, "%s/dma-map-v1.result.json", dir) < 0)
			abort();
		text = fx_slurp(path, &len);
		fx_spit(path, text, len / 3);
		free(text);
		free(path);
	}
	st = run(&out, "%s --db %s %s", TCELAB_INGEST, db, dir);
	after = fx_slurp(db, &alen);
	report(st == 1 && strstr(out, "dma-map-v1.result.json: line") && blen == alen &&
		       memcmp(before, after, blen) == 0,
	       "a truncated result: exit 1, says which file and where, store untouched");
	free(out);
	free(after);
	if (asprintf(&bad, "rm -rf %s", dir) < 0 || system(bad) != 0)
		abort();
	free(bad);
	free(dir);
	free(before);

	st = run(&out, "%s --db %s kernel=6.12.95 kernel=6.12.96,tce_mode=in-kernel", TCELAB_COMPARE, db);
	report(st == 0 && strstr(out, "improved") && strstr(out, "n=3+3: too few samples for a verdict") &&
		       strstr(out, "Measured in the EMULATED lab"),
	       "compare: exit 0, a 10%% faster map is improved, 3 runs of iops too few");
	report_info("%.*s", (int)(strstr(out, "map_ns_per_call") ? strcspn(strstr(out, "map_ns_per_call"), "\n") : 0),
		    strstr(out, "map_ns_per_call") ? strstr(out, "map_ns_per_call") : "");
	free(out);
	st = run(&out, "%s --db %s --fail-on-regression 5 kernel=6.12.96 kernel=6.12.95", TCELAB_COMPARE, db);
	report(st == 1 && strstr(out, "regressed (fails the gate)"),
	       "the other way round with --fail-on-regression 5: exit 1");
	free(out);
	st = run(&out, "%s --db %s --fail-on-regression 15 kernel=6.12.96 kernel=6.12.95", TCELAB_COMPARE, db);
	report(st == 0 && strstr(out, "regressed") && !strstr(out, "fails the gate"),
	       "... a +11%% regression passes a 15%% gate: exit 0");
	free(out);
	st = run(&out, "%s --db %s --format junit --fail-on-regression 5 kernel=6.12.96 kernel=6.12.95",
		 TCELAB_COMPARE, db);
	report(st == 1 && strstr(out, "<?xml") && strstr(out, "failures=\"1\"") && strstr(out, "</testsuites>"),
	       "--format junit: XML with the failure, exit 1");
	free(out);
	st = run(&out, "%s --db %s --format markdown kernel=6.12.95 kernel=6.12.96", TCELAB_COMPARE, db);
	report(st == 0 && strstr(out, "### tcelab compare") && strstr(out, "|---|"), "--format markdown");
	free(out);
	st = run(&out, "%s --db %s kernel=6.13 kernel=6.12.96", TCELAB_COMPARE, db);
	report(st == 2 && strstr(out, "base: selection 'kernel=6.13' matches none of the 6 stored runs"),
	       "an empty selection: exit 2, said plainly");
	free(out);
	st = run(&out, "%s --db %s/nothing.db a b", TCELAB_COMPARE, tmp);
	report(st == 2 && strstr(out, "no store at"), "no store: exit 2");
	free(out);

	/* mixed units */
	free(make("20261205T000000Z-unit", "2026-12-05T00:00:00Z", "6.12.98+deb12-powerpc64le",
		  "userspace", 4, 0, "us", 40));
	run(NULL, "%s --db %s %s/20261205T000000Z-unit", TCELAB_INGEST, db, tmp);
	st = run(&out, "%s --db %s kernel=6.12.98 kernel=6.12.96", TCELAB_COMPARE, db);
	report(st == 2 && strstr(out, "mixed units"), "mixed units: exit 2: %.*s",
	       (int)strcspn(out, "\n"), out);
	free(out);
}

static void trend(void)
{
	char *out, *tdb;
	int st;

	if (asprintf(&tdb, "%s/trend.db", tmp) < 0)
		abort();
	/* twelve nights, a 20% regression from night 7 (commit bbbb222) on */
	for (int i = 0; i < 12; i++) {
		char id[64], at[64], *dir;

		snprintf(id, sizeof(id), "202612%02dT020000Z-nite", 10 + i);
		snprintf(at, sizeof(at), "2026-12-%02dT02:00:00Z", 10 + i);
		dir = make(id, at, "6.12.95+deb12-powerpc64le", "in-kernel", i < 6 ? 4000 : 4800, 0,
			   "ns", 100 + i);
		run(NULL, "%s --db %s --kernel-commit %s %s", TCELAB_INGEST, tdb,
		    i < 6 ? "aaaa1110aaaa" : "bbbb2220bbbb", dir);
		free(dir);
	}
	st = run(&out, "%s --db %s 'map_ns_per_call{size=4K}'", TCELAB_TREND, tdb);
	report(st == 0 && strstr(out, "change point 1: 3.9") && strstr(out, "(+20.") && strstr(out, "worse") &&
		       strstr(out, "first run after: 20261216T020000Z-nite") &&
		       strstr(out, "last run before: 20261215T020000Z-nite") &&
		       strstr(out, "commits between: aaaa1110aaaa..bbbb2220bbbb"),
	       "trend: the shift at night 7, its first run and the commits between");
	if (st != 0 || !strstr(out, "(+20.") || !strstr(out, "first run after: 20261216"))
		report_info("%s", out);
	free(out);
	st = run(&out, "%s --db %s iops %s", TCELAB_TREND, tdb, "date=2026-12-1*");
	report(st == 0 && strstr(out, "no change point"), "a flat series: no change point");
	free(out);
	st = run(&out, "%s --db %s nosuchmetric", TCELAB_TREND, tdb);
	report(st == 2 && strstr(out, "no metric 'nosuchmetric'"), "an unknown metric: exit 2");
	free(out);
	st = run(&out, "%s --db %s --out %s/t.html 'kernel=6.12.95' 'kernel=6.12.96'", TCELAB_REPORT,
		 tdb, tmp);
	{
		char html[400];

		snprintf(html, sizeof(html), "%s/t.html", tmp);
		report(st == 2 && strstr(out, "matches none") && access(html, F_OK) != 0,
		       "report with an empty selection: exit 2, no file");
	}
	free(out);
	free(tdb);
}

int main(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/tcelab-test-cli-XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	snprintf(db, sizeof(db), "%s/store.db", tmp);
	ingest_and_compare();
	trend();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			report_info("could not remove %s", tmp);
	}
	return report_summary();
}
