// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"
#include "tcelab/pci.h"
#include "platform.h"

const char *platform_kind_name(enum platform_kind k)
{
	switch (k) {
	case PLATFORM_POWERNV: return "powernv";
	case PLATFORM_PSERIES: return "pseries";
	default: return "unknown";
	}
}

int cpuinfo_parse(const char *text, struct cpuinfo *ci)
{
	char buf[64];
	const char *p;

	memset(ci, 0, sizeof(*ci));
	if (!text || !text_field(text, "cpu", ci->cpu, sizeof(ci->cpu)))
		return -1;
	/* "POWER10 (architected), altivec supported" → "POWER10" */
	snprintf(ci->cpu_family, sizeof(ci->cpu_family), "%.*s", (int)strcspn(ci->cpu, " ,("),
		 ci->cpu);
	ci->architected = strstr(ci->cpu, "(architected)") != NULL;
	text_field(text, "revision", ci->revision, sizeof(ci->revision));
	text_field(text, "platform", ci->platform, sizeof(ci->platform));
	text_field(text, "model", ci->model, sizeof(ci->model));
	text_field(text, "machine", ci->machine, sizeof(ci->machine));
	text_field(text, "firmware", ci->firmware, sizeof(ci->firmware));
	text_field(text, "MMU", ci->mmu, sizeof(ci->mmu));
	if (text_field(text, "timebase", buf, sizeof(buf)))
		ci->timebase = strtoull(buf, NULL, 10);
	for (p = text; (p = strstr(p, "processor")); p++)
		if ((p == text || p[-1] == '\n') && (p[9] == ' ' || p[9] == '\t' || p[9] == ':'))
			ci->processors++;
	ci->emulated = strstr(ci->model, "emulated by qemu") || strstr(ci->machine, "emulated by qemu");
	return 0;
}

bool lparcfg_value(const char *text, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);

		if (n > klen && !strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(out, len, "%.*s", (int)(n - klen - 1), line + klen + 1);
			return true;
		}
		line = eol ? eol + 1 : NULL;
	}
	return false;
}

static long lpar_long(const char *text, const char *key, long dflt)
{
	char v[64], *end;
	long n;

	if (!lparcfg_value(text, key, v, sizeof(v)))
		return dflt;
	n = strtol(v, &end, 10);
	return end == v ? dflt : n;
}

int lparcfg_parse(const char *text, struct lparcfg *l)
{
	memset(l, 0, sizeof(*l));
	l->partition_id = -1;
	l->shared_processor_mode = -1;
	l->capped = -1;
	l->partition_active_processors = -1;
	l->partition_entitled_capacity = -1;
	l->entitled_memory_kb = -1;
	if (!text || strncmp(text, "lparcfg", 7))
		return -1;
	sscanf(text, "lparcfg %15s", l->version);
	for (const char *line = text; line && *line;) {
		const char *eq = strchr(line, '='), *eol = strchr(line, '\n');

		if (eq && (!eol || eq < eol))
			l->fields++;
		line = eol ? eol + 1 : NULL;
	}
	lparcfg_value(text, "system_type", l->system_type, sizeof(l->system_type));
	lparcfg_value(text, "serial_number", l->serial_number, sizeof(l->serial_number));
	l->partition_id = lpar_long(text, "partition_id", -1);
	l->shared_processor_mode = (int)lpar_long(text, "shared_processor_mode", -1);
	l->capped = (int)lpar_long(text, "capped", -1);
	l->partition_active_processors = lpar_long(text, "partition_active_processors", -1);
	l->partition_entitled_capacity = lpar_long(text, "partition_entitled_capacity", -1);
	if (lpar_long(text, "DesMem", -1) >= 0)
		l->entitled_memory_kb = lpar_long(text, "DesMem", -1) * 1024;
	return 0;
}

static char *read_rel(const char *root, const char *rel)
{
	char path[512];
	struct tl_error e;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return tl_read_file(path, NULL, &e);
}

bool dt_string(const char *root, const char *rel, char *out, size_t len)
{
	char path[512];
	struct tl_error e;
	size_t n;
	char *v;

	snprintf(path, sizeof(path), "%s/proc/device-tree/%s", root, rel);
	v = tl_read_file(path, &n, &e);
	if (!v)
		return false;
	/* first string of a NUL-separated list; printable only */
	n = strnlen(v, n);
	while (n && (v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)v[i]))
			v[i] = '?';
	snprintf(out, len, "%.*s", (int)n, v);
	free(v);
	return n > 0;
}

