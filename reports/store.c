// SPDX-License-Identifier: GPL-2.0-only
#include "store.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "result_doc.h"
#include "tcelab/error.h"

struct store {
	sqlite3 *db;
	char *path;
};

/*
 * Migrations: migrations[i] takes a database from version i to i + 1.
 * Append, never edit: a shipped step is what older stores ran.
 */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	/* 0 -> 1: runs, results, metrics */
	"PRAGMA application_id = 1952672866;" /* STORE_APPLICATION_ID */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id TEXT NOT NULL UNIQUE,"          /* run.json id, or result-HASH16 */
	"  content_hash TEXT NOT NULL,"           /* SHA-256 of the input files */
	"  source TEXT NOT NULL,"                 /* run-dir | result */
	"  name TEXT NOT NULL,"
	"  started TEXT NOT NULL,"                /* UTC ISO-8601 */
	"  finished TEXT,"
	"  wall_seconds REAL,"
	"  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'incomplete')),"
	"  failure TEXT,"
	"  environment TEXT NOT NULL,"            /* emulated | hardware | unknown */
	"  host_kind TEXT NOT NULL,"
	"  machine TEXT NOT NULL,"
	"  cpu TEXT NOT NULL,"
	"  kernel TEXT NOT NULL,"
	"  tce_mode TEXT NOT NULL,"
	"  lab_machine TEXT,"                     /* tcelab-run --machine */
	"  device TEXT,"                          /* the device under test */
	"  kernel_commit TEXT,"
	"  patch TEXT,"                           /* patch or series id */
	"  lava_job TEXT,"
	"  logs TEXT NOT NULL,"                   /* where the run's files are */
	"  ingested TEXT NOT NULL"
	");"
	"CREATE INDEX runs_started ON runs (started);"
	"CREATE TABLE results ("
	"  id INTEGER PRIMARY KEY,"
	"  run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL,"                 /* the step's place in the plan */
	"  workload TEXT NOT NULL,"
	"  tool TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'skipped')),"
	"  started TEXT,"
	"  file TEXT,"
	"  device TEXT,"
	"  kernel TEXT NOT NULL,"                 /* the result's own where */
	"  tce_mode TEXT NOT NULL,"
	"  parameters TEXT NOT NULL,"             /* JSON */
	"  errors TEXT NOT NULL,"                 /* JSON array */
	"  UNIQUE (run, workload)"
	");"
	"CREATE TABLE metrics ("
	"  id INTEGER PRIMARY KEY,"
	"  result INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  labels TEXT NOT NULL,"                 /* canonical JSON, keys sorted */
	"  labels_text TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  better TEXT NOT NULL CHECK (better IN ('lower', 'higher')),"
	"  n INTEGER NOT NULL,"
	"  min REAL, median REAL, mean REAL, stddev REAL, p99 REAL, p999 REAL, max REAL,"
	"  samples BLOB,"                         /* little-endian float64s; NULL: not kept */
	"  UNIQUE (result, name, labels)"
	");"
	"CREATE INDEX metrics_name ON metrics (name);",
};

const char *store_default_path(void)
{
	const char *env = getenv("TCELAB_DB");

	return env && env[0] ? env : "results/tcelab.db";
}

