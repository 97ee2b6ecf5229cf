// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "procinfo.h"

int kb_field(const char *text, const char *key, uint64_t *kb)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line;) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			const char *p = line + klen + 1;
			char *end;
			unsigned long long v;

			while (*p == ' ' || *p == '\t')
				p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			v = strtoull(p, &end, 10);
			*kb = v;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

void mem_snapshot_from(struct mem_snapshot *s, const char *status, const char *meminfo)
{
	memset(s, 0, sizeof(*s));
	if (status) {
		s->have_status = kb_field(status, "VmLck", &s->vm_lck_kb) == 0;
		/* VmPin exists since 3.2; count a missing one as 0 */
		if (kb_field(status, "VmPin", &s->vm_pin_kb))
			s->vm_pin_kb = 0;
	}
	if (meminfo)
		s->have_meminfo = kb_field(meminfo, "MemFree", &s->mem_free_kb) == 0 &&
				  kb_field(meminfo, "MemAvailable", &s->mem_available_kb) == 0;
}

void mem_snapshot_add_zoneinfo(struct mem_snapshot *s, const char *zoneinfo,
			       unsigned long page_size)
{
	uint64_t pages = 0;
	bool seen = false;

	for (const char *p = zoneinfo; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *t = p + strspn(p, " \t");
		const char *v = NULL;

		/* per CPU and zone: "count:  40", "vm stats threshold: 24" */
		if (!strncmp(t, "count:", 6))
			v = t + 6;
		else if (!strncmp(t, "vm stats threshold:", 19))
			v = t + 19;
		if (v) {
			pages += strtoull(v, NULL, 10);
			seen = true;
		}
	}
	s->memfree_noise_kb = pages * (page_size / 1024);
	s->have_zoneinfo = seen;
}

void mem_snapshot_take(struct mem_snapshot *s)
{
	struct tl_error e;
	char *status = tl_read_file("/proc/self/status", NULL, &e);
	char *meminfo = tl_read_file("/proc/meminfo", NULL, &e);
	char *zoneinfo = tl_read_file("/proc/zoneinfo", NULL, &e);

	mem_snapshot_from(s, status, meminfo);
	mem_snapshot_add_zoneinfo(s, zoneinfo, (unsigned long)sysconf(_SC_PAGESIZE));
	free(status);
	free(meminfo);
	free(zoneinfo);
}

/* Documentation/admin-guide/tainted-kernels.rst, bit order. */
static const struct {
	char letter;
	const char *meaning;
} taints[] = {
	{ 'P', "proprietary module loaded" },
	{ 'F', "module force-loaded" },
	{ 'S', "kernel running on an out-of-spec system" },
	{ 'R', "module force-unloaded" },
	{ 'M', "machine check exception occurred" },
	{ 'B', "bad page referenced or unexpected page flags" },
	{ 'U', "taint requested by userspace" },
	{ 'D', "kernel died recently (OOPS or BUG)" },
	{ 'A', "ACPI table overridden" },
	{ 'W', "kernel issued a warning" },
	{ 'C', "staging driver loaded" },
	{ 'I', "workaround for a platform firmware bug applied" },
	{ 'O', "externally-built (out-of-tree) module loaded" },
	{ 'E', "unsigned module loaded" },
	{ 'L', "soft lockup occurred" },
	{ 'K', "kernel live-patched" },
	{ 'X', "auxiliary taint (distribution-defined)" },
	{ 'T', "kernel built with the struct randomization plugin" },
	{ 'N', "in-kernel test run" },
	{ 'J', "userspace used a mutating debug operation in fwctl" },
};

size_t taint_letters(unsigned long mask, char *out, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(taints) / sizeof(taints[0]); i++)
		if ((mask & (1ul << i)) && n + 1 < len)
			out[n++] = taints[i].letter;
	if (len)
		out[n < len ? n : len - 1] = '\0';
	return n;
}

void taint_describe(unsigned long mask, char *out, size_t len)
{
	size_t used = 0;

	if (len)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof(taints) / sizeof(taints[0]); i++) {
		int w;

		if (!(mask & (1ul << i)))
			continue;
		w = snprintf(out + used, len - used, "%s%c (%s)", used ? ", " : "", taints[i].letter,
			     taints[i].meaning);
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
	/* bits beyond the table */
	for (size_t i = sizeof(taints) / sizeof(taints[0]); i < 8 * sizeof(mask); i++) {
		int w;

		if (!(mask & (1ul << i)))
			continue;
		w = snprintf(out + used, len - used, "%sbit %zu", used ? ", " : "", i);
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

unsigned long taint_trouble_mask(void)
{
	/* M, B, D, W, L */
	return (1ul << 4) | (1ul << 5) | (1ul << 7) | (1ul << 9) | (1ul << 14);
}

bool read_line(const char *path, char *out, size_t len)
{
	struct tl_error e;
	char *text = tl_read_file(path, NULL, &e);
	size_t n;

	if (!text) {
		if (len)
			out[0] = '\0';
		return false;
	}
	n = strcspn(text, "\n");
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	/* device-tree strings end in NUL */
	snprintf(out, len, "%.*s", (int)n, text);
	free(text);
	return true;
}

bool build_id_from_note(const unsigned char *note, size_t len, char *out, size_t outlen)
{
	/* Elf64_Nhdr: namesz, descsz, type (native endian), name padded to 4 */
	size_t off = 0;

	if (outlen)
		out[0] = '\0';
	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;
		size_t name_off = off + 12, desc_off;

		memcpy(&namesz, note + off, 4);
		memcpy(&descsz, note + off + 4, 4);
		memcpy(&type, note + off + 8, 4);
		desc_off = name_off + ((namesz + 3) & ~3u);
		if (desc_off + descsz > len)
			return false;
		if (type == 3 && namesz == 4 && !memcmp(note + name_off, "GNU", 4)) {
			size_t n = 0;

			for (uint32_t i = 0; i < descsz && n + 3 <= outlen; i++)
				n += (size_t)snprintf(out + n, outlen - n, "%02x", note[desc_off + i]);
			return descsz > 0;
		}
		off = desc_off + ((descsz + 3) & ~3u);
	}
	return false;
}

void module_info_read(const char *sysfs, const char *name, struct module_info *m)
{
	char path[512];

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/module/%s/initstate", sysfs, name);
	if (read_line(path, m->taint, sizeof(m->taint)))
		m->loaded = !strcmp(m->taint, "live") || !strcmp(m->taint, "coming");
	else {
		/* built in: the folder exists, without initstate */
		struct stat st;

		snprintf(path, sizeof(path), "%s/module/%s", sysfs, name);
		m->loaded = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	}
	m->taint[0] = '\0';
	snprintf(path, sizeof(path), "%s/module/%s/notes/.note.gnu.build-id", sysfs, name);
	{
		struct tl_error e;
		size_t n = 0;
		char *note = tl_read_file(path, &n, &e);

		if (note)
			build_id_from_note((const unsigned char *)note, n, m->build_id,
					   sizeof(m->build_id));
		free(note);
	}
	snprintf(path, sizeof(path), "%s/module/%s/srcversion", sysfs, name);
	read_line(path, m->srcversion, sizeof(m->srcversion));
	snprintf(path, sizeof(path), "%s/module/%s/version", sysfs, name);
	read_line(path, m->version, sizeof(m->version));
	snprintf(path, sizeof(path), "%s/module/%s/taint", sysfs, name);
	read_line(path, m->taint, sizeof(m->taint));
}
