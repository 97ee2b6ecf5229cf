// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bring-up and teardown of a session. Order matters on the way down: the
 * controller is disabled and bus mastering turned off before any DMA
 * memory is unmapped, so nothing can write into memory being freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "tcelab/size.h"
#include "tcelab/timing.h"
#include "prp.h"
#include "registers.h"
#include "session.h"

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/* The sysfs class code, read before anything touches the device. */
static int check_nvme_class(const char *addr, struct tl_error *e)
{
	char path[96], drv[64] = "";
	struct tl_error ignored;
	unsigned long cls;
	char *text;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", addr);
	text = tl_read_file(path, NULL, e);
	if (!text)
		return tl_err(e, "no PCI device %s (%s does not exist)", addr, path);
	cls = strtoul(text, NULL, 16);
	free(text);
	if (cls == NVME_CLASS)
		return 0;
	pci_driver("/sys", addr, drv, sizeof(drv), &ignored);
	return tl_err(e, "%s is not an NVMe controller: PCI class code 0x%06lx%s%s%s, NVMe is "
			 "0x010802; not touching it", addr, cls, drv[0] ? " (bound to " : "", drv,
		      drv[0] ? ")" : "");
}

static int bind_device(struct session *s, struct tl_error *e)
{
	const char *addr = s->o.device;
	char drv[64];

	if (pci_driver("/sys", addr, drv, sizeof(drv), e))
		return -1;
	if (!s->o.bind) {
		if (strcmp(drv, "vfio-pci"))
			return tl_err(e, "%s is bound to %s, not vfio-pci, and --no-bind was given "
					 "(drop --no-bind to rebind it)", addr,
				      drv[0] ? drv : "no driver");
	} else if (strcmp(drv, "vfio-pci")) {
		/* pci_bind_vfio() refuses a device whose disks are in use */
		if (drv[0])
			printf("# %s is bound to %s: rebinding it to vfio-pci%s\n", addr, drv,
			       !strcmp(drv, "nvme") ? " (on POWER a device the nvme driver had may "
						      "fail VFIO mapping: \"failed DDW device list\")"
						    : "");
		if (pci_bind_vfio("/sys", addr, e))
			return -1;
	}
	return pci_group_viable("/sys", addr, e);
}

/* VFIO, BAR0, reset, bus mastering. */
static int open_device(struct session *s, struct tl_error *e)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	uint32_t cls;
	bool reset;

	/* v1 accounts the whole window, v2 the registered memory, type1 the pins */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	if (vfio_open(&s->dev, s->o.device, s->o.iommu, true, e))
		return -1;
	s->dev_open = true;
	if (vfio_device_class(&s->dev, &cls, e))
		return -1;
	if (cls != NVME_CLASS)
		return tl_err(e, "%s is not an NVMe controller: config space class code 0x%06x",
			      s->dev.addr, cls);
	if (vfio_device_map_bar(&s->dev, 0, &s->bar, e))
		return -1;
	if (vfio_device_reset(&s->dev, &reset, e))
		printf("# %s: function reset failed, relying on the controller reset: %s\n",
		       s->dev.addr, e->msg);
	if (vfio_device_bus_master(&s->dev, true, e))
		return -1;
	s->bus_master = true;
	return 0;
}

/* The next bytes of the control area: host address, and its IOVA in *iova. */
static void *carve(struct dma_area *a, uint64_t *off, uint64_t bytes, uint64_t *iova)
{
	void *va = (char *)a->va + *off;

	*iova = a->iova + *off;
	*off += bytes;
	return va;
}

/* Queue rings, PRP lists and the Identify page in one area, mapped once. */
static int setup_control_memory(struct session *s, struct tl_error *e)
{
	const struct options *o = &s->o;
	struct perf *p = &s->perf;
	uint64_t entries = o->qd + 1, off = 0, size, sq_iova, cq_iova;
	uint64_t sq_bytes = round_up(entries * sizeof(struct nvme_sqe), NVME_PAGE);
	uint64_t cq_bytes = round_up(entries * sizeof(struct nvme_cqe), NVME_PAGE);
	void *sq, *cq;

	p->prp_pages = prp_list_pages(prp_list_entries(0, o->bs, NVME_PAGE), NVME_PAGE);
	size = 3 * NVME_PAGE + o->queues * (sq_bytes + cq_bytes + o->qd * p->prp_pages * NVME_PAGE);
	if (dma_space_init(&s->space, &s->dev, e) ||
	    dma_area_alloc(&s->space, size, "queues and PRP lists", &s->ctl, e) ||
	    dma_area_map_all(&s->space, &s->ctl, e))
		return -1;
	sq = carve(&s->ctl, &off, NVME_PAGE, &sq_iova);
	cq = carve(&s->ctl, &off, NVME_PAGE, &cq_iova);
	qpair_init(&s->ctrl.admin, 0, NVME_ADMIN_ENTRIES, sq, sq_iova, cq, cq_iova, s->ctrl.bar,
		   s->ctrl.dstrd);
	s->ctrl.id_buf = carve(&s->ctl, &off, NVME_PAGE, &s->ctrl.id_iova);
	for (unsigned i = 0; i < o->queues; i++) {
		struct queue_ctx *q = &p->q[i];

		sq = carve(&s->ctl, &off, sq_bytes, &sq_iova);
		cq = carve(&s->ctl, &off, cq_bytes, &cq_iova);
		qpair_init(&q->qp, (uint16_t)(i + 1), (uint16_t)entries, sq, sq_iova, cq, cq_iova,
			   s->ctrl.bar, s->ctrl.dstrd);
		for (unsigned j = 0; j < q->nslots; j++)
			q->slots[j].prp_list = carve(&s->ctl, &off, p->prp_pages * NVME_PAGE,
						     &q->slots[j].prp_list_iova);
	}
	return 0;
}

