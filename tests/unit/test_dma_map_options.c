// SPDX-License-Identifier: GPL-2.0-only
/* dma-map's command line: defaults, every option, and bad input. */
#include <stdarg.h>
#include <string.h>

#include "tcelab/error.h"
#include "options.h"
#include "../argv.h"
#include "../ktap.h"

static int parse(struct options *o, struct tl_error *e, ...)
{
	char *argv[TEST_ARGV_MAX];
	va_list ap;
	int argc;

	va_start(ap, e);
	argc = test_argv(argv, "dma-map", ap);
	va_end(ap);
	return parse_options(argc, argv, o, e);
}

int main(void)
{
	struct options o;
	struct tl_error e;

	report(parse(&o, &e, "--device", "0001:00:00.0", NULL) == 0, "device alone is enough");
	report(o.iommu == VFIO_IOMMU_AUTO && o.iterations == 32 && o.batch == 16 && o.bind &&
		       o.nsizes == 13 && o.nshifts == 1 && o.page_shifts[0] == 12,
	       "defaults: auto IOMMU, 32 iterations, 4k-16m, 4 KiB pages, bind");
	report(o.patterns[PATTERN_PAIRS] && o.patterns[PATTERN_BULK] && o.patterns[PATTERN_CHURN],
	       "all patterns by default");

	report(parse(&o, &e, "--device=00:03.0", "--iommu=spapr-v2", "--sizes=64k,1m",
		     "--pattern=churn", "--iterations=5", "--batch=4", "--page-shift=12,16",
		     "--no-bind", "--json=/tmp/x.json", "--name=dm", NULL) == 0,
	       "every option parses");
	report(!strcmp(o.device, "0000:00:03.0") && o.iommu == VFIO_IOMMU_SPAPR_V2 &&
		       o.nsizes == 2 && o.sizes[1] == 1u << 20 && !o.patterns[PATTERN_PAIRS] &&
		       o.patterns[PATTERN_CHURN] && o.iterations == 5 && o.batch == 4 &&
		       o.nshifts == 2 && o.page_shifts[1] == 16 && !o.bind &&
		       !strcmp(o.json_path, "/tmp/x.json") && !strcmp(o.name, "dm"),
	       "...and lands in the right fields");

	report(parse(&o, &e, NULL) && strstr(e.msg, "--device"), "missing device is named");
	report(parse(&o, &e, "--device", "banana", NULL) && strstr(e.msg, "not a PCI address"),
	       "bad device address");
	report(parse(&o, &e, "--device", "0:0.0", "--iommu", "x86", NULL) &&
		       strstr(e.msg, "unknown IOMMU 'x86'"),
	       "unknown IOMMU");
	report(parse(&o, &e, "--device", "0:0.0", "--pattern", "pairs,zigzag", NULL) &&
		       strstr(e.msg, "zigzag"),
	       "unknown pattern is named");
	report(parse(&o, &e, "--device", "0:0.0", "--sizes", "6k", NULL) &&
		       strstr(e.msg, "multiple of 4 KiB"),
	       "a size that is not whole pages");
	report(parse(&o, &e, "--device", "0:0.0", "--iterations", "0", NULL) &&
		       strstr(e.msg, "--iterations"),
	       "zero iterations");
	report(parse(&o, &e, "--device", "0:0.0", "--page-shift", "11", NULL) &&
		       strstr(e.msg, "--page-shift"),
	       "page shift below 12");
	report(parse(&o, &e, "--device", "0:0.0", "extra", NULL) && strstr(e.msg, "extra"),
	       "stray argument");
	return report_summary();
}
