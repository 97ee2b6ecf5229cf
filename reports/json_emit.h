/* SPDX-License-Identifier: GPL-2.0-only */
/* Write a parsed JSON tree back out through a json_writer. */
#ifndef REPORT_JSON_EMIT_H
#define REPORT_JSON_EMIT_H

#include "tcelab/json.h"
#include "tcelab/json_writer.h"

/* key: the member name inside an object, NULL inside an array or at the top. */
void json_emit(struct json_writer *w, const char *key, const struct json_value *v);

#endif
