// SPDX-License-Identifier: GPL-2.0-only
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tcelab/strv.h"
#include "tcelab/error.h"

bool path_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_executable(const char *path)
{
	return path_is_file(path) && access(path, X_OK) == 0;
}

char *program_find(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL;
	char *found = NULL;

	if (strchr(name, '/'))
		return is_executable(name) ? xstrdup(name) : NULL;
	dirs = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *candidate = xasprintf("%s/%s", *dir ? dir : ".", name);

		if (is_executable(candidate))
			found = candidate;
		else
			free(candidate);
	}
	free(dirs);
	return found;
}

int mkdir_parents(const char *dir, struct tl_error *e)
{
	char *copy = xstrdup(dir);
	int ret = 0;

	/* Each prefix in turn; EEXIST is fine as long as the end is a folder. */
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			ret = tl_err_errno(e, "cannot create folder %s", copy);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (ret == 0 && !path_is_dir(dir))
		ret = tl_err(e, "%s exists and is not a folder", dir);
	free(copy);
	return ret;
}

int file_write(const char *path, const char *text, struct tl_error *e)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return tl_err_errno(e, "cannot create %s", path);
	fputs(text, f);
	if (ferror(f) | (fclose(f) != 0))
		return tl_err_errno(e, "cannot write %s", path);
	return 0;
}

int file_copy(const char *src, const char *dst, struct tl_error *e)
{
	char buf[65536];
	FILE *in = fopen(src, "rb"), *out;
	size_t n;
	int ret = 0;

	if (!in)
		return tl_err_errno(e, "cannot open %s", src);
	out = fopen(dst, "wb");
	if (!out) {
		fclose(in);
		return tl_err_errno(e, "cannot create %s", dst);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (ferror(in))
		ret = tl_err_errno(e, "cannot read %s", src);
	if ((ferror(out) | (fclose(out) != 0)) && ret == 0)
		ret = tl_err_errno(e, "cannot write %s", dst);
	fclose(in);
	return ret;
}

void file_tail(const char *path, size_t n, struct strv *lines)
{
	FILE *f = fopen(path, "r");
	char **ring = xcalloc(n, sizeof(*ring));
	char *line = NULL;
	size_t cap = 0, seen = 0;
	ssize_t len;

	if (!f || n == 0)
		goto out;
	/* Keep the last n lines in a ring: logs can be large. */
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		free(ring[seen % n]);
		ring[seen % n] = xstrdup(line);
		seen++;
	}
	for (size_t i = seen > n ? seen - n : 0; i < seen; i++)
		strv_push(lines, ring[i % n]);
out:
	for (size_t i = 0; i < n; i++)
		free(ring[i]);
	free(ring);
	free(line);
	if (f)
		fclose(f);
}

char *file_first_word(const char *path)
{
	FILE *f = fopen(path, "r");
	char word[256];
	char *ret = NULL;

	if (!f)
		return NULL;
	if (fscanf(f, "%255s", word) == 1)
		ret = xstrdup(word);
	fclose(f);
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tree_remove(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
