/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The plan: which workloads one run does, one a line
 *
 *	# comment
 *	NAME ENGINE ARG...
 *
 * Everything is checked before the runner creates anything, so a typo
 * costs one error line, not a half-made run.
 */
#ifndef LAB_PLAN_H
#define LAB_PLAN_H

#include <stdbool.h>
#include <stddef.h>

struct engine;
struct tl_error;

#define PLAN_NAME_MAX 64

struct plan_step {
	char *name;
	const struct engine *engine;
	char **args; /* NULL-terminated */
	size_t nargs;
	int line;    /* in the plan file */
};

struct plan {
	char *path;
	struct plan_step *steps;
	size_t nsteps;
};

/* Parse a plan's text; path is for messages. On error the plan is empty. */
int plan_parse(struct plan *plan, const char *path, const char *text, struct tl_error *e);

/* Read and parse a plan file. */
int plan_load(struct plan *plan, const char *path, struct tl_error *e);

/* Check what the steps need from the host: job files in jobs_dir. */
int plan_check_files(const struct plan *plan, const char *jobs_dir, struct tl_error *e);

/* The first step that needs the host's iperf3 server, or NULL. */
const struct plan_step *plan_iperf_step(const struct plan *plan);

/* The step's line as the guest reads it: fields joined by single spaces. */
char *plan_step_line(const struct plan_step *step);

/* [a-z0-9._-]+, at most PLAN_NAME_MAX characters. */
bool plan_name_valid(const char *name);

void plan_free(struct plan *plan);

#endif
