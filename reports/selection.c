// SPDX-License-Identifier: GPL-2.0-only
#include "selection.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "tcelab/error.h"

const char selection_help[] =
	"  run=ID            a run id or its start (a bare word means the same)\n"
	"  name=NAME         the run's name (the plan's, or tcelab-run --name)\n"
	"  kernel=VERSION    uname -r, or its start up to a non-digit: 6.12.95 matches 6.12.95+deb12-...\n"
	"  commit=SHA        the kernel commit (ingest --kernel-commit), or its start\n"
	"  patch=ID          the patch or series id (ingest --patch)\n"
	"  tce_mode=MODE     in-kernel, userspace, emulated, none, unknown (also: mode=)\n"
	"  environment=ENV   emulated, hardware, unknown (also: env=)\n"
	"  host_kind=KIND    pseries-tcg, powernv9-tcg, powernv, nested-hv, powervm, ... (also: host=)\n"
	"  machine=NAME      tcelab-run --machine (pseries, powernv9), or where.machine\n"
	"  device=TEXT       the device under test contains TEXT\n"
	"  lava_job=ID       the LAVA job id\n"
	"  status=STATUS     passed, failed, incomplete\n"
	"  date=YYYY-MM-DD   started that day (UTC); since=DATE, until=DATE (inclusive)\n"
	"  last=N            only the newest N runs that match the rest\n"
	"  workload=NAME     only metrics of this workload (plan step)\n"
	"  metric=NAME       only this metric\n"
	"Values may list alternatives with '|' and use wildcards: kernel=6.12.*|6.13.*\n";

static const char *const keys[] = {
	"run", "name", "kernel", "commit", "patch", "tce_mode", "environment", "host_kind",
	"machine", "device", "lava_job", "status", "date", "since", "until", "last", "workload",
	"metric",
};

static const char *canonical_key(const char *k)
{
	if (strcmp(k, "id") == 0)
		return "run";
	if (strcmp(k, "mode") == 0)
		return "tce_mode";
	if (strcmp(k, "env") == 0)
		return "environment";
	if (strcmp(k, "host") == 0)
		return "host_kind";
	if (strcmp(k, "kernel_commit") == 0)
		return "commit";
	if (strcmp(k, "lava") == 0)
		return "lava_job";
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(k, keys[i]) == 0)
			return keys[i];
	return NULL;
}

static char **split(const char *s, char sep, size_t *n)
{
	size_t cap = 2;
	char **v = calloc(cap, sizeof(*v));

	*n = 0;
	while (v) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (*n + 2 > cap) {
			char **g = realloc(v, (cap *= 2) * sizeof(*v));

			if (!g)
				break;
			v = g;
		}
		v[*n] = strndup(s, len);
		v[++*n] = NULL;
		if (!end)
			return v;
		s = end + 1;
	}
	return v; /* NULL, or short on memory: the caller sees NULL entries */
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int selection_parse(const char *text, struct selection *out, struct tl_error *e)
{
	char **parts;
	size_t nparts;

	memset(out, 0, sizeof(*out));
	out->text = strdup(text);
	parts = split(text, ',', &nparts);
	out->terms = calloc(nparts + 1, sizeof(*out->terms));
	if (!out->text || !parts || !out->terms) {
		free_strv(parts);
		return tl_err(e, "out of memory");
	}
	for (size_t i = 0; i < nparts; i++) {
		char *p = parts[i], *eq = strchr(p, '=');
		const char *key;
		struct sel_term *t;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		if (!eq) {
			key = "run";
		} else {
			*eq = '\0';
			key = canonical_key(p);
			if (!key) {
				tl_err(e, "selection '%s': unknown key '%s' (keys: run, name, kernel, commit, "
					  "patch, tce_mode, environment, host_kind, machine, device, "
					  "lava_job, status, date, since, until, last, workload, metric)",
				       text, p);
				free_strv(parts);
				return -1;
			}
			p = eq + 1;
		}
		if (!*p) {
			tl_err(e, "selection '%s': %s= has no value", text, key);
			free_strv(parts);
			return -1;
		}
		if (strcmp(key, "last") == 0) {
			char *end;
			long n = strtol(p, &end, 10);

			if (*end || n <= 0) {
				tl_err(e, "selection '%s': last=%s is not a positive count", text, p);
				free_strv(parts);
				return -1;
			}
			out->last = (size_t)n;
			continue;
		}
		if (strcmp(key, "workload") == 0 || strcmp(key, "metric") == 0) {
			char ***dst = strcmp(key, "workload") == 0 ? &out->workloads : &out->metrics;
			size_t n;

			free_strv(*dst);
			*dst = split(p, '|', &n);
			continue;
		}
		t = &out->terms[out->nterms++];
		t->key = strdup(key);
		t->values = split(p, '|', &t->nvalues);
		if (!t->key || !t->values) {
			free_strv(parts);
			return tl_err(e, "out of memory");
		}
	}
	free_strv(parts);
	return 0;
}

