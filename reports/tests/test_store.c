// SPDX-License-Identifier: GPL-2.0-only
/*
 * The result store: what goes in comes back out, the same input twice
 * changes nothing, a newer schema is refused untouched, and bad input
 * (malformed, truncated, inconsistent) is an error with nothing written.
 * Then selections, mixed units and comparisons of synthetic sides.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "fixture.h"
#include "ktap.h"
#include "metricset.h"
#include "result_doc.h"
#include "selection.h"
#include "store.h"
#include "tcelab/error.h"

static char tmp[256];

static char *path_in(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", tmp, name) < 0)
		abort();
	return p;
}

static int count_rows(const char *db, const char *table)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char sql[128];
	int n = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static int ingest_dir(const char *db, const char *dir, bool replace, enum ingest_outcome *out,
		      struct tl_error *e)
{
	struct doc_run run;
	struct store *st;
	int ret;

	if (doc_load_run_dir(dir, &run, e))
		return -1;
	if (store_open(db, STORE_WRITE, &st, e)) {
		doc_run_free(&run);
		return -1;
	}
	ret = store_ingest(st, &run, replace, out, e);
	store_close(st);
	doc_run_free(&run);
	return ret;
}

static const struct fx_metric lat[] = {
	{ "map_ns_per_call", "ns", "lower", "size", "4K", 64, 4000, 0.05, 0, true },
	{ "iops", "ops/s", "higher", "job", "randread", 1, 3900, 0.02, 0, false },
	{ "clat", "ns", "lower", "job", "randread", 1024, 60000, 0.3, 0, false },
};

static struct fx_run base_run(const char *id, const char *started, uint64_t seed)
{
	return (struct fx_run){ .id = id, .started = started, .status = "passed",
				.workload = "dma-map-v1", .metrics = lat, .nmetrics = 3, .seed = seed };
}

static void round_trip(const char *db)
{
	struct fx_run r = base_run("20261201T010000Z-0001", "2026-12-01T01:00:00Z", 1);
	char *dir = fx_write_run(tmp, &r), *before, *after;
	struct doc_run doc;
	struct store *st;
	struct store_run *runs;
	size_t nruns, blen, alen;
	struct tl_error e;
	enum ingest_outcome out;
	bool ok;

	report(ingest_dir(db, dir, false, &out, &e) == 0 && out == INGEST_STORED, "a run folder is stored");
	doc_load_run_dir(dir, &doc, &e);
	store_open(db, STORE_READ, &st, &e);
	store_runs(st, &runs, &nruns, &e);
	ok = nruns == 1 && strcmp(runs[0].run_id, r.id) == 0 && strcmp(runs[0].status, "passed") == 0 &&
	     strcmp(runs[0].kernel, "6.12.95+deb12-powerpc64le") == 0 &&
	     strcmp(runs[0].tce_mode, "emulated") == 0 && strcmp(runs[0].lab_machine, "pseries") == 0 &&
	     strcmp(runs[0].device, "nvme,serial=dut0,drive=dut0 @ 0001:00:00.0") == 0 &&
	     runs[0].wall_seconds == 30.5 && strcmp(runs[0].logs, dir) == 0;
	report(ok, "the run reads back: id, status, where, machine, device, wall time, logs");
	{
		struct ms_side side;
		size_t idx = 0;
		const struct ms_metric *m;

		ms_side_load_runs(st, runs, &idx, 1, NULL, "t", false, &side, &e);
		m = ms_find(&side, "dma-map-v1\tmap_ns_per_call\t{\"size\":\"4K\"}");
		ok = m && m->nobs == 1 && m->obs[0].nsamples == 64 && strcmp(m->unit, "ns") == 0;
		for (size_t i = 0; ok && i < 64; i++)
			ok = m->obs[0].samples[i] == doc.results[0].metrics[0].samples[i];
		ok = ok && m->obs[0].median == doc.results[0].metrics[0].median &&
		     m->obs[0].p999 == doc.results[0].metrics[0].p999;
		report(ok, "64 raw samples come back bit for bit, with the summary");
		m = ms_find(&side, "dma-map-v1\tclat\t{\"job\":\"randread\"}");
		report(m && m->obs[0].samples == NULL && m->obs[0].n == 1024 &&
			       m->obs[0].p99 == doc.results[0].metrics[2].p99,
		       "a summary without samples stays one (n 1024, p99 kept)");
		ms_side_free(&side);
	}
	store_runs_free(runs, nruns);
	store_close(st);
	doc_run_free(&doc);

	before = fx_slurp(db, &blen);
	report(ingest_dir(db, dir, false, &out, &e) == 0 && out == INGEST_UNCHANGED,
	       "the same folder again: unchanged");
	after = fx_slurp(db, &alen);
	report(blen == alen && memcmp(before, after, blen) == 0,
	       "... and the database file is byte for byte the same");
	free(before);
	free(after);

	/* the same id from other content */
	{
		struct fx_run r2 = r;
		char *msg;

		r2.seed = 2;
		fx_write_run(tmp, &r2);
		report(ingest_dir(db, dir, false, &out, &e) != 0 && strstr(e.msg, "already stored") &&
			       strstr(e.msg, "--replace"),
		       "same id, other content: refused, saying --replace");
		msg = e.msg;
		(void)msg;
		report(count_rows(db, "runs") == 1, "... and nothing written");
		report(ingest_dir(db, dir, true, &out, &e) == 0 && out == INGEST_REPLACED &&
			       count_rows(db, "runs") == 1 && count_rows(db, "metrics") == 3,
		       "with replace: replaced in place (1 run, 3 metrics)");
	}
	free(dir);
}

