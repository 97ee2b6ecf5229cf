/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The result store: one SQLite file (docs/reports.md) with runs, their
 * results (one per workload) and metrics with raw samples. The schema is
 * versioned by PRAGMA user_version and upgraded by migrations, in order,
 * in one transaction; a database from a newer tcelab is refused before
 * anything is written.
 */
#ifndef REPORT_STORE_H
#define REPORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct doc_run;
struct tl_error;
struct store;

/* The schema this code writes and reads. */
#define STORE_SCHEMA_VERSION 1
/* PRAGMA application_id of a tcelab store: "tclb". */
#define STORE_APPLICATION_ID 0x74636c62

/* The database when --db is not given: $TCELAB_DB, else results/tcelab.db. */
const char *store_default_path(void);

enum store_mode {
	STORE_READ,  /* must exist at the current version; opened read-only */
	STORE_WRITE, /* created when missing; an older schema is upgraded */
};

int store_open(const char *path, enum store_mode mode, struct store **out, struct tl_error *e);
void store_close(struct store *s);

/* The schema version of the file at path (0 for a new or empty one), for tests. */
int store_file_version(const char *path, int *version, struct tl_error *e);

enum ingest_outcome { INGEST_STORED, INGEST_UNCHANGED, INGEST_REPLACED };

/*
 * Store one run in one transaction. A run already stored under its id with
 * the same content hash and metadata is left as it is (INGEST_UNCHANGED:
 * nothing is written). The same id from other content is an error unless
 * replace, which replaces it in the same transaction.
 */
int store_ingest(struct store *s, const struct doc_run *run, bool replace,
		 enum ingest_outcome *outcome, struct tl_error *e);

/* A stored run, as selections see it. NULL members: not known. */
struct store_run {
	int64_t rowid;
	char *run_id, *name, *started, *finished, *status, *failure, *source;
	char *environment, *host_kind, *machine, *cpu, *kernel, *tce_mode;
	char *lab_machine, *device, *kernel_commit, *patch, *lava_job, *logs;
	double wall_seconds;
	size_t nresults, nfailed; /* workloads, failed ones */
};

/* Every stored run, oldest first (by start time, then id). */
int store_runs(struct store *s, struct store_run **runs, size_t *n, struct tl_error *e);
void store_runs_free(struct store_run *runs, size_t n);

/* One metric of one stored run. */
struct store_metric {
	size_t run; /* index into the runs passed to store_each_metric */
	const char *workload, *result_status, *name, *labels, *labels_text, *unit, *better;
	double n, min, median, mean, stddev, p99, p999, max;
	const double *samples; /* NULL when not kept */
	size_t nsamples;
};

/* Call fn for each metric of the given runs (name: only that metric, or
 * NULL). A non-zero return from fn stops and is returned. */
int store_each_metric(struct store *s, const struct store_run *runs, size_t nruns,
		      const char *name, int (*fn)(void *ctx, const struct store_metric *m),
		      void *ctx, struct tl_error *e);

#endif
