/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON parser (RFC 8259) into a tree, for reading fio's and
 * iperf3's JSON and the suite's own results. Errors give line and column.
 * Object members keep their order; lookups are linear, which is fine for
 * documents of this size.
 */
#ifndef TCELAB_JSON_H
#define TCELAB_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct tl_error;

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	union {
		bool boolean;
		double number;
		struct { char *s; size_t len; } string; /* NUL-terminated too */
		struct { struct json_value **items; size_t n; } array;
		struct { char **keys; struct json_value **values; size_t n; } object;
	} u;
};

/* Parse len bytes. Returns the tree, or NULL with e set to
 * "line L column C: what was wrong". Nesting is limited to 256 levels. */
struct json_value *json_parse(const char *text, size_t len, struct tl_error *e);

/* Read and parse a whole file; errors name the file. */
struct json_value *json_parse_file(const char *path, struct tl_error *e);

void json_free(struct json_value *v);

/* Member of an object by key, or NULL (also when v is not an object). */
const struct json_value *json_get(const struct json_value *v, const char *key);

/* Follow a dotted path of keys and array indices: "jobs.0.read.iops". */
const struct json_value *json_path(const struct json_value *v, const char *path);

/* Typed lookups by path; return false when missing or of another type. */
bool json_path_number(const struct json_value *v, const char *path, double *out);
const char *json_path_string(const struct json_value *v, const char *path);

#endif