static void newer_schema(void)
{
	char *db = path_in("newer.db"), *before, *after;
	struct fx_run r = base_run("20261201T020000Z-0002", "2026-12-01T02:00:00Z", 3);
	char *dir = fx_write_run(tmp, &r);
	struct store *st;
	struct tl_error e;
	enum ingest_outcome out;
	size_t blen, alen;
	sqlite3 *h;
	int v;

	ingest_dir(db, dir, false, &out, &e);
	sqlite3_open(db, &h);
	sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(h);
	before = fx_slurp(db, &blen);
	report(store_open(db, STORE_WRITE, &st, &e) != 0 && strstr(e.msg, "newer") &&
		       strstr(e.msg, "version 99") && strstr(e.msg, "nothing was written"),
	       "a store of schema 99 is refused for writing: %s", e.msg);
	report(store_open(db, STORE_READ, &st, &e) != 0 && strstr(e.msg, "newer"),
	       "... and for reading");
	report(ingest_dir(db, dir, true, &out, &e) != 0, "... and ingest fails");
	after = fx_slurp(db, &alen);
	report(blen == alen && memcmp(before, after, blen) == 0 && store_file_version(db, &v, &e) == 0 &&
		       v == 99,
	       "... with the file untouched");
	free(before);
	free(after);
	/* an SQLite file that is someone else's */
	free(db);
	db = path_in("other.db");
	sqlite3_open(db, &h);
	sqlite3_exec(h, "CREATE TABLE t (x)", NULL, NULL, NULL);
	sqlite3_close(h);
	report(store_open(db, STORE_WRITE, &st, &e) != 0 && strstr(e.msg, "not a tcelab store"),
	       "another program's SQLite file is refused: %s", e.msg);
	free(db);
	db = path_in("missing.db");
	report(store_open(db, STORE_READ, &st, &e) != 0 && strstr(e.msg, "no store at") &&
		       access(db, F_OK) != 0,
	       "reading a missing store says so, creates nothing");
	report(store_open(db, STORE_WRITE, &st, &e) == 0 && store_file_version(db, &v, &e) == 0 &&
		       v == STORE_SCHEMA_VERSION,
	       "writing creates it at schema version %d", STORE_SCHEMA_VERSION);
	store_close(st);
	free(db);
	free(dir);
}

/* Write dir/NAME with text, ingest, expect an error containing want and no new rows. */
static void bad_input(const char *db, const char *what, const char *file, const char *text,
		      size_t len, const char *want)
{
	struct fx_run r = base_run("20261201T030000Z-0003", "2026-12-01T03:00:00Z", 4);
	char *dir = fx_write_run(tmp, &r), *path;
	struct tl_error e = { "" };
	enum ingest_outcome out;
	int runs = count_rows(db, "runs"), metrics = count_rows(db, "metrics");

	if (asprintf(&path, "%s/%s", dir, file) < 0)
		abort();
	fx_spit(path, text, len);
	report(ingest_dir(db, dir, false, &out, &e) != 0 && strstr(e.msg, want) &&
		       count_rows(db, "runs") == runs && count_rows(db, "metrics") == metrics,
	       "%s: refused, nothing written (%s)", what, e.msg);
	free(path);
	free(dir);
}

