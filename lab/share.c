// SPDX-License-Identifier: GPL-2.0-only
#include "share.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "engines.h"
#include "files.h"
#include "nested.h"
#include "options.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "topology.h"

static char *env_text(const struct share_settings *s)
{
	const struct lab_machine *m = s->machine;
	struct strv lines = { 0 };
	char *text;

	strv_pushf(&lines, "TCELAB_DUT=%s", m->slots[LAB_DUT].guest_bdf);
	strv_pushf(&lines, "TCELAB_FIO_BDF=%s", m->slots[LAB_FIO_DISK].guest_bdf);
	/* A machine without a NIC (the nested lab's) gets no network. */
	strv_pushf(&lines, "TCELAB_NET_ADDR=%s", m->slots[LAB_NIC].bus ? LAB_GUEST_NET_ADDR : "");
	strv_pushf(&lines, "TCELAB_NET_GW=%s", m->slots[LAB_NIC].bus ? LAB_GUEST_NET_GW : "");
	/* Empty without a server: the guest's iperf3 engine then says so. */
	if (s->iperf_port) {
		strv_pushf(&lines, "TCELAB_IPERF_SERVER=%s", LAB_HOST_FROM_GUEST);
		strv_pushf(&lines, "TCELAB_IPERF_PORT=%d", s->iperf_port);
	} else {
		strv_push(&lines, "TCELAB_IPERF_SERVER=");
		strv_push(&lines, "TCELAB_IPERF_PORT=");
	}
	strv_pushf(&lines, "TCELAB_STEP_TIMEOUT=%d", s->step_timeout);
	strv_pushf(&lines, "TCELAB_ENVIRONMENT=%s", LAB_ENVIRONMENT);
	strv_pushf(&lines, "TCELAB_HOST_KIND=%s", m->host_kind);
	strv_pushf(&lines, "TCELAB_TCE_MODE=%s",
		   m->nested && s->opts ? s->opts->tce_mode : LAB_TCE_MODE);
	if (m->nested && s->opts)
		nested_env_lines(s->opts, &lines);
	strv_push(&lines, "");
	text = strv_join(&lines, "\n");
	strv_free(&lines);
	return text;
}

static char *plan_text(const struct plan *plan)
{
	struct strv lines = { 0 };
	char *text;

	for (size_t i = 0; i < plan->nsteps; i++) {
		char *line = plan_step_line(&plan->steps[i]);

		strv_push(&lines, line);
		free(line);
	}
	strv_push(&lines, "");
	text = strv_join(&lines, "\n");
	strv_free(&lines);
	return text;
}

static int write_text(const char *dir, const char *name, char *text, struct tl_error *e)
{
	char *path = xasprintf("%s/%s", dir, name);
	int ret = file_write(path, text, e);

	free(path);
	free(text);
	return ret;
}

static int make_dir(const char *dir, const char *name, struct tl_error *e)
{
	char *path = xasprintf("%s/%s", dir, name);
	int ret = 0;

	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		ret = tl_err_errno(e, "cannot create folder %s", path);
	free(path);
	return ret;
}

static int copy_job_files(const char *dir, const struct plan *plan, const char *jobs_dir,
			  struct tl_error *e)
{
	int ret = 0;

	for (size_t i = 0; i < plan->nsteps && ret == 0; i++) {
		const struct plan_step *step = &plan->steps[i];
		char *src, *dst;

		if (!step->engine->job_file_arg)
			continue;
		src = xasprintf("%s/%s", jobs_dir, step->args[0]);
		dst = xasprintf("%s/jobs/%s", dir, step->args[0]);
		ret = file_copy(src, dst, e);
		free(src);
		free(dst);
	}
	return ret;
}

int share_write(const char *dir, const struct plan *plan, const struct share_settings *s,
		struct tl_error *e)
{
	if (write_text(dir, "env", env_text(s), e) || write_text(dir, "plan", plan_text(plan), e) ||
	    make_dir(dir, "jobs", e) || make_dir(dir, "out", e))
		return -1;
	return copy_job_files(dir, plan, s->jobs_dir, e);
}
