/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A streaming JSON writer: no tree is built, values go straight to a FILE.
 * Inside an object every value needs a key; inside an array or at the top
 * level the key must be NULL. Misuse (a key where none belongs, unbalanced
 * ends, nesting deeper than JW_MAX_DEPTH) and I/O errors are latched and
 * reported once by jw_finish(). Non-finite doubles are written as null:
 * JSON has no NaN.
 */
#ifndef TCELAB_JSON_WRITER_H
#define TCELAB_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 32

struct tl_error;

struct json_writer {
	FILE *f;
	bool pretty;
	int depth;
	bool in_object[JW_MAX_DEPTH];
	bool has_items[JW_MAX_DEPTH];
	char error[160]; /* first misuse, empty if none */
};

void jw_init(struct json_writer *w, FILE *f, bool pretty);

void jw_object_begin(struct json_writer *w, const char *key);
void jw_object_end(struct json_writer *w);
void jw_array_begin(struct json_writer *w, const char *key);
void jw_array_end(struct json_writer *w);

void jw_string(struct json_writer *w, const char *key, const char *value); /* NULL → null */
void jw_int(struct json_writer *w, const char *key, int64_t value);
void jw_uint(struct json_writer *w, const char *key, uint64_t value);
void jw_double(struct json_writer *w, const char *key, double value);
void jw_bool(struct json_writer *w, const char *key, bool value);
void jw_null(struct json_writer *w, const char *key);

/* Check balance and flush. Returns 0, or -1 with e saying what went wrong. */
int jw_finish(struct json_writer *w, struct tl_error *e);

#endif
