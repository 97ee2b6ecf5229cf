/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A run's folder. It is made as RESULTS/.staging-ID, shared with the guest,
 * and renamed to RESULTS/ID when the run is recorded, so a folder named
 * like a run is always a complete one; RESULTS/latest points at the newest.
 */
#ifndef LAB_RUN_DIR_H
#define LAB_RUN_DIR_H

#include <time.h>

struct tl_error;

#define RUN_ID_LEN 32

struct run_dir {
	char *results;
	char id[RUN_ID_LEN]; /* UTC start and a random suffix: 20261125T153000Z-ab12 */
	char *staging;       /* RESULTS/.staging-ID */
	char *final;         /* RESULTS/ID */
};

/* Create RESULTS if missing and a new staging folder in it. */
int run_dir_create(struct run_dir *d, const char *results, time_t started, struct tl_error *e);

/* Rename the staging folder to its final name and repoint RESULTS/latest. */
int run_dir_publish(struct run_dir *d, struct tl_error *e);

/* Path of a file in the staging folder (malloc'd). */
char *run_dir_path(const struct run_dir *d, const char *name);

void run_dir_free(struct run_dir *d);

#endif
