/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A run as a table for people: a header (id, status, wall time), a line
 * saying where it was measured, and one row per metric; failed steps are
 * rows with their errors.
 */
#ifndef REPORT_RUN_TABLE_H
#define REPORT_RUN_TABLE_H

#include <stdio.h>

struct run_data;
struct tl_error;

void run_table_print(FILE *f, const struct run_data *rd);

/* The line saying where a run was measured and what its figures are worth. */
void run_table_banner(const struct run_data *rd, char *buf, size_t len);

/* Load the run in dir and print it. */
int run_table_print_dir(FILE *f, const char *dir, struct tl_error *e);

#endif
