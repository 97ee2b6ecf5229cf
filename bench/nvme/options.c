// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/parse.h"
#include "tcelab/size.h"
#include "options.h"

/* Every option, documented where it is defined. */
static const struct option long_options[] = {
	/* PCI address of the NVMe controller (required); it is bound to
	 * vfio-pci with driver_override unless --no-bind */
	{ "device", required_argument, NULL, 'd' },
	/* randread, randwrite, read, write (sequential) or mixed (random,
	 * --rwmix-read percent reads) (default randread) */
	{ "workload", required_argument, NULL, 'w' },
	/* mixed: percentage of reads, 0 to 100 (default 50) */
	{ "rwmix-read", required_argument, NULL, 'M' },
	/* bytes per I/O, a multiple of the LBA size, at most the controller's
	 * MDTS; 4k, 128k, ... (default 4k) */
	{ "bs", required_argument, NULL, 'b' },
	/* commands in flight per queue, 1 to 4096 and at most CAP.MQES
	 * (default 32) */
	{ "qd", required_argument, NULL, 'q' },
	/* I/O queue pairs, 1 to 1024 and at most what the controller grants;
	 * all driven round-robin from one thread (default 1) */
	{ "queues", required_argument, NULL, 'Q' },
	/* run for this many seconds, fractions allowed (default 10) */
	{ "time", required_argument, NULL, 't' },
	/* run this many I/Os instead of for a time */
	{ "ios", required_argument, NULL, 'n' },
	/* namespace ID (default 1) */
	{ "nsid", required_argument, NULL, 'N' },
	/* START:COUNT logical blocks to confine I/O to (default: the whole
	 * namespace) */
	{ "lba-range", required_argument, NULL, 'r' },
	/* IOMMU backend: auto, spapr-v1, spapr-v2, type1 (default auto) */
	{ "iommu", required_argument, NULL, 'i' },
	/* premapped: data buffers mapped once at start; map-per-io: each I/O
	 * maps its buffer before submission and unmaps it after completion;
	 * map-batch=N: N buffers per map call, unmapped in one call once all
	 * N have completed (default premapped). Queues and PRP lists are
	 * always mapped once. */
	{ "dma", required_argument, NULL, 'D' },
	/* instead of a workload: write a pattern over the LBA range, read it
	 * back and compare; fails naming the first mismatching LBA and offset */
	{ "verify", no_argument, NULL, 'V' },
	/* write the result JSON here */
	{ "json", required_argument, NULL, 'j' },
	/* workload name in the result (default nvme-perf) */
	{ "name", required_argument, NULL, 'T' },
	/* the device is already bound to vfio-pci: do not touch its driver */
	{ "no-bind", no_argument, NULL, 'B' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

void usage(FILE *f)
{
	fprintf(f,
		"usage: nvme-perf --device ADDR\n"
		"                 [--workload randread|randwrite|read|write|mixed] [--rwmix-read PCT]\n"
		"                 [--bs SIZE] [--qd N] [--queues N] [--time SECS | --ios N]\n"
		"                 [--nsid N] [--lba-range START:COUNT]\n"
		"                 [--iommu auto|spapr-v1|spapr-v2|type1]\n"
		"                 [--dma premapped|map-per-io|map-batch=N] [--verify]\n"
		"                 [--json FILE] [--name NAME] [--no-bind]\n");
}

static int parse_range(const char *text, struct options *o, struct tl_error *e)
{
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", text);
	colon = strchr(buf, ':');
	if (!colon)
		return tl_err(e, "--lba-range: '%s' is not START:COUNT", text);
	*colon = '\0';
	if (parse_u64(buf, "--lba-range START", 0, UINT64_MAX / 2, &o->lba_start, e) ||
	    parse_u64(colon + 1, "--lba-range COUNT", 1, UINT64_MAX / 2, &o->lba_count, e))
		return -1;
	return 0;
}

static int parse_dma(const char *text, struct options *o, struct tl_error *e)
{
	if (!strcmp(text, "premapped")) {
		o->dma = DMA_PREMAPPED;
		o->batch = 1;
	} else if (!strcmp(text, "map-per-io")) {
		o->dma = DMA_MAP_PER_IO;
		o->batch = 1;
	} else if (!strncmp(text, "map-batch=", 10)) {
		o->dma = DMA_MAP_BATCH;
		return parse_unsigned(text + 10, "--dma map-batch=N", 1, 4096, &o->batch, e);
	} else {
		return tl_err(e, "--dma: unknown mode '%s' (known: premapped, map-per-io, "
				 "map-batch=N)", text);
	}
	return 0;
}

int parse_options(int argc, char **argv, struct options *o, struct tl_error *e)
{
	bool time_set = false, mix_set = false, workload_set = false;
	uint64_t nsid = 1;
	int c;

	*o = (struct options){ .workload = WL_RANDREAD, .rwmix_read = 50, .bs = 4096, .qd = 32,
			       .queues = 1, .time_s = 10, .nsid = 1, .dma = DMA_PREMAPPED,
			       .batch = 1, .name = "nvme-perf", .bind = true };
	optind = 1; /* ":" first in the option string: getopt reports, we print */
	while ((c = getopt_long(argc, argv, ":d:w:M:b:q:Q:t:n:N:r:i:D:Vj:T:Bh", long_options,
				NULL)) != -1) {
		int ret = 0;

		switch (c) {
		case 'd': ret = pci_addr_parse(optarg, o->device, e); break;
		case 'w': ret = workload_parse(optarg, &o->workload, e); workload_set = true; break;
		case 'M': ret = parse_unsigned(optarg, "--rwmix-read", 0, 100, &o->rwmix_read, e);
			  mix_set = true; break;
		case 'b': ret = size_parse(optarg, &o->bs, "--bs", e); break;
		case 'q': ret = parse_unsigned(optarg, "--qd", 1, 4096, &o->qd, e); break;
		case 'Q': ret = parse_unsigned(optarg, "--queues", 1, 1024, &o->queues, e); break;
		case 't': ret = parse_seconds(optarg, "--time", 86400, &o->time_s, e); time_set = true; break;
		case 'n': ret = parse_u64(optarg, "--ios", 1, UINT64_MAX / 2, &o->ios, e); break;
		case 'N': ret = parse_u64(optarg, "--nsid", 1, 0xfffffffe, &nsid, e);
			  o->nsid = (uint32_t)nsid; break;
		case 'r': ret = parse_range(optarg, o, e); break;
		case 'i': ret = vfio_iommu_parse(optarg, &o->iommu, e); break;
		case 'D': ret = parse_dma(optarg, o, e); break;
		case 'V': o->verify = true; break;
		case 'j': o->json_path = optarg; break;
		case 'T': o->name = optarg; break;
		case 'B': o->bind = false; break;
		case 'h': usage(stdout); exit(0);
		case ':': return tl_err(e, "%s needs a value", argv[optind - 1]);
		default: return tl_err(e, "unknown option '%s' (see --help)", argv[optind - 1]);
		}
		if (ret)
			return -1;
	}
	if (optind < argc)
		return tl_err(e, "unexpected argument '%s'", argv[optind]);
	if (!o->device[0])
		return tl_err(e, "--device ADDR is required");
	if (time_set && o->ios)
		return tl_err(e, "--time and --ios exclude each other: give one");
	if (mix_set && o->workload != WL_MIXED)
		return tl_err(e, "--rwmix-read applies to --workload mixed only");
	if (o->verify && (workload_set || time_set || o->ios))
		return tl_err(e, "--verify is a workload of its own (one write pass and one read "
				 "pass over --lba-range): drop --workload, --time and --ios");
	if (o->bs == 0 || o->bs % 512 || o->bs > (64u << 20))
		return tl_err(e, "--bs: %" PRIu64 " is not a multiple of 512 bytes up to 64 MiB",
			      o->bs);
	if (o->batch > o->qd)
		return tl_err(e, "--dma map-batch=%u: a batch cannot be larger than --qd %u",
			      o->batch, o->qd);
	return 0;
}
