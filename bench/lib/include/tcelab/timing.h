/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cheap timestamps for timing one call. On ppc64 the timebase register
 * (mftb) ticks at a fixed frequency that /proc/cpuinfo reports; elsewhere
 * CLOCK_MONOTONIC_RAW is used. Convert with timing_ns() after timing_init().
 */
#ifndef TCELAB_TIMING_H
#define TCELAB_TIMING_H

#include <stdint.h>

struct tl_error;

/* Read the tick frequency once. Returns 0, or -1 with e set. */
int timing_init(struct tl_error *e);

/* Which clock timing_ticks() reads: "timebase" or "clock_monotonic_raw". */
const char *timing_source(void);

/* Ticks per second of timing_ticks(). */
uint64_t timing_hz(void);

static inline uint64_t timing_ticks(void)
{
#if defined(__powerpc64__)
	uint64_t tb;

	__asm__ __volatile__("mftb %0" : "=r"(tb) : : "memory");
	return tb;
#else
	extern uint64_t timing_ticks_fallback(void);

	return timing_ticks_fallback();
#endif
}

/* Wall-clock seconds on CLOCK_MONOTONIC, for timeouts and durations of
 * seconds (not for timing one call: timing_ticks). */
double timing_monotonic_s(void);

/* Ticks to nanoseconds, as a double so sub-tick averages survive. */
double timing_ns(uint64_t ticks);

/* Parse the "timebase : N" line of a /proc/cpuinfo text (for tests). */
int timing_parse_cpuinfo_timebase(const char *cpuinfo, uint64_t *hz);

#endif
