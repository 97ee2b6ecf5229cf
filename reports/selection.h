/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Selecting stored runs: "kernel=6.12.95,tce_mode=in-kernel". Terms are
 * KEY=VALUE, separated by commas, all of which must hold; a value may list
 * alternatives with '|' and use shell wildcards (* ?). A term without '='
 * is a run id (or the start of one). docs/reports.md lists the keys.
 */
#ifndef REPORT_SELECTION_H
#define REPORT_SELECTION_H

#include <stdbool.h>
#include <stddef.h>

struct store_run;
struct tl_error;

struct sel_term {
	char *key;
	char **values;
	size_t nvalues;
};

struct selection {
	char *text;
	struct sel_term *terms;
	size_t nterms;
	size_t last;      /* last=N: only the newest N that match (0: all) */
	char **workloads; /* workload=: metric-level, NULL-terminated, NULL: all */
	char **metrics;   /* metric=: metric-level */
};

int selection_parse(const char *text, struct selection *out, struct tl_error *e);
void selection_free(struct selection *s);

bool selection_match_run(const struct selection *s, const struct store_run *r);

/* Whether the metric-level terms (workload=, metric=) let this metric in. */
bool selection_match_metric(const struct selection *s, const char *workload, const char *name);

/*
 * The runs (oldest first, as stored) a selection picks: indices into all,
 * in order; last= applied. An empty result is an error that says what is
 * stored.
 */
int selection_apply(const struct selection *s, const struct store_run *all, size_t nall,
		    size_t **picked, size_t *npicked, struct tl_error *e);

/* Help text for the keys, one per line. */
extern const char selection_help[];

#endif
