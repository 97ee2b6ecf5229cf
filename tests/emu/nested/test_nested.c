// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nested lab's TCE mode -> counter relationship, asserted on real runs
 * (L0 QEMU TCG, L1 Debian 6.12 with KVM and QEMU 10, L2 the guest image):
 *
 *   1. nested-hv, in-kernel, stock modules, full proof (QEMU traces every
 *      TCE hcall it handles, kvm_hv tracepoints count them all): the VFIO
 *      group is attached to KVM's table, the passthrough tables live in
 *      KVM, tracepoints see TCE hcalls and none goes to userspace, QEMU
 *      handles none.
 *   2. nested-hv, userspace through the capability shim: no attach, the
 *      tables live in QEMU, every TCE hcall the tracepoints see goes to
 *      userspace and QEMU handled exactly those, the shim hid the cap.
 *   3. a lying cell: userspace asked for, but the shim hides a capability
 *      QEMU does not look at, so the table stays in KVM: the run must FAIL
 *      with "contradicts".
 *   4. nested-papr, userspace, stock modules: dma-map runs in L2 without
 *      interrupts (console transport), fio is skipped with the reason, the
 *      proof holds.
 *   5. with patched modules (KVM_MODULES_DIR/<kver>[-emulated-lab]/kvm.ko,
 *      kernel/build-modules): the module parameter switches the mode and
 *      the counters count; skipped when none were built.
 *
 * usage: test_nested TCELAB_RUN PLAN GUEST_IMAGE HOST_IMAGE KVM_MODULES_DIR
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tcelab/json.h"
#include "labtest.h"
#include "../ktap.h"

static const char *plan, *host_image;

static double num(const struct json_value *d, const char *path)
{
	double v = -1;

	json_path_number(d, path, &v);
	return v;
}

static double kinds(const struct json_value *d, const char *path)
{
	static const char *const k[] = { "put", "indirect", "stuff", "get" };
	char p[128];
	double sum = 0;

	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s.%s", path, k[i]);
		sum += num(d, p) > 0 ? num(d, p) : 0;
	}
	return sum;
}

/* Every passthrough table's fd: all >= 0 (want_kernel) or all -1. */
static bool tables_in(const struct json_value *proof, bool want_kernel)
{
	const struct json_value *t = json_path(proof, "qemu_trace.tables");
	size_t n = t && t->type == JSON_ARRAY ? t->u.array.n : 0;

	for (size_t i = 0; i < n; i++) {
		double fd = num(t->u.array.items[i], "fd");

		if ((fd >= 0) != want_kernel)
			return false;
	}
	return n > 0;
}

static int run(const char *machine, const char *mode, const char *more, char *dir, size_t len)
{
	char extra[1024];
	int rc;

	snprintf(extra, sizeof(extra), "--machine %s --tce-mode %s --host-image '%s' --timeout 1500 %s",
		 machine, mode, host_image, more);
	rc = labtest_run(plan, extra);
	labtest_latest(dir, len);
	return rc;
}

static void test_in_kernel(void)
{
	char dir[PATH_MAX];
	int rc = run("nested-hv", "in-kernel", "--proof full --l2-env TCELAB_L2_PROOF_PASS=off", dir,
		     sizeof(dir));
	struct json_value *p = labtest_load(dir, "out/tce-proof.json");
	struct json_value *d = labtest_load(dir, "dma-map-v2.result.json");
	double enter = kinds(p, "tracepoints.enter"), user = kinds(p, "tracepoints.to_userspace");

	report(rc == 0, "in-kernel: the run passed (rc %d, %s)", rc, dir);
	report(d && labtest_passed(d) &&
		       !strcmp(json_path_string(d, "where.tce_mode") ?: "", "in-kernel") &&
		       !strcmp(json_path_string(d, "where.host_kind") ?: "", "nested-hv"),
	       "in-kernel: dma-map ran in L2 and says in-kernel, nested-hv");
	report(num(p, "qemu_trace.group_attach") >= 1 && tables_in(p, true),
	       "in-kernel: VFIO group attached to KVM's table (%.0f attaches), passthrough tables in KVM",
	       num(p, "qemu_trace.group_attach"));
	report(enter > 1000 && user == 0,
	       "in-kernel: tracepoints saw %.0f passthrough TCE hcalls, %.0f to userspace", enter, user);
	report(kinds(p, "qemu_trace.calls") == 0, "in-kernel: QEMU handled %.0f TCE hcalls",
	       kinds(p, "qemu_trace.calls"));
	report(!strcmp(json_path_string(p, "verdict.status") ?: "", "pass"), "in-kernel: L1's verdict pass");
	json_free(p);
	json_free(d);
}

