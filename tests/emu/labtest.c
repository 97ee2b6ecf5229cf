// SPDX-License-Identifier: GPL-2.0-only
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "labtest.h"
#include "../ktap.h"

static const char *runner, *image;
static char results[PATH_MAX];

bool labtest_init(const char *runner_path, const char *image_dir)
{
	struct stat st;

	runner = runner_path;
	image = image_dir;
	if (stat(image, &st))
		return false;
	snprintf(results, sizeof(results), "/tmp/tcelab-emu-XXXXXX");
	return mkdtemp(results) != NULL;
}

void labtest_cleanup(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", results);
	if (system(cmd))
		report_info("could not remove %s", results);
}

const char *labtest_results(void)
{
	return results;
}

int labtest_run(const char *plan, const char *extra)
{
	char cmd[PATH_MAX * 4];
	int status;

	snprintf(cmd, sizeof(cmd), "'%s' --plan '%s' --image '%s' --results '%s' %s", runner, plan,
		 image, results, extra);
	report_info("%s", cmd);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void labtest_latest(char *dir, size_t len)
{
	char link[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/latest", results);
	n = readlink(link, dir, len - 1);
	dir[n > 0 ? n : 0] = '\0';
	if (n > 0 && dir[0] != '/') {
		snprintf(link, sizeof(link), "%s/%s", results, dir);
		snprintf(dir, len, "%s", link);
	}
}

struct json_value *labtest_load(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct tl_error e;
	struct json_value *v;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	v = json_parse_file(path, &e);
	if (!v)
		report_info("%s", e.msg);
	return v;
}

bool labtest_passed(const struct json_value *doc)
{
	const char *s = json_path_string(doc, "status");

	return s && !strcmp(s, "passed");
}

static bool has_label(const struct json_value *m, const char *key, const char *value)
{
	const struct json_value *l = json_get(json_get(m, "labels"), key);
	char buf[32];

	if (!l)
		return false;
	if (l->type == JSON_STRING)
		return !strcmp(l->u.string.s, value);
	snprintf(buf, sizeof(buf), "%.0f", l->u.number);
	return l->type == JSON_NUMBER && !strcmp(buf, value);
}

double labtest_median(const struct json_value *doc, const char *name, const char *k1,
		      const char *v1, const char *k2, const char *v2)
{
	const struct json_value *metrics = json_get(doc, "metrics");
	double median = -1;

	for (size_t i = 0; metrics && i < metrics->u.array.n; i++) {
		const struct json_value *m = metrics->u.array.items[i];
		const char *n = json_path_string(m, "name");

		if (!n || strcmp(n, name) || (k1 && !has_label(m, k1, v1)) ||
		    (k2 && !has_label(m, k2, v2)))
			continue;
		json_path_number(m, "summary.median", &median);
		break;
	}
	return median;
}

bool labtest_step_error(const char *dir, const char *step, const char *text)
{
	char file[128];
	struct json_value *d;
	const struct json_value *errors;
	bool found = false;

	snprintf(file, sizeof(file), "%s.result.json", step);
	d = labtest_load(dir, file);
	errors = json_get(d, "errors");
	for (size_t i = 0; errors && i < errors->u.array.n; i++) {
		const struct json_value *line = errors->u.array.items[i];

		if (line->type == JSON_STRING && strstr(line->u.string.s, text))
			found = true;
	}
	if (!found)
		report_info("%s: no error line with '%s'", step, text);
	json_free(d);
	return found;
}
