// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of the TCE path proof (bench/host/proof.c): parsing each kind
 * of evidence, and the verdict for runs that agree with their mode and for
 * runs that contradict it. */
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "proof.h"
#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"

static void load(struct proof *p, void (*feed)(struct proof *, const char *), const char *name)
{
	char path[512];
	struct tl_error e;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA_DIR, name);
	if (proof_feed_file(p, feed, path, &e))
		report(false, "load %s: %s", name, e.msg);
}

static void setup(struct proof *p, enum proof_mode mode)
{
	struct tl_error e;

	proof_init(p, mode);
	if (proof_phbs_parse(p, "1,2", &e))
		report(false, "phbs: %s", e.msg);
}

static void test_liobns(void)
{
	struct proof p;
	struct tl_error e;

	setup(&p, PROOF_IN_KERNEL);
	report(proof_liobn_passthrough(&p, 0x80000100) && proof_liobn_passthrough(&p, 0x80000101) &&
		       proof_liobn_passthrough(&p, 0x80000200),
	       "PHB 1 and 2 LIOBNs (default and DDW window) are passthrough");
	report(!proof_liobn_passthrough(&p, 0x80000000) && !proof_liobn_passthrough(&p, 0x80000300) &&
		       !proof_liobn_passthrough(&p, 0x1001) && !proof_liobn_passthrough(&p, 0x180000100ull),
	       "PHB 0, PHB 3, VIO and out-of-range LIOBNs are not");
	report(proof_phbs_parse(&p, "1,x", &e) < 0 && proof_phbs_parse(&p, "", &e) < 0,
	       "bad PHB lists are refused");
	report(proof_near_zero(0) == 2 && proof_near_zero(100) == 2 && proof_near_zero(1000) == 10,
	       "near zero: 1 %% of the total, at least 2");
}

static void test_qemu_trace(void)
{
	struct proof p;

	setup(&p, PROOF_USERSPACE);
	load(&p, proof_qemu_line, "qemu-userspace.log");
	report(p.qemu_present, "QEMU trace present");
	report(p.qemu_calls[TCE_PUT] == 3 && p.qemu_calls[TCE_INDIRECT] == 1 &&
		       p.qemu_calls[TCE_STUFF] == 1 && p.qemu_calls[TCE_GET] == 1,
	       "calls by kind on passthrough LIOBNs (lines without timestamp too): put %llu indirect %llu stuff %llu get %llu",
	       (unsigned long long)p.qemu_calls[TCE_PUT], (unsigned long long)p.qemu_calls[TCE_INDIRECT],
	       (unsigned long long)p.qemu_calls[TCE_STUFF], (unsigned long long)p.qemu_calls[TCE_GET]);
	report(p.qemu_tces[TCE_INDIRECT] == 16 && p.qemu_tces[TCE_STUFF] == 16 && p.qemu_tces[TCE_PUT] == 2,
	       "TCEs: indirect iobaN+1, stuff npages, failed put not counted");
	report(p.qemu_errors == 1 && p.qemu_other_calls == 1, "one error, one call on PHB 0");
	report(p.ntables == 1 && p.tables[0].liobn == 0x80000100 && p.tables[0].fd == -1,
	       "the re-created passthrough table is in QEMU (fd -1)");
	report(p.group_attach == 0, "no group attach");

	setup(&p, PROOF_IN_KERNEL);
	load(&p, proof_qemu_line, "qemu-in-kernel.log");
	report(p.group_attach == 1 && p.ntables == 1 && p.tables[0].fd == 13,
	       "in-kernel: group attached, table fd 13");
}

