// SPDX-License-Identifier: GPL-2.0-only
/* The JSON writer: exact output, escaping, misuse caught, round trip. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"
#include "../ktap.h"

/* Run fn with a writer on a memory stream; return what it wrote. */
static char *written(void (*fn)(struct json_writer *), bool pretty, int *finish)
{
	struct json_writer w;
	struct tl_error e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jw_init(&w, f, pretty);
	fn(&w);
	*finish = jw_finish(&w, &e);
	fclose(f);
	return buf;
}

static void doc(struct json_writer *w)
{
	jw_object_begin(w, NULL);
	jw_string(w, "s", "a\"b\\c\n\t\x01");
	jw_int(w, "i", -42);
	jw_uint(w, "u", 18446744073709551615ull);
	jw_double(w, "d", 0.1);
	jw_double(w, "nan", NAN);
	jw_bool(w, "t", true);
	jw_null(w, "n");
	jw_array_begin(w, "a");
	jw_int(w, NULL, 1);
	jw_object_begin(w, NULL);
	jw_object_end(w);
	jw_array_begin(w, NULL);
	jw_array_end(w);
	jw_array_end(w);
	jw_object_end(w);
}

static void key_in_array(struct json_writer *w)
{
	jw_array_begin(w, NULL);
	jw_int(w, "oops", 1);
	jw_array_end(w);
}

static void no_key_in_object(struct json_writer *w)
{
	jw_object_begin(w, NULL);
	jw_int(w, NULL, 1);
	jw_object_end(w);
}

static void unbalanced(struct json_writer *w)
{
	jw_object_begin(w, NULL);
	jw_array_begin(w, "x");
	jw_object_end(w);
}

static void left_open(struct json_writer *w)
{
	jw_array_begin(w, NULL);
}

int main(void)
{
	int fin;
	char *out = written(doc, false, &fin);
	const char *expect = "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"i\":-42,"
			     "\"u\":18446744073709551615,\"d\":0.1,\"nan\":null,\"t\":true,"
			     "\"n\":null,\"a\":[1,{},[]]}";
	struct json_value *v;
	struct tl_error e;
	double d;

	report(fin == 0, "a well-formed document finishes cleanly");
	report(!strcmp(out, expect), "compact output is exact");
	if (strcmp(out, expect))
		report_info("got %s", out);

	v = json_parse(out, strlen(out), &e);
	report(v != NULL, "the parser reads the writer's output back");
	report(v && !strcmp(json_path_string(v, "s"), "a\"b\\c\n\t\x01"),
	       "escaped string round-trips");
	report(v && json_path_number(v, "d", &d) && d == 0.1, "0.1 round-trips exactly");
	report(v && json_path(v, "nan")->type == JSON_NULL, "NaN is written as null");
	json_free(v);
	free(out);

	out = written(doc, true, &fin);
	v = json_parse(out, strlen(out), &e);
	report(fin == 0 && v && strchr(out, '\n'), "pretty output is multi-line and still parses");
	json_free(v);
	free(out);

	free(written(key_in_array, false, &fin));
	report(fin != 0, "a key inside an array is refused");
	free(written(no_key_in_object, false, &fin));
	report(fin != 0, "a value without a key inside an object is refused");
	free(written(unbalanced, false, &fin));
	report(fin != 0, "ending an object that is not open is refused");
	free(written(left_open, false, &fin));
	report(fin != 0, "a container left open is refused");
	return report_summary();
}
