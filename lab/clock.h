/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef LAB_CLOCK_H
#define LAB_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Seconds on CLOCK_MONOTONIC: for durations and deadlines. */
double clock_now(void);

/* "2026-11-25T15:30:00Z" into buf (at least 21 bytes). */
const char *clock_utc_iso8601(time_t t, char *buf, size_t len);

#endif
