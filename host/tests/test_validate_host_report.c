// SPDX-License-Identifier: GPL-2.0-only
/*
 * validate-host's report: KTAP lines (ok / not ok / SKIP / XFAIL with its
 * reason), the summary line and exit status (required versus advisory
 * failures, XFAIL not counted), and the checks in the result JSON (read
 * back with the suite's parser). Also the procfs helpers the leak checks
 * use: "Key: N kB" fields, taint letters, module build IDs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"
#include "procinfo.h"
#include "report.h"
#include "../../tests/ktap.h"

static void ktap_tests(void)
{
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int status;

	report_init(&r, f, true);
	report_comment(&r, "header");
	check_pass(&r, "platform.kind", "PowerNV # with a hash");
	check_fail(&r, true, "kvm.kvm_hv", "kvm_hv is not loaded");
	check_detail(&r, "modprobe kvm_hv\nnow");
	check_fail(&r, false, "kernel.taint", "tainted W");
	check_skip(&r, "platform.lparcfg", "not a logical partition", "lparcfg");
	check_fail_emulated(&r, false, "irqchip.xive", "QEMU TCG cannot", "no in-kernel XIVE");
	status = report_finish(&r);
	fclose(f);
	report(!strncmp(buf, "KTAP version 1\n# header\n", 24), "KTAP header first, then comments");
	report(strstr(buf, "\nok 1 platform.kind: PowerNV % with a hash\n") != NULL,
	       "'#' in a description cannot start a directive");
	report(strstr(buf, "\nnot ok 2 kvm.kvm_hv: kvm_hv is not loaded\n# modprobe kvm_hv now\n") != NULL,
	       "required failure, detail line after it, newlines flattened");
	report(strstr(buf, "\nnot ok 3 kernel.taint: tainted W (advisory)\n") != NULL,
	       "advisory failure is marked");
	report(strstr(buf, "\nok 4 platform.lparcfg: lparcfg # SKIP not a logical partition\n") != NULL,
	       "skip: ok with a SKIP directive and reason");
	report(strstr(buf, "\nnot ok 5 irqchip.xive: no in-kernel XIVE # XFAIL known to differ in "
			   "emulation: QEMU TCG cannot\n") != NULL,
	       "emulated: XFAIL with the reason");
	report(strstr(buf, "\n1..5\n") != NULL, "plan");
	report(strstr(buf, "# 1 known to differ in emulation (XFAIL), not counted as failed\n") != NULL,
	       "XFAIL count");
	report(len > 30 && !strcmp(buf + len - strlen("1 passed, 2 failed, 1 skipped\n"),
				   "1 passed, 2 failed, 1 skipped\n"),
	       "summary line last: N passed, N failed, N skipped");
	report(status == 1, "a required failure makes exit status 1");
	report_info("---- the report under test ----");
	for (char *p = buf; *p;) {
		char *eol = strchr(p, '\n');

		printf("#   %.*s\n", (int)(eol ? eol - p : (long)strlen(p)), p);
		p = eol ? eol + 1 : p + strlen(p);
	}

	report(r.required_failed == 1 && r.xfailed == 1 && r.failed == 2, "counters");

	/* JSON of the checks */
	{
		char *jbuf = NULL;
		size_t jlen = 0;
		FILE *jf = open_memstream(&jbuf, &jlen);
		struct json_writer w;
		struct json_value *v;
		struct tl_error e;
		const char *s;

		jw_init(&w, jf, false);
		jw_object_begin(&w, NULL);
		report_write_json(&r, &w);
		jw_object_end(&w);
		report(jw_finish(&w, &e) == 0, "JSON written");
		fclose(jf);
		v = json_parse(jbuf, jlen, &e);
		report(v != NULL, "JSON parses back");
		s = v ? json_path_string(v, "checks.1.id") : NULL;
		report(s && !strcmp(s, "kvm.kvm_hv"), "checks[1].id");
		s = v ? json_path_string(v, "checks.1.status") : NULL;
		report(s && !strcmp(s, "fail"), "checks[1].status fail");
		report(v && json_get(json_path(v, "checks.1"), "required") &&
			       json_get(json_path(v, "checks.1"), "required")->u.boolean,
		       "checks[1].required");
		s = v ? json_path_string(v, "checks.1.details.0") : NULL;
		report(s && !strcmp(s, "modprobe kvm_hv now"), "details kept");
		s = v ? json_path_string(v, "checks.4.status") : NULL;
		report(s && !strcmp(s, "xfail"), "checks[4].status xfail");
		s = v ? json_path_string(v, "checks.4.reason") : NULL;
		report(s && strstr(s, "QEMU TCG cannot"), "XFAIL reason in the JSON");
		report(v && report_find(&r, "kernel.taint") && !report_find(&r, "nope"), "report_find");
		json_free(v);
		free(jbuf);
	}
	report_free(&r);
	free(buf);

	/* on real hardware the same failure is a failure */
	f = open_memstream(&buf, &len);
	report_init(&r, f, false);
	check_fail_emulated(&r, true, "irqchip.in-kernel", "QEMU TCG cannot", "none");
	check_pass(&r, "x", "fine");
	status = report_finish(&r);
	fclose(f);
	report(strstr(buf, "not ok 1 irqchip.in-kernel: none\n") && status == 1,
	       "not emulated: a known emulation difference is an ordinary failure");
	report_free(&r);
	free(buf);

	f = open_memstream(&buf, &len);
	report_init(&r, f, false);
	check_fail(&r, false, "a", "advisory");
	status = report_finish(&r);
	fclose(f);
	report(status == 0, "advisory failures alone: exit status 0");
	report_free(&r);
	free(buf);
}

