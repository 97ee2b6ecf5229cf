// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel log reading: /dev/kmsg records and plain dmesg text, what counts
 * as trouble (WARN_ON splats, BUG, oops, lockups, corruption, sanitizers)
 * and what does not (pr_warn text that starts with "WARNING:"), known
 * issues, and a device's history (driven by nvme first, failed DDW).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "fixture.h"
#include "../../tests/ktap.h"

struct collect {
	unsigned n;
	struct kmsg_record first, failed_ddw;
	char first_msg[200], first_dev[64], ddw_dev[64];
	uint64_t last_seq;
	int last_prio;
};

static void cb(const struct kmsg_record *r, void *p)
{
	struct collect *c = p;

	if (!c->n++) {
		snprintf(c->first_msg, sizeof(c->first_msg), "%s", r->msg);
		snprintf(c->first_dev, sizeof(c->first_dev), "%s", r->device);
	}
	if (strstr(r->msg, "failed DDW"))
		snprintf(c->ddw_dev, sizeof(c->ddw_dev), "%s", r->device);
	c->last_seq = r->seq;
	c->last_prio = r->prio;
}

static void parse_tests(void)
{
	struct collect c = { 0 };
	char *t = fixture("kmsg-records.txt");

	report(kmsg_parse(t, cb, &c) == 9 && c.n == 9, "9 kmsg records, continuation lines folded in");
	report(!strcmp(c.first_msg, "pci 0001:00:00.0: Adding to iommu group 1"),
	       "message after the header ('%s')", c.first_msg);
	report(!strcmp(c.first_dev, "+pci:0001:00:00.0"), "DEVICE= of the record");
	report(!strcmp(c.ddw_dev, "+pci:0001:00:00.0"), "DEVICE= of the failed-DDW record");
	report(c.last_seq == 1110 && c.last_prio == 3, "sequence number and level of the last record");
	free(t);

	memset(&c, 0, sizeof(c));
	t = fixture("dmesg-warnings.txt");
	report(kmsg_parse(t, cb, &c) == 10, "plain dmesg: one record a line");
	report(!strcmp(c.first_msg, "WARNING: nvram corruption detected: 0-length partition"),
	       "[timestamp] prefix stripped");
	report(c.last_prio == -1, "no level in plain dmesg");
	free(t);

	{
		char s[] = "<4>[   12.5] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x4\n";

		memset(&c, 0, sizeof(c));
		kmsg_parse(s, cb, &c);
		report(c.n == 1 && c.last_prio == 4 && !strncmp(c.first_msg, "WARNING: CPU:", 13),
		       "dmesg -r style <level> prefix");
	}
}

