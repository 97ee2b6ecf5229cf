// SPDX-License-Identifier: GPL-2.0-only
/* The JSON parser: valid documents, paths, and errors with positions. */
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "../ktap.h"

static bool rejects(const char *text, const char *where)
{
	struct tl_error e = { "" };
	struct json_value *v = json_parse(text, strlen(text), &e);

	json_free(v);
	if (v || !strstr(e.msg, where)) {
		report_info("'%s' -> %s", text, v ? "accepted" : e.msg);
		return false;
	}
	return true;
}

int main(void)
{
	const char *doc = "{ \"jobs\": [ { \"jobname\": \"r\", \"read\": { \"iops\": 1234.5,\n"
			  "  \"clat_ns\": { \"percentile\": { \"99.000000\": 8000 } } } } ],\n"
			  "  \"ok\": true, \"no\": false, \"nil\": null, \"e\": -1.5e3,\n"
			  "  \"u\": \"\\u00e9\\ud83d\\ude00\" }";
	struct tl_error e;
	struct json_value *v = json_parse(doc, strlen(doc), &e);
	double d;

	report(v && v->type == JSON_OBJECT, "a fio-shaped document parses");
	report(json_path_number(v, "jobs.0.read.iops", &d) && d == 1234.5,
	       "path through an array index");
	report(json_path_number(v, "jobs.0.read.clat_ns.percentile.99.000000", &d) == false,
	       "a key with dots is not reachable by path (expected)");
	report(json_get(json_path(v, "jobs.0.read.clat_ns.percentile"), "99.000000") &&
		       json_get(json_path(v, "jobs.0.read.clat_ns.percentile"), "99.000000")
				       ->u.number == 8000,
	       "json_get reaches keys with dots");
	report(json_path(v, "ok")->u.boolean == true && json_path(v, "no")->u.boolean == false,
	       "true and false");
	report(json_path(v, "nil")->type == JSON_NULL, "null");
	report(json_path_number(v, "e", &d) && d == -1500, "exponent");
	report(!strcmp(json_path_string(v, "u"), "\xc3\xa9\xf0\x9f\x98\x80"),
	       "\\u escapes and surrogate pairs decode to UTF-8");
	report(json_path(v, "jobs.1") == NULL && json_path(v, "missing.x") == NULL,
	       "missing paths give NULL");
	json_free(v);

	report(rejects("{\"a\": 1,}", "line 1 column 9"), "trailing comma: error with position");
	report(rejects("{\"a\": 1\n \"b\": 2}", "line 2 column 2"), "missing comma on line 2");
	report(rejects("[1, 2", "unexpected end"), "truncated array");
	report(rejects("{\"a\": \"x", "unterminated string"), "truncated string");
	report(rejects("01", "trailing text"), "leading zero");
	report(rejects("1.", "digit expected"), "bare decimal point");
	report(rejects("nul", "unknown literal"), "bad literal");
	report(rejects("\"\\x\"", "bad escape"), "bad escape");
	report(rejects("\"\\ud800\"", "surrogate"), "lone surrogate");
	report(rejects("{} {}", "trailing text"), "two documents");
	report(rejects("", "unexpected end"), "empty input");
	report(rejects("\"a\x01\"", "control character"), "raw control character in string");
	{
		char deep[600];

		memset(deep, '[', 300);
		deep[300] = '\0';
		report(rejects(deep, "nesting deeper"), "nesting is bounded");
	}
	return report_summary();
}