static void procinfo_tests(void)
{
	const char *status = "Name:\ttcelab\nVmPeak:\t   12345 kB\nVmLck:\t    8192 kB\n"
			     "VmPin:\t       0 kB\nVmHWM:\t 1 kB\n";
	const char *meminfo = "MemTotal:        2034564 kB\nMemFree:         1962988 kB\n"
			      "MemAvailable:    1950000 kB\nHugePages_Total:       4\n";
	struct mem_snapshot m;
	uint64_t kb;
	char letters[32], desc[512];
	/* an ELF note section: namesz 4, descsz 4, type 3 (GNU build ID), "GNU\0", id */
	unsigned char note[] = { 4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0,
				 0xde, 0xad, 0xbe, 0xef };
	unsigned char other[] = { 4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 'X', 'Y', 'Z', 0,
				  1, 2, 3, 4 };
	char id[48];

	report(kb_field(status, "VmLck", &kb) == 0 && kb == 8192, "VmLck");
	report(kb_field(status, "VmPeak", &kb) == 0 && kb == 12345, "VmPeak");
	report(kb_field(status, "VmPe", &kb) == -1, "a key prefix is not the key");
	report(kb_field(meminfo, "HugePages_Total", &kb) == 0 && kb == 4, "field without unit");
	report(kb_field(meminfo, "Nope", &kb) == -1, "missing field");
	mem_snapshot_from(&m, status, meminfo);
	report(m.have_status && m.have_meminfo && m.vm_lck_kb == 8192 && m.vm_pin_kb == 0 &&
		       m.mem_free_kb == 1962988 && m.mem_available_kb == 1950000,
	       "snapshot from texts");
	mem_snapshot_from(&m, NULL, NULL);
	report(!m.have_status && !m.have_meminfo, "snapshot without texts");
	{
		const char *zoneinfo = "Node 0, zone   Normal\n  pages free     490000\n"
				       "  pagesets\n    cpu: 0\n              count: 40\n"
				       "              high:  252\n              batch: 63\n"
				       "  vm stats threshold: 24\n    cpu: 1\n"
				       "              count:    23\n              high:  252\n";

		mem_snapshot_from(&m, NULL, meminfo);
		mem_snapshot_add_zoneinfo(&m, zoneinfo, 4096);
		report(m.have_zoneinfo && m.memfree_noise_kb == (40 + 24 + 23) * 4,
		       "MemFree's noise from zoneinfo: pcp counts and vmstat thresholds (%llu KiB)",
		       (unsigned long long)m.memfree_noise_kb);
		mem_snapshot_add_zoneinfo(&m, "Node 0, zone DMA\n  pages free 1\n", 65536);
		report(!m.have_zoneinfo && m.memfree_noise_kb == 0, "zoneinfo without pagesets");
	}

	report(taint_letters(0, letters, sizeof(letters)) == 0 && !letters[0], "not tainted");
	taint_letters((1ul << 9) | (1ul << 12) | (1ul << 13), letters, sizeof(letters));
	report(!strcmp(letters, "WOE"), "W, O, E in bit order (%s)", letters);
	taint_describe((1ul << 7), desc, sizeof(desc));
	report(strstr(desc, "D (kernel died recently") != NULL, "description of D");
	report(((1ul << 9) & taint_trouble_mask()) && !((1ul << 12) & taint_trouble_mask()),
	       "W is trouble, O (out-of-tree module) is not");
	taint_describe(1ul << 40, desc, sizeof(desc));
	report(!strcmp(desc, "bit 40"), "unknown bits by number");

	report(build_id_from_note(note, sizeof(note), id, sizeof(id)) && !strcmp(id, "deadbeef"),
	       "GNU build ID from a note (%s)", id);
	report(!build_id_from_note(other, sizeof(other), id, sizeof(id)), "other notes are skipped");
	report(!build_id_from_note(note, 10, id, sizeof(id)), "truncated note");
}

int main(void)
{
	ktap_tests();
	procinfo_tests();
	return report_summary();
}