static int db_err(struct store *s, struct tl_error *e, const char *what)
{
	return tl_err(e, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(struct store *s, const char *sql, struct tl_error *e)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		tl_err(e, "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int pragma_int(struct store *s, const char *sql, int *out, struct tl_error *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_err(s, e, "cannot read the database");
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(s, e, "cannot read the database");
	return 0;
}

static void close_db(struct store *s)
{
	if (s) {
		sqlite3_close(s->db);
		free(s->path);
		free(s);
	}
}

/* Whose database is this, and at which version? Reads only. */
static int check_schema(struct store *s, int *version, struct tl_error *e)
{
	int app, tables;

	if (pragma_int(s, "PRAGMA user_version", version, e) ||
	    pragma_int(s, "PRAGMA application_id", &app, e) ||
	    pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables, e))
		return -1;
	if (*version == 0 && tables > 0)
		return tl_err(e, "%s: an SQLite database with tables of its own, not a tcelab store",
			      s->path);
	if (*version > 0 && app != STORE_APPLICATION_ID)
		return tl_err(e, "%s: not a tcelab store (application_id %d)", s->path, app);
	if (*version > STORE_SCHEMA_VERSION)
		return tl_err(e,
			      "%s: the store's schema is version %d, newer than this tcelab's %d; "
			      "use the tcelab that wrote it (nothing was written)",
			      s->path, *version, STORE_SCHEMA_VERSION);
	return 0;
}

static int migrate(struct store *s, int from, struct tl_error *e)
{
	char sql[64];

	if (exec(s, "BEGIN IMMEDIATE", e))
		return -1;
	/* Another process may have upgraded it meanwhile: look again, locked. */
	if (check_schema(s, &from, e))
		goto fail;
	for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
		if (exec(s, migrations[v], e))
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (exec(s, sql, e))
			goto fail;
	}
	if (exec(s, "COMMIT", e))
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return tl_err_wrap(e, "upgrading the store from schema version %d", from);
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct tl_error *e)
{
	struct store *s = calloc(1, sizeof(*s));
	struct stat st;
	int version, flags;

	*out = NULL;
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return tl_err(e, "out of memory");
	}
	if (stat(path, &st) != 0) {
		if (errno != ENOENT || mode == STORE_READ) {
			close_db(s);
			if (errno == ENOENT)
				return tl_err(e, "no store at %s: ingest runs first (tcelab ingest "
						 "RUN_DIR...), or give --db", path);
			return tl_err_errno(e, "%s", path);
		}
	}
	flags = mode == STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		tl_err(e, "%s: cannot open: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		close_db(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	if (check_schema(s, &version, e)) {
		close_db(s);
		return -1;
	}
	if (mode == STORE_READ && version < STORE_SCHEMA_VERSION) {
		if (version == 0)
			tl_err(e, "%s: an empty store: ingest runs first (tcelab ingest RUN_DIR...)", path);
		else
			tl_err(e, "%s: the store's schema is version %d, older than %d: "
				  "tcelab ingest --upgrade upgrades it", path, version, STORE_SCHEMA_VERSION);
		close_db(s);
		return -1;
	}
	if (mode == STORE_WRITE && version < STORE_SCHEMA_VERSION && migrate(s, version, e)) {
		close_db(s);
		return -1;
	}
	if (exec(s, "PRAGMA foreign_keys = ON", e)) {
		close_db(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	close_db(s);
}

int store_file_version(const char *path, int *version, struct tl_error *e)
{
	struct store s = { .path = (char *)path };
	int ret;

	if (sqlite3_open_v2(path, &s.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		tl_err(e, "%s: cannot open: %s", path, sqlite3_errmsg(s.db));
		sqlite3_close(s.db);
		return -1;
	}
	ret = pragma_int(&s, "PRAGMA user_version", version, e);
	sqlite3_close(s.db);
	return ret;
}

/* ---- ingest ---- */

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* 0: not stored; 1: stored as is; 2: stored from other content. */
static int stored_state(struct store *s, const struct doc_run *run, char *why, size_t whylen,
			struct tl_error *e)
{
	sqlite3_stmt *st;
	int state = 0, rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT content_hash, kernel_commit, patch, lava_job FROM runs "
			       "WHERE run_id = ?", -1, &st, NULL) != SQLITE_OK)
		return db_err(s, e, "cannot look up the run");
	bind_text(st, 1, run->run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(st, 0);
		const char *commit = (const char *)sqlite3_column_text(st, 1);
		const char *patch = (const char *)sqlite3_column_text(st, 2);
		const char *lava = (const char *)sqlite3_column_text(st, 3);

		state = 1;
		if (!same(hash, run->hash)) {
			state = 2;
			snprintf(why, whylen, "its files differ (stored %.12s, now %.12s)", hash, run->hash);
		} else if (!same(commit, run->kernel_commit) || !same(patch, run->patch) ||
			   !same(lava, run->lava_job)) {
			state = 2;
			snprintf(why, whylen, "stored with kernel commit %s, patch %s, LAVA job %s",
				 commit ? commit : "-", patch ? patch : "-", lava ? lava : "-");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(s, e, "cannot look up the run");
	return state;
}

static void *samples_blob(const double *v, size_t n)
{
	unsigned char *b = malloc(n ? n * 8 : 1);

	for (size_t i = 0; b && i < n; i++) {
		uint64_t bits;

		memcpy(&bits, &v[i], 8);
		for (int k = 0; k < 8; k++)
			b[8 * i + k] = (unsigned char)(bits >> (8 * k));
	}
	return b;
}

static int insert_run(struct store *s, const struct doc_run *run, struct tl_error *e)
{
	static const char run_sql[] =
		"INSERT INTO runs (run_id, content_hash, source, name, started, finished, wall_seconds,"
		" status, failure, environment, host_kind, machine, cpu, kernel, tce_mode, lab_machine,"
		" device, kernel_commit, patch, lava_job, logs, ingested)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21, ?22)";
	static const char result_sql[] =
		"INSERT INTO results (run, seq, workload, tool, status, started, file, device, kernel,"
		" tce_mode, parameters, errors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	static const char metric_sql[] =
		"INSERT INTO metrics (result, name, labels, labels_text, unit, better, n, min, median,"
		" mean, stddev, p99, p999, max, samples)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
	sqlite3_stmt *rs = NULL, *res = NULL, *ms = NULL;
	char now[32];
	time_t t = time(NULL);
	int64_t run_row;
	int ret = -1;

	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	if (sqlite3_prepare_v2(s->db, run_sql, -1, &rs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, result_sql, -1, &res, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, metric_sql, -1, &ms, NULL) != SQLITE_OK) {
		db_err(s, e, "cannot prepare the insert");
		goto out;
	}
	bind_text(rs, 1, run->run_id);
	bind_text(rs, 2, run->hash);
	bind_text(rs, 3, run->source);
	bind_text(rs, 4, run->name);
	bind_text(rs, 5, run->started);
	bind_text(rs, 6, run->finished);
	bind_real(rs, 7, run->wall_seconds);
	bind_text(rs, 8, run->status);
	bind_text(rs, 9, run->failure);
	bind_text(rs, 10, run->where.environment);
	bind_text(rs, 11, run->where.host_kind);
	bind_text(rs, 12, run->where.machine);
	bind_text(rs, 13, run->where.cpu);
	bind_text(rs, 14, run->where.kernel);
	bind_text(rs, 15, run->where.tce_mode);
	bind_text(rs, 16, run->lab_machine);
	bind_text(rs, 17, run->device);
	bind_text(rs, 18, run->kernel_commit);
	bind_text(rs, 19, run->patch);
	bind_text(rs, 20, run->lava_job);
	bind_text(rs, 21, run->logs);
	bind_text(rs, 22, now);
	if (sqlite3_step(rs) != SQLITE_DONE) {
		db_err(s, e, "cannot store the run");
		goto out;
	}
	run_row = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < run->nresults; i++) {
		const struct doc_result *r = &run->results[i];
		int64_t result_row;

		sqlite3_reset(res);
		sqlite3_bind_int64(res, 1, run_row);
		sqlite3_bind_int64(res, 2, (int64_t)i);
		bind_text(res, 3, r->workload);
		bind_text(res, 4, r->tool);
		bind_text(res, 5, r->status);
		bind_text(res, 6, r->started);
		bind_text(res, 7, r->file);
		bind_text(res, 8, r->device);
		bind_text(res, 9, r->where.kernel);
		bind_text(res, 10, r->where.tce_mode);
		bind_text(res, 11, r->parameters);
		bind_text(res, 12, r->errors);
		if (sqlite3_step(res) != SQLITE_DONE) {
			db_err(s, e, "cannot store a result");
			tl_err_wrap(e, "run %s, workload %s", run->run_id, r->workload);
			goto out;
		}
		result_row = sqlite3_last_insert_rowid(s->db);
		for (size_t m = 0; m < r->nmetrics; m++) {
			const struct doc_metric *dm = &r->metrics[m];
			void *blob = NULL;

			sqlite3_reset(ms);
			sqlite3_bind_int64(ms, 1, result_row);
			bind_text(ms, 2, dm->name);
			bind_text(ms, 3, dm->labels);
			bind_text(ms, 4, dm->labels_text);
			bind_text(ms, 5, dm->unit);
			bind_text(ms, 6, dm->better);
			sqlite3_bind_int64(ms, 7, (int64_t)dm->n);
			bind_real(ms, 8, dm->min);
			bind_real(ms, 9, dm->median);
			bind_real(ms, 10, dm->mean);
			bind_real(ms, 11, dm->stddev);
			bind_real(ms, 12, dm->p99);
			bind_real(ms, 13, dm->p999);
			bind_real(ms, 14, dm->max);
			if (dm->samples) {
				blob = samples_blob(dm->samples, dm->nsamples);
				if (!blob) {
					tl_err(e, "out of memory");
					goto out;
				}
				sqlite3_bind_blob64(ms, 15, blob, dm->nsamples * 8, free);
			} else {
				sqlite3_bind_null(ms, 15);
			}
			if (sqlite3_step(ms) != SQLITE_DONE) {
				db_err(s, e, "cannot store a metric");
				tl_err_wrap(e, "run %s, workload %s, metric %s", run->run_id, r->workload,
					    dm->name);
				goto out;
			}
		}
	}
	ret = 0;
out:
	sqlite3_finalize(rs);
	sqlite3_finalize(res);
	sqlite3_finalize(ms);
	return ret;
}

int store_ingest(struct store *s, const struct doc_run *run, bool replace,
		 enum ingest_outcome *outcome, struct tl_error *e)
{
	char why[256] = "";
	int state;

	if (exec(s, "BEGIN IMMEDIATE", e))
		return -1;
	state = stored_state(s, run, why, sizeof(why), e);
	if (state < 0)
		goto fail;
	if (state == 1) {
		*outcome = INGEST_UNCHANGED;
		return exec(s, "ROLLBACK", e); /* nothing was written */
	}
	if (state == 2 && !replace) {
		tl_err(e, "run %s is already stored, but %s: --replace replaces it", run->run_id, why);
		goto fail;
	}
	if (state == 2) {
		sqlite3_stmt *st;
		int rc;

		if (sqlite3_prepare_v2(s->db, "DELETE FROM runs WHERE run_id = ?", -1, &st, NULL) !=
		    SQLITE_OK) {
			db_err(s, e, "cannot replace the run");
			goto fail;
		}
		bind_text(st, 1, run->run_id);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			db_err(s, e, "cannot replace the run");
			goto fail;
		}
	}
	if (insert_run(s, run, e))
		goto fail;
	if (exec(s, "COMMIT", e))
		goto fail;
	*outcome = state == 2 ? INGEST_REPLACED : INGEST_STORED;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* ---- reading ---- */

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

int store_runs(struct store *s, struct store_run **runs, size_t *n, struct tl_error *e)
{
	static const char sql[] =
		"SELECT id, run_id, name, started, finished, status, failure, source, environment,"
		" host_kind, machine, cpu, kernel, tce_mode, lab_machine, device, kernel_commit, patch,"
		" lava_job, logs, wall_seconds,"
		" (SELECT count(*) FROM results WHERE results.run = runs.id),"
		" (SELECT count(*) FROM results WHERE results.run = runs.id AND status = 'failed')"
		" FROM runs ORDER BY started, run_id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*runs = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_err(s, e, "cannot list the runs");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_run *r;

		if (*n == cap) {
			struct store_run *g = realloc(*runs, (cap = cap ? 2 * cap : 64) * sizeof(**runs));

			if (!g) {
				sqlite3_finalize(st);
				return tl_err(e, "out of memory");
			}
			*runs = g;
		}
		r = &(*runs)[(*n)++];
		r->rowid = sqlite3_column_int64(st, 0);
		r->run_id = col_text(st, 1);
		r->name = col_text(st, 2);
		r->started = col_text(st, 3);
		r->finished = col_text(st, 4);
		r->status = col_text(st, 5);
		r->failure = col_text(st, 6);
		r->source = col_text(st, 7);
		r->environment = col_text(st, 8);
		r->host_kind = col_text(st, 9);
		r->machine = col_text(st, 10);
		r->cpu = col_text(st, 11);
		r->kernel = col_text(st, 12);
		r->tce_mode = col_text(st, 13);
		r->lab_machine = col_text(st, 14);
		r->device = col_text(st, 15);
		r->kernel_commit = col_text(st, 16);
		r->patch = col_text(st, 17);
		r->lava_job = col_text(st, 18);
		r->logs = col_text(st, 19);
		r->wall_seconds = sqlite3_column_type(st, 20) == SQLITE_NULL ? NAN
									      : sqlite3_column_double(st, 20);
		r->nresults = (size_t)sqlite3_column_int64(st, 21);
		r->nfailed = (size_t)sqlite3_column_int64(st, 22);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_err(s, e, "cannot list the runs");
	return 0;
}

void store_runs_free(struct store_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct store_run *r = &runs[i];
		char **fields[] = { &r->run_id, &r->name, &r->started, &r->finished, &r->status,
				    &r->failure, &r->source, &r->environment, &r->host_kind,
				    &r->machine, &r->cpu, &r->kernel, &r->tce_mode, &r->lab_machine,
				    &r->device, &r->kernel_commit, &r->patch, &r->lava_job, &r->logs };

		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			free(*fields[f]);
	}
	free(runs);
}

