// SPDX-License-Identifier: GPL-2.0-only
#include "run_json.h"

#include "json_emit.h"
#include "run_data.h"
#include "tcelab/json_writer.h"

int run_json_print(FILE *f, const struct run_data *runs, size_t nruns, struct tl_error *e)
{
	struct json_writer w;

	jw_init(&w, f, true);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", REPORT_SCHEMA);
	jw_array_begin(&w, "runs");
	for (size_t r = 0; r < nruns; r++) {
		jw_object_begin(&w, NULL);
		json_emit(&w, "run", runs[r].run);
		jw_array_begin(&w, "results");
		for (size_t s = 0; s < runs[r].nsteps; s++)
			json_emit(&w, NULL, runs[r].steps[s].result);
		jw_array_end(&w);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	return jw_finish(&w, e);
}