static char *replace_once(const char *text, const char *old, const char *new)
{
	const char *at = strstr(text, old);
	char *out;

	if (!at || asprintf(&out, "%.*s%s%s", (int)(at - text), text, new, at + strlen(old)) < 0)
		abort();
	return out;
}

static void malformed(const char *db)
{
	struct fx_run r = base_run("20261201T030000Z-0003", "2026-12-01T03:00:00Z", 4);
	char *dir = fx_write_run(tmp, &r), *rpath, *good, *bad;
	size_t len;

	if (asprintf(&rpath, "%s/dma-map-v1.result.json", dir) < 0)
		abort();
	good = fx_slurp(rpath, &len);
	bad_input(db, "a result cut in half", "dma-map-v1.result.json", good, len / 2, "dma-map-v1.result.json");
	bad_input(db, "an empty result", "dma-map-v1.result.json", "", 0, "line 1");
	bad_input(db, "not JSON", "dma-map-v1.result.json", "fio: no such file\n", 18, "line 1");
	bad_input(db, "another schema", "dma-map-v1.result.json",
		  "{\"schema\":\"tcelab-result/2\"}", 28, "not a tcelab-result/1 document");
	bad = strdup(good);
	memcpy(strstr(bad, "\"lower\""), "\"lowor\"", 7);
	bad_input(db, "better neither lower nor higher", "dma-map-v1.result.json", bad, len, "lowor");
	free(bad);
	bad = strdup(good);
	{
		char *s = strstr(bad, "\"n\": 64");

		memcpy(s, "\"n\": 65", 7);
	}
	bad_input(db, "summary.n is not the count of samples", "dma-map-v1.result.json", bad, len,
		  "64 samples but summary.n is 65");
	free(bad);
	bad = strdup(good);
	memcpy(strstr(bad, "\"samples\": ["), "\"samples\": {", 12);
	bad_input(db, "samples not an array (broken JSON)", "dma-map-v1.result.json", bad, len, "line");
	free(bad);
	bad = strdup(good);
	memcpy(strstr(bad, "\"name\": \"dma-map-v1\""), "\"name\": \"dma-map-v9\"", 20);
	bad_input(db, "a result of another step", "dma-map-v1.result.json", bad, len, "not its step's");
	free(bad);
	free(good);
	free(rpath);
	if (asprintf(&rpath, "%s/run.json", dir) < 0)
		abort();
	good = fx_slurp(rpath, &len);
	bad_input(db, "run.json cut short", "run.json", good, len - 40, "run.json");
	bad = replace_once(good, "\"dma-map-v1.result.json\"", "\"../../etc/passwd\"");
	bad_input(db, "a result outside the run folder", "run.json", bad, strlen(bad),
		  "not a file in the run folder");
	free(bad);
	free(good);
	free(rpath);
	free(dir);
}

/* Two steps with one name pass the reader but break UNIQUE(run, workload)
 * mid-transaction: the run's first rows must go with the rollback. */
static void rollback(const char *db)
{
	struct fx_run r = base_run("20261201T040000Z-0004", "2026-12-01T04:00:00Z", 5);
	char *dir = fx_write_run(tmp, &r), *path, *text, *twice;
	struct tl_error e;
	enum ingest_outcome out;
	int runs = count_rows(db, "runs"), metrics = count_rows(db, "metrics");
	size_t len;

	if (asprintf(&path, "%s/run.json", dir) < 0)
		abort();
	text = fx_slurp(path, &len);
	{
		/* duplicate the one step object in "steps": [ {...} ] */
		char *open = strstr(text, "\"steps\": [") + 10, *close = strrchr(text, ']');
		size_t step = (size_t)(close - open);

		twice = malloc(len + step + 8);
		memcpy(twice, text, (size_t)(close - text));
		twice[close - text] = ',';
		memcpy(twice + (close - text) + 1, open, step);
		strcpy(twice + (close - text) + 1 + step, close);
	}
	fx_spit(path, twice, strlen(twice));
	report(ingest_dir(db, dir, false, &out, &e) != 0 && strstr(e.msg, "UNIQUE") &&
		       count_rows(db, "runs") == runs && count_rows(db, "results") >= 0 &&
		       count_rows(db, "metrics") == metrics,
	       "a failure mid-run rolls the whole run back (%s)", e.msg);
	free(twice);
	free(text);
	free(path);
	free(dir);
}

