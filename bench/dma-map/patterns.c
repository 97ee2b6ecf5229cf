// SPDX-License-Identifier: GPL-2.0-only
/* The timed loops of dma-map: one function per access pattern. */
#include <stdlib.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "dma-map.h"

const char *const pattern_names[PATTERN_COUNT] = {
	[PATTERN_PAIRS] = "pairs",
	[PATTERN_BULK] = "bulk",
	[PATTERN_CHURN] = "churn",
};

static int timed_map(const struct map_target *t, uint64_t iova, uint64_t size, double *ns,
		     struct tl_error *e)
{
	uint64_t t0 = timing_ticks();

	if (vfio_dma_map(t->dev, t->buf, iova, size, e))
		return -1;
	*ns = timing_ns(timing_ticks() - t0);
	return 0;
}

static int timed_unmap(const struct map_target *t, uint64_t iova, uint64_t size, double *ns,
		       struct tl_error *e)
{
	uint64_t t0 = timing_ticks();

	if (vfio_dma_unmap(t->dev, iova, size, e))
		return -1;
	*ns = timing_ns(timing_ticks() - t0);
	return 0;
}

static int pairs(const struct map_target *t, uint64_t size, struct map_samples *s,
		 struct tl_error *e)
{
	for (size_t i = 0; i < s->n; i++) {
		if (timed_map(t, t->iova_base, size, &s->map_ns[i], e) ||
		    timed_unmap(t, t->iova_base, size, &s->unmap_ns[i], e))
			return -1;
	}
	return 0;
}

static int bulk(const struct map_target *t, uint64_t size, size_t batch, struct map_samples *s,
		struct tl_error *e)
{
	for (size_t done = 0; done < s->n; done += batch) {
		size_t k = s->n - done < batch ? s->n - done : batch;

		for (size_t j = 0; j < k; j++)
			if (timed_map(t, t->iova_base + j * size, size, &s->map_ns[done + j], e))
				return -1;
		for (size_t j = 0; j < k; j++)
			if (timed_unmap(t, t->iova_base + j * size, size, &s->unmap_ns[done + j], e))
				return -1;
	}
	return 0;
}

static int churn(const struct map_target *t, uint64_t size, size_t ring, struct map_samples *s,
		 struct tl_error *e)
{
	int ret = 0;

	/* fill the ring untimed: the steady state is what is measured */
	for (size_t j = 0; j < ring; j++)
		if (vfio_dma_map(t->dev, t->buf, t->iova_base + j * size, size, e))
			return -1;
	for (size_t i = 0; i < s->n && !ret; i++) {
		uint64_t iova = t->iova_base + (i % ring) * size;

		ret = timed_unmap(t, iova, size, &s->unmap_ns[i], e) ||
		      timed_map(t, iova, size, &s->map_ns[i], e);
	}
	for (size_t j = 0; j < ring; j++) {
		struct tl_error ignored;

		vfio_dma_unmap(t->dev, t->iova_base + j * size, size, ret ? &ignored : e);
	}
	return ret ? -1 : 0;
}

int run_pattern(enum pattern p, const struct map_target *t, uint64_t size, size_t iterations,
		size_t batch, struct map_samples *out, struct tl_error *e)
{
	size_t fit = t->iova_size / size;
	int ret;

	if (batch > fit)
		batch = fit;
	if (batch == 0)
		return tl_err(e, "a %llu-byte mapping does not fit the %llu-byte DMA window",
			      (unsigned long long)size, (unsigned long long)t->iova_size);
	out->n = iterations;
	out->map_ns = calloc(iterations, sizeof(double));
	out->unmap_ns = calloc(iterations, sizeof(double));
	if (!out->map_ns || !out->unmap_ns) {
		map_samples_free(out);
		return tl_err(e, "out of memory for %zu samples", iterations);
	}
	switch (p) {
	case PATTERN_PAIRS: ret = pairs(t, size, out, e); break;
	case PATTERN_BULK: ret = bulk(t, size, batch, out, e); break;
	case PATTERN_CHURN: ret = churn(t, size, batch, out, e); break;
	default: ret = tl_err(e, "unknown pattern %d", p);
	}
	if (ret)
		map_samples_free(out);
	return ret;
}

int warm_up(const struct map_target *t, uint64_t size, size_t count, struct tl_error *e)
{
	for (size_t i = 0; i < count; i++)
		if (vfio_dma_map(t->dev, t->buf, t->iova_base, size, e) ||
		    vfio_dma_unmap(t->dev, t->iova_base, size, e))
			return -1;
	return 0;
}

void map_samples_free(struct map_samples *s)
{
	free(s->map_ns);
	free(s->unmap_ns);
	s->map_ns = s->unmap_ns = NULL;
	s->n = 0;
}
