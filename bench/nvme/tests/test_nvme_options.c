// SPDX-License-Identifier: GPL-2.0-only
/* nvme-perf's command line: defaults, every option, and bad input. */
#include <stdarg.h>
#include <string.h>

#include "tcelab/error.h"
#include "options.h"
#include "argv.h"
#include "ktap.h"

static int parse(struct options *o, struct tl_error *e, ...)
{
	char *argv[TEST_ARGV_MAX];
	va_list ap;
	int argc;

	va_start(ap, e);
	argc = test_argv(argv, "nvme-perf", ap);
	va_end(ap);
	e->msg[0] = '\0';
	return parse_options(argc, argv, o, e);
}

#define D "--device", "0001:00:00.0"

int main(void)
{
	struct options o;
	struct tl_error e;

	report(parse(&o, &e, D, NULL) == 0, "device alone is enough");
	report(o.workload == WL_RANDREAD && o.bs == 4096 && o.qd == 32 && o.queues == 1 &&
		       o.time_s == 10 && o.ios == 0 && o.nsid == 1 && o.lba_start == 0 &&
		       o.lba_count == 0 && o.iommu == VFIO_IOMMU_AUTO && o.dma == DMA_PREMAPPED &&
		       o.batch == 1 && !o.verify && o.bind && !o.json_path &&
		       !strcmp(o.name, "nvme-perf"),
	       "defaults: randread 4k qd32, 1 queue, 10 s, nsid 1, whole namespace, premapped");

	report(parse(&o, &e, "--device=00:04.0", "--workload=mixed", "--rwmix-read=70",
		     "--bs=128k", "--qd=8", "--queues=2", "--ios=1000", "--nsid=2",
		     "--lba-range=2048:4096", "--iommu=spapr-v2", "--dma=map-batch=4",
		     "--json=/tmp/r.json", "--name=nv", "--no-bind", NULL) == 0,
	       "every option parses");
	report(!strcmp(o.device, "0000:00:04.0") && o.workload == WL_MIXED && o.rwmix_read == 70 &&
		       o.bs == 128 << 10 && o.qd == 8 && o.queues == 2 && o.ios == 1000 &&
		       o.nsid == 2 && o.lba_start == 2048 && o.lba_count == 4096 &&
		       o.iommu == VFIO_IOMMU_SPAPR_V2 && o.dma == DMA_MAP_BATCH && o.batch == 4 &&
		       !strcmp(o.json_path, "/tmp/r.json") && !strcmp(o.name, "nv") && !o.bind,
	       "...and lands in the right fields");
	report(parse(&o, &e, D, "--dma", "map-per-io", "--time", "0.5", NULL) == 0 &&
		       o.dma == DMA_MAP_PER_IO && o.batch == 1 && o.time_s == 0.5,
	       "map-per-io is a batch of 1; fractional --time");
	report(parse(&o, &e, D, "--verify", "--lba-range", "0:64", "--dma", "map-per-io", NULL) ==
			       0 && o.verify,
	       "--verify with a range and a DMA mode");
	for (int k = 0; k < WL_COUNT; k++)
		report(parse(&o, &e, D, "--workload", workload_names[k], NULL) == 0 &&
			       o.workload == (enum workload_kind)k,
		       "workload %s", workload_names[k]);

	report(parse(&o, &e, NULL) && strstr(e.msg, "--device"), "missing device is named");
	report(parse(&o, &e, "--device", "nvme0", NULL) && strstr(e.msg, "not a PCI address"),
	       "bad device address");
	report(parse(&o, &e, D, "--workload", "zigzag", NULL) && strstr(e.msg, "zigzag") &&
		       strstr(e.msg, "randread"),
	       "unknown workload is named, with the known ones");
	report(parse(&o, &e, D, "--rwmix-read", "101", "--workload", "mixed", NULL) &&
		       strstr(e.msg, "--rwmix-read"),
	       "--rwmix-read above 100");
	report(parse(&o, &e, D, "--rwmix-read", "30", NULL) && strstr(e.msg, "mixed"),
	       "--rwmix-read without mixed");
	report(parse(&o, &e, D, "--bs", "1000", NULL) && strstr(e.msg, "multiple of 512"),
	       "--bs not a multiple of 512");
	report(parse(&o, &e, D, "--bs", "lots", NULL) && strstr(e.msg, "--bs"), "--bs not a size");
	report(parse(&o, &e, D, "--qd", "0", NULL) && strstr(e.msg, "--qd"), "--qd 0");
	report(parse(&o, &e, D, "--qd", "5000", NULL) && strstr(e.msg, "4096"), "--qd too deep");
	report(parse(&o, &e, D, "--qd", "-1", NULL) && strstr(e.msg, "--qd"), "--qd negative");
	report(parse(&o, &e, D, "--queues", "0", NULL) && strstr(e.msg, "--queues"), "--queues 0");
	report(parse(&o, &e, D, "--time", "0", NULL) && strstr(e.msg, "--time"), "--time 0");
	report(parse(&o, &e, D, "--time", "5s", NULL) && strstr(e.msg, "'5s'"), "--time with a unit");
	report(parse(&o, &e, D, "--time", "5", "--ios", "100", NULL) && strstr(e.msg, "exclude"),
	       "--time and --ios together");
	report(parse(&o, &e, D, "--nsid", "0", NULL) && strstr(e.msg, "--nsid"), "--nsid 0");
	report(parse(&o, &e, D, "--nsid", "0xffffffff", NULL) && strstr(e.msg, "--nsid"),
	       "--nsid broadcast value");
	report(parse(&o, &e, D, "--lba-range", "100", NULL) && strstr(e.msg, "START:COUNT"),
	       "--lba-range without a colon");
	report(parse(&o, &e, D, "--lba-range", "100:0", NULL) && strstr(e.msg, "COUNT"),
	       "--lba-range of 0 blocks");
	report(parse(&o, &e, D, "--lba-range", "x:8", NULL) && strstr(e.msg, "START"),
	       "--lba-range with a bad start");
	report(parse(&o, &e, D, "--iommu", "amd", NULL) && strstr(e.msg, "unknown IOMMU 'amd'"),
	       "unknown IOMMU");
	report(parse(&o, &e, D, "--dma", "lazy", NULL) && strstr(e.msg, "'lazy'"), "unknown DMA mode");
	report(parse(&o, &e, D, "--dma", "map-batch=0", NULL) && strstr(e.msg, "map-batch"),
	       "map-batch=0");
	report(parse(&o, &e, D, "--dma", "map-batch=", NULL) && strstr(e.msg, "map-batch"),
	       "map-batch without N");
	report(parse(&o, &e, D, "--dma", "map-batch=64", "--qd", "16", NULL) &&
		       strstr(e.msg, "larger than --qd"),
	       "a batch larger than the queue depth");
	report(parse(&o, &e, D, "--verify", "--workload", "randwrite", NULL) &&
		       strstr(e.msg, "--verify"),
	       "--verify with a workload");
	report(parse(&o, &e, D, "--verify", "--time", "3", NULL) && strstr(e.msg, "--verify"),
	       "--verify with --time");
	report(parse(&o, &e, D, "--qd", NULL) && strstr(e.msg, "needs a value"),
	       "an option without its value");
	report(parse(&o, &e, D, "--turbo", NULL) && strstr(e.msg, "--turbo"), "unknown option named");
	report(parse(&o, &e, D, "extra", NULL) && strstr(e.msg, "extra"), "stray argument");
	return report_summary();
}
