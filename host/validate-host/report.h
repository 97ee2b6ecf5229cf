/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * validate-host's checks as KTAP, one line per check as it completes:
 *
 *	ok 3 kvm.dev-kvm: /dev/kvm opens (API 12)
 *	not ok 9 kvm.cap.SPAPR_TCE_VFIO: 0: QEMU keeps VFIO TCE tables in userspace
 *	ok 12 dev.0001:00:00.0.failed-ddw # SKIP no failed-DDW list on PowerNV
 *	not ok 14 irqchip.xive: ... # XFAIL known to differ in emulation: ...
 *
 * followed by "# " detail lines, the plan and the summary line
 * "N passed, N failed, N skipped". A failed check is required (it makes the
 * exit status 1) or advisory. XFAIL is a failure that is known to differ
 * in the emulated lab from real hardware, with the reason: it is counted
 * apart and does not fail the run. Everything is kept for the result JSON.
 */
#ifndef VALIDATE_HOST_REPORT_H
#define VALIDATE_HOST_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_writer;

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIP, CHECK_XFAIL };

struct check {
	unsigned number;
	char id[96];
	char summary[400];
	enum check_status status;
	bool required;
	char reason[400]; /* SKIP/XFAIL reason */
	char *details;    /* "line\nline\n", malloc'd; may be NULL */
};

struct report {
	FILE *out;
	bool emulated;    /* the host is QEMU-emulated: known differences are XFAIL */
	struct check *checks;
	size_t n, cap;
	unsigned passed, failed, skipped, xfailed, required_failed;
	bool started; /* "KTAP version 1" printed */
};

void report_init(struct report *r, FILE *out, bool emulated);
void report_free(struct report *r);

/* One check each; fmt is the one-line summary (no '#'). */
void check_pass(struct report *r, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_fail(struct report *r, bool required, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void check_skip(struct report *r, const char *id, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * A failure whose cause is known to differ between the emulated lab and
 * real hardware: XFAIL with "known to differ in emulation: emu_reason"
 * when r->emulated, else an ordinary (required or advisory) failure.
 */
void check_fail_emulated(struct report *r, bool required, const char *id, const char *emu_reason,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A detail line ("# ...") for the last check. */
void check_detail(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A comment line ("# ...") not tied to a check, e.g. the header. */
void report_comment(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Plan, counts and summary line. Returns the exit status: 1 when a
 * required check failed, else 0. */
int report_finish(struct report *r);

/* Write the checks as a JSON array member "checks". */
void report_write_json(const struct report *r, struct json_writer *w);

const char *check_status_name(enum check_status s);

/* The check by id, or NULL (for tests and for decisions on earlier results). */
const struct check *report_find(const struct report *r, const char *id);

#endif
