/* SPDX-License-Identifier: GPL-2.0-only */
/* tcelab-run's command line: one table of options (options.c), like fio's. */
#ifndef LAB_OPTIONS_H
#define LAB_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

struct tl_error;

struct lab_options {
	const char *plan;
	const char *results;
	const char *image;
	const char *machine;
	const char *qemu;
	const char *jobs;
	const char *name; /* NULL: the plan's file name without .plan */
	int timeout;      /* seconds, the whole run */
	int step_timeout; /* seconds, one step in the guest */
	bool help;
	/* The nested lab (nested.h): machines nested-hv, nested-papr, powernv9-kvm. */
	const char *host_image; /* the L1 host image; --image is then L2's */
	const char *tce_mode;   /* in-kernel | userspace */
	const char *tce_switch; /* auto | shim | param */
	const char *modules;    /* patched kvm.ko + kvm-hv.ko, NULL: stock */
	const char *proof;      /* light | full */
#define LAB_MAX_L2_ENV 16
	const char *l2_env[LAB_MAX_L2_ENV]; /* TCELAB_L2_KEY=VALUE lines */
	int nl2_env;
};

/* Fill o with the defaults, then apply argv. */
int options_parse(struct lab_options *o, int argc, char **argv, struct tl_error *e);

void options_usage(FILE *f);

#endif
