// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma-map: the cost of VFIO_IOMMU_MAP_DMA / UNMAP_DMA, per call and per
 * TCE (IOMMU page), over mapping sizes, IOMMU page sizes, IOMMU backends
 * and access patterns. In a POWER guest every TCE update is a hypercall
 * (H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE), so this is the guest-side
 * view of how the host handles them.
 *
 * The device is only used for its IOMMU group: nothing is read or written
 * through it. It is bound to vfio-pci first, with driver_override, unless
 * it is in use by the host (mounted, swap, default route).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/json_writer.h"
#include "tcelab/pci.h"
#include "tcelab/result.h"
#include "tcelab/size.h"
#include "tcelab/stats.h"
#include "tcelab/timing.h"
#include "dma-map.h"
#include "options.h"

/* One measured cell: a pattern at a size and page shift. */
struct cell {
	enum pattern pattern;
	uint64_t size;
	unsigned page_shift;
	struct map_samples s;
};

struct run {
	struct cell *cells;
	size_t ncells;
	char **errors;
	size_t nerrors;
	double register_ns; /* v2 pre-registration of the buffer, once */
	bool hugepages;     /* the buffer is backed by huge pages */
};

static void add_error(struct run *r, const char *msg)
{
	char **grown = realloc(r->errors, (r->nerrors + 1) * sizeof(*grown));

	if (grown) {
		r->errors = grown;
		r->errors[r->nerrors++] = strdup(msg);
	}
	fprintf(stderr, "dma-map: %s\n", msg);
}

/*
 * The window to map into at a page shift: the default 32-bit window for
 * 4 KiB pages, else (v2) a new window replacing it, sized for the largest
 * batch of the largest mapping.
 */
static int prepare_window(struct vfio_dev *d, unsigned shift, uint64_t span, uint64_t *cur_start,
			  struct map_target *t, struct tl_error *e)
{
	uint64_t size = 1ull << 24;

	if (d->iommu == VFIO_IOMMU_TYPE1) {
		t->iova_base = 1ull << 32; /* any IOVA: stay clear of low MMIO */
		t->iova_size = span;
		return 0;
	}
	if (shift == 12 && *cur_start == d->dma32.start) {
		t->iova_base = d->dma32.start;
		t->iova_size = d->dma32.size;
		return 0;
	}
	if (d->iommu != VFIO_IOMMU_SPAPR_V2)
		return tl_err(e, "page shift %u needs a new DMA window, which needs --iommu spapr-v2",
			      shift);
	while (size < span)
		size <<= 1;
	if (vfio_spapr_window_remove(d, *cur_start, e))
		return -1;
	if (vfio_spapr_window_create(d, shift, size, 0, cur_start, e))
		return -1;
	t->iova_base = *cur_start;
	t->iova_size = size;
	return 0;
}

static void print_cell(const struct cell *c, const char *iommu)
{
	struct stats_summary m, u;
	double tces = (double)(c->size >> c->page_shift);
	char sz[24];

	stats_summarize(c->s.map_ns, c->s.n, &m);
	stats_summarize(c->s.unmap_ns, c->s.n, &u);
	printf("%-9s %-6s %6s 2^%-2u  map %10.2f us (p99 %10.2f)  unmap %10.2f us  "
	       "per TCE: map %8.3f us unmap %8.3f us\n",
	       iommu, pattern_names[c->pattern], size_format(c->size, sz, sizeof(sz)), c->page_shift,
	       m.median / 1e3, m.p99 / 1e3, u.median / 1e3, m.median / tces / 1e3,
	       u.median / tces / 1e3);
}

static void write_metric(struct json_writer *w, const struct cell *c, const char *iommu,
			 const char *metric, const double *ns, double divisor, bool keep)
{
	double *v = malloc(c->s.n * sizeof(double));

	if (!v)
		return;
	for (size_t i = 0; i < c->s.n; i++)
		v[i] = ns[i] / divisor;
	result_metric_begin(w, metric, "ns", RESULT_LOWER_IS_BETTER);
	jw_object_begin(w, "labels");
	jw_string(w, "pattern", pattern_names[c->pattern]);
	jw_uint(w, "size", c->size);
	jw_uint(w, "page_size", 1ull << c->page_shift);
	jw_string(w, "iommu", iommu);
	jw_object_end(w);
	result_metric_samples(w, v, c->s.n, keep);
	result_metric_end(w);
	free(v);
}

static int write_json(const struct options *o, const struct run *r, const char *iommu,
		      struct tl_error *e)
{
	struct result_file rf;
	struct json_writer *w = &rf.w;

	if (result_file_begin(&rf, o->json_path, "dma-map", o->name, e))
		return -1;
	jw_object_begin(w, "parameters");
	jw_string(w, "device", o->device);
	jw_string(w, "iommu", iommu);
	jw_uint(w, "iterations", o->iterations);
	jw_uint(w, "warmup", o->warmup);
	jw_bool(w, "hugepages", r->hugepages);
	jw_uint(w, "batch", o->batch);
	jw_string(w, "clock", timing_source());
	jw_uint(w, "clock_hz", timing_hz());
	jw_object_end(w);
	result_metrics_begin(w);
	for (size_t i = 0; i < r->ncells; i++) {
		const struct cell *c = &r->cells[i];
		double tces = (double)(c->size >> c->page_shift);

		write_metric(w, c, iommu, "map_ns_per_call", c->s.map_ns, 1, o->keep_samples);
		write_metric(w, c, iommu, "unmap_ns_per_call", c->s.unmap_ns, 1, o->keep_samples);
		write_metric(w, c, iommu, "map_ns_per_tce", c->s.map_ns, tces, o->keep_samples);
		write_metric(w, c, iommu, "unmap_ns_per_tce", c->s.unmap_ns, tces, o->keep_samples);
	}
	if (r->register_ns > 0) {
		result_metric_begin(w, "register_ns", "ns", RESULT_LOWER_IS_BETTER);
		result_metric_value(w, r->register_ns);
		result_metric_end(w);
	}
	result_metrics_end(w);
	return result_file_end(&rf, (const char *const *)r->errors, r->nerrors, e);
}

