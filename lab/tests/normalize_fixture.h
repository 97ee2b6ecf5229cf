/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the normalizer tests share: a scratch out/ folder as the guest
 * leaves it, fixtures put into it, and one plan step normalized from it.
 * Header-only, like ktap.h: each test is one program.
 */
#ifndef LAB_TESTS_NORMALIZE_FIXTURE_H
#define LAB_TESTS_NORMALIZE_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "files.h"
#include "ktap.h"
#include "normalize.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json.h"

static char out_dir[] = "/tmp/tcelab-test-normalize-XXXXXX";

static const struct result_where runner_where = {
	.environment = "emulated", .host_kind = "pseries-tcg", .machine = "CHRP IBM pSeries",
	.cpu = "POWER10", .kernel = "6.12.95", .tce_mode = "emulated",
};

/* Write text as out/NAME. */
static inline void put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", out_dir, name);
	struct tl_error e;

	if (file_write(path, text, &e))
		report_info("%s", e.msg);
	free(path);
}

/* Copy data/FIXTURE to out/NAME. */
static inline void put_fixture(const char *name, const char *fixture)
{
	char *src = xasprintf("%s/%s", TEST_DATA_DIR, fixture);
	char *dst = xasprintf("%s/%s", out_dir, name);
	struct tl_error e;

	if (file_copy(src, dst, &e))
		report_info("%s", e.msg);
	free(src);
	free(dst);
}

/* Parse one plan line, normalize that step, return its result (or NULL). */
static inline struct json_value *normalize(const char *plan_line, bool began,
					   struct step_verdict *v)
{
	char *result_path = xasprintf("%s/result.json", out_dir);
	struct json_value *doc = NULL;
	struct tl_error e;
	struct plan plan;

	if (plan_parse(&plan, "t.plan", plan_line, &e)) {
		report_info("plan: %s", e.msg);
		free(result_path);
		return NULL;
	}
	struct normalize_context ctx = {
		.step = &plan.steps[0], .out_dir = out_dir, .where = &runner_where,
		.step_timeout = 300, .began = began,
	};
	if (normalize_step(&ctx, result_path, v, &e) == 0)
		doc = json_parse_file(result_path, &e);
	if (!doc)
		report_info("%s", e.msg);
	plan_free(&plan);
	free(result_path);
	return doc;
}

static inline double num(const struct json_value *v, const char *path)
{
	double x;

	return json_path_number(v, path, &x) ? x : NAN;
}

#endif