/* Slots and groups of every queue (host memory only). */
static int setup_slots(struct session *s, struct tl_error *e)
{
	const struct options *o = &s->o;
	struct perf *p = &s->perf;

	p->q = calloc(o->queues, sizeof(*p->q));
	if (!p->q)
		return tl_err(e, "out of memory");
	p->nq = o->queues;
	p->batch = o->batch;
	for (unsigned i = 0; i < o->queues; i++) {
		struct queue_ctx *q = &p->q[i];

		q->nslots = o->qd;
		q->ngroups = (o->qd + o->batch - 1) / o->batch;
		q->slots = calloc(q->nslots, sizeof(*q->slots));
		q->groups = calloc(q->ngroups, sizeof(*q->groups));
		if (!q->slots || !q->groups)
			return tl_err(e, "out of memory");
		for (unsigned g = 0; g < q->ngroups; g++) {
			q->groups[g].first = g * o->batch;
			q->groups[g].size = o->qd - g * o->batch < o->batch ? o->qd - g * o->batch
									 : o->batch;
		}
	}
	return 0;
}

/* Data buffers: one contiguous area per queue, so a group maps in one call. */
static int setup_data_memory(struct session *s, struct tl_error *e)
{
	struct perf *p = &s->perf;

	p->slot_bytes = round_up(s->o.bs, NVME_PAGE);
	for (unsigned i = 0; i < p->nq; i++) {
		struct queue_ctx *q = &p->q[i];

		if (dma_area_alloc(&s->space, q->nslots * p->slot_bytes, "data buffers", &q->data, e))
			return -1;
		if (p->mode == DMA_PREMAPPED && dma_area_map_all(&s->space, &q->data, e))
			return -1;
		for (unsigned j = 0; j < q->nslots; j++) {
			q->slots[j].buf = (char *)q->data.va + j * p->slot_bytes;
			q->slots[j].iova = q->data.iova + j * p->slot_bytes;
			memset(q->slots[j].buf, 0x5a, p->slot_bytes); /* writes carry no zeros */
		}
	}
	return 0;
}

/* Device limits against the options: MQES, MDTS, LBA size, the namespace. */
static int check_limits_ctrl(struct session *s, struct tl_error *e)
{
	unsigned mqes = NVME_CAP_MQES(s->ctrl.cap);

	if (s->o.qd > mqes)
		return tl_err(e, "%s: --qd %u is too deep: the controller's queues hold at most "
				 "%u commands (CAP.MQES %u)", s->dev.addr, s->o.qd, mqes, mqes);
	return 0;
}

static int check_limits_ns(struct session *s, struct tl_error *e)
{
	struct options *o = &s->o;
	const struct nvme_ns *ns = &s->ns;
	char a[24], b[24];

	if (o->bs > s->ctrl.max_transfer)
		return tl_err(e, "%s: --bs %s is larger than the controller's maximum transfer of %s "
				 "(MDTS)", s->dev.addr, size_format(o->bs, a, sizeof(a)),
			      size_format(s->ctrl.max_transfer, b, sizeof(b)));
	if (o->bs % ns->lba_size || o->bs / ns->lba_size > 65536)
		return tl_err(e, "%s: --bs %s is not 1 to 65536 blocks of namespace %u's %u-byte "
				 "LBAs", s->dev.addr, size_format(o->bs, a, sizeof(a)), ns->nsid,
			      ns->lba_size);
	if (!o->lba_count && o->lba_start < ns->nsze)
		o->lba_count = ns->nsze - o->lba_start;
	if (o->lba_start >= ns->nsze || o->lba_count > ns->nsze - o->lba_start)
		return tl_err(e, "%s: --lba-range %llu:%llu is out of bounds: namespace %u has "
				 "%llu blocks (LBA 0 to %llu)", s->dev.addr,
			      (unsigned long long)o->lba_start, (unsigned long long)o->lba_count,
			      ns->nsid, (unsigned long long)ns->nsze,
			      (unsigned long long)ns->nsze - 1);
	if (o->lba_count < o->bs / ns->lba_size)
		return tl_err(e, "%s: --lba-range of %llu blocks is smaller than one I/O of "
				 "%llu blocks (--bs %s)", s->dev.addr,
			      (unsigned long long)o->lba_count,
			      (unsigned long long)(o->bs / ns->lba_size),
			      size_format(o->bs, a, sizeof(a)));
	return 0;
}

