// SPDX-License-Identifier: GPL-2.0-only
/*
 * validate-host's platform parsers against fixtures: /proc/cpuinfo of a
 * POWER9 PowerNV host, a POWER10 LPAR, a QEMU pseries guest and a POWER8
 * hash host; /proc/powerpc/lparcfg of a PowerVM LPAR; whole fixture
 * trees (proc/ and device-tree) for platform_detect().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "fixture.h"
#include "../../tests/ktap.h"

static void cpuinfo_tests(void)
{
	struct cpuinfo ci;
	char *t;

	t = fixture("cpuinfo-powernv-power9.txt");
	report(cpuinfo_parse(t, &ci) == 0, "powernv POWER9 cpuinfo parses");
	report(!strcmp(ci.cpu, "POWER9, altivec supported") && !strcmp(ci.cpu_family, "POWER9"),
	       "cpu line and family (%s / %s)", ci.cpu, ci.cpu_family);
	report(!strcmp(ci.platform, "PowerNV") && !strcmp(ci.firmware, "OPAL"), "platform PowerNV, firmware OPAL");
	report(!strcmp(ci.mmu, "Radix"), "MMU Radix");
	report(ci.processors == 4, "4 processors counted (%u)", ci.processors);
	report(ci.timebase == 512000000ull, "timebase 512 MHz");
	report(!strcmp(ci.revision, "2.3 (pvr 004e 1203)"), "revision of the first processor");
	report(!ci.architected && !ci.emulated, "bare metal: not architected, not emulated");
	report(!strcmp(ci.machine, "PowerNV T2P9D01 REV 1.01"), "machine line (not 'model' by prefix)");
	free(t);

	t = fixture("cpuinfo-pseries-power10.txt");
	report(cpuinfo_parse(t, &ci) == 0 && !strcmp(ci.cpu_family, "POWER10") && ci.architected,
	       "POWER10 LPAR: family POWER10, architected mode");
	report(!strcmp(ci.platform, "pSeries") && !strcmp(ci.model, "IBM,9105-22A") && !ci.firmware[0],
	       "pSeries platform, model, no firmware line");
	report(ci.processors == 2 && !ci.emulated, "2 processors, not emulated");
	free(t);

	t = fixture("cpuinfo-qemu-pseries-power9.txt");
	report(cpuinfo_parse(t, &ci) == 0 && ci.emulated, "QEMU pseries: emulated by qemu is seen");
	free(t);

	t = fixture("cpuinfo-powernv-power8-hash.txt");
	report(cpuinfo_parse(t, &ci) == 0 && !strcmp(ci.cpu_family, "POWER8E") && !strcmp(ci.mmu, "Hash"),
	       "POWER8E hash host");
	free(t);

	report(cpuinfo_parse("processor : 0\nvendor_id : GenuineIntel\n", &ci) == -1,
	       "x86 cpuinfo (no cpu line) is refused");
	report(cpuinfo_parse(NULL, &ci) == -1, "no text is refused");
}

static void lparcfg_tests(void)
{
	struct lparcfg l;
	char v[64];
	char *t = fixture("lparcfg-powervm.txt");

	report(lparcfg_parse(t, &l) == 0 && !strcmp(l.version, "1.9"), "lparcfg 1.9 parses");
	report(l.partition_id == 5 && !strcmp(l.system_type, "IBM,9105-22A"),
	       "partition id and system type");
	report(l.shared_processor_mode == 1 && l.capped == 0, "shared, uncapped");
	report(l.partition_active_processors == 2 && l.partition_entitled_capacity == 200,
	       "2 active processors, entitlement 2.00");
	report(l.entitled_memory_kb == 16384 * 1024, "DesMem 16384 MiB");
	report(l.fields == 39, "every key=value line counted (%u)", l.fields);
	report(lparcfg_value(t, "pool_capacity", v, sizeof(v)) && !strcmp(v, "2000"), "lparcfg_value");
	report(!lparcfg_value(t, "pool", v, sizeof(v)) || !strcmp(v, "0"),
	       "a key that prefixes another (pool / pool_capacity) gets its own value");
	report(!lparcfg_value(t, "nope", v, sizeof(v)), "missing key");
	free(t);
	report(lparcfg_parse("processor : 0\n", &l) == -1 && l.partition_id == -1,
	       "not an lparcfg text");
}

static void detect_tests(void)
{
	struct platform p;
	char root[512];

	snprintf(root, sizeof(root), "%s/root-powernv9", TEST_DATA_DIR);
	platform_detect(root, 65536, &p);
	report(p.kind == PLATFORM_POWERNV && !strcmp(platform_kind_name(p.kind), "powernv"),
	       "fixture PowerNV host detected");
	report(!strcmp(p.firmware, "skiboot v7.1"), "skiboot version from ibm,opal/firmware (%s)",
	       p.firmware);
	report(p.radix && !p.emulated && !p.hypervisor[0] && p.page_size == 65536,
	       "radix, not emulated, no hypervisor, page size passed through");

	snprintf(root, sizeof(root), "%s/root-lpar-power10", TEST_DATA_DIR);
	platform_detect(root, 65536, &p);
	report(p.kind == PLATFORM_PSERIES && p.have_lparcfg && p.lpar.partition_id == 5,
	       "fixture PowerVM LPAR detected with its lparcfg");
	report(!strcmp(p.firmware, "FW1060.10 (12)"), "firmware from openprom (%s)", p.firmware);
	report(!strcmp(p.hypervisor, "PowerVM (system IBM,9105-22A)"), "hypervisor PowerVM (%s)",
	       p.hypervisor);
	report(!strcmp(p.lpar.partition_name, "kvmhost-lpar5"), "partition name from the device tree");
	report(!strcmp(p.dt_compatible, "IBM,9105-22A"), "first string of a NUL-separated property");

	snprintf(root, sizeof(root), "%s/root-qemu-pseries", TEST_DATA_DIR);
	platform_detect(root, 4096, &p);
	report(p.kind == PLATFORM_PSERIES && p.emulated && !p.have_lparcfg,
	       "QEMU pseries: emulated, no lparcfg (Debian's kernel has no CONFIG_LPARCFG)");
	report(strstr(p.hypervisor, "QEMU pseries") != NULL, "hypervisor: QEMU (%s)", p.hypervisor);

	snprintf(root, sizeof(root), "%s/root-x86", TEST_DATA_DIR);
	platform_detect(root, 4096, &p);
	report(p.kind == PLATFORM_UNKNOWN && !p.have_cpuinfo, "x86 tree: unknown platform");

	platform_detect("/nonexistent-tcelab-root", 4096, &p);
	report(p.kind == PLATFORM_UNKNOWN, "missing tree: unknown, no crash");
}

int main(void)
{
	cpuinfo_tests();
	lparcfg_tests();
	detect_tests();
	return report_summary();
}
