// SPDX-License-Identifier: GPL-2.0-only
#include "run_dir.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

#define MAX_ID_TRIES 16

static void make_id(char *id, time_t started)
{
	uint16_t suffix = 0;
	struct tm tm;
	char stamp[20];

	/* Two runs started in the same second differ by the suffix. */
	if (getrandom(&suffix, sizeof(suffix), 0) != sizeof(suffix))
		suffix = (uint16_t)(getpid() ^ clock());
	gmtime_r(&started, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(id, RUN_ID_LEN, "%s-%04x", stamp, suffix);
}

int run_dir_create(struct run_dir *d, const char *results, time_t started, struct tl_error *e)
{
	*d = (struct run_dir){ .results = xstrdup(results) };
	if (mkdir_parents(results, e))
		return tl_err_wrap(e, "results folder");
	for (int tries = 0; tries < MAX_ID_TRIES; tries++) {
		make_id(d->id, started);
		d->staging = xasprintf("%s/.staging-%s", results, d->id);
		d->final = xasprintf("%s/%s", results, d->id);
		if (mkdir(d->staging, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return tl_err_errno(e, "cannot create %s", d->staging);
		free(d->staging);
		free(d->final);
		d->staging = d->final = NULL;
	}
	return tl_err(e, "cannot find a free run id in %s", results);
}

int run_dir_publish(struct run_dir *d, struct tl_error *e)
{
	char *link_tmp = xasprintf("%s/.latest-%s", d->results, d->id);
	char *link = xasprintf("%s/latest", d->results);
	int ret = 0;

	if (rename(d->staging, d->final) != 0) {
		ret = tl_err_errno(e, "cannot rename %s to %s", d->staging, d->final);
		goto out;
	}
	/* A new link renamed over the old one: "latest" is never missing. */
	unlink(link_tmp);
	if (symlink(d->id, link_tmp) != 0)
		ret = tl_err_errno(e, "cannot create %s", link_tmp);
	else if (rename(link_tmp, link) != 0)
		ret = tl_err_errno(e, "cannot replace %s", link);
out:
	free(link_tmp);
	free(link);
	return ret;
}

char *run_dir_path(const struct run_dir *d, const char *name)
{
	return xasprintf("%s/%s", d->staging, name);
}

void run_dir_free(struct run_dir *d)
{
	free(d->results);
	free(d->staging);
	free(d->final);
	*d = (struct run_dir){ 0 };
}
