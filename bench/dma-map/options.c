// SPDX-License-Identifier: GPL-2.0-only
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"
#include "tcelab/size.h"
#include "options.h"


/* Every option, documented where it is defined. */
static const struct option long_options[] = {
	/* PCI address of the device whose IOMMU group is used (required) */
	{ "device", required_argument, NULL, 'd' },
	/* IOMMU backend: auto, spapr-v1, spapr-v2, type1 (default auto) */
	{ "iommu", required_argument, NULL, 'i' },
	/* mapping sizes: list and/or doubling ranges (default 4k-16m) */
	{ "sizes", required_argument, NULL, 's' },
	/* IOMMU page shifts, e.g. 12,16,24; other than 12 needs spapr-v2,
	 * which then replaces the default window by one of that page size
	 * (default 12: the default window's 4 KiB pages) */
	{ "page-shift", required_argument, NULL, 'p' },
	/* patterns: pairs, bulk, churn, or all (default all) */
	{ "pattern", required_argument, NULL, 'P' },
	/* timed map calls (and unmap calls) per size and pattern (default 32) */
	{ "iterations", required_argument, NULL, 'n' },
	/* untimed map/unmap pairs before each cell: the first calls of a
	 * process pay for page faults and table allocation (default 2) */
	{ "warmup", required_argument, NULL, 'w' },
	/* bulk: buffers mapped before unmapping; churn: ring length (default 16) */
	{ "batch", required_argument, NULL, 'b' },
	/* write the result JSON here (docs/result-json.md) */
	{ "json", required_argument, NULL, 'j' },
	/* workload name in the result (default dma-map) */
	{ "name", required_argument, NULL, 'N' },
	/* the device is already bound to vfio-pci: do not touch its driver */
	{ "no-bind", no_argument, NULL, 'B' },
	/* leave raw samples out of the JSON (summaries only) */
	{ "summary-only", no_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

void usage(FILE *f)
{
	fprintf(f,
		"usage: dma-map --device ADDR [--iommu auto|spapr-v1|spapr-v2|type1]\n"
		"               [--sizes 4k-16m] [--page-shift 12[,16,...]]\n"
		"               [--pattern pairs,bulk,churn|all] [--iterations 32] [--warmup 2]\n"
		"               [--batch 16]\n"
		"               [--json FILE] [--name NAME] [--no-bind] [--summary-only]\n");
}

static int parse_patterns(const char *text, bool *on, struct tl_error *e)
{
	char buf[128], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", text);
	memset(on, 0, sizeof(bool) * PATTERN_COUNT);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int p;

		if (!strcmp(tok, "all")) {
			for (p = 0; p < PATTERN_COUNT; p++)
				on[p] = true;
			continue;
		}
		for (p = 0; p < PATTERN_COUNT && strcmp(tok, pattern_names[p]); p++)
			;
		if (p == PATTERN_COUNT)
			return tl_err(e, "--pattern: unknown pattern '%s' (known: pairs, bulk, churn, all)",
				      tok);
		on[p] = true;
	}
	return 0;
}

static int parse_shifts(const char *text, struct options *o, struct tl_error *e)
{
	char buf[128], *save, *tok, *end;

	snprintf(buf, sizeof(buf), "%s", text);
	o->nshifts = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long s = strtoul(tok, &end, 10);

		if (*end || s < 12 || s > 34)
			return tl_err(e, "--page-shift: '%s' is not a page shift from 12 to 34", tok);
		if (o->nshifts == MAX_SHIFTS)
			return tl_err(e, "--page-shift: more than %d shifts", MAX_SHIFTS);
		o->page_shifts[o->nshifts++] = (unsigned)s;
	}
	return o->nshifts ? 0 : tl_err(e, "--page-shift: empty list");
}

int parse_options(int argc, char **argv, struct options *o, struct tl_error *e)
{
	int c;

	*o = (struct options){ .iterations = 32, .warmup = 2, .batch = 16, .name = "dma-map", .bind = true,
			       .keep_samples = true, .page_shifts = { 12 }, .nshifts = 1 };
	for (int p = 0; p < PATTERN_COUNT; p++)
		o->patterns[p] = true;
	if (size_list_parse("4k-16m", o->sizes, MAX_SIZES, &o->nsizes, "--sizes", e))
		return -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:i:s:p:P:n:w:b:j:N:BSh", long_options, NULL)) != -1) {
		int ret = 0;

		switch (c) {
		case 'd': ret = pci_addr_parse(optarg, o->device, e); break;
		case 'i': ret = vfio_iommu_parse(optarg, &o->iommu, e); break;
		case 's': ret = size_list_parse(optarg, o->sizes, MAX_SIZES, &o->nsizes, "--sizes", e); break;
		case 'p': ret = parse_shifts(optarg, o, e); break;
		case 'P': ret = parse_patterns(optarg, o->patterns, e); break;
		case 'n': ret = parse_size_t(optarg, "--iterations", 1, 1000000, &o->iterations, e); break;
		case 'w': ret = parse_size_t(optarg, "--warmup", 0, 1000000, &o->warmup, e); break;
		case 'b': ret = parse_size_t(optarg, "--batch", 1, 1000000, &o->batch, e); break;
		case 'j': o->json_path = optarg; break;
		case 'N': o->name = optarg; break;
		case 'B': o->bind = false; break;
		case 'S': o->keep_samples = false; break;
		case 'h': usage(stdout); exit(0);
		default: return tl_err(e, "unknown option (see --help)");
		}
		if (ret)
			return -1;
	}
	if (optind < argc)
		return tl_err(e, "unexpected argument '%s'", argv[optind]);
	if (!o->device[0])
		return tl_err(e, "--device ADDR is required");
	for (size_t i = 0; i < o->nsizes; i++)
		if (o->sizes[i] & 4095)
			return tl_err(e, "--sizes: %llu is not a multiple of 4 KiB",
				      (unsigned long long)o->sizes[i]);
	return 0;
}


uint64_t largest_size(const struct options *o)
{
	uint64_t max = 0;

	for (size_t i = 0; i < o->nsizes; i++)
		if (o->sizes[i] > max)
			max = o->sizes[i];
	return max;
}