static void incomplete(const char *db)
{
	struct fx_run r = base_run("20261201T050000Z-0005", "2026-12-01T05:00:00Z", 6);
	struct tl_error e;
	enum ingest_outcome out;
	struct store *st;
	struct store_run *runs;
	size_t n;
	char *dir;

	r.status = "failed";
	r.unfinished = true;
	dir = fx_write_run(tmp, &r);
	ingest_dir(db, dir, false, &out, &e);
	store_open(db, STORE_READ, &st, &e);
	store_runs(st, &runs, &n, &e);
	report(n >= 2 && strcmp(runs[n - 1].status, "incomplete") == 0 && runs[n - 1].nfailed == 1,
	       "a run whose step never finished is stored as incomplete");
	store_runs_free(runs, n);
	store_close(st);
	free(dir);
}

/* A folder tcelab lava collect writes: job.json and the results. */
static void lava(const char *db)
{
	struct fx_run r = base_run("lava-src", "2026-12-01T06:00:00Z", 7);
	char *dir = fx_write_run(tmp, &r), *path;
	static const char job[] =
		"{\"schema\": \"tcelab-lava-job/1\", \"version\": \"0.1.0\", "
		"\"key\": \"lava.lab.example_443-1234\", \"server\": \"https://lava.lab.example\", "
		"\"job_id\": 1234, \"url\": null, \"job_name\": \"tcelab dma-map in-kernel\", "
		"\"state\": \"Finished\", \"health\": \"%s\", \"failure\": %s, "
		"\"metadata\": {\"tcelab.device\": \"0030:01:00.0\", \"tcelab.tce_mode\": \"in-kernel\"}, "
		"\"started\": \"2026-12-01T06:00:00Z\", \"collected\": \"%s\", "
		"\"workloads\": [{\"name\": \"dma-map-v1\", \"engine\": \"dma-map\", "
		"\"status\": \"passed\", \"result\": \"dma-map-v1.result.json\"}]}";
	char text[1024];
	struct doc_run doc;
	struct tl_error e;
	struct store *st;
	enum ingest_outcome out;
	int ok;

	if (asprintf(&path, "%s/run.json", dir) < 0)
		abort();
	unlink(path);
	free(path);
	if (asprintf(&path, "%s/job.json", dir) < 0)
		abort();
	snprintf(text, sizeof(text), job, "Complete", "null", "2026-12-01T07:00:00Z");
	fx_spit(path, text, strlen(text));
	ok = doc_load_lava_dir(dir, &doc, &e) == 0;
	report(ok && strcmp(doc.run_id, "lava-lava.lab.example_443-1234") == 0 &&
		       strcmp(doc.lava_job, "1234") == 0 && strcmp(doc.status, "passed") == 0 &&
		       strcmp(doc.device, "0030:01:00.0") == 0 && doc.nresults == 1 &&
		       strcmp(doc.source, "lava") == 0,
	       "a collected LAVA job: run id from its key, job id, device, status");
	if (ok) {
		store_open(db, STORE_WRITE, &st, &e);
		report(store_ingest(st, &doc, false, &out, &e) == 0 && out == INGEST_STORED &&
			       store_ingest(st, &doc, false, &out, &e) == 0 && out == INGEST_UNCHANGED,
		       "... stored once, then unchanged");
		store_close(st);
		doc_run_free(&doc);
	}
	/* collected again later: the same content, another "collected" time */
	snprintf(text, sizeof(text), job, "Complete", "null", "2026-12-02T09:00:00Z");
	fx_spit(path, text, strlen(text));
	doc_load_lava_dir(dir, &doc, &e);
	store_open(db, STORE_WRITE, &st, &e);
	report(store_ingest(st, &doc, false, &out, &e) == 0 && out == INGEST_UNCHANGED,
	       "... re-collected (only the collection time differs): unchanged");
	store_close(st);
	doc_run_free(&doc);
	snprintf(text, sizeof(text), job, "Incomplete",
		 "{\"error_type\": \"Infrastructure\", \"error_msg\": \"Connection closed\"}",
		 "2026-12-02T09:00:00Z");
	fx_spit(path, text, strlen(text));
	report(doc_load_lava_dir(dir, &doc, &e) == 0 && strcmp(doc.status, "incomplete") == 0 &&
		       strcmp(doc.failure, "Infrastructure: Connection closed") == 0,
	       "an Incomplete job (Infrastructure) is incomplete, LAVA's failure kept");
	doc_run_free(&doc);
	free(path);
	free(dir);
}

