/* SPDX-License-Identifier: GPL-2.0-only */
/* Small file-system chores of the runner; every error names the path. */
#ifndef LAB_FILES_H
#define LAB_FILES_H

#include <stdbool.h>
#include <stddef.h>

struct strv;
struct tl_error;

bool path_is_file(const char *path);
bool path_is_dir(const char *path);

/* Resolve a program like execvp() would: a name with a '/' is taken as is,
 * else searched in PATH. Returns a malloc'd path, or NULL. */
char *program_find(const char *name);

/* Create dir and its missing parents (mode 0755). */
int mkdir_parents(const char *dir, struct tl_error *e);

/* Write text to path (created or truncated). */
int file_write(const char *path, const char *text, struct tl_error *e);

/* Copy a regular file's content. */
int file_copy(const char *src, const char *dst, struct tl_error *e);

/* Push the last n lines of a text file (without line ends) onto lines;
 * a missing file pushes nothing. */
void file_tail(const char *path, size_t n, struct strv *lines);

/* First whitespace-delimited word of a file into a malloc'd string, or
 * NULL when the file is missing or empty. */
char *file_first_word(const char *path);

/* Remove a directory tree (for the scratch folder); errors are ignored:
 * there is nothing better to do with them at clean-up. */
void tree_remove(const char *dir);

#endif
