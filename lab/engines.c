// SPDX-License-Identifier: GPL-2.0-only
#include "engines.h"

#include <string.h>

static const struct engine engines[] = {
	{ "dma-map", .normalize = normalize_suite_result, .output_where = suite_output_where },
	{ "nvme-perf", .normalize = normalize_suite_result, .output_where = suite_output_where },
	{ "fio", .job_file_arg = true, .normalize = normalize_fio },
	{ "iperf3", .needs_iperf_server = true, .normalize = normalize_iperf3 },
	{ "net-latency", .needs_udp_peer = true, .normalize = normalize_suite_result, .output_where = suite_output_where },
	{ "net-rate", .needs_udp_peer = true, .normalize = normalize_suite_result, .output_where = suite_output_where },
};

#define NENGINES (sizeof(engines) / sizeof(engines[0]))

const struct engine *engine_find(const char *name)
{
	for (size_t i = 0; i < NENGINES; i++)
		if (strcmp(engines[i].name, name) == 0)
			return &engines[i];
	return NULL;
}

const char *engine_names(void)
{
	static char names[256];

	if (!names[0])
		for (size_t i = 0; i < NENGINES; i++) {
			if (i)
				strcat(names, ", ");
			strcat(names, engines[i].name);
		}
	return names;
}