static bool exists(const char *root, const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return stat(path, &st) == 0;
}

static void detect_firmware(const char *root, struct platform *p)
{
	char v[128] = "", v2[128] = "";

	if (p->kind == PLATFORM_POWERNV) {
		if (dt_string(root, "ibm,opal/firmware/version", v, sizeof(v)) ||
		    dt_string(root, "ibm,firmware-versions/skiboot", v, sizeof(v)))
			snprintf(p->firmware, sizeof(p->firmware), "skiboot %s",
				 !strncmp(v, "skiboot-", 8) ? v + 8 : v);
		else if (exists(root, "sys/firmware/opal"))
			snprintf(p->firmware, sizeof(p->firmware), "OPAL (no version in the device tree)");
		if (dt_string(root, "ibm,firmware-versions/open-power", v2, sizeof(v2))) {
			size_t used = strlen(p->firmware);

			snprintf(p->firmware + used, sizeof(p->firmware) - used, "%sopen-power %s",
				 used ? ", " : "", v2);
		}
		return;
	}
	if (p->kind != PLATFORM_PSERIES)
		return;
	/* PowerVM: "FW1060.10 (12)"; QEMU's SLOF/VOF have other or no openprom */
	if (dt_string(root, "openprom/ibm,fw-vernum_encoded", v, sizeof(v)))
		snprintf(p->firmware, sizeof(p->firmware), "%s", v);
	else if (dt_string(root, "openprom/model", v, sizeof(v)))
		snprintf(p->firmware, sizeof(p->firmware), "%s", v);
	else if (strstr(p->dt_compatible, "qemu"))
		snprintf(p->firmware, sizeof(p->firmware), "QEMU pseries firmware (SLOF or VOF)");
}

static void detect_hypervisor(const char *root, struct platform *p)
{
	char v[96] = "", name[64] = "";

	if (p->kind != PLATFORM_PSERIES)
		return;
	dt_string(root, "ibm,partition-name", name, sizeof(name));
	snprintf(p->lpar.partition_name, sizeof(p->lpar.partition_name), "%s", name);
	if (strstr(p->dt_compatible, "qemu") || strstr(p->cpu.model, "qemu") ||
	    strstr(p->dt_model, "qemu")) {
		if (dt_string(root, "hypervisor/compatible", v, sizeof(v)))
			snprintf(p->hypervisor, sizeof(p->hypervisor), "QEMU pseries machine on %s", v);
		else
			snprintf(p->hypervisor, sizeof(p->hypervisor),
				 "QEMU pseries machine (no /hypervisor node: TCG, or KVM without it)");
	} else if (dt_string(root, "hypervisor/compatible", v, sizeof(v))) {
		snprintf(p->hypervisor, sizeof(p->hypervisor), "%s", v);
	} else if (p->have_lparcfg && p->lpar.system_type[0]) {
		snprintf(p->hypervisor, sizeof(p->hypervisor), "PowerVM (system %s)",
			 p->lpar.system_type);
	} else if (p->dt_model[0]) {
		snprintf(p->hypervisor, sizeof(p->hypervisor), "PowerVM (system %s)", p->dt_model);
	} else {
		snprintf(p->hypervisor, sizeof(p->hypervisor), "unknown (no lparcfg, no model)");
	}
}

void platform_detect(const char *root, unsigned long page_size, struct platform *p)
{
	char *text;

	memset(p, 0, sizeof(*p));
	p->page_size = page_size;
	text = read_rel(root, "proc/cpuinfo");
	p->have_cpuinfo = text && cpuinfo_parse(text, &p->cpu) == 0;
	free(text);
	text = read_rel(root, "proc/powerpc/lparcfg");
	p->have_lparcfg = text && lparcfg_parse(text, &p->lpar) == 0;
	free(text);
	dt_string(root, "model", p->dt_model, sizeof(p->dt_model));
	dt_string(root, "compatible", p->dt_compatible, sizeof(p->dt_compatible));

	if (!strcasecmp(p->cpu.platform, "PowerNV") || exists(root, "proc/device-tree/ibm,opal"))
		p->kind = PLATFORM_POWERNV;
	else if (!strcasecmp(p->cpu.platform, "pSeries") || p->have_lparcfg)
		p->kind = PLATFORM_PSERIES;
	p->radix = !strcasecmp(p->cpu.mmu, "Radix");
	p->emulated = p->cpu.emulated || strstr(p->dt_model, "emulated by qemu") ||
		      strstr(p->dt_compatible, "qemu,");
	detect_firmware(root, p);
	detect_hypervisor(root, p);
}