/* ---- selections and comparisons ---- */

static void make_side(const char *db, const char *prefix, int day, size_t nruns, const char *kernel,
		      const char *mode, double shift, const char *unit)
{
	for (size_t i = 0; i < nruns; i++) {
		struct fx_metric m[3] = {
			{ "map_ns_per_call", unit, "lower", "size", "4K", 64, 4000, 0.03, shift, true },
			{ "iops", "ops/s", "higher", "job", "randread", 1, 3900, 0.01, -shift / 10, false },
			{ "clat", "ns", "lower", "job", "randread", 1024, 60000, 0.3, 0, false },
		};
		char id[64], started[64];
		struct fx_run r;
		struct tl_error e;
		enum ingest_outcome out;
		char *dir;

		snprintf(id, sizeof(id), "202612%02dT%02zu0000Z-%s", day, i, prefix);
		snprintf(started, sizeof(started), "2026-12-%02dT%02zu:00:00Z", day, i);
		r = (struct fx_run){ .id = id, .started = started, .status = "passed", .kernel = kernel,
				     .tce_mode = mode, .workload = "dma-map-v1", .metrics = m,
				     .nmetrics = 3, .seed = (uint64_t)day * 100 + i };
		dir = fx_write_run(tmp, &r);
		if (ingest_dir(db, dir, false, &out, &e))
			report_info("fixture: %s", e.msg);
		free(dir);
	}
}

static char *print(const struct comparison *c, void (*fn)(FILE *, const struct comparison *))
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	fn(f, c);
	fclose(f);
	return out;
}

static int load(struct store *st, const char *base, const char *cand, struct comparison *c,
		const struct cmp_options *o, struct tl_error *e)
{
	struct store_run *all;
	size_t n;
	struct ms_side b, k;
	int ret;

	if (store_runs(st, &all, &n, e))
		return -1;
	if (ms_side_load(st, all, n, base, "base", false, &b, e)) {
		store_runs_free(all, n);
		return -1;
	}
	if (ms_side_load(st, all, n, cand, "cand", false, &k, e)) {
		ms_side_free(&b);
		store_runs_free(all, n);
		return -1;
	}
	ret = compare_sides(&b, &k, o, c, e);
	/* all must outlive c: leak it in the test (the process ends soon) */
	return ret;
}

static const struct cmp_row *row(const struct comparison *c, const char *name)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].base->name, name) == 0)
			return &c->rows[i];
	return NULL;
}

