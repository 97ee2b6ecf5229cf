/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A growable NULL-terminated array of strings: command lines to exec and
 * lists of error lines. Allocation failure aborts: the programs using it
 * cannot do anything useful without memory, and checking every push would bury the
 * logic.
 */
#ifndef TCELAB_STRV_H
#define TCELAB_STRV_H

#include <stddef.h>

struct strv {
	char **v; /* NULL-terminated once anything was pushed */
	size_t n;
	size_t cap;
};

void strv_push(struct strv *s, const char *str);
void strv_pushf(struct strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Push every string of a NULL-terminated array. */
void strv_push_all(struct strv *s, const char *const *strs);
/* Strings joined by sep into a malloc'd string. */
char *strv_join(const struct strv *s, const char *sep);
void strv_free(struct strv *s);

/* xmalloc-style helpers: abort on exhaustion. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
