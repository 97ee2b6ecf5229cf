/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What kind of POWER host this is, from /proc/cpuinfo, /proc/powerpc/lparcfg
 * and the device tree: bare-metal PowerNV on OPAL firmware (skiboot), or a
 * pseries logical partition (PowerVM, or KVM/QEMU), the CPU, firmware and
 * hypervisor, the MMU mode and the base page size.
 *
 * Every reader takes a root folder ("/" on a host, a fixture tree in the
 * unit tests) and the parsers take text.
 */
#ifndef VALIDATE_HOST_PLATFORM_H
#define VALIDATE_HOST_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

enum platform_kind { PLATFORM_UNKNOWN, PLATFORM_POWERNV, PLATFORM_PSERIES };

struct cpuinfo {
	char cpu[96];       /* "POWER9, altivec supported" (first processor) */
	char cpu_family[32]; /* "POWER9" */
	bool architected;   /* "(architected)": a compatibility mode, LPAR */
	char revision[64];  /* "2.2 (pvr 004e 1202)" */
	char platform[32];  /* "PowerNV", "pSeries" */
	char model[96];
	char machine[128];
	char firmware[32];  /* "OPAL" on PowerNV */
	char mmu[16];       /* "Radix", "Hash" */
	unsigned long long timebase;
	unsigned processors;
	bool emulated;      /* "(emulated by qemu)" in model or machine */
};

/* Parse a /proc/cpuinfo text. Returns 0, -1 when it has no "cpu" line. */
int cpuinfo_parse(const char *text, struct cpuinfo *ci);

/* /proc/powerpc/lparcfg: "lparcfg 1.9" then key=value lines. */
struct lparcfg {
	char version[16];
	char system_type[64];
	char serial_number[64];
	long partition_id;
	char partition_name[64]; /* from the device tree when present */
	int shared_processor_mode; /* -1 unknown */
	int capped;                /* -1 unknown */
	long partition_active_processors;
	long partition_entitled_capacity; /* in 1/100 processors */
	long entitled_memory_kb;          /* DesMem (MiB) * 1024 when present */
	unsigned fields;                  /* key=value lines seen */
};

int lparcfg_parse(const char *text, struct lparcfg *l);
/* The value of one key of an lparcfg text into out; false if absent. */
bool lparcfg_value(const char *text, const char *key, char *out, size_t len);

struct platform {
	enum platform_kind kind;
	struct cpuinfo cpu;
	bool have_cpuinfo;
	bool have_lparcfg;
	struct lparcfg lpar;
	char firmware[160];   /* "skiboot v7.1" / "PowerVM FW1060.10" / "QEMU VOF" ... */
	char hypervisor[160]; /* LPAR: what runs us */
	char dt_model[96];    /* /proc/device-tree/model */
	char dt_compatible[96];
	unsigned long page_size;
	bool radix;           /* MMU mode */
	bool emulated;
};

/* Read everything under root ("/" normally). page_size: the caller's
 * sysconf(_SC_PAGESIZE) (the fixture cannot know it). */
void platform_detect(const char *root, unsigned long page_size, struct platform *p);

const char *platform_kind_name(enum platform_kind k);

/* A device-tree string property (NUL-separated list → first item). */
bool dt_string(const char *root, const char *rel, char *out, size_t len);

#endif
