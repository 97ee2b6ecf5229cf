/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HTML report: one self-contained file (inline CSS and SVG, no script,
 * nothing fetched at view time). With two selections it compares them
 * (the table of tcelab compare, then per metric a strip/box plot of both
 * sides and, for latencies, their CDFs); with one it shows each metric's
 * distribution run by run. Either way: the where-measured banner, the
 * in-kernel vs userspace TCE comparison as a section of its own, and the
 * runs' metadata.
 */
#ifndef REPORT_REPORT_HTML_H
#define REPORT_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"

struct store;
struct store_run;
struct tl_error;

int report_html(FILE *f, struct store *st, const struct store_run *all, size_t nall,
		const char *const *selections, size_t nsel, const struct cmp_options *o,
		const char *title, struct tl_error *e);

#endif