static void test_userspace(void)
{
	char dir[PATH_MAX];
	int rc = run("nested-hv", "userspace", "--proof full --l2-env TCELAB_L2_PROOF_PASS=off", dir,
		     sizeof(dir));
	struct json_value *p = labtest_load(dir, "out/tce-proof.json");
	struct json_value *r = labtest_load(dir, "run.json");
	double enter = kinds(p, "tracepoints.enter"), user = kinds(p, "tracepoints.to_userspace");
	double qemu = kinds(p, "qemu_trace.calls");

	report(rc == 0, "userspace: the run passed (rc %d, %s)", rc, dir);
	report(num(p, "qemu_trace.group_attach") == 0 && tables_in(p, false),
	       "userspace: no group attach, passthrough tables in QEMU (fd -1)");
	report(enter > 1000 && user == enter,
	       "userspace: all %.0f passthrough TCE hcalls went to userspace (%.0f)", enter, user);
	report(qemu == user, "userspace: QEMU handled exactly those (%.0f)", qemu);
	report(kinds(p, "qemu_trace.calls") > 0 && num(p, "qemu_trace.calls.indirect") > 0 &&
		       num(p, "qemu_trace.calls.stuff") > 0,
	       "userspace: fio in L2 made QEMU handle H_PUT_TCE_INDIRECT (%.0f) and H_STUFF_TCE (%.0f)",
	       num(p, "qemu_trace.calls.indirect"), num(p, "qemu_trace.calls.stuff"));
	report(num(p, "shim.hidden") >= 1, "userspace: the shim hid KVM_CAP_SPAPR_TCE_VFIO (%.0f times)",
	       num(p, "shim.hidden"));
	report(!strcmp(json_path_string(r, "nested.proof.status") ?: "", "pass"),
	       "userspace: the runner's verdict pass");
	json_free(p);
	json_free(r);
}

static void test_lying_cell(void)
{
	char dir[PATH_MAX];
	/* 9999: no such capability; QEMU never asks, so nothing is hidden */
	int rc = run("nested-hv", "userspace",
		     "--l2-env TCELAB_L2_SHIM_HIDE=9999 --l2-env TCELAB_L2_PROOF_PASS=off", dir, sizeof(dir));
	struct json_value *r = labtest_load(dir, "run.json");
	const char *failure = json_path_string(r, "failure");

	report(rc == 1, "lying cell: the run failed (rc %d)", rc);
	report(failure && strstr(failure, "contradicts"), "lying cell: because the proof contradicts the mode: %s",
	       failure ? failure : "(no failure)");
	report(!strcmp(json_path_string(r, "nested.proof.status") ?: "", "fail"),
	       "lying cell: run.json records the failed proof");
	json_free(r);
}

