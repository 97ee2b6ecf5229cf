// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "tcelab/timing.h"

static uint64_t tick_hz;

uint64_t timing_ticks_fallback(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double timing_monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int timing_parse_cpuinfo_timebase(const char *cpuinfo, uint64_t *hz)
{
	const char *line = cpuinfo;

	/* ppc64: "timebase\t: 512000000" */
	while (line && *line) {
		unsigned long long v;

		if (sscanf(line, "timebase : %llu", &v) == 1 && v > 0) {
			*hz = v;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

int timing_init(struct tl_error *e)
{
#if defined(__powerpc64__)
	char *cpuinfo = tl_read_file("/proc/cpuinfo", NULL, e);
	int ret;

	if (!cpuinfo)
		return -1;
	ret = timing_parse_cpuinfo_timebase(cpuinfo, &tick_hz);
	free(cpuinfo);
	if (ret)
		return tl_err(e, "/proc/cpuinfo: no 'timebase' line, cannot time with mftb");
#else
	(void)e;
	tick_hz = 1000000000u;
#endif
	return 0;
}

const char *timing_source(void)
{
#if defined(__powerpc64__)
	return "timebase";
#else
	return "clock_monotonic_raw";
#endif
}

uint64_t timing_hz(void)
{
	return tick_hz;
}

double timing_ns(uint64_t ticks)
{
	return (double)ticks * 1e9 / (double)tick_hz;
}