int session_bring_up(struct session *s, struct tl_error *e)
{
	struct perf *p = &s->perf;
	unsigned granted;
	char sz[24];

	if (check_nvme_class(s->o.device, e) || bind_device(s, e) || open_device(s, e))
		return -1;
	if (nvme_ctrl_init(&s->ctrl, s->dev.addr, s->bar.map, s->bar.size, e))
		return -1;
	s->ctrl_up = true;
	if (check_limits_ctrl(s, e) || nvme_ctrl_disable(&s->ctrl, e))
		return -1;
	p->ctrl = &s->ctrl;
	p->ns = &s->ns;
	p->space = &s->space;
	p->mode = s->o.dma;
	p->bs = s->o.bs;
	p->io_timeout_ms = IO_TIMEOUT_MS;
	if (setup_slots(s, e) || setup_control_memory(s, e) || nvme_ctrl_enable(&s->ctrl, e) ||
	    nvme_identify_ctrl(&s->ctrl, e) ||
	    nvme_identify_ns(&s->ctrl, s->o.nsid, &s->ns, e) || check_limits_ns(s, e))
		return -1;
	printf("# nvme-perf: %s %s (fw %s, serial %s), NVMe %u.%u, namespace %u: %llu x %u B "
	       "(%s), %s IOMMU, IOVA 0x%llx-0x%llx, clock %s\n",
	       s->dev.addr, s->ctrl.mn, s->ctrl.fr, s->ctrl.sn, s->ctrl.vs >> 16,
	       (s->ctrl.vs >> 8) & 0xff, s->ns.nsid, (unsigned long long)s->ns.nsze,
	       s->ns.lba_size, size_format(s->ns.nsze * s->ns.lba_size, sz, sizeof(sz)),
	       vfio_iommu_name(s->dev.iommu), (unsigned long long)s->space.base,
	       (unsigned long long)s->space.end - 1, timing_source());
	if (nvme_set_num_queues(&s->ctrl, s->o.queues, &granted, e))
		return -1;
	if (granted < s->o.queues)
		return tl_err(e, "%s: --queues %u: the controller grants only %u I/O queue pairs",
			      s->dev.addr, s->o.queues, granted);
	if (setup_data_memory(s, e))
		return -1;
	for (unsigned i = 0; i < p->nq; i++) {
		if (nvme_create_io_qpair(&s->ctrl, &p->q[i].qp, e))
			return -1;
		p->q[i].created = true;
	}
	return 0;
}

void session_teardown(struct session *s)
{
	struct perf *p = &s->perf;
	bool disabled = s->ctrl_up;
	struct tl_error e;

	if (s->ctrl_up && s->ctrl.enabled) {
		/* with commands stuck, deleting queues would only wait: disable aborts them */
		for (unsigned i = p->nq; i-- > 0 && !s->outstanding;) {
			if (p->q[i].created && nvme_delete_io_qpair(&s->ctrl, &p->q[i].qp, &e)) {
				fprintf(stderr, "nvme-perf: %s\n", e.msg);
				break;
			}
		}
	}
	if (s->ctrl_up && nvme_ctrl_disable(&s->ctrl, &e)) {
		fprintf(stderr, "nvme-perf: %s\n", e.msg);
		disabled = false;
	}
	/* no DMA after this, so memory can go */
	if (s->bus_master && vfio_device_bus_master(&s->dev, false, &e))
		fprintf(stderr, "nvme-perf: %s\n", e.msg);
	if (p->q) {
		run_unmap_all(p);
		for (unsigned i = 0; i < p->nq; i++) {
			dma_area_free(&s->space, &p->q[i].data);
			free(p->q[i].slots);
			free(p->q[i].groups);
		}
		free(p->q);
		p->q = NULL;
	}
	dma_area_free(&s->space, &s->ctl);
	vfio_device_unmap_bar(&s->bar);
	if (s->dev_open)
		vfio_close(&s->dev);
	if (disabled)
		printf("# %s: handed back: controller disabled (CSTS.RDY = 0), bus mastering off, "
		       "DMA unmapped, VFIO closed\n", s->dev.addr);
}
