// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runner's nested-lab pieces (nested.c, ab_table.c, the skipped-step
 * result): the env L1 gets, a step L1 left out, L1's TCE proof judged again
 * (fixtures: out/ of a real in-kernel and a real userspace nested-hv run,
 * data/nested/), and the A/B table's cells and ratios from those runs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "files.h"
#include "ktap.h"
#include "nested.h"
#include "normalize.h"
#include "options.h"
#include "plan.h"
#include "share.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/pci.h"
#include "topology.h"

static char tmp[] = "/tmp/tcelab-test-nested-XXXXXX";

static void test_env(void)
{
	char *argv[] = { "tcelab-run", "--machine", "nested-hv", "--tce-mode", "userspace",
			 "--l2-env", "TCELAB_L2_MEM=1G", NULL };
	struct lab_options o;
	struct share_settings s = { .step_timeout = 300, .jobs_dir = TEST_FIO_JOBS };
	struct plan plan;
	struct tl_error e;
	char *path, *env;

	report(options_parse(&o, 7, argv, &e) == 0, "nested options parse");
	s.machine = lab_machine_find(o.machine);
	s.opts = &o;
	plan_parse(&plan, "t.plan", "d dma-map --iommu=spapr-v2\n", &e);
	report(share_write(tmp, &plan, &s, &e) == 0, "share written");
	path = xasprintf("%s/env", tmp);
	env = tl_read_file(path, NULL, &e);
	report(env && strstr(env, "TCELAB_TCE_MODE=userspace\n") && strstr(env, "TCELAB_HOST_KIND=nested-hv\n") &&
		       strstr(env, "TCELAB_DUT=0001:00:00.0\n") && strstr(env, "TCELAB_FIO_BDF=0002:00:00.0\n"),
	       "env: the TCE mode asked for, the host kind, L1's DUT and fio disk");
	report(env && strstr(env, "TCELAB_NET_ADDR=\n") && strstr(env, "TCELAB_L2_TCE_SWITCH=auto\n") &&
		       strstr(env, "TCELAB_L2_QEMU_TRACE=light\n") && strstr(env, "TCELAB_L2_MEM=1G\n"),
	       "env: no network, the switch, the proof level and --l2-env settings");
	free(env);
	free(path);
	plan_free(&plan);

	char *bad1[] = { "tcelab-run", "--tce-mode", "kernel", NULL };
	char *bad2[] = { "tcelab-run", "--l2-env", "MEM=1G", NULL };
	char *bad3[] = { "tcelab-run", "--tce-switch", "param", NULL };
	report(options_parse(&o, 3, bad1, &e) < 0 && options_parse(&o, 3, bad2, &e) < 0 &&
		       options_parse(&o, 3, bad3, &e) < 0 && strstr(e.msg, "--modules"),
	       "bad nested options refused (%s)", e.msg);
}

static void test_skipped(void)
{
	char *path = xasprintf("%s/out/f.skip", tmp);
	char *result = xasprintf("%s/f.result.json", tmp);
	char *out = xasprintf("%s/out", tmp);
	struct result_where where = { .environment = "emulated", .host_kind = "nested-papr" };
	struct step_verdict v;
	struct json_value *doc;
	struct plan plan;
	struct tl_error e;

	mkdir_parents(out, &e);
	file_write(path, "no interrupts reach L2 on this host\n", &e);
	plan_parse(&plan, "t.plan", "f fio randread-qd1.fio\n", &e);
	struct normalize_context ctx = { .step = &plan.steps[0], .out_dir = out, .where = &where,
					 .step_timeout = 300, .began = false };
	report(normalize_step(&ctx, result, &v, &e) == 0, "skipped step normalized");
	doc = json_parse_file(result, &e);
	report(v.passed && v.skipped && strstr(v.error, "no interrupts"),
	       "a step L1 left out is skipped, not failed: %s", v.error);
	report(doc && !strcmp(json_path_string(doc, "status") ?: "", "skipped") &&
		       !strcmp(json_path_string(doc, "errors.0") ?: "", "no interrupts reach L2 on this host"),
	       "its result says skipped and why");
	json_free(doc);
	plan_free(&plan);
	free(path);
	free(result);
	free(out);
}

static void test_proof(void)
{
	struct nested_proof np;
	char failure[256] = "";

	nested_proof_read(TEST_DATA_DIR "/nested/ik/out", "in-kernel", &np);
	report(np.present && np.verdict.pass && !np.error[0] && !strcmp(np.verdict.source, "tracepoints") &&
		       np.verdict.total_calls == 33268 && np.verdict.user_calls == 0,
	       "in-kernel run: proof read, judged again: pass, 0 of 33268 to userspace");
	nested_judge(&np, "in-kernel", failure, sizeof(failure));
	report(!failure[0], "in-kernel run: no failure");

	nested_proof_read(TEST_DATA_DIR "/nested/us/out", "in-kernel", &np);
	nested_judge(&np, "in-kernel", failure, sizeof(failure));
	report(!np.verdict.pass && strstr(failure, "contradicts --tce-mode in-kernel"),
	       "a userspace run's proof fails an in-kernel cell: %s", failure);

	failure[0] = '\0';
	nested_proof_read(TEST_DATA_DIR "/nested/us/out", "userspace", &np);
	nested_judge(&np, "userspace", failure, sizeof(failure));
	report(np.verdict.pass && np.verdict.user_calls == 33268 && !failure[0],
	       "userspace run: pass, all 33268 to userspace");

	nested_proof_read(tmp, "userspace", &np);
	nested_judge(&np, "userspace", failure, sizeof(failure));
	report(!np.present && strstr(failure, "no TCE path proof"), "no proof file: the run fails (%s)", failure);
}

static void test_ab(void)
{
	const char *hosts[] = { "nested-hv" }, *modes[] = { "in-kernel", "userspace" };
	struct ab_matrix mx;
	char *path = xasprintf("%s/ab.txt", tmp);
	struct tl_error e;
	char *text;

	ab_matrix_init(&mx, hosts, 1, modes, 2, 1);
	ab_cell_load(ab_matrix_run(&mx, 0, 0, 0), TEST_DATA_DIR "/nested/ik", "", 88);
	ab_cell_load(ab_matrix_run(&mx, 0, 1, 0), TEST_DATA_DIR "/nested/us", "", 81);
	report(fabs(ab_matrix_run(&mx, 0, 0, 0)->v2.map[0] - 100295) < 1 &&
		       !isnan(ab_matrix_run(&mx, 0, 0, 0)->v1.map[2]) &&
		       ab_matrix_run(&mx, 0, 0, 0)->fio_iops > 0,
	       "cell loaded: v2 and v1 per-TCE medians, fio");
	report(!strcmp(ab_matrix_run(&mx, 0, 1, 0)->tce_switch, "shim") &&
		       ab_matrix_run(&mx, 0, 1, 0)->proof_pass && ab_matrix_run(&mx, 0, 1, 0)->proof_user == 33268,
	       "cell loaded: switch from l1.env, proof from run.json");
	report(ab_write(tmp, &mx, &e) == 0, "ab.json and ab.txt written");
	text = tl_read_file(path, NULL, &e);
	report(text && strstr(text, "nested-hv    userspace  shim") && strstr(text, "2.06x"),
	       "the table has the cells and the 4K ratio 206252/100295 = 2.06x");
	free(text);
	free(path);
	ab_matrix_free(&mx);
}

int main(void)
{
	if (!mkdtemp(tmp))
		return 1;
	test_env();
	test_skipped();
	test_proof();
	test_ab();
	tree_remove(tmp);
	return report_summary();
}
