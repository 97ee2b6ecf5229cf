// SPDX-License-Identifier: GPL-2.0-only
#include "json_emit.h"

#include <math.h>

/* Integral values stay integers on the way out: 4194304, not 4194304.0. */
static void emit_number(struct json_writer *w, const char *key, double v)
{
	if (isfinite(v) && v == trunc(v) && fabs(v) < 9007199254740992.0 /* 2^53 */)
		jw_int(w, key, (int64_t)v);
	else
		jw_double(w, key, v);
}

void json_emit(struct json_writer *w, const char *key, const struct json_value *v)
{
	if (!v) {
		jw_null(w, key);
		return;
	}
	switch (v->type) {
	case JSON_NULL:
		jw_null(w, key);
		break;
	case JSON_BOOL:
		jw_bool(w, key, v->u.boolean);
		break;
	case JSON_NUMBER:
		emit_number(w, key, v->u.number);
		break;
	case JSON_STRING:
		jw_string(w, key, v->u.string.s);
		break;
	case JSON_ARRAY:
		jw_array_begin(w, key);
		for (size_t i = 0; i < v->u.array.n; i++)
			json_emit(w, NULL, v->u.array.items[i]);
		jw_array_end(w);
		break;
	case JSON_OBJECT:
		jw_object_begin(w, key);
		for (size_t i = 0; i < v->u.object.n; i++)
			json_emit(w, v->u.object.keys[i], v->u.object.values[i]);
		jw_object_end(w);
		break;
	}
}
