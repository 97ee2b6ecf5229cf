/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The A/B matrix's data (ab_table.c): what each run of a cell measured and
 * proved, read back from its run folder, and the table and ab.json made of
 * them. Kept apart from tcelab-ab's main so the unit tests read fixtures.
 */
#ifndef LAB_AB_H
#define LAB_AB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct tl_error;

/* The mapping sizes the table shows (ab.plan's). */
#define AB_NSIZES 3
extern const uint64_t ab_sizes[AB_NSIZES];

/* dma-map: per-TCE medians (ns) by size; NAN where not measured. */
struct ab_dma {
	double map[AB_NSIZES], unmap[AB_NSIZES];
};

struct ab_cell_run {
	bool loaded;         /* a run folder was read */
	char dir[512];
	char failure[512];   /* the run's failure, empty when it passed */
	double wall_seconds;
	struct ab_dma v2, v1;
	double fio_clat_mean_ns, fio_iops; /* NAN when not measured */
	bool fio_skipped;
	char fio_note[256];  /* why skipped or failed */
	char tce_switch[16], modules[16], transport[16], passes[32];
	/* the proof as the runner judged it (run.json nested.proof) */
	bool proof_present, proof_pass;
	char proof_source[16];
	uint64_t proof_total, proof_user;
	char proof_first_fail[240];
	int dmesg_warnings;  /* L1's WARNING/BUG lines during the run; -1 unknown */
	char dmesg_first[200];
};

struct ab_matrix {
	const char *const *hosts;
	int nhosts;
	const char *const *modes;
	int nmodes;
	int repeat;
	struct ab_cell_run *runs; /* [host][mode][repetition] */
	double wall_seconds;
};

void ab_matrix_init(struct ab_matrix *mx, const char *const *hosts, int nhosts,
		    const char *const *modes, int nmodes, int repeat);
struct ab_cell_run *ab_matrix_run(struct ab_matrix *mx, int host, int mode, int rep);
void ab_matrix_free(struct ab_matrix *mx);

/* Read a finished run's folder (run.json, NAME.result.json, out/l1/l1.env). */
void ab_cell_load(struct ab_cell_run *cr, const char *run_dir, const char *failure,
		  double wall_seconds);

/* The median over the repetitions of a cell's value; NAN if none. When
 * lo/hi are given, also the smallest and largest. */
double ab_cell_median(const struct ab_matrix *mx, int host, int mode,
		      double (*get)(const struct ab_cell_run *), double *lo, double *hi);

/* userspace/in-kernel of get, per repetition; the median and the range. */
double ab_ratio(const struct ab_matrix *mx, int host, double (*get)(const struct ab_cell_run *),
		double *lo, double *hi);

void ab_table_print(FILE *f, const struct ab_matrix *mx);

/* ab.json and ab.txt in dir. */
int ab_write(const char *dir, const struct ab_matrix *mx, struct tl_error *e);

#endif