void selection_free(struct selection *s)
{
	for (size_t i = 0; i < s->nterms; i++) {
		free(s->terms[i].key);
		free_strv(s->terms[i].values);
	}
	free(s->terms);
	free(s->text);
	free_strv(s->workloads);
	free_strv(s->metrics);
	memset(s, 0, sizeof(*s));
}

static bool has_wildcard(const char *v)
{
	return strpbrk(v, "*?[") != NULL;
}

static bool eq_or_glob(const char *pattern, const char *s)
{
	if (!s)
		return false;
	return has_wildcard(pattern) ? fnmatch(pattern, s, 0) == 0 : strcmp(pattern, s) == 0;
}

static bool prefix_or_glob(const char *pattern, const char *s)
{
	if (!s)
		return false;
	return has_wildcard(pattern) ? fnmatch(pattern, s, 0) == 0
				     : strncmp(pattern, s, strlen(pattern)) == 0;
}

/* 6.12.95 matches 6.12.95 and 6.12.95+deb12-powerpc64le, not 6.12.951. */
static bool kernel_match(const char *pattern, const char *s)
{
	size_t n = strlen(pattern);

	if (!s)
		return false;
	if (has_wildcard(pattern))
		return fnmatch(pattern, s, 0) == 0;
	return strncmp(pattern, s, n) == 0 && !isdigit((unsigned char)s[n]);
}

static bool term_value_match(const char *key, const char *v, const struct store_run *r)
{
	if (strcmp(key, "run") == 0)
		return prefix_or_glob(v, r->run_id);
	if (strcmp(key, "name") == 0)
		return eq_or_glob(v, r->name);
	if (strcmp(key, "kernel") == 0)
		return kernel_match(v, r->kernel);
	if (strcmp(key, "commit") == 0)
		return prefix_or_glob(v, r->kernel_commit);
	if (strcmp(key, "patch") == 0)
		return eq_or_glob(v, r->patch);
	if (strcmp(key, "tce_mode") == 0)
		return eq_or_glob(v, r->tce_mode);
	if (strcmp(key, "environment") == 0)
		return eq_or_glob(v, r->environment);
	if (strcmp(key, "host_kind") == 0)
		return eq_or_glob(v, r->host_kind);
	if (strcmp(key, "machine") == 0)
		return eq_or_glob(v, r->lab_machine) || eq_or_glob(v, r->machine);
	if (strcmp(key, "device") == 0)
		return r->device && strstr(r->device, v);
	if (strcmp(key, "lava_job") == 0)
		return eq_or_glob(v, r->lava_job);
	if (strcmp(key, "status") == 0)
		return eq_or_glob(v, r->status);
	if (strcmp(key, "date") == 0)
		return prefix_or_glob(v, r->started);
	if (strcmp(key, "since") == 0)
		return r->started && strcmp(r->started, v) >= 0;
	if (strcmp(key, "until") == 0) /* inclusive: 2026-11-25 takes all of that day */
		return r->started && (strcmp(r->started, v) <= 0 || strncmp(r->started, v, strlen(v)) == 0);
	return false;
}

bool selection_match_run(const struct selection *s, const struct store_run *r)
{
	for (size_t i = 0; i < s->nterms; i++) {
		bool any = false;

		for (size_t v = 0; v < s->terms[i].nvalues && !any; v++)
			any = term_value_match(s->terms[i].key, s->terms[i].values[v], r);
		if (!any)
			return false;
	}
	return true;
}

static bool any_match(char **patterns, const char *s)
{
	if (!patterns)
		return true;
	for (size_t i = 0; patterns[i]; i++)
		if (eq_or_glob(patterns[i], s))
			return true;
	return false;
}

bool selection_match_metric(const struct selection *s, const char *workload, const char *name)
{
	return any_match(s->workloads, workload) && any_match(s->metrics, name);
}

int selection_apply(const struct selection *s, const struct store_run *all, size_t nall,
		    size_t **picked, size_t *npicked, struct tl_error *e)
{
	size_t n = 0, first = 0;

	*picked = malloc((nall ? nall : 1) * sizeof(**picked));
	*npicked = 0;
	if (!*picked)
		return tl_err(e, "out of memory");
	for (size_t i = 0; i < nall; i++)
		if (selection_match_run(s, &all[i]))
			(*picked)[n++] = i;
	if (s->last && n > s->last) {
		first = n - s->last;
		memmove(*picked, *picked + first, s->last * sizeof(**picked));
		n = s->last;
	}
	*npicked = n;
	if (n == 0) {
		if (nall == 0)
			return tl_err(e, "selection '%s': the store has no runs", s->text);
		return tl_err(e, "selection '%s' matches none of the %zu stored runs (newest: %s, "
				 "kernel %s, tce_mode %s, %s); `tcelab compare --list` lists them",
			      s->text, nall, all[nall - 1].run_id, all[nall - 1].kernel,
			      all[nall - 1].tce_mode, all[nall - 1].host_kind);
	}
	return 0;
}
