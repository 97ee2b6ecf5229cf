// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json_writer.h"

void jw_init(struct json_writer *w, FILE *f, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
}

static void misuse(struct json_writer *w, const char *what)
{
	if (!w->error[0])
		snprintf(w->error, sizeof(w->error), "%s", what);
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void newline(struct json_writer *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Separator, indentation and key before any value; false on misuse. */
static bool before_value(struct json_writer *w, const char *key)
{
	bool in_object = w->depth > 0 && w->in_object[w->depth - 1];

	if (w->depth == 0 && w->has_items[0]) {
		misuse(w, "second value at the top level");
		return false;
	}
	if (in_object && !key) {
		misuse(w, "value without a key inside an object");
		return false;
	}
	if (!in_object && key) {
		misuse(w, "key given outside an object");
		return false;
	}
	if (w->depth > 0) {
		if (w->has_items[w->depth])
			fputc(',', w->f);
		newline(w);
	}
	w->has_items[w->depth] = true;
	if (key) {
		put_string(w->f, key);
		fputs(w->pretty ? ": " : ":", w->f);
	}
	return true;
}

static void open_container(struct json_writer *w, const char *key, bool object)
{
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		misuse(w, "nesting deeper than JW_MAX_DEPTH");
		return;
	}
	if (!before_value(w, key))
		return;
	fputc(object ? '{' : '[', w->f);
	w->in_object[w->depth] = object;
	w->depth++;
	w->has_items[w->depth] = false;
}

static void close_container(struct json_writer *w, bool object)
{
	if (w->depth == 0 || w->in_object[w->depth - 1] != object) {
		misuse(w, object ? "object end without its begin" : "array end without its begin");
		return;
	}
	w->depth--;
	if (w->has_items[w->depth + 1])
		newline(w);
	fputc(object ? '}' : ']', w->f);
}

void jw_object_begin(struct json_writer *w, const char *key) { open_container(w, key, true); }
void jw_object_end(struct json_writer *w) { close_container(w, true); }
void jw_array_begin(struct json_writer *w, const char *key) { open_container(w, key, false); }
void jw_array_end(struct json_writer *w) { close_container(w, false); }

void jw_string(struct json_writer *w, const char *key, const char *value)
{
	if (!before_value(w, key))
		return;
	if (value)
		put_string(w->f, value);
	else
		fputs("null", w->f);
}

void jw_int(struct json_writer *w, const char *key, int64_t value)
{
	if (before_value(w, key))
		fprintf(w->f, "%" PRId64, value);
}

void jw_uint(struct json_writer *w, const char *key, uint64_t value)
{
	if (before_value(w, key))
		fprintf(w->f, "%" PRIu64, value);
}

void jw_double(struct json_writer *w, const char *key, double value)
{
	char buf[32];

	if (!before_value(w, key))
		return;
	if (!isfinite(value)) {
		fputs("null", w->f);
		return;
	}
	/* shortest of %.15g/%.17g that reads back exactly */
	snprintf(buf, sizeof(buf), "%.15g", value);
	if (strtod(buf, NULL) != value)
		snprintf(buf, sizeof(buf), "%.17g", value);
	fputs(buf, w->f);
}

void jw_bool(struct json_writer *w, const char *key, bool value)
{
	if (before_value(w, key))
		fputs(value ? "true" : "false", w->f);
}

void jw_null(struct json_writer *w, const char *key)
{
	if (before_value(w, key))
		fputs("null", w->f);
}

int jw_finish(struct json_writer *w, struct tl_error *e)
{
	if (w->error[0])
		return tl_err(e, "JSON writer misuse: %s", w->error);
	if (w->depth != 0)
		return tl_err(e, "JSON writer misuse: %d container(s) left open", w->depth);
	if (w->pretty)
		fputc('\n', w->f);
	if (fflush(w->f) || ferror(w->f))
		return tl_err_errno(e, "writing JSON");
	return 0;
}