static void test_tracefs(void)
{
	struct proof p;

	setup(&p, PROOF_USERSPACE);
	load(&p, proof_tracefs_line, "tracefs-userspace.txt");
	report(p.tp_enter[TCE_PUT] == 1 && p.tp_enter[TCE_GET] == 1 && p.tp_enter[TCE_INDIRECT] == 1 &&
		       p.tp_enter[TCE_STUFF] == 1 && p.tp_other_enter == 1,
	       "tracepoint enters by kind, PHB 0 apart");
	report(p.tp_user[TCE_PUT] == 1 && p.tp_user[TCE_GET] == 1 && p.tp_user[TCE_INDIRECT] == 1 &&
		       p.tp_user[TCE_STUFF] == 1 && p.tp_unpaired == 0,
	       "every exit to the host paired with its enter");

	setup(&p, PROOF_IN_KERNEL);
	load(&p, proof_tracefs_line, "tracefs-in-kernel.txt");
	report(p.tp_enter[TCE_INDIRECT] == 1 && p.tp_enter[TCE_PUT] == 1 && p.tp_enter[TCE_GET] == 1 &&
		       p.tp_enter[TCE_STUFF] == 1,
	       "hcall numbers printed in hex are recognized");
	report(p.tp_user[TCE_PUT] + p.tp_user[TCE_GET] + p.tp_user[TCE_INDIRECT] + p.tp_user[TCE_STUFF] == 0,
	       "no exits in in-kernel mode");

	/* an exit with no enter before it */
	setup(&p, PROOF_USERSPACE);
	proof_tracefs_line(&p, " q-1 [000] ..... 1.0: kvm_hcall_exit: VCPU 3: ret=RESUME_HOST hcall_rc=H_TOO_HARD");
	report(p.tp_unpaired == 1, "unpaired exit counted apart");
}

static void test_counters_shim_dmesg(void)
{
	struct proof p;

	setup(&p, PROOF_IN_KERNEL);
	load(&p, proof_counters_line, "counters-in-kernel.txt");
	report(p.counters_present && p.ctr_kernel[TCE_PUT] == 4096 && p.ctr_kernel[TCE_INDIRECT] == 10 &&
		       p.ctr_user[TCE_PUT] == 0,
	       "counters parsed");
	proof_counters_line(&p, "tce_bogus_kernel 5");
	proof_counters_line(&p, "pthru_all 7");
	report(p.ctr_kernel[TCE_PUT] == 4096, "other stats ignored");

	load(&p, proof_shim_line, "shim.log");
	report(p.shim_log_present && p.shim_hidden == 1, "shim log: one capability hidden");
	load(&p, proof_dmesg_line, "dmesg-warn.txt");
	report(p.dmesg_warnings == 1 && strstr(p.dmesg_first[0], "kvm_spapr_tce_release_vfio_group"),
	       "dmesg warning found and kept");
}

static bool judged(struct proof *p)
{
	struct proof_verdict v;

	proof_judge(p, &v);
	for (size_t i = 0; i < v.nnotes; i++)
		printf("# %s\n", v.notes[i]);
	return v.pass;
}