static void comparisons(void)
{
	char *db = path_in("cmp.db");
	struct cmp_options o;
	struct comparison c;
	struct store *st;
	struct tl_error e;
	const struct cmp_row *r;
	char *text;

	make_side(db, "b", 2, 3, "6.12.95+deb12-powerpc64le", "userspace", 0, "ns");
	make_side(db, "c", 3, 3, "6.12.96+deb12-powerpc64le", "in-kernel", 600, "ns");
	make_side(db, "s", 4, 3, "6.12.97+deb12-powerpc64le", "in-kernel", 0, "ns");
	store_open(db, STORE_READ, &st, &e);
	cmp_defaults(&o);
	o.fail_pct = 5;
	report(load(st, "kernel=6.12.95", "kernel=6.12.96,tce_mode=in-kernel", &c, &o, &e) == 0,
	       "compare kernel=6.12.95 with kernel=6.12.96,tce_mode=in-kernel");
	r = row(&c, "map_ns_per_call");
	report(r && r->verdict == V_REGRESSED && r->n1 == 192 && r->n2 == 192 && r->p < 1e-6 &&
		       r->delta > 0.12 && r->delta < 0.18 && r->ci_lo > 0.1 && r->ci_hi < 0.2 && r->gate,
	       "4.0 -> 4.6 µs, lower is better: regressed, +%.1f%% [%.1f%%, %.1f%%], fails a 5%% gate",
	       r ? 100 * r->delta : 0, r ? 100 * r->ci_lo : 0, r ? 100 * r->ci_hi : 0);
	r = row(&c, "iops");
	report(r && r->verdict == V_TOO_FEW && r->n1 == 3 && r->n2 == 3 &&
		       strstr(r->why, "n=3+3: too few samples for a verdict (need >= 5 per side"),
	       "three runs of a once-measured value: '%s'", r ? r->why : "");
	r = row(&c, "clat");
	report(r && r->per_run && r->verdict == V_TOO_FEW, "a summary-only latency compares per run");
	text = print(&c, compare_print_text);
	report(strstr(text, "Measured in the EMULATED lab") && strstr(text, "regressed (fails the gate)") &&
		       strstr(text, "The sides differ in kernel: 6.12.95+deb12-powerpc64le vs 6.12.96+deb12-powerpc64le; tce_mode: userspace vs in-kernel") &&
		       strstr(text, "n=3+3: too few samples"),
	       "text: banner, what differs, verdicts, too few said plainly");
	free(text);
	text = print(&c, compare_print_markdown);
	report(strstr(text, "| workload | metric | labels | base |") && strstr(text, "**regressed"),
	       "markdown: a table, regressions in bold");
	free(text);
	text = print(&c, compare_print_junit);
	report(strstr(text, "<testsuites name=\"tcelab compare\" tests=\"3\" failures=\"1\" skipped=\"2\">") &&
		       strstr(text, "<failure type=\"regression\"") && strstr(text, "<skipped message=\"n=3+3"),
	       "junit: 3 tests, 1 failure, 2 skipped");
	free(text);
	comparison_free(&c);

	o.fail_pct = NAN;
	r = load(st, "kernel=6.12.95", "kernel=6.12.97", &c, &o, &e) == 0 ? row(&c, "map_ns_per_call") : NULL;
	report(r && r->verdict == V_SAME && c.ngate == 0, "no shift: no significant change (p=%.3f)",
	       r ? r->p : NAN);
	comparison_free(&c);
	o.ci = CI_HODGES_LEHMANN;
	r = load(st, "kernel=6.12.95", "kernel=6.12.96", &c, &o, &e) == 0 ? row(&c, "map_ns_per_call") : NULL;
	report(r && r->ci_abs_lo > 400 && r->ci_abs_hi < 800 && r->shift > 500 && r->shift < 700,
	       "Hodges-Lehmann interval of a 600 ns shift: [%.0f, %.0f] ns", r ? r->ci_abs_lo : 0,
	       r ? r->ci_abs_hi : 0);
	comparison_free(&c);

	report(load(st, "kernel=7.0", "kernel=6.12.96", &c, &o, &e) != 0 &&
		       strstr(e.msg, "matches none of the 9 stored runs"),
	       "an empty selection is an error: %s", e.msg);
	report(load(st, "kernel=6.12.95,bogus=1", "kernel=6.12.96", &c, &o, &e) != 0 &&
		       strstr(e.msg, "unknown key 'bogus'"),
	       "an unknown key is an error");
	report(load(st, "kernel=6.12.95,status=passed,last=2", "date=2026-12-03", &c, &o, &e) == 0 &&
		       c.base.nruns == 2 && c.cand.nruns == 3 &&
		       strcmp(c.base.runs[0]->run_id, "20261202T010000Z-b") == 0,
	       "last=2 keeps the newest two; date= picks a day");
	comparison_free(&c);
	store_close(st);

	/* mixed units for one metric */
	make_side(db, "u", 5, 2, "6.12.98+deb12-powerpc64le", "in-kernel", 0, "us");
	store_open(db, STORE_READ, &st, &e);
	report(load(st, "kernel=6.12.95", "kernel=6.12.98", &c, &o, &e) != 0 &&
		       strstr(e.msg, "mixed units: 'ns' in base") && strstr(e.msg, "'us' in cand"),
	       "ns against us: an error naming both (%s)", e.msg);
	report(load(st, "kernel=6.12.95|6.12.98", "kernel=6.12.96", &c, &o, &e) != 0 &&
		       strstr(e.msg, "mixed units"),
	       "... also within one side");
	store_close(st);
	free(db);
}

int main(void)
{
	char *db;

	snprintf(tmp, sizeof(tmp), "/tmp/tcelab-test-store-XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	db = path_in("store.db");
	round_trip(db);
	newer_schema();
	malformed(db);
	rollback(db);
	incomplete(db);
	lava(db);
	{ /* the recorded miniature run of tcelab-table's tests */
		struct tl_error e;
		enum ingest_outcome out;

		report(ingest_dir(db, TEST_RUN_DIR, false, &out, &e) == 0 && out == INGEST_STORED,
		       "tcelab-table's recorded run (a failed step) ingests");
	}
	comparisons();
	free(db);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			report_info("could not remove %s", tmp);
	}
	return report_summary();
}
