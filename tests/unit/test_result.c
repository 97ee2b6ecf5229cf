// SPDX-License-Identifier: GPL-2.0-only
/* The result schema: where-measured detection and a document read back. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/result.h"
#include "../ktap.h"

static const char pseries_cpuinfo[] =
	"processor\t: 0\ncpu\t\t: POWER10 (architected), altivec supported\n"
	"clock\t\t: 1000.000000MHz\nrevision\t: 2.0 (pvr 0080 1200)\n\n"
	"timebase\t: 512000000\nplatform\t: pSeries\n"
	"model\t\t: IBM pSeries (emulated by qemu)\n"
	"machine\t\t: CHRP IBM pSeries (emulated by qemu)\nMMU\t\t: Radix\n";

static const char x86_cpuinfo[] = "processor\t: 0\ncpu family\t: 6\n"
				  "model name\t: Intel(R) Xeon(R) CPU\nmodel\t\t: 85\n";

int main(void)
{
	struct result_where w;
	struct json_writer jw;
	struct json_value *v;
	struct tl_error e;
	const double samples[] = { 3, 1, 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	double d;

	result_where_from(&w, pseries_cpuinfo, "6.12.95+deb12-powerpc64le", NULL, "pseries-tcg",
			  "emulated");
	report(!strcmp(w.environment, "emulated"), "QEMU's cpuinfo marks the result emulated");
	report(!strcmp(w.machine, "CHRP IBM pSeries (emulated by qemu)"), "machine line");
	report(!strncmp(w.cpu, "POWER10", 7), "cpu line (got '%s')", w.cpu);
	report(!strcmp(w.kernel, "6.12.95+deb12-powerpc64le") && !strcmp(w.host_kind, "pseries-tcg"),
	       "kernel and host kind");

	result_where_from(&w, x86_cpuinfo, "6.1.0", "hardware", NULL, NULL);
	report(!strcmp(w.environment, "hardware"), "the runner's word overrides detection");
	report(!strcmp(w.cpu, "Intel(R) Xeon(R) CPU"), "x86: cpu from 'model name', not 'cpu family'");
	report(!strcmp(w.machine, "unknown"), "x86: the numeric 'model' line names no machine");
	report(!strcmp(w.host_kind, "unknown") && !strcmp(w.tce_mode, "unknown"),
	       "what is not known says unknown");

	result_where_from(&w, NULL, NULL, NULL, NULL, NULL);
	report(!strcmp(w.environment, "unknown"), "no cpuinfo, no claim of emulation or hardware");

	f = open_memstream(&buf, &len);
	jw_init(&jw, f, true);
	result_where_from(&w, pseries_cpuinfo, "6.12", NULL, "pseries-tcg", "emulated");
	result_begin(&jw, "dma-map", "dma-map-v1", &w);
	jw_object_begin(&jw, "parameters");
	jw_string(&jw, "iommu", "spapr-v1");
	jw_object_end(&jw);
	result_metrics_begin(&jw);
	result_metric_begin(&jw, "map_ns_per_call", "ns", RESULT_LOWER_IS_BETTER);
	result_metric_samples(&jw, samples, 3, true);
	result_metric_end(&jw);
	result_metrics_end(&jw);
	result_end(&jw, "passed", NULL, 0);
	report(jw_finish(&jw, &e) == 0, "result document is balanced");
	fclose(f);

	v = json_parse(buf, len, &e);
	report(v != NULL, "result document parses");
	report(!strcmp(json_path_string(v, "schema"), RESULT_SCHEMA) &&
		       !strcmp(json_path_string(v, "tool"), "dma-map") &&
		       !strcmp(json_path_string(v, "version"), TCELAB_VERSION),
	       "schema, tool and version");
	report(!strcmp(json_path_string(v, "where.environment"), "emulated") &&
		       !strcmp(json_path_string(v, "where.tce_mode"), "emulated"),
	       "where block");
	report(json_path_number(v, "metrics.0.summary.median", &d) && d == 2,
	       "summary median of 3,1,2 is 2");
	report(json_path_number(v, "metrics.0.samples.0", &d) && d == 3,
	       "samples kept in measurement order");
	report(!strcmp(json_path_string(v, "metrics.0.better"), "lower") &&
		       !strcmp(json_path_string(v, "metrics.0.unit"), "ns"),
	       "direction and unit");
	report(!strcmp(json_path_string(v, "status"), "passed") &&
		       json_path(v, "errors")->u.array.n == 0,
	       "status and empty errors");
	json_free(v);
	free(buf);

	{
		struct result_file rf;
		const char *errs[] = { "one thing went wrong" };
		char path[] = "/tmp/tcelab-test-result-XXXXXX";
		char file[64], tmp[80];
		int fd = mkstemp(path);

		close(fd);
		unlink(path);
		snprintf(file, sizeof(file), "%s.json", path);
		snprintf(tmp, sizeof(tmp), "%s.tmp", file);
		report(result_file_begin(&rf, file, "dma-map", "atomic", &e) == 0 &&
			       access(file, F_OK) != 0 && access(tmp, F_OK) == 0,
		       "result_file: written beside the target until complete");
		result_metrics_begin(&rf.w);
		result_metrics_end(&rf.w);
		report(result_file_end(&rf, errs, 1, &e) == 0 && access(tmp, F_OK) != 0,
		       "result_file: renamed into place");
		v = json_parse_file(file, &e);
		report(v && !strcmp(json_path_string(v, "status") ?: "", "failed") &&
			       !strcmp(json_path_string(v, "errors.0") ?: "", errs[0]),
		       "result_file: errors make the status failed");
		json_free(v);
		unlink(file);
		report(result_file_begin(&rf, "/nonexistent-dir/x.json", "t", "n", &e) &&
			       strstr(e.msg, "/nonexistent-dir/x.json.tmp"),
		       "result_file: an unwritable place is named");
	}
	return report_summary();
}
