/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The smoke guest's console (validate-host --boot-guest), read line by line.
 * The suite's guest image in smoke mode (guest-images/init) prints, at every
 * boot:
 *
 *	TCELAB-BOOT kernel=6.12...           its /init started
 *	TCELAB-SMOKE verify rc=0 verify passed: LBA 0 to 8191 ...
 *
 * and reboots; a set-up failure is one "TCELAB-ERROR ..." line. This file
 * only turns lines into per-boot results, so it is tested on recorded
 * consoles (host/tests); checks_guest.c runs QEMU and reports.
 */
#ifndef VALIDATE_HOST_GUEST_CONSOLE_H
#define VALIDATE_HOST_GUEST_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#define GUEST_MAX_BOOTS 16
#define GUEST_TAIL_LINES 30

struct guest_boot {
	bool started;      /* TCELAB-BOOT seen */
	bool verified;     /* a TCELAB-SMOKE verify line came */
	int rc;            /* nvme-perf's exit status */
	char verdict[400]; /* the rest of the verify line, or the TCELAB-ERROR text */
	bool error;        /* TCELAB-ERROR: the guest's set-up failed */
	double t_start;    /* seconds since QEMU started: boot marker ... */
	double t_end;      /* ... verify line */
};

struct guest_console {
	unsigned want;     /* boots to see */
	unsigned nboots;   /* boots started */
	struct guest_boot boots[GUEST_MAX_BOOTS];
	double t_last;     /* time of the last boot's start or result */
	char tail[GUEST_TAIL_LINES][200]; /* the last lines, for the report */
	unsigned ntail;    /* lines seen in all */
};

void guest_console_init(struct guest_console *g, unsigned want);

/* One console line (without its newline; a trailing \r is ignored) seen at
 * t seconds. */
void guest_console_line(struct guest_console *g, const char *line, double t);

/* Done: every boot wanted has its result, or one failed (no point going on). */
bool guest_console_done(const struct guest_console *g);

/* Calls fn for the kept tail lines, oldest first. */
void guest_console_tail(const struct guest_console *g, void (*fn)(void *arg, const char *line),
			void *arg);

#endif
