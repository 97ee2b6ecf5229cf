/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Errors that carry their context: every failing call fills a struct
 * tl_error with one line saying what failed and where, so the top level
 * can print it as is and exit.
 */
#ifndef TCELAB_ERROR_H
#define TCELAB_ERROR_H

#include <stdarg.h>

struct tl_error {
	char msg[512];
};

/* Set the message; returns -1 so callers can `return tl_err(e, ...)`. */
int tl_err(struct tl_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like tl_err() with ": strerror(errno)" appended (errno captured on entry). */
int tl_err_errno(struct tl_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix an existing message with more context: "ctx: old message". */
int tl_err_wrap(struct tl_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
