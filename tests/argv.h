/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For option-parsing tests: turn a NULL-terminated list of arguments into
 * argc/argv with the program's name first, as main() would get them.
 */
#ifndef TCELAB_TESTS_ARGV_H
#define TCELAB_TESTS_ARGV_H

#include <stdarg.h>

#define TEST_ARGV_MAX 40

/* Fill argv (TEST_ARGV_MAX entries) from ap; returns argc. */
static inline int test_argv(char **argv, const char *prog, va_list ap)
{
	int argc = 0;
	char *a;

	argv[argc++] = (char *)prog;
	while (argc < TEST_ARGV_MAX - 1 && (a = va_arg(ap, char *)))
		argv[argc++] = a;
	argv[argc] = NULL;
	return argc;
}

#endif
