/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Numbers and "key: value" lines from text: command-line values (with an
 * error that names the option) and the key/value files of /proc
 * (/proc/cpuinfo, /proc/powerpc/lparcfg).
 */
#ifndef TCELAB_PARSE_H
#define TCELAB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_error;

/*
 * A whole number in [min, max], decimal or 0x-prefixed hex; no sign, no
 * trailing text. what names the option in the error ("--qd").
 */
int parse_u64(const char *text, const char *what, uint64_t min, uint64_t max, uint64_t *out,
	      struct tl_error *e);
int parse_unsigned(const char *text, const char *what, unsigned min, unsigned max,
		   unsigned *out, struct tl_error *e);
int parse_size_t(const char *text, const char *what, size_t min, size_t max, size_t *out,
		 struct tl_error *e);

/* Seconds: a finite number above 0 and at most max, fractions allowed. */
int parse_seconds(const char *text, const char *what, double max, double *out,
		  struct tl_error *e);

/*
 * The value of the first line "KEY<blanks>: VALUE" (as /proc/cpuinfo
 * writes them), trailing blanks dropped. Not "KEY family : ...".
 */
bool text_field(const char *text, const char *key, char *out, size_t len);

#endif