/* Measure every selected pattern and size at one page shift. */
static void measure_shift(const struct options *o, struct vfio_dev *d, unsigned shift,
			  uint64_t *cur_start, void *buf, struct run *r)
{
	struct map_target t = { .dev = d, .page_shift = shift, .buf = buf };
	struct tl_error e;

	if (prepare_window(d, shift, largest_size(o) * o->batch, cur_start, &t, &e)) {
		add_error(r, e.msg);
		return;
	}
	for (int p = 0; p < PATTERN_COUNT; p++) {
		if (!o->patterns[p])
			continue;
		for (size_t i = 0; i < o->nsizes; i++) {
			struct cell c = { .pattern = p, .size = o->sizes[i], .page_shift = shift };

			if (c.size & ((1ull << shift) - 1))
				continue; /* not a whole number of IOMMU pages */
			if (warm_up(&t, c.size, o->warmup, &e) ||
			    run_pattern(p, &t, c.size, o->iterations, o->batch, &c.s, &e)) {
				tl_err_wrap(&e, "%s %s page 2^%u", pattern_names[p],
					    size_format(c.size, (char[24]){ 0 }, 24), shift);
				add_error(r, e.msg);
				continue;
			}
			print_cell(&c, vfio_iommu_name(d->iommu));
			r->cells[r->ncells++] = c;
		}
	}
}

/*
 * One buffer, mapped at many IOVAs: what is measured is the IOMMU, not
 * memory. An IOMMU page must lie inside one host page, so IOMMU pages
 * above 4 KiB need a buffer of huge pages (reserved by the caller through
 * /proc/sys/vm/nr_hugepages).
 */
static void *alloc_buffer(const struct options *o, uint64_t size, bool *huge,
			  struct tl_error *e)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
	void *buf;

	*huge = false;
	for (size_t i = 0; i < o->nshifts; i++)
		if (o->page_shifts[i] > 12)
			*huge = true;
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, flags | (*huge ? MAP_HUGETLB : 0), -1, 0);
	if (buf != MAP_FAILED)
		return buf;
	if (*huge)
		tl_err_errno(e, "IOMMU pages above 4 KiB need a buffer of huge pages, and a "
				"%llu-byte one could not be had (reserve some: "
				"echo N > /proc/sys/vm/nr_hugepages)", (unsigned long long)size);
	else
		tl_err_errno(e, "cannot allocate a %llu-byte buffer", (unsigned long long)size);
	return NULL;
}

int main(int argc, char **argv)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct options o;
	struct vfio_dev d;
	struct run r = { 0 };
	struct tl_error e;
	uint64_t max_size, cur_start;
	void *buf;
	int status = 0;

	if (parse_options(argc, argv, &o, &e)) {
		fprintf(stderr, "dma-map: %s\n", e.msg);
		usage(stderr);
		return 2;
	}
	/* group first: binding one member of a shared group helps nobody */
	if (timing_init(&e) || pci_group_viable("/sys", o.device, &e) ||
	    (o.bind && pci_bind_vfio("/sys", o.device, &e))) {
		fprintf(stderr, "dma-map: %s\n", e.msg);
		return 1;
	}
	/* v1 accounts the whole window, v2 the registered memory */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	if (vfio_open(&d, o.device, o.iommu, false, &e)) {
		fprintf(stderr, "dma-map: %s\n", e.msg);
		return 1;
	}
	max_size = largest_size(&o);
	r.cells = calloc(o.nshifts * PATTERN_COUNT * o.nsizes, sizeof(*r.cells));
	buf = alloc_buffer(&o, max_size, &r.hugepages, &e);
	if (!buf || !r.cells) {
		fprintf(stderr, "dma-map: %s\n", buf ? "out of memory" : e.msg);
		vfio_close(&d);
		return 1;
	}
	if (d.iommu == VFIO_IOMMU_SPAPR_V2) {
		uint64_t t0 = timing_ticks();

		if (vfio_spapr_register(&d, buf, max_size, &e))
			add_error(&r, e.msg);
		r.register_ns = timing_ns(timing_ticks() - t0);
	}
	printf("# dma-map %s on %s (group %d), %zu iterations, clock %s\n",
	       vfio_iommu_name(d.iommu), d.addr, d.group_id, o.iterations, timing_source());
	cur_start = d.dma32.start;
	for (size_t s = 0; s < o.nshifts && !r.nerrors; s++)
		measure_shift(&o, &d, o.page_shifts[s], &cur_start, buf, &r);

	if (o.json_path && write_json(&o, &r, vfio_iommu_name(d.iommu), &e)) {
		fprintf(stderr, "dma-map: %s\n", e.msg);
		status = 1;
	}
	if (r.nerrors || r.ncells == 0)
		status = 1;
	vfio_close(&d);
	for (size_t i = 0; i < r.ncells; i++)
		map_samples_free(&r.cells[i].s);
	for (size_t i = 0; i < r.nerrors; i++)
		free(r.errors[i]);
	free(r.errors);
	free(r.cells);
	munmap(buf, max_size);
	return status;
}
