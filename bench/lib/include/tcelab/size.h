/* SPDX-License-Identifier: GPL-2.0-only */
/* Sizes on command lines: "4096", "4k", "64K", "16M", "1G" (powers of 1024). */
#ifndef TCELAB_SIZE_H
#define TCELAB_SIZE_H

#include <stddef.h>
#include <stdint.h>

struct tl_error;

/* One size; what names the option for the error message ("--sizes"). */
int size_parse(const char *text, uint64_t *out, const char *what, struct tl_error *e);

/*
 * A list: "4k,64k,1m" or a doubling range "4k-16m" (4k, 8k, ... 16m), or
 * both mixed ("4k-64k,1m"). Sizes must be > 0; a range must run upward.
 * Writes at most max values; more is an error.
 */
int size_list_parse(const char *text, uint64_t *out, size_t max, size_t *n, const char *what,
		    struct tl_error *e);

/* "4K", "16M", "1536" — the shortest exact form. buf: at least 24 bytes. */
const char *size_format(uint64_t size, char *buf, size_t len);

#endif