static void test_verdicts(void)
{
	struct proof p;
	struct proof_verdict v;

	/* userspace run, stock modules, shim: agrees */
	setup(&p, PROOF_USERSPACE);
	snprintf(p.tce_switch, sizeof(p.tce_switch), "shim");
	load(&p, proof_qemu_line, "qemu-userspace.log");
	load(&p, proof_tracefs_line, "tracefs-userspace.txt");
	load(&p, proof_shim_line, "shim.log");
	/* QEMU saw two more puts than the tracepoints: within the slack */
	report(judged(&p), "userspace: QEMU trace, tracepoints and shim log agree with the mode");
	proof_judge(&p, &v);
	report(strcmp(v.source, "tracepoints") == 0 && v.total_calls == 4 && v.user_calls == 4,
	       "userspace: source tracepoints, 4 of 4 to userspace");

	/* the same evidence judged as in-kernel: contradiction */
	p.mode = PROOF_IN_KERNEL;
	report(!judged(&p), "userspace evidence fails an in-kernel cell");

	/* in-kernel run with counters and attach: agrees */
	setup(&p, PROOF_IN_KERNEL);
	load(&p, proof_qemu_line, "qemu-in-kernel.log");
	load(&p, proof_tracefs_line, "tracefs-in-kernel.txt");
	load(&p, proof_counters_line, "counters-in-kernel.txt");
	report(judged(&p), "in-kernel: counters, tracepoints and QEMU trace agree");
	proof_judge(&p, &v);
	report(strcmp(v.source, "counters") == 0 && v.total_calls == 8212 && v.user_calls == 0,
	       "in-kernel: source counters, 0 of 8212 to userspace");
	p.mode = PROOF_USERSPACE;
	report(!judged(&p), "in-kernel evidence fails a userspace cell");

	/* near zero: a couple of calls to userspace in in-kernel mode is tolerated */
	setup(&p, PROOF_IN_KERNEL);
	load(&p, proof_counters_line, "counters-in-kernel.txt");
	p.ctr_user[TCE_PUT] = 50;
	report(judged(&p), "in-kernel: 50 of 8262 to userspace is near zero");
	p.ctr_user[TCE_PUT] = 500;
	report(!judged(&p), "in-kernel: 500 of 8712 is not");

	/* userspace counters with everything in the kernel */
	setup(&p, PROOF_USERSPACE);
	load(&p, proof_counters_line, "counters-in-kernel.txt");
	report(!judged(&p), "userspace cell with all counted calls in the kernel fails");
	setup(&p, PROOF_USERSPACE);
	load(&p, proof_counters_line, "counters-userspace.txt");
	report(judged(&p), "userspace cell with all counted calls to userspace passes");

	/* nothing at all */
	setup(&p, PROOF_IN_KERNEL);
	report(!judged(&p), "no evidence fails");

	/* a timed run: QEMU traced tables and attaches only */
	setup(&p, PROOF_USERSPACE);
	p.qemu_per_call = false;
	load(&p, proof_qemu_line, "qemu-userspace.log");
	report(!judged(&p), "light QEMU trace alone counts nothing: fails");
	load(&p, proof_tracefs_line, "tracefs-userspace.txt");
	report(judged(&p), "light QEMU trace and tracepoints: passes");
	proof_judge(&p, &v);
	report(strcmp(v.source, "tracepoints") == 0, "source tracepoints");
	p.group_attach = 1;
	report(!judged(&p), "light QEMU trace still catches a group attach in a userspace cell");

	/* shim mode with no shim log */
	setup(&p, PROOF_USERSPACE);
	snprintf(p.tce_switch, sizeof(p.tce_switch), "shim");
	load(&p, proof_counters_line, "counters-userspace.txt");
	report(!judged(&p), "shim switch without the shim's log fails");
}

static void test_json_round_trip(void)
{
	struct proof p, back;
	struct proof_verdict v, v2;
	struct json_writer w;
	struct json_value *doc;
	struct tl_error e;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	setup(&p, PROOF_USERSPACE);
	snprintf(p.tce_switch, sizeof(p.tce_switch), "shim");
	load(&p, proof_qemu_line, "qemu-userspace.log");
	load(&p, proof_tracefs_line, "tracefs-userspace.txt");
	load(&p, proof_shim_line, "shim.log");
	load(&p, proof_dmesg_line, "dmesg-warn.txt");
	proof_judge(&p, &v);
	jw_init(&w, f, true);
	proof_write_json(&w, NULL, &p, &v);
	report(jw_finish(&w, &e) == 0, "proof JSON written");
	fclose(f);
	doc = json_parse(text, len, &e);
	report(doc != NULL, "proof JSON parses");
	report(doc && proof_from_json(&back, doc, &e) == 0, "proof JSON read back");
	proof_judge(&back, &v2);
	report(v.pass == v2.pass && v.total_calls == v2.total_calls && v.user_calls == v2.user_calls &&
		       back.ntables == p.ntables && back.tables[0].fd == -1 && back.nphbs == 2 &&
		       back.qemu_tces[TCE_INDIRECT] == 16 && back.dmesg_warnings == 1,
	       "the verdict redone from the JSON is the same");
	json_free(doc);
	free(text);
}

int main(void)
{
	test_liobns();
	test_qemu_trace();
	test_tracefs();
	test_counters_shim_dmesg();
	test_verdicts();
	test_json_round_trip();
	return report_summary();
}
