/* SPDX-License-Identifier: GPL-2.0-only */
/* The comparison for people (a table with ratios) and for programs (JSON). */
#ifndef SBS_PRINT_H
#define SBS_PRINT_H

#include <stdio.h>

#include "ratios.h"
#include "load.h"

struct tl_error;

void sbs_print_text(FILE *f, const struct sbs_run *run, const struct cmp_table *t);

/* {"schema": "tcelab-compare-engines/1", ...}; -1 with e set on a write error. */
int sbs_print_json(FILE *f, const struct sbs_run *run, const struct cmp_table *t,
		   struct tl_error *e);

#endif
