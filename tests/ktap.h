/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny KTAP reporter for the suite's C tests, in the manner of
 * kvm-unit-tests: one report() per check, a summary at the end.
 *
 *	int main(void)
 *	{
 *		report(1 + 1 == 2, "addition");
 *		return report_summary();
 *	}
 *
 * Output is KTAP ("ok 1 addition") with the plan printed at the end, and
 * a closing line "N passed, N failed, N skipped". Header-only: each test
 * is one program.
 */
#ifndef TCELAB_TESTS_KTAP_H
#define TCELAB_TESTS_KTAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned ktap_passed, ktap_failed, ktap_skipped;

static inline unsigned ktap_count(void)
{
	return ktap_passed + ktap_failed + ktap_skipped;
}

static inline void ktap_header(void)
{
	if (ktap_count() == 0)
		printf("KTAP version 1\n");
}

__attribute__((format(printf, 2, 3))) static inline bool report(bool ok, const char *fmt, ...)
{
	va_list ap;

	ktap_header();
	if (ok)
		ktap_passed++;
	else
		ktap_failed++;
	printf("%s %u ", ok ? "ok" : "not ok", ktap_count());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return ok;
}

__attribute__((format(printf, 2, 3))) static inline void report_skip(const char *why,
								      const char *fmt, ...)
{
	va_list ap;

	ktap_header();
	ktap_skipped++;
	printf("ok %u ", ktap_count());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

/* Diagnostic line, e.g. the values behind a failed check. */
__attribute__((format(printf, 1, 2))) static inline void report_info(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Exit status for main(): 0 when nothing failed. */
static inline int report_summary(void)
{
	ktap_header();
	printf("1..%u\n", ktap_count());
	printf("%u passed, %u failed, %u skipped\n", ktap_passed, ktap_failed, ktap_skipped);
	return ktap_failed ? 1 : 0;
}

/* Doubles equal within a relative tolerance. */
static inline bool near(double a, double b, double rel)
{
	double d = a > b ? a - b : b - a;
	double m = (a > 0 ? a : -a) > (b > 0 ? b : -b) ? (a > 0 ? a : -a) : (b > 0 ? b : -b);

	return d <= rel * (m > 1e-300 ? m : 1e-300);
}

#endif