static void test_nested_papr(void)
{
	char dir[PATH_MAX];
	int rc = run("nested-papr", "userspace", "", dir, sizeof(dir));
	struct json_value *d = labtest_load(dir, "dma-map-v2.result.json");
	struct json_value *f = labtest_load(dir, "fio-randread-qd1.result.json");
	struct json_value *r = labtest_load(dir, "run.json");

	report(rc == 0, "nested-papr: the run passed (rc %d, %s)", rc, dir);
	report(d && labtest_passed(d) && labtest_median(d, "map_ns_per_tce", "size", "4096", NULL, NULL) > 0,
	       "nested-papr: dma-map ran in L2 without interrupts");
	report(f && !strcmp(json_path_string(f, "status") ?: "", "skipped") &&
		       labtest_step_error(dir, "fio-randread-qd1", "interrupts"),
	       "nested-papr: fio skipped because no interrupts reach L2");
	report(!strcmp(json_path_string(r, "nested.proof.status") ?: "", "pass") &&
		       num(r, "nested.proof.user_calls") > 0 &&
		       num(r, "nested.proof.user_calls") == num(r, "nested.proof.total_calls"),
	       "nested-papr: proof pass, %.0f of %.0f TCE hcalls to userspace",
	       num(r, "nested.proof.user_calls"), num(r, "nested.proof.total_calls"));
	json_free(d);
	json_free(f);
	json_free(r);
}

/* KVM_MODULES_DIR/<something>/kvm.ko: the first build found. */
static bool find_modules(const char *base, char *out, size_t len)
{
	DIR *d = opendir(base);
	struct dirent *de;
	bool found = false;

	while (d && (de = readdir(d)) && !found) {
		char path[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.' || strstr(de->d_name, "emulated-lab") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s/kvm-hv.ko", base, de->d_name);
		if (stat(path, &st) == 0) {
			snprintf(out, len, "%s/%s", base, de->d_name);
			found = true;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void test_patched(const char *base)
{
	char mods[PATH_MAX], dir[PATH_MAX], more[PATH_MAX + 64];
	struct json_value *p;
	int rc;

	if (!find_modules(base, mods, sizeof(mods))) {
		report_skip("no patched modules in KVM_MODULES_DIR (kernel/build-modules --emulated-lab)",
			    "patched modules: counters and module parameter");
		return;
	}
	snprintf(more, sizeof(more), "--modules '%s'", mods);
	rc = run("nested-hv", "userspace", more, dir, sizeof(dir));
	p = labtest_load(dir, "out/tce-proof.json");
	report(rc == 0 && !strcmp(json_path_string(p, "switch") ?: "", "param") &&
		       num(p, "counters.present") != 0 && kinds(p, "counters.user") > 1000 &&
		       kinds(p, "counters.kernel") <= kinds(p, "counters.user") / 100 + 2,
	       "patched, userspace by tce_vfio_accel=0: counters %.0f to userspace, %.0f in the kernel",
	       kinds(p, "counters.user"), kinds(p, "counters.kernel"));
	json_free(p);
	rc = run("nested-papr", "in-kernel", more, dir, sizeof(dir));
	p = labtest_load(dir, "out/tce-proof.json");
	report(rc == 0 && kinds(p, "counters.kernel") > 1000 && kinds(p, "counters.user") == 0,
	       "patched, in-kernel on nested-papr: counters %.0f in the kernel, %.0f to userspace",
	       kinds(p, "counters.kernel"), kinds(p, "counters.user"));
	report(labtest_step_error(dir, "fio-randread-qd1", "interrupts") == false,
	       "patched (with the nested-v2 interrupt patch): fio runs in L2 on nested-papr");
	json_free(p);
}

int main(int argc, char **argv)
{
	struct stat st;

	if (argc != 6) {
		fprintf(stderr, "usage: test_nested TCELAB_RUN PLAN GUEST_IMAGE HOST_IMAGE KVM_MODULES_DIR\n");
		return 2;
	}
	plan = argv[2];
	host_image = argv[4];
	if (stat(argv[4], &st) != 0 || !labtest_init(argv[1], argv[3])) {
		report_skip("no host or guest image (./tcelab setup builds them)", "nested lab");
		return report_summary();
	}
	test_in_kernel();
	test_userspace();
	test_lying_cell();
	test_nested_papr();
	test_patched(argv[5]);
	labtest_cleanup();
	return report_summary();
}
