/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small readers of procfs and sysfs texts the host tools compare before
 * and after: "Key:  123 kB" fields of /proc/self/status and /proc/meminfo,
 * the kernel taint mask, module versions.
 *
 * The parsers take text so that the unit tests feed them fixtures.
 */
#ifndef TCELAB_HOST_PROCINFO_H
#define TCELAB_HOST_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_error;

/*
 * The value of a "Key: N kB" line (/proc/meminfo, /proc/PID/status), in
 * KiB; key without the colon ("VmLck"). Returns 0, or -1 when the line is
 * missing or malformed. A line without a unit (HugePages_Total) gives N.
 */
int kb_field(const char *text, const char *key, uint64_t *kb);

/* What leak checks compare: this process's locked and pinned memory
 * (mm->locked_vm as VmLck, mm->pinned_vm as VmPin) and free memory. */
struct mem_snapshot {
	uint64_t vm_lck_kb, vm_pin_kb;
	uint64_t mem_free_kb, mem_available_kb;
	/* How far MemFree can be off with no memory used or freed at all:
	 * the pages now on the per-CPU free lists (MemFree leaves them out;
	 * they drain and refill in batches) and each CPU's vmstat delta,
	 * folded in only past its threshold; the sums over every zone and
	 * CPU (/proc/zoneinfo). Between two snapshots: the sum of both. */
	uint64_t memfree_noise_kb;
	bool have_status, have_meminfo, have_zoneinfo;
};

/* From texts (either may be NULL). */
void mem_snapshot_from(struct mem_snapshot *s, const char *status, const char *meminfo);
/* memfree_noise_kb from /proc/zoneinfo text: every pageset's "count:" and
 * "vm stats threshold:", in pages of page_size bytes. */
void mem_snapshot_add_zoneinfo(struct mem_snapshot *s, const char *zoneinfo,
			       unsigned long page_size);
/* From /proc/self/status, /proc/meminfo and /proc/zoneinfo. */
void mem_snapshot_take(struct mem_snapshot *s);

/* Kernel taint: the letters of a /proc/sys/kernel/tainted mask, in the
 * kernel's order ("GW  OE" style without the G/P distinction), e.g. "WOE".
 * Returns the letters written. */
size_t taint_letters(unsigned long mask, char *out, size_t len);

/* One line per set bit: "W (warning issued)" etc., joined with ", ". */
void taint_describe(unsigned long mask, char *out, size_t len);

/* Taints that mean something went wrong on this boot (D, B, W, L, M...). */
unsigned long taint_trouble_mask(void);

/* A module's state from /sys/module/NAME: loaded, GNU build ID (tells two
 * builds of the same source apart; Debian builds carry no srcversion),
 * srcversion, version, taint ("OE" for an out-of-tree unsigned module). Strings empty when
 * absent. sysfs is "/sys" normally. */
struct module_info {
	bool loaded;
	char build_id[48];   /* GNU build ID (hex) from notes/.note.gnu.build-id */
	char srcversion[64];
	char version[64];
	char taint[16];
};
void module_info_read(const char *sysfs, const char *name, struct module_info *m);

/* The build ID (hex) of an ELF note section's bytes ("GNU" note, type 3);
 * false when there is none. */
bool build_id_from_note(const unsigned char *note, size_t len, char *out, size_t outlen);

/* Read a sysfs/procfs file's first line (trimmed) into out; false when missing. */
bool read_line(const char *path, char *out, size_t len);

#endif
