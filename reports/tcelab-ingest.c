// SPDX-License-Identifier: GPL-2.0-only
/* tcelab-ingest: store recorded runs and results in the result store. */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "result_doc.h"
#include "store.h"
#include "tcelab/error.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcelab ingest [OPTION...] RUN_DIR|LAVA_JOB_DIR|RESULTS_DIR|RESULT.json...\n"
		"Store runs in the result store, one transaction per run: a run folder (run.json and\n"
		"its NAME.result.json files), a LAVA job folder `tcelab lava collect` wrote (job.json\n"
		"and its results), a folder of such folders (tcelab-run --results, results/lava), or a\n"
		"lone tcelab-result/1 file. Ingesting the same input again changes nothing. A malformed\n"
		"or truncated file is an error naming it, and nothing of its run is written.\n\n"
		"  --db FILE            the store (default: $TCELAB_DB, else results/tcelab.db; now %s)\n"
		"  --kernel-commit SHA  the kernel commit the runs measured (kept with each run)\n"
		"  --patch ID           the patch or series id the runs measured\n"
		"  --lava-job ID        the LAVA job that ran them\n"
		"  --replace            replace a run stored under the same id from other content\n"
		"  --check              read and check the inputs, write nothing\n"
		"  --upgrade            only upgrade the store's schema to this tcelab's\n"
		"  --help               show this help and exit\n\n"
		"Exit status: 0 when every input was stored (or already was), 1 when one could not be,\n"
		"2 for bad usage.\n",
		store_default_path());
}

struct opts {
	const char *db, *commit, *patch, *lava;
	bool replace, check, upgrade;
};

static int fail(const struct tl_error *e)
{
	fprintf(stderr, "tcelab ingest: %s\n", e->msg);
	return 1;
}

static size_t count_metrics(const struct doc_run *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nresults; i++)
		n += r->results[i].nmetrics;
	return n;
}

static void set_meta(char **field, const char *value)
{
	if (value) {
		free(*field);
		*field = strdup(value);
	}
}

enum input { IN_RESULT, IN_RUN_DIR, IN_LAVA_DIR };

static bool has_file(const char *dir, const char *name)
{
	char *p;
	struct stat sb;
	bool yes;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return false;
	yes = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
	free(p);
	return yes;
}

/* One run folder, LAVA job folder or result file. 0 stored or unchanged, 1 not. */
static int ingest_one(struct store *st, const struct opts *o, const char *path, enum input kind)
{
	struct doc_run run;
	struct tl_error e;
	enum ingest_outcome outcome;
	static const char *const said[] = { "stored", "unchanged (already stored)", "replaced" };

	if (kind == IN_RUN_DIR ? doc_load_run_dir(path, &run, &e)
	    : kind == IN_LAVA_DIR ? doc_load_lava_dir(path, &run, &e)
				  : doc_load_result_file(path, &run, &e))
		return fail(&e);
	set_meta(&run.kernel_commit, o->commit);
	set_meta(&run.patch, o->patch);
	set_meta(&run.lava_job, o->lava);
	if (o->check) {
		printf("ok %s: run %s, %s, %zu workloads, %zu metrics\n", path, run.run_id, run.status,
		       run.nresults, count_metrics(&run));
		doc_run_free(&run);
		return 0;
	}
	if (store_ingest(st, &run, o->replace, &outcome, &e)) {
		doc_run_free(&run);
		return fail(&e);
	}
	printf("%s %s: run %s, %s, %zu workloads, %zu metrics\n", said[outcome], path, run.run_id,
	       run.status, run.nresults, count_metrics(&run));
	doc_run_free(&run);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder of run folders: each subfolder with a run.json, once (latest is a link to one). */
static int ingest_results_dir(struct store *st, const struct opts *o, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int bad = 0, found = 0;

	if (!d) {
		struct tl_error e;

		tl_err_errno(&e, "%s", dir);
		return fail(&e);
	}
	while ((de = readdir(d))) {
		char *sub, *runjson;
		struct stat sb, lb;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			break;
		if (asprintf(&runjson, "%s/run.json", sub) < 0) {
			free(sub);
			break;
		}
		/* symbolic links (latest) point at a run that is listed anyway */
		if (lstat(sub, &lb) == 0 && !S_ISLNK(lb.st_mode) &&
		    (stat(runjson, &sb) == 0 || has_file(sub, "job.json"))) {
			if (n == cap) {
				char **g = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof(*names));

				if (!g) {
					free(sub);
					free(runjson);
					break;
				}
				names = g;
			}
			names[n++] = sub;
		} else {
			free(sub);
		}
		free(runjson);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		bad |= ingest_one(st, o, names[i], has_file(names[i], "job.json") ? IN_LAVA_DIR : IN_RUN_DIR);
		found++;
		free(names[i]);
	}
	free(names);
	if (!found) {
		fprintf(stderr, "tcelab ingest: %s: no run.json, and no run folders in it\n", dir);
		return 1;
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct opts o = { .db = store_default_path() };
	struct store *st = NULL;
	struct tl_error e;
	int first = 1, bad = 0;

	for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		const char *a = argv[first];
		const char **value = strcmp(a, "--db") == 0		  ? &o.db
				     : strcmp(a, "--kernel-commit") == 0 ? &o.commit
				     : strcmp(a, "--patch") == 0	  ? &o.patch
				     : strcmp(a, "--lava-job") == 0	  ? &o.lava
									  : NULL;

		if (strcmp(a, "--") == 0) {
			first++;
			break;
		}
		if (value) {
			if (first + 1 >= argc || !argv[first + 1][0]) {
				fprintf(stderr, "tcelab ingest: %s needs a value (see --help)\n", a);
				return 2;
			}
			*value = argv[++first];
		} else if (strcmp(a, "--replace") == 0) {
			o.replace = true;
		} else if (strcmp(a, "--check") == 0) {
			o.check = true;
		} else if (strcmp(a, "--upgrade") == 0) {
			o.upgrade = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "tcelab ingest: unknown option '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (first == argc && !o.upgrade) {
		fprintf(stderr, "tcelab ingest: nothing to ingest: give run folders or result files "
				"(see --help)\n");
		return 2;
	}
	if (!o.check && store_open(o.db, STORE_WRITE, &st, &e))
		return fail(&e);
	if (o.upgrade && first == argc) {
		printf("store %s: schema version %d\n", o.db, STORE_SCHEMA_VERSION);
		store_close(st);
		return 0;
	}
	for (int i = first; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) != 0) {
			tl_err_errno(&e, "%s", argv[i]);
			bad |= fail(&e);
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			bad |= ingest_one(st, &o, argv[i], IN_RESULT);
			continue;
		}
		/* job.json first: a lava-run folder has a run.json of LAVA's own */
		if (has_file(argv[i], "job.yaml") && !has_file(argv[i], "job.json")) {
			fprintf(stderr, "tcelab ingest: %s: a lava-run folder: collect it first (tcelab lava "
					"collect --lava-run-dir %s), then ingest the folder that writes\n",
				argv[i], argv[i]);
			bad = 1;
		} else if (has_file(argv[i], "job.json"))
			bad |= ingest_one(st, &o, argv[i], IN_LAVA_DIR);
		else if (has_file(argv[i], "run.json"))
			bad |= ingest_one(st, &o, argv[i], IN_RUN_DIR);
		else
			bad |= ingest_results_dir(st, &o, argv[i]);
	}
	store_close(st);
	return bad ? 1 : 0;
}