static double col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

int store_each_metric(struct store *s, const struct store_run *runs, size_t nruns,
		      const char *name, int (*fn)(void *ctx, const struct store_metric *m),
		      void *ctx, struct tl_error *e)
{
	static const char sql[] =
		"SELECT r.workload, r.status, m.name, m.labels, m.labels_text, m.unit, m.better, m.n,"
		" m.min, m.median, m.mean, m.stddev, m.p99, m.p999, m.max, m.samples"
		" FROM metrics m JOIN results r ON m.result = r.id"
		" WHERE r.run = ?1 AND (?2 IS NULL OR m.name = ?2) ORDER BY r.seq, m.id";
	sqlite3_stmt *st;
	double *samples = NULL;
	size_t cap = 0;
	int ret = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_err(s, e, "cannot read metrics");
	for (size_t i = 0; i < nruns && ret == 0; i++) {
		int rc;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, runs[i].rowid);
		bind_text(st, 2, name);
		while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct store_metric m = {
				.run = i,
				.workload = (const char *)sqlite3_column_text(st, 0),
				.result_status = (const char *)sqlite3_column_text(st, 1),
				.name = (const char *)sqlite3_column_text(st, 2),
				.labels = (const char *)sqlite3_column_text(st, 3),
				.labels_text = (const char *)sqlite3_column_text(st, 4),
				.unit = (const char *)sqlite3_column_text(st, 5),
				.better = (const char *)sqlite3_column_text(st, 6),
				.n = col_real(st, 7), .min = col_real(st, 8), .median = col_real(st, 9),
				.mean = col_real(st, 10), .stddev = col_real(st, 11),
				.p99 = col_real(st, 12), .p999 = col_real(st, 13), .max = col_real(st, 14),
			};

			if (sqlite3_column_type(st, 15) == SQLITE_BLOB) {
				const unsigned char *b = sqlite3_column_blob(st, 15);
				size_t bytes = (size_t)sqlite3_column_bytes(st, 15), k = bytes / 8;

				if (k > cap) {
					double *g = realloc(samples, k * sizeof(*g));

					if (!g) {
						ret = tl_err(e, "out of memory");
						break;
					}
					samples = g;
					cap = k;
				}
				for (size_t j = 0; j < k; j++) {
					uint64_t bits = 0;

					for (int q = 0; q < 8; q++)
						bits |= (uint64_t)b[8 * j + q] << (8 * q);
					memcpy(&samples[j], &bits, 8);
				}
				m.samples = samples;
				m.nsamples = k;
			}
			ret = fn(ctx, &m);
		}
		if (ret == 0 && rc != SQLITE_DONE)
			ret = db_err(s, e, "cannot read metrics");
	}
	sqlite3_finalize(st);
	free(samples);
	return ret;
}