static void classify_tests(void)
{
	struct kmsg_findings f;
	char *t;

	report(kmsg_classify("WARNING: CPU: 0 PID: 154 at drivers/vfio/vfio_iommu_spapr_tce.c:371 "
			     "tce_iommu_release+0x180/0x224") == KMSG_WARNING,
	       "WARN_ON splat is a warning");
	report(kmsg_classify("WARNING: nvram corruption detected: 0-length partition") == KMSG_OK,
	       "pr_warn text starting with WARNING: is not a WARN_ON");
	report(kmsg_classify("WARNING: possible circular locking dependency detected") == KMSG_WARNING,
	       "lockdep warning");
	report(kmsg_classify("kernel BUG at arch/powerpc/kvm/book3s_64_vio.c:42!") == KMSG_BUG,
	       "kernel BUG at");
	report(kmsg_classify("BUG: Unable to handle kernel data access on read at 0x8") == KMSG_BUG,
	       "BUG: Unable to handle");
	report(kmsg_classify("Oops: Kernel access of bad area, sig: 11 [#1]") == KMSG_OOPS, "oops");
	report(kmsg_classify("watchdog: BUG: soft lockup - CPU#1 stuck for 22s!") == KMSG_LOCKUP,
	       "soft lockup (not a plain BUG)");
	report(kmsg_classify("rcu: INFO: rcu_sched self-detected stall on CPU") == KMSG_LOCKUP,
	       "RCU stall");
	report(kmsg_classify("list_del corruption, c0000000->next is NULL") == KMSG_CORRUPTION,
	       "list corruption");
	report(kmsg_classify("refcount_t: underflow; use-after-free.") == KMSG_CORRUPTION, "refcount");
	report(kmsg_classify("BUG: KASAN: use-after-free in kvm_spapr_tce_release") == KMSG_SANITIZER,
	       "KASAN");
	report(kmsg_classify("Kernel panic - not syncing: Fatal exception") == KMSG_PANIC, "panic");
	report(kmsg_classify("KVM: TLB LPID invalidation hcall failed, rc=-2") == KMSG_OK,
	       "an error message is not trouble of this kind");
	report(kmsg_classify("vfio-pci 0001:00:00.0: enabling device (0000 -> 0002)") == KMSG_OK,
	       "ordinary message");

	t = fixture("dmesg-warnings.txt");
	kmsg_findings_init(&f);
	kmsg_findings_scan(&f, t);
	report(f.count == 7, "7 troubled lines in the fixture (%u)", f.count);
	report(f.by_kind[KMSG_WARNING] == 1 && f.by_kind[KMSG_BUG] == 1 && f.by_kind[KMSG_OOPS] == 1 &&
		       f.by_kind[KMSG_LOCKUP] == 1 && f.by_kind[KMSG_CORRUPTION] == 2 &&
		       f.by_kind[KMSG_SANITIZER] == 1,
	       "counted by kind");
	report(f.kept == 7 && strstr(f.first[0], "virt/kvm/vfio.c:103") != NULL,
	       "messages kept verbatim, in order");
	report(kmsg_known_issue(f.first[0]) && strstr(kmsg_known_issue(f.first[0]), "0003"),
	       "the KVM-VFIO release WARN is a known issue fixed by patch 0003");
	report(!kmsg_known_issue(f.first[1]), "other messages are not known issues");
	free(t);

	kmsg_findings_init(&f);
	kmsg_findings_scan(&f, NULL);
	report(f.count == 0, "no log: no findings");
}

static void history_tests(void)
{
	struct kmsg_device_history h;
	char *t = fixture("kmsg-records.txt");

	kmsg_device_history(t, "0001:00:00.0", &h);
	report(!strcmp(h.driver, "nvme"), "the nvme driver had 0001:00:00.0 (%s)", h.driver);
	report(h.failed_ddw && strstr(h.ddw_line, "in failed DDW device list"),
	       "failed-DDW line found");
	free(t);

	t = fixture("kmsg-records.txt");
	kmsg_device_history(t, "0001:00:01.0", &h);
	report(!h.driver[0] && !h.failed_ddw, "another device has no history");
	free(t);

	{
		char s[] = "[1.0] vfio-pci 0002:00:00.0: enabling device (0000 -> 0002)\n"
			   "[1.1] pci 0002:00:00.0: [1b36:0010] type 00 class 0x010802\n";

		kmsg_device_history(s, "0002:00:00.0", &h);
		report(!h.driver[0], "vfio-pci and the pci bus itself do not count as a driver");
	}
	{
		char s[] = "[1.0] e1000e 0000:00:04.0 eth0: NIC Link is Up\n"
			   "[1.1] e1000e 0000:00:04.0: Intel(R) PRO/1000 Network Connection\n";

		kmsg_device_history(s, "0000:00:04.0", &h);
		report(!strcmp(h.driver, "e1000e"), "'DRIVER ADDR:' form only (%s)", h.driver);
	}
	{
		char s[] = "[5.0] vfio-pci 0001:01:00.0: Refused to change power state from D0 to D3hot\n"
			   "[5.1] vfio-pci 0001:02:00.0: enabling device (0000 -> 0002)\n";

		kmsg_device_history(s, "0001:01:00.0", &h);
		report(h.dstate_refused && !h.driver[0] &&
			       strstr(h.dstate_line, "from D0 to D3hot"),
		       "a refused D-state change is found (%s)", h.dstate_line);
		kmsg_device_history(s, "0001:02:00.0", &h);
		report(!h.dstate_refused, "... for that device only");
	}
}

int main(void)
{
	parse_tests();
	classify_tests();
	history_tests();
	return report_summary();
}
